/* test_wordtab.c - unit tests for wordtab.c (the one-probe word table of
 * referent.c and negation.c): found and absent words, the two ways a word
 * is loaded (with and without 16 readable bytes), words inside longer
 * text, the length limit, duplicates, and a table with many words. */
#include "check.h"

#include "wordtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const words[] = {
    "a", "an", "the", "she", "her", "hers", "herself", "nurse", "nurses",
    "isn't", "co-resident", "anesthesiologist", "notwithstanding", "12345678",
    "123456789",
};
#define NW (sizeof words / sizeof words[0])

/* Look w up both ways: from a copy with no byte readable after it, and from
 * a buffer with 16 bytes of noise after it. Both must agree. */
static uint32_t get_both(const struct wordtab *t, const char *w, int *agree)
{
    size_t n = strlen(w);
    char *tight = malloc(n ? n : 1);
    memcpy(tight, w, n);
    char roomy[64];
    memset(roomy, 'x', sizeof roomy);
    memcpy(roomy, w, n);
    uint32_t a = wordtab_get(t, tight, n, n);
    uint32_t b = wordtab_get(t, roomy, n, sizeof roomy);
    free(tight);
    *agree = a == b;
    return a;
}

int main(void)
{
    struct wordtab t;
    uint32_t vals[NW];
    for (size_t i = 0; i < NW; i++)
        vals[i] = (uint32_t)(i + 1) * 3;
    CHECK(wordtab_build(&t, words, vals, NW) == 0, "a table of 15 words");

    char d[128];
    for (size_t i = 0; i < NW; i++) {
        int agree;
        uint32_t v = get_both(&t, words[i], &agree);
        snprintf(d, sizeof d, "\"%s\" is found with its value", words[i]);
        CHECK(v == vals[i] && agree, d);
    }
    static const char *const absent[] = {
        "b", "th", "thee", "he", "nurs", "nursess", "isnt", "co", "resident",
        "anesthesiologis", "notwithstandinG", "1234567", "1234567890",
        "anesthesiologists", "A",
    };
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        int agree;
        uint32_t v = get_both(&t, absent[i], &agree);
        snprintf(d, sizeof d, "\"%s\" is not found", absent[i]);
        CHECK(v == 0 && agree, d);
    }

    /* a word inside longer text: only its own bytes count */
    const char *text = "the nurses herself anesthesiologists";
    CHECK(wordtab_get(&t, text, 3, strlen(text)) == vals[2],
          "\"the\" at the start of a longer text");
    CHECK(wordtab_get(&t, text + 4, 5, strlen(text) - 4) == vals[7],
          "\"nurse\" as the first five bytes of \"nurses\"");
    CHECK(wordtab_get(&t, text + 4, 6, strlen(text) - 4) == vals[8],
          "\"nurses\" followed by more text");
    CHECK(wordtab_get(&t, text + 19, 16, strlen(text) - 19) == vals[11],
          "a 16-byte word followed by more text");
    CHECK(wordtab_get(&t, text + 19, 17, strlen(text) - 19) == 0,
          "a 17-byte word is never found");
    CHECK(wordtab_get(&t, text, 0, strlen(text)) == 0,
          "the empty word is never found");
    wordtab_fini(&t);

    struct wordtab z;
    memset(&z, 0, sizeof z);
    CHECK(wordtab_get(&z, "the", 3, 3) == 0, "a zeroed table holds no words");

    const char *bad[] = {"ok", "abcdefghijklmnopq"};
    uint32_t bv[] = {1, 2};
    CHECK(wordtab_build(&t, bad, bv, 2) == -1 &&
              wordtab_get(&t, "ok", 2, 2) == 0,
          "a 17-byte word fails the build and leaves an empty table");
    const char *empty[] = {""};
    CHECK(wordtab_build(&t, empty, bv, 1) == -1, "an empty word fails");

    const char *dup[] = {"and", "but", "and"};
    uint32_t dv[] = {1, 4, 2};
    CHECK(wordtab_build(&t, dup, dv, 3) == 0 &&
              wordtab_get(&t, "and", 3, 3) == 3 &&
              wordtab_get(&t, "but", 3, 3) == 4,
          "a word listed twice keeps both values (OR)");
    wordtab_fini(&t);

    /* many words: every one found, every near miss absent */
    enum { MANY = 3000 };
    static char buf[MANY][12];
    static const char *many[MANY];
    static uint32_t mv[MANY];
    for (size_t i = 0; i < MANY; i++) {
        snprintf(buf[i], sizeof buf[i], "w%zu", i * 7);
        many[i] = buf[i];
        mv[i] = (uint32_t)i + 1;
    }
    CHECK(wordtab_build(&t, many, mv, MANY) == 0, "a table of 3000 words");
    int all = 1, none = 1;
    for (size_t i = 0; i < MANY; i++) {
        char w[16];
        all &= wordtab_get(&t, many[i], strlen(many[i]), strlen(many[i])) ==
               mv[i];
        snprintf(w, sizeof w, "w%zu", i * 7 + 1);
        none &= wordtab_get(&t, w, strlen(w), strlen(w)) == 0;
    }
    CHECK(all, "every one of 3000 words is found with its value");
    CHECK(none, "3000 words not in the table are not found");
    wordtab_fini(&t);
    return check_done();
}
