/* review.h - the blinded review packet for a Clinical Competency Committee
 * (`evalbias audit --review-packet`): the run's excerpts with names masked,
 * no cohort shown, in a shuffled but reproducible order, each with an
 * opaque id and empty judgement and comment columns.
 *
 *   review.html      the packet to read (and fill in) in a browser or on
 *                    paper: self-contained, no network, like report.html
 *   review.csv       the same rows for a spreadsheet:
 *                    excerpt_id,lexicon,category,term,column,negated,
 *                    flagged_text,excerpt,judgement,comment
 *                    (judgement: biased / not biased / unsure)
 *   review-key.csv   excerpt_id -> evaluation_id,resident,column,... for
 *                    whoever joins the judgements back; not for reviewers
 *
 * Masking: every word of a resident's name (the resident column), an
 * evaluator's name (--evaluator COL) and each line of --names FILE is
 * replaced, whole words and ASCII case-insensitively, by [resident],
 * [evaluator] or [name] in the excerpt and the flagged text. Titles
 * ("Dr", "MD") and one-letter initials are not names on their own. The
 * masking is by word list, so a nickname or misspelling it was not given
 * stays: the README says so.
 *
 * Order: a Fisher-Yates shuffle driven by SplitMix64 (Steele et al. 2014)
 * from --seed, so the same excerpts and seed give the same packet on
 * any machine. Ids are E00001... in the shuffled order: they reveal
 * neither the evaluation nor the order the run found it.
 *
 * Ownership: review_options is embedded (review_options_init/fini); the
 * strings it holds are copies. */
#ifndef EVALBIAS_REVIEW_H
#define EVALBIAS_REVIEW_H

#include <stdint.h>

#include "diag.h"
#include "hashmap.h"
#include "runinfo.h"
#include "tally.h"
#include "util.h"

#define REVIEW_DEFAULT_SEED 20240601u

/* The most excerpts a packet holds: a committee reviews a few thousand at
 * most, and a page of tens of thousands of forms is slow to open. Above
 * it the packet takes, from the report's selection (excerpt_file.h), the
 * first ones of each term, as many for each term as the cap allows, and
 * says how many of how many it holds; excerpts.csv has them all. */
#define REVIEW_MAX_EXCERPTS 5000

struct review_options {
    int enabled;               /* --review-packet */
    uint64_t seed;             /* --seed */
    const char *names_file;    /* --names FILE, or NULL */
    struct strvec names;       /* its names, one a line */
    struct strvec evaluators;  /* distinct values of the evaluator column */
    struct strmap seen;        /* evaluator names already in the list */
    size_t max_excerpts;       /* REVIEW_MAX_EXCERPTS (tests set less) */
};

void review_options_init(struct review_options *o);
void review_options_fini(struct review_options *o);

/* Read --names FILE: one name a line (UTF-8; blank lines and lines
 * starting with '#' ignored). Returns 0, or -1 with err filled. */
int review_load_names(struct review_options *o, const char *path,
                      struct diag *err);

/* Remember an evaluator's name (blank ones and repeats are ignored). */
void review_add_evaluator(struct review_options *o, const char *name,
                          size_t len);

/* Write review.html, review.csv and review-key.csv into out_dir (through
 * outfile) from the rows of excerpts_path that xi kept (report.html's
 * bounded selection, excerpt_file.h), at most o->max_excerpts of them
 * (every excerpt up to that; above it the packet says how many of how
 * many it holds). Residents' names are the tally's clusters when
 * ri->resident_col is set. Returns 0, or -1 with err filled. */
struct excerpt_index;
int review_write(const struct review_options *o, const tally *t,
                 const struct run_info *ri, const char *out_dir,
                 const char *excerpts_path, struct excerpt_index *xi,
                 struct diag *err);

/* ---------------------------------------------------- parts, for tests */

typedef struct review_masker review_masker;
enum review_kind { REVIEW_RESIDENT = 1, REVIEW_EVALUATOR, REVIEW_NAME };

review_masker *review_masker_new(void);
void review_masker_free(review_masker *m);
/* Add every word of name as kind (an earlier kind wins for a shared word). */
void review_masker_add(review_masker *m, const char *name, enum review_kind k);
/* Append s[0..n) to out with the names masked. */
void review_mask(const review_masker *m, const char *s, size_t n,
                 struct buf *out);

/* The shuffled order: perm[0..n) a permutation of 0..n-1 from seed. */
void review_shuffle(size_t *perm, size_t n, uint64_t seed);

#endif
