/* cli.c - see cli.h. */
#include "cli.h"
#include "lexicon_path.h"
#include "suggest.h"

#include <string.h>

void cli_init(struct cli_parser *p, const struct cli_command *cmd, int argc,
              char **argv)
{
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
}

static const struct cli_option *find_long(const struct cli_command *cmd,
                                          const char *name, size_t n)
{
    for (const struct cli_option *o = cmd->options; o->id; o++)
        if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
            return o;
    return NULL;
}

static const struct cli_option *find_short(const struct cli_command *cmd,
                                           char c)
{
    for (const struct cli_option *o = cmd->options; o->id; o++)
        if (o->short_name == c)
            return o;
    return NULL;
}

/* The long option nearest to a mistyped one, or NULL. */
static const char *closest_long(const struct cli_command *cmd,
                                const char *name, size_t n)
{
    const char *cands[128];
    size_t k = 0;
    char word[64];
    for (const struct cli_option *o = cmd->options; o->id && k < 127; o++)
        cands[k++] = o->name;
    cands[k++] = "help";
    snprintf(word, sizeof word, "%.*s", (int)n, name);
    return suggest_closest(word, cands, k);
}

static int take_value(struct cli_parser *p, const struct cli_option *o,
                      const char *inline_value, const char **value)
{
    if (!o->arg) {
        *value = NULL;
        return o->id;
    }
    if (inline_value) {
        *value = inline_value;
        return o->id;
    }
    if (p->i >= p->argc) {
        snprintf(p->error, sizeof p->error, "option --%s needs a value (%s)",
                 o->name, o->arg);
        return CLI_ERROR;
    }
    *value = p->argv[p->i++];
    return o->id;
}

int cli_next(struct cli_parser *p, const char **value)
{
    *value = NULL;
    if (p->bundle && *p->bundle) {
        char c = *p->bundle++;
        const struct cli_option *o = find_short(p->cmd, c);
        if (c == 'h')
            return CLI_HELP;
        if (!o) {
            snprintf(p->error, sizeof p->error, "unknown option -%c", c);
            return CLI_ERROR;
        }
        if (o->arg && *p->bundle) {
            const char *v = p->bundle;
            p->bundle = NULL;
            return take_value(p, o, v, value);
        }
        return take_value(p, o, NULL, value);
    }
    p->bundle = NULL;
    if (p->i >= p->argc)
        return CLI_END;
    const char *a = p->argv[p->i++];
    if (p->only_positional || a[0] != '-' || a[1] == '\0') {
        *value = a;
        return CLI_POSITIONAL;
    }
    if (strcmp(a, "--") == 0) {
        p->only_positional = 1;
        return cli_next(p, value);
    }
    if (a[1] == '-') {
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        if (n == 4 && strncmp(name, "help", 4) == 0)
            return CLI_HELP;
        const struct cli_option *o = find_long(p->cmd, name, n);
        if (!o) {
            const char *near = closest_long(p->cmd, name, n);
            snprintf(p->error, sizeof p->error, "unknown option --%.*s%s%s%s",
                     (int)n, name, near ? "; did you mean '--" : "",
                     near ? near : "", near ? "'?" : "");
            return CLI_ERROR;
        }
        if (eq && !o->arg) {
            snprintf(p->error, sizeof p->error,
                     "option --%s takes no value", o->name);
            return CLI_ERROR;
        }
        return take_value(p, o, eq ? eq + 1 : NULL, value);
    }
    p->bundle = a + 1;
    return cli_next(p, value);
}

static enum cli_help_format help_format = CLI_HELP_TEXT;

void cli_set_help_format(enum cli_help_format f)
{
    help_format = f;
}

enum cli_help_format cli_get_help_format(void)
{
    return help_format;
}

void cli_print_help(FILE *f, const struct cli_command *cmd)
{
    if (help_format == CLI_HELP_MAN || help_format == CLI_HELP_MAN_SUB) {
        cli_print_man(f, cmd, help_format == CLI_HELP_MAN_SUB);
        return;
    }
    if (help_format == CLI_HELP_WORDS) {
        for (const struct cli_option *o = cmd->options; o->id; o++)
            fprintf(f, "--%s ", o->name);
        fputs("--help\n", f);
        return;
    }
    fprintf(f, "%s\n\nUsage: %s\n", cmd->summary, cmd->usage);
    if (cmd->description)
        fprintf(f, "\n%s\n", cmd->description);
    /* Print categories in the order they first appear in the table. */
    const struct cli_option *o;
    for (o = cmd->options; o->id; o++) {
        const struct cli_option *q;
        for (q = cmd->options; q != o; q++)
            if (strcmp(q->category, o->category) == 0)
                break;
        if (q != o)
            continue;
        fprintf(f, "\n%s:\n", o->category);
        for (q = o; q->id; q++) {
            if (strcmp(q->category, o->category) != 0)
                continue;
            char left[64];
            if (q->short_name)
                snprintf(left, sizeof left, "-%c, --%s%s%s", q->short_name,
                         q->name, q->arg ? " " : "", q->arg ? q->arg : "");
            else
                snprintf(left, sizeof left, "    --%s%s%s", q->name,
                         q->arg ? " " : "", q->arg ? q->arg : "");
            /* Help text may hold several lines; indent the continuations. */
            fprintf(f, "  %-28s ", left);
            if (strlen(left) > 28)
                fprintf(f, "\n  %-28s ", "");
            for (const char *h = q->help; *h; h++) {
                fputc(*h, f);
                if (*h == '\n')
                    fprintf(f, "  %-28s ", "");
            }
            fputc('\n', f);
        }
    }
    fprintf(f, "\n  %-28s %s\n", "-h, --help", "show this help and exit");
    if (cmd->examples)
        fprintf(f, "\nExamples:\n%s", cmd->examples);
}

const char *cli_default_lexicons(void)
{
    static char dir[4096];
    struct diag d;
    if (lexicon_default_dir(NULL, dir, sizeof dir, &d) == 0)
        return dir;
    diag_print(stderr, &d);
    return NULL;
}

int cli_unknown(const char *what, const char *word, const char *const *cands,
                size_t n, const char *usage)
{
    const char *near = suggest_closest(word, cands, n);
    fprintf(stderr, "evalbias: unknown %s '%s'", what, word);
    if (near)
        fprintf(stderr, "; did you mean '%s'?", near);
    fprintf(stderr, "\nUsage: %s\n", usage);
    return 2;
}

const char *cli_option_name(const struct cli_command *cmd, int id)
{
    for (const struct cli_option *o = cmd->options; o->id; o++)
        if (o->id == id)
            return o->name;
    return "";
}
