/* test_lexicon_import.c - unit tests for the dictionary importers
 * (lexicon_import.c): synthetic LIWC .dic and quanteda YAML dictionaries
 * written for the purpose (LIWC's own dictionaries are licensed). The
 * imported lexicon is loaded back with the lexicon loader and its
 * (category, term) pairs compared with the dictionary's, lint must find no
 * errors in it, and every refusal names its file:line:col. The SHA-256
 * values were computed with coreutils' sha256sum over the same bytes. */
#include "check.h"

#include "diag.h"
#include "lexicon.h"
#include "lexicon_import.h"
#include "lexicon_lint.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

static const char *write_file(const char *name, const char *content, size_t n)
{
    static char paths[4][512];
    static int k;
    char *p = paths[k++ % 4];
    snprintf(p, 512, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    if (!f) {
        perror(p);
        exit(2);
    }
    fwrite(content, 1, n, f);
    fclose(f);
    return p;
}

#define WRITE(name, lit) write_file((name), (lit), sizeof(lit) - 1)

/* "file:line:col: severity: msg" with the temporary directory as "T". */
static const char *render(const struct diag *d)
{
    static char out[4096];
    char loc[1024];
    const char *file = d->file;
    size_t tl = strlen(tmpdir);
    if (strncmp(file, tmpdir, tl) == 0) {
        snprintf(loc, sizeof loc, "T%s", file + tl);
        file = loc;
    }
    snprintf(out, sizeof out, "%s:%lu:%lu: %s: %s", file, d->line, d->col,
             d->sev == DIAG_ERROR ? "error" : "warning", d->msg);
    return out;
}

/* Import path; "" on success, else the rendered error. The dict is left
 * in *d (freed by the caller) and the warnings in *warn. */
static const char *import(struct dict *d, enum dict_format fmt,
                          const char *path, enum import_overlap ov,
                          struct diags *warn)
{
    struct diag err = {0};
    if (dict_read(d, fmt, path, &err, warn) < 0 ||
        dict_check(d, path, ov, &err, warn) < 0)
        return render(&err);
    return "";
}

static const char *import_err(enum dict_format fmt, const char *name,
                              const char *content, size_t n)
{
    const char *p = write_file(name, content, n);
    struct dict d;
    struct diags warn = {0};
    const char *r = import(&d, fmt, p, IMPORT_OVERLAP_ERROR, &warn);
    dict_fini(&d);
    diags_fini(&warn);
    return r;
}

#define LIWC_ERR(lit) import_err(DICT_LIWC, "e.dic", (lit), sizeof(lit) - 1)
#define YAML_ERR(lit) import_err(DICT_YAML, "e.yml", (lit), sizeof(lit) - 1)

/* Write d as a CSV lexicon, load it back, and compare its entries, as
 * "category\tterm" lines in order, with want; lint must report no
 * errors. Returns the loaded set (the caller frees it). */
static struct lexicon_set *roundtrip(const struct dict *d, const char *csv,
                                     const char *want, const char *what)
{
    struct buf out;
    buf_init(&out);
    struct import_meta meta = {NULL, "1.0.0"};
    dict_write_csv(d, &meta, &out);
    const char *p = write_file(csv, out.p, out.len);
    buf_fini(&out);
    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    int rc = lexicon_set_load(set, p, &err);
    char m[256];
    snprintf(m, sizeof m, "%s: the output loads", what);
    if (!CHECK(rc == 0, m))
        printf("#   %s\n", render(&err));
    struct buf got;
    buf_init(&got);
    for (size_t i = 0; i < set->nentries; i++)
        buf_printf(&got, "%s\t%s\n",
                   set->categories[set->entries[i].category].name,
                   set->entries[i].term);
    snprintf(m, sizeof m, "%s: entries are the dictionary's pairs", what);
    CHECK_STR(buf_cstr(&got), want, m);
    buf_fini(&got);

    struct strvec files = {0};
    strvec_push(&files, p);
    struct lint_report rep;
    lexicon_lint(&files, &rep);
    snprintf(m, sizeof m, "%s: lint finds no errors", what);
    if (!CHECK(rep.errors == 0, m))
        for (size_t i = 0; i < rep.n; i++)
            printf("#   %s\n", render(&rep.v[i]));
    lint_report_fini(&rep);
    strvec_fini(&files);
    return set;
}

static void test_liwc(void)
{
    /* Tabs (phrases allowed), CRLF, a third field as the label. */
    const char *p = WRITE("syn.dic",
        "%\r\n1\tagentic\tAgentic words\r\n2\tcommunal\r\n3\thedges\r\n%\r\n"
        "assertive\t1\r\nconfident*\t1\r\ntakes charge\t1\r\ncaring\t2\r\n"
        "warm\t2\r\nseems to\t3\r\nsomewhat\t3\r\n");
    struct dict d;
    struct diags warn = {0};
    CHECK_STR(import(&d, DICT_LIWC, p, IMPORT_OVERLAP_ERROR, &warn), "",
              "liwc: a synthetic dictionary imports");
    CHECK_INT(d.ncats, 3, "liwc: three categories");
    CHECK_INT(d.npairs, 7, "liwc: seven pairs");
    CHECK_STR(d.sha256,
              "6f2160e613bc1ea1d2eba13fb7ea231f12c9a7923bb88fb2ddf2ea6067e5023c",
              "liwc: the SHA-256 of the file's bytes (sha256sum)");
    CHECK_INT(warn.n, 0, "liwc: no warnings");
    CHECK_INT(d.pairs[2].line, 8, "liwc: a pair's line");
    struct lexicon_set *set = roundtrip(&d, "syn.csv",
        "agentic\tassertive\nagentic\tconfident*\nagentic\ttakes charge\n"
        "communal\tcaring\ncommunal\twarm\nhedges\tseems to\n"
        "hedges\tsomewhat\n", "liwc");
    CHECK_STR(set->categories[0].label, "Agentic words",
              "liwc: the third field is the label");
    CHECK_STR(set->categories[1].label, "communal",
              "liwc: without one, the id is the label");
    CHECK_STR(set->categories[1].summary,
              "Terms of category 2 \"communal\" in syn.dic.",
              "liwc: summary names the code and the file");
    CHECK_STR(set->categories[0].direction, "unspecified",
              "liwc: direction unspecified");
    CHECK(set->categories[0].sources.n == 1 &&
          strstr(set->categories[0].sources.v[0], "syn.dic (LIWC dictionary), "
                 "SHA-256 6f2160e613bc1ea1d2eba13fb7ea231f12c9a7923bb88fb2ddf2"
                 "ea6067e5023c") != NULL,
          "liwc: the source names the file and its SHA-256");
    CHECK_INT(set->entries[2].kind, ENTRY_PHRASE, "liwc: a phrase");
    CHECK_INT(set->entries[1].kind, ENTRY_STEM, "liwc: a stem");
    lexicon_set_free(set);
    dict_fini(&d);
    diags_fini(&warn);

    /* Spaces instead of tabs; several codes on one line; an empty
     * category is left out with a warning. */
    p = WRITE("sp.dic", "%\n 1 a\n 2 b\n 3 unused\n%\nbossy 1\nkind 2\n"
              "pushy 1\n");
    memset(&warn, 0, sizeof warn);
    CHECK_STR(import(&d, DICT_LIWC, p, IMPORT_OVERLAP_ERROR, &warn), "",
              "liwc: space-separated");
    CHECK_INT(warn.n, 1, "liwc: one warning");
    if (warn.n)
        CHECK_STR(render(&warn.v[0]),
                  "T/sp.dic:4:0: warning: category \"unused\" has no terms: "
                  "left out", "liwc: empty category warned about");
    set = roundtrip(&d, "sp.csv", "a\tbossy\na\tpushy\nb\tkind\n",
                    "liwc spaces");
    CHECK_INT(set->ncategories, 2, "liwc: the empty category is not written");
    lexicon_set_free(set);
    dict_fini(&d);
    diags_fini(&warn);
}

static void test_liwc_errors(void)
{
    CHECK_STR(LIWC_ERR("%\n01\tfunct\n02\tverb\n125\tposemo\n464\tother\n%\n"
                       "good\t125\nlike\t(02 134)125/464\n"),
              "T/e.dic:8:6: error: conditional entry \"like\": its category "
              "depends on the words around it, which an evalbias lexicon "
              "cannot express; rewrite it as phrases (\"like a\") or delete "
              "it before importing", "liwc: conditional entry refused");
    CHECK_STR(LIWC_ERR("%\n1\ta\n%\nbossy\t1\t7\n"),
              "T/e.dic:4:9: error: unknown category code \"7\": not declared "
              "between the % lines", "liwc: unknown code");
    CHECK_STR(LIWC_ERR("1\ta\n%\nbossy\t1\n"),
              "T/e.dic:1:1: error: a LIWC dictionary starts with a line "
              "holding only '%', then its categories", "liwc: no opening %");
    CHECK_STR(LIWC_ERR("%\n1\ta\nbossy\t1\n"),
              "T/e.dic:3:1: error: category code \"bossy\" is not a number",
              "liwc: unclosed category block");
    CHECK_STR(LIWC_ERR("%\n1\ta\n1\tb\n%\nx\t1\n"),
              "T/e.dic:3:1: error: category code 1 is also on line 2",
              "liwc: duplicate code");
    CHECK_STR(LIWC_ERR("%\n1\ta\n%\nbo*ssy\t1\n"),
              "T/e.dic:4:3: error: term \"bo*ssy\": '*' is only allowed at "
              "the end of the last word (a stem, as in \"emotion*\")",
              "liwc: a '*' inside a word, at its byte");
    CHECK_STR(LIWC_ERR("%\n1\ta\n%\nbossy\n"),
              "T/e.dic:4:6: error: entry \"bossy\" has no category code",
              "liwc: entry without a code");
    CHECK_STR(LIWC_ERR("%\n1\ta\n2\tb\n%\nbossy\t1\nBossy\t2\n"),
              "T/e.dic:6:1: error: \"Bossy\" is in category \"b\" and in "
              "category \"a\" (line 5): in one evalbias lexicon a word counts "
              "in one category only; import with --overlap first to keep it "
              "in the first, or split the dictionary",
              "liwc: a term in two categories refused by default");
}

static void test_overlap_first(void)
{
    const char *p = WRITE("ov.dic", "%\n1\ta\n2\tb\n3\tc\n%\nbossy\t1\t2\n"
                          "bossy\t1\nwarm\t2\nshrill\t3\t1\n");
    struct dict d;
    struct diags warn = {0};
    CHECK_STR(import(&d, DICT_LIWC, p, IMPORT_OVERLAP_FIRST, &warn), "",
              "overlap first: imports");
    CHECK_INT(d.npairs, 6, "overlap first: every pair is read");
    CHECK_INT(warn.n, 3, "overlap first: a warning per dropped pair");
    if (warn.n == 3) {
        CHECK_STR(render(&warn.v[0]),
                  "T/ov.dic:6:1: warning: \"bossy\" is also in category \"a\" "
                  "(line 6), which keeps it: in one lexicon a word counts in "
                  "one category", "overlap first: the other category's pair");
        CHECK_STR(render(&warn.v[1]),
                  "T/ov.dic:7:1: warning: \"bossy\" is already in category "
                  "\"a\" (line 6): kept once", "overlap first: a repeated pair");
        CHECK_STR(render(&warn.v[2]),
                  "T/ov.dic:9:1: warning: \"shrill\" is also in category \"c\" "
                  "(line 9), which keeps it: in one lexicon a word counts in "
                  "one category", "overlap first: the second code of a line");
    }
    struct buf out;
    buf_init(&out);
    dict_write_csv(&d, NULL, &out);
    CHECK(strstr(buf_cstr(&out), "# dropped,b,bossy,\"ov.dic:6: not "
                 "imported: ") != NULL,
          "overlap first: a dropped pair is a comment row");
    buf_fini(&out);
    struct lexicon_set *set = roundtrip(&d, "ov.csv",
        "a\tbossy\nb\twarm\nc\tshrill\n", "overlap first");
    lexicon_set_free(set);
    dict_fini(&d);
    diags_fini(&warn);
}

static void test_yaml(void)
{
    const char *p = WRITE("q.yml",
        "emotion:\n  positive:\n    - happy\n    - glad*\n"
        "  negative: [sad, \"feeling down\"]\nagentic:\n  - assertive\n"
        "single: bold\n");
    struct dict d;
    struct diags warn = {0};
    CHECK_STR(import(&d, DICT_YAML, p, IMPORT_OVERLAP_ERROR, &warn), "",
              "yaml: a synthetic dictionary imports");
    CHECK_STR(d.sha256,
              "af315143a866a506a45846746abf39009a8610d966914d71fbe4fdf51faae030",
              "yaml: the SHA-256 of the file's bytes (sha256sum)");
    CHECK_INT(d.ncats, 4, "yaml: four leaf categories");
    CHECK_INT(d.pairs[3].line, 5, "yaml: a flow item's line");
    CHECK_INT(d.pairs[3].col, 20, "yaml: a quoted item's column, past the "
              "quote");
    struct lexicon_set *set = roundtrip(&d, "q.csv",
        "emotion.positive\thappy\nemotion.positive\tglad*\n"
        "emotion.negative\tsad\nemotion.negative\tfeeling down\n"
        "agentic\tassertive\nsingle\tbold\n", "yaml");
    CHECK(set->categories[0].sources.n == 1 &&
          strstr(set->categories[0].sources.v[0], "q.yml (quanteda YAML "
                 "dictionary), SHA-256 af315143a866a506") != NULL,
          "yaml: the source names the file and its SHA-256");
    lexicon_set_free(set);
    dict_fini(&d);
    diags_fini(&warn);

    memset(&warn, 0, sizeof warn);
    p = WRITE("w.yml", "a: [x]\nempty: []\nnone:\n");
    CHECK_STR(import(&d, DICT_YAML, p, IMPORT_OVERLAP_ERROR, &warn), "",
              "yaml: empty categories");
    CHECK_INT(warn.n, 2, "yaml: a warning per empty category");
    if (warn.n == 2)
        CHECK_STR(render(&warn.v[1]), "T/w.yml:3:1: warning: category "
                  "\"none\" has no terms: left out", "yaml: empty warning");
    dict_fini(&d);
    diags_fini(&warn);
}

static void test_yaml_errors(void)
{
    CHECK_STR(YAML_ERR("a:\n  - \"b?c\"\n"),
              "T/e.yml:2:7: error: term \"b?c\": '?' is not part of a word: a "
              "term is words separated by spaces with an optional final '*'; "
              "write anything else as a /regex/", "yaml: glob '?' refused");
    CHECK_STR(YAML_ERR("a: [b\n"),
              "T/e.yml:2:1: error: YAML: did not find expected ',' or ']' "
              "while parsing a flow sequence", "yaml: a parse error");
    CHECK_STR(YAML_ERR("- a\n- b\n"),
              "T/e.yml:1:1: error: a quanteda dictionary is a mapping of "
              "category names to lists of terms", "yaml: not a mapping");
    CHECK_STR(YAML_ERR("a: [x]\nb: [y]\na: [z]\n"),
              "T/e.yml:3:1: error: category \"a\" is also on line 1",
              "yaml: a repeated key");
    CHECK_STR(YAML_ERR("a:\n  - [x, y]\n"),
              "T/e.yml:2:5: error: a term must be a string, not a list",
              "yaml: a nested list");
    CHECK_STR(YAML_ERR("a: [/x/]\n"),
              "T/e.yml:1:5: error: term \"/x/\" starts with '/', which "
              "evalbias reads as a /pattern/", "yaml: a slash");
    CHECK_STR(YAML_ERR("a: [x]\nb: [X]\n"),
              "T/e.yml:2:5: error: \"X\" is in category \"b\" and in category "
              "\"a\" (line 1): in one evalbias lexicon a word counts in one "
              "category only; import with --overlap first to keep it in the "
              "first, or split the dictionary", "yaml: overlap refused");
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/test_lexicon_import.XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    test_liwc();
    test_liwc_errors();
    test_overlap_first();
    test_yaml();
    test_yaml_errors();
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
    return check_done();
}
