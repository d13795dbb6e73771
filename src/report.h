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
#include "tally.h"
#include "util.h"

/* One input file, as the manifest records it. */
struct input_info {
    char *path;
    uint64_t bytes;
    char sha256[65];
    char encoding[32];
    unsigned long rows_read;
    /* How it was read (reader_format): format is "" when this run did not
     * read it (merge), and the manifest then leaves these out. */
    char format[8];              /* "csv" or "xlsx" */
    char delimiter[4];           /* CSV: ",", ";", "\\t" or "|" */
    char sheet[256];             /* xlsx: the sheet read */
    unsigned long header_row, rows_above_header;
    int delimiter_detected, header_detected;
};

/* A tally file `evalbias merge` added (tally_file.h): its inputs are
 * run_info.inputs[first_input .. first_input + ninputs). */
struct part_info {
    char *path;
    char sha256[65];
    size_t first_input, ninputs;
    char key_fingerprint[17];         /* "" when residents are names */
};

/* A skipped row. The list is capped (SKIP_LIST_MAX); counts are exact. */
#define SKIP_LIST_MAX 10000
struct skip_info {
    size_t input;         /* index into run_info.inputs */
    unsigned long row;
    char *reason;
};

struct run_info {
    const char *version;
    struct strvec args;               /* argv after "audit" */
    struct input_info *inputs;
    size_t ninputs;
    const struct lexicon_set *set;
    /* column mapping (header names) and how it was chosen */
    struct strvec text_cols, cohort_cols;
    const char *id_col, *resident_col; /* NULL when not used */
    int text_guessed, cohort_guessed, id_guessed, resident_guessed;
    /* row accounting: read == analysed + skipped */
    unsigned long rows_read, rows_analysed, rows_skipped;
    struct skip_info *skips;
    size_t nskips, skips_cap;
    struct strvec skip_reasons;       /* distinct reason kinds ... */
    unsigned long *skip_reason_counts;/* ... and their counts */
    uint64_t words, hits, negated;
    const char *cohort_map;           /* --cohort-map FILE, or NULL */
    char cohort_map_sha256[65];
    double elapsed_seconds;
    char started_at[32];              /* ISO 8601 UTC */
    const char *out_dir;
    struct part_info *parts;          /* `merge` only: the tally files */
    size_t nparts;
    const char *key_fingerprint;      /* --id-key's fingerprint, or NULL */
};

/* Record a skipped row. kind is a stable word ("ragged", "no comment text",
 * ...) counted per kind; detail goes into the list. */
void run_info_skip(struct run_info *ri, size_t input, unsigned long row,
                   const char *kind, const char *detail);
void run_info_fini(struct run_info *ri);
/* Record how the reader read an input (struct reader_format). */
struct reader_format;
void run_info_input_format(struct input_info *in,
                           const struct reader_format *f);
/* Record a merged part whose ninputs inputs were the last ones added. */
void run_info_add_part(struct run_info *ri, const char *path,
                       const char *sha256, size_t ninputs,
                       const char *key_fingerprint);

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

void report_summary(FILE *f, const struct run_info *ri, const tally *t,
                    const struct lexicon_set *set,
                    const struct strvec *cohort_cols,
                    const struct comparisons *cmp);

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
