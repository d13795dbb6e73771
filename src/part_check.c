/* part_check.c - see part_check.h. */
#include "part_check.h"

#include <string.h>

void part_check_init(struct part_check *pc)
{
    strmap_init(&pc->by_hash);
    memset(&pc->names, 0, sizeof pc->names);
    pc->nparts = 0;
}

void part_check_fini(struct part_check *pc)
{
    strmap_fini(&pc->by_hash);
    strvec_fini(&pc->names);
}

static int is_sha256(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == 64;
}

/* Look up hash; when seen, fill err naming both holders. Else record it
 * under name. Tally hashes and input hashes share one table: a tally file
 * given as an input of another run is as much a double as a copy. */
static int seen(struct part_check *pc, const char *hash, const char *name,
                const char *what, const char *path, struct diag *err)
{
    int added;
    size_t *v = strmap_put(&pc->by_hash, hash, strlen(hash), pc->names.n,
                           &added);
    if (!added) {
        diag_set(err, DIAG_ERROR, path, 0, 0,
                 "cannot merge: %s has the same %s SHA-256 as %s (%.12s...): "
                 "the same data would be counted twice",
                 name, what, pc->names.v[*v], hash);
        return -1;
    }
    strvec_push(&pc->names, name);
    return 0;
}

int part_check_add(struct part_check *pc, const struct tally_part *p,
                   struct diag *err)
{
    size_t no = ++pc->nparts;
    if (p->ri.rows_read == 0)
        return 0;
    struct buf name;
    buf_init(&name);
    buf_printf(&name, "part %zu (%s)", no, p->path);
    int rc = seen(pc, p->sha256, buf_cstr(&name), "tally", p->path, err);
    for (size_t i = 0; rc == 0 && i < p->ri.ninputs; i++) {
        const struct input_info *in = &p->ri.inputs[i];
        if (in->rows_read == 0 || !is_sha256(in->sha256))
            continue;
        buf_clear(&name);
        buf_printf(&name, "part %zu (%s, input %s)", no, p->path, in->path);
        rc = seen(pc, in->sha256, buf_cstr(&name), "input", p->path, err);
    }
    buf_fini(&name);
    return rc;
}
