/* lexicon_import.h - dictionaries in other tools' formats -> an evalbias CSV
 * lexicon (`evalbias lexicon import`).
 *
 *   LIWC (.dic): a category block between two lines holding only '%',
 *   one category per line ("125<TAB>posemo", an optional third field is
 *   kept as its label), then one entry per line: the term, then the
 *   numeric codes of its categories, separated by tabs or spaces
 *   ("abandon*<TAB>125<TAB>127"). With tabs, a term may hold spaces (a
 *   phrase). A trailing '*' is a stem, as in evalbias. Conditional
 *   entries of the older dictionaries ("like<TAB>(02 134)125/464") depend
 *   on the neighbouring words, which evalbias cannot express: they are
 *   refused at their file:line:col, as are unknown codes.
 *
 *   quanteda YAML (read with libyaml): a mapping whose keys are
 *   categories and whose values are lists of terms (a single term may be
 *   a plain string); a value that is itself a mapping holds
 *   subcategories, whose ids are the keys joined with '.'
 *   ("emotion.positive"), since '/' already separates lexicon and
 *   category. Glob characters other than a trailing '*' are refused where
 *   they stand.
 *
 * Every term is checked with the lexicon loader's own parser, so what
 * imports loads. A (category, term) pair given twice is kept once, with a
 * warning. A term in several categories cannot be kept as it is: within
 * one evalbias lexicon a span counts in one category only, and `lexicon
 * lint` calls the second an error. By default that is an error naming
 * both lines; with IMPORT_OVERLAP_FIRST the first category keeps the term
 * and each other pair becomes a warning and a comment row in the output,
 * so every pair of the dictionary is accounted for.
 *
 * Columns in diagnostics are 1-based bytes for LIWC, characters for YAML
 * (libyaml's marks). Nothing here prints: errors go to a struct diag,
 * warnings to a struct diags.
 *
 * Ownership: struct dict is embedded by the caller and freed with
 * dict_fini; its strings belong to it. */
#ifndef EVALBIAS_LEXICON_IMPORT_H
#define EVALBIAS_LEXICON_IMPORT_H

#include <stddef.h>

#include "diag.h"
#include "util.h"

enum dict_format { DICT_LIWC, DICT_YAML };

struct dict_category {
    char *id;             /* LIWC: the name; YAML: keys joined with '.' */
    char *label;          /* LIWC: the optional third field (a human
                             name); else "": the id is the label */
    char *code;           /* LIWC: the numeric code; YAML: NULL */
    unsigned long line;
};

struct dict_pair {
    size_t category;      /* index into cats */
    char *term;           /* as written, trimmed */
    unsigned long line, col;
    int dropped;          /* 1: kept out of the lexicon (see note) */
    char *note;           /* why it was dropped; NULL when kept */
};

struct dict {
    enum dict_format format;
    char *name;           /* the file's base name */
    char sha256[65];      /* of the file's bytes */
    struct dict_category *cats;
    size_t ncats, cats_cap;
    struct dict_pair *pairs;  /* in file order */
    size_t npairs, pairs_cap;
};

enum import_overlap { IMPORT_OVERLAP_ERROR, IMPORT_OVERLAP_FIRST };

/* Read path into d (zeroed by the call). Returns 0, or -1 with err filled
 * ("file:line:col: error: ..."); warnings (a category with no terms, which
 * is left out) go to warn. */
int dict_read(struct dict *d, enum dict_format format, const char *path,
              struct diag *err, struct diags *warn);

/* Check every term with the lexicon loader's parser and settle pairs
 * given twice and terms in several categories (see above). Returns 0, or
 * -1 with err filled; warnings to warn. path is the file's name in
 * messages. */
int dict_check(struct dict *d, const char *path, enum import_overlap overlap,
               struct diag *err, struct diags *warn);

/* Lexicon metadata for the output. name and version may be NULL (the
 * lexicon is then named after the output file, and lint warns of the
 * missing version). */
struct import_meta {
    const char *name, *version;
};

/* The CSV lexicon, in out: lexicon rows, then per category (dictionary
 * order) its label (LIWC's third field, else the id), summary,
 * direction "unspecified", and a source naming the imported file and
 * its SHA-256, then its entries in file order. Dropped pairs are
 * "# dropped" comment rows under their category; a category that keeps
 * no terms has only those. */
void dict_write_csv(const struct dict *d, const struct import_meta *meta,
                    struct buf *out);

void dict_fini(struct dict *d);

#endif
