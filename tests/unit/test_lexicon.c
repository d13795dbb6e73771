/* test_lexicon.c - unit tests for lexicon.c: the plain word-list loader,
 * wordseq_parse, directory loading, and the exact wording and location of
 * every loader error. Files are written to a fresh temporary directory. */
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

/* Write content (n bytes) to tmpdir/name; return the path (static buffer
 * rotated so a test can hold a few at once). */
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

/* Render a diag the way the user sees it, without the "evalbias: " prefix,
 * and with the temp dir replaced by "T" so expectations are stable. */
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
    size_t tl = strlen(tmpdir);
    size_t o = 0;
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

/* Load content as tmpdir/name and return the rendered error ("" if ok). */
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

static void test_empty_and_sha(void)
{
    const char *p = WRITE("empty.txt", "");
    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    CHECK_INT(lexicon_set_load(set, p, &err), 0, "empty file loads");
    CHECK_INT(set->nlexicons, 1, "empty file: one lexicon");
    CHECK_INT(set->nentries, 0, "empty file: no entries");
    CHECK_STR(set->lexicons[0].name, "empty", "lexicon named after file");
    CHECK_STR(set->lexicons[0].sha256,
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
              "sha256 of empty file");
    CHECK_INT(set->guard_window, 2, "default guard window is 2");
    lexicon_set_free(set);

    p = WRITE("abc.txt", "abc");
    set = lexicon_set_new();
    CHECK_INT(lexicon_set_load(set, p, &err), 0, "abc loads");
    CHECK_STR(set->lexicons[0].sha256,
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
              "sha256 covers the file's bytes");
    lexicon_set_free(set);
}

static void test_plain_file(void)
{
    const char *p = WRITE("personality.txt",
                          "# version: 1.2\n"
                          "# description: Personality descriptors\n"
                          "# source: Trix F, Psenka C. Discourse Soc. 2003\n"
                          "# source: Madera JM et al. J Appl Psychol. 2009\n"
                          "# license: CC-BY-4.0\n"
                          "# note: an ordinary comment\n"
                          "\n"
                          "Bossy\n"
                          "  too   assertive  \n"
                          "emotion*\n"
                          "lacks self-confiden*\n"
                          "/not (a )?team player/\n"
                          "well-liked\n");
    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    int rc = lexicon_set_load(set, p, &err);
    CHECK_INT(rc, 0, "plain list loads");
    if (rc) {
        printf("# %s\n", render(&err));
        lexicon_set_free(set);
        return;
    }
    const struct lex_info *l = &set->lexicons[0];
    CHECK_STR(l->name, "personality", "lexicon name");
    CHECK_STR(l->version, "1.2", "version header");
    CHECK_STR(l->description, "Personality descriptors", "description");
    CHECK_STR(l->license, "CC-BY-4.0", "license header");
    CHECK_INT(set->ncategories, 1, "one category per plain file");
    CHECK_STR(set->categories[0].name, "personality", "category name");
    CHECK_INT(set->categories[0].sources.n, 2, "two sources");
    CHECK_STR(set->categories[0].sources.v[1],
              "Madera JM et al. J Appl Psychol. 2009", "second source");
    CHECK_INT(set->nentries, 6, "six entries");
    if (set->nentries != 6) {
        lexicon_set_free(set);
        return;
    }
    const struct lex_entry *e = set->entries;
    CHECK_INT(e[0].kind, ENTRY_WORD, "Bossy is a word");
    CHECK_STR(e[0].seq.words[0], "bossy", "word is case-folded");
    CHECK_STR(e[0].term, "Bossy", "term kept as written");
    CHECK_INT(e[0].line, 8, "entry line");
    CHECK_INT(e[0].col, 1, "entry col");
    CHECK_STR(e[0].file, p, "entry file is the lexicon path");

    CHECK_INT(e[1].kind, ENTRY_PHRASE, "too assertive is a phrase");
    CHECK_INT(e[1].seq.n, 2, "phrase has two words");
    CHECK_STR(e[1].seq.words[1], "assertive", "second word");
    CHECK_INT(e[1].col, 3, "phrase col after indent");
    CHECK_STR(e[1].term, "too   assertive", "term trimmed");

    CHECK_INT(e[2].kind, ENTRY_STEM, "emotion* is a stem");
    CHECK_STR(e[2].seq.words[0], "emotion", "stem word has no '*'");
    CHECK_INT(e[2].seq.is_stem[0], 1, "stem flag set");

    CHECK_INT(e[3].kind, ENTRY_STEM, "phrase with final stem is a stem");
    CHECK_INT(e[3].seq.n, 3, "stem phrase: a hyphen splits like a space");
    CHECK_STR(e[3].seq.words[1], "self", "hyphen word: first part");
    CHECK_STR(e[3].seq.words[2], "confiden", "hyphen word: last part");
    CHECK(e[3].seq.is_stem[0] == 0 && e[3].seq.is_stem[1] == 0 &&
          e[3].seq.is_stem[2] == 1, "only the last word is a stem");

    CHECK_INT(e[4].kind, ENTRY_REGEX, "slashes make a regex");
    CHECK_STR(e[4].regex, "not (a )?team player", "regex source");
    CHECK_INT(e[4].col, 1, "regex col is its opening slash");

    CHECK_INT(e[5].kind, ENTRY_PHRASE, "well-liked matches as well liked");
    CHECK_STR(e[5].seq.words[0], "well", "hyphenated word: first part");
    lexicon_set_free(set);
}

static void test_crlf_bom(void)
{
    const char *p = WRITE("win.txt", "\xEF\xBB\xBF"
                                     "# version: 3\r\n"
                                     "bossy\r\n"
                                     "too assertive\r\n");
    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    CHECK_INT(lexicon_set_load(set, p, &err), 0, "BOM + CRLF loads");
    CHECK_INT(set->nentries, 2, "BOM + CRLF: two entries");
    if (set->nentries == 2) {
        CHECK_STR(set->entries[0].seq.words[0], "bossy", "BOM not in word");
        CHECK_STR(set->entries[0].term, "bossy", "CR not in term");
        CHECK_INT(set->entries[0].line, 2, "CRLF line numbers");
        CHECK_STR(set->entries[1].seq.words[1], "assertive", "no \\r kept");
    }
    CHECK_STR(set->lexicons[0].version, "3", "CR stripped from header");
    lexicon_set_free(set);
}

static void test_errors(void)
{
    CHECK_STR(LOAD_ERR("e1.txt", "bossy\n\nemo*tion\n"),
              "T/e1.txt:3:4: error: '*' is only allowed at the end of the "
              "last word (a stem, as in \"emotion*\")",
              "'*' inside a word");
    CHECK_STR(LOAD_ERR("e2.txt", "  emotion *\n"),
              "T/e2.txt:1:11: error: '*' must directly follow a word (a "
              "stem, as in \"emotion*\")",
              "detached '*'");
    CHECK_STR(LOAD_ERR("e3.txt", "*\n"),
              "T/e3.txt:1:1: error: '*' must directly follow a word (a "
              "stem, as in \"emotion*\")",
              "lone '*'");
    CHECK_STR(LOAD_ERR("e4.txt", "ok\n   /not a team player\n"),
              "T/e4.txt:2:4: error: unterminated /pattern/: a regex entry "
              "must end with '/'",
              "unterminated regex");
    CHECK_STR(LOAD_ERR("e5.txt", "//\n"),
              "T/e5.txt:1:1: error: empty /pattern/", "empty regex");
    CHECK_STR(LOAD_ERR("e6.txt", "a\nb\n -- !!\n"),
              "T/e6.txt:3:2: error: no word characters in term \"-- !!\"",
              "no word characters");
    CHECK_STR(LOAD_ERR("e7.txt", "bossy.\n"),
              "T/e7.txt:1:6: error: '.' is not part of a word: a term is "
              "words separated by spaces with an optional final '*'; write "
              "anything else as a /regex/",
              "punctuation in a term");
    CHECK_STR(LOAD_ERR("e8.txt", "team, player\n"),
              "T/e8.txt:1:5: error: ',' is not part of a word: a term is "
              "words separated by spaces with an optional final '*'; write "
              "anything else as a /regex/",
              "punctuation between words");
    CHECK_STR(LOAD_ERR("e9.txt", "ok\nbo\xffssy\n"),
              "T/e9.txt:2:3: error: invalid UTF-8 (byte 0xFF); lexicon "
              "files must be UTF-8",
              "invalid UTF-8 byte");
    CHECK_STR(LOAD_ERR("e10.txt", "caf\xc3\xa9\nna\xc3\xaf" "ve\nx\xc3"),
              "T/e10.txt:3:2: error: invalid UTF-8 (byte 0xC3); lexicon "
              "files must be UTF-8",
              "truncated UTF-8 at end of file");
    CHECK_STR(LOAD_ERR("e11.txt", "\xc0\x80\n"),
              "T/e11.txt:1:1: error: invalid UTF-8 (byte 0xC0); lexicon "
              "files must be UTF-8",
              "overlong encoding");
    CHECK_STR(LOAD_ERR("e12.txt", "\xed\xa0\x80\n"),
              "T/e12.txt:1:1: error: invalid UTF-8 (byte 0xED); lexicon "
              "files must be UTF-8",
              "UTF-16 surrogate");
    CHECK_STR(load_err("e13.txt", "ab\0c\n", 5),
              "T/e13.txt:1:3: error: NUL byte", "NUL byte");
    CHECK_STR(LOAD_ERR("e14.txt", "caf\xc3\xa9 bossy.\n"),
              "T/e14.txt:1:12: error: '.' is not part of a word: a term is "
              "words separated by spaces with an optional final '*'; write "
              "anything else as a /regex/",
              "error column counts bytes after a multi-byte char");
    CHECK_STR(LOAD_ERR("e15.txt", "ok\n"), "", "valid file has no error");
    CHECK_STR(LOAD_ERR("e16.txt", "ok\n\xe0\x80\x80\n"),
              "T/e16.txt:2:1: error: invalid UTF-8 (byte 0xE0); lexicon "
              "files must be UTF-8",
              "overlong 3-byte encoding");
    /* The column is the one the user typed: the 3-byte curly apostrophe
     * folds to 1 byte in the normalized term, the column must not. */
    CHECK_STR(LOAD_ERR("e17.txt", "she\xe2\x80\x99s bossy.\n"),
              "T/e17.txt:1:14: error: '.' is not part of a word: a term is "
              "words separated by spaces with an optional final '*'; write "
              "anything else as a /regex/",
              "error column maps back through normalization");
    CHECK_STR(LOAD_ERR("e18.txt", "  \xef\xbc\x8a\n"),
              "T/e18.txt:1:3: error: no word characters in term "
              "\"\xef\xbc\x8a\"",
              "fullwidth asterisk alone");

    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    char missing[600];
    snprintf(missing, sizeof missing, "%s/nope.txt", tmpdir);
    CHECK_INT(lexicon_set_load(set, missing, &err), -1, "missing file fails");
    CHECK_STR(render(&err),
              "T/nope.txt: error: cannot open: No such file or directory",
              "missing file message");
    lexicon_set_free(set);
}

static void test_wordseq(void)
{
    struct wordseq s;
    char msg[256];
    size_t col = 99;
    const char *t = "Too\tAssertive";
    CHECK_INT(wordseq_parse(&s, t, strlen(t), msg, sizeof msg, &col), 0,
              "wordseq: tab-separated phrase");
    CHECK_INT(s.n, 2, "wordseq: two words");
    if (s.n == 2)
        CHECK_STR(s.words[0], "too", "wordseq: folded");
    wordseq_fini(&s);

    t = "resident's";
    CHECK_INT(wordseq_parse(&s, t, strlen(t), msg, sizeof msg, &col), 0,
              "wordseq: inner apostrophe");
    CHECK_INT(s.n, 1, "wordseq: apostrophe keeps one word");
    wordseq_fini(&s);

    t = "x y*z";
    CHECK_INT(wordseq_parse(&s, t, strlen(t), msg, sizeof msg, &col), -1,
              "wordseq: '*' in a word fails");
    CHECK_INT(col, 3, "wordseq: 0-based column of '*'");
    CHECK_INT(s.n, 0, "wordseq: empty after failure");
    wordseq_fini(&s);

    /* len cuts a 2-byte character in half: the parser must not read
     * past len to complete it. */
    char *cut = xmalloc(3); /* exact size, so ASan sees any over-read */
    memcpy(cut, "ab\xc3", 3);
    CHECK_INT(wordseq_parse(&s, cut, 3, msg, sizeof msg, &col), -1,
              "wordseq: character cut by len is invalid");
    CHECK_INT(col, 2, "wordseq: column of the cut character");
    CHECK_STR(msg, "invalid UTF-8 (byte 0xC3)", "wordseq: cut message");
    free(cut);
    CHECK_INT(wordseq_parse(&s, "   ", 3, msg, sizeof msg, &col), -1,
              "wordseq: blank fails");
    CHECK_STR(msg, "empty term", "wordseq: blank message");
}

static void test_directory(void)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/lex", tmpdir);
    mkdir(dir, 0700);
    WRITE("lex/b_second.txt", "assertive\n");
    WRITE("lex/a_first.txt", "bossy\n");
    WRITE("lex/C_upper.txt", "abrasive\n");
    WRITE("lex/.hidden.txt", "hidden\n");
    WRITE("lex/README.md", "not a lexicon\n");
    char sub[700];
    snprintf(sub, sizeof sub, "%s/sub.txt", dir);
    mkdir(sub, 0700); /* a directory named *.txt is skipped */

    struct lexicon_set *set = lexicon_set_new();
    struct diag err = {0};
    int rc = lexicon_set_load(set, dir, &err);
    CHECK_INT(rc, 0, "directory loads");
    if (rc)
        printf("# %s\n", render(&err));
    CHECK_INT(set->nlexicons, 3, "directory: three *.txt lexicons");
    if (set->nlexicons == 3) {
        CHECK_STR(set->lexicons[0].name, "C_upper", "byte order: C first");
        CHECK_STR(set->lexicons[1].name, "a_first", "then a_first");
        CHECK_STR(set->lexicons[2].name, "b_second", "then b_second");
        char want[700];
        snprintf(want, sizeof want, "%s/a_first.txt", dir);
        CHECK_STR(set->lexicons[1].path, want, "path is dir/name");
        CHECK_INT(set->entries[1].lexicon, 1, "entry points at lexicon");
        CHECK_STR(set->entries[2].file, set->lexicons[2].path,
                  "entry file is its lexicon's path");
    }
    lexicon_set_free(set);

    /* A trailing slash does not double. */
    char dir2[700];
    snprintf(dir2, sizeof dir2, "%s/", dir);
    set = lexicon_set_new();
    CHECK_INT(lexicon_set_load(set, dir2, &err), 0, "dir/ loads");
    if (set->nlexicons)
        CHECK(strstr(set->lexicons[0].path, "//") == NULL,
              "no double slash in joined path");
    lexicon_set_free(set);

    /* An error in the second file names that file. */
    WRITE("lex/d_bad.txt", "fine\nemo*tion\n");
    set = lexicon_set_new();
    CHECK_INT(lexicon_set_load(set, dir, &err), -1, "bad file in dir fails");
    CHECK_STR(render(&err),
              "T/lex/d_bad.txt:2:4: error: '*' is only allowed at the end "
              "of the last word (a stem, as in \"emotion*\")",
              "error names the file in the directory");
    lexicon_set_free(set);
    unlink(write_file("lex/d_bad.txt", "", 0));

    char empty[600];
    snprintf(empty, sizeof empty, "%s/none", tmpdir);
    mkdir(empty, 0700);
    set = lexicon_set_new();
    CHECK_INT(lexicon_set_load(set, empty, &err), -1, "empty dir fails");
    CHECK_STR(render(&err),
              "T/none: error: no lexicon files (*.txt, *.csv) in directory",
              "empty dir message");
    lexicon_set_free(set);
}

static void test_programmatic(void)
{
    struct lexicon_set *set = lexicon_set_new();
    uint32_t l0 = lexicon_set_add_lexicon(set, "a", "a.txt");
    uint32_t l1 = lexicon_set_add_lexicon(set, "b", "b.txt");
    uint32_t c0 = lexicon_set_add_category(set, l1, "cat");
    CHECK_INT(l0, 0, "first lexicon index");
    CHECK_INT(l1, 1, "second lexicon index");
    CHECK_INT(c0, 0, "first category index");
    /* Enough entries to force the arrays to grow several times. */
    int good = 0;
    for (int i = 0; i < 100; i++) {
        char t[32];
        snprintf(t, sizeof t, "w%d", i);
        struct lex_entry *e = lexicon_set_add_entry(set, c0, t);
        good += e && e->lexicon == 1 && e->category == 0 && e->seq.n == 0 &&
                e->regex == NULL && e->nguard_before == 0;
    }
    CHECK_INT(good, 100, "added entries are zeroed, with their lexicon");
    CHECK_STR(set->entries[99].term, "w99", "term copied");
    CHECK_STR(set->entries[0].file, "b.txt", "file borrowed from lexicon");
    for (int i = 0; i < 40; i++)
        lexicon_set_add_lexicon(set, "x", "x.txt");
    CHECK_STR(set->entries[0].file, "b.txt",
              "file pointer survives lexicon array growth");
    lexicon_set_free(set);
    lexicon_set_free(NULL);
    CHECK(1, "lexicon_set_free(NULL) is a no-op");
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
    snprintf(tmpdir, sizeof tmpdir, "%s/test_lexicon.XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    test_empty_and_sha();
    test_plain_file();
    test_crlf_bom();
    test_errors();
    test_wordseq();
    test_directory();
    test_programmatic();
    cleanup();
    return check_done();
}
