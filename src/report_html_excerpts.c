/* report_html_excerpts.c - the "Flagged excerpts" section of report.html:
 * the excerpts the run's index kept (excerpt_file.h: all of them up to
 * EXCERPT_INDEX_CAP; above it the first ones of each term, as many for each
 * term as the cap allows, and the page says how many of how many it
 * shows), grouped by category and term (lexicon order, then the order the
 * run found them), the matched words marked, negated hits marked
 * differently and labelled in words, and a filter form (category, cohort,
 * comment column, negated) that the page's script shows and drives.
 * Without the script every excerpt of the page is in it.
 *
 * Only the kept rows are shown, from the fields the index holds in memory
 * (a row it could not hold is read back from excerpts.csv by offset): the
 * cost of this section does not grow with the number of excerpts beyond
 * the cap. A row's cohorts, for the cohort filter, are its
 * evaluation's labels as the index recorded them, grouped as the tally
 * groups them. Suppressed cohorts are never offered and never shown: their
 * excerpts are listed without a cohort.
 *
 * One span, one excerpt: excerpts.csv has a row per span x lexicon x
 * category, and the rows of one span share a span_id. The page lists such
 * a span once, under the first of its rows in page order, and names its
 * other lexicons, categories and terms on the excerpt's meta line ("also:
 * ..."). The item carries all of its categories (data-c="3 7"), so the
 * category filter finds a span by any of them, wherever it is listed; the
 * filter's counts count spans per category (a span counts in each of its
 * categories), the counts beside a category's heading the spans listed
 * under it. */
#include "report_html.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <stdlib.h>
#include <string.h>

#include "excerpt_file.h"
#include "hashmap.h"
#include "html.h"

#define NO_COHORT UINT32_MAX

/* The tally's cohort (NO_COHORT when suppressed) of each label the index
 * recorded, per cohort column. */
struct cohort_of {
    uint32_t **k;          /* [col][label id] */
    size_t ncols;
    int have;
};

static void cohort_of_make(struct cohort_of *co, const struct html_report *h)
{
    memset(co, 0, sizeof *co);
    co->ncols = tally_ncohort_cols(h->t);
    if (h->ri->cohort_cols.n == 0)
        return;
    co->k = xcalloc(co->ncols, sizeof *co->k);
    struct buf key;
    buf_init(&key);
    for (size_t c = 0; c < co->ncols; c++) {
        struct strmap by;
        strmap_init(&by);
        for (size_t k = 0; k < tally_ncohorts(h->t, c); k++) {
            const char *name = tally_cohort_name(h->t, c, k);
            excerpt_label_fold(&key, name, strlen(name));
            int added;
            strmap_put(&by, key.p, key.len,
                       compare_cohort_shown(h->cmp, c, k) ? k : NO_COHORT,
                       &added);
        }
        size_t nl = excerpt_index_nlabels(h->xi, c);
        co->k[c] = xmalloc((nl ? nl : 1) * sizeof *co->k[c]);
        for (uint32_t l = 0; l < nl; l++) {
            const char *label = excerpt_index_label(h->xi, c, l);
            size_t *k = strmap_get(&by, label, strlen(label));
            co->k[c][l] = k ? (uint32_t)*k : NO_COHORT;
        }
        strmap_fini(&by);
    }
    buf_fini(&key);
    co->have = 1;
}

static void cohort_of_fini(struct cohort_of *co)
{
    for (size_t c = 0; co->k && c < co->ncols; c++)
        free(co->k[c]);
    free(co->k);
}

/* The leading row of each span id: open addressing over at most n ids,
 * their bytes copied into one buffer (a row read back from the file does
 * not keep its fields), so an id costs a hash, a probe and a copy, not an
 * allocation. */
struct span_table {
    size_t *slot;        /* row + 1 of the span's leader; 0: empty */
    size_t mask;
    uint64_t *hash;      /* [row]: its id's hash */
    size_t *off, *len;   /* [row]: its id in text */
    struct buf text;
};

static void span_table_init(struct span_table *t, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    t->slot = xcalloc(cap, sizeof *t->slot);
    t->mask = cap - 1;
    t->hash = xmalloc((n ? n : 1) * sizeof *t->hash);
    t->off = xmalloc((n ? n : 1) * sizeof *t->off);
    t->len = xmalloc((n ? n : 1) * sizeof *t->len);
    buf_init(&t->text);
}

static void span_table_fini(struct span_table *t)
{
    free(t->slot);
    free(t->hash);
    free(t->off);
    free(t->len);
    buf_fini(&t->text);
}

/* The leader of span id s[0..len) as row j sees it: j itself when the id
 * is new (j then leads it), else the row that first had it. */
static size_t span_table_put(struct span_table *t, const char *s, size_t len,
                             size_t j)
{
    /* Eight bytes a step (the ids are "ID:COLUMN:START-END", tens of
     * bytes), the last step's short tail with the length; only equal ids
     * must hash alike (the table compares the text). */
    uint64_t h = 0xcbf29ce484222325ull ^ len, v;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&v, s + i, 8);
        h = (h ^ v) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 31;
    }
    v = 0;
    memcpy(&v, s + i, len - i);
    h = (h ^ v) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    for (i = (size_t)(h ^ h >> 29) & t->mask;; i = (i + 1) & t->mask) {
        size_t k = t->slot[i];
        if (!k) {
            t->slot[i] = j + 1;
            t->hash[j] = h;
            t->off[j] = t->text.len;
            t->len[j] = len;
            buf_append(&t->text, s, len);
            return j;
        }
        k--;
        if (t->hash[k] == h && t->len[k] == len &&
            memcmp(t->text.p + t->off[k], s, len) == 0)
            return k;
    }
}

/* The page's order: category, entry (lexicon order), then file order,
 * in which the index hands out each entry's rows. */
struct xorder {
    uint32_t cat, entry;
};

static int cmp_order(const void *x, const void *y)
{
    const struct xorder *a = x, *b = y;
    if (a->cat != b->cat)
        return a->cat < b->cat ? -1 : 1;
    return a->entry < b->entry ? -1 : a->entry > b->entry;
}

static void filters(const struct html_report *h, int have_cohorts,
                    const size_t *cat_count)
{
    FILE *f = h->f;
    const struct lexicon_set *set = h->set;
    fputs("<form id=\"filters\" hidden aria-label=\"Filter excerpts\">\n"
          "<label for=\"f-cat\">Category<select id=\"f-cat\">"
          "<option value=\"\">all categories</option>", f);
    for (size_t g = 0; g < set->ncategories; g++)
        if (cat_count[g]) {
            fprintf(f, "<option value=\"%zu\">", g);
            /* An option holds text only: the label, else the id. */
            if (*set->categories[g].label) {
                html_str(f, set->categories[g].label);
            } else {
                html_str(f, set->lexicons[set->categories[g].lexicon].name);
                fputs(" / ", f);
                html_str(f, set->categories[g].name);
            }
            fprintf(f, " (%zu)</option>", cat_count[g]);
        }
    fputs("</select></label>\n", f);
    if (have_cohorts) {
        fputs("<label for=\"f-cohort\">Cohort<select id=\"f-cohort\">"
              "<option value=\"\">all cohorts</option>", f);
        for (size_t c = 0; c < tally_ncohort_cols(h->t); c++) {
            fputs("<optgroup label=\"", f);
            html_str(f, h->cols->v[c]);
            fputs("\">", f);
            for (size_t k = 0; k < tally_ncohorts(h->t, c); k++) {
                if (!compare_cohort_shown(h->cmp, c, k))
                    continue;
                fprintf(f, "<option value=\"%zu:%zu\">", c, k);
                html_str(f, tally_cohort_name(h->t, c, k));
                fputs("</option>", f);
            }
            fputs("</optgroup>", f);
        }
        fputs("</select></label>\n", f);
    }
    fputs("<label for=\"f-col\">Comment column<select id=\"f-col\">"
          "<option value=\"\">all columns</option>", f);
    for (size_t i = 0; i < h->ri->text_cols.n; i++) {
        fprintf(f, "<option value=\"%zu\">", i);
        html_str(f, h->ri->text_cols.v[i]);
        fputs("</option>", f);
    }
    fputs("</select></label>\n<label for=\"f-neg\">Negation<select "
          "id=\"f-neg\"><option value=\"\">all hits</option>"
          "<option value=\"0\">not negated</option>"
          "<option value=\"1\">negated only</option></select></label>\n"
          "<button type=\"reset\">Show all</button>\n</form>\n", f);
}

/* ------------------------------------------------------------ one excerpt
 *
 * Two forms. Inline: an <li> of markup, for reports of at most
 * HTML_INLINE_EXCERPTS excerpts, readable without JavaScript. Data: one
 * line of a category's data block (below), which the page's script turns
 * into the same <li> with textContent when the category is opened, so a
 * 50,000-excerpt page does not parse 15 MB of markup before it shows:
 *   X <tab> column index <tab> negated 0/1 <tab> cohort tokens "c:k ..."
 *     <tab> text before the match <tab> match <tab> text after
 *     <tab> evaluation id <tab> resident <tab> the span's other categories
 *     <tab> the span's category indexes "g ..." (its own first)
 * preceded, per term, by T <tab> term <tab> count. */

typedef void (*emit_fn)(FILE *f, const char *s, size_t n);

/* 1 when none of the 8 bytes of v needs data_text's escape: none below
 * 0x20, none '\\' or '<' (the "has less" and "has zero byte" tests of Bit
 * Twiddling Hacks, exact as to whether any byte does). */
static int plain8(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
    uint64_t bs = v ^ (ones * '\\'), lt = v ^ (ones * '<');
    return !(((v - ones * 0x20) & ~v & high) | ((bs - ones) & ~bs & high) |
             ((lt - ones) & ~lt & high));
}

#ifdef __SSE2__
/* plain8 for 16 bytes: none <= 0x1F (unsigned), none '\\' or '<'. */
static int plain16(__m128i v)
{
    __m128i m = _mm_or_si128(
        _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8('<'))));
    return !_mm_movemask_epi8(m);
}
#endif

/* Text of a data block: tab-separated, one excerpt a line, in a raw-text
 * <script type="text/plain"> element, which only "</script" could end: so
 * '<' never appears (written \l), nor tab, line breaks or backslash; other
 * control bytes become U+FFFD. Written at o (room for 3n: U+FFFD is 3
 * bytes for 1), 16 or 8 plain bytes a step; returns the end. */
static char *data_text_at(char *o, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t stop = n;
#ifdef __SSE2__
        /* sixteen plain bytes a step first */
        if (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            if (plain16(v)) {
                memcpy(o, s + i, 16);
                o += 16;
                i += 16;
                continue;
            }
        }
        if (i + 16 > n) {
            /* the last (under 16) bytes: checked as one padded block, so
             * a plain tail takes no loop per byte */
            char pad[16];
            memset(pad, 'a', sizeof pad);
            memcpy(pad, s + i, n - i);
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)pad);
            if (plain16(v)) {
                memcpy(o, s + i, n - i);
                o += n - i;
                break;
            }
        }
#endif
        if (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (plain8(v)) {
                memcpy(o, s + i, 8);
                o += 8;
                i += 8;
                continue;
            }
            stop = i + 8;
        }
        for (; i < stop; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c >= 0x20 && c != '\\' && c != '<') {
                *o++ = (char)c;
                continue;
            }
            *o++ = '\\';
            switch (c) {
            case '\\': *o++ = '\\'; break;
            case '\t': *o++ = 't'; break;
            case '\n': *o++ = 'n'; break;
            case '\r': *o++ = 'r'; break;
            case '<': *o++ = 'l'; break;
            default: memcpy(o - 1, "\xEF\xBF\xBD", 3); o += 2;
            }
        }
    }
    return o;
}

void html_data_text(struct buf *b, const char *s, size_t n)
{
    buf_reserve(b, 3 * n);
    b->len = (size_t)(data_text_at(b->p + b->len, s, n) - b->p);
    b->p[b->len] = '\0';
}

static void data_text(FILE *f, const char *s, size_t n)
{
    struct buf b;
    buf_init(&b);
    html_data_text(&b, s, n);
    fwrite(b.p, 1, b.len, f);
    buf_fini(&b);
}

/* A small number, without printf's cost (tens of thousands a page). */
static void put_uint(FILE *f, unsigned long v)
{
    char b[DEC_U64_MAX];
    fwrite(b, 1, dec_u64(b, v), f);
}

static void emit_str(emit_fn emit, FILE *f, const char *s)
{
    emit(f, s, strlen(s));
}

/* "lexicon / category: term; ..." of the rows of j's span after j
 * (next[] links them; SIZE_MAX ends), into b; empty when j is alone. */
static void also_text(const struct html_report *h, const struct xi_row *rows,
                      const size_t *next, size_t j, struct buf *b)
{
    const struct lexicon_set *set = h->set;
    buf_clear(b);
    for (size_t k = next[j]; k != SIZE_MAX; k = next[k]) {
        const struct lex_entry *e = &set->entries[rows[k].entry];
        if (b->len)
            buf_puts(b, "; ");
        buf_puts(b, set->lexicons[e->lexicon].name);
        buf_puts(b, " / ");
        buf_puts(b, set->categories[e->category].name);
        buf_puts(b, ": ");
        buf_puts(b, lex_entry_name(e));
    }
    buf_cstr(b);
}

/* The distinct category indexes of j's span, j's own first, as "g g ..."
 * into b; each also marked in seen[] (cleared again before return). */
static void span_cats(const struct html_report *h, const struct xi_row *rows,
                      const size_t *next, size_t j, uint8_t *seen,
                      struct buf *b)
{
    const struct lexicon_set *set = h->set;
    buf_clear(b);
    for (size_t k = j; k != SIZE_MAX; k = next[k]) {
        uint32_t g = set->entries[rows[k].entry].category;
        if (seen[g])
            continue;
        seen[g] = 1;
        if (b->len)
            buf_putc(b, ' ');
        buf_put_u64(b, g);
    }
    for (size_t k = j; k != SIZE_MAX; k = next[k])
        seen[set->entries[rows[k].entry].category] = 0;
    buf_cstr(b);
}

/* The line under the excerpt: evaluation, resident, column, cohorts, and
 * the span's other categories (also, may be empty). */
static void excerpt_meta(const struct html_report *h, emit_fn emit,
                         const struct xf_row *r, const uint32_t *ks,
                         size_t ncols, const struct buf *also)
{
    FILE *f = h->f;
    /* Inline, each piece of input text is isolated (html_bdi); the data
     * rows are isolated by the page's script when it renders them. */
    emit_fn iso = emit == html_text ? html_bdi : emit;
    emit_str(emit, f, "evaluation ");
    iso(f, r->f[XF_ID], r->len[XF_ID]);
    if (r->len[XF_RESIDENT]) {
        emit_str(emit, f, " \xC2\xB7 ");
        iso(f, r->f[XF_RESIDENT], r->len[XF_RESIDENT]);
    }
    emit_str(emit, f, " \xC2\xB7 ");
    iso(f, r->f[XF_COLUMN], r->len[XF_COLUMN]);
    for (size_t c = 0; ks && c < ncols; c++) {
        if (ks[c] == NO_COHORT)
            continue;
        emit_str(emit, f, " \xC2\xB7 ");
        emit_str(iso, f, h->cols->v[c]);
        emit_str(emit, f, ": ");
        emit_str(iso, f, tally_cohort_name(h->t, c, ks[c]));
    }
    if (also->len) {
        emit_str(emit, f, " \xC2\xB7 also: ");
        emit(f, also->p, also->len);
    }
}

/* The data line of one excerpt (see above), built in line (one
 * reservation for the longest it can be) and written at once: col its
 * column's index (-1: none), [s, e) the match in its text. */
static void excerpt_data(const struct html_report *h, size_t ncols,
                         const uint32_t *ks, const struct xf_row *r, long col,
                         size_t s, size_t e, const char *cats,
                         const struct buf *also, struct buf *line)
{
    const char *x = r->f[XF_EXCERPT];
    size_t xn = r->len[XF_EXCERPT], cl = strlen(cats);
    buf_clear(line);
    buf_reserve(line, 3 * (xn + r->len[XF_ID] + r->len[XF_RESIDENT] +
                           also->len) +
                          cl + (ncols + 1) * (2 * DEC_U64_MAX + 2) + 16);
    char *o = line->p;
    *o++ = 'X';
    *o++ = '\t';
    if (col >= 0)
        o += dec_u64(o, (uint64_t)col);
    memcpy(o, r->negated ? "\t1\t" : "\t0\t", 3);
    o += 3;
    /* the evaluation's cohorts: shown ones only */
    int first = 1;
    for (size_t c = 0; ks && c < ncols; c++) {
        if (ks[c] == NO_COHORT)
            continue;
        if (!first)
            *o++ = ' ';
        o += dec_u64(o, c);
        *o++ = ':';
        o += dec_u64(o, ks[c]);
        first = 0;
    }
    *o++ = '\t';
    o = data_text_at(o, x, s);
    *o++ = '\t';
    o = data_text_at(o, x + s, e - s);
    *o++ = '\t';
    o = data_text_at(o, x + e, xn - e);
    /* The script writes the meta line from the evaluation id, the
     * resident and the filter form's own column and cohort names. */
    *o++ = '\t';
    o = data_text_at(o, r->f[XF_ID], r->len[XF_ID]);
    *o++ = '\t';
    o = data_text_at(o, r->f[XF_RESIDENT], r->len[XF_RESIDENT]);
    *o++ = '\t';
    o = data_text_at(o, also->p ? also->p : "", also->len);
    *o++ = '\t';
    memcpy(o, cats, cl);
    o += cl;
    *o++ = '\n';
    line->len = (size_t)(o - line->p);
    fwrite(line->p, 1, line->len, h->f);
}

/* One excerpt: row r, which the index kept as k; ks[c] its cohort in each
 * cohort column (NULL: no cohort column). Inline, an <li>; else a data
 * line (excerpt_data, built in line). */
static void excerpt_item(const struct html_report *h, size_t ncols,
                         const uint32_t *ks, const struct xf_row *r,
                         const struct xi_row *k, const char *cats,
                         int inline_, const struct buf *also,
                         struct buf *line)
{
    FILE *f = h->f;
    long col = -1;
    for (size_t i = 0; i < h->ri->text_cols.n; i++)
        if (strcmp(h->ri->text_cols.v[i], r->f[XF_COLUMN]) == 0)
            col = (long)i;
    size_t s, e;
    const char *x = r->f[XF_EXCERPT];
    size_t xn = r->len[XF_EXCERPT];
    if (xf_row_mark(r, k, &s, &e) != 0)
        s = e = xn; /* not found: no mark */
    if (!inline_) {
        excerpt_data(h, ncols, ks, r, col, s, e, cats, also, line);
        return;
    }
    fprintf(f, "<li class=\"x\" data-c=\"%s\" data-col=\"", cats);
    if (col >= 0)
        put_uint(f, (unsigned long)col);
    fputs("\" data-n=\"", f);
    fputc(r->negated ? '1' : '0', f);
    fputs("\" data-k=\"", f);
    /* the evaluation's cohorts: shown ones only */
    int first = 1;
    for (size_t c = 0; ks && c < ncols; c++) {
        if (ks[c] == NO_COHORT)
            continue;
        if (!first)
            fputc(' ', f);
        put_uint(f, c);
        fputc(':', f);
        put_uint(f, ks[c]);
        first = 0;
    }
    fputs("\"><q dir=\"auto\">", f);
    html_text(f, x, s);
    if (e > s) {
        fputs(r->negated ? "<mark class=\"neg\">" : "<mark>", f);
        html_text(f, x + s, e - s);
        fputs("</mark>", f);
        html_text(f, x + e, xn - e);
    }
    fputs("</q><small>", f);
    excerpt_meta(h, html_text, r, ks, ncols, also);
    if (r->negated)
        fputs("<span class=\"negtag\">negated</span>", f);
    fputs("</small></li>\n", f);
}

/* n with thousands separators ("4,012,345"). */
static void put_count(FILE *f, unsigned long long n)
{
    char d[32];
    int len = snprintf(d, sizeof d, "%llu", n);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            fputc(',', f);
        fputc(d[i], f);
    }
}

/* The paragraph that says the page does not hold every excerpt. */
static void cap_note(FILE *f, size_t shown, uint64_t total, size_t cap)
{
    fputs("<p id=\"xcap\"><strong>", f);
    put_count(f, shown);
    fputs(" of ", f);
    put_count(f, total);
    fputs(" excerpts shown; every excerpt is in <code>excerpts.csv</code>."
          "</strong> This page holds at most ", f);
    put_count(f, cap);
    fputs(": for each term the first ones in the file, as many for each "
          "term as that allows, so a term with few excerpts shows all of "
          "them and rare terms are not crowded out by common ones. The "
          "counts by category and term say how many there are in all.</p>\n",
          f);
}

int html_excerpts_section(const struct html_report *h, struct diag *err)
{
    FILE *f = h->f;
    const struct lexicon_set *set = h->set;
    fputs("<section id=\"excerpts\" aria-labelledby=\"h-excerpts\">\n"
          "<h2 id=\"h-excerpts\">Flagged excerpts</h2>\n"
          "<p class=\"note\">Each excerpt is the sentence around one hit, "
          "with the matched words <mark>marked</mark>. A negated hit "
          "(&ldquo;never <mark class=\"neg\">abrasive</mark>&rdquo;) is "
          "marked with a dashed underline and labelled "
          "<span class=\"negtag\">negated</span>; it is not counted in the "
          "rates.</p>\n", f);
    if (!h->excerpts_path || !h->xi) {
        fputs("<p>No excerpts: this report was computed from tallies "
              "(<code>merge</code>), which hold counts, never text.</p>\n"
              "</section>\n", f);
        return 0;
    }
    if (excerpt_index_ok(h->xi) < 0) {
        diag_set(err, DIAG_ERROR, h->excerpts_path, 0, 0,
                 "cannot tell where its rows are (ftello failed)");
        return -1;
    }
    /* The page is built from the fields the index holds; the file is read
     * only for rows it could not hold. */
    excerpt_file *xf = NULL;
    if (!excerpt_index_all_held(h->xi) &&
        !(xf = excerpt_file_open(h->excerpts_path, err)))
        return -1;
    const struct xi_row *rows;
    size_t n = excerpt_index_rows(h->xi, &rows);
    uint64_t total = excerpt_index_total(h->xi);
    int capped = total > n;
    struct xorder *ord = xmalloc((set->nentries ? set->nentries : 1) * sizeof *ord);
    size_t *first = xcalloc(set->nentries + 1, sizeof *first);
    size_t *cat_count = xcalloc(set->ncategories + 1, sizeof *cat_count);
    uint64_t *cat_total = xcalloc(set->ncategories + 1, sizeof *cat_total);
    size_t *ent_count = xcalloc(set->nentries + 1, sizeof *ent_count);
    for (size_t i = 0; i < n; i++) {
        cat_count[set->entries[rows[i].entry].category]++;
        ent_count[rows[i].entry]++;
    }
    for (uint32_t e = 0; e < set->nentries; e++)
        cat_total[set->entries[e].category] +=
            excerpt_index_entry_total(h->xi, e);
    for (uint32_t e = 0; e < set->nentries; e++) {
        ord[e] = (struct xorder){set->entries[e].category, e};
        first[e + 1] = first[e] + ent_count[e]; /* rows come by entry */
    }
    qsort(ord, set->nentries, sizeof *ord, cmp_order);

    /* Spans: in page order, the first row of a span_id leads it and the
     * others follow it through next[]; only leaders are listed. */
    size_t *next = xmalloc((n ? n : 1) * sizeof *next);
    uint8_t *lead = xcalloc(n ? n : 1, 1);
    size_t *tail = xmalloc((n ? n : 1) * sizeof *tail);
    size_t *shown_cat = xcalloc(set->ncategories + 1, sizeof *shown_cat);
    size_t *shown_ent = xcalloc(set->nentries + 1, sizeof *shown_ent);
    size_t nshown = 0;
    struct xf_row r;
    int rc = 0;
    {
        struct span_table spans;
        span_table_init(&spans, n);
        for (size_t i = 0; i < set->nentries && rc == 0; i++) {
            uint32_t ent = ord[i].entry;
            for (size_t j = first[ent]; j < first[ent + 1]; j++) {
                if ((rc = excerpt_index_fields(h->xi, &rows[j], xf, &r,
                                               err)) < 0)
                    break;
                next[j] = SIZE_MAX;
                size_t ld = span_table_put(&spans, r.f[XF_SPAN_ID],
                                           r.len[XF_SPAN_ID], j);
                if (ld == j) {
                    lead[j] = 1;
                    tail[j] = j;
                    shown_cat[ord[i].cat]++;
                    shown_ent[ent]++;
                    nshown++;
                } else {
                    next[tail[ld]] = j;
                    tail[ld] = j;
                }
            }
        }
        span_table_fini(&spans);
    }
    free(tail);
    /* Spans per category, counting a span in each of its categories (the
     * filter's counts), and the categories of the spans listed under each
     * category's heading (the filter renders those blocks). */
    size_t nc = set->ncategories ? set->ncategories : 1;
    size_t *any_cat = xcalloc(nc, sizeof *any_cat);
    uint8_t *block_has = xcalloc(nc * nc, 1), *seen = xcalloc(nc, 1);
    struct buf cats;
    buf_init(&cats);
    for (size_t i = 0; i < set->nentries; i++) {
        uint32_t ent = ord[i].entry;
        for (size_t j = first[ent]; j < first[ent + 1]; j++) {
            if (!lead[j])
                continue;
            for (size_t k = j; k != SIZE_MAX; k = next[k]) {
                uint32_t g = set->entries[rows[k].entry].category;
                if (!seen[g])
                    any_cat[g]++;
                seen[g] = 1;
                block_has[ord[i].cat * nc + g] = 1;
            }
            for (size_t k = j; k != SIZE_MAX; k = next[k])
                seen[set->entries[rows[k].entry].category] = 0;
        }
    }

    struct cohort_of co;
    cohort_of_make(&co, h);
    if (capped)
        cap_note(f, n, total, excerpt_index_cap(h->xi));
    if (n) {
        filters(h, co.have, any_cat);
        fprintf(f, "<p id=\"xcount\" aria-live=\"polite\">%zu excerpts.</p>\n",
                nshown);
        if (n > HTML_INLINE_EXCERPTS)
            fputs("<p class=\"note\">Each category is collapsed: select its "
                  "name to open it.</p>\n", f);
    } else {
        fputs("<p id=\"xcount\">No excerpts: no lexicon entry matched.</p>\n",
              f);
    }
    /* Small reports: markup, every category open. Large ones: each
     * category collapsed with its excerpts in a data block the script
     * renders when it is opened (or filtered, or printed). */
    int inline_ = n <= HTML_INLINE_EXCERPTS;
    const char *open = inline_ ? " open" : "";
    if (!inline_)
        fprintf(f, "<noscript><p><strong>This report holds %zu excerpts: "
                   "showing them here needs JavaScript.</strong> All of them "
                   "are in <code>excerpts.csv</code> beside this file.</p>"
                   "</noscript>\n", n);
    uint32_t *ks = xmalloc((co.ncols ? co.ncols : 1) * sizeof *ks);
    struct buf also, line;
    buf_init(&also);
    buf_init(&line);
    for (size_t i = 0; i < set->nentries && rc == 0;) {
        uint32_t cat = ord[i].cat;
        if (!shown_cat[cat]) {
            i++;
            continue;
        }
        fprintf(f, "<details class=\"xcat\" data-c=\"%u\" data-cs=\"", cat);
        for (size_t g = 0, sp = 0; g < set->ncategories; g++)
            if (block_has[cat * nc + g])
                fprintf(f, sp++ ? " %zu" : "%zu", g);
        fprintf(f, "\"%s%s><summary>", open, inline_ ? "" : " data-lazy=\"1\"");
        html_category(f, set, cat, 0);
        fprintf(f, " &mdash; <span class=\"xshown\" data-total=\"%zu\">"
                   "</span>%zu", shown_cat[cat], shown_cat[cat]);
        if (cat_total[cat] > cat_count[cat])
            fprintf(f, " of %llu", (unsigned long long)cat_total[cat]);
        fprintf(f, " excerpt%s</summary>\n",
                cat_total[cat] == 1 ? "" : "s");
        if (!inline_)
            fprintf(f, "<script type=\"text/plain\" class=\"xdata\">\n");
        for (; i < set->nentries && ord[i].cat == cat && rc == 0; i++) {
            uint32_t ent = ord[i].entry;
            if (!shown_ent[ent])
                continue;
            const char *term = lex_entry_name(&set->entries[ent]);
            uint64_t et = excerpt_index_entry_total(h->xi, ent);
            char cnt[64];
            if (et > ent_count[ent])
                snprintf(cnt, sizeof cnt, "%zu of %llu", shown_ent[ent],
                         (unsigned long long)et);
            else
                snprintf(cnt, sizeof cnt, "%zu", shown_ent[ent]);
            if (inline_) {
                fputs("<div class=\"xterm\"><h4>", f);
                html_bdi_str(f, term);
                fprintf(f, " <span class=\"muted\">(%s)</span></h4>\n"
                           "<ol class=\"xs\">\n", cnt);
            } else {
                fputs("T\t", f);
                data_text(f, term, strlen(term));
                fprintf(f, "\t%s\n", cnt);
            }
            for (size_t j = first[ent]; j < first[ent + 1]; j++) {
                const struct xi_row *k = &rows[j];
                if (!lead[j])
                    continue; /* listed with its span's first row */
                if ((rc = excerpt_index_fields(h->xi, k, xf, &r, err)) < 0)
                    break;
                int have = co.have && k->cohort;
                for (size_t c = 0; have && c < co.ncols; c++) {
                    size_t nl = excerpt_index_nlabels(h->xi, c);
                    ks[c] = nl && k->cohort[c] < nl ? co.k[c][k->cohort[c]]
                                                    : NO_COHORT;
                }
                also_text(h, rows, next, j, &also);
                span_cats(h, rows, next, j, seen, &cats);
                excerpt_item(h, co.ncols, have ? ks : NULL, &r, k, cats.p,
                             inline_, &also, &line);
            }
            if (inline_)
                fputs("</ol></div>\n", f);
        }
        if (!inline_)
            fputs("</script>\n", f);
        fputs("</details>\n", f);
    }
    fputs("</section>\n", f);
    free(ks);
    buf_fini(&also);
    buf_fini(&line);
    buf_fini(&cats);
    free(any_cat);
    free(block_has);
    free(seen);
    free(next);
    free(lead);
    free(shown_cat);
    free(shown_ent);
    cohort_of_fini(&co);
    free(ord);
    free(first);
    free(cat_count);
    free(cat_total);
    free(ent_count);
    excerpt_file_free(xf);
    return rc;
}
