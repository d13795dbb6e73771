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
 *   - the delimiter: one of , ; TAB | detected from the first 64 KiB (the
 *     header region): each candidate splits those lines with libcsv (in
 *     strict mode: lines after a quote inside an unquoted field, the mark
 *     of a wrong split, do not count; a last record the 64 KiB cut off
 *     counts with the fields it has begun), and
 *     the one giving the most lines with the same field count (at least 2)
 *     wins, provided those are at least two lines and more than half of
 *     the first 32; ties go to the wider split, then to the order , ; TAB
 *     |. A file no candidate splits that way is comma-separated.
 *     reader_options.delimiter overrides the detection.
 *   - the header row, which need not be the first: title lines ("Evaluation
 *     Report - generated 2026-06-30") and blank lines above it are skipped.
 *     Among the first HEADER_SCAN_ROWS (25) non-blank rows, the header is the
 *     first row that looks like one - at least two non-empty fields, none
 *     of them numeric, all distinct - and is followed by a row of the same
 *     width (one of the next three rows fits it: no value beyond its last
 *     named column, and for CSV at least as many fields). When no row is
 *     confirmed that way (a header-only file, ragged data), it is the first
 *     row with at least two distinct non-numeric fields; failing that, the
 *     first non-blank row (a one-column file). reader_options.header_row
 *     names it instead. The rows above the header are not data: they are
 *     counted in reader_format().rows_above and not in reader_rows_read().
 *   - Excel workbooks (.xlsx, recognised by the zip signature "PK\3\4"
 *     whatever the file is called): read through xlsx.h, the first
 *     worksheet or reader_options.sheet, one record per sheet row, cells
 *     left out by Excel empty and short rows padded to the header's width.
 *     An OLE2 file (legacy .xls, or any password-protected workbook) is an
 *     error saying to save it as .xlsx or CSV UTF-8. A two-row header with
 *     merged cells: when the row just above the header row holds a merged
 *     cell (mergeCells) spanning two or more columns, a column under that
 *     cell, with text G, is named "G / S" where S is its text in the header
 *     row ("G" alone when S is empty); every other column takes its header
 *     text, or the upper row's text in that column when its own is empty
 *     (a label merged down over both rows). A workbook that does not fit
 *     the seek-based reader (stdin, a pipe) is read into memory first.
 *
 * Rows: "row" numbers are the row numbers a spreadsheet shows: blank lines
 * count (as Excel shows them when it opens the CSV), a record with embedded
 * newlines is one row, and with a title line above it the header is row 2.
 * In an xlsx they are the sheet's row numbers. "line" is the physical line
 * (1-based) where the record begins; a record with embedded newlines spans
 * several (in an xlsx, line == row).
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
    char delimiter;           /* 0: detect among , ; TAB | */
    unsigned long header_row; /* 0: detect; else the header's row number */
    const char *sheet;        /* xlsx: the sheet to read; NULL: the first */
};

#define READER_MAX_RECORD_DEFAULT (64ull << 20) /* 64 MiB */

/* Parse a --max-record-bytes value ("1000000", "64M", "1G"; K/M/G are
 * powers of 1024) into o. Returns NULL, or a usage message. */
const char *reader_set_max_record_bytes(struct reader_options *o,
                                        const char *v);

/* How an input was read: what the reader detected or was told. The audit
 * command prints it and the manifest records it. */
struct reader_format {
    int xlsx;                 /* 1: an Excel workbook, 0: delimited text */
    char delimiter;           /* CSV: the field delimiter */
    int delimiter_detected;   /* CSV: 1 detected, 0 from the options */
    unsigned long header_row; /* the header's row number */
    int header_detected;      /* 1 detected, 0 from the options */
    unsigned long rows_above; /* non-blank rows above the header, skipped */
    const char *sheet;        /* xlsx: the sheet read; NULL for CSV */
};

#define HEADER_SCAN_ROWS 25

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
    READER_PAUSE = 2, /* only after reader_pause: see there */
};

typedef struct reader reader;

/* Open path ("-" for stdin) and read its header. On error returns NULL and
 * fills err: cannot open, empty file ("file is empty: no header row"),
 * unterminated quote in the header, invalid encoding, a header_row that is
 * blank or past the end, an unreadable workbook (see xlsx.h), a sheet
 * given for a CSV file. */
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
/* The format the reader settled on (valid until reader_free). */
const struct reader_format *reader_format(const reader *r);

/* One line for people: "delimiter ';' (detected), header row 3 (detected;
 * 2 rows above it skipped)", or "sheet "Evaluations", header row 1
 * (detected)". */
void reader_format_describe(const reader *r, char *out, size_t n);

/* 1 unless the input is the plain case - a comma-separated file with its
 * header on row 1, both detected - so a command can print the format only
 * when it says something (the manifest records it always). */
int reader_format_noteworthy(const reader *r);

/* The manifest's name of a delimiter: ",", ";", "\t" (escaped), "|". */
const char *reader_delimiter_name(char d);

/* A --delimiter value: "," ";" "|" or a TAB character, or the words comma,
 * semicolon, tab, pipe (also "\t"). Returns the character, 0 if unknown. */
char reader_parse_delimiter(const char *s);

/* The input-layout options every command that reads an export shares
 * (audit, columns, a roster): name is "delimiter", "header-row" or
 * "sheet"; value is borrowed (o->sheet points to it). Returns NULL, or a
 * usage message. READER_OPTION_HELP_* are their --help lines. */
const char *reader_set_option(struct reader_options *o, const char *name,
                              const char *value);
#define READER_OPTION_HELP_DELIMITER \
    ", ; tab or |: the field delimiter (default: detected)"
#define READER_OPTION_HELP_HEADER_ROW \
    "the header's row number, as a spreadsheet shows it (blank\n" \
    "lines count; default: detected, skipping title lines)"
#define READER_OPTION_HELP_SHEET \
    ".xlsx inputs: the worksheet to read (default: the first)"

/* Data records read so far (returned or skipped), and the rows the reader
 * itself skipped (ragged, under READER_BAD_ROW_SKIP). */
unsigned long reader_rows_read(const reader *r);
size_t reader_nskipped(const reader *r);
/* i-th skipped row: its row number and a short reason ("ragged: 5 fields,
 * header has 7"). Valid until reader_free. */
unsigned long reader_skipped_row(const reader *r, size_t i);
const char *reader_skipped_reason(const reader *r, size_t i);

void reader_free(reader *r);

/* ----------------------- Reading in chunks ---------------------------------
 * With several threads, a regular file's records after the header region
 * are read by chunk readers, each over its own byte range of the mapped
 * file, with its own libcsv parser. A range starts at a record boundary:
 * right after a newline that ends a record (libcsv between records). Row
 * and line numbers, the encoding decision, skipped rows and warnings are
 * what the one reader would give when a chunk reader starts from the
 * reader_pos the records before it end at. A caller may also start one
 * from a guess - line 1, row 0, the encoding known so far - and, once the
 * ranges before it are read, keep its records (rows + the true srow) only
 * if the true boundary is the guessed offset, the decoding agrees
 * (reader_pos_same_decoding) and it gave no warning and no error (their
 * messages name rows and lines); else it reads the range again from the
 * true position. */
struct reader_pos {
    uint64_t off;        /* file offset of a record boundary */
    unsigned long line;  /* the physical line that starts there */
    unsigned long srow;  /* spreadsheet rows before it */
    int enc;             /* the encoding decision there (reader's) */
    size_t warned;       /* warnings queued since the read holding it began
                            (the reader holds a bounded number per read) */
};

/* After reader_open: 1 if the rest of r's input can be read in chunks (a
 * regular file read as 8-bit text - not stdin, xlsx or UTF-16 - and no
 * error). Then r pauses: once it has handed out every record before the
 * first record boundary in its next read, reader_next returns
 * READER_PAUSE (warnings before it handed out) instead of reading on, and
 * reader_boundary gives that boundary. 0: nothing changes. */
int reader_pause(reader *r);
void reader_boundary(const reader *r, struct reader_pos *pos);
/* Chunk readers have read up to pos (true, not guessed), handing out rows
 * more rows (returned or skipped): r's encoding name, bytes read and rows
 * read follow; done: that is the end of the input. reader_sha256 then
 * returns -1 (r did not read every byte): hash the file apart. */
void reader_split_progress(reader *r, const struct reader_pos *pos,
                           unsigned long rows, int done);
int reader_pos_same_decoding(const struct reader_pos *a,
                             const struct reader_pos *b);
/* t is the true position where a chunk read from a guess began; rel is
 * where that chunk ended (reader_chunk_end): t becomes the true end. */
void reader_pos_advance(struct reader_pos *t, const struct reader_pos *rel);

/* A chunk reader with parent's format, header and options (parent may be
 * freed after). Free it with reader_free. */
reader *reader_chunk_new(const reader *parent);
/* Read file[start->off ..] (file has size bytes and outlives the reads),
 * from the state in *start, up to the first record boundary at or after
 * stop (stop must follow a newline, or be size) - or the end of the file,
 * where an unterminated quote is the usual error. reader_next then reads
 * the records (READER_EOF at the chunk's end); ragged rows are skipped or
 * an error as in the reader. May be called again to read another range. */
void reader_chunk_start(reader *c, const unsigned char *file, uint64_t size,
                        const struct reader_pos *start, uint64_t stop);
/* After READER_EOF from a chunk reader: where it stopped. Returns 1 when
 * that is the end of the file. */
int reader_chunk_end(const reader *c, struct reader_pos *end);

/* Transcode s[0..n) to UTF-8 into out (appended). Exposed for tests and the
 * lexicon loader. Returns the number of U+FFFD replacements made. */
struct buf;
size_t reader_cp1252_to_utf8(const char *s, size_t n, struct buf *out);
/* Offset of the first invalid UTF-8 byte in s[0..n), or n if valid. */
size_t reader_utf8_invalid_at(const char *s, size_t n);

#endif
