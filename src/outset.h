/* outset.h - a run's outputs as one set: they appear together or not at
 * all (issue 18).
 *
 * The output folder DIR must be new, empty, or one an earlier evalbias run
 * wrote (its manifest.json says "tool": "evalbias"); anything else is
 * refused. outset_open takes flock(2) LOCK_EX on DIR (released by the
 * kernel when the process dies, so a SIGKILL leaves no stale lock; a
 * second run into DIR is refused at once) and creates a staging folder
 * beside DIR, PARENT/.NAME.staging.XXXXXX (mode 0700, same file system).
 * Every output is written there (outfile.h, under outset_dir), the
 * manifest last; outset_publish then moves the set into DIR:
 *
 *   1. each staged entry except manifest.json is renamed into DIR
 *      (rename(2), atomic per file; a staged folder such as review/ is
 *      swapped with renameat2(RENAME_EXCHANGE) when DIR already has one);
 *   2. the files the previous manifest lists ("outputs") that this run did
 *      not write are removed - never any other file;
 *   3. manifest.json is renamed last: it is the commit point, and lists
 *      exactly the files of the set it belongs to.
 *
 * Publication is a sequence of renames, not one renameat2(RENAME_EXCHANGE)
 * of the folder: an exchange would replace DIR's inode (a shell inside it,
 * files a user added, DIR's own mode and owner, a symlinked -o) and needs
 * every file it must keep copied in first. SIGINT, SIGTERM and SIGHUP are
 * blocked during the renames, so only SIGKILL or a crash inside that
 * window (microseconds) can leave new files beside the old manifest;
 * the manifest's list then tells which files belong to it.
 *
 * A failed or interrupted run removes its staging folder (outset_abort,
 * or outset_abort_all from a signal handler); DIR keeps the previous set
 * untouched. Staging folders of runs that died (SIGKILL) are removed by
 * the next run into DIR, which holds the lock.
 *
 * Library code never installs signal handlers: the CLI does, and calls
 * outset_abort_all. Ownership: outset_open returns a set the caller ends
 * with exactly one of outset_publish or outset_abort (both free it). */
#ifndef EVALBIAS_OUTSET_H
#define EVALBIAS_OUTSET_H

#include "diag.h"
#include "util.h"

#define OUTSET_MANIFEST "manifest.json"

typedef struct outset outset;

/* Create DIR if missing (mode 0700; its parent must exist), check that it
 * may be written, lock it and create the staging folder. Returns NULL
 * with err filled: "not an evalbias output folder", "another evalbias run
 * is writing this folder", or a system error. */
outset *outset_open(const char *dir, struct diag *err);

/* The staging folder: write every output of the set here. */
const char *outset_dir(const outset *o);

/* The set's files staged so far, as relative paths in byte order
 * ("review/review.html" for a file in a staged folder; temporary files
 * excluded), into names (appended). For the manifest's "outputs" list:
 * call it just before writing the manifest, and include the manifest. */
void outset_list(const outset *o, struct strvec *names);

/* Move the staged set into DIR (see above), remove the staging folder,
 * unlock and free. Returns 0, or -1 with err filled (a rename failed; an
 * output would replace a protected input, outfile.h): the staging folder
 * is removed either way. */
int outset_publish(outset *o, struct diag *err);

/* Remove the staging folder and everything in it, unlock and free.
 * NULL is ignored. */
void outset_abort(outset *o);

/* 1 when path is DIR itself or a file or folder directly inside it (by
 * device and inode), e.g. a merge part that is, or lies in, the output
 * folder. Paths that cannot be stat'ed give 0. */
int outset_holds(const char *dir, const char *path);

/* From a signal handler: remove every staging folder this process has
 * open and every temporary output file (outfile_abort_all). Only
 * async-signal-safe calls; the caller then _exit()s. */
void outset_abort_all(void);

#endif
