/* lexicon_out.h - the output formats the `evalbias lexicon` commands share:
 * TAP and JUnit XML (test), JSON (lint, test, show, diff), and GitHub
 * workflow commands (lint, test). A sink: it writes to the FILE it is
 * given and knows nothing of argv; the commands choose the format.
 *
 * JSON documents have a fixed key order and no timestamps, so the same
 * lexicons give the same bytes; README.md, "JSON output",
 * documents every shape. Every document starts with "command" (e.g.
 * "lexicon lint") and "format_version" (1). A finding (a lint finding, a
 * load error) is always
 *     {"file": "...", "line": N, "col": N, "severity": "error"|"warning",
 *      "message": "..."}
 * with line and col 0 when not known, as in diag.h.
 *
 * GitHub workflow commands (what a runner turns into annotations on the
 * pull request's lines):
 *     ::error file=F,line=L,col=C::message
 *     ::warning file=F,line=L::message
 * line and col are left out when not known; '%', CR and LF are escaped in
 * the message, and ',' and ':' too in the properties, as the runner
 * expects. */
#ifndef EVALBIAS_LEXICON_OUT_H
#define EVALBIAS_LEXICON_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "json.h"
#include "lexicon.h"
#include "lexicon_lint.h"
#include "util.h"

enum lexout_format {
    LEXOUT_TEXT,   /* lint, show: lines for people; diff: CSV */
    LEXOUT_TAP,    /* test's default */
    LEXOUT_JUNIT,
    LEXOUT_JSON,
    LEXOUT_GITHUB,
};

#define LEXOUT_BIT(f) (1u << (f))

/* The format named s when it is among `allowed` (LEXOUT_BIT flags):
 * "text", "tap", "junit", "json", "github". Returns 0, or -1 when s is not
 * a format or not allowed. */
int lexout_parse(const char *s, unsigned allowed, enum lexout_format *fmt);

/* The finding object above, for d (strings through json.h). */
void lexout_json_finding(FILE *f, const struct diag *d);

/* One GitHub workflow command for d (error, or warning for anything
 * else), ending in a line break. */
void lexout_github(FILE *f, const struct diag *d);

/* ------------------------------------------------------------- lint */

/* {"command", "format_version", "files": [...], "findings": [finding...],
 *  "errors": N, "warnings": N} */
void lexout_lint_json(FILE *f, const struct strvec *files,
                      const struct lint_report *rep);

/* ------------------------------------------------------------- test */

/* One example's outcome; why is "" when it passed. */
struct example_outcome {
    const struct lex_example *x;
    int ok;
    char *why;
};

/* "lex.csv:42 emotional: match \"She was emotional.\"", in b; tap escapes
 * '#' too (it would start a TAP directive). */
const char *lexout_example_name(struct buf *b, const struct lexicon_set *set,
                                const struct lex_example *x, int tap);

/* The outcomes r[0..n) are in set->examples order (by lexicon). */
void lexout_test_tap(FILE *f, const struct lexicon_set *set,
                     const struct example_outcome *r, size_t n,
                     size_t failed);
/* JUnit XML: one testsuite per lexicon file, one testcase per example. */
void lexout_test_junit(FILE *f, const struct lexicon_set *set,
                       const struct example_outcome *r, size_t n,
                       size_t failed);
/* {"command", "format_version", "load_error": null, "examples":
 *  [{"file", "line", "lexicon", "category", "term", "kind", "sentence",
 *    "ok", "message"}...], "passed": N, "failed": N}
 * term is null for a clean example, category null for a lexicon-wide
 * one; message is "" when the example passed. */
void lexout_test_json(FILE *f, const struct lexicon_set *set,
                      const struct example_outcome *r, size_t n,
                      size_t failed);
/* An ::error for every failed example, then "N passed, N failed". */
void lexout_test_github(FILE *f, const struct lexicon_set *set,
                        const struct example_outcome *r, size_t n,
                        size_t failed);

/* When the lexicons do not load, the report still says so in the chosen
 * format: JUnit, one testsuite with one failing testcase carrying the
 * file:line:col message; JSON, "load_error": finding and no examples;
 * GitHub, one ::error; TAP, "1..0" and a "# file:line:col: error" line. */
void lexout_test_load_error(FILE *f, enum lexout_format fmt,
                            const struct diag *d);

/* ------------------------------------------------------------- show */

/* A category selector for `lexicon show --category`: the category's id,
 * or "lexicon/id". */
int lexout_category_selected(const struct lexicon_set *set, uint32_t c,
                             const char *sel);

/* Text: per lexicon its metadata and counts, per category its label,
 * summary, sources, then one line per entry: type, term, guards, examples.
 * JSON: {"command", "format_version", "lexicons": [{"name", "version",
 * "file", "sha256", "license", "description", "categories": [{"id",
 * "label", "summary", "description", "direction", "sources": [...],
 * "line", "entries": [{"type", "term", "line", "col", "guards_before":
 * [...], "guards_after": [...], "examples": N, "note"}...]}...]}...]}.
 * sel (NULL: all) keeps only the categories it selects, and the lexicons
 * that hold one. */
void lexout_show_text(FILE *f, const struct lexicon_set *set,
                      const char *sel);
void lexout_show_json(FILE *f, const struct lexicon_set *set,
                      const char *sel);

/* ------------------------------------------------------------- diff */

/* One excerpt a lexicon change adds or drops. */
struct diff_change {
    int added;                       /* 1 added (NEW only), 0 dropped */
    const char *id, *column, *lexicon, *category, *term;
    const char *matched;             /* the text as written */
    size_t matched_len;
    int negated;
    size_t start, end;               /* byte offsets in the field */
    const char *excerpt;
    size_t excerpt_len;
};

/* Hits of one term with OLD ([0]) and NEW ([1]). */
struct diff_term {
    const char *lexicon, *category, *term;
    uint64_t hits[2], negated[2];
};

struct diff_totals {
    const char *old_path, *new_path, *corpus;
    unsigned long rows, fields;
    uint64_t added, dropped;
};

/* CSV (LEXOUT_TEXT): the header row, one row per change, nothing at the
 * end. JSON: {"command", "format_version", "changes": [{"change",
 * "evaluation_id", "column", "lexicon", "category", "term",
 * "matched_text", "negated", "start", "end", "excerpt"}...], "old", "new",
 * "corpus", "rows", "fields", "added", "dropped", "terms": [{"lexicon",
 * "category", "term", "old_hits", "new_hits", "old_negated",
 * "new_negated"}...]}, where terms lists the terms whose counts changed.
 * Changes stream as they are found; begin, change..., end. */
void lexout_diff_begin(FILE *f, enum lexout_format fmt);
void lexout_diff_change(FILE *f, enum lexout_format fmt, size_t index,
                        const struct diff_change *c);
void lexout_diff_end(FILE *f, enum lexout_format fmt,
                     const struct diff_totals *t,
                     const struct diff_term *terms, size_t nterms);

#endif
