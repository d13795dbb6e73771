/* lexicon.h - lexicon files -> a validated, normalized set of entries.
 *
 * A lexicon set holds one or more lexicons; each lexicon has categories; each
 * category has entries. Entries are normalized exactly as field text is
 * (normalize.h), so matching compares like with like.
 *
 * Formats read by lexicon_set_load (a file, or a directory whose *.txt and
 * *.csv files are loaded in byte order of their names):
 *
 *   Plain word list (*.txt): one entry per line; '#' starts a comment line;
 *   blank lines are ignored. The lexicon AND the category are the file's name
 *   without its extension. A line is
 *       bossy              a word
 *       too assertive      several words: a phrase (matches across line
 *                          breaks and runs of white space)
 *       emotion*           a trailing '*' marks a stem (prefix match); the
 *                          last word of a phrase may be a stem too
 *       /not (a )?team player/   a PCRE2 pattern between slashes, matched
 *                          against normalized (case-folded) text
 *   Header comments "# version: X", "# description: ...", "# source: ...",
 *   "# label: ...", "# summary: ..." set the lexicon's (and its one
 *   category's) metadata.
 *
 *   CSV lexicon (*.csv), for spreadsheets and CI (lexicon_csv.c): UTF-8 (a
 *   BOM is allowed), RFC 4180, header row exactly type,category,term,value,
 *   then one row per fact:
 *       lexicon,,name|version|description|license,<text>
 *       category,<cat>,label|summary|description|direction|source,<text>
 *                                              (source repeats)
 *       entry,<cat>,<term>,<optional note>     term as in a word list above
 *       guard_before,<cat>,<term>,<words>      guard_after likewise
 *       match,<cat>,<term>,<sentence>          must give a hit of the entry
 *       negated,<cat>,<term>,<sentence>        must give a negated hit of it
 *       nomatch,<cat>,<term>,<sentence>        must give no hit of it
 *       clean,[<cat>],,<sentence>              no hit from the lexicon (or
 *                                              from the category, if given)
 *   Guard and example rows name an entry declared above them in the same
 *   file. A row whose type starts with '#' is a comment; an empty row is
 *   skipped. The lexicon's name defaults to the file's name without its
 *   extension; a category is created by the first row that names it.
 *
 * Errors are "file:line:col: error: ..." in the diag and never crash: an
 * empty entry, a '*' inside a word, an unterminated /pattern, a term with no
 * word characters, invalid UTF-8.
 *
 * Ownership: lexicon_set_new returns a set the caller frees with
 * lexicon_set_free; all strings inside belong to the set. */
#ifndef EVALBIAS_LEXICON_H
#define EVALBIAS_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "util.h"

enum entry_kind {
    ENTRY_WORD,   /* one word */
    ENTRY_PHRASE, /* several words in sequence */
    ENTRY_STEM,   /* word or phrase whose last word is a prefix ("emotion*") */
    ENTRY_REGEX,  /* PCRE2 pattern */
};

/* A sequence of normalized words, each either exact or a stem (prefix). Used
 * for entries and for guards. */
struct wordseq {
    char **words;       /* normalized, no '*' */
    uint8_t *is_stem;   /* is_stem[i]: words[i] matches as a prefix */
    size_t n;
    uint8_t own;        /* a guard of its entry alone (own_guard_* rows),
                           not pooled with the word's shared senses */
};

struct lex_entry {
    char *term;             /* as written in the file, e.g. "emotion*" */
    enum entry_kind kind;
    struct wordseq seq;     /* for WORD, PHRASE, STEM */
    char *regex;            /* for REGEX: the pattern source */
    uint32_t category;      /* index into set->categories */
    uint32_t lexicon;       /* index into set->lexicons */
    /* Guards: a hit is cancelled when one of these sequences ends just
     * before it (within guard_window words) or starts just after it. */
    struct wordseq *guard_before;
    size_t nguard_before;
    struct wordseq *guard_after;
    size_t nguard_after;
    const char *file;       /* borrowed from set->lexicons[lexicon].path */
    unsigned long line, col;/* where the entry is defined */
    char *note;             /* free text from the file; "" when none */
    char *display;          /* how reports name it, or NULL: the term */
};

/* The entry's name for people: its display name, else its term. Data
 * files (rates.csv, comparisons.csv, tallies) always key on the term. */
const char *lex_entry_name(const struct lex_entry *e);

struct lex_category {
    char *name;             /* the id: what tallies, CSVs and diffs key on */
    char *label;            /* human name ("Agentic descriptors"); "" when
                               not given: show lex_category_title() */
    char *summary;          /* one line saying what it counts; "" when none */
    char *description;      /* "" when not given */
    char *direction;        /* "" when not given */
    struct strvec sources;  /* full citations */
    uint32_t lexicon;
    unsigned long line;     /* first row naming it; 0 when not from a file */
    /* Category keys (lexicon_format.h): referent=exempt keeps hits that
     * describe someone else counted (personal_life: "her husband" is about
     * the resident's life); negation=deficit counts negated forms (a lack
     * of confidence is the finding). */
    uint8_t referent_exempt;
    uint8_t negation_deficit;
};

/* Sentences a lexicon file says must (not) match, run by `lexicon test`. */
enum example_kind {
    EXAMPLE_MATCH,    /* a non-negated hit of `entry` */
    EXAMPLE_NEGATED,  /* a negated hit of `entry` */
    EXAMPLE_NOMATCH,  /* no counted hit of `entry`, negated or not (a hit
                         set aside as about another or quoted is not
                         counted, so it does not break the example) */
    EXAMPLE_CLEAN,    /* no hit at all from `lexicon` (or `category`) */
    EXAMPLE_OTHER,    /* a hit of `entry` set aside: about someone else or
                         quoted (referent.h) */
};

#define LEX_NONE UINT32_MAX /* "no entry" / "any category" */

/* Limits, so that a lexicon (a pull request, a download) cannot exhaust a
 * machine: a lexicon file over LEXICON_MAX_BYTES is refused while it is
 * read, and an entry past LEXICON_MAX_ENTRIES (over all lexicons of a
 * run) is a file:line error. The shipped lexicons are a few kilobytes and a
 * few hundred entries. Every command that loads lexicons (audit, lexicon
 * test/lint/show/diff) applies them. */
#define LEXICON_MAX_BYTES (4u << 20)    /* 4 MiB per file */
#define LEXICON_MAX_ENTRIES 100000u

struct lex_example {
    enum example_kind kind;
    char *text;             /* the sentence as written */
    uint32_t lexicon;
    uint32_t entry;         /* LEX_NONE for EXAMPLE_CLEAN */
    uint32_t category;      /* CLEAN: the category, or LEX_NONE for all */
    unsigned long line;     /* the row's line in lexicons[lexicon].path */
};

struct lex_info {
    char *name;
    char *version;          /* "" when not given */
    char *description;
    char *license;
    char *path;             /* as given on the command line (joined) */
    char sha256[65];        /* of the file's bytes, lower-case hex */
};

struct lexicon_set {
    struct lex_info *lexicons;
    size_t nlexicons;
    struct lex_category *categories;
    size_t ncategories;
    struct lex_entry *entries;
    size_t nentries;
    struct lex_example *examples; /* in file order */
    size_t nexamples;
    unsigned guard_window;  /* words between a guard and the hit; default 2 */
};

struct lexicon_set *lexicon_set_new(void);
void lexicon_set_free(struct lexicon_set *set);

/* Load a file or a directory into set. Returns 0, or -1 with err filled
 * ("file:line:col: error"). On error the set may hold part of the input;
 * free it. */
int lexicon_set_load(struct lexicon_set *set, const char *path,
                     struct diag *err);

/* The files lexicon_set_load(path) reads, appended to files in that order:
 * path itself, or a directory's *.txt and *.csv files (not hidden ones) in
 * byte order of their names. Returns 0, or -1 with err filled (cannot open;
 * a directory with no lexicon files). */
int lexicon_files(const char *path, struct strvec *files, struct diag *err);

/* Parse a one-line term ("too assertive", "emotion*") into a normalized word
 * sequence. Returns 0, or -1 with a message in err_msg (size n) and the
 * 0-based byte column of the problem in *err_col. */
int wordseq_parse(struct wordseq *seq, const char *term, size_t len,
                  char *err_msg, size_t n, size_t *err_col);
void wordseq_fini(struct wordseq *seq);

/* Add things programmatically (used by the loader and by tests). Return the
 * new index. Strings are copied. */
uint32_t lexicon_set_add_lexicon(struct lexicon_set *set, const char *name,
                                 const char *path);
uint32_t lexicon_set_add_category(struct lexicon_set *set, uint32_t lexicon,
                                  const char *name);
/* The entry is zero-initialised apart from term, kind, category, lexicon;
 * the caller fills seq/regex/guards. */
struct lex_entry *lexicon_set_add_entry(struct lexicon_set *set,
                                        uint32_t category, const char *term);
/* entry and category start as LEX_NONE, line as 0; text is copied. */
struct lex_example *lexicon_set_add_example(struct lexicon_set *set,
                                            enum example_kind kind,
                                            uint32_t lexicon,
                                            const char *text);

/* What to call a category in front of a reader: its label, or its id
 * when it has none. */
const char *lex_category_title(const struct lex_category *c);

/* "match", "negated", "nomatch", "clean": the row type of an example. */
const char *example_kind_name(enum example_kind kind);

#endif
