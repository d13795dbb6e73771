/* cmd_merge.c - `evalbias merge`: add up the tally files of shards or of
 * programs (audit --tally-only, tally_file.h) and write the same results
 * as one audit over all their input would (results_write).
 *
 *   tally files -> tally_file_read -> tally_merge (in argument order)
 *              -> results_write: rates.csv, comparisons.csv, report.html,
 *                 manifest.json (with its parts), terminal summary
 *
 * Parts must have been made with the same lexicons (same SHA-256, same
 * entries) and the same cohort columns; the statistics options are given
 * here, not to the audits. This file wires; the counting is tally.c's. */
#include "cmd.h"
#include "cli.h"
#include "part_check.h"
#include "report.h"
#include "results.h"
#include "tally.h"
#include "tally_file.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum {
    OPT_OUTPUT = 1, OPT_QUIET, OPT_REFERENCE, OPT_MIN_RESIDENTS,
    OPT_CONFIDENCE, OPT_ROBUST, OPT_COMPARE_BLANK, OPT_CLUSTER, OPT_MIN_EVALUATORS
};

static const struct cli_option merge_options[] = {
    {OPT_REFERENCE, "reference", 0, "COHORT",
     "the cohort every other one is compared with\n"
     "(default: the one with the most residents, with a\n"
     "warning)", "Cohorts and statistics"},
    {OPT_COMPARE_BLANK, "compare-blank", 0, NULL,
     "also compare the \"(blank)\" cohort (rows without a\n"
     "cohort label; tallied either way)", "Cohorts and statistics"},
    {OPT_MIN_RESIDENTS, "min-residents", 0, "N",
     "suppress cohorts with fewer than N residents from\n"
     "every output (default 5)", "Cohorts and statistics"},
    {OPT_CONFIDENCE, "confidence", 0, "LEVEL",
     "confidence level of intervals (default 0.95)", "Cohorts and statistics"},
    {OPT_ROBUST, "robust", 0, "TYPE",
     "cluster-robust variance: cr2 (default; Bell-McCaffrey df),\n"
     "cr2-g2 (t on G-2) or cr1\n"
     "(G/(G-1), t on G-1, as most published work)", "Cohorts and statistics"},
    {OPT_CLUSTER, "cluster", 0, "unit|both",
     "unit (default): each column clustered by its unit (resident\n"
     "or evaluator); both: two-way by resident and evaluator",
     "Cohorts and statistics"},
    {OPT_MIN_EVALUATORS, "min-evaluators", 0, "N",
     "also suppress cohorts of evaluator-level columns with\n"
     "fewer than N evaluators (default 5)", "Cohorts and statistics"},
    {OPT_OUTPUT, "output", 'o', "DIR", "output folder (default: evalbias-out)",
     "Output"},
    {OPT_QUIET, "quiet", 'q', NULL, "no summary on stdout", "Output"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command merge_command = {
    "merge",
    "evalbias merge - add up the tallies of shards or programs into one result",
    "evalbias merge [OPTIONS] PART...",
    "Each PART is a folder written by 'evalbias audit --tally-only -o PART'\n"
    "(or its " TALLY_FILE_NAME " file). The tallies are added exactly, in the\n"
    "order given, and the output folder gets what one audit over all the\n"
    "parts' input would write: rates.csv, comparisons.csv, report.html (with\n"
    "no excerpts: tallies hold no text) and manifest.json, which lists the\n"
    "parts, their inputs and SHA-256s. Give the parts in input order: a\n"
    "cohort label spelled two ways is shown as the first part spells it.\n"
    "All parts must use the same lexicons and cohort columns. Statistics\n"
    "options (--reference, --min-residents, --confidence) belong here.\n"
    "Exit codes: 0 success; 2 usage error, or a part that cannot be read or\n"
    "does not match the first.",
    merge_options,
    "  evalbias merge parts/1 parts/2 parts/3 -o out/\n"
    "  evalbias merge $(ls -d parts/* | sort -V) -o out/\n",
};

struct merge_settings {
    struct strvec parts;
    const char *out_dir;
    struct compare_options copt;
    int quiet;
};

static int usage_error(const char *msg)
{
    fprintf(stderr, "evalbias: error: %s\n"
                    "Try 'evalbias merge --help' for more information.\n", msg);
    return EXIT_USAGE;
}

static int parse_args(struct merge_settings *s, int argc, char **argv)
{
    struct cli_parser p;
    cli_init(&p, &merge_command, argc - 1, argv + 1);
    s->out_dir = "evalbias-out";
    compare_options_default(&s->copt);
    const char *msg;
    const char *v;
    for (int id; (id = cli_next(&p, &v)) != CLI_END;) {
        switch (id) {
        case CLI_HELP: cli_print_help(stdout, &merge_command); return -1;
        case CLI_ERROR: return usage_error(p.error);
        case CLI_POSITIONAL: strvec_push(&s->parts, v); break;
        case OPT_REFERENCE:
        case OPT_COMPARE_BLANK:
        case OPT_ROBUST:
        case OPT_CLUSTER:
        case OPT_MIN_EVALUATORS:
        case OPT_MIN_RESIDENTS:
        case OPT_CONFIDENCE:
            if ((msg = compare_set_option(&s->copt, cli_option_name(p.cmd, id),
                                          v)))
                return usage_error(msg);
            break;
        case OPT_OUTPUT: s->out_dir = v; break;
        case OPT_QUIET: s->quiet = 1; break;
        }
    }
    if (s->parts.n == 0)
        return usage_error("no part given (folders written by 'evalbias audit --tally-only')");
    return 0;
}

/* ------------------------------------------------------- compatibility */

static int same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* A later part must count the same items in the same columns as the
 * first: same lexicons (by SHA-256 and content), same cohort columns, same
 * kind of cluster. Paths may differ (each program has its own). */
static int compatible(const struct tally_part *a, const struct tally_part *b,
                      struct diag *err)
{
    const struct lexicon_set *x = a->set, *y = b->set;
    const char *why = NULL;
    char detail[600] = "";
    if (x->nlexicons != y->nlexicons || x->ncategories != y->ncategories ||
        x->nentries != y->nentries) {
        why = "other lexicons";
        snprintf(detail, sizeof detail, "%zu lexicons, %zu categories, %zu "
                 "entries there; %zu, %zu, %zu in %s", y->nlexicons,
                 y->ncategories, y->nentries, x->nlexicons, x->ncategories,
                 x->nentries, a->path);
    }
    for (size_t i = 0; !why && i < x->nlexicons; i++)
        if (!same_str(x->lexicons[i].name, y->lexicons[i].name) ||
            !same_str(x->lexicons[i].sha256, y->lexicons[i].sha256) ||
            !same_str(x->lexicons[i].version, y->lexicons[i].version)) {
            why = "another lexicon file";
            snprintf(detail, sizeof detail, "lexicon %s version \"%s\" "
                     "SHA-256 %s; %s has %s \"%s\" %s",
                     y->lexicons[i].name, y->lexicons[i].version,
                     y->lexicons[i].sha256, a->path, x->lexicons[i].name,
                     x->lexicons[i].version, x->lexicons[i].sha256);
        }
    for (size_t g = 0; !why && g < x->ncategories; g++)
        if (!same_str(x->categories[g].name, y->categories[g].name) ||
            x->categories[g].lexicon != y->categories[g].lexicon)
            why = "other lexicon categories";
    for (size_t e = 0; !why && e < x->nentries; e++)
        if (!same_str(x->entries[e].term, y->entries[e].term) ||
            x->entries[e].category != y->entries[e].category)
            why = "other lexicon entries";
    if (!why && a->cols.n != b->cols.n)
        why = "another number of cohort columns";
    for (size_t c = 0; !why && c < a->cols.n; c++)
        if (!same_str(a->cols.v[c], b->cols.v[c])) {
            why = "other cohort columns";
            snprintf(detail, sizeof detail, "column %zu is \"%s\" there, "
                     "\"%s\" in %s; audit each part with the same --cohort "
                     "columns, in the same order", c + 1, b->cols.v[c],
                     a->cols.v[c], a->path);
        }
    if (!why && a->clusters != b->clusters) {
        why = "another kind of cluster";
        snprintf(detail, sizeof detail, "clusters are %s there, %s in %s",
                 tally_clusters_name(b->clusters),
                 tally_clusters_name(a->clusters), a->path);
    }
    /* Fine cells (tally format 6) must mean the same in every part. */
    if (!why && (!a->ri.evaluator_col != !b->ri.evaluator_col)) {
        why = "evaluator ids present in one part only";
        snprintf(detail, sizeof detail, "%s has no evaluator column; give "
                 "every part --evaluator, or none",
                 a->ri.evaluator_col ? b->path : a->path);
    }
    int same_strata = a->ri.strata_cols.n == b->ri.strata_cols.n &&
                      a->ri.adjust_cols.n == b->ri.adjust_cols.n;
    for (size_t i = 0; same_strata && i < a->ri.strata_cols.n; i++)
        same_strata = same_str(a->ri.strata_cols.v[i], b->ri.strata_cols.v[i]);
    for (size_t i = 0; same_strata && i < a->ri.adjust_cols.n; i++)
        same_strata = same_str(a->ri.adjust_cols.v[i], b->ri.adjust_cols.v[i]);
    if (!why && !same_strata) {
        why = "other --adjust columns";
        snprintf(detail, sizeof detail, "audit each part with the same "
                 "--adjust columns");
    }
    if (!why && !a->key_fingerprint[0] != !b->key_fingerprint[0]) {
        why = "residents named differently";
        snprintf(detail, sizeof detail, "%s has residents' names, the other "
                 "keyed pseudonyms (--id-key): give every part the same "
                 "--id-key, or none", a->key_fingerprint[0] ? b->path
                                                             : a->path);
    }
    if (!why)
        return 0;
    diag_set(err, DIAG_ERROR, b->path, 0, 0,
             "cannot merge: this part was made with %s than the first%s%s%s",
             why, detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
    return -1;
}

/* --------------------------------------------------------- run record */

/* Add part p's record (inputs, rows, skips, totals) to the merge's.
 * Returns 1 when a total would pass 2^64-1 (an error, never a wrap). */
static int add_run(struct run_info *ri, const struct tally_part *p)
{
    const struct run_info *q = &p->ri;
    size_t base = ri->ninputs;
    ri->inputs = xrealloc(ri->inputs,
                          (ri->ninputs + q->ninputs + 1) * sizeof *ri->inputs);
    for (size_t i = 0; i < q->ninputs; i++) {
        ri->inputs[base + i] = q->inputs[i];
        ri->inputs[base + i].path = xstrdup(q->inputs[i].path);
    }
    ri->ninputs += q->ninputs;
    int wrapped = ADD_OVERFLOWS(ri->rows_read, q->rows_read);
    wrapped |= ADD_OVERFLOWS(ri->rows_analysed, q->rows_analysed);
    wrapped |= ADD_OVERFLOWS(ri->rows_skipped, q->rows_skipped);
    /* Reasons in the order first seen, parts in order: as one run. */
    for (size_t k = 0; k < q->skip_reasons.n; k++) {
        size_t j;
        for (j = 0; j < ri->skip_reasons.n; j++)
            if (strcmp(ri->skip_reasons.v[j], q->skip_reasons.v[k]) == 0)
                break;
        if (j == ri->skip_reasons.n) {
            strvec_push(&ri->skip_reasons, q->skip_reasons.v[k]);
            ri->skip_reason_counts = xrealloc(
                ri->skip_reason_counts,
                ri->skip_reasons.n * sizeof *ri->skip_reason_counts);
            ri->skip_reason_counts[j] = 0;
        }
        wrapped |= ADD_OVERFLOWS(ri->skip_reason_counts[j],
                                 q->skip_reason_counts[k]);
    }
    for (size_t i = 0; i < q->nskips && ri->nskips < SKIP_LIST_MAX; i++) {
        grow(&ri->skips, &ri->skips_cap, ri->nskips + 1, sizeof *ri->skips);
        ri->skips[ri->nskips++] = (struct skip_info){
            .input = base + q->skips[i].input, .row = q->skips[i].row,
            .reason = xstrdup(q->skips[i].reason)};
    }
    wrapped |= ADD_OVERFLOWS(ri->words, q->words);
    wrapped |= ADD_OVERFLOWS(ri->evaluations, q->evaluations);
    wrapped |= ADD_OVERFLOWS(ri->rows_without_comment, q->rows_without_comment);
    wrapped |= ADD_OVERFLOWS(ri->hits, q->hits);
    wrapped |= ADD_OVERFLOWS(ri->negated, q->negated);
    wrapped |= ADD_OVERFLOWS(ri->other_referent, q->other_referent);
    wrapped |= ADD_OVERFLOWS(ri->quoted, q->quoted);
    return wrapped;
}

/* The first part's column mapping is the merge's. */
static void take_mapping(struct run_info *ri, const struct tally_part *p)
{
    const struct run_info *q = &p->ri;
    for (size_t i = 0; i < q->text_cols.n; i++)
        strvec_push(&ri->text_cols, q->text_cols.v[i]);
    for (size_t i = 0; i < q->cohort_cols.n; i++)
        strvec_push(&ri->cohort_cols, q->cohort_cols.v[i]);
    ri->text_guessed = q->text_guessed;
    ri->cohort_guessed = q->cohort_guessed;
    ri->id_col = q->id_col;
    ri->resident_col = q->resident_col;
    ri->id_guessed = q->id_guessed;
    ri->resident_guessed = q->resident_guessed;
    ri->cohort_map = q->cohort_map;
    ri->evaluator_col = q->evaluator_col;
    ri->evaluator_guessed = q->evaluator_guessed;
    for (size_t i = 0; i < q->adjust_cols.n; i++)
        strvec_push(&ri->adjust_cols, q->adjust_cols.v[i]);
    for (size_t i = 0; i < q->strata_cols.n; i++)
        strvec_push(&ri->strata_cols, q->strata_cols.v[i]);
    memcpy(ri->cohort_map_sha256, q->cohort_map_sha256,
           sizeof ri->cohort_map_sha256);
    ri->set = p->set;
}

/* ----------------------------------------------------------------- run */

struct merge {
    struct merge_settings s;
    struct run_info ri;
    struct tally_part first;     /* kept: its lexicons and names are used */
    int have_first;
    tally *t;
    labels *pl;                  /* the parts' per-person labels, added */
    struct strvec keys;          /* distinct key fingerprints */
    struct part_check doubles;   /* refuses a part counted twice */
    struct diag err;
};

#define OVERFLOW_MSG "a count of the sum would be larger than 2^64-1"

static int merge_part(struct merge *m, size_t i)
{
    struct tally_part part;
    struct tally_part *p = i == 0 ? &m->first : &part;
    if (tally_file_read(m->s.parts.v[i], p, &m->err) < 0)
        return -1;
    if (p->format < 3)
        fprintf(stderr, "evalbias merge: warning: %s is tally format %u, "
                "written before hits about others and quoted hits were kept "
                "apart: its counts include them (read as 0 set aside)\n",
                m->s.parts.v[i], p->format);
    int rc = 0;
    if (i == 0) {
        m->have_first = 1;
        size_t ne = p->set->nentries;
        uint32_t *cat = xmalloc((ne ? ne : 1) * sizeof *cat);
        for (size_t e = 0; e < ne; e++)
            cat[e] = p->set->entries[e].category;
        m->t = tally_new(p->cols.n, ne, cat, p->set->ncategories);
        free(cat);
        take_mapping(&m->ri, p);
        m->pl = labels_new(p->cols.n);
        for (size_t c = 0; c < p->ri.cohort_levels.n; c++)
            strvec_push(&m->ri.cohort_levels, p->ri.cohort_levels.v[c]);
    } else {
        rc = compatible(&m->first, p, &m->err);
    }
    if (rc == 0)
        rc = part_check_add(&m->doubles, p, &m->err);
    /* Row numbers repeat from part to part: keep them apart (clusters and
     * per-person labels). */
    char prefix[32];
    snprintf(prefix, sizeof prefix, "p%zu:", i + 1);
    int row = p->clusters == TALLY_CLUSTERS_ROW && m->s.parts.n > 1;
    if (rc == 0) {
        int mr = tally_merge(m->t, p->t, row ? prefix : NULL);
        if (mr < 0) {
            diag_set(&m->err, DIAG_ERROR, p->path, 0, 0, "cannot merge: %s",
                     mr == -2 ? OVERFLOW_MSG
                              : "the tally's shape differs from the first");
            rc = -1;
        }
    }
    if (rc == 0 && add_run(&m->ri, p)) {
        diag_set(&m->err, DIAG_ERROR, p->path, 0, 0, "cannot merge: %s",
                 OVERFLOW_MSG);
        rc = -1;
    }
    if (rc == 0) {
        if (p->pl)
            labels_merge(m->pl, p->pl, row ? prefix : NULL);
        run_info_add_part(&m->ri, p->path, p->sha256, p->ri.ninputs,
                          p->key_fingerprint);
        int seen = 0;
        for (size_t k = 0; k < m->keys.n; k++)
            seen |= strcmp(m->keys.v[k], p->key_fingerprint) == 0;
        if (!seen && p->key_fingerprint[0])
            strvec_push(&m->keys, p->key_fingerprint);
    }
    if (i != 0)
        tally_part_fini(p);
    return rc;
}

/* The output folder may not be one the merge reads (a part, or the
 * folder of a part's tally file): its set would replace that part. */
static outset *open_out_dir(struct merge *m)
{
    for (size_t i = 0; i < m->s.parts.n; i++)
        if (outset_holds(m->s.out_dir, m->s.parts.v[i])) {
            diag_set(&m->err, DIAG_ERROR, m->s.out_dir, 0, 0,
                     "the output folder is the part %s (or holds it): a "
                     "merge does not write into a folder it reads; choose "
                     "another folder (-o)", m->s.parts.v[i]);
            return NULL;
        }
    return outset_open(m->s.out_dir, &m->err);
}

int cmd_merge(int argc, char **argv)
{
    struct merge m;
    memset(&m, 0, sizeof m);
    part_check_init(&m.doubles);
    int rc = parse_args(&m.s, argc, argv);
    if (rc != 0) {
        strvec_fini(&m.s.parts);
        return rc < 0 ? EXIT_OK : rc;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    time_t wall = time(NULL);
    strftime(m.ri.started_at, sizeof m.ri.started_at, "%Y-%m-%dT%H:%M:%SZ",
             gmtime(&wall));
    m.ri.version = EVALBIAS_VERSION;
    m.ri.out_dir = m.s.out_dir;
    for (int i = 1; i < argc; i++)
        strvec_push(&m.ri.args, argv[i]);

    for (size_t i = 0; rc == 0 && i < m.s.parts.n; i++)
        rc = merge_part(&m, i);
    if (rc == 0 && m.keys.n > 1 && !m.s.quiet)
        fprintf(stderr, "evalbias: note: the parts use %zu different "
                "--id-key keys: a resident is one cluster only across parts "
                "that share a key (right for separate programs, wrong for "
                "shards of one export)\n", m.keys.n);
    if (m.keys.n == 1) /* every part under one key */
        m.ri.key_fingerprint = m.keys.v[0];
    outset *os = NULL;
    if (rc == 0 && !(os = open_out_dir(&m)))
        rc = -1;
    if (rc == 0) {
        /* Each part gave its persons one label from its own rows; the
         * added counts give the label one run over all of them would. */
        size_t nc = tally_ncohort_cols(m.t) + 1;
        m.ri.relabel_filled = xcalloc(nc, sizeof *m.ri.relabel_filled);
        m.ri.relabel_majority = xcalloc(nc, sizeof *m.ri.relabel_majority);
        m.ri.relabel_tie = xcalloc(nc, sizeof *m.ri.relabel_tie);
        labels_apply(m.pl, m.t, m.ri.relabel_filled, m.ri.relabel_majority,
                     m.ri.relabel_tie);
        tally_finish(m.t);
        struct results r = {
            .ri = &m.ri, .t = m.t, .set = m.first.set,
            .cohort_cols = &m.first.cols, .copt = m.s.copt,
            .out_dir = outset_dir(os), .os = os,
            .summary = m.s.quiet ? NULL : stdout,
            .t0 = (double)t0.tv_sec + (double)t0.tv_nsec / 1e9,
        };
        struct diags warn = {0};
        r.copt.warn = &warn;
        rc = results_write(&r, &m.err);
        diags_flush(&warn, stderr);
        diags_fini(&warn);
        if (rc == 0)
            rc = outset_publish(os, &m.err);
        else
            outset_abort(os);
    }
    if (rc != 0)
        diag_print(stderr, &m.err);
    /* ri borrows the first part's strings: release it first. */
    m.ri.id_col = m.ri.resident_col = m.ri.cohort_map = NULL;
    run_info_fini(&m.ri);
    tally_free(m.t);
    labels_free(m.pl);
    if (m.have_first)
        tally_part_fini(&m.first);
    strvec_fini(&m.keys);
    part_check_fini(&m.doubles);
    strvec_fini(&m.s.parts);
    return rc != 0 ? EXIT_USAGE : EXIT_OK;
}
