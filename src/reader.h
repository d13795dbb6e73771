/* reader.h - CSV bytes -> records of UTF-8 fields (first stage of the pipeline).
 *
 * Parsing is libcsv's (RFC 4180: quoted fields, doubled quotes, embedded
 * CR/LF; fields are NOT trimmed of spaces). On top of it the reader handles
 * what real exports contain:
 *   - a UTF-8 BOM (dropped), CRLF or LF line ends, blank lines (libcsv skips
 *     them: they are not rows), trailing empty columns;
 *   - encoding: with READER_ENC_AUTO the file is taken as UTF-8 until the first
 *     non-ASCII byte sequence; if that sequence is valid UTF-8 the file is
 *     UTF-8, otherwise it is Windows-1252 (Excel's default) and every field is
 *     transcoded. Until that point both encodings read the same bytes, so one
 *     pass suffices. In a UTF-8 file, a later invalid sequence becomes U+FFFD
 *     with a warning (an error under READER_ENC_UTF8, naming row, column and
 *     byte). NUL bytes become U+FFFD with a warning.
 *   - UTF-16 with a byte order mark (Excel's "Unicode text"): transcoded to
 *     UTF-8 chunk by chunk under READER_ENC_AUTO (unpaired surrogates become
 *     U+FFFD with a warning); an error under a forced 8-bit encoding.
 *     UTF-32, and UTF-16 without a BOM under READER_ENC_AUTO, are errors
 *     that say what the file is; READER_ENC_UTF16LE/BE read a BOM-less
 *     UTF-16 file (a BOM, if present, must agree).
 *   - a header row (the first record) naming the columns.
 *
 * Rows: "row" numbers count records as a spreadsheet shows them: the header
 * is row 1, the first data record row 2. "line" is the physical line (1-based)
 * where the record begins; a record with embedded newlines spans several.
 *
 * Ownership: pointer arguments are borrowed. reader_open returns a reader the
 * caller frees with reader_free. The record returned by reader_next, and every
 * span in it, is valid until the next reader_next or reader_free. */
#ifndef EVALBIAS_READER_H
#define EVALBIAS_READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"

enum reader_encoding {
    READER_ENC_AUTO,    /* detect: UTF-8, else Windows-1252 */
    READER_ENC_UTF8,    /* strict: invalid UTF-8 is an error */
    READER_ENC_CP1252,  /* force Windows-1252 */
    READER_ENC_UTF16LE, /* force UTF-16LE (a file without a byte order mark) */
    READER_ENC_UTF16BE, /* force UTF-16BE */
};

enum reader_bad_row {
    READER_BAD_ROW_ERROR, /* a ragged row stops the run with an error */
    READER_BAD_ROW_SKIP,  /* a ragged row is skipped and reported */
};

struct reader_options {
    enum reader_encoding encoding;
    enum reader_bad_row on_bad_row;
    /* The largest record (all its fields' raw bytes) read before the reader
     * stops with an error; 0 = READER_MAX_RECORD_DEFAULT. It bounds memory
     * on an input that never ends a record (/dev/zero, a binary file). */
    uint64_t max_record_bytes;
};

#define READER_MAX_RECORD_DEFAULT (64ull << 20) /* 64 MiB */

/* Parse a --max-record-bytes value ("1000000", "64M", "1G"; K/M/G are
 * powers of 1024) into o. Returns NULL, or a usage message. */
const char *reader_set_max_record_bytes(struct reader_options *o,
                                        const char *v);

struct span {
    const char *p;
    size_t len;
};

struct record {
    size_t nfields;
    const struct span *fields; /* UTF-8, valid, NUL-free; p[len] == '\0' */
    unsigned long row;         /* 1-based record number; header is row 1 */
    unsigned long line;        /* physical line where the record starts */
};

/* What reader_next returns. */
enum reader_status {
    READER_OK = 0,
    READER_EOF = 1,
    READER_ERROR = -1,
};

typedef struct reader reader;

/* Open path ("-" for stdin) and read its header. On error returns NULL and
 * fills err: cannot open, empty file ("file is empty: no header row"),
 * unterminated quote in the header, invalid encoding. */
reader *reader_open(const char *path, const struct reader_options *opt,
                    struct diag *err);

/* The same over an open stream (fmemopen, a pipe, a test's buffer); name is
 * used in diagnostics. The reader takes f over: reader_free closes it unless
 * it is stdin. On error f is closed too (unless stdin). */
reader *reader_open_stream(FILE *f, const char *name,
                           const struct reader_options *opt, struct diag *err);

/* The header's column names (UTF-8, BOM removed). Valid until reader_free. */
size_t reader_ncolumns(const reader *r);
const char *reader_column(const reader *r, size_t i);

/* Next data record. Returns READER_OK and sets *out; READER_EOF at end;
 * READER_ERROR with err filled (unterminated quote: names the row and line
 * where the field began; ragged row under READER_BAD_ROW_ERROR; invalid
 * UTF-8 under READER_ENC_UTF8; read error). Warnings (U+FFFD replacements,
 * NUL bytes, encoding switch) go to warn, which may be NULL.
 *
 * A ragged row under READER_BAD_ROW_SKIP is not returned: it is counted
 * (reader_nskipped, reader_skipped_row, reader_skipped_reason) with its row
 * number and reason, and the next record is returned; the caller accounts
 * for it as a skipped row ("ragged" in the manifest). A
 * record with fewer fields whose missing fields are all trailing is ragged
 * too; a record with MORE fields whose extra fields are all empty is not
 * (trailing empty columns, as spreadsheets write them) and is returned
 * with nfields == reader_ncolumns(). */
int reader_next(reader *r, const struct record **out, struct diag *err,
                struct diags *warn);

/* The encoding actually used: "utf-8", "utf-8 (BOM)", "windows-1252",
 * "utf-16le (BOM)", "utf-16be (BOM)", or "ascii" while nothing else has
 * been seen. */
const char *reader_encoding_name(const reader *r);

/* Bytes consumed so far, and the file's total size (0 if unknown, e.g. a
 * pipe) - for progress lines. */
uint64_t reader_bytes_read(const reader *r);
uint64_t reader_bytes_total(const reader *r);

/* The SHA-256 of every byte of the input (BOM included: the file's bytes,
 * as sha256sum sees them), hashed as the reader reads them, so the
 * manifest's hash costs no second pass over the file. Writes 64 lowercase
 * hex characters and a NUL to out and returns 0 once reader_next has
 * returned READER_EOF; -1 before that or after an error (not every byte
 * has been read). */
int reader_sha256(const reader *r, char out[65]);

/* The SHA-256 of a whole file and its size, read apart from any reader:
 * for a file a reader did not read to its end, or that is not read as
 * records (the cohort map's manifest entry). Returns 0, or -1 with err
 * filled (cannot open, read error). */
int reader_hash_file(const char *path, char out[65], uint64_t *bytes,
                     struct diag *err);

/* Data records read so far (returned or skipped), and the rows the reader
 * itself skipped (ragged, under READER_BAD_ROW_SKIP). */
unsigned long reader_rows_read(const reader *r);
size_t reader_nskipped(const reader *r);
/* i-th skipped row: its row number and a short reason ("ragged: 5 fields,
 * header has 7"). Valid until reader_free. */
unsigned long reader_skipped_row(const reader *r, size_t i);
const char *reader_skipped_reason(const reader *r, size_t i);

void reader_free(reader *r);

/* Transcode s[0..n) to UTF-8 into out (appended). Exposed for tests and the
 * lexicon loader. Returns the number of U+FFFD replacements made. */
struct buf;
size_t reader_cp1252_to_utf8(const char *s, size_t n, struct buf *out);
/* Offset of the first invalid UTF-8 byte in s[0..n), or n if valid. */
size_t reader_utf8_invalid_at(const char *s, size_t n);

#endif
