/* cmd_trend.c - `evalbias trend`: audits of several cycles compared
 * (trend.h). argv -> trend_load -> trend.csv, trend-changes.csv,
 * trend.html in the output folder -> a short summary on stdout. */
#include "cmd.h"
#include "cli.h"
#include "lexicon_out.h"
#include "outfile.h"
#include "outset.h"
#include "tally_file.h"
#include "trend.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
    OPT_OUTPUT = 1, OPT_QUIET, OPT_TERMS, OPT_REFERENCE, OPT_MIN_RESIDENTS,
    OPT_CONFIDENCE, OPT_ROBUST, OPT_COMPARE_BLANK,
};

static const struct cli_option trend_options[] = {
    {OPT_TERMS, "terms", 0, NULL,
     "also write a row per term to trend.csv (default: the\n"
     "category totals, term \"*\")", "Output"},
    {OPT_REFERENCE, "reference", 0, "COHORT",
     "the cohort every other one is compared with (default:\n"
     "the one shown in every cycle with the most residents)",
     "Cohorts and statistics"},
    {OPT_COMPARE_BLANK, "compare-blank", 0, NULL,
     "also compare the \"(blank)\" cohort (as audit\n"
     "--compare-blank)", "Cohorts and statistics"},
    {OPT_MIN_RESIDENTS, "min-residents", 0, "N",
     "suppress, in each cycle, cohorts with fewer than N\n"
     "residents (default 5)", "Cohorts and statistics"},
    {OPT_CONFIDENCE, "confidence", 0, "LEVEL",
     "confidence level of intervals (default 0.95)", "Cohorts and statistics"},
    {OPT_ROBUST, "robust", 0, "TYPE",
     "cluster-robust variance of the rate ratios and the\n"
     "test of change: cr2 (default; Bell-McCaffrey df),\n"
     "cr2-g2 (t on G-2) or cr1 (as audit --robust)", "Cohorts and statistics"},
    {OPT_OUTPUT, "output", 'o', "DIR", "output folder (default: evalbias-trend)",
     "Output"},
    {OPT_QUIET, "quiet", 'q', NULL, "no summary on stdout", "Output"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command trend_command = {
    "trend",
    "evalbias trend - compare the audits of several cycles",
    "evalbias trend [-o DIR] [--terms] AUDIT_DIR...",
    "Each AUDIT_DIR is an audit output folder (it holds its " TALLY_FILE_NAME
    ")\nor a tally folder. A cycle is labelled by the audit's --period, else by\n"
    "the folder's name; two cycles may not share a label; cycles keep the\n"
    "order given. The output folder gets:\n"
    "  trend.csv      per cycle x cohort column x cohort x category (x term\n"
    "                 with --terms): counts, rate per 1,000 words, and the\n"
    "                 rate ratio against the reference with its\n"
    "                 resident-level robust interval\n"
    "  trend-changes.csv  the test of change per category: the ratio of rate\n"
    "                 ratios, last cycle against first, clustered by resident\n"
    "                 across cycles, with Benjamini-Hochberg q over categories\n"
    "  trend.html     one self-contained page, one small chart per category\n"
    "Audits made with different lexicon versions are compared only on the\n"
    "entries present in every cycle (the page says so). Each cycle\n"
    "suppresses small cohorts as its audit does.\n"
    "Exit codes: 0 success; 2 usage error, or an audit that cannot be read.",
    trend_options,
    "  evalbias audit --period 2023-24 -o audit-2024 evals-2024.csv\n"
    "  evalbias audit --period 2024-25 -o audit-2025 evals-2025.csv\n"
    "  evalbias trend -o trend/ audit-2024 audit-2025\n",
};

struct trend_settings {
    struct strvec dirs;
    const char *out_dir;
    struct compare_options copt;
    int quiet, terms;
};

static int usage_error(const char *msg)
{
    fprintf(stderr, "evalbias: error: %s\n"
                    "Try 'evalbias trend --help' for more information.\n", msg);
    return EXIT_USAGE;
}

static int parse_args(struct trend_settings *s, int argc, char **argv)
{
    struct cli_parser p;
    cli_init(&p, &trend_command, argc - 1, argv + 1);
    s->out_dir = "evalbias-trend";
    compare_options_default(&s->copt);
    const char *msg, *v;
    for (int id; (id = cli_next(&p, &v)) != CLI_END;) {
        switch (id) {
        case CLI_HELP: cli_print_help(stdout, &trend_command); return -1;
        case CLI_ERROR: return usage_error(p.error);
        case CLI_POSITIONAL: strvec_push(&s->dirs, v); break;
        case OPT_REFERENCE:
        case OPT_COMPARE_BLANK:
        case OPT_ROBUST:
        case OPT_MIN_RESIDENTS:
        case OPT_CONFIDENCE:
            if ((msg = compare_set_option(&s->copt, cli_option_name(p.cmd, id),
                                          v)))
                return usage_error(msg);
            break;
        case OPT_OUTPUT: s->out_dir = v; break;
        case OPT_QUIET: s->quiet = 1; break;
        case OPT_TERMS: s->terms = 1; break;
        }
    }
    if (s->dirs.n == 0)
        return usage_error("no audit folder given");
    return 0;
}

enum which { W_CSV, W_CHANGES, W_HTML, W_MANIFEST };

/* trend's manifest: what made the folder and which files are its set
 * (outset.h), so a later run may write into it again. */
static void write_manifest(FILE *f, const struct trend_settings *s,
                           const outset *os)
{
    struct strvec names = {0};
    outset_list(os, &names);
    strvec_push(&names, OUTSET_MANIFEST);
    fputs("{\n  \"tool\": \"evalbias\",\n  \"version\": ", f);
    json_str(f, EVALBIAS_VERSION);
    fputs(",\n  \"command\": \"trend\",\n  \"cycles\": [", f);
    for (size_t i = 0; i < s->dirs.n; i++) {
        if (i)
            fputs(", ", f);
        json_str(f, path_basename(s->dirs.v[i]));
    }
    fputs("],\n  \"outputs\": [", f);
    for (size_t i = 0; i < names.n; i++) {
        if (i)
            fputs(", ", f);
        json_str(f, names.v[i]);
    }
    fputs("]\n}\n", f);
    strvec_fini(&names);
}

static int write_one(const struct trend_settings *s, const struct trend *tr,
                     const outset *os, const char *name, enum which w,
                     struct diag *err)
{
    struct buf path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", outset_dir(os), name);
    struct outfile o;
    int rc = outfile_open(&o, buf_cstr(&path), err);
    buf_fini(&path);
    if (rc < 0)
        return -1;
    if (w == W_CSV)
        trend_write_csv(o.f, tr, s->terms);
    else if (w == W_CHANGES)
        trend_write_changes(o.f, tr);
    else if (w == W_HTML)
        trend_write_html(o.f, tr, EVALBIAS_VERSION);
    else
        write_manifest(o.f, s, os);
    return outfile_close(&o, 1, err);
}

static void summary(FILE *f, const struct trend_settings *s,
                    const struct trend *tr)
{
    fprintf(f, "evalbias trend: %zu cycles:", tr->ncycles);
    for (size_t i = 0; i < tr->ncycles; i++)
        fprintf(f, "%s %s", i ? "," : "", tr->cycles[i].label);
    fprintf(f, "\n          %zu categories and %zu terms in every cycle",
            tr->ncats, tr->nterms);
    if (tr->lexicons_differ || tr->cats_dropped || tr->terms_dropped)
        fputs(" (the cycles' lexicons differ: compared on common entries "
              "only)", f);
    fputc('\n', f);
    size_t n = 0;
    for (size_t i = 0; i < tr->ntests; i++) {
        const struct trend_test *t = &tr->tests[i];
        if (!trend_test_significant(tr, t))
            continue;
        if (!n++)
            fprintf(f, "\nChanges from %s to %s (ratio of rate ratios, %g%% "
                       "interval, q):\n", tr->cycles[0].label,
                    tr->cycles[tr->ncycles - 1].label, 100 * tr->opt.conf);
        fprintf(f, "  %s: %s vs %s, %s/%s: %.2f (%.2f-%.2f), q %.3g\n",
                tr->cols[t->col].name, t->cohort, tr->cols[t->col].reference,
                tr->cats[t->cat].lexicon, tr->cats[t->cat].category,
                t->ch.rrr, t->ch.lo, t->ch.hi, t->q);
    }
    if (tr->ncycles > 1 && !n)
        fputs("\nNo category's gap between cohorts changed from the first "
              "cycle to the last at this level.\n", f);
    else if (n)
        fprintf(f, "\n%zu change%s; see trend.html.\n", n, n == 1 ? "" : "s");
    fprintf(f, "\nOutputs in %s/: trend.html, trend.csv, trend-changes.csv\n",
            s->out_dir);
}

int cmd_trend(int argc, char **argv)
{
    struct trend_settings s;
    memset(&s, 0, sizeof s);
    int rc = parse_args(&s, argc, argv);
    if (rc != 0) {
        strvec_fini(&s.dirs);
        return rc < 0 ? EXIT_OK : rc;
    }
    struct diag err;
    memset(&err, 0, sizeof err);
    struct trend tr;
    rc = trend_load(&tr, (const char *const *)s.dirs.v, s.dirs.n, &s.copt,
                    &err);
    /* A folder trend reads is not one it writes into. */
    for (size_t i = 0; rc == 0 && i < s.dirs.n; i++)
        if (outset_holds(s.out_dir, s.dirs.v[i])) {
            diag_set(&err, DIAG_ERROR, s.out_dir, 0, 0,
                     "the output folder is the audit folder %s (or holds "
                     "it); choose another folder (-o)", s.dirs.v[i]);
            rc = -1;
        }
    outset *os = NULL;
    if (rc == 0 && !(os = outset_open(s.out_dir, &err)))
        rc = -1;
    if (rc == 0)
        rc = write_one(&s, &tr, os, "trend.csv", W_CSV, &err);
    if (rc == 0)
        rc = write_one(&s, &tr, os, "trend-changes.csv", W_CHANGES, &err);
    if (rc == 0)
        rc = write_one(&s, &tr, os, "trend.html", W_HTML, &err);
    if (rc == 0)
        rc = write_one(&s, &tr, os, OUTSET_MANIFEST, W_MANIFEST, &err);
    if (os) {
        if (rc == 0)
            rc = outset_publish(os, &err);
        else
            outset_abort(os);
    }
    if (rc == 0 && !s.quiet)
        summary(stdout, &s, &tr);
    if (rc != 0)
        diag_print(stderr, &err);
    trend_fini(&tr);
    strvec_fini(&s.dirs);
    return rc != 0 ? EXIT_USAGE : EXIT_OK;
}
