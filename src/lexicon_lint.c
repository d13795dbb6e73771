/* lexicon_lint.c - see lexicon_lint.h for the checks.
 *
 * Shadowing follows the matcher's selection rule (match.h): at one span an
 * exact entry beats a stem, and between equals the lower entry index wins.
 * So an entry Y "covers" X when every text X matches, Y matches with the
 * same span - the same words, or a stem of Y that is a prefix of X's word
 * at that position - and Y has no guards that could stand it down. If Y
 * also wins the tie, X can never produce a hit. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "lexicon_lint.h"
#include "senses.h"
#include "lexicon.h"

#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct finding {
    size_t file, seq;  /* sort keys besides line and column */
    struct diag d;
};

struct linter {
    const struct strvec *files;
    struct lexicon_set *set;  /* the files that loaded */
    size_t *lex_file;         /* lexicon index -> index in files */
    struct finding *v;
    size_t n, cap;
    size_t errors, warnings;
};

static void add(struct linter *L, size_t file, unsigned long line,
                unsigned long col, enum diag_severity sev, const char *fmt,
                ...) __attribute__((format(printf, 6, 7)));

static void add(struct linter *L, size_t file, unsigned long line,
                unsigned long col, enum diag_severity sev, const char *fmt,
                ...)
{
    grow(&L->v, &L->cap, L->n + 1, sizeof *L->v);
    struct finding *f = &L->v[L->n];
    f->file = file;
    f->seq = L->n++;
    char msg[sizeof f->d.msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(&f->d, sev, L->files->v[file], line, col, "%s", msg);
    if (sev == DIAG_ERROR)
        L->errors++;
    else
        L->warnings++;
}

/* Where an entry is written: the file, line, col arguments of add(). */
#define ENTRY_AT(L, e) (L)->lex_file[(e)->lexicon], (e)->line, (e)->col

/* ======================= Lexicons and categories ========================= */

static void check_lexicons(struct linter *L)
{
    const struct lexicon_set *set = L->set;
    for (uint32_t l = 0; l < set->nlexicons; l++) {
        const struct lex_info *li = &set->lexicons[l];
        size_t f = L->lex_file[l], ncat = 0;
        for (uint32_t k = 0; k < l; k++)
            if (strcmp(set->lexicons[k].name, li->name) == 0) {
                add(L, f, 1, 1, DIAG_ERROR, "lexicon name \"%s\" is also "
                    "the name of %s; reports tell lexicons apart by name",
                    li->name, set->lexicons[k].path);
                break;
            }
        for (size_t c = 0; c < set->ncategories; c++)
            ncat += set->categories[c].lexicon == l;
        if (!ncat)
            add(L, f, 1, 1, DIAG_ERROR, "lexicon \"%s\" has no entries",
                li->name);
        if (!*li->version)
            add(L, f, 1, 1, DIAG_WARNING, "lexicon \"%s\" has no version; "
                "every report records the versions it used", li->name);
    }
}

static void check_categories(struct linter *L)
{
    const struct lexicon_set *set = L->set;
    size_t *count = xcalloc(set->ncategories + 1, sizeof *count);
    for (size_t i = 0; i < set->nentries; i++)
        count[set->entries[i].category]++;
    for (size_t c = 0; c < set->ncategories; c++) {
        const struct lex_category *cat = &set->categories[c];
        size_t f = L->lex_file[cat->lexicon];
        if (!count[c])
            add(L, f, cat->line, 1, DIAG_ERROR,
                "category \"%s\" has no entries", cat->name);
        if (!cat->sources.n)
            add(L, f, cat->line, 1, DIAG_WARNING,
                "category \"%s\" has no source: cite the published work it "
                "rests on", cat->name);
        if (!*cat->label || !*cat->summary)
            add(L, f, cat->line, 1, DIAG_WARNING,
                "category \"%s\" has no %s: reports show it to readers by "
                "a label and a one-line summary", cat->name,
                !*cat->label && !*cat->summary ? "label or summary"
                : !*cat->label                 ? "label" : "summary");
    }
    free(count);
}

/* ======================= Entries against each other ====================== */

static int has_guards(const struct lex_entry *e)
{
    return e->nguard_before + e->nguard_after > 0;
}

static int same_words(const struct lex_entry *a, const struct lex_entry *b)
{
    if (a->kind == ENTRY_REGEX || b->kind == ENTRY_REGEX)
        return a->kind == b->kind && strcmp(a->regex, b->regex) == 0;
    if (a->seq.n != b->seq.n)
        return 0;
    for (size_t k = 0; k < a->seq.n; k++)
        if (a->seq.is_stem[k] != b->seq.is_stem[k] ||
            strcmp(a->seq.words[k], b->seq.words[k]) != 0)
            return 0;
    return 1;
}

/* Does y match, with the same span, every text x matches? */
static int covers(const struct lex_entry *y, const struct lex_entry *x)
{
    if (y->kind == ENTRY_REGEX || x->kind == ENTRY_REGEX ||
        y->seq.n != x->seq.n || has_guards(y))
        return 0;
    for (size_t k = 0; k < y->seq.n; k++) {
        const char *yw = y->seq.words[k], *xw = x->seq.words[k];
        if (y->seq.is_stem[k] ? strncmp(xw, yw, strlen(yw)) != 0
                              : x->seq.is_stem[k] || strcmp(xw, yw) != 0)
            return 0;
    }
    return 1;
}

/* The matcher's tie-break rank at one span: exact before stem. */
static int rank(const struct lex_entry *e)
{
    return e->kind == ENTRY_STEM;
}

/* Do terms a and b differ only in how their words are separated (a hyphen
 * or white space), case aside? Such entries match the same text (README
 * "Text rules": a hyphen matches like a space), so one of them is
 * redundant, not wrong. Terms that differ in case alone are not variants:
 * they stay duplicates. */
static int hyphen_variant(const char *a, const char *b)
{
    int sepdiff = 0;
    for (;;) {
        const char *a0 = a, *b0 = b;
        while (*a == '-' || *a == ' ' || *a == '\t')
            a++;
        while (*b == '-' || *b == ' ' || *b == '\t')
            b++;
        if ((a > a0) != (b > b0))
            return 0;
        if ((size_t)(a - a0) != (size_t)(b - b0) ||
            memcmp(a0, b0, (size_t)(a - a0)) != 0)
            sepdiff = 1;
        if (!*a || !*b)
            return !*a && !*b && sepdiff;
        char ca = (char)((*a >= 'A' && *a <= 'Z') ? *a + 32 : *a);
        char cb = (char)((*b >= 'A' && *b <= 'Z') ? *b + 32 : *b);
        if (ca != cb)
            return 0;
        a++;
        b++;
    }
}

/* b (later) has the same words as a (earlier). */
static void report_same(struct linter *L, const struct lex_entry *a,
                        const struct lex_entry *b)
{
    const struct lexicon_set *set = L->set;
    if (a->category == b->category && strcmp(a->term, b->term) != 0 &&
        hyphen_variant(a->term, b->term))
        add(L, ENTRY_AT(L, b), DIAG_WARNING,
            "entry \"%s\" is redundant: \"%s\" on line %lu is the same words "
            "(a hyphen matches like a space); remove one", b->term, a->term,
            a->line);
    else if (a->category != b->category)
        add(L, ENTRY_AT(L, b), DIAG_ERROR,
            "entry \"%s\" never matches: entry \"%s\" on line %lu (category "
            "\"%s\") has the same words and comes first", b->term, a->term,
            a->line, set->categories[a->category].name);
    else if (strcmp(a->term, b->term) == 0)
        add(L, ENTRY_AT(L, b), DIAG_ERROR,
            "duplicate entry \"%s\" (also on line %lu)", b->term, a->line);
    else
        add(L, ENTRY_AT(L, b), DIAG_ERROR,
            "duplicate entry \"%s\" (the same words as \"%s\" on line %lu)",
            b->term, a->term, a->line);
}

/* x is never selected: y covers it and wins the tie. */
static void report_shadowed(struct linter *L, const struct lex_entry *x,
                            const struct lex_entry *y)
{
    add(L, ENTRY_AT(L, x), DIAG_WARNING,
        "entry \"%s\" never matches: \"%s\" on line %lu matches "
        "everything it does and takes precedence", x->term, y->term,
        y->line);
}

/* Exact entry x is covered by stem y of the same lexicon: x wins those
 * spans, so it only renames (or re-categorises) hits y would make. */
static void report_redundant(struct linter *L, const struct lex_entry *x,
                             const struct lex_entry *y)
{
    if (x->category == y->category)
        add(L, ENTRY_AT(L, x), DIAG_WARNING,
            "entry \"%s\" is redundant: stem \"%s\" on line %lu matches it "
            "too", x->term, y->term, y->line);
    else
        add(L, ENTRY_AT(L, x), DIAG_WARNING,
            "entry \"%s\" is covered by stem \"%s\" on line %lu (category "
            "\"%s\"): its hits go to \"%s\" instead", x->term, y->term,
            y->line, L->set->categories[y->category].name, x->term);
}

static void check_pairs(struct linter *L)
{
    const struct lexicon_set *set = L->set;
    for (size_t j = 0; j < set->nentries; j++) {
        const struct lex_entry *b = &set->entries[j];
        /* Lexicons may overlap one another (the matcher keeps the longest
         * hit per lexicon), so only entries of b's own lexicon can shadow
         * it; they are contiguous, nearest first. */
        for (size_t i = j; i-- > 0;) {
            const struct lex_entry *a = &set->entries[i];
            if (a->lexicon != b->lexicon)
                break;
            if (same_words(a, b)) {
                report_same(L, a, b);
                break; /* one finding per entry is enough */
            }
            if (covers(a, b)) {
                if (rank(a) <= rank(b)) { /* a comes first: it wins ties */
                    report_shadowed(L, b, a);
                    break;
                }
                report_redundant(L, b, a);
            } else if (covers(b, a) && rank(b) > rank(a)) {
                report_redundant(L, a, b);
            }
        }
    }
}

/* ======================= Patterns and examples =========================== */

/* Does the rest of a pattern from p on consume text? Quantifiers, group
 * ends and zero-width assertions do not. */
static int consumes_after(const char *p)
{
    for (; *p; p++) {
        if (strchr("*+?{},0123456789)$|", *p))
            continue;
        if (*p == '\\' && p[1] && strchr("bBzZA", p[1])) {
            p++;
            continue;
        }
        return 1;
    }
    return 0;
}

/* The offset of the first construct of re that can match sentence
 * punctuation (. ! ?) with more of the pattern after it, or -1. Such a
 * pattern could span two sentences, but regex entries match within one
 * sentence or clause (match.c's pieces): it would silently never match what
 * it was written for. A heuristic over the pattern's text: any-character
 * escapes (. \W \S \D \N \X \C, \p{P..}, \P{..}), negated classes,
 * and classes or literals holding . ! ?. */
static long spans_sentences(const char *re)
{
    int in_class = 0;
    const char *class_start = NULL;
    for (const char *p = re; *p; p++) {
        const char *at = p;
        int punct = 0;
        if (*p == '\\' && p[1]) {
            char c = *++p;
            if (c == 'Q') { /* \Q...\E: literal text */
                const char *e = strstr(p, "\\E");
                const char *stop = e ? e : p + strlen(p);
                for (const char *q = p; q < stop; q++)
                    if (strchr(".!?", *q) && consumes_after(stop))
                        return (long)(at - re);
                p = e ? e + 1 : stop - 1;
                continue;
            }
            punct = strchr(".!?WSDNXCP", c) != NULL ||
                    (c == 'p' && (p[1] == 'P' || (p[1] == '{' &&
                                                  (p[2] == 'P' || p[2] == '^'))));
        } else if (in_class) {
            if (*p == ']' && p != class_start) {
                in_class = 0;
                continue;
            }
            punct = strchr(".!?", *p) != NULL;
        } else if (*p == '(' && p[1] == '?') {
            /* (?: (?= (?! (?<= (?<! (?> (?|: group syntax, not text */
            while (p[1] && strchr("?<!=:>|", p[1]))
                p++;
            continue;
        } else if (*p == '[') {
            in_class = 1;
            class_start = p + 1;
            if (p[1] == '^') {
                punct = 1; /* everything but a few characters */
                class_start = p + 2;
            }
            if (*class_start == ']')
                class_start++; /* "[]...]": ] is a member */
            p = class_start - 1;
            if (!punct)
                continue;
        } else {
            punct = *p == '.' || *p == '!';
        }
        if (!punct)
            continue;
        /* Judge what follows the atom (the whole class, for a class). */
        const char *after = p + 1;
        if (in_class) {
            const char *q = after;
            while (*q && *q != ']')
                q += (*q == '\\' && q[1]) ? 2 : 1;
            after = *q ? q + 1 : q;
        }
        if (consumes_after(after))
            return (long)(at - re);
    }
    return -1;
}

/* CSV lexicons have validated their patterns while loading; plain lists
 * have not. The flags are match.c's. */
static void check_patterns(struct linter *L)
{
    const struct lexicon_set *set = L->set;
    for (size_t i = 0; i < set->nentries; i++) {
        const struct lex_entry *e = &set->entries[i];
        if (e->kind != ENTRY_REGEX)
            continue;
        int ec;
        PCRE2_SIZE off;
        pcre2_code *code = pcre2_compile(
            (PCRE2_SPTR)e->regex, PCRE2_ZERO_TERMINATED,
            PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &ec, &off, NULL);
        if (code) {
            pcre2_code_free(code);
            long at = spans_sentences(e->regex);
            if (at >= 0)
                add(L, L->lex_file[e->lexicon], e->line,
                    e->col + 2 + (unsigned long)at, DIAG_ERROR,
                    "regex: this part can match sentence punctuation "
                    "(. ! ?) with more of the pattern after it; regex entries "
                    "match within one sentence or clause (at most 1,000 "
                    "characters), so the pattern must not span sentences");
            continue;
        }
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        add(L, L->lex_file[e->lexicon], e->line,
            e->col + 1 + (unsigned long)off, DIAG_ERROR, "regex: %s",
            (const char *)msg);
    }
}

static int is_csv(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".csv") == 0;
}

/* Plain word lists cannot hold examples, so only CSV lexicons are asked
 * for them. */
/* One word, guarded differently in two lexicons ("aggressive diuresis"
 * guarded in one and not the other). The matcher pools the shared guards
 * of a spelling (senses.h), so both act alike; the warning asks that each
 * file say what it guards. Own guards (own_guard_* rows) are an entry's
 * evaluative senses and are not compared. Once per pair of lexicons per
 * spelling, at the later entry. */
static void check_senses(struct linter *L)
{
    const struct lexicon_set *set = L->set;
    struct strmap first; /* spelling -> 1 + index of its first entry */
    strmap_init(&first);
    struct buf key;
    buf_init(&key);
    for (size_t i = 0; i < set->nentries; i++) {
        const struct lex_entry *e = &set->entries[i];
        if ((e->kind != ENTRY_WORD && e->kind != ENTRY_PHRASE) || !e->seq.n)
            continue;
        senses_key(&key, &e->seq);
        int added;
        size_t *v = strmap_put(&first, key.p, key.len, i + 1, &added);
        if (added)
            continue;
        /* compare with every earlier entry of another lexicon */
        for (size_t j = *v - 1; j < i; j++) {
            const struct lex_entry *o = &set->entries[j];
            if (o->lexicon == e->lexicon || o->kind == ENTRY_REGEX)
                continue;
            struct buf k2;
            buf_init(&k2);
            senses_key(&k2, &o->seq);
            int same = k2.len == key.len && memcmp(k2.p, key.p, key.len) == 0;
            buf_fini(&k2);
            if (!same || !senses_differ(o, e))
                continue;
            add(L, ENTRY_AT(L, e), DIAG_WARNING,
                "entry \"%s\" is guarded differently from \"%s\" in %s "
                "line %lu: the matcher pools both guard sets for the word; "
                "give both files the same guards (own_guard_* rows for a "
                "sense of one category alone)", e->term, o->term,
                L->files->v[L->lex_file[o->lexicon]], o->line);
            break;
        }
    }
    buf_fini(&key);
    strmap_fini(&first);
}

static void check_examples(struct linter *L)
{
    const struct lexicon_set *set = L->set;
    size_t *matches = xcalloc(set->nentries + 1, sizeof *matches);
    size_t *nomatches = xcalloc(set->nentries + 1, sizeof *nomatches);
    for (size_t i = 0; i < set->nexamples; i++) {
        const struct lex_example *x = &set->examples[i];
        if (x->entry == LEX_NONE)
            continue;
        if (x->kind == EXAMPLE_NOMATCH)
            nomatches[x->entry]++;
        else
            matches[x->entry]++;
    }
    for (size_t i = 0; i < set->nentries; i++) {
        const struct lex_entry *e = &set->entries[i];
        if (!is_csv(e->file))
            continue;
        if ((e->kind == ENTRY_STEM || e->kind == ENTRY_REGEX) && !matches[i])
            add(L, ENTRY_AT(L, e), DIAG_WARNING,
                "%s entry \"%s\" has no match example: add a match row with "
                "a sentence it must catch",
                e->kind == ENTRY_STEM ? "stem" : "pattern", e->term);
        if (has_guards(e) && !nomatches[i])
            add(L, ENTRY_AT(L, e), DIAG_WARNING,
                "entry \"%s\" has guards but no nomatch example showing one "
                "at work", e->term);
    }
    free(matches);
    free(nomatches);
}

/* ======================= Driver ========================================== */

static int cmp_finding(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->d.line != y->d.line)
        return x->d.line < y->d.line ? -1 : 1;
    if (x->d.col != y->d.col)
        return x->d.col < y->d.col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void lexicon_lint(const struct strvec *files, struct lint_report *rep)
{
    struct linter L;
    memset(&L, 0, sizeof L);
    L.files = files;
    L.set = lexicon_set_new();
    L.lex_file = xcalloc(files->n + 1, sizeof *L.lex_file);
    size_t lex_cap = files->n + 1;
    for (size_t i = 0; i < files->n; i++) {
        /* A trial load first: a file that fails leaves part of itself in
         * the set it was loaded into. */
        struct lexicon_set *trial = lexicon_set_new();
        struct diag err;
        int rc = lexicon_set_load(trial, files->v[i], &err);
        lexicon_set_free(trial);
        if (rc < 0) {
            add(&L, i, err.line, err.col, DIAG_ERROR, "%s", err.msg);
            continue;
        }
        size_t before = L.set->nlexicons;
        lexicon_set_load(L.set, files->v[i], &err);
        grow(&L.lex_file, &lex_cap, L.set->nlexicons, sizeof *L.lex_file);
        for (size_t l = before; l < L.set->nlexicons; l++)
            L.lex_file[l] = i;
    }
    check_lexicons(&L);
    check_categories(&L);
    check_pairs(&L);
    check_patterns(&L);
    check_senses(&L);
    check_examples(&L);

    if (L.n > 1)
        qsort(L.v, L.n, sizeof *L.v, cmp_finding);
    memset(rep, 0, sizeof *rep);
    rep->v = xcalloc(L.n + 1, sizeof *rep->v);
    for (size_t i = 0; i < L.n; i++)
        rep->v[i] = L.v[i].d;
    rep->n = L.n;
    rep->errors = L.errors;
    rep->warnings = L.warnings;
    free(L.v);
    free(L.lex_file);
    lexicon_set_free(L.set);
}

void lint_report_fini(struct lint_report *rep)
{
    free(rep->v);
    memset(rep, 0, sizeof *rep);
}
