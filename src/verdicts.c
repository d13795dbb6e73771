/* verdicts.c - the committee's verdicts joined to the review key, and what
 * they tell (see verdicts.h). */
#include "verdicts.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "confirmed.h"
#include "hashmap.h"
#include "html.h"
#include "outfile.h"
#include "reader.h"
#include "report.h" /* report_cell */
#include "util.h"

struct item {
    char *id;
    char *excerpt;       /* masked, as the reviewer saw it */
    int blinded;         /* 0: cannot be blinded */
    size_t *terms, nterms, cap;
};

struct term {
    char *lex, *cat, *term;
    size_t items, b, nb, u;
    size_t *nbitems, nnb, capnb; /* items judged not biased */
};

/* A key row, kept once per item (an overlap item is listed per packet):
 * what confirmed rates need (confirmed.h). */
struct khit {
    size_t item;
    char *ev, *res, *lex, *cat, *term;
    int counted;
    size_t coh;          /* first of its cohort labels in v->coh */
};

struct judg {
    int v;               /* enum verdict */
    size_t file;         /* index of the file it came from */
    unsigned long row;
    char *comment;
};

struct verdicts {
    struct strmap packet_by_id;  /* packet id -> index */
    struct strvec packet_ids, reviewers;
    struct strmap item_by_id;
    struct item *items;
    size_t nitems, capitems;
    struct strmap term_by_key;
    struct term *terms;
    size_t nterms, capterms;
    struct u64map member;        /* packet << 32 | item -> 1 */
    struct u64map judged;        /* packet << 32 | item -> index in j */
    struct judg *j;
    size_t nj, capj;
    struct strvec files;
    struct buf key;
    struct khit *kh;
    size_t nkh, capkh;
    int key_full;                /* the key has the columns confirmed
                                    rates need (evaluation_id ... quoted) */
    struct strvec coh_names;     /* the key's cohort:NAME columns */
    struct strvec coh;           /* per khit, coh_names.n labels */
    char note[512];              /* why confirmed/ was not written */
    int confirmed;               /* confirmed/ written */
};

verdicts *verdicts_new(void)
{
    verdicts *v = xcalloc(1, sizeof *v);
    strmap_init(&v->packet_by_id);
    strmap_init(&v->item_by_id);
    strmap_init(&v->term_by_key);
    u64map_init(&v->member);
    u64map_init(&v->judged);
    buf_init(&v->key);
    return v;
}

void verdicts_free(verdicts *v)
{
    if (!v)
        return;
    strmap_fini(&v->packet_by_id);
    strmap_fini(&v->item_by_id);
    strmap_fini(&v->term_by_key);
    u64map_fini(&v->member);
    u64map_fini(&v->judged);
    strvec_fini(&v->packet_ids);
    strvec_fini(&v->reviewers);
    strvec_fini(&v->files);
    for (size_t i = 0; i < v->nitems; i++) {
        free(v->items[i].id);
        free(v->items[i].excerpt);
        free(v->items[i].terms);
    }
    free(v->items);
    for (size_t i = 0; i < v->nterms; i++) {
        free(v->terms[i].lex);
        free(v->terms[i].cat);
        free(v->terms[i].term);
        free(v->terms[i].nbitems);
    }
    free(v->terms);
    for (size_t i = 0; i < v->nj; i++)
        free(v->j[i].comment);
    free(v->j);
    buf_fini(&v->key);
    for (size_t i = 0; i < v->nkh; i++) {
        free(v->kh[i].ev);
        free(v->kh[i].res);
        free(v->kh[i].lex);
        free(v->kh[i].cat);
        free(v->kh[i].term);
    }
    free(v->kh);
    strvec_fini(&v->coh_names);
    strvec_fini(&v->coh);
    free(v);
}

size_t verdicts_items(const verdicts *v) { return v->nitems; }
size_t verdicts_reviewers(const verdicts *v) { return v->packet_ids.n; }

/* ============================================================ reading */

static long col(const reader *r, const char *name)
{
    for (size_t i = 0; i < reader_ncolumns(r); i++)
        if (strcmp(reader_column(r, i), name) == 0)
            return (long)i;
    return -1;
}

/* Field c of rec, the formula guard undone, into b. */
static const char *field(struct buf *b, const struct record *rec, long c)
{
    buf_clear(b);
    if (c >= 0 && (size_t)c < rec->nfields) {
        buf_append(b, rec->fields[c].p, rec->fields[c].len);
        buf_cstr(b);
        b->len = report_cell_unguard_all(b->p, b->len);
    }
    return buf_cstr(b);
}

static reader *open_csv(const char *path, struct diag *err)
{
    struct reader_options ro = {.encoding = READER_ENC_AUTO,
                                .on_bad_row = READER_BAD_ROW_ERROR,
                                .delimiter = ',', .header_row = 1};
    return reader_open(path, &ro, err);
}

static size_t add_term(verdicts *v, const char *lex, const char *cat,
                       const char *term)
{
    buf_clear(&v->key);
    buf_printf(&v->key, "%s%c%s%c%s", lex, 0x1f, cat, 0x1f, term);
    int added;
    size_t *slot = strmap_put(&v->term_by_key, v->key.p, v->key.len,
                              v->nterms, &added);
    if (added) {
        grow(&v->terms, &v->capterms, v->nterms + 1, sizeof *v->terms);
        struct term *t = &v->terms[v->nterms++];
        memset(t, 0, sizeof *t);
        t->lex = xstrdup(lex);
        t->cat = xstrdup(cat);
        t->term = xstrdup(term);
    }
    return *slot;
}

int verdicts_load_key(verdicts *v, const char *path, struct diag *err)
{
    reader *r = open_csv(path, err);
    if (!r)
        return -1;
    static const char *const need[] = {"packet_id", "reviewer", "item_id",
                                       "lexicon", "category", "term",
                                       "blinding", "excerpt"};
    long c[8];
    for (int i = 0; i < 8; i++)
        if ((c[i] = col(r, need[i])) < 0) {
            diag_set(err, DIAG_ERROR, path, 1, 0,
                     "not a review key: no column \"%s\" (a key is the file "
                     "given to audit --review-key)", need[i]);
            reader_free(r);
            return -1;
        }
    /* What confirmed rates need; a key without them still imports. */
    static const char *const more[] = {"evaluation_id", "resident",
                                       "negated", "referent", "quoted"};
    long m[5];
    v->key_full = 1;
    for (int i = 0; i < 5; i++)
        v->key_full &= (m[i] = col(r, more[i])) >= 0;
    long *cc = xmalloc((reader_ncolumns(r) + 1) * sizeof *cc);
    size_t ncc = 0;
    for (size_t i = 0; i < reader_ncolumns(r); i++)
        if (strncmp(reader_column(r, i), "cohort:", 7) == 0) {
            strvec_push(&v->coh_names, reader_column(r, i) + 7);
            cc[ncc++] = (long)i;
        }
    struct buf f[8], g;
    for (int i = 0; i < 8; i++)
        buf_init(&f[i]);
    buf_init(&g);
    const struct record *rec;
    int st;
    while ((st = reader_next(r, &rec, err, NULL)) == READER_OK) {
        for (int i = 0; i < 8; i++)
            field(&f[i], rec, c[i]);
        int added;
        size_t p = *strmap_put(&v->packet_by_id, f[0].p, f[0].len,
                               v->packet_ids.n, &added);
        if (added) {
            strvec_push(&v->packet_ids, f[0].p);
            strvec_push(&v->reviewers, f[1].p);
        }
        size_t it = *strmap_put(&v->item_by_id, f[2].p, f[2].len, v->nitems,
                                &added);
        if (added) {
            grow(&v->items, &v->capitems, v->nitems + 1, sizeof *v->items);
            struct item *x = &v->items[v->nitems++];
            memset(x, 0, sizeof *x);
            x->id = xstrdup(f[2].p);
            x->excerpt = xstrdup(f[7].p);
            x->blinded = strcmp(f[6].p, "blinded") == 0;
        }
        uint64_t mk = (uint64_t)p << 32 | it;
        size_t *seen = u64map_get(&v->member, mk);
        /* An overlap item is listed once per packet: its terms once. */
        if (!seen || *seen == p) {
            u64map_put(&v->member, mk, p, &added);
            int first = 1;
            for (size_t q = 0; q < v->packet_ids.n && first; q++)
                if (q != p && u64map_get(&v->member, (uint64_t)q << 32 | it))
                    first = 0;
            if (first && v->key_full) {
                grow(&v->kh, &v->capkh, v->nkh + 1, sizeof *v->kh);
                struct khit *h = &v->kh[v->nkh++];
                h->item = it;
                h->ev = xstrdup(field(&g, rec, m[0]));
                h->res = xstrdup(field(&g, rec, m[1]));
                h->lex = xstrdup(f[3].p);
                h->cat = xstrdup(f[4].p);
                h->term = xstrdup(f[5].p);
                int neg = strcmp(field(&g, rec, m[2]), "true") == 0;
                int aside = *field(&g, rec, m[3]) != '\0';
                aside |= strcmp(field(&g, rec, m[4]), "true") == 0;
                h->counted = !neg && !aside;
                h->coh = v->coh.n;
                for (size_t q = 0; q < ncc; q++)
                    strvec_push(&v->coh, field(&g, rec, cc[q]));
            }
            if (first) {
                size_t t = add_term(v, f[3].p, f[4].p, f[5].p);
                struct item *x = &v->items[it];
                int dup = 0;
                for (size_t k = 0; k < x->nterms; k++)
                    dup |= x->terms[k] == t;
                if (!dup) {
                    grow(&x->terms, &x->cap, x->nterms + 1, sizeof *x->terms);
                    x->terms[x->nterms++] = t;
                }
            }
        }
    }
    for (int i = 0; i < 8; i++)
        buf_fini(&f[i]);
    buf_fini(&g);
    free(cc);
    reader_free(r);
    if (st == READER_ERROR)
        return -1;
    if (v->nitems == 0) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "the review key lists no item");
        return -1;
    }
    return 0;
}

static int parse_verdict(const char *s)
{
    if (!*s)
        return V_NONE;
    /* a spreadsheet user may type "Not biased" */
    if (strcasecmp(s, "biased") == 0)
        return V_BIASED;
    if (strcasecmp(s, "not_biased") == 0 || strcasecmp(s, "not biased") == 0)
        return V_NOT_BIASED;
    if (strcasecmp(s, "unsure") == 0)
        return V_UNSURE;
    return -2;
}

static const char *const vname[] = {"biased", "not_biased", "unsure"};

int verdicts_add_file(verdicts *v, const char *path, struct diags *warn,
                      struct diag *err)
{
    reader *r = open_csv(path, err);
    if (!r)
        return -1;
    long cp = col(r, "packet_id"), ci = col(r, "item_id"),
         cv = col(r, "verdict"), cc = col(r, "comment"),
         cr = col(r, "reviewer");
    if (cp < 0 || ci < 0 || cv < 0) {
        diag_set(err, DIAG_ERROR, path, 1, 0,
                 "not a verdict file: the header must have packet_id, "
                 "item_id and verdict (packet_id,reviewer,item_id,verdict,"
                 "comment)");
        reader_free(r);
        return -1;
    }
    size_t file = v->files.n;
    strvec_push(&v->files, path);
    struct buf fp, fi, fv, fc, fr;
    buf_init(&fp);
    buf_init(&fi);
    buf_init(&fv);
    buf_init(&fc);
    buf_init(&fr);
    const struct record *rec;
    int st;
    while ((st = reader_next(r, &rec, err, NULL)) == READER_OK) {
        field(&fp, rec, cp);
        field(&fi, rec, ci);
        field(&fv, rec, cv);
        field(&fc, rec, cc);
        field(&fr, rec, cr);
        size_t *p = strmap_get(&v->packet_by_id, fp.p, fp.len);
        if (!p) {
            diag_set(err, DIAG_ERROR, path, rec->row, (unsigned long)cp + 1,
                     "packet id \"%s\" is not in the review key: a verdict "
                     "file of another audit's packet?", fp.p);
            st = READER_ERROR;
            break;
        }
        if (cr >= 0 && fr.len && strcmp(fr.p, v->reviewers.v[*p]) != 0)
            diags_add(warn, DIAG_WARNING, path, rec->row,
                      (unsigned long)cr + 1, "reviewer \"%s\" but packet %s "
                      "is reviewer %s's; the packet counts", fr.p, fp.p,
                      v->reviewers.v[*p]);
        size_t *it = strmap_get(&v->item_by_id, fi.p, fi.len);
        if (!it || !u64map_get(&v->member, (uint64_t)*p << 32 | *it)) {
            diag_set(err, DIAG_ERROR, path, rec->row, (unsigned long)ci + 1,
                     "item \"%s\" is not in packet %s", fi.p, fp.p);
            st = READER_ERROR;
            break;
        }
        int vv = parse_verdict(fv.p);
        if (vv == -2) {
            diag_set(err, DIAG_ERROR, path, rec->row, (unsigned long)cv + 1,
                     "verdict \"%s\": not biased, not_biased, unsure or "
                     "empty", fv.p);
            st = READER_ERROR;
            break;
        }
        if (vv == V_NONE && fc.len == 0)
            continue;
        uint64_t k = (uint64_t)*p << 32 | *it;
        size_t *ji = u64map_get(&v->judged, k);
        if (ji) {
            struct judg *o = &v->j[*ji];
            if (vv == V_NONE) { /* a comment alone adds to the verdict */
                free(o->comment);
                o->comment = xstrdup(fc.p);
                continue;
            }
            if (o->v != V_NONE)
                diags_add(warn, DIAG_WARNING, path, rec->row, 0,
                          "%s judgement of item %s by %s (also %s:%lu: %s); "
                          "this later one counts",
                          o->v == vv ? "duplicate" : "conflicting", fi.p,
                          v->reviewers.v[*p], v->files.v[o->file], o->row,
                          vname[o->v]);
            o->v = vv;
            o->file = file;
            o->row = rec->row;
            free(o->comment);
            o->comment = fc.len ? xstrdup(fc.p) : NULL;
            continue;
        }
        int added;
        u64map_put(&v->judged, k, v->nj, &added);
        grow(&v->j, &v->capj, v->nj + 1, sizeof *v->j);
        v->j[v->nj++] = (struct judg){vv, file, rec->row,
                                      fc.len ? xstrdup(fc.p) : NULL};
    }
    buf_fini(&fp);
    buf_fini(&fi);
    buf_fini(&fv);
    buf_fini(&fc);
    buf_fini(&fr);
    reader_free(r);
    return st == READER_ERROR ? -1 : 0;
}

/* ========================================================= statistics */

double verdicts_cohen_kappa(const int *a, const int *b, size_t n, int k,
                            double *po, double *pe)
{
    double ra[8] = {0}, rb[8] = {0}, agree = 0;
    for (size_t i = 0; i < n; i++) {
        ra[a[i]]++;
        rb[b[i]]++;
        agree += a[i] == b[i];
    }
    double o = n ? agree / (double)n : NAN, e = 0;
    for (int j = 0; j < k; j++)
        e += (ra[j] / (double)n) * (rb[j] / (double)n);
    if (po)
        *po = o;
    if (pe)
        *pe = e;
    return e >= 1 ? NAN : (o - e) / (1 - e);
}

double verdicts_fleiss_kappa(const int *counts, size_t n, int k, double *po,
                             double *pe)
{
    double m = 0, pj[8] = {0}, pbar = 0;
    for (int j = 0; j < k; j++)
        m += n ? counts[j] : 0;
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < k; j++) {
            double c = counts[i * (size_t)k + (size_t)j];
            pj[j] += c;
            s += c * c;
        }
        pbar += (s - m) / (m * (m - 1));
    }
    pbar /= (double)n;
    double e = 0;
    for (int j = 0; j < k; j++) {
        pj[j] /= (double)n * m;
        e += pj[j] * pj[j];
    }
    if (po)
        *po = pbar;
    if (pe)
        *pe = e;
    return e >= 1 ? NAN : (pbar - e) / (1 - e);
}

void verdicts_wilson(double x, double n, double z, double *lo, double *hi)
{
    if (n <= 0) {
        *lo = *hi = NAN;
        return;
    }
    double z2 = z * z, c = (x + z2 / 2) / (n + z2);
    double h = z / (n + z2) * sqrt(x * (n - x) / n + z2 / 4);
    *lo = c - h < 0 ? 0 : c - h;
    *hi = c + h > 1 ? 1 : c + h;
}

#define Z95 1.959963984540054

/* The item's verdict: the most common non-empty judgement, a tie to the
 * earliest file's. cnt[3] gets the counts. */
static int item_verdict(const verdicts *v, size_t it, int cnt[3])
{
    size_t first[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
    cnt[0] = cnt[1] = cnt[2] = 0;
    for (size_t p = 0; p < v->packet_ids.n; p++) {
        size_t *ji = u64map_get(&v->judged, (uint64_t)p << 32 | it);
        if (!ji || v->j[*ji].v == V_NONE)
            continue;
        const struct judg *j = &v->j[*ji];
        cnt[j->v]++;
        if (j->file < first[j->v])
            first[j->v] = j->file;
    }
    int best = V_NONE;
    for (int c = 0; c < 3; c++)
        if (cnt[c] && (best == V_NONE || cnt[c] > cnt[best] ||
                       (cnt[c] == cnt[best] && first[c] < first[best])))
            best = c;
    return best;
}

size_t verdicts_judged(const verdicts *v)
{
    size_t n = 0;
    int cnt[3];
    for (size_t i = 0; i < v->nitems; i++)
        n += item_verdict(v, i, cnt) != V_NONE;
    return n;
}

static int judgement(const verdicts *v, size_t p, size_t it)
{
    size_t *ji = u64map_get(&v->judged, (uint64_t)p << 32 | it);
    return ji ? v->j[*ji].v : V_NONE;
}

/* ============================================================ writing */

static int open_out(struct outfile *o, const char *dir, const char *name,
                    struct diag *err)
{
    struct buf p;
    buf_init(&p);
    buf_printf(&p, "%s/%s", dir, name);
    int rc = outfile_open(o, buf_cstr(&p), err);
    buf_fini(&p);
    return rc;
}

/* x with digits significant digits; nothing for NaN (not defined). */
static void num(FILE *f, int digits, double x)
{
    if (!isnan(x))
        fprintf(f, "%.*g", digits, x);
}

static int write_precision(verdicts *v, const char *dir, struct diag *err)
{
    struct outfile o;
    if (open_out(&o, dir, "term-precision.csv", err) < 0)
        return -1;
    fputs("lexicon,category,term,items,judged,biased,not_biased,unsure,"
          "precision,precision_low,precision_high\r\n", o.f);
    for (size_t t = 0; t < v->nterms; t++) {
        const struct term *x = &v->terms[t];
        report_cell_str(o.f, x->lex);
        fputc(',', o.f);
        report_cell_str(o.f, x->cat);
        fputc(',', o.f);
        report_cell_str(o.f, x->term);
        double n = (double)(x->b + x->nb), lo, hi;
        fprintf(o.f, ",%zu,%zu,%zu,%zu,%zu,", x->items, x->b + x->nb + x->u,
                x->b, x->nb, x->u);
        verdicts_wilson((double)x->b, n, Z95, &lo, &hi);
        num(o.f, 10, n > 0 ? (double)x->b / n : NAN);
        fputc(',', o.f);
        num(o.f, 10, lo);
        fputc(',', o.f);
        num(o.f, 10, hi);
        fputs("\r\n", o.f);
    }
    return outfile_close(&o, 1, err);
}

static int write_agreement(verdicts *v, const char *dir, struct diag *err)
{
    struct outfile o;
    if (open_out(&o, dir, "agreement.csv", err) < 0)
        return -1;
    fputs("statistic,reviewers,items,observed_agreement,chance_agreement,"
          "kappa\r\n", o.f);
    size_t np = v->packet_ids.n, ni = v->nitems;
    int *a = xmalloc((ni ? ni : 1) * sizeof *a);
    int *b = xmalloc((ni ? ni : 1) * sizeof *b);
    for (size_t p = 0; p < np; p++)
        for (size_t q = p + 1; q < np; q++) {
            size_t n = 0;
            for (size_t i = 0; i < ni; i++) {
                int x = judgement(v, p, i), y = judgement(v, q, i);
                if (x != V_NONE && y != V_NONE) {
                    a[n] = x;
                    b[n++] = y;
                }
            }
            double po, pe, k = n ? verdicts_cohen_kappa(a, b, n, 3, &po, &pe)
                                 : NAN;
            fputs("cohen_kappa,", o.f);
            report_cell_str(o.f, v->reviewers.v[p]);
            fputc(' ', o.f);
            report_cell_str(o.f, v->reviewers.v[q]);
            fprintf(o.f, ",%zu,", n);
            num(o.f, 12, n ? po : NAN);
            fputc(',', o.f);
            num(o.f, 12, n ? pe : NAN);
            fputc(',', o.f);
            num(o.f, 12, k);
            fputs("\r\n", o.f);
        }
    if (np > 1) {
        int *cnt = xmalloc((ni ? ni : 1) * 3 * sizeof *cnt);
        size_t n = 0;
        for (size_t i = 0; i < ni; i++) {
            int c[3] = {0, 0, 0}, all = 1;
            for (size_t p = 0; p < np && all; p++) {
                int x = judgement(v, p, i);
                if (x == V_NONE)
                    all = 0;
                else
                    c[x]++;
            }
            if (all) {
                memcpy(cnt + 3 * n, c, sizeof c);
                n++;
            }
        }
        double po = NAN, pe = NAN,
               k = n ? verdicts_fleiss_kappa(cnt, n, 3, &po, &pe) : NAN;
        fputs("fleiss_kappa,", o.f);
        for (size_t p = 0; p < np; p++) {
            if (p)
                fputc(' ', o.f);
            report_cell_str(o.f, v->reviewers.v[p]);
        }
        fprintf(o.f, ",%zu,", n);
        num(o.f, 12, po);
        fputc(',', o.f);
        num(o.f, 12, pe);
        fputc(',', o.f);
        num(o.f, 12, k);
        fputs("\r\n", o.f);
        free(cnt);
    }
    free(a);
    free(b);
    return outfile_close(&o, 1, err);
}

static int write_items(verdicts *v, const char *dir, struct diag *err)
{
    struct outfile o;
    if (open_out(&o, dir, "items.csv", err) < 0)
        return -1;
    fputs("item_id,lexicon,category,term,blinding,verdict,biased,not_biased,"
          "unsure,comments\r\n", o.f);
    struct buf s, c;
    buf_init(&s);
    buf_init(&c);
    for (size_t i = 0; i < v->nitems; i++) {
        const struct item *x = &v->items[i];
        int cnt[3], vv = item_verdict(v, i, cnt);
        report_cell_str(o.f, x->id);
        for (int f = 0; f < 3; f++) {
            buf_clear(&s);
            for (size_t k = 0; k < x->nterms; k++) {
                const struct term *t = &v->terms[x->terms[k]];
                if (k)
                    buf_puts(&s, "; ");
                buf_puts(&s, f == 0 ? t->lex : f == 1 ? t->cat : t->term);
            }
            fputc(',', o.f);
            report_cell(o.f, s.p ? s.p : "", s.len);
        }
        fprintf(o.f, ",%s,%s,%d,%d,%d,",
                x->blinded ? "blinded" : "cannot be blinded",
                vv == V_NONE ? "" : vname[vv], cnt[0], cnt[1], cnt[2]);
        buf_clear(&c);
        for (size_t p = 0; p < v->packet_ids.n; p++) {
            size_t *ji = u64map_get(&v->judged, (uint64_t)p << 32 | i);
            if (!ji || !v->j[*ji].comment)
                continue;
            if (c.len)
                buf_puts(&c, " | ");
            buf_printf(&c, "%s: %s", v->reviewers.v[p], v->j[*ji].comment);
        }
        report_cell(o.f, c.p ? c.p : "", c.len);
        fputs("\r\n", o.f);
    }
    buf_fini(&s);
    buf_fini(&c);
    return outfile_close(&o, 1, err);
}

static int write_candidates(verdicts *v, const char *dir, struct diag *err)
{
    struct outfile o;
    if (open_out(&o, dir, "lexicon-candidates.csv", err) < 0)
        return -1;
    fputs("lexicon,category,term,not_biased,item_id,excerpt\r\n", o.f);
    for (size_t t = 0; t < v->nterms; t++) {
        const struct term *x = &v->terms[t];
        for (size_t k = 0; k < x->nnb; k++) {
            const struct item *it = &v->items[x->nbitems[k]];
            report_cell_str(o.f, x->lex);
            fputc(',', o.f);
            report_cell_str(o.f, x->cat);
            fputc(',', o.f);
            report_cell_str(o.f, x->term);
            fprintf(o.f, ",%zu,", x->nnb);
            report_cell_str(o.f, it->id);
            fputc(',', o.f);
            report_cell_str(o.f, it->excerpt);
            fputs("\r\n", o.f);
        }
    }
    return outfile_close(&o, 1, err);
}

/* audit_dir/rates.csv with each term's hits and rate times its precision. */
static int write_weighted(verdicts *v, const char *dir, const char *audit_dir,
                          struct diag *err)
{
    struct buf p;
    buf_init(&p);
    buf_printf(&p, "%s/rates.csv", audit_dir);
    reader *r = open_csv(buf_cstr(&p), err);
    if (!r) {
        buf_fini(&p);
        return -1;
    }
    static const char *const need[] = {"cohort_column", "cohort", "lexicon",
                                       "category", "term", "words", "hits"};
    long c[7];
    for (int i = 0; i < 7; i++)
        if ((c[i] = col(r, need[i])) < 0) {
            diag_set(err, DIAG_ERROR, buf_cstr(&p), 1, 0,
                     "not an audit's rates.csv: no column \"%s\"", need[i]);
            reader_free(r);
            buf_fini(&p);
            return -1;
        }
    struct row {
        char *f[5];
        double words, hits, w, lo, hi;
        int judged, cat; /* cat: a category row ("*") */
    } *rows = NULL;
    size_t n = 0, cap = 0;
    const struct record *rec;
    int st;
    struct buf b;
    buf_init(&b);
    while ((st = reader_next(r, &rec, err, NULL)) == READER_OK) {
        grow(&rows, &cap, n + 1, sizeof *rows);
        struct row *x = &rows[n++];
        memset(x, 0, sizeof *x);
        for (int i = 0; i < 5; i++)
            x->f[i] = xstrdup(field(&b, rec, c[i]));
        x->words = strtod(field(&b, rec, c[5]), NULL);
        x->hits = strtod(field(&b, rec, c[6]), NULL);
        x->cat = strcmp(x->f[4], "*") == 0;
        if (!x->cat) {
            buf_clear(&v->key);
            buf_printf(&v->key, "%s%c%s%c%s", x->f[2], 0x1f, x->f[3], 0x1f,
                       x->f[4]);
            size_t *t = strmap_get(&v->term_by_key, v->key.p, v->key.len);
            if (t && v->terms[*t].b + v->terms[*t].nb) {
                const struct term *tt = &v->terms[*t];
                double nn = (double)(tt->b + tt->nb), lo, hi;
                verdicts_wilson((double)tt->b, nn, Z95, &lo, &hi);
                x->judged = 1;
                x->w = x->hits * (double)tt->b / nn;
                x->lo = x->hits * lo;
                x->hi = x->hits * hi;
            }
        }
    }
    reader_free(r);
    buf_fini(&b);
    int rc = st == READER_ERROR ? -1 : 0;
    /* A category row: the sum over its judged terms (bounds summed too). */
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].cat)
            continue;
        for (size_t k = 0; k < n; k++)
            if (!rows[k].cat && rows[k].judged &&
                strcmp(rows[k].f[0], rows[i].f[0]) == 0 &&
                strcmp(rows[k].f[1], rows[i].f[1]) == 0 &&
                strcmp(rows[k].f[2], rows[i].f[2]) == 0 &&
                strcmp(rows[k].f[3], rows[i].f[3]) == 0) {
                rows[i].judged = 1;
                rows[i].w += rows[k].w;
                rows[i].lo += rows[k].lo;
                rows[i].hi += rows[k].hi;
            }
    }
    struct outfile o;
    if (rc == 0 && (rc = open_out(&o, dir, "weighted-rates.csv", err)) == 0) {
        fputs("cohort_column,cohort,lexicon,category,term,words,hits,"
              "basis,weighted_hits,weighted_hits_low,weighted_hits_high,"
              "weighted_rate_per_1000_words,weighted_rate_low,"
              "weighted_rate_high\r\n", o.f);
        for (size_t i = 0; i < n; i++) {
            const struct row *x = &rows[i];
            for (int k = 0; k < 5; k++) {
                report_cell_str(o.f, x->f[k]);
                fputc(',', o.f);
            }
            fprintf(o.f, "%.0f,%.0f,%s", x->words, x->hits,
                    !x->judged ? "not judged"
                    : x->cat   ? "precision-weighted (sum of judged terms)"
                               : "precision-weighted");
            double k1000 = x->words > 0 ? 1000 / x->words : NAN;
            double vals[6] = {x->w, x->lo, x->hi, x->w * k1000,
                              x->lo * k1000, x->hi * k1000};
            for (int k = 0; k < 6; k++) {
                fputc(',', o.f);
                if (x->judged)
                    num(o.f, 10, vals[k]);
            }
            fputs("\r\n", o.f);
        }
        rc = outfile_close(&o, 1, err);
    }
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 5; k++)
            free(rows[i].f[k]);
    free(rows);
    buf_fini(&p);
    return rc;
}

/* out_dir/confirmed/ when every item has a verdict and the key lists
 * every counted hit of the audit (confirmed.h); else v->note says why. */
static int write_confirmed(verdicts *v, const char *out_dir,
                           const char *audit_dir, struct diags *warn,
                           struct diag *err)
{
    v->confirmed = 0;
    size_t judged = verdicts_judged(v);
    if (judged < v->nitems) {
        snprintf(v->note, sizeof v->note, "%zu of %zu excerpts have no "
                 "verdict", v->nitems - judged, v->nitems);
        return 0;
    }
    if (!v->key_full) {
        snprintf(v->note, sizeof v->note, "the review key has no "
                 "evaluation_id, resident, negated, referent and quoted "
                 "columns (a key of an older evalbias)");
        return 0;
    }
    struct confirmed_hit *h = xcalloc(v->nkh ? v->nkh : 1, sizeof *h);
    const char **coh = xcalloc(v->coh.n ? v->coh.n : 1, sizeof *coh);
    for (size_t i = 0; i < v->coh.n; i++)
        coh[i] = v->coh.v[i];
    int cnt[3];
    for (size_t i = 0; i < v->nkh; i++) {
        const struct khit *k = &v->kh[i];
        h[i] = (struct confirmed_hit){
            k->ev, k->res, k->lex, k->cat, k->term, coh + k->coh, k->counted,
            item_verdict(v, k->item, cnt) == V_BIASED};
    }
    int rc = confirmed_write(audit_dir, out_dir, h, v->nkh, &v->coh_names,
                             v->note, sizeof v->note, warn, err);
    free(h);
    free(coh);
    if (rc == 0)
        v->confirmed = 1;
    return rc < 0 ? -1 : 0;
}

const char *verdicts_confirmed_note(const verdicts *v)
{
    return v->confirmed ? NULL : v->note;
}

int verdicts_write(verdicts *v, const char *out_dir, const char *audit_dir,
                   struct diags *warn, struct diag *err)
{
    for (size_t t = 0; t < v->nterms; t++) {
        struct term *x = &v->terms[t];
        x->items = x->b = x->nb = x->u = x->nnb = 0;
    }
    for (size_t i = 0; i < v->nitems; i++) {
        int cnt[3], vv = item_verdict(v, i, cnt);
        const struct item *it = &v->items[i];
        for (size_t k = 0; k < it->nterms; k++) {
            struct term *x = &v->terms[it->terms[k]];
            x->items++;
            if (vv == V_BIASED)
                x->b++;
            else if (vv == V_NOT_BIASED) {
                x->nb++;
                grow(&x->nbitems, &x->capnb, x->nnb + 1, sizeof *x->nbitems);
                x->nbitems[x->nnb++] = i;
            } else if (vv == V_UNSURE)
                x->u++;
        }
    }
    int rc = write_precision(v, out_dir, err);
    if (rc == 0)
        rc = write_agreement(v, out_dir, err);
    if (rc == 0)
        rc = write_items(v, out_dir, err);
    if (rc == 0)
        rc = write_candidates(v, out_dir, err);
    if (rc == 0 && audit_dir)
        rc = write_weighted(v, out_dir, audit_dir, err);
    if (rc == 0 && audit_dir)
        rc = write_confirmed(v, out_dir, audit_dir, warn, err);
    return rc;
}

/* ===================================================== report section */

int verdicts_report_section(FILE *f, const char *dir, struct diag *err)
{
    struct buf p, b;
    buf_init(&p);
    buf_init(&b);
    buf_printf(&p, "%s/term-precision.csv", dir);
    reader *r = open_csv(buf_cstr(&p), err);
    if (!r) {
        buf_fini(&p);
        buf_fini(&b);
        return -1;
    }
    static const char *const cols[] = {"lexicon", "category", "term",
                                       "judged", "biased", "not_biased",
                                       "unsure", "precision",
                                       "precision_low", "precision_high"};
    long c[10];
    for (int i = 0; i < 10; i++)
        if ((c[i] = col(r, cols[i])) < 0) {
            diag_set(err, DIAG_ERROR, buf_cstr(&p), 1, 0,
                     "not an import's term-precision.csv: no column \"%s\"",
                     cols[i]);
            reader_free(r);
            buf_fini(&p);
            buf_fini(&b);
            return -1;
        }
    fputs("<section id=\"committee\" aria-labelledby=\"committee-h\">\n"
          "<h2 id=\"committee-h\">Committee review</h2>\n<p>The committee "
          "judged the flagged excerpts blind (names, gendered words and "
          "cohorts masked, order shuffled). Precision is the share of "
          "judged excerpts found biased, &ldquo;unsure&rdquo; left out, "
          "with a 95% Wilson interval: a term with low precision flags "
          "mostly wording the committee did not find biased.</p>\n"
          "<div class=\"wrap\"><table>\n<thead><tr><th scope=\"col\">"
          "Lexicon</th><th scope=\"col\">Category</th><th scope=\"col\">"
          "Term</th><th scope=\"col\">Judged</th><th scope=\"col\">Biased"
          "</th><th scope=\"col\">Not biased</th><th scope=\"col\">Unsure"
          "</th><th scope=\"col\">Precision (95% CI)</th></tr></thead>\n"
          "<tbody>\n", f);
    const struct record *rec;
    int st;
    while ((st = reader_next(r, &rec, err, NULL)) == READER_OK) {
        fputs("<tr>", f);
        for (int i = 0; i < 7; i++) {
            fputs(i < 3 ? "<td><bdi>" : "<td class=\"n\">", f);
            html_str(f, field(&b, rec, c[i]));
            fputs(i < 3 ? "</bdi></td>" : "</td>", f);
        }
        const char *pr = field(&b, rec, c[7]);
        fputs("<td class=\"n\">", f);
        if (*pr) {
            double x = strtod(pr, NULL);
            double lo = strtod(field(&b, rec, c[8]), NULL);
            double hi = strtod(field(&b, rec, c[9]), NULL);
            fprintf(f, "%.0f%% (%.0f&ndash;%.0f%%)", 100 * x, 100 * lo,
                    100 * hi);
        } else
            fputs("&mdash;", f);
        fputs("</td></tr>\n", f);
    }
    reader_free(r);
    fputs("</tbody></table></div>\n", f);
    if (st == READER_ERROR) {
        buf_fini(&p);
        buf_fini(&b);
        return -1;
    }
    buf_clear(&p);
    buf_printf(&p, "%s/agreement.csv", dir);
    r = open_csv(buf_cstr(&p), err);
    if (!r) {
        buf_fini(&p);
        buf_fini(&b);
        return -1;
    }
    long a[4] = {col(r, "statistic"), col(r, "reviewers"), col(r, "items"),
                 col(r, "kappa")};
    fputs("<p>Agreement between reviewers (kappa: 1 perfect, 0 no better "
          "than chance):</p>\n<ul>\n", f);
    while ((st = reader_next(r, &rec, err, NULL)) == READER_OK) {
        const char *s = field(&b, rec, a[0]);
        fputs(strcmp(s, "fleiss_kappa") == 0 ? "<li>Fleiss&rsquo; kappa, "
              : "<li>Cohen&rsquo;s kappa, ", f);
        html_str(f, field(&b, rec, a[1]));
        fputs(", over ", f);
        html_str(f, field(&b, rec, a[2]));
        fputs(" items: ", f);
        const char *k = field(&b, rec, a[3]);
        if (*k)
            fprintf(f, "%.2f", strtod(k, NULL));
        else
            fputs("not defined", f);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n</section>\n", f);
    reader_free(r);
    buf_fini(&p);
    buf_fini(&b);
    return st == READER_ERROR ? -1 : 0;
}

int verdicts_check_dir(const char *dir, struct diag *err)
{
    static const char *const need[] = {"term-precision.csv", "agreement.csv"};
    struct buf p;
    buf_init(&p);
    for (int i = 0; i < 2; i++) {
        buf_clear(&p);
        buf_printf(&p, "%s/%s", dir, need[i]);
        FILE *f = fopen(buf_cstr(&p), "rb");
        if (!f) {
            diag_set(err, DIAG_ERROR, buf_cstr(&p), 0, 0,
                     "--verdicts needs the folder 'evalbias review import' "
                     "wrote: cannot open %s", need[i]);
            buf_fini(&p);
            return -1;
        }
        fclose(f);
    }
    buf_fini(&p);
    return 0;
}
