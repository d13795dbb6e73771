/* excerpt_file.h - the excerpts that report.html and the review packet
 * show: a bounded, fair selection of excerpts.csv's rows, recorded while
 * the run writes them, held in memory (the fields the page shows) or read
 * back from the finished file by offset.
 *
 * The audit streams excerpts to disk; a large export has millions. The
 * report cannot show them all (no browser opens a page of hundreds of
 * MB), and must not re-read and index the whole file to choose. So the
 * run tells the index about each row as it writes it (excerpt_index_add,
 * then excerpt_index_hold with the row's bytes), and the index keeps, in
 * memory bounded by its cap, only what the selection and the page need:
 * the row's byte offset in excerpts.csv, its lexicon entry, where the
 * match lies in the excerpt, the evaluation's cohorts, and the fields the
 * page shows (evaluation id, resident, column, excerpt, span id, negated)
 * within a byte budget. The page is then built from memory; a kept row the
 * budget could not hold (or whose bytes were not given) is read back from
 * the file by offset (excerpt_file_read), which gives the same fields.
 *
 * The selection: the first rows of each entry (term) in file order, as
 * many for each entry as the cap allows ("max-min fair"): while the kept
 * rows fit the cap every row is kept; when a row would exceed it, the
 * entry holding the most rows gives up its latest one and takes no more.
 * So an entry with few rows keeps all of them and the common ones share
 * the rest equally (within one row): rare terms are not crowded out. The
 * same rows in the same order give the same selection.
 *
 * Cost: every row is counted; only a kept row costs an ftello, a lookup
 * of its cohort labels, and splitting its bytes into the held fields;
 * choosing the entry that gives up a row is a heap's top, kept in
 * O(log entries) a change. Memory: about 64 bytes a kept row (its slot,
 * and its xi_row once excerpt_index_rows is called) plus 4 a cohort
 * column, 28 bytes an entry, the distinct cohort labels, and the held
 * fields: at most EXCERPT_HOLD_BUDGET bytes (about 165 a row on generated
 * exports, 12 MB at the cap), whatever the number of excerpts.
 *
 * Ownership: excerpt_index_new / excerpt_file_open return handles freed
 * with excerpt_index_free / excerpt_file_free. The fields excerpt_file_read
 * fills point into the handle and stay valid until its next read; those
 * excerpt_index_fields fills from memory, until the index is freed. */
#ifndef EVALBIAS_EXCERPT_FILE_H
#define EVALBIAS_EXCERPT_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"

/* The most excerpts.csv rows report.html holds (the review packet takes at
 * most REVIEW_MAX_EXCERPTS of these, review.h). The page lists a span once
 * however many lexicons matched it (about 1.2 rows a span on generated
 * exports), so this is set for a 50,000-span report (the browser test's)
 * to show every one; a page of this many opens in under 3 s (README, "The
 * HTML report"). */
#define EXCERPT_INDEX_CAP 72000

/* The most bytes of held fields the index keeps in memory (a row's held
 * fields, NUL-terminated, and 29 bytes of its own: size, slot, flags and
 * the fields' lengths): 24 MiB, about 340 bytes a row at the cap; typical
 * rows take about 165, so only exports
 * of long ids, names or non-Latin text leave some rows to be read back. */
#define EXCERPT_HOLD_BUDGET (24u << 20)

/* ---------------------------------------------------------- the index */

typedef struct excerpt_index excerpt_index;

/* An index keeping at most cap rows, for entries 0..nentries-1, recording
 * ncols cohort labels a row. */
excerpt_index *excerpt_index_new(size_t cap, size_t nentries, size_t ncols);
void excerpt_index_free(excerpt_index *x);

/* Record the row about to be written to f (call it just before
 * report_excerpts_row: a kept row's offset is ftello(f)): its lexicon
 * entry, the match's bytes [mark_start, mark_end) inside its excerpt text
 * (struct excerpt's mark_start/mark_end), and its evaluation's cohort
 * labels (ncols of them, after --cohort-map; NULL when ncols is 0). */
void excerpt_index_add(excerpt_index *x, FILE *f, uint32_t entry,
                       size_t mark_start, size_t mark_end,
                       const char *const *cohorts);

/* The same, for a row that starts at byte off of the file (a writer that
 * counts its bytes needs no ftello). */
void excerpt_index_add_at(excerpt_index *x, uint64_t off, uint32_t entry,
                          size_t mark_start, size_t mark_end,
                          const char *const *cohorts);

/* The bytes of the row just recorded by excerpt_index_add, as written
 * to excerpts.csv (one row, its line end included or not): when the
 * index kept the row, it holds the row's shown fields (see
 * excerpt_index_fields) if they fit the budget. Call it after that add and
 * before the next; a row never given here is read back from the file. */
void excerpt_index_hold(excerpt_index *x, const char *row, size_t len);

/* The same for the row just recorded, given as the excerpt_row that
 * report_excerpts_row wrote (its strings NUL-free, as they are): holds
 * exactly what excerpt_index_hold would hold from the written bytes,
 * without splitting them again. Call one of the two after an add. */
struct excerpt_row;
void excerpt_index_hold_row(excerpt_index *x, const struct excerpt_row *r);

/* The same in two steps, for a row formatted on another thread than the
 * index's: excerpt_held_put appends to b (buf_reserve'd as needed) the
 * held record excerpt_index_hold_row would make of r, and returns its
 * length; excerpt_index_hold_put then gives those bytes for the row just
 * recorded (and holds them, or not, as hold_row would). */
struct buf;
size_t excerpt_held_put(struct buf *b, const struct excerpt_row *r);
void excerpt_index_hold_put(excerpt_index *x, const char *held, size_t len);

/* Set the budget for held fields (default EXCERPT_HOLD_BUDGET; a test
 * sets a small one), before the first add. */
void excerpt_index_hold_budget(excerpt_index *x, size_t bytes);

/* 1 when every kept row's fields are held in memory (the page needs no
 * read of excerpts.csv), else 0. */
int excerpt_index_all_held(const excerpt_index *x);

/* A kept row. cohort[c] indexes excerpt_index_label(x, c, ...). */
struct xi_row {
    uint64_t off;                 /* byte offset in excerpts.csv */
    uint32_t entry;
    uint32_t mark_start, mark_end;
    uint32_t held;                /* the index's own: where it holds the
                                     row's fields (UINT32_MAX: not held) */
    const uint32_t *cohort;       /* ncols label ids */
};

/* The kept rows, by entry (0, 1, ...) and each entry's in file order
 * (computed on the first call; no add after it). Returns their number and
 * sets *rows. */
size_t excerpt_index_rows(excerpt_index *x, const struct xi_row **rows);

/* Rows added: in all, and of one entry. Kept rows are fewer when the cap
 * was reached. */
uint64_t excerpt_index_total(const excerpt_index *x);
uint64_t excerpt_index_entry_total(const excerpt_index *x, uint32_t entry);
size_t excerpt_index_cap(const excerpt_index *x);

/* Cohort labels as the tally groups them: trimmed, a blank one
 * "(blank)", ASCII lower-cased. excerpt_index_nlabels(x, c) of them in
 * column c. */
size_t excerpt_index_nlabels(const excerpt_index *x, size_t col);
const char *excerpt_index_label(const excerpt_index *x, size_t col,
                                uint32_t id);

/* Fold label s[0..n) into b as above (and as the report must fold the
 * tally's cohort names to find them). */
struct buf;
void excerpt_label_fold(struct buf *b, const char *s, size_t n);

/* 0, or -1 when a kept row's offset could not be taken (ftello failed). */
int excerpt_index_ok(const excerpt_index *x);

/* ------------------------------------------------ reading rows back */

/* Columns of excerpts.csv, in order. */
enum xf_col {
    XF_ID, XF_RESIDENT, XF_COLUMN, XF_LEXICON, XF_CATEGORY, XF_TERM,
    XF_MATCHED, XF_NEGATED, XF_START, XF_END, XF_EXCERPT, XF_SPAN_ID,
    XF_REFERENT, XF_QUOTED, XF_NCOLS
};

struct xf_row {
    const char *f[XF_NCOLS]; /* NUL-terminated, UTF-8 */
    size_t len[XF_NCOLS];
    int negated;
};

typedef struct excerpt_file excerpt_file;

/* Open path and check its header is excerpts.csv's. Returns NULL with err
 * filled when it cannot be read or the header is another. */
excerpt_file *excerpt_file_open(const char *path, struct diag *err);
void excerpt_file_free(excerpt_file *x);

/* Parse the row starting at byte off into out. The formula guard
 * report_cell adds (a leading ' before = + - @) is removed, so fields are
 * the text as the evaluation had it. Returns 0, or -1 with err filled
 * (read error, or not a row of XF_NCOLS fields there). */
int excerpt_file_read(excerpt_file *x, uint64_t off, struct xf_row *out,
                      struct diag *err);

/* Kept row k's shown fields: XF_ID, XF_RESIDENT, XF_COLUMN, XF_EXCERPT,
 * XF_SPAN_ID and negated, as excerpt_file_read gives them; from memory
 * when the index holds them (then the other fields are ""), else read
 * from xf by offset (all fields; xf may be NULL when
 * excerpt_index_all_held). Returns 0, or -1 with err filled. */
int excerpt_index_fields(const excerpt_index *x, const struct xi_row *k,
                         excerpt_file *xf, struct xf_row *out,
                         struct diag *err);

/* Where row r's match lies in its excerpt text, from the index's marks:
 * sets [*s, *e) and returns 0, or returns -1 when they do not fit the
 * text (then show it unmarked). */
int xf_row_mark(const struct xf_row *r, const struct xi_row *k, size_t *s,
                size_t *e);

#endif
