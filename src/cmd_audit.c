/* cmd_audit.c - `evalbias audit`: the whole pipeline, once over the input.
 *
 *   reader -> (per text column) normalize -> tokenize -> match -> excerpt
 *          -> tally -> rates.csv, manifest.json, terminal summary
 *
 * This file wires the stages and owns the run's settings; it holds no
 * matching, counting or formatting logic of its own. */
#include "cmd.h"
#include "cli.h"
#include "cohortmap.h"
#include "columns.h"
#include "excerpt.h"
#include "lexicon.h"
#include "match.h"
#include "normalize.h"
#include "outfile.h"
#include "pseudonym.h"
#include "reader.h"
#include "report.h"
#include "excerpt_file.h"
#include "results.h"
#include "review.h"
#include "sha256.h"
#include "tally.h"
#include "tally_file.h"
#include "tokenize.h"
#include "util.h"
#include "workers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
    OPT_TEXT = 1, OPT_COHORT, OPT_ID, OPT_RESIDENT, OPT_LEXICON, OPT_OUTPUT,
    OPT_ENCODING, OPT_BAD_ROW, OPT_STRICT, OPT_QUIET, OPT_REFERENCE,
    OPT_MIN_RESIDENTS, OPT_COHORT_MAP, OPT_CONFIDENCE, OPT_ROBUST,
    OPT_REVIEW, OPT_SEED, OPT_NAMES, OPT_EVALUATOR,
    OPT_TALLY_ONLY, OPT_ID_KEY, OPT_THREADS, OPT_COMPARE_BLANK,
};

#define MAX_THREADS 64
#define MAX_THREADS_STR "64"

static const struct cli_option audit_options[] = {
    {OPT_TEXT, "text", 0, "COLS",
     "comment columns to audit, comma-separated header names\n"
     "(repeatable; default: guessed from the header)", "Columns"},
    {OPT_COHORT, "cohort", 0, "COL",
     "a cohort column (e.g. \"Resident Gender\"); repeatable,\n"
     "each tallied separately (default: gender/sex columns)", "Columns"},
    {OPT_ID, "id", 0, "COL", "evaluation id column (default: guessed, else "
     "the row number)", "Columns"},
    {OPT_RESIDENT, "resident", 0, "COL",
     "resident column: the cluster for statistics\n(default: guessed, else "
     "each evaluation is its own cluster)", "Columns"},
    {OPT_COHORT_MAP, "cohort-map", 0, "FILE",
     "CSV with header label,cohort merging spellings (F,Female);\n"
     "labels it does not name stay their own cohort", "Cohorts and statistics"},
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
    {OPT_LEXICON, "lexicon", 'l', "PATH",
     "lexicon file or directory (repeatable; default: lexicons/)", "Lexicons"},
    {OPT_ENCODING, "encoding", 0, "ENC",
     "auto (default: UTF-8, else Windows-1252; UTF-16 by its BOM),\n"
     "utf-8 (strict), windows-1252, utf-16le, utf-16be", "Input"},
    {OPT_BAD_ROW, "on-bad-row", 0, "ACTION",
     "error (default) or skip: what a ragged row does; skipped\n"
     "rows are listed in the manifest", "Input"},
    {OPT_OUTPUT, "output", 'o', "DIR", "output folder (default: evalbias-out)",
     "Output"},
    {OPT_STRICT, "strict", 0, NULL, "exit 1 when any row was skipped", "Output"},
    {OPT_QUIET, "quiet", 'q', NULL, "no summary on stdout, no progress line",
     "Output"},
    {OPT_THREADS, "threads", 0, "N",
     "match on N threads (default 1); every output is the\n"
     "same, byte for byte, whatever N", "Performance"},
    {OPT_REVIEW, "review-packet", 0, NULL,
     "also write review.html, review.csv (blinded: names masked,\n"
     "no cohort, shuffled) and review-key.csv for a CCC", "Review packet"},
    {OPT_SEED, "seed", 0, "N", "shuffle seed of the review packet (default "
     "20240601)", "Review packet"},
    {OPT_NAMES, "names", 0, "FILE",
     "more names to mask in the review packet, one a line", "Review packet"},
    {OPT_EVALUATOR, "evaluator", 0, "COL",
     "evaluator column whose names are masked in the review\npacket "
     "(default: a column named Evaluator or Faculty)", "Review packet"},
    {OPT_TALLY_ONLY, "tally-only", 0, NULL,
     "write only the counts (" TALLY_FILE_NAME ") and manifest.json,\n"
     "no excerpts: for 'evalbias merge' of shards or programs", "Sharing tallies"},
    {OPT_ID_KEY, "id-key", 0, "FILE",
     "replace residents' names by keyed pseudonyms\n"
     "(HMAC-SHA-256 under the key in FILE) in every output", "Sharing tallies"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command audit_command = {
    "audit",
    "evalbias audit - count gendered language in evaluation comments, by cohort",
    "evalbias audit [OPTIONS] FILE.csv...",
    "Reads one or more CSV exports with the same header, matches the comment\n"
    "columns against the lexicons, and writes to the output folder:\n"
    "  rates.csv      per cohort column x cohort x lexicon x category x term:\n"
    "                 evaluations, residents, words, hits, negated hits,\n"
    "                 evaluations with a hit, rate per 1,000 words\n"
    "  comparisons.csv  each cohort against the reference: rate ratio with\n"
    "                 exact and resident-clustered intervals, prevalence\n"
    "                 difference, Fisher p, Benjamini-Hochberg q-value\n"
    "  excerpts.csv   one row per hit (negated ones too), with the sentence\n"
    "  manifest.json  inputs and their SHA-256, lexicon versions, column\n"
    "                 mapping, rows read / analysed / skipped with reasons\n"
    "  report.html    one self-contained page: charts, terms, every excerpt\n"
    "  review.*       with --review-packet: the excerpts blinded for a CCC\n"
    "Column options take header names exactly as written in the file.\n"
    "Cohorts with fewer than --min-residents residents appear in no output.\n"
    "Exit codes: 0 success; 1 rows were skipped under --strict; 2 usage or\n"
    "input error.",
    audit_options,
    "  evalbias audit samples/evaluations.csv\n"
    "  evalbias audit --text \"Strengths,Areas for Improvement\" \\\n"
    "      --cohort \"Resident Gender\" --id \"Evaluation ID\" \\\n"
    "      --resident \"Resident\" --lexicon lexicons/ -o out/ evals.csv\n",
};

struct settings {
    struct strvec text, cohort, lexicons, inputs;
    const char *id, *resident, *out_dir, *cohort_map;
    struct reader_options ropt;
    struct compare_options copt;
    int strict, quiet;
    const char *evaluator;          /* --evaluator COL */
    struct review_options review;   /* --review-packet, --seed, --names */
    int tally_only;                 /* --tally-only */
    const char *id_key;             /* --id-key FILE */
    unsigned threads;               /* --threads N (1: no thread started) */
};

/* The resolved column roles: indexes into the header. */
struct mapping {
    long *text;
    size_t ntext;
    long *cohort;
    size_t ncohort;
    long id, resident;     /* -1 when not used */
    long evaluator;        /* -1 unless the review packet masks it */
};

/* A record's tally hits. */
struct thv {
    struct tally_hit *v;
    size_t n, cap;
};

/* What one thread needs to analyse records: its own matcher (struct
 * matcher holds per-call scratch and PCRE2 match data) and work buffers,
 * reused, so there is no allocation per field. The main thread's is
 * struct audit's sc; each pool thread has one more (struct pass). */
struct scratch {
    matcher *m;
    struct normtext nt;
    struct tokens tok;
    struct hits hits;
    struct excerpt ex;
    struct excerpt_cursor cur;
    struct thv th;
    struct buf id_buf;
    char pseudonym[PSEUDONYM_LEN + 1];
};

struct pass; /* --threads N > 1: the batches and their threads */

struct audit {
    struct settings s;
    struct run_info ri;
    struct mapping map;
    struct lexicon_set *set;
    matcher *m;
    cohortmap *cmap;
    tally *t;
    struct outfile excerpts;
    int excerpts_open;
    excerpt_index *xi;        /* the excerpts report.html shows (excerpt_file.h) */
    struct scratch sc;        /* the main thread's (sc.m is m) */
    struct pass *pass;        /* NULL with --threads 1 */
    const char **cohort_vals;
    struct diags warn;
    struct diag err;
    struct strvec header;
    struct strvec rate_cols;  /* cohort columns, or "(all)" when none */
    time_t last_progress;
    struct pseudonym_key key;  /* --id-key; key.key NULL when not given */
};

static int usage_error(const char *msg)
{
    fprintf(stderr, "evalbias: error: %s\n"
                    "Try 'evalbias audit --help' for more information.\n", msg);
    return EXIT_USAGE;
}

static int parse_args(struct settings *s, int argc, char **argv)
{
    struct cli_parser p;
    cli_init(&p, &audit_command, argc - 1, argv + 1);
    s->out_dir = "evalbias-out";
    s->threads = 1;
    compare_options_default(&s->copt);
    review_options_init(&s->review);
    char *end;
    const char *msg;
    const char *v;
    int seed_given = 0;
    for (int id; (id = cli_next(&p, &v)) != CLI_END;) {
        switch (id) {
        case CLI_HELP: cli_print_help(stdout, &audit_command); return -1;
        case CLI_ERROR: return usage_error(p.error);
        case CLI_POSITIONAL: strvec_push(&s->inputs, v); break;
        case OPT_TEXT: strvec_push(&s->text, v); break;
        case OPT_COHORT: strvec_push(&s->cohort, v); break;
        case OPT_ID: s->id = v; break;
        case OPT_RESIDENT: s->resident = v; break;
        case OPT_LEXICON: strvec_push(&s->lexicons, v); break;
        case OPT_OUTPUT: s->out_dir = v; break;
        case OPT_STRICT: s->strict = 1; break;
        case OPT_QUIET: s->quiet = 1; break;
        case OPT_COHORT_MAP: s->cohort_map = v; break;
        case OPT_REVIEW: s->review.enabled = 1; break;
        case OPT_NAMES: s->review.names_file = v; break;
        case OPT_EVALUATOR: s->evaluator = v; break;
        case OPT_TALLY_ONLY: s->tally_only = 1; break;
        case OPT_ID_KEY: s->id_key = v; break;
        case OPT_THREADS: {
            unsigned long n = strtoul(v, &end, 10);
            if (*v == '-' || !*v || *end || n < 1 || n > MAX_THREADS)
                return usage_error("--threads takes a whole number from 1 to "
                                   MAX_THREADS_STR);
            s->threads = (unsigned)n;
            break;
        }
        case OPT_SEED:
            s->review.seed = strtoull(v, &end, 10);
            if (*v == '-' || !*v || *end)
                return usage_error("--seed takes a whole number");
            seed_given = 1;
            break;
        case OPT_REFERENCE: s->copt.reference = v; break;
        case OPT_COMPARE_BLANK: s->copt.compare_blank = 1; break;
        case OPT_MIN_RESIDENTS:
            if ((msg = compare_set_min_residents(&s->copt, v)))
                return usage_error(msg);
            break;
        case OPT_CONFIDENCE:
            if ((msg = compare_set_confidence(&s->copt, v)))
                return usage_error(msg);
            break;
        case OPT_ROBUST:
            if ((msg = compare_set_robust(&s->copt, v)))
                return usage_error(msg);
            break;
        case OPT_ENCODING:
            if (strcmp(v, "auto") == 0)
                s->ropt.encoding = READER_ENC_AUTO;
            else if (strcmp(v, "utf-8") == 0 || strcmp(v, "utf8") == 0)
                s->ropt.encoding = READER_ENC_UTF8;
            else if (strcmp(v, "windows-1252") == 0 || strcmp(v, "cp1252") == 0)
                s->ropt.encoding = READER_ENC_CP1252;
            else if (strcmp(v, "utf-16le") == 0)
                s->ropt.encoding = READER_ENC_UTF16LE;
            else if (strcmp(v, "utf-16be") == 0)
                s->ropt.encoding = READER_ENC_UTF16BE;
            else
                return usage_error("--encoding must be auto, utf-8, windows-1252, "
                                   "utf-16le or utf-16be");
            break;
        case OPT_BAD_ROW:
            if (strcmp(v, "error") == 0)
                s->ropt.on_bad_row = READER_BAD_ROW_ERROR;
            else if (strcmp(v, "skip") == 0)
                s->ropt.on_bad_row = READER_BAD_ROW_SKIP;
            else
                return usage_error("--on-bad-row must be error or skip");
            break;
        }
    }
    if (s->inputs.n == 0)
        return usage_error("no input file (give one or more CSV files, or - for stdin)");
    if (!s->review.enabled && (seed_given || s->review.names_file || s->evaluator))
        return usage_error("--seed, --names and --evaluator are options of "
                           "--review-packet");
    if (s->review.enabled && s->tally_only)
        return usage_error("--tally-only writes no excerpts, so no review packet");
    /* The packet masks residents' names, which --id-key replaces. */
    if (s->review.enabled && s->id_key)
        return usage_error("--id-key hides the residents' names the review "
                           "packet must mask; make the packet in a run "
                           "without it");
    if (s->lexicons.n == 0)
        strvec_push(&s->lexicons, "lexicons");
    return 0;
}

/* ------------------------------------------------------- column mapping */

static void print_mapping(const struct audit *a)
{
    const struct run_info *ri = &a->ri;
    fprintf(stderr, "evalbias: columns: text =");
    for (size_t i = 0; i < ri->text_cols.n; i++)
        fprintf(stderr, "%s \"%s\"", i ? "," : "", ri->text_cols.v[i]);
    fprintf(stderr, "%s; cohort =", ri->text_guessed ? " (guessed)" : "");
    for (size_t i = 0; i < ri->cohort_cols.n; i++)
        fprintf(stderr, "%s \"%s\"", i ? "," : "", ri->cohort_cols.v[i]);
    if (!ri->cohort_cols.n)
        fprintf(stderr, " (none)");
    fprintf(stderr, "%s; id = %s%s%s%s; resident = %s%s%s%s\n",
            ri->cohort_guessed ? " (guessed)" : "",
            ri->id_col ? "\"" : "", ri->id_col ? ri->id_col : "row number",
            ri->id_col ? "\"" : "", ri->id_guessed ? " (guessed)" : "",
            ri->resident_col ? "\"" : "",
            ri->resident_col ? ri->resident_col : "none: each evaluation is its own cluster",
            ri->resident_col ? "\"" : "", ri->resident_guessed ? " (guessed)" : "");
}

/* Resolve one named column, or -1 with a.err filled. */
static long find_col(struct audit *a, const char *name, const char *what)
{
    return columns_find((const char *const *)a->header.v, a->header.n, name,
                        what, a->s.inputs.v[0], &a->err);
}

/* --text values are comma-separated lists, unless a value is exactly one
 * header name (a column whose name holds a comma). */
static int map_text(struct audit *a)
{
    struct strvec names = {0};
    for (size_t i = 0; i < a->s.text.n; i++) {
        const char *v = a->s.text.v[i];
        int whole = 0;
        for (size_t j = 0; j < a->header.n; j++)
            whole |= strcmp(a->header.v[j], v) == 0;
        if (whole)
            strvec_push(&names, v);
        else
            columns_split(&names, v);
    }
    if (a->s.text.n == 0) {
        a->ri.text_guessed = 1;
        for (size_t j = 0; j < a->header.n; j++)
            if (columns_guess(a->header.v[j], ROLE_TEXT))
                strvec_push(&names, a->header.v[j]);
        if (names.n == 0) {
            diag_set(&a->err, DIAG_ERROR, a->s.inputs.v[0], 1, 0,
                     "no --text given and no comment-like column in the "
                     "header; run 'evalbias columns %s' and name the comment "
                     "columns with --text", a->s.inputs.v[0]);
            return -1;
        }
    }
    a->map.text = xmalloc(names.n * sizeof *a->map.text);
    for (size_t i = 0; i < names.n; i++) {
        long c = find_col(a, names.v[i], "--text");
        if (c < 0) {
            strvec_fini(&names);
            return -1;
        }
        a->map.text[a->map.ntext++] = c;
        strvec_push(&a->ri.text_cols, names.v[i]);
    }
    strvec_fini(&names);
    return 0;
}

static int map_columns(struct audit *a)
{
    if (map_text(a) < 0)
        return -1;
    struct strvec *cohort = &a->s.cohort;
    struct strvec guessed = {0};
    if (cohort->n == 0) {
        a->ri.cohort_guessed = 1;
        for (size_t j = 0; j < a->header.n; j++)
            if (columns_guess(a->header.v[j], ROLE_COHORT))
                strvec_push(&guessed, a->header.v[j]);
        cohort = &guessed;
    }
    a->map.cohort = xmalloc((cohort->n ? cohort->n : 1) * sizeof *a->map.cohort);
    for (size_t i = 0; i < cohort->n; i++) {
        long c = find_col(a, cohort->v[i], "--cohort");
        if (c < 0) {
            strvec_fini(&guessed);
            return -1;
        }
        a->map.cohort[a->map.ncohort++] = c;
        strvec_push(&a->ri.cohort_cols, cohort->v[i]);
    }
    strvec_fini(&guessed);

    a->map.id = a->map.resident = -1;
    const char *id = a->s.id, *res = a->s.resident;
    for (size_t j = 0; j < a->header.n; j++) {
        if (!a->s.id && !id && columns_guess(a->header.v[j], ROLE_ID)) {
            id = a->header.v[j];
            a->ri.id_guessed = 1;
        }
        if (!a->s.resident && !res &&
            columns_guess(a->header.v[j], ROLE_RESIDENT)) {
            res = a->header.v[j];
            a->ri.resident_guessed = 1;
        }
    }
    if (id && (a->map.id = find_col(a, id, "--id")) < 0)
        return -1;
    if (res && (a->map.resident = find_col(a, res, "--resident")) < 0)
        return -1;
    a->ri.id_col = id;
    a->ri.resident_col = res;
    /* The review packet masks evaluators' names: --evaluator, or a column
     * named like one. */
    a->map.evaluator = -1;
    const char *ev = a->s.evaluator;
    static const char *const ev_names[] = {"evaluator", "evaluator name",
                                           "faculty", "faculty name",
                                           "attending", NULL};
    for (size_t j = 0; a->s.review.enabled && !ev && j < a->header.n; j++)
        for (size_t i = 0; ev_names[i]; i++)
            if (strcasecmp(a->header.v[j], ev_names[i]) == 0)
                ev = a->header.v[j];
    if (a->s.review.enabled && ev &&
        (a->map.evaluator = find_col(a, ev, "--evaluator")) < 0)
        return -1;
    return 0;
}

/* A later input must have the first one's header, column for column. */
static int same_header(struct audit *a, const reader *r, const char *path)
{
    size_t n = reader_ncolumns(r);
    for (size_t i = 0; i < n || i < a->header.n; i++) {
        const char *x = i < a->header.n ? a->header.v[i] : "(none)";
        const char *y = i < n ? reader_column(r, i) : "(none)";
        if (i >= n || i >= a->header.n || strcmp(x, y) != 0) {
            diag_set(&a->err, DIAG_ERROR, path, 1, 0,
                     "header differs from %s's: column %zu is \"%s\" here, "
                     "\"%s\" there; all inputs must share one header",
                     a->s.inputs.v[0], i + 1, y, x);
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ outputs */

static void out_path(struct buf *b, const char *dir, const char *name)
{
    buf_clear(b);
    buf_printf(b, "%s/%s", dir, name);
}

static int make_out_dir(struct audit *a)
{
    /* Outputs hold excerpts of confidential evaluations: the folder is
     * private to the user. */
    if (mkdir(a->s.out_dir, 0700) != 0 && errno != EEXIST) {
        diag_set(&a->err, DIAG_ERROR, a->s.out_dir, 0, 0,
                 "cannot create output folder: %s", strerror(errno));
        return -1;
    }
    if (a->s.tally_only) /* shards share counts, never text */
        return 0;
    struct buf p;
    buf_init(&p);
    out_path(&p, a->s.out_dir, "excerpts.csv");
    int rc = outfile_open(&a->excerpts, p.p, &a->err);
    buf_fini(&p);
    if (rc == 0) {
        a->excerpts_open = 1;
        report_excerpts_begin(a->excerpts.f);
    }
    if (rc == 0)
        a->xi = excerpt_index_new(EXCERPT_INDEX_CAP, a->set->nentries,
                                  a->map.ncohort);
    return rc;
}

/* ------------------------------------------------------------ the rows */

static int is_blank(const struct span *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (!strchr(" \t\r\n", f->p[i]))
            return 0;
    return 1;
}

static void progress(struct audit *a, const reader *r, int done)
{
    if (a->s.quiet || !isatty(2))
        return;
    time_t now = time(NULL);
    if (!done && now == a->last_progress)
        return;
    a->last_progress = now;
    double mb = (double)reader_bytes_read(r) / 1e6;
    uint64_t total = reader_bytes_total(r);
    if (total)
        fprintf(stderr, "\r  %.1f / %.1f MB (%.0f%%), %lu rows", mb,
                (double)total / 1e6, 100.0 * mb * 1e6 / (double)total,
                a->ri.rows_read);
    else
        fprintf(stderr, "\r  %.1f MB, %lu rows", mb, a->ri.rows_read);
    if (done)
        fputs("\n", stderr);
}

/* Where a record's excerpt rows go. With one thread: straight to
 * excerpts.csv, each noted in report.html's index just before it is
 * written. A pool thread (--threads) writes them to its batch's buffer
 * instead and notes where each ends; the main thread indexes and writes
 * them later, in input order (apply_batch). */
struct batch;
struct rows_out {
    FILE *f;                     /* excerpts.csv, or the batch's buffer */
    const char *const *cohorts;  /* one thread: the record's cohort labels */
    struct batch *b;             /* a pool thread's batch, else NULL */
    struct thv *th;              /* the record's tally hits, appended */
};

static void batch_note_row(struct batch *b, FILE *f, uint32_t entry,
                           size_t mark_start, size_t mark_end);

/* Match one comment field and stream its excerpts. Changes nothing in a:
 * pool threads run it at once, each with its own scratch. */
static int audit_field(const struct audit *a, struct scratch *sc,
                       struct rows_out *o, const struct span *f, size_t col,
                       const char *id, const char *resident, uint64_t *words,
                       struct diag *err)
{
    const struct lexicon_set *set = a->set;
    normalize(&sc->nt, f->p, f->len);
    tokenize(&sc->tok, sc->nt.s, sc->nt.len);
    *words += sc->tok.n;
    if (matcher_find(sc->m, sc->nt.s, sc->nt.len, &sc->tok, &sc->hits,
                     err) < 0)
        return -1;
    excerpt_cursor_reset(&sc->cur);
    struct thv *th = o->th;
    grow(&th->v, &th->cap, th->n + sc->hits.n + 1, sizeof *th->v);
    for (size_t h = 0; h < sc->hits.n; h++) {
        const struct hit *hit = &sc->hits.v[h];
        const struct lex_entry *e = &set->entries[hit->entry];
        th->v[th->n++] = (struct tally_hit){hit->entry, hit->negated};
        if (a->s.tally_only)
            continue;
        excerpt_make(&sc->ex, &sc->cur, f->p, f->len, &sc->nt, hit->start,
                     hit->end);
        struct excerpt_row row = {
            .evaluation_id = id, .resident = resident,
            .column = a->ri.text_cols.v[col],
            .lexicon = set->lexicons[e->lexicon].name,
            .category = set->categories[e->category].name,
            .term = e->term,
            .matched_text = sc->ex.matched.p, .matched_len = sc->ex.matched.len,
            .negated = hit->negated, .start = sc->ex.start, .end = sc->ex.end,
            .excerpt = sc->ex.text.p,
        };
        if (!o->b) {
            excerpt_index_add(a->xi, o->f, hit->entry, sc->ex.mark_start,
                              sc->ex.mark_end, o->cohorts);
            report_excerpts_row(o->f, &row);
        } else {
            report_excerpts_row(o->f, &row);
            batch_note_row(o->b, o->f, hit->entry, sc->ex.mark_start,
                           sc->ex.mark_end);
        }
    }
    return 0;
}

enum rec_kind { REC_ANALYSE, REC_BLANK_RESIDENT, REC_NO_TEXT };

/* Analysed or skipped, and why: from the record's fields alone. */
static enum rec_kind record_kind(const struct audit *a, const struct span *fl)
{
    if (a->map.resident >= 0 && is_blank(&fl[a->map.resident]))
        return REC_BLANK_RESIDENT;
    for (size_t i = 0; i < a->map.ntext; i++)
        if (!is_blank(&fl[a->map.text[i]]))
            return REC_ANALYSE;
    return REC_NO_TEXT;
}

static void record_skip(struct audit *a, size_t input, unsigned long row,
                        enum rec_kind k)
{
    if (k == REC_BLANK_RESIDENT)
        run_info_skip(&a->ri, input, row, "blank resident",
                      "blank resident: the resident column is empty");
    else
        run_info_skip(&a->ri, input, row, "no comment text",
                      "no comment text: every text column is empty");
}

/* An analysed record's evaluation id, and its resident (the pseudonym
 * under --id-key; NULL without a resident column), in sc's buffers. */
static void record_names(const struct audit *a, struct scratch *sc,
                         size_t input, unsigned long row,
                         const struct span *fl, const char **id,
                         const char **resident)
{
    *resident = NULL;
    if (a->map.resident >= 0) {
        *resident = fl[a->map.resident].p;
        if (a->key.key) {
            pseudonym_make(&a->key, fl[a->map.resident].p,
                           fl[a->map.resident].len, sc->pseudonym);
            *resident = sc->pseudonym;
        }
    }
    buf_clear(&sc->id_buf);
    if (a->map.id >= 0 && !is_blank(&fl[a->map.id]))
        buf_append(&sc->id_buf, fl[a->map.id].p, fl[a->map.id].len);
    else if (a->ri.ninputs > 1)
        buf_printf(&sc->id_buf, "%zu:%lu", input + 1, row);
    else
        buf_printf(&sc->id_buf, "%lu", row);
    *id = buf_cstr(&sc->id_buf);
}

/* Every text column of an analysed record: excerpt rows to o, tally hits
 * appended to o->th, words counted. */
static int record_fields(const struct audit *a, struct scratch *sc,
                         struct rows_out *o, const struct span *fl,
                         const char *id, const char *resident,
                         uint64_t *words, struct diag *err)
{
    *words = 0;
    for (size_t i = 0; i < a->map.ntext; i++)
        if (audit_field(a, sc, o, &fl[a->map.text[i]], i, id,
                        resident ? resident : "", words, err) < 0)
            return -1;
    return 0;
}

/* An analysed record's cohort labels (each excerpt records its
 * evaluation's) into a->cohort_vals, and its evaluator for the review
 * packet. */
static void record_cohorts(struct audit *a, const struct span *fl)
{
    for (size_t c = 0; c < a->map.ncohort; c++) {
        const char *label = fl[a->map.cohort[c]].p;
        a->cohort_vals[c] = a->cmap ? cohortmap_apply(a->cmap, label) : label;
    }
    if (a->map.evaluator >= 0)
        review_add_evaluator(&a->s.review, fl[a->map.evaluator].p,
                             fl[a->map.evaluator].len);
}

/* Count an analysed record, after record_cohorts. */
static void record_count(struct audit *a, const char *id,
                         const char *resident, uint64_t words,
                         const struct tally_hit *th, size_t nth)
{
    struct tally_eval ev = {
        .cohorts = a->cohort_vals,
        .resident = resident ? resident : id, /* no resident: own cluster */
        .words = words, .hits = th, .nhits = nth,
    };
    tally_add(a->t, &ev);
    for (size_t i = 0; i < nth; i++) {
        if (th[i].negated)
            a->ri.negated++;
        else
            a->ri.hits++;
    }
    a->ri.words += words;
    a->ri.rows_analysed++;
}

static int audit_record(struct audit *a, size_t input,
                        const struct record *rec)
{
    a->ri.rows_read++;
    const struct span *fl = rec->fields;
    enum rec_kind k = record_kind(a, fl);
    if (k != REC_ANALYSE) {
        record_skip(a, input, rec->row, k);
        return 0;
    }
    const char *id, *resident;
    record_names(a, &a->sc, input, rec->row, fl, &id, &resident);
    record_cohorts(a, fl);
    a->sc.th.n = 0;
    struct rows_out o = {a->excerpts.f, a->cohort_vals, NULL, &a->sc.th};
    uint64_t words;
    if (record_fields(a, &a->sc, &o, fl, id, resident, &words, &a->err) < 0)
        return -1;
    record_count(a, id, resident, words, a->sc.th.v, a->sc.th.n);
    return 0;
}

/* ------------------------------------------------- --threads N: batches */

/* With --threads N > 1 the main thread reads records into batches, their
 * fields copied (the reader's spans live only until its next record); the
 * pool (workers.h: N - 1 threads, and the main thread while it waits)
 * analyses batches at once, each into the batch's own buffers: the bytes
 * of its excerpt rows, their index data, tally hits, ids. The main thread
 * takes batches back in input order and does all that depends on order or
 * shared state: rows read and skipped, the reader's warnings, cohort
 * labels, the review packet's evaluators, excerpt rows indexed and
 * written, tally_add. So every output is byte-identical to one thread's,
 * and the first error in input order (a reader error, or a matcher error
 * such as a PCRE2 limit) is the one reported. */

#define BATCH_BYTES (256u << 10) /* field bytes a batch holds, about */
#define BATCH_RECORDS 4096

/* One reader_next: the warnings and skipped rows it brought, then a
 * record, the end of the input, or an error. */
enum item_what { ITEM_RECORD, ITEM_EOF, ITEM_ERROR };

struct item {
    enum item_what what;
    unsigned long row;
    size_t warn_off, warn_len; /* its warnings' text in the batch's wtext */
    size_t skip_to;            /* reader_nskipped() after it */
    size_t f0;                 /* its fields: fields[f0 ...] */
    /* set by the pool */
    enum rec_kind kind;
    size_t id_off, res_off;    /* in strs; res_off SIZE_MAX: no resident */
    uint64_t words;
    size_t th0, nth;           /* its tally hits in th */
    size_t x0, nx;             /* its excerpt rows in rows */
};

struct xrow {                  /* an excerpt row in the batch's out */
    size_t end;                /* where it ends (it starts where the last
                                  one ended) */
    uint32_t entry;
    size_t mark_start, mark_end;
};

struct batch {
    size_t input;
    struct item *items;
    size_t nitems, items_cap;
    struct span *fields;       /* into arena */
    size_t *foff;              /* their offsets in arena, while filling */
    size_t nfields, fields_cap, foff_cap;
    struct buf arena;          /* field bytes, each NUL-terminated */
    FILE *wtext;               /* the reader's warnings (open_memstream) */
    char *wtext_p;
    size_t wtext_len;
    struct diag rerr;          /* ITEM_ERROR's */
    /* set by the pool */
    FILE *out;                 /* excerpt rows (open_memstream) */
    char *out_p;
    size_t out_len;
    struct xrow *rows;
    size_t nrows, rows_cap;
    struct thv th;
    struct buf strs;           /* ids and pseudonyms */
    size_t failed;             /* item whose analysis failed, or SIZE_MAX */
    struct diag err;           /* its error */
};

struct pass {
    workers *w;
    struct scratch *sc;        /* pool thread k's is sc[k - 1] */
    size_t nsc;
    struct batch *batches;
    size_t nbatches;
    struct batch **free;       /* batches not in the pool */
    size_t nfree;
    size_t skipped;            /* reader's skipped rows accounted for */
};

static void batch_note_row(struct batch *b, FILE *f, uint32_t entry,
                           size_t mark_start, size_t mark_end)
{
    grow(&b->rows, &b->rows_cap, b->nrows + 1, sizeof *b->rows);
    off_t end = ftello(f);
    b->rows[b->nrows++] = (struct xrow){
        (size_t)(end < 0 ? 0 : end), entry, mark_start, mark_end};
}

/* Read records into b until it is full or the input ends. Returns 1 when
 * the input ended (at EOF or an error), else 0. */
static int batch_fill(struct audit *a, reader *r, struct batch *b,
                      size_t input)
{
    b->input = input;
    b->nitems = b->nfields = 0;
    buf_clear(&b->arena);
    if (b->wtext)
        fseeko(b->wtext, 0, SEEK_SET);
    int end = 0;
    while (!end && b->arena.len < BATCH_BYTES && b->nitems < BATCH_RECORDS) {
        const struct record *rec;
        int st = reader_next(r, &rec, &b->rerr, &a->warn);
        grow(&b->items, &b->items_cap, b->nitems + 1, sizeof *b->items);
        struct item *it = &b->items[b->nitems++];
        memset(it, 0, sizeof *it);
        if (a->warn.n) {
            if (!b->wtext)
                b->wtext = open_memstream(&b->wtext_p, &b->wtext_len);
            off_t o0 = b->wtext ? ftello(b->wtext) : -1;
            diags_flush(&a->warn, b->wtext ? b->wtext : stderr);
            if (o0 >= 0) {
                it->warn_off = (size_t)o0;
                it->warn_len = (size_t)(ftello(b->wtext) - o0);
            }
        }
        it->skip_to = reader_nskipped(r);
        if (st == READER_EOF || st == READER_ERROR) {
            it->what = st == READER_EOF ? ITEM_EOF : ITEM_ERROR;
            end = 1;
            break;
        }
        it->what = ITEM_RECORD;
        it->row = rec->row;
        it->f0 = b->nfields;
        size_t need = b->nfields + rec->nfields;
        grow(&b->fields, &b->fields_cap, need, sizeof *b->fields);
        grow(&b->foff, &b->foff_cap, need, sizeof *b->foff);
        for (size_t i = 0; i < rec->nfields; i++) {
            const struct span *f = &rec->fields[i];
            b->foff[b->nfields] = b->arena.len;
            b->fields[b->nfields++].len = f->len;
            buf_append(&b->arena, f->p, f->len);
            buf_putc(&b->arena, '\0');
        }
    }
    for (size_t i = 0; i < b->nfields; i++)
        b->fields[i].p = b->arena.p + b->foff[i];
    if (b->wtext)
        fflush(b->wtext);
    return end;
}

/* The pool's job (workers_fn): analyse every record of a batch. */
static void batch_run(void *ctx, size_t worker, void *job)
{
    struct audit *a = ctx;
    struct batch *b = job;
    struct scratch *sc = worker ? &a->pass->sc[worker - 1] : &a->sc;
    b->failed = SIZE_MAX;
    b->nrows = 0;
    b->th.n = 0;
    buf_clear(&b->strs);
    if (b->out)
        fseeko(b->out, 0, SEEK_SET);
    for (size_t i = 0; i < b->nitems; i++) {
        struct item *it = &b->items[i];
        if (it->what != ITEM_RECORD)
            continue;
        const struct span *fl = b->fields + it->f0;
        it->kind = record_kind(a, fl);
        if (it->kind != REC_ANALYSE)
            continue;
        const char *id, *resident;
        record_names(a, sc, b->input, it->row, fl, &id, &resident);
        it->id_off = b->strs.len;
        buf_append(&b->strs, id, strlen(id) + 1);
        it->res_off = SIZE_MAX;
        if (resident) {
            it->res_off = b->strs.len;
            buf_append(&b->strs, resident, strlen(resident) + 1);
        }
        it->th0 = b->th.n;
        it->x0 = b->nrows;
        struct rows_out o = {b->out, NULL, b, &b->th};
        if (record_fields(a, sc, &o, fl, id, resident, &it->words,
                          &b->err) < 0) {
            b->failed = i;
            break;
        }
        it->nth = b->th.n - it->th0;
        it->nx = b->nrows - it->x0;
    }
    if (b->out)
        fflush(b->out);
}

/* Take a finished batch's results, in input order. Returns 0 to go on, 1
 * at the end of the input, -1 on an error (a->err filled). */
static int batch_apply(struct audit *a, const reader *r, struct batch *b)
{
    struct pass *ps = a->pass;
    for (size_t i = 0; i < b->nitems; i++) {
        struct item *it = &b->items[i];
        if (it->warn_len)
            fwrite(b->wtext_p + it->warn_off, 1, it->warn_len, stderr);
        for (; ps->skipped < it->skip_to; ps->skipped++) {
            a->ri.rows_read++;
            run_info_skip(&a->ri, b->input,
                          reader_skipped_row(r, ps->skipped), "ragged",
                          reader_skipped_reason(r, ps->skipped));
        }
        if (it->what == ITEM_EOF)
            return 1;
        if (it->what == ITEM_ERROR) {
            a->err = b->rerr;
            return -1;
        }
        a->ri.rows_read++;
        if (i == b->failed) {
            a->err = b->err;
            return -1;
        }
        if (it->kind != REC_ANALYSE) {
            record_skip(a, b->input, it->row, it->kind);
        } else {
            record_cohorts(a, b->fields + it->f0);
            for (size_t x = it->x0; x < it->x0 + it->nx; x++) {
                const struct xrow *xr = &b->rows[x];
                size_t start = x ? b->rows[x - 1].end : 0;
                excerpt_index_add(a->xi, a->excerpts.f, xr->entry,
                                  xr->mark_start, xr->mark_end,
                                  a->cohort_vals);
                fwrite(b->out_p + start, 1, xr->end - start, a->excerpts.f);
            }
            record_count(a, b->strs.p + it->id_off,
                         it->res_off == SIZE_MAX ? NULL
                                                 : b->strs.p + it->res_off,
                         it->words, b->th.v + it->th0, it->nth);
        }
        if ((a->ri.rows_read & 0x3FFF) == 0)
            progress(a, r, 0);
    }
    return 0;
}

static void scratch_init(struct scratch *sc, matcher *m)
{
    memset(sc, 0, sizeof *sc);
    sc->m = m;
    normtext_init(&sc->nt);
    tokens_init(&sc->tok);
    hits_init(&sc->hits);
    excerpt_init(&sc->ex);
    buf_init(&sc->id_buf);
}

static void scratch_fini(struct scratch *sc)
{
    normtext_fini(&sc->nt);
    tokens_fini(&sc->tok);
    hits_fini(&sc->hits);
    excerpt_fini(&sc->ex);
    free(sc->th.v);
    buf_fini(&sc->id_buf);
}

static void batch_fini(struct batch *b)
{
    free(b->items);
    free(b->fields);
    free(b->foff);
    buf_fini(&b->arena);
    if (b->wtext)
        fclose(b->wtext);
    free(b->wtext_p);
    if (b->out)
        fclose(b->out);
    free(b->out_p);
    free(b->rows);
    free(b->th.v);
    buf_fini(&b->strs);
}

static void pass_free(struct pass *ps)
{
    if (!ps)
        return;
    workers_free(ps->w); /* every batch has been taken back */
    for (size_t i = 0; i < ps->nsc; i++) {
        matcher_free(ps->sc[i].m);
        scratch_fini(&ps->sc[i]);
    }
    free(ps->sc);
    for (size_t i = 0; i < ps->nbatches; i++)
        batch_fini(&ps->batches[i]);
    free(ps->batches);
    free(ps->free);
    free(ps);
}

/* The pool of --threads N: N - 1 threads, each with its own matcher, and
 * 2N + 2 batches. */
static int pass_start(struct audit *a)
{
    size_t n = a->s.threads;
    struct pass *ps = xcalloc(1, sizeof *ps);
    a->pass = ps;
    ps->sc = xcalloc(n - 1, sizeof *ps->sc);
    for (; ps->nsc < n - 1; ps->nsc++) {
        matcher *m = matcher_new(a->set, &a->err);
        if (!m)
            return -1;
        scratch_init(&ps->sc[ps->nsc], m);
    }
    ps->nbatches = 2 * n + 2;
    ps->batches = xcalloc(ps->nbatches, sizeof *ps->batches);
    ps->free = xcalloc(ps->nbatches, sizeof *ps->free);
    for (size_t i = 0; i < ps->nbatches; i++) {
        struct batch *b = &ps->batches[i];
        buf_init(&b->arena);
        buf_init(&b->strs);
        if (!a->s.tally_only &&
            !(b->out = open_memstream(&b->out_p, &b->out_len))) {
            diag_set(&a->err, DIAG_ERROR, NULL, 0, 0,
                     "cannot allocate a buffer: %s", strerror(errno));
            return -1;
        }
        ps->free[ps->nfree++] = b;
    }
    ps->w = workers_new(n - 1, ps->nbatches, batch_run, a);
    if (!ps->w) {
        diag_set(&a->err, DIAG_ERROR, NULL, 0, 0,
                 "cannot start %zu threads", n - 1);
        return -1;
    }
    return 0;
}

/* A batch back from the pool: memory a huge record made it take is given
 * back, so memory still follows the longest record, not the file. */
static void batch_release(struct pass *ps, struct batch *b)
{
    if (b->arena.cap > 8 * BATCH_BYTES) {
        buf_fini(&b->arena);
        buf_init(&b->arena);
    }
    ps->free[ps->nfree++] = b;
}

/* audit_input's loop with --threads N > 1: fill batches while one is free,
 * take finished ones back in order; after an error, only wait for the
 * batches in flight. Returns 0 at the end of the input, or -1. */
static int audit_batches(struct audit *a, reader *r, size_t input)
{
    struct pass *ps = a->pass;
    ps->skipped = 0;
    int rc = 0, reading = 1;
    for (;;) {
        struct batch *b;
        if (rc == 0 && reading && ps->nfree) {
            b = ps->free[--ps->nfree];
            reading = !batch_fill(a, r, b, input);
            workers_submit(ps->w, b);
            while ((b = workers_next_done(ps->w, 0)) != NULL) {
                if (rc == 0 && batch_apply(a, r, b) < 0)
                    rc = -1;
                batch_release(ps, b);
            }
            continue;
        }
        if (!workers_inflight(ps->w))
            break;
        b = workers_next_done(ps->w, 1);
        if (rc == 0 && batch_apply(a, r, b) < 0)
            rc = -1;
        batch_release(ps, b);
    }
    return rc;
}

static int hash_file(const char *path, struct input_info *in, struct diag *err)
{
    if (strcmp(path, "-") == 0) {
        snprintf(in->sha256, sizeof in->sha256, "(stdin)");
        return 0;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot open: %s",
                 strerror(errno));
        return -1;
    }
    struct sha256 h;
    sha256_init(&h);
    static char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        sha256_update(&h, chunk, n);
        in->bytes += n;
    }
    fclose(f);
    unsigned char d[32];
    sha256_final(&h, d);
    sha256_to_hex(d, in->sha256);
    return 0;
}

/* An input's SHA-256 and size come from its reader, which hashes the bytes
 * as it reads them: no second pass over the file. stdin is "(stdin)". A
 * reader that has not reached EOF has not seen every byte: hash the file
 * apart then. */
static int input_hash(const reader *r, const char *path,
                      struct input_info *in, struct diag *err)
{
    if (strcmp(path, "-") != 0 && reader_sha256(r, in->sha256) == 0) {
        in->bytes = reader_bytes_read(r);
        return 0;
    }
    return hash_file(path, in, err);
}

/* The tally needs the cohort columns, known once the first header is. */
static void start_tally(struct audit *a)
{
    const struct lexicon_set *set = a->set;
    uint32_t *cat = xmalloc((set->nentries ? set->nentries : 1) * sizeof *cat);
    for (size_t e = 0; e < set->nentries; e++)
        cat[e] = set->entries[e].category;
    /* Without a cohort column the rates are for everyone, as one cohort. */
    for (size_t c = 0; c < a->map.ncohort; c++)
        strvec_push(&a->rate_cols, a->ri.cohort_cols.v[c]);
    if (a->map.ncohort == 0)
        strvec_push(&a->rate_cols, "(all)");
    a->t = tally_new(a->rate_cols.n, set->nentries, cat, set->ncategories);
    free(cat);
    a->cohort_vals = xcalloc(a->rate_cols.n, sizeof *a->cohort_vals);
    a->cohort_vals[0] = "all";
}

static int audit_input(struct audit *a, size_t input)
{
    const char *path = a->s.inputs.v[input];
    struct input_info *in = &a->ri.inputs[input];
    in->path = xstrdup(path);
    reader *r = reader_open(path, &a->s.ropt, &a->err);
    if (!r)
        return -1;
    int rc = 0;
    if (input == 0) {
        for (size_t i = 0; i < reader_ncolumns(r); i++)
            strvec_push(&a->header, reader_column(r, i));
        rc = map_columns(a);
        if (rc == 0 && !a->s.quiet)
            print_mapping(a);
        if (rc == 0)
            rc = make_out_dir(a);
        if (rc == 0)
            start_tally(a);
    } else {
        rc = same_header(a, r, path);
    }
    if (rc == 0 && a->s.threads > 1 && !a->pass)
        rc = pass_start(a);
    if (rc == 0 && a->pass)
        rc = audit_batches(a, r, input);
    unsigned long skipped_before = 0;
    const struct record *rec;
    while (rc == 0 && !a->pass) {
        int st = reader_next(r, &rec, &a->err, &a->warn);
        diags_flush(&a->warn, stderr);
        /* Rows the reader skipped (ragged, under --on-bad-row skip) are
         * accounted for here, with the reader's reason. */
        for (; skipped_before < reader_nskipped(r); skipped_before++) {
            a->ri.rows_read++;
            run_info_skip(&a->ri, input, reader_skipped_row(r, skipped_before),
                          "ragged", reader_skipped_reason(r, skipped_before));
        }
        if (st == READER_EOF)
            break;
        if (st == READER_ERROR) {
            rc = -1;
            break;
        }
        rc = audit_record(a, input, rec);
        if ((a->ri.rows_read & 0x3FFF) == 0)
            progress(a, r, 0);
    }
    if (rc == 0)
        progress(a, r, 1);
    if (rc == 0)
        rc = input_hash(r, path, in, &a->err);
    snprintf(in->encoding, sizeof in->encoding, "%s", reader_encoding_name(r));
    in->rows_read = reader_rows_read(r);
    reader_free(r);
    return rc;
}

static int load_cohort_map(struct audit *a)
{
    struct input_info hashed = {0};
    if (hash_file(a->s.cohort_map, &hashed, &a->err) < 0)
        return -1;
    a->cmap = cohortmap_load(a->s.cohort_map, &a->err);
    if (!a->cmap)
        return -1;
    a->ri.cohort_map = a->s.cohort_map;
    memcpy(a->ri.cohort_map_sha256, hashed.sha256, sizeof hashed.sha256);
    return 0;
}

static int load_lexicons(struct audit *a)
{
    a->set = lexicon_set_new();
    for (size_t i = 0; i < a->s.lexicons.n; i++)
        if (lexicon_set_load(a->set, a->s.lexicons.v[i], &a->err) < 0)
            return -1;
    if (a->set->nentries == 0) {
        diag_set(&a->err, DIAG_ERROR, a->s.lexicons.v[0], 0, 0,
                 "no lexicon entries loaded (give --lexicon FILE or DIR)");
        return -1;
    }
    for (size_t i = 0; i < a->set->nlexicons; i++) /* never overwritten */
        outfile_protect(a->set->lexicons[i].path);
    a->m = matcher_new(a->set, &a->err);
    a->sc.m = a->m;
    return a->m ? 0 : -1;
}

/* Labels a cohort map leaves unmapped are kept as their own cohort; say
 * so, since a map usually means to cover every spelling. */
static void warn_unmapped(const struct audit *a)
{
    for (size_t c = 0; c < a->map.ncohort; c++)
        for (size_t k = 0; k < tally_ncohorts(a->t, c); k++) {
            const char *name = tally_cohort_name(a->t, c, k);
            if (strcmp(name, TALLY_BLANK) != 0 &&
                !cohortmap_is_target(a->cmap, name))
                fprintf(stderr, "evalbias: warning: %s: \"%s\" in column "
                        "\"%s\" is not in the cohort map; it is its own "
                        "cohort\n", a->s.cohort_map, name,
                        a->ri.cohort_cols.v[c]);
        }
}

/* --tally-only: the counts for `evalbias merge` (tally_file.h) and the
 * manifest; no statistics, no excerpts. */
static int finish_tally(struct audit *a, double t0)
{
    tally_finish(a->t);
    struct tally_file_meta meta = {
        .ri = &a->ri, .set = a->set, .cols = &a->rate_cols,
        .clusters = a->ri.resident_col ? TALLY_CLUSTERS_RESIDENT
                  : a->ri.id_col ? TALLY_CLUSTERS_EVALUATION
                                 : TALLY_CLUSTERS_ROW,
        .key_fingerprint = a->ri.key_fingerprint,
    };
    struct buf path;
    buf_init(&path);
    out_path(&path, a->s.out_dir, TALLY_FILE_NAME);
    struct outfile o;
    int rc = outfile_open(&o, buf_cstr(&path), &a->err);
    if (rc == 0) {
        rc = tally_file_write(o.f, a->t, &meta, &a->err);
        int rc2 = outfile_close(&o, rc == 0, &a->err);
        rc = rc < 0 ? rc : rc2;
    }
    if (rc == 0) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        a->ri.elapsed_seconds =
            (double)now.tv_sec + (double)now.tv_nsec / 1e9 - t0;
        out_path(&path, a->s.out_dir, "manifest.json");
        rc = outfile_open(&o, buf_cstr(&path), &a->err);
        if (rc == 0) {
            report_manifest_write(o.f, &a->ri, a->t, NULL);
            rc = outfile_close(&o, 1, &a->err);
        }
    }
    if (rc == 0 && !a->s.quiet)
        printf("evalbias: %lu rows read, %lu analysed, %lu skipped; %llu "
               "words, %llu hits (+%llu negated)\nTally in %s/%s (merge it "
               "with 'evalbias merge')\n", a->ri.rows_read,
               a->ri.rows_analysed, a->ri.rows_skipped,
               (unsigned long long)a->ri.words, (unsigned long long)a->ri.hits,
               (unsigned long long)a->ri.negated, a->s.out_dir,
               TALLY_FILE_NAME);
    buf_fini(&path);
    return rc;
}

static int finish(struct audit *a, double t0)
{
    if (a->s.tally_only)
        return finish_tally(a, t0);
    a->excerpts_open = 0;
    if (outfile_close(&a->excerpts, 1, &a->err) < 0)
        return -1;
    tally_finish(a->t);
    if (a->cmap && !a->s.quiet)
        warn_unmapped(a);
    struct results r = {
        .ri = &a->ri, .t = a->t, .set = a->set, .cohort_cols = &a->rate_cols,
        .copt = a->s.copt, .out_dir = a->s.out_dir, .quiet = a->s.quiet,
        .t0 = t0,
        .review = &a->s.review, .excerpts = 1, .xi = a->xi,
    };
    r.copt.warn = &a->warn;
    int rc = results_write(&r, &a->err);
    diags_flush(&a->warn, stderr);
    return rc;
}

static void audit_fini(struct audit *a)
{
    if (a->excerpts_open)
        outfile_close(&a->excerpts, 0, NULL);
    pass_free(a->pass);
    excerpt_index_free(a->xi);
    pseudonym_key_fini(&a->key);
    review_options_fini(&a->s.review);
    tally_free(a->t);
    cohortmap_free(a->cmap);
    matcher_free(a->m);
    lexicon_set_free(a->set);
    scratch_fini(&a->sc);
    free(a->cohort_vals);
    free(a->map.text);
    free(a->map.cohort);
    diags_fini(&a->warn);
    strvec_fini(&a->header);
    strvec_fini(&a->rate_cols);
    run_info_fini(&a->ri);
    strvec_fini(&a->s.text);
    strvec_fini(&a->s.cohort);
    strvec_fini(&a->s.lexicons);
    strvec_fini(&a->s.inputs);
}

int cmd_audit(int argc, char **argv)
{
    struct audit a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(&a.s, argc, argv);
    if (rc != 0) {
        audit_fini(&a);
        return rc < 0 ? EXIT_OK : rc;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    time_t wall = time(NULL);
    strftime(a.ri.started_at, sizeof a.ri.started_at, "%Y-%m-%dT%H:%M:%SZ",
             gmtime(&wall));
    a.ri.version = EVALBIAS_VERSION;
    a.ri.out_dir = a.s.out_dir;
    for (int i = 1; i < argc; i++)
        strvec_push(&a.ri.args, argv[i]);
    a.ri.ninputs = a.s.inputs.n;
    a.ri.inputs = xcalloc(a.ri.ninputs, sizeof *a.ri.inputs);
    /* No output may replace an input, whatever -o says (outfile.h). */
    for (size_t i = 0; i < a.s.inputs.n; i++)
        outfile_protect(a.s.inputs.v[i]);
    if (a.s.cohort_map)
        outfile_protect(a.s.cohort_map);
    scratch_init(&a.sc, NULL);

    rc = load_lexicons(&a);
    if (rc == 0 && a.s.cohort_map)
        rc = load_cohort_map(&a);
    if (rc == 0 && a.s.id_key) {
        rc = pseudonym_key_load(&a.key, a.s.id_key, &a.err);
        if (rc == 0)
            a.ri.key_fingerprint = a.key.fingerprint;
    }
    if (rc == 0 && a.s.review.names_file)
        rc = review_load_names(&a.s.review, a.s.review.names_file, &a.err);
    if (rc == 0) {
        a.ri.set = a.set;
        for (size_t i = 0; rc == 0 && i < a.s.inputs.n; i++)
            rc = audit_input(&a, i);
    }
    if (rc == 0)
        rc = finish(&a, (double)t0.tv_sec + (double)t0.tv_nsec / 1e9);
    if (rc != 0)
        diag_print(stderr, &a.err);
    int code = rc != 0 ? EXIT_USAGE
             : (a.s.strict && a.ri.rows_skipped) ? EXIT_CHECK_FAILED : EXIT_OK;
    if (code == EXIT_CHECK_FAILED)
        fprintf(stderr, "evalbias: %lu rows skipped (--strict)\n",
                a.ri.rows_skipped);
    audit_fini(&a);
    return code;
}
