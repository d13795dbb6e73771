/* lexicon_out.c - TAP, JUnit, JSON and GitHub output for the `evalbias
 * lexicon` commands (lexicon_out.h). Only formatting lives here: what an
 * example, a finding or a change is comes from the caller. */
#include "lexicon_out.h"
#include "reader.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const char *const format_names[] = {
    [LEXOUT_TEXT] = "text", [LEXOUT_TAP] = "tap", [LEXOUT_JUNIT] = "junit",
    [LEXOUT_JSON] = "json", [LEXOUT_GITHUB] = "github",
};

int lexout_parse(const char *s, unsigned allowed, enum lexout_format *fmt)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (strcmp(s, format_names[i]) == 0 && (allowed & LEXOUT_BIT(i))) {
            *fmt = (enum lexout_format)i;
            return 0;
        }
    return -1;
}

/* ======================= JSON ============================================ */

static const char *severity_name(enum diag_severity sev)
{
    return sev == DIAG_ERROR ? "error" : sev == DIAG_WARNING ? "warning"
                                                             : "note";
}

void lexout_json_finding(FILE *f, const struct diag *d)
{
    fputs("{\"file\": ", f);
    json_str(f, d->file);
    fprintf(f, ", \"line\": %lu, \"col\": %lu, \"severity\": \"%s\", "
               "\"message\": ", d->line, d->col, severity_name(d->sev));
    json_str(f, d->msg);
    fputc('}', f);
}

static void json_head(FILE *f, const char *command)
{
    fprintf(f, "{\n  \"command\": \"%s\",\n  \"format_version\": 1,\n",
            command);
}

/* ======================= GitHub workflow commands ======================== */

/* The runner's escaping: the message needs %, CR and LF escaped; a
 * property value also ',' and ':', which separate properties. */
static void gh_escape(FILE *f, const char *s, int property)
{
    for (; *s; s++) {
        switch (*s) {
        case '%': fputs("%25", f); break;
        case '\r': fputs("%0D", f); break;
        case '\n': fputs("%0A", f); break;
        case ':': fputs(property ? "%3A" : ":", f); break;
        case ',': fputs(property ? "%2C" : ",", f); break;
        default: fputc(*s, f);
        }
    }
}

static void gh_command(FILE *f, enum diag_severity sev, const char *file,
                       unsigned long line, unsigned long col, const char *msg)
{
    fputs(sev == DIAG_ERROR ? "::error" : "::warning", f);
    const char *sep = " ";
    if (file && *file) {
        fputs(" file=", f);
        gh_escape(f, file, 1);
        sep = ",";
    }
    if (line) {
        fprintf(f, "%sline=%lu", sep, line);
        sep = ",";
        if (col)
            fprintf(f, ",col=%lu", col);
    }
    fputs("::", f);
    gh_escape(f, msg, 0);
    fputc('\n', f);
}

void lexout_github(FILE *f, const struct diag *d)
{
    gh_command(f, d->sev, d->file, d->line, d->col, d->msg);
}

/* ======================= lint ============================================ */

void lexout_lint_json(FILE *f, const struct strvec *files,
                      const struct lint_report *rep)
{
    json_head(f, "lexicon lint");
    fputs("  \"files\": [", f);
    for (size_t i = 0; i < files->n; i++) {
        fputs(i ? ", " : "", f);
        json_str(f, files->v[i]);
    }
    fputs("],\n  \"findings\": [", f);
    for (size_t i = 0; i < rep->n; i++) {
        fputs(i ? ",\n    " : "\n    ", f);
        lexout_json_finding(f, &rep->v[i]);
    }
    fprintf(f, "%s],\n  \"errors\": %zu,\n  \"warnings\": %zu\n}\n",
            rep->n ? "\n  " : "", rep->errors, rep->warnings);
}

/* ======================= test ============================================ */

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

/* The example without its location: "emotional: match \"...\"". */
static void example_what(struct buf *b, const struct lexicon_set *set,
                         const struct lex_example *x, int tap)
{
    if (x->entry != LEX_NONE)
        buf_printf(b, "%s: ", set->entries[x->entry].term);
    else if (x->category != LEX_NONE)
        buf_printf(b, "%s: ", set->categories[x->category].name);
    buf_printf(b, "%s ", example_kind_name(x->kind));
    put_quoted(b, x->text, tap);
}

const char *lexout_example_name(struct buf *b, const struct lexicon_set *set,
                                const struct lex_example *x, int tap)
{
    buf_clear(b);
    buf_printf(b, "%s:%lu ", set->lexicons[x->lexicon].path, x->line);
    example_what(b, set, x, tap);
    return b->p;
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
void lexout_test_junit(FILE *f, const struct lexicon_set *set,
                       const struct example_outcome *r, size_t n,
                       size_t failed)
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
            xml_put(f, lexout_example_name(&name, set, r[k].x, 0));
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

void lexout_test_tap(FILE *f, const struct lexicon_set *set,
                     const struct example_outcome *r, size_t n,
                     size_t failed)
{
    struct buf name;
    buf_init(&name);
    fprintf(f, "1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s %zu - %s\n", r[i].ok ? "ok" : "not ok", i + 1,
                lexout_example_name(&name, set, r[i].x, 1));
        if (!r[i].ok)
            fprintf(f, "# %s:%lu: %s\n", set->lexicons[r[i].x->lexicon].path,
                    r[i].x->line, r[i].why);
    }
    fprintf(f, "%zu passed, %zu failed\n", n - failed, failed);
    buf_fini(&name);
}

void lexout_test_json(FILE *f, const struct lexicon_set *set,
                      const struct example_outcome *r, size_t n,
                      size_t failed)
{
    json_head(f, "lexicon test");
    fputs("  \"load_error\": null,\n  \"examples\": [", f);
    for (size_t i = 0; i < n; i++) {
        const struct lex_example *x = r[i].x;
        fputs(i ? ",\n    {\"file\": " : "\n    {\"file\": ", f);
        json_str(f, set->lexicons[x->lexicon].path);
        fprintf(f, ", \"line\": %lu, \"lexicon\": ", x->line);
        json_str(f, set->lexicons[x->lexicon].name);
        fputs(", \"category\": ", f);
        json_str(f, x->category != LEX_NONE
                               ? set->categories[x->category].name : NULL);
        fputs(", \"term\": ", f);
        json_str(f, x->entry != LEX_NONE ? set->entries[x->entry].term
                                                : NULL);
        fprintf(f, ", \"kind\": \"%s\", \"sentence\": ",
                example_kind_name(x->kind));
        json_str(f, x->text);
        fprintf(f, ", \"ok\": %s, \"message\": ", r[i].ok ? "true" : "false");
        json_str(f, r[i].why);
        fputc('}', f);
    }
    fprintf(f, "%s],\n  \"passed\": %zu,\n  \"failed\": %zu\n}\n",
            n ? "\n  " : "", n - failed, failed);
}

void lexout_test_github(FILE *f, const struct lexicon_set *set,
                        const struct example_outcome *r, size_t n,
                        size_t failed)
{
    struct buf msg;
    buf_init(&msg);
    for (size_t i = 0; i < n; i++) {
        if (r[i].ok)
            continue;
        /* The annotation carries the file and line: the message is the
         * example and what went wrong. */
        buf_clear(&msg);
        example_what(&msg, set, r[i].x, 0);
        buf_printf(&msg, ": %s", r[i].why);
        gh_command(f, DIAG_ERROR, set->lexicons[r[i].x->lexicon].path,
                   r[i].x->line, 0, buf_cstr(&msg));
    }
    fprintf(f, "%zu passed, %zu failed\n", n - failed, failed);
    buf_fini(&msg);
}

void lexout_test_load_error(FILE *f, enum lexout_format fmt,
                            const struct diag *d)
{
    struct buf loc;
    buf_init(&loc);
    buf_puts(&loc, d->file);
    if (d->line)
        buf_printf(&loc, ":%lu", d->line);
    if (d->line && d->col)
        buf_printf(&loc, ":%lu", d->col);
    switch (fmt) {
    case LEXOUT_JUNIT:
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<testsuites name=\"evalbias lexicon test\" tests=\"1\" "
              "failures=\"1\">\n  <testsuite name=\"", f);
        xml_put(f, d->file);
        fputs("\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\">\n"
              "    <testcase classname=\"lexicon load\" name=\"", f);
        xml_put(f, buf_cstr(&loc));
        fputs(" load\" file=\"", f);
        xml_put(f, d->file);
        fprintf(f, "\" line=\"%lu\">\n      <failure type=\"lexicon-load\" "
                   "message=\"", d->line);
        xml_put(f, d->msg);
        fputs("\">", f);
        xml_put(f, buf_cstr(&loc));
        fputs(": error: ", f);
        xml_put(f, d->msg);
        fputs("</failure>\n    </testcase>\n  </testsuite>\n</testsuites>\n",
              f);
        break;
    case LEXOUT_JSON:
        json_head(f, "lexicon test");
        fputs("  \"load_error\": ", f);
        lexout_json_finding(f, d);
        fputs(",\n  \"examples\": [],\n  \"passed\": 0,\n  \"failed\": 0\n}\n",
              f);
        break;
    case LEXOUT_GITHUB:
        lexout_github(f, d);
        break;
    default:
        fprintf(f, "1..0\n# %s: error: %s\n", buf_cstr(&loc), d->msg);
        break;
    }
    buf_fini(&loc);
}

/* ======================= show ============================================ */

static const char *const kind_names[] = {
    [ENTRY_WORD] = "word", [ENTRY_PHRASE] = "phrase", [ENTRY_STEM] = "stem",
    [ENTRY_REGEX] = "pattern",
};

int lexout_category_selected(const struct lexicon_set *set, uint32_t c,
                             const char *sel)
{
    if (!sel)
        return 1;
    const struct lex_category *cat = &set->categories[c];
    if (strcmp(sel, cat->name) == 0)
        return 1;
    const char *lex = set->lexicons[cat->lexicon].name;
    size_t n = strlen(lex);
    return strncmp(sel, lex, n) == 0 && sel[n] == '/' &&
           strcmp(sel + n + 1, cat->name) == 0;
}

static int lexicon_selected(const struct lexicon_set *set, uint32_t l,
                            const char *sel)
{
    for (uint32_t c = 0; c < set->ncategories; c++)
        if (set->categories[c].lexicon == l &&
            lexout_category_selected(set, c, sel))
            return 1;
    return 0;
}

/* A guard as written: its words, a stem with its '*'. */
static void guard_text(struct buf *b, const struct wordseq *g)
{
    buf_clear(b);
    for (size_t i = 0; i < g->n; i++)
        buf_printf(b, "%s%s%s", i ? " " : "", g->words[i],
                   g->is_stem[i] ? "*" : "");
}

static size_t entry_examples(const struct lexicon_set *set, size_t e)
{
    size_t n = 0;
    for (size_t i = 0; i < set->nexamples; i++)
        n += set->examples[i].entry == e;
    return n;
}

static const char *or_none(const char *s)
{
    return s && *s ? s : "(none)";
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

static void show_guards(FILE *f, struct buf *b, const char *side,
                        const struct wordseq *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        guard_text(b, &g[i]);
        if (i)
            fprintf(f, ", \"%s\"", buf_cstr(b));
        else
            fprintf(f, "; %s \"%s\"", side, buf_cstr(b));
    }
}

static void show_category_text(FILE *f, const struct lexicon_set *set,
                               uint32_t c)
{
    const struct lex_category *cat = &set->categories[c];
    size_t n = 0;
    for (size_t i = 0; i < set->nentries; i++)
        n += set->entries[i].category == c;
    fprintf(f, "  category %s: %zu entr%s; direction: %s\n", cat->name, n,
            n == 1 ? "y" : "ies", or_none(cat->direction));
    fprintf(f, "    label: %s\n", or_none(cat->label));
    if (*cat->summary)
        fprintf(f, "    summary: %s\n", cat->summary);
    if (*cat->description)
        fprintf(f, "    description: %s\n", cat->description);
    for (size_t s = 0; s < cat->sources.n; s++)
        fprintf(f, "    source: %s\n", cat->sources.v[s]);
    if (!cat->sources.n)
        fputs("    source: (none)\n", f);
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < set->nentries; i++) {
        const struct lex_entry *e = &set->entries[i];
        if (e->category != c)
            continue;
        size_t nx = entry_examples(set, i);
        fprintf(f, "    %-7s %s  (line %lu; %zu example%s", kind_names[e->kind],
                e->term, e->line, nx, plural(nx));
        show_guards(f, &b, "guard_before", e->guard_before, e->nguard_before);
        show_guards(f, &b, "guard_after", e->guard_after, e->nguard_after);
        fputs(")\n", f);
    }
    buf_fini(&b);
}

void lexout_show_text(FILE *f, const struct lexicon_set *set, const char *sel)
{
    int first = 1;
    for (uint32_t l = 0; l < set->nlexicons; l++) {
        if (!lexicon_selected(set, l, sel))
            continue;
        if (!first)
            fputc('\n', f);
        first = 0;
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
        for (uint32_t c = 0; c < set->ncategories; c++)
            if (set->categories[c].lexicon == l &&
                lexout_category_selected(set, c, sel))
                show_category_text(f, set, c);
    }
}

static void json_guards(FILE *f, struct buf *b, const struct wordseq *g,
                        size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        guard_text(b, &g[i]);
        fputs(i ? ", " : "", f);
        json_str(f, buf_cstr(b));
    }
    fputc(']', f);
}

static void show_category_json(FILE *f, const struct lexicon_set *set,
                               uint32_t c)
{
    const struct lex_category *cat = &set->categories[c];
    fputs("{\"id\": ", f);
    json_str(f, cat->name);
    fputs(", \"label\": ", f);
    json_str(f, cat->label);
    fputs(", \"summary\": ", f);
    json_str(f, cat->summary);
    fputs(",\n         \"description\": ", f);
    json_str(f, cat->description);
    fputs(",\n         \"direction\": ", f);
    json_str(f, cat->direction);
    fputs(",\n         \"sources\": [", f);
    for (size_t s = 0; s < cat->sources.n; s++) {
        fputs(s ? ", " : "", f);
        json_str(f, cat->sources.v[s]);
    }
    fprintf(f, "],\n         \"line\": %lu,\n         \"entries\": [", cat->line);
    struct buf b;
    buf_init(&b);
    size_t k = 0;
    for (size_t i = 0; i < set->nentries; i++) {
        const struct lex_entry *e = &set->entries[i];
        if (e->category != c)
            continue;
        fprintf(f, "%s{\"type\": \"%s\", \"term\": ",
                k++ ? ",\n           " : "\n           ", kind_names[e->kind]);
        json_str(f, e->term);
        fprintf(f, ", \"line\": %lu, \"col\": %lu, \"guards_before\": ",
                e->line, e->col);
        json_guards(f, &b, e->guard_before, e->nguard_before);
        fputs(", \"guards_after\": ", f);
        json_guards(f, &b, e->guard_after, e->nguard_after);
        fprintf(f, ", \"examples\": %zu, \"note\": ", entry_examples(set, i));
        json_str(f, e->note ? e->note : "");
        fputc('}', f);
    }
    fprintf(f, "%s]}", k ? "\n         " : "");
    buf_fini(&b);
}

void lexout_show_json(FILE *f, const struct lexicon_set *set, const char *sel)
{
    json_head(f, "lexicon show");
    fputs("  \"lexicons\": [", f);
    size_t nl = 0;
    for (uint32_t l = 0; l < set->nlexicons; l++) {
        if (!lexicon_selected(set, l, sel))
            continue;
        const struct lex_info *li = &set->lexicons[l];
        fputs(nl++ ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
        json_str(f, li->name);
        fputs(", \"version\": ", f);
        json_str(f, li->version);
        fputs(", \"file\": ", f);
        json_str(f, li->path);
        fprintf(f, ", \"sha256\": \"%s\",\n     \"license\": ", li->sha256);
        json_str(f, li->license ? li->license : "");
        fputs(", \"description\": ", f);
        json_str(f, li->description ? li->description : "");
        fputs(",\n     \"categories\": [", f);
        size_t nc = 0;
        for (uint32_t c = 0; c < set->ncategories; c++) {
            if (set->categories[c].lexicon != l ||
                !lexout_category_selected(set, c, sel))
                continue;
            fputs(nc++ ? ",\n        " : "\n        ", f);
            show_category_json(f, set, c);
        }
        fprintf(f, "%s]}", nc ? "\n     " : "");
    }
    fprintf(f, "%s]\n}\n", nl ? "\n  " : "");
}

/* ======================= diff ============================================ */

void lexout_diff_begin(FILE *f, enum lexout_format fmt)
{
    if (fmt == LEXOUT_JSON) {
        json_head(f, "lexicon diff");
        fputs("  \"changes\": [", f);
    } else {
        fputs("change,evaluation_id,column,lexicon,category,term,"
              "matched_text,negated,start,end,excerpt\r\n", f);
    }
}

void lexout_diff_change(FILE *f, enum lexout_format fmt, size_t index,
                        const struct diff_change *c)
{
    const char *change = c->added ? "added" : "dropped";
    if (fmt != LEXOUT_JSON) {
        const char *cells[] = {c->id, c->column, c->lexicon, c->category,
                               c->term};
        fprintf(f, "%s,", change);
        for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
            report_cell_str(f, cells[i]);
            fputc(',', f);
        }
        report_cell(f, c->matched, c->matched_len);
        fprintf(f, ",%s,%zu,%zu,", c->negated ? "true" : "false", c->start,
                c->end);
        report_cell(f, c->excerpt, c->excerpt_len);
        fputs("\r\n", f);
        return;
    }
    fprintf(f, "%s{\"change\": \"%s\", \"evaluation_id\": ",
            index ? ",\n    " : "\n    ", change);
    json_str(f, c->id);
    fputs(", \"column\": ", f);
    json_str(f, c->column);
    fputs(", \"lexicon\": ", f);
    json_str(f, c->lexicon);
    fputs(", \"category\": ", f);
    json_str(f, c->category);
    fputs(", \"term\": ", f);
    json_str(f, c->term);
    fputs(", \"matched_text\": ", f);
    json_strn(f, c->matched, c->matched_len);
    fprintf(f, ", \"negated\": %s, \"start\": %zu, \"end\": %zu, "
               "\"excerpt\": ", c->negated ? "true" : "false", c->start,
            c->end);
    json_strn(f, c->excerpt, c->excerpt_len);
    fputc('}', f);
}

void lexout_diff_end(FILE *f, enum lexout_format fmt,
                     const struct diff_totals *t,
                     const struct diff_term *terms, size_t nterms)
{
    if (fmt != LEXOUT_JSON)
        return;
    fprintf(f, "%s],\n  \"old\": ", t->added + t->dropped ? "\n  " : "");
    json_str(f, t->old_path);
    fputs(",\n  \"new\": ", f);
    json_str(f, t->new_path);
    fputs(",\n  \"corpus\": ", f);
    json_str(f, t->corpus);
    fprintf(f, ",\n  \"rows\": %lu,\n  \"fields\": %lu,\n  \"added\": %llu,\n"
               "  \"dropped\": %llu,\n  \"terms\": [", t->rows, t->fields,
            (unsigned long long)t->added, (unsigned long long)t->dropped);
    size_t k = 0;
    for (size_t i = 0; i < nterms; i++) {
        const struct diff_term *d = &terms[i];
        if (d->hits[0] == d->hits[1] && d->negated[0] == d->negated[1])
            continue;
        fputs(k++ ? ",\n    {\"lexicon\": " : "\n    {\"lexicon\": ", f);
        json_str(f, d->lexicon);
        fputs(", \"category\": ", f);
        json_str(f, d->category);
        fputs(", \"term\": ", f);
        json_str(f, d->term);
        fprintf(f, ", \"old_hits\": %llu, \"new_hits\": %llu, "
                   "\"old_negated\": %llu, \"new_negated\": %llu}",
                (unsigned long long)d->hits[0], (unsigned long long)d->hits[1],
                (unsigned long long)d->negated[0],
                (unsigned long long)d->negated[1]);
    }
    fprintf(f, "%s]\n}\n", k ? "\n  " : "");
}
