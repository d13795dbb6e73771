/* cli_config.c - --config FILE: a configuration's keys become options
 * placed before the command line's (see cli.h). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int listed(const char *const *names, const char *name)
{
    for (size_t i = 0; names && names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

int cli_config_apply(const struct cli_command *cmd, int argc, char **argv,
                     const char *const *repeatable, const char *const *paths,
                     struct cli_config *out)
{
    memset(out, 0, sizeof *out);
    size_t nopt = 0;
    while (cmd->options[nopt].id)
        nopt++;
    /* What the command line itself gives: which options, any input. */
    unsigned char *typed = xcalloc(nopt + 1, 1);
    const char *config_path = NULL;
    int positionals = 0, bad = 0, only_positional = 0;
    struct cli_parser p;
    cli_init(&p, cmd, argc - 1, argv + 1);
    const char *v;
    for (int id; !bad && (id = cli_next(&p, &v)) != CLI_END;) {
        if (id == CLI_ERROR || id == CLI_HELP) {
            bad = 1; /* the command's own parse reports it */
            break;
        }
        if (id == CLI_POSITIONAL) {
            positionals++;
            continue;
        }
        for (size_t i = 0; i < nopt; i++)
            if (cmd->options[i].id == id) {
                typed[i] = 1;
                if (strcmp(cmd->options[i].name, "config") == 0)
                    config_path = v;
            }
    }
    only_positional = p.only_positional;
    strvec_push(&out->args, argv[0]);
    if (bad || !config_path) {
        for (int i = 1; i < argc; i++)
            strvec_push(&out->args, argv[i]);
        free(typed);
        return 0;
    }
    out->keys = xcalloc(nopt + 1, sizeof *out->keys);
    for (size_t i = 0; i < nopt; i++) {
        const struct cli_option *o = &cmd->options[i];
        if (strcmp(o->name, "config") == 0)
            continue;
        struct config_key *k = &out->keys[out->nkeys++];
        k->name = o->name;
        k->kind = !o->arg ? CONFIG_FLAG
                : listed(repeatable, o->name) ? CONFIG_LIST : CONFIG_VALUE;
        k->is_path = listed(paths, o->name);
    }
    out->keys[out->nkeys++] = (struct config_key){"input", CONFIG_LIST, 1};
    struct diag err;
    if (config_load(&out->conf, config_path, out->keys, out->nkeys,
                    &err) < 0) {
        diag_print(stderr, &err);
        free(typed);
        return 2;
    }
    size_t fcap = 0;
    /* The configuration's options, unless the command line gives them. */
    for (size_t i = 0; i < out->conf.n; i++) {
        const struct config_pair *cp = &out->conf.pairs[i];
        if (strcmp(cp->key->name, "input") == 0)
            continue;
        int on_line = 0;
        for (size_t j = 0; j < nopt; j++)
            if (strcmp(cmd->options[j].name, cp->key->name) == 0)
                on_line = typed[j];
        if (on_line)
            continue;
        char opt[128];
        snprintf(opt, sizeof opt, "--%s", cp->key->name);
        grow(&out->from, &fcap, out->args.n + 2, sizeof *out->from);
        out->from[out->args.n] = cp;
        strvec_push(&out->args, opt);
        if (cp->value) {
            out->from[out->args.n] = cp;
            strvec_push(&out->args, cp->value);
        }
    }
    out->nfrom = out->args.n;
    for (int i = 1; i < argc; i++)
        strvec_push(&out->args, argv[i]);
    /* Its inputs, unless the command line names some. */
    if (!positionals) {
        int first = 1;
        for (size_t i = 0; i < out->conf.n; i++) {
            if (strcmp(out->conf.pairs[i].key->name, "input") != 0)
                continue;
            if (first && !only_positional)
                strvec_push(&out->args, "--");
            first = 0;
            strvec_push(&out->args, out->conf.pairs[i].value);
        }
    }
    free(typed);
    return 0;
}

void cli_config_fini(struct cli_config *c)
{
    config_fini(&c->conf);
    strvec_fini(&c->args);
    free(c->keys);
    free(c->from);
    memset(c, 0, sizeof *c);
}

const struct config_pair *cli_config_origin(const struct cli_config *c,
                                            size_t i)
{
    return i >= 1 && i < c->nfrom ? c->from[i] : NULL;
}
