/* lexicon.c - lexicon files -> a validated, normalized struct lexicon_set
 * (see lexicon.h for the file formats and the ownership rules).
 *
 * The loader has three layers, so that a format is one more function that
 * touches none of the others:
 *
 *   1. lexicon_set_load: a path -> the list of lexicon files (a directory's
 *      files with a known extension, sorted by byte order of their names) ->
 *      one call per file to the loader that the formats[] table names for
 *      its extension;
 *   2. a format loader (load_plain here for *.txt; lexicon_load_csv in
 *      lexicon_csv.c for *.csv): bytes -> rows -> entries, every problem
 *      reported as file:line:col;
 *   3. helpers every format shares (lexicon_format.h): lexfile_read (the
 *      whole file), lexfile_check_utf8, wordseq_parse (a term -> normalized
 *      words), and lexicon_add_term (a term or /regex/ -> an entry of the
 *      right kind).
 *
 * Terms are normalized exactly as field text is (normalize.h) and split into
 * words by the tokenizer itself (tokenize.h), so a lexicon word and a text
 * word can only compare equal when the tokenizer would have produced both:
 * there is no second word rule to drift out of step.
 *
 * Nothing here prints or exits; errors fill a struct diag. Columns are
 * 1-based byte columns in the physical line (a UTF-8 BOM is not counted). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* opendir, stat, strncasecmp */
#endif
#define _XOPEN_SOURCE 700       /* realpath */

#include "lexicon.h"
#include "lexicon_format.h"
#include "textsafe.h"
#include "normalize.h"
#include "sha256.h"
#include "tokenize.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ======================= Building the set ================================ */

struct lexicon_set *lexicon_set_new(void)
{
    struct lexicon_set *set = xcalloc(1, sizeof *set);
    set->guard_window = 2;
    return set;
}

void wordseq_fini(struct wordseq *seq)
{
    if (!seq)
        return;
    for (size_t i = 0; i < seq->n; i++)
        free(seq->words[i]);
    free(seq->words);
    free(seq->is_stem);
    seq->words = NULL;
    seq->is_stem = NULL;
    seq->n = 0;
}

static void free_guards(struct wordseq *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wordseq_fini(&g[i]);
    free(g);
}

void lexicon_set_free(struct lexicon_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->nentries; i++) {
        struct lex_entry *e = &set->entries[i];
        free(e->term);
        wordseq_fini(&e->seq);
        free(e->regex);
        free(e->note);
        free(e->display);
        free_guards(e->guard_before, e->nguard_before);
        free_guards(e->guard_after, e->nguard_after);
    }
    free(set->entries);
    for (size_t i = 0; i < set->ncategories; i++) {
        struct lex_category *c = &set->categories[i];
        free(c->name);
        free(c->label);
        free(c->summary);
        free(c->description);
        free(c->direction);
        strvec_fini(&c->sources);
    }
    free(set->categories);
    for (size_t i = 0; i < set->nlexicons; i++) {
        struct lex_info *l = &set->lexicons[i];
        free(l->name);
        free(l->version);
        free(l->description);
        free(l->license);
        free(l->path);
    }
    free(set->lexicons);
    for (size_t i = 0; i < set->nexamples; i++)
        free(set->examples[i].text);
    free(set->examples);
    free(set);
}

/* The arrays grow by doubling; their capacities are not stored in the
 * public struct, so they are recomputed from the count: grow() is only ever
 * asked for n+1 with a capacity that is the next power of two >= n. */
static size_t cap_of(size_t n)
{
    size_t c = 8;
    while (c < n)
        c *= 2;
    return n ? c : 0;
}

uint32_t lexicon_set_add_lexicon(struct lexicon_set *set, const char *name,
                                 const char *path)
{
    size_t cap = cap_of(set->nlexicons);
    grow(&set->lexicons, &cap, set->nlexicons + 1, sizeof *set->lexicons);
    struct lex_info *l = &set->lexicons[set->nlexicons];
    memset(l, 0, sizeof *l);
    l->name = xstrdup(name ? name : "");
    l->version = xstrdup("");
    l->description = xstrdup("");
    l->license = xstrdup("");
    l->path = xstrdup(path ? path : "");
    return (uint32_t)set->nlexicons++;
}

uint32_t lexicon_set_add_category(struct lexicon_set *set, uint32_t lexicon,
                                  const char *name)
{
    size_t cap = cap_of(set->ncategories);
    grow(&set->categories, &cap, set->ncategories + 1,
         sizeof *set->categories);
    struct lex_category *c = &set->categories[set->ncategories];
    memset(c, 0, sizeof *c);
    c->name = xstrdup(name ? name : "");
    c->label = xstrdup("");
    c->summary = xstrdup("");
    c->description = xstrdup("");
    c->direction = xstrdup("");
    c->lexicon = lexicon;
    return (uint32_t)set->ncategories++;
}

struct lex_entry *lexicon_set_add_entry(struct lexicon_set *set,
                                        uint32_t category, const char *term)
{
    size_t cap = cap_of(set->nentries);
    grow(&set->entries, &cap, set->nentries + 1, sizeof *set->entries);
    struct lex_entry *e = &set->entries[set->nentries++];
    memset(e, 0, sizeof *e);
    e->term = xstrdup(term ? term : "");
    e->note = xstrdup("");
    e->kind = ENTRY_WORD;
    e->category = category;
    e->lexicon = set->categories[category].lexicon;
    /* The path string is heap-allocated once per lexicon, so this borrowed
     * pointer survives later growth of set->lexicons. */
    e->file = set->lexicons[e->lexicon].path;
    return e;
}

struct lex_example *lexicon_set_add_example(struct lexicon_set *set,
                                            enum example_kind kind,
                                            uint32_t lexicon, const char *text)
{
    size_t cap = cap_of(set->nexamples);
    grow(&set->examples, &cap, set->nexamples + 1, sizeof *set->examples);
    struct lex_example *x = &set->examples[set->nexamples++];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->text = xstrdup(text ? text : "");
    x->lexicon = lexicon;
    x->entry = LEX_NONE;
    x->category = LEX_NONE;
    return x;
}

const char *lex_category_title(const struct lex_category *c)
{
    return c->label && *c->label ? c->label : c->name;
}

const char *example_kind_name(enum example_kind kind)
{
    switch (kind) {
    case EXAMPLE_MATCH: return "match";
    case EXAMPLE_NEGATED: return "negated";
    case EXAMPLE_NOMATCH: return "nomatch";
    case EXAMPLE_OTHER: return "other";
    case EXAMPLE_CLEAN: return "clean";
    }
    return "?";
}

/* ======================= UTF-8 and small text helpers ==================== */

/* Offset of the first byte of s[0..n) that does not start or continue a
 * well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF), or n when all of it is valid. A NUL byte also counts as
 * invalid: it would silently cut every C string made from the line. */
static size_t utf8_invalid_at(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
        if (c >= 0xC2 && c <= 0xDF)
            k = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            if (c == 0xE0) lo = 0xA0;        /* overlong */
            if (c == 0xED) hi = 0x9F;        /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            if (c == 0xF0) lo = 0x90;        /* overlong */
            if (c == 0xF4) hi = 0x8F;        /* above U+10FFFF */
        } else
            return i;
        if (i + k >= n) /* truncated at the end */
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t j = 2; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return i;
        i += k + 1;
    }
    return n;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

/* Length of the UTF-8 sequence that starts with byte c (1 for junk). */
static int utf8_seq_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* ======================= Terms -> word sequences ========================= */

static int term_fail(char *err_msg, size_t n, size_t *err_col, size_t col,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int term_fail(char *err_msg, size_t n, size_t *err_col, size_t col,
                     const char *fmt, ...)
{
    if (err_msg && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err_msg, n, fmt, ap);
        va_end(ap);
    }
    if (err_col)
        *err_col = col;
    return -1;
}

/* A term is words separated by white space, with an optional '*' glued to
 * the end of the last word. The words are whatever the tokenizer finds in
 * the normalized term; anything the tokenizer would leave between words
 * (punctuation, a trailing apostrophe, "--") is an error rather than being
 * dropped, because the entry would then match text that does not contain it
 * - write such things as a /regex/. */
int wordseq_parse(struct wordseq *seq, const char *term, size_t len,
                  char *err_msg, size_t n, size_t *err_col)
{
    char x1[TEXT_EXCERPT_SIZE];
    memset(seq, 0, sizeof *seq);
    size_t bad = utf8_invalid_at(term, len);
    if (bad < len)
        return term_fail(err_msg, n, err_col, bad,
                         "invalid UTF-8 (byte 0x%02X)",
                         (unsigned char)term[bad]);

    size_t a = 0, b = len;
    while (a < b && is_blank(term[a]))
        a++;
    while (b > a && is_blank(term[b - 1]))
        b--;
    if (a == b)
        return term_fail(err_msg, n, err_col, a, "empty term");

    int stem = 0;
    if (term[b - 1] == '*') {
        stem = 1;
        b--;
        if (b == a || is_blank(term[b - 1]))
            return term_fail(err_msg, n, err_col, b,
                             "'*' must directly follow a word "
                             "(a stem, as in \"emotion*\")");
    }
    for (size_t i = a; i < b; i++)
        if (term[i] == '*')
            return term_fail(err_msg, n, err_col, i,
                             "'*' is only allowed at the end of the last "
                             "word (a stem, as in \"emotion*\")");

    /* normalize() rather than normalize_dup(): same normalization, plus the
     * offset map, so an error in the normalized term can name the column of
     * the character the user actually typed. */
    struct normtext nt;
    struct tokens tk;
    normtext_init(&nt);
    tokens_init(&tk);
    normalize(&nt, term + a, b - a);
    tokenize(&tk, nt.s, nt.len);

    int rc = 0;
    if (tk.n == 0) {
        rc = term_fail(err_msg, n, err_col, a,
                       "no word characters in term \"%s\"",
                       text_excerpt(x1, term + a, b - a));
        goto out;
    }
    size_t pos = 0;
    for (size_t k = 0; k <= tk.n && rc == 0; k++) {
        size_t gap_end = k < tk.n ? tk.v[k].start : nt.len;
        /* "soft-spoken": the hyphen inside a word is the gap between two
         * of its parts, which match like the phrase "soft spoken". */
        if (k < tk.n && (tk.v[k].flags & TOK_JOINED))
            pos = gap_end;
        for (size_t q = pos; q < gap_end; q++) {
            if (is_blank(nt.s[q]))
                continue;
            size_t o = nt.map[q]; /* offset in term + a */
            int cl = utf8_seq_len((unsigned char)term[a + o]);
            if (a + o + (size_t)cl > b)
                cl = (int)(b - a - o);
            rc = term_fail(err_msg, n, err_col, a + o,
                           "'%.*s' is not part of a word: a term is words "
                           "separated by spaces with an optional final '*'; "
                           "write anything else as a /regex/",
                           cl, term + a + o);
            break;
        }
        if (k < tk.n)
            pos = tk.v[k].end;
    }
    if (rc)
        goto out;

    seq->n = tk.n;
    seq->words = xcalloc(tk.n, sizeof *seq->words);
    seq->is_stem = xcalloc(tk.n, 1);
    for (size_t k = 0; k < tk.n; k++)
        seq->words[k] = xstrndup(nt.s + tk.v[k].start,
                                 tk.v[k].end - tk.v[k].start);
    seq->is_stem[tk.n - 1] = (uint8_t)stem;
out:
    tokens_fini(&tk);
    normtext_fini(&nt);
    return rc;
}

/* ======================= Reading a file ================================== */

/* Lexicons are small (kilobytes), and the SHA-256 recorded in every report
 * has to cover exactly these bytes, so a file is read whole. */
int lexfile_read(const char *path, struct lexfile *lf, struct diag *err)
{
    memset(lf, 0, sizeof *lf);
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot open: %s",
                 strerror(errno));
        return -1;
    }
    /* A lexicon pull request must not be able to take down a CI runner:
     * past LEXICON_MAX_BYTES the file is refused, checked while reading so
     * that /dev/zero or a growing file stops too. */
    struct buf b;
    buf_init(&b);
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(&b, chunk, got);
        if (b.len > LEXICON_MAX_BYTES) {
            fclose(f);
            buf_fini(&b);
            diag_set(err, DIAG_ERROR, path, 0, 0,
                     "lexicon file larger than %u bytes (%u MiB): refused "
                     "(the limit of a lexicon file)", LEXICON_MAX_BYTES,
                     LEXICON_MAX_BYTES >> 20);
            return -1;
        }
    }
    int failed = ferror(f);
    int e = errno;
    fclose(f);
    if (failed) {
        buf_fini(&b);
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(e));
        return -1;
    }
    lf->data = b.p ? b.p : xstrdup("");
    lf->size = b.len;
    /* A BOM is what spreadsheet programs and Notepad put at the start of a
     * "UTF-8" export; it is not content, and columns do not count it. */
    lf->body = lf->data;
    lf->len = lf->size;
    if (lf->len >= 3 && memcmp(lf->body, "\xEF\xBB\xBF", 3) == 0) {
        lf->body += 3;
        lf->len -= 3;
    }
    return 0;
}

int lexfile_check_utf8(const char *path, const struct lexfile *lf,
                       struct diag *err)
{
    const char *body = lf->body;
    size_t bad = utf8_invalid_at(body, lf->len);
    if (bad == lf->len)
        return 0;
    unsigned long line = 1;
    size_t bol = 0;
    for (size_t i = 0; i < bad; i++)
        if (body[i] == '\n') {
            line++;
            bol = i + 1;
        }
    unsigned char c = (unsigned char)body[bad];
    if (c == 0)
        diag_set(err, DIAG_ERROR, path, line, bad - bol + 1, "NUL byte");
    else
        diag_set(err, DIAG_ERROR, path, line, bad - bol + 1,
                 "invalid UTF-8 (byte 0x%02X); lexicon files must be UTF-8",
                 c);
    return -1;
}

char *lexfile_stem(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    const char *dot = strrchr(b, '.');
    return xstrndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

/* ======================= Shared entry builder ============================ */

struct lex_entry *lexicon_add_term(struct lexicon_set *set, uint32_t cat,
                                   const char *t, size_t n, char *msg,
                                   size_t msgn, size_t *err_off)
{
    if (set->nentries >= LEXICON_MAX_ENTRIES) {
        term_fail(msg, msgn, err_off, 0,
                  "more than %u entries in the lexicons: refused (the limit "
                  "of entries in one run)", LEXICON_MAX_ENTRIES);
        return NULL;
    }
    if (n && t[0] == '/') {
        if (n < 2 || t[n - 1] != '/') {
            term_fail(msg, msgn, err_off, 0,
                      "unterminated /pattern/: a regex entry must end with "
                      "'/'");
            return NULL;
        }
        if (n == 2) {
            term_fail(msg, msgn, err_off, 0, "empty /pattern/");
            return NULL;
        }
        char *term = xstrndup(t, n);
        struct lex_entry *e = lexicon_set_add_entry(set, cat, term);
        free(term);
        e->kind = ENTRY_REGEX;
        e->regex = xstrndup(t + 1, n - 2);
        return e;
    }

    struct wordseq seq;
    if (wordseq_parse(&seq, t, n, msg, msgn, err_off) < 0)
        return NULL;
    char *term = xstrndup(t, n);
    struct lex_entry *e = lexicon_set_add_entry(set, cat, term);
    free(term);
    e->seq = seq;
    e->kind = seq.is_stem[seq.n - 1] ? ENTRY_STEM
              : seq.n > 1            ? ENTRY_PHRASE
                                     : ENTRY_WORD;
    return e;
}

static void set_str(char **dst, const char *s, size_t n)
{
    free(*dst);
    *dst = xstrndup(s, n);
}

/* ======================= Format: plain word list (*.txt) ================= */

/* "# key: value" header comments. Unknown keys are ordinary comments, so a
 * comment like "# note: ..." needs no escaping. */
static void plain_header(struct lexicon_set *set, uint32_t lex, uint32_t cat,
                         const char *s, size_t n)
{
    size_t i = 1; /* past '#' */
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t k0 = i;
    while (i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
                     (s[i] >= 'A' && s[i] <= 'Z')))
        i++;
    size_t klen = i - k0;
    if (i >= n || s[i] != ':' || klen == 0)
        return;
    i++;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    const char *v = s + i;
    size_t vlen = n - i;
    const char *key = s + k0;
    struct lex_info *l = &set->lexicons[lex];
    struct lex_category *c = &set->categories[cat];
#define KEY(k) (klen == sizeof k - 1 && strncasecmp(key, k, klen) == 0)
    if (KEY("version"))
        set_str(&l->version, v, vlen);
    else if (KEY("description")) {
        /* The file is both the lexicon and its only category. */
        set_str(&l->description, v, vlen);
        set_str(&c->description, v, vlen);
    } else if (KEY("license"))
        set_str(&l->license, v, vlen);
    else if (KEY("source") && vlen) {
        char *src = xstrndup(v, vlen);
        strvec_push(&c->sources, src);
        free(src);
    }
#undef KEY
}

static int load_plain(struct lexicon_set *set, const char *path,
                      struct diag *err)
{
    struct lexfile lf;
    if (lexfile_read(path, &lf, err) < 0)
        return -1;

    char *name = lexfile_stem(path);
    uint32_t lex = lexicon_set_add_lexicon(set, name, path);
    uint32_t cat = lexicon_set_add_category(set, lex, name);
    free(name);
    set->categories[cat].line = 1;
    sha256_hex(lf.data, lf.size, set->lexicons[lex].sha256);

    const char *body = lf.body;
    size_t len = lf.len;
    int rc = lexfile_check_utf8(path, &lf, err);

    unsigned long line = 0;
    size_t pos = 0;
    while (rc == 0 && pos < len) {
        line++;
        const char *eol = memchr(body + pos, '\n', len - pos);
        size_t end = eol ? (size_t)(eol - body) : len;
        const char *s = body + pos;
        size_t n = end - pos;
        pos = end + 1;
        /* Trimming blanks also drops the '\r' of CRLF files. */
        size_t a = 0;
        while (a < n && is_blank(s[a]))
            a++;
        while (n > a && is_blank(s[n - 1]))
            n--;
        if (a == n)
            continue;
        if (s[a] == '#') {
            plain_header(set, lex, cat, s + a, n - a);
            continue;
        }
        char msg[512];
        size_t off = 0;
        struct lex_entry *e =
            lexicon_add_term(set, cat, s + a, n - a, msg, sizeof msg, &off);
        if (!e) {
            diag_set(err, DIAG_ERROR, path, line, a + off + 1, "%s", msg);
            rc = -1;
            break;
        }
        e->line = line;
        e->col = a + 1; /* a regex's opening slash: the matcher adds 1 +
                           PCRE2's offset to point into the pattern */
    }
    free(lf.data);
    return rc;
}

/* ======================= Path -> files -> formats ======================== */

typedef int (*format_loader)(struct lexicon_set *set, const char *path,
                             struct diag *err);

/* One row per file format. A directory loads every file whose name ends in
 * one of these extensions. */
static const struct {
    const char *ext;
    format_loader load;
} formats[] = {
    {".txt", load_plain},
    {".csv", lexicon_load_csv},
};

#define NFORMATS (sizeof formats / sizeof formats[0])

static int has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && strcmp(name + n - e, ext) == 0;
}

static format_loader loader_for(const char *name)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (has_ext(name, formats[i].ext))
            return formats[i].load;
    return NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's lexicon files, as joined paths in byte order of their
 * names, so that the entry order (and with it the tie-break between equal
 * matches) does not depend on readdir. */
static int list_dir(const char *dir, struct strvec *files, struct diag *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        diag_set(err, DIAG_ERROR, dir, 0, 0, "cannot open directory: %s",
                 strerror(errno));
        return -1;
    }
    struct strvec names = {0};
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        /* Hidden names are editor backups and lock files, not lexicons. */
        if (de->d_name[0] == '.' || !loader_for(de->d_name))
            continue;
        strvec_push(&names, de->d_name);
    }
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);

    size_t dl = strlen(dir), found = 0;
    int rc = 0;
    char *root = NULL;
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        struct buf p;
        buf_init(&p);
        buf_puts(&p, dir);
        if (dl && dir[dl - 1] != '/')
            buf_putc(&p, '/');
        buf_puts(&p, names.v[i]);
        struct stat st;
        /* Lexicon files are data, not pointers: a symlink in the folder
         * that leads out of it (to /etc/passwd, to a home folder) is
         * refused before anything is read from it, and the error does not
         * say where it points. Links within the folder are fine. */
        if (lstat(buf_cstr(&p), &st) == 0 && S_ISLNK(st.st_mode)) {
            if (!root)
                root = realpath(dir, NULL);
            char *target = realpath(buf_cstr(&p), NULL);
            size_t rl = root ? strlen(root) : 0;
            int inside = root && target && strncmp(target, root, rl) == 0 &&
                         (target[rl] == '/' || (rl == 1 && root[0] == '/'));
            free(target);
            if (!inside) {
                diag_set(err, DIAG_ERROR, buf_cstr(&p), 0, 0,
                         "symbolic link to a file outside the lexicon folder "
                         "%s: refused, not read (copy the file into the "
                         "folder)", dir);
                rc = -1;
            }
        }
        if (rc == 0 && stat(buf_cstr(&p), &st) == 0 && S_ISREG(st.st_mode)) {
            strvec_push(files, p.p);
            found++;
        }
        buf_fini(&p);
    }
    free(root);
    strvec_fini(&names);
    if (rc != 0)
        return -1;
    if (found == 0) {
        diag_set(err, DIAG_ERROR, dir, 0, 0,
                 "no lexicon files (*.txt, *.csv) in directory");
        return -1;
    }
    return 0;
}

int lexicon_files(const char *path, struct strvec *files, struct diag *err)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot open: %s",
                 strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return list_dir(path, files, err);
    strvec_push(files, path);
    return 0;
}

int lexicon_set_load(struct lexicon_set *set, const char *path,
                     struct diag *err)
{
    struct strvec files = {0};
    int rc = lexicon_files(path, &files, err);
    for (size_t i = 0; rc == 0 && i < files.n; i++) {
        /* A file named on the command line is read as a plain list unless
         * its extension names another format. */
        format_loader f = loader_for(files.v[i]);
        rc = (f ? f : load_plain)(set, files.v[i], err);
    }
    strvec_fini(&files);
    return rc;
}

const char *lex_entry_name(const struct lex_entry *e)
{
    return e->display ? e->display : e->term;
}
