/* test_tokenize.c - unit tests for tokenize.c: the word rule (joiners,
 * digits, marks, CJK), the break flags, and sentence_bounds over original
 * text (abbreviations, initials, closers, blank lines, the scan limit). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sentence.h"
#include "tokenize.h"

static struct tokens tk;

/* Tokenize s and render the tokens as "w1|w2|..."; a token with TOK_HYPHEN
 * is followed by '~', one with TOK_BREAK_BEFORE is preceded by '^', and one
 * with TOK_JOINED is separated from the token before by '-', not '|'. */
static const char *words(const char *s)
{
    static char out[512];
    size_t o = 0;
    tokenize(&tk, s, strlen(s));
    out[0] = '\0';
    for (size_t i = 0; i < tk.n && o + 64 < sizeof out; i++) {
        const struct token *t = &tk.v[i];
        if (i)
            out[o++] = (t->flags & TOK_JOINED) ? '-' : '|';
        if (t->flags & TOK_BREAK_BEFORE)
            out[o++] = '^';
        memcpy(out + o, s + t->start, t->end - t->start);
        o += t->end - t->start;
        if (t->flags & TOK_HYPHEN)
            out[o++] = '~';
        out[o] = '\0';
    }
    return out;
}

/* Word counts (tokens.nwords), README rule 2, on normalized text. */
static void test_counting(void)
{
    words("leader-supporter-follower role");
    CHECK(tk.n == 4 && tk.nwords == 2, "compound is one word, parts tokens");
    words("block by block");
    CHECK_INT(tk.nwords, 3, "plain words");
    words("a - b");
    CHECK_INT(tk.nwords, 2, "free-standing hyphen is no word, no join");
    words("well--done -x y-");
    CHECK_INT(tk.nwords, 4, "double, leading, trailing hyphens split");
    words("it's the residents' 'notes'");
    CHECK_INT(tk.nwords, 4, "apostrophes");
    words("");
    CHECK_INT(tk.nwords, 0, "empty text: no words");
    words("soft\nspoken\n\nnext");
    CHECK_INT(tk.nwords, 3, "line breaks separate words");
    CHECK_STR(words("soft\nspoken"), "soft|spoken", "single line break: no break");
    CHECK_STR(words("soft\n \nspoken"), "soft|^spoken",
              "blank line: a break (phrases stop there)");
}

static void test_words(void)
{
    CHECK_STR(words("over-emotional"), "over~-emotional~",
              "inner hyphen: one word of two tokens, TOK_HYPHEN set");
    CHECK(tk.n == 2 && tk.nwords == 1, "over-emotional: 2 tokens, 1 word");
    CHECK_STR(words("the resident's notes"), "the|resident's|notes",
              "inner apostrophe joins, no TOK_HYPHEN");
    CHECK_STR(words("don't"), "don't", "don't is one word");
    CHECK_STR(words("well--done"), "well|done", "double hyphen splits");
    CHECK_STR(words("a -- b"), "a|b", "free-standing -- is not a word");
    CHECK_STR(words("-bossy-"), "bossy", "leading/trailing hyphen excluded");
    CHECK(tk.n == 1 && tk.v[0].start == 1 && tk.v[0].end == 6,
          "-bossy-: offsets [1,6)");
    CHECK_STR(words("residents' work 'tis"), "residents|work|tis",
              "leading/trailing apostrophe excluded");
    CHECK_STR(words("a'-b x-'y"), "a|b|x|y",
              "two joiners in a row do not join");
    CHECK_STR(words("self-directed-learner"), "self~-directed~-learner~",
              "several single hyphens join");
    CHECK(tk.nwords == 1, "self-directed-learner is one word");
    CHECK_STR(words("pgy-2 in 2024, x86"), "pgy~-2~|in|2024|x86",
              "digits are word characters");
    CHECK(tk.nwords == 4, "pgy-2 in 2024, x86: 4 words");
    CHECK_STR(words("\xE5\x8C\xBB\xE7\x94\x9F\xE5\xBE\x88\xE5\xA5\xBD ok"),
              "\xE5\x8C\xBB\xE7\x94\x9F\xE5\xBE\x88\xE5\xA5\xBD|ok",
              "CJK letters form a word");
    CHECK_STR(words("cafe\xCC\x81 \xC3\xA9motional"),
              "cafe\xCC\x81|\xC3\xA9motional",
              "combining marks and non-ASCII letters are word characters");
    CHECK_STR(words("\xD9\xA3 x\xC2\xB2"), "\xD9\xA3|x\xC2\xB2",
              "non-ASCII digits (Nd, No) are word characters");
    CHECK_STR(words("e.g"), "e|^g", "a period splits a word (and breaks)");
    CHECK_STR(words("Too ASSERTIVE"), "Too|ASSERTIVE",
              "upper case accepted (lexicon code may tokenize raw text)");
    words("  bossy, really");
    CHECK(tk.n == 2 && tk.v[0].start == 2 && tk.v[0].end == 7 &&
              tk.v[1].start == 9 && tk.v[1].end == 15,
          "offsets are byte offsets");
    CHECK_STR(words(""), "", "empty text: no tokens");
    CHECK(tk.n == 0, "empty text: n == 0 after reuse");
    CHECK_STR(words(" - ' . "), "", "punctuation only: no tokens");
}

static void test_breaks(void)
{
    CHECK_STR(words("she is bossy. he is"), "she|is|bossy|^he|is",
              "period: break before the next word only");
    CHECK_STR(words("a; b: c! d? e, f"), "a|^b|^c|^d|^e|f",
              "; : ! ? break, comma does not");
    CHECK_STR(words("a\n\nb"), "a|^b", "blank line breaks");
    CHECK_STR(words("a\n  \nb"), "a|^b", "blank line with spaces breaks");
    CHECK_STR(words("a\nb"), "a|b", "single newline does not break");
    CHECK_STR(words("a\n-\nb"), "a|b", "newline, dash, newline: no break");
    CHECK_STR(words("a - b"), "a|b", "dash does not break");
    CHECK_STR(words("well... maybe"), "well|^maybe", "ellipsis breaks");
    CHECK_STR(words("\xE5\xA5\xBD\xE3\x80\x82\xE5\xA5\xBD"),
              "\xE5\xA5\xBD|^\xE5\xA5\xBD", "U+3002 ideographic stop breaks");
    CHECK_STR(words("bossy (really) ok"), "bossy|really|ok",
              "brackets do not break");
}

/* The sentence around the first occurrence of `hit` in `text`. */
static const char *sent(const char *text, const char *hit, size_t max_scan)
{
    static char out[1024];
    const char *h = strstr(text, hit);
    if (!h)
        return "(hit not found)";
    size_t s, e, start = (size_t)(h - text);
    sentence_bounds(text, strlen(text), start, start + strlen(hit), max_scan,
                    &s, &e);
    snprintf(out, sizeof out, "%.*s", (int)(e - s), text + s);
    return out;
}

static void test_sentences(void)
{
    const char *t1 = "Dr. Smith said she was bossy. Next sentence.";
    CHECK_STR(sent(t1, "bossy", 500), "Dr. Smith said she was bossy.",
              "Dr. is an abbreviation; sentence ends at bossy.");
    CHECK_STR(sent(t1, "Next", 500), "Next sentence.", "second sentence");
    CHECK_STR(sent("e.g. she is bossy. Fine.", "bossy", 500),
              "e.g. she is bossy.", "e.g. followed by lower case");
    CHECK_STR(sent("Good. E.g. She is bossy. Fine.", "bossy", 500),
              "E.g. She is bossy.", "E.g. before a capital is not an end");
    CHECK_STR(sent("He met J. Smith. J. Smith is emotional.", "emotional", 500),
              "J. Smith is emotional.", "initial J. does not end a sentence");
    CHECK_STR(sent("She was great! He was bossy?! Yes.", "bossy", 500),
              "He was bossy?!", "! and ?! end sentences");
    CHECK_STR(sent("She said \"stop.\" Then she was bossy.", "stop", 500),
              "She said \"stop.\"", "closing quote belongs to the sentence");
    CHECK_STR(sent("She said \"stop.\" Then she was bossy.", "bossy", 500),
              "Then she was bossy.", "sentence after a closing quote");
    CHECK_STR(sent("(She was bossy.) Next one.", "bossy", 500),
              "(She was bossy.)", "closing paren belongs to the sentence");
    CHECK_STR(sent("Approx. five times she was bossy. Done", "bossy", 500),
              "Approx. five times she was bossy.", "approx. abbreviation");
    CHECK_STR(sent("Was fine et al. Then bossy. Done", "bossy", 500),
              "Was fine et al. Then bossy.", "et al. abbreviation");
    CHECK_STR(sent("Scored 5. She was bossy.", "bossy", 500),
              "She was bossy.", "a number then a period ends a sentence");
    CHECK_STR(sent("Gave 3.5 mg. She was bossy", "bossy", 500),
              "She was bossy", "decimal point is not an end; no final period");
    CHECK_STR(sent("It was bossy. and then more. X", "bossy", 500),
              "It was bossy. and then more.", "period before lower case");
    CHECK_STR(sent("Ok\xE2\x80\xA6 She is bossy. X", "bossy", 500),
              "She is bossy.", "U+2026 ellipsis ends a sentence");
    CHECK_STR(sent("Well... she is bossy", "bossy", 500),
              "Well... she is bossy", "ellipsis before lower case: no end");
    CHECK_STR(sent("Ok. \xC3\x89milie is bossy. X", "bossy", 500),
              "\xC3\x89milie is bossy.", "non-ASCII capital after the period");
    CHECK_STR(sent("Fine. \xC3\xA9tait bossy. X", "bossy", 500),
              "Fine. \xC3\xA9tait bossy.", "non-ASCII lower case after period");
    CHECK_STR(sent("The caf\xC3\xA9. Then bossy.", "bossy", 500),
              "Then bossy.", "non-ASCII word before the period");
}

static void test_paragraphs_and_limits(void)
{
    CHECK_STR(sent("Para one is calm\n\nPara two is bossy\nstill two. End",
                   "bossy", 500),
              "Para two is bossy\nstill two.",
              "blank line starts a sentence; single newline does not");
    CHECK_STR(sent("One is calm\r\n \r\nTwo is bossy\r\n\r\nThree", "bossy",
                   500),
              "Two is bossy", "CRLF blank lines on both sides");
    CHECK_STR(sent("   She is bossy.   ", "bossy", 500), "She is bossy.",
              "surrounding white space trimmed");
    CHECK_STR(sent("\xC2\xA0She is bossy.\xE2\x80\x83", "bossy", 500),
              "She is bossy.", "non-ASCII white space trimmed");
    CHECK_STR(sent("bossy", "bossy", 500), "bossy", "hit is the whole text");
    CHECK_STR(sent("She is bossy. Next", "bossy.", 500), "She is bossy.",
              "a hit that ends in its period");

    /* 300 words, no punctuation, the hit in the middle. */
    char big[4096];
    size_t o = 0;
    for (int i = 0; i < 300; i++)
        o += (size_t)snprintf(big + o, sizeof big - o, "%s ",
                              i == 150 ? "bossy" : "word");
    size_t s, e, hs = (size_t)(strstr(big, "bossy") - big);
    /* 42 is not a multiple of the 5-byte word stride, so both raw limits
     * fall inside a word and must be moved to a boundary. */
    sentence_bounds(big, o, hs, hs + 5, 42, &s, &e);
    CHECK(s <= hs && e >= hs + 5 && hs - s <= 42 && e - hs - 5 <= 42,
          "no punctuation: result within max_scan either side");
    CHECK(big[s - 1] == ' ' && big[e] == ' ' && big[s] != ' ' &&
              big[e - 1] != ' ',
          "no punctuation: cut at word boundaries, trimmed");
    sentence_bounds(big, o, hs, hs + 5, 0, &s, &e);
    CHECK(s == hs && e == hs + 5, "max_scan 0: just the hit");

    /* Multi-byte text with no space at all: cuts land on code points. */
    char wide[2048];
    o = 0;
    for (int i = 0; i < 200; i++) {
        memcpy(wide + o, i == 100 ? "xx" : "\xC3\xA9", 2);
        o += 2;
    }
    hs = 200;
    int ok = 1;
    for (size_t ms = 1; ms < 12; ms++) {
        sentence_bounds(wide, o, hs, hs + 2, ms, &s, &e);
        if ((wide[s] & 0xC0) == 0x80 || (e < o && (wide[e] & 0xC0) == 0x80) ||
            s > hs || e < hs + 2)
            ok = 0;
    }
    CHECK(ok, "no white space: cuts never split a UTF-8 sequence");

    sentence_bounds("ab", 2, 5, 9, 100, &s, &e);
    CHECK(s <= e && e <= 2, "hit past the end is clamped");
}

/* ---- tokenize_ascii against tokenize ---- */

static uint32_t rng = 2024;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Both tokenizers on s[0..n) (s[n] == '\0'): the same tokens and count. */
static int same_tokens(struct tokens *a, const char *s, size_t n)
{
    tokenize(&tk, s, n);
    tokenize_ascii(a, s, n);
    if (a->n != tk.n || a->nwords != tk.nwords)
        return 0;
    for (size_t i = 0; i < tk.n; i++)
        if (a->v[i].start != tk.v[i].start || a->v[i].end != tk.v[i].end ||
            a->v[i].flags != tk.v[i].flags)
            return 0;
    return 1;
}

static void test_ascii_path(void)
{
    struct tokens a;
    tokens_init(&a);
    char buf[256];

    /* Every ASCII byte value (NUL inside the text included) at every
     * offset of a text of words, joiners and breaks. */
    const char *base = "ab c-d e'f. g\n\nh;i - j' k";
    size_t bn = strlen(base);
    int ok = 1;
    for (int c = 0; c < 128; c++)
        for (size_t at = 0; at < bn; at++) {
            memcpy(buf, base, bn + 1);
            buf[at] = (char)c;
            ok &= same_tokens(&a, buf, bn);
        }
    CHECK(ok, "tokenize_ascii == tokenize: every byte value at every offset");

    /* Generated texts weighted towards what decides a token: word bytes,
     * single and double joiners, spaces, the break characters, line
     * breaks (blank lines with spaces, tabs and CR inside), others. */
    static const char pieces[] = "abcxyzABZ0189  \t\r\n\n'-'-.!?;:,\"()\x01\x7f";
    ok = 1;
    size_t tokens_seen = 0, joined = 0, breaks = 0;
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = rnd() % 60;
        for (size_t i = 0; i < n; i++)
            buf[i] = pieces[rnd() % (sizeof pieces - 1)];
        buf[n] = '\0';
        ok &= same_tokens(&a, buf, n);
        tokens_seen += a.n;
        for (size_t i = 0; i < a.n; i++) {
            joined += (a.v[i].flags & TOK_JOINED) != 0;
            breaks += (a.v[i].flags & TOK_BREAK_BEFORE) != 0;
        }
    }
    CHECK(ok, "tokenize_ascii == tokenize on generated ASCII text");
    CHECK(tokens_seen > 10000 && joined > 1000 && breaks > 1000,
          "generated texts exercise tokens, joins and breaks");

    /* Many tokens: the token array grows inside tokenize_ascii. */
    char big[3001];
    for (size_t i = 0; i < 3000; i++)
        big[i] = "a-b "[i % 4];
    big[3000] = '\0';
    tokens_fini(&a);
    tokens_init(&a);
    CHECK(same_tokens(&a, big, 3000) && a.n == 1500,
          "tokenize_ascii grows its token array");
    tokens_fini(&a);
}

int main(void)
{
    tokens_init(&tk);
    test_counting();
    test_words();
    test_breaks();
    test_sentences();
    test_paragraphs_and_limits();
    test_ascii_path();
    tokens_fini(&tk);
    tokens_fini(&tk);         /* fini twice is harmless */
    return check_done();
}
