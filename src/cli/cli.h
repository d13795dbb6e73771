/* cli.h - option tables and their parser; --help is generated from the table.
 *
 * Each subcommand declares a static table of struct cli_option (long name,
 * short letter, argument name or NULL for a flag, help text, category), and
 * a struct cli_command (name, one-line summary, usage, table). cli_next walks
 * argv and returns one option or positional argument at a time, so the cmd
 * file keeps its own typed settings (ripgrep's LowArgs) and validates them.
 *
 * Accepted forms: --name VALUE, --name=VALUE, -n VALUE, -nVALUE, bundled
 * short flags (-qv), "--" ends options, "-" alone is a positional (stdin). */
#ifndef EVALBIAS_CLI_H
#define EVALBIAS_CLI_H

#include <stddef.h>
#include <stdio.h>

struct cli_option {
    int id;               /* returned by cli_next; > 0 */
    const char *name;     /* long name without "--" */
    char short_name;      /* 0 when none */
    const char *arg;      /* argument name ("COL"), NULL for a flag */
    const char *help;
    const char *category; /* heading in --help ("Columns", "Output" ...) */
};

struct cli_command {
    const char *name;
    const char *summary;   /* one line */
    const char *usage;     /* "evalbias audit [OPTIONS] FILE.csv..." */
    const char *description; /* paragraph(s) after the usage, may be NULL */
    const struct cli_option *options; /* terminated by an entry with id 0 */
    const char *examples;  /* may be NULL */
};

enum {
    CLI_END = 0,      /* no more arguments */
    CLI_POSITIONAL = -1,
    CLI_ERROR = -2,   /* message in p->error */
    CLI_HELP = -3,    /* -h or --help was given */
};

struct cli_parser {
    const struct cli_command *cmd;
    int argc;
    char **argv;
    int i;            /* next argv index */
    const char *bundle; /* rest of a bundle of short flags */
    int only_positional;
    char error[256];
};

void cli_init(struct cli_parser *p, const struct cli_command *cmd, int argc,
              char **argv);
/* Next option id (with *value set to its argument, or NULL for a flag),
 * CLI_POSITIONAL (*value = the argument), CLI_HELP, CLI_ERROR or CLI_END. */
int cli_next(struct cli_parser *p, const char **value);

/* The long name of option id in cmd's table ("" when none). */
const char *cli_option_name(const struct cli_command *cmd, int id);

/* Full help for cmd, grouped by category, in the process's help format. */
void cli_print_help(FILE *f, const struct cli_command *cmd);

/* How cli_print_help renders: the terminal text (default); a man page's
 * sections (SYNOPSIS, DESCRIPTION, OPTIONS, EXAMPLES), or, for a command
 * with subcommands, one section per subcommand; or just the option words,
 * one line, for shell completion. `evalbias help --man|--words` sets it, so
 * the man pages and the completion come from the tables --help prints. */
enum cli_help_format {
    CLI_HELP_TEXT,
    CLI_HELP_MAN,
    CLI_HELP_MAN_SUB,
    CLI_HELP_WORDS,
};
void cli_set_help_format(enum cli_help_format f);
enum cli_help_format cli_get_help_format(void);

/* roff for a man page (man.c): the sections of cmd, headed as a whole page
 * (sub = 0) or as one subcommand's section of a group page (sub = 1). */
void cli_print_man(FILE *f, const struct cli_command *cmd, int sub);

/* The default lexicon folder (lexicon_path.h) for commands run without
 * --lexicon; NULL after printing an error that names every place looked. */
const char *cli_default_lexicons(void);

/* "unknown command 'x'; did you mean 'y'?" (or without the suggestion),
 * then one usage line; returns EXIT_USAGE's value, 2. */
int cli_unknown(const char *what, const char *word, const char *const *cands,
                size_t n, const char *usage);

/* --config FILE (config.h): the configuration's options go before the
 * command line's, so an option typed there overrides its key, and a
 * repeatable option typed there replaces the key's whole list (the
 * configuration's values for it are dropped). The key "input" lists the
 * inputs, used when the command line names none. Keys are the options of
 * cmd except "config"; those named in repeatable[] are lists, those in
 * paths[] (and input) resolve against the configuration's folder (both
 * NULL-terminated). */
#include "config.h"
#include "util.h"
struct cli_config {
    struct config conf;    /* conf.path NULL: no --config was given */
    struct strvec args;    /* the arguments to parse, argv[0] first */
    struct config_key *keys;
    size_t nkeys;
    const struct config_pair **from; /* args[1 .. nfrom): from these pairs */
    size_t nfrom;
};
/* Returns 0 (out->args filled, the command line alone when there is no
 * --config or when cli_next will report a usage error), or 2 after
 * printing the configuration's error. */
int cli_config_apply(const struct cli_command *cmd, int argc, char **argv,
                     const char *const *repeatable, const char *const *paths,
                     struct cli_config *out);
void cli_config_fini(struct cli_config *c);
/* The configuration pair args[i] came from, or NULL: a command that finds
 * a bad value names the file, line and column with it. */
const struct config_pair *cli_config_origin(const struct cli_config *c,
                                            size_t i);

#endif
