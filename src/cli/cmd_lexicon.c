/* cmd_lexicon.c - `evalbias lexicon test|lint|diff|show`: the commands that
 * keep the lexicons honest in CI.
 *
 *   test  runs every example sentence of the lexicon files through the
 *         audit's own text scan (scan.h: normalize -> tokenize -> match, one
 *         matcher over the whole set, so longest-match interactions between
 *         entries are real) and checks what the row expects; TAP or JUnit.
 *   lint  loads each file on its own, then checks the loaded set
 *         (lexicon_lint.c): duplicates, shadowed entries, PCRE2 patterns,
 *         empty categories, missing sources and versions, untested guards.
 *   diff  runs two lexicon sets over one corpus and lists the excerpts the
 *         change adds and drops (cmd_lexicon_diff.c).
 *   show  lists what is loaded: lexicons, versions, hashes, categories.
 *
 * Like cmd_audit.c this file wires the modules together and owns the
 * settings; it holds no matching logic of its own. */
#include "cmd.h"
#include "cli.h"
#include "lexicon.h"
#include "lexicon_lint.h"
#include "lexicon_out.h"
#include "match.h"
#include "scan.h"
#include "outfile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>


/* ======================= Shared ========================================== */

/* No PATH given: the installed (or source tree's) lexicons. */
static int push_default_lexicons(struct strvec *paths)
{
    const char *dir = cli_default_lexicons();
    if (!dir)
        return -1;
    strvec_push(paths, dir);
    return 0;
}

static int usage_error(const struct cli_command *cmd, const char *msg)
{
    fprintf(stderr, "evalbias: error: %s\n"
                    "Try 'evalbias %s --help' for more information.\n",
            msg, cmd->name);
    return EXIT_USAGE;
}

/* Load every path into one set, in order; NULL with err filled. */
static struct lexicon_set *load_set(const struct strvec *paths,
                                    struct diag *err)
{
    struct lexicon_set *set = lexicon_set_new();
    for (size_t i = 0; i < paths->n; i++)
        if (lexicon_set_load(set, paths->v[i], err) < 0) {
            lexicon_set_free(set);
            return NULL;
        }
    return set;
}

/* ======================= lexicon test ==================================== */

enum { OPT_FORMAT = 1, OPT_OUTPUT };

static const struct cli_option test_options[] = {
    {OPT_FORMAT, "format", 0, "FMT",
     "tap (default): one \"ok N - ...\" line per example, then\n"
     "\"N passed, N failed\"; junit: JUnit XML, one testsuite per\n"
     "lexicon file (the summary line then goes to stderr); json:\n"
     "one document (README: \"JSON output\"); github: an ::error\n"
     "workflow command per failed example. A lexicon that does\n"
     "not load still gives a report in the format, with the\n"
     "file:line:col of the load error", "Output"},
    {OPT_OUTPUT, "output", 'o', "FILE", "write the report to FILE instead "
     "of stdout", "Output"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command test_command = {
    "lexicon test",
    "evalbias lexicon test - run the example sentences of lexicon files",
    "evalbias lexicon test [OPTIONS] [PATH...]",
    "Loads the lexicon files (PATH: a file or a directory of *.csv and *.txt;\n"
    "default: the installed lexicons) and runs every example row of the CSV lexicons\n"
    "through the audit's own matcher, over the whole set at once:\n"
    "  match    the sentence must give a hit of the entry, not negated\n"
    "  negated  the sentence must give a negated hit of the entry\n"
    "  nomatch  the sentence must give no counted hit of the entry (a hit set\n"
    "           aside as about someone else or quoted is not counted)\n"
    "  other    the sentence must give a hit of the entry that is set aside as\n"
    "           about someone else or quoted\n"
    "  clean    the sentence must give no hit from the lexicon (or from the\n"
    "           row's category, when it names one)\n"
    "A failure names the row (file:line) and the hits actually found.\n"
    "Exit codes: 0 every example passed; 1 an example failed; 2 usage or\n"
    "load error.",
    test_options,
    "  evalbias lexicon test\n"
    "  evalbias lexicon test lexicons/personality.csv\n"
    "  evalbias lexicon test --format junit -o lexicon-tests.xml lexicons/\n",
};

/* The hits found, for a failure message: "none", or
 * "\"Emotional\" (entry \"emotional\", lex.csv:5, negated), ..." with the
 * matched text as written in the sentence. */
static void describe_hits(struct buf *b, const struct lexicon_set *set,
                          const struct scan *p, const char *orig)
{
    if (p->hits.n == 0) {
        buf_puts(b, "none");
        return;
    }
    for (size_t i = 0; i < p->hits.n; i++) {
        const struct hit *h = &p->hits.v[i];
        const struct lex_entry *e = &set->entries[h->entry];
        size_t a = p->nt.map[h->start], z = p->nt.map[h->end];
        buf_printf(b, "%s\"%.*s\" (entry \"%s\", %s:%lu%s%s%s)",
                   i ? ", " : "", (int)(z - a), orig + a, e->term, e->file,
                   e->line, h->negated ? ", negated" : "",
                   h->aside == 1 ? ", about another: " :
                   h->aside == 2 ? ", quoted: " : "",
                   h->aside ? h->why : "");
    }
}

/* Do entries a and b of one category spell the same word sequence once
 * hyphens and spaces are ignored ("over-confident", "overconfident";
 * "soft spoken", "soft-spoken")? At one span the matcher keeps only one of
 * them, so an example of one is satisfied by a hit of the other. */
static int same_spelling(const struct lex_entry *a, const struct lex_entry *b)
{
    if (a == b)
        return 1;
    if (a->category != b->category || a->kind == ENTRY_REGEX ||
        b->kind == ENTRY_REGEX || a->seq.n == 0 || b->seq.n == 0 ||
        a->seq.is_stem[a->seq.n - 1] != b->seq.is_stem[b->seq.n - 1])
        return 0;
    size_t ia = 0, ib = 0;
    const char *pa = a->seq.words[0], *pb = b->seq.words[0];
    for (;;) {
        while (!*pa && ++ia < a->seq.n)
            pa = a->seq.words[ia];
        while (!*pb && ++ib < b->seq.n)
            pb = b->seq.words[ib];
        if (ia >= a->seq.n || ib >= b->seq.n)
            return ia >= a->seq.n && ib >= b->seq.n;
        if (*pa++ != *pb++)
            return 0;
    }
}

/* Does the example hold? If not, say why in `why`. */
static int example_holds(const struct lexicon_set *set,
                         const struct lex_example *x,
                         const struct scan *p, struct buf *why)
{
    size_t of_entry = 0, negated = 0, aside = 0, of_scope = 0;
    for (size_t i = 0; i < p->hits.n; i++) {
        const struct hit *h = &p->hits.v[i];
        const struct lex_entry *e = &set->entries[h->entry];
        if (h->entry == x->entry ||
            (x->entry != LEX_NONE &&
             same_spelling(&set->entries[x->entry], e))) {
            of_entry++;
            if (h->aside) /* about someone else, or quoted */
                aside++;
            else
                negated += h->negated;
        }
        if (e->lexicon == x->lexicon &&
            (x->category == LEX_NONE || e->category == x->category))
            of_scope++;
    }
    const char *term = x->entry != LEX_NONE ? set->entries[x->entry].term : "";
    int ok = 0;
    switch (x->kind) {
    case EXAMPLE_MATCH:
        ok = of_entry > negated + aside;
        buf_printf(why, "expected a hit of \"%s\"", term);
        break;
    case EXAMPLE_NEGATED:
        ok = negated > 0;
        buf_printf(why, "expected a negated hit of \"%s\"", term);
        break;
    case EXAMPLE_NOMATCH:
        /* A set-aside hit is not counted, so it breaks no nomatch, as it
         * satisfies no match. */
        ok = of_entry == aside;
        buf_printf(why, "expected no hit of \"%s\"", term);
        break;
    case EXAMPLE_OTHER:
        ok = aside > 0;
        buf_printf(why, "expected a hit of \"%s\" set aside (about another "
                   "or quoted)", term);
        break;
    case EXAMPLE_CLEAN:
        ok = of_scope == 0;
        if (x->category != LEX_NONE)
            buf_printf(why, "expected no hit from category \"%s\"",
                       set->categories[x->category].name);
        else
            buf_printf(why, "expected no hit from lexicon \"%s\"",
                       set->lexicons[x->lexicon].name);
        break;
    }
    buf_puts(why, ", got: ");
    describe_hits(why, set, p, x->text);
    return ok;
}

static int run_examples(const struct lexicon_set *set, matcher *m,
                        struct example_outcome *r, size_t *failed,
                        struct diag *err)
{
    struct scan p;
    scan_init(&p);
    struct buf why;
    buf_init(&why);
    int rc = 0;
    for (size_t i = 0; i < set->nexamples && rc == 0; i++) {
        const struct lex_example *x = &set->examples[i];
        rc = scan_field(&p, m, x->text, strlen(x->text), NULL, err);
        buf_clear(&why);
        r[i].x = x;
        r[i].ok = rc == 0 && example_holds(set, x, &p, &why);
        r[i].why = xstrdup(r[i].ok ? "" : buf_cstr(&why));
        *failed += !r[i].ok;
    }
    buf_fini(&why);
    scan_fini(&p);
    return rc;
}

static int lexicon_test(int argc, char **argv)
{
    struct cli_parser cp;
    cli_init(&cp, &test_command, argc - 1, argv + 1);
    struct strvec paths = {0};
    const char *out_path = NULL, *v;
    enum lexout_format fmt = LEXOUT_TAP;
    for (int id; (id = cli_next(&cp, &v)) != CLI_END;) {
        switch (id) {
        case CLI_HELP:
            cli_print_help(stdout, &test_command);
            strvec_fini(&paths);
            return EXIT_OK;
        case CLI_ERROR:
            strvec_fini(&paths);
            return usage_error(&test_command, cp.error);
        case CLI_POSITIONAL: strvec_push(&paths, v); break;
        case OPT_OUTPUT: out_path = v; break;
        case OPT_FORMAT:
            if (lexout_parse(v, LEXOUT_BIT(LEXOUT_TAP) |
                             LEXOUT_BIT(LEXOUT_JUNIT) | LEXOUT_BIT(LEXOUT_JSON) |
                             LEXOUT_BIT(LEXOUT_GITHUB), &fmt) < 0) {
                strvec_fini(&paths);
                return usage_error(&test_command, "--format must be tap, "
                                   "junit, json or github");
            }
            break;
        }
    }
    if (paths.n == 0 && push_default_lexicons(&paths) != 0)
        return EXIT_USAGE;

    struct diag err;
    struct lexicon_set *set = load_set(&paths, &err);
    matcher *m = set ? matcher_new(set, &err) : NULL;
    struct example_outcome *r = NULL;
    size_t n = set ? set->nexamples : 0, failed = 0;
    int rc = m ? 0 : -1;
    if (rc == 0) {
        r = xcalloc(n ? n : 1, sizeof *r);
        rc = run_examples(set, m, r, &failed, &err);
    }
    struct outfile o;
    if (rc != 0) { /* the report still says what did not load */
        struct diag oerr;
        if (outfile_open(&o, out_path, &oerr) == 0) {
            lexout_test_load_error(o.f, fmt, &err);
            if (outfile_close(&o, 1, &oerr) < 0)
                diag_print(stderr, &oerr);
        } else {
            diag_print(stderr, &oerr);
        }
    }
    if (rc == 0)
        rc = outfile_open(&o, out_path, &err);
    if (rc == 0) {
        if (fmt == LEXOUT_JUNIT)
            lexout_test_junit(o.f, set, r, n, failed);
        else if (fmt == LEXOUT_JSON)
            lexout_test_json(o.f, set, r, n, failed);
        else if (fmt == LEXOUT_GITHUB)
            lexout_test_github(o.f, set, r, n, failed);
        else
            lexout_test_tap(o.f, set, r, n, failed);
        if (fmt == LEXOUT_JUNIT || fmt == LEXOUT_JSON)
            fprintf(stderr, "%zu passed, %zu failed\n", n - failed, failed);
        rc = outfile_close(&o, 1, &err);
    }
    if (rc == 0 && n == 0)
        fprintf(stderr, "evalbias: warning: no examples in the lexicons: "
                        "add match, negated, nomatch or clean rows\n");
    if (rc != 0)
        diag_print(stderr, &err);
    for (size_t i = 0; r && i < n; i++)
        free(r[i].why);
    free(r);
    matcher_free(m);
    lexicon_set_free(set);
    strvec_fini(&paths);
    return rc != 0 ? EXIT_USAGE : failed ? EXIT_CHECK_FAILED : EXIT_OK;
}

/* ======================= lexicon lint ==================================== */

enum { OPT_STRICT = 1, OPT_LINT_FORMAT };

static const struct cli_option lint_options[] = {
    {OPT_STRICT, "strict", 0, NULL, "exit 1 on warnings too", "Checks"},
    {OPT_LINT_FORMAT, "format", 0, "FMT",
     "text (default): file:line:col: lines and a summary;\n"
     "json: one document (README: \"JSON output\"); github:\n"
     "::error and ::warning workflow commands, then the summary", "Output"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command lint_command = {
    "lexicon lint",
    "evalbias lexicon lint - check lexicon files for mistakes",
    "evalbias lexicon lint [OPTIONS] [PATH...]",
    "Loads each lexicon file on its own (PATH: a file or a directory of *.csv\n"
    "and *.txt; default: the installed lexicons), then checks them together. Errors:\n"
    "  a file that does not load (unknown row type or column, a term or\n"
    "  guard that is not words, an example for an unknown entry ...);\n"
    "  an invalid PCRE2 pattern (PCRE2's message, at the offending column);\n"
    "  a duplicate entry (the same words twice in a lexicon); an entry that\n"
    "  can never match because an entry above it has the same words;\n"
    "  a category with no entries; two lexicons with the same name.\n"
    "Warnings:\n"
    "  an entry that never matches because another matches everything it\n"
    "  does and wins the tie (a stem above it, a lexicon loaded before it);\n"
    "  a word covered by a stem of the same lexicon (emotion* and emotional);\n"
    "  a category with no source; a lexicon with no version; in CSV\n"
    "  lexicons, a stem or pattern with no match example and an entry with\n"
    "  guards but no nomatch example.\n"
    "Each finding is one line, file:line:col: error|warning: message, sorted\n"
    "by file and line, then a summary line.\n"
    "Exit codes: 0 no errors; 1 errors (or warnings, with --strict);\n"
    "2 usage error or a PATH that cannot be read.",
    lint_options,
    "  evalbias lexicon lint\n"
    "  evalbias lexicon lint --strict lexicons/personality.csv\n",
};

static void print_finding(const struct diag *d)
{
    fputs(d->file, stdout);
    if (d->line)
        printf(":%lu", d->line);
    if (d->line && d->col)
        printf(":%lu", d->col);
    printf(": %s: %s\n", d->sev == DIAG_ERROR ? "error" : "warning", d->msg);
}

static int lexicon_lint_cmd(int argc, char **argv)
{
    struct cli_parser cp;
    cli_init(&cp, &lint_command, argc - 1, argv + 1);
    struct strvec paths = {0}, files = {0};
    const char *v;
    int strict = 0;
    enum lexout_format fmt = LEXOUT_TEXT;
    for (int id; (id = cli_next(&cp, &v)) != CLI_END;) {
        switch (id) {
        case CLI_HELP:
            cli_print_help(stdout, &lint_command);
            strvec_fini(&paths);
            return EXIT_OK;
        case CLI_ERROR:
            strvec_fini(&paths);
            return usage_error(&lint_command, cp.error);
        case CLI_POSITIONAL: strvec_push(&paths, v); break;
        case OPT_STRICT: strict = 1; break;
        case OPT_LINT_FORMAT:
            if (lexout_parse(v, LEXOUT_BIT(LEXOUT_TEXT) |
                             LEXOUT_BIT(LEXOUT_JSON) |
                             LEXOUT_BIT(LEXOUT_GITHUB), &fmt) < 0) {
                strvec_fini(&paths);
                return usage_error(&lint_command,
                                   "--format must be text, json or github");
            }
            break;
        }
    }
    if (paths.n == 0 && push_default_lexicons(&paths) != 0)
        return EXIT_USAGE;
    struct diag err;
    int rc = 0;
    for (size_t i = 0; i < paths.n && rc == 0; i++)
        rc = lexicon_files(paths.v[i], &files, &err);
    strvec_fini(&paths);
    if (rc != 0) {
        diag_print(stderr, &err);
        strvec_fini(&files);
        return EXIT_USAGE;
    }

    struct lint_report rep;
    lexicon_lint(&files, &rep);
    if (fmt == LEXOUT_JSON)
        lexout_lint_json(stdout, &files, &rep);
    for (size_t i = 0; fmt != LEXOUT_JSON && i < rep.n; i++) {
        if (fmt == LEXOUT_GITHUB)
            lexout_github(stdout, &rep.v[i]);
        else
            print_finding(&rep.v[i]);
    }
    if (fmt != LEXOUT_JSON)
            printf("%zu error%s, %zu warning%s in %zu lexicon file%s\n",
               rep.errors, rep.errors == 1 ? "" : "s", rep.warnings,
               rep.warnings == 1 ? "" : "s", files.n, files.n == 1 ? "" : "s");
    int code = rep.errors || (strict && rep.warnings) ? EXIT_CHECK_FAILED
                                                      : EXIT_OK;
    lint_report_fini(&rep);
    strvec_fini(&files);
    return code;
}

/* ======================= lexicon show ==================================== */

enum { OPT_SHOW_FORMAT = 1, OPT_CATEGORY };

static const struct cli_option show_options[] = {
    {OPT_CATEGORY, "category", 0, "CAT",
     "only category CAT (its id, or LEXICON/ID)", "Output"},
    {OPT_SHOW_FORMAT, "format", 0, "FMT",
     "text (default) or json (README: \"JSON output\")", "Output"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command show_command = {
    "lexicon show",
    "evalbias lexicon show - list lexicons, categories and entries",
    "evalbias lexicon show [OPTIONS] [PATH...]",
    "Loads the lexicon files (PATH: a file or a directory of *.csv and *.txt;\n"
    "default: the installed lexicons) and prints, per lexicon, its name, version, file,\n"
    "SHA-256 (as audit's manifest records it), license, description and\n"
    "counts; per category its label, summary, direction and full sources;\n"
    "then one line per entry: its type (word, phrase, stem, pattern), term,\n"
    "line, number of examples and guards.\n"
    "Exit codes: 0 success; 2 usage or load error, or a --category that\n"
    "names no category.",
    show_options,
    "  evalbias lexicon show\n"
    "  evalbias lexicon show --category agentic_communal/agentic\n"
    "  evalbias lexicon show --format json lexicons/personality.csv\n",
};

static int lexicon_show(int argc, char **argv)
{
    struct cli_parser cp;
    cli_init(&cp, &show_command, argc - 1, argv + 1);
    struct strvec paths = {0};
    const char *v, *category = NULL;
    enum lexout_format fmt = LEXOUT_TEXT;
    for (int id; (id = cli_next(&cp, &v)) != CLI_END;) {
        switch (id) {
        case CLI_HELP:
            cli_print_help(stdout, &show_command);
            strvec_fini(&paths);
            return EXIT_OK;
        case CLI_ERROR:
            strvec_fini(&paths);
            return usage_error(&show_command, cp.error);
        case CLI_POSITIONAL: strvec_push(&paths, v); break;
        case OPT_CATEGORY: category = v; break;
        case OPT_SHOW_FORMAT:
            if (lexout_parse(v, LEXOUT_BIT(LEXOUT_TEXT) |
                             LEXOUT_BIT(LEXOUT_JSON), &fmt) < 0) {
                strvec_fini(&paths);
                return usage_error(&show_command,
                                   "--format must be text or json");
            }
            break;
        }
    }
    if (paths.n == 0 && push_default_lexicons(&paths) != 0)
        return EXIT_USAGE;
    struct diag err;
    struct lexicon_set *set = load_set(&paths, &err);
    strvec_fini(&paths);
    if (!set) {
        diag_print(stderr, &err);
        return EXIT_USAGE;
    }
    int found = !category;
    for (uint32_t c = 0; c < set->ncategories && !found; c++)
        found = lexout_category_selected(set, c, category);
    if (!found) {
        fprintf(stderr, "evalbias: error: --category %s: no such category "
                "in the lexicons loaded\n", category);
        lexicon_set_free(set);
        return EXIT_USAGE;
    }
    if (fmt == LEXOUT_JSON)
        lexout_show_json(stdout, set, category);
    else
        lexout_show_text(stdout, set, category);
    lexicon_set_free(set);
    return EXIT_OK;
}

/* ======================= evalbias lexicon ================================ */

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommands[] = {
    {"test", lexicon_test, "run the example sentences of lexicon files "
     "(TAP, JUnit, JSON, GitHub)"},
    {"lint", lexicon_lint_cmd, "check lexicon files: duplicates, shadowed "
     "entries, patterns, sources"},
    {"diff", cmd_lexicon_diff, "the excerpts a lexicon change adds and drops on "
     "a corpus"},
    {"show", lexicon_show, "list lexicons, categories and entries"},
    {"import", cmd_lexicon_import, "a LIWC .dic or quanteda YAML dictionary "
     "as a CSV lexicon"},
};

#define NSUB (sizeof subcommands / sizeof subcommands[0])

static void lexicon_usage(FILE *f)
{
    fputs("evalbias lexicon - test, check, compare and list lexicons (for "
          "CI)\n\nUsage: evalbias lexicon COMMAND [OPTIONS] [ARGS]\n\n"
          "Commands:\n", f);
    for (size_t i = 0; i < NSUB; i++)
        fprintf(f, "  %-6s %s\n", subcommands[i].name, subcommands[i].summary);
    fputs("\nPATH arguments are lexicon files or directories of *.csv and "
          "*.txt files;\nthe default is the installed lexicons\n($EVALBIAS_LEXICONS, else PREFIX/share/evalbias/lexicons, else lexicons/\nbeside a binary built in the source tree).\n"
          "Run 'evalbias lexicon COMMAND --help' for a command's options.\n"
          "\nExit codes: 0 success; 1 a failed check (a failing example, "
          "lint errors,\n            changes with --fail-on-change); 2 "
          "usage or input error.\n", f);
}

int cmd_lexicon(int argc, char **argv)
{
    if (argc < 2) {
        lexicon_usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        strcmp(name, "help") == 0) {
        /* `evalbias help --man lexicon`: one page, a section per command;
         * `help --words lexicon`: the command names, for completion. */
        enum cli_help_format fmt = cli_get_help_format();
        if (fmt == CLI_HELP_TEXT) {
            lexicon_usage(stdout);
        } else if (fmt == CLI_HELP_WORDS) {
            for (size_t i = 0; i < NSUB; i++)
                printf("%s%s", subcommands[i].name, i + 1 < NSUB ? " " : "\n");
        } else {
            cli_set_help_format(CLI_HELP_MAN_SUB);
            for (size_t i = 0; i < NSUB; i++) {
                char *help_argv[] = {(char *)subcommands[i].name, "--help", NULL};
                subcommands[i].run(2, help_argv);
            }
        }
        return EXIT_OK;
    }
    const char *names[NSUB];
    for (size_t i = 0; i < NSUB; i++) {
        if (strcmp(subcommands[i].name, name) == 0)
            return subcommands[i].run(argc - 1, argv + 1);
        names[i] = subcommands[i].name;
    }
    return cli_unknown("lexicon command", name, names, NSUB,
                       "evalbias lexicon COMMAND [OPTIONS] [PATH...] "
                       "(evalbias lexicon --help lists the commands)");
}
