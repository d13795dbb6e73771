/* lexicon_format.h - what lexicon.c shares with the format loaders in other
 * files (lexicon_csv.c). Not part of the lexicon module's interface: only
 * lexicon*.c include it.
 *
 * A format loader reads one file into the set: it adds one lexicon, its
 * categories, entries and examples, and returns 0, or -1 with err filled
 * ("file:line:col: error: ...").
 *
 * Category keys, as every format names them (CSV: category,<id>,KEY,text;
 * word list: "# KEY: text" in the header):
 *   label        the category's human name, what reports and the terminal
 *                show ("Agentic descriptors"); the id stays the key of
 *                every data file (rates.csv, tallies, diffs)
 *   summary      one line saying what the category counts, shown under
 *                the label
 *   description  the full account: what it captures and why
 *   direction    which way the literature says it leans ("unspecified"
 *                for imported dictionaries)
 *   source       a full citation; repeats
 *   referent     `exempt`: hits about someone else stay counted (the
 *                referent rule of referent.h does not apply): personal_life,
 *                where "her husband" is about the resident's life.
 *                `describes` (default) states the rule applies.
 *   negation     `deficit`: a negated form is a counted hit, not a negated
 *                one: confidence, voice_autonomy ("not yet confident",
 *                "does not speak up" are the finding). It holds for
 *                entries naming the lack too: "not hesitant", "without
 *                hesitation", "does not lack confidence" are remarks on
 *                the resident's confidence, and the category counts
 *                remarks, whichever way they lean. `counted`: the same
 *                effect, for categories where negation does not change
 *                what is mentioned (personal_life: "her pregnancy never got
 *                in the way"). `negated` (default) states the usual rule.
 * Each key but source is given at most once per category. `lexicon lint`
 * warns about a category with no label or summary.
 *
 * Guards (guard_before, guard_after) are pooled by spelling across the set:
 * senses.h. A display row (display,CAT,TERM,NAME) gives the entry a name
 * for people, which report.html shows instead of the term (a pattern's
 * "advice to be more or less X" rather than its regex); data files keep
 * the term. own_guard_before and own_guard_after rows are guards of their
 * entry alone (an evaluative sense of one category), never pooled.
 *
 * Examples (lexicon test): match needs a counted hit of the entry (not
 * negated, not set aside); negated a negated one; other one set aside by
 * the referent rule (about someone else, or quoted: referent.h). nomatch
 * needs no counted hit: a hit set aside is not counted, so it breaks no
 * nomatch, as it satisfies no match; a negated hit does break it. clean
 * needs no hit at all (set aside or not) from the lexicon or category. */
#ifndef EVALBIAS_LEXICON_FORMAT_H
#define EVALBIAS_LEXICON_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "lexicon.h"

/* The whole of a lexicon file in memory. */
struct lexfile {
    char *data;        /* every byte of the file (what the SHA-256 covers) */
    size_t size;
    const char *body;  /* data after a UTF-8 BOM, if any */
    size_t len;        /* bytes in body */
};

/* Read path into lf, or -1 with err filled (cannot open / read). The caller
 * frees lf->data. */
int lexfile_read(const char *path, struct lexfile *lf, struct diag *err);

/* 0 when body is valid UTF-8 without NUL bytes; otherwise -1 with err naming
 * the line and byte column of the first bad byte. */
int lexfile_check_utf8(const char *path, const struct lexfile *lf,
                       struct diag *err);

/* The file's base name without its extension (the default lexicon name);
 * the caller frees it. */
char *lexfile_stem(const char *path);

/* Add the entry written as t[0..n) (already trimmed: a word, phrase, stem
 * or /regex/) to category cat. Returns the entry, or NULL with a message in
 * msg (size msgn) and *err_off set to the 0-based byte offset in t of the
 * problem. A /regex/ is not compiled here. */
struct lex_entry *lexicon_add_term(struct lexicon_set *set, uint32_t cat,
                                   const char *t, size_t n, char *msg,
                                   size_t msgn, size_t *err_off);

/* The CSV format (lexicon_csv.c). */
int lexicon_load_csv(struct lexicon_set *set, const char *path,
                     struct diag *err);

#endif
