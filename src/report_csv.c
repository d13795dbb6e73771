/* report_csv.c - rates.csv and excerpts.csv (see report.h). */
#include "report.h"
#include "suppress.h"

#include <string.h>

/* Cells are built in a small buffer on the stack and written with one
 * fwrite per row (or per 4 KiB), not one stdio call per cell, separator and
 * quoted run: each of those locks the stream, and excerpts.csv has a row per
 * hit. A local buffer, not a static one, so rows may be written from any
 * thread. */
struct rowbuf {
    FILE *f;
    size_t n;
    char b[4096];
};

static void rb_flush(struct rowbuf *w)
{
    if (w->n)
        fwrite(w->b, 1, w->n, w->f);
    w->n = 0;
}

static void rb_put(struct rowbuf *w, const char *s, size_t n)
{
    if (n > sizeof w->b - w->n) {
        rb_flush(w);
        if (n > sizeof w->b) {
            fwrite(s, 1, n, w->f);
            return;
        }
    }
    memcpy(w->b + w->n, s, n);
    w->n += n;
}

static void rb_putc(struct rowbuf *w, char c)
{
    if (w->n == sizeof w->b)
        rb_flush(w);
    w->b[w->n++] = c;
}

static void rb_num(struct rowbuf *w, size_t v)
{
    char d[24];
    size_t i = sizeof d;
    do
        d[--i] = (char)('0' + v % 10);
    while (v /= 10);
    rb_put(w, d + i, sizeof d - i);
}

/* Bytes that make a cell quoted: , " CR LF. */
static const unsigned char needs_quote[256] = {
    [','] = 1, ['"'] = 1, ['\n'] = 1, ['\r'] = 1,
};

static int must_quote(const char *s, size_t n)
{
    if (n < 64) { /* short cells (ids, names, terms): one pass, no calls */
        for (size_t i = 0; i < n; i++)
            if (needs_quote[(unsigned char)s[i]])
                return 1;
        return 0;
    }
    return memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\n', n) ||
           memchr(s, '\r', n);
}

static void rb_cell(struct rowbuf *w, const char *s, size_t n)
{
    /* A formula guard for = + - @ (and, as strchr had it, a NUL). */
    unsigned char c0 = n ? (unsigned char)s[0] : 1;
    int guard = c0 == '=' || c0 == '+' || c0 == '-' || c0 == '@' || c0 == 0;
    if (!guard && !must_quote(s, n)) {
        rb_put(w, s, n);
        return;
    }
    rb_putc(w, '"');
    if (guard)
        rb_putc(w, '\'');
    /* Runs between double quotes; a quote is doubled by starting the next
     * run at it. */
    const char *p = s, *end = s + n, *q;
    while ((q = memchr(p, '"', (size_t)(end - p))) != NULL) {
        rb_put(w, p, (size_t)(q - p) + 1);
        p = q;                        /* written again: "" */
        rb_putc(w, '"');
        p++;
    }
    rb_put(w, p, (size_t)(end - p));
    rb_putc(w, '"');
}

void report_cell(FILE *f, const char *s, size_t n)
{
    struct rowbuf w;
    w.f = f;
    w.n = 0;
    rb_cell(&w, s, n);
    rb_flush(&w);
}

void report_cell_str(FILE *f, const char *s)
{
    report_cell(f, s, strlen(s));
}

void report_excerpts_begin(FILE *f)
{
    fputs("evaluation_id,resident,column,lexicon,category,term,matched_text,"
          "negated,start,end,excerpt\r\n", f);
}

void report_excerpts_row(FILE *f, const struct excerpt_row *r)
{
    struct rowbuf w;
    w.f = f;
    w.n = 0;
    const char *cells[6] = {r->evaluation_id, r->resident, r->column,
                            r->lexicon, r->category, r->term};
    for (size_t i = 0; i < 6; i++) {
        rb_cell(&w, cells[i], strlen(cells[i]));
        rb_putc(&w, ',');
    }
    rb_cell(&w, r->matched_text, r->matched_len);
    if (r->negated)
        rb_put(&w, ",true,", 6);
    else
        rb_put(&w, ",false,", 7);
    rb_num(&w, r->start);
    rb_putc(&w, ',');
    rb_num(&w, r->end);
    rb_putc(&w, ',');
    rb_cell(&w, r->excerpt, strlen(r->excerpt));
    rb_put(&w, "\r\n", 2);
    rb_flush(&w);
}

static void rates_row(FILE *f, const char *col, const char *cohort,
                      const char *lexicon, const char *category,
                      const char *term, const struct cohort_totals *ct,
                      struct item_counts ic)
{
    report_cell_str(f, col);
    fputc(',', f);
    report_cell_str(f, cohort);
    fputc(',', f);
    report_cell_str(f, lexicon);
    fputc(',', f);
    report_cell_str(f, category);
    fputc(',', f);
    report_cell_str(f, term);
    fprintf(f, ",%llu,%llu,%llu,%llu,%llu,%llu,",
            (unsigned long long)ct->evaluations,
            (unsigned long long)ct->residents, (unsigned long long)ct->words,
            (unsigned long long)ic.hits, (unsigned long long)ic.negated,
            (unsigned long long)ic.evals_with_hit);
    /* A cohort with no words has no rate: the cell stays empty rather than
     * showing a division by zero. */
    if (ct->words)
        fprintf(f, "%.4f", 1000.0 * (double)ic.hits / (double)ct->words);
    fputs("\r\n", f);
}

void report_rates_write(FILE *f, const tally *t,
                        const struct lexicon_set *set,
                        const struct strvec *cohort_cols,
                        const struct comparisons *cmp)
{
    fputs("cohort_column,cohort,lexicon,category,term,evaluations,residents,"
          "words,hits,negated_hits,evaluations_with_hit,rate_per_1000_words\r\n",
          f);
    for (size_t c = 0; c < tally_ncohort_cols(t); c++) {
        /* The shown cohorts, then (k == n) the hidden ones as their
         * combination (suppress.h): every evaluation is in one row. */
        size_t n = tally_ncohorts(t, c), nhidden = 0;
        for (size_t k = 0; k < n; k++)
            nhidden += !compare_cohort_shown(cmp, c, k);
        for (size_t k = 0; k <= n; k++) {
            if (k < n ? !compare_cohort_shown(cmp, c, k) : !nhidden)
                continue;
            struct cohort_totals ct;
            if (k < n)
                tally_cohort_totals(t, c, k, &ct);
            else
                suppress_combined_totals(t, c, cmp->shown[c], &ct);
            const char *cohort = k < n ? tally_cohort_name(t, c, k)
                                       : SUPPRESS_COMBINED;
            for (size_t g = 0; g < set->ncategories; g++) {
                const struct lex_category *cat = &set->categories[g];
                const char *lex = set->lexicons[cat->lexicon].name;
                size_t gi = set->nentries + g;
                rates_row(f, cohort_cols->v[c], cohort, lex, cat->name, "*",
                          &ct, k < n ? tally_item(t, c, k, gi)
                                     : suppress_combined_item(t, c,
                                                              cmp->shown[c], gi));
                for (size_t e = 0; e < set->nentries; e++)
                    if (set->entries[e].category == g &&
                        compare_item_written(t, set, c, e))
                        rates_row(f, cohort_cols->v[c], cohort, lex,
                                  cat->name, set->entries[e].term, &ct,
                                  k < n ? tally_item(t, c, k, e)
                                        : suppress_combined_item(
                                              t, c, cmp->shown[c], e));
            }
        }
    }
}
