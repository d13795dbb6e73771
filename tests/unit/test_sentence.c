/* test_sentence.c - the sentence index (struct sentences) against
 * sentence_bounds, which scans the text for each hit: the same bounds on
 * generated texts (abbreviations, initials, closers, U+2026, blank lines,
 * lower-case starts, non-ASCII letters and spaces, bytes that are not
 * UTF-8), at every scan limit from 0 up, hits in order and out of it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sentence.h"

static uint32_t rng = 77;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Pieces of text chosen to meet every rule of sentence.c. */
static const char *const pieces[] = {
    "She", "is", "bossy", "x", "J", "e.g", "i.e", "Dr", "approx", "etc",
    "U.S", "5", "3.5", "1st", "caf\xC3\xA9", "\xC3\x89mile", "\xC3\xA9t\xC3\xA9",
    " ", " ", " ", " ", "  ", ". ", ".", "!", "?", "?!", "...",
    "\xE2\x80\xA6", "\xE2\x80\x99", "\xE2\x80\x9D", "\xC2\xBB", "\"", "'",
    ")", "]", "}", "\n", "\n\n", "\n \t\r\n", "\r\n", "\t", "\xC2\xA0",
    "\xE2\x80\x83", "\xE3\x80\x80", "\xE2\x80\xA8", "\xFF", "\x80", "\xE2",
    "\xE2\x80", ",",
};

/* Both answers for every hit [s, s + l) of text[0..n) with the scan limit
 * ms, the index queried in order of start. Returns the hits that differ. */
static size_t compare(struct sentences *x, const char *text, size_t n,
                      size_t ms, int all_starts)
{
    size_t bad = 0;
    sentences_reset(x, text, n);
    for (size_t s = 0; s <= n + 1; s++) {
        /* hits start at words unless all_starts (any byte, even past the
         * end: the clamp) */
        if (!all_starts && s < n &&
            !((text[s] >= 'a' && text[s] <= 'z') ||
              (text[s] >= 'A' && text[s] <= 'Z') ||
              (unsigned char)text[s] == 0xC3))
            continue;
        for (size_t l = 0; l < 9; l += 1 + (l > 2)) {
            size_t a0, b0, a1, b1;
            sentence_bounds(text, n, s, s + l, ms, &a0, &b0);
            sentences_bounds(x, s, s + l, ms, &a1, &b1);
            bad += a0 != a1 || b0 != b1;
            if ((a0 != a1 || b0 != b1) && bad < 4) {
                printf("# limit %zu, hit %zu+%zu: scan %zu-%zu, index "
                       "%zu-%zu, text", ms, s, l, a0, b0, a1, b1);
                for (size_t k = 0; k < n; k++)
                    printf(" %02x", (unsigned char)text[k]);
                printf("\n");
            }
        }
    }
    return bad;
}

static size_t gen(char *buf, size_t cap, size_t npieces)
{
    size_t n = 0, np = sizeof pieces / sizeof *pieces;
    for (size_t i = 0; i < npieces; i++) {
        const char *p = pieces[rnd() % np];
        size_t l = strlen(p);
        if (n + l >= cap)
            break;
        memcpy(buf + n, p, l);
        n += l;
    }
    return n;
}

int main(void)
{
    struct sentences x;
    sentences_init(&x);
    static char buf[8192];

    const char *t = "Dr. Lee said she is bossy. Next one!\n\nNew para is "
                    "bossy e.g. here. Last";
    size_t a, b;
    sentences_reset(&x, t, strlen(t));
    sentences_bounds(&x, 20, 25, 1200, &a, &b);
    CHECK(a == 0 && b == 26, "index: the sentence survives Dr.");
    sentences_bounds(&x, 51, 56, 1200, &a, &b);
    CHECK(a == 38 && b == 66, "index: blank line, then e.g. inside");

    /* Every abbreviation of sentence.c's list keeps the sentence going
     * (the list is searched by halves: this checks its order too); words
     * that are not on it end the sentence. */
    static const char *const abbrevs[] = {
        "Dr", "Mr", "Mrs", "Ms", "Mx", "Prof", "Sr", "Jr", "St", "vs",
        "etc", "al", "cf", "fig", "e.g", "i.e", "approx", "dept", "No",
        "pt", "pts", "hx", "dx", "tx", "rx", "Jan", "Feb", "Mar", "Apr",
        "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    };
    static const char *const words[] = {"hrs", "May", "min", "ab", "zz",
                                        "approxx", "Drs", "a1"};
    int ok = 1;
    char tb[64];
    for (size_t k = 0; k < sizeof abbrevs / sizeof *abbrevs; k++) {
        int l = snprintf(tb, sizeof tb, "Saw %s. Next is bossy.", abbrevs[k]);
        sentences_reset(&x, tb, (size_t)l);
        sentences_bounds(&x, (size_t)l - 6, (size_t)l - 1, 1200, &a, &b);
        ok &= a == 0;
    }
    CHECK(ok, "index: every listed abbreviation is found");
    ok = 1;
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
        int l = snprintf(tb, sizeof tb, "Saw %s. Next is bossy.", words[k]);
        sentences_reset(&x, tb, (size_t)l);
        sentences_bounds(&x, (size_t)l - 6, (size_t)l - 1, 1200, &a, &b);
        ok &= a == strlen(words[k]) + 6;
    }
    CHECK(ok, "index: other words before a period end the sentence");

    /* Short texts, every start and length, every small limit. */
    size_t bad = 0;
    for (int iter = 0; iter < 1500; iter++) {
        size_t n = gen(buf, sizeof buf, 2 + rnd() % 30);
        for (size_t ms = 0; ms < 24; ms += 1 + ms / 4) {
            bad += compare(&x, buf, n, ms, 1);
        }
        bad += compare(&x, buf, n, 1200, 1);
    }
    CHECK(bad == 0, "index == scan: short texts, every start, limits 0..23");

    /* Long texts (longer than the limit): the index's limit checks. */
    bad = 0;
    for (int iter = 0; iter < 60; iter++) {
        size_t n = gen(buf, sizeof buf, 200 + rnd() % 1500);
        bad += compare(&x, buf, n, 1200, 0);
        bad += compare(&x, buf, n, 40 + rnd() % 200, 0);
    }
    CHECK(bad == 0, "index == scan: long texts, limits 40..1200");

    /* Long runs with no sentence end, then one: most hits fall back. */
    size_t n = 0;
    for (int i = 0; i < 700; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s ",
                              i % 97 == 0 ? "end." : i % 13 ? "word" : "x\n");
    CHECK(compare(&x, buf, n, 1200, 0) == 0 &&
              compare(&x, buf, n, 100, 0) == 0,
          "index == scan: sentence ends far apart");

    /* Out of order: queries need not come in order of start. */
    n = gen(buf, sizeof buf, 400);
    sentences_reset(&x, buf, n);
    bad = 0;
    for (int q = 0; q < 3000; q++) {
        size_t s = rnd() % (n + 1), l = rnd() % 8, a0, b0, a1, b1;
        size_t ms = q % 2 ? 1200 : rnd() % 300;
        sentence_bounds(buf, n, s, s + l, ms, &a0, &b0);
        sentences_bounds(&x, s, s + l, ms, &a1, &b1);
        bad += a0 != a1 || b0 != b1;
    }
    CHECK(bad == 0, "index == scan: queries in any order");

    sentences_reset(&x, "", 0);
    sentences_bounds(&x, 0, 0, 1200, &a, &b);
    CHECK(a == 0 && b == 0, "empty field");
    sentences_fini(&x);
    sentences_fini(&x);       /* fini twice is harmless */
    return check_done();
}
