/* cmd_review.c - `evalbias review import`: a committee's verdict files
 * joined to the review key (verdicts.h). argv -> verdicts_load_key,
 * verdicts_add_file each, verdicts_write -> a short summary on stdout. */
#include "cmd.h"
#include "cli.h"
#include "util.h"
#include "verdicts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_OUTPUT = 1, OPT_QUIET, OPT_KEY, OPT_AUDIT };

static const struct cli_option import_options[] = {
    {OPT_KEY, "review-key", 0, "FILE",
     "the key audit --review-key wrote for these packets", "Input"},
    {OPT_AUDIT, "audit", 0, "DIR",
     "the audit's output folder: also write confirmed/ (rates\n"
     "counting only hits judged biased) when every excerpt was\n"
     "judged, and weighted-rates.csv (hits times precision)",
     "Input"},
    {OPT_OUTPUT, "output", 'o', "DIR",
     "output folder (default: evalbias-verdicts)", "Output"},
    {OPT_QUIET, "quiet", 'q', NULL, "no summary on stdout", "Output"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command import_command = {
    "review import",
    "evalbias review import - bring a committee's verdicts back",
    "evalbias review import --review-key KEY [--audit DIR] -o DIR "
    "VERDICTS.csv...",
    "Joins the verdict files the review packets' pages download\n"
    "(verdicts-PACKETID-RN.csv; a filled-in review.csv also reads) to the\n"
    "key, and writes to the output folder (files mode 0600):\n"
    "  term-precision.csv  per lexicon, category and term: items judged\n"
    "                 biased / not biased / unsure, precision = biased /\n"
    "                 (biased + not biased) with a 95% Wilson interval\n"
    "  agreement.csv  Cohen's kappa per reviewer pair over the items both\n"
    "                 judged; Fleiss' kappa over the items all judged\n"
    "  items.csv      each item's verdict (the most common judgement; a tie\n"
    "                 goes to the earliest file given) and the comments\n"
    "  lexicon-candidates.csv  the masked sentences judged not biased, per\n"
    "                 term: material for guards and nomatch examples. It\n"
    "                 holds evaluation text: do not commit it to a lexicon\n"
    "                 repository as it is.\n"
    "  confirmed/rates.csv, confirmed/comparisons.csv  with --audit, when\n"
    "                 every excerpt of the audit has a verdict: its rates\n"
    "                 and comparisons counting only the hits judged biased\n"
    "                 (a hit judged not biased or unsure is taken out; words\n"
    "                 and evaluations stay); otherwise the command says why\n"
    "  weighted-rates.csv  with --audit: precision-weighted rates (hits\n"
    "                 times the term's precision), labelled as such\n"
    "No output names a resident or an evaluator. 'evalbias audit --verdicts\n"
    "DIR' adds a \"Committee review\" section to the report.\n"
    "Exit codes: 0 success; 2 usage or input error (a verdict file of a\n"
    "packet the key does not know, an item not in its packet, a verdict\n"
    "that is not biased, not_biased, unsure or empty).",
    import_options,
    "  evalbias audit --review-packet --reviewers 3 --review-key key.csv \\\n"
    "      -o out evals.csv\n"
    "  evalbias review import --review-key key.csv --audit out -o verdicts \\\n"
    "      verdicts-*-R1.csv verdicts-*-R2.csv verdicts-*-R3.csv\n",
};

static int usage_error(const char *msg)
{
    fprintf(stderr, "evalbias: error: %s\n"
                    "Try 'evalbias review import --help' for more "
                    "information.\n", msg);
    return EXIT_USAGE;
}

static int cmd_import(int argc, char **argv)
{
    struct cli_parser p;
    cli_init(&p, &import_command, argc - 1, argv + 1);
    const char *out = "evalbias-verdicts", *key = NULL, *audit = NULL, *v;
    int quiet = 0;
    struct strvec files = {0};
    for (int id; (id = cli_next(&p, &v)) != CLI_END;) {
        switch (id) {
        case CLI_HELP:
            cli_print_help(stdout, &import_command);
            strvec_fini(&files);
            return EXIT_OK;
        case CLI_ERROR: strvec_fini(&files); return usage_error(p.error);
        case CLI_POSITIONAL: strvec_push(&files, v); break;
        case OPT_OUTPUT: out = v; break;
        case OPT_QUIET: quiet = 1; break;
        case OPT_KEY: key = v; break;
        case OPT_AUDIT: audit = v; break;
        }
    }
    if (!key || !files.n) {
        strvec_fini(&files);
        return usage_error(!key ? "--review-key KEY is required"
                                : "no verdict file given");
    }
    struct diag err = {0};
    struct diags warn = {0};
    verdicts *vd = verdicts_new();
    int rc = verdicts_load_key(vd, key, &err);
    for (size_t i = 0; i < files.n && rc == 0; i++)
        rc = verdicts_add_file(vd, files.v[i], &warn, &err);
    diags_flush(&warn, stderr);
    if (rc == 0 && mkdir(out, 0700) != 0 && errno != EEXIST) {
        diag_set(&err, DIAG_ERROR, out, 0, 0, "cannot create the output "
                 "folder: %s", strerror(errno));
        rc = -1;
    }
    if (rc == 0)
        rc = verdicts_write(vd, out, audit, &warn, &err);
    diags_flush(&warn, stderr);
    if (rc < 0)
        diag_print(stderr, &err);
    else if (audit && verdicts_confirmed_note(vd))
        fprintf(stderr, "evalbias: note: no %s/confirmed/: %s; "
                "%s/weighted-rates.csv has precision-weighted rates "
                "instead\n", out, verdicts_confirmed_note(vd), out);
    if (rc == 0) {
        fprintf(stderr, "evalbias: warning: %s/lexicon-candidates.csv and "
                "%s/items.csv hold evaluation text and comments: keep them "
                "with the evaluations; do not commit them to a lexicon "
                "repository as they are\n", out, out);
        if (!quiet)
            printf("evalbias review import: %zu verdict files, %zu reviewers, "
                   "%zu of %zu items judged\nOutputs in %s/: term-precision."
                   "csv, agreement.csv, items.csv, lexicon-candidates.csv%s\n",
                   files.n, verdicts_reviewers(vd), verdicts_judged(vd),
                   verdicts_items(vd), out,
                   audit ? (verdicts_confirmed_note(vd)
                                ? ", weighted-rates.csv"
                                : ", weighted-rates.csv, confirmed/")
                         : "");
    }
    verdicts_free(vd);
    diags_fini(&warn);
    strvec_fini(&files);
    return rc < 0 ? EXIT_USAGE : EXIT_OK;
}

int cmd_review(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return cmd_import(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
                      strcmp(argv[1], "-h") == 0)) {
        cli_print_help(stdout, &import_command);
        return EXIT_OK;
    }
    return usage_error("review takes a subcommand: import");
}
