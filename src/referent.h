/* referent.h - whom a hit describes: the resident, someone else, or words
 * inside quotation or reported speech (part of the matching stage).
 *
 * A comment about a resident also describes patients, relatives, nurses,
 * students, other residents, attendings and consultants ("the patient was
 * combative", "a pleasant 67-year-old man", "the patient's daughter became
 * quite emotional"), and quotes what the resident told others. A hit there
 * is kept apart, never counted as the resident's. The rules, applied to one
 * hit (its tokens [tfirst, tend)) in this order, first that decides wins:
 *
 *   1. Quotation. Inside paired double quotes (straight or curly; curly
 *      ones arrive straight from normalize.c) or paired single quotes that
 *      open before a word and close after one: QUOTED. Not when the quote
 *      names the resident's own description: a quote within two words
 *      after called, described, labeled ("called her "bossy"", "described
 *      as "abrasive"").
 *      An unpaired quote quotes nothing.
 *   2. Reported speech and mention. After a reporting verb whose addressee
 *      is another person ("told the family that ...", "explained to the
 *      patient that ..."), after a patient or relative as the speaker of a
 *      reporting verb ("pt states he feels anxious"), or after a mention
 *      trigger ("words such as", "terms like", "the word", "examples
 *      like"), to the end of the sentence: QUOTED.
 *   3. Possessor. A possessive just before the hit (skipping up to two
 *      modifiers) owns it: "her confidence" -> resident, "the patient's
 *      anxiety" -> the patient.
 *   4. Attached noun. An adjective hit followed within three words (no
 *      preposition, verb, conjunction or clause break between) by a person
 *      noun other than the resident describes that person ("a combative
 *      patient", "an emotional mother", "a pleasant 67-year-old") - unless
 *      the phrase is a predicate after a copula ("she is a kind colleague").
 *   5. Clause subject. Clauses end at . ! ? ; : , ( ) dashes and at
 *      conjunctions and subordinators (and, but, or, while, when, because,
 *      although, since, if, until, who, which, that ...). The referent is
 *      the nearest person mention before the hit in its clause that is not
 *      the object of a preposition ("the patient's daughter became quite
 *      emotional" -> relative; "patients find her warm" -> resident). A
 *      relative clause ("who", "that", "whose" right after a person) takes
 *      its antecedent. A clause with no mention takes the subject (first
 *      mention, not after a preposition) of the clause before it in the
 *      same sentence: "the patient was agitated and aggressive".
 *   6. Otherwise the resident.
 *
 * Mentions: she, he, her, him, his, hers, herself, himself, "the resident",
 * "dr" -> the resident (so are names: any word not listed here); I, me, we,
 * us -> the evaluator; they, them, their -> the latest group mention
 * (family, nurses, patients ...) in this or the previous sentence, else the
 * resident; person nouns (referent.c's table: patient/pt, relatives,
 * nurses and staff, students, other residents and interns, attendings,
 * consultants, fellows, "the team") -> other. A bare "patient" is a noun
 * only after a determiner or at a clause start ("she was patient" is not).
 *
 * Limits (README "Text rules"): a pronoun always means the resident ("the
 * mother said she was anxious" counts); a name cannot be told from a
 * resident's name; clause boundaries are found from punctuation and
 * function words, not parsed.
 *
 * Cost: referent_prepare makes a few passes over the field's tokens (one
 * hash probe per token in a table of ~450 words, wordtab.h; quotation
 * marks are looked for only when a gap holds a quote); referent_of looks
 * at most a few words either side plus the clause chain: linear in the
 * field.
 *
 * Ownership: struct referent_ctx is embedded by the caller and reused across
 * fields (referent_init / referent_fini). It borrows the text and tokens
 * passed to referent_prepare until the next call. */
#ifndef EVALBIAS_REFERENT_H
#define EVALBIAS_REFERENT_H

#include <stddef.h>
#include <stdint.h>

#include "tokenize.h"

enum referent_kind {
    REF_RESIDENT = 0, /* counted */
    REF_OTHER = 1,    /* describes someone else: kept apart */
    REF_QUOTED = 2,   /* inside quotation or reported speech: kept apart */
};

/* Why: for REF_OTHER the kind of person ("patient", "relative", "nurse",
 * "staff", "student", "colleague", "attending", "consultant", "team",
 * "evaluator"); for REF_QUOTED "quotation", "reported speech" or
 * "mention"; "" for the resident. Static strings. */
struct referent {
    enum referent_kind kind;
    const char *why;
};

struct referent_tok; /* per-token facts (referent.c) */

struct referent_ctx {
    const char *s;
    const struct tokens *tk;
    struct referent_tok *t;
    size_t cap;
};

void referent_init(struct referent_ctx *c);
void referent_fini(struct referent_ctx *c);

/* Analyse normalized text s[0..len) with its tokens tk. */
void referent_prepare(struct referent_ctx *c, const char *s, size_t len,
                      const struct tokens *tk);

/* The value referent_prepare looks up for a token that spells w[0..n) (an
 * opaque word class, 0 for most words): a pure function of the word, so a
 * caller that already looks every word up once (match.c's word cache)
 * can keep it per word and spare referent_prepare its own probe. */
uint32_t referent_word_class(const char *w, size_t n);

/* referent_prepare, with cls[i] = referent_word_class() of token i's
 * word given (cls == NULL: looked up here). The result is the same. */
void referent_prepare_classes(struct referent_ctx *c, const char *s,
                              size_t len, const struct tokens *tk,
                              const uint32_t *cls);

/* Whom the hit on tokens [tfirst, tend) describes. tend == tfirst (a regex
 * match covering no word) is judged at tfirst. */
struct referent referent_of(const struct referent_ctx *c, size_t tfirst,
                            size_t tend);

/* "other:patient", "quoted:quotation" ... or "" for the resident: the
 * excerpts.csv spelling. Writes at most n bytes (NUL included). */
void referent_label(const struct referent *r, char *buf, size_t n);

#endif
