/* report_csv.c - rates.csv and excerpts.csv (see report.h). */
#include "report.h"
#include "suppress.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Cells are built in a small buffer on the stack and written with one
 * fwrite per row (or per 4 KiB), not one stdio call per cell, separator and
 * quoted run: each of those locks the stream, and excerpts.csv has a row per
 * hit. A local buffer, not a static one, so rows may be written from any
 * thread. */
struct rowbuf {
    FILE *f;
    size_t n;
    size_t out;     /* bytes flushed */
    char b[4096];
};

static void rb_flush(struct rowbuf *w)
{
    if (w->n)
        fwrite(w->b, 1, w->n, w->f);
    w->out += w->n;
    w->n = 0;
}

static void rb_put(struct rowbuf *w, const char *s, size_t n)
{
    if (n > sizeof w->b - w->n) {
        rb_flush(w);
        if (n > sizeof w->b) {
            fwrite(s, 1, n, w->f);
            w->out += n;
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

/* Bytes that make a cell quoted: " CR LF and every list separator a
 * spreadsheet might use (, in most locales, ; where the decimal mark is a
 * comma, TAB when a file is pasted): an unquoted ; would split the cell, and
 * its second half could start a formula. */
static const unsigned char needs_quote[256] = {
    [','] = 1, ['"'] = 1, ['\n'] = 1, ['\r'] = 1, [';'] = 1, ['\t'] = 1,
};

/* Bytes a quoted cell's text cannot keep as they are: a quote (doubled),
 * and ; or TAB (a guard may follow them, see is_sep). */
static const unsigned char in_quotes[256] = {
    ['"'] = 1, [';'] = 1, ['\t'] = 1,
};

/* Offset of the first byte of s[0..n) that needs_quote (all: 0) or
 * in_quotes (all: 1) marks, or n. Sixteen bytes a step where SSE2 is (every
 * x86-64): one pass over an excerpt rather than six memchr or a loop per
 * byte, which cost most of a row's formatting. */
static size_t find_special(const char *s, size_t n, int all)
{
    size_t i = 0;
#ifdef __SSE2__
    if (n >= 16) {
        const __m128i q = _mm_set1_epi8('"'), sc = _mm_set1_epi8(';'),
                      tb = _mm_set1_epi8('\t'), cm = _mm_set1_epi8(','),
                      lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
        for (; i + 16 <= n; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, q),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, sc),
                                                  _mm_cmpeq_epi8(v, tb)));
            if (all)
                m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, cm),
                                                 _mm_or_si128(
                                                     _mm_cmpeq_epi8(v, lf),
                                                     _mm_cmpeq_epi8(v, cr))));
            int b = _mm_movemask_epi8(m);
            if (b)
                return i + (size_t)__builtin_ctz((unsigned)b);
        }
    }
#endif
    const unsigned char *t = all ? needs_quote : in_quotes;
    for (; i < n; i++)
        if (t[(unsigned char)s[i]])
            return i;
    return n;
}

int report_cell_guarded(const char *s, size_t n)
{
    /* Skip a run of apostrophes: "'=x" is guarded too (as "''=x"), so that
     * the reader can strip exactly one apostrophe from every cell of the form
     * '+ G ... and never touch a real leading apostrophe. */
    size_t i = 0;
    while (i < n && s[i] == '\'')
        i++;
    if (i == n)
        return 0;
    unsigned char c = (unsigned char)s[i];
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
           c == '\r' || c == 0;
}

size_t report_cell_unguard(const char *s, size_t n)
{
    return n >= 2 && s[0] == '\'' && report_cell_guarded(s + 1, n - 1);
}

/* A spreadsheet whose list separator is ; or TAB splits a row there even
 * inside our quotes (a quote in the middle of its field is plain text), so
 * what follows a ; or TAB inside a cell starts a field of its own: it gets
 * the same guard as a cell's start. */
static int is_sep(char c)
{
    return c == ';' || c == '\t';
}

/* Offset of the first ; or TAB in s[0..n), or n (memchr: cheaper than a
 * loop per byte even for short cells, measured). */
static size_t first_sep(const char *s, size_t n)
{
    const char *a = memchr(s, ';', n);
    const char *b = memchr(s, '\t', a ? (size_t)(a - s) : n);
    return b ? (size_t)(b - s) : a ? (size_t)(a - s) : n;
}

size_t report_cell_unguard_all(char *s, size_t n)
{
    size_t drop = report_cell_unguard(s, n), o = 0, i = drop;
    /* Up to the first separator nothing moves unless a guard was dropped:
     * most cells have none, and are only searched (memchr, not a loop per
     * byte: every excerpt read back passes here). */
    if (!drop) {
        i = first_sep(s, n);
        o = i;
    }
    for (; i < n; i++) {
        s[o++] = s[i];
        if (is_sep(s[i]) && i + 2 < n + 1 && i + 1 < n && s[i + 1] == '\'' &&
            report_cell_guarded(s + i + 2, n - i - 2))
            i++; /* the guard's apostrophe */
    }
    if (o < n)
        s[o] = '\0';
    return o;
}

/* The offset of the first byte needs_quote marks in the n bytes at d, or
 * n, where d is followed by at least 15 more readable bytes (the row
 * buffer's): 16 bytes a step, the last step's bytes past n masked off, so
 * a short cell takes one step rather than a loop per byte. */
#ifdef __SSE2__
static size_t find_quote_padded(const char *d, size_t n)
{
    const __m128i q = _mm_set1_epi8('"'), sc = _mm_set1_epi8(';'),
                  tb = _mm_set1_epi8('\t'), cm = _mm_set1_epi8(','),
                  lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (size_t i = 0; i < n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
        __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, q),
                         _mm_or_si128(_mm_cmpeq_epi8(v, sc),
                                      _mm_cmpeq_epi8(v, tb))),
            _mm_or_si128(_mm_cmpeq_epi8(v, cm),
                         _mm_or_si128(_mm_cmpeq_epi8(v, lf),
                                      _mm_cmpeq_epi8(v, cr))));
        unsigned b = (unsigned)_mm_movemask_epi8(m);
        if (n - i < 16)
            b &= (1u << (n - i)) - 1;
        if (b)
            return i + (size_t)__builtin_ctz(b);
    }
    return n;
}
#endif

/* Write cell s[0..n); returns 1 when it went out as it is (no quotes, no
 * guard), else 0. */
static int rb_cell(struct rowbuf *w, const char *s, size_t n)
{
    /* The formula guard (OWASP "CSV injection"): = + - @ TAB CR, and a NUL. */
    int guard = report_cell_guarded(s, n);
    size_t i;
#ifdef __SSE2__
    /* Most cells go out as they are: copied into the row buffer first and
     * checked there (room for a whole last block after them); kept unless
     * they must be quoted, when the quoted form is written over them. */
    if (n + 16 <= sizeof w->b) {
        if (n + 16 > sizeof w->b - w->n)
            rb_flush(w);
        char *d = w->b + w->n;
        memcpy(d, s, n);
        i = find_quote_padded(d, n);
        if (!guard && i == n) {
            w->n += n;
            return 1;
        }
    } else {
        i = find_special(s, n, 1);
    }
#else
    i = find_special(s, n, 1);
#endif
    if (!guard && i == n) {
        rb_put(w, s, n);
        return 1;
    }
    rb_putc(w, '"');
    if (guard)
        rb_putc(w, '\'');
    /* Runs between double quotes and guarded separators; a quote is
     * doubled by starting the next run at it. Nothing before i is either. */
    const char *p = s, *end = s + n;
    while ((i += find_special(s + i, n - i, 0)) < n) {
        const char *q = s + i++;
        if (*q == '"') {
            rb_put(w, p, (size_t)(q - p) + 1);
            p = q;                    /* written again: "" */
        } else if (report_cell_guarded(q + 1, (size_t)(end - q - 1))) {
            rb_put(w, p, (size_t)(q - p) + 1);
            rb_putc(w, '\'');
            p = q + 1;
        }
    }
    rb_put(w, p, (size_t)(end - p));
    rb_putc(w, '"');
    return 0;
}

void report_cell(FILE *f, const char *s, size_t n)
{
    struct rowbuf w;
    w.f = f;
    w.n = 0;
    w.out = 0;
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
          "negated,start,end,excerpt,span_id,referent,quoted\r\n", f);
}

size_t report_excerpts_row(FILE *f, const struct excerpt_row *r)
{
    struct rowbuf w;
    w.f = f;
    w.n = 0;
    w.out = 0;
    const char *cells[6] = {r->evaluation_id, r->resident, r->column,
                            r->lexicon, r->category, r->term};
    size_t len[6], nc = r->entry_cells ? 3 : 6;
    int plain[6];
    for (size_t i = 0; i < nc; i++) {
        len[i] = strlen(cells[i]);
        plain[i] = rb_cell(&w, cells[i], len[i]);
        rb_putc(&w, ',');
    }
    if (r->entry_cells)
        rb_put(&w, r->entry_cells, r->entry_cells_len);
    rb_cell(&w, r->matched_text, r->matched_len);
    if (r->negated)
        rb_put(&w, ",true,", 6);
    else
        rb_put(&w, ",false,", 7);
    char sd[24], ed[24];
    size_t sn = dec_u64(sd, r->start), en = dec_u64(ed, r->end);
    rb_put(&w, sd, sn);
    rb_putc(&w, ',');
    rb_put(&w, ed, en);
    rb_putc(&w, ',');
    rb_cell(&w, r->excerpt, strlen(r->excerpt));
    rb_putc(&w, ',');
    /* span_id, "ID:COLUMN:START-END". When the id and column cells went
     * out as they are, so does it (':' '-' and digits need no quote, and
     * it is guarded only where the id is): written in pieces. Else put
     * together on the stack (unless the id and column are very long) and
     * written as a cell; not by snprintf, which cost more than the rest
     * of the row. */
    size_t il = len[0], cl = len[2];
    if (plain[0] && plain[2]) {
        rb_put(&w, r->evaluation_id, il);
        rb_putc(&w, ':');
        rb_put(&w, r->column, cl);
        rb_putc(&w, ':');
        rb_put(&w, sd, sn);
        rb_putc(&w, '-');
        rb_put(&w, ed, en);
    } else {
        char sb[256];
        struct buf span;
        buf_init(&span);
        char *sp = sb;
        if (il + cl + 2 * 21 + 3 > sizeof sb) {
            buf_reserve(&span, il + cl + 2 * 21 + 3);
            sp = span.p;
        }
        size_t sl = 0;
        memcpy(sp, r->evaluation_id, il);
        sl += il;
        sp[sl++] = ':';
        memcpy(sp + sl, r->column, cl);
        sl += cl;
        sp[sl++] = ':';
        memcpy(sp + sl, sd, sn);
        sl += sn;
        sp[sl++] = '-';
        memcpy(sp + sl, ed, en);
        sl += en;
        rb_cell(&w, sp, sl);
        buf_fini(&span);
    }
    rb_putc(&w, ',');
    if (r->referent)
        rb_cell(&w, r->referent, strlen(r->referent));
    if (r->quoted)
        rb_put(&w, ",true\r\n", 7);
    else
        rb_put(&w, ",false\r\n", 8);
    rb_flush(&w);
    return w.out;
}

char *report_excerpts_entry_cells(const char *lexicon, const char *category,
                                  const char *term, size_t *len)
{
    char *p = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&p, &n);
    if (!m)
        return NULL; /* out of memory: rows write the three themselves */
    const char *cells[3] = {lexicon, category, term};
    for (size_t i = 0; i < 3; i++) {
        report_cell(m, cells[i], strlen(cells[i]));
        fputc(',', m);
    }
    if (fclose(m) != 0) {
        free(p);
        return NULL;
    }
    *len = n;
    return p;
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
    /* Residents unknown (no resident column): the cell stays empty. */
    fprintf(f, ",%llu,", (unsigned long long)ct->evaluations);
    if (!ct->residents_unknown)
        fprintf(f, "%llu", (unsigned long long)ct->residents);
    fprintf(f, ",%llu,%llu,%llu,%llu,",
            (unsigned long long)ct->words,
            (unsigned long long)ic.hits, (unsigned long long)ic.negated,
            (unsigned long long)ic.evals_with_hit);
    /* A cohort with no words has no rate: the cell stays empty rather than
     * showing a division by zero. */
    if (ct->words)
        fprintf(f, "%.4f", 1000.0 * (double)ic.hits / (double)ct->words);
    fprintf(f, ",%llu,%llu\r\n", (unsigned long long)ic.other_referent,
            (unsigned long long)ic.quoted);
}

void report_rates_write(FILE *f, const tally *t,
                        const struct lexicon_set *set,
                        const struct strvec *cohort_cols,
                        const struct comparisons *cmp)
{
    fputs("cohort_column,cohort,lexicon,category,term,evaluations,residents,"
          "words,hits,negated_hits,evaluations_with_hit,rate_per_1000_words,"
          "other_referent_hits,quoted_hits\r\n",
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
