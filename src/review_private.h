/* review_private.h - what review.c hands the page writer (review_page.c):
 * the packet's items, masked and ready to show. Not for other modules. */
#ifndef EVALBIAS_REVIEW_PRIVATE_H
#define EVALBIAS_REVIEW_PRIVATE_H

#include <stdio.h>

#include "review.h"

/* One item: a flagged span, with every lexicon row that matched it. */
struct rv_item {
    char id[16];                 /* E00001 ..., in shuffled order */
    char *lex, *cat, *term;      /* the rows' values, "; "-joined */
    char *column;                /* the text column */
    int negated;
    int gendered;                /* the span itself is gendered: cannot be
                                    blinded */
    char *a, *b, *c;             /* masked text before / span / after (b
                                    empty when the span was not located) */
    char *flagged;               /* the matched text, names masked */
    struct strvec key;           /* per row: evaluation_id, resident,
                                    column, lexicon, category, term,
                                    negated, start, end, span_id,
                                    referent, quoted (RV_KEYCOLS a row) */
    struct strvec cohorts;       /* the evaluation's cohort label per tally
                                    column (folded as the index folds) */
};

#define RV_KEYCOLS 12

/* One reviewer's packet: items[idx[0..n)] in id order. */
struct rv_packet {
    unsigned slot;               /* 1 .. reviewers */
    char reviewer[16];           /* "R1" */
    char id[17];                 /* 16 hex digits */
    size_t *idx, n;
};

/* What the page and the CSV say about blinding. */
struct rv_summary {
    size_t items;                /* items in all packets */
    size_t residents, evaluators, names; /* names masked, by source */
    size_t overlap;              /* items every reviewer judges */
    unsigned reviewers;
    uint64_t rows, total;        /* excerpt rows kept / in excerpts.csv */
    size_t max_excerpts;
    int keep_gendered, show_categories;
};

/* Write packet p's review.html to f. */
void review_page_write(FILE *f, const struct rv_item *items,
                       const struct rv_packet *p, const struct rv_summary *s);

#endif
