/* test_match.c - unit tests for match.c: words, phrases across white space,
 * stems, leftmost-longest selection, hyphenated words, PCRE2 entries and
 * their errors, guards, negation, and the lexicon-size independence of the
 * per-token work. Lexicons are built programmatically and from a plain
 * file; text goes through the real normalizer and tokenizer. */
#include "check.h"
#include "intensifier.h"

#include "lexicon.h"
#include "match.h"
#include "match_prefix.h"
#include "match_words.h"
#include "normalize.h"
#include "tokenize.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ======================= Helpers ========================================= */

static struct lexicon_set *new_set(void)
{
    struct lexicon_set *set = lexicon_set_new();
    uint32_t l = lexicon_set_add_lexicon(set, "test", "test.txt");
    lexicon_set_add_category(set, l, "test");
    return set;
}

/* Add a term as the loader would (word, phrase, stem or /regex/) on line
 * `line`; returns its index. */
static uint32_t add(struct lexicon_set *set, const char *term)
{
    uint32_t idx = (uint32_t)set->nentries;
    struct lex_entry *e = lexicon_set_add_entry(set, 0, term);
    e->line = idx + 1;
    e->col = 1;
    size_t n = strlen(term);
    if (term[0] == '/') {
        e->kind = ENTRY_REGEX;
        e->regex = xstrndup(term + 1, n - 2);
        return idx;
    }
    char msg[256];
    size_t col;
    if (wordseq_parse(&e->seq, term, n, msg, sizeof msg, &col) < 0) {
        fprintf(stderr, "bad test term %s: %s\n", term, msg);
        exit(2);
    }
    e->kind = e->seq.is_stem[e->seq.n - 1] ? ENTRY_STEM
              : e->seq.n > 1               ? ENTRY_PHRASE
                                           : ENTRY_WORD;
    return idx;
}

static void add_guard(struct lexicon_set *set, uint32_t entry, int after,
                      const char *g)
{
    struct lex_entry *e = &set->entries[entry];
    struct wordseq **v = after ? &e->guard_after : &e->guard_before;
    size_t *n = after ? &e->nguard_after : &e->nguard_before;
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    char msg[256];
    size_t col;
    if (wordseq_parse(&(*v)[*n], g, strlen(g), msg, sizeof msg, &col) < 0) {
        fprintf(stderr, "bad test guard %s: %s\n", g, msg);
        exit(2);
    }
    (*n)++;
}

/* Match text and render the hits as "term@start-end" (with "!" when
 * negated), separated by ", ". Offsets are in the normalized text, which
 * is the text itself for the ASCII inputs used here. */
static const char *run(matcher *m, const struct lexicon_set *set,
                       const char *text)
{
    static char out[2048];
    struct normtext nt;
    struct tokens tk;
    struct hits h;
    struct diag err = {0};
    normtext_init(&nt);
    tokens_init(&tk);
    hits_init(&h);
    normalize(&nt, text, strlen(text));
    tokenize(&tk, nt.s, nt.len);
    out[0] = '\0';
    if (matcher_find(m, nt.s, nt.len, &tk, &h, &err) < 0) {
        snprintf(out, sizeof out, "ERROR %.500s:%lu: %.1000s", err.file,
                 err.line, err.msg);
    } else {
        size_t o = 0;
        for (size_t i = 0; i < h.n && o < sizeof out - 200; i++)
            o += (size_t)snprintf(out + o, sizeof out - o, "%s%s@%u-%u%s",
                                  i ? ", " : "",
                                  set->entries[h.v[i].entry].term,
                                  h.v[i].start, h.v[i].end,
                                  h.v[i].negated ? "!" : "");
    }
    hits_fini(&h);
    tokens_fini(&tk);
    normtext_fini(&nt);
    return out;
}

/* ======================= Literal matching ================================ */

static void test_words_phrases_stems(void)
{
    struct lexicon_set *set = new_set();
    add(set, "bossy");
    add(set, "assertive");
    add(set, "too assertive");
    add(set, "emotion*");
    add(set, "lacks confiden*");
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);
    CHECK(m != NULL, "matcher compiles");

    CHECK_STR(run(m, set, "She is Bossy."), "bossy@7-12", "word, case-folded");
    CHECK_STR(run(m, set, "bossyness"), "", "a word does not match a prefix");
    CHECK_STR(run(m, set, "She is too assertive."), "too assertive@7-20",
              "longest match: one hit, not also 'assertive'");
    CHECK_STR(run(m, set, "too\n   assertive"), "too assertive@0-16",
              "phrase across a line break and spaces");
    CHECK_STR(run(m, set, "She was too. Assertive later."),
              "assertive@13-22", "a phrase does not cross a sentence break");
    CHECK_STR(run(m, set, "emotional, emotions, emotion, emotive"),
              "emotion*@0-9, emotion*@11-19, emotion*@21-28",
              "stem matches emotional/emotions/emotion, not emotive");
    CHECK_STR(run(m, set, "He lacks confidence"),
              "lacks confiden*@3-19", "phrase whose last word is a stem");
    CHECK_STR(run(m, set, "He lacks. Confidence"), "",
              "stem phrase does not cross a break");
    CHECK_STR(run(m, set, ""), "", "empty text: no hits");
    CHECK_STR(run(m, set, "... -- !!"), "", "no words: no hits");
    matcher_free(m);
    lexicon_set_free(set);
}

static void test_selection(void)
{
    struct lexicon_set *set = new_set();
    add(set, "emotion*");
    add(set, "emotional");
    add(set, "very bossy");
    add(set, "bossy and rude");
    add(set, "rude");
    add(set, "/bossy/");
    uint32_t word = add(set, "bossy");
    add(set, "bossy");
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);

    CHECK_STR(run(m, set, "emotional"), "emotional@0-9",
              "exact beats stem on the same span");
    CHECK_STR(run(m, set, "very bossy and rude"),
              "very bossy@0-10, rude@15-19",
              "leftmost wins; a later non-overlapping hit is kept");
    CHECK_STR(run(m, set, "quite bossy and rude"), "bossy and rude@6-20",
              "longest at the same start");
    /* /bossy/ (index 5) and the two "bossy" words share a span: exact
     * beats regex, then the lower index wins among duplicates. */
    struct normtext nt;
    struct tokens tk;
    struct hits h;
    normtext_init(&nt);
    tokens_init(&tk);
    hits_init(&h);
    normalize(&nt, "bossy", 5);
    tokenize(&tk, nt.s, nt.len);
    CHECK_INT(matcher_find(m, nt.s, nt.len, &tk, &h, &err), 0, "find ok");
    CHECK_INT(h.n, 1, "one hit for duplicates");
    if (h.n)
        CHECK_INT(h.v[0].entry, word, "exact beats regex; lower index wins");
    /* Reuse: a second call replaces the content. */
    normalize(&nt, "calm", 4);
    tokenize(&tk, nt.s, nt.len);
    matcher_find(m, nt.s, nt.len, &tk, &h, &err);
    CHECK_INT(h.n, 0, "hits are replaced, not appended");
    hits_fini(&h);
    tokens_fini(&tk);
    normtext_fini(&nt);
    matcher_free(m);
    lexicon_set_free(set);
}

static void test_hyphens(void)
{
    struct lexicon_set *set = new_set();
    add(set, "emotional");
    add(set, "liked");
    add(set, "well-liked");
    add(set, "aggress*");
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);
    CHECK_STR(run(m, set, "She was over-emotional."), "emotional@13-22",
              "hyphen part matches, with the part's byte offsets");
    CHECK_STR(run(m, set, "She is well-liked"), "well-liked@7-17",
              "whole hyphenated entry beats its parts");
    CHECK_STR(run(m, set, "liked-well"), "liked@0-5",
              "first part of a hyphenated word");
    CHECK_STR(run(m, set, "non-aggressive"), "aggress*@4-14",
              "hyphen part matches a stem");
    CHECK_STR(run(m, set, "emotional-liked"),
              "emotional@0-9, liked@10-15", "several parts match");
    matcher_free(m);

    /* Parts match only when no candidate covers the whole word; a
     * whole-word candidate that a guard then drops still counts, so its
     * parts cannot sneak back in. */
    add_guard(set, 2, 1, "by nobody");
    m = matcher_new(set, &err);
    CHECK_STR(run(m, set, "well-liked by nobody"), "",
              "guarded whole word: parts do not match");
    CHECK_STR(run(m, set, "well-liked by all"), "well-liked@0-10",
              "unguarded whole word still matches");
    matcher_free(m);
    lexicon_set_free(set);
}

/* Counting rules (README "Text rules" 1-3): hyphens, dashes, white space,
 * U+200B, blank lines, compounds and stems, glued hyphenated spellings.
 * Offsets are in the normalized text (a dash becomes one space). */
static void test_counting_rules(void)
{
    struct lexicon_set *set = new_set();
    add(set, "soft spoken");
    add(set, "hard-working");
    add(set, "lead*");
    add(set, "supporter");
    add(set, "cooperat*");
    add(set, "too assertive");
    add(set, "too quiet");
    add(set, "hardworking");
    add(set, "self-confiden*");
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);

    /* phrase = hyphenated = across a line break, in text and in entries */
    CHECK_STR(run(m, set, "is soft spoken"), "soft spoken@3-14",
              "phrase with a space");
    CHECK_STR(run(m, set, "is soft-spoken"), "soft spoken@3-14",
              "phrase entry matches the hyphenated form");
    CHECK_STR(run(m, set, "is soft\nspoken"), "soft spoken@3-14",
              "phrase across a single line break");
    CHECK_STR(run(m, set, "is soft\xE2\x80\x90spoken"), "soft spoken@3-14",
              "U+2010 HYPHEN joins like '-'");
    CHECK_STR(run(m, set, "is soft\xE2\x80\x91spoken"), "soft spoken@3-14",
              "U+2011 NON-BREAKING HYPHEN joins like '-'");
    CHECK_STR(run(m, set, "is soft\n\nspoken"), "",
              "no phrase across a blank line (a paragraph)");
    CHECK_STR(run(m, set, "is soft \n \t\n spoken"), "",
              "a blank line with spaces on it is still a blank line");
    CHECK_STR(run(m, set, "very hard working"), "hard-working@5-17",
              "hyphenated entry matches the spaced form");
    CHECK_STR(run(m, set, "very hard-working"), "hard-working@5-17",
              "hyphenated entry matches the hyphenated form");
    CHECK_STR(run(m, set, "hardworking"), "hardworking@0-11",
              "closed form matches its own entry");

    /* dashes separate, and a dash touching a phrase keeps it */
    CHECK_STR(run(m, set, "too quiet\xE2\x80\x94" "and"), "too quiet@0-9",
              "em dash after a phrase: the phrase is kept");
    CHECK_STR(run(m, set, "was\xE2\x80\x93too quiet"), "too quiet@4-13",
              "en dash before a phrase: the phrase is kept");
    CHECK_STR(run(m, set, "too\xE2\x80\x94quiet"), "too quiet@0-9",
              "an em dash between two words separates them like a space");
    CHECK_STR(run(m, set, "too-assertive"), "too assertive@0-13",
              "too-assertive is the phrase too assertive");
    CHECK_STR(run(m, set, "too\xE2\x80\x8B" "assertive"),
              "too assertive@0-13", "U+200B separates words");

    /* no swallowing of compound parts; glued hyphenated spellings */
    CHECK_STR(run(m, set, "a leader-supporter-follower role"),
              "lead*@2-8, supporter@9-18",
              "lead* takes only 'leader'; 'supporter' is seen");
    CHECK_STR(run(m, set, "leadership"), "lead*@0-10", "stem on a plain word");
    CHECK_STR(run(m, set, "very co-operative"), "cooperat*@5-17",
              "hyphenated spelling of a stem's word matches the stem");
    CHECK_STR(run(m, set, "co-operate-minded"), "cooperat*@0-10",
              "glued stem ends with the part it reaches into");
    CHECK_STR(run(m, set, "co-ordinated"), "",
              "glued form that no entry spells: no hit");
    CHECK_STR(run(m, set, "a hard-working resident"), "hard-working@2-14",
              "hyphenated text: the phrase entry wins the span");
    CHECK_STR(run(m, set, "self-confident"), "self-confiden*@0-14",
              "hyphenated stem entry matches the hyphenated form");
    CHECK_STR(run(m, set, "self confident"), "self-confiden*@0-14",
              "hyphenated stem entry matches the spaced form");
    matcher_free(m);
    lexicon_set_free(set);

    /* a glued form never lets a stem take parts it does not need */
    set = new_set();
    add(set, "hardwork*");
    add(set, "hard*");
    add(set, "overconfident");
    add(set, "confident");
    m = matcher_new(set, &err);
    CHECK_STR(run(m, set, "over-confident"), "overconfident@0-14",
              "glued whole word shadows its part");
    CHECK_STR(run(m, set, "self-confident"), "confident@5-14",
              "part matches when nothing covers the whole word");
    CHECK_STR(run(m, set, "hard-working"), "hardwork*@0-12",
              "stem longer than the first part: glued match");
    CHECK_STR(run(m, set, "hard-nosed"), "hard*@0-4",
              "stem within the first part: the part alone");
    matcher_free(m);
    lexicon_set_free(set);
}

/* Intensifier gaps (intensifier.h): up to two between two words of a phrase,
 * never at the edges, never across a break. */
static void test_intensifiers(void)
{
    struct lexicon_set *set = new_set();
    add(set, "works independently");
    add(set, "needs to be more assertive");
    add(set, "too quiet");
    add(set, "lacks confiden*");
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);
    CHECK_STR(run(m, set, "works really independently"),
              "works independently@0-26", "one intensifier inside a phrase");
    CHECK_STR(run(m, set, "works very, very independently"),
              "works independently@0-30", "two intensifiers (comma is no break)");
    CHECK_STR(run(m, set, "works really very much independently"), "",
              "three intensifiers: too many");
    CHECK_STR(run(m, set, "needs to be a little more assertive"),
              "needs to be more assertive@0-35",
              "'a little' counts as one intensifier, 'more' matches the entry");
    CHECK_STR(run(m, set, "needs to be a bit more assertive"),
              "needs to be more assertive@0-32", "'a bit' is one intensifier");
    CHECK_STR(run(m, set, "needs to be much more assertive"),
              "needs to be more assertive@0-31", "much before an entry word");
    CHECK_STR(run(m, set, "too very quiet"), "too quiet@0-14",
              "an intensifier may equal an entry word");
    CHECK_STR(run(m, set, "lacks some confidence"), "",
              "'some' is not an intensifier");
    CHECK_STR(run(m, set, "lacks much confidence"),
              "lacks confiden*@0-21", "gap before a stem word");
    CHECK_STR(run(m, set, "works very. Independently"), "",
              "no gap across a sentence break");
    CHECK_STR(run(m, set, "works much-needed independently"), "",
              "a hyphen part is not an intensifier");
    CHECK_STR(run(m, set, "very too quiet"), "too quiet@5-14",
              "no gap before the first word");
    CHECK_STR(run(m, set, "works less independently"), "",
              "'less' reverses, it is not an intensifier");
    matcher_free(m);
    lexicon_set_free(set);
}

/* ======================= PCRE2 =========================================== */

static void test_regex(void)
{
    struct lexicon_set *set = new_set();
    add(set, "/not (a )?team player/");
    add(set, "/b\\w+ch/");
    add(set, "player");
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);
    CHECK(m != NULL, "regex set compiles");
    CHECK_STR(run(m, set, "Not a Team Player, not team player."),
              "/not (a )?team player/@0-17, /not (a )?team player/@19-34",
              "regex: every match in the field");
    CHECK_STR(run(m, set, "a player"), "player@2-8", "regex miss, word hit");
    CHECK_STR(run(m, set, "what a bench"), "/b\\w+ch/@7-12",
              "regex with a class");
    matcher_free(m);
    lexicon_set_free(set);

    /* The regex entries' literals are looked for in one pass over the
     * field (a bit per byte pair): literals sharing their first two bytes,
     * a literal at the very start and at the very end of the field, a
     * literal one byte too long for the field's end, and two regexes
     * whose literals are the same. */
    set = new_set();
    add(set, "/\\bsensible\\b/");
    add(set, "/\\bsensitive\\b/");
    add(set, "/\\bsensitive(ly)?\\b/");
    add(set, "/\\btenderly\\b/");
    m = matcher_new(set, &err);
    CHECK(m != NULL, "regexes with shared literal prefixes compile");
    CHECK_STR(run(m, set, "sensitive and sensible"),
              "/\\bsensitive\\b/@0-9, /\\bsensible\\b/@14-22",
              "literals sharing a byte pair; at the start and at the end");
    CHECK_STR(run(m, set, "sensitively and sensible"),
              "/\\bsensitive(ly)?\\b/@0-11, /\\bsensible\\b/@16-24",
              "two regexes with one literal: the second is tried too");
    CHECK_STR(run(m, set, "so tender"), "",
              "a literal running past the field's end is not there");
    CHECK_STR(run(m, set, "tenderly"), "/\\btenderly\\b/@0-8",
              "a literal that is the whole field");
    matcher_free(m);
    lexicon_set_free(set);

    /* Compile error: col = entry col + 1 (the slash) + PCRE2 offset. */
    set = new_set();
    add(set, "fine");
    uint32_t bad = add(set, "/abc(/");
    set->entries[bad].line = 17;
    set->entries[bad].col = 3;
    m = matcher_new(set, &err);
    CHECK(m == NULL, "regex compile error fails matcher_new");
    CHECK_STR(err.file, "test.txt", "compile error file");
    CHECK_INT(err.line, 17, "compile error line");
    CHECK_INT(err.col, 3 + 1 + 4, "compile error col = col + 1 + offset");
    CHECK_STR(err.msg, "regex: missing closing parenthesis",
              "compile error message");
    lexicon_set_free(set);

    /* Catastrophic backtracking hits the match limit: -1 naming the
     * entry, never a hang. */
    set = new_set();
    uint32_t slow = add(set, "/(a|aa)+\\d/");
    set->entries[slow].line = 9;
    m = matcher_new(set, &err);
    char text[200];
    memset(text, 'a', 60);
    strcpy(text + 60, " x 1");
    CHECK_STR(run(m, set, text),
              "ERROR test.txt:9: regex /(a|aa)+\\d/ (lexicon entry "
              "test.txt:9): match limit exceeded; simplify the pattern",
              "match limit: -1 naming the entry's file:line");
    matcher_free(m);
    lexicon_set_free(set);
}

/* A regex is skipped on a field that lacks the literal its pattern
 * requires (match.c, required_literal). Patterns the reading must get
 * right, or must give up on, still find every match. */
static void test_regex_prefilter(void)
{
    static const struct {
        const char *pattern, *text, *want;
    } cases[] = {
        {"/colou?r/", "the color", "/colou?r/@4-9"},
        {"/too +assertive/", "too   assertive", "/too +assertive/@0-15"},
        {"/\\bsensitiv\\w*/", "Sensitive to it", "/\\bsensitiv\\w*/@0-9"},
        {"/(?<!non-)(?<!non )\\bjudge?mental\\b/", "so judgmental",
         "/(?<!non-)(?<!non )\\bjudge?mental\\b/@3-13"},
        {"/\\btop (\\d{1,2} ?%|\\d{1,2} percent)/", "the top 5 %",
         "/\\btop (\\d{1,2} ?%|\\d{1,2} percent)/@4-11"},
        {"/zzz|bossy/", "bossy", "/zzz|bossy/@0-5"},
        {"/team\\x20player/", "team player", "/team\\x20player/@0-11"},
        {"/(?x) bos sy /", "bossy", "/(?x) bos sy /@0-5"},
        {"/Bossy/", "BOSSY", "/Bossy/@0-5"},
        {"/xyz$/", "w xyz", "/xyz$/@2-5"},
        {"/xyz$/", "xy", ""},
        {"/\\bpretty(?=\\s*(?:[^\\s\\w]|$))/", "pretty.",
         "/\\bpretty(?=\\s*(?:[^\\s\\w]|$))/@0-6"},
        {"/[[:alpha:]]+ bossy/", "so bossy", "/[[:alpha:]]+ bossy/@0-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lexicon_set *set = new_set();
        add(set, cases[i].pattern);
        struct diag err = {0};
        matcher *m = matcher_new(set, &err);
        char name[160];
        snprintf(name, sizeof name, "prefiltered regex %s on \"%s\"",
                 cases[i].pattern, cases[i].text);
        CHECK_STR(m ? run(m, set, cases[i].text) : err.msg, cases[i].want,
                  name);
        matcher_free(m);
        lexicon_set_free(set);
    }
}

/* The start literals of a pattern (match_prefix.h): "a|b|c" with the
 * flags, or "-" when the reading gives up. */
static const char *starts_of(const char *pattern)
{
    static char out[4096];
    struct strvec sv = {0};
    int wb = 7, anw = 7;
    size_t n = rx_start_literals(pattern, &sv, &wb, &anw);
    if (!n) {
        snprintf(out, sizeof out, "- %d%d", wb, anw);
    } else {
        size_t o = 0;
        for (size_t i = 0; i < sv.n && o < sizeof out - 100; i++)
            o += (size_t)snprintf(out + o, sizeof out - o, "%s%s",
                                  i ? "|" : "", sv.v[i]);
        snprintf(out + o, sizeof out - o, " %d%d", wb, anw);
    }
    strvec_fini(&sv);
    return out;
}

static void test_start_literals(void)
{
    static const struct {
        const char *pattern, *want;
    } cases[] = {
        {"(?<!-)\\bsensitive\\b", "sensitive 11"},
        {"\\bsensitiv\\w*", "sensitiv 11"},
        {"Bossy", "bossy 00"},
        {"colou?r", "colo 00"},
        {"needs? to", "need 00"},
        {"\\b(?:needs? to|must|tr(?:y|ies|ying) to)\\s+be",
         "must|need|tries to|try to|trying to 11"},
        {"\\b(?:would|'d) like", "'d like|would like 10"},
        {"\\b(has|shows) (great )?potential", "has |shows  11"},
        {"\\b(?:mother|dad) of (?:two|[2-9])\\b", "dad of |mother of  11"},
        {"(?<=\\bher |\\bhis )tone\\b", "tone 01"},
        {"(?<=her|his )tone", "tone 00"},
        {"(?<=\\bher )tone|\\bvoice", "tone|voice 00"},
        {"ab+c", "ab 00"},
        {"ab{2}c", "ab 00"},
        {"ab{0,2}c", "a-"},
        {"(?:ab|abc)d", "abcd|abd 00"},
        {"(?:ab)+c", "ab 00"},
        {"(?:ab)?cd", "-"},
        {"(?:|x)yz", "xyz|yz 00"},
        {"team\\ player", "team player 00"},
        {"\\.net", ".net 00"},
        {"\\bthe most(?= [a-z])", "the most 11"},
        {"zzz|bossy", "bossy|zzz 00"},
        {"(?:a|bc)d", "ad|bcd 00"},
        {"(?:a|bc)?d", "-"},
        {"[ab]cd", "-"},
        {".bossy", "-"},
        {"\\d+ percent", "-"},
        {"\\x41bc", "-"},
        {"(?i)bossy", "-"},
        {"(?x) bos sy", "-"},
        {"bos\\Ksy", "-"},
        {"\\Gbossy", "-"},
        {"\\Qbos\\Esy", "-"},
        {"(*UCP)bossy", "-"},
        {"(?<name>bossy)", "-"},
        {"(bossy", "-"},
        {"bossy)", "-"},
        {"ab\\", "-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[160], want[256];
        snprintf(name, sizeof name, "start literals of /%s/",
                 cases[i].pattern);
        snprintf(want, sizeof want, "%s", cases[i].want);
        if (!strcmp(want, "-") || !strcmp(want, "a-"))
            snprintf(want, sizeof want, "- 00");
        CHECK_STR(starts_of(cases[i].pattern), want, name);
    }
}

/* Byte spans of the hits of m on text: "s-e s-e". */
static const char *spans(matcher *m, const char *text)
{
    static char out[1 << 16];
    struct normtext nt;
    struct tokens tk;
    struct hits h;
    struct diag err = {0};
    normtext_init(&nt);
    tokens_init(&tk);
    hits_init(&h);
    normalize(&nt, text, strlen(text));
    tokenize(&tk, nt.s, nt.len);
    size_t o = 0;
    out[0] = '\0';
    if (matcher_find(m, nt.s, nt.len, &tk, &h, &err) < 0)
        snprintf(out, sizeof out, "ERROR %.1000s", err.msg);
    else
        for (size_t i = 0; i < h.n && o < sizeof out - 64; i++)
            o += (size_t)snprintf(out + o, sizeof out - o, "%u-%u ",
                                  h.v[i].start, h.v[i].end);
    hits_fini(&h);
    tokens_fini(&tk);
    normtext_fini(&nt);
    return out;
}

/* A regex run anchored at its start literals finds exactly what the same
 * pattern run over the whole text finds ("\Q\E" in front: the reading
 * gives up on it, so that copy runs the old way). Texts probe word
 * boundaries next to non-ASCII letters, apostrophes, hyphens and '_',
 * overlapping and repeated matches, breaks, and a sentence long enough to
 * be cut into windows. */
static void test_regex_anchored(void)
{
    static const char *const patterns[] = {
        "\\b(?:needs? to|has to|must|tr(?:y|ies|ying) to|(?:would|'d) "
        "like (?:her|him) to)(?:\\s+(?:really|also))*\\s+(?:be\\s+)?"
        "(?:more|less|calmer)\\b",
        "(?<!-)\\bsensitiv\\w*",
        "(?<=\\bher |\\bhis )tone\\b",
        "\\b(has|shows) (great |some )?potential\\b",
        "\\bthe most(?= (?!(?:of|likely)\\b)[a-z])",
        "(?<!-)\\bfair\\b(?!-)",
        "aa",
        "\\baa\\w*",
        "\\bab(?:c|cd)?",
    };
    static const char *const texts[] = {
        "She needs to be more confident. She'd like her to be calmer; "
        "he must really also be less shy and try to be more.",
        "Sensitive, over-sensitive, sensitivity, non-sensitive, "
        "ésensitive, _sensitive, x'sensitive, SENSITIVE.",
        "Watch her tone and his tone; hertone, the tone.",
        "Has great potential. Shows some potential, has potential.",
        "The most talented; the most likely; the most-able; at the most.",
        "Fair, fair-minded, un-fair, unfair, fair.",
        "aaaaa aa a aab aaab",
        "ab abc abcd abd xab ab-ab",
        "",
    };
    struct buf longtext;
    buf_init(&longtext);
    for (int i = 0; i < 300; i++)
        buf_puts(&longtext, i % 7 ? "words and more words " :
                                    "she needs to be more fair aa ab ");
    for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++) {
        struct lexicon_set *a = new_set(), *b = new_set();
        char t[1024];
        snprintf(t, sizeof t, "/%s/", patterns[p]);
        add(a, t);
        snprintf(t, sizeof t, "/\\Q\\E%s/", patterns[p]);
        add(b, t);
        struct diag err = {0};
        matcher *ma = matcher_new(a, &err), *mb = matcher_new(b, &err);
        CHECK(ma && mb, "both regex matchers build");
        for (size_t k = 0; ma && mb && k <= sizeof texts / sizeof *texts;
             k++) {
            const char *text = k < sizeof texts / sizeof *texts ? texts[k]
                                                                : longtext.p;
            static char want[1 << 16];
            snprintf(want, sizeof want, "%s", spans(mb, text));
            char name[200];
            snprintf(name, sizeof name, "anchored /%.60s/ on text %zu", patterns[p], k);
            CHECK_STR(spans(ma, text), want, name);
        }
        /* Random texts of pieces that sit at word edges: the scan tries
         * only positions after a non-word byte, 16 at a time, so a literal
         * must be found at any place in or across a 16-byte block, after
         * any kind of byte, and near the end of the field. */
        uint64_t x = 0x9E3779B97F4A7C15ULL + p;
        static const char *const bits[] = {
            "needs to ", "be ", "more ", "'d like her to ", "she ", "aa",
            "ab", "abc ", "sensitive", "fair", "-", "_", "é", "—", " ",
            ". ", "x", "9", "tone ", "his ", "the most ", "potential ",
            "has ", "\n", "(", "'",
        };
        int agree = 0;
        for (int k = 0; ma && mb && k < 400; k++) {
            char text[400];
            size_t n = 0;
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t parts = (size_t)(x % 24);
            for (size_t q = 0; q < parts; q++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                const char *piece = bits[x % (sizeof bits / sizeof *bits)];
                size_t bl = strlen(piece);
                if (n + bl >= sizeof text)
                    break;
                memcpy(text + n, piece, bl);
                n += bl;
            }
            text[n] = '\0';
            static char want[1 << 16];
            snprintf(want, sizeof want, "%s", spans(mb, text));
            const char *got = spans(ma, text);
            agree += strcmp(got, want) == 0;
            if (strcmp(got, want) != 0) {
                char name[600];
                snprintf(name, sizeof name, "anchored /%.60s/ on \"%s\"",
                         patterns[p], text);
                CHECK_STR(got, want, name);
                break;
            }
        }
        CHECK_INT(agree, 400, "anchored and plain regexes agree on 400 random texts");
        matcher_free(ma);
        matcher_free(mb);
        lexicon_set_free(a);
        lexicon_set_free(b);
    }
    buf_fini(&longtext);
}

/* A regex finds every match of a long sentence once, whether the text is
 * ASCII (rx_pieces counts its characters as bytes) or not (it counts
 * them): the windows' cuts move, the matches do not. */
static void test_regex_long_sentence(void)
{
    struct lexicon_set *set = new_set();
    add(set, "/\\bsensitiv\\w*/");
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);
    for (int pass = 0; pass < 2; pass++) {
        struct buf t;
        buf_init(&t);
        int want = 0;
        for (int i = 0; i < 400; i++) {
            if (i % 7 == 3) {
                buf_puts(&t, "sensitive ");
                want++;
            } else {
                buf_puts(&t, pass ? "caf\xC3\xA9 na\xC3\xAFve "
                                  : "cafe naive ");
            }
        }
        buf_append(&t, "", 1);
        const char *sp = spans(m, t.p);
        int got = 0;
        for (const char *q = sp; *q; q++)
            got += *q == ' ';
        CHECK(got == want,
              pass ? "long non-ASCII sentence: every regex match once"
                   : "long ASCII sentence: every regex match once");
        buf_fini(&t);
    }
    matcher_free(m);
    lexicon_set_free(set);
}

/* The word table (match_words.h): a word's edges come back as added; a
 * bounded table is emptied by word_table_room only when the next field
 * might not fit, and finds nothing afterwards. */
static void test_word_table(void)
{
    struct word_table t;
    word_table_init(&t, 1);
    struct wcont c[2] = {{0, 5, 0, 0}, {3, 7, 4, 1}};
    char w[32];
    for (unsigned i = 0; i < 1000; i++) {
        snprintf(w, sizeof w, "word%u", i);
        word_table_add(&t, w, strlen(w), hash_bytes(w, strlen(w)), c,
                       i % 3);
    }
    int ok = 1;
    for (unsigned i = 0; i < 1000 && ok; i++) {
        snprintf(w, sizeof w, "word%u", i);
        const struct wrec *r =
            word_table_find(&t, w, strlen(w), hash_bytes(w, strlen(w)));
        ok = r && r->ncont == i % 3 &&
             (r->ncont < 2 || (t.conts[r->coff + 1].to == 7 &&
                               t.conts[r->coff + 1].stem == 1));
    }
    CHECK(ok, "word table: every word finds its edges");
    CHECK(word_table_find(&t, "word", 4, hash_bytes("word", 4)) == NULL,
          "word table: a prefix is another word");
    word_table_room(&t, 10, 100);
    CHECK(word_table_find(&t, "word7", 5, hash_bytes("word7", 5)) != NULL,
          "word table: room for a small field keeps the words");
    word_table_room(&t, WORDS_MAX_RECS, 100);
    CHECK(word_table_find(&t, "word7", 5, hash_bytes("word7", 5)) == NULL,
          "word table: emptied when the next field might not fit");
    word_table_add(&t, "word7", 5, hash_bytes("word7", 5), c, 1);
    const struct wrec *r = word_table_find(&t, "word7", 5, hash_bytes("word7", 5));
    CHECK(r && r->ncont == 1 && t.conts[r->coff].to == 5,
          "word table: filled again after emptying");
    word_table_fini(&t);
}

/* The word cache's key (word_key): the same whether the word is read in
 * two loads (avail >= 16, bytes after it that differ) or byte by byte;
 * word_table_find_key tells apart words that differ only past byte 16,
 * and a word from its prefixes. */
static void test_word_key(void)
{
    char buf[64], other[64];
    for (size_t i = 0; i < sizeof buf; i++) {
        buf[i] = (char)('a' + i % 26);
        other[i] = (char)('A' + i % 7);
    }
    int same = 1;
    for (size_t n = 0; n <= 40 && same; n++) {
        struct wkey a, b;
        char tight[48];
        memcpy(tight, buf, n);
        word_key(buf, n, sizeof buf, &a);       /* fast path, bytes after */
        word_key(tight, n, n, &b);              /* byte path */
        memcpy(other, buf, n);                  /* other bytes after it */
        struct wkey c;
        word_key(other, n, sizeof other, &c);
        same = a.k0 == b.k0 && a.k1 == b.k1 && a.h == b.h && a.k0 == c.k0 &&
               a.k1 == c.k1 && a.h == c.h;
    }
    CHECK(same, "word_key: two loads and the byte path give one key");

    struct word_table t;
    word_table_init(&t, 1);
    const char *words[] = {
        "abcdefghijklmnopqrst", "abcdefghijklmnopqrsu", "abcdefghijklmnop",
        "abcdefghijklmnopq", "abcdefgh", "abcdefg", "a", "ab",
    };
    size_t nw = sizeof words / sizeof *words;
    struct wcont c[1] = {{0, 1, 0, 0}};
    for (size_t i = 0; i < nw; i++) {
        struct wkey k;
        word_key(words[i], strlen(words[i]), strlen(words[i]), &k);
        struct wrec *r = word_table_add(&t, words[i], strlen(words[i]), k.h,
                                        c, 1);
        r->val = (uint32_t)i + 100;
    }
    int ok = 1;
    for (size_t i = 0; i < nw; i++) {
        char pad[64] = {0};
        memcpy(pad, words[i], strlen(words[i]));
        memset(pad + strlen(words[i]), 'z', sizeof pad - strlen(words[i]) - 1);
        struct wkey k;
        word_key(pad, strlen(words[i]), sizeof pad - 1, &k);
        const struct wrec *r =
            word_table_find_key(&t, pad, strlen(words[i]), &k);
        ok = ok && r && r->val == i + 100;
    }
    CHECK(ok, "word_table_find_key: every word, none for another");
    struct wkey k;
    word_key("abcdefghijklmnopqrsv", 20, 20, &k);
    CHECK(word_table_find_key(&t, "abcdefghijklmnopqrsv", 20, &k) == NULL,
          "word_table_find_key: a long word differing past byte 16 is not "
          "found");
    word_key("abc", 3, 3, &k);
    CHECK(word_table_find_key(&t, "abc", 3, &k) == NULL,
          "word_table_find_key: a word not added is not found");
    word_table_fini(&t);
}

/* word_table_add lists the edges out of the root first (nroot of them),
 * then the others, each group in the order given. */
static void test_word_root_first(void)
{
    struct word_table t;
    word_table_init(&t, 0);
    struct wcont c[6] = {{4, 10, 2, 1}, {0, 11, 3, 1}, {4, 12, 0, 0},
                         {0, 13, 0, 0}, {9, 14, 0, 0}, {0, 15, 5, 1}};
    struct wrec *r = word_table_add(&t, "w", 1, hash_bytes("w", 1), c, 6);
    const struct wcont *v = t.conts + r->coff;
    CHECK(r->nroot == 3 && r->ncont == 6, "root edges counted");
    CHECK(v[0].to == 11 && v[1].to == 13 && v[2].to == 15 && v[3].to == 10 &&
              v[4].to == 12 && v[5].to == 14,
          "root edges first, each group in its order");
    r = word_table_add(&t, "x", 1, hash_bytes("x", 1), c + 4, 1);
    CHECK(r->nroot == 0 && t.conts[r->coff].to == 14,
          "a word with no root edge");
    word_table_fini(&t);
}

/* intensifier_may_start: true for the words of the list and the first
 * words of two-word items, and wherever intensifier_at finds one. */
static void test_intensifier_may_start(void)
{
    CHECK(intensifier_may_start("very", 4) &&
              intensifier_may_start("exceptionally", 13) &&
              intensifier_may_start("a", 1),
          "intensifier_may_start: one-word and first words");
    CHECK(!intensifier_may_start("little", 6) &&
              !intensifier_may_start("verys", 5) &&
              !intensifier_may_start("ver", 3) &&
              !intensifier_may_start("not", 3),
          "intensifier_may_start: other words");
    const char *text = "She is a little more very-quietly so, a. lot a "
                       "bit REALLY much-needed too truly a lot";
    struct normtext nt;
    struct tokens tk;
    normtext_init(&nt);
    tokens_init(&tk);
    normalize(&nt, text, strlen(text));
    tokenize(&tk, nt.s, nt.len);
    int ok = 1, some = 0;
    for (size_t j = 0; j < tk.n; j++) {
        size_t k = intensifier_at(nt.s, &tk, j);
        some += k > 0;
        if (k && !intensifier_may_start(nt.s + tk.v[j].start,
                                        tk.v[j].end - tk.v[j].start))
            ok = 0;
    }
    CHECK(ok && some >= 6,
          "intensifier_at finds one only where intensifier_may_start");
    tokens_fini(&tk);
    normtext_fini(&nt);
}

/* ======================= Guards ========================================== */

static void test_guards(void)
{
    struct lexicon_set *set = new_set();
    uint32_t agg = add(set, "aggressive");
    add_guard(set, agg, 1, "fluid resuscitation");
    uint32_t emo = add(set, "emotional");
    add_guard(set, emo, 1, "support");
    uint32_t cold = add(set, "cold");
    add_guard(set, cold, 0, "common");
    uint32_t warm = add(set, "warm");
    add_guard(set, warm, 1, "compress*");
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);

    CHECK_STR(run(m, set, "aggressive fluid resuscitation"), "",
              "guard_after cancels the hit");
    CHECK_STR(run(m, set, "aggressive with nurses"), "aggressive@0-10",
              "no guard: hit");
    CHECK_STR(run(m, set, "aggressive IV fluid resuscitation"), "",
              "guard after 1 intervening word (window 2)");
    CHECK_STR(run(m, set, "aggressive early IV fluid resuscitation"), "",
              "guard after 2 intervening words (window 2)");
    CHECK_STR(run(m, set, "aggressive very early IV fluid resuscitation"),
              "aggressive@0-10", "3 intervening words: outside the window");
    CHECK_STR(run(m, set, "Was aggressive. Fluid resuscitation given."),
              "aggressive@4-14", "guard does not reach across a break");
    CHECK_STR(run(m, set, "provided emotional support to the family"), "",
              "emotional support is guarded");
    CHECK_STR(run(m, set, "too emotional with staff"), "emotional@4-13",
              "emotional without support is a hit");
    CHECK_STR(run(m, set, "the common cold"), "", "guard_before cancels");
    CHECK_STR(run(m, set, "common and rather cold"), "",
              "guard_before 2 words away");
    CHECK_STR(run(m, set, "common, and cold"), "",
              "a comma is not a break");
    CHECK_STR(run(m, set, "Common. She is cold"), "cold@15-19",
              "guard_before does not reach across a break");
    CHECK_STR(run(m, set, "warm compresses applied"), "",
              "guard word may be a stem");
    CHECK_STR(run(m, set, "warm and friendly"), "warm@0-4", "warm: hit");

    set->guard_window = 0;
    CHECK_STR(run(m, set, "aggressive IV fluid resuscitation"),
              "aggressive@0-10", "window 0: only adjacent guards count");
    CHECK_STR(run(m, set, "aggressive fluid resuscitation"), "",
              "window 0: adjacent guard");
    matcher_free(m);
    lexicon_set_free(set);

    /* Many guards (match_guard.c indexes them by the first byte of the
     * word next to the hit): each still cancels at its place, words that
     * share a first byte with a guard do not. */
    set = new_set();
    uint32_t sen = add(set, "sensitive");
    char g[32];
    for (int i = 0; i < 80; i++) {
        snprintf(g, sizeof g, "%c%dx", 'a' + i % 26, i);
        add_guard(set, sen, i % 2, g);
    }
    add_guard(set, sen, 0, "salt");
    add_guard(set, sen, 0, "insulin pump");
    add_guard(set, sen, 1, "skin");
    add_guard(set, sen, 1, "test*");
    add_guard(set, sen, 1, "to all");
    add_guard(set, sen, 1, "q");
    m = matcher_new(set, &err);
    /* match_guard.c rules a guard out on its key word's length, second
     * byte and stem flag first: each must only rule out non-matches */
    CHECK_STR(run(m, set, "slat sensitive"), "sensitive@5-14",
              "many guards: same first byte and length, another second byte");
    CHECK_STR(run(m, set, "sensitive tes"), "sensitive@0-9",
              "many guards: shorter than a stem guard");
    CHECK_STR(run(m, set, "sensitive test"), "",
              "many guards: a stem guard as long as the word");
    CHECK_STR(run(m, set, "sensitive q"), "",
              "many guards: a one-byte guard word");
    CHECK_STR(run(m, set, "sensitive qa"), "sensitive@0-9",
              "many guards: a longer word is not a one-byte guard");
    CHECK_STR(run(m, set, "salt sensitive"), "", "many guards: before");
    CHECK_STR(run(m, set, "sal sensitive"), "sensitive@4-13",
              "many guards: same first byte, another word");
    CHECK_STR(run(m, set, "insulin pump sensitive"), "",
              "many guards: a phrase ending next to the hit");
    CHECK_STR(run(m, set, "insulin. pump sensitive"), "sensitive@14-23",
              "many guards: a phrase within one clause");
    CHECK_STR(run(m, set, "pump sensitive"), "sensitive@5-14",
              "many guards: only the phrase's last word");
    CHECK_STR(run(m, set, "sensitive skin"), "", "many guards: after");
    CHECK_STR(run(m, set, "sensitive and kind testers"), "",
              "many guards: a stem two words after");
    CHECK_STR(run(m, set, "sensitive to allies"), "sensitive@0-9",
              "many guards: an exact word is not a stem");
    CHECK_STR(run(m, set, "sensitive to all"), "",
              "many guards: a phrase after");
    CHECK_STR(run(m, set, "b1x sensitive c2x"), "sensitive@4-13",
              "many guards: a guard on the other side does not count");
    CHECK_STR(run(m, set, "a0x sensitive b1x"), "",
              "many guards: generated before");
    CHECK_STR(run(m, set, "x sensitive d3x"), "",
              "many guards: generated after");
    matcher_free(m);
    lexicon_set_free(set);

    /* A guarded candidate does not shadow a shorter one. */
    set = new_set();
    uint32_t ph = add(set, "aggressive fluid");
    add_guard(set, ph, 1, "resuscitation");
    add(set, "aggressive");
    m = matcher_new(set, &err);
    CHECK_STR(run(m, set, "aggressive fluid resuscitation"),
              "aggressive@0-10", "guarded phrase does not shadow the word");
    CHECK_STR(run(m, set, "aggressive fluid intake"),
              "aggressive fluid@0-16", "unguarded phrase wins");
    matcher_free(m);
    lexicon_set_free(set);
}

/* ======================= Negation ======================================== */

/* Shared senses (senses.h): a word's guards are pooled across lexicons
 * and inherited by every entry that matches the word, stems included, and
 * hyphen-aware; own guards are not pooled. */
static void test_shared_senses(void)
{
    struct lexicon_set *set = new_set();
    uint32_t l2 = lexicon_set_add_lexicon(set, "other", "other.txt");
    lexicon_set_add_category(set, l2, "other");
    uint32_t agg = add(set, "aggressive");
    add_guard(set, agg, 1, "diuresis");
    uint32_t emo = add(set, "emotionally");
    add_guard(set, emo, 1, "attuned");
    set->entries[emo].guard_after[0].own = 1;
    uint32_t dom = add(set, "dominant");
    add_guard(set, dom, 0, "right");
    /* the second lexicon: a stem and a word with no guards of their own */
    uint32_t e1 = add(set, "aggress*");
    uint32_t e2 = add(set, "emotiona*");
    uint32_t e3 = add(set, "dominant");
    uint32_t ids[] = {e1, e2, e3};
    for (size_t i = 0; i < 3; i++) {
        set->entries[ids[i]].category = 1;
        set->entries[ids[i]].lexicon = l2;
    }
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);
    CHECK_STR(run(m, set, "aggressive diuresis"), "",
              "a stem inherits the word's guard from another lexicon");
    CHECK_STR(run(m, set, "aggressive with staff"),
              "aggressive@0-10, aggress*@0-10", "unguarded: both lexicons");
    CHECK_STR(run(m, set, "aggression diuresis"), "aggress*@0-10",
              "only the guarded spelling inherits");
    CHECK_STR(run(m, set, "emotionally attuned"), "emotiona*@0-11",
              "an own guard stays with its entry");
    CHECK_STR(run(m, set, "right-hand dominant"), "",
              "a word entry inherits, across a hyphenated word");
    matcher_free(m);
    lexicon_set_free(set);
}

static void test_negation(void)
{
    static const char *const yes[] = {
        "not",     "no",      "never",    "isn't",     "wasn't",
        "aren't",  "weren't", "don't",    "doesn't",   "didn't",
        "cannot",  "can't",   "won't",    "wouldn't",  "shouldn't",
        "hardly",  "without", "nor",      "neither",   "nothing",
        "nobody"};
    int n_yes = 0;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        n_yes += match_is_negator(yes[i], strlen(yes[i]));
    CHECK_INT(n_yes, 21, "every negator is recognised");
    CHECK(!match_is_negator("note", 4) && !match_is_negator("no", 1) &&
              !match_is_negator("nothin", 6),
          "non-negators are not");
    CHECK(match_is_negator("nothing", 7),
          "nothing negates (\"nothing aggressive about\")");

    struct lexicon_set *set = new_set();
    add(set, "bossy");
    add(set, "abrasive");
    add(set, "confident");
    add(set, "rude");
    add(set, "not a team player");
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);
    CHECK_STR(run(m, set, "She is not bossy"), "bossy@11-16!",
              "is not bossy: negated");
    CHECK_STR(run(m, set, "never abrasive"), "abrasive@6-14!",
              "never abrasive: negated");
    /* Offsets are in the normalized text, where the 3-byte ’ is now '. */
    CHECK_STR(run(m, set, "She isn\xe2\x80\x99t bossy"), "bossy@10-15!",
              "curly apostrophe: isn't negates");
    CHECK_STR(run(m, set, "not only confident but kind"), "confident@9-18",
              "not only: pseudo-negation");
    CHECK_STR(run(m, set, "without a doubt confident"), "confident@16-25",
              "without a doubt: pseudo-negation");
    CHECK_STR(run(m, set, "no doubt bossy"), "bossy@9-14",
              "no doubt: pseudo-negation");
    CHECK_STR(run(m, set, "nothing rude about her"), "rude@8-12!",
              "nothing negates");
    CHECK_STR(run(m, set, "nothing but confident"), "confident@12-21",
              "nothing but: pseudo-negation");
    CHECK_STR(run(m, set, "not confident when rude"), "confident@4-13!, rude@19-23",
              "negation stops at a clause opener (when)");
    CHECK_STR(run(m, set, "never once rude or abrasive"),
              "rude@11-15!, abrasive@19-27!", "or carries the negation");
    CHECK_STR(run(m, set, "Not rude. She is bossy"), "rude@4-8!, bossy@17-22",
              "negation stops at the period");
    CHECK_STR(run(m, set, "not at all bossy"), "bossy@11-16!",
              "negator 3 words before: negated");
    CHECK_STR(run(m, set, "not at all very bossy"), "bossy@16-21!",
              "negator 4 words before: the clause-scoped rule reaches it");
    CHECK_STR(run(m, set, "bossy"), "bossy@0-5", "first word: not negated");
    CHECK_STR(run(m, set, "She is not a team player"),
              "not a team player@7-24",
              "a negator inside the hit does not negate it");
    CHECK_STR(run(m, set, "never not a team player"),
              "not a team player@6-23!", "negator before the phrase");
    matcher_free(m);
    lexicon_set_free(set);
}

/* ======================= From a plain file =============================== */

static void test_from_file(void)
{
    char path[] = "/tmp/test_match_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        exit(2);
    }
    static const char lex[] = "# version: 1\n"
                              "bossy\n"
                              "too assertive\n"
                              "emotion*\n"
                              "/abrasive(ness)?/\n";
    if (write(fd, lex, sizeof lex - 1) != (ssize_t)(sizeof lex - 1))
        exit(2);
    close(fd);
    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    CHECK_INT(lexicon_set_load(set, path, &err), 0, "file lexicon loads");
    matcher *m = matcher_new(set, &err);
    CHECK(m != NULL, "file lexicon compiles");
    if (m) {
        CHECK_STR(run(m, set, "Too  assertive, emotional and not bossy; "
                              "abrasiveness"),
                  "too assertive@0-14, emotion*@16-25, bossy@34-39!, "
                  "/abrasive(ness)?/@41-53",
                  "file lexicon: every kind of entry");
    }
    matcher_free(m);
    lexicon_set_free(set);
    unlink(path);

    /* A regex error in a file points at line:col of the pattern. */
    char path2[] = "/tmp/test_match_XXXXXX";
    fd = mkstemp(path2);
    static const char lex2[] = "ok\n  /team (player/\n";
    if (fd < 0 || write(fd, lex2, sizeof lex2 - 1) != (ssize_t)(sizeof lex2 - 1))
        exit(2);
    close(fd);
    set = lexicon_set_new();
    CHECK_INT(lexicon_set_load(set, path2, &err), 0, "regex file loads");
    m = matcher_new(set, &err);
    CHECK(m == NULL, "bad regex in file fails to compile");
    CHECK_INT(err.line, 2, "file regex error line");
    CHECK_INT(err.col, 3 + 1 + 12, "file regex error col");
    CHECK_STR(err.file, path2, "file regex error file");
    matcher_free(m);
    lexicon_set_free(set);
    unlink(path2);
}

/* ======================= Cost per token ================================== */

/* The work per token must not depend on how many literal entries there
 * are: match the same text against a 4-entry lexicon and against the same
 * 4 entries plus 20,000 words and phrases, and compare the number of trie
 * lookups (exactly equal) and hash slots inspected (bounded). */
static void test_cost_independent_of_size(void)
{
    static const char text[] =
        "She was too assertive and emotional with the team, not bossy, "
        "and lacks confidence in over-emotional situations.";
    struct lexicon_set *small = new_set(), *big = new_set();
    const char *base[] = {"bossy", "too assertive", "emotion*",
                          "lacks confidence"};
    for (int i = 0; i < 4; i++) {
        add(small, base[i]);
        add(big, base[i]);
    }
    char t[64];
    for (int i = 0; i < 10000; i++) {
        snprintf(t, sizeof t, "word%d", i);
        add(big, t);
        snprintf(t, sizeof t, "too w%d other%d", i, i);
        add(big, t);
    }
    struct diag err = {0};
    matcher *ms = matcher_new(small, &err), *mb = matcher_new(big, &err);
    struct match_stats s0, s1, b0, b1;
    matcher_stats(ms, &s0);
    matcher_stats(mb, &b0);
    const char *rs = run(ms, small, text);
    char keep[512];
    snprintf(keep, sizeof keep, "%s", rs);
    const char *rb = run(mb, big, text);
    CHECK_STR(rb, keep, "same hits from the small and big lexicon");
    matcher_stats(ms, &s1);
    matcher_stats(mb, &b1);
    uint64_t ls = s1.lookups - s0.lookups, lb = b1.lookups - b0.lookups;
    uint64_t slb = b1.slots - b0.slots;
    CHECK(ls > 0, "lookups are counted");
    CHECK_INT(lb, ls, "trie lookups do not grow with lexicon size");
    CHECK(slb <= 4 * lb, "hash slots per lookup stay bounded");
    if (slb > 4 * lb)
        printf("#   %llu slots for %llu lookups\n", (unsigned long long)slb,
               (unsigned long long)lb);
    matcher_free(ms);
    matcher_free(mb);
    lexicon_set_free(small);
    lexicon_set_free(big);
}

/* A long field costs work proportional to its length: twice the text,
 * exactly twice the trie lookups (no rescans, no quadratic walk). */
static void test_linear_in_length(void)
{
    struct lexicon_set *set = new_set();
    add(set, "too assertive");
    add(set, "emotion*");
    add(set, "bossy");
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);
    const char *unit = "she is too assertive, emotional and bossy at times. ";
    uint64_t lookups[2];
    for (int k = 0; k < 2; k++) {
        struct buf b;
        buf_init(&b);
        for (int i = 0; i < 2000 * (k + 1); i++)
            buf_puts(&b, unit);
        struct match_stats s0, s1;
        matcher_stats(m, &s0);
        run(m, set, b.p);
        matcher_stats(m, &s1);
        lookups[k] = s1.lookups - s0.lookups;
        buf_fini(&b);
    }
    CHECK_INT(lookups[1], 2 * lookups[0], "lookups grow linearly with field length");
    matcher_free(m);
    lexicon_set_free(set);
}

int main(void)
{
    test_linear_in_length();
    test_words_phrases_stems();
    test_selection();
    test_hyphens();
    test_counting_rules();
    test_intensifiers();
    test_regex();
    test_regex_prefilter();
    test_start_literals();
    test_regex_anchored();
    test_word_table();
    test_regex_long_sentence();
    test_word_key();
    test_word_root_first();
    test_intensifier_may_start();
    test_guards();
    test_shared_senses();
    test_negation();
    test_from_file();
    test_cost_independent_of_size();
    return check_done();
}
