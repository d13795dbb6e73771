/* cmd_lexicon_diff.c - `evalbias lexicon diff OLD NEW --corpus FILE.csv`:
 * what a lexicon change does to a fixed corpus.
 *
 *   reader -> (per text column) scan_text -> scan_match with OLD
 *                                         -> scan_match with NEW
 *          -> the hits found by one set only -> scan_excerpt -> CSV rows
 *
 * Both sets see the same normalized text, so their hits compare by offsets
 * plus lexicon, category and term names (the entry indexes of two sets mean
 * nothing to each other). Rows are selected as audit selects them, so the
 * diff is about the text an audit would read. Dispatched by cmd_lexicon. */
#include "cmd.h"
#include "cli.h"
#include "columns.h"
#include "hashmap.h"
#include "lexicon.h"
#include "lexicon_out.h"
#include "match.h"
#include "outfile.h"
#include "reader.h"
#include "scan.h"
#include "report.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static int usage_error(const struct cli_command *cmd, const char *msg)
{
    fprintf(stderr, "evalbias: error: %s\n"
                    "Try 'evalbias %s --help' for more information.\n",
            msg, cmd->name);
    return EXIT_USAGE;
}

enum {
    OPT_CORPUS = 1, OPT_TEXT, OPT_COHORT, OPT_ID, OPT_RESIDENT, OPT_OUTPUT,
    OPT_FAIL, OPT_QUIET, OPT_FORMAT,
};

static const struct cli_option diff_options[] = {
    {OPT_CORPUS, "corpus", 0, "FILE.csv",
     "the fixed corpus of evaluations to run both sets over\n(required)",
     "Input"},
    {OPT_TEXT, "text", 0, "COLS",
     "comment columns, comma-separated header names\n"
     "(repeatable; default: guessed, as audit does)", "Columns"},
    {OPT_ID, "id", 0, "COL", "evaluation id column (default: guessed, else "
     "the row number)", "Columns"},
    {OPT_RESIDENT, "resident", 0, "COL",
     "resident column (default: guessed); rows with a blank\n"
     "resident are skipped, as audit skips them", "Columns"},
    {OPT_COHORT, "cohort", 0, "COL",
     "accepted so audit's column options can be reused; the\n"
     "column must exist but does not change the diff", "Columns"},
    {OPT_OUTPUT, "output", 'o', "FILE", "write the changed excerpts to FILE "
     "instead of stdout", "Output"},
    {OPT_FORMAT, "format", 0, "FMT",
     "csv (default): the rows below; json: one document with\n"
     "the changes, the totals and the changed terms (README:\n"
     "\"JSON output\")", "Output"},
    {OPT_FAIL, "fail-on-change", 0, NULL,
     "exit 1 when any excerpt is added or dropped (a golden\ngate)",
     "Output"},
    {OPT_QUIET, "quiet", 'q', NULL, "no column mapping and no per-term "
     "table on stderr", "Output"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command diff_command = {
    "lexicon diff",
    "evalbias lexicon diff - what a lexicon change does to a fixed corpus",
    "evalbias lexicon diff [OPTIONS] OLD NEW --corpus FILE.csv",
    "Runs two lexicon sets (OLD and NEW: each a file or a directory) over\n"
    "the comment columns of one corpus, exactly as audit would, and writes\n"
    "the excerpts that differ as CSV (stdout, or -o FILE):\n"
    "  change,evaluation_id,column,lexicon,category,term,matched_text,\n"
    "  negated,start,end,excerpt\n"
    "where change is \"added\" (found with NEW only) or \"dropped\" (found\n"
    "with OLD only). A hit is the same in both when its offsets, lexicon,\n"
    "category, term and negation are. stderr gets the column mapping, the\n"
    "totals, and for every term whose counts changed its hits (negated\n"
    "hits apart) with OLD and with NEW.\n"
    "Exit codes: 0 success (changes or not); 1 changes with\n"
    "--fail-on-change; 2 usage or input error.",
    diff_options,
    "  evalbias lexicon diff old-lexicons/ lexicons/ --corpus "
    "samples/evaluations.csv\n"
    "  git worktree add /tmp/base origin/main\n"
    "  evalbias lexicon diff /tmp/base/lexicons lexicons/ \\\n"
    "      --corpus samples/evaluations.csv --fail-on-change -o diff.csv\n",
};

struct diff_settings {
    const char *old_path, *new_path, *corpus, *out_path;
    struct strvec text;
    const char *id, *resident, *cohort;
    int fail_on_change, quiet;
    enum lexout_format format;    /* LEXOUT_TEXT (CSV) or LEXOUT_JSON */
};

/* Hits of one term, with OLD and with NEW. */
struct term_count {
    char *lexicon, *category, *term;
    uint64_t hits[2], negated[2];
};

struct differ {
    struct diff_settings s;
    struct lexicon_set *set[2];   /* [0] OLD, [1] NEW */
    matcher *m[2];
    struct hits hits[2];
    struct scan sc;               /* the field, scanned once for both sets */
    struct column_map map;
    struct strvec header;
    struct strmap term_index;     /* "lexicon\x1fcategory\x1fterm" -> i */
    struct term_count *terms;
    size_t nterms, terms_cap;
    uint64_t added, dropped;
    unsigned long rows, fields;
    struct outfile out;
    struct diag err;
};

static int diff_args(struct diff_settings *s, int argc, char **argv)
{
    struct cli_parser cp;
    cli_init(&cp, &diff_command, argc - 1, argv + 1);
    const char *v;
    size_t npos = 0;
    for (int id; (id = cli_next(&cp, &v)) != CLI_END;) {
        switch (id) {
        case CLI_HELP: cli_print_help(stdout, &diff_command); return -1;
        case CLI_ERROR: return usage_error(&diff_command, cp.error);
        case CLI_POSITIONAL:
            if (npos == 0)
                s->old_path = v;
            else if (npos == 1)
                s->new_path = v;
            npos++;
            break;
        case OPT_CORPUS: s->corpus = v; break;
        case OPT_TEXT: strvec_push(&s->text, v); break;
        case OPT_ID: s->id = v; break;
        case OPT_RESIDENT: s->resident = v; break;
        case OPT_COHORT: s->cohort = v; break;
        case OPT_OUTPUT: s->out_path = v; break;
        case OPT_FAIL: s->fail_on_change = 1; break;
        case OPT_QUIET: s->quiet = 1; break;
        case OPT_FORMAT:
            if (strcmp(v, "csv") == 0)
                s->format = LEXOUT_TEXT;
            else if (lexout_parse(v, LEXOUT_BIT(LEXOUT_JSON), &s->format) < 0)
                return usage_error(&diff_command,
                                   "--format must be csv or json");
            break;
        }
    }
    if (npos != 2)
        return usage_error(&diff_command, "give two lexicon paths: OLD NEW");
    if (!s->corpus)
        return usage_error(&diff_command, "--corpus FILE.csv is required");
    return 0;
}

/* Column roles as audit resolves them (columns_resolve); the mapping is
 * said on stderr. */
static int diff_map_columns(struct differ *d)
{
    const char *cohort[1] = {d->s.cohort};
    struct column_request rq = {
        .text = (const char *const *)d->s.text.v, .ntext = d->s.text.n,
        .cohort = cohort, .ncohort = d->s.cohort ? 1 : 0,
        .id = d->s.id, .resident = d->s.resident, .file = d->s.corpus,
    };
    if (columns_resolve((const char *const *)d->header.v, d->header.n, &rq,
                        &d->map, &d->err) < 0)
        return -1;
    const struct column_map *m = &d->map;
    const char *id = m->id_name, *res = m->resident_name;
    if (!d->s.quiet) {
        fprintf(stderr, "evalbias: columns: text =");
        for (size_t i = 0; i < m->ntext; i++)
            fprintf(stderr, "%s \"%s\"", i ? "," : "",
                    d->header.v[m->text[i]]);
        fprintf(stderr, "%s; id = %s%s%s%s; resident = %s%s%s%s\n",
                m->text_guessed ? " (guessed)" : "",
                id ? "\"" : "", id ? id : "row number", id ? "\"" : "",
                m->id_guessed ? " (guessed)" : "",
                res ? "\"" : "", res ? res : "none", res ? "\"" : "",
                m->resident_guessed ? " (guessed)" : "");
    }
    return 0;
}

static struct term_count *term_of(struct differ *d, const struct lexicon_set *set,
                                  const struct lex_entry *e)
{
    const char *lex = set->lexicons[e->lexicon].name;
    const char *cat = set->categories[e->category].name;
    struct buf key;
    buf_init(&key);
    buf_printf(&key, "%s\x1f%s\x1f%s", lex, cat, e->term);
    int added;
    size_t i = *strmap_put(&d->term_index, key.p, key.len, d->nterms, &added);
    buf_fini(&key);
    if (added) {
        grow(&d->terms, &d->terms_cap, d->nterms + 1, sizeof *d->terms);
        struct term_count *t = &d->terms[d->nterms++];
        memset(t, 0, sizeof *t);
        t->lexicon = xstrdup(lex);
        t->category = xstrdup(cat);
        t->term = xstrdup(e->term);
    }
    return &d->terms[i];
}

static int same_hit(const struct differ *d, const struct hit *a,
                    const struct hit *b)
{
    const struct lex_entry *ea = &d->set[0]->entries[a->entry];
    const struct lex_entry *eb = &d->set[1]->entries[b->entry];
    return a->start == b->start && a->end == b->end &&
           a->negated == b->negated && strcmp(ea->term, eb->term) == 0 &&
           strcmp(d->set[0]->categories[ea->category].name,
                  d->set[1]->categories[eb->category].name) == 0 &&
           strcmp(d->set[0]->lexicons[ea->lexicon].name,
                  d->set[1]->lexicons[eb->lexicon].name) == 0;
}

/* One row of the CSV: hit h of side (0 OLD, 1 NEW) in field f. */
static void diff_row(struct differ *d, int side, const struct hit *h,
                     const char *id, const char *col)
{
    const struct lexicon_set *set = d->set[side];
    const struct lex_entry *e = &set->entries[h->entry];
    const struct excerpt *ex = scan_excerpt(&d->sc, h);
    struct diff_change c = {
        side, id, col, set->lexicons[e->lexicon].name,
        set->categories[e->category].name, e->term, ex->matched.p,
        ex->matched.len, h->negated, ex->start, ex->end, ex->text.p,
        ex->text.len,
    };
    lexout_diff_change(d->out.f, d->s.format, d->added + d->dropped, &c);
    if (side)
        d->added++;
    else
        d->dropped++;
}

/* Match one field with both sets; write the hits found by only one. Both
 * hit lists are ordered by start and disjoint, so one merge pass pairs
 * them; rows come out in order of start, as the excerpt cursor needs. */
static int diff_field(struct differ *d, const struct span *f, const char *id,
                      const char *col)
{
    scan_text(&d->sc, f->p, f->len);
    for (int side = 0; side < 2; side++) {
        if (scan_match(&d->sc, d->m[side], &d->hits[side], &d->err) < 0)
            return -1;
        for (size_t i = 0; i < d->hits[side].n; i++) {
            const struct hit *h = &d->hits[side].v[i];
            struct term_count *t =
                term_of(d, d->set[side], &d->set[side]->entries[h->entry]);
            if (h->negated)
                t->negated[side]++;
            else
                t->hits[side]++;
        }
    }
    const struct hits *a = &d->hits[0], *b = &d->hits[1];
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        const struct hit *x = i < a->n ? &a->v[i] : NULL;
        const struct hit *y = j < b->n ? &b->v[j] : NULL;
        if (x && y && same_hit(d, x, y)) {
            i++;
            j++;
            continue;
        }
        /* At one start, the OLD hit is listed (dropped) before the NEW. */
        if (x && (!y || x->start <= y->start)) {
            diff_row(d, 0, x, id, col);
            i++;
        } else {
            diff_row(d, 1, y, id, col);
            j++;
        }
    }
    return 0;
}

static int cmp_term(const void *a, const void *b)
{
    const struct term_count *x = a, *y = b;
    int c = strcmp(x->lexicon, y->lexicon);
    if (!c)
        c = strcmp(x->category, y->category);
    return c ? c : strcmp(x->term, y->term);
}

/* The end of the output: for JSON, the totals and the changed terms. */
static void diff_finish(struct differ *d)
{
    if (d->nterms > 1)
        qsort(d->terms, d->nterms, sizeof *d->terms, cmp_term);
    struct diff_term *t = xcalloc(d->nterms ? d->nterms : 1, sizeof *t);
    for (size_t i = 0; i < d->nterms; i++) {
        const struct term_count *c = &d->terms[i];
        t[i] = (struct diff_term){c->lexicon, c->category, c->term,
                                  {c->hits[0], c->hits[1]},
                                  {c->negated[0], c->negated[1]}};
    }
    struct diff_totals tot = {d->s.old_path, d->s.new_path, d->s.corpus,
                              d->rows, d->fields, d->added, d->dropped};
    lexout_diff_end(d->out.f, d->s.format, &tot, t, d->nterms);
    free(t);
}

static int diff_corpus(struct differ *d)
{
    struct reader_options ropt = {0};
    reader *r = reader_open(d->s.corpus, &ropt, &d->err);
    if (!r)
        return -1;
    for (size_t i = 0; i < reader_ncolumns(r); i++)
        strvec_push(&d->header, reader_column(r, i));
    int rc = diff_map_columns(d);
    if (rc == 0)
        rc = outfile_open(&d->out, d->s.out_path, &d->err);
    if (rc == 0)
        lexout_diff_begin(d->out.f, d->s.format);
    struct diags warn = {0};
    struct buf id;
    buf_init(&id);
    const struct record *rec;
    int st = READER_OK;
    while (rc == 0 && (st = reader_next(r, &rec, &d->err, &warn)) == READER_OK) {
        diags_flush(&warn, stderr);
        const struct span *fl = rec->fields;
        /* The rows audit analyses, so the diff is about the same text. */
        if (columns_record_kind(&d->map, fl) != RECORD_ANALYSE)
            continue;
        d->rows++;
        buf_clear(&id);
        if (d->map.id >= 0 && !columns_blank(&fl[d->map.id]))
            buf_append(&id, fl[d->map.id].p, fl[d->map.id].len);
        else
            buf_printf(&id, "%lu", rec->row);
        for (size_t i = 0; i < d->map.ntext && rc == 0; i++) {
            d->fields++;
            rc = diff_field(d, &fl[d->map.text[i]], buf_cstr(&id),
                            d->header.v[d->map.text[i]]);
        }
    }
    if (rc == 0 && st == READER_ERROR)
        rc = -1;
    if (rc == 0)
        diff_finish(d);
    diags_flush(&warn, stderr);
    diags_fini(&warn);
    buf_fini(&id);
    reader_free(r);
    if (d->out.f && outfile_close(&d->out, rc == 0, &d->err) < 0)
        rc = -1;
    return rc;
}

static void diff_summary(struct differ *d)
{
    fprintf(stderr, "evalbias: lexicon diff: %lu rows, %lu fields: %llu "
            "excerpts added, %llu dropped\n", d->rows, d->fields,
            (unsigned long long)d->added, (unsigned long long)d->dropped);
    int head = 0; /* terms sorted by diff_finish */
    for (size_t i = 0; i < d->nterms; i++) {
        const struct term_count *t = &d->terms[i];
        if (t->hits[0] == t->hits[1] && t->negated[0] == t->negated[1])
            continue;
        if (!head++)
            fputs("term (lexicon/category/term): hits OLD -> NEW (change); "
                  "negated hits OLD -> NEW\n", stderr);
        fprintf(stderr, "  %s/%s/%s: hits %llu -> %llu (%+lld); negated "
                "%llu -> %llu\n", t->lexicon, t->category, t->term,
                (unsigned long long)t->hits[0], (unsigned long long)t->hits[1],
                (long long)t->hits[1] - (long long)t->hits[0],
                (unsigned long long)t->negated[0],
                (unsigned long long)t->negated[1]);
    }
}

static void differ_fini(struct differ *d)
{
    for (int s = 0; s < 2; s++) {
        matcher_free(d->m[s]);
        lexicon_set_free(d->set[s]);
        hits_fini(&d->hits[s]);
    }
    scan_fini(&d->sc);
    column_map_fini(&d->map);
    strvec_fini(&d->header);
    strmap_fini(&d->term_index);
    for (size_t i = 0; i < d->nterms; i++) {
        free(d->terms[i].lexicon);
        free(d->terms[i].category);
        free(d->terms[i].term);
    }
    free(d->terms);
    strvec_fini(&d->s.text);
}

int cmd_lexicon_diff(int argc, char **argv)
{
    struct differ d;
    memset(&d, 0, sizeof d);
    int rc = diff_args(&d.s, argc, argv);
    if (rc != 0) {
        strvec_fini(&d.s.text);
        return rc < 0 ? EXIT_OK : rc;
    }
    scan_init(&d.sc);
    hits_init(&d.hits[0]);
    hits_init(&d.hits[1]);
    strmap_init(&d.term_index);
    const char *paths[2] = {d.s.old_path, d.s.new_path};
    for (int s = 0; s < 2 && rc == 0; s++) {
        d.set[s] = lexicon_set_new();
        rc = lexicon_set_load(d.set[s], paths[s], &d.err);
        if (rc == 0 && !(d.m[s] = matcher_new(d.set[s], &d.err)))
            rc = -1;
    }
    if (rc == 0)
        rc = diff_corpus(&d);
    if (rc == 0 && !d.s.quiet)
        diff_summary(&d);
    int changed = d.added || d.dropped;
    if (rc != 0)
        diag_print(stderr, &d.err);
    else if (changed && d.s.fail_on_change)
        fprintf(stderr, "evalbias: lexicon diff: %llu excerpts changed "
                "(--fail-on-change)\n",
                (unsigned long long)(d.added + d.dropped));
    differ_fini(&d);
    return rc != 0 ? EXIT_USAGE
         : changed && d.s.fail_on_change ? EXIT_CHECK_FAILED : EXIT_OK;
}
