/* report.h - the outputs of an audit (last stage of the pipeline). Reports
 * know nothing of how a hit was found: they receive plain structs.
 *
 *   excerpts.csv  streamed, one row per hit (report_excerpts_*)
 *   rates.csv     from the tally, at the end (report_rates_write)
 *   comparisons.csv  each cohort against its reference (report_comparisons_write)
 *   manifest.json what was run on what (report_manifest_write)
 *   terminal      a short summary on stdout (report_summary)
 *
 * CSV files are RFC 4180 with CRLF line ends (what spreadsheets expect); a
 * text cell that would start with = + - @ TAB CR is prefixed with ' so a
 * spreadsheet shows it as text instead of running it as a formula (OWASP
 * "CSV injection"). Numbers are written with a fixed format and outputs are
 * byte-identical for the same inputs.
 *
 * Writers take an open stream; opening, error checking and the rename into
 * place are the caller's (outfile.h). */
#ifndef EVALBIAS_REPORT_H
#define EVALBIAS_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "compare.h"
#include "diag.h"
#include "lexicon.h"
#include "runinfo.h"
#include "tally.h"
#include "util.h"

/* ------------------------------------------------------------ CSV cells */

/* Write one CSV cell to f. It is the only CSV cell writer: every CSV file
 * evalbias writes goes through it. A cell is quoted when it holds " CR LF or
 * a list separator a spreadsheet may use (, ; TAB); it is prefixed with '
 * when report_cell_guarded() says so. */
void report_cell(FILE *f, const char *s, size_t n);
/* 1 when s[0..n) needs the formula guard: after any run of apostrophes it
 * starts with = + - @ TAB CR (or NUL). Apostrophes are skipped so that the
 * guard can be undone exactly (report_cell_unguard). */
int report_cell_guarded(const char *s, size_t n);
/* How many leading bytes to drop from a cell read back from one of our CSV
 * files to undo the guard: 1 for a guarded cell, 0 otherwise (a real leading
 * apostrophe is kept). */
size_t report_cell_unguard(const char *s, size_t n);
/* The guard is also put after a ; or TAB inside a cell when what follows
 * needs it (a ;-separated reading starts a field there). Undo every guard
 * in s[0..n) in place; returns the new length (s stays NUL-terminated
 * when it was). */
size_t report_cell_unguard_all(char *s, size_t n);
void report_cell_str(FILE *f, const char *s);

/* ------------------------------------------------------------- excerpts */

struct excerpt_row {
    const char *evaluation_id, *resident, *column;
    const char *lexicon, *category, *term;
    const char *matched_text;
    size_t matched_len;
    int negated;
    size_t start, end;      /* code points in the original field */
    const char *excerpt;
    const char *referent;   /* "other:patient" ...; NULL or "": the
                               resident (or a quoted hit) */
    int quoted;             /* in quotation or reported speech */
    /* lexicon, category and term already written as cells, each with the
     * ',' after it (report_excerpts_entry_cells, made once an entry); NULL:
     * written from the three here */
    const char *entry_cells;
    size_t entry_cells_len;
};

/* excerpts.csv has one row per span x lexicon x category. Its last two
 * columns: span_id, "EVALUATION_ID:COLUMN:START-END" (the same string for
 * every row of one matched span, so the report and the review packet show
 * a span once with all its categories), and referent (empty until the
 * referent rules fill it). */

/* Write the header row. */
void report_excerpts_begin(FILE *f);
/* Returns the number of bytes the row takes (written to f). */
size_t report_excerpts_row(FILE *f, const struct excerpt_row *r);
/* An entry's lexicon, category and term as report_excerpts_row writes them
 * (for excerpt_row.entry_cells): a NUL-terminated string to free, its
 * length in *len; NULL when out of memory. */
char *report_excerpts_entry_cells(const char *lexicon, const char *category,
                                  const char *term, size_t *len);

/* ----------------------------------------------------------- end of run */

/* Cohorts the comparisons suppress (too few residents) are left out of
 * every writer below. */
void report_rates_write(FILE *f, const tally *t,
                        const struct lexicon_set *set,
                        const struct strvec *cohort_cols,
                        const struct comparisons *cmp);

void report_comparisons_write(FILE *f, const tally *t,
                              const struct lexicon_set *set,
                              const struct strvec *cohort_cols,
                              const struct comparisons *cmp);

void report_manifest_write(FILE *f, const struct run_info *ri,
                           const tally *t, const struct comparisons *cmp);

/* The terminal summary; files names every file the run wrote in
 * ri->out_dir, in the order to read them (report.html first). */
void report_summary(FILE *f, const struct run_info *ri, const tally *t,
                    const struct lexicon_set *set,
                    const struct strvec *cohort_cols,
                    const struct comparisons *cmp,
                    const struct strvec *files);

/* report.html (report_html.c): one self-contained page, no network, no
 * external asset; what was audited, headline findings, per-category SVG
 * charts, sortable term tables and the excerpts xi kept of excerpts_path
 * (the finished excerpts.csv, read back by offset; excerpt_file.h: at most
 * EXCERPT_INDEX_CAP, the page says so when there are more; NULL: none),
 * grouped by category and term and filterable by cohort. Suppressed
 * cohorts appear nowhere. Returns 0, or -1 with err filled when a file
 * cannot be read. */
struct excerpt_index;
int report_html_write(FILE *f, const struct run_info *ri, const tally *t,
                      const struct lexicon_set *set,
                      const struct strvec *cohort_cols,
                      const struct comparisons *cmp,
                      const char *excerpts_path, struct excerpt_index *xi,
                      struct diag *err);

#endif
