/* report_svg.h - the report's charts as inline SVG, drawn from plain
 * numbers (no charting library, no script): a horizontal bar chart with
 * interval bars, and a forest plot on a log axis.
 *
 * Each chart is one <svg role="img"> with a <title> and a <desc> that
 * states every value in words, so a screen reader (or a printout's reader)
 * gets what the picture shows. Colour never carries meaning alone: a
 * significant estimate is a filled square *and* a "*" in its label.
 * Element classes the browser test counts: rect.bar (one per bar),
 * .pt (one per estimated ratio), line.ci (one per interval).
 *
 * Ownership: pointer arguments are borrowed; nothing is kept. */
#ifndef EVALBIAS_REPORT_SVG_H
#define EVALBIAS_REPORT_SVG_H

#include <stddef.h>
#include <stdio.h>

/* One bar: value with an optional interval [lo, hi]. Rows with a new
 * `group` (compared by pointer equality of content) get a group heading. */
struct svg_bar {
    const char *group;    /* e.g. the cohort column; may be NULL */
    const char *label;    /* e.g. the cohort */
    double value, lo, hi;
    int has_ci;
    const char *note;     /* shown after the value, e.g. "12 hits"; or NULL */
};

/* A bar chart of n bars; id must be unique in the page (used for the
 * title/desc ids); axis says what the values are. */
void svg_bars(FILE *f, const char *id, const char *title, const char *axis,
              const struct svg_bar *b, size_t n);

struct svg_forest_row {
    const char *group;
    const char *label;    /* e.g. "Male vs Female" */
    double est, lo, hi;   /* ratio and its interval, > 0 */
    int has_est;          /* 0: not estimable (the text says why) */
    int has_ci;
    int hi_inf;           /* upper bound is unbounded */
    int significant;      /* drawn filled, and "*" in the text */
    const char *text;     /* right-hand text, e.g. "0.59 (0.43-0.80)" */
};

/* A forest plot of ratios on a log2 axis with a reference line at 1. */
void svg_forest(FILE *f, const char *id, const char *title,
                const struct svg_forest_row *r, size_t n);

/* The same plot drawn for a phone (360 units wide: text stays >= 11 px
 * at a 390 px viewport): each row's label and value on a line above its
 * interval. The page shows one of the two by media query. */
void svg_forest_narrow(FILE *f, const char *id, const char *title,
                       const struct svg_forest_row *r, size_t n);

#endif
