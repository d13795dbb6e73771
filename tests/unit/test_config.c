/* test_config.c - config.h: YAML -> (option, value) pairs, located errors,
 * paths resolved against the configuration's folder. */
#include "check.h"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct config_key keys[] = {
    {"text", CONFIG_LIST, 0},      {"id", CONFIG_VALUE, 0},
    {"roster", CONFIG_VALUE, 1},   {"lexicon", CONFIG_LIST, 1},
    {"strict", CONFIG_FLAG, 0},    {"quiet", CONFIG_FLAG, 0},
    {"min-residents", CONFIG_VALUE, 0},
};
#define NKEYS (sizeof keys / sizeof keys[0])

static char dir[64];

static const char *write_file(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static int load(const char *text, struct config *c, struct diag *err)
{
    return config_load(c, write_file("c.yaml", text), keys, NKEYS, err);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/evalbias-test-config-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    struct config c;
    struct diag err;
    char want[160];

    int rc = load("# a comment\ntext:\n  - Strengths\n  - \"Areas, for\"\n"
                  "id: 17\nroster: r.csv\nlexicon: /abs/lex\nstrict: true\n"
                  "quiet: false\nmin-residents: ~\n", &c, &err);
    CHECK(rc == 0, "a configuration loads");
    CHECK(c.n == 6, "six pairs: two text, id, roster, lexicon, strict "
                    "(false and null set nothing)");
    CHECK_STR(c.pairs[0].key->name, "text", "file order: text first");
    CHECK_STR(c.pairs[1].value, "Areas, for", "a quoted list item");
    CHECK(c.pairs[1].line == 4 && c.pairs[1].col == 5, "pairs keep line:col");
    CHECK_STR(c.pairs[2].value, "17", "a number is a value");
    snprintf(want, sizeof want, "%s/r.csv", dir);
    CHECK_STR(c.pairs[3].value, want, "a relative path resolves against "
              "the configuration's folder");
    CHECK_STR(c.pairs[3].written, "r.csv", "... and keeps what was written");
    CHECK_STR(c.pairs[4].value, "/abs/lex", "an absolute path stays");
    CHECK(c.pairs[5].value == NULL && strcmp(c.pairs[5].key->name,
                                             "strict") == 0,
          "a flag set to true is an option without a value");
    CHECK(strlen(c.sha256) == 64, "the file's SHA-256");
    CHECK(config_sets(&c, "roster") && !config_sets(&c, "quiet"),
          "config_sets");
    config_fini(&c);

    CHECK(load("", &c, &err) == 0 && c.n == 0, "an empty file sets nothing");
    config_fini(&c);

    CHECK(load("text: Strengths\n", &c, &err) == 0 && c.n == 1,
          "a list key takes one value too");
    config_fini(&c);

    CHECK(load("id: a\ntxt: b\n", &c, &err) < 0 && err.line == 2 &&
          err.col == 1 && strstr(err.msg, "did you mean \"text\""),
          "an unknown key: 2:1, with the nearest key");
    config_fini(&c);
    CHECK(load("id:\n  - a\n", &c, &err) < 0 && err.line == 2 &&
          strstr(err.msg, "one value, not a list"), "a list for one value");
    config_fini(&c);
    CHECK(load("text:\n  a: b\n", &c, &err) < 0 &&
          strstr(err.msg, "not a mapping"), "a mapping for a list");
    config_fini(&c);
    CHECK(load("strict: 1\n", &c, &err) < 0 && err.col == 9 &&
          strstr(err.msg, "true or false"), "a switch takes true or false");
    config_fini(&c);
    CHECK(load("id: a\nid: b\n", &c, &err) < 0 &&
          strstr(err.msg, "also on line 1"), "a key given twice");
    config_fini(&c);
    CHECK(load("- a\n", &c, &err) < 0 && strstr(err.msg, "a mapping"),
          "the file must be a mapping");
    config_fini(&c);
    CHECK(load("id: [a\n", &c, &err) < 0 && strstr(err.msg, "YAML:"),
          "a YAML syntax error is located");
    config_fini(&c);
    CHECK(config_load(&c, "/nonexistent/c.yaml", keys, NKEYS, &err) < 0 &&
          strstr(err.msg, "cannot read"), "a missing file");
    config_fini(&c);

    unlink(write_file("c.yaml", ""));
    rmdir(dir);
    return check_done();
}
