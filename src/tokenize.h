/* tokenize.h - words over normalized text (third stage of the pipeline);
 * sentences over the original text are in sentence.h.
 *
 * A word is a maximal run of letters, digits and combining marks (Unicode
 * categories L*, N*, M*), where a single apostrophe or hyphen BETWEEN two
 * such characters keeps the run together: "over-emotional" and "resident's"
 * are one word each; "--", a leading or trailing hyphen or apostrophe is not
 * part of a word. Word counts use this rule (tokens.nwords).
 *
 * Tokens are finer than words: a hyphenated word is one token per part
 * ("over", "emotional"), so that matching treats a hyphen like a space
 * ("soft-spoken" is the phrase "soft spoken", "too-assertive" the phrase
 * "too assertive") and no entry can swallow the other parts of a compound.
 * Every part carries TOK_HYPHEN; every part after the first carries
 * TOK_JOINED (it continues the word of the token before it). The hyphen is
 * ASCII '-' only: normalize() folds U+2010/U+2011 (and the hyphen-minus
 * variants) to it and turns the other dashes into spaces.
 *
 * Between two words the tokenizer notes a break (TOK_BREAK_BEFORE) when the
 * gap holds sentence or clause punctuation (. ! ? ; :) or a blank line; the
 * negation window, guards and phrases do not reach across a break. A single
 * line break is no break: a phrase matches across it, but not across a
 * blank line (a new paragraph).
 *
 * Ownership: struct tokens is embedded by the caller and reused across
 * fields; tokens_init/tokens_fini. Offsets are byte offsets into the text
 * that was tokenized. */
#ifndef EVALBIAS_TOKENIZE_H
#define EVALBIAS_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

enum token_flags {
    TOK_HYPHEN = 1,        /* a part of a hyphenated word */
    TOK_BREAK_BEFORE = 2,  /* sentence/clause punctuation before this word */
    TOK_JOINED = 4,        /* a part after the first: a hyphen before it */
};

struct token {
    uint32_t start, end;   /* byte offsets [start, end) */
    uint32_t flags;
};

struct tokens {
    struct token *v;
    size_t n, cap;
    size_t nwords;         /* words: tokens without TOK_JOINED */
};

void tokens_init(struct tokens *t);
void tokens_fini(struct tokens *t);

/* Tokenize s[0..len) (normalized UTF-8) into t, replacing its content. */
void tokenize(struct tokens *t, const char *s, size_t len);

/* tokenize() for ASCII text, with the same result: every byte of s[0..len)
 * is below 0x80 and s[len] == '\0' (the end is found without a bounds test
 * per byte). normalize() gives such text when it sets nt->ascii. */
void tokenize_ascii(struct tokens *t, const char *s, size_t len);

#endif
