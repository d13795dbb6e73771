/* report_html.c - report.html: one self-contained page (inline CSS, one
 * inline script, inline SVG) that program leadership reads and prints.
 *
 *   what was audited -> headline findings -> per category: rates chart and
 *   forest plot -> term tables (sortable) -> flagged excerpts (filterable)
 *   -> methods
 *
 * It reads only computed values: the finished tally for counts, the
 * comparisons (compare.h) for ratios, intervals and q-values and for which
 * cohorts may be shown at all, and the finished excerpts.csv read back from
 * disk (report_html_excerpts.c). A cohort the comparisons suppress appears
 * nowhere: not in a chart, an axis, a table or a filter.
 *
 * The page works without JavaScript (every table and chart is plain markup);
 * the script only adds sorting and filtering. It makes no network request:
 * the CSP (html.h) forbids any. Output is byte-identical for the same run
 * (no times: those are in manifest.json). */
#include "report_html.h"
#include "verdicts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "report_svg.h"
#include "stats.h"

/* ============================================================== helpers */

void html_ratio_text(char *s, size_t n, const struct comparisons *cmp,
                     const struct comparison *c)
{
    const struct stats_cluster *r = &c->cluster;
    if (r->flags & (STATS_NA_EST | STATS_INF_EST)) {
        snprintf(s, n, "%s", c->note[0] ? c->note : "not estimable");
        return;
    }
    if (r->flags & STATS_NA_CI) {
        snprintf(s, n, "%.2f (no interval)", r->rr);
        return;
    }
    char hi[32];
    if (r->flags & STATS_INF_HI)
        snprintf(hi, sizeof hi, "inf");
    else
        snprintf(hi, sizeof hi, "%.2f", r->hi);
    snprintf(s, n, "%.2f (%.2f\xE2\x80\x93%s)%s", r->rr, r->lo, hi,
             compare_significant(cmp, c) ? " *" : "");
}

/* Per-1,000-words rate interval of x hits in w words: the exact
 * (Clopper-Pearson) binomial interval for the share of words that are a
 * hit, which for rare events equals the exact Poisson (Garwood) interval
 * to well under 1%; Wilson's beyond the beta quantile's range. */
static void rate_interval(uint64_t x, uint64_t w, double conf, double *lo,
                          double *hi)
{
    double a = (1 - conf) / 2;
    if (w > 500000000ull) {
        stats_wilson(x, w, conf, lo, hi);
    } else {
        *lo = x == 0 ? 0 : stats_beta_quantile(a, (double)x,
                                               (double)(w - x + 1));
        *hi = x == w ? 1 : stats_beta_quantile(1 - a, (double)(x + 1),
                                               (double)(w - x));
    }
    *lo *= 1000;
    *hi *= 1000;
}

/* A numeric cell: decimals >= 0 gives %.*f, -1 a p- or q-value (%.3g, or
 * "<0.001"). data-v holds the value for sorting. */
void html_td_num(FILE *f, int decimals, double v)
{
    fprintf(f, "<td class=\"n\" data-v=\"%.6g\">", v);
    if (decimals >= 0)
        fprintf(f, "%.*f", decimals, v);
    else if (v < 0.001)
        fputs("&lt;0.001", f); /* a q-value: more digits say nothing */
    else
        fprintf(f, "%.3g", v);
    fputs("</td>", f);
}

void html_td_str(FILE *f, const char *s)
{
    fputs("<td>", f);
    html_bdi_str(f, s);
    fputs("</td>", f);
}

void html_th_str(FILE *f, const char *cls, const char *s)
{
    fprintf(f, "<th scope=\"col\"%s%s%s>", cls ? " class=\"" : "",
            cls ? cls : "", cls ? "\"" : "");
    html_bdi_str(f, s);
    fputs("</th>", f);
}

static void kv(FILE *f, const char *k, const char *v)
{
    fputs("<tr><th scope=\"row\">", f);
    html_bdi_str(f, k);
    fputs("</th><td>", f);
    html_bdi_str(f, v);
    fputs("</td></tr>\n", f);
}

static void cat_id(char *s, size_t n, const struct lexicon_set *set,
                   size_t g)
{
    const struct lex_category *cat = &set->categories[g];
    snprintf(s, n, "%s / %s", set->lexicons[cat->lexicon].name, cat->name);
}

/* The category in plain text (an SVG title): its label, else its id. */
void html_cat_plain(char *s, size_t n, const struct lexicon_set *set,
                    size_t g)
{
    const struct lex_category *cat = &set->categories[g];
    if (*cat->label)
        snprintf(s, n, "%s", cat->label);
    else
        cat_id(s, n, set, g);
}

void html_category(FILE *f, const struct lexicon_set *set, size_t g,
                   int id_small)
{
    const struct lex_category *cat = &set->categories[g];
    char id[512];
    cat_id(id, sizeof id, set, g);
    if (!*cat->label) {
        html_str(f, id);
        return;
    }
    fputs("<span title=\"", f);
    html_str(f, id);
    fputs("\">", f);
    html_str(f, cat->label);
    fputs("</span>", f);
    if (id_small) {
        fputs(" <small class=\"muted\">", f);
        html_str(f, id);
        fputs("</small>", f);
    }
}

/* ===================================================== what was audited */

static void strvec_join(struct buf *b, const struct strvec *v)
{
    buf_clear(b);
    for (size_t i = 0; i < v->n; i++)
        buf_printf(b, "%s%s", i ? ", " : "", v->v[i]);
    if (!v->n)
        buf_puts(b, "(none)");
}

static void section_audited(const struct html_report *h)
{
    FILE *f = h->f;
    const struct run_info *ri = h->ri;
    fputs("<section id=\"audited\" aria-labelledby=\"h-audited\">\n"
          "<h2 id=\"h-audited\">What was audited</h2>\n", f);
    fputs("<div class=\"wrap\"><table><caption>Input files</caption><thead><tr>",
          f);
    html_th_str(f, NULL, "file");
    html_th_str(f, "n", "bytes");
    html_th_str(f, NULL, "encoding");
    html_th_str(f, "n", "rows read");
    html_th_str(f, NULL, "SHA-256");
    fputs("</tr></thead><tbody>\n", f);
    for (size_t i = 0; i < ri->ninputs; i++) {
        const struct input_info *in = &ri->inputs[i];
        fputs("<tr>", f);
        html_td_str(f, in->path ? path_basename(in->path) : "");
        html_td_num(f, 0, (double)in->bytes);
        html_td_str(f, in->encoding);
        html_td_num(f, 0, (double)in->rows_read);
        fputs("<td class=\"hash\">", f);
        html_str(f, in->sha256);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);

    fputs("<div class=\"wrap\"><table class=\"kv\"><caption>Rows (read = "
          "analysed + skipped)</caption><tbody>\n", f);
    char num[64];
    snprintf(num, sizeof num, "%lu", ri->rows_read);
    kv(f, "read", num);
    snprintf(num, sizeof num, "%lu", ri->rows_analysed);
    kv(f, "analysed", num);
    snprintf(num, sizeof num, "%lu", ri->rows_skipped);
    kv(f, "skipped", num);
    for (size_t i = 0; i < ri->skip_reasons.n; i++) {
        char k[160];
        snprintf(k, sizeof k, "skipped: %s", ri->skip_reasons.v[i]);
        snprintf(num, sizeof num, "%lu", ri->skip_reason_counts[i]);
        kv(f, k, num);
    }
    snprintf(num, sizeof num, "%llu", (unsigned long long)ri->words);
    kv(f, "words analysed", num);
    snprintf(num, sizeof num, "%llu (+%llu negated)",
             (unsigned long long)ri->hits, (unsigned long long)ri->negated);
    kv(f, "hits", num);
    /* Hits kept apart (referent.h): found, listed, never counted. */
    snprintf(num, sizeof num, "%llu", (unsigned long long)ri->other_referent);
    kv(f, "hits set aside: about someone else", num);
    snprintf(num, sizeof num, "%llu", (unsigned long long)ri->quoted);
    kv(f, "hits set aside: quoted", num);
    fputs("</tbody></table></div>\n<p class=\"note\">The skipped rows, with their "
          "row numbers and reasons, are listed in <code>manifest.json</code>."
          "</p>\n", f);

    const struct lexicon_set *set = h->set;
    fputs("<div class=\"wrap\"><table><caption>Lexicons</caption><thead><tr>",
          f);
    html_th_str(f, NULL, "lexicon");
    html_th_str(f, NULL, "version");
    html_th_str(f, NULL, "file");
    html_th_str(f, NULL, "SHA-256");
    fputs("</tr></thead><tbody>\n", f);
    for (size_t i = 0; set && i < set->nlexicons; i++) {
        const struct lex_info *l = &set->lexicons[i];
        fputs("<tr>", f);
        html_td_str(f, l->name);
        html_td_str(f, l->version[0] ? l->version : "(none)");
        html_td_str(f, l->path ? l->path : "");
        fputs("<td class=\"hash\">", f);
        html_str(f, l->sha256);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);

    struct buf b;
    buf_init(&b);
    fputs("<div class=\"wrap\"><table class=\"kv\"><caption>Columns and "
          "statistics</caption><tbody>\n", f);
    strvec_join(&b, &ri->text_cols);
    if (ri->text_guessed)
        buf_puts(&b, " (guessed)");
    kv(f, "comment columns", buf_cstr(&b));
    strvec_join(&b, &ri->cohort_cols);
    if (ri->cohort_guessed)
        buf_puts(&b, " (guessed)");
    kv(f, "cohort columns", buf_cstr(&b));
    buf_clear(&b);
    buf_printf(&b, "%s%s", ri->id_col ? ri->id_col : "row number",
               ri->id_guessed ? " (guessed)" : "");
    kv(f, "evaluation id", buf_cstr(&b));
    buf_clear(&b);
    buf_printf(&b, "%s%s",
               ri->resident_col ? ri->resident_col
                                : "none: residents unknown (no --resident "
                                  "column)",
               ri->resident_guessed ? " (guessed)" : "");
    kv(f, "resident (cluster)", buf_cstr(&b));
    if (ri->cohort_map) {
        buf_clear(&b);
        buf_printf(&b, "%s (SHA-256 %s)", ri->cohort_map,
                   ri->cohort_map_sha256);
        kv(f, "cohort map", buf_cstr(&b));
    }
    buf_clear(&b);
    buf_printf(&b, "%g%%", 100 * h->cmp->opt.conf);
    kv(f, "confidence level", buf_cstr(&b));
    buf_clear(&b);
    buf_printf(&b, "cohorts with fewer than %u %s are not shown "
               "anywhere (%zu suppressed)", h->cmp->opt.min_residents,
               tally_residents_known(h->t)
                   ? "residents"
                   : "evaluations (residents unknown: no --resident "
                     "column)",
               h->cmp->suppressed);
    kv(f, "suppression", buf_cstr(&b));
    for (size_t c = 0; c < h->cmp->ncols; c++) {
        size_t r = h->cmp->reference[c];
        buf_clear(&b);
        buf_printf(&b, "reference cohort: %s", h->cols->v[c]);
        kv(f, buf_cstr(&b), r == SIZE_MAX ? "(none: fewer than two cohorts "
                                            "shown)"
                                          : tally_cohort_name(h->t, c, r));
    }
    fputs("</tbody></table></div>\n</section>\n", f);
    buf_fini(&b);
}

int html_chart_cohort(const struct html_report *h, size_t col, size_t k)
{
    return compare_cohort_shown(h->cmp, col, k) &&
           strcmp(tally_cohort_name(h->t, col, k), TALLY_BLANK) != 0;
}

/* ========================================================== per category */

static void category_charts(const struct html_report *h, size_t g)
{
    FILE *f = h->f;
    const struct lexicon_set *set = h->set;
    const tally *t = h->t;
    size_t item = set->nentries + g;
    char name[256], id[48], title[400];
    html_cat_plain(name, sizeof name, set, g);
    const struct lex_category *cat = &set->categories[g];
    fprintf(f, "<article class=\"cat\" id=\"cat-%zu\" aria-labelledby="
               "\"h-cat-%zu\">\n<h3 id=\"h-cat-%zu\">", g, g, g);
    html_category(f, set, g, 1);
    fputs("</h3>\n", f);
    if (cat->summary[0]) {
        fputs("<p>", f);
        html_str(f, cat->summary);
        fputs("</p>\n", f);
    }

    /* Rates by cohort, shown cohorts only. */
    size_t nb = 0, cap = 0;
    struct svg_bar *bars = NULL;
    char (*notes)[48] = NULL;
    size_t ncap = 0;
    for (size_t c = 0; c < tally_ncohort_cols(t); c++)
        for (size_t k = 0; k < tally_ncohorts(t, c); k++) {
            if (!html_chart_cohort(h, c, k))
                continue;
            struct cohort_totals ct;
            tally_cohort_totals(t, c, k, &ct);
            struct item_counts ic = tally_item(t, c, k, item);
            grow(&bars, &cap, nb + 1, sizeof *bars);
            grow(&notes, &ncap, nb + 1, sizeof *notes);
            struct svg_bar *b = &bars[nb];
            memset(b, 0, sizeof *b);
            b->group = h->cols->v[c];
            b->label = tally_cohort_name(t, c, k);
            if (ct.words) {
                b->value = 1000.0 * (double)ic.hits / (double)ct.words;
                rate_interval(ic.hits, ct.words, h->cmp->opt.conf, &b->lo,
                              &b->hi);
                b->has_ci = 1;
                snprintf(notes[nb], sizeof notes[nb], "%llu hits",
                         (unsigned long long)ic.hits);
            } else {
                snprintf(notes[nb], sizeof notes[nb], "no words");
            }
            nb++;
        }
    for (size_t i = 0; i < nb; i++)
        bars[i].note = notes[i];
    snprintf(id, sizeof id, "rates-%zu", g);
    snprintf(title, sizeof title, "%s: hits per 1,000 words by cohort, with "
             "%g%% exact intervals", name, 100 * h->cmp->opt.conf);
    /* On a phone the charts scroll sideways in their box rather than
     * shrink their text below 11 px (the stylesheet sets a minimum width). */
    fputs("<div class=\"charts\">\n<div class=\"chartbox\" tabindex=\"0\" "
          "role=\"group\" aria-label=\"rates chart (scrolls sideways)\">\n", f);
    svg_bars(f, id, title, "hits per 1,000 words", bars, nb);
    fputs("</div>\n", f);

    /* Rate ratios against the reference. */
    size_t nr = 0, rcap = 0;
    struct svg_forest_row *rows = NULL;
    char (*texts)[200] = NULL;
    size_t tcap = 0;
    char (*labels)[200] = NULL;
    size_t lcap = 0;
    for (size_t c = 0; c < tally_ncohort_cols(t); c++) {
        size_t ref = h->cmp->reference[c];
        if (ref == SIZE_MAX)
            continue;
        for (size_t k = 0; k < tally_ncohorts(t, c); k++) {
            const struct comparison *cm = compare_find(h->cmp, c, k, item);
            if (!cm || !html_chart_cohort(h, c, k))
                continue;
            grow(&rows, &rcap, nr + 1, sizeof *rows);
            grow(&texts, &tcap, nr + 1, sizeof *texts);
            grow(&labels, &lcap, nr + 1, sizeof *labels);
            struct svg_forest_row *r = &rows[nr];
            const struct stats_cluster *s = &cm->cluster;
            memset(r, 0, sizeof *r);
            r->group = h->cols->v[c];
            snprintf(labels[nr], sizeof labels[nr], "%s vs %s",
                     tally_cohort_name(t, c, k), tally_cohort_name(t, c, ref));
            r->has_est = !(s->flags & (STATS_NA_EST | STATS_INF_EST)) &&
                         s->rr > 0;
            r->est = s->rr;
            r->has_ci = r->has_est && !(s->flags & STATS_NA_CI);
            r->lo = s->lo;
            r->hi = s->hi;
            r->hi_inf = (s->flags & STATS_INF_HI) != 0;
            r->significant = compare_significant(h->cmp, cm);
            html_ratio_text(texts[nr], sizeof texts[nr], h->cmp, cm);
            if (r->has_ci) {
                size_t l = strlen(texts[nr]);
                if (cm->q < 0.001)
                    snprintf(texts[nr] + l, sizeof texts[nr] - l, " q<0.001");
                else
                    snprintf(texts[nr] + l, sizeof texts[nr] - l, " q=%.2g",
                             cm->q);
            }
            nr++;
        }
    }
    for (size_t i = 0; i < nr; i++) {
        rows[i].label = labels[i];
        rows[i].text = texts[i];
    }
    snprintf(id, sizeof id, "forest-%zu", g);
    snprintf(title, sizeof title, "%s: rate ratio of each cohort against "
             "its reference, resident-level cluster-robust %g%% intervals, "
             "log scale", name, 100 * h->cmp->opt.conf);
    if (nr) {
        /* A phone gets the narrow drawing (report_svg.h) instead. */
        fputs("<div class=\"wide-only\">\n", f);
        svg_forest(f, id, title, rows, nr);
        fputs("</div>\n<div class=\"narrow-only\">\n", f);
        snprintf(id, sizeof id, "forest-n-%zu", g);
        svg_forest_narrow(f, id, title, rows, nr);
        fputs("</div>\n", f);
    } else
        fputs("<p class=\"note\">No comparison: fewer than two cohorts are "
              "shown.</p>\n", f);
    fputs("</div>\n</article>\n", f);
    free(bars);
    free(notes);
    free(rows);
    free(texts);
    free(labels);
}

static void section_categories(const struct html_report *h)
{
    FILE *f = h->f;
    fputs("<section id=\"categories\" aria-labelledby=\"h-categories\">\n"
          "<h2 id=\"h-categories\">Rates and rate ratios by category</h2>\n",
          f);
    fprintf(f, "<p class=\"note\">Bars: hits per 1,000 words in each cohort "
               "with the exact %g%% interval (whiskers). Squares: the rate "
               "ratio of a cohort against its column's reference with the "
               "resident-level cluster-robust interval, on a log scale; the "
               "dashed line is 1 (no difference). A filled square and a "
               "&ldquo;*&rdquo; mark an interval that excludes 1 with "
               "q &lt; %g.</p>\n", 100 * h->cmp->opt.conf, compare_alpha(h->cmp));
    for (size_t g = 0; g < h->set->ncategories; g++)
        category_charts(h, g);
    fputs("</section>\n", f);
}

/* ============================================================ term table */

/* One table per cohort column, kept to a width that fits 1366 px: a
 * cohort's hits and rate share a cell ("12 (0.53)"), negated hits ride in
 * the term's cell, and a comparison is a ratio column and a q column. */
static void term_table(const struct html_report *h, size_t c)
{
    FILE *f = h->f;
    const tally *t = h->t;
    const struct lexicon_set *set = h->set;
    size_t nk = tally_ncohorts(t, c), ref = h->cmp->reference[c];
    fprintf(f, "<div class=\"wrap\"><table class=\"sortable terms\" "
               "id=\"terms-%zu\"><caption>", c);
    html_str(f, h->cols->v[c]);
    fputs(": hits (per 1,000 words) in each cohort, and the rate ratio "
          "against the reference, for terms with at least one hit"
          "</caption><thead><tr>", f);
    html_th_str(f, NULL, "category");
    html_th_str(f, NULL, "term (negated hits)");
    struct buf b;
    buf_init(&b);
    for (size_t k = 0; k < nk; k++) {
        if (!compare_cohort_shown(h->cmp, c, k))
            continue;
        buf_clear(&b);
        buf_printf(&b, "%s: hits (per 1,000)", tally_cohort_name(t, c, k));
        html_th_str(f, "n", buf_cstr(&b));
    }
    for (size_t k = 0; k < nk; k++) {
        if (k == ref || ref == SIZE_MAX || !compare_cohort_shown(h->cmp, c, k))
            continue;
        buf_clear(&b);
        buf_printf(&b, "%s vs %s: ratio (interval)", tally_cohort_name(t, c, k),
                   tally_cohort_name(t, c, ref));
        html_th_str(f, "n", buf_cstr(&b));
        html_th_str(f, "n", "q");
    }
    fputs("</tr></thead><tbody>\n", f);
    for (size_t e = 0; e < set->nentries; e++) {
        uint64_t any = 0, neg = 0;
        for (size_t k = 0; k < nk; k++)
            if (compare_cohort_shown(h->cmp, c, k)) {
                struct item_counts ic = tally_item(t, c, k, e);
                any += ic.hits + ic.negated;
                neg += ic.negated;
            }
        if (!any)
            continue;
        fputs("<tr><td>", f);
        html_category(f, set, set->entries[e].category, 0);
        fputs("</td><td>", f);
        html_str(f, lex_entry_name(&set->entries[e]));
        if (neg)
            fprintf(f, " <small class=\"muted\">(%llu negated)</small>",
                    (unsigned long long)neg);
        fputs("</td>", f);
        for (size_t k = 0; k < nk; k++) {
            if (!compare_cohort_shown(h->cmp, c, k))
                continue;
            struct cohort_totals ct;
            tally_cohort_totals(t, c, k, &ct);
            struct item_counts ic = tally_item(t, c, k, e);
            fprintf(f, "<td class=\"n\" data-v=\"%llu\">%llu",
                    (unsigned long long)ic.hits, (unsigned long long)ic.hits);
            if (ct.words)
                fprintf(f, " <span class=\"rate\">(%.3f)</span></td>",
                        1000.0 * (double)ic.hits / (double)ct.words);
            else
                fputs(" (no words)</td>", f);
        }
        for (size_t k = 0; k < nk; k++) {
            if (k == ref || ref == SIZE_MAX ||
                !compare_cohort_shown(h->cmp, c, k))
                continue;
            const struct comparison *cm = compare_find(h->cmp, c, k, e);
            char rt[200];
            if (!cm) {
                fputs("<td></td><td></td>", f);
                continue;
            }
            html_ratio_text(rt, sizeof rt, h->cmp, cm);
            int est = !(cm->cluster.flags & (STATS_NA_EST | STATS_INF_EST));
            if (est)
                fprintf(f, "<td class=\"n\" data-v=\"%.6g\">", cm->cluster.rr);
            else
                fputs("<td class=\"n\" data-v=\"\">", f);
            html_str(f, rt);
            fputs("</td>", f);
            if (cm->cluster.flags & STATS_NA_P)
                fputs("<td class=\"n\" data-v=\"\"></td>", f);
            else
                html_td_num(f, -1, cm->q);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
    buf_fini(&b);
}

static void section_terms(const struct html_report *h)
{
    FILE *f = h->f;
    fputs("<section id=\"terms\" aria-labelledby=\"h-terms\">\n"
          "<h2 id=\"h-terms\">Terms</h2>\n<p class=\"note noprint\">Select a "
          "column heading to sort by it (needs JavaScript; without it the "
          "table is in lexicon order).</p>\n", f);
    for (size_t c = 0; c < tally_ncohort_cols(h->t); c++)
        term_table(h, c);
    fputs("</section>\n", f);
}

/* =============================================================== methods */

/* The categories with their full descriptions, where the source-quality
 * tags live: a reader of the findings never needs them, a reviewer of the
 * lexicon does. */
static void methods_categories(const struct html_report *h)
{
    FILE *f = h->f;
    const struct lexicon_set *set = h->set;
    fputs("<h3>Categories and their sources</h3>\n<p class=\"note\">In the "
          "descriptions, <strong>[S]</strong> marks a word list or claim "
          "taken from a secondary source (a review or summary of the cited "
          "study, not the study itself) and <strong>[U]</strong> one that "
          "could not be verified in any source; both are weaker grounds than "
          "an entry read in the primary paper. The lexicon files list the "
          "source of every entry.</p>\n<dl class=\"cats\">\n", f);
    for (size_t g = 0; g < set->ncategories; g++) {
        const struct lex_category *cat = &set->categories[g];
        fputs("<dt>", f);
        html_category(f, set, g, 1);
        fputs("</dt><dd>", f);
        html_str(f, cat->description[0] ? cat->description
                                        : cat->summary[0] ? cat->summary
                                                          : "(no description)");
        fputs("</dd>\n", f);
    }
    fputs("</dl>\n", f);
}

static void section_methods(const struct html_report *h)
{
    const struct stats_robust *rb = &h->cmp->opt.robust;
    const char *var =
        rb->type == STATS_CR1
            ? "with the CR1 factor G/(G&minus;1) and a t(G&minus;1) critical "
              "value (Cameron &amp; Miller 2015)"
        : rb->df == STATS_DF_CLUSTERS
            ? "with the bias-reduced CR2 correction (Bell &amp; McCaffrey "
              "2002) and a t(G&minus;2) critical value"
            : "with the bias-reduced CR2 correction and Bell&ndash;McCaffrey "
              "(Satterthwaite) degrees of freedom (Bell &amp; McCaffrey 2002; "
              "Pustejovsky &amp; Tipton 2018; t(G&minus;2) when there are "
              "fewer than 2 hits per resident), which kept the test's level "
              "with 5&ndash;10 residents per cohort";
    fprintf(h->f,
        "<section id=\"methods\" aria-labelledby=\"h-methods\">\n"
        "<h2 id=\"h-methods\">Methods</h2>\n<ul>\n"
        "<li>A <em>hit</em> is a lexicon entry found in a comment. A hit in "
        "a negated clause (&ldquo;is not bossy&rdquo;) is <em>negated</em>: "
        "it is listed with the excerpts and not counted in rates, except in "
        "categories whose remark is itself a lack (&ldquo;not "
        "confident&rdquo;), which count it.</li>\n"
        "<li>A hit about someone other than the resident (a patient, a "
        "family member, a colleague) or inside a quotation is <em>set "
        "aside</em>: it is in <code>excerpts.csv</code> with its reason and "
        "in the counts under &ldquo;What was audited&rdquo;, never in the "
        "rates.</li>\n"
        "<li>Rates are hits per 1,000 words of comment text in the cohort. "
        "The interval is the exact (Clopper&ndash;Pearson) binomial "
        "interval for the share of words that are hits, which for rare "
        "events equals the exact Poisson interval.</li>\n"
        "<li>Rate ratios compare each cohort with its column's reference "
        "(the cohort with most residents, or <code>--reference</code>; "
        "&ldquo;(blank)&rdquo; is not a group and is compared only on "
        "request). The interval shown is the cluster-robust one: a Poisson "
        "model with a words offset, sandwich variance clustered by resident "
        "%s, because evaluations of one resident are not independent. When "
        "a cohort has no hit of a category, a robust score test gives its "
        "p-value. The exact conditional (Poisson) interval, prevalence "
        "differences with Newcombe's interval and Fisher's test are in "
        "<code>comparisons.csv</code>.</li>\n"
        "<li>q-values: Benjamini&ndash;Hochberg over the categories of one "
        "comparison (cohort against reference); a category's terms are "
        "tested, within the category, only when it is a finding.</li>\n"
        "<li>The detectable rate ratio (&ldquo;no finding at this "
        "size&rdquo;) is the ratio the robust test finds with 80%% power at "
        "the run's level, exp((t<sub>1&minus;&alpha;/2</sub> + "
        "t<sub>0.8</sub>) &times; SE), from each category's null standard "
        "error of the log rate ratio; it is a planning figure, not a "
        "test.</li>\n"
        "<li>Charts leave out the &ldquo;(blank)&rdquo; cohort (no value in "
        "the cohort column); the tables and CSV files keep it.</li>\n"
        "<li>Cohorts with fewer than %u residents are suppressed: they "
        "appear in no table, chart or filter; when one is alone in its "
        "column, another is hidden with it, and <code>rates.csv</code> "
        "publishes only their combination.</li>\n</ul>\n",
        var, h->cmp->opt.min_residents);
    methods_categories(h);
    fputs("</section>\n", h->f);
}

/* ================================================================ the page */

int report_html_write(FILE *f, const struct run_info *ri, const tally *t,
                      const struct lexicon_set *set,
                      const struct strvec *cohort_cols,
                      const struct comparisons *cmp,
                      const char *excerpts_path, struct excerpt_index *xi,
                      struct diag *err)
{
    struct html_report h = {f, ri, t, set, cohort_cols, cmp, excerpts_path,
                            xi};
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
          f);
    html_head_csp(f, report_html_script);
    fputs("<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<title>evalbias audit report</title>\n<style>\n", f);
    fputs(report_html_css, f);
    fputs("</style>\n</head>\n<body>\n<header>\n"
          "<h1>Gendered language in evaluation comments</h1>\n", f);
    fprintf(f, "<p class=\"muted\">evalbias %s audit report", ri->version);
    if (ri->period) {
        fputs(", cycle ", f);
        html_str(f, ri->period);
    }
    fputs(". Confidential: it quotes personnel evaluations.</p>\n", f);
    /* The answer first; provenance and methods last. Printing leaves the
     * excerpts out unless the reader ticks the box (CSS :has, no script). */
    fputs("<nav aria-label=\"Sections\"><ul>"
          "<li><a href=\"#findings\">Findings</a></li>"
          "<li><a href=\"#overview\">Overview</a></li>"
          "<li><a href=\"#categories\">By category</a></li>"
          "<li><a href=\"#terms\">Terms</a></li>", f);
    if (ri->verdicts_dir)
        fputs("<li><a href=\"#committee\">Committee review</a></li>", f);
    fputs("<li><a href=\"#excerpts\">Excerpts</a></li>"
          "<li><a href=\"#audited\">What was audited</a></li>"
          "<li><a href=\"#methods\">Methods</a></li></ul></nav>\n"
          "<p class=\"printopt\"><label><input type=\"checkbox\" "
          "id=\"print-x\"> include excerpts when printing</label> <label>"
          "<input type=\"checkbox\" id=\"print-t\"> include term tables "
          "when printing</label></p>\n"
          "<p class=\"printonly note\">The term tables and the excerpts are "
          "printed only when asked for (the boxes at the top of the page); "
          "<code>rates.csv</code> and <code>excerpts.csv</code> hold them.</p>\n"
          "</header>\n<main>\n", f);
    html_findings_section(&h);
    html_overview_section(&h);
    section_categories(&h);
    section_terms(&h);
    int rc = 0;
    if (ri->verdicts_dir) /* audit --verdicts DIR: the committee's review */
        rc = verdicts_report_section(f, ri->verdicts_dir, err);
    if (rc == 0)
        rc = html_excerpts_section(&h, err);
    section_audited(&h);
    section_methods(&h);
    fputs("</main>\n<script>", f);
    fputs(report_html_script, f);
    fputs("</script>\n</body>\n</html>\n", f);
    return rc;
}
