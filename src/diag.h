/* diag.h - diagnostics: a located message with a severity.
 *
 * Library modules never print and never exit: they fill a struct diag and
 * return -1 (or NULL), or append warnings to a struct diags. Only the
 * command layer (src/cli/: main.c, cmd_*.c) renders them, in one GNU-style format editors and CI can
 * jump to:
 *
 *     evalbias: samples/evals.csv:214:37: warning: invalid UTF-8 ... (row 212, column "Strengths")
 *
 * line and col are 1-based; 0 means "not known" and is left out. */
#ifndef EVALBIAS_DIAG_H
#define EVALBIAS_DIAG_H

#include <stdio.h>

enum diag_severity { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag {
    enum diag_severity sev;
    char file[512];      /* "" when not about a file */
    unsigned long line;  /* 1-based physical line, 0 unknown */
    unsigned long col;   /* 1-based column (bytes), 0 unknown */
    char msg[2048];      /* the message, possibly with a source excerpt */
};

/* Fill d. file may be NULL. */
void diag_set(struct diag *d, enum diag_severity sev, const char *file,
              unsigned long line, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Print "evalbias: file:line:col: error: msg\n" to f. */
void diag_print(FILE *f, const struct diag *d);

/* A bounded list of warnings. Past `limit` entries only `dropped` grows, so a
 * file with a million bad rows cannot exhaust memory with messages. */
struct diags {
    struct diag *v;
    size_t n, cap;
    size_t limit;    /* 0 means the default (200) */
    size_t dropped;
};

void diags_add(struct diags *ds, enum diag_severity sev, const char *file,
               unsigned long line, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Print every entry to f, then empty the list (dropped count is kept). */
void diags_flush(struct diags *ds, FILE *f);
void diags_fini(struct diags *ds);

#endif
