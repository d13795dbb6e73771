/* xlsx.h - an Excel workbook's worksheet -> rows of UTF-8 cells (a second
 * source behind reader.h: the reader turns these rows into records exactly
 * as it does CSV lines, header detection included).
 *
 * The zip container is read with libzip and every XML part with expat; no
 * part is loaded whole except the small ones (workbook.xml, its rels,
 * styles.xml). What it reads:
 *   - xl/workbook.xml and xl/_rels/workbook.xml.rels: the sheets in workbook
 *     order, their part names, workbookPr date1904;
 *   - the shared strings (rich text runs concatenated, phonetic runs left
 *     out). They are kept in memory up to xlsx_options.sst_mem_bytes
 *     (default XLSX_SST_MEM, 64 MiB); past that all of them move to an
 *     unlinked 0600 temporary file (mkstemp in $TMPDIR or /tmp, then unlink:
 *     nothing is left behind, even on a crash) and are read back with pread
 *     through an in-memory offset index (8 bytes per string);
 *   - xl/styles.xml: which cell formats are dates or times (built-in number
 *     formats 14-22 and 45-47, custom formats with d, y, or m outside an
 *     h/s context, ignoring quoted text, escapes and [..] sections);
 *   - the worksheet, streamed: zip_fread in 64 KiB chunks into XML_Parse,
 *     rows handed out as they complete. Before streaming, the sheet is
 *     scanned once (inflate + memmem, no XML) for "mergeCell"; only a sheet
 *     that has merged cells is parsed a second time for its ranges, since
 *     Excel writes <mergeCells> after the data.
 * Cells:
 *   - shared (t="s") and inline (t="inlineStr") strings; formula strings
 *     (t="str"); booleans as TRUE/FALSE; errors as written (#N/A);
 *     OOXML escapes _xHHHH_ decoded (_x000D_ is a CR), U+0000 as U+FFFD;
 *   - numbers in their shortest round-trip form ("%.17g" shortened: 0.1
 *     stays 0.1, 3 stays 3, 1E-3 becomes 0.001);
 *   - date-formatted numbers as ISO 8601: "2024-07-01",
 *     "2024-07-01T08:30:00", or "08:30:00" for a time format (hours past
 *     24 kept: "30:00:00"); 1900 date system with Excel's 1900-02-29
 *     (serial 60, which Excel shows, is written as such), or 1904 when
 *     workbookPr date1904 is set. A serial outside 1900..9999 is written
 *     as a number;
 *   - cells Excel leaves out are empty: a row's cells are placed by their
 *     reference ("C5" is column 3), padded from column A; trailing cells
 *     are not invented (the reader pads short rows to the header's width).
 * Limits: every part is at most xlsx_options.max_part_bytes uncompressed
 * (default XLSX_MAX_PART, 1 GiB), checked against the size the archive
 * declares before reading and counted while reading (declared sizes can
 * lie): a zip bomb is refused with a message that says so.
 *
 * Errors (xlsx_open, xlsx_next) fill err with the file name and a message
 * naming the sheet, row and column where there is one: an OLE2 file (legacy
 * .xls or a password-protected workbook), a corrupt archive or part, a
 * workbook with no sheets, an unknown --sheet (the message lists the
 * sheets), a shared-string index out of range, the size cap.
 *
 * Ownership: pointer arguments are borrowed. The row returned by xlsx_next
 * and its cells are valid until the next xlsx_next or xlsx_free. */
#ifndef EVALBIAS_XLSX_H
#define EVALBIAS_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define XLSX_SST_MEM ((size_t)64 << 20)     /* shared strings held in memory */
#define XLSX_MAX_PART ((uint64_t)1 << 30)   /* uncompressed bytes per part */

struct xlsx_options {
    const char *sheet;         /* NULL: the first worksheet */
    uint64_t max_part_bytes;   /* 0: XLSX_MAX_PART */
    size_t sst_mem_bytes;      /* 0: XLSX_SST_MEM */
};

struct xlsx_cell {
    const char *p;             /* UTF-8, NUL-free; p[len] == '\0' */
    size_t len;
};

struct xlsx_row {
    unsigned long row;         /* the sheet's 1-based row number */
    size_t ncells;             /* column A .. the last cell present */
    const struct xlsx_cell *cells;
};

/* A merged range (mergeCells), 1-based and inclusive. */
struct xlsx_merge {
    unsigned long row0, row1;
    unsigned col0, col1;
};

typedef struct xlsx xlsx;

/* The first bytes of a file: 1 for a zip archive ("PK\3\4"), 2 for an OLE2
 * compound file (D0 CF 11 E0 A1 B1 1A E1), else 0. */
int xlsx_sniff(const unsigned char *p, size_t n);

/* The message for an OLE2 file, without the file name. */
#define XLSX_OLE2_MESSAGE                                                   \
    "legacy .xls or password-protected: save as .xlsx without a password, " \
    "or as CSV UTF-8"

/* Open the workbook in the seekable file fd (taken over: closed by
 * xlsx_free, or on error), or in the buffer p[0..n) (borrowed: it must
 * outlive the xlsx). name is used in messages. Reads the workbook, its
 * rels, styles and shared strings, and positions at the sheet's first row.
 * opt may be NULL. On error returns NULL with err filled. */
xlsx *xlsx_open_fd(int fd, const char *name, const struct xlsx_options *opt,
                   struct diag *err);
xlsx *xlsx_open_mem(const void *p, size_t n, const char *name,
                    const struct xlsx_options *opt, struct diag *err);

/* Next non-empty row (rows without a cell are not returned: the caller sees
 * the gap in the row numbers). Returns 1 with *out set, 0 at the end of the
 * sheet, -1 on error (err filled). */
int xlsx_next(xlsx *x, const struct xlsx_row **out, struct diag *err);

/* The sheet being read (its name in the workbook). */
const char *xlsx_sheet_name(const xlsx *x);

/* The sheet's merged ranges, in the order the sheet lists them. */
size_t xlsx_nmerges(const xlsx *x);
const struct xlsx_merge *xlsx_merges(const xlsx *x);

/* Uncompressed bytes of the sheet read so far, and its declared size (0 if
 * unknown): for progress lines. */
uint64_t xlsx_sheet_bytes_read(const xlsx *x);
uint64_t xlsx_sheet_bytes_total(const xlsx *x);

/* The shared strings live in the temporary file (for tests). */
int xlsx_sst_spilled(const xlsx *x);

void xlsx_free(xlsx *x);

/* Exposed for tests: the shortest "%.*g" form of v that reads back as v
 * (integers below 1e15 without an exponent); and the ISO 8601 text of an
 * Excel serial date (kind 1 date, 2 time, 3 date and time), 0 if the serial
 * is out of range. out holds at least 32 bytes. */
void xlsx_format_number(double v, char *out, size_t n);
int xlsx_format_date(double serial, int date1904, int kind, char *out,
                     size_t n);

#endif
