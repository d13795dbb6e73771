/* outfile.c - see outfile.h. */
#include "outfile.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int outfile_open(struct outfile *o, const char *path, struct diag *err)
{
    o->path = o->tmp = NULL;
    o->f = stdout;
    if (!path)
        return 0;
    size_t n = strlen(path);
    o->tmp = xmalloc(n + 5);
    memcpy(o->tmp, path, n);
    memcpy(o->tmp + n, ".tmp", 5);
    o->f = fopen(o->tmp, "wb");
    if (!o->f) {
        diag_set(err, DIAG_ERROR, o->tmp, 0, 0, "cannot write: %s",
                 strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    o->path = xstrdup(path);
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
    } else if (ok && rename(o->tmp, o->path) != 0) {
        diag_set(err, DIAG_ERROR, o->path, 0, 0, "cannot rename %s: %s",
                 o->tmp, strerror(errno));
        rc = -1;
    }
    if (!ok || rc != 0)
        remove(o->tmp);
    free(o->tmp);
    free(o->path);
    o->f = NULL;
    o->tmp = o->path = NULL;
    return rc;
}
