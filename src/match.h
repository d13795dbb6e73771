/* match.h - normalized text + tokens -> hits (fourth stage of the pipeline).
 *
 * Literal words and phrases compile into one token trie keyed by a hash of
 * (trie node, word); stems are trie edges matched by prefix. Each word of
 * a field is looked up once in a table giving every trie edge it follows
 * (match_words.h), so the cost per word does not depend on how many
 * literal entries there are. PCRE2 patterns (JIT-compiled, with match and
 * depth limits) run over the normalized text: anchored, only where one of
 * the literals their matches start with occurs (match_prefix.h), or, for a
 * pattern whose starts are not known, over the whole field when it holds
 * the literal the pattern requires.
 *
 * Rules:
 *   - leftmost-longest within each lexicon (lexicons may overlap one
 *     another): among the candidates that overlap, the one that
 *     starts first wins, and at one start the longest wins (exact beats stem
 *     beats regex on a tie, then the lower entry index). "too assertive" is
 *     one hit, never also "assertive".
 *   - a hyphen is walked like a space: the parts of "over-emotional" are
 *     tokens (tokenize.h), so "emotional" matches inside it, the entry
 *     "soft spoken" (or "soft-spoken") matches "soft-spoken", "soft spoken"
 *     and "soft\nspoken" alike, and an entry never swallows the other parts
 *     of a compound. The parts are also tried glued ("co-operative" matches
 *     "cooperat*"), a stem only when it reaches past the first glued part.
 *   - a phrase lets up to two intensifiers through between its words
 *     ("works really independently"; the list is in intensifier.h), and
 *     never matches across a sentence/clause break or a blank line.
 *   - guards: a candidate is dropped when a guard of its entry occurs just
 *     before or after it (see lexicon.h), and then cannot shadow others.
 *   - negation: a hit is negated when one of the negators (match.c,
 *     README "Text rules") occurs within NEGATION_WINDOW (3) words (not
 *     hyphen parts) before
 *     it with no sentence/clause break in between. Pseudo-negations
 *     ("not only", "no doubt", "without doubt") do not negate. The
 *     scope reaches further through verbs of describing and perceiving
 *     (negation.h). In a category with `negation=deficit` a negated form
 *     is counted (negated = 0): "not yet confident" is the finding.
 *   - referent: each hit is judged by referent.h (the resident, someone
 *     else, quotation or reported speech); `aside` keeps the others apart.
 *
 * Ownership: matcher_new borrows set, which must outlive the matcher.
 * struct hits is embedded by the caller and reused. */
#ifndef EVALBIAS_MATCH_H
#define EVALBIAS_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "lexicon.h"
#include "tokenize.h"

#define NEGATION_WINDOW 3

struct hit {
    uint32_t entry;      /* index into set->entries */
    uint32_t start, end; /* byte offsets in the normalized text */
    uint8_t negated;     /* 0 in a category with negation=deficit */
    uint8_t aside;       /* enum referent_kind: REF_OTHER, REF_QUOTED (kept
                            apart, not counted), or REF_RESIDENT (0); always
                            0 for REF_OTHER in a referent=exempt category */
    const char *why;     /* referent.h: "patient", "quotation" ...; "" */
};

struct hits {
    struct hit *v;
    size_t n, cap;
};

void hits_init(struct hits *h);
void hits_fini(struct hits *h);

typedef struct matcher matcher;

/* Compile set. Returns NULL with err filled on an invalid PCRE2 pattern
 * ("file:line:col" of the pattern, PCRE2's message and offset). */
matcher *matcher_new(const struct lexicon_set *set, struct diag *err);
void matcher_free(matcher *m);

/* Find the hits in normalized text s[0..len) whose tokens are tok. Replaces
 * out's content with the hits in order of start. Returns 0, or -1 with err
 * filled when a PCRE2 pattern exceeds its match or depth limit (the message
 * names the entry's file:line). */
int matcher_find(matcher *m, const char *s, size_t len,
                 const struct tokens *tok, struct hits *out,
                 struct diag *err);

/* Work counters since matcher_new (exposed for tests and benchmarks):
 * lookups = logical trie edge lookups (one per word per node walked, plus
 * one per distinct stem length when the node has stem edges), counted
 * whether the word table (match_words.h), the in-cache filters or the edge
 * table answers them; slots = edge-table slots inspected by the lookups
 * that reach the table (only glued hyphenated forms do). Neither grows
 * with the number of literal entries for a given text. */
struct match_stats {
    uint64_t lookups;
    uint64_t slots;
};
void matcher_stats(const matcher *m, struct match_stats *st);

/* Is the normalized word w[0..n) a negator? (exposed for tests) */
int match_is_negator(const char *w, size_t n);

#endif
