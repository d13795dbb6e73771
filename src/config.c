/* config.c - see config.h. The file is loaded whole (it is small) with
 * libyaml's document API, whose nodes carry their line and column. */
#include "config.h"
#include "sha256.h"
#include "suggest.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

static int fail(struct diag *err, const char *path, yaml_mark_t m,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct diag *err, const char *path, yaml_mark_t m,
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

static const char *node_kind(const yaml_node_t *n)
{
    return n->type == YAML_MAPPING_NODE ? "a mapping"
         : n->type == YAML_SEQUENCE_NODE ? "a list" : "a value";
}

/* A plain `~`, `null` or empty scalar: YAML's null. A quoted "" is a
 * value (an empty string), refused by the option itself. */
static int is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE ||
        n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = (const char *)n->data.scalar.value;
    return !*s || strcmp(s, "~") == 0 || strcasecmp(s, "null") == 0;
}

/* The folder part of path, with its slash ("" for a bare file name). */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? xstrndup(path, (size_t)(slash - path) + 1) : xstrdup("");
}

static void add_pair(struct config *c, const struct config_key *k,
                     const char *folder, const yaml_node_t *v)
{
    grow(&c->pairs, &c->cap, c->n + 1, sizeof *c->pairs);
    struct config_pair *p = &c->pairs[c->n++];
    p->key = k;
    p->line = (unsigned long)v->start_mark.line + 1;
    p->col = (unsigned long)v->start_mark.column + 1;
    if (k->kind == CONFIG_FLAG) {
        p->value = NULL;
        p->written = xstrdup("true");
        return;
    }
    const char *s = (const char *)v->data.scalar.value;
    p->written = xstrdup(s);
    if (k->is_path && *folder && s[0] != '/' && strcmp(s, "-") != 0) {
        struct buf b;
        buf_init(&b);
        buf_puts(&b, folder);
        buf_puts(&b, s);
        p->value = xstrdup(buf_cstr(&b));
        buf_fini(&b);
    } else {
        p->value = xstrdup(s);
    }
}

static const struct config_key *find_key(const struct config_key *keys,
                                         size_t nkeys, const char *name)
{
    for (size_t i = 0; i < nkeys; i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

static int unknown_key(const char *path, const yaml_node_t *k,
                       const struct config_key *keys, size_t nkeys,
                       struct diag *err)
{
    const char *name = (const char *)k->data.scalar.value;
    const char **cands = xmalloc((nkeys ? nkeys : 1) * sizeof *cands);
    for (size_t i = 0; i < nkeys; i++)
        cands[i] = keys[i].name;
    /* "--text" and "Text" are near misses worth naming too. */
    const char *bare = name;
    while (*bare == '-')
        bare++;
    const char *near = suggest_closest(bare, cands, nkeys);
    free(cands);
    return fail(err, path, k->start_mark, "unknown key \"%s\"%s%s%s (keys "
                "are the long option names, without \"--\")", name,
                near ? "; did you mean \"" : "", near ? near : "",
                near ? "\"?" : "");
}

static int load_mapping(struct config *c, const char *path, const char *folder,
                        yaml_document_t *doc, yaml_node_t *root,
                        const struct config_key *keys, size_t nkeys,
                        struct diag *err)
{
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        if (!k || !v)
            return fail(err, path, root->start_mark, "a broken mapping");
        if (k->type != YAML_SCALAR_NODE)
            return fail(err, path, k->start_mark, "a key must be an option "
                        "name, not %s", node_kind(k));
        const char *name = (const char *)k->data.scalar.value;
        const struct config_key *key = find_key(keys, nkeys, name);
        if (!key)
            return unknown_key(path, k, keys, nkeys, err);
        for (yaml_node_pair_t *q = root->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *kq = yaml_document_get_node(doc, q->key);
            if (kq && kq->type == YAML_SCALAR_NODE &&
                strcmp((const char *)kq->data.scalar.value, name) == 0)
                return fail(err, path, k->start_mark, "key \"%s\" is also on "
                            "line %lu (a repeatable option takes a list)",
                            name, (unsigned long)kq->start_mark.line + 1);
        }
        if (is_null(v))
            continue;
        if (v->type == YAML_MAPPING_NODE)
            return fail(err, path, v->start_mark, "\"%s\" takes %s, not a "
                        "mapping", name, key->kind == CONFIG_LIST ? "a list "
                        "of values" : key->kind == CONFIG_FLAG ? "true or "
                        "false" : "one value");
        if (key->kind == CONFIG_FLAG) {
            const char *s = v->type == YAML_SCALAR_NODE
                          ? (const char *)v->data.scalar.value : "";
            int yes = strcmp(s, "true") == 0 || strcmp(s, "yes") == 0;
            int no = strcmp(s, "false") == 0 || strcmp(s, "no") == 0;
            if (v->type != YAML_SCALAR_NODE || (!yes && !no))
                return fail(err, path, v->start_mark, "\"%s\" is a switch: "
                            "true or false, not %s%s%s", name,
                            v->type == YAML_SCALAR_NODE ? "\"" : node_kind(v),
                            v->type == YAML_SCALAR_NODE ? s : "",
                            v->type == YAML_SCALAR_NODE ? "\"" : "");
            if (yes)
                add_pair(c, key, folder, v);
            continue;
        }
        if (v->type == YAML_SCALAR_NODE) {
            add_pair(c, key, folder, v);
            continue;
        }
        if (key->kind != CONFIG_LIST)
            return fail(err, path, v->start_mark, "\"%s\" takes one value, "
                        "not a list (only repeatable options take lists)",
                        name);
        for (yaml_node_item_t *it = v->data.sequence.items.start;
             it < v->data.sequence.items.top; it++) {
            yaml_node_t *e = yaml_document_get_node(doc, *it);
            if (!e || e->type != YAML_SCALAR_NODE || is_null(e))
                return fail(err, path, e ? e->start_mark : v->start_mark,
                            "an item of \"%s\" must be a value, not %s", name,
                            e && !is_null(e) ? node_kind(e) : "empty");
            add_pair(c, key, folder, e);
        }
    }
    return 0;
}

int config_load(struct config *c, const char *path,
                const struct config_key *keys, size_t nkeys, struct diag *err)
{
    memset(c, 0, sizeof *c);
    c->path = xstrdup(path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot read the configuration: "
                 "%s", strerror(errno));
        return -1;
    }
    char *body = xmalloc(CONFIG_MAX_BYTES + 1);
    size_t len = fread(body, 1, CONFIG_MAX_BYTES + 1, f);
    int rerr = ferror(f);
    fclose(f);
    if (rerr || len > CONFIG_MAX_BYTES) {
        diag_set(err, DIAG_ERROR, path, 0, 0, rerr ? "cannot read the "
                 "configuration" : "a configuration is at most 1 MiB; is "
                 "this the right file?");
        free(body);
        return -1;
    }
    sha256_hex(body, len, c->sha256);
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot start the YAML parser");
        free(body);
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
        free(body);
        return -1;
    }
    int rc = 0;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    char *folder = folder_of(path);
    if (!root || is_null(root)) {
        rc = 0; /* an empty file (all comments) sets nothing */
    } else if (root->type != YAML_MAPPING_NODE) {
        rc = fail(err, path, root->start_mark, "a configuration is a mapping "
                  "of option names to values (\"text: Comments\"), not %s",
                  node_kind(root));
    } else {
        rc = load_mapping(c, path, folder, &doc, root, keys, nkeys, err);
    }
    free(folder);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(body);
    return rc;
}

void config_fini(struct config *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->pairs[i].value);
        free(c->pairs[i].written);
    }
    free(c->pairs);
    free(c->path);
    memset(c, 0, sizeof *c);
}

int config_sets(const struct config *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->pairs[i].key->name, name) == 0)
            return 1;
    return 0;
}
