/* test_excerpt.c - code-point offsets and sentences of hits. */
#include "check.h"
#include "excerpt.h"
#include "normalize.h"
#include "sentence.h"
#include "tokenize.h"

#include <stdint.h>
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

/* ---- white-space folding against a byte-at-a-time reference ---- */

/* The folding rule one byte at a time: a run of ASCII white space becomes
 * one ' ', none when out already ends in one. */
static void fold_ref(struct buf *out, const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b;) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || (c >= '\t' && c <= '\r')) {
            if (!(out->len && out->p[out->len - 1] == ' '))
                buf_putc(out, ' ');
            while (i < b && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
                i++;
        } else {
            buf_putc(out, (char)c);
            i++;
        }
    }
}

static uint32_t rng = 5;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Texts of words and white space of every kind (long runs of single spaces
 * between words, so the sixteen-byte blocks run), every word a hit: the
 * excerpt is the reference folding of the sentence's three parts. */
static void test_folding(void)
{
    static const char *const gaps[] = {" ", " ", " ", " ", "  ", "\t", "\n",
                                       "\v", "\f", "\r", " \t ", "\r\n "};
    static const char *const words[] = {"ab", "bossy", "x", "caf\xC3\xA9",
                                        "word,", "\"q\"", "long-word"};
    struct excerpt x;
    struct normtext nt;
    struct tokens tk;
    struct buf want;
    excerpt_init(&x);
    normtext_init(&nt);
    tokens_init(&tk);
    buf_init(&want);
    char t[400];
    int ok = 1, n_hits = 0;
    for (int iter = 0; iter < 1500; iter++) {
        size_t n = 0;
        while (n < 130) {     /* short of a cut: 149 code points a side */
            const char *w = words[rnd() % 7];
            const char *g = gaps[rnd() % (iter % 3 ? 4 : 12)];
            n += (size_t)snprintf(t + n, sizeof t - n, "%s%s", w, g);
        }
        normalize(&nt, t, n);
        tokenize(&tk, nt.s, nt.len);
        struct excerpt_cursor cur;
        excerpt_cursor_reset(&cur);
        for (size_t k = 0; k < tk.n; k++) {
            size_t bs = nt.map[tk.v[k].start], be = nt.map[tk.v[k].end];
            size_t ss, se;
            excerpt_make(&x, &cur, t, n, &nt, tk.v[k].start, tk.v[k].end);
            sentence_bounds(t, n, bs, be, EXCERPT_MAX * 4, &ss, &se);
            buf_clear(&want);
            fold_ref(&want, t, ss, bs);
            size_t ms = want.len;
            fold_ref(&want, t, bs, be);
            size_t me = want.len;
            fold_ref(&want, t, be, se);
            buf_cstr(&want);
            ok &= x.text.len == want.len &&
                  memcmp(x.text.p, want.p, want.len) == 0 &&
                  x.mark_start == ms && x.mark_end == me;
            n_hits++;
        }
    }
    CHECK(ok, "excerpt white space folding == byte-at-a-time reference");
    CHECK(n_hits > 20000, "folding checked on many hits");
    buf_fini(&want);
    tokens_fini(&tk);
    normtext_fini(&nt);
    excerpt_fini(&x);
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
    test_folding();
    return check_done();
}
