/* columns.h - column roles: find the columns the user named in the header,
 * or guess them from common export headers (MedHub, New Innovations,
 * Elentra, one45 ...).
 *
 * Guessing rules (case-insensitive, on the header name):
 *   text      names containing comment, narrative, strength, improvement,
 *             feedback, "areas for", or remarks;
 *   cohort    names containing gender or sex;
 *   id        "id", or names containing "evaluation id", "eval id",
 *             "response id", "evaluation number";
 *   resident  names containing resident, trainee or learner that are not a
 *             gender, PGY, level or id column ("Resident Name", "Resident").
 * A guess is only a guess: the audit prints the mapping it used and records
 * it in the manifest. */
#ifndef EVALBIAS_COLUMNS_H
#define EVALBIAS_COLUMNS_H

#include <stddef.h>

#include "diag.h"
#include "reader.h"
#include "util.h"

enum column_role { ROLE_TEXT, ROLE_COHORT, ROLE_ID, ROLE_RESIDENT };

/* Does header name `name` look like a column of this role? */
int columns_guess(const char *name, enum column_role role);

/* Index of `want` in names[0..n) (exact match, spaces included). On failure
 * returns -1 and fills err: 'no column "Resdent Gender"; did you mean
 * "Resident Gender"? The header has: ...'. what is the option it came from
 * ("--cohort"); file names the input. */
long columns_find(const char *const *names, size_t n, const char *want,
                  const char *what, const char *file, struct diag *err);

/* Split a comma-separated list of column names ("Strengths,Areas for
 * Improvement") into sv, trimming nothing: names are taken as written. */
void columns_split(struct strvec *sv, const char *list);

/* ------------------------------------------------- role resolution */

/* The roles a command asks for: the names the user gave (NULL or none:
 * guessed from the header), as audit and lexicon diff both resolve them. */
struct column_request {
    const char *const *text;     /* --text values: comma-separated lists,
                                    unless a value is exactly one header
                                    name (a column whose name holds a comma) */
    size_t ntext;
    const char *const *cohort;   /* --cohort values, one column each */
    size_t ncohort;
    int guess_cohort;            /* no --cohort: guess gender/sex columns */
    const char *id, *resident;
    int want_evaluator;          /* resolve an evaluator column: --evaluator,
                                    else one named like "Evaluator",
                                    "Faculty" or "Attending" */
    const char *evaluator;
    const char *question, *answer; /* a long export (one row per answer):
                                    both, and id, required; the answer is
                                    the only text column */
    const char *file;            /* the input, for messages */
};

/* The resolved roles: indexes into the header, and the names used. Name
 * pointers are borrowed from the header or the request. */
struct column_map {
    long *text;
    size_t ntext;
    long *cohort;
    size_t ncohort;
    long id, resident, evaluator;   /* -1 when not used */
    long question;                  /* long export: the question column */
    const char *question_name;
    struct strvec text_names, cohort_names;
    const char *id_name, *resident_name;  /* NULL when not used */
    int text_guessed, cohort_guessed, id_guessed, resident_guessed;
};

/* Resolve rq against header[0..n). Returns 0, or -1 with err filled (a
 * named column missing, with a "did you mean"; no text column at all).
 * out is filled either way and released with column_map_fini. */
int columns_resolve(const char *const *header, size_t n,
                    const struct column_request *rq, struct column_map *out,
                    struct diag *err);
void column_map_fini(struct column_map *m);

/* Is a field empty or only white space (space, tab, CR, LF)? */
int columns_blank(const struct span *f);

/* Which records an audit analyses, from their fields alone: one with a
 * blank resident (when there is a resident column) or with every text
 * column blank is skipped, for that reason; in a long export, one with a
 * blank evaluation id too. lexicon diff selects the
 * same rows, so it is about the text an audit reads. */
enum record_kind { RECORD_ANALYSE, RECORD_BLANK_RESIDENT, RECORD_NO_TEXT,
                   RECORD_BLANK_ID,      /* long export: no evaluation id */
                   RECORD_NOT_COMMENT }; /* long export: a rating question
                                            (audit.c decides) */
enum record_kind columns_record_kind(const struct column_map *m,
                                     const struct span *fields);

#endif
