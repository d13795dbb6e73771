/* cmd_columns.c - `evalbias columns FILE.csv`: the header's columns, a few
 * sample values of each, and the role evalbias would guess for it - the
 * first thing to run on a new export, before naming columns to `audit`. */
#include "cmd.h"
#include "cli.h"
#include "columns.h"
#include "inspect.h"
#include "reader.h"
#include "textsafe.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SAMPLE_WIDTH 40   /* characters shown per value */

enum { OPT_ENCODING = 1, OPT_DELIMITER, OPT_HEADER_ROW, OPT_SHEET };

static const struct cli_option columns_options[] = {
    {OPT_ENCODING, "encoding", 0, "ENC",
     "auto (default), utf-8, windows-1252, utf-16le or utf-16be", "Input"},
    {OPT_DELIMITER, "delimiter", 0, "C", READER_OPTION_HELP_DELIMITER, "Input"},
    {OPT_HEADER_ROW, "header-row", 0, "N", READER_OPTION_HELP_HEADER_ROW, "Input"},
    {OPT_SHEET, "sheet", 0, "NAME", READER_OPTION_HELP_SHEET, "Input"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command columns_command = {
    "columns",
    "evalbias columns - list a CSV or .xlsx export's columns and the roles evalbias guesses",
    "evalbias columns [OPTIONS] FILE.csv|FILE.xlsx",
    "Prints each column of the header with up to 3 sample values from the\n"
    "first 200 rows and the role `evalbias audit` would give it when --text,\n"
    "--cohort, --id and --resident are not given. Sample values are cut to 40\n"
    "characters; nothing is written to disk. The second line says how the\n"
    "file was read: its delimiter (or sheet) and header row. A long export\n"
    "(one row per answer: a Question and a Response column) is recognised:\n"
    "the first 100,000 rows show which questions hold free text, and the\n"
    "options to audit it are printed.",
    columns_options,
    "  evalbias columns samples/evaluations.csv\n",
};

static const char *const role_names[] = {
    [INSPECT_NONE] = "", [INSPECT_TEXT] = "text", [INSPECT_COHORT] = "cohort",
    [INSPECT_ID] = "id", [INSPECT_RESIDENT] = "resident"};

/* Print at most SAMPLE_WIDTH code points of s on one line, control and
 * bidi characters escaped (textsafe.h). */
static void print_sample(const char *s, size_t n)
{
    struct buf b;
    buf_init(&b);
    text_escape(&b, s, n, SAMPLE_WIDTH, 0);
    fputs(buf_cstr(&b), stdout);
    buf_fini(&b);
}

/* A header name or path, escaped, as a C string valid until the next call
 * with the same b. */
static const char *esc(struct buf *b, const char *s)
{
    buf_clear(b);
    text_escape(b, s, strlen(s), 0, 0);
    return buf_cstr(b);
}

int cmd_columns(int argc, char **argv)
{
    struct cli_parser p;
    cli_init(&p, &columns_command, argc - 1, argv + 1);
    struct reader_options ropt = {0};
    const char *path = NULL, *v;
    for (int id; (id = cli_next(&p, &v)) != CLI_END;) {
        switch (id) {
        case CLI_HELP: cli_print_help(stdout, &columns_command); return EXIT_OK;
        case CLI_ERROR:
            fprintf(stderr, "evalbias: error: %s\n", p.error);
            return EXIT_USAGE;
        case CLI_POSITIONAL:
            if (path) {
                fprintf(stderr, "evalbias: error: columns takes one file\n");
                return EXIT_USAGE;
            }
            path = v;
            break;
        case OPT_DELIMITER: case OPT_HEADER_ROW: case OPT_SHEET: {
            const char *msg = reader_set_option(&ropt, id == OPT_SHEET ? "sheet"
                                  : id == OPT_DELIMITER ? "delimiter" : "header-row", v);
            if (msg) {
                fprintf(stderr, "evalbias: error: %s\n", msg);
                return EXIT_USAGE;
            }
            break;
        }
        case OPT_ENCODING:
            ropt.encoding = strcmp(v, "utf-8") == 0 ? READER_ENC_UTF8
                          : strcmp(v, "windows-1252") == 0 ? READER_ENC_CP1252
                          : strcmp(v, "utf-16le") == 0 ? READER_ENC_UTF16LE
                          : strcmp(v, "utf-16be") == 0 ? READER_ENC_UTF16BE
                          : READER_ENC_AUTO;
            break;
        }
    }
    if (!path) {
        fprintf(stderr, "evalbias: error: no input file\n"
                        "Try 'evalbias columns --help'.\n");
        return EXIT_USAGE;
    }
    struct diag err;
    struct inspection in;
    int rc = inspect_file(path, &ropt, &in, &err);
    if (rc < 0 && !in.columns.n) {
        diag_print(stderr, &err);
        inspection_fini(&in);
        return EXIT_USAGE;
    }
    size_t n = in.columns.n;
    struct buf eb;
    buf_init(&eb);
    printf("%s: %zu columns, encoding %s\n%s\n\n", esc(&eb, path), n,
           in.encoding, in.how);
    printf("  %-3s %-30s %-9s %s\n", "#", "column", "role", "sample values");
    for (size_t c = 0; c < n; c++) {
        printf("  %-3zu %-30s %-9s ", c + 1, esc(&eb, in.columns.v[c]),
               role_names[in.role[c]]);
        for (size_t s = 0; s < in.samples[c].n; s++) {
            fputs(s ? " | " : "", stdout);
            print_sample(in.samples[c].v[s], strlen(in.samples[c].v[s]));
        }
        putchar('\n');
    }
    if (in.question >= 0) {
        printf("\nA long export (one row per answer). Questions, and whether their "
               "answers\nlook like comments (free text) or ratings:\n");
        for (size_t i = 0; i < in.q.nseen; i++)
            printf("  %-8s %s\n", in.q.seen[i].comment ? "comment" : "rating",
                   in.q.seen[i].name);
        const char *id = in.id >= 0 ? in.columns.v[in.id] : NULL;
        const char *res = in.resident >= 0 ? in.columns.v[in.resident] : NULL;
        printf("\nAudit it with:\n  evalbias audit --question \"%s\" --answer "
               "\"%s\" --id \"%s\"%s%s%s \\\n      %s\n"
               "(--questions \"A,B\" chooses the comment questions; a roster adds "
               "gender:\n --roster FILE --roster-key COL --roster-cohort "
               "COL=NAME;\n 'evalbias init' writes these options into a "
               "configuration)\n", in.columns.v[in.question],
               in.columns.v[in.answer], id ? id : "EVALUATION ID COLUMN",
               res ? " --resident \"" : " --resident \"RESIDENT COLUMN",
               res ? res : "", "\"", path);
    }
    buf_fini(&eb);
    inspection_fini(&in);
    if (rc < 0) {
        diag_print(stderr, &err);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}
