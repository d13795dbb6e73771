/* cmd.h - the subcommands. Each cmd_* function takes the arguments after
 * its name (argv[0] is the subcommand) and returns the process exit code;
 * main.c dispatches to them from one table. */
#ifndef EVALBIAS_CMD_H
#define EVALBIAS_CMD_H

#define EVALBIAS_VERSION "0.1.0"

/* Exit codes, listed in --help. */
enum exit_code {
    EXIT_OK = 0,
    EXIT_CHECK_FAILED = 1, /* a failed check: --strict with skipped rows,
                              a failing lexicon test, --fail-on-change */
    EXIT_USAGE = 2,        /* usage or input error */
};

int cmd_audit(int argc, char **argv);
int cmd_columns(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_lexicon(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_trend(int argc, char **argv);
int cmd_review(int argc, char **argv);
/* `evalbias lexicon diff` (cmd_lexicon_diff.c), dispatched by cmd_lexicon;
 * argv[0] is "diff". */
int cmd_lexicon_diff(int argc, char **argv);
/* `evalbias lexicon import` (cmd_lexicon_import.c), likewise. */
int cmd_lexicon_import(int argc, char **argv);

#endif
