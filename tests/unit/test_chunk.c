/* test_chunk.c - reading in chunks (reader.h, "Reading in chunks"): a file
 * read by one reader and the same file read by a paused reader and chunk
 * readers - cut at many newlines, some inside quoted fields, each chunk
 * first read from a guess (line 1, row 0) and kept or read again as
 * audit_read.c does - give the same transcript: every record's row, line
 * and fields, every skipped row, every warning, the error and the
 * encoding. Inputs are over two read chunks long, so the pause comes after
 * the header region, as in a real run. */
#include "check.h"
#include "reader.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp_path[] = "/tmp/test_chunk_XXXXXX";

static void write_file(const struct buf *b)
{
    strcpy(tmp_path, "/tmp/test_chunk_XXXXXX");
    int fd = mkstemp(tmp_path);
    if (fd < 0 || write(fd, b->p, b->len) != (ssize_t)b->len) {
        perror("test_chunk");
        exit(2);
    }
    close(fd);
}

/* One reader_next's outcome into the transcript; rows and lines shifted
 * by (drow, dline). Returns the status. */
static int step(reader *r, struct buf *t, unsigned long drow,
                unsigned long dline, int *warned)
{
    const struct record *rec;
    struct diag err;
    struct diags warn = {0};
    size_t skipped = reader_nskipped(r);
    int st = reader_next(r, &rec, &err, &warn);
    for (size_t i = 0; i < warn.n; i++)
        buf_printf(t, "W %lu %s\n", warn.v[i].line, warn.v[i].msg);
    *warned = warn.n > 0 || warn.dropped > 0;
    diags_fini(&warn);
    for (size_t i = skipped; i < reader_nskipped(r); i++)
        buf_printf(t, "S %lu %s\n", drow + reader_skipped_row(r, i),
                   reader_skipped_reason(r, i));
    if (st == READER_OK) {
        buf_printf(t, "R %lu %lu", drow + rec->row, dline + rec->line);
        for (size_t i = 0; i < rec->nfields; i++)
            buf_printf(t, "|%s", rec->fields[i].p);
        buf_putc(t, '\n');
    } else if (st == READER_ERROR) {
        buf_printf(t, "E %lu %s\n", err.line, err.msg);
    }
    return st;
}

static void serial(const struct reader_options *o, struct buf *t)
{
    struct diag err;
    reader *r = reader_open(tmp_path, o, &err);
    if (!r) {
        buf_printf(t, "open failed: %s\n", err.msg);
        return;
    }
    int st, w;
    while ((st = step(r, t, 0, 0, &w)) == READER_OK)
        ;
    buf_printf(t, "end %s\n", reader_encoding_name(r));
    reader_free(r);
}

/* The chunk [guess->off, stop) read from the guess into t; 1 if it can be
 * kept (no warning, no error), with *end where it ended. */
static int read_guess(reader *c, const unsigned char *map, uint64_t size,
                      const struct reader_pos *guess, uint64_t stop,
                      const struct reader_pos *tru, struct buf *t,
                      struct reader_pos *end)
{
    reader_chunk_start(c, map, size, guess, stop);
    int st, w, ok = 1;
    /* Shift by the true position: only used when the guess is kept. */
    while ((st = step(c, t, tru->srow, tru->line - 1, &w)) == READER_OK)
        if (w)
            ok = 0;
    if (st == READER_ERROR || w)
        ok = 0;
    reader_chunk_end(c, end);
    return ok;
}

/* Read with a pause and chunks cut after a newline every `step_bytes` or
 * so. *mismatches counts guesses not kept. */
static void chunked(const struct reader_options *o, const struct buf *file,
                    size_t step_bytes, struct buf *t, int *paused,
                    int *mismatches)
{
    struct diag err;
    *paused = 0;
    reader *r = reader_open(tmp_path, o, &err);
    if (!r) {
        buf_printf(t, "open failed: %s\n", err.msg);
        return;
    }
    int st, w;
    if (reader_pause(r)) {
        while ((st = step(r, t, 0, 0, &w)) == READER_OK)
            ;
        if (st == READER_PAUSE) {
            *paused = 1;
            const unsigned char *map = (const unsigned char *)file->p;
            uint64_t size = file->len;
            struct reader_pos tru;
            reader_boundary(r, &tru);
            reader *c = reader_chunk_new(r);
            uint64_t from = tru.off;
            int done = 0;
            while (!done) {
                uint64_t stop = from + step_bytes;
                if (stop >= size) {
                    stop = size;
                } else {
                    const char *nl = memchr(file->p + stop, '\n', size - stop);
                    stop = nl ? (uint64_t)(nl + 1 - file->p) : size;
                }
                struct reader_pos guess = {from, 1, 0, tru.enc, 0}, end;
                struct buf g = {0};
                if (guess.off == tru.off &&
                    reader_pos_same_decoding(&guess, &tru) &&
                    read_guess(c, map, size, &guess, stop, &tru, &g, &end)) {
                    buf_append(t, g.p, g.len);
                    done = reader_chunk_end(c, &end);
                    reader_pos_advance(&tru, &end);
                } else {
                    ++*mismatches;
                    reader_chunk_start(c, map, size, &tru, stop);
                    while ((st = step(c, t, 0, 0, &w)) == READER_OK)
                        ;
                    done = reader_chunk_end(c, &tru) || st == READER_ERROR;
                }
                buf_fini(&g);
                from = stop; /* the next guess: where this one was cut */
                reader_split_progress(r, &tru, reader_rows_read(c), done);
            }
            reader_free(c);
        }
    } else {
        while ((st = step(r, t, 0, 0, &w)) == READER_OK)
            ;
    }
    buf_printf(t, "end %s\n", reader_encoding_name(r));
    reader_free(r);
}

/* The transcripts agree for several cut spacings; at least one cut fell
 * inside a quoted field when want_mismatch. */
static void same(const char *what, const struct buf *file,
                 const struct reader_options *o, int want_mismatch,
                 int want_pause)
{
    write_file(file);
    struct buf a = {0};
    serial(o, &a);
    static const size_t steps[] = {700, 4093, 65536, 300000};
    int all_same = 1, all_paused = 1, mism = 0;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        struct buf b = {0};
        int paused;
        chunked(o, file, steps[i], &b, &paused, &mism);
        all_paused &= paused;
        if (a.len != b.len || memcmp(a.p, b.p, a.len) != 0) {
            all_same = 0;
            size_t k = 0;
            while (k < a.len && k < b.len && a.p[k] == b.p[k])
                k++;
            size_t s = k > 120 ? k - 120 : 0;
            printf("# %s, step %zu: differs at byte %zu\n#  serial: %.200s\n"
                   "#  chunks: %.200s\n", what, steps[i], k, a.p + s,
                   b.p + s);
        }
        buf_fini(&b);
    }
    char d[200];
    snprintf(d, sizeof d, "%s: chunks read like one reader", what);
    CHECK(all_same, d);
    snprintf(d, sizeof d, "%s: the reader %s", what,
             want_pause ? "paused after its header region" : "did not pause");
    CHECK(all_paused == want_pause, d);
    if (want_mismatch) {
        snprintf(d, sizeof d, "%s: some guesses were read again", what);
        CHECK(mism > 0, d);
    }
    buf_fini(&a);
    unlink(tmp_path);
}

#define BIG (700u << 10) /* over two of the reader's 256 KiB reads */

static void body(struct buf *f, const char *nl, int quoted_nl, size_t bytes)
{
    for (unsigned i = 0; f->len < bytes; i++) {
        /* Records of varying length, so cuts fall at every place. */
        int k = (int)(i * 7 % 23);
        const char *more = "so very very very much ";
        buf_printf(f, "%u,R%u,", i, i % 37);
        if (quoted_nl && i % 3 == 0)
            buf_printf(f, "\"She said \"\"yes\"\"%sand%s%.*sthen, %u more\"%s",
                       nl, nl, k, more, i, nl);
        else
            buf_printf(f, "plain comment number %u %.*sabout his work%s", i, k,
                       more, nl);
    }
}

int main(void)
{
    struct reader_options def = {.encoding = READER_ENC_AUTO,
                                 .on_bad_row = READER_BAD_ROW_ERROR};
    struct reader_options skip = def;
    skip.on_bad_row = READER_BAD_ROW_SKIP;
    struct reader_options strict = def;
    strict.encoding = READER_ENC_UTF8;
    struct buf f = {0};

    buf_puts(&f, "Report title\n\nid,resident,comment\n");
    body(&f, "\n", 1, BIG);
    same("LF, quoted newlines straddling cuts", &f, &def, 1, 1);

    buf_clear(&f);
    buf_puts(&f, "\xEF\xBB\xBFid,resident,comment\r\n");
    body(&f, "\r\n", 1, BIG);
    same("CRLF and BOM, quoted CRLFs", &f, &def, 1, 1);

    buf_clear(&f);
    buf_puts(&f, "id,resident,comment\n");
    body(&f, "\n", 0, BIG / 2);
    buf_puts(&f, "x,ragged\n\n\n1,2,3,,\n");
    body(&f, "\n", 1, BIG);
    buf_puts(&f, "y,also ragged\n");
    body(&f, "\n", 0, BIG + 9000);
    same("ragged rows skipped far in, blank lines", &f, &skip, 0, 1);
    same("a ragged row far in is an error", &f, &def, 0, 1);

    buf_clear(&f);
    buf_puts(&f, "id,resident,comment\n");
    body(&f, "\n", 0, BIG / 2);
    buf_puts(&f, "7,R,caf\xC3\xA9 ok\n");
    body(&f, "\n", 0, BIG * 3 / 4);
    buf_puts(&f, "8,R,bad \xFF byte\n");
    body(&f, "\n", 1, BIG);
    buf_puts(&f, "9,R,\"NUL \0 inside\"\n");
    body(&f, "\n", 0, BIG + 5000);
    same("UTF-8 with an invalid byte and a NUL in later chunks", &f, &def, 0, 1);
    same("invalid UTF-8 under --encoding utf-8 is the same error", &f,
         &strict, 0, 1);

    /* More warnings in one read than the reader holds: the same ones are
     * dropped, wherever the cuts are. */
    buf_clear(&f);
    buf_puts(&f, "id,resident,comment\n1,R,caf\xC3\xA9: UTF-8\n");
    body(&f, "\n", 0, BIG / 2);
    for (unsigned i = 0; f.len < BIG; i++)
        buf_printf(&f, "%u,R,\"bad \xFF in\n%.*s every record\"\n", i,
                   (int)(i % 13), "very very very");
    same("a warning in every record, more than a read holds", &f, &def, 1, 1);

    buf_clear(&f);
    buf_puts(&f, "id,resident,comment\n");
    body(&f, "\n", 0, BIG / 2);
    buf_puts(&f, "7,R,na\xEFve\n"); /* not UTF-8: windows-1252 from here */
    body(&f, "\n", 0, BIG * 3 / 4);
    buf_puts(&f, "8,R,caf\xE9 \x81\n");
    body(&f, "\n", 0, BIG);
    same("ASCII turning windows-1252 in a later chunk", &f, &def, 1, 1);

    buf_clear(&f);
    buf_puts(&f, "id,resident,comment\n");
    body(&f, "\n", 1, BIG);
    buf_puts(&f, "9,R,\"never closed\nat all\n");
    same("an unterminated quote at the end", &f, &def, 0, 1);

    buf_clear(&f);
    buf_puts(&f, "id,resident,comment\n");
    body(&f, "\n", 0, BIG);
    buf_puts(&f, "9,R,no newline at the end");
    same("no newline at the end", &f, &def, 0, 1);

    buf_clear(&f);
    buf_puts(&f, "id,resident,comment\n1,R,short\n");
    same("a file one read holds does not pause", &f, &def, 0, 0);

    buf_fini(&f);
    return check_done();
}
