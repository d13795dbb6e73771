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
 * text cell that would start with = + - @ is prefixed with ' so a
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

/* Write one CSV cell (quoted when needed, formula-guarded) to f. */
void report_cell(FILE *f, const char *s, size_t n);
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
};

/* Write the header row. */
void report_excerpts_begin(FILE *f);
void report_excerpts_row(FILE *f, const struct excerpt_row *r);

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
