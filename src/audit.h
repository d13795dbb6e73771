/* audit.h - the audit engine: a configuration in; inputs read, records
 * assembled into evaluations, every text column scanned (scan.h), hits
 * tallied per cohort (tally.h), excerpt rows out to a sink; at the end,
 * the run's files in the output folder (results.h, tally_file.h).
 *
 *   audit_new     load the lexicons, cohort map, --id-key key, --names
 *   audit_run     read every input: the first one's header resolves the
 *                 column roles (columns.h), the others must repeat it;
 *                 one pass, on cfg->threads threads (audit_read.c)
 *   audit_finish  the outputs: the tally file (TALLY_FILE_NAME, as
 *                 tally_only writes it), rates.csv, comparisons.csv,
 *                 report.html, manifest.json, the review packet; or, under
 *                 tally_only, the tally file and manifest.json only
 *
 * No argv and no printing: what a command shows (the column mapping,
 * progress, the reader's warnings, cohort labels a map leaves unmapped)
 * reaches it through callbacks, on the thread that called audit_run.
 * Errors fill a struct diag, naming file, row and column.
 *
 * Every input row is accounted for in the run_info (audit_run_info): read
 * == analysed + skipped, each skipped row with its reason.
 *
 * Ownership: strings and arrays in the config are borrowed and must
 * outlive the audit, as must cfg->review (the engine adds the evaluators'
 * names to it). audit_free releases the rest. */
#ifndef EVALBIAS_AUDIT_H
#define EVALBIAS_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compare.h"
#include "config.h"
#include "diag.h"
#include "lexicon.h"
#include "reader.h"
#include "report.h"
#include "review.h"
#include "runinfo.h"
#include "tally.h"

/* Where excerpt rows go. format turns a row into bytes and may run on
 * several threads at once (cfg->threads > 1): it must touch nothing
 * shared. emit takes each formatted row in input order, on the thread
 * that called audit_run, with what an index of the rows needs. The
 * default sink (cfg->sink NULL) writes excerpts.csv in cfg->out_dir and
 * keeps report.html's bounded index of it (excerpt_file.h). */
struct audit_row_info {
    uint32_t entry;                   /* lexicon entry (set->entries) */
    size_t mark_start, mark_end;      /* the match's bytes in the excerpt */
    const char *const *cohorts;       /* the evaluation's cohort labels,
                                         one per tally column */
};

struct audit_sink {
    void (*format)(void *ctx, FILE *f, const struct excerpt_row *row);
    /* Returns 0, or -1 to stop the run (err then names the cause). */
    int (*emit)(void *ctx, const char *bytes, size_t len,
                const struct audit_row_info *info, struct diag *err);
    void *ctx;
};

/* What a command may show; any may be NULL. */
struct audit_callbacks {
    void *ctx;
    /* The column mapping, once the first input's header is resolved (the
     * names and how each was chosen are in ri). */
    void (*columns)(void *ctx, const struct run_info *ri);
    /* Bytes of the current input read so far and its size (0: unknown),
     * rows read in all; every 16,384 rows, and with done at its end. */
    void (*progress)(void *ctx, uint64_t bytes, uint64_t total,
                     unsigned long rows, int done);
    /* How an input was read, when it is not a plain comma file with its
     * header on row 1 ("delimiter ';' (detected), header row 3 ..."). */
    void (*format)(void *ctx, const char *path, const char *how);
    /* The reader's warnings, rendered as diag lines ("evalbias: f:3:1:
     * warning: ..."), in input order. */
    void (*warnings)(void *ctx, const char *text, size_t len);
    /* Residents of the export the roster does not list: called once, at
     * the end of audit_run, with how many and the first few names. */
    void (*roster_missing)(void *ctx, const char *roster_path,
                           unsigned long n, const struct strvec *names);
    /* The comment questions of a long export, once chosen. */
    void (*questions)(void *ctx, const struct strvec *chosen, int given);
    /* A cohort label the cohort map does not name (it stays its own
     * cohort), reported by audit_finish. */
    void (*unmapped)(void *ctx, const char *map_path, const char *label,
                     const char *column);
};

struct audit_config {
    const char *const *inputs;        /* CSV paths, "-" for stdin */
    size_t ninputs;
    const char *const *lexicons;      /* lexicon files or directories */
    size_t nlexicons;
    /* column roles (columns.h: struct column_request) */
    const char *const *text;          /* comma-separated lists; none: guessed */
    size_t ntext;
    const char *const *cohort;        /* none: guessed */
    size_t ncohort;
    const char *id, *resident;        /* NULL: guessed */
    const char *evaluator;            /* NULL: guessed ("Evaluator",
                                         "Faculty", "Attending") */
    /* a long export (one row per answer; audit_units.c): question and
     * answer columns, id required; the comment questions, names or
     * /regex/ (none: chosen from a first pass over the files) */
    const char *question, *answer;
    const char *const *questions;
    size_t nquestions;
    /* a roster (roster.h): file, sheet, key column, ROSTER_COL[=NAME]... */
    const char *roster, *roster_sheet, *roster_key;
    const char *const *roster_cohort;
    size_t nroster_cohort;
    /* COL=resident|evaluator|evaluation, overriding the default level */
    const char *const *cohort_level;
    size_t ncohort_level;
    /* --adjust COL,...: cohort columns the adjusted comparisons
     * (adjust.h) take as covariates */
    const char *const *adjust;
    size_t nadjust;
    const char *cohort_map;           /* CSV label,cohort, or NULL */
    const char *id_key;               /* key file for pseudonyms, or NULL */
    const char *verdicts;             /* `review import` folder, or NULL */
    const char *out_dir;              /* created (private) if missing */
    const char *period;               /* --period LABEL (the cycle), or NULL */
    struct reader_options ropt;
    struct compare_options copt;
    struct review_options *review;    /* NULL or not enabled: no packet */
    int tally_only;                   /* counts only: no excerpts at all */
    int strict;                       /* key warnings are errors */
    unsigned threads;                 /* 1: no thread started */
    const char *version;              /* recorded in the manifest */
    const char *const *args;          /* the command line, for the manifest */
    size_t nargs;
    const struct config *config;      /* --config FILE, or NULL: recorded in
                                         the manifest (its SHA-256 and
                                         settings, paths by file name) */
    const struct audit_sink *sink;    /* NULL: excerpts.csv (see above) */
    struct audit_callbacks cb;
};

#define AUDIT_MAX_THREADS 64

typedef struct audit audit;

/* Load what the run needs. NULL with err filled on an error (a lexicon
 * that does not load, no lexicon entry at all, a bad cohort map, key or
 * names file). Inputs, lexicons and the cohort map are protected from
 * being overwritten by any output (outfile.h). */
audit *audit_new(const struct audit_config *cfg, struct diag *err);

/* Read every input. Returns 0, or -1 with err filled: the first error in
 * input order (a reader error, a column the header lacks, a header that
 * differs from the first input's, a matcher limit, an output that cannot
 * be written). */
int audit_run(audit *a, struct diag *err);

/* Write the run's files into cfg->out_dir, after audit_run. summary, when
 * not NULL, gets the terminal summary (report_summary); under tally_only
 * nothing is written to it. Returns 0, or -1 with err filled. */
int audit_finish(audit *a, FILE *summary, struct diag *err);

const struct run_info *audit_run_info(const audit *a);
const tally *audit_tally(const audit *a); /* finished by audit_run's success */
const struct lexicon_set *audit_lexicons(const audit *a);

void audit_free(audit *a);

#endif
