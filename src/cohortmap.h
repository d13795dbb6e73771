/* cohortmap.h - --cohort-map FILE: merge the spellings of a cohort label
 * ("F", "Female", "W" -> "Woman") before counting.
 *
 * The file is a CSV with the header `label,cohort`: each row maps one raw
 * label (compared trimmed and ASCII case-insensitively, as the tally
 * groups) to the cohort it belongs to. A label the map does not name keeps
 * its own spelling and forms its own cohort: nothing is merged silently.
 * The map applies to every cohort column.
 *
 * Ownership: cohortmap_load returns a map freed with cohortmap_free. */
#ifndef EVALBIAS_COHORTMAP_H
#define EVALBIAS_COHORTMAP_H

#include "diag.h"

typedef struct cohortmap cohortmap;

/* NULL with err filled ("file:row:col: error: ...") on a bad file. The
 * reader's warnings (invalid UTF-8 replaced, ...) are added to warn, which
 * may be NULL; the caller shows them. */
cohortmap *cohortmap_load(const char *path, struct diags *warn,
                          struct diag *err);
void cohortmap_free(cohortmap *m);

/* The cohort of a raw label: the mapped name, or label itself. */
const char *cohortmap_apply(cohortmap *m, const char *label);

/* Whether name is one of the map's cohorts (a mapping's target). */
int cohortmap_is_target(const cohortmap *m, const char *name);

#endif
