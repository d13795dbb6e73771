/* cmd_lexicon_import.c - `evalbias lexicon import --from liwc|yaml FILE -o
 * OUT.csv`: another tool's dictionary as an evalbias CSV lexicon. The
 * reading, checking and writing are lexicon_import.c's; this file owns the
 * options, the output file and the messages. Dispatched by cmd_lexicon. */
#include "cmd.h"
#include "cli.h"
#include "lexicon_import.h"
#include "outfile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_FROM = 1, OPT_OUTPUT, OPT_NAME, OPT_VERSION, OPT_OVERLAP };

static const struct cli_option import_options[] = {
    {OPT_FROM, "from", 0, "FORMAT",
     "liwc (a LIWC .dic file) or yaml (a quanteda YAML\n"
     "dictionary); required", "Input"},
    {OPT_OUTPUT, "output", 'o', "FILE.csv", "the lexicon to write (required; "
     "its name\nwithout .csv is the lexicon's name)", "Output"},
    {OPT_NAME, "name", 0, "NAME", "the lexicon's name instead", "Output"},
    {OPT_VERSION, "lexicon-version", 0, "V", "the lexicon's version", "Output"},
    {OPT_OVERLAP, "overlap", 0, "HOW",
     "a term in several categories: error (default) or\n"
     "first (the first category keeps it; the others become\n"
     "warnings and comment rows)", "Input"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command import_command = {
    "lexicon import",
    "evalbias lexicon import - another tool's dictionary as a CSV lexicon",
    "evalbias lexicon import --from liwc|yaml FILE -o OUT.csv",
    "Reads a LIWC dictionary (.dic: categories between two '%' lines, then\n"
    "a term and its category codes per line; 'word*' is a stem) or a\n"
    "quanteda YAML dictionary (category: [terms]; nested categories become\n"
    "ids joined with '.') and writes an evalbias CSV lexicon: one entry row\n"
    "per (category, term) pair, and per category a label, a summary,\n"
    "direction \"unspecified\" and a source naming the imported file and its\n"
    "SHA-256. Every term is checked as the lexicon loader reads it, so the\n"
    "output loads and `lexicon lint` finds no errors in it. Refused, with\n"
    "file:line:col: conditional LIWC entries (\"like (02 134)125/464\"),\n"
    "unknown codes, terms evalbias cannot match (a '*' or '?' inside a\n"
    "word), and by default a term in several categories (--overlap).\n"
    "Exit codes: 0 success; 2 usage or input error.",
    import_options,
    "  evalbias lexicon import --from liwc my.dic -o lexicons/my.csv\n"
    "  evalbias lexicon import --from yaml --overlap first dict.yml -o d.csv\n"
    "  evalbias lexicon lint lexicons/my.csv\n",
};

static int usage_error(const char *msg)
{
    fprintf(stderr, "evalbias: error: %s\n"
                    "Try 'evalbias lexicon import --help' for more "
                    "information.\n", msg);
    return EXIT_USAGE;
}

int cmd_lexicon_import(int argc, char **argv)
{
    struct cli_parser cp;
    cli_init(&cp, &import_command, argc - 1, argv + 1);
    const char *v, *in = NULL, *out = NULL, *from = NULL;
    struct import_meta meta = {NULL, NULL};
    enum import_overlap overlap = IMPORT_OVERLAP_ERROR;
    size_t npos = 0;
    for (int id; (id = cli_next(&cp, &v)) != CLI_END;) {
        switch (id) {
        case CLI_HELP: cli_print_help(stdout, &import_command); return EXIT_OK;
        case CLI_ERROR: return usage_error(cp.error);
        case CLI_POSITIONAL: in = v; npos++; break;
        case OPT_FROM: from = v; break;
        case OPT_OUTPUT: out = v; break;
        case OPT_NAME: meta.name = v; break;
        case OPT_VERSION: meta.version = v; break;
        case OPT_OVERLAP:
            if (strcmp(v, "error") == 0)
                overlap = IMPORT_OVERLAP_ERROR;
            else if (strcmp(v, "first") == 0)
                overlap = IMPORT_OVERLAP_FIRST;
            else
                return usage_error("--overlap must be error or first");
            break;
        }
    }
    enum dict_format fmt;
    if (!from)
        return usage_error("--from liwc or --from yaml is required");
    if (strcmp(from, "liwc") == 0)
        fmt = DICT_LIWC;
    else if (strcmp(from, "yaml") == 0)
        fmt = DICT_YAML;
    else
        return usage_error("--from must be liwc or yaml");
    if (npos != 1)
        return usage_error("give one dictionary file");
    if (!out)
        return usage_error("-o OUT.csv is required");

    struct dict d;
    struct diag err;
    struct diags warn = {0};
    outfile_protect(in);
    int rc = dict_read(&d, fmt, in, &err, &warn);
    if (rc == 0)
        rc = dict_check(&d, in, overlap, &err, &warn);
    diags_flush(&warn, stderr);
    struct outfile o;
    if (rc == 0)
        rc = outfile_open(&o, out, &err);
    if (rc == 0) {
        struct buf csv;
        buf_init(&csv);
        dict_write_csv(&d, &meta, &csv);
        fwrite(csv.p, 1, csv.len, o.f);
        buf_fini(&csv);
        rc = outfile_close(&o, 1, &err);
    }
    if (rc == 0) {
        size_t kept = 0, ncats = 0;
        for (size_t i = 0; i < d.npairs; i++)
            kept += !d.pairs[i].dropped;
        for (size_t c = 0; c < d.ncats; c++) {
            int any = 0;
            for (size_t i = 0; i < d.npairs && !any; i++)
                any = d.pairs[i].category == c && !d.pairs[i].dropped;
            ncats += any;
        }
        fprintf(stderr, "evalbias: lexicon import: %zu term%s in %zu "
                "categor%s from %s -> %s (%zu pair%s not imported)\n", kept,
                kept == 1 ? "" : "s", ncats, ncats == 1 ? "y" : "ies", in,
                out, d.npairs - kept, d.npairs - kept == 1 ? "" : "s");
    } else {
        diag_print(stderr, &err);
    }
    diags_fini(&warn);
    dict_fini(&d);
    return rc == 0 ? EXIT_OK : EXIT_USAGE;
}
