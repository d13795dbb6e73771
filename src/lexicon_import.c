/* lexicon_import.c - LIWC .dic and quanteda YAML dictionaries -> a CSV
 * lexicon (lexicon_import.h). Reading fills a struct dict of categories
 * and (category, term) pairs with their locations; checking runs every
 * term through the lexicon loader's own parser (lexicon_format.h), so the
 * output loads; writing is plain CSV. */
#include "lexicon_import.h"
#include "hashmap.h"
#include "lexicon.h"
#include "lexicon_format.h"
#include "sha256.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static size_t add_category(struct dict *d, const char *id, size_t n,
                           unsigned long line)
{
    grow(&d->cats, &d->cats_cap, d->ncats + 1, sizeof *d->cats);
    struct dict_category *c = &d->cats[d->ncats];
    memset(c, 0, sizeof *c);
    c->id = xstrndup(id, n);
    c->label = xstrdup("");
    c->line = line;
    return d->ncats++;
}

static void add_pair(struct dict *d, size_t cat, const char *term, size_t n,
                     unsigned long line, unsigned long col)
{
    grow(&d->pairs, &d->pairs_cap, d->npairs + 1, sizeof *d->pairs);
    struct dict_pair *p = &d->pairs[d->npairs++];
    memset(p, 0, sizeof *p);
    p->category = cat;
    p->term = xstrndup(term, n);
    p->line = line;
    p->col = col;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* The file's name without its directories, for messages in the output. */
static char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return xstrdup(s ? s + 1 : path);
}

/* ======================= LIWC ============================================ */

struct liwc {
    struct dict *d;
    const char *path;
    struct diag *err;
    struct strmap codes;     /* code -> category index */
    struct strmap names;     /* id -> category index */
};

/* One whitespace-separated token of s[*i..n): its start and length, *i
 * moved past it; 0 at the end. */
static size_t next_token(const char *s, size_t n, size_t *i, size_t *start)
{
    while (*i < n && is_space(s[*i]))
        (*i)++;
    *start = *i;
    while (*i < n && !is_space(s[*i]))
        (*i)++;
    return *i - *start;
}

static int liwc_category(struct liwc *L, const char *s, size_t n,
                         unsigned long line)
{
    size_t i = 0, a, b;
    size_t na = next_token(s, n, &i, &a);
    size_t nb = next_token(s, n, &i, &b);
    if (!nb) {
        diag_set(L->err, DIAG_ERROR, L->path, line, a + 1,
                 "a category line is a numeric code and a name "
                 "(\"125<TAB>posemo\")");
        return -1;
    }
    for (size_t k = a; k < a + na; k++)
        if (s[k] < '0' || s[k] > '9') {
            diag_set(L->err, DIAG_ERROR, L->path, line, k + 1,
                     "category code \"%.*s\" is not a number", (int)na, s + a);
            return -1;
        }
    size_t *prev = strmap_get(&L->codes, s + a, na);
    if (prev) {
        diag_set(L->err, DIAG_ERROR, L->path, line, a + 1,
                 "category code %.*s is also on line %lu", (int)na, s + a,
                 L->d->cats[*prev].line);
        return -1;
    }
    prev = strmap_get(&L->names, s + b, nb);
    if (prev) {
        diag_set(L->err, DIAG_ERROR, L->path, line, b + 1,
                 "category name \"%.*s\" is also on line %lu", (int)nb, s + b,
                 L->d->cats[*prev].line);
        return -1;
    }
    size_t c = add_category(L->d, s + b, nb, line);
    L->d->cats[c].code = xstrndup(s + a, na);
    /* The rest of the line, if any, names the category for people. */
    while (i < n && is_space(s[i]))
        i++;
    size_t z = n;
    while (z > i && is_space(s[z - 1]))
        z--;
    if (z > i) {
        free(L->d->cats[c].label);
        L->d->cats[c].label = xstrndup(s + i, z - i);
    }
    int added;
    strmap_put(&L->codes, s + a, na, c, &added);
    strmap_put(&L->names, s + b, nb, c, &added);
    return 0;
}

static int liwc_entry(struct liwc *L, const char *s, size_t n,
                      unsigned long line)
{
    /* With a tab, the term runs to the first tab and may hold spaces (a
     * phrase); without one, it is the first token. */
    const char *tab = memchr(s, '\t', n);
    size_t tend = tab ? (size_t)(tab - s) : 0, i;
    if (!tab)
        while (tend < n && !is_space(s[tend]))
            tend++;
    size_t t0 = 0;
    while (t0 < tend && is_space(s[t0]))
        t0++;
    size_t t1 = tend;
    while (t1 > t0 && is_space(s[t1 - 1]))
        t1--;
    size_t ncodes = 0, a, k;
    for (i = tend; (k = next_token(s, n, &i, &a)) != 0; ncodes++) {
        if (memchr(s + a, '(', k) || memchr(s + a, ')', k) ||
            memchr(s + a, '/', k) || memchr(s + a, '<', k)) {
            diag_set(L->err, DIAG_ERROR, L->path, line, a + 1,
                     "conditional entry \"%.*s\": its category depends on "
                     "the words around it, which an evalbias lexicon cannot "
                     "express; rewrite it as phrases (\"like a\") or delete "
                     "it before importing", (int)(t1 - t0), s + t0);
            return -1;
        }
        size_t *c = strmap_get(&L->codes, s + a, k);
        if (!c) {
            diag_set(L->err, DIAG_ERROR, L->path, line, a + 1,
                     "unknown category code \"%.*s\": not declared between "
                     "the %% lines", (int)k, s + a);
            return -1;
        }
        add_pair(L->d, *c, s + t0, t1 - t0, line, t0 + 1);
    }
    if (!ncodes) {
        diag_set(L->err, DIAG_ERROR, L->path, line, t1 + 1,
                 "entry \"%.*s\" has no category code", (int)(t1 - t0),
                 s + t0);
        return -1;
    }
    return 0;
}

static int read_liwc(struct dict *d, const char *path, const char *body,
                     size_t len, struct diag *err)
{
    struct liwc L = {d, path, err, {0}, {0}};
    strmap_init(&L.codes);
    strmap_init(&L.names);
    int state = 0; /* 0 before the first %, 1 categories, 2 entries */
    unsigned long line = 0;
    int rc = 0;
    for (size_t pos = 0; pos < len && rc == 0;) {
        line++;
        const char *eol = memchr(body + pos, '\n', len - pos);
        size_t end = eol ? (size_t)(eol - body) : len;
        const char *s = body + pos;
        size_t n = end - pos, a = 0;
        pos = end + 1;
        while (a < n && is_space(s[a]))
            a++;
        if (a == n)
            continue;
        int percent = 1;
        for (size_t k = a; k < n; k++)
            percent &= s[k] == '%' || is_space(s[k]);
        if (percent && state < 2) {
            state++;
            continue;
        }
        if (state == 0) {
            diag_set(err, DIAG_ERROR, path, line, a + 1,
                     "a LIWC dictionary starts with a line holding only "
                     "'%%', then its categories");
            rc = -1;
        } else if (state == 1) {
            rc = liwc_category(&L, s, n, line);
        } else if (percent) {
            diag_set(err, DIAG_ERROR, path, line, a + 1,
                     "a third '%%' line: the category block is already "
                     "closed");
            rc = -1;
        } else {
            rc = liwc_entry(&L, s, n, line);
        }
    }
    if (rc == 0 && state < 2) {
        diag_set(err, DIAG_ERROR, path, line, 0,
                 "no category block: a LIWC dictionary has its categories "
                 "between two lines holding only '%%'");
        rc = -1;
    }
    strmap_fini(&L.codes);
    strmap_fini(&L.names);
    return rc;
}

/* ======================= quanteda YAML ================================== */

static int yaml_fail(struct diag *err, const char *path, yaml_mark_t m,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int yaml_fail(struct diag *err, const char *path, yaml_mark_t m,
                     const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(err, DIAG_ERROR, path, (unsigned long)m.line + 1,
             (unsigned long)m.column + 1, "%s", msg);
    return -1;
}

/* The 1-based column of a scalar's first character, past the opening
 * quote of a quoted one, so an offset into the value lands on its byte
 * (for plain ASCII values without escapes). */
static unsigned long scalar_col(const yaml_node_t *n)
{
    int quoted = n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                 n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    return (unsigned long)n->start_mark.column + 1 + (quoted ? 1 : 0);
}

/* The terms of one category: a list of strings, or one string. */
static int yaml_terms(struct dict *d, size_t cat, yaml_document_t *doc,
                      yaml_node_t *v, const char *path, struct diag *err)
{
    if (v->type == YAML_SCALAR_NODE) {
        add_pair(d, cat, (const char *)v->data.scalar.value,
                 v->data.scalar.length, v->start_mark.line + 1,
                 scalar_col(v));
        return 0;
    }
    for (yaml_node_item_t *it = v->data.sequence.items.start;
         it < v->data.sequence.items.top; it++) {
        yaml_node_t *t = yaml_document_get_node(doc, *it);
        if (!t || t->type != YAML_SCALAR_NODE)
            return yaml_fail(err, path, t ? t->start_mark : v->start_mark,
                             "a term must be a string, not a %s",
                             t && t->type == YAML_MAPPING_NODE ? "mapping"
                                                               : "list");
        add_pair(d, cat, (const char *)t->data.scalar.value,
                 t->data.scalar.length, t->start_mark.line + 1,
                 scalar_col(t));
    }
    return 0;
}

/* A mapping of categories; prefix is the ids of the keys above it. */
static int yaml_mapping(struct dict *d, yaml_document_t *doc, yaml_node_t *m,
                        struct buf *prefix, struct strmap *ids,
                        const char *path, struct diag *err,
                        struct diags *warn)
{
    size_t plen = prefix->len;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
         p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        if (!k || k->type != YAML_SCALAR_NODE || !k->data.scalar.length)
            return yaml_fail(err, path, k ? k->start_mark : m->start_mark,
                             "a category name must be a non-empty string");
        prefix->len = plen;
        if (plen)
            buf_putc(prefix, '.');
        buf_append(prefix, k->data.scalar.value, k->data.scalar.length);
        const char *id = buf_cstr(prefix);
        if (v && v->type == YAML_MAPPING_NODE) {
            if (yaml_mapping(d, doc, v, prefix, ids, path, err, warn) < 0)
                return -1;
            continue;
        }
        int added;
        size_t *prev = strmap_put(ids, id, prefix->len, d->ncats, &added);
        if (!added)
            return yaml_fail(err, path, k->start_mark,
                             "category \"%s\" is also on line %lu", id,
                             d->cats[*prev].line);
        size_t c = add_category(d, id, prefix->len, k->start_mark.line + 1);
        size_t before = d->npairs;
        if (v && (v->type == YAML_SEQUENCE_NODE ||
                  (v->type == YAML_SCALAR_NODE && v->data.scalar.length)) &&
            yaml_terms(d, c, doc, v, path, err) < 0)
            return -1;
        if (d->npairs == before)
            diags_add(warn, DIAG_WARNING, path, k->start_mark.line + 1,
                      k->start_mark.column + 1,
                      "category \"%s\" has no terms: left out", id);
    }
    prefix->len = plen;
    return 0;
}

static int read_yaml(struct dict *d, const char *path, const char *body,
                     size_t len, struct diag *err, struct diags *warn)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot start the YAML parser");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)body, len);
    if (!yaml_parser_load(&parser, &doc)) {
        diag_set(err, DIAG_ERROR, path,
                 (unsigned long)parser.problem_mark.line + 1,
                 (unsigned long)parser.problem_mark.column + 1, "YAML: %s%s%s",
                 parser.problem ? parser.problem : "cannot parse",
                 parser.context ? " " : "",
                 parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return -1;
    }
    int rc = 0;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        yaml_mark_t m = {0, 0, 0};
        rc = yaml_fail(err, path, root ? root->start_mark : m,
                       "a quanteda dictionary is a mapping of category "
                       "names to lists of terms");
    } else {
        struct buf prefix;
        struct strmap ids;
        buf_init(&prefix);
        strmap_init(&ids);
        rc = yaml_mapping(d, &doc, root, &prefix, &ids, path, err, warn);
        buf_fini(&prefix);
        strmap_fini(&ids);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

/* ======================= Reading, checking, writing ===================== */

int dict_read(struct dict *d, enum dict_format format, const char *path,
              struct diag *err, struct diags *warn)
{
    memset(d, 0, sizeof *d);
    d->format = format;
    d->name = base_name(path);
    struct lexfile lf;
    if (lexfile_read(path, &lf, err) < 0)
        return -1;
    sha256_hex(lf.data, lf.size, d->sha256);
    int rc = lexfile_check_utf8(path, &lf, err);
    if (rc == 0)
        rc = format == DICT_LIWC ? read_liwc(d, path, lf.body, lf.len, err)
                                 : read_yaml(d, path, lf.body, lf.len, err,
                                             warn);
    free(lf.data);
    if (rc == 0 && d->npairs == 0) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "no terms in the dictionary");
        rc = -1;
    }
    return rc;
}

/* The words an entry matches, as the matcher sees them: normalized, each
 * marked when it is a stem. Two terms with the same key are the same
 * entry to evalbias ("Bossy" and "bossy"). */
static void entry_key(struct buf *b, const struct lex_entry *e)
{
    buf_clear(b);
    if (e->kind == ENTRY_REGEX) {
        buf_puts(b, e->regex);
        return;
    }
    for (size_t i = 0; i < e->seq.n; i++)
        buf_printf(b, "%s%s%s", i ? "\x1f" : "", e->seq.words[i],
                   e->seq.is_stem[i] ? "*" : "");
}

static void drop(struct dict_pair *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void drop(struct dict_pair *p, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->dropped = 1;
    p->note = xstrdup(msg);
}

int dict_check(struct dict *d, const char *path, enum import_overlap overlap,
               struct diag *err, struct diags *warn)
{
    /* A scratch set: the loader's parser decides what a term is. */
    struct lexicon_set *set = lexicon_set_new();
    uint32_t lex = lexicon_set_add_lexicon(set, "import", path);
    uint32_t cat = lexicon_set_add_category(set, lex, "import");
    struct strmap seen; /* entry key -> first pair with it */
    strmap_init(&seen);
    struct buf key;
    buf_init(&key);
    int rc = 0;
    for (size_t i = 0; i < d->npairs && rc == 0; i++) {
        struct dict_pair *p = &d->pairs[i];
        char msg[512];
        size_t off = 0;
        if (p->term[0] == '/') {
            diag_set(err, DIAG_ERROR, path, p->line, p->col,
                     "term \"%s\" starts with '/', which evalbias reads as "
                     "a /pattern/", p->term);
            rc = -1;
            break;
        }
        struct lex_entry *e = lexicon_add_term(set, cat, p->term,
                                               strlen(p->term), msg,
                                               sizeof msg, &off);
        if (!e) {
            diag_set(err, DIAG_ERROR, path, p->line, p->col + off,
                     "term \"%s\": %s", p->term, msg);
            rc = -1;
            break;
        }
        entry_key(&key, e);
        int added;
        size_t first = *strmap_put(&seen, key.p, key.len, i, &added);
        if (added)
            continue;
        const struct dict_pair *q = &d->pairs[first];
        const char *qcat = d->cats[q->category].id;
        if (q->category == p->category) {
            drop(p, "\"%s\" is already in category \"%s\" (line %lu): kept "
                 "once", p->term, qcat, q->line);
        } else if (overlap == IMPORT_OVERLAP_FIRST) {
            drop(p, "\"%s\" is also in category \"%s\" (line %lu), which "
                 "keeps it: in one lexicon a word counts in one category",
                 p->term, qcat, q->line);
        } else {
            diag_set(err, DIAG_ERROR, path, p->line, p->col,
                     "\"%s\" is in category \"%s\" and in category \"%s\" "
                     "(line %lu): in one evalbias lexicon a word counts in "
                     "one category only; import with --overlap first to "
                     "keep it in the first, or split the dictionary",
                     p->term, d->cats[p->category].id, qcat, q->line);
            rc = -1;
            break;
        }
        diags_add(warn, DIAG_WARNING, path, p->line, p->col, "%s", p->note);
    }
    /* Categories that end up empty are left out of the lexicon (lint
     * calls an empty category an error): say so. */
    for (size_t c = 0; c < d->ncats && rc == 0; c++) {
        size_t all = 0, kept = 0;
        for (size_t i = 0; i < d->npairs; i++)
            if (d->pairs[i].category == c) {
                all++;
                kept += !d->pairs[i].dropped;
            }
        if (kept)
            continue;
        if (all)
            diags_add(warn, DIAG_WARNING, path, d->cats[c].line, 0,
                      "category \"%s\" keeps no terms: left out (its pairs "
                      "are comment rows)", d->cats[c].id);
        else if (d->cats[c].code) /* YAML warned while reading */
            diags_add(warn, DIAG_WARNING, path, d->cats[c].line, 0,
                      "category \"%s\" has no terms: left out",
                      d->cats[c].id);
    }
    buf_fini(&key);
    strmap_fini(&seen);
    lexicon_set_free(set);
    return rc;
}

/* One CSV cell: quoted when it holds a comma, quote, line break or
 * surrounding blanks (which the loader would trim). */
static void csv_cell(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    int q = n && (is_space(s[0]) || is_space(s[n - 1]));
    for (size_t i = 0; i < n && !q; i++)
        q = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!q) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            buf_putc(b, '"');
        buf_putc(b, s[i]);
    }
    buf_putc(b, '"');
}

static void row(struct buf *b, const char *type, const char *cat,
                const char *term, const char *value)
{
    csv_cell(b, type);
    buf_putc(b, ',');
    csv_cell(b, cat);
    buf_putc(b, ',');
    csv_cell(b, term);
    buf_putc(b, ',');
    csv_cell(b, value);
    buf_puts(b, "\r\n");
}

void dict_write_csv(const struct dict *d, const struct import_meta *meta,
                    struct buf *out)
{
    const char *kind = d->format == DICT_LIWC ? "LIWC dictionary"
                                              : "quanteda YAML dictionary";
    struct buf v;
    buf_init(&v);
    buf_puts(out, "type,category,term,value\r\n");
    if (meta && meta->name)
        row(out, "lexicon", "", "name", meta->name);
    if (meta && meta->version)
        row(out, "lexicon", "", "version", meta->version);
    buf_printf(&v, "Imported by evalbias lexicon import from %s (%s, "
               "SHA-256 %s); the categories' directions are not known.",
               d->name, kind, d->sha256);
    row(out, "lexicon", "", "description", buf_cstr(&v));
    for (size_t c = 0; c < d->ncats; c++) {
        const struct dict_category *cat = &d->cats[c];
        size_t kept = 0;
        for (size_t i = 0; i < d->npairs; i++)
            kept += d->pairs[i].category == c && !d->pairs[i].dropped;
        /* A category with no terms left would be a lint error: only
         * its dropped pairs are written, as comments. */
        if (kept) {
            row(out, "category", cat->id, "label",
                *cat->label ? cat->label : cat->id);
            buf_clear(&v);
            if (cat->code)
                buf_printf(&v, "Terms of category %s \"%s\" in %s.",
                           cat->code, cat->id, d->name);
            else
                buf_printf(&v, "Terms of category \"%s\" in %s.", cat->id,
                           d->name);
            row(out, "category", cat->id, "summary", buf_cstr(&v));
            row(out, "category", cat->id, "direction", "unspecified");
            buf_clear(&v);
            buf_printf(&v, "%s (%s), SHA-256 %s, imported by evalbias "
                       "lexicon import", d->name, kind, d->sha256);
            row(out, "category", cat->id, "source", buf_cstr(&v));
        }
        for (size_t i = 0; i < d->npairs; i++) {
            const struct dict_pair *p = &d->pairs[i];
            if (p->category != c)
                continue;
            if (!p->dropped) {
                row(out, "entry", cat->id, p->term, "");
                continue;
            }
            buf_clear(&v);
            buf_printf(&v, "%s:%lu: not imported: %s", d->name, p->line,
                       p->note);
            row(out, "# dropped", cat->id, p->term, buf_cstr(&v));
        }
    }
    buf_fini(&v);
}

void dict_fini(struct dict *d)
{
    for (size_t i = 0; i < d->ncats; i++) {
        free(d->cats[i].id);
        free(d->cats[i].label);
        free(d->cats[i].code);
    }
    free(d->cats);
    for (size_t i = 0; i < d->npairs; i++) {
        free(d->pairs[i].term);
        free(d->pairs[i].note);
    }
    free(d->pairs);
    free(d->name);
    memset(d, 0, sizeof *d);
}
