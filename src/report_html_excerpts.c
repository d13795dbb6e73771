/* report_html_excerpts.c - the "Flagged excerpts" section of report.html:
 * every row of excerpts.csv, grouped by category and term (lexicon order,
 * then the order the run found them), the matched words marked, negated
 * hits marked differently and labelled in words, and a filter form
 * (category, cohort, comment column, negated) that the page's script
 * shows and drives. Without the script every excerpt is in the page.
 *
 * The excerpts are read back from the finished excerpts.csv
 * (excerpt_file.h), never held by the audit loop. A row's cohorts, for the
 * cohort filter, are its evaluation's, read from the cohorts file the run
 * writes beside excerpts.csv, line for line (excerpt_cohorts_row); labels
 * are grouped as the tally groups them. Suppressed cohorts are never
 * offered and never shown: their excerpts are listed without a cohort. */
#include "report_html.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "excerpt_file.h"
#include "hashmap.h"
#include "html.h"

#define NO_COHORT UINT32_MAX

/* Cohort labels as the tally groups them: trimmed, blank -> "(blank)",
 * ASCII case-folded. */
static void fold_label(struct buf *b, const char *p, size_t n)
{
    while (n && isspace((unsigned char)*p)) {
        p++;
        n--;
    }
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    if (!n) {
        p = TALLY_BLANK;
        n = strlen(TALLY_BLANK);
    }
    buf_clear(b);
    for (size_t i = 0; i < n; i++)
        buf_putc(b, (char)tolower((unsigned char)p[i]));
}

/* Each excerpt's cohort per cohort column (NO_COHORT when suppressed),
 * from the cohorts file the run wrote beside excerpts.csv. */
struct cohort_of {
    uint32_t *k;          /* [row * ncols + col] */
    size_t ncols;
    int have;
};

static int cohort_of_read(struct cohort_of *co, const struct html_report *h,
                          size_t nrows, struct diag *err)
{
    memset(co, 0, sizeof *co);
    co->ncols = tally_ncohort_cols(h->t);
    if (!h->cohorts_path || h->ri->cohort_cols.n == 0 || !nrows)
        return 0;
    FILE *f = fopen(h->cohorts_path, "rb");
    if (!f) {
        diag_set(err, DIAG_ERROR, h->cohorts_path, 0, 0, "cannot open: %s",
                 strerror(errno));
        return -1;
    }
    struct strmap *by = xcalloc(co->ncols, sizeof *by);
    struct buf key;
    buf_init(&key);
    for (size_t c = 0; c < co->ncols; c++) {
        strmap_init(&by[c]);
        for (size_t k = 0; k < tally_ncohorts(h->t, c); k++) {
            const char *name = tally_cohort_name(h->t, c, k);
            fold_label(&key, name, strlen(name));
            int added;
            strmap_put(&by[c], key.p, key.len,
                       compare_cohort_shown(h->cmp, c, k) ? k : NO_COHORT,
                       &added);
        }
    }
    co->k = xmalloc(nrows * co->ncols * sizeof *co->k);
    char *line = NULL;
    size_t cap = 0, row = 0;
    ssize_t len;
    while (row < nrows && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        const char *p = line;
        for (size_t c = 0; c < co->ncols; c++) {
            const char *q = strchr(p, EXCERPT_COHORT_SEP);
            size_t n = q ? (size_t)(q - p) : strlen(p);
            fold_label(&key, p, n);
            size_t *k = strmap_get(&by[c], key.p, key.len);
            co->k[row * co->ncols + c] = k ? (uint32_t)*k : NO_COHORT;
            p = q ? q + 1 : p + n;
        }
        row++;
    }
    free(line);
    fclose(f);
    for (size_t c = 0; c < co->ncols; c++)
        strmap_fini(&by[c]);
    free(by);
    buf_fini(&key);
    if (row != nrows) {
        diag_set(err, DIAG_ERROR, h->cohorts_path, 0, 0,
                 "%zu rows, excerpts.csv has %zu", row, nrows);
        return -1;
    }
    co->have = 1;
    return 0;
}

static void cohort_of_fini(struct cohort_of *co)
{
    free(co->k);
}

/* Sort order of the rows: category, entry, then file order. */
struct xorder {
    uint32_t cat, entry;
    size_t row;
};

static int cmp_order(const void *x, const void *y)
{
    const struct xorder *a = x, *b = y;
    if (a->cat != b->cat)
        return a->cat < b->cat ? -1 : 1;
    if (a->entry != b->entry)
        return a->entry < b->entry ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static void entry_key(struct buf *b, const char *lex, const char *cat,
                      const char *term)
{
    buf_clear(b);
    buf_printf(b, "%s%c%s%c%s", lex, 0x1f, cat, 0x1f, term);
}

static void filters(const struct html_report *h, const struct cohort_of *co,
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
            html_str(f, set->lexicons[set->categories[g].lexicon].name);
            fputs(" / ", f);
            html_str(f, set->categories[g].name);
            fprintf(f, " (%zu)</option>", cat_count[g]);
        }
    fputs("</select></label>\n", f);
    if (co->have) {
        fputs("<label for=\"f-cohort\">Cohort<select id=\"f-cohort\">"
              "<option value=\"\">all cohorts</option>", f);
        for (size_t c = 0; c < co->ncols; c++) {
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
 *     <tab> evaluation id <tab> resident
 * preceded, per term, by T <tab> term <tab> count. */

typedef void (*emit_fn)(FILE *f, const char *s, size_t n);

/* Text of a data block: tab-separated, one excerpt a line, in a raw-text
 * <script type="text/plain"> element, which only "</script" could end: so
 * '<' never appears (written \l), nor tab, line breaks or backslash. */
static void data_text(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\\': fputs("\\\\", f); break;
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '<': fputs("\\l", f); break;
        default:
            if (c < 0x20)
                fputs("\xEF\xBF\xBD", f);
            else
                fputc(c, f);
        }
    }
}

static void emit_str(emit_fn emit, FILE *f, const char *s)
{
    emit(f, s, strlen(s));
}

/* The line under the excerpt: evaluation, resident, column, cohorts. */
static void excerpt_meta(const struct html_report *h, emit_fn emit,
                         const struct xf_row *r, const uint32_t *ks,
                         size_t ncols)
{
    FILE *f = h->f;
    emit_str(emit, f, "evaluation ");
    emit(f, r->f[XF_ID], r->len[XF_ID]);
    if (r->len[XF_RESIDENT]) {
        emit_str(emit, f, " \xC2\xB7 ");
        emit(f, r->f[XF_RESIDENT], r->len[XF_RESIDENT]);
    }
    emit_str(emit, f, " \xC2\xB7 ");
    emit(f, r->f[XF_COLUMN], r->len[XF_COLUMN]);
    for (size_t c = 0; ks && c < ncols; c++) {
        if (ks[c] == NO_COHORT)
            continue;
        emit_str(emit, f, " \xC2\xB7 ");
        emit_str(emit, f, h->cols->v[c]);
        emit_str(emit, f, ": ");
        emit_str(emit, f, tally_cohort_name(h->t, c, ks[c]));
    }
}

static void excerpt_item(const struct html_report *h,
                         const struct cohort_of *co, const struct xf_row *r,
                         size_t row, unsigned nth, uint32_t cat, int inline_)
{
    FILE *f = h->f;
    emit_fn emit = inline_ ? html_text : data_text;
    long col = -1;
    for (size_t i = 0; i < h->ri->text_cols.n; i++)
        if (strcmp(h->ri->text_cols.v[i], r->f[XF_COLUMN]) == 0)
            col = (long)i;
    if (inline_)
        fprintf(f, "<li class=\"x\" data-c=\"%u\" data-col=\"", cat);
    else
        fputs("X\t", f);
    if (col >= 0)
        fprintf(f, "%ld", col);
    fprintf(f, inline_ ? "\" data-n=\"%d\" data-k=\"" : "\t%d\t", r->negated);
    /* the evaluation's cohorts: shown ones only */
    const uint32_t *ks = co->have ? co->k + row * co->ncols : NULL;
    int first = 1;
    for (size_t c = 0; ks && c < co->ncols; c++) {
        if (ks[c] == NO_COHORT)
            continue;
        fprintf(f, "%s%zu:%u", first ? "" : " ", c, ks[c]);
        first = 0;
    }
    size_t s, e;
    const char *x = r->f[XF_EXCERPT];
    size_t xn = r->len[XF_EXCERPT];
    if (xf_row_mark(r, nth, &s, &e) != 0)
        s = e = xn; /* not found: no mark */
    if (inline_) {
        fputs("\"><q>", f);
        html_text(f, x, s);
        if (e > s) {
            fputs(r->negated ? "<mark class=\"neg\">" : "<mark>", f);
            html_text(f, x + s, e - s);
            fputs("</mark>", f);
            html_text(f, x + e, xn - e);
        }
        fputs("</q><small>", f);
        excerpt_meta(h, emit, r, ks, co->ncols);
        if (r->negated)
            fputs("<span class=\"negtag\">negated</span>", f);
        fputs("</small></li>\n", f);
    } else {
        fputc('\t', f);
        data_text(f, x, s);
        fputc('\t', f);
        data_text(f, x + s, e - s);
        fputc('\t', f);
        data_text(f, x + e, xn - e);
        /* The script writes the meta line from the evaluation id, the
         * resident and the filter form's own column and cohort names. */
        fputc('\t', f);
        data_text(f, r->f[XF_ID], r->len[XF_ID]);
        fputc('\t', f);
        data_text(f, r->f[XF_RESIDENT], r->len[XF_RESIDENT]);
        fputc('\n', f);
    }
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
    if (!h->excerpts_path) {
        fputs("<p>No excerpts: this report was computed from tallies "
              "(<code>merge</code>), which hold counts, never text.</p>\n"
              "</section>\n", f);
        return 0;
    }
    excerpt_file *xf = excerpt_file_open(h->excerpts_path, err);
    if (!xf)
        return -1;
    size_t n = excerpt_file_count(xf);
    struct strmap entries;
    strmap_init(&entries);
    struct buf key;
    buf_init(&key);
    for (size_t e = 0; e < set->nentries; e++) {
        const struct lex_entry *en = &set->entries[e];
        entry_key(&key, set->lexicons[en->lexicon].name,
                  set->categories[en->category].name, en->term);
        int added;
        strmap_put(&entries, key.p, key.len, e, &added);
    }
    struct xorder *ord = xmalloc((n ? n : 1) * sizeof *ord);
    uint16_t *nth = xmalloc((n ? n : 1) * sizeof *nth);
    int rc = excerpt_file_nths(xf, nth, err);
    size_t *cat_count = xcalloc(set->ncategories + 1, sizeof *cat_count);
    size_t *ent_count = xcalloc(set->nentries + 1, sizeof *ent_count);
    struct xf_row r;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = excerpt_file_get(xf, i, &r, err);
        if (rc < 0)
            break;
        entry_key(&key, r.f[XF_LEXICON], r.f[XF_CATEGORY], r.f[XF_TERM]);
        size_t *e = strmap_get(&entries, key.p, key.len);
        /* A row naming no loaded entry (an excerpts.csv from another run)
         * is still shown, last, under "other". */
        ord[i].entry = e ? (uint32_t)*e : (uint32_t)set->nentries;
        ord[i].cat = e ? set->entries[*e].category : (uint32_t)set->ncategories;
        ord[i].row = i;
        cat_count[ord[i].cat]++;
        ent_count[ord[i].entry]++;
    }
    qsort(ord, n, sizeof *ord, cmp_order);

    struct cohort_of co;
    if (rc == 0)
        rc = cohort_of_read(&co, h, n, err);
    else
        memset(&co, 0, sizeof co);
    if (rc == 0 && n) {
        filters(h, &co, cat_count);
        fprintf(f, "<p id=\"xcount\" aria-live=\"polite\">%zu excerpts.</p>\n",
                n);
        if (n > HTML_INLINE_EXCERPTS)
            fputs("<p class=\"note\">Each category is collapsed: select its "
                  "name to open it.</p>\n", f);
    } else if (rc == 0) {
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
    for (size_t i = 0; i < n && rc == 0;) {
        uint32_t cat = ord[i].cat;
        fprintf(f, "<details class=\"xcat\" data-c=\"%u\"%s%s><summary>", cat,
                open, inline_ ? "" : " data-lazy=\"1\"");
        if (cat < set->ncategories) {
            html_str(f, set->lexicons[set->categories[cat].lexicon].name);
            fputs(" / ", f);
            html_str(f, set->categories[cat].name);
        } else {
            fputs("other", f);
        }
        fprintf(f, " &mdash; <span class=\"xshown\" data-total=\"%zu\">"
                   "</span>%zu excerpt%s</summary>\n", cat_count[cat],
                cat_count[cat], cat_count[cat] == 1 ? "" : "s");
        if (!inline_)
            fprintf(f, "<script type=\"text/plain\" class=\"xdata\">\n");
        while (i < n && ord[i].cat == cat && rc == 0) {
            uint32_t ent = ord[i].entry;
            const char *term = ent < set->nentries ? set->entries[ent].term
                                                   : "(unknown term)";
            if (inline_) {
                fputs("<div class=\"xterm\"><h4>", f);
                html_str(f, term);
                fprintf(f, " <span class=\"muted\">(%zu)</span></h4>\n"
                           "<ol class=\"xs\">\n", ent_count[ent]);
            } else {
                fputs("T\t", f);
                data_text(f, term, strlen(term));
                fprintf(f, "\t%zu\n", ent_count[ent]);
            }
            for (; i < n && ord[i].entry == ent && ord[i].cat == cat; i++) {
                if ((rc = excerpt_file_get(xf, ord[i].row, &r, err)) < 0)
                    break;
                excerpt_item(h, &co, &r, ord[i].row, nth[ord[i].row], cat,
                             inline_);
            }
            if (inline_)
                fputs("</ol></div>\n", f);
        }
        if (!inline_)
            fputs("</script>\n", f);
        fputs("</details>\n", f);
    }
    fputs("</section>\n", f);
    cohort_of_fini(&co);
    free(ord);
    free(nth);
    free(cat_count);
    free(ent_count);
    buf_fini(&key);
    strmap_fini(&entries);
    excerpt_file_free(xf);
    return rc;
}
