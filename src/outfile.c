/* outfile.c - see outfile.h. */
#include "outfile.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ======================= Protected inputs ================================= */

struct protected_file {
    dev_t dev;
    ino_t ino;
    char *path;       /* as given, for the message */
};

static struct protected_file *prot;
static size_t nprot, capprot;

void outfile_protect(const char *path)
{
    struct stat st;
    if (!path || strcmp(path, "-") == 0 || stat(path, &st) != 0)
        return;
    for (size_t i = 0; i < nprot; i++)
        if (prot[i].dev == st.st_dev && prot[i].ino == st.st_ino)
            return;
    grow(&prot, &capprot, nprot + 1, sizeof *prot);
    prot[nprot++] = (struct protected_file){st.st_dev, st.st_ino,
                                            xstrdup(path)};
}

void outfile_protect_clear(void)
{
    for (size_t i = 0; i < nprot; i++)
        free(prot[i].path);
    free(prot);
    prot = NULL;
    nprot = capprot = 0;
}

int outfile_check(const char *path, struct diag *err)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return 0; /* does not exist yet: it cannot be an input */
    for (size_t i = 0; i < nprot; i++)
        if (prot[i].dev == st.st_dev && prot[i].ino == st.st_ino) {
            diag_set(err, DIAG_ERROR, path, 0, 0,
                     "refusing to overwrite the input file %s with an "
                     "output; choose another output folder (-o)",
                     prot[i].path);
            return -1;
        }
    return 0;
}

/* ======================= Temporary files, for signals ===================== */

/* The temporary files of open outfiles, for outfile_abort_all: a signal
 * handler may read the table at any time, so a slot is filled only after
 * its string is complete and emptied before the string is freed. Beyond
 * the table's size a file is just not cleaned up by a signal. */
#define LIVE_MAX 64
static char *volatile live[LIVE_MAX];

static void live_add(char *tmp)
{
    for (size_t i = 0; i < LIVE_MAX; i++)
        if (!live[i]) {
            live[i] = tmp;
            return;
        }
}

static void live_remove(const char *tmp)
{
    for (size_t i = 0; i < LIVE_MAX; i++)
        if (live[i] == tmp)
            live[i] = NULL;
}

void outfile_abort_all(void)
{
    for (size_t i = 0; i < LIVE_MAX; i++) {
        char *p = live[i];
        if (p)
            unlink(p);
    }
}

/* ======================= Files ============================================ */

int outfile_open(struct outfile *o, const char *path, struct diag *err)
{
    o->path = o->tmp = NULL;
    o->f = stdout;
    if (!path)
        return 0;
    if (outfile_check(path, err) != 0)
        return -1;
    size_t n = strlen(path);
    o->tmp = xmalloc(n + 12);
    memcpy(o->tmp, path, n);
    memcpy(o->tmp + n, ".tmp.XXXXXX", 12);
    int fd = mkstemp(o->tmp); /* mode 0600, O_EXCL */
    o->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!o->f) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot write: %s",
                 strerror(errno));
        if (fd >= 0) {
            close(fd);
            remove(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    o->path = xstrdup(path);
    live_add(o->tmp);
    return 0;
}

int outfile_close(struct outfile *o, int ok, struct diag *err)
{
    int rc = 0;
    if (!o->tmp) {
        if (fflush(o->f) != 0 && ok) {
            diag_set(err, DIAG_ERROR, NULL, 0, 0, "cannot write to stdout: %s",
                     strerror(errno));
            rc = -1;
        }
        o->f = NULL;
        return rc;
    }
    int failed = ferror(o->f);
    if (fclose(o->f) != 0)
        failed = 1;
    if (ok && failed) {
        diag_set(err, DIAG_ERROR, o->tmp, 0, 0, "cannot write: %s",
                 strerror(errno));
        rc = -1;
    } else if (ok && outfile_check(o->path, err) != 0) {
        rc = -1; /* an input registered after the open: still never lost */
    } else if (ok && rename(o->tmp, o->path) != 0) {
        diag_set(err, DIAG_ERROR, o->path, 0, 0, "cannot rename %s: %s",
                 o->tmp, strerror(errno));
        rc = -1;
    }
    if (!ok || rc != 0)
        remove(o->tmp);
    live_remove(o->tmp);
    free(o->tmp);
    free(o->path);
    o->f = NULL;
    o->tmp = o->path = NULL;
    return rc;
}
