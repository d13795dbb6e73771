/* lexicon_path.c - see lexicon_path.h. */
#include "lexicon_path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory holding the running binary, without a trailing slash. */
static int self_dir(const char *self, char *out, size_t cap)
{
    char buf[4096];
    if (!self) {
        ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
        if (n <= 0)
            return -1;
        buf[n] = '\0';
        self = buf;
    }
    const char *slash = strrchr(self, '/');
    if (!slash)
        return snprintf(out, cap, ".") < (int)cap ? 0 : -1;
    size_t n = (size_t)(slash - self);
    if (n == 0)
        n = 1; /* "/evalbias" lives in "/" */
    if (n >= cap)
        return -1;
    memcpy(out, self, n);
    out[n] = '\0';
    return 0;
}

int lexicon_default_dir(const char *self, char *out, size_t cap,
                        struct diag *d)
{
    const char *env = getenv("EVALBIAS_LEXICONS");
    if (env && *env) {
        if (is_dir(env) && snprintf(out, cap, "%s", env) < (int)cap)
            return 0;
        diag_set(d, DIAG_ERROR, NULL, 0, 0,
                 "EVALBIAS_LEXICONS=%s is not a readable directory; unset it "
                 "or point it at a folder of lexicon CSV files", env);
        return -1;
    }
    char dir[4096], cand[2][4200];
    int have_dir = self_dir(self, dir, sizeof dir) == 0;
    if (have_dir) {
        snprintf(cand[0], sizeof cand[0], "%s/../share/evalbias/lexicons", dir);
        snprintf(cand[1], sizeof cand[1], "%s/lexicons", dir);
        for (int i = 0; i < 2; i++)
            if (is_dir(cand[i]) && snprintf(out, cap, "%s", cand[i]) < (int)cap)
                return 0;
    }
    diag_set(d, DIAG_ERROR, NULL, 0, 0,
             "no lexicons found: looked in $EVALBIAS_LEXICONS (not set)%s%s%s%s; "
             "give --lexicon PATH, set EVALBIAS_LEXICONS, or run 'make install'",
             have_dir ? ", " : ", and could not find the binary's own folder",
             have_dir ? cand[0] : "", have_dir ? ", " : "",
             have_dir ? cand[1] : "");
    return -1;
}
