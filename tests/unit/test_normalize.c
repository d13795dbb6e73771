/* test_normalize.c - unit tests for normalize.c: folding rules, the offset
 * map (multi-byte input, expansions, contractions, removals), and the
 * invariants every output must keep (valid UTF-8, monotonic map,
 * idempotence). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "check.h"
#include "normalize.h"

static struct normtext nt;

static const char *norm(const char *s)
{
    normalize(&nt, s, strlen(s));
    return nt.s;
}

/* nt.map[0..n] equals want[0..n] (n = nt.len, so want has len+1 entries). */
static int map_is(const size_t *want, size_t n)
{
    if (nt.len != n)
        return 0;
    for (size_t i = 0; i <= n; i++)
        if (nt.map[i] != want[i])
            return 0;
    return 1;
}

/* Output is valid UTF-8 (utf8proc_iterate accepts every code point), the map
 * never decreases, stays inside the input, and map[len] is the input length. */
static int invariants(const char *in, size_t inlen)
{
    const unsigned char *s = (const unsigned char *)nt.s;
    for (size_t i = 0; i < nt.len;) {
        int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(s + i,
                                              (utf8proc_ssize_t)(nt.len - i), &c);
        if (k <= 0)
            return 0;
        i += (size_t)k;
    }
    if (nt.s[nt.len] != '\0' || nt.map[nt.len] != inlen)
        return 0;
    for (size_t i = 0; i < nt.len; i++)
        if (nt.map[i] >= inlen || nt.map[i] > nt.map[i + 1])
            return 0;
    (void)in;
    return 1;
}

static void test_ascii(void)
{
    CHECK_STR(norm("Hello\tWORLD\vx\fy"), "hello world x y",
              "ASCII: lower case, tab/VT/FF -> space");
    size_t m[16];
    for (size_t i = 0; i < 16; i++)
        m[i] = i;
    CHECK(map_is(m, 15), "ASCII: map is identity, map[len] == len");
    CHECK_STR(norm("a\r\nb"), "a\nb", "CR LF -> one newline");
    size_t m2[] = {0, 1, 3, 4};
    CHECK(map_is(m2, 3), "CR LF: '\\n' maps to the CR, b to its own byte");
    CHECK_STR(norm("a\rb\n\nc"), "a\nb\n\nc", "lone CR -> newline, LF kept");
    CHECK_STR(norm(""), "", "empty input -> empty string");
    CHECK(nt.len == 0 && nt.map[0] == 0, "empty input: map[0] == 0");
}

static void test_quotes_dashes(void)
{
    CHECK_STR(norm("don\xE2\x80\x99t"), "don't", "U+2019 -> '");
    size_t m[] = {0, 1, 2, 3, 6, 7};
    CHECK(map_is(m, 5), "U+2019: map skips the 3-byte quote");
    CHECK_STR(norm("\xE2\x80\x9C" "Bossy" "\xE2\x80\x9D"), "\"bossy\"",
              "U+201C/U+201D -> \"");
    CHECK_STR(norm("\xE2\x80\x98\xE2\x80\x9A\xE2\x80\x9B\xE2\x80\xB2"
                   "\xCA\xBC\xEF\xBC\x87"),
              "''''''", "U+2018 U+201A U+201B U+2032 U+02BC U+FF07 -> '");
    CHECK_STR(norm("\xE2\x80\x9E\xE2\x80\x9F\xE2\x80\xB3\xEF\xBC\x82"),
              "\"\"\"\"", "U+201E U+201F U+2033 U+FF02 -> \" (one each)");

    static const char *hyphens[] = {
        "\xE2\x80\x90", "\xE2\x80\x91", "\xEF\xB9\xA3", "\xEF\xBC\x8D",
    };
    /* U+2012..2015, U+2212, U+FE58, U+2E3A, U+2E3B, and U+FE31 (NFKC ->
     * U+2014): dashes separate words like a space. */
    static const char *dashes[] = {
        "\xE2\x80\x92", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95",
        "\xE2\x88\x92", "\xEF\xB9\x98", "\xE2\xB8\xBA", "\xE2\xB8\xBB",
        "\xEF\xB8\xB1",
    };
    int all = 1;
    for (size_t i = 0; i < sizeof hyphens / sizeof *hyphens; i++) {
        char in[16];
        snprintf(in, sizeof in, "a%sb", hyphens[i]);
        if (strcmp(norm(in), "a-b") != 0) {
            printf("# hyphen %zu -> \"%s\"\n", i, nt.s);
            all = 0;
        }
    }
    CHECK(all, "hyphens U+2010, U+2011, U+FE63, U+FF0D -> -");
    all = 1;
    for (size_t i = 0; i < sizeof dashes / sizeof *dashes; i++) {
        char in[16];
        snprintf(in, sizeof in, "a%sb", dashes[i]);
        if (strcmp(norm(in), "a b") != 0) {
            printf("# dash %zu -> \"%s\"\n", i, nt.s);
            all = 0;
        }
    }
    CHECK(all, "dashes U+2012..2015, U+2212, U+FE58, U+2E3A/B, U+FE31 -> ' '");
    CHECK_STR(norm("block\xE2\x80\x94" "by"), "block by",
              "em dash between words -> space (two words)");
    CHECK(nt.len == 8 && nt.map[5] == 5 && nt.map[6] == 8,
          "em dash: one space mapped to the dash, next byte after it");
    CHECK_STR(norm("too quiet\xE2\x80\x94" "and"), "too quiet and",
              "a dash touching a phrase leaves it whole");
    CHECK_STR(norm("soft\xE2\x80\x90spoken"), "soft-spoken",
              "U+2010 HYPHEN is a hyphen");
}

static void test_case_and_nfkc(void)
{
    CHECK_STR(norm("\xC3\x89MOTIONAL"), "\xC3\xA9motional",
              "precomposed É -> é, rest lower-cased");
    CHECK_STR(norm("Stra\xC3\x9F" "e"), "strasse", "German ß -> ss");
    size_t m[] = {0, 1, 2, 3, 4, 4, 6, 7};
    CHECK(map_is(m, 7), "ß expansion: both s map to the ß offset");

    CHECK_STR(norm("\xEF\xAC\x81ne"), "fine", "NFKC: fi ligature -> fi");
    size_t m2[] = {0, 0, 3, 4, 5};
    CHECK(map_is(m2, 4), "ligature: f and i map to 0, map[len] == 5");

    CHECK_STR(norm("\xEF\xBC\xA2\xEF\xBC\xAF\xEF\xBC\xB3\xEF\xBC\xB3\xEF\xBC\xB9"),
              "bossy", "fullwidth BOSSY -> bossy");
    size_t m3[] = {0, 3, 6, 9, 12, 15};
    CHECK(map_is(m3, 5), "fullwidth: map[i] == 3*i");

    CHECK_STR(norm("\xE2\x85\xA0"), "i", "Roman numeral one -> i");
    CHECK_STR(norm("\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x9F\xCE\xA3"),
              "\xCF\x83\xCE\xBF\xCF\x86\xCE\xBF\xCF\x83",
              "Greek upper case folds (final sigma folds to sigma)");
}

static void test_combining(void)
{
    /* E + U+0301 COMBINING ACUTE: one segment starting at 0. */
    CHECK_STR(norm("E\xCC\x81MOTIONAL"), "\xC3\xA9motional",
              "E + U+0301 -> precomposed é");
    size_t m[] = {0, 0, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    CHECK(map_is(m, 10), "combining: both bytes of é map to segment start 0");

    CHECK_STR(norm("cafe\xCC\x81!"), "caf\xC3\xA9!", "combining at word end");
    size_t m2[] = {0, 1, 2, 3, 3, 6, 7};
    CHECK(map_is(m2, 6), "combining mid-text: é maps to 3, ! to 6");

    /* Marks given out of canonical order are reordered, then composed:
     * a + U+0323 (below, ccc 220) + U+0302 (above, ccc 230) and the reverse
     * both give U+1EAD. */
    const char *a = norm("a\xCC\x82\xCC\xA3");
    char first[16];
    snprintf(first, sizeof first, "%s", a);
    CHECK_STR(norm("a\xCC\xA3\xCC\x82"), first,
              "canonical reordering: mark order does not matter");
    CHECK_STR(first, "\xE1\xBA\xAD", "a + dot below + circumflex -> U+1EAD");

    CHECK_STR(norm("\xE1\x84\x80\xE1\x85\xA1"), "\xEA\xB0\x80",
              "Hangul L+V jamo compose to U+AC00");

    /* 100 combining marks after one letter: the segment is split, output
     * stays valid and the map monotonic. */
    char big[1 + 200 + 1];
    big[0] = 'x';
    for (int i = 0; i < 100; i++) {
        big[1 + 2 * i] = (char)0xCC;
        big[2 + 2 * i] = (char)0x81;
    }
    big[201] = '\0';
    norm(big);
    CHECK(invariants(big, 201) && nt.len == 201,
          "100 combining marks: valid output, monotonic map, nothing lost");
}

static void test_space_and_ignorables(void)
{
    CHECK_STR(norm("over\xC2\xAD" "emotional"), "overemotional",
              "soft hyphen removed");
    CHECK(nt.map[3] == 3 && nt.map[4] == 6,
          "soft hyphen: letter after it maps past it");
    CHECK_STR(norm("too\xC2\xA0" "assertive"), "too assertive", "NBSP -> space");
    CHECK(nt.map[3] == 3 && nt.map[4] == 5, "NBSP: map at 3, next at 5");
    CHECK_STR(norm("a\xE3\x80\x80" "b\xE2\x80\x89" "c\xE1\x9A\x80" "d"),
              "a b c d", "U+3000, thin space, ogham space -> space");
    CHECK_STR(norm("a\xE2\x80\xA8" "b\xE2\x80\xA9" "c\xC2\x85" "d"),
              "a\nb\nc\nd", "LS, PS, NEL -> newline");
    CHECK_STR(norm("bo\xC2\xAD" "ssy\xEF\xBB\xBF\xE2\x80\x8D"), "bossy",
              "soft hyphen, BOM, ZWJ (default ignorables) removed");
    CHECK_STR(norm("bossy\xE2\x80\x8B" "abrasive"), "bossy abrasive",
              "U+200B ZERO WIDTH SPACE separates words");
}

static void test_robustness(void)
{
    const char bad[] = "a\xFF" "b\xC3";
    normalize(&nt, bad, sizeof bad - 1);
    CHECK_STR(nt.s, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD",
              "invalid bytes -> U+FFFD, output valid UTF-8");
    CHECK(invariants(bad, sizeof bad - 1), "invalid input: invariants hold");

    const char *mix = "Dr. \xC3\x89MILIE\xE2\x80\x99s \xEF\xAC\x81ne,\r\n"
                      "Stra\xC3\x9F" "e \xE2\x80\x94 E\xCC\x81t\xC3\xA9 "
                      "\xEF\xBC\xA1\xC2\xA0\xE4\xB8\xAD\xE6\x96\x87.";
    norm(mix);
    CHECK(invariants(mix, strlen(mix)), "mixed text: invariants hold");
    char once[256];
    snprintf(once, sizeof once, "%s", nt.s);
    CHECK_STR(norm(once), once, "normalization is idempotent");

    /* Reuse: a long text, then a short one, must not leave stale bytes. */
    norm("A much longer sentence that grows the buffers a fair amount.");
    CHECK_STR(norm("Hi"), "hi", "buffers reused: short after long");
    CHECK(nt.len == 2 && nt.map[2] == 2, "buffers reused: len and map[len]");

    const char *term = "Don\xE2\x80\x99t  Be \xE2\x80\x9C" "BOSSY\xE2\x80\x9D";
    char *d = normalize_dup(term, strlen(term));
    CHECK_STR(d, "don't  be \"bossy\"", "normalize_dup folds a lexicon term");
    free(d);
    d = normalize_dup("", 0);
    CHECK_STR(d, "", "normalize_dup of empty string");
    free(d);
}

/* ---- the whole-field ASCII path against the general path ---- */

static uint32_t rng = 12345;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* normalize (fast path where it applies) and normalize_general give the
 * same text, length and map on in[0..n); nt.ascii is set exactly when the
 * input is ASCII with no CR. */
static int same_as_general(struct normtext *a, struct normtext *b,
                           const char *in, size_t n)
{
    int plain = 1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)in[i] >= 0x80 || in[i] == '\r')
            plain = 0;
    normalize(a, in, n);
    normalize_general(b, in, n);
    if (a->ascii != plain || b->ascii || a->len != b->len ||
        memcmp(a->s, b->s, a->len + 1) != 0)
        return 0;
    for (size_t i = 0; i <= a->len; i++)
        if (a->map[i] != b->map[i])
            return 0;
    return 1;
}

static void test_fast_path(void)
{
    struct normtext a, b;
    normtext_init(&a);
    normtext_init(&b);
    char buf[200];

    /* Every ASCII byte value (NUL and controls included) at every offset
     * of a 24-byte text: each lane of the 8-byte words, and the tail. */
    int ok = 1, fast = 1;
    for (int c = 0; c < 128; c++)
        for (size_t at = 0; at < 24; at++) {
            memcpy(buf, "Some Text Of 24 Bytes XY", 24);
            buf[at] = (char)c;
            ok &= same_as_general(&a, &b, buf, 24);
            if (c != '\r')
                fast &= a.ascii;
        }
    CHECK(ok, "fast path == general path: every ASCII byte at every offset");
    CHECK(fast, "fast path taken for ASCII without CR");
    normalize(&a, "AZaz@[`{ \t\v\f\n", 14);
    CHECK(a.ascii && memcmp(a.s, "azaz@[`{    \n", 14) == 0,
          "fast path: A-Z lowered, @ [ ` { kept, tab/VT/FF -> space");

    /* Generated texts from every byte class: ASCII letters, digits,
     * punctuation, controls, CR and CR LF, and non-ASCII (2-, 3- and 4-byte
     * characters, a combining mark, folded quotes and spaces, bytes that are
     * not UTF-8), at lengths across the word size; the mixed ones take the
     * general path, and must equal it too. */
    static const char *const pieces[] = {
        "a", "Z", "q", "7", " ", ".", "-", "'", "\t", "\n", "\v", "\f",
        "\x01", "\x7f", "@", "[", "`", "{", "\r", "\r\n",
        "\xC3\xA9", "\xC3\x89", "e\xCC\x81", "\xE2\x80\x99", "\xC2\xA0",
        "\xE2\x80\x94", "\xF0\x9F\x98\x80", "\xFF", "\x80", "\xEF\xAC\x81",
    };
    size_t np = sizeof pieces / sizeof *pieces;
    ok = 1;
    int nfast = 0, nslow = 0;
    for (int iter = 0; iter < 4000; iter++) {
        size_t n = 0, want = rnd() % 90;
        /* a third draw from the ASCII pieces with no CR (the first 18),
         * a third from all ASCII pieces, a third from all */
        size_t range = iter % 3 == 0 ? 18 : iter % 3 == 1 ? 20 : np;
        while (n < want) {
            const char *p = pieces[rnd() % range];
            size_t l = strlen(p);
            memcpy(buf + n, p, l);
            n += l;
        }
        ok &= same_as_general(&a, &b, buf, n);
        if (a.ascii)
            nfast++;
        else
            nslow++;
    }
    CHECK(ok, "fast path == general path on generated ASCII and mixed text");
    CHECK(nfast > 500 && nslow > 500, "both paths exercised by the texts");

    /* A long field after a short one: the identity map grows. */
    char big[5000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = "Ab c.\n"[i % 6];
    CHECK(same_as_general(&a, &b, big, sizeof big) && a.ascii &&
              a.map[sizeof big] == sizeof big,
          "fast path: identity map grows with the field");
    CHECK(same_as_general(&a, &b, "x\xC3\xA9", 3) && !a.ascii,
          "a mixed field after an ASCII one: general map");
    normtext_fini(&a);
    normtext_fini(&b);
}

int main(void)
{
    normtext_init(&nt);
    test_ascii();
    test_quotes_dashes();
    test_case_and_nfkc();
    test_combining();
    test_space_and_ignorables();
    test_robustness();
    test_fast_path();
    normtext_fini(&nt);
    normtext_fini(&nt);       /* fini twice is harmless */
    return check_done();
}
