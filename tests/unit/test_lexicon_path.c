/* test_lexicon_path.c - the default lexicon folder's search order. */
#include "check.h"
#include "lexicon_path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/evalbias-lexpath-XXXXXX";

static void mk(const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    CHECK(mkdir(p, 0700) == 0, rel);
}

int main(void)
{
    CHECK(mkdtemp(root) != NULL, "temporary folder");
    char self[512], out[4096], want[512];
    struct diag d;
    unsetenv("EVALBIAS_LEXICONS");

    /* Nothing there: the error names every place looked at. */
    mk("bin");
    snprintf(self, sizeof self, "%s/bin/evalbias", root);
    CHECK(lexicon_default_dir(self, out, sizeof out, &d) == -1, "nothing found is an error");
    CHECK(strstr(d.msg, "EVALBIAS_LEXICONS") != NULL, "error names $EVALBIAS_LEXICONS");
    CHECK(strstr(d.msg, "/bin/../share/evalbias/lexicons") != NULL, "the install folder wins over the tree");
    CHECK(strstr(d.msg, "/bin/lexicons") != NULL, "error names the tree folder");

    /* The source tree: lexicons/ beside the binary. */
    mk("bin/lexicons");
    CHECK(lexicon_default_dir(self, out, sizeof out, &d) == 0, "the tree folder is found");
    snprintf(want, sizeof want, "%s/bin/lexicons", root);
    CHECK_STR(out, want, "path");

    /* An install (PREFIX/share) wins over the tree. */
    mk("share");
    mk("share/evalbias");
    mk("share/evalbias/lexicons");
    CHECK(lexicon_default_dir(self, out, sizeof out, &d) == 0, "the install folder wins over the tree");
    snprintf(want, sizeof want, "%s/bin/../share/evalbias/lexicons", root);
    CHECK_STR(out, want, "path");

    /* $EVALBIAS_LEXICONS wins over both, and a wrong one is an error. */
    snprintf(want, sizeof want, "%s/share", root);
    setenv("EVALBIAS_LEXICONS", want, 1);
    CHECK(lexicon_default_dir(self, out, sizeof out, &d) == 0, "$EVALBIAS_LEXICONS wins");
    CHECK_STR(out, want, "path");
    setenv("EVALBIAS_LEXICONS", "/nonexistent/evalbias", 1);
    CHECK(lexicon_default_dir(self, out, sizeof out, &d) == -1, "a wrong $EVALBIAS_LEXICONS is an error");
    CHECK(strstr(d.msg, "/nonexistent/evalbias") != NULL, "error names the wrong folder");
    unsetenv("EVALBIAS_LEXICONS");

    /* The running binary, read from /proc/self/exe. */
    CHECK(lexicon_default_dir(NULL, out, sizeof out, &d) == 0 ||
          strstr(d.msg, "no lexicons found") != NULL, "/proc/self/exe is read");

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0, "clean up");
    return check_done();
}
