/* man.c - man page sections from the option tables that print --help, so
 * the two cannot drift apart. `evalbias help --man CMD` (main.c) writes the
 * page header and calls the command with --help in CLI_HELP_MAN format;
 * `make man` does that for every command. */
#include "cli.h"

#include <string.h>

/* Text for roff: a leading '.' or '\'' would start a request, '\' is the
 * escape character and '-' should stay a plain hyphen-minus. */
static void roff(FILE *f, const char *s, int at_line_start)
{
    for (; *s; s++) {
        if (at_line_start && (*s == '.' || *s == '\''))
            fputs("\\&", f);
        at_line_start = *s == '\n';
        if (*s == '\\')
            fputs("\\e", f);
        else if (*s == '-')
            fputs("\\-", f);
        else
            fputc(*s, f);
    }
}

/* A heading: whole-page sections are .SH, a subcommand's are .SS under its
 * own .SH. */
static void heading(FILE *f, int sub, const char *title)
{
    fprintf(f, "%s %s\n", sub ? ".SS" : ".SH", title);
}

void cli_print_man(FILE *f, const struct cli_command *cmd, int sub)
{
    if (sub) {
        fputs(".SH \"", f);
        for (const char *c = cmd->name; *c; c++)
            fputc(*c >= 'a' && *c <= 'z' ? *c - 32 : *c, f);
        fputs("\"\n", f);
        roff(f, cmd->summary, 1);
        fputc('\n', f);
    }
    heading(f, sub, sub ? "Synopsis" : "SYNOPSIS");
    fputs(".nf\n", f);
    roff(f, cmd->usage, 1);
    fputs("\n.fi\n", f);
    if (cmd->description) {
        heading(f, sub, sub ? "Description" : "DESCRIPTION");
        fputs(".nf\n", f);
        roff(f, cmd->description, 1);
        fputs("\n.fi\n", f);
    }
    heading(f, sub, sub ? "Options" : "OPTIONS");
    const struct cli_option *o, *q;
    for (o = cmd->options; o->id; o++) {
        for (q = cmd->options; q != o; q++)
            if (strcmp(q->category, o->category) == 0)
                break;
        if (q != o)
            continue;
        fputs(".PP\n\\fI", f);
        roff(f, o->category, 0);
        fputs(":\\fR\n", f);
        for (q = o; q->id; q++) {
            if (strcmp(q->category, o->category) != 0)
                continue;
            fputs(".TP\n", f);
            if (q->short_name)
                fprintf(f, "\\fB\\-%c\\fR, ", q->short_name);
            fputs("\\fB\\-\\-", f);
            roff(f, q->name, 0);
            fputs("\\fR", f);
            if (q->arg) {
                fputs(" \\fI", f);
                roff(f, q->arg, 0);
                fputs("\\fR", f);
            }
            fputc('\n', f);
            /* --help wraps help text for a terminal: join the lines and let
             * man fill the paragraph. */
            char joined[2048];
            size_t k = 0;
            for (const char *h = q->help; *h && k < sizeof joined - 1; h++)
                joined[k++] = *h == '\n' ? ' ' : *h;
            joined[k] = '\0';
            roff(f, joined, 1);
            fputc('\n', f);
        }
    }
    fputs(".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nshow the help and exit\n", f);
    if (cmd->examples) {
        heading(f, sub, sub ? "Examples" : "EXAMPLES");
        fputs(".nf\n", f);
        roff(f, cmd->examples, 1);
        fputs(".fi\n", f);
    }
}
