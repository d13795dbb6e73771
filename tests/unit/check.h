/* check.h - a tiny TAP test helper for the unit tests (after redis's
 * testhelp.h). Each test file is one program:
 *
 *     #include "check.h"
 *     int main(void) {
 *         CHECK(1 + 1 == 2, "addition");
 *         CHECK_STR(got, "want", "normalizes curly quotes");
 *         return check_done();
 *     }
 *
 * It prints "ok N - descr" / "not ok N - descr" lines, then a closing plain
 * line "N passed, N failed", and exits non-zero on any failure. */
#ifndef EVALBIAS_CHECK_H
#define EVALBIAS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

static inline int check_report(int ok, const char *descr, const char *file,
                               int line)
{
    int n = check_passed + check_failed + 1;
    if (ok) {
        check_passed++;
        printf("ok %d - %s\n", n, descr);
    } else {
        check_failed++;
        printf("not ok %d - %s\n# at %s:%d\n", n, descr, file, line);
    }
    return ok;
}

#define CHECK(cond, descr) check_report(!!(cond), (descr), __FILE__, __LINE__)

#define CHECK_STR(got, want, descr)                                         \
    do {                                                                    \
        const char *g_ = (got), *w_ = (want);                               \
        if (!check_report(g_ && strcmp(g_, w_) == 0, (descr), __FILE__,     \
                          __LINE__))                                        \
            printf("#   got:  \"%s\"\n#   want: \"%s\"\n", g_ ? g_ : "(null)", w_); \
    } while (0)

#define CHECK_INT(got, want, descr)                                         \
    do {                                                                    \
        long long g_ = (long long)(got), w_ = (long long)(want);            \
        if (!check_report(g_ == w_, (descr), __FILE__, __LINE__))           \
            printf("#   got:  %lld\n#   want: %lld\n", g_, w_);             \
    } while (0)

static inline int check_done(void)
{
    printf("1..%d\n%d passed, %d failed\n", check_passed + check_failed,
           check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
