/* excerpt_file.h - read back a finished excerpts.csv (report.h's format)
 * for the outputs that need the excerpts in another order than the run
 * found them: report.html groups them by category and term, the review
 * packet shuffles them.
 *
 * The audit streams excerpts to disk and never holds them in memory; this
 * module keeps the same promise as far as it can: excerpt_file_open scans
 * the file once and keeps only each row's byte offset and length (12 bytes
 * a row), and excerpt_file_get parses one row on demand with libcsv. A
 * report over a million excerpts needs ~12 MB of index, not the excerpts.
 *
 * The formula guard report_cell adds (a leading ' before = + - @) is
 * removed, so fields are the text as the evaluation had it.
 *
 * Ownership: excerpt_file_open returns a handle freed with
 * excerpt_file_free. The fields excerpt_file_get fills point into the
 * handle and stay valid until the next excerpt_file_get. */
#ifndef EVALBIAS_EXCERPT_FILE_H
#define EVALBIAS_EXCERPT_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Columns of excerpts.csv, in order. */
enum xf_col {
    XF_ID, XF_RESIDENT, XF_COLUMN, XF_LEXICON, XF_CATEGORY, XF_TERM,
    XF_MATCHED, XF_NEGATED, XF_START, XF_END, XF_EXCERPT, XF_NCOLS
};

struct xf_row {
    const char *f[XF_NCOLS]; /* NUL-terminated, UTF-8 */
    size_t len[XF_NCOLS];
    int negated;
};

typedef struct excerpt_file excerpt_file;

/* Index the rows of path. Returns NULL with err filled when it cannot be
 * read or its header is not excerpts.csv's. */
excerpt_file *excerpt_file_open(const char *path, struct diag *err);
void excerpt_file_free(excerpt_file *x);

/* Data rows (the header not counted). */
size_t excerpt_file_count(const excerpt_file *x);

/* Parse row i (0-based) into out. Returns 0, or -1 with err filled (read
 * error, or a row without 11 fields). */
int excerpt_file_get(excerpt_file *x, size_t i, struct xf_row *out,
                     struct diag *err);

/* Where the match lies inside the excerpt text, in bytes: the nth (from
 * 0; the last one when there are fewer) occurrence of matched_text with its
 * white space runs folded to one space (as the excerpt shows them), else
 * the first ASCII case-insensitive one. Returns 0 and sets [*s, *e), or -1
 * when it cannot be found. */
int xf_row_mark(const struct xf_row *r, unsigned nth, size_t *s, size_t *e);

/* Which occurrence of its matched text inside its excerpt each row is
 * ("brilliant" twice in one sentence: the second hit marks the second
 * word), into nth[0..count): hits of one field are consecutive rows in
 * increasing start order, so the k-th distinct start of a (field, excerpt,
 * matched text) is its k-th occurrence. Returns 0, or -1 with err filled. */
int excerpt_file_nths(excerpt_file *x, uint16_t *nth, struct diag *err);

/* ------------------------------------------------------- cohorts file */

/* The cohorts of each excerpt, for report.html's cohort filter: a file the
 * audit writes beside excerpts.csv, one line per excerpts.csv row, holding
 * the evaluation's cohort labels (after --cohort-map) for each cohort
 * column, separated by EXCERPT_COHORT_SEP. It is a scratch file of the run
 * (removed at its end), so its format is private. */
#define EXCERPT_COHORTS_FILE ".excerpt-cohorts.tmp"
#define EXCERPT_COHORT_SEP '\x1f'

/* Write one line: labels[0..n) with separators, line breaks and the
 * separator inside a label written as spaces. */
void excerpt_cohorts_row(FILE *f, const char *const *labels, size_t n);

#endif
