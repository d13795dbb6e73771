/* lexicon_csv.c - the CSV lexicon format: a spreadsheet of rows
 * type,category,term,value (lexicon.h lists the row types), read with
 * libcsv into the lexicon set.
 *
 * Locations. libcsv hands over a field's bytes but not where they were. The
 * file is already in memory (lexfile_read), so each byte that can end a
 * field or a record is fed to libcsv on its own (the runs between them in
 * one call each): when the field callback runs, the byte being parsed is
 * the one that ended the field, so the next field starts right after it. A position
 * inside a value (a stray character in a term, PCRE2's error offset) is
 * mapped back through the quoting - opening quote, doubled quotes, line
 * breaks inside quotes - by raw_offset(), so every error names the line and
 * byte column of the very byte in the file, even in a multi-line cell.
 *
 * Parsing is strict RFC 4180 (CSV_STRICT): a quote inside an unquoted field
 * or text after a closing quote is an error at that byte, rather than a
 * lenient guess that can swallow the rest of the file into one cell.
 * Fields are not trimmed by libcsv (the space function says no byte is a
 * space); the loader trims the cells it interprets, and knows by how much. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "hashmap.h"
#include "lexicon.h"
#include "lexicon_format.h"
#include "textsafe.h"
#include "sha256.h"

#include <csv.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { COL_TYPE, COL_CATEGORY, COL_TERM, COL_VALUE, NCOLS };

static const char *const col_names[NCOLS] = {"type", "category", "term",
                                             "value"};
#define HEADER "type,category,term,value"

enum row_type {
    ROW_LEXICON, ROW_CATEGORY, ROW_ENTRY, ROW_GUARD_BEFORE, ROW_GUARD_AFTER,
    ROW_MATCH, ROW_NEGATED, ROW_NOMATCH, ROW_CLEAN, ROW_OTHER,
    ROW_OWN_GUARD_BEFORE, ROW_OWN_GUARD_AFTER, ROW_DISPLAY, NROW_TYPES,
};

static const char *const row_names[NROW_TYPES] = {
    "lexicon", "category", "entry", "guard_before", "guard_after",
    "match", "negated", "nomatch", "clean", "other", "own_guard_before",
    "own_guard_after", "display",
};

static const char *const lexicon_keys[] = {"name", "version", "description",
                                           "license"};
/* source is last: it is the one key that may repeat. */
static const char *const category_keys[] = {"label", "summary", "description",
                                            "direction", "source"};
#define NCATEGORY_KEYS 5
#define CATEGORY_SOURCE 4

/* One field of the record being collected. */
struct field {
    struct buf text; /* the value, unquoted */
    size_t raw;      /* body offset where the field starts (at its opening
                        quote when quoted) */
};

/* A field as the loader reads it: trimmed of surrounding white space. */
struct cell {
    const char *s;
    size_t n;
    const struct field *f;
    size_t k;        /* s - f->text.p: where the trimmed value starts */
};

struct csvload {
    struct lexicon_set *set;
    const char *path;
    const char *body;
    size_t len;
    struct diag *err;
    uint32_t lex;
    int failed;

    /* where libcsv is */
    size_t pos;            /* offset of the byte being parsed */
    size_t next_start;     /* where the next field starts */
    int between_records;   /* line ends here belong to no field */
    size_t cur_off, cur_bol;
    unsigned long cur_line;/* locate()'s cursor */

    /* the record being collected */
    struct field f[NCOLS];
    size_t nfields;
    size_t extra;          /* offset of the first non-blank field past the
                              4th, or SIZE_MAX */
    size_t nextra;         /* its 1-based number */
    int header_seen;
    unsigned long line;    /* line where the current record starts */

    struct strmap cats;    /* category name -> index in set->categories */
    struct strmap entries; /* "<category index>\x1f<term>" -> entry index */
    unsigned long meta_line[4]; /* where each lexicon_keys[] was given */
};

/* ======================= Locations ======================================= */

/* Line and 1-based byte column of body offset off. Offsets asked for are
 * almost always increasing, so a cursor makes the whole file O(size). */
static void locate(struct csvload *ld, size_t off, unsigned long *line,
                   unsigned long *col)
{
    if (off < ld->cur_off) {
        ld->cur_off = ld->cur_bol = 0;
        ld->cur_line = 1;
    }
    for (; ld->cur_off < off; ld->cur_off++)
        if (ld->body[ld->cur_off] == '\n') {
            ld->cur_line++;
            ld->cur_bol = ld->cur_off + 1;
        }
    *line = ld->cur_line;
    *col = (unsigned long)(off - ld->cur_bol + 1);
}

/* Body offset of byte k of a field's unquoted value: past the opening
 * quote, a doubled quote is one byte of the value. (Strict parsing
 * guarantees that any quote before the closing one is doubled.) */
static size_t raw_offset(const struct csvload *ld, const struct field *f,
                         size_t k)
{
    size_t i = f->raw;
    if (i >= ld->len || ld->body[i] != '"')
        return i + k;
    for (i++; k > 0 && i < ld->len; k--)
        i += ld->body[i] == '"' ? 2 : 1;
    return i;
}

static int fail_at(struct csvload *ld, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct csvload *ld, size_t off, const char *fmt, ...)
{
    unsigned long line, col;
    locate(ld, off, &line, &col);
    char msg[sizeof ld->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(ld->err, DIAG_ERROR, ld->path, line, col, "%s", msg);
    ld->failed = 1;
    return -1;
}

/* Byte `at` of a cell's trimmed value, as a body offset. */
static size_t cell_at(const struct csvload *ld, const struct cell *c,
                      size_t at)
{
    return raw_offset(ld, c->f, c->k + at);
}

/* ======================= Cells =========================================== */

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

static struct cell cell_of(const struct field *f)
{
    struct cell c = {f->text.p ? f->text.p : "", f->text.len, f, 0};
    while (c.n && is_blank(c.s[0])) {
        c.s++;
        c.n--;
        c.k++;
    }
    while (c.n && is_blank(c.s[c.n - 1]))
        c.n--;
    return c;
}

/* Case-insensitive (ASCII) comparison of a cell with a keyword. */
static int cell_is(const struct cell *c, const char *word)
{
    return strlen(word) == c->n && strncasecmp(c->s, word, c->n) == 0;
}

/* Index of the cell in words[0..n), or -1. */
static int cell_index(const struct cell *c, const char *const *words,
                      size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cell_is(c, words[i]))
            return (int)i;
    return -1;
}

/* ======================= Categories and entries ========================== */

static uint32_t category_get(struct csvload *ld, const struct cell *name)
{
    int added;
    size_t *v = strmap_put(&ld->cats, name->s, name->n,
                           ld->set->ncategories, &added);
    if (added) {
        char *s = xstrndup(name->s, name->n);
        uint32_t c = lexicon_set_add_category(ld->set, ld->lex, s);
        ld->set->categories[c].line = ld->line;
        free(s);
    }
    return (uint32_t)*v;
}

static void entry_key(struct buf *b, uint32_t cat, const struct cell *term)
{
    buf_clear(b);
    buf_printf(b, "%lu\x1f", (unsigned long)cat);
    buf_append(b, term->s, term->n);
}

/* The entry a guard or example row names, or NULL with the error set. */
static struct lex_entry *entry_find(struct csvload *ld, const struct cell *c,
                                    enum row_type type, uint32_t *index)
{
    char x1[TEXT_EXCERPT_SIZE], x2[TEXT_EXCERPT_SIZE];
    const struct cell *cat = &c[COL_CATEGORY], *term = &c[COL_TERM];
    if (!cat->n) {
        fail_at(ld, cell_at(ld, cat, 0), "missing category name");
        return NULL;
    }
    if (!term->n) {
        fail_at(ld, cell_at(ld, term, 0),
                "missing term: a %s row names the entry it is about",
                row_names[type]);
        return NULL;
    }
    size_t *ci = strmap_get(&ld->cats, cat->s, cat->n);
    size_t *ei = NULL;
    if (ci) {
        struct buf key;
        buf_init(&key);
        entry_key(&key, (uint32_t)*ci, term);
        ei = strmap_get(&ld->entries, key.p, key.len);
        buf_fini(&key);
    }
    if (!ei) {
        fail_at(ld, cell_at(ld, term, 0),
                "%s row for unknown entry \"%s\" in category \"%s\": "
                "declare it with an entry row above this one",
                row_names[type], text_excerpt(x1, term->s, term->n),
                text_excerpt(x2, cat->s, cat->n));
        return NULL;
    }
    *index = (uint32_t)*ei;
    return &ld->set->entries[*ei];
}

/* ======================= Rows ============================================ */

static int row_lexicon(struct csvload *ld, const struct cell *c)
{
    char x1[TEXT_EXCERPT_SIZE];
    struct lex_info *l = &ld->set->lexicons[ld->lex];
    const struct cell *key = &c[COL_TERM], *val = &c[COL_VALUE];
    if (c[COL_CATEGORY].n)
        return fail_at(ld, cell_at(ld, &c[COL_CATEGORY], 0),
                       "a lexicon row leaves the category empty");
    int k = cell_index(key, lexicon_keys, 4);
    if (k < 0 && !key->n)
        return fail_at(ld, cell_at(ld, key, 0),
                       "missing lexicon field: name, version, description "
                       "or license");
    if (k < 0)
        return fail_at(ld, cell_at(ld, key, 0),
                       "unknown lexicon field \"%s\"; expected name, "
                       "version, description or license",
                       text_excerpt(x1, key->s, key->n));
    if (ld->meta_line[k])
        return fail_at(ld, cell_at(ld, key, 0),
                       "repeated lexicon %s (first given on line %lu)",
                       lexicon_keys[k], ld->meta_line[k]);
    if (!val->n)
        return fail_at(ld, cell_at(ld, val, 0), "missing lexicon %s",
                       lexicon_keys[k]);
    ld->meta_line[k] = ld->line;
    char **dst[] = {&l->name, &l->version, &l->description, &l->license};
    free(*dst[k]);
    *dst[k] = xstrndup(val->s, val->n);
    return 0;
}

/* category,<cat>,referent,exempt and category,<cat>,negation,deficit
 * (lexicon_format.h). The other values name the default, so a sheet may
 * state it. */
static const char *const category_flag_keys[] = {"referent", "negation"};
static const char *const referent_values[] = {"describes", "exempt"};
static const char *const negation_values[] = {"negated", "deficit",
                                              "counted"};

static int category_flag(struct csvload *ld, const struct cell *c, int f)
{
    const struct cell *name = &c[COL_CATEGORY], *key = &c[COL_TERM],
                      *val = &c[COL_VALUE];
    const char *const *vals = f == 0 ? referent_values : negation_values;
    int v = cell_index(val, vals, f == 0 ? 2 : 3);
    if (v < 0)
        return fail_at(ld, cell_at(ld, val, 0),
                       "category %s must be %s, not \"%.*s\"",
                       category_flag_keys[f],
                       f == 0 ? "describes or exempt"
                              : "negated, deficit or counted",
                       (int)val->n, val->s);
    (void)key;
    uint32_t ci = category_get(ld, name);
    struct lex_category *cat = &ld->set->categories[ci];
    if (f == 0)
        cat->referent_exempt = (uint8_t)v;
    else
        cat->negation_deficit = v != 0;
    return 0;
}

static int row_category(struct csvload *ld, const struct cell *c)
{
    const struct cell *name = &c[COL_CATEGORY], *key = &c[COL_TERM],
                      *val = &c[COL_VALUE];
    if (!name->n)
        return fail_at(ld, cell_at(ld, name, 0), "missing category name");
    int f = cell_index(key, category_flag_keys, 2);
    if (f >= 0)
        return category_flag(ld, c, f);
    int k = cell_index(key, category_keys, NCATEGORY_KEYS);
    if (k < 0)
        return fail_at(ld, cell_at(ld, key, 0),
                       "%s category field%s%.*s%s; expected label, summary, "
                       "description, direction, source, referent or negation",
                       key->n ? "unknown" : "missing",
                       key->n ? " \"" : "", (int)key->n, key->s,
                       key->n ? "\"" : "");
    if (!val->n)
        return fail_at(ld, cell_at(ld, val, 0), "missing category %s",
                       category_keys[k]);
    uint32_t ci = category_get(ld, name); /* may grow the array */
    struct lex_category *cat = &ld->set->categories[ci];
    char *text = xstrndup(val->s, val->n);
    if (k == CATEGORY_SOURCE) { /* it may rest on several sources */
        strvec_push(&cat->sources, text);
        free(text);
        return 0;
    }
    char **fields[] = {&cat->label, &cat->summary, &cat->description,
                       &cat->direction};
    char **dst = fields[k];
    if (**dst) {
        free(text);
        return fail_at(ld, cell_at(ld, key, 0),
                       "repeated %s for category \"%s\"", category_keys[k],
                       cat->name);
    }
    free(*dst);
    *dst = text;
    return 0;
}

/* Compile a /regex/ entry once, only to report a bad pattern where it is
 * written. The flags are match.c's, so what passes here compiles there. */
static int check_regex(struct csvload *ld, const struct lex_entry *e,
                       const struct cell *term)
{
    int ec;
    PCRE2_SIZE eoff;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)e->regex,
                                     PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS,
                                     &ec, &eoff, NULL);
    if (code) {
        pcre2_code_free(code);
        return 0;
    }
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(ec, msg, sizeof msg);
    /* +1: the offset counts from the byte after the opening slash. */
    return fail_at(ld, cell_at(ld, term, 1 + (size_t)eoff), "regex: %s",
                   (const char *)msg);
}

static int row_entry(struct csvload *ld, const struct cell *c)
{
    const struct cell *name = &c[COL_CATEGORY], *term = &c[COL_TERM];
    if (!name->n)
        return fail_at(ld, cell_at(ld, name, 0), "missing category name");
    if (!term->n)
        return fail_at(ld, cell_at(ld, term, 0), "missing term");
    uint32_t cat = category_get(ld, name);
    char msg[512];
    size_t off = 0;
    struct lex_entry *e = lexicon_add_term(ld->set, cat, term->s, term->n,
                                           msg, sizeof msg, &off);
    if (!e)
        return fail_at(ld, cell_at(ld, term, off), "%s", msg);
    unsigned long line;
    locate(ld, cell_at(ld, term, 0), &line, &e->col);
    e->line = line;
    free(e->note);
    e->note = xstrndup(c[COL_VALUE].s, c[COL_VALUE].n);
    if (e->kind == ENTRY_REGEX && check_regex(ld, e, term) < 0)
        return -1;
    /* The first of two identical entries is the one rows refer to (and the
     * one that wins a tie); `lexicon lint` reports the second. */
    struct buf key;
    buf_init(&key);
    entry_key(&key, cat, term);
    int added;
    strmap_put(&ld->entries, key.p, key.len, ld->set->nentries - 1, &added);
    buf_fini(&key);
    return 0;
}

static int row_guard(struct csvload *ld, const struct cell *c,
                     enum row_type type)
{
    uint32_t idx;
    struct lex_entry *e = entry_find(ld, c, type, &idx);
    if (!e)
        return -1;
    const struct cell *val = &c[COL_VALUE];
    if (!val->n)
        return fail_at(ld, cell_at(ld, val, 0),
                       "missing guard: the word or phrase that cancels a "
                       "hit of \"%s\"", e->term);
    struct wordseq seq;
    char msg[512];
    size_t off = 0;
    if (wordseq_parse(&seq, val->s, val->n, msg, sizeof msg, &off) < 0)
        return fail_at(ld, cell_at(ld, val, off), "%s", msg);
    /* An own guard is an evaluative sense of this entry ("emotionally
     * attuned" is no criticism): senses.h pools every other guard. */
    seq.own = type == ROW_OWN_GUARD_BEFORE || type == ROW_OWN_GUARD_AFTER;
    int before = type == ROW_GUARD_BEFORE || type == ROW_OWN_GUARD_BEFORE;
    struct wordseq **v = before ? &e->guard_before : &e->guard_after;
    size_t *n = before ? &e->nguard_before : &e->nguard_after;
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = seq;
    return 0;
}

/* display,CAT,TERM,NAME: how reports name the entry (a pattern's
 * "needs to be more X" rather than its regex); data files keep TERM. */
static int row_display(struct csvload *ld, const struct cell *c)
{
    uint32_t idx;
    struct lex_entry *e = entry_find(ld, c, ROW_DISPLAY, &idx);
    if (!e)
        return -1;
    const struct cell *val = &c[COL_VALUE];
    if (!val->n)
        return fail_at(ld, cell_at(ld, val, 0),
                       "missing display name for \"%s\"", e->term);
    if (e->display)
        return fail_at(ld, cell_at(ld, val, 0),
                       "repeated display name for \"%s\"", e->term);
    e->display = xstrndup(val->s, val->n);
    return 0;
}

static int row_example(struct csvload *ld, const struct cell *c,
                       enum row_type type)
{
    char x1[TEXT_EXCERPT_SIZE];
    static const enum example_kind kinds[] = {
        [ROW_MATCH] = EXAMPLE_MATCH, [ROW_NEGATED] = EXAMPLE_NEGATED,
        [ROW_NOMATCH] = EXAMPLE_NOMATCH, [ROW_CLEAN] = EXAMPLE_CLEAN,
        [ROW_OTHER] = EXAMPLE_OTHER,
    };
    const struct cell *val = &c[COL_VALUE];
    uint32_t entry = LEX_NONE, cat = LEX_NONE;
    if (type == ROW_CLEAN) {
        const struct cell *name = &c[COL_CATEGORY];
        if (c[COL_TERM].n)
            return fail_at(ld, cell_at(ld, &c[COL_TERM], 0),
                           "a clean row names no term (it checks the whole "
                           "lexicon, or one category); use nomatch to test "
                           "one entry");
        if (name->n) {
            size_t *ci = strmap_get(&ld->cats, name->s, name->n);
            if (!ci)
                return fail_at(ld, cell_at(ld, name, 0),
                               "clean row for unknown category \"%s\": "
                               "name a category declared above, or none",
                               text_excerpt(x1, name->s, name->n));
            cat = (uint32_t)*ci;
        }
    } else {
        struct lex_entry *e = entry_find(ld, c, type, &entry);
        if (!e)
            return -1;
        cat = e->category;
    }
    if (!val->n)
        return fail_at(ld, cell_at(ld, val, 0),
                       "missing example sentence in the value column");
    char *text = xstrndup(val->s, val->n);
    struct lex_example *x =
        lexicon_set_add_example(ld->set, kinds[type], ld->lex, text);
    free(text);
    x->entry = entry;
    x->category = cat;
    x->line = ld->line;
    return 0;
}

/* ======================= Records ========================================= */

static int check_header(struct csvload *ld, const struct cell *c)
{
    char x1[TEXT_EXCERPT_SIZE];
    for (size_t i = 0; i < NCOLS; i++) {
        if (cell_is(&c[i], col_names[i]))
            continue;
        if (i >= ld->nfields)
            return fail_at(ld, cell_at(ld, &c[i], 0),
                           "missing column \"%s\"; the header row must be "
                           "exactly: " HEADER, col_names[i]);
        int other = cell_index(&c[i], col_names, NCOLS);
        if (other >= 0)
            return fail_at(ld, cell_at(ld, &c[i], 0),
                           "column \"%s\" is out of place; the header row "
                           "must be exactly: " HEADER, col_names[other]);
        return fail_at(ld, cell_at(ld, &c[i], 0),
                       "unknown column \"%s\"; the first row must be the "
                       "header: " HEADER, text_excerpt(x1, c[i].s, c[i].n));
    }
    if (ld->extra != SIZE_MAX)
        return fail_at(ld, ld->extra, "unknown column %zu; the header row "
                       "must be exactly: " HEADER, ld->nextra);
    return 0;
}

static int handle_record(struct csvload *ld, size_t end)
{
    /* Missing trailing fields read as empty, located at the line's end. */
    for (size_t i = ld->nfields; i < NCOLS; i++) {
        buf_clear(&ld->f[i].text);
        ld->f[i].raw = end;
    }
    struct cell c[NCOLS];
    for (size_t i = 0; i < NCOLS; i++)
        c[i] = cell_of(&ld->f[i]);
    unsigned long col;
    locate(ld, ld->f[0].raw, &ld->line, &col);
    if (!ld->header_seen) {
        ld->header_seen = 1;
        return check_header(ld, c);
    }
    const struct cell *type = &c[COL_TYPE];
    if (type->n && type->s[0] == '#')
        return 0; /* a comment row */
    if (!type->n && !c[1].n && !c[2].n && !c[3].n && ld->extra == SIZE_MAX)
        return 0; /* an empty spreadsheet row */
    if (ld->extra != SIZE_MAX)
        return fail_at(ld, ld->extra,
                       "unexpected field %zu: a row has 4 fields (" HEADER
                       "); quote a value that holds a comma", ld->nextra);
    int t = cell_index(type, row_names, NROW_TYPES);
    if (t < 0)
        return fail_at(ld, cell_at(ld, type, 0),
                       "%s row type%s%.*s%s; expected lexicon, category, "
                       "entry, guard_before, guard_after, match, negated, "
                       "nomatch, clean, other, own_guard_before, "
                       "own_guard_after or display", type->n ? "unknown" : "missing",
                       type->n ? " \"" : "", (int)type->n, type->s,
                       type->n ? "\"" : "");
    switch ((enum row_type)t) {
    case ROW_LEXICON: return row_lexicon(ld, c);
    case ROW_CATEGORY: return row_category(ld, c);
    case ROW_ENTRY: return row_entry(ld, c);
    case ROW_GUARD_BEFORE:
    case ROW_GUARD_AFTER:
    case ROW_OWN_GUARD_BEFORE:
    case ROW_OWN_GUARD_AFTER: return row_guard(ld, c, (enum row_type)t);
    case ROW_DISPLAY: return row_display(ld, c);
    default: return row_example(ld, c, (enum row_type)t);
    }
}

/* libcsv callbacks. Both run while ld->pos is the byte that ended the field
 * or record (or ld->len at the end of the file). */
static void on_field(void *s, size_t n, void *data)
{
    struct csvload *ld = data;
    size_t start = ld->next_start;
    ld->next_start = ld->pos + 1;
    size_t i = ld->nfields++;
    if (i < NCOLS) {
        buf_clear(&ld->f[i].text);
        if (n)
            buf_append(&ld->f[i].text, s, n);
        ld->f[i].raw = start;
        return;
    }
    const char *p = s;
    size_t k = 0;
    while (k < n && is_blank(p[k]))
        k++;
    if (k < n && ld->extra == SIZE_MAX) {
        ld->extra = start;
        ld->nextra = i + 1;
    }
}

static void on_record(int term, void *data)
{
    (void)term;
    struct csvload *ld = data;
    if (!ld->failed && handle_record(ld, ld->pos) < 0)
        ld->failed = 1;
    ld->nfields = 0;
    ld->extra = SIZE_MAX;
    ld->next_start = ld->pos + 1;
    ld->between_records = 1;
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* Can byte b end a field or a record, or open or close a quote? */
static int csv_special(char b)
{
    return b == ',' || b == '"' || b == '\r' || b == '\n';
}

/* Feed the body to libcsv (see the top of the file): each byte that can
 * end a field or a record on its own, so the callbacks see it at ld->pos;
 * the bytes between them, which call back nothing, as one run. */
static void parse(struct csvload *ld)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fail_at(ld, 0, "cannot initialise the CSV parser");
        return;
    }
    csv_set_space_func(&p, no_space);
    ld->between_records = 1;
    for (ld->pos = 0; ld->pos < ld->len && !ld->failed;) {
        char b = ld->body[ld->pos];
        size_t n = 1;
        /* libcsv skips blank lines and the LF of a CRLF without a
         * callback; a record's first field starts after them. */
        if (ld->between_records && (b == '\r' || b == '\n'))
            ld->next_start = ld->pos + 1;
        else
            ld->between_records = 0;
        if (!csv_special(b))
            while (ld->pos + n < ld->len && !csv_special(ld->body[ld->pos + n]))
                n++;
        size_t done = csv_parse(&p, &ld->body[ld->pos], n, on_field,
                                on_record, ld);
        ld->pos += done;
        if (done == n)
            continue;
        if (ld->body[ld->pos] == '"')
            fail_at(ld, ld->pos,
                    "a double quote inside an unquoted field: quote the "
                    "whole field and double each quote in it (\"he said "
                    "\"\"hi\"\"\"), with no space before the opening quote");
        else
            fail_at(ld, ld->pos,
                    "text after a closing quote: a quoted field ends at its "
                    "closing quote (write a quote inside it as \"\")");
    }
    if (!ld->failed && csv_fini(&p, on_field, on_record, ld) != 0 &&
        !ld->failed)
        fail_at(ld, ld->next_start,
                "unterminated quoted field: the quote opened here is never "
                "closed");
    csv_free(&p);
}

int lexicon_load_csv(struct lexicon_set *set, const char *path,
                     struct diag *err)
{
    struct lexfile lf;
    if (lexfile_read(path, &lf, err) < 0)
        return -1;
    char *name = lexfile_stem(path);
    uint32_t lex = lexicon_set_add_lexicon(set, name, path);
    free(name);
    sha256_hex(lf.data, lf.size, set->lexicons[lex].sha256);

    struct csvload ld;
    memset(&ld, 0, sizeof ld);
    ld.set = set;
    ld.path = path;
    ld.body = lf.body;
    ld.len = lf.len;
    ld.err = err;
    ld.lex = lex;
    ld.cur_line = 1;
    ld.extra = SIZE_MAX;
    for (size_t i = 0; i < NCOLS; i++)
        buf_init(&ld.f[i].text);
    strmap_init(&ld.cats);
    strmap_init(&ld.entries);

    if (lexfile_check_utf8(path, &lf, err) < 0)
        ld.failed = 1;
    else
        parse(&ld);
    if (!ld.failed && !ld.header_seen)
        fail_at(&ld, 0, "empty lexicon file: the first row must be the "
                "header " HEADER);

    for (size_t i = 0; i < NCOLS; i++)
        buf_fini(&ld.f[i].text);
    strmap_fini(&ld.cats);
    strmap_fini(&ld.entries);
    free(lf.data);
    return ld.failed ? -1 : 0;
}
