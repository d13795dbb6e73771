/* test_lexicon_csv.c - unit tests for the CSV lexicon loader
 * (lexicon_csv.c): metadata, categories, entries, guards and examples;
 * BOM, CRLF and multi-line quoted values; and the exact file:line:col and
 * wording of every load error. Files are written to a fresh temporary
 * directory. */
#include "check.h"

#include "diag.h"
#include "lexicon.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* A diag as the user sees it, without "evalbias: " and with the temporary
 * directory shown as "T". */
static const char *render(const struct diag *d)
{
    static char out[4096];
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    diag_print(f, d);
    fclose(f);
    const char *s = mem;
    if (strncmp(s, "evalbias: ", 10) == 0)
        s += 10;
    size_t tl = strlen(tmpdir), o = 0;
    for (; *s && o + 2 < sizeof out; s++) {
        if (strncmp(s, tmpdir, tl) == 0) {
            out[o++] = 'T';
            s += tl - 1;
        } else
            out[o++] = *s;
    }
    if (o && out[o - 1] == '\n')
        o--;
    out[o] = '\0';
    free(mem);
    return out;
}

static const char *load_err(const char *name, const char *content, size_t n)
{
    const char *p = write_file(name, content, n);
    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    int rc = lexicon_set_load(set, p, &err);
    lexicon_set_free(set);
    return rc == 0 ? "" : render(&err);
}

#define LOAD_ERR(name, lit) load_err((name), (lit), sizeof(lit) - 1)
#define H "type,category,term,value\n"

static void test_full_file(void)
{
    const char *p = WRITE(
        "personality.csv",
        "\xEF\xBB\xBF" "type,category,term,value\r\n"
        "lexicon,,name,Personality\r\n"
        "lexicon,,version,1.2.0\r\n"
        "lexicon,,description,\"Personality descriptors, by gender\"\r\n"
        "lexicon,,license,CC-BY-4.0\r\n"
        "# a comment row,,,\r\n"
        ",,,\r\n"
        "\r\n"
        "category,emotional,description,Emotional descriptors\r\n"
        "category,emotional,direction,female-associated\r\n"
        "category,emotional,source,\"Trix F, Psenka C. Exploring the color "
        "of glass. Discourse Soc. 2003;14(2):191-220.\"\r\n"
        "category,emotional,source,Madera JM et al. 2009\r\n"
        "entry,emotional,emotional,describes affect\r\n"
        "entry,emotional,emotion*\r\n"
        "entry, emotional , too assertive ,\r\n"
        "entry,emotional,/not (a )?team player/,\r\n"
        "guard_after,emotional,emotional,support\r\n"
        "guard_before,emotional,emotional,pt*\r\n"
        "match,emotional,emotional,\"She was emotional\r\n"
        "in the meeting.\"\r\n"
        "negated,emotional,emotional,She is not emotional.\r\n"
        "nomatch,emotional,emotional,Gave emotional support to the family.\r\n"
        "clean,,,The patient was stable.\r\n"
        "clean,emotional,,Calm under pressure.\r\n"
        "entry,agentic,confident,\r\n"
        "category,emotional,label,Emotional words\r\n"
        "category,emotional,summary,\"Affect, as in 'emotional'.\"\r\n");
    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    int rc = lexicon_set_load(set, p, &err);
    CHECK_INT(rc, 0, "full CSV lexicon loads");
    if (rc) {
        printf("# %s\n", render(&err));
        lexicon_set_free(set);
        return;
    }
    const struct lex_info *l = &set->lexicons[0];
    CHECK_STR(l->name, "Personality", "name row");
    CHECK_STR(l->version, "1.2.0", "version row");
    CHECK_STR(l->description, "Personality descriptors, by gender",
              "quoted description with a comma");
    CHECK_STR(l->license, "CC-BY-4.0", "license row");
    CHECK_STR(l->path, p, "path kept");

    CHECK_INT(set->ncategories, 2, "two categories");
    const struct lex_category *c = &set->categories[0];
    CHECK_STR(c->name, "emotional", "category name");
    CHECK_STR(c->description, "Emotional descriptors", "category description");
    CHECK_STR(c->direction, "female-associated", "category direction");
    CHECK_INT(c->sources.n, 2, "two sources");
    if (c->sources.n == 2)
        CHECK_STR(c->sources.v[0], "Trix F, Psenka C. Exploring the color of "
                  "glass. Discourse Soc. 2003;14(2):191-220.",
                  "full citation kept");
    CHECK_INT(c->line, 9, "category line: its first row");
    CHECK_STR(c->label, "Emotional words", "label row, after the entries");
    CHECK_STR(c->summary, "Affect, as in 'emotional'.", "summary row");
    CHECK_STR(lex_category_title(c), "Emotional words", "title: the label");
    CHECK_STR(set->categories[1].label, "", "no label");
    CHECK_STR(lex_category_title(&set->categories[1]), "agentic",
              "title without a label: the id");
    CHECK_INT(set->categories[1].line, 25, "category made by an entry row");

    CHECK_INT(set->nentries, 5, "five entries");
    if (set->nentries != 5) {
        lexicon_set_free(set);
        return;
    }
    const struct lex_entry *e = set->entries;
    CHECK_INT(e[0].kind, ENTRY_WORD, "word entry");
    CHECK_STR(e[0].note, "describes affect", "entry note");
    CHECK_INT(e[0].line, 13, "entry line");
    CHECK_INT(e[0].col, 17, "entry col is its term's");
    CHECK_INT(e[1].kind, ENTRY_STEM, "stem entry");
    CHECK_STR(e[1].note, "", "no note");
    CHECK_INT(e[2].kind, ENTRY_PHRASE, "phrase entry, cells trimmed");
    CHECK_STR(e[2].term, "too assertive", "term trimmed");
    CHECK_INT(e[2].category, 0, "trimmed category name found");
    CHECK_INT(e[3].kind, ENTRY_REGEX, "regex entry");
    CHECK_STR(e[3].regex, "not (a )?team player", "regex source");
    CHECK_INT(e[0].nguard_after, 1, "guard_after attached");
    CHECK_INT(e[0].nguard_before, 1, "guard_before attached");
    if (e[0].nguard_before == 1)
        CHECK(e[0].guard_before[0].is_stem[0] == 1 &&
                  strcmp(e[0].guard_before[0].words[0], "pt") == 0,
              "stem guard pt*");
    CHECK_INT(e[4].category, 1, "entry in the second category");

    CHECK_INT(set->nexamples, 5, "five examples");
    if (set->nexamples == 5) {
        const struct lex_example *x = set->examples;
        CHECK_INT(x[0].kind, EXAMPLE_MATCH, "match example");
        CHECK_STR(x[0].text, "She was emotional\r\nin the meeting.",
                  "multi-line quoted sentence kept whole");
        CHECK_INT(x[0].line, 19, "example line is where the row starts");
        CHECK_INT(x[0].entry, 0, "example names its entry");
        CHECK_INT(x[1].kind, EXAMPLE_NEGATED, "negated example");
        CHECK_INT(x[1].line, 21, "line after a multi-line row");
        CHECK_INT(x[2].kind, EXAMPLE_NOMATCH, "nomatch example");
        CHECK_INT(x[3].kind, EXAMPLE_CLEAN, "clean example");
        CHECK_INT(x[3].entry, LEX_NONE, "clean has no entry");
        CHECK_INT(x[3].category, LEX_NONE, "blank category: whole lexicon");
        CHECK_INT(x[4].category, 0, "clean for one category");
        CHECK_STR(example_kind_name(x[2].kind), "nomatch", "kind name");
    }
    lexicon_set_free(set);
}

static void test_defaults(void)
{
    const char *p = WRITE("bare.csv", H "entry,x,bossy,");
    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    CHECK_INT(lexicon_set_load(set, p, &err), 0, "no final newline loads");
    CHECK_STR(set->lexicons[0].name, "bare", "default name is the file stem");
    CHECK_STR(set->lexicons[0].version, "", "no version");
    CHECK_INT(set->nentries, 1, "one entry");
    lexicon_set_free(set);

    p = WRITE("short.csv", H "entry,x,bossy\nentry,x,pushy\n");
    set = lexicon_set_new();
    CHECK_INT(lexicon_set_load(set, p, &err), 0,
              "rows with a missing trailing value load");
    CHECK_INT(set->nentries, 2, "both short rows read");
    lexicon_set_free(set);

    p = WRITE("wide.csv", "Type,Category,Term,Value,,\n"
                          "Entry,x,bossy,,,\n");
    set = lexicon_set_new();
    CHECK_INT(lexicon_set_load(set, p, &err), 0,
              "capitalised names and trailing empty columns load");
    lexicon_set_free(set);
}

static void test_header_errors(void)
{
    CHECK_STR(LOAD_ERR("h1.csv", "type,category,word,value\n"),
              "T/h1.csv:1:15: error: unknown column \"word\"; the first row "
              "must be the header: type,category,term,value",
              "unknown header column, at its column");
    CHECK_STR(LOAD_ERR("h2.csv", "type,category,term\n"),
              "T/h2.csv:1:19: error: missing column \"value\"; the header row "
              "must be exactly: type,category,term,value",
              "missing header column, at the line's end");
    CHECK_STR(LOAD_ERR("h3.csv", "type,term,category,value\n"),
              "T/h3.csv:1:6: error: column \"term\" is out of place; the "
              "header row must be exactly: type,category,term,value",
              "header column out of place");
    CHECK_STR(LOAD_ERR("h4.csv", "type,category,term,value,notes\n"),
              "T/h4.csv:1:26: error: unknown column 5; the header row must "
              "be exactly: type,category,term,value",
              "extra header column");
    CHECK_STR(LOAD_ERR("h5.csv", "entry,x,bossy,\n"),
              "T/h5.csv:1:1: error: unknown column \"entry\"; the first row "
              "must be the header: type,category,term,value",
              "no header row");
    CHECK_STR(LOAD_ERR("h6.csv", "\xEF\xBB\xBF"),
              "T/h6.csv:1:1: error: empty lexicon file: the first row must be "
              "the header type,category,term,value",
              "empty file (only a BOM)");
}

/* The other example kind. */
static void test_other(void)
{
    const char *p = WRITE("other.csv", H "entry,c,confident,\n"
                                         "other,c,confident,I am confident.\n");
    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    CHECK_INT(lexicon_set_load(set, p, &err), 0, "other row loads");
    CHECK_INT(set->nexamples, 1, "one example");
    if (set->nexamples == 1) {
        CHECK_INT(set->examples[0].kind, EXAMPLE_OTHER, "other example");
        CHECK_INT(set->examples[0].entry, 0, "other names its entry");
        CHECK_STR(example_kind_name(set->examples[0].kind), "other",
                  "other kind name");
    }
    lexicon_set_free(set);
}

static void test_display(void)
{
    const char *p = WRITE("display.csv", H "entry,c,/needs? to be more/,\n"
                                           "display,c,/needs? to be more/,advice to be more X\n"
                                           "entry,c,bossy,\n");
    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    CHECK_INT(lexicon_set_load(set, p, &err), 0, "display row loads");
    CHECK_STR(lex_entry_name(&set->entries[0]), "advice to be more X",
              "a display name names the entry for people");
    CHECK_STR(set->entries[0].term, "/needs? to be more/", "the term stays");
    CHECK_STR(lex_entry_name(&set->entries[1]), "bossy",
              "without one, the term");
    lexicon_set_free(set);
    set = lexicon_set_new();
    p = WRITE("display2.csv", H "entry,c,bossy,\ndisplay,c,bossy,\n");
    CHECK(lexicon_set_load(set, p, &err) < 0 && strstr(err.msg, "missing display name"),
          "an empty display name is an error");
    lexicon_set_free(set);
}

static void test_row_errors(void)
{
    CHECK_STR(LOAD_ERR("r1.csv", H "entry,x,bossy,\nentyr,x,pushy,\n"),
              "T/r1.csv:3:1: error: unknown row type \"entyr\"; expected "
              "lexicon, category, entry, guard_before, guard_after, match, "
              "negated, nomatch, clean, other, own_guard_before, "
              "own_guard_after or display",
              "unknown row type");
    CHECK_STR(LOAD_ERR("r2.csv", H ",x,bossy,\n"),
              "T/r2.csv:2:1: error: missing row type; expected lexicon, "
              "category, entry, guard_before, guard_after, match, negated, "
              "nomatch, clean, other, own_guard_before, own_guard_after or display",
              "missing row type");
    CHECK_STR(LOAD_ERR("r3.csv", H "entry,personality,bossy,\n"
                                   "match,personality,bosy,She is bossy.\n"),
              "T/r3.csv:3:19: error: match row for unknown entry \"bosy\" in "
              "category \"personality\": declare it with an entry row above "
              "this one",
              "example for an unknown entry");
    CHECK_STR(LOAD_ERR("r4.csv", H "guard_after,p,bossy,pants\n"
                                   "entry,p,bossy,\n"),
              "T/r4.csv:2:15: error: guard_after row for unknown entry "
              "\"bossy\" in category \"p\": declare it with an entry row "
              "above this one",
              "guard before its entry");
    CHECK_STR(LOAD_ERR("r5.csv", H "lexicon,,name,\n"),
              "T/r5.csv:2:15: error: missing lexicon name",
              "missing name");
    CHECK_STR(LOAD_ERR("r6.csv", H "lexicon,,name,a\nlexicon,,name,b\n"),
              "T/r6.csv:3:10: error: repeated lexicon name (first given on "
              "line 2)",
              "repeated name");
    CHECK_STR(LOAD_ERR("r7.csv", H "lexicon,,author,me\n"),
              "T/r7.csv:2:10: error: unknown lexicon field \"author\"; "
              "expected name, version, description or license",
              "unknown lexicon field");
    CHECK_STR(LOAD_ERR("r8.csv", H "category,p,citation,x\n"),
              "T/r8.csv:2:12: error: unknown category field \"citation\"; "
              "expected label, summary, description, direction, source, referent or negation",
              "unknown category field");
    CHECK_STR(LOAD_ERR("r8b.csv", H "category,p,label,Tone\n"
                       "category,p,label,Temper\n"),
              "T/r8b.csv:3:12: error: repeated label for category \"p\"",
              "repeated category label");
    CHECK_STR(LOAD_ERR("r9.csv", H "entry,,bossy,\n"),
              "T/r9.csv:2:7: error: missing category name",
              "entry without category");
    CHECK_STR(LOAD_ERR("r10.csv", H "entry,p,bossy,\nentry,p,a,b,c\n"),
              "T/r10.csv:3:13: error: unexpected field 5: a row has 4 fields "
              "(type,category,term,value); quote a value that holds a comma",
              "extra field in a row");
    CHECK_STR(LOAD_ERR("r11.csv", H "entry,p,bossy.,\n"),
              "T/r11.csv:2:14: error: '.' is not part of a word: a term is "
              "words separated by spaces with an optional final '*'; write "
              "anything else as a /regex/",
              "bad term, at the bad character");
    CHECK_STR(LOAD_ERR("r12.csv", H "clean,q,,Fine.\n"),
              "T/r12.csv:2:7: error: clean row for unknown category \"q\": "
              "name a category declared above, or none",
              "clean for an unknown category");
    CHECK_STR(LOAD_ERR("r13.csv", H "entry,p,bossy,\nmatch,p,bossy,\n"),
              "T/r13.csv:3:15: error: missing example sentence in the value "
              "column",
              "example without a sentence");
    CHECK_STR(LOAD_ERR("r14.csv", H "entry,p,bossy,\n"
                                    "guard_before,p,bossy,\"not,\"\n"),
              "T/r14.csv:3:26: error: ',' is not part of a word: a term is "
              "words separated by spaces with an optional final '*'; write "
              "anything else as a /regex/",
              "bad guard, inside quotes");
}

static void test_regex_and_quoting(void)
{
    CHECK_STR(LOAD_ERR("x1.csv", H "entry,p,/(team player/,\n"),
              "T/x1.csv:2:22: error: regex: missing closing parenthesis",
              "regex error at PCRE2's offset");
    /* Two doubled quotes before the error: each is two bytes in the file
     * and one in the pattern. */
    CHECK_STR(LOAD_ERR("x2.csv", H "entry,p,\"/\"\"a\"\" (b/\",\n"),
              "T/x2.csv:2:19: error: regex: missing closing parenthesis",
              "regex error column counts doubled quotes");
    /* A multi-line cell: the bad character is on the next physical line. */
    CHECK_STR(LOAD_ERR("x3.csv", H "entry,p,bossy,\n"
                                   "guard_after,p,bossy,\"fine\nok !\"\n"),
              "T/x3.csv:4:4: error: '!' is not part of a word: a term is "
              "words separated by spaces with an optional final '*'; write "
              "anything else as a /regex/",
              "error inside a multi-line cell names its own line");
    CHECK_STR(LOAD_ERR("x4.csv", H "entry,p,he said \"hi\",\n"),
              "T/x4.csv:2:17: error: a double quote inside an unquoted field: "
              "quote the whole field and double each quote in it (\"he said "
              "\"\"hi\"\"\"), with no space before the opening quote",
              "quote in an unquoted field");
    CHECK_STR(LOAD_ERR("x5.csv", H "entry,p,\"bossy\"x,\n"),
              "T/x5.csv:2:16: error: text after a closing quote: a quoted "
              "field ends at its closing quote (write a quote inside it as "
              "\"\")",
              "text after a closing quote");
    CHECK_STR(LOAD_ERR("x6.csv", H "entry,p,bossy,\nmatch,p,bossy,\"She is "
                                   "bossy.\n"),
              "T/x6.csv:3:15: error: unterminated quoted field: the quote "
              "opened here is never closed",
              "unterminated quote");
    CHECK_STR(LOAD_ERR("x7.csv", H "entry,p,bo\xffssy,\n"),
              "T/x7.csv:2:11: error: invalid UTF-8 (byte 0xFF); lexicon "
              "files must be UTF-8",
              "invalid UTF-8");
    CHECK_STR(LOAD_ERR("x8.csv", "\xEF\xBB\xBF" H "\r\n\r\nentry,p,/[a/,\r\n"),
              "T/x8.csv:4:12: error: regex: missing terminating ] for "
              "character class",
              "BOM not counted; blank CRLF lines counted");
}

static void test_directory(void)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/lex", tmpdir);
    mkdir(dir, 0700);
    WRITE("lex/b.csv", H "entry,b,pushy,\n");
    WRITE("lex/a.txt", "bossy\n");
    WRITE("lex/c.tsv", "ignored\n");
    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    CHECK_INT(lexicon_set_load(set, dir, &err), 0, "mixed directory loads");
    CHECK_INT(set->nlexicons, 2, ".txt and .csv loaded, others not");
    if (set->nlexicons == 2) {
        CHECK_STR(set->lexicons[0].name, "a", "name order: a.txt first");
        CHECK_STR(set->lexicons[1].name, "b", "then b.csv");
    }
    lexicon_set_free(set);
}

static void cleanup(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/test_lexicon_csv.XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    test_full_file();
    test_defaults();
    test_other();
    test_display();
    test_header_errors();
    test_row_errors();
    test_regex_and_quoting();
    test_directory();
    cleanup();
    return check_done();
}
