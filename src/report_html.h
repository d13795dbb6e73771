/* report_html.h - what the parts of report.html share (internal to
 * report_html.c, report_html_excerpts.c and report_html_assets.c; the
 * public entry point is report_html_write in report.h). */
#ifndef EVALBIAS_REPORT_HTML_H
#define EVALBIAS_REPORT_HTML_H

#include <stdio.h>

#include "compare.h"
#include "diag.h"
#include "lexicon.h"
#include "report.h"
#include "tally.h"

struct html_report {
    FILE *f;
    const struct run_info *ri;
    const tally *t;
    const struct lexicon_set *set;
    const struct strvec *cols;        /* cohort column names, tally order */
    const struct comparisons *cmp;
    const char *excerpts_path;        /* excerpts.csv, or NULL */
    struct excerpt_index *xi;         /* its kept rows (excerpt_file.h), or NULL */
};

/* Up to this many excerpts they are markup, every category open: readable
 * and printable without JavaScript. Above it each category is a collapsed
 * <details> whose excerpts travel as a compact data block that the script
 * renders when it is opened (raw text parses several times faster than
 * markup: see README, "The HTML report"), so a 50,000-excerpt page opens
 * quickly. */
#define HTML_INLINE_EXCERPTS 5000

/* The page's stylesheet and its one script (report_html_assets.c). The
 * script sorts tables, filters excerpts and renders lazily carried ones;
 * it never inserts evaluation text as markup (textContent only). */
extern const char report_html_css[];
extern const char report_html_script[];

/* Category g as a reader sees it. With a label: the label, with the id
 * ("lexicon / category") in a title attribute, or also in small print when
 * id_small is set (headings). Without one: the id, as before labels. */
void html_category(FILE *f, const struct lexicon_set *set, size_t g,
                   int id_small);

/* Shared cell and text helpers (report_html.c). */
void html_ratio_text(char *s, size_t n, const struct comparisons *cmp,
                     const struct comparison *c);   /* "0.59 (0.43-0.80) *" */
void html_td_num(FILE *f, int decimals, double v);  /* -1: a q-value */
void html_td_str(FILE *f, const char *s);
void html_th_str(FILE *f, const char *cls, const char *s);
void html_cat_plain(char *s, size_t n, const struct lexicon_set *set,
                    size_t g);                      /* label, else id */

/* Charts leave out the "(blank)" cohort (no value in the cohort column):
 * it is in the tables and CSVs, but it is not a group anyone compares. */
int html_chart_cohort(const struct html_report *h, size_t col, size_t k);

/* The answer first (report_html_findings.c): one plain-language paragraph
 * per compared cohort, the findings table and why an interval excluding 1
 * may not be a finding; then the overview forest plot of every category
 * across comparisons, with its text alternative as a table. */
void html_findings_section(const struct html_report *h);
void html_overview_section(const struct html_report *h);

/* The "Flagged excerpts" section with its filter form. Returns 0, or -1
 * with err filled when a row the index did not hold cannot be read back
 * from excerpts.csv. */
int html_excerpts_section(const struct html_report *h, struct diag *err);

/* Append s[0..n) to b as text of an excerpt data block (one line of a
 * <script type="text/plain">): backslash, TAB, LF, CR and '<' written \\
 * \t \n \r \l, other bytes below 0x20 as U+FFFD, the rest as is. */
struct buf;
void html_data_text(struct buf *b, const char *s, size_t n);

#endif
