/* review.c - the blinded review packet (see review.h): the items, their
 * order, the split among reviewers, review.csv and the key. The page is
 * review_page.c; the masking review_mask.c. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "review.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "excerpt_file.h"
#include "outfile.h"
#include "report.h" /* report_cell: the CSV cell rules */
#include "review_private.h"
#include "sha256.h"

/* ============================================================== options */

void review_options_init(struct review_options *o)
{
    memset(o, 0, sizeof *o);
    o->reviewers = 1;
    o->overlap = 0.10;
    o->max_excerpts = REVIEW_MAX_EXCERPTS;
    strmap_init(&o->seen);
}

void review_options_fini(struct review_options *o)
{
    strvec_fini(&o->names);
    strvec_fini(&o->evaluators);
    strmap_fini(&o->seen);
}

int review_load_names(struct review_options *o, const char *path,
                      struct diag *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot open --names file: %s",
                 strerror(errno));
        return -1;
    }
    o->names_file = path;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        const char *p = line;
        if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
            p += 3;
        while (isspace((unsigned char)*p))
            p++;
        if (*p && *p != '#')
            strvec_push(&o->names, p);
    }
    free(line);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot read --names file");
        return -1;
    }
    return 0;
}

void review_add_evaluator(struct review_options *o, const char *name,
                          size_t len)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)name[i]))
        i++;
    if (i == len)
        return;
    int added;
    strmap_put(&o->seen, name, len, o->evaluators.n, &added);
    if (added) {
        char *s = xstrndup(name, len);
        strvec_push(&o->evaluators, s);
        free(s);
    }
}

/* ============================================================== shuffle */

/* SplitMix64 (Steele, Lea & Flood 2014): a tiny generator whose output
 * depends only on the seed, the same on every platform. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, bound) without modulo bias (rejection). */
static uint64_t below(uint64_t *st, uint64_t bound)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % bound;
    uint64_t r;
    do
        r = splitmix64(st);
    while (r >= lim);
    return r % bound;
}

void review_shuffle(size_t *perm, size_t n, uint64_t seed)
{
    uint64_t st = seed;
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)below(&st, i);
        size_t tmp = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = tmp;
    }
}

uint64_t review_random_seed(void)
{
    uint64_t s = 0;
    unsigned char *p = (unsigned char *)&s;
    size_t got = 0;
    while (got < sizeof s) {
        ssize_t r = getrandom(p + got, sizeof s - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got < sizeof s) { /* no getrandom (old kernel): the clock, mixed */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        s ^= (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^
             (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 32);
    }
    return s;
}

/* ============================================================ the folder */

/* The absolute, resolved form of path's folder part joined with its last
 * component ("out/review" -> "/home/x/out/review"), resolving the nearest
 * existing ancestor. NULL when nothing of it resolves. */
static char *resolve(const char *path)
{
    char *r = realpath(path, NULL);
    if (r)
        return r;
    char *dup = xstrdup(path);
    char *slash = strrchr(dup, '/');
    const char *base = slash ? slash + 1 : dup;
    char *parent = NULL;
    if (slash == dup)
        parent = xstrdup("/");
    else if (slash) {
        *slash = '\0';
        parent = resolve(dup);
    } else
        parent = realpath(".", NULL);
    char *out = NULL;
    if (parent) {
        struct buf b;
        buf_init(&b);
        buf_printf(&b, "%s%s%s", parent,
                   parent[strlen(parent) - 1] == '/' ? "" : "/", base);
        out = xstrdup(buf_cstr(&b));
        buf_fini(&b);
    }
    free(parent);
    free(dup);
    return out;
}

int review_check(const struct review_options *o, const char *out_dir,
                 struct diag *err)
{
    if (!o->enabled)
        return 0;
    if (!o->key_path || !*o->key_path) {
        diag_set(err, DIAG_ERROR, NULL, 0, 0,
                 "--review-packet needs --review-key FILE: where the key "
                 "that joins verdicts back to evaluations goes (outside "
                 "the packet folder %s/review/)", out_dir);
        return -1;
    }
    struct buf rv;
    buf_init(&rv);
    buf_printf(&rv, "%s/review", out_dir);
    char *dir = resolve(buf_cstr(&rv));
    char *key = resolve(o->key_path);
    buf_fini(&rv);
    int bad = !dir || !key;
    if (!bad) {
        size_t n = strlen(dir);
        bad = strncmp(key, dir, n) == 0 && (key[n] == '/' || key[n] == '\0');
    }
    free(dir);
    free(key);
    if (bad) {
        diag_set(err, DIAG_ERROR, o->key_path, 0, 0,
                 "the review key must not be inside the packet folder "
                 "%s/review/ (the packet is sent to reviewers as it is)",
                 out_dir);
        return -1;
    }
    return 0;
}

static int make_dir(const char *path, struct diag *err)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST) {
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        diag_set(err, DIAG_ERROR, path, 0, 0, "not a folder");
        return -1;
    }
    diag_set(err, DIAG_ERROR, path, 0, 0, "cannot create the packet "
             "folder: %s", strerror(errno));
    return -1;
}

/* ================================================================ items */

/* One item: the rows first..first+n-1 of the kept rows (one per lexicon x
 * category that matched the span; adjacent in excerpts.csv, which writes
 * a field's hits in order of span). */
struct group {
    size_t first, n;
};

static char *dup_joined(const struct strvec *v, size_t field, size_t n)
{
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_puts(&b, "; ");
        buf_puts(&b, v->v[i * RV_KEYCOLS + field]);
    }
    char *s = xstrdup(buf_cstr(&b));
    buf_fini(&b);
    return s;
}

static char *masked(const review_masker *m, const char *s, size_t n,
                    int flags)
{
    struct buf b;
    buf_init(&b);
    review_mask_ex(m, s, n, flags, &b);
    char *r = xstrdup(buf_cstr(&b));
    buf_fini(&b);
    return r;
}

/* Fill it from the group's rows. */
static int make_item(struct rv_item *it, excerpt_file *xf,
                     const excerpt_index *xi, size_t ncols,
                     const struct xi_row *rows, const struct group *g,
                     const review_masker *m, struct diag *err)
{
    struct xf_row r;
    static const int keycols[RV_KEYCOLS] = {
        XF_ID, XF_RESIDENT, XF_COLUMN, XF_LEXICON, XF_CATEGORY, XF_TERM,
        XF_NEGATED, XF_START, XF_END, XF_SPAN_ID, XF_REFERENT, XF_QUOTED};
    for (size_t j = 0; j < g->n; j++) {
        if (excerpt_file_read(xf, rows[g->first + j].off, &r, err) < 0)
            return -1;
        for (size_t c = 0; c < RV_KEYCOLS; c++)
            strvec_push(&it->key, r.f[keycols[c]]);
    }
    /* The rows of a span are one evaluation's: one set of cohorts, which
     * review import needs to take unconfirmed hits out of the tally. */
    for (size_t c = 0; c < ncols; c++)
        strvec_push(&it->cohorts,
                    rows[g->first].cohort
                        ? excerpt_index_label(xi, c, rows[g->first].cohort[c])
                        : "");
    if (g->n > 1 && excerpt_file_read(xf, rows[g->first].off, &r, err) < 0)
        return -1;
    it->lex = dup_joined(&it->key, 3, g->n);
    it->cat = dup_joined(&it->key, 4, g->n);
    it->term = dup_joined(&it->key, 5, g->n);
    it->column = xstrdup(r.f[XF_COLUMN]);
    it->negated = r.negated;
    const char *x = r.f[XF_EXCERPT];
    size_t s, e;
    if (xf_row_mark(&r, &rows[g->first], &s, &e) == 0) {
        it->a = masked(m, x, s, 0);
        it->b = masked(m, x + s, e - s, REVIEW_MASK_NAMES_ONLY);
        it->c = masked(m, x + e, r.len[XF_EXCERPT] - e, 0);
        it->gendered = review_is_gendered(m, x + s, e - s);
    } else {
        it->a = masked(m, x, r.len[XF_EXCERPT], 0);
        it->b = xstrdup("");
        it->c = xstrdup("");
    }
    it->flagged = masked(m, r.f[XF_MATCHED], r.len[XF_MATCHED],
                         REVIEW_MASK_NAMES_ONLY);
    if (!it->gendered)
        it->gendered = review_is_gendered(m, r.f[XF_MATCHED],
                                          r.len[XF_MATCHED]);
    return 0;
}

static void item_fini(struct rv_item *it)
{
    free(it->lex);
    free(it->cat);
    free(it->term);
    free(it->column);
    free(it->a);
    free(it->b);
    free(it->c);
    free(it->flagged);
    strvec_fini(&it->key);
    strvec_fini(&it->cohorts);
}

/* Group the kept rows (in file order) into spans, one per span_id. */
static int make_groups(excerpt_file *xf, const struct xi_row *rows,
                       size_t nrows, struct group **out, size_t *nout,
                       struct diag *err)
{
    struct buf prev;
    struct xf_row r;
    buf_init(&prev);
    struct group *g = xmalloc((nrows ? nrows : 1) * sizeof *g);
    size_t n = 0;
    for (size_t i = 0; i < nrows; i++) {
        if (excerpt_file_read(xf, rows[i].off, &r, err) < 0) {
            buf_fini(&prev);
            free(g);
            return -1;
        }
        if (n && prev.len == r.len[XF_SPAN_ID] &&
            memcmp(prev.p, r.f[XF_SPAN_ID], prev.len) == 0) {
            g[n - 1].n++;
            continue;
        }
        buf_clear(&prev);
        buf_append(&prev, r.f[XF_SPAN_ID], r.len[XF_SPAN_ID]);
        g[n++] = (struct group){i, 1};
    }
    buf_fini(&prev);
    *out = g;
    *nout = n;
    return 0;
}

/* ============================================================== packets */

/* Packet slot's id: 16 hex digits of SHA-256("evalbias review packet",
 * seed, slot), so the id names the packet but tells nothing of the seed. */
static void packet_id(char out[17], uint64_t seed, unsigned slot)
{
    struct sha256 h;
    unsigned char d[SHA256_DIGEST_LEN], b[12];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(seed >> (8 * i));
    for (int i = 0; i < 4; i++)
        b[8 + i] = (unsigned char)(slot >> (8 * i));
    sha256_init(&h);
    sha256_update(&h, "evalbias review packet", 23);
    sha256_update(&h, b, sizeof b);
    sha256_final(&h, d);
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Split items 0..n-1 (already in shuffled order) among the reviewers: the
 * first round(overlap * n) go to everyone, the rest in turn to one each. */
static void split(struct rv_packet *pk, unsigned np, size_t n,
                  double overlap, size_t *nshared)
{
    size_t shared = np > 1 ? (size_t)(overlap * (double)n + 0.5) : 0;
    if (shared > n)
        shared = n;
    *nshared = shared;
    for (unsigned k = 0; k < np; k++) {
        pk[k].idx = xmalloc((n ? n : 1) * sizeof *pk[k].idx);
        pk[k].n = 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (i < shared) {
            for (unsigned k = 0; k < np; k++)
                pk[k].idx[pk[k].n++] = i;
        } else {
            struct rv_packet *p = &pk[(i - shared) % np];
            p->idx[p->n++] = i;
        }
    }
}

/* ================================================================ files */

static int write_csv(const char *path, const struct rv_item *items,
                     const struct rv_packet *p, int show_categories,
                     struct diag *err)
{
    struct outfile o;
    if (outfile_open(&o, path, err) < 0)
        return -1;
    fputs(show_categories
              ? "packet_id,reviewer,item_id,lexicon,category,term,column,"
                "negated,blinding,flagged_text,excerpt,verdict,comment\r\n"
              : "packet_id,reviewer,item_id,column,negated,blinding,"
                "flagged_text,excerpt,verdict,comment\r\n",
          o.f);
    struct buf whole;
    buf_init(&whole);
    for (size_t i = 0; i < p->n; i++) {
        const struct rv_item *it = &items[p->idx[i]];
        fprintf(o.f, "%s,%s,", p->id, p->reviewer);
        report_cell_str(o.f, it->id);
        if (show_categories) {
            const char *v[] = {it->lex, it->cat, it->term};
            for (int c = 0; c < 3; c++) {
                fputc(',', o.f);
                report_cell_str(o.f, v[c]);
            }
        }
        fputc(',', o.f);
        report_cell_str(o.f, it->column);
        fprintf(o.f, ",%s,%s,", it->negated ? "true" : "false",
                it->gendered ? "cannot be blinded" : "blinded");
        report_cell_str(o.f, it->flagged);
        fputc(',', o.f);
        buf_clear(&whole);
        buf_printf(&whole, "%s%s%s", it->a, it->b, it->c);
        report_cell(o.f, whole.p ? whole.p : "", whole.len);
        fputs(",,\r\n", o.f);
    }
    buf_fini(&whole);
    return outfile_close(&o, 1, err);
}

static int write_key(const char *path, const struct rv_item *items,
                     const struct rv_packet *pk, unsigned np, uint64_t seed,
                     const struct strvec *cohort_cols, struct diag *err)
{
    struct outfile o;
    if (outfile_open(&o, path, err) < 0)
        return -1;
    fputs("packet_id,reviewer,item_id,evaluation_id,resident,column,lexicon,"
          "category,term,negated,start,end,span_id,blinding,excerpt,seed,"
          "referent,quoted", o.f);
    /* The evaluation's cohorts, one column each, named after the cohort
     * column: what review import's confirmed rates are counted by. */
    for (size_t c = 0; c < cohort_cols->n; c++) {
        struct buf h;
        buf_init(&h);
        buf_printf(&h, "cohort:%s", cohort_cols->v[c]);
        fputc(',', o.f);
        report_cell_str(o.f, buf_cstr(&h));
        buf_fini(&h);
    }
    fputs("\r\n", o.f);
    struct buf whole;
    buf_init(&whole);
    for (unsigned k = 0; k < np; k++)
        for (size_t i = 0; i < pk[k].n; i++) {
            const struct rv_item *it = &items[pk[k].idx[i]];
            buf_clear(&whole);
            buf_printf(&whole, "%s%s%s", it->a, it->b, it->c);
            for (size_t r = 0; r * RV_KEYCOLS < it->key.n; r++) {
                char *const *kv = it->key.v + r * RV_KEYCOLS;
                fprintf(o.f, "%s,%s,", pk[k].id, pk[k].reviewer);
                report_cell_str(o.f, it->id);
                for (size_t c = 0; c < 10; c++) {
                    fputc(',', o.f);
                    report_cell_str(o.f, kv[c]);
                }
                fprintf(o.f, ",%s,",
                        it->gendered ? "cannot be blinded" : "blinded");
                report_cell(o.f, whole.p ? whole.p : "", whole.len);
                fprintf(o.f, ",%llu,", (unsigned long long)seed);
                report_cell_str(o.f, kv[10]);
                fputc(',', o.f);
                report_cell_str(o.f, kv[11]);
                for (size_t c = 0; c < cohort_cols->n; c++) {
                    fputc(',', o.f);
                    report_cell_str(o.f, c < it->cohorts.n
                                             ? it->cohorts.v[c] : "");
                }
                fputs("\r\n", o.f);
            }
        }
    buf_fini(&whole);
    return outfile_close(&o, 1, err);
}

static int write_packet(const char *dir, const struct rv_item *items,
                        const struct rv_packet *p,
                        const struct rv_summary *sum, struct diag *err)
{
    if (make_dir(dir, err) < 0)
        return -1;
    struct buf path;
    buf_init(&path);
    buf_printf(&path, "%s/review.csv", dir);
    int rc = write_csv(buf_cstr(&path), items, p, sum->show_categories, err);
    if (rc == 0) {
        buf_clear(&path);
        buf_printf(&path, "%s/review.html", dir);
        struct outfile o;
        rc = outfile_open(&o, buf_cstr(&path), err);
        if (rc == 0) {
            review_page_write(o.f, items, p, sum);
            rc = outfile_close(&o, 1, err);
        }
    }
    buf_fini(&path);
    return rc;
}

static int cmp_off(const void *a, const void *b)
{
    const struct xi_row *p = a, *q = b;
    return p->off < q->off ? -1 : p->off > q->off;
}

/* Copy into out at most max of the n rows (by entry, each entry's in file
 * order, as excerpt_index_rows gives them): the first ones of each entry,
 * as many for each as max allows. The largest share q with
 * sum(min(count, q)) <= max, then one more for the first entries (in
 * entry order) that have more, while room is left. Returns the number
 * copied. */
static size_t take_fair(const struct xi_row *rows, size_t n, size_t max,
                        struct xi_row *out)
{
    if (n <= max) {
        memcpy(out, rows, n * sizeof *rows);
        return n;
    }
    /* Share by bisection: sum(min(count, q)) grows with q. */
    size_t lo = 0, hi = max;
    while (lo < hi) {
        size_t q = lo + (hi - lo + 1) / 2, sum = 0;
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && rows[j].entry == rows[i].entry)
                j++;
            sum += j - i < q ? j - i : q;
            i = j;
        }
        if (sum <= max)
            lo = q;
        else
            hi = q - 1;
    }
    size_t m = 0, room = max;
    for (size_t i = 0; i < n;) { /* room left after the share */
        size_t j = i;
        while (j < n && rows[j].entry == rows[i].entry)
            j++;
        room -= j - i < lo ? j - i : lo;
        i = j;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && rows[j].entry == rows[i].entry)
            j++;
        size_t take = j - i < lo ? j - i : lo;
        if (j - i > lo && room) {
            take++;
            room--;
        }
        memcpy(out + m, rows + i, take * sizeof *rows);
        m += take;
        i = j;
    }
    return m;
}

int review_write(const struct review_options *o, const tally *t,
                 const struct run_info *ri, const char *out_dir,
                 const char *excerpts_path, struct excerpt_index *xi,
                 struct diag *err)
{
    if (review_check(o, out_dir, err) < 0)
        return -1;
    if (excerpt_index_ok(xi) < 0) {
        diag_set(err, DIAG_ERROR, excerpts_path, 0, 0,
                 "cannot tell where its rows are (ftello failed)");
        return -1;
    }
    excerpt_file *xf = excerpt_file_open(excerpts_path, err);
    if (!xf)
        return -1;
    struct rv_summary sum;
    memset(&sum, 0, sizeof sum);
    review_masker *m = review_masker_new();
    review_masker_gendered(m, !o->keep_gendered);
    /* Every cohort column holds every resident: column 0's cells name them
     * all. */
    if (ri->resident_col && tally_ncohort_cols(t))
        for (size_t k = 0; k < tally_ncohorts(t, 0); k++)
            for (size_t j = 0; j < tally_ncells(t, 0, k); j++, sum.residents++)
                review_masker_add(m, tally_cell_resident(t, 0, k, j),
                                  "[resident]");
    for (size_t i = 0; i < o->evaluators.n; i++)
        review_masker_add(m, o->evaluators.v[i], "[evaluator]");
    for (size_t i = 0; i < o->names.n; i++)
        review_masker_add(m, o->names.v[i], "[name]");
    sum.evaluators = o->evaluators.n;
    sum.names = o->names.n;
    const struct xi_row *by_entry;
    size_t kept = excerpt_index_rows(xi, &by_entry);
    sum.total = excerpt_index_total(xi);
    sum.max_excerpts = o->max_excerpts;
    sum.keep_gendered = o->keep_gendered;
    sum.show_categories = o->show_categories;
    /* At most max_excerpts, in file order, then the shuffle. */
    struct xi_row *rows = xmalloc((kept ? kept : 1) * sizeof *rows);
    size_t nrows = take_fair(by_entry, kept, o->max_excerpts, rows);
    sum.rows = nrows;
    qsort(rows, nrows, sizeof *rows, cmp_off);
    struct group *g = NULL;
    size_t n = 0;
    int rc = make_groups(xf, rows, nrows, &g, &n, err);
    uint64_t seed = o->seed_set ? o->seed : review_random_seed();
    size_t *perm = xmalloc((n ? n : 1) * sizeof *perm);
    review_shuffle(perm, n, seed);
    /* Items in shuffled order: the ids follow it, so an id tells neither
     * the evaluation nor where the run found it. */
    struct rv_item *items = xcalloc(n ? n : 1, sizeof *items);
    for (size_t i = 0; i < n && rc == 0; i++) {
        snprintf(items[i].id, sizeof items[i].id, "E%05lu",
                 (unsigned long)(i + 1) % 100000000ul);
        rc = make_item(&items[i], xf, xi, ri->cohort_cols.n, rows, &g[perm[i]],
                       m, err);
    }
    sum.items = n;
    unsigned np = o->reviewers ? o->reviewers : 1;
    sum.reviewers = np;
    struct rv_packet *pk = xcalloc(np, sizeof *pk);
    split(pk, np, n, o->overlap, &sum.overlap);
    for (unsigned k = 0; k < np; k++) {
        pk[k].slot = k + 1;
        snprintf(pk[k].reviewer, sizeof pk[k].reviewer, "R%u", k + 1);
        packet_id(pk[k].id, seed, k + 1);
    }
    struct buf dir;
    buf_init(&dir);
    buf_printf(&dir, "%s/review", out_dir);
    if (rc == 0)
        rc = make_dir(buf_cstr(&dir), err);
    /* The key first: a packet never exists without the key that reads
     * its verdicts back. */
    if (rc == 0)
        rc = write_key(o->key_path, items, pk, np, seed, &ri->cohort_cols,
                       err);
    for (unsigned k = 0; k < np && rc == 0; k++) {
        buf_clear(&dir);
        if (np == 1)
            buf_printf(&dir, "%s/review", out_dir);
        else
            buf_printf(&dir, "%s/review/%s", out_dir, pk[k].reviewer);
        rc = write_packet(buf_cstr(&dir), items, &pk[k], &sum, err);
    }
    buf_fini(&dir);
    for (unsigned k = 0; k < np; k++)
        free(pk[k].idx);
    free(pk);
    for (size_t i = 0; i < n; i++)
        item_fini(&items[i]);
    free(items);
    free(perm);
    free(g);
    free(rows);
    review_masker_free(m);
    excerpt_file_free(xf);
    return rc;
}
