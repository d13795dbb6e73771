/* tally_file.c - write and read tally files (format: tally_file.h). */
#include "tally_file.h"
#include "sha256.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *tally_clusters_name(enum tally_clusters c)
{
    switch (c) {
    case TALLY_CLUSTERS_RESIDENT: return "resident";
    case TALLY_CLUSTERS_EVALUATION: return "evaluation";
    case TALLY_CLUSTERS_ROW: return "row";
    case TALLY_CLUSTERS_NONE: return "none";
    }
    return "?";
}

/* ============================================================== writing */

/* A string field: TAB, then s escaped. Most strings (names, labels) need
 * no escape: those are found by one scan and appended at once. */
static void put_str(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    size_t n = 0;
    while (u[n] && u[n] >= 0x20 && u[n] != '\\' && u[n] != 0x7f)
        n++;
    buf_reserve(b, n + 1);
    b->p[b->len++] = '\t';
    memcpy(b->p + b->len, u, n);
    b->len += n;
    b->p[b->len] = '\0';
    for (const unsigned char *p = u + n; *p; p++) {
        switch (*p) {
        case '\\': buf_puts(b, "\\\\"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                buf_puts(b, "\\x");
                buf_putc(b, hex[*p >> 4]);
                buf_putc(b, hex[*p & 15]);
            } else {
                buf_putc(b, (char)*p);
            }
        }
    }
}

/* A number field: TAB, then v in decimal (as "%llu": dec_u64). */
static void put_u64(struct buf *b, uint64_t v)
{
    buf_reserve(b, 1 + DEC_U64_MAX);
    b->p[b->len++] = '\t';
    b->len += dec_u64(b->p + b->len, v);
    b->p[b->len] = '\0';
}

/* A record name, TAB and a number: "rec\tN" (no newline). */
static void put_rec_num(struct buf *b, const char *rec, uint64_t v)
{
    buf_puts(b, rec);
    put_u64(b, v);
}

/* v >= 10 in decimal at p (as dec_u64); returns the end. Items are a few
 * digits: up to 9999, two digits a step from a table, without dec_u64's
 * call and copy. */
static char *put_dec_long(char *p, uint64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    if (v >= 10000)
        return p + dec_u64(p, v);
    unsigned x = (unsigned)v;
    if (x < 100) {
        memcpy(p, pairs + 2 * x, 2);
        return p + 2;
    }
    unsigned hi = x / 100, lo = x % 100;
    if (hi < 10) {
        *p++ = (char)('0' + hi);
    } else {
        memcpy(p, pairs + 2 * hi, 2);
        p += 2;
    }
    memcpy(p, pairs + 2 * lo, 2);
    return p + 2;
}

/* TAB, then v in decimal; returns the end. Most counts are one digit. */
static inline char *put_field(char *p, uint64_t v)
{
    *p++ = '\t';
    if (v < 10) {
        *p = (char)('0' + v);
        return p + 1;
    }
    return put_dec_long(p, v);
}

/* "rec\tITEM\tHITS\tNEGATED\tEVALS\tOTHER\tQUOTED\n": the most frequent
 * line of a tally file, written into one reservation. rec is a string
 * literal (PUT_COUNTS). */
static inline void put_counts(struct buf *b, const char *rec, size_t rl,
                              size_t item, const struct item_counts *n)
{
    size_t need = rl + 6 * (1 + DEC_U64_MAX) + 2;
    if (b->cap - b->len < need)
        buf_reserve(b, need);
    char *p = b->p + b->len;
    memcpy(p, rec, rl);
    p = put_field(p + rl, item);
    p = put_field(p, n->hits);
    p = put_field(p, n->negated);
    p = put_field(p, n->evals_with_hit);
    p = put_field(p, n->other_referent);
    p = put_field(p, n->quoted);
    *p++ = '\n';
    *p = '\0';
    b->len = (size_t)(p - b->p);
}
#define PUT_COUNTS(b, rec, item, n) put_counts(b, rec, sizeof rec - 1, item, n)

static int nonzero(const struct item_counts *n)
{
    return n->hits || n->negated || n->evals_with_hit || n->other_referent ||
           n->quoted;
}

static const char *given(int guessed) { return guessed ? "guessed" : "given"; }

static void write_run(struct buf *b, const struct run_info *ri)
{
    for (size_t i = 0; i < ri->ninputs; i++) {
        const struct input_info *in = &ri->inputs[i];
        buf_puts(b, "input");
        put_str(b, path_basename(in->path));
        put_u64(b, in->bytes);
        put_str(b, in->sha256);
        put_str(b, in->encoding);
        put_u64(b, in->rows_read);
        buf_putc(b, '\n');
    }
    for (size_t i = 0; i < ri->text_cols.n; i++) {
        buf_puts(b, "text_column");
        put_str(b, ri->text_cols.v[i]);
        buf_putc(b, '\n');
    }
    for (size_t i = 0; i < ri->cohort_cols.n; i++) {
        buf_puts(b, "cohort_column");
        put_str(b, ri->cohort_cols.v[i]);
        buf_putc(b, '\n');
    }
    buf_printf(b, "mapping\t%s\t%s\n", given(ri->text_guessed),
               given(ri->cohort_guessed));
    if (ri->id_col) {
        buf_puts(b, "id_column");
        put_str(b, ri->id_col);
        buf_printf(b, "\t%s\n", given(ri->id_guessed));
    }
    if (ri->resident_col) {
        buf_puts(b, "resident_column");
        put_str(b, ri->resident_col);
        buf_printf(b, "\t%s\n", given(ri->resident_guessed));
    }
    if (ri->cohort_map) {
        buf_puts(b, "cohort_map");
        put_str(b, path_basename(ri->cohort_map));
        put_str(b, ri->cohort_map_sha256);
        buf_putc(b, '\n');
    }
    if (ri->period) {
        buf_puts(b, "period");
        put_str(b, ri->period);
        buf_putc(b, '\n');
    }
    if (ri->evaluator_col) {
        buf_puts(b, "evaluator_column");
        put_str(b, ri->evaluator_col);
        buf_printf(b, "\t%s\n", given(ri->evaluator_guessed));
    }
    for (size_t i = 0; i < ri->adjust_cols.n; i++) {
        buf_puts(b, "adjust");
        put_str(b, ri->adjust_cols.v[i]);
        buf_putc(b, '\n');
    }
    for (size_t i = 0; i < ri->strata_cols.n; i++) {
        buf_puts(b, "stratum_column");
        put_str(b, ri->strata_cols.v[i]);
        buf_putc(b, '\n');
    }
    buf_printf(b, "rows\t%lu\t%lu\t%lu\n", ri->rows_read, ri->rows_analysed,
               ri->rows_skipped);
    for (size_t k = 0; k < ri->skip_reasons.n; k++) {
        buf_puts(b, "skip_reason");
        put_str(b, ri->skip_reasons.v[k]);
        buf_printf(b, "\t%lu\n", ri->skip_reason_counts[k]);
    }
    for (size_t i = 0; i < ri->nskips; i++) {
        buf_printf(b, "skip\t%zu\t%lu", ri->skips[i].input, ri->skips[i].row);
        put_str(b, ri->skips[i].reason);
        buf_putc(b, '\n');
    }
    buf_puts(b, "totals");
    put_u64(b, ri->words);
    put_u64(b, ri->hits);
    put_u64(b, ri->negated);
    put_u64(b, ri->other_referent);
    put_u64(b, ri->quoted);
    buf_putc(b, '\n');
    buf_puts(b, "units");
    put_u64(b, ri->evaluations);
    buf_printf(b, "\t%lu\n", ri->rows_without_comment);
}

/* Format 4: each column's level, and per-person label counts. */
static void write_labels(struct buf *b, const struct run_info *ri,
                         const labels *pl)
{
    for (size_t c = 0; c < ri->cohort_levels.n; c++)
        buf_printf(b, "level\t%zu\t%s\n", c, ri->cohort_levels.v[c]);
    for (size_t c = 0; pl && c < ri->cohort_levels.n; c++)
        for (size_t j = 0; j < labels_npersons(pl, c); j++)
            for (size_t i = 0; i < labels_nlabels(pl, c, j); i++) {
                uint64_t n;
                const char *l = labels_label(pl, c, j, i, &n);
                put_rec_num(b, "person", c);
                put_str(b, labels_person(pl, c, j));
                put_str(b, l);
                put_u64(b, n);
                buf_putc(b, '\n');
            }
}

static void write_lexicons(struct buf *b, const struct lexicon_set *set)
{
    for (size_t i = 0; i < set->nlexicons; i++) {
        const struct lex_info *l = &set->lexicons[i];
        buf_puts(b, "lexicon");
        put_str(b, l->name);
        put_str(b, l->version);
        put_str(b, path_basename(l->path));
        put_str(b, l->sha256);
        put_str(b, l->license);
        put_str(b, l->description);
        buf_putc(b, '\n');
    }
    for (size_t g = 0; g < set->ncategories; g++) {
        const struct lex_category *c = &set->categories[g];
        put_rec_num(b, "category", c->lexicon);
        put_str(b, c->name);
        put_str(b, c->direction);
        put_str(b, c->description);
        buf_putc(b, '\n');
        for (size_t s = 0; s < c->sources.n; s++) {
            put_rec_num(b, "source", g);
            put_str(b, c->sources.v[s]);
            buf_putc(b, '\n');
        }
        if (*c->label || *c->summary) {
            put_rec_num(b, "label", g);
            put_str(b, c->label);
            put_str(b, c->summary);
            buf_putc(b, '\n');
        }
    }
    for (size_t e = 0; e < set->nentries; e++) {
        put_rec_num(b, "entry", set->entries[e].category);
        put_str(b, set->entries[e].term);
        buf_putc(b, '\n');
    }
}

static void write_counts(struct buf *b, const tally *t,
                         const struct strvec *cols,
                         const struct lexicon_set *set)
{
    size_t nitems = tally_nitems(t);
    size_t *items = xmalloc((nitems ? nitems : 1) * sizeof *items);
    struct item_counts *counts = xmalloc((nitems ? nitems : 1) *
                                         sizeof *counts);
    buf_printf(b, "tally\t%zu\t%zu\t%zu\n", tally_ncohort_cols(t),
               set->nentries, set->ncategories);
    for (size_t c = 0; c < tally_ncohort_cols(t); c++) {
        buf_puts(b, "column");
        put_str(b, cols->v[c]);
        buf_putc(b, '\n');
    }
    for (size_t c = 0; c < tally_ncohort_cols(t); c++)
        for (size_t k = 0; k < tally_ncohorts(t, c); k++) {
            struct cohort_totals ct;
            tally_cohort_totals(t, c, k, &ct);
            put_rec_num(b, "cohort", c);
            put_str(b, tally_cohort_name(t, c, k));
            put_u64(b, ct.evaluations);
            put_u64(b, ct.words);
            buf_putc(b, '\n');
            for (size_t i = 0; i < nitems; i++) {
                struct item_counts n = tally_item(t, c, k, i);
                if (nonzero(&n))
                    PUT_COUNTS(b, "cohort_item", i, &n);
            }
            for (size_t j = 0; j < tally_ncells(t, c, k); j++) {
                uint64_t ev, w;
                tally_cell_totals(t, c, k, j, &ev, &w);
                buf_puts(b, "cell");
                put_str(b, tally_cell_resident(t, c, k, j));
                put_u64(b, ev);
                put_u64(b, w);
                buf_putc(b, '\n');
                size_t m = tally_cell_items(t, c, k, j, items, counts);
                for (size_t x = 0; x < m; x++)
                    if (nonzero(&counts[x]))
                        PUT_COUNTS(b, "cell_item", items[x], &counts[x]);
            }
            for (size_t j = 0; j < tally_nfine(t, c, k); j++) {
                struct tally_fine fc;
                tally_fine_cell(t, c, k, j, &fc);
                buf_puts(b, "fine");
                put_str(b, fc.resident);
                put_str(b, fc.evaluator);
                put_str(b, fc.stratum);
                put_u64(b, fc.evaluations);
                put_u64(b, fc.words);
                buf_putc(b, '\n');
                size_t m = tally_fine_items(t, c, k, j, items, counts);
                for (size_t x = 0; x < m; x++)
                    if (nonzero(&counts[x]))
                        PUT_COUNTS(b, "fine_item", items[x], &counts[x]);
            }
        }
    if (tally_has_fine(t))
        buf_puts(b, "fine_cells\tcomplete\n");
    free(items);
    free(counts);
}

int tally_file_write(FILE *f, const tally *t, const struct tally_file_meta *m,
                     struct diag *err)
{
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "%s\t%d\n", TALLY_FILE_MAGIC, TALLY_FILE_VERSION);
    buf_puts(&b, "tool\tevalbias");
    put_str(&b, m->ri->version);
    buf_putc(&b, '\n');
    buf_printf(&b, "clusters\t%s\n", tally_clusters_name(m->clusters));
    if (m->key_fingerprint)
        buf_printf(&b, "pseudonym\t%s\n", m->key_fingerprint);
    write_run(&b, m->ri);
    write_lexicons(&b, m->set);
    write_counts(&b, t, m->cols, m->set);
    write_labels(&b, m->ri, m->pl);
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(b.p, b.len, hex);
    buf_printf(&b, "end\t%s\n", hex);
    int ok = fwrite(b.p, 1, b.len, f) == b.len;
    buf_fini(&b);
    if (!ok) {
        diag_set(err, DIAG_ERROR, NULL, 0, 0, "cannot write the tally: %s",
                 strerror(errno));
        return -1;
    }
    return 0;
}

/* ============================================================== reading */

struct reader_state {
    struct tally_part *p;
    const char *path;
    unsigned long line;
    char *f[12];            /* fields of the current line (unescaped) */
    size_t nf;
    /* counts section */
    int in_tally;
    size_t cur_col, cur_cohort, cur_cell, cur_fine;
    int have_cohort, have_cell;
    size_t skip_reasons_cap;
    unsigned version;       /* the file's format */
};

static int fail(struct reader_state *st, struct diag *err, const char *fmt,
                const char *arg) __attribute__((format(printf, 3, 0)));

/* Fill err with "file:line: error: fmt" (fmt takes at most one %s: arg). */
static int fail(struct reader_state *st, struct diag *err, const char *fmt,
                const char *arg)
{
    char msg[512];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
#pragma GCC diagnostic pop
    diag_set(err, DIAG_ERROR, st->path, st->line, 0, "%s", msg);
    return -1;
}

/* Undo put_str in place. Returns 0, or -1 on a bad escape. */
static int unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p != '\\') {
            *o++ = *p;
            continue;
        }
        switch (*++p) {
        case '\\': *o++ = '\\'; break;
        case 't': *o++ = '\t'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 'x': {
            int v = 0;
            for (int i = 0; i < 2; i++) {
                char c = *++p;
                int d = c >= '0' && c <= '9' ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (d < 0)
                    return -1;
                v = v * 16 + d;
            }
            if (v == 0)
                return -1;
            *o++ = (char)v;
            break;
        }
        default:
            return -1;
        }
    }
    *o = '\0';
    return 0;
}

static int num(const char *s, uint64_t max, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

/* Field i as a number <= max, or an error. */
#define NUM(i, max, out)                                                    \
    do {                                                                    \
        uint64_t v_;                                                        \
        if (num(st->f[i], (max), &v_) < 0)                                  \
            return fail(st, err, "%s: bad number", st->f[0]);               \
        (out) = v_;                                                         \
    } while (0)

static int guessed_of(const char *s, int *out)
{
    if (strcmp(s, "given") == 0)
        *out = 0;
    else if (strcmp(s, "guessed") == 0)
        *out = 1;
    else
        return -1;
    return 0;
}

static void set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = xstrdup(s);
}

/* Records before `tally`: the run and the lexicons. */
static int run_record(struct reader_state *st, struct diag *err)
{
    struct tally_part *p = st->p;
    struct run_info *ri = &p->ri;
    struct lexicon_set *set = p->set;
    const char *r = st->f[0];
    size_t nf = st->nf;
#define WANT(n)                                                             \
    if (nf != (n))                                                          \
        return fail(st, err, "%s: wrong number of fields", r)
    if (strcmp(r, "tool") == 0) {
        WANT(3);
        set_str(&p->tool_version, st->f[2]);
    } else if (strcmp(r, "clusters") == 0) {
        WANT(2);
        if (strcmp(st->f[1], "resident") == 0)
            p->clusters = TALLY_CLUSTERS_RESIDENT;
        else if (strcmp(st->f[1], "evaluation") == 0)
            p->clusters = TALLY_CLUSTERS_EVALUATION;
        else if (strcmp(st->f[1], "row") == 0)
            p->clusters = TALLY_CLUSTERS_ROW;
        else if (strcmp(st->f[1], "none") == 0 && st->version >= 7)
            p->clusters = TALLY_CLUSTERS_NONE;
        else
            return fail(st, err, "clusters: unknown kind \"%s\"", st->f[1]);
    } else if (strcmp(r, "pseudonym") == 0) {
        WANT(2);
        snprintf(p->key_fingerprint, sizeof p->key_fingerprint, "%s",
                 st->f[1]);
    } else if (strcmp(r, "input") == 0) {
        WANT(6);
        ri->inputs = xrealloc(ri->inputs,
                              (ri->ninputs + 1) * sizeof *ri->inputs);
        struct input_info *in = &ri->inputs[ri->ninputs];
        memset(in, 0, sizeof *in);
        in->path = xstrdup(st->f[1]);
        ri->ninputs++;
        NUM(2, UINT64_MAX, in->bytes);
        snprintf(in->sha256, sizeof in->sha256, "%s", st->f[3]);
        snprintf(in->encoding, sizeof in->encoding, "%s", st->f[4]);
        NUM(5, ULONG_MAX, in->rows_read);
    } else if (strcmp(r, "text_column") == 0) {
        WANT(2);
        strvec_push(&ri->text_cols, st->f[1]);
    } else if (strcmp(r, "cohort_column") == 0) {
        WANT(2);
        strvec_push(&ri->cohort_cols, st->f[1]);
    } else if (strcmp(r, "mapping") == 0) {
        WANT(3);
        if (guessed_of(st->f[1], &ri->text_guessed) < 0 ||
            guessed_of(st->f[2], &ri->cohort_guessed) < 0)
            return fail(st, err, "mapping: expected given or guessed", NULL);
    } else if (strcmp(r, "id_column") == 0 ||
               strcmp(r, "resident_column") == 0) {
        WANT(3);
        int id = r[0] == 'i';
        set_str(id ? &p->id_col : &p->resident_col, st->f[1]);
        if (guessed_of(st->f[2], id ? &ri->id_guessed
                                    : &ri->resident_guessed) < 0)
            return fail(st, err, "%s: expected given or guessed", r);
        ri->id_col = p->id_col;
        ri->resident_col = p->resident_col;
    } else if (strcmp(r, "evaluator_column") == 0 && st->version >= 6) {
        WANT(3);
        set_str(&p->evaluator_col, st->f[1]);
        ri->evaluator_col = p->evaluator_col;
        if (guessed_of(st->f[2], &ri->evaluator_guessed) < 0)
            return fail(st, err, "%s: expected given or guessed", r);
    } else if (strcmp(r, "adjust") == 0 && st->version >= 6) {
        WANT(2);
        strvec_push(&ri->adjust_cols, st->f[1]);
    } else if (strcmp(r, "stratum_column") == 0 && st->version >= 6) {
        WANT(2);
        strvec_push(&ri->strata_cols, st->f[1]);
    } else if (strcmp(r, "period") == 0 && st->version >= 5) {
        WANT(2);
        set_str(&p->period, st->f[1]);
        ri->period = p->period;
    } else if (strcmp(r, "cohort_map") == 0) {
        WANT(3);
        set_str(&p->cohort_map, st->f[1]);
        ri->cohort_map = p->cohort_map;
        snprintf(ri->cohort_map_sha256, sizeof ri->cohort_map_sha256, "%s",
                 st->f[2]);
    } else if (strcmp(r, "units") == 0 && st->version >= 4) {
        WANT(3);
        NUM(1, UINT64_MAX, ri->evaluations);
        NUM(2, ULONG_MAX, ri->rows_without_comment);
    } else if (strcmp(r, "rows") == 0) {
        WANT(4);
        NUM(1, ULONG_MAX, ri->rows_read);
        NUM(2, ULONG_MAX, ri->rows_analysed);
        NUM(3, ULONG_MAX, ri->rows_skipped);
        if (ri->rows_read != ri->rows_analysed + ri->rows_skipped)
            return fail(st, err, "rows: read is not analysed + skipped", NULL);
    } else if (strcmp(r, "skip_reason") == 0) {
        WANT(3);
        strvec_push(&ri->skip_reasons, st->f[1]);
        ri->skip_reason_counts = xrealloc(
            ri->skip_reason_counts, ri->skip_reasons.n * sizeof(unsigned long));
        NUM(2, ULONG_MAX, ri->skip_reason_counts[ri->skip_reasons.n - 1]);
    } else if (strcmp(r, "skip") == 0) {
        WANT(4);
        uint64_t input, row;
        NUM(1, ri->ninputs ? ri->ninputs - 1 : 0, input);
        NUM(2, ULONG_MAX, row);
        if (!ri->ninputs)
            return fail(st, err, "skip: no input before it", NULL);
        grow(&ri->skips, &ri->skips_cap, ri->nskips + 1, sizeof *ri->skips);
        ri->skips[ri->nskips++] = (struct skip_info){
            .input = (size_t)input, .row = (unsigned long)row,
            .reason = xstrdup(st->f[3])};
    } else if (strcmp(r, "totals") == 0) {
        WANT(st->version >= 3 ? 6 : 4);
        NUM(1, UINT64_MAX, ri->words);
        NUM(2, UINT64_MAX, ri->hits);
        NUM(3, UINT64_MAX, ri->negated);
        ri->other_referent = ri->quoted = 0; /* before 3: none kept apart */
        if (st->version >= 3) {
            NUM(4, UINT64_MAX, ri->other_referent);
            NUM(5, UINT64_MAX, ri->quoted);
        }
    } else if (strcmp(r, "lexicon") == 0) {
        WANT(7);
        uint32_t i = lexicon_set_add_lexicon(set, st->f[1], st->f[3]);
        struct lex_info *l = &set->lexicons[i];
        set_str(&l->version, st->f[2]);
        snprintf(l->sha256, sizeof l->sha256, "%s", st->f[4]);
        set_str(&l->license, st->f[5]);
        set_str(&l->description, st->f[6]);
    } else if (strcmp(r, "category") == 0) {
        WANT(5);
        uint64_t lex;
        if (!set->nlexicons)
            return fail(st, err, "category: no lexicon before it", NULL);
        NUM(1, set->nlexicons - 1, lex);
        uint32_t g = lexicon_set_add_category(set, (uint32_t)lex, st->f[2]);
        set_str(&set->categories[g].direction, st->f[3]);
        set_str(&set->categories[g].description, st->f[4]);
    } else if (strcmp(r, "label") == 0 && st->version >= 2) {
        WANT(4);
        uint64_t g;
        if (!set->ncategories)
            return fail(st, err, "label: no category before it", NULL);
        NUM(1, set->ncategories - 1, g);
        set_str(&set->categories[g].label, st->f[2]);
        set_str(&set->categories[g].summary, st->f[3]);
    } else if (strcmp(r, "source") == 0 || strcmp(r, "entry") == 0) {
        WANT(3);
        uint64_t g;
        if (!set->ncategories)
            return fail(st, err, "%s: no category before it", r);
        NUM(1, set->ncategories - 1, g);
        if (r[0] == 's')
            strvec_push(&set->categories[g].sources, st->f[2]);
        else
            lexicon_set_add_entry(set, (uint32_t)g, st->f[2]);
    } else {
        return fail(st, err, "unknown record \"%s\"", r);
    }
    return 0;
}

static int start_tally(struct reader_state *st, struct diag *err)
{
    struct tally_part *p = st->p;
    uint64_t ncols, nent, ncat;
    if (st->nf != 4)
        return fail(st, err, "tally: wrong number of fields", NULL);
    NUM(1, 1u << 16, ncols);
    NUM(2, UINT32_MAX, nent);
    NUM(3, UINT32_MAX, ncat);
    if (nent != p->set->nentries || ncat != p->set->ncategories)
        return fail(st, err, "tally: entry or category count differs from "
                    "the lexicon records", NULL);
    if (ncols == 0)
        return fail(st, err, "tally: no cohort column", NULL);
    uint32_t *cat = xmalloc((nent ? nent : 1) * sizeof *cat);
    for (size_t e = 0; e < nent; e++)
        cat[e] = p->set->entries[e].category;
    p->t = tally_new((size_t)ncols, (size_t)nent, cat, (size_t)ncat);
    free(cat);
    /* Clusters that were evaluations or rows (formats before 7) were no
     * residents: their cells collapse into one per cohort, as format 7
     * writes them. */
    if (p->clusters != TALLY_CLUSTERS_RESIDENT) {
        p->clusters = TALLY_CLUSTERS_NONE;
        tally_no_residents(p->t);
    }
    st->in_tally = 1;
    return 0;
}

static int read_counts(struct reader_state *st, struct item_counts *n,
                       size_t *item, struct diag *err)
{
    if (st->nf != (st->version >= 3 ? 7u : 5u))
        return fail(st, err, "%s: wrong number of fields", st->f[0]);
    NUM(1, tally_nitems(st->p->t) - 1, *item);
    NUM(2, UINT64_MAX, n->hits);
    NUM(3, UINT64_MAX, n->negated);
    NUM(4, UINT64_MAX, n->evals_with_hit);
    n->other_referent = n->quoted = 0; /* before 3: nothing kept apart */
    if (st->version >= 3) {
        NUM(5, UINT64_MAX, n->other_referent);
        NUM(6, UINT64_MAX, n->quoted);
    }
    return 0;
}

static int count_record(struct reader_state *st, struct diag *err)
{
    struct tally_part *p = st->p;
    const char *r = st->f[0];
    size_t ncols = tally_ncohort_cols(p->t);
    if (strcmp(r, "column") == 0) {
        if (st->nf != 2 || p->cols.n >= ncols || st->have_cohort)
            return fail(st, err, "column: unexpected here", NULL);
        strvec_push(&p->cols, st->f[1]);
    } else if (strcmp(r, "cohort") == 0) {
        uint64_t c, ev, w;
        if (st->nf != 5 || p->cols.n != ncols)
            return fail(st, err, "cohort: unexpected here", NULL);
        NUM(1, ncols - 1, c);
        NUM(3, UINT64_MAX, ev);
        NUM(4, UINT64_MAX, w);
        st->cur_col = (size_t)c;
        st->cur_cohort = tally_put_cohort(p->t, st->cur_col, st->f[2]);
        tally_add_cohort(p->t, st->cur_col, st->cur_cohort, ev, w);
        st->have_cohort = 1;
        st->have_cell = 0;
    } else if (strcmp(r, "fine") == 0 && st->version >= 6) {
        uint64_t ev, w;
        if (st->nf != 6 || !st->have_cohort)
            return fail(st, err, "fine: unexpected here", NULL);
        NUM(4, UINT64_MAX, ev);
        NUM(5, UINT64_MAX, w);
        st->cur_fine = tally_put_fine(p->t, st->cur_col, st->cur_cohort,
                                      st->f[1], st->f[2], st->f[3]);
        tally_add_fine(p->t, st->cur_fine, ev, w);
        st->have_cell = 2;
    } else if (strcmp(r, "fine_cells") == 0 && st->version >= 6) {
        if (st->nf != 2 || strcmp(st->f[1], "complete") != 0)
            return fail(st, err, "fine_cells: unexpected here", NULL);
        tally_keep_fine(p->t);
    } else if (strcmp(r, "cohort_item") == 0 || strcmp(r, "cell_item") == 0 ||
               (strcmp(r, "fine_item") == 0 && st->version >= 6)) {
        struct item_counts n = {0};
        size_t item = 0;
        int cell = r[1] == 'e' ? 1 : r[0] == 'f' ? 2 : 0;
        if (!(cell ? st->have_cell == cell
                   : st->have_cohort && !st->have_cell))
            return fail(st, err, "%s: unexpected here", r);
        if (read_counts(st, &n, &item, err) < 0)
            return -1;
        if (cell == 2)
            tally_add_fine_item(p->t, st->cur_fine, item, &n);
        else if (cell)
            tally_add_cell_item(p->t, st->cur_cell, item, &n);
        else
            tally_add_cohort_item(p->t, st->cur_col, st->cur_cohort, item,
                                  &n);
    } else if (strcmp(r, "cell") == 0) {
        uint64_t ev, w;
        if (st->nf != 4 || !st->have_cohort)
            return fail(st, err, "cell: unexpected here", NULL);
        NUM(2, UINT64_MAX, ev);
        NUM(3, UINT64_MAX, w);
        st->cur_cell = tally_put_cell(p->t, st->cur_col, st->cur_cohort,
                                      st->f[1]);
        tally_add_cell(p->t, st->cur_cell, ev, w);
        st->have_cell = 1;
    } else if (strcmp(r, "level") == 0 && st->version >= 4) {
        uint64_t c;
        if (st->nf != 3 || p->cols.n != ncols || p->ri.cohort_levels.n >= ncols)
            return fail(st, err, "level: unexpected here", NULL);
        NUM(1, ncols - 1, c);
        if (c != p->ri.cohort_levels.n)
            return fail(st, err, "level: out of order", NULL);
        if (strcmp(st->f[2], "resident") && strcmp(st->f[2], "evaluator") &&
            strcmp(st->f[2], "evaluation"))
            return fail(st, err, "level: unknown level \"%s\"", st->f[2]);
        strvec_push(&p->ri.cohort_levels, st->f[2]);
    } else if (strcmp(r, "person") == 0 && st->version >= 4) {
        uint64_t c, n;
        if (st->nf != 5 || p->cols.n != ncols)
            return fail(st, err, "label: unexpected here", NULL);
        NUM(1, ncols - 1, c);
        NUM(4, UINT64_MAX, n);
        if (!p->pl)
            p->pl = labels_new(ncols);
        labels_note(p->pl, (size_t)c, st->f[2], st->f[3], n);
    } else {
        return fail(st, err, "unknown record \"%s\"", r);
    }
    return 0;
}

/* The whole file in memory: a tally file is as large as the tally it
 * holds, which is in memory anyway. */
static char *slurp(const char *path, size_t *len, struct diag *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot open: %s",
                 strerror(errno));
        return NULL;
    }
    struct buf b;
    buf_init(&b);
    char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot read");
        buf_fini(&b);
        return NULL;
    }
    *len = b.len;
    buf_putc(&b, '\0');
    return b.p;
}

static int check_frame(struct reader_state *st, char *s, size_t len,
                       struct diag *err)
{
    size_t ml = strlen(TALLY_FILE_MAGIC);
    if (len < ml + 1 || memcmp(s, TALLY_FILE_MAGIC "\t", ml + 1) != 0)
        return fail(st, err, "not an evalbias tally file (it does not start "
                    "with \"" TALLY_FILE_MAGIC "\")", NULL);
    uint64_t version = 0;
    char vbuf[24];
    size_t i = ml + 1, j = 0;
    while (i < len && s[i] != '\n' && j + 1 < sizeof vbuf)
        vbuf[j++] = s[i++];
    vbuf[j] = '\0';
    if (num(vbuf, UINT32_MAX, &version) < 0)
        return fail(st, err, "bad format version \"%s\"", vbuf);
    if (version < 1 || version > TALLY_FILE_VERSION) {
        char msg[64];
        snprintf(msg, sizeof msg, "%llu", (unsigned long long)version);
        return fail(st, err, "tally format %s; this evalbias reads formats "
                    "1 to " TALLY_FILE_VERSION_STR " (use the evalbias that "
                    "wrote it, or a newer one)", msg);
    }
    st->version = (unsigned)version;
    /* The last line is "end\t<sha256 of everything before it>\n". */
    size_t endlen = 4 + SHA256_HEX_LEN + 1;
    if (len < endlen || s[len - 1] != '\n' ||
        memcmp(s + len - endlen, "end\t", 4) != 0 ||
        (len > endlen && s[len - endlen - 1] != '\n'))
        return fail(st, err, "no end line: the file is truncated", NULL);
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(s, len - endlen, hex);
    if (memcmp(hex, s + len - endlen + 4, SHA256_HEX_LEN) != 0)
        return fail(st, err, "end line's SHA-256 does not match the "
                    "content: the file was changed or damaged", NULL);
    return 0;
}

int tally_file_read(const char *path, struct tally_part *p, struct diag *err)
{
    memset(p, 0, sizeof *p);
    struct stat sb;
    struct buf file;
    buf_init(&file);
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        buf_printf(&file, "%s/%s", path, TALLY_FILE_NAME);
    else
        buf_puts(&file, path);
    p->path = xstrdup(buf_cstr(&file));
    buf_fini(&file);
    p->set = lexicon_set_new();
    p->ri.set = p->set;

    struct reader_state st = {.p = p, .path = p->path};
    size_t len;
    char *s = slurp(p->path, &len, err);
    if (!s) {
        tally_part_fini(p);
        return -1;
    }
    sha256_hex(s, len, p->sha256);
    int rc = check_frame(&st, s, len, err);
    char *end = s, *line = s;
    /* The first line was checked by check_frame; the body ends with a
     * line break before the end line, so a first one exists. */
    if (rc == 0) {
        end = s + len - (4 + SHA256_HEX_LEN + 1);
        line = (char *)memchr(s, '\n', len) + 1;
        st.line = 1;
    }
    while (rc == 0 && line < end) {
        st.line++;
        char *nl = memchr(line, '\n', (size_t)(end - line));
        *nl = '\0';
        if (memchr(line, '\0', (size_t)(nl - line))) {
            rc = fail(&st, err, "NUL byte in a line", NULL);
            break;
        }
        st.nf = 0;
        for (char *q = line;;) {
            if (st.nf == sizeof st.f / sizeof st.f[0]) {
                rc = fail(&st, err, "too many fields", NULL);
                break;
            }
            st.f[st.nf++] = q;
            char *tab = strchr(q, '\t');
            if (!tab)
                break;
            *tab = '\0';
            q = tab + 1;
        }
        for (size_t i = 0; rc == 0 && i < st.nf; i++)
            if (unescape(st.f[i]) < 0)
                rc = fail(&st, err, "bad escape in field %s", st.f[0]);
        if (rc != 0)
            break;
        if (!st.in_tally)
            rc = strcmp(st.f[0], "tally") == 0 ? start_tally(&st, err)
                                               : run_record(&st, err);
        else
            rc = count_record(&st, err);
        line = nl + 1;
    }
    if (rc == 0 && !p->t) {
        st.line++;
        rc = fail(&st, err, "no tally record", NULL);
    }
    if (rc == 0 && p->cols.n != tally_ncohort_cols(p->t))
        rc = fail(&st, err, "fewer column records than the tally says",
                  NULL);
    if (rc == 0 && !p->tool_version)
        rc = fail(&st, err, "no tool record", NULL);
    char why[400];
    if (rc == 0 && tally_check(p->t, why, sizeof why) < 0) {
        st.line = 0;
        rc = fail(&st, err, "inconsistent counts: %s", why);
    }
    free(s);
    if (rc != 0) {
        tally_part_fini(p);
        return -1;
    }
    p->ri.version = p->tool_version;
    p->format = st.version;
    if (p->format < 4) /* before 4, written by wide audits only */
        p->ri.evaluations = p->ri.rows_analysed;
    return 0;
}

void tally_part_fini(struct tally_part *p)
{
    if (!p)
        return;
    run_info_fini(&p->ri);
    lexicon_set_free(p->set);
    tally_free(p->t);
    labels_free(p->pl);
    strvec_fini(&p->cols);
    free(p->path);
    free(p->tool_version);
    free(p->id_col);
    free(p->resident_col);
    free(p->cohort_map);
    free(p->period);
    free(p->evaluator_col);
    memset(p, 0, sizeof *p);
}
