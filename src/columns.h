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

#endif
