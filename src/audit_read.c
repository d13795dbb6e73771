/* audit_read.c - the audit's read loop (audit.h): one input's records,
 * on one thread, or in ordered batches over a pool of threads (workers.h)
 * with byte-identical results; and each input's SHA-256. */
#include "audit_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "workers.h"

/* ------------------------------------------------- threads > 1: batches */

/* With threads > 1 the main thread reads records into batches, their
 * fields copied (the reader's spans live only until its next record); the
 * pool (workers.h: threads - 1 threads, and the main thread while it waits)
 * analyses batches at once, each into the batch's own buffers: the bytes
 * of its excerpt rows, their index data, tally hits, ids. The main thread
 * takes batches back in input order and does all that depends on order or
 * shared state: rows read and skipped, the reader's warnings, cohort
 * labels, the review packet's evaluators, excerpt rows indexed and
 * written, tally_add. So every output is byte-identical to one thread's,
 * and the first error in input order (a reader error, or a matcher error
 * such as a PCRE2 limit) is the one reported. */

#define BATCH_BYTES (256u << 10) /* field bytes a batch holds, about */
#define BATCH_RECORDS 4096

/* One reader_next: the warnings and skipped rows it brought, then a
 * record, the end of the input, or an error. */
enum item_what { ITEM_RECORD, ITEM_EOF, ITEM_ERROR };

struct item {
    enum item_what what;
    unsigned long row;
    size_t warn_off, warn_len; /* its warnings' text in the batch's wtext */
    size_t skip_to;            /* reader_nskipped() after it */
    size_t f0;                 /* its fields: fields[f0 ...] */
    /* set by the pool */
    enum record_kind kind;
    size_t id_off, res_off;    /* in strs; res_off SIZE_MAX: no resident */
    uint64_t words;
    size_t th0, nth;           /* its tally hits in th */
    size_t x0, nx;             /* its excerpt rows in rows */
};

struct xrow {                  /* an excerpt row in the batch's out */
    size_t end;                /* where it ends (it starts where the last
                                  one ended) */
    uint32_t entry;
    size_t mark_start, mark_end;
};

struct batch {
    size_t input;
    struct item *items;
    size_t nitems, items_cap;
    struct span *fields;       /* into arena */
    size_t *foff;              /* their offsets in arena, while filling */
    size_t nfields, fields_cap, foff_cap;
    struct buf arena;          /* field bytes, each NUL-terminated */
    FILE *wtext;               /* the reader's warnings (open_memstream) */
    char *wtext_p;
    size_t wtext_len;
    struct diag rerr;          /* ITEM_ERROR's */
    /* set by the pool */
    FILE *out;                 /* excerpt rows (open_memstream) */
    char *out_p;
    size_t out_len;
    struct xrow *rows;
    size_t nrows, rows_cap;
    struct thv th;
    struct buf strs;           /* ids and pseudonyms */
    size_t failed;             /* item whose analysis failed, or SIZE_MAX */
    struct diag err;           /* its error */
};

struct pass {
    workers *w;
    struct scratch *sc;        /* pool thread k's is sc[k - 1] */
    size_t nsc;
    struct batch *batches;
    size_t nbatches;
    struct batch **free;       /* batches not in the pool */
    size_t nfree;
    size_t skipped;            /* reader's skipped rows accounted for */
};

void batch_note_row(struct batch *b, FILE *f, uint32_t entry,
                    size_t mark_start, size_t mark_end)
{
    grow(&b->rows, &b->rows_cap, b->nrows + 1, sizeof *b->rows);
    off_t end = ftello(f);
    b->rows[b->nrows++] = (struct xrow){
        (size_t)(end < 0 ? 0 : end), entry, mark_start, mark_end};
}

/* Read records into b until it is full or the input ends. Returns 1 when
 * the input ended (at EOF or an error), else 0. */
static int batch_fill(struct audit *a, reader *r, struct batch *b,
                      size_t input)
{
    b->input = input;
    b->nitems = b->nfields = 0;
    buf_clear(&b->arena);
    if (b->wtext)
        fseeko(b->wtext, 0, SEEK_SET);
    int end = 0;
    while (!end && b->arena.len < BATCH_BYTES && b->nitems < BATCH_RECORDS) {
        const struct record *rec;
        int st = reader_next(r, &rec, &b->rerr, &a->warn);
        grow(&b->items, &b->items_cap, b->nitems + 1, sizeof *b->items);
        struct item *it = &b->items[b->nitems++];
        memset(it, 0, sizeof *it);
        if (a->warn.n) {
            if (!b->wtext)
                b->wtext = open_memstream(&b->wtext_p, &b->wtext_len);
            off_t o0 = b->wtext ? ftello(b->wtext) : -1;
            if (o0 >= 0)
                diags_flush(&a->warn, b->wtext);
            else
                a->warn.n = 0; /* out of memory: dropped, never printed */
            if (o0 >= 0) {
                it->warn_off = (size_t)o0;
                it->warn_len = (size_t)(ftello(b->wtext) - o0);
            }
        }
        it->skip_to = reader_nskipped(r);
        if (st == READER_EOF || st == READER_ERROR) {
            it->what = st == READER_EOF ? ITEM_EOF : ITEM_ERROR;
            end = 1;
            break;
        }
        it->what = ITEM_RECORD;
        it->row = rec->row;
        it->f0 = b->nfields;
        size_t need = b->nfields + rec->nfields;
        grow(&b->fields, &b->fields_cap, need, sizeof *b->fields);
        grow(&b->foff, &b->foff_cap, need, sizeof *b->foff);
        for (size_t i = 0; i < rec->nfields; i++) {
            const struct span *f = &rec->fields[i];
            b->foff[b->nfields] = b->arena.len;
            b->fields[b->nfields++].len = f->len;
            buf_append(&b->arena, f->p, f->len);
            buf_putc(&b->arena, '\0');
        }
    }
    for (size_t i = 0; i < b->nfields; i++)
        b->fields[i].p = b->arena.p + b->foff[i];
    if (b->wtext)
        fflush(b->wtext);
    return end;
}

/* The pool's job (workers_fn): analyse every record of a batch. */
static void batch_run(void *ctx, size_t worker, void *job)
{
    struct audit *a = ctx;
    struct batch *b = job;
    struct scratch *sc = worker ? &a->pass->sc[worker - 1] : &a->sc;
    b->failed = SIZE_MAX;
    b->nrows = 0;
    b->th.n = 0;
    buf_clear(&b->strs);
    if (b->out)
        fseeko(b->out, 0, SEEK_SET);
    for (size_t i = 0; i < b->nitems; i++) {
        struct item *it = &b->items[i];
        if (it->what != ITEM_RECORD)
            continue;
        const struct span *fl = b->fields + it->f0;
        it->kind = audit_record_kind(a, fl);
        if (it->kind != RECORD_ANALYSE)
            continue;
        const char *id, *resident;
        record_names(a, sc, b->input, it->row, fl, &id, &resident);
        it->id_off = b->strs.len;
        buf_append(&b->strs, id, strlen(id) + 1);
        it->res_off = SIZE_MAX;
        if (resident) {
            it->res_off = b->strs.len;
            buf_append(&b->strs, resident, strlen(resident) + 1);
        }
        it->th0 = b->th.n;
        it->x0 = b->nrows;
        struct rows_out o = {b->out, b, &b->th};
        if (record_fields(a, sc, &o, fl, id, resident, &it->words,
                          &b->err) < 0) {
            b->failed = i;
            break;
        }
        it->nth = b->th.n - it->th0;
        it->nx = b->nrows - it->x0;
    }
    if (b->out)
        fflush(b->out);
}

/* Take a finished batch's results, in input order. Returns 0 to go on, 1
 * at the end of the input, -1 on an error (a->err filled). */
static int batch_apply(struct audit *a, const reader *r, struct batch *b)
{
    struct pass *ps = a->pass;
    for (size_t i = 0; i < b->nitems; i++) {
        struct item *it = &b->items[i];
        if (it->warn_len)
            audit_warnings(a, b->wtext_p + it->warn_off, it->warn_len);
        for (; ps->skipped < it->skip_to; ps->skipped++) {
            a->ri.rows_read++;
            run_info_skip(&a->ri, b->input,
                          reader_skipped_row(r, ps->skipped), "ragged",
                          reader_skipped_reason(r, ps->skipped));
        }
        if (it->what == ITEM_EOF)
            return 1;
        if (it->what == ITEM_ERROR) {
            a->err = b->rerr;
            return -1;
        }
        a->ri.rows_read++;
        if (i == b->failed) {
            a->err = b->err;
            return -1;
        }
        if (it->kind != RECORD_ANALYSE) {
            record_skip(a, b->input, it->row, it->kind);
        } else {
            record_cohorts(a, b->fields + it->f0);
            record_eval(a, b->strs.p + it->id_off,
                        it->res_off == SIZE_MAX ? NULL
                                                : b->strs.p + it->res_off);
            for (size_t x = it->x0; x < it->x0 + it->nx; x++) {
                const struct xrow *xr = &b->rows[x];
                size_t start = x ? b->rows[x - 1].end : 0;
                struct audit_row_info info = {xr->entry, xr->mark_start,
                                              xr->mark_end, a->cohort_vals};
                if (a->sink.emit(a->sink.ctx, b->out_p + start,
                                 xr->end - start, &info, &a->err) < 0)
                    return -1;
            }
            record_count(a, b->strs.p + it->id_off,
                         it->res_off == SIZE_MAX ? NULL
                                                 : b->strs.p + it->res_off,
                         it->words, b->th.v + it->th0, it->nth);
        }
        if ((a->ri.rows_read & 0x3FFF) == 0)
            audit_progress(a, r, 0);
    }
    return 0;
}

static void batch_fini(struct batch *b)
{
    free(b->items);
    free(b->fields);
    free(b->foff);
    buf_fini(&b->arena);
    if (b->wtext)
        fclose(b->wtext);
    free(b->wtext_p);
    if (b->out)
        fclose(b->out);
    free(b->out_p);
    free(b->rows);
    free(b->th.v);
    buf_fini(&b->strs);
}

void audit_pass_free(struct pass *ps)
{
    if (!ps)
        return;
    workers_free(ps->w); /* every batch has been taken back */
    for (size_t i = 0; i < ps->nsc; i++) {
        matcher_free(ps->sc[i].m);
        scratch_fini(&ps->sc[i]);
    }
    free(ps->sc);
    for (size_t i = 0; i < ps->nbatches; i++)
        batch_fini(&ps->batches[i]);
    free(ps->batches);
    free(ps->free);
    free(ps);
}

/* The pool of threads: N - 1 threads, each with its own matcher, and
 * 2N + 2 batches. */
static int pass_start(struct audit *a)
{
    size_t n = a->cfg.threads;
    struct pass *ps = xcalloc(1, sizeof *ps);
    a->pass = ps;
    ps->sc = xcalloc(n - 1, sizeof *ps->sc);
    for (; ps->nsc < n - 1; ps->nsc++) {
        matcher *m = matcher_new(a->set, &a->err);
        if (!m)
            return -1;
        scratch_init(&ps->sc[ps->nsc], m);
    }
    ps->nbatches = 2 * n + 2;
    ps->batches = xcalloc(ps->nbatches, sizeof *ps->batches);
    ps->free = xcalloc(ps->nbatches, sizeof *ps->free);
    for (size_t i = 0; i < ps->nbatches; i++) {
        struct batch *b = &ps->batches[i];
        buf_init(&b->arena);
        buf_init(&b->strs);
        if (!a->cfg.tally_only &&
            !(b->out = open_memstream(&b->out_p, &b->out_len))) {
            diag_set(&a->err, DIAG_ERROR, NULL, 0, 0,
                     "cannot allocate a buffer: %s", strerror(errno));
            return -1;
        }
        ps->free[ps->nfree++] = b;
    }
    ps->w = workers_new(n - 1, ps->nbatches, batch_run, a);
    if (!ps->w) {
        diag_set(&a->err, DIAG_ERROR, NULL, 0, 0,
                 "cannot start %zu threads", n - 1);
        return -1;
    }
    return 0;
}

/* A batch back from the pool: memory a huge record made it take is given
 * back, so memory still follows the longest record, not the file. */
static void batch_release(struct pass *ps, struct batch *b)
{
    if (b->arena.cap > 8 * BATCH_BYTES) {
        buf_fini(&b->arena);
        buf_init(&b->arena);
    }
    ps->free[ps->nfree++] = b;
}

/* audit_input's loop with threads > 1: fill batches while one is free,
 * take finished ones back in order; after an error, only wait for the
 * batches in flight. Returns 0 at the end of the input, or -1. */
static int audit_batches(struct audit *a, reader *r, size_t input)
{
    struct pass *ps = a->pass;
    ps->skipped = 0;
    int rc = 0, reading = 1;
    for (;;) {
        struct batch *b;
        if (rc == 0 && reading && ps->nfree) {
            b = ps->free[--ps->nfree];
            reading = !batch_fill(a, r, b, input);
            workers_submit(ps->w, b);
            while ((b = workers_next_done(ps->w, 0)) != NULL) {
                if (rc == 0 && batch_apply(a, r, b) < 0)
                    rc = -1;
                batch_release(ps, b);
            }
            continue;
        }
        if (!workers_inflight(ps->w))
            break;
        b = workers_next_done(ps->w, 1);
        if (rc == 0 && batch_apply(a, r, b) < 0)
            rc = -1;
        batch_release(ps, b);
    }
    return rc;
}

/* An input's SHA-256 and size come from its reader, which hashes the bytes
 * as it reads them: no second pass over the file, and for stdin the hash
 * of the bytes actually read (merge compares it to refuse doubles). A
 * reader that has not reached EOF has not seen every byte: hash the file
 * apart then. */
static int input_hash(const reader *r, const char *path,
                      struct input_info *in, struct diag *err)
{
    if (reader_sha256(r, in->sha256) == 0) {
        in->bytes = reader_bytes_read(r);
        return 0;
    }
    if (strcmp(path, "-") == 0) {
        snprintf(in->sha256, sizeof in->sha256, "(stdin)");
        return 0;
    }
    return reader_hash_file(path, in->sha256, &in->bytes, err);
}

/* The tally needs the cohort columns, known once the first header is. */
/* Read one input: its header (the first resolves the roles, the others
 * must repeat it), then every record, serial or pooled; then its hash. */
int audit_input(struct audit *a, size_t input)
{
    const char *path = a->cfg.inputs[input];
    struct input_info *in = &a->ri.inputs[input];
    in->path = xstrdup(path);
    reader *r = reader_open(path, &a->cfg.ropt, &a->err);
    if (!r)
        return -1;
    run_info_input_format(in, reader_format(r));
    if (a->cfg.cb.format && reader_format_noteworthy(r)) {
        char how[512];
        reader_format_describe(r, how, sizeof how);
        a->cfg.cb.format(a->cfg.cb.ctx, path, how);
    }
    int rc = input == 0 ? audit_first_header(a, r)
                        : audit_same_header(a, r, path);
    if (rc == 0 && a->cfg.threads > 1 && !a->pass)
        rc = pass_start(a);
    if (rc == 0 && a->pass)
        rc = audit_batches(a, r, input);
    unsigned long skipped_before = 0;
    const struct record *rec;
    while (rc == 0 && !a->pass) {
        int st = reader_next(r, &rec, &a->err, &a->warn);
        audit_flush_warnings(a);
        /* Rows the reader skipped (ragged, under READER_BAD_ROW_SKIP) are
         * accounted for here, with the reader's reason. */
        for (; skipped_before < reader_nskipped(r); skipped_before++) {
            a->ri.rows_read++;
            run_info_skip(&a->ri, input, reader_skipped_row(r, skipped_before),
                          "ragged", reader_skipped_reason(r, skipped_before));
        }
        if (st == READER_EOF)
            break;
        if (st == READER_ERROR) {
            rc = -1;
            break;
        }
        rc = audit_record(a, input, rec);
        if ((a->ri.rows_read & 0x3FFF) == 0)
            audit_progress(a, r, 0);
    }
    if (rc == 0)
        audit_progress(a, r, 1);
    if (rc == 0)
        rc = input_hash(r, path, in, &a->err);
    snprintf(in->encoding, sizeof in->encoding, "%s", reader_encoding_name(r));
    in->rows_read = reader_rows_read(r);
    reader_free(r);
    return rc;
}
