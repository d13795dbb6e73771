/* review.h - the blinded review packet for a Clinical Competency Committee
 * (`evalbias audit --review-packet --review-key FILE`): the run's flagged
 * spans, one item per span (excerpts.csv's span_id), with names and
 * gendered words masked, no cohort and by default no lexicon category
 * shown, in a random order, each with an id and empty verdict and comment.
 *
 *   OUT/review/review.html   the packet to read and judge in a browser
 *                            (saved as judged, paged, keyboard-driven;
 *                            self-contained, no network) or on paper
 *   OUT/review/review.csv    the same items for a spreadsheet:
 *                            packet_id,reviewer,item_id,[lexicon,category,
 *                            term,]column,negated,blinding,flagged_text,
 *                            excerpt,verdict,comment
 *   --review-key FILE        item -> evaluation, resident, lexicon rows,
 *                            the seed: for `evalbias review import`, never
 *                            for reviewers; refused inside OUT/review/
 * With --reviewers N (N > 1) the packets are OUT/review/R1/ ... RN/, each
 * the same two files: disjoint items plus a shared overlap (--overlap,
 * default 10%) that every reviewer judges, for agreement. An item keeps
 * one id in every packet; ids are unique across an audit's packets.
 *
 * Key file columns (CSV, one row per packet x item x lexicon row):
 *   packet_id,reviewer,item_id,evaluation_id,resident,column,lexicon,
 *   category,term,negated,start,end,span_id,blinding,excerpt,seed,
 *   referent,quoted,cohort:NAME... (one per cohort column: the
 *   evaluation's cohort, folded as excerpt_file.h folds labels)
 * (excerpt is the masked sentence, as the reviewer saw it.)
 *
 * Masking (review_mask_ex): every word of a resident's name (the resident
 * column), an evaluator's name (--evaluator COL) and each line of --names
 * FILE, matched after the lexicons' normalization (normalize.h: NFKC, case
 * folding, ignorables; also U+200B and marks: "Jes<ZWSP>sica", "ZOË" and
 * "Zoe" are one name), hyphenated or apostrophe forms and their joined
 * spelling ("O'Brien", "OBrien"), and e-mail local parts that contain a
 * name word ("jmensah@"), become [resident], [evaluator] or [name];
 * adjacent words of one name become one label. Gendered pronouns,
 * honorifics, kin and person nouns become [they], [title], [partner] ...
 * (--keep-gendered keeps them). The flagged span is never masked for
 * gender: an item whose span is itself gendered ("her husband") is marked
 * "cannot be blinded", and the packet counts them.
 *
 * Order: a Fisher-Yates shuffle driven by SplitMix64 from a seed that is
 * random (getrandom) unless --seed N is given; the seed is written only to
 * the key (the manifest records --seed as "(set)"). Packet ids are derived
 * from the seed by SHA-256, so they reveal nothing of it.
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


/* The most excerpts a packet holds: a committee reviews a few thousand at
 * most, and a page of tens of thousands of forms is slow to open. Above
 * it the packet takes, from the report's selection (excerpt_file.h), the
 * first ones of each term, as many for each term as the cap allows, and
 * says how many of how many it holds; excerpts.csv has them all. */
#define REVIEW_MAX_EXCERPTS 5000

struct review_options {
    int enabled;               /* --review-packet */
    uint64_t seed;             /* --seed, or random when !seed_set */
    int seed_set;              /* --seed given */
    const char *key_path;      /* --review-key FILE (required) */
    unsigned reviewers;        /* --reviewers N (1) */
    double overlap;            /* --overlap: share judged by all (0.10) */
    int show_categories;       /* --show-categories */
    int keep_gendered;         /* --keep-gendered */
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

/* Check o against the output folder before the run: --review-key given and
 * not inside OUT/review/. Returns 0, or -1 with err filled. */
int review_check(const struct review_options *o, const char *out_dir,
                 struct diag *err);

/* Write OUT/review/ (or OUT/review/RN/ for each reviewer) and the key
 * (through outfile) from the rows of excerpts_path that xi kept (report.html's
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

review_masker *review_masker_new(void);
void review_masker_free(review_masker *m);
/* Mask every word of name (and its joined hyphen/apostrophe spelling) as
 * label ("[resident]", or a pseudonym); an earlier label wins for a
 * shared word. */
void review_masker_add(review_masker *m, const char *name, const char *label);
/* on = 0: leave gendered words as they are (--keep-gendered). */
void review_masker_gendered(review_masker *m, int on);
/* Append s[0..n) to out with names and (unless flags has
 * REVIEW_MASK_NAMES_ONLY, or the masker's gendered masking is off)
 * gendered words masked. */
#define REVIEW_MASK_NAMES_ONLY 1
void review_mask_ex(const review_masker *m, const char *s, size_t n,
                    int flags, struct buf *out);
void review_mask(const review_masker *m, const char *s, size_t n,
                 struct buf *out);
/* 1 when s[0..n) holds a gendered word the masker would mask. */
int review_is_gendered(const review_masker *m, const char *s, size_t n);

/* A 64-bit seed from the system's random source (getrandom). */
uint64_t review_random_seed(void);

/* The shuffled order: perm[0..n) a permutation of 0..n-1 from seed. */
void review_shuffle(size_t *perm, size_t n, uint64_t seed);

#endif
