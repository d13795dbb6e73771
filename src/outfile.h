/* outfile.h - an output file that appears under its name only when
 * complete, is private, and never replaces an input. It is written as a
 * new temporary file PATH.tmp.XXXXXX (mkstemp: mode 0600, created
 * exclusively, so no symlink planted at a guessable name is followed) and
 * renamed into place by outfile_close, so an interrupted or failed run
 * never leaves half a report under the final name. Evaluations are
 * confidential: the renamed file keeps mode 0600. Without a path the
 * output is stdout.
 *
 * Inputs are protected: every file given to outfile_protect (the reader
 * registers each file it opens) is compared by device and inode with the
 * target at outfile_open and again just before the rename, so `-o .` with
 * an input named excerpts.csv is an error, not a lost input.
 *
 * Ownership: struct outfile is embedded by the caller; outfile_close
 * releases everything outfile_open acquired, and must be called once after
 * a successful outfile_open. The protected list lives until exit (a few
 * entries; outfile_protect_clear empties it, for tests). */
#ifndef EVALBIAS_OUTFILE_H
#define EVALBIAS_OUTFILE_H

#include <stdio.h>

#include "diag.h"

struct outfile {
    FILE *f;          /* write here */
    char *path, *tmp; /* NULL for stdout */
};

/* Open path (NULL: stdout) for writing. Returns 0, or -1 with err filled
 * (cannot create the temporary file; path is a protected input). */
int outfile_open(struct outfile *o, const char *path, struct diag *err);

/* ok != 0: flush, close and rename into place (0, or -1 with err filled on
 * a write or rename error, or when path has meanwhile become a protected
 * input). ok == 0: close and remove the temporary file; returns 0. */
int outfile_close(struct outfile *o, int ok, struct diag *err);

/* Remember path (an input) so that no output replaces it. A path that
 * cannot be stat'ed (stdin "-", a missing file) is ignored. */
void outfile_protect(const char *path);
void outfile_protect_clear(void);

/* 0 when writing path would not replace a protected input; -1 with err:
 * "PATH: refusing to overwrite the input file INPUT with an output". */
int outfile_check(const char *path, struct diag *err);

/* From a signal handler: remove every temporary file an open outfile has
 * (async-signal-safe; the handler then _exit()s). outset_abort_all calls
 * it. */
void outfile_abort_all(void);

#endif
