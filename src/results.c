/* results.c - the end of a run (see results.h): compare, then write every
 * output from the same computed values. */
#include "results.h"
#include "adjust.h"

#include <time.h>

#include "outfile.h"

struct writer_ctx {
    const struct results *r;
    const struct comparisons *cmp;
};

typedef void (*writer_fn)(FILE *f, const struct writer_ctx *w);

static void write_rates(FILE *f, const struct writer_ctx *w)
{
    report_rates_write(f, w->r->t, w->r->set, w->r->cohort_cols, w->cmp);
}

static void write_comparisons(FILE *f, const struct writer_ctx *w)
{
    report_comparisons_write(f, w->r->t, w->r->set, w->r->cohort_cols, w->cmp);
}

static void write_adjusted(FILE *f, const struct writer_ctx *w)
{
    const struct run_info *ri = w->r->ri;
    struct adjust_spec sp = {w->r->cohort_cols, &ri->adjust_cols,
                             &ri->strata_cols, w->cmp->opt.levels};
    struct adjusted adj;
    adjust_run(w->r->t, w->r->set, w->cmp, &sp, &adj);
    report_adjusted_write(f, w->r->t, w->r->set, w->r->cohort_cols, w->cmp,
                          &adj);
    adjusted_fini(&adj);
}

static void write_manifest(FILE *f, const struct writer_ctx *w)
{
    report_manifest_write(f, w->r->ri, w->r->t, w->cmp);
}

/* One output through a temporary file renamed into place. */
static int write_file(const struct writer_ctx *w, const char *name,
                      writer_fn fn, struct diag *err)
{
    struct buf path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", w->r->out_dir, name);
    struct outfile o;
    int rc = outfile_open(&o, buf_cstr(&path), err);
    buf_fini(&path);
    if (rc < 0)
        return -1;
    fn(o.f, w);
    return outfile_close(&o, 1, err);
}

/* report.html reads back the excerpts.csv the run wrote into out_dir (a
 * merge of tallies has none, and must not pick up an older run's: the
 * report then has no excerpts). */
static int write_html(const struct writer_ctx *w, struct diag *err)
{
    const struct results *r = w->r;
    struct buf path, xpath;
    buf_init(&path);
    buf_init(&xpath);
    buf_printf(&path, "%s/report.html", r->out_dir);
    buf_printf(&xpath, "%s/excerpts.csv", r->out_dir);
    const char *xp = r->excerpts ? buf_cstr(&xpath) : NULL;
    struct outfile o;
    int rc = outfile_open(&o, buf_cstr(&path), err);
    if (rc == 0) {
        rc = report_html_write(o.f, r->ri, r->t, r->set, r->cohort_cols,
                               w->cmp, xp, xp ? r->xi : NULL, err);
        int rc2 = outfile_close(&o, rc == 0, err);
        rc = rc < 0 ? rc : rc2;
    }
    buf_fini(&path);
    buf_fini(&xpath);
    return rc;
}

int results_write(const struct results *r, struct diag *err)
{
    struct compare_options copt = r->copt;
    copt.column_names = (const char *const *)r->cohort_cols->v;
    /* Clusters by each column's level; the tally's cells are residents
     * only with a resident column (else each is an evaluation or a row). */
    if (r->ri->cohort_levels.n == r->cohort_cols->n)
        copt.levels = (const char *const *)r->ri->cohort_levels.v;
    copt.have_resident = r->ri->resident_col != NULL;
    copt.have_evaluator = r->ri->evaluator_col != NULL;
    struct comparisons cmp;
    if (compare_run(r->t, r->set, &copt, &cmp, err) < 0) {
        comparisons_fini(&cmp);
        return -1;
    }
    struct writer_ctx w = {r, &cmp};
    /* Every file the run leaves, for the summary: the page to open first. */
    struct strvec files = {0};
    strvec_push(&files, "report.html");
    strvec_push(&files, "rates.csv");
    strvec_push(&files, "comparisons.csv");
    for (size_t i = 0; i < r->nwritten; i++)
        strvec_push(&files, r->written[i]);
    int rc = write_file(&w, "rates.csv", write_rates, err);
    if (rc == 0)
        rc = write_file(&w, "comparisons.csv", write_comparisons, err);
    /* --adjust: the adjusted comparisons need the fine cells' strata. */
    if (rc == 0 && r->ri->adjust_cols.n) {
        if (!tally_has_fine(r->t)) {
            if (copt.warn)
                diags_add(copt.warn, DIAG_WARNING, NULL, 0, 0, "--adjust: a "
                      "merged part has no covariate strata (tally format "
                      "before 6): adjusted.csv is not written");
        } else {
            strvec_push(&files, "adjusted.csv");
            rc = write_file(&w, "adjusted.csv", write_adjusted, err);
        }
    }
    if (rc == 0)
        rc = write_html(&w, err);
    if (rc == 0 && r->excerpts && r->xi && r->review && r->review->enabled) {
        strvec_push(&files, "review/ (the packet: review.html, review.csv)");
        struct buf xpath;
        buf_init(&xpath);
        buf_printf(&xpath, "%s/excerpts.csv", r->out_dir);
        rc = review_write(r->review, r->t, r->ri, r->out_dir,
                          buf_cstr(&xpath), r->xi, err);
        buf_fini(&xpath);
    }
    if (rc == 0 && r->before_manifest)
        rc = r->before_manifest(r->ctx, err);
    if (rc == 0) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        r->ri->elapsed_seconds =
            (double)now.tv_sec + (double)now.tv_nsec / 1e9 - r->t0;
        if (r->os) {
            strvec_fini(&r->ri->outputs);
            outset_list(r->os, &r->ri->outputs);
            strvec_push(&r->ri->outputs, OUTSET_MANIFEST);
        }
        rc = write_file(&w, OUTSET_MANIFEST, write_manifest, err);
    }
    strvec_push(&files, "manifest.json");
    if (rc == 0 && r->summary)
        report_summary(r->summary, r->ri, r->t, r->set, r->cohort_cols, &cmp,
                       &files);
    strvec_fini(&files);
    comparisons_fini(&cmp);
    return rc;
}
