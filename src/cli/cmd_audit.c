/* cmd_audit.c - `evalbias audit`: argv -> struct audit_config -> the
 * engine (audit.h) -> exit code. The engine reads, matches, counts and
 * writes the files; this file parses the options, shows what the engine
 * reports (column mapping, progress, warnings, the summary) and decides
 * the exit code. */
#include "cmd.h"
#include "cli.h"
#include "audit.h"
#include "tally_file.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
    OPT_TEXT = 1, OPT_COHORT, OPT_ID, OPT_RESIDENT, OPT_LEXICON, OPT_OUTPUT,
    OPT_ENCODING, OPT_BAD_ROW, OPT_STRICT, OPT_QUIET, OPT_REFERENCE,
    OPT_MIN_RESIDENTS, OPT_COHORT_MAP, OPT_CONFIDENCE, OPT_ROBUST,
    OPT_COMPARE_BLANK,
    OPT_REVIEW, OPT_SEED, OPT_NAMES, OPT_EVALUATOR,
    OPT_TALLY_ONLY, OPT_ID_KEY, OPT_THREADS, OPT_MAX_RECORD,
    OPT_DELIMITER, OPT_HEADER_ROW, OPT_SHEET,
    OPT_QUESTION, OPT_ANSWER, OPT_QUESTIONS, OPT_ROSTER, OPT_ROSTER_SHEET,
    OPT_ROSTER_KEY, OPT_ROSTER_COHORT, OPT_COHORT_LEVEL, OPT_PERIOD,
    OPT_CONFIG,
    OPT_REVIEW_KEY, OPT_REVIEWERS, OPT_OVERLAP, OPT_SHOW_CATEGORIES,
    OPT_KEEP_GENDERED, OPT_VERDICTS,
    OPT_CLUSTER, OPT_MIN_EVALUATORS, OPT_ADJUST,
};

#define MAX_THREADS_STR "64" /* AUDIT_MAX_THREADS */

static const struct cli_option audit_options[] = {
    {OPT_CONFIG, "config", 0, "FILE",
     "read options from a configuration (evalbias.yaml, written by\n"
     "'evalbias init'): keys are these long option names, lists for\n"
     "repeatable ones, \"input\" the exports; an option given here\n"
     "overrides its key", "Configuration"},
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
     "residents unknown: suppression counts evaluations)", "Columns"},
    {OPT_EVALUATOR, "evaluator", 0, "COL",
     "evaluator column (default: one named Evaluator, Faculty\n"
     "or Attending); the review packet masks its names", "Columns"},
    {OPT_QUESTION, "question", 0, "COL",
     "a long export (one row per answer): the question column;\n"
     "needs --answer and --id (rows with one id: one evaluation)",
     "Long exports"},
    {OPT_ANSWER, "answer", 0, "COL", "a long export's answer column",
     "Long exports"},
    {OPT_QUESTIONS, "questions", 0, "LIST",
     "the comment questions: names or /regex/, comma-separated\n"
     "(\\, a comma in a name), repeatable (default: questions whose\n"
     "answers are mostly free text, from a first pass; stdin needs it)",
     "Long exports"},
    {OPT_ROSTER, "roster", 0, "FILE",
     "join resident attributes (gender, PGY ...) from a roster", "Roster"},
    {OPT_ROSTER_SHEET, "roster-sheet", 0, "NAME",
     "the roster's worksheet (workbook rosters)", "Roster"},
    {OPT_ROSTER_KEY, "roster-key", 0, "COL",
     "roster column matching the export's --resident values\n"
     "(trimmed, case-insensitive, \"Last, First\" = \"First Last\")",
     "Roster"},
    {OPT_ROSTER_COHORT, "roster-cohort", 0, "COL[=NAME]",
     "a roster column as a cohort column named NAME (repeatable);\n"
     "it overrides an export column of that name", "Roster"},
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
    {OPT_ROBUST, "robust", 0, "TYPE",
     "cluster-robust variance: cr2 (default; Bell-McCaffrey df),\n"
     "cr2-g2 (t on G-2) or cr1\n"
     "(G/(G-1), t on G-1, as most published work)", "Cohorts and statistics"},
    {OPT_CLUSTER, "cluster", 0, "unit|both",
     "unit (default): each column clustered by its unit, the\n"
     "resident (resident- and evaluation-level columns) or the\n"
     "evaluator (evaluator-level); both: two-way by resident and\n"
     "evaluator (needs --evaluator)", "Cohorts and statistics"},
    {OPT_MIN_RESIDENTS, "min-residents", 0, "N",
     "suppress cohorts with fewer than N residents from\n"
     "every output (default 5)", "Cohorts and statistics"},
    {OPT_MIN_EVALUATORS, "min-evaluators", 0, "N",
     "also suppress cohorts of evaluator-level columns with\n"
     "fewer than N evaluators (default 5)", "Cohorts and statistics"},
    {OPT_ADJUST, "adjust", 0, "COL,...",
     "adjusted comparisons (adjusted.csv): a Poisson model with\n"
     "these cohort columns as covariates (PGY, rotation, year,\n"
     "evaluator gender; export or roster columns), repeatable",
     "Cohorts and statistics"},
    {OPT_COHORT_LEVEL, "cohort-level", 0, "COL=LEVEL",
     "resident, evaluator or evaluation (repeatable; default:\n"
     "evaluator for evaluator/faculty/attending/rater/preceptor\n"
     "headers, resident for gender/sex and roster columns,\n"
     "else evaluation); a resident-level column has one label\n"
     "per resident (blanks filled; a conflict: the most frequent,\n"
     "a tie \"(conflict)\")", "Cohorts and statistics"},
    {OPT_CONFIDENCE, "confidence", 0, "LEVEL",
     "confidence level of intervals (default 0.95)", "Cohorts and statistics"},
    {OPT_LEXICON, "lexicon", 'l', "PATH",
     "lexicon file or directory (repeatable; default: the\n"
     "installed lexicons, or $EVALBIAS_LEXICONS)", "Lexicons"},
    {OPT_ENCODING, "encoding", 0, "ENC",
     "auto (default: UTF-8, else Windows-1252; UTF-16 by its BOM),\n"
     "utf-8 (strict), windows-1252, utf-16le, utf-16be", "Input"},
    {OPT_DELIMITER, "delimiter", 0, "C", READER_OPTION_HELP_DELIMITER, "Input"},
    {OPT_HEADER_ROW, "header-row", 0, "N", READER_OPTION_HELP_HEADER_ROW, "Input"},
    {OPT_SHEET, "sheet", 0, "NAME", READER_OPTION_HELP_SHEET, "Input"},
    {OPT_BAD_ROW, "on-bad-row", 0, "ACTION",
     "error (default) or skip: what a ragged row does; skipped\n"
     "rows are listed in the manifest", "Input"},
    {OPT_OUTPUT, "output", 'o', "DIR", "output folder (default: evalbias-out)",
     "Output"},
    {OPT_STRICT, "strict", 0, NULL, "exit 1 when any row was skipped", "Output"},
    {OPT_QUIET, "quiet", 'q', NULL, "no summary on stdout, no progress line",
     "Output"},
    {OPT_MAX_RECORD, "max-record-bytes", 0, "SIZE",
     "stop with an error at a record longer than SIZE (default 64M)",
     "Input"},
    {OPT_THREADS, "threads", 0, "N",
     "match on N threads (default 1); every output is the\n"
     "same, byte for byte, whatever N", "Performance"},
    {OPT_REVIEW, "review-packet", 0, NULL,
     "also write the folder review/ (review.html, review.csv:\n"
     "blinded, one item per flagged span, shuffled) for a CCC;\n"
     "needs --review-key", "Review packet"},
    {OPT_REVIEW_KEY, "review-key", 0, "FILE",
     "where the packet's key goes (outside OUT/review/): what\n"
     "'evalbias review import' joins the verdicts back with", "Review packet"},
    {OPT_REVIEWERS, "reviewers", 0, "N",
     "N packets, review/R1/ ... RN/: disjoint items plus a\n"
     "shared overlap every reviewer judges (default 1)", "Review packet"},
    {OPT_OVERLAP, "overlap", 0, "P",
     "share of the items in every packet, 0 to 1 or N% (default\n"
     "10%)", "Review packet"},
    {OPT_SHOW_CATEGORIES, "show-categories", 0, NULL,
     "show each item's lexicon, category and term (hidden by\n"
     "default: they prime the reviewer)", "Review packet"},
    {OPT_KEEP_GENDERED, "keep-gendered", 0, NULL,
     "leave gendered pronouns, honorifics and kin terms unmasked",
     "Review packet"},
    {OPT_SEED, "seed", 0, "N", "shuffle seed of the review packet (default: "
     "random,\nkept in the key only)", "Review packet"},
    {OPT_VERDICTS, "verdicts", 0, "DIR",
     "add a \"Committee review\" section to report.html from\n"
     "DIR, the output of 'evalbias review import'", "Review packet"},
    {OPT_NAMES, "names", 0, "FILE",
     "more names to mask in the review packet, one a line", "Review packet"},
    {OPT_TALLY_ONLY, "tally-only", 0, NULL,
     "write only the counts (" TALLY_FILE_NAME ") and manifest.json,\n"
     "no excerpts: for 'evalbias merge' of shards or programs", "Sharing tallies"},
    {OPT_PERIOD, "period", 0, "LABEL",
     "the evaluation cycle this audit covers (e.g. 2025-26),\n"
     "recorded in the manifest and the tally file; 'evalbias\n"
     "trend' labels the cycle with it", "Output"},
    {OPT_ID_KEY, "id-key", 0, "FILE",
     "replace residents' names by keyed pseudonyms\n"
     "(HMAC-SHA-256 under the key in FILE) in every output", "Sharing tallies"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command audit_command = {
    "audit",
    "evalbias audit - count gendered language in evaluation comments, by cohort",
    "evalbias audit [OPTIONS] FILE.csv...\n"
    "       evalbias audit --config evalbias.yaml [OPTIONS] [FILE.csv...]",
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
    "  " TALLY_FILE_NAME "  the counts, for 'evalbias merge' (as --tally-only)\n"
    "Column options take header names exactly as written in the file.\n"
    "Cohorts with fewer than --min-residents residents appear in no report\n"
    "(the tally file keeps their counts, unsuppressed, for merge).\n"
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
    struct strvec questions, roster_cohort, cohort_level, adjust;
    const char *question, *answer, *roster, *roster_sheet, *roster_key;
    const char *id, *resident, *out_dir, *cohort_map;
    struct reader_options ropt;
    struct compare_options copt;
    int strict, quiet;
    const char *evaluator;          /* --evaluator COL */
    struct review_options review;   /* --review-packet, --seed, --names */
    int tally_only;                 /* --tally-only */
    const char *id_key;             /* --id-key FILE */
    const char *period;             /* --period LABEL */
    const char *verdicts;           /* --verdicts DIR */
    unsigned threads;               /* --threads N (1: no thread started) */
};

/* A bad value from --config is located in its file (cli_config_origin). */
static const struct config_pair *bad_origin;
static const char *bad_file;

static int usage_error(const char *msg)
{
    if (bad_origin) {
        fprintf(stderr, "evalbias: %s:%lu:%lu: error: %s\n", bad_file,
                bad_origin->line, bad_origin->col, msg);
        return EXIT_USAGE;
    }
    fprintf(stderr, "evalbias: error: %s\n"
                    "Try 'evalbias audit --help' for more information.\n", msg);
    return EXIT_USAGE;
}

static int parse_args(struct settings *s, int argc, char **argv,
                      const struct cli_config *conf)
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
        /* p.i is past the value: argv[p.i] (argv + 1 is parsed) */
        bad_origin = cli_config_origin(conf, (size_t)p.i);
        bad_file = conf->conf.path;
        switch (id) {
        case CLI_HELP: cli_print_help(stdout, &audit_command); return -1;
        case CLI_ERROR: return usage_error(p.error);
        case CLI_POSITIONAL: strvec_push(&s->inputs, v); break;
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
        case OPT_REVIEW_KEY: s->review.key_path = v; break;
        case OPT_SHOW_CATEGORIES: s->review.show_categories = 1; break;
        case OPT_KEEP_GENDERED: s->review.keep_gendered = 1; break;
        case OPT_VERDICTS: s->verdicts = v; break;
        case OPT_REVIEWERS: {
            unsigned long n = strtoul(v, &end, 10);
            if (*v == '-' || !*v || *end || n < 1 || n > 100)
                return usage_error("--reviewers takes a whole number from 1 "
                                   "to 100");
            s->review.reviewers = (unsigned)n;
            break;
        }
        case OPT_OVERLAP: {
            double x = strtod(v, &end);
            if (end != v && *end == '%' && !end[1]) {
                x /= 100;
                end++;
            }
            if (!*v || *end || !(x >= 0 && x <= 1))
                return usage_error("--overlap takes a share from 0 to 1 or "
                                   "a percentage (10%)");
            s->review.overlap = x;
            break;
        }
        case OPT_EVALUATOR: s->evaluator = v; break;
        case OPT_QUESTION: s->question = v; break;
        case OPT_ANSWER: s->answer = v; break;
        case OPT_QUESTIONS: strvec_push(&s->questions, v); break;
        case OPT_ROSTER: s->roster = v; break;
        case OPT_ROSTER_SHEET: s->roster_sheet = v; break;
        case OPT_ROSTER_KEY: s->roster_key = v; break;
        case OPT_ROSTER_COHORT: strvec_push(&s->roster_cohort, v); break;
        case OPT_COHORT_LEVEL: strvec_push(&s->cohort_level, v); break;
        case OPT_TALLY_ONLY: s->tally_only = 1; break;
        case OPT_CONFIG: break; /* applied before (cli_config_apply) */
        case OPT_ID_KEY: s->id_key = v; break;
        case OPT_PERIOD:
            if (!*v || strpbrk(v, "\t\r\n"))
                return usage_error("--period takes a non-empty label without "
                                   "tabs or line breaks");
            s->period = v;
            break;
        case OPT_THREADS: {
            unsigned long n = strtoul(v, &end, 10);
            if (*v == '-' || !*v || *end || n < 1 || n > AUDIT_MAX_THREADS)
                return usage_error("--threads takes a whole number from 1 to "
                                   MAX_THREADS_STR);
            s->threads = (unsigned)n;
            break;
        }
        case OPT_SEED:
            s->review.seed = strtoull(v, &end, 10);
            if (*v == '-' || !*v || *end)
                return usage_error("--seed takes a whole number");
            s->review.seed_set = 1;
            seed_given = 1;
            break;
        case OPT_ADJUST: strvec_push(&s->adjust, v); break;
        case OPT_DELIMITER: case OPT_HEADER_ROW: case OPT_SHEET:
            if ((msg = reader_set_option(&s->ropt, id == OPT_SHEET ? "sheet"
                       : id == OPT_DELIMITER ? "delimiter" : "header-row", v)))
                return usage_error(msg);
            break;
        case OPT_MAX_RECORD:
            if ((msg = reader_set_max_record_bytes(&s->ropt, v)))
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
    bad_origin = NULL;
    if (s->inputs.n == 0)
        return usage_error("no input file (give one or more CSV files, or - for stdin)");
    if (!s->review.enabled &&
        (seed_given || s->review.names_file || s->review.key_path ||
         s->review.reviewers != 1 || s->review.show_categories ||
         s->review.keep_gendered))
        return usage_error("--seed, --names, --review-key, --reviewers, "
                           "--overlap, --show-categories and --keep-gendered "
                           "are options of --review-packet");
    if (s->review.enabled && !s->review.key_path)
        return usage_error("--review-packet needs --review-key FILE: where "
                           "the key that joins verdicts back to evaluations "
                           "goes, outside the packet folder OUT/review/");
    if ((s->question || s->answer || s->questions.n) &&
        !(s->question && s->answer && s->id))
        return usage_error("a long export needs --question COL, --answer COL "
                           "and --id COL (rows with one id are one "
                           "evaluation)");
    if (!s->roster && (s->roster_key || s->roster_cohort.n || s->roster_sheet))
        return usage_error("--roster-key, --roster-cohort and --roster-sheet "
                           "are options of --roster FILE");
    if (s->roster && (!s->roster_key || !s->roster_cohort.n))
        return usage_error("--roster needs --roster-key COL and at least one "
                           "--roster-cohort COL[=NAME]");
    if (s->review.enabled && s->tally_only)
        return usage_error("--tally-only writes no excerpts, so no review packet");
    /* The packet masks residents' names, which --id-key replaces. */
    if (s->review.enabled && s->id_key)
        return usage_error("--id-key hides the residents' names the review "
                           "packet must mask; make the packet in a run "
                           "without it");
    if (s->lexicons.n == 0) {
        const char *dir = cli_default_lexicons();
        if (!dir)
            return EXIT_USAGE;
        strvec_push(&s->lexicons, dir);
    }
    return 0;
}

/* ------------------------------------------- what the engine reports */

static void print_mapping(void *ctx, const struct run_info *ri)
{
    (void)ctx;
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
            ri->resident_col ? ri->resident_col : "none: residents unknown",
            ri->resident_col ? "\"" : "", ri->resident_guessed ? " (guessed)" : "");
}

/* A progress line on a terminal, at most once a second. */
struct progress_state {
    time_t last;
};

static void print_progress(void *ctx, uint64_t bytes, uint64_t total,
                           unsigned long rows, int done)
{
    struct progress_state *ps = ctx;
    if (!isatty(2))
        return;
    time_t now = time(NULL);
    if (!done && now == ps->last)
        return;
    ps->last = now;
    double mb = (double)bytes / 1e6;
    if (total)
        fprintf(stderr, "\r  %.1f / %.1f MB (%.0f%%), %lu rows", mb,
                (double)total / 1e6, 100.0 * mb * 1e6 / (double)total, rows);
    else
        fprintf(stderr, "\r  %.1f MB, %lu rows", mb, rows);
    if (done)
        fputs("\n", stderr);
}

static void print_format(void *ctx, const char *path, const char *how)
{
    (void)ctx;
    fprintf(stderr, "evalbias: %s: %s\n", path, how);
}

static void print_warnings(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    fwrite(text, 1, len, stderr);
}

static void print_questions(void *ctx, const struct strvec *chosen, int given)
{
    (void)ctx;
    fprintf(stderr, "evalbias: comment questions%s:", given ? "" : " (chosen "
            "from the answers; --questions to choose)");
    for (size_t i = 0; i < chosen->n; i++)
        fprintf(stderr, "%s \"%s\"", i ? "," : "", chosen->v[i]);
    fputc('\n', stderr);
}

/* Even under -q, once: a resident the roster lacks has no roster label. */
static void print_roster_missing(void *ctx, const char *path, unsigned long n,
                                 const struct strvec *names)
{
    (void)ctx;
    fprintf(stderr, "evalbias: warning: %s: %lu resident%s of the export "
            "%s not in the roster (they keep the export's label, or "
            "\"(blank)\"; all listed in manifest.json):", path, n,
            n == 1 ? "" : "s", n == 1 ? "is" : "are");
    for (size_t i = 0; i < names->n && i < 5; i++)
        fprintf(stderr, "%s \"%s\"", i ? "," : "", names->v[i]);
    fprintf(stderr, "%s\n", n > 5 ? ", ..." : "");
}

static void print_unmapped(void *ctx, const char *map_path, const char *label,
                           const char *column)
{
    (void)ctx;
    fprintf(stderr, "evalbias: warning: %s: \"%s\" in column \"%s\" is not "
            "in the cohort map; it is its own cohort\n", map_path, label,
            column);
}

static void print_tally_summary(const struct run_info *ri)
{
    printf("evalbias: %lu rows read, %lu analysed, %lu skipped; %llu "
           "words, %llu hits (+%llu negated)\nOutputs in %s/: %s, "
           "manifest.json (merge the tally with 'evalbias merge')\n",
           ri->rows_read, ri->rows_analysed,
           ri->rows_skipped, (unsigned long long)ri->words,
           (unsigned long long)ri->hits, (unsigned long long)ri->negated,
           ri->out_dir, TALLY_FILE_NAME);
}

static void settings_fini(struct settings *s)
{
    review_options_fini(&s->review);
    strvec_fini(&s->text);
    strvec_fini(&s->cohort);
    strvec_fini(&s->lexicons);
    strvec_fini(&s->inputs);
    strvec_fini(&s->questions);
    strvec_fini(&s->roster_cohort);
    strvec_fini(&s->cohort_level);
    strvec_fini(&s->adjust);
}

/* Configuration keys that are lists (repeatable options) or paths. */
static const char *const config_lists[] = {
    "text", "cohort", "lexicon", "questions", "roster-cohort", "cohort-level",
    NULL};
static const char *const config_paths[] = {
    "roster", "cohort-map", "lexicon", "names", "id-key", "output",
    "review-key", "verdicts", NULL};

int cmd_audit(int argc, char **argv)
{
    struct settings s;
    memset(&s, 0, sizeof s);
    struct cli_config conf;
    int rc = cli_config_apply(&audit_command, argc, argv, config_lists,
                              config_paths, &conf);
    if (rc == 0)
        rc = parse_args(&s, (int)conf.args.n, conf.args.v, &conf);
    if (rc != 0) {
        settings_fini(&s);
        cli_config_fini(&conf);
        return rc < 0 ? EXIT_OK : rc;
    }
    struct progress_state ps = {0};
    struct audit_config cfg = {
        .inputs = (const char *const *)s.inputs.v, .ninputs = s.inputs.n,
        .lexicons = (const char *const *)s.lexicons.v,
        .nlexicons = s.lexicons.n,
        .text = (const char *const *)s.text.v, .ntext = s.text.n,
        .cohort = (const char *const *)s.cohort.v, .ncohort = s.cohort.n,
        .id = s.id, .resident = s.resident, .evaluator = s.evaluator,
        .question = s.question, .answer = s.answer,
        .questions = (const char *const *)s.questions.v,
        .nquestions = s.questions.n,
        .roster = s.roster, .roster_sheet = s.roster_sheet,
        .roster_key = s.roster_key,
        .roster_cohort = (const char *const *)s.roster_cohort.v,
        .nroster_cohort = s.roster_cohort.n,
        .cohort_level = (const char *const *)s.cohort_level.v,
        .ncohort_level = s.cohort_level.n,
        .adjust = (const char *const *)s.adjust.v, .nadjust = s.adjust.n,
        .cohort_map = s.cohort_map, .id_key = s.id_key, .out_dir = s.out_dir,
        .verdicts = s.verdicts,
        .period = s.period,
        .ropt = s.ropt, .copt = s.copt, .review = &s.review,
        .tally_only = s.tally_only, .strict = s.strict, .threads = s.threads,
        .version = EVALBIAS_VERSION,
        .args = (const char *const *)argv + 1, .nargs = (size_t)(argc - 1),
        .config = conf.conf.path ? &conf.conf : NULL,
        .cb = {
            .ctx = &ps,
            .columns = s.quiet ? NULL : print_mapping,
            .progress = s.quiet ? NULL : print_progress,
            .format = s.quiet ? NULL : print_format,
            .warnings = print_warnings,
            .unmapped = s.quiet ? NULL : print_unmapped,
            .questions = s.quiet ? NULL : print_questions,
            .roster_missing = print_roster_missing,
        },
    };
    struct diag err = {0};
    audit *a = audit_new(&cfg, &err);
    rc = a ? 0 : -1;
    if (rc == 0)
        rc = audit_run(a, &err);
    if (rc == 0)
        rc = audit_finish(a, s.quiet ? NULL : stdout, &err);
    if (rc == 0 && s.tally_only && !s.quiet)
        print_tally_summary(audit_run_info(a));
    if (rc != 0)
        diag_print(stderr, &err);
    unsigned long skipped = a ? audit_run_info(a)->rows_skipped : 0;
    unsigned long missing = a ? audit_run_info(a)->roster_missing : 0;
    int code = rc != 0 ? EXIT_USAGE
             : (s.strict && (skipped || missing)) ? EXIT_CHECK_FAILED : EXIT_OK;
    if (code == EXIT_CHECK_FAILED && skipped)
        fprintf(stderr, "evalbias: %lu rows skipped (--strict)\n", skipped);
    if (code == EXIT_CHECK_FAILED && missing)
        fprintf(stderr, "evalbias: %lu residents not in the roster "
                "(--strict)\n", missing);
    audit_free(a);
    settings_fini(&s);
    cli_config_fini(&conf);
    return code;
}
