/* fuzz_reader.c - libFuzzer target for the CSV reader (src/reader.c).
 *
 * The first byte picks the options (encoding auto / utf-8 / windows-1252 /
 * utf-16le / utf-16be, ragged rows error / skip); the rest is the file.
 * Every record must hold valid, NUL-free UTF-8 spans, and rows read =
 * returned + skipped. The fuzz build reads in 64-byte chunks (Makefile). */
#include "reader.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct reader_options opt = {
        .encoding = (enum reader_encoding)(data[0] % 5),
        .on_bad_row = (data[0] & 8) ? READER_BAD_ROW_SKIP : READER_BAD_ROW_ERROR,
    };
    data++, size--;
    /* fmemopen of 0 bytes fails on glibc; use a dummy byte not read. */
    static char empty[1];
    FILE *f = fmemopen(size ? (void *)data : empty, size ? size : 1, "rb");
    if (!f)
        return 0;
    if (!size)
        fgetc(f);
    struct diag err;
    struct diags warn = {0};
    reader *r = reader_open_stream(f, "fuzz.csv", &opt, &err);
    if (!r)
        return 0;
    size_t ncol = reader_ncolumns(r);
    for (size_t i = 0; i < ncol; i++)
        if (!reader_column(r, i))
            abort();
    unsigned long returned = 0;
    const struct record *rec;
    int rc;
    while ((rc = reader_next(r, &rec, &err, &warn)) == READER_OK) {
        returned++;
        if (rec->nfields != ncol)
            abort();
        for (size_t i = 0; i < rec->nfields; i++) {
            const struct span *s = &rec->fields[i];
            if (s->p[s->len] != '\0' || strlen(s->p) != s->len ||
                reader_utf8_invalid_at(s->p, s->len) != s->len)
                abort();
        }
    }
    if (rc == READER_EOF &&
        reader_rows_read(r) != returned + reader_nskipped(r))
        abort();
    (void)reader_encoding_name(r);
    diags_fini(&warn);
    reader_free(r);
    return 0;
}
