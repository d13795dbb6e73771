/* inspect.h - look at an export (or a roster) before auditing it: its
 * columns, a few sample values of each, the role an audit would guess for
 * each (columns.h), and whether it is a long export (one row per answer:
 * a question and an answer column), with the questions whose answers look
 * like comments (questions.h). `evalbias columns` prints it; `evalbias
 * init` writes a configuration from it.
 *
 * Reads at most INSPECT_ROWS rows (INSPECT_LONG_ROWS for a long export),
 * ragged rows skipped. Memory: the samples, the distinct values of the
 * guessed resident column and of each gender-like column (capped at
 * INSPECT_DISTINCT each), the question guess.
 *
 * Ownership: everything is copied; inspection_fini releases. No printing. */
#ifndef EVALBIAS_INSPECT_H
#define EVALBIAS_INSPECT_H

#include <stddef.h>

#include "diag.h"
#include "questions.h"
#include "reader.h"
#include "util.h"

#define INSPECT_ROWS 200          /* rows read for sample values */
#define INSPECT_LONG_ROWS 100000  /* a long export: rows read to guess questions */
#define INSPECT_SAMPLES 3         /* distinct values kept per column */
#define INSPECT_DISTINCT 10000    /* distinct values kept per tracked column */

enum inspect_role { INSPECT_NONE, INSPECT_TEXT, INSPECT_COHORT, INSPECT_ID,
                    INSPECT_RESIDENT };

struct inspection {
    char how[512];              /* reader_format_describe: delimiter or
                                   sheet, header row */
    char encoding[32];
    int xlsx;
    char sheet[256];            /* the sheet read, "" for CSV */
    struct strvec columns;      /* the header */
    struct strvec *samples;     /* per column, up to INSPECT_SAMPLES */
    enum inspect_role *role;    /* per column: columns_guess's role */
    unsigned long rows;         /* data rows read */
    /* a long export: question and answer columns (-1: a wide export) and
     * the questions seen, decided (questions_decide) */
    long question, answer;
    struct questions q;
    /* guesses: the evaluation id and the resident column (-1: none). In a
     * long export the resident is also "Evaluatee" or "Subject", the names
     * those systems use. */
    long id, resident;
    struct strvec residents;    /* distinct resident values (capped) */
    /* per column: distinct non-blank values, for cohort-like columns only
     * (gender/sex), up to INSPECT_DISTINCT */
    struct strvec *labels;
};

/* Inspect path. Returns 0, or -1 with err filled: the file cannot be
 * opened (out then holds nothing), or a reader error after some rows (out
 * holds what was read before it: a caller may show it, then the error). */
int inspect_file(const char *path, const struct reader_options *ropt,
                 struct inspection *out, struct diag *err);
void inspection_fini(struct inspection *in);

/* The column of a roster (its sheet, NULL: the first) whose values name
 * the most of residents[] (as roster.h matches them: "Last, First" =
 * "first last"), or -1 when none matches; *matched gets how many distinct
 * residents it names. Reads at most INSPECT_DISTINCT roster rows. -1 with
 * err filled when the roster cannot be read (then *matched is 0 and the
 * return value is -2). */
long inspect_roster_key(const char *roster, const char *sheet,
                        const struct reader_options *ropt,
                        const struct strvec *residents,
                        unsigned long *matched, struct diag *err);

/* Index of the column named name (exact), or -1. */
long inspect_column(const struct inspection *in, const char *name);

#endif
