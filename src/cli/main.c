/* main.c - argv -> subcommand -> exit code. The only place that decides how
 * the process ends; subcommands return their exit code. */
#include "cmd.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>
#include <csv.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"audit", cmd_audit, "audit evaluation comments: rates, excerpts, manifest"},
    {"columns", cmd_columns, "list a CSV's columns, sample values and guessed roles"},
    {"lexicon", cmd_lexicon, "test, lint, diff and show lexicons (for CI)"},
    {"merge", cmd_merge, "add up tally files (audit --tally-only) into one result"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fputs("evalbias - audit the narrative comments of resident evaluations "
          "for gendered language\n\nUsage: evalbias COMMAND [OPTIONS] "
          "[ARGS]\n\nCommands:\n", f);
    for (const struct command *c = commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fputs("  help CMD   show the help of a command (same as CMD --help)\n"
          "\nRun 'evalbias COMMAND --help' for a command's options.\n"
          "\nExit codes: 0 success; 1 a failed check (--strict with skipped "
          "rows ...);\n            2 usage or input error.\n", f);
}

static void version(void)
{
    printf("evalbias %s\nlibraries: PCRE2 %d.%d, utf8proc %s (Unicode %s), "
           "libcsv %d.%d.%d\n", EVALBIAS_VERSION, PCRE2_MAJOR, PCRE2_MINOR,
           utf8proc_version(), utf8proc_unicode_version(), CSV_MAJOR,
           CSV_MINOR, CSV_RELEASE);
}

static const struct command *find(const char *name)
{
    for (const struct command *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        version();
        return EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return EXIT_OK;
        }
        const struct command *c = find(argv[2]);
        if (!c) {
            fprintf(stderr, "evalbias: no command '%s'\n", argv[2]);
            return EXIT_USAGE;
        }
        char *help_argv[] = {argv[2], "--help", NULL};
        return c->run(2, help_argv);
    }
    const struct command *c = find(name);
    if (!c) {
        fprintf(stderr, "evalbias: unknown command '%s'\n\n", name);
        usage(stderr);
        return EXIT_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}
