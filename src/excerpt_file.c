/* excerpt_file.c - the excerpts' bounded index and reading rows back (see
 * excerpt_file.h).
 *
 * Index: kept rows live in slots (a pool of at most cap, allocated as
 * needed); each entry chains its kept slots from its latest back to its
 * first (prev), so giving up the latest is O(1). The entry that gives up
 * a row is the top of a max-heap on (kept, -entry), kept up to date as
 * rows come and go: O(log entries) a change, so a lexicon ten times as
 * large costs a few more steps, not ten times the scan.
 *
 * Reading: a row is read (pread) from its offset up to the line feed that
 * ends it outside quotes (a doubled quote toggles twice) and split into
 * fields by RFC 4180's rules, exact for the files report_csv.c writes. A
 * row of XF_NCOLS fields is checked for, so an offset that is not a row's start
 * is an error, not a wrong excerpt. */
#define _FILE_OFFSET_BITS 64
#include "excerpt_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "report.h"
#include "hashmap.h"
#include "tally.h"
#include "util.h"

#define NONE UINT32_MAX

/* ============================================================== index */

struct slot {
    uint64_t off;
    uint32_t entry, prev;  /* prev: the entry's kept slot before this one */
    uint32_t ms, me;
    uint32_t held;         /* its record in the arena, or NONE */
};

/* A held row in the arena: HELD_HEAD bytes - the record's size (u32), its
 * slot (u32), flags (u8), the lengths of its fields (u32 each) - then the
 * fields of held_cols, each
 * NUL-terminated (a field cannot hold a NUL: excerpt_file_read ends it at
 * the first). Records are appended; a row given up marks its record dead,
 * and the arena is compacted in one pass (a record names its slot) once
 * the dead bytes are a quarter of the live ones, or a row would not fit
 * the budget. So the arena stays within the budget and about 5/4 of the
 * held rows' bytes. */
#define HELD_HEAD (9 + 4 * NHELD)  /* and each held field's length (u32),
                                      so the page takes no strlen */
#define HELD_NEGATED 1
#define HELD_DEAD 2
static const enum xf_col held_cols[] = {XF_ID, XF_RESIDENT, XF_COLUMN,
                                        XF_EXCERPT, XF_SPAN_ID};
#define NHELD (sizeof held_cols / sizeof held_cols[0])

struct excerpt_index {
    size_t cap, nentries, ncols;
    struct slot *slots;
    uint32_t *coh;          /* [slot * ncols + col]: label ids */
    size_t nslots, slots_cap, coh_cap;
    uint32_t free_head;     /* slots given up, chained through prev */
    size_t nkept;
    uint32_t *last, *kept, *lim; /* per entry */
    uint32_t *heap, *hpos;       /* entries by (kept desc, entry asc);
                                    hpos[entry]: its place in heap */
    uint64_t *seen, total;
    struct strmap *label_ids;    /* per column: folded label -> id */
    struct strvec *labels;       /* per column: id -> folded label */
    struct buf key;
    struct buf *last_label;      /* per column: the last label looked up */
    uint32_t *last_id;           /* and its id */
    struct xi_row *rows;
    size_t nrows;
    int done, failed;
    /* rows held in memory (excerpt_index_hold) */
    struct buf arena;            /* len: bytes in use, live or dead */
    size_t live, dead, budget, unheld;
    uint32_t just_kept;          /* the slot of the row just added, or NONE */
};

excerpt_index *excerpt_index_new(size_t cap, size_t nentries, size_t ncols)
{
    struct excerpt_index *x = xcalloc(1, sizeof *x);
    x->cap = cap;
    x->nentries = nentries;
    x->ncols = ncols;
    x->free_head = NONE;
    x->just_kept = NONE;
    x->budget = EXCERPT_HOLD_BUDGET;
    size_t ne = nentries ? nentries : 1;
    x->last = xmalloc(ne * sizeof *x->last);
    x->kept = xcalloc(ne, sizeof *x->kept);
    x->lim = xmalloc(ne * sizeof *x->lim);
    x->seen = xcalloc(ne, sizeof *x->seen);
    x->heap = xmalloc(ne * sizeof *x->heap);
    x->hpos = xmalloc(ne * sizeof *x->hpos);
    for (size_t e = 0; e < ne; e++) {
        x->last[e] = NONE;
        x->lim[e] = UINT32_MAX;
        /* All kept at 0: ascending entries are already a heap. */
        x->heap[e] = (uint32_t)e;
        x->hpos[e] = (uint32_t)e;
    }
    x->label_ids = xcalloc(ncols ? ncols : 1, sizeof *x->label_ids);
    x->labels = xcalloc(ncols ? ncols : 1, sizeof *x->labels);
    for (size_t c = 0; c < ncols; c++)
        strmap_init(&x->label_ids[c]);
    x->last_label = xcalloc(ncols ? ncols : 1, sizeof *x->last_label);
    x->last_id = xcalloc(ncols ? ncols : 1, sizeof *x->last_id);
    buf_init(&x->key);
    buf_init(&x->arena);
    return x;
}

void excerpt_index_free(excerpt_index *x)
{
    if (!x)
        return;
    for (size_t c = 0; c < x->ncols; c++) {
        strmap_fini(&x->label_ids[c]);
        strvec_fini(&x->labels[c]);
        buf_fini(&x->last_label[c]);
    }
    free(x->last_label);
    free(x->last_id);
    free(x->label_ids);
    free(x->labels);
    buf_fini(&x->key);
    buf_fini(&x->arena);
    free(x->slots);
    free(x->coh);
    free(x->last);
    free(x->kept);
    free(x->lim);
    free(x->seen);
    free(x->heap);
    free(x->hpos);
    free(x->rows);
    free(x);
}

void excerpt_label_fold(struct buf *b, const char *p, size_t n)
{
    while (n && isspace((unsigned char)*p)) {
        p++;
        n--;
    }
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    if (!n) {
        p = TALLY_BLANK;
        n = strlen(TALLY_BLANK);
    }
    buf_clear(b);
    for (size_t i = 0; i < n; i++)
        buf_putc(b, (char)tolower((unsigned char)p[i]));
}

static uint32_t label_id(struct excerpt_index *x, size_t c, const char *label)
{
    /* The label of the row before is most often this one's (the rows of
     * an evaluation come together; cohorts have few labels). */
    struct buf *last = &x->last_label[c];
    if (label && last->p && strcmp(last->p, label) == 0)
        return x->last_id[c];
    buf_clear(last);
    buf_puts(last, label ? label : "");
    if (!label) /* NULL folds as "": not cached as a label */
        buf_fini(last);
    excerpt_label_fold(&x->key, label ? label : "", label ? strlen(label) : 0);
    int added;
    size_t *id = strmap_put(&x->label_ids[c], x->key.p, x->key.len,
                            x->labels[c].n, &added);
    if (added)
        strvec_push(&x->labels[c], buf_cstr(&x->key));
    x->last_id[c] = (uint32_t)*id;
    return (uint32_t)*id;
}

/* ------------------------------------------ rows as report_csv.c writes */

/* The record that starts at p[0], of which p[0..n) is at hand and
 * p[from..n) not yet scanned: its length up to the line feed that ends it
 * outside quotes (a doubled quote toggles twice), less a CR before it;
 * *inq carries the quote state from scan to scan. Returns SIZE_MAX when no
 * such line feed is in p[from..n) (the record goes on, or ends with the
 * file). */
static size_t record_end(const char *p, size_t from, size_t n, int *inq)
{
    const char *s = p + from, *end = p + n;
    /* From line feed to line feed (memchr), the quotes between them
     * counted (memchr): the record ends at one with an even count. */
    while (s < end) {
        const char *lf = memchr(s, '\n', (size_t)(end - s));
        const char *stop = lf ? lf : end;
        for (const char *q = s;
             (q = memchr(q, '"', (size_t)(stop - q))) != NULL; q++)
            *inq = !*inq;
        if (!lf)
            break;
        if (!*inq) {
            size_t i = (size_t)(lf - p);
            return i > 0 && p[i - 1] == '\r' ? i - 1 : i;
        }
        s = lf + 1;
    }
    return SIZE_MAX;
}

/* Field s as excerpt_file_read gives it: up to its first NUL, with
 * report_cell's formula guards removed (in place). Returns its length. */
static size_t field_text(char *s)
{
    size_t n = strlen(s);
    /* A guard is an apostrophe at the start or after a ; or TAB: a cell
     * with none of the three is its own text, found without the
     * byte-by-byte pass (most cells). */
    if ((n && s[0] == '\'') || memchr(s, ';', n) || memchr(s, '\t', n))
        n = report_cell_unguard_all(s, n);
    return n;
}

/* ------------------------------------------------------ held rows */

/* Give up slot s's held record, if any. */
static void release(struct excerpt_index *x, uint32_t s)
{
    uint32_t h = x->slots[s].held;
    if (h == NONE)
        return;
    uint32_t size;
    memcpy(&size, x->arena.p + h, 4);
    x->arena.p[h + 8] |= HELD_DEAD;
    x->live -= size;
    x->dead += size;
    x->slots[s].held = NONE;
}

/* Move the live records down over the dead ones, in one pass. */
static void compact(struct excerpt_index *x)
{
    char *a = x->arena.p;
    size_t o = 0;
    for (size_t i = 0; i < x->arena.len;) {
        uint32_t size, s;
        memcpy(&size, a + i, 4);
        memcpy(&s, a + i + 4, 4);
        if (!(a[i + 8] & HELD_DEAD)) {
            if (o != i)
                memmove(a + o, a + i, size);
            x->slots[s].held = (uint32_t)o;
            o += size;
        }
        i += size;
    }
    x->arena.len = o;
    x->dead = 0;
}

/* The next field of a record at *pp (before end), as split_fields splits
 * it: its text, unquoted, copied to dst when dst is not NULL (room for
 * the field's raw length). Returns the text's length and moves *pp past
 * the field (and not past the ',' after it); SIZE_MAX when a quoted
 * field does not end. */
static size_t next_field(const char **pp, const char *end, char *dst)
{
    const char *p = *pp;
    size_t n = 0;
    if (p < end && *p == '"') {
        p++;
        for (;;) {
            const char *q = memchr(p, '"', (size_t)(end - p));
            if (!q)
                return SIZE_MAX;
            if (dst)
                memcpy(dst + n, p, (size_t)(q - p));
            n += (size_t)(q - p);
            p = q + 1;
            if (p < end && *p == '"') {
                if (dst)
                    dst[n] = '"';
                n++;
                p++;
            } else {
                break;
            }
        }
    } else {
        const char *q = p < end ? memchr(p, ',', (size_t)(end - p)) : NULL;
        if (!q)
            q = end;
        if (dst)
            memcpy(dst, p, (size_t)(q - p));
        n = (size_t)(q - p);
        p = q;
    }
    *pp = p;
    return n;
}

/* Split the record p[0..n) into its fields, unquoting RFC 4180 quoted ones
 * (as report_csv.c writes them), NUL-separated into fields; foff[i] (for
 * i < XF_NCOLS) is where field i starts. Returns the number of fields, or
 * 0 when the record is not well-formed; *nf is set to the number seen. */
static size_t split_fields(const char *p, size_t n, struct buf *fields,
                           size_t *foff, size_t *nf)
{
    buf_clear(fields);
    *nf = 0;
    const char *end = p + n;
    for (;;) {
        if (*nf < XF_NCOLS)
            foff[*nf] = fields->len;
        ++*nf;
        buf_reserve(fields, (size_t)(end - p) + 1);
        size_t fl = next_field(&p, end, fields->p + fields->len);
        if (fl == SIZE_MAX)
            return 0;
        fields->len += fl;
        fields->p[fields->len++] = '\0';
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        break;
    }
    return p == end ? *nf : 0;
}

/* Room for a held record of at most `most` bytes at the arena's end
 * (compacting first when dead records are many or in the way). */
static char *hold_begin(excerpt_index *x, size_t most)
{
    if (x->dead && (x->dead > x->live / 4 || x->arena.len + most > x->budget))
        compact(x);
    buf_reserve(&x->arena, most);
    return x->arena.p + x->arena.len;
}

/* Keep the record of `size` bytes written at rec (its fields, their
 * lengths and its negated byte) for slot s, within the budget (else it is
 * read back from the file). */
static void hold_commit(excerpt_index *x, uint32_t s, char *rec, size_t size)
{
    if (x->arena.len + size > x->budget || size > UINT32_MAX) {
        x->unheld++;
        return;
    }
    uint32_t sz = (uint32_t)size;
    memcpy(rec, &sz, 4);
    memcpy(rec + 4, &s, 4);
    x->slots[s].held = (uint32_t)x->arena.len;
    x->arena.len += size;
    x->live += size;
}

void excerpt_index_hold(excerpt_index *x, const char *row, size_t len)
{
    uint32_t s = x->just_kept;
    x->just_kept = NONE;
    if (s == NONE)
        return;
    int inq = 0;
    size_t n = record_end(row, 0, len, &inq);
    if (n == SIZE_MAX)
        n = len;
    /* The record is split as split_fields would (so the fields are
     * excerpt_file_read's), copying only the held fields and negated,
     * straight into the arena: at most the record's bytes and a NUL each. */
    char *rec = hold_begin(x, HELD_HEAD + n + NHELD + 1), *w = rec + HELD_HEAD;
    const char *p = row, *end = row + n;
    size_t nf = 0, next_held = 0;
    int negated = 0;
    for (;;) {
        int keep = nf < XF_NCOLS && (nf == XF_NEGATED ||
                                     (next_held < NHELD &&
                                      nf == (size_t)held_cols[next_held]));
        size_t fl = next_field(&p, end, keep ? w : NULL);
        if (fl == SIZE_MAX) {
            nf = 0;
            break;
        }
        if (keep) {
            w[fl] = '\0';
            fl = field_text(w);
            if (nf == XF_NEGATED) {
                negated = strcmp(w, "true") == 0; /* not held: dropped */
            } else {
                uint32_t l32 = (uint32_t)fl;
                memcpy(rec + 9 + 4 * next_held, &l32, 4);
                w += fl + 1;
                next_held++;
            }
        }
        nf++;
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        break;
    }
    size_t size = (size_t)(w - rec);
    if (nf != XF_NCOLS || p != end) {
        x->unheld++; /* read back from the file, which says what is wrong */
        return;
    }
    rec[8] = (char)(negated ? HELD_NEGATED : 0);
    hold_commit(x, s, rec, size);
}

/* s, as excerpt_file_read gives the cell report_cell wrote for it: the
 * same text (the guards it adds are what field_text removes), so it is
 * copied as it is. */
static char *put_field(char *w, const char *s, size_t n)
{
    memcpy(w, s, n);
    w[n] = '\0';
    return w + n + 1;
}

/* The most bytes r's held record takes. */
static size_t held_most(const struct excerpt_row *r, size_t *il, size_t *rl,
                        size_t *cl, size_t *el)
{
    *il = strlen(r->evaluation_id);
    *rl = strlen(r->resident);
    *cl = strlen(r->column);
    *el = strlen(r->excerpt);
    /* the held fields (span_id is "ID:COLUMN:START-END"), a NUL each */
    return HELD_HEAD + *il + 1 + *rl + 1 + *cl + 1 + *el + 1 + *il + *cl +
           2 * 20 + 3 + 1;
}

/* Write r's held record at rec (room for held_most): its fields, their
 * lengths and its negated byte; hold_commit fills in size and slot.
 * Returns its size. */
static size_t held_make(char *rec, const struct excerpt_row *r, size_t il,
                        size_t rl, size_t cl, size_t el)
{
    char *w = rec + HELD_HEAD;
    w = put_field(w, r->evaluation_id, il);
    w = put_field(w, r->resident, rl);
    w = put_field(w, r->column, cl);
    w = put_field(w, r->excerpt, el);
    const char *span = w;
    memcpy(w, r->evaluation_id, il);
    w += il;
    *w++ = ':';
    memcpy(w, r->column, cl);
    w += cl;
    *w++ = ':';
    w += dec_u64(w, r->start);
    *w++ = '-';
    w += dec_u64(w, r->end);
    *w++ = '\0';
    uint32_t lens[NHELD] = {(uint32_t)il, (uint32_t)rl, (uint32_t)cl,
                            (uint32_t)el, (uint32_t)(w - 1 - span)};
    memcpy(rec + 9, lens, sizeof lens);
    rec[8] = (char)(r->negated ? HELD_NEGATED : 0);
    return (size_t)(w - rec);
}

void excerpt_index_hold_row(excerpt_index *x, const struct excerpt_row *r)
{
    uint32_t s = x->just_kept;
    x->just_kept = NONE;
    if (s == NONE)
        return;
    size_t il, rl, cl, el;
    char *rec = hold_begin(x, held_most(r, &il, &rl, &cl, &el));
    size_t size = held_make(rec, r, il, rl, cl, el);
    hold_commit(x, s, rec, size);
}

size_t excerpt_held_put(struct buf *b, const struct excerpt_row *r)
{
    size_t il, rl, cl, el;
    buf_reserve(b, held_most(r, &il, &rl, &cl, &el));
    size_t size = held_make(b->p + b->len, r, il, rl, cl, el);
    b->len += size;
    return size;
}

void excerpt_index_hold_put(excerpt_index *x, const char *held, size_t len)
{
    uint32_t s = x->just_kept;
    x->just_kept = NONE;
    if (s == NONE)
        return;
    char *rec = hold_begin(x, len);
    memcpy(rec, held, len);
    hold_commit(x, s, rec, len);
}

void excerpt_index_hold_budget(excerpt_index *x, size_t bytes)
{
    x->budget = bytes < UINT32_MAX ? bytes : UINT32_MAX;
}

int excerpt_index_all_held(const excerpt_index *x)
{
    for (size_t e = 0; e < x->nentries; e++)
        for (uint32_t s = x->last[e]; s != NONE; s = x->slots[s].prev)
            if (x->slots[s].held == NONE)
                return 0;
    return 1;
}

/* Heap order: more kept rows first, then the lower entry (the first of
 * equals, as a scan in entry order would pick). */
static int heap_above(const struct excerpt_index *x, uint32_t a, uint32_t b)
{
    return x->kept[a] != x->kept[b] ? x->kept[a] > x->kept[b] : a < b;
}

static void heap_place(struct excerpt_index *x, size_t i, uint32_t e)
{
    x->heap[i] = e;
    x->hpos[e] = (uint32_t)i;
}

/* kept[e] has grown by one: move e up. */
static void heap_up(struct excerpt_index *x, uint32_t e)
{
    size_t i = x->hpos[e];
    while (i > 0) {
        size_t up = (i - 1) / 2;
        if (!heap_above(x, e, x->heap[up]))
            break;
        heap_place(x, i, x->heap[up]);
        i = up;
    }
    heap_place(x, i, e);
}

/* kept[e] has shrunk by one: move e down. */
static void heap_down(struct excerpt_index *x, uint32_t e)
{
    size_t i = x->hpos[e], n = x->nentries;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && heap_above(x, x->heap[c + 1], x->heap[c]))
            c++;
        if (!heap_above(x, x->heap[c], e))
            break;
        heap_place(x, i, x->heap[c]);
        i = c;
    }
    heap_place(x, i, e);
}

/* The entry holding the most kept rows (the first of equals). */
static uint32_t fullest(const struct excerpt_index *x)
{
    return x->nentries ? x->heap[0] : 0;
}

static void add(excerpt_index *x, FILE *f, uint64_t at, uint32_t entry,
                size_t mark_start, size_t mark_end,
                const char *const *cohorts);

void excerpt_index_add(excerpt_index *x, FILE *f, uint32_t entry,
                       size_t mark_start, size_t mark_end,
                       const char *const *cohorts)
{
    add(x, f, 0, entry, mark_start, mark_end, cohorts);
}

void excerpt_index_add_at(excerpt_index *x, uint64_t off, uint32_t entry,
                          size_t mark_start, size_t mark_end,
                          const char *const *cohorts)
{
    add(x, NULL, off, entry, mark_start, mark_end, cohorts);
}

/* A row at ftello(f), or (f NULL) at byte at: taken only when it is kept. */
static void add(excerpt_index *x, FILE *f, uint64_t at, uint32_t entry,
                size_t mark_start, size_t mark_end,
                const char *const *cohorts)
{
    x->total++;
    x->just_kept = NONE;
    if (entry >= x->nentries || x->done)
        return;
    x->seen[entry]++;
    if (x->kept[entry] >= x->lim[entry])
        return;
    if (x->nkept >= x->cap) {
        /* Full: the fullest entry gives up its latest row, unless this
         * entry would then be as full; either stops taking rows. */
        uint32_t m = fullest(x);
        if (x->kept[entry] + 1 >= x->kept[m]) {
            x->lim[entry] = x->kept[entry];
            return;
        }
        uint32_t s = x->last[m];
        x->last[m] = x->slots[s].prev;
        x->lim[m] = --x->kept[m];
        heap_down(x, m);
        release(x, s);
        x->slots[s].prev = x->free_head;
        x->free_head = s;
        x->nkept--;
    }
    off_t off = f ? ftello(f) : (off_t)at;
    if (off < 0)
        x->failed = 1;
    uint32_t s;
    if (x->free_head != NONE) {
        s = x->free_head;
        x->free_head = x->slots[s].prev;
    } else {
        s = (uint32_t)x->nslots++;
        grow(&x->slots, &x->slots_cap, x->nslots, sizeof *x->slots);
        if (x->ncols)
            grow(&x->coh, &x->coh_cap, x->nslots * x->ncols, sizeof *x->coh);
    }
    x->slots[s] = (struct slot){
        (uint64_t)(off < 0 ? 0 : off), entry, x->last[entry],
        mark_start > UINT32_MAX ? UINT32_MAX : (uint32_t)mark_start,
        mark_end > UINT32_MAX ? UINT32_MAX : (uint32_t)mark_end, NONE,
    };
    x->just_kept = s;
    x->last[entry] = s;
    x->kept[entry]++;
    heap_up(x, entry);
    x->nkept++;
    for (size_t c = 0; c < x->ncols; c++)
        x->coh[s * x->ncols + c] = label_id(x, c, cohorts ? cohorts[c] : NULL);
}

size_t excerpt_index_rows(excerpt_index *x, const struct xi_row **rows)
{
    if (!x->done) {
        /* Each entry's chain runs from its latest row back: fill its
         * stretch of rows from the end, so no sort is needed. */
        x->done = 1;
        x->rows = xmalloc((x->nkept ? x->nkept : 1) * sizeof *x->rows);
        for (uint32_t e = 0; e < x->nentries; e++) {
            x->nrows += x->kept[e];
            size_t i = x->nrows;
            for (uint32_t s = x->last[e]; s != NONE; s = x->slots[s].prev) {
                const struct slot *sl = &x->slots[s];
                x->rows[--i] = (struct xi_row){
                    sl->off, sl->entry, sl->ms, sl->me, sl->held,
                    x->ncols ? x->coh + (size_t)s * x->ncols : NULL,
                };
            }
        }
    }
    *rows = x->rows;
    return x->nrows;
}

uint64_t excerpt_index_total(const excerpt_index *x)
{
    return x->total;
}

uint64_t excerpt_index_entry_total(const excerpt_index *x, uint32_t entry)
{
    return entry < x->nentries ? x->seen[entry] : 0;
}

size_t excerpt_index_cap(const excerpt_index *x)
{
    return x->cap;
}

size_t excerpt_index_nlabels(const excerpt_index *x, size_t col)
{
    return col < x->ncols ? x->labels[col].n : 0;
}

const char *excerpt_index_label(const excerpt_index *x, size_t col,
                                uint32_t id)
{
    return col < x->ncols && id < x->labels[col].n ? x->labels[col].v[id]
                                                   : "";
}

int excerpt_index_ok(const excerpt_index *x)
{
    return x->failed ? -1 : 0;
}

/* ======================================================= reading back */

struct excerpt_file {
    int fd;
    FILE *f;
    char *path;
    struct buf raw;      /* one record's bytes */
    struct buf fields;   /* its unquoted fields, NUL-separated */
    size_t foff[XF_NCOLS + 1];
    size_t nf;
};

static const char *const header[XF_NCOLS] = {
    "evaluation_id", "resident", "column", "lexicon", "category", "term",
    "matched_text", "negated", "start", "end", "excerpt", "span_id",
    "referent", "quoted",
};

/* Read the record starting at off into raw, without its line end: up to
 * the line feed outside quotes, or to the end of the file. Returns 0, or
 * -1 on a read error or when nothing is there. */
static int read_record(struct excerpt_file *x, uint64_t off)
{
    buf_clear(&x->raw);
    int inq = 0;
    size_t want = 512;
    for (;;) {
        buf_reserve(&x->raw, want);
        size_t from = x->raw.len;
        ssize_t n = pread(x->fd, x->raw.p + from, want,
                          (off_t)(off + from));
        if (n < 0)
            return -1;
        x->raw.len += (size_t)n;
        size_t e = record_end(x->raw.p, from, x->raw.len, &inq);
        if (e != SIZE_MAX) {
            x->raw.len = e;
            return 0;
        }
        if ((size_t)n < want)
            return x->raw.len ? 0 : -1;
        want *= 2;
    }
}

static size_t parse_raw(struct excerpt_file *x)
{
    return split_fields(x->raw.p, x->raw.len, &x->fields, x->foff, &x->nf);
}

excerpt_file *excerpt_file_open(const char *path, struct diag *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot open: %s",
                 strerror(errno));
        return NULL;
    }
    struct excerpt_file *x = xcalloc(1, sizeof *x);
    x->f = f;
    x->fd = fileno(f);
    x->path = xstrdup(path);
    buf_init(&x->raw);
    buf_init(&x->fields);
    /* The header must be excerpts.csv's. */
    int ok = read_record(x, 0) == 0 && parse_raw(x) == XF_NCOLS;
    for (size_t i = 0; ok && i < XF_NCOLS; i++)
        ok = strcmp(x->fields.p + x->foff[i], header[i]) == 0;
    if (!ok) {
        diag_set(err, DIAG_ERROR, path, 1, 0,
                 "not an excerpts.csv: unexpected header");
        excerpt_file_free(x);
        return NULL;
    }
    return x;
}

void excerpt_file_free(excerpt_file *x)
{
    if (!x)
        return;
    if (x->f)
        fclose(x->f);
    buf_fini(&x->raw);
    buf_fini(&x->fields);
    free(x->path);
    free(x);
}

int excerpt_file_read(excerpt_file *x, uint64_t off, struct xf_row *out,
                      struct diag *err)
{
    if (read_record(x, off) < 0) {
        diag_set(err, DIAG_ERROR, x->path, 0, 0,
                 "cannot read the row at byte %llu", (unsigned long long)off);
        return -1;
    }
    if (parse_raw(x) != XF_NCOLS) {
        diag_set(err, DIAG_ERROR, x->path, 0, 0,
                 "the row at byte %llu has %zu fields, expected %d",
                 (unsigned long long)off, x->nf, XF_NCOLS);
        return -1;
    }
    for (size_t c = 0; c < XF_NCOLS; c++) {
        char *s = x->fields.p + x->foff[c];
        /* Undo report_cell's formula guards, and only them. */
        out->f[c] = s;
        out->len[c] = field_text(s);
    }
    out->negated = strcmp(out->f[XF_NEGATED], "true") == 0;
    return 0;
}

int excerpt_index_fields(const excerpt_index *x, const struct xi_row *k,
                         excerpt_file *xf, struct xf_row *out,
                         struct diag *err)
{
    if (k->held == NONE) {
        if (xf)
            return excerpt_file_read(xf, k->off, out, err);
        diag_set(err, DIAG_ERROR, NULL, 0, 0,
                 "the excerpt at byte %llu is not held in memory",
                 (unsigned long long)k->off);
        return -1;
    }
    const char *p = x->arena.p + k->held;
    out->negated = (p[8] & HELD_NEGATED) != 0;
    p += HELD_HEAD;
    for (size_t c = 0; c < XF_NCOLS; c++) {
        out->f[c] = "";
        out->len[c] = 0;
    }
    const char *lens = p - 4 * NHELD;
    for (size_t i = 0; i < NHELD; i++) {
        uint32_t n;
        memcpy(&n, lens + 4 * i, 4);
        out->f[held_cols[i]] = p;
        out->len[held_cols[i]] = n;
        p += n + 1;
    }
    return 0;
}

int xf_row_mark(const struct xf_row *r, const struct xi_row *k, size_t *s,
                size_t *e)
{
    if (k->mark_start >= k->mark_end || k->mark_end > r->len[XF_EXCERPT])
        return -1;
    *s = k->mark_start;
    *e = k->mark_end;
    return 0;
}
