/* inspect.c - see inspect.h. */
#include "inspect.h"
#include "columns.h"
#include "roster.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A long export's question and answer columns, by header: exact words
 * the systems use ("Question", "Item", "Response", "Answer"). */
static const char *const question_names[] = {
    "question", "question text", "item", "item text", "prompt", NULL};
static const char *const answer_names[] = {
    "response", "answer", "response text", "answer text", "value", NULL};

static long find_named(const struct strvec *cols, const char *const *names)
{
    for (size_t c = 0; c < cols->n; c++)
        for (size_t i = 0; names[i]; i++)
            if (strcasecmp(cols->v[c], names[i]) == 0)
                return (long)c;
    return -1;
}

static enum inspect_role role_of(const char *name)
{
    if (columns_guess(name, ROLE_TEXT))
        return INSPECT_TEXT;
    if (columns_guess(name, ROLE_COHORT))
        return INSPECT_COHORT;
    if (columns_guess(name, ROLE_ID))
        return INSPECT_ID;
    if (columns_guess(name, ROLE_RESIDENT))
        return INSPECT_RESIDENT;
    return INSPECT_NONE;
}

/* Add f to a set of distinct values kept in sv and map (capped). */
static void add_distinct(struct strvec *sv, struct strmap *seen,
                         const struct span *f)
{
    if (columns_blank(f) || sv->n >= INSPECT_DISTINCT)
        return;
    int added;
    strmap_put(seen, f->p, f->len, sv->n, &added);
    if (added) {
        char *s = xstrndup(f->p, f->len);
        strvec_push(sv, s);
        free(s);
    }
}

int inspect_file(const char *path, const struct reader_options *ropt,
                 struct inspection *out, struct diag *err)
{
    memset(out, 0, sizeof *out);
    out->question = out->answer = out->id = out->resident = -1;
    questions_init(&out->q);
    struct reader_options o = *ropt;
    o.on_bad_row = READER_BAD_ROW_SKIP;
    reader *r = reader_open(path, &o, err);
    if (!r)
        return -1;
    size_t n = reader_ncolumns(r);
    for (size_t c = 0; c < n; c++)
        strvec_push(&out->columns, reader_column(r, c));
    out->samples = xcalloc(n ? n : 1, sizeof *out->samples);
    out->labels = xcalloc(n ? n : 1, sizeof *out->labels);
    out->role = xcalloc(n ? n : 1, sizeof *out->role);
    struct strmap *label_seen = xcalloc(n ? n : 1, sizeof *label_seen);
    for (size_t c = 0; c < n; c++) {
        out->role[c] = role_of(out->columns.v[c]);
        strmap_init(&label_seen[c]);
    }
    reader_format_describe(r, out->how, sizeof out->how);
    snprintf(out->encoding, sizeof out->encoding, "%s",
             reader_encoding_name(r));
    const struct reader_format *fmt = reader_format(r);
    out->xlsx = fmt->xlsx;
    if (fmt->sheet)
        snprintf(out->sheet, sizeof out->sheet, "%s", fmt->sheet);

    long qc = find_named(&out->columns, question_names);
    long ac = find_named(&out->columns, answer_names);
    int is_long = qc >= 0 && ac >= 0 && qc != ac;
    if (is_long)
        out->question = qc, out->answer = ac;
    for (size_t c = 0; c < n; c++) {
        const char *name = out->columns.v[c];
        if (out->id < 0 && columns_guess(name, ROLE_ID))
            out->id = (long)c;
        if (out->resident < 0 &&
            (columns_guess(name, ROLE_RESIDENT) ||
             (is_long && (strcasecmp(name, "evaluatee") == 0 ||
                          strcasecmp(name, "subject") == 0))))
            out->resident = (long)c;
    }
    struct strmap res_seen;
    strmap_init(&res_seen);
    const struct record *rec;
    int st = READER_OK;
    unsigned long max = is_long ? INSPECT_LONG_ROWS : INSPECT_ROWS;
    while (out->rows < max &&
           (st = reader_next(r, &rec, err, NULL)) == READER_OK) {
        out->rows++;
        if (is_long)
            questions_observe(&out->q, rec->fields[qc].p, rec->fields[qc].len,
                              rec->fields[ac].p, rec->fields[ac].len);
        if (out->resident >= 0 && (size_t)out->resident < rec->nfields)
            add_distinct(&out->residents, &res_seen,
                         &rec->fields[out->resident]);
        for (size_t c = 0; c < n && c < rec->nfields; c++) {
            const struct span *f = &rec->fields[c];
            if (out->role[c] == INSPECT_COHORT)
                add_distinct(&out->labels[c], &label_seen[c], f);
            if (out->rows > INSPECT_ROWS)
                continue;
            int seen = f->len == 0;
            for (size_t s = 0; !seen && s < out->samples[c].n; s++)
                seen = strcmp(out->samples[c].v[s], f->p) == 0;
            if (!seen && out->samples[c].n < INSPECT_SAMPLES)
                strvec_push(&out->samples[c], f->p);
        }
    }
    if (is_long)
        questions_decide(&out->q);
    strmap_fini(&res_seen);
    for (size_t c = 0; c < n; c++)
        strmap_fini(&label_seen[c]);
    free(label_seen);
    reader_free(r);
    return st == READER_ERROR ? -1 : 0;
}

void inspection_fini(struct inspection *in)
{
    for (size_t c = 0; c < in->columns.n; c++) {
        if (in->samples)
            strvec_fini(&in->samples[c]);
        if (in->labels)
            strvec_fini(&in->labels[c]);
    }
    free(in->samples);
    free(in->labels);
    free(in->role);
    strvec_fini(&in->columns);
    strvec_fini(&in->residents);
    questions_fini(&in->q);
    memset(in, 0, sizeof *in);
}

long inspect_column(const struct inspection *in, const char *name)
{
    for (size_t c = 0; c < in->columns.n; c++)
        if (strcmp(in->columns.v[c], name) == 0)
            return (long)c;
    return -1;
}

long inspect_roster_key(const char *path, const char *sheet,
                        const struct reader_options *ropt,
                        const struct strvec *residents,
                        unsigned long *matched, struct diag *err)
{
    *matched = 0;
    struct reader_options o = *ropt;
    o.on_bad_row = READER_BAD_ROW_SKIP;
    o.sheet = sheet;
    o.delimiter = 0;
    o.header_row = 0;
    reader *r = reader_open(path, &o, err);
    if (!r)
        return -2;
    struct strmap want;
    strmap_init(&want);
    struct buf k;
    buf_init(&k);
    for (size_t i = 0; i < residents->n; i++) {
        roster_norm_key(&k, residents->v[i], strlen(residents->v[i]));
        int added;
        if (k.len)
            strmap_put(&want, k.p, k.len, i, &added);
    }
    size_t n = reader_ncolumns(r), nres = residents->n ? residents->n : 1;
    /* hit[c * nres + i]: column c names resident i (counted once) */
    unsigned char *hit = xcalloc(n ? n * nres : 1, 1);
    unsigned long *count = xcalloc(n ? n : 1, sizeof *count);
    const struct record *rec;
    int st;
    unsigned long rows = 0;
    while (rows++ < INSPECT_DISTINCT &&
           (st = reader_next(r, &rec, err, NULL)) == READER_OK) {
        for (size_t c = 0; c < n && c < rec->nfields; c++) {
            roster_norm_key(&k, rec->fields[c].p, rec->fields[c].len);
            size_t *slot = k.len ? strmap_get(&want, k.p, k.len) : NULL;
            if (slot && !hit[c * nres + *slot]) {
                hit[c * nres + *slot] = 1;
                count[c]++;
            }
        }
    }
    long best = -1;
    for (size_t c = 0; c < n; c++)
        if (count[c] && (best < 0 || count[c] > count[best]))
            best = (long)c;
    if (best >= 0)
        *matched = count[best];
    free(hit);
    free(count);
    buf_fini(&k);
    strmap_fini(&want);
    reader_free(r);
    return best;
}
