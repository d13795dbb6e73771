/* report_html_findings.c - the top of report.html: the answer before the
 * detail. A director looking for "is there a problem, and where" reads
 *
 *   one paragraph per compared cohort: which categories differ, by how
 *   much and how sure (interval, q); or, when none does, the smallest
 *   difference the audit could have detected (compare_mdrr)
 *   -> the findings table -> why an interval that excludes 1 may not be a
 *   finding (multiplicity) -> one forest plot of every category across
 *   comparisons, with the same numbers as a table (its text alternative,
 *   and what a phone shows when the chart would be too small to read).
 *
 * Everything here is read from the comparisons (compare.h): the finding
 * rule is compare_significant, the one the CSV and terminal follow. */
#include "report_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "report_svg.h"

static const char *cohort(const struct html_report *h, size_t col, size_t k)
{
    return tally_cohort_name(h->t, col, k);
}

/* A cohort in running text: "F", or "no recorded Resident Gender". */
static void cohort_words(const struct html_report *h, size_t col, size_t k)
{
    const char *n = cohort(h, col, k);
    if (strcmp(n, TALLY_BLANK) == 0) {
        fputs("no recorded ", h->f);
        html_str(h->f, h->cols->v[col]);
    } else {
        fputs("<q>", h->f);
        html_str(h->f, n);
        fputs("</q>", h->f);
    }
}

static void q_text(char *s, size_t n, double q)
{
    if (q < 0.001)
        snprintf(s, n, "q &lt; 0.001");
    else
        snprintf(s, n, "q = %.2g", q);
}

/* The paragraph for one family (a cohort against its reference): short
 * enough that the first screen holds the paragraphs and the overview. */
static void family_paragraph(const struct html_report *h,
                             const struct comparison *fam)
{
    FILE *f = h->f;
    const struct lexicon_set *set = h->set;
    const struct comparison *tot = &fam[set->nentries];
    size_t col = fam->col;
    double conf = 100 * h->cmp->opt.conf;
    fputs("<p class=\"finding\"><strong>", f);
    html_str(f, h->cols->v[col]);
    fputs(": ", f);
    html_str(f, cohort(h, col, fam->cohort));
    fputs(" vs ", f);
    html_str(f, cohort(h, col, fam->reference));
    if (tot->a.residents_unknown)
        fprintf(f, "</strong> (%llu vs %llu evaluations; residents unknown "
                   "(no --resident column)). ",
                (unsigned long long)tot->a.evaluations,
                (unsigned long long)tot->b.evaluations);
    else
        fprintf(f, "</strong> (%llu vs %llu residents). ",
                (unsigned long long)tot->a.residents,
                (unsigned long long)tot->b.residents);

    size_t nsig = 0;
    for (size_t g = 0; g < set->ncategories; g++)
        nsig += compare_significant(h->cmp, &fam[set->nentries + g]) != 0;
    if (nsig) {
        /* Compact, so a phone's first screen holds the paragraphs and the
         * overview chart: "Comments about "M" residents, against "F":
         * Standout words 2.12 times as often (1.29 to 3.51, q = 0.021); ..." */
        fputs("Comments about ", f);
        cohort_words(h, col, fam->cohort);
        fputs(" residents, against ", f);
        cohort_words(h, col, fam->reference);
        fputs(": ", f);
        size_t i = 0;
        for (size_t g = 0; g < set->ncategories; g++) {
            const struct comparison *c = &fam[set->nentries + g];
            if (!compare_significant(h->cmp, c))
                continue;
            char name[256], q[32];
            html_cat_plain(name, sizeof name, set, g);
            q_text(q, sizeof q, c->q);
            fputs(i++ ? "; " : "", f);
            fprintf(f, "<a href=\"#cat-%zu\">", g);
            html_str(f, name);
            fprintf(f, "</a> <strong>%.2f times as often</strong> (%g%%: "
                       "%.2f to %.2f, %s)", c->cluster.rr, conf,
                    c->cluster.lo, c->cluster.hi, q);
        }
        fputs(". ", f);
    } else {
        fputs("<strong>No category differs.</strong> ", f);
    }

    /* What "no difference" can mean: no finding at this size (each
     * category's detectable ratio is in the overview table). */
    struct compare_power pw;
    compare_family_power(h->cmp, set, fam, &pw);
    if (pw.n)
        fprintf(f, "%s no finding at this size: a rate ratio of about "
                   "<strong>%.2f</strong> (or %.2f) had 80%% power to be "
                   "found.", nsig ? "Elsewhere," : "That is", pw.median,
                1 / pw.median);
    fputs("</p>\n", f);
}

/* Categories whose interval excludes 1 but that are not findings. */
static void multiplicity(const struct html_report *h)
{
    FILE *f = h->f;
    const struct lexicon_set *set = h->set;
    double alpha = compare_alpha(h->cmp);
    fprintf(f, "<p class=\"why\">Why an interval can exclude 1 and still "
               "not be a finding: each comparison tests %zu terms and "
               "categories at once, and with that many some intervals "
               "exclude 1 by chance alone, so a finding must also have a "
               "Benjamini&ndash;Hochberg q-value (which allows for the "
               "number of tests) below %g.", h->cmp->nitems, alpha);
    size_t n = 0;
    for (size_t i = 0; i < compare_nfamilies(h->cmp); i++) {
        const struct comparison *fam = compare_family(h->cmp, i);
        for (size_t g = 0; g < set->ncategories; g++) {
            const struct comparison *c = &fam[set->nentries + g];
            const struct stats_cluster *r = &c->cluster;
            if (compare_significant(h->cmp, c) ||
                (r->flags & (STATS_NA_CI | STATS_NA_EST | STATS_INF_EST)))
                continue;
            if (!(r->lo > 1 || (!(r->flags & STATS_INF_HI) && r->hi < 1)))
                continue;
            char name[256], q[32];
            html_cat_plain(name, sizeof name, set, g);
            q_text(q, sizeof q, c->q);
            fputs(n++ ? "; " : " Here that is the case for ", f);
            html_str(f, name);
            fputs(" (", f);
            html_str(f, cohort(h, c->col, c->cohort));
            fputs(" vs ", f);
            html_str(f, cohort(h, c->col, c->reference));
            fprintf(f, ": %.2f, %.2f to %.2f, %s)", r->rr, r->lo, r->hi, q);
        }
    }
    fputs(n ? ".</p>\n" : "</p>\n", f);
}

static void findings_table(const struct html_report *h)
{
    FILE *f = h->f;
    const struct lexicon_set *set = h->set;
    size_t n = 0;
    for (size_t i = 0; i < h->cmp->n; i++) {
        const struct comparison *c = &h->cmp->v[i];
        if (c->item < set->nentries || !compare_significant(h->cmp, c))
            continue;
        if (n++ == 0) {
            fputs("<div class=\"wrap\"><table class=\"sortable\" "
                  "id=\"t-findings\"><caption>Findings</caption><thead><tr>",
                  f);
            html_th_str(f, NULL, "category");
            html_th_str(f, NULL, "cohort column");
            html_th_str(f, NULL, "cohort vs reference");
            html_th_str(f, "n", "rate / 1,000 words");
            html_th_str(f, "n", "reference rate");
            html_th_str(f, "n", "rate ratio (robust interval)");
            html_th_str(f, "n", "q");
            fputs("</tr></thead><tbody>\n", f);
        }
        char rt[200], vs[400];
        html_ratio_text(rt, sizeof rt, h->cmp, c);
        fprintf(f, "<tr><td><a href=\"#cat-%zu\">", c->item - set->nentries);
        html_category(f, set, c->item - set->nentries, 0);
        fputs("</a></td>", f);
        html_td_str(f, h->cols->v[c->col]);
        snprintf(vs, sizeof vs, "%s vs %s", cohort(h, c->col, c->cohort),
                 cohort(h, c->col, c->reference));
        html_td_str(f, vs);
        html_td_num(f, 3, c->a.rate_per_1000);
        html_td_num(f, 3, c->b.rate_per_1000);
        fprintf(f, "<td class=\"n\" data-v=\"%.6g\">", c->cluster.rr);
        html_str(f, rt);
        fputs("</td>", f);
        html_td_num(f, -1, c->q);
        fputs("</tr>\n", f);
    }
    if (n)
        fputs("</tbody></table></div>\n", f);
}

static size_t family_findings(const struct html_report *h,
                              const struct comparison *fam)
{
    size_t n = 0;
    for (size_t g = 0; g < h->set->ncategories; g++)
        n += compare_significant(h->cmp, &fam[h->set->nentries + g]) != 0;
    return n;
}

void html_findings_section(const struct html_report *h)
{
    FILE *f = h->f;
    fputs("<section id=\"findings\" aria-labelledby=\"h-findings\">\n"
          "<h2 id=\"h-findings\">Findings</h2>\n", f);
    size_t nfam = compare_nfamilies(h->cmp), total = 0, nblank = 0;
    for (size_t i = 0; i < nfam; i++)
        total += family_findings(h, compare_family(h->cmp, i));
    if (!nfam)
        fputs("<p class=\"answer\"><strong>No comparison:</strong> no "
              "cohort column has two cohorts large enough to show.</p>\n", f);
    else if (!total)
        fprintf(f, "<p class=\"answer\"><strong>No category differed "
                   "between cohorts at this level</strong> (%g%% intervals, "
                   "q &lt; %g).</p>\n", 100 * h->cmp->opt.conf,
                compare_alpha(h->cmp));
    else
        fprintf(f, "<p class=\"answer\"><strong>%zu finding%s</strong> "
                   "(the %g%% interval of the rate ratio excludes 1 and "
                   "q &lt; %g).</p>\n", total, total == 1 ? "" : "s",
                100 * h->cmp->opt.conf, compare_alpha(h->cmp));
    /* The "(blank)" cohorts (no value recorded) get a paragraph only when
     * they have a finding: they are not a group anyone set out to compare. */
    for (size_t i = 0; i < nfam; i++) {
        const struct comparison *fam = compare_family(h->cmp, i);
        if (!html_chart_cohort(h, fam->col, fam->cohort) &&
            !family_findings(h, fam)) {
            nblank++;
            continue;
        }
        family_paragraph(h, fam);
    }
    if (nblank)
        fprintf(f, "<p class=\"note\">%zu comparison%s of the &ldquo;(blank)"
                   "&rdquo; cohort (no value recorded) found no difference; "
                   "they are in the term tables and "
                   "<code>comparisons.csv</code>.</p>\n", nblank,
                nblank == 1 ? "" : "s");
    /* The findings' table follows the overview chart (html_overview_section),
     * so that the first screen holds the paragraphs and the chart. */
    fputs("</section>\n", f);
}

/* ============================================================== overview */

struct overview_rows {
    struct svg_forest_row *v;
    size_t n, cap;
    char (*labels)[256], (*texts)[200], (*groups)[300];
    size_t lcap, tcap, gcap;
};

static void overview_collect(const struct html_report *h,
                             struct overview_rows *o)
{
    const struct lexicon_set *set = h->set;
    for (size_t i = 0; i < compare_nfamilies(h->cmp); i++) {
        const struct comparison *fam = compare_family(h->cmp, i);
        if (!html_chart_cohort(h, fam->col, fam->cohort))
            continue;
        for (size_t g = 0; g < set->ncategories; g++) {
            const struct comparison *c = &fam[set->nentries + g];
            const struct stats_cluster *s = &c->cluster;
            grow(&o->v, &o->cap, o->n + 1, sizeof *o->v);
            grow(&o->labels, &o->lcap, o->n + 1, sizeof *o->labels);
            grow(&o->texts, &o->tcap, o->n + 1, sizeof *o->texts);
            grow(&o->groups, &o->gcap, o->n + 1, sizeof *o->groups);
            struct svg_forest_row *r = &o->v[o->n];
            memset(r, 0, sizeof *r);
            snprintf(o->groups[o->n], sizeof o->groups[o->n], "%s: %s vs %s",
                     h->cols->v[c->col], cohort(h, c->col, c->cohort),
                     cohort(h, c->col, c->reference));
            html_cat_plain(o->labels[o->n], sizeof o->labels[o->n], set, g);
            r->has_est = !(s->flags & (STATS_NA_EST | STATS_INF_EST)) &&
                         s->rr > 0;
            r->est = s->rr;
            r->has_ci = r->has_est && !(s->flags & STATS_NA_CI);
            r->lo = s->lo;
            r->hi = s->hi;
            r->hi_inf = (s->flags & STATS_INF_HI) != 0;
            r->significant = compare_significant(h->cmp, c);
            html_ratio_text(o->texts[o->n], sizeof o->texts[o->n], h->cmp, c);
            o->n++;
        }
    }
    /* Pointers last: the arrays move while they grow. A row starts a new
     * group when its text differs from the previous row's (report_svg.h). */
    for (size_t i = 0; i < o->n; i++) {
        o->v[i].group = o->groups[i];
        o->v[i].label = o->labels[i];
        o->v[i].text = o->texts[i];
    }
}

/* The text alternative: one row per category, one column pair per
 * comparison (rate ratio with its interval, q). */
static void overview_table(const struct html_report *h)
{
    FILE *f = h->f;
    const struct lexicon_set *set = h->set;
    size_t nfam = compare_nfamilies(h->cmp);
    fputs("<div class=\"wrap\"><table id=\"overview-table\" "
          "class=\"sortable\"><caption>The overview chart as a table: rate "
          "ratio against the reference (resident-level interval), "
          "q-value, and the rate ratio the audit would find with 80% "
          "power; &ldquo;*&rdquo; marks a finding</caption><thead><tr>", f);
    html_th_str(f, NULL, "category");
    for (size_t i = 0; i < nfam; i++) {
        const struct comparison *fam = compare_family(h->cmp, i);
        if (!html_chart_cohort(h, fam->col, fam->cohort))
            continue;
        char s[400];
        snprintf(s, sizeof s, "%s vs %s: rate ratio", cohort(h, fam->col,
                 fam->cohort), cohort(h, fam->col, fam->reference));
        html_th_str(f, "n", s);
        html_th_str(f, "n", "q");
        html_th_str(f, "n", "detectable ratio (80% power)");
    }
    fputs("</tr></thead><tbody>\n", f);
    for (size_t g = 0; g < set->ncategories; g++) {
        fprintf(f, "<tr><th scope=\"row\"><a href=\"#cat-%zu\">", g);
        html_category(f, set, g, 0);
        fputs("</a></th>", f);
        for (size_t i = 0; i < nfam; i++) {
            const struct comparison *fam = compare_family(h->cmp, i);
            if (!html_chart_cohort(h, fam->col, fam->cohort))
                continue;
            const struct comparison *c = &fam[set->nentries + g];
            char rt[200];
            html_ratio_text(rt, sizeof rt, h->cmp, c);
            int est = !(c->cluster.flags & (STATS_NA_EST | STATS_INF_EST));
            if (est)
                fprintf(f, "<td class=\"n%s\" data-v=\"%.6g\">",
                        compare_significant(h->cmp, c) ? " sig-yes" : "",
                        c->cluster.rr);
            else
                fputs("<td class=\"n\" data-v=\"\">", f);
            html_str(f, rt);
            fputs("</td>", f);
            if (c->cluster.flags & STATS_NA_P)
                fputs("<td class=\"n\" data-v=\"\"></td>", f);
            else
                html_td_num(f, -1, c->q);
            double m = compare_mdrr(h->cmp, c);
            if (m > 1)
                html_td_num(f, 2, m);
            else
                fputs("<td class=\"n\" data-v=\"\"></td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
}

void html_overview_section(const struct html_report *h)
{
    FILE *f = h->f;
    fputs("<section id=\"overview\" aria-labelledby=\"h-overview\">\n"
          "<h2 id=\"h-overview\">Overview: every category</h2>\n", f);
    struct overview_rows o = {0};
    overview_collect(h, &o);
    if (!o.n) {
        fputs("<p class=\"note\">No comparison to chart.</p>\n", f);
        findings_table(h);
        fputs("</section>\n", f);
        return;
    }
    char title[200];
    snprintf(title, sizeof title, "Rate ratio of every category against the "
             "reference, %g%% resident-level intervals, log scale",
             100 * h->cmp->opt.conf);
    /* Two drawings of one chart; the stylesheet shows the narrow one on a
     * phone, where the wide one's text would shrink below 11 px. */
    fputs("<div class=\"wide-only\">\n", f);
    svg_forest(f, "overview", title, o.v, o.n);
    fputs("</div>\n<div class=\"narrow-only\">\n", f);
    svg_forest_narrow(f, "overview-n", title, o.v, o.n);
    fputs("</div>\n", f);
    fprintf(f, "<p class=\"note\">Squares: each category's rate ratio "
               "against the reference, with its resident-level %g%% "
               "interval (log scale; dashed line = 1, no difference). "
               "Filled squares and &ldquo;*&rdquo; are findings; the table "
               "below has the same numbers.</p>\n",
            100 * h->cmp->opt.conf);
    findings_table(h);
    multiplicity(h);
    overview_table(h);
    fputs("</section>\n", f);
    free(o.v);
    free(o.labels);
    free(o.texts);
    free(o.groups);
}
