/* test_excerpt.c - code-point offsets and sentences of hits. */
#include "check.h"
#include "excerpt.h"
#include "normalize.h"

#include <stdlib.h>

/* Find needle in the normalized text and make the excerpt for it. */
static void make(struct excerpt *x, const char *orig, const char *needle)
{
    struct normtext nt;
    normtext_init(&nt);
    normalize(&nt, orig, strlen(orig));
    const char *p = strstr(nt.s, needle);
    struct excerpt_cursor cur;
    excerpt_cursor_reset(&cur);
    excerpt_make(x, &cur, orig, strlen(orig), &nt, (size_t)(p - nt.s),
                 (size_t)(p - nt.s) + strlen(needle));
    normtext_fini(&nt);
}

/* utf8_count (eight bytes at a time) against a byte-by-byte count, at
 * every length and alignment of a mixed text. */
static void test_utf8_count(void)
{
    const char *t = "na\xc3\xafve caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80 "
                    "plain ascii words, then \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9x";
    size_t n = strlen(t);
    int ok = 1;
    for (size_t a = 0; a < n; a++)
        for (size_t l = 0; a + l <= n; l++) {
            size_t want = 0;
            for (size_t i = a; i < a + l; i++)
                want += ((unsigned char)t[i] & 0xC0) != 0x80;
            ok &= utf8_count(t + a, l) == want;
        }
    CHECK(ok, "utf8_count counts code points at every length and offset");
}

int main(void)
{
    struct excerpt x;
    excerpt_init(&x);
    test_utf8_count();

    make(&x, "Dr. Lee said she is BOSSY. Next one.", "bossy");
    CHECK_STR(x.matched.p, "BOSSY", "matched text is the original");
    CHECK_INT(x.start, 20, "start in code points");
    CHECK_INT(x.end, 25, "end in code points");
    CHECK_STR(x.text.p, "Dr. Lee said she is BOSSY.", "sentence survives Dr.");
    CHECK_STR(x.text.p + x.mark_start, "BOSSY.", "mark starts at the match");

    /* "Zoë" is 3 code points, 4 bytes; the curly apostrophe 1 code point. */
    make(&x, "Zoë’s “emotional” side.", "emotional");
    CHECK_INT(x.start, 7, "offsets count code points, not bytes");
    CHECK_INT(x.end, 16, "end after multi-byte characters");
    CHECK_STR(x.matched.p, "emotional", "matched slice");

    make(&x, "ÉMOTIONAL at times.", "émotional");
    CHECK_STR(x.matched.p, "ÉMOTIONAL", "case-folded match maps to original");
    CHECK_INT(x.end, 9, "end of a folded multi-byte word");

    make(&x, "too\n   assertive with staff", "too\n   assertive");
    CHECK_STR(x.matched.p, "too\n   assertive", "phrase across a line break");
    CHECK_STR(x.text.p, "too assertive with staff", "white space folded in excerpt");

    /* A long sentence is cut around the match. */
    char big[2000];
    memset(big, 'a', sizeof big);
    for (size_t i = 5; i < sizeof big; i += 6)
        big[i] = ' ';
    memcpy(big + 1000, " bossy ", 7);
    big[sizeof big - 1] = '\0';
    make(&x, big, "bossy");
    CHECK(utf8_count(x.text.p, x.text.len) <= EXCERPT_MAX + 6,
          "excerpt cut to EXCERPT_MAX code points (plus ellipses)");
    CHECK(strncmp(x.text.p, "...", 3) == 0, "cut start marked with ...");
    CHECK(strstr(x.text.p, "bossy") != NULL, "cut excerpt keeps the match");

    excerpt_fini(&x);
    return check_done();
}
