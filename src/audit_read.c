/* audit_read.c - the audit's read loop (audit.h): one input's records,
 * on one thread, or in ordered batches over a pool of threads (workers.h)
 * with byte-identical results; and each input's SHA-256. */
#define _DEFAULT_SOURCE /* madvise */
#include "audit_private.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "workers.h"

/* ------------------------------------------------- threads > 1: batches */

/* With threads > 1 the main thread reads records into batches, their
 * fields copied (the reader's spans live only until its next record); the
 * pool (workers.h: threads - 1 threads, and the main thread while it waits)
 * analyses batches at once, each into the batch's own buffers: the bytes
 * of its excerpt rows, their index data and held fields, tally hits, ids
 * and evaluator names (pseudonyms under --id-key). The main thread
 * takes batches back in input order and does all that depends on order or
 * shared state: rows read and skipped, the reader's warnings, cohort
 * labels, the review packet's evaluators, excerpt rows indexed and
 * written, tally_add. So every output is byte-identical to one thread's,
 * and the first error in input order (a reader error, or a matcher error
 * such as a PCRE2 limit) is the one reported. */

#define BATCH_BYTES (256u << 10) /* field bytes a batch holds, about */
#define BATCH_RECORDS 4096

/* Parallel parse. After the header region (read as above, by the main
 * reader up to its first record boundary: reader_pause), the rest of a
 * regular file is mapped and cut into chunks of about CHUNK_BYTES, each
 * ending after a newline; a batch's first job (PH_PARSE) reads its chunk
 * with its own chunk reader (reader.h, "Reading in chunks"), guessing
 * that the chunk starts a record on line 1, row 0. Back on the main
 * thread, in order, the guess is checked against where the chunk before
 * it truly ended: kept (rows shifted by the rows before it), or - when the
 * cut fell inside a quoted field, the chunk gave a warning or an error
 * (their messages name rows), or the encoding decision changed - read
 * again on the pool from the true position, as the one reader would,
 * before any chunk after it is settled. Its second job (PH_ANALYSE) is
 * the analysis. The main thread's own share per chunk is the check, the
 * shift of row numbers and the ordered application (batch_apply). A chunk that finds no newline within
 * NO_NEWLINE_BYTES (old-Mac line ends) ends the cutting: the rest is read
 * by one chunk reader in batches, as before. The input's SHA-256 is
 * computed meanwhile on a thread of its own. */
#define CHUNK_BYTES (256u << 10)
#define NO_NEWLINE_BYTES (4u << 20)

enum phase { PH_PARSE, PH_ANALYSE };

/* One reader_next: the warnings and skipped rows it brought, then a
 * record, the end of the input, or an error. */
enum item_what {
    ITEM_RECORD,
    ITEM_EOF,       /* the end of the input */
    ITEM_ERROR,
    ITEM_PAUSE,     /* the main reader's part ends (reader_pause) */
    ITEM_CHUNK_END, /* a chunk's end; the input goes on */
};

struct item {
    enum item_what what;
    unsigned long row;
    size_t warn_off, warn_len; /* its warnings' text in the batch's wtext */
    size_t skip_to;            /* reader_nskipped() after it */
    size_t f0;                 /* its fields: fields[f0 ...] */
    /* set by the pool */
    enum record_kind kind;
    size_t id_off, res_off;    /* in strs; res_off SIZE_MAX: no resident */
    size_t ev_off;             /* its evaluator (record_names), in strs */
    uint64_t words;
    size_t th0, nth;           /* its tally hits in th */
    size_t x0, nx;             /* its excerpt rows in rows */
};

struct xrow {                  /* an excerpt row in the batch's out */
    size_t end;                /* where it ends (it starts where the last
                                  one ended) */
    size_t held_end;           /* and its held fields in held, likewise */
    uint32_t entry;
    size_t mark_start, mark_end;
};

struct batch {
    size_t input;
    const reader *rd;          /* the reader its skipped rows are in */
    size_t skip0;              /* reader_nskipped(rd) before the batch */
    unsigned long row_base;    /* added to rd's skipped rows' numbers */
    /* parallel parse */
    enum phase phase;
    reader *cr;                /* its chunk reader, or NULL */
    struct reader_pos guess;   /* where its chunk was guessed to start */
    uint64_t stop;             /* the chunk's end, at least */
    unsigned long seq;         /* the chunk's number in the input */
    int exact;                 /* read from the true position, not a guess */
    int redo;                  /* the guess read a warning or an error */
    struct diags pw;           /* the warnings a guessed read met */
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
    struct buf held;           /* rows' held fields (excerpt_held_put),
                                  for excerpts.csv's index */
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
    int paused;                /* the main reader's part ended (PAUSE) */
};

void batch_note_row(struct batch *b, FILE *f, uint32_t entry,
                    size_t mark_start, size_t mark_end,
                    const struct excerpt_row *held)
{
    grow(&b->rows, &b->rows_cap, b->nrows + 1, sizeof *b->rows);
    off_t end = ftello(f);
    if (held)
        excerpt_held_put(&b->held, held);
    b->rows[b->nrows++] = (struct xrow){
        (size_t)(end < 0 ? 0 : end), b->held.len, entry, mark_start,
        mark_end};
}

/* Read records into b until it is full or the input ends (whole: until
 * r's end). Warnings go to warn; with guess set (a pool thread reading a
 * chunk from a guess), a warning or an error instead sets b->redo and
 * ends the batch. Returns 1 when the input ended (at EOF, an error or a
 * pause), else 0. */
static int batch_fill(reader *r, struct batch *b, size_t input,
                      struct diags *warn, int whole, int guess)
{
    b->input = input;
    b->rd = r;
    b->skip0 = reader_nskipped(r);
    b->row_base = 0;
    b->nitems = b->nfields = 0;
    buf_clear(&b->arena);
    if (b->wtext)
        fseeko(b->wtext, 0, SEEK_SET);
    int end = 0;
    while (!end && ((b->arena.len < BATCH_BYTES &&
                     b->nitems < BATCH_RECORDS) || whole)) {
        const struct record *rec;
        int st = reader_next(r, &rec, &b->rerr, warn);
        if (guess && (st == READER_ERROR || warn->n || warn->dropped)) {
            b->redo = 1;
            end = 1;
            break;
        }
        grow(&b->items, &b->items_cap, b->nitems + 1, sizeof *b->items);
        struct item *it = &b->items[b->nitems++];
        memset(it, 0, sizeof *it);
        if (warn->n) {
            if (!b->wtext)
                b->wtext = open_memstream(&b->wtext_p, &b->wtext_len);
            off_t o0 = b->wtext ? ftello(b->wtext) : -1;
            if (o0 >= 0)
                diags_flush(warn, b->wtext);
            else
                warn->n = 0; /* out of memory: dropped, never printed */
            if (o0 >= 0) {
                it->warn_off = (size_t)o0;
                it->warn_len = (size_t)(ftello(b->wtext) - o0);
            }
        }
        it->skip_to = reader_nskipped(r);
        if (st != READER_OK) {
            it->what = st == READER_ERROR ? ITEM_ERROR
                     : st == READER_PAUSE ? ITEM_PAUSE : ITEM_EOF;
            if (st == READER_EOF && b->cr == r) {
                struct reader_pos e;
                if (!reader_chunk_end(r, &e))
                    it->what = ITEM_CHUNK_END;
            }
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
    if (b->phase == PH_PARSE) {
        b->pw.n = b->pw.dropped = 0;
        batch_fill(b->cr, b, b->input, &b->pw, 1, !b->exact);
        return;
    }
    b->failed = SIZE_MAX;
    b->nrows = 0;
    b->th.n = 0;
    buf_clear(&b->strs);
    buf_clear(&b->held);
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
        const char *id, *resident, *evaluator;
        record_names(a, sc, b->input, it->row, fl, &id, &resident,
                     &evaluator);
        it->id_off = b->strs.len;
        buf_append(&b->strs, id, strlen(id) + 1);
        it->ev_off = b->strs.len;
        buf_append(&b->strs, evaluator, strlen(evaluator) + 1);
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

/* A record's excerpt rows [x0, x0 + nx) of b, in order: through the sink,
 * or - excerpts.csv, its offsets counted (audit_rows_direct) - noted in
 * the index at their offsets with the held fields the pool thread made,
 * their bytes left for batch_apply to write at once (*upto: b->out's
 * bytes so far). Returns 0, or -1 (a->err filled). */
static int batch_rows(struct audit *a, struct batch *b, size_t x0, size_t nx,
                      int direct, size_t *upto)
{
    for (size_t x = x0; x < x0 + nx; x++) {
        const struct xrow *xr = &b->rows[x];
        size_t start = x ? b->rows[x - 1].end : 0;
        if (direct) {
            size_t h0 = x ? b->rows[x - 1].held_end : 0;
            excerpt_index_add_at(a->xi, a->excerpts_off, xr->entry,
                                 xr->mark_start, xr->mark_end,
                                 a->cohort_vals);
            excerpt_index_hold_put(a->xi, b->held.p + h0, xr->held_end - h0);
            a->excerpts_off += xr->end - start;
            *upto = xr->end;
            continue;
        }
        struct audit_row_info info = {xr->entry, xr->mark_start,
                                      xr->mark_end, a->cohort_vals};
        if (a->sink.emit(a->sink.ctx, b->out_p + start, xr->end - start,
                         &info, &a->err) < 0)
            return -1;
    }
    return 0;
}

/* Take a finished batch's results, in input order. Returns 0 to go on, 1
 * at the end of the input, -1 on an error (a->err filled). */
static int batch_apply_items(struct audit *a, const reader *r,
                             struct batch *b, int direct, size_t *upto)
{
    struct pass *ps = a->pass;
    size_t skipped = b->skip0;
    for (size_t i = 0; i < b->nitems; i++) {
        struct item *it = &b->items[i];
        if (it->warn_len)
            audit_warnings(a, b->wtext_p + it->warn_off, it->warn_len);
        for (; skipped < it->skip_to; skipped++) {
            a->ri.rows_read++;
            run_info_skip(&a->ri, b->input,
                          b->row_base + reader_skipped_row(b->rd, skipped),
                          "ragged", reader_skipped_reason(b->rd, skipped));
        }
        if (it->what == ITEM_CHUNK_END)
            continue;
        if (it->what == ITEM_PAUSE)
            ps->paused = 1;
        if (it->what == ITEM_EOF || it->what == ITEM_PAUSE)
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
            if (batch_rows(a, b, it->x0, it->nx, direct, upto) < 0)
                return -1;
            record_count(a, b->strs.p + it->id_off,
                         it->res_off == SIZE_MAX ? NULL
                                                 : b->strs.p + it->res_off,
                         b->strs.p + it->ev_off, it->words,
                         b->th.v + it->th0, it->nth);
        }
        if ((a->ri.rows_read & 0x3FFF) == 0)
            audit_progress(a, r, 0);
    }
    return 0;
}

static int batch_apply(struct audit *a, const reader *r, struct batch *b)
{
    size_t upto = 0;
    int rc = batch_apply_items(a, r, b, audit_rows_direct(a), &upto);
    if (upto) /* the rows applied, in one write (a write error shows
                 when the file is closed) */
        fwrite(b->out_p, 1, upto, a->excerpts.f);
    return rc;
}

static void batch_fini(struct batch *b)
{
    reader_free(b->cr);
    diags_fini(&b->pw);
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
    buf_fini(&b->held);
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
        buf_init(&b->held);
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
    ps->paused = 0;
    int rc = 0, reading = 1;
    for (;;) {
        struct batch *b;
        if (rc == 0 && reading && ps->nfree) {
            b = ps->free[--ps->nfree];
            b->phase = PH_ANALYSE;
            reading = !batch_fill(r, b, input, &a->warn, 0, 0);
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

/* Where the chunk starting at `from` ends: after the first newline at
 * least CHUNK_BYTES on, or at the end of the file; 0 when no newline
 * comes within NO_NEWLINE_BYTES after that. */
static uint64_t chunk_stop(const unsigned char *map, uint64_t size,
                           uint64_t from)
{
    uint64_t at = from + CHUNK_BYTES;
    if (at >= size)
        return size;
    uint64_t look = size - at < NO_NEWLINE_BYTES ? size - at
                                                 : NO_NEWLINE_BYTES;
    const unsigned char *nl = memchr(map + at, '\n', (size_t)look);
    if (!nl)
        return at + look == size ? size : 0;
    return (uint64_t)(nl + 1 - map);
}

/* The next chunk's parse is back; t is where the chunks before it truly
 * ended. Returns 0 when its records stand - rows shifted when it was read
 * from a guess - and t is where it ends, with *end set when that is the
 * end of the input (or an error); -1 when the guess was wrong: b is set
 * to be read again from t (b->exact). */
static int chunk_settle(struct batch *b, struct reader_pos *t,
                        const unsigned char *map, uint64_t size, int *end)
{
    struct reader_pos e;
    if (b->exact) {
        *end = reader_chunk_end(b->cr, t) ||
               (b->nitems && b->items[b->nitems - 1].what == ITEM_ERROR);
        return 0;
    }
    if (b->redo || b->guess.off != t->off ||
        !reader_pos_same_decoding(&b->guess, t)) {
        b->exact = 1;
        reader_chunk_start(b->cr, map, size, t, b->stop);
        return -1;
    }
    b->row_base = t->srow;
    for (size_t i = 0; i < b->nitems; i++)
        b->items[i].row += t->srow;
    *end = reader_chunk_end(b->cr, &e);
    reader_pos_advance(t, &e);
    return 0;
}

struct hash_job {
    pthread_t tid;
    const char *path;
    char sha[65];
    uint64_t bytes;
    struct diag err;
    int rc;
};

static void *hash_main(void *arg)
{
    struct hash_job *h = arg;
    h->rc = reader_hash_file(h->path, h->sha, &h->bytes, &h->err);
    return NULL;
}

/* The rest of the input after the main reader's pause, read in chunks
 * (see CHUNK_BYTES). Returns 0 at the end of the input, or -1. */
static int audit_chunks(struct audit *a, reader *r, size_t input,
                        const char *path)
{
    struct pass *ps = a->pass;
    struct reader_pos t;
    reader_boundary(r, &t);
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        diag_set(&a->err, DIAG_ERROR, path, 0, 0, "cannot open: %s",
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    uint64_t size = (uint64_t)st.st_size;
    if (size < t.off)
        size = t.off; /* the file shrank: the chunk reader says what ends */
    const unsigned char *map = NULL;
    void *m = size ? mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0)
                   : MAP_FAILED;
    close(fd);
    if (m == MAP_FAILED) {
        diag_set(&a->err, DIAG_ERROR, path, 0, 0, "cannot map: %s",
                 strerror(errno));
        return -1;
    }
    map = m;
    madvise(m, (size_t)size, MADV_SEQUENTIAL);
    for (size_t i = 0; i < ps->nbatches; i++)
        ps->batches[i].cr = reader_chunk_new(r);
    /* Parses come back in the order they were handed to the pool, a
     * chunk read again after the ones cut after it: `waiting` holds them
     * by chunk number until the chunk before is settled. */
    struct batch **waiting = xcalloc(ps->nbatches, sizeof *waiting);
    size_t nwaiting = 0;
    unsigned long seq = 0, settle = 0;
    uint64_t next = t.off, released = 0;
    long pg = sysconf(_SC_PAGESIZE);
    int rc = 0, cutting = 1, done = 0;
    for (;;) {
        while (rc == 0 && cutting && !done && ps->nfree) {
            uint64_t stop = chunk_stop(map, size, next);
            if (!stop) {
                cutting = 0; /* no newlines: the rest in one reader */
                break;
            }
            struct batch *b = ps->free[--ps->nfree];
            b->phase = PH_PARSE;
            b->input = input;
            b->seq = seq++;
            b->exact = b->redo = 0;
            b->pw.limit = a->warn.limit;
            b->guess = (struct reader_pos){next, 1, 0, t.enc, 0};
            b->stop = stop;
            reader_chunk_start(b->cr, map, size, &b->guess, stop);
            workers_submit(ps->w, b);
            next = stop;
            if (stop == size)
                cutting = 0;
        }
        if (!workers_inflight(ps->w))
            break;
        struct batch *b = workers_next_done(ps->w, 1);
        if (b->phase == PH_ANALYSE) {
            if (rc == 0 && batch_apply(a, r, b) < 0)
                rc = -1;
            batch_release(ps, b);
            continue;
        }
        size_t k = nwaiting++;
        for (; k > 0 && waiting[k - 1]->seq > b->seq; k--)
            waiting[k] = waiting[k - 1];
        waiting[k] = b;
        while (nwaiting && waiting[0]->seq == settle && rc == 0 && !done) {
            b = waiting[0];
            if (chunk_settle(b, &t, map, size, &done) < 0) {
                memmove(waiting, waiting + 1, --nwaiting * sizeof *waiting);
                workers_submit(ps->w, b); /* read again, from t */
                break;
            }
            memmove(waiting, waiting + 1, --nwaiting * sizeof *waiting);
            settle++;
            reader_split_progress(r, &t, reader_rows_read(b->cr), done);
            uint64_t keep = t.off / (uint64_t)pg * (uint64_t)pg;
            if (keep > released) { /* RSS stays flat: pages behind us go */
                madvise((char *)m + released, (size_t)(keep - released),
                        MADV_DONTNEED);
                released = keep;
            }
            b->phase = PH_ANALYSE;
            workers_submit(ps->w, b);
        }
        if (rc != 0 || done) { /* the chunks after the end are not needed */
            while (nwaiting)
                batch_release(ps, waiting[--nwaiting]);
        }
    }
    free(waiting);
    if (rc == 0 && !done) {
        /* No newline to cut at: one chunk reader to the end, batch by
         * batch. Its positions are true ones. */
        reader *cr = ps->batches[0].cr;
        ps->batches[0].cr = NULL;
        reader_chunk_start(cr, map, size, &t, size);
        for (size_t i = 0; i < ps->nbatches; i++)
            ps->batches[i].phase = PH_ANALYSE;
        rc = audit_batches(a, cr, input);
        struct reader_pos e;
        reader_chunk_end(cr, &e);
        reader_split_progress(r, &e, reader_rows_read(cr), 1);
        reader_free(cr);
    }
    for (size_t i = 0; i < ps->nbatches; i++) {
        reader_free(ps->batches[i].cr);
        ps->batches[i].cr = NULL;
    }
    munmap(m, (size_t)size);
    return rc;
}

/* An input's SHA-256 and size come from its reader, which hashes the bytes
 * as it reads them: no second pass over the file, and for stdin the hash
 * of the bytes actually read (merge compares it to refuse doubles). A
 * reader that has not reached EOF has not seen every byte: hash the file
 * apart then. */
static int input_hash(const reader *r, const char *path,
                      struct input_info *in, struct hash_job *h,
                      struct diag *err)
{
    if (reader_sha256(r, in->sha256) == 0) {
        in->bytes = reader_bytes_read(r);
        return 0;
    }
    if (h) { /* read in chunks: the hashing thread's */
        if (h->rc < 0) {
            *err = h->err;
            return -1;
        }
        memcpy(in->sha256, h->sha, sizeof h->sha);
        in->bytes = h->bytes;
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
    /* Read in chunks, the input is hashed on a thread of its own. */
    struct hash_job hj = {.path = path};
    int hashing = 0; /* 1: on its thread; 2: done here */
    if (rc == 0 && a->pass && reader_pause(r))
        hashing = pthread_create(&hj.tid, NULL, hash_main, &hj) == 0;
    if (rc == 0 && a->pass)
        rc = audit_batches(a, r, input);
    if (rc == 0 && a->pass && a->pass->paused) {
        if (!hashing) { /* no thread to spare: hash first */
            hash_main(&hj);
            hashing = 2;
        }
        rc = audit_chunks(a, r, input, path);
    }
    if (hashing == 1)
        pthread_join(hj.tid, NULL);
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
        rc = input_hash(r, path, in, hashing ? &hj : NULL, &a->err);
    snprintf(in->encoding, sizeof in->encoding, "%s", reader_encoding_name(r));
    in->rows_read = reader_rows_read(r);
    reader_free(r);
    return rc;
}
