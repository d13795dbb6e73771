/* trend_html.c - trend.html: the cycles side by side (see trend.h). One
 * self-contained page, no script, no network: what changed first, then one
 * small-multiple chart per category and cohort column (rate per 1,000
 * words over the cycles, one line per cohort), then the tests as a table,
 * then what was compared and how. Charts are 320 units wide with 12-unit
 * text and are never drawn wider than 1.4 times that, nor narrower than
 * 300 px, so their text stays between 11 and 17 px. Each chart's <desc>
 * states every value. */
#include "trend.h"

#include <math.h>
#include <string.h>

#include "html.h"
#include "stats.h"

static const char css[] =
    ":root{--fg:#1b1b1b;--muted:#4d4d4d;--rule:#c8c8c8;--accent:#1d4f7c}\n"
    "*{box-sizing:border-box}body{margin:0;color:var(--fg);background:#fff;"
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,"
    "sans-serif}header,main{max-width:1100px;margin:0 auto;padding:0 1rem}\n"
    "header{border-bottom:3px solid var(--accent);padding-top:1rem}"
    "h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.3rem;margin-top:1.6rem;"
    "border-bottom:1px solid var(--rule)}h3{font-size:1.02rem;margin:.2rem 0}\n"
    ".muted,.note{color:var(--muted)}.note{font-size:.9rem}a{color:var(--accent)}\n"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));"
    "gap:.8rem}.card{border:1px solid var(--rule);border-radius:4px;"
    "padding:.4rem .6rem}.card p{margin:.2rem 0;font-size:.9rem}\n"
    "svg.sm{width:100%;max-width:448px;display:block}"
    "svg text{font:12px system-ui,sans-serif;fill:#1b1b1b}svg text.ax{fill:#4d4d4d}"
    "svg .grid{stroke:#ddd}svg .ln{fill:none;stroke:#111;stroke-width:1.6}"
    "svg .mk{fill:#fff;stroke:#111;stroke-width:1.6}\n"
    "svg .d1{stroke-dasharray:5 3}svg .d2{stroke-dasharray:1.5 2.5}"
    "svg .d3{stroke-dasharray:8 3 2 3}\n"
    "table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.9rem}"
    "caption{text-align:left;font-weight:600}th,td{border-bottom:1px solid "
    "var(--rule);padding:.2rem .5rem;text-align:left;vertical-align:top}"
    "thead th{border-bottom:2px solid var(--fg);background:#f2f2f2}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".wrap{overflow-x:auto}.sig{font-weight:700}\n"
    "@media (max-width:600px){header,main{padding:0 .6rem}h1{font-size:1.3rem}}\n"
    "@media print{body{font-size:10pt}.card{break-inside:avoid}"
    "header,main{max-width:none}thead th{background:none}}\n";

/* The category as a reader sees it: the last cycle's label, else its id. */
static void cat_name(char *s, size_t n, const struct trend *tr,
                     const struct trend_item *it)
{
    const struct lexicon_set *set = tr->cycles[tr->ncycles - 1].part.set;
    for (size_t g = 0; g < set->ncategories; g++)
        if (strcmp(set->categories[g].name, it->category) == 0 &&
            strcmp(set->lexicons[set->categories[g].lexicon].name,
                   it->lexicon) == 0 && *set->categories[g].label) {
            snprintf(s, n, "%s", set->categories[g].label);
            return;
        }
    snprintf(s, n, "%s / %s", it->lexicon, it->category);
}

static void change_text(char *s, size_t n, const struct trend *tr,
                        const struct trend_test *t)
{
    const struct trend_change *c = &t->ch;
    if (c->flags & STATS_NA_EST) {
        snprintf(s, n, "not estimable (%s)", t->note);
        return;
    }
    if (c->flags & STATS_NA_CI) {
        snprintf(s, n, "%.2f (no interval: %s)", c->rrr, t->note);
        return;
    }
    char hi[32], q[32];
    if (c->flags & STATS_INF_HI)
        snprintf(hi, sizeof hi, "inf");
    else
        snprintf(hi, sizeof hi, "%.2f", c->hi);
    if (t->q < 0.001)
        snprintf(q, sizeof q, "q < 0.001");
    else
        snprintf(q, sizeof q, "q = %.2g", t->q);
    snprintf(s, n, "%.2f (%.2f to %s, %s)%s", c->rrr, c->lo, hi, q,
             trend_test_significant(tr, t) ? " *" : "");
}

/* ----------------------------------------------------- a small multiple */

#define SW 320.0
#define SL 44.0       /* y axis labels */
#define SR 14.0
#define ST 10.0
#define SB 118.0      /* bottom of the plot */

static void marker(FILE *f, int shape, double x, double y)
{
    switch (shape % 4) {
    case 0:
        fprintf(f, "<circle class=\"mk\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>", x, y);
        break;
    case 1:
        fprintf(f, "<rect class=\"mk\" x=\"%.1f\" y=\"%.1f\" width=\"8\" "
                   "height=\"8\"/>", x - 4, y - 4);
        break;
    case 2:
        fprintf(f, "<path class=\"mk\" d=\"M%.1f %.1fl5 8.5h-10z\"/>", x,
                y - 5.5);
        break;
    default:
        fprintf(f, "<path class=\"mk\" d=\"M%.1f %.1fl5 5 -5 5 -5 -5z\"/>", x,
                y - 5);
    }
}

static void small_multiple(FILE *f, const struct trend *tr, size_t c,
                           const struct trend_item *it, const char *name,
                           size_t id)
{
    const struct trend_column *tc = &tr->cols[c];
    size_t nc = tr->ncycles, nk = 0;
    double max = 0;
    for (size_t j = 0; j < tc->cohorts.n; j++) {
        if (strcmp(tc->cohorts.v[j], TALLY_BLANK) == 0)
            continue;
        nk++;
        for (size_t i = 0; i < nc; i++) {
            struct trend_point pt;
            if (trend_point_get(tr, i, c, tc->cohorts.v[j], it, &pt) &&
                pt.words && pt.rate > max)
                max = pt.rate;
        }
    }
    double step = max > 0 ? pow(10, floor(log10(max / 2))) : 1;
    while (max / step > 4)
        step *= max / step > 8 ? 5 : 2;
    double top = max > 0 ? step * ceil(max / step) : 1;
    double legend_rows = (double)((nk + 2) / 3);
    double h = SB + 24 + 18 * legend_rows;
    fprintf(f, "<svg class=\"sm\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
               "aria-labelledby=\"sm%zu-t sm%zu-d\" xmlns=\"http://www.w3.org"
               "/2000/svg\"><title id=\"sm%zu-t\">", SW, h, id, id, id);
    html_str(f, name);
    fputs(": hits per 1,000 words by cycle, ", f);
    html_str(f, tc->name);
    fprintf(f, "</title>\n<desc id=\"sm%zu-d\">", id);
    for (size_t j = 0, first = 1; j < tc->cohorts.n; j++) {
        if (strcmp(tc->cohorts.v[j], TALLY_BLANK) == 0)
            continue;
        fputs(first ? "" : "; ", f);
        first = 0;
        html_str(f, tc->cohorts.v[j]);
        fputs(":", f);
        for (size_t i = 0; i < nc; i++) {
            struct trend_point pt;
            fputs(i ? ", " : " ", f);
            html_str(f, tr->cycles[i].label);
            if (trend_point_get(tr, i, c, tc->cohorts.v[j], it, &pt) &&
                pt.words)
                fprintf(f, " %.3f", pt.rate);
            else
                fputs(" not shown", f);
        }
    }
    fputs(".</desc>\n", f);
    double pw = SW - SL - SR;
#define X(i) (nc > 1 ? SL + 16 + (pw - 32) * (double)(i) / (double)(nc - 1) \
                     : SL + pw / 2)
#define Y(v) (SB - (SB - ST) * (v) / top)
    for (double v = 0; v <= top + step / 2; v += step) {
        fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                   "y2=\"%.1f\"/><text class=\"ax\" x=\"%.1f\" y=\"%.1f\" "
                   "text-anchor=\"end\">%.3g</text>\n", SL, Y(v), SW - SR, Y(v),
                SL - 5, Y(v) + 4, v);
    }
    for (size_t i = 0; i < nc; i++) {
        fprintf(f, "<text class=\"ax\" x=\"%.1f\" y=\"%.1f\" "
                   "text-anchor=\"middle\">", X(i), SB + 16);
        html_str(f, tr->cycles[i].label);
        fputs("</text>\n", f);
    }
    size_t shape = 0;
    double lx = 4, ly = SB + 38;
    for (size_t j = 0; j < tc->cohorts.n; j++) {
        if (strcmp(tc->cohorts.v[j], TALLY_BLANK) == 0)
            continue;
        /* The line joins consecutive shown cycles only. */
        double px = 0, py = 0;
        int have = 0;
        for (size_t i = 0; i < nc; i++) {
            struct trend_point pt;
            if (!trend_point_get(tr, i, c, tc->cohorts.v[j], it, &pt) ||
                !pt.words) {
                have = 0;
                continue;
            }
            double x = X(i), y = Y(pt.rate);
            if (have)
                fprintf(f, "<line class=\"ln d%zu\" x1=\"%.1f\" y1=\"%.1f\" "
                           "x2=\"%.1f\" y2=\"%.1f\"/>\n", shape % 4, px, py, x,
                        y);
            px = x;
            py = y;
            have = 1;
        }
        for (size_t i = 0; i < nc; i++) {
            struct trend_point pt;
            if (trend_point_get(tr, i, c, tc->cohorts.v[j], it, &pt) &&
                pt.words)
                marker(f, (int)shape, X(i), Y(pt.rate));
        }
        /* Legend: the marker and the cohort, three to a row. */
        fprintf(f, "<line class=\"ln d%zu\" x1=\"%.1f\" y1=\"%.1f\" "
                   "x2=\"%.1f\" y2=\"%.1f\"/>", shape % 4, lx, ly - 4,
                lx + 22, ly - 4);
        marker(f, (int)shape, lx + 11, ly - 4);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", lx + 27, ly);
        html_str(f, tc->cohorts.v[j]);
        fputs("</text>\n", f);
        shape++;
        if (shape % 3 == 0) {
            lx = 4;
            ly += 18;
        } else {
            lx += SW / 3;
        }
    }
#undef X
#undef Y
    fputs("</svg>\n", f);
}

/* ------------------------------------------------------------- the page */

static size_t count_findings(const struct trend *tr)
{
    size_t n = 0;
    for (size_t i = 0; i < tr->ntests; i++)
        n += trend_test_significant(tr, &tr->tests[i]) != 0;
    return n;
}

static void section_changes(FILE *f, const struct trend *tr)
{
    const char *first = tr->cycles[0].label;
    const char *last = tr->cycles[tr->ncycles - 1].label;
    fputs("<section id=\"changes\" aria-labelledby=\"h-changes\"><h2 "
          "id=\"h-changes\">What changed</h2>\n", f);
    if (tr->ncycles < 2) {
        fputs("<p>One cycle only: nothing to compare.</p></section>\n", f);
        return;
    }
    size_t n = count_findings(tr);
    fputs("<p><strong>", f);
    if (!n) {
        fputs("No category's gap between cohorts changed from ", f);
        html_str(f, first);
        fputs(" to ", f);
        html_str(f, last);
        fputs(" at this level.</strong>", f);
    } else {
        fprintf(f, "%zu change%s from ", n, n == 1 ? "" : "s");
        html_str(f, first);
        fputs(" to ", f);
        html_str(f, last);
        fputs(".</strong>", f);
    }
    fprintf(f, " A change is a category whose rate ratio between a cohort "
               "and the reference moved: the ratio of the last cycle's rate "
               "ratio to the first's has a %g%% interval that excludes 1 and "
               "a Benjamini&ndash;Hochberg q-value (over the categories) "
               "below %g.</p>\n", 100 * tr->opt.conf, 1 - tr->opt.conf);
    if (n) {
        fputs("<ul>\n", f);
        for (size_t i = 0; i < tr->ntests; i++) {
            const struct trend_test *t = &tr->tests[i];
            if (!trend_test_significant(tr, t))
                continue;
            char name[256], ct[200];
            cat_name(name, sizeof name, tr, &tr->cats[t->cat]);
            change_text(ct, sizeof ct, tr, t);
            struct trend_point a, b;
            trend_point_get(tr, 0, t->col, t->cohort, &tr->cats[t->cat], &a);
            trend_point_get(tr, tr->ncycles - 1, t->col, t->cohort,
                            &tr->cats[t->cat], &b);
            fputs("<li><strong>", f);
            html_str(f, name);
            fputs("</strong>, ", f);
            html_str(f, tr->cols[t->col].name);
            fputs(" ", f);
            html_str(f, t->cohort);
            fputs(" vs ", f);
            html_str(f, tr->cols[t->col].reference);
            fprintf(f, ": the rate ratio went from %.2f to %.2f; ratio of "
                       "rate ratios ", a.rr.rr, b.rr.rr);
            html_str(f, ct);
            fputs(".</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    fputs("</section>\n", f);
}

static void section_lexicons(FILE *f, const struct trend *tr)
{
    size_t partial = 0;
    for (size_t g = 0; g < tr->ncats; g++)
        partial += tr->cats[g].partial != 0;
    fputs("<p class=\"note\">", f);
    if (tr->lexicons_differ || tr->cats_dropped || tr->terms_dropped)
        fprintf(f, "<strong>The cycles were audited with different lexicon "
                   "versions.</strong> They are compared only on the entries "
                   "present in every cycle: %zu categories and %zu terms "
                   "(%zu categories and %zu terms of some cycle are left "
                   "out; %zu categories are totalled over their common terms "
                   "only, marked &dagger;, so their rates can differ from "
                   "that cycle's <code>rates.csv</code>).", tr->ncats,
                tr->nterms, tr->cats_dropped, tr->terms_dropped, partial);
    else
        fprintf(f, "Every cycle was audited with the same lexicons (%zu "
                   "categories, %zu terms); each cycle's rates are its "
                   "<code>rates.csv</code>'s.", tr->ncats, tr->nterms);
    fputs(tr->clusters_shared
              ? " Residents are matched across cycles (the same resident "
                "is one cluster in the test of change)."
              : " Residents could not be matched across cycles (no resident "
                "column, or different <code>--id-key</code> keys): each "
                "cycle's residents are separate clusters.", f);
    fputs("</p>\n", f);
}

static void section_column(FILE *f, const struct trend *tr, size_t c,
                           size_t *id)
{
    const struct trend_column *tc = &tr->cols[c];
    fprintf(f, "<section aria-labelledby=\"h-col-%zu\"><h2 id=\"h-col-%zu\">"
               "By category: ", c, c);
    html_str(f, tc->name);
    fputs("</h2>\n", f);
    if (tc->reference) {
        fputs("<p class=\"note\">Reference cohort: ", f);
        html_str(f, tc->reference);
        fputs(". Each chart: hits per 1,000 words by cycle. Lines join the "
              "cycles in which a cohort is shown; a cohort "
              "suppressed in a cycle (too few residents) has no point there."
              "</p>\n", f);
    }
    fputs("<div class=\"grid\">\n", f);
    for (size_t g = 0; g < tr->ncats; g++) {
        const struct trend_item *it = &tr->cats[g];
        char name[256];
        cat_name(name, sizeof name, tr, it);
        fputs("<div class=\"card\"><h3>", f);
        html_str(f, name);
        if (it->partial)
            fputs(" &dagger;", f);
        fputs("</h3>\n", f);
        small_multiple(f, tr, c, it, name, (*id)++);
        for (size_t i = 0; i < tr->ntests; i++) {
            const struct trend_test *t = &tr->tests[i];
            if (t->col != c || t->cat != g)
                continue;
            char ct[200];
            change_text(ct, sizeof ct, tr, t);
            fprintf(f, "<p%s>", trend_test_significant(tr, t) ? " class=\"sig\""
                                                              : "");
            html_str(f, t->cohort);
            fputs(" vs ", f);
            html_str(f, tc->reference);
            fputs(", change: ", f);
            html_str(f, ct);
            fputs("</p>\n", f);
        }
        fputs("</div>\n", f);
    }
    fputs("</div>\n</section>\n", f);
}

static void section_table(FILE *f, const struct trend *tr)
{
    if (!tr->ntests)
        return;
    fputs("<section aria-labelledby=\"h-tests\"><h2 id=\"h-tests\">Every test "
          "of change</h2>\n<div class=\"wrap\"><table><caption>Ratio of rate "
          "ratios, last cycle against first (resident-level interval), "
          "q-value; &ldquo;*&rdquo; marks a change</caption><thead><tr>"
          "<th scope=\"col\">category</th><th scope=\"col\">comparison</th>"
          "<th scope=\"col\" class=\"n\">ratio of rate ratios</th></tr>"
          "</thead><tbody>\n", f);
    for (size_t i = 0; i < tr->ntests; i++) {
        const struct trend_test *t = &tr->tests[i];
        char name[256], ct[200];
        cat_name(name, sizeof name, tr, &tr->cats[t->cat]);
        change_text(ct, sizeof ct, tr, t);
        fputs("<tr><td>", f);
        html_str(f, name);
        fputs("</td><td>", f);
        html_str(f, tr->cols[t->col].name);
        fputs(": ", f);
        html_str(f, t->cohort);
        fputs(" vs ", f);
        html_str(f, tr->cols[t->col].reference);
        fprintf(f, "</td><td class=\"n%s\">", trend_test_significant(tr, t)
                                                 ? " sig" : "");
        html_str(f, ct);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div></section>\n", f);
}

static void section_cycles(FILE *f, const struct trend *tr)
{
    fputs("<section aria-labelledby=\"h-cycles\"><h2 id=\"h-cycles\">Cycles "
          "and methods</h2>\n<div class=\"wrap\"><table><caption>The audits, "
          "in the order given</caption><thead><tr><th scope=\"col\">cycle"
          "</th><th scope=\"col\">tally file</th><th scope=\"col\">SHA-256"
          "</th><th scope=\"col\" class=\"n\">rows analysed</th></tr></thead>"
          "<tbody>\n", f);
    for (size_t i = 0; i < tr->ncycles; i++) {
        const struct tally_part *p = &tr->cycles[i].part;
        fputs("<tr><td>", f);
        html_str(f, tr->cycles[i].label);
        fputs("</td><td>", f);
        html_str(f, p->path);
        fputs("</td><td><code>", f);
        html_str(f, p->sha256);
        fprintf(f, "</code></td><td class=\"n\">%lu</td></tr>\n",
                p->ri.rows_analysed);
    }
    fputs("</tbody></table></div>\n", f);
    section_lexicons(f, tr);
    const char *var =
        tr->opt.robust.type == STATS_CR1
            ? "the CR1 factor G/(G&minus;1) and a t(G&minus;1) interval"
        : tr->opt.robust.df == STATS_DF_CLUSTERS
            ? "the bias-reduced CR2 variance and a t(G&minus;2) interval"
            : "the bias-reduced CR2 variance and a t interval on "
              "Bell&ndash;McCaffrey degrees of freedom (t(G&minus;2) below "
              "2 hits per resident), as the audits' comparisons";
    fprintf(f, "<ul class=\"note\"><li>Rates are hits per 1,000 words of "
               "each cycle's cohort, as in its <code>rates.csv</code>.</li>"
               "<li>The test of change compares the rate ratio of a cohort "
               "against the reference in the last cycle with the first: a "
               "Poisson model of the four groups with a words offset, its "
               "variance the cluster-robust sandwich clustered by resident "
               "across cycles with %s, at %g%%.</li><li>q-values: "
               "Benjamini&ndash;Hochberg over the categories of one "
               "comparison.</li><li>Each cycle suppresses cohorts with fewer "
               "than %u residents, as its audit does; a cohort is tested "
               "only when it is shown in the first and the last cycle%s."
               "</li></ul>\n</section>\n", var, 100 * tr->opt.conf,
            tr->opt.min_residents,
            tr->opt.compare_blank ? ""
                                  : "; &ldquo;(blank)&rdquo; is not a group "
                                    "and is not tested");
}

void trend_write_html(FILE *f, const struct trend *tr, const char *version)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
          f);
    /* No script at all: default-src 'none' forbids every script. */
    fputs("<meta http-equiv=\"Content-Security-Policy\" content=\""
          "default-src 'none'; style-src 'unsafe-inline'; form-action "
          "'none'; base-uri 'none'\">\n", f);
    fputs("<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<title>evalbias trend</title>\n<style>\n", f);
    fputs(css, f);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>Gendered language in "
          "evaluation comments, across cycles</h1>\n<p class=\"muted\">", f);
    fprintf(f, "evalbias %s trend of %zu cycles: ", version, tr->ncycles);
    for (size_t i = 0; i < tr->ncycles; i++) {
        fputs(i ? ", " : "", f);
        html_str(f, tr->cycles[i].label);
    }
    fputs(". Confidential: counts from personnel evaluations.</p>\n"
          "</header>\n<main>\n", f);
    section_changes(f, tr);
    section_lexicons(f, tr);
    size_t id = 0;
    for (size_t c = 0; c < tr->ncols; c++)
        section_column(f, tr, c, &id);
    section_table(f, tr);
    section_cycles(f, tr);
    fputs("</main>\n</body>\n</html>\n", f);
}
