/* outfile.h - an output file that appears under its name only when
 * complete: it is written as PATH.tmp and renamed into place by
 * outfile_close, so an interrupted or failed run never leaves half a report
 * under the final name. Without a path the output is stdout.
 *
 * Ownership: struct outfile is embedded by the caller; outfile_close
 * releases everything outfile_open acquired, and must be called once after
 * a successful outfile_open. */
#ifndef EVALBIAS_OUTFILE_H
#define EVALBIAS_OUTFILE_H

#include <stdio.h>

#include "diag.h"

struct outfile {
    FILE *f;          /* write here */
    char *path, *tmp; /* NULL for stdout */
};

/* Open path (NULL: stdout) for writing. Returns 0, or -1 with err filled. */
int outfile_open(struct outfile *o, const char *path, struct diag *err);

/* ok != 0: flush, close and rename into place (0, or -1 with err filled on
 * a write or rename error). ok == 0: close and remove the temporary file;
 * returns 0. */
int outfile_close(struct outfile *o, int ok, struct diag *err);

#endif
