/* main.c - argv -> subcommand -> exit code. The only place that decides how
 * the process ends; subcommands return their exit code. */
#include "cli.h"
#include "cmd.h"
#include "outset.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
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
    {"init", cmd_init, "write a configuration (evalbias.yaml) from an export"},
    {"lexicon", cmd_lexicon, "test, lint, diff and show lexicons (for CI)"},
    {"merge", cmd_merge, "add up tally files (audit --tally-only) into one result"},
    {"trend", cmd_trend, "compare the audits of several cycles (--period)"},
    {"review", cmd_review, "review import: a committee's verdicts on a review packet"},
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
          "  help --man [CMD]   the man page (roff) of evalbias or a command\n"
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

static int unknown_command(const char *name)
{
    const char *names[16];
    size_t n = 0;
    for (const struct command *c = commands; c->name && n < 15; c++)
        names[n++] = c->name;
    names[n++] = "help";
    return cli_unknown("command", name, names, n,
                       "evalbias COMMAND [OPTIONS] [ARGS] (evalbias --help "
                       "lists the commands)");
}

/* The page for evalbias(1): its commands, exit codes and files. */
static void man_top(void)
{
    printf(".TH EVALBIAS 1 \"\" \"evalbias %s\" \"User Commands\"\n"
           ".SH NAME\nevalbias \\- audit the narrative comments of resident "
           "evaluations for gendered language\n"
           ".SH SYNOPSIS\n\\fBevalbias\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR] "
           "[\\fIARGS\\fR]\n.SH COMMANDS\n", EVALBIAS_VERSION);
    for (const struct command *c = commands; c->name; c++)
        printf(".TP\n\\fBevalbias\\-%s\\fR(1)\n%s\n", c->name, c->summary);
    printf(".SH EXIT STATUS\n0 success; 1 a failed check (\\-\\-strict with "
           "skipped rows, a failing lexicon test ...); 2 usage or input "
           "error.\n.SH ENVIRONMENT\n.TP\n\\fBEVALBIAS_LEXICONS\\fR\n"
           "the lexicon folder used when no \\-\\-lexicon is given; else "
           "\\fIPREFIX\\fR/share/evalbias/lexicons beside the installed "
           "binary, else lexicons/ beside a binary built in the source tree.\n"
           ".SH SEE ALSO\n");
    for (const struct command *c = commands; c->name; c++)
        printf("\\fBevalbias\\-%s\\fR(1)%s\n", c->name, c[1].name ? "," : "");
}

/* evalbias help [--man|--words] [CMD [SUB]] */
static int help(int argc, char **argv)
{
    int i = 2;
    enum cli_help_format fmt = CLI_HELP_TEXT;
    if (i < argc && strcmp(argv[i], "--man") == 0)
        fmt = CLI_HELP_MAN, i++;
    else if (i < argc && strcmp(argv[i], "--words") == 0)
        fmt = CLI_HELP_WORDS, i++;
    if (i >= argc) {
        if (fmt == CLI_HELP_MAN)
            man_top();
        else if (fmt == CLI_HELP_WORDS)
            for (const struct command *c = commands; c->name; c++)
                printf("%s%s", c->name, c[1].name ? " " : " help\n");
        else
            usage(stdout);
        return EXIT_OK;
    }
    const struct command *c = find(argv[i]);
    if (!c)
        return unknown_command(argv[i]);
    if (fmt == CLI_HELP_MAN) {
        printf(".TH EVALBIAS-");
        for (const char *p = c->name; *p; p++)
            putchar(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        printf(" 1 \"\" \"evalbias %s\" \"User Commands\"\n.SH NAME\n"
               "evalbias\\-%s \\- %s\n", EVALBIAS_VERSION, c->name, c->summary);
    }
    cli_set_help_format(fmt);
    /* A command with subcommands (lexicon) answers `CMD --help` for the
     * group and `CMD SUB --help` for one. */
    char *help_argv[] = {argv[i], i + 1 < argc ? argv[i + 1] : "--help",
                         "--help", NULL};
    int rc = c->run(i + 1 < argc ? 3 : 2, help_argv);
    if (fmt == CLI_HELP_MAN)
        printf(".SH SEE ALSO\n\\fBevalbias\\fR(1)\n");
    return rc;
}

/* SIGINT, SIGTERM, SIGHUP: remove the run's staging folder and temporary
 * files (the output folder keeps its previous set) and end as the shell
 * expects, 128 + the signal (130, 143, 129). */
static void on_signal(int sig)
{
    outset_abort_all();
    _exit(128 + sig);
}

/* SIGBUS: with --threads, a regular input is read through a memory map; a
 * file cut shorter while the audit reads it faults there. Say so, remove
 * the staging folder, end as an input error (no output folder changes). */
static void on_bus(int sig)
{
    static const char msg[] =
        "evalbias: error: an input file became shorter while it was being "
        "read (bus error); nothing was written: run the audit again on a "
        "file that is not being changed\n";
    (void)sig;
    outset_abort_all();
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(EXIT_USAGE);
}

static void install_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigfillset(&sa.sa_mask);
        /* An ignored signal (nohup, a background job's SIGINT) stays so. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
    struct sigaction sb;
    memset(&sb, 0, sizeof sb);
    sb.sa_handler = on_bus;
    sigfillset(&sb.sa_mask);
    sigaction(SIGBUS, &sb, NULL);
}

int main(int argc, char **argv)
{
    install_signals();
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
    if (strcmp(name, "help") == 0)
        return help(argc, argv);
    const struct command *c = find(name);
    if (!c)
        return unknown_command(name);
    return c->run(argc - 1, argv + 1);
}
