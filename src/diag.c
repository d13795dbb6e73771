/* diag.c - see diag.h. */
#include "diag.h"
#include "textsafe.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void vset(struct diag *d, enum diag_severity sev, const char *file,
                 unsigned long line, unsigned long col, const char *fmt,
                 va_list ap)
{
    d->sev = sev;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    d->col = col;
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
}

void diag_set(struct diag *d, enum diag_severity sev, const char *file,
              unsigned long line, unsigned long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(d, sev, file, line, col, fmt, ap);
    va_end(ap);
}

static const char *sev_name(enum diag_severity s)
{
    switch (s) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    case DIAG_NOTE: return "note";
    }
    return "error";
}

void diag_print(FILE *f, const struct diag *d)
{
    /* File names and messages may quote input text: escaped, so that no
     * control or bidi character reaches the terminal (textsafe.h). */
    fputs("evalbias: ", f);
    if (d->file[0]) {
        text_put(f, d->file, 0);
        if (d->line) {
            fprintf(f, ":%lu", d->line);
            if (d->col)
                fprintf(f, ":%lu", d->col);
        }
        fputs(": ", f);
    }
    fprintf(f, "%s: ", sev_name(d->sev));
    text_put(f, d->msg, 1);
    fputc('\n', f);
}

void diags_add(struct diags *ds, enum diag_severity sev, const char *file,
               unsigned long line, unsigned long col, const char *fmt, ...)
{
    size_t limit = ds->limit ? ds->limit : 200;
    if (ds->n >= limit) {
        ds->dropped++;
        return;
    }
    grow(&ds->v, &ds->cap, ds->n + 1, sizeof *ds->v);
    va_list ap;
    va_start(ap, fmt);
    vset(&ds->v[ds->n++], sev, file, line, col, fmt, ap);
    va_end(ap);
}

void diags_flush(struct diags *ds, FILE *f)
{
    for (size_t i = 0; i < ds->n; i++)
        diag_print(f, &ds->v[i]);
    ds->n = 0;
}

void diags_fini(struct diags *ds)
{
    free(ds->v);
    ds->v = NULL;
    ds->n = ds->cap = 0;
}
