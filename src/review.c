/* review.c - the blinded review packet (see review.h): masking, shuffling,
 * and the three files. */
#include "review.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "excerpt_file.h"
#include "html.h"
#include "outfile.h"
#include "report.h" /* report_cell: the CSV cell rules */

/* ============================================================== options */

void review_options_init(struct review_options *o)
{
    memset(o, 0, sizeof *o);
    o->seed = REVIEW_DEFAULT_SEED;
    o->max_excerpts = REVIEW_MAX_EXCERPTS;
    strmap_init(&o->seen);
}

void review_options_fini(struct review_options *o)
{
    strvec_fini(&o->names);
    strvec_fini(&o->evaluators);
    strmap_fini(&o->seen);
}

int review_load_names(struct review_options *o, const char *path,
                      struct diag *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot open --names file: %s",
                 strerror(errno));
        return -1;
    }
    o->names_file = path;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        const char *p = line;
        if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
            p += 3;
        while (isspace((unsigned char)*p))
            p++;
        if (*p && *p != '#')
            strvec_push(&o->names, p);
    }
    free(line);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot read --names file");
        return -1;
    }
    return 0;
}

void review_add_evaluator(struct review_options *o, const char *name,
                          size_t len)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)name[i]))
        i++;
    if (i == len)
        return;
    int added;
    strmap_put(&o->seen, name, len, o->evaluators.n, &added);
    if (added) {
        char *s = xstrndup(name, len);
        strvec_push(&o->evaluators, s);
        free(s);
    }
}

/* ============================================================== masking */

struct review_masker {
    struct strmap words;  /* lower-cased name word -> enum review_kind */
    struct buf key;
};

/* Length of the word starting at s: a run of letters, marks and digits
 * (Unicode categories L*, M*, N*, by utf8proc), so a no-break space, a
 * curly apostrophe or a dash ends a name as an ASCII space does. 0 when s
 * does not start a word. */
static size_t word_len(const char *str, size_t n)
{
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)str;
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i),
                                              &cp);
        if (k <= 0)
            break;
        utf8proc_category_t c = utf8proc_category(cp);
        int word = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND) ||
                   c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
        if (!word)
            break;
        i += (size_t)k;
    }
    return i;
}

/* Length of the character at s that is not part of a word (>= 1). */
static size_t char_len(const char *s, size_t n)
{
    size_t i = 1;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

static void fold(struct buf *b, const char *s, size_t n)
{
    buf_clear(b);
    for (size_t i = 0; i < n; i++)
        buf_putc(b, (char)tolower((unsigned char)s[i]));
}

static int is_title(const char *w, size_t n)
{
    static const char *const titles[] = {"dr", "md", "do", "mr", "mrs", "ms",
                                         "mx", "jr", "sr", "phd", "ii", "iii",
                                         "iv", "rn", "np", "pa", NULL};
    for (size_t i = 0; titles[i]; i++)
        if (strlen(titles[i]) == n && memcmp(titles[i], w, n) == 0)
            return 1;
    return 0;
}

review_masker *review_masker_new(void)
{
    review_masker *m = xcalloc(1, sizeof *m);
    strmap_init(&m->words);
    buf_init(&m->key);
    return m;
}

void review_masker_free(review_masker *m)
{
    if (!m)
        return;
    strmap_fini(&m->words);
    buf_fini(&m->key);
    free(m);
}

void review_masker_add(review_masker *m, const char *name, enum review_kind k)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < n;) {
        size_t w = word_len(name + i, n - i);
        if (!w) {
            i += char_len(name + i, n - i);
            continue;
        }
        fold(&m->key, name + i, w);
        /* One letter is an initial, not a name; titles are not names. */
        if (utf8_count(name + i, w) > 1 && !is_title(m->key.p, w)) {
            int added;
            strmap_put(&m->words, m->key.p, m->key.len, (size_t)k, &added);
        }
        i += w;
    }
}

void review_mask(const review_masker *m, const char *s, size_t n,
                 struct buf *out)
{
    static const char *const label[] = {"", "[resident]", "[evaluator]",
                                        "[name]"};
    struct buf *key = (struct buf *)&m->key; /* scratch */
    for (size_t i = 0; i < n;) {
        size_t w = word_len(s + i, n - i);
        if (!w) {
            size_t step = char_len(s + i, n - i);
            buf_append(out, s + i, step);
            i += step;
            continue;
        }
        fold(key, s + i, w);
        size_t *k = m->words.n ? strmap_get(&m->words, key->p, key->len)
                               : NULL;
        /* "O'Brien", "D’Souza": an initial and an apostrophe before a
         * name are part of it. */
        if (!k && utf8_count(s + i, w) == 1) {
            size_t j = i + w, ap = 0;
            if (j < n && s[j] == '\'')
                ap = 1;
            else if (j + 3 <= n && memcmp(s + j, "\xE2\x80\x99", 3) == 0)
                ap = 3;
            size_t w2 = ap ? word_len(s + j + ap, n - j - ap) : 0;
            if (w2) {
                fold(key, s + j + ap, w2);
                size_t *k2 = strmap_get(&m->words, key->p, key->len);
                if (k2) {
                    buf_puts(out, label[*k2]);
                    i = j + ap + w2;
                    continue;
                }
            }
        }
        if (k)
            buf_puts(out, label[*k]);
        else
            buf_append(out, s + i, w);
        i += w;
    }
}

/* ============================================================== shuffle */

/* SplitMix64 (Steele, Lea & Flood 2014): a tiny generator whose output
 * depends only on the seed, the same on every platform. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, bound) without modulo bias (rejection). */
static uint64_t below(uint64_t *st, uint64_t bound)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % bound;
    uint64_t r;
    do
        r = splitmix64(st);
    while (r >= lim);
    return r % bound;
}

void review_shuffle(size_t *perm, size_t n, uint64_t seed)
{
    uint64_t st = seed;
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)below(&st, i);
        size_t tmp = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = tmp;
    }
}

/* ================================================================ files */

static const char css[] =
    "*{box-sizing:border-box}body{margin:0;color:#1b1b1b;background:#fff;"
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,"
    "sans-serif}\n"
    "header,main{max-width:900px;margin:0 auto;padding:0 1rem}"
    "header{border-bottom:3px solid #1d4f7c;padding:1rem 1rem .5rem}\n"
    "h1{font-size:1.5rem;margin:.2rem 0}.muted{color:#4d4d4d}\n"
    "ol.rv{list-style:none;padding:0}li.rv{border:1px solid #c8c8c8;"
    "border-radius:4px;padding:.5rem .9rem;margin:.8rem 0}\n"
    "li.rv h2{font-size:1rem;margin:.1rem 0}blockquote{margin:.4rem 0;"
    "padding-left:.8rem;border-left:3px solid #1d4f7c}\n"
    "mark{background:#ffe28a;color:inherit;border-bottom:2px solid #7a5c00}"
    "mark.neg{background:#e4e4e4;border-bottom:2px dashed #1b1b1b}\n"
    ".negtag{font-weight:700;font-size:.8em;border:1px solid currentColor;"
    "border-radius:3px;padding:0 .25em;margin-left:.3em}\n"
    "fieldset{border:0;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;"
    "gap:.3rem 1.2rem}legend{float:left;margin-right:1rem;font-weight:600}\n"
    "textarea{width:100%;font:inherit}\n"
    "#tools{background:#f4f6f8;padding:.6rem .8rem;border-radius:4px}\n"
    "[hidden]{display:none!important}\n"
    "@media print{#tools,.noprint{display:none!important}li.rv{break-inside:"
    "avoid}mark{background:none;font-weight:700;border-bottom:1.5pt solid "
    "#000}mark.neg{font-style:italic;border-bottom:1.5pt dashed #000}"
    "textarea{border:1px solid #000;min-height:3em}}\n";

/* Export of the reviewer's judgements as CSV; it reads form values and
 * never inserts text as markup. */
static const char script[] =
    "(function(){'use strict';var d=document,t=d.getElementById('tools');\n"
    "if(!t)return;t.hidden=false;var out=d.getElementById('done');\n"
    /* The same guard and quoting as report_cell (report.h). */
    "function q(s){s=String(s);if(/^'*[=+\\-@\\t\\r\\0]/.test(s))s=\"'\"+s;"
    "s=s.replace(/([;\\t])(?='*[=+\\-@\\t\\r\\0])/g,\"$1'\");"
    "return /[\",;\\t\\r\\n]/.test(s)?'\"'+s.replace(/\"/g,'\"\"')+'\"':s;}\n"
    "function count(){var n=0,all=d.querySelectorAll('li.rv');"
    "Array.prototype.forEach.call(all,function(li){"
    "if(li.querySelector('input:checked'))n++;});"
    "out.textContent=n+' of '+all.length+' judged.';}\n"
    "d.addEventListener('change',count);count();\n"
    "d.getElementById('export').addEventListener('click',function(){\n"
    " var rows=['excerpt_id,judgement,comment'];\n"
    " Array.prototype.forEach.call(d.querySelectorAll('li.rv'),function(li){\n"
    "  var c=li.querySelector('input:checked'),m=li.querySelector('textarea');\n"
    "  rows.push([li.id,c?c.value:'',m?m.value:''].map(q).join(','));});\n"
    " var b=new Blob([rows.join('\\r\\n')+'\\r\\n'],{type:'text/csv'}),"
    "a=d.createElement('a');\n"
    " a.href=URL.createObjectURL(b);a.download='review-judgements.csv';"
    "d.body.appendChild(a);a.click();a.remove();});\n"
    "})();\n";

/* One item of the packet: a matched span, the rows first..first+n-1 of
 * p->rows (one per lexicon x category that matched it; they are adjacent
 * in excerpts.csv, which writes a field's hits in order of span). */
struct item {
    size_t first, n;
};

struct packet {
    const struct review_options *o;
    excerpt_file *xf;
    review_masker *m;
    const struct xi_row *rows; /* the kept rows, in file order */
    size_t nrows;
    struct item *items;     /* spans, in file order */
    uint64_t total;         /* excerpts.csv rows in all */
    size_t *perm, n;        /* n items, shuffled by perm */
    struct buf a, b, c;     /* masked before / match / after */
    struct buf lex, cat, term; /* the item's rows' values, each followed
                                  by a NUL */
    struct buf path;
};

/* Mask row r's excerpt around its match into p->a, p->b, p->c (b empty
 * when the match cannot be located). */
static void mask_row(struct packet *p, const struct xf_row *r,
                     const struct xi_row *k)
{
    buf_clear(&p->a);
    buf_clear(&p->b);
    buf_clear(&p->c);
    const char *x = r->f[XF_EXCERPT];
    size_t s, e;
    if (xf_row_mark(r, k, &s, &e) == 0) {
        review_mask(p->m, x, s, &p->a);
        review_mask(p->m, x + s, e - s, &p->b);
        review_mask(p->m, x + e, r->len[XF_EXCERPT] - e, &p->c);
    } else {
        review_mask(p->m, x, r->len[XF_EXCERPT], &p->a);
    }
    buf_cstr(&p->a);
    buf_cstr(&p->b);
    buf_cstr(&p->c);
}

static void join(struct buf *b, const char *s)
{
    buf_append(b, s, strlen(s) + 1);
}

/* The n NUL-terminated values in b, "; "-joined into out. */
static const char *joined(struct buf *out, const struct buf *b, size_t n)
{
    buf_clear(out);
    const char *v = b->p;
    for (size_t i = 0; i < n; i++, v += strlen(v) + 1) {
        if (i)
            buf_puts(out, "; ");
        buf_puts(out, v);
    }
    return buf_cstr(out);
}

/* The packet's i-th item, in shuffled order: its rows' lexicons,
 * categories and terms joined into p->lex, p->cat, p->term, and its first
 * row read back into r and masked, with its opaque id (E00001 …). */
static int packet_row(struct packet *p, size_t i, struct xf_row *r,
                      char id[32], struct diag *err)
{
    const struct item *it = &p->items[p->perm[i]];
    buf_clear(&p->lex);
    buf_clear(&p->cat);
    buf_clear(&p->term);
    for (size_t j = 0; j < it->n; j++) {
        if (excerpt_file_read(p->xf, p->rows[it->first + j].off, r, err) < 0)
            return -1;
        join(&p->lex, r->f[XF_LEXICON]);
        join(&p->cat, r->f[XF_CATEGORY]);
        join(&p->term, r->f[XF_TERM]);
    }
    /* r's fields live until the next read: end on the first row */
    if (it->n > 1 &&
        excerpt_file_read(p->xf, p->rows[it->first].off, r, err) < 0)
        return -1;
    snprintf(id, 32, "E%05zu", i + 1);
    mask_row(p, r, &p->rows[it->first]);
    return 0;
}

/* Group the kept rows (in file order) into items, one per span_id. */
static int make_items(struct packet *p, struct diag *err)
{
    struct buf prev;
    struct xf_row r;
    buf_init(&prev);
    p->items = xmalloc((p->nrows ? p->nrows : 1) * sizeof *p->items);
    p->n = 0;
    for (size_t i = 0; i < p->nrows; i++) {
        if (excerpt_file_read(p->xf, p->rows[i].off, &r, err) < 0) {
            buf_fini(&prev);
            return -1;
        }
        if (p->n && prev.len == r.len[XF_SPAN_ID] &&
            memcmp(prev.p, r.f[XF_SPAN_ID], prev.len) == 0) {
            p->items[p->n - 1].n++;
            continue;
        }
        buf_clear(&prev);
        buf_append(&prev, r.f[XF_SPAN_ID], r.len[XF_SPAN_ID]);
        p->items[p->n++] = (struct item){i, 1};
    }
    buf_fini(&prev);
    return 0;
}

static int open_out(struct packet *p, struct outfile *o, const char *dir,
                    const char *name, struct diag *err)
{
    buf_clear(&p->path);
    buf_printf(&p->path, "%s/%s", dir, name);
    return outfile_open(o, buf_cstr(&p->path), err);
}

static int write_csv(struct packet *p, const char *dir, struct diag *err)
{
    struct outfile o, k;
    if (open_out(p, &o, dir, "review.csv", err) < 0)
        return -1;
    if (open_out(p, &k, dir, "review-key.csv", err) < 0) {
        outfile_close(&o, 0, NULL);
        return -1;
    }
    fputs("excerpt_id,lexicon,category,term,column,negated,flagged_text,"
          "excerpt,judgement,comment\r\n", o.f);
    fputs("excerpt_id,evaluation_id,resident,column,lexicon,category,term,"
          "negated,start,end,span_id\r\n", k.f);
    struct xf_row r;
    int rc = 0;
    struct buf masked, lex, cat, term;
    buf_init(&masked);
    buf_init(&lex);
    buf_init(&cat);
    buf_init(&term);
    for (size_t i = 0; i < p->n && rc == 0; i++) {
        char id[32];
        if ((rc = packet_row(p, i, &r, id, err)) < 0)
            break;
        buf_clear(&masked);
        review_mask(p->m, r.f[XF_MATCHED], r.len[XF_MATCHED], &masked);
        struct buf whole;
        buf_init(&whole);
        buf_append(&whole, p->a.p, p->a.len);
        buf_append(&whole, p->b.p, p->b.len);
        buf_append(&whole, p->c.p, p->c.len);
        report_cell_str(o.f, id);
        size_t nv = p->items[p->perm[i]].n;
        joined(&lex, &p->lex, nv);
        joined(&cat, &p->cat, nv);
        joined(&term, &p->term, nv);
        const char *vals[] = {lex.p, cat.p, term.p};
        for (int c = 0; c < 3; c++) {
            fputc(',', o.f);
            report_cell_str(o.f, vals[c]);
        }
        fputc(',', o.f);
        report_cell_str(o.f, r.f[XF_COLUMN]);
        fprintf(o.f, ",%s,", r.negated ? "true" : "false");
        report_cell(o.f, masked.p ? masked.p : "", masked.len);
        fputc(',', o.f);
        report_cell(o.f, whole.p ? whole.p : "", whole.len);
        fputs(",,\r\n", o.f);
        buf_fini(&whole);

        report_cell_str(k.f, id);
        static const int keycols[] = {XF_ID, XF_RESIDENT, XF_COLUMN,
                                      XF_LEXICON, XF_CATEGORY, XF_TERM,
                                      XF_NEGATED, XF_START, XF_END,
                                      XF_SPAN_ID};
        for (size_t c = 0; c < sizeof keycols / sizeof *keycols; c++) {
            fputc(',', k.f);
            report_cell_str(k.f, c == 3   ? lex.p
                                 : c == 4 ? cat.p
                                 : c == 5 ? term.p
                                          : r.f[keycols[c]]);
        }
        fputs("\r\n", k.f);
    }
    buf_fini(&masked);
    buf_fini(&lex);
    buf_fini(&cat);
    buf_fini(&term);
    int rc1 = outfile_close(&o, rc == 0, err);
    int rc2 = outfile_close(&k, rc == 0 && rc1 == 0, err);
    return rc < 0 ? rc : rc1 < 0 ? rc1 : rc2;
}

/* v with thousands separators ("4,012,345") in b[32]; returns b. */
static const char *thousands(char *b, unsigned long long v)
{
    char d[24];
    int len = snprintf(d, sizeof d, "%llu", v), j = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            b[j++] = ',';
        b[j++] = d[i];
    }
    b[j] = '\0';
    return b;
}

static int write_html(struct packet *p, const char *dir, struct diag *err)
{
    struct outfile o;
    if (open_out(p, &o, dir, "review.html", err) < 0)
        return -1;
    FILE *f = o.f;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
          f);
    html_head_csp(f, script);
    fputs("<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<title>Excerpt review packet</title>\n<style>\n", f);
    fputs(css, f);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>Excerpt review packet"
          "</h1>\n", f);
    fprintf(f, "<p>%zu flagged excerpts from narrative evaluations, in a "
               "random order (seed %llu). Names are replaced by [resident], "
               "[evaluator] or [name]; no cohort is shown. For each excerpt, "
               "judge whether the <mark>marked</mark> wording is used in a "
               "gender-biased way: <strong>biased</strong>, <strong>not "
               "biased</strong> or <strong>unsure</strong>, and add a comment "
               "if you wish. A hit marked <span class=\"negtag\">negated"
               "</span> was preceded by a negation (&ldquo;not bossy&rdquo;)."
               "</p>\n<p class=\"muted\">Confidential: these are quotations "
               "from personnel evaluations.</p>\n", p->n,
            (unsigned long long)p->o->seed);
    if (p->total > p->nrows) {
        char a[32], b[32], c[32];
        fprintf(f, "<p id=\"cap\"><strong>%s of %s excerpts; every excerpt "
                   "is in excerpts.csv.</strong> The packet holds at most "
                   "%s: for each term the first ones in the file, as many "
                   "for each term as that allows, so rare terms are not "
                   "crowded out.</p>\n", thousands(a, p->nrows),
                thousands(b, p->total), thousands(c, p->o->max_excerpts));
    }
    fputs("<div id=\"tools\" class=\"noprint\" hidden><button type=\"button\" "
          "id=\"export\">Download my judgements (CSV)</button> "
          "<span id=\"done\" aria-live=\"polite\"></span></div>\n"
          "</header>\n<main>\n<div id=\"review\">"
          "\n<ol class=\"rv\">\n", f);
    struct xf_row r;
    int rc = 0;
    for (size_t i = 0; i < p->n && rc == 0; i++) {
        char id[32];
        if ((rc = packet_row(p, i, &r, id, err)) < 0)
            break;
        fprintf(f, "<li class=\"rv\" id=\"%s\"><h2>%s <span class=\"muted\">"
                   "&middot; ", id, id);
        /* every lexicon x category that matched this span */
        const char *lv = p->lex.p, *cv = p->cat.p, *tv = p->term.p;
        for (size_t j = 0; j < p->items[p->perm[i]].n; j++) {
            if (j)
                fputs("; ", f);
            html_bdi_str(f, lv);
            fputs(" / ", f);
            html_bdi_str(f, cv);
            fputs(" &middot; term &ldquo;", f);
            html_bdi_str(f, tv);
            fputs("&rdquo;", f);
            lv += strlen(lv) + 1;
            cv += strlen(cv) + 1;
            tv += strlen(tv) + 1;
        }
        fputs(" &middot; ", f);
        html_bdi_str(f, r.f[XF_COLUMN]);
        fputs("</span>", f);
        if (r.negated)
            fputs("<span class=\"negtag\">negated</span>", f);
        fputs("</h2>\n<blockquote dir=\"auto\">", f);
        html_text(f, p->a.p ? p->a.p : "", p->a.len);
        if (p->b.len) {
            fputs(r.negated ? "<mark class=\"neg\">" : "<mark>", f);
            html_text(f, p->b.p, p->b.len);
            fputs("</mark>", f);
            html_text(f, p->c.p ? p->c.p : "", p->c.len);
        }
        fprintf(f, "</blockquote>\n<fieldset><legend id=\"l-%s\">Judgement"
                   "</legend>", id);
        static const char *const choices[] = {"biased", "not biased",
                                              "unsure"};
        for (int c = 0; c < 3; c++)
            fprintf(f, "<label><input type=\"radio\" name=\"j-%s\" "
                       "value=\"%s\"> %s</label>", id, choices[c],
                    choices[c]);
        fprintf(f, "</fieldset>\n<label>Comment<textarea name=\"c-%s\" "
                   "rows=\"2\"></textarea></label></li>\n", id);
    }
    fputs("</ol>\n</div>\n</main>\n<script>", f);
    fputs(script, f);
    fputs("</script>\n</body>\n</html>\n", f);
    return outfile_close(&o, rc == 0, err) < 0 ? -1 : rc;
}

static int cmp_off(const void *a, const void *b)
{
    const struct xi_row *p = a, *q = b;
    return p->off < q->off ? -1 : p->off > q->off;
}

/* Copy into out at most max of the n rows (by entry, each entry's in file
 * order, as excerpt_index_rows gives them): the first ones of each entry,
 * as many for each as max allows. The largest share q with
 * sum(min(count, q)) <= max, then one more for the first entries (in
 * entry order) that have more, while room is left. Returns the number
 * copied. */
static size_t take_fair(const struct xi_row *rows, size_t n, size_t max,
                        struct xi_row *out)
{
    if (n <= max) {
        memcpy(out, rows, n * sizeof *rows);
        return n;
    }
    /* Share by bisection: sum(min(count, q)) grows with q. */
    size_t lo = 0, hi = max;
    while (lo < hi) {
        size_t q = lo + (hi - lo + 1) / 2, sum = 0;
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && rows[j].entry == rows[i].entry)
                j++;
            sum += j - i < q ? j - i : q;
            i = j;
        }
        if (sum <= max)
            lo = q;
        else
            hi = q - 1;
    }
    size_t m = 0, room = max;
    for (size_t i = 0; i < n;) { /* room left after the share */
        size_t j = i;
        while (j < n && rows[j].entry == rows[i].entry)
            j++;
        room -= j - i < lo ? j - i : lo;
        i = j;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && rows[j].entry == rows[i].entry)
            j++;
        size_t take = j - i < lo ? j - i : lo;
        if (j - i > lo && room) {
            take++;
            room--;
        }
        memcpy(out + m, rows + i, take * sizeof *rows);
        m += take;
        i = j;
    }
    return m;
}

int review_write(const struct review_options *o, const tally *t,
                 const struct run_info *ri, const char *out_dir,
                 const char *excerpts_path, struct excerpt_index *xi,
                 struct diag *err)
{
    struct packet p;
    memset(&p, 0, sizeof p);
    p.o = o;
    if (excerpt_index_ok(xi) < 0) {
        diag_set(err, DIAG_ERROR, excerpts_path, 0, 0,
                 "cannot tell where its rows are (ftello failed)");
        return -1;
    }
    p.xf = excerpt_file_open(excerpts_path, err);
    if (!p.xf)
        return -1;
    p.m = review_masker_new();
    /* Every cohort column holds every resident: column 0's cells name them
     * all. */
    if (ri->resident_col && tally_ncohort_cols(t))
        for (size_t k = 0; k < tally_ncohorts(t, 0); k++)
            for (size_t j = 0; j < tally_ncells(t, 0, k); j++)
                review_masker_add(p.m, tally_cell_resident(t, 0, k, j),
                                  REVIEW_RESIDENT);
    for (size_t i = 0; i < o->evaluators.n; i++)
        review_masker_add(p.m, o->evaluators.v[i], REVIEW_EVALUATOR);
    for (size_t i = 0; i < o->names.n; i++)
        review_masker_add(p.m, o->names.v[i], REVIEW_NAME);
    const struct xi_row *by_entry;
    size_t kept = excerpt_index_rows(xi, &by_entry);
    p.total = excerpt_index_total(xi);
    /* At most max_excerpts, in file order, then the shuffle: the same
     * excerpts and seed give the same packet. */
    struct xi_row *rows = xmalloc((kept ? kept : 1) * sizeof *rows);
    p.nrows = take_fair(by_entry, kept, o->max_excerpts, rows);
    qsort(rows, p.nrows, sizeof *rows, cmp_off);
    p.rows = rows;
    buf_init(&p.a);
    buf_init(&p.b);
    buf_init(&p.c);
    buf_init(&p.lex);
    buf_init(&p.cat);
    buf_init(&p.term);
    buf_init(&p.path);
    int rc = make_items(&p, err);
    p.perm = xmalloc((p.n ? p.n : 1) * sizeof *p.perm);
    review_shuffle(p.perm, p.n, o->seed);
    if (rc == 0)
        rc = write_csv(&p, out_dir, err);
    if (rc == 0)
        rc = write_html(&p, out_dir, err);
    buf_fini(&p.a);
    buf_fini(&p.b);
    buf_fini(&p.c);
    buf_fini(&p.lex);
    buf_fini(&p.cat);
    buf_fini(&p.term);
    buf_fini(&p.path);
    free(p.items);
    free(p.perm);
    free(rows);
    review_masker_free(p.m);
    excerpt_file_free(p.xf);
    return rc;
}
