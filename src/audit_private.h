/* audit_private.h - what audit.c (setup, records, outputs) and
 * audit_read.c (the read loop, serial and pooled) share. Not for use
 * outside the audit module. */
#ifndef EVALBIAS_AUDIT_PRIVATE_H
#define EVALBIAS_AUDIT_PRIVATE_H

#include <time.h>

#include "audit.h"
#include "cohortmap.h"
#include "columns.h"
#include "excerpt_file.h"
#include "labels.h"
#include "match.h"
#include "outfile.h"
#include "outset.h"
#include "pseudonym.h"
#include "referent.h"
#include "questions.h"
#include "roster.h"
#include "scan.h"
#include "util.h"

/* A record's tally hits. */
struct thv {
    struct tally_hit *v;
    size_t n, cap;
};

/* What one thread needs to analyse records: its own matcher (struct
 * matcher holds per-call scratch and PCRE2 match data) and work buffers,
 * reused, so there is no allocation per field. The main thread's is
 * struct audit's sc; each pool thread has one more (struct pass). */
struct scratch {
    matcher *m;
    struct scan scan;
    struct thv th;
    struct buf id_buf, ev_buf; /* record_names' id and evaluator */
    char pseudonym[PSEUDONYM_LEN + 1];
    char refbuf[48]; /* "other:patient" for the row being formatted */
};

struct pass; /* threads > 1: the batches and their threads (audit_read.c) */

/* The level of a cohort column (audit_units.c). */
enum cohort_level { LEVEL_EVALUATION, LEVEL_RESIDENT, LEVEL_EVALUATOR };

/* Where a tally column's labels come from: an export column, a roster
 * column (overriding the export column of its name, when there is one),
 * or neither ("(all)"). */
struct cohort_src {
    long col;                 /* export column, or -1 */
    long roster;              /* roster cohort, or -1 */
    enum cohort_level level;
};

/* The evaluations of a long export: id -> evaluation number, and what
 * each evaluation's later parts must repeat (its first part's cohort
 * labels and resident, interned). Memory: evaluations x cohort columns. */
struct evals {
    struct strmap by_id;
    size_t n;
    uint32_t *labels;          /* n x ncols, into strs */
    uint32_t *resident;        /* n, into strs; UINT32_MAX: none */
    size_t cap;
    struct strmap strs_by;     /* interned labels and residents */
    struct strvec strs;
};

struct audit {
    struct audit_config cfg;
    struct audit_sink sink;   /* cfg.sink's, or the default (excerpts.csv) */
    struct run_info ri;
    struct column_map map;
    struct lexicon_set *set;
    matcher *m;
    cohortmap *cmap;
    tally *t;
    outset *os;               /* the output set (staging folder), once the
                                 header is read; NULL after publishing */
    struct outfile excerpts;  /* the default sink's excerpts.csv */
    int excerpts_open;
    char **entry_cells;       /* [entry]: its lexicon, category and term
                                 as excerpts.csv cells (excerpt_row) */
    size_t *entry_cells_len;
    uint64_t excerpts_off;    /* bytes in excerpts.csv (its next row's
                                 offset), counted as rows are written;
                                 UINT64_MAX: unknown (ftello failed) */
    int rows_direct;          /* audit_rows_direct's answer, set with the
                                 output folder (pool threads read it) */
    excerpt_index *xi;        /* the excerpts report.html shows */
    FILE *row_f;              /* one thread: a row's bytes (open_memstream) */
    char *row_p;
    size_t row_len;
    struct scratch sc;        /* the main thread's (sc.m is m) */
    struct pass *pass;        /* NULL with one thread */
    const char **cohort_vals;
    struct diags warn;
    struct diag err;
    struct strvec header;
    struct strvec rate_cols;  /* cohort columns, or "(all)" when none */
    struct pseudonym_key key; /* cfg.id_key; key.key NULL when not given */
    review_masker *names;     /* under --id-key: residents' and evaluators'
                                 names in the text -> their pseudonyms */
    /* units (audit_units.c): long exports, roster, one label per person */
    struct cohort_src *csrc;  /* one per tally column (rate_cols) */
    size_t ncols;             /* tally columns with a label source */
    struct questions q;
    roster *roster;
    labels *pl;               /* per-person labels, resident level */
    struct evals ev;
    uint64_t cur_eval;        /* record_eval's: UINT64_MAX wide */
    int cur_first;
    const char *cur_resident;
    struct strmap missing;    /* residents the roster lacks */
    /* fine cells (tally.h): the evaluation's stratum, made by
     * record_count; the tally columns making it */
    struct buf fine_st;
    size_t *strata;
    size_t nstrata;
    double t0;                /* CLOCK_MONOTONIC at audit_new, seconds */
};

/* Where a record's excerpt rows go: with one thread, through the sink at
 * once; a pool thread writes them to its batch's buffer and notes where
 * each ends (the main thread emits them later, in input order). */
struct batch;
struct rows_out {
    FILE *f;                     /* a row's bytes go here */
    struct batch *b;             /* a pool thread's batch, else NULL */
    struct thv *th;              /* the record's tally hits, appended */
};

/* audit.c */
void scratch_init(struct scratch *sc, matcher *m);
void scratch_fini(struct scratch *sc);
/* The first input's header: roles resolved, the mapping reported, the
 * output folder made, the tally started. */
int audit_first_header(struct audit *a, const reader *r);
int audit_same_header(struct audit *a, const reader *r, const char *path);
void audit_warnings(struct audit *a, const char *text, size_t len);
void audit_flush_warnings(struct audit *a);
void audit_progress(struct audit *a, const reader *r, int done);
int audit_record(struct audit *a, size_t input, const struct record *rec);
void record_skip(struct audit *a, size_t input, unsigned long row,
                 enum record_kind k);
void record_names(const struct audit *a, struct scratch *sc, size_t input,
                  unsigned long row, const struct span *fl, const char **id,
                  const char **resident, const char **evaluator);
int record_fields(const struct audit *a, struct scratch *sc,
                  struct rows_out *o, const struct span *fl, const char *id,
                  const char *resident, uint64_t *words, struct diag *err);
void record_cohorts(struct audit *a, const struct span *fl);
void record_count(struct audit *a, const char *id, const char *resident,
                  const char *evaluator, uint64_t words,
                  const struct tally_hit *th, size_t nth);
/* 1 when excerpt rows go to excerpts.csv (the default sink) and its
 * offsets are counted: a pool thread's rows are then noted in the index
 * with their held fields made on that thread, and written a batch at a
 * time; else 0 (each row through the sink's emit). */
int audit_rows_direct(const struct audit *a);

/* audit_units.c */
int units_setup(struct audit *a);
enum record_kind audit_record_kind(const struct audit *a,
                                   const struct span *fl);
void record_eval(struct audit *a, const char *id, const char *resident);
int units_finish(struct audit *a);
void units_free(struct audit *a);

/* audit_read.c */
int audit_input(struct audit *a, size_t input);
void audit_pass_free(struct pass *ps);
/* Called by audit_field for a pool thread's row just formatted to f
 * (audit_read.c); held: the row, when its held fields are wanted
 * (audit_rows_direct), else NULL. */
void batch_note_row(struct batch *b, FILE *f, uint32_t entry,
                    size_t mark_start, size_t mark_end,
                    const struct excerpt_row *held);

/* audit_names.c: under --id-key, read the inputs' resident and evaluator
 * columns before the pass (a->names); 0, or -1 with a->err. */
int audit_learn_names(struct audit *a);
/* text's names -> pseudonyms into xb, the marks [*ms, *me) moved to match;
 * matched[0..mlen) likewise into mb. */
void audit_mask_excerpt(const struct audit *a, const char *text, size_t n,
                        size_t *ms, size_t *me, const char *matched,
                        size_t mlen, struct buf *xb, struct buf *mb);

#endif
