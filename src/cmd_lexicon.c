/* cmd_lexicon.c - `evalbias lexicon test|lint|diff|show`: the commands that
 * keep the lexicons honest in CI.
 *
 *   test  runs every example sentence of the lexicon files through the
 *         audit's own pipeline (normalize -> tokenize -> match, with one
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
#include "match.h"
#include "normalize.h"
#include "outfile.h"
#include "tokenize.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_LEXICONS "lexicons"

/* ======================= Shared ========================================== */

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
     "lexicon file (the summary line then goes to stderr)", "Output"},
    {OPT_OUTPUT, "output", 'o', "FILE", "write the report to FILE instead "
     "of stdout", "Output"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command test_command = {
    "lexicon test",
    "evalbias lexicon test - run the example sentences of lexicon files",
    "evalbias lexicon test [OPTIONS] [PATH...]",
    "Loads the lexicon files (PATH: a file or a directory of *.csv and *.txt;\n"
    "default: lexicons/) and runs every example row of the CSV lexicons\n"
    "through the audit's own matcher, over the whole set at once:\n"
    "  match    the sentence must give a hit of the entry, not negated\n"
    "  negated  the sentence must give a negated hit of the entry\n"
    "  nomatch  the sentence must give no hit of the entry\n"
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

/* Normalized text, its tokens and its hits: the pipeline up to matching,
 * with buffers reused from one sentence to the next. */
struct pipeline {
    struct normtext nt;
    struct tokens tok;
    struct hits hits;
};

static int pipeline_run(struct pipeline *p, matcher *m, const char *s,
                        size_t n, struct diag *err)
{
    normalize(&p->nt, s, n);
    tokenize(&p->tok, p->nt.s, p->nt.len);
    return matcher_find(m, p->nt.s, p->nt.len, &p->tok, &p->hits, err);
}

/* One example's outcome; why is "" when it passed. */
struct outcome {
    const struct lex_example *x;
    int ok;
    char *why;
};

/* A sentence inside a one-line description: quotes and backslashes
 * escaped, line breaks shown as \n; for TAP, '#' escaped too, which would
 * otherwise start a directive ("# TODO"). */
static void put_quoted(struct buf *b, const char *s, int tap)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '\n')
            buf_puts(b, "\\n");
        else if (*s == '\r')
            buf_puts(b, "\\r");
        else if (*s == '\t')
            buf_putc(b, ' ');
        else {
            if (*s == '"' || *s == '\\' || (tap && *s == '#'))
                buf_putc(b, '\\');
            buf_putc(b, *s);
        }
    }
    buf_putc(b, '"');
}

/* "lex.csv:42 emotional: match \"She was emotional.\"", in b. */
static const char *example_name(struct buf *b, const struct lexicon_set *set,
                                const struct lex_example *x, int tap)
{
    buf_clear(b);
    buf_printf(b, "%s:%lu ", set->lexicons[x->lexicon].path, x->line);
    if (x->entry != LEX_NONE)
        buf_printf(b, "%s: ", set->entries[x->entry].term);
    else if (x->category != LEX_NONE)
        buf_printf(b, "%s: ", set->categories[x->category].name);
    buf_printf(b, "%s ", example_kind_name(x->kind));
    put_quoted(b, x->text, tap);
    return b->p;
}

/* The hits found, for a failure message: "none", or
 * "\"Emotional\" (entry \"emotional\", lex.csv:5, negated), ..." with the
 * matched text as written in the sentence. */
static void describe_hits(struct buf *b, const struct lexicon_set *set,
                          const struct pipeline *p, const char *orig)
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

/* Does the example hold? If not, say why in `why`. */
static int example_holds(const struct lexicon_set *set,
                         const struct lex_example *x,
                         const struct pipeline *p, struct buf *why)
{
    size_t of_entry = 0, negated = 0, aside = 0, of_scope = 0;
    for (size_t i = 0; i < p->hits.n; i++) {
        const struct hit *h = &p->hits.v[i];
        const struct lex_entry *e = &set->entries[h->entry];
        if (h->entry == x->entry) {
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
        ok = of_entry == 0;
        buf_printf(why, "expected no hit of \"%s\"", term);
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

/* XML text or attribute value. Characters XML 1.0 forbids (C0 controls
 * other than tab and line breaks) are dropped. */
static void xml_put(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\n': fputs("&#10;", f); break;
        case '\r': fputs("&#13;", f); break;
        case '\t': fputs("&#9;", f); break;
        default:
            if (c >= 0x20)
                fputc(c, f);
        }
    }
}

/* JUnit XML as Jenkins, GitLab and GitHub test reporters read it: one
 * testsuite per lexicon file, one testcase per example. No timestamps or
 * durations, so the same lexicons give the same bytes. */
static void write_junit(FILE *f, const struct lexicon_set *set,
                        const struct outcome *r, size_t n, size_t failed)
{
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"evalbias lexicon test\" tests=\"%zu\" "
               "failures=\"%zu\">\n", n, failed);
    struct buf name;
    buf_init(&name);
    size_t i = 0;
    for (uint32_t l = 0; l < set->nlexicons; l++) {
        size_t first = i, nfail = 0;
        for (; i < n && r[i].x->lexicon == l; i++)
            nfail += !r[i].ok;
        const struct lex_info *li = &set->lexicons[l];
        fputs("  <testsuite name=\"", f);
        xml_put(f, li->path);
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                   "skipped=\"0\">\n", i - first, nfail);
        for (size_t k = first; k < i; k++) {
            fputs("    <testcase classname=\"", f);
            xml_put(f, li->name);
            fputs("\" name=\"", f);
            xml_put(f, example_name(&name, set, r[k].x, 0));
            fputs("\" file=\"", f);
            xml_put(f, li->path);
            fprintf(f, "\" line=\"%lu\"", r[k].x->line);
            if (r[k].ok) {
                fputs("/>\n", f);
                continue;
            }
            fputs(">\n      <failure type=\"lexicon-example\" message=\"", f);
            xml_put(f, r[k].why);
            fputs("\">", f);
            xml_put(f, li->path);
            fprintf(f, ":%lu: ", r[k].x->line);
            xml_put(f, r[k].why);
            fputs("</failure>\n    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    buf_fini(&name);
}

static void write_tap(FILE *f, const struct lexicon_set *set,
                      const struct outcome *r, size_t n, size_t failed)
{
    struct buf name;
    buf_init(&name);
    fprintf(f, "1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s %zu - %s\n", r[i].ok ? "ok" : "not ok", i + 1,
                example_name(&name, set, r[i].x, 1));
        if (!r[i].ok)
            fprintf(f, "# %s:%lu: %s\n", set->lexicons[r[i].x->lexicon].path,
                    r[i].x->line, r[i].why);
    }
    fprintf(f, "%zu passed, %zu failed\n", n - failed, failed);
    buf_fini(&name);
}

static int run_examples(const struct lexicon_set *set, matcher *m,
                        struct outcome *r, size_t *failed, struct diag *err)
{
    struct pipeline p;
    normtext_init(&p.nt);
    tokens_init(&p.tok);
    hits_init(&p.hits);
    struct buf why;
    buf_init(&why);
    int rc = 0;
    for (size_t i = 0; i < set->nexamples && rc == 0; i++) {
        const struct lex_example *x = &set->examples[i];
        rc = pipeline_run(&p, m, x->text, strlen(x->text), err);
        buf_clear(&why);
        r[i].x = x;
        r[i].ok = rc == 0 && example_holds(set, x, &p, &why);
        r[i].why = xstrdup(r[i].ok ? "" : buf_cstr(&why));
        *failed += !r[i].ok;
    }
    buf_fini(&why);
    normtext_fini(&p.nt);
    tokens_fini(&p.tok);
    hits_fini(&p.hits);
    return rc;
}

static int lexicon_test(int argc, char **argv)
{
    struct cli_parser cp;
    cli_init(&cp, &test_command, argc - 1, argv + 1);
    struct strvec paths = {0};
    const char *out_path = NULL, *v;
    int junit = 0;
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
            if (strcmp(v, "tap") != 0 && strcmp(v, "junit") != 0) {
                strvec_fini(&paths);
                return usage_error(&test_command,
                                   "--format must be tap or junit");
            }
            junit = strcmp(v, "junit") == 0;
            break;
        }
    }
    if (paths.n == 0)
        strvec_push(&paths, DEFAULT_LEXICONS);

    struct diag err;
    struct lexicon_set *set = load_set(&paths, &err);
    matcher *m = set ? matcher_new(set, &err) : NULL;
    struct outcome *r = NULL;
    size_t n = set ? set->nexamples : 0, failed = 0;
    int rc = m ? 0 : -1;
    if (rc == 0) {
        r = xcalloc(n ? n : 1, sizeof *r);
        rc = run_examples(set, m, r, &failed, &err);
    }
    struct outfile o;
    if (rc == 0)
        rc = outfile_open(&o, out_path, &err);
    if (rc == 0) {
        if (junit) {
            write_junit(o.f, set, r, n, failed);
            fprintf(stderr, "%zu passed, %zu failed\n", n - failed, failed);
        } else {
            write_tap(o.f, set, r, n, failed);
        }
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

enum { OPT_STRICT = 1 };

static const struct cli_option lint_options[] = {
    {OPT_STRICT, "strict", 0, NULL, "exit 1 on warnings too", "Checks"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command lint_command = {
    "lexicon lint",
    "evalbias lexicon lint - check lexicon files for mistakes",
    "evalbias lexicon lint [OPTIONS] [PATH...]",
    "Loads each lexicon file on its own (PATH: a file or a directory of *.csv\n"
    "and *.txt; default: lexicons/), then checks them together. Errors:\n"
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
        }
    }
    if (paths.n == 0)
        strvec_push(&paths, DEFAULT_LEXICONS);
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
    for (size_t i = 0; i < rep.n; i++)
        print_finding(&rep.v[i]);
    printf("%zu error%s, %zu warning%s in %zu lexicon file%s\n", rep.errors,
           rep.errors == 1 ? "" : "s", rep.warnings,
           rep.warnings == 1 ? "" : "s", files.n, files.n == 1 ? "" : "s");
    int code = rep.errors || (strict && rep.warnings) ? EXIT_CHECK_FAILED
                                                      : EXIT_OK;
    lint_report_fini(&rep);
    strvec_fini(&files);
    return code;
}

/* ======================= lexicon show ==================================== */

static const struct cli_option show_options[] = {
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command show_command = {
    "lexicon show",
    "evalbias lexicon show - list lexicons, versions, categories and sources",
    "evalbias lexicon show [PATH...]",
    "Loads the lexicon files (PATH: a file or a directory of *.csv and *.txt;\n"
    "default: lexicons/) and prints, per lexicon, its name, version, file,\n"
    "SHA-256 (as audit's manifest records it), license, description and\n"
    "counts, then per category its entries, direction and full sources.\n"
    "Exit codes: 0 success; 2 usage or load error.",
    show_options,
    "  evalbias lexicon show\n"
    "  evalbias lexicon show lexicons/personality.csv\n",
};

static const char *or_none(const char *s)
{
    return s && *s ? s : "(none)";
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

static void show_lexicon(FILE *f, const struct lexicon_set *set, uint32_t l)
{
    const struct lex_info *li = &set->lexicons[l];
    size_t kinds[4] = {0}, nentries = 0, ncat = 0, nex = 0;
    for (size_t i = 0; i < set->nentries; i++)
        if (set->entries[i].lexicon == l) {
            kinds[set->entries[i].kind]++;
            nentries++;
        }
    for (size_t i = 0; i < set->ncategories; i++)
        ncat += set->categories[i].lexicon == l;
    for (size_t i = 0; i < set->nexamples; i++)
        nex += set->examples[i].lexicon == l;
    fprintf(f, "%s %s\n", li->name, or_none(li->version));
    fprintf(f, "  file:         %s\n", li->path);
    fprintf(f, "  sha256:       %s\n", li->sha256);
    fprintf(f, "  license:      %s\n", or_none(li->license));
    fprintf(f, "  description:  %s\n", or_none(li->description));
    fprintf(f, "  entries:      %zu (%zu word%s, %zu phrase%s, %zu stem%s, "
            "%zu pattern%s) in %zu categor%s; %zu example%s\n", nentries,
            kinds[ENTRY_WORD], plural(kinds[ENTRY_WORD]),
            kinds[ENTRY_PHRASE], plural(kinds[ENTRY_PHRASE]),
            kinds[ENTRY_STEM], plural(kinds[ENTRY_STEM]),
            kinds[ENTRY_REGEX], plural(kinds[ENTRY_REGEX]), ncat,
            ncat == 1 ? "y" : "ies", nex, plural(nex));
    for (size_t c = 0; c < set->ncategories; c++) {
        const struct lex_category *cat = &set->categories[c];
        if (cat->lexicon != l)
            continue;
        size_t n = 0;
        for (size_t i = 0; i < set->nentries; i++)
            n += set->entries[i].category == c;
        fprintf(f, "  category %s: %zu entr%s; direction: %s\n", cat->name, n,
                n == 1 ? "y" : "ies", or_none(cat->direction));
        if (*cat->description)
            fprintf(f, "    description: %s\n", cat->description);
        for (size_t s = 0; s < cat->sources.n; s++)
            fprintf(f, "    source: %s\n", cat->sources.v[s]);
        if (!cat->sources.n)
            fputs("    source: (none)\n", f);
    }
}

static int lexicon_show(int argc, char **argv)
{
    struct cli_parser cp;
    cli_init(&cp, &show_command, argc - 1, argv + 1);
    struct strvec paths = {0};
    const char *v;
    for (int id; (id = cli_next(&cp, &v)) != CLI_END;) {
        if (id == CLI_HELP) {
            cli_print_help(stdout, &show_command);
            strvec_fini(&paths);
            return EXIT_OK;
        }
        if (id == CLI_ERROR) {
            strvec_fini(&paths);
            return usage_error(&show_command, cp.error);
        }
        strvec_push(&paths, v);
    }
    if (paths.n == 0)
        strvec_push(&paths, DEFAULT_LEXICONS);
    struct diag err;
    struct lexicon_set *set = load_set(&paths, &err);
    strvec_fini(&paths);
    if (!set) {
        diag_print(stderr, &err);
        return EXIT_USAGE;
    }
    for (uint32_t l = 0; l < set->nlexicons; l++) {
        if (l)
            fputc('\n', stdout);
        show_lexicon(stdout, set, l);
    }
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
     "(TAP or JUnit XML)"},
    {"lint", lexicon_lint_cmd, "check lexicon files: duplicates, shadowed "
     "entries, patterns, sources"},
    {"diff", cmd_lexicon_diff, "the excerpts a lexicon change adds and drops on "
     "a corpus"},
    {"show", lexicon_show, "list lexicons, versions, hashes, categories and "
     "sources"},
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
          "*.txt files;\nthe default is lexicons/.\n"
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
        lexicon_usage(stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < NSUB; i++)
        if (strcmp(subcommands[i].name, name) == 0)
            return subcommands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "evalbias: unknown lexicon command '%s'\n\n", name);
    lexicon_usage(stderr);
    return EXIT_USAGE;
}
