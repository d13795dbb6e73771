/* audit_names.c - under --id-key, the names of residents and evaluators
 * written inside comments ("Dr. Abbott is ...") are replaced by that
 * person's pseudonym in excerpts.csv and report.html, as the resident
 * column is.
 *
 * Every name must be known before the first excerpt is written (a comment
 * can name a resident whose own rows come later), so the inputs' resident
 * and evaluator columns are read once before the pass. Standard input
 * cannot be read twice: there only the names of rows already read are
 * known, and a warning says so. The matching is review_mask's (review.h):
 * the lexicons' normalization, "Last, First", hyphen and apostrophe forms,
 * e-mail local parts; a pseudonym replaces the whole name. */
#include "audit_private.h"

#include <stdlib.h>
#include <string.h>

#include "reader.h"

static void learn(struct audit *a, struct strmap *seen, const char *name,
                  size_t len)
{
    size_t i = 0;
    while (i < len && (name[i] == ' ' || name[i] == '\t'))
        i++;
    if (i == len)
        return;
    int added;
    strmap_put(seen, name, len, 0, &added);
    if (!added)
        return;
    char p[PSEUDONYM_LEN + 1];
    pseudonym_make(&a->key, name, len, p);
    char *s = xstrndup(name, len);
    review_masker_add(a->names, s, p);
    free(s);
}

int audit_learn_names(struct audit *a)
{
    if (!a->cfg.id_key || a->cfg.tally_only ||
        (a->map.resident < 0 && a->map.evaluator < 0))
        return 0;
    a->names = review_masker_new();
    review_masker_gendered(a->names, 0);
    struct strmap seen;
    strmap_init(&seen);
    int rc = 0;
    for (size_t i = 0; i < a->cfg.ninputs && rc == 0; i++) {
        const char *path = a->cfg.inputs[i];
        if (strcmp(path, "-") == 0) {
            diags_add(&a->warn, DIAG_WARNING, "-", 0, 0,
                      "--id-key: standard input is read once, so a name "
                      "written in a comment is replaced by its pseudonym "
                      "only when the person's own rows come in a file "
                      "given as a path");
            continue;
        }
        reader *r = reader_open(path, &a->cfg.ropt, &a->err);
        if (!r) {
            rc = -1;
            break;
        }
        const struct record *rec;
        int st;
        while ((st = reader_next(r, &rec, &a->err, NULL)) == READER_OK) {
            if (a->map.resident >= 0 && (size_t)a->map.resident < rec->nfields)
                learn(a, &seen, rec->fields[a->map.resident].p,
                      rec->fields[a->map.resident].len);
            if (a->map.evaluator >= 0 &&
                (size_t)a->map.evaluator < rec->nfields)
                learn(a, &seen, rec->fields[a->map.evaluator].p,
                      rec->fields[a->map.evaluator].len);
        }
        reader_free(r);
        if (st == READER_ERROR)
            rc = -1;
    }
    strmap_fini(&seen);
    return rc;
}

void audit_mask_excerpt(const struct audit *a, const char *text, size_t n,
                        size_t *ms, size_t *me, const char *matched,
                        size_t mlen, struct buf *xb, struct buf *mb)
{
    size_t s = *ms, e = *me;
    buf_clear(xb);
    buf_clear(mb);
    if (s > e || e > n)
        s = e = 0;
    review_mask(a->names, text, s, xb);
    *ms = xb->len;
    review_mask(a->names, text + s, e - s, xb);
    *me = xb->len;
    review_mask(a->names, text + e, n - e, xb);
    buf_cstr(xb);
    review_mask(a->names, matched, mlen, mb);
    buf_cstr(mb);
}
