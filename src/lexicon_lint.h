/* lexicon_lint.h - checks of lexicon files beyond what loading enforces,
 * for `evalbias lexicon lint` and CI.
 *
 * Each file is first loaded on its own, so one broken file does not hide
 * the problems of the others; its load error (file:line:col) is a finding.
 * The files that load are then checked together, in the order given (the
 * order that decides ties between entries):
 *
 *   errors    a load error; an invalid PCRE2 pattern; the same words twice
 *             in one lexicon (a duplicate, or an entry of another category
 *             that can never match); a category with no entries; a lexicon
 *             with no entries; two lexicons with the same name.
 *   warnings  an entry that never matches because an entry before it
 *             matches everything it does and wins the tie (a stem above
 *             it, a lexicon loaded before it); a word covered by a stem of
 *             the same lexicon ("emotion*" and "emotional"); a category
 *             with no source, or no label or summary; a lexicon with no
 *             version; in CSV lexicons,
 *             a stem or pattern with no match example, and an entry with
 *             guards but no nomatch example.
 *
 * Ownership: the report is embedded by the caller; lint_report_fini frees
 * what lexicon_lint put in it. */
#ifndef EVALBIAS_LEXICON_LINT_H
#define EVALBIAS_LEXICON_LINT_H

#include <stddef.h>

#include "diag.h"
#include "util.h"

struct lint_report {
    struct diag *v;  /* findings, sorted by file (as given), line, column */
    size_t n;
    size_t errors, warnings;
};

/* Check the lexicon files (paths, as lexicon_files lists them). Never
 * fails: every problem, a file that cannot be read included, is a
 * finding. */
void lexicon_lint(const struct strvec *files, struct lint_report *rep);
void lint_report_fini(struct lint_report *rep);

#endif
