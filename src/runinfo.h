/* runinfo.h - the run's record: inputs and their hashes, column mapping,
 * row accounting and skipped rows (struct run_info). The engine (audit.h)
 * and merge fill it; the manifest, the tally file and the review packet
 * read it. It is plain data, so those consumers do not depend on the
 * report writers (report.h) or on each other. */
#ifndef EVALBIAS_RUNINFO_H
#define EVALBIAS_RUNINFO_H

#include <stddef.h>
#include <stdint.h>

#include "lexicon.h"
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
    /* --config FILE: its file name, SHA-256 and settings in file order,
     * path values by file name; config_name NULL without one */
    const char *config_name;
    char config_sha256[65];
    struct strvec config_keys, config_values;
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
    uint64_t other_referent, quoted;  /* hits kept apart (referent.h) */
    const char *cohort_map;           /* --cohort-map FILE, or NULL */
    char cohort_map_sha256[65];
    double elapsed_seconds;
    char started_at[32];              /* ISO 8601 UTC */
    const char *out_dir;
    const char *verdicts_dir;         /* audit --verdicts DIR, or NULL */
    struct strvec outputs;            /* the set's files (outset_list), for
                                         the manifest; empty: not listed */
    struct part_info *parts;          /* `merge` only: the tally files */
    size_t nparts;
    const char *key_fingerprint;      /* --id-key's fingerprint, or NULL */
    /* long exports (one row per answer): the question and answer columns
     * (NULL: a wide export), the comment questions and how chosen; rows
     * analysed that add no words (a rating question, a blank answer) */
    const char *question_col, *answer_col;
    struct strvec questions;
    int questions_given;
    unsigned long rows_without_comment;
    uint64_t evaluations;             /* distinct evaluations analysed */
    /* a roster (roster.h): residents of the export it lacks (first
     * ROSTER_MISSING_LIST names listed), export labels it overrode */
    const char *roster, *roster_key;
    char roster_sha256[65];
    unsigned long roster_residents, roster_unseen, roster_matched;
    unsigned long roster_missing, roster_disagreements;
    struct strvec roster_missing_names;
    /* per cohort column: its level and how many people got one label */
    struct strvec cohort_levels;      /* "resident", "evaluator", "evaluation" */
    unsigned long *relabel_filled, *relabel_majority, *relabel_tie;
    const char *period;               /* --period LABEL (the cycle), or NULL */
    /* evaluator ids in the tally's fine cells (tally.h), and the adjusted
     * comparisons (adjust.h): the evaluator column (NULL: none); tally
     * columns adjusted for (--adjust); the tally columns whose labels make
     * a fine cell's stratum, in order (joined by ADJUST_SEP) */
    const char *evaluator_col;
    int evaluator_guessed;
    struct strvec adjust_cols, strata_cols;
};
#define ROSTER_MISSING_LIST 1000

/* Record a skipped row. kind is a stable word ("ragged", "no comment text",
 * ...) counted per kind; detail goes into the list. */
void run_info_skip(struct run_info *ri, size_t input, unsigned long row,
                   const char *kind, const char *detail);
void run_info_fini(struct run_info *ri);
/* Record a merged part whose ninputs inputs were the last ones added. */
/* Record how the reader read an input (struct reader_format). */
struct reader_format;
void run_info_input_format(struct input_info *in,
                           const struct reader_format *f);
/* Record a merged part whose ninputs inputs were the last ones added. */
void run_info_add_part(struct run_info *ri, const char *path,
                       const char *sha256, size_t ninputs,
                       const char *key_fingerprint);

#endif
