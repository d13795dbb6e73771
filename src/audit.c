/* audit.c - the audit engine (audit.h): setup, the column roles, one
 * record into the tally and the sink, and the run's files at the end.
 * The read loop, serial and pooled, is audit_read.c.
 *
 *   reader -> record -> (per text column) scan: normalize -> tokenize ->
 *   match -> excerpt -> sink;  hits -> tally -> results (compare, writers)
 */
#include "audit_private.h"
#include "verdicts.h"
#include "adjust.h"
#include "keycheck.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "report.h"
#include "results.h"
#include "tally_file.h"

/* ------------------------------------------------------- default sink */

/* excerpts.csv, each row noted in report.html's index just before it is
 * written (the index keeps the row's offset in the file, and the fields
 * the page shows). */
static void csv_format(void *ctx, FILE *f, const struct excerpt_row *row)
{
    (void)ctx;
    report_excerpts_row(f, row);
}

/* excerpts.csv when its offsets cannot be counted (audit_rows_direct
 * says 0: ftello failed on it): each row's offset asked of the file, its
 * bytes split again for the fields the report holds. */
static int csv_emit(void *ctx, const char *bytes, size_t len,
                    const struct audit_row_info *info, struct diag *err)
{
    (void)err; /* a write error shows when the file is closed */
    struct audit *a = ctx;
    excerpt_index_add(a->xi, a->excerpts.f, info->entry, info->mark_start,
                      info->mark_end, info->cohorts);
    excerpt_index_hold(a->xi, bytes, len);
    fwrite(bytes, 1, len, a->excerpts.f);
    return 0;
}

int audit_rows_direct(const struct audit *a)
{
    return a->rows_direct;
}

/* ------------------------------------------------------------ setup */

void scratch_init(struct scratch *sc, matcher *m)
{
    memset(sc, 0, sizeof *sc);
    sc->m = m;
    scan_init(&sc->scan);
    buf_init(&sc->id_buf);
    buf_init(&sc->ev_buf);
}

void scratch_fini(struct scratch *sc)
{
    scan_fini(&sc->scan);
    free(sc->th.v);
    buf_fini(&sc->id_buf);
    buf_fini(&sc->ev_buf);
}

static int load_lexicons(struct audit *a, struct diag *err)
{
    a->set = lexicon_set_new();
    for (size_t i = 0; i < a->cfg.nlexicons; i++)
        if (lexicon_set_load(a->set, a->cfg.lexicons[i], err) < 0)
            return -1;
    if (a->set->nentries == 0) {
        diag_set(err, DIAG_ERROR, a->cfg.nlexicons ? a->cfg.lexicons[0] : NULL,
                 0, 0, "no lexicon entries loaded (give --lexicon FILE or DIR)");
        return -1;
    }
    for (size_t i = 0; i < a->set->nlexicons; i++) /* never overwritten */
        outfile_protect(a->set->lexicons[i].path);
    a->m = matcher_new(a->set, err);
    a->sc.m = a->m;
    return a->m ? 0 : -1;
}

static int load_cohort_map(struct audit *a, struct diag *err)
{
    uint64_t bytes;
    if (reader_hash_file(a->cfg.cohort_map, a->ri.cohort_map_sha256, &bytes,
                         err) < 0)
        return -1;
    a->cmap = cohortmap_load(a->cfg.cohort_map, &a->warn, err);
    audit_flush_warnings(a);
    if (!a->cmap)
        return -1;
    a->ri.cohort_map = a->cfg.cohort_map;
    return 0;
}

audit *audit_new(const struct audit_config *cfg, struct diag *err)
{
    struct audit *a = xcalloc(1, sizeof *a);
    a->cfg = *cfg;
    if (a->cfg.threads < 1)
        a->cfg.threads = 1;
    a->map.id = a->map.resident = a->map.evaluator = a->map.question = -1;
    a->cur_eval = UINT64_MAX;
    questions_init(&a->q);
    strmap_init(&a->ev.by_id);
    strmap_init(&a->ev.strs_by);
    strmap_init(&a->missing);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    a->t0 = (double)t0.tv_sec + (double)t0.tv_nsec / 1e9;
    time_t wall = time(NULL);
    strftime(a->ri.started_at, sizeof a->ri.started_at, "%Y-%m-%dT%H:%M:%SZ",
             gmtime(&wall));
    a->ri.version = cfg->version;
    a->ri.out_dir = cfg->out_dir;
    a->ri.verdicts_dir = cfg->verdicts;
    a->ri.period = cfg->period;
    for (size_t i = 0; i < cfg->nargs; i++)
        strvec_push(&a->ri.args, cfg->args[i]);
    if (cfg->config) { /* paths by file name, as the inputs are */
        a->ri.config_name = path_basename(cfg->config->path);
        memcpy(a->ri.config_sha256, cfg->config->sha256, 65);
        for (size_t i = 0; i < cfg->config->n; i++) {
            const struct config_pair *p = &cfg->config->pairs[i];
            strvec_push(&a->ri.config_keys, p->key->name);
            strvec_push(&a->ri.config_values, p->key->is_path
                        ? path_basename(p->written) : p->written);
        }
    }
    a->ri.ninputs = cfg->ninputs;
    a->ri.inputs = xcalloc(cfg->ninputs ? cfg->ninputs : 1,
                           sizeof *a->ri.inputs);
    if (cfg->sink) {
        a->sink = *cfg->sink;
    } else {
        a->sink = (struct audit_sink){csv_format, csv_emit, a};
    }
    /* No output may replace an input, whatever out_dir says (outfile.h). */
    for (size_t i = 0; i < cfg->ninputs; i++)
        outfile_protect(cfg->inputs[i]);
    if (cfg->cohort_map)
        outfile_protect(cfg->cohort_map);
    scratch_init(&a->sc, NULL);

    int rc = load_lexicons(a, err);
    if (rc == 0 && cfg->cohort_map)
        rc = load_cohort_map(a, err);
    for (size_t i = 0; rc == 0 && i < cfg->nquestions; i++)
        rc = questions_add(&a->q, cfg->questions[i], err);
    if (rc == 0 && cfg->roster) {
        outfile_protect(cfg->roster);
        struct roster_options ro = {
            .path = cfg->roster, .sheet = cfg->roster_sheet,
            .key = cfg->roster_key, .cohort = cfg->roster_cohort,
            .ncohort = cfg->nroster_cohort, .ropt = cfg->ropt,
        };
        a->roster = roster_load(&ro, err);
        rc = a->roster ? 0 : -1;
    }
    if (rc == 0 && cfg->id_key) {
        rc = pseudonym_key_load(&a->key, cfg->id_key, err);
        if (rc == 0)
            a->ri.key_fingerprint = a->key.fingerprint;
        int weak = rc == 0 && keycheck(cfg->id_key, a->key.key, a->key.len,
                                       &a->warn);
        audit_flush_warnings(a);
        if (weak && cfg->strict) {
            diag_set(err, DIAG_ERROR, cfg->id_key, 0, 0,
                     "--strict: the key warnings above are errors");
            rc = -1;
        }
    }
    if (rc == 0 && cfg->review && cfg->review->names_file)
        rc = review_load_names(cfg->review, cfg->review->names_file, err);
    if (rc == 0 && cfg->review)
        rc = review_check(cfg->review, cfg->out_dir, err);
    if (rc == 0 && cfg->verdicts && verdicts_check_dir(cfg->verdicts, err) < 0)
        rc = -1;
    /* Each entry's three constant cells of an excerpts.csv row, written
     * once rather than on every row. */
    if (rc == 0 && !cfg->tally_only) {
        size_t ne = a->set->nentries;
        a->entry_cells = xcalloc(ne ? ne : 1, sizeof *a->entry_cells);
        a->entry_cells_len = xcalloc(ne ? ne : 1, sizeof *a->entry_cells_len);
        for (size_t e = 0; e < ne; e++) {
            const struct lex_entry *le = &a->set->entries[e];
            a->entry_cells[e] = report_excerpts_entry_cells(
                a->set->lexicons[le->lexicon].name,
                a->set->categories[le->category].name, le->term,
                &a->entry_cells_len[e]);
        }
    }
    /* One thread formats each excerpt row here, then emits it. */
    if (rc == 0 && !cfg->tally_only &&
        !(a->row_f = open_memstream(&a->row_p, &a->row_len))) {
        diag_set(err, DIAG_ERROR, NULL, 0, 0, "cannot allocate a buffer: %s",
                 strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        audit_free(a);
        return NULL;
    }
    a->ri.set = a->set;
    return a;
}

static int review_on(const struct audit *a)
{
    return a->cfg.review && a->cfg.review->enabled;
}

/* ------------------------------------------------------- the header */

/* The run's outputs are one set (outset.h): written into a staging
 * folder, published together by audit_finish. */
static int make_out_dir(struct audit *a)
{
    a->os = outset_open(a->cfg.out_dir, &a->err);
    if (!a->os)
        return -1;
    if (a->cfg.tally_only || a->cfg.sink) /* shards share counts, never text */
        return 0;
    struct buf p;
    buf_init(&p);
    buf_printf(&p, "%s/excerpts.csv", outset_dir(a->os));
    int rc = outfile_open(&a->excerpts, p.p, &a->err);
    buf_fini(&p);
    if (rc == 0) {
        a->excerpts_open = 1;
        report_excerpts_begin(a->excerpts.f);
        off_t at = ftello(a->excerpts.f);
        a->excerpts_off = at < 0 ? UINT64_MAX : (uint64_t)at;
        a->rows_direct = a->sink.emit == csv_emit && at >= 0;
        a->xi = excerpt_index_new(EXCERPT_INDEX_CAP, a->set->nentries,
                                  a->ncols);
    }
    return rc;
}

/* The tally needs the cohort columns, known once the first header is. */
static void start_tally(struct audit *a)
{
    const struct lexicon_set *set = a->set;
    uint32_t *cat = xmalloc((set->nentries ? set->nentries : 1) * sizeof *cat);
    for (size_t e = 0; e < set->nentries; e++)
        cat[e] = set->entries[e].category;
    /* Without a cohort column the rates are for everyone, as one cohort. */
    for (size_t c = 0; c < a->ncols; c++)
        strvec_push(&a->rate_cols, a->ri.cohort_cols.v[c]);
    if (a->ncols == 0)
        strvec_push(&a->rate_cols, "(all)");
    a->t = tally_new(a->rate_cols.n, set->nentries, cat, set->ncategories);
    free(cat);
    /* No resident column: residents are unknown, and a cell per evaluation
     * would serve nothing (comparisons need the cluster column) while
     * costing memory with every row (issues 17, 18). */
    if (!a->ri.resident_col)
        tally_no_residents(a->t);
    /* Evaluator ids and covariate strata: fine cells (tally.h). */
    if (a->map.evaluator >= 0 || a->nstrata)
        tally_keep_fine(a->t);
    a->cohort_vals = xcalloc(a->rate_cols.n, sizeof *a->cohort_vals);
    a->cohort_vals[0] = "all";
}

int audit_first_header(struct audit *a, const reader *r)
{
    for (size_t i = 0; i < reader_ncolumns(r); i++)
        strvec_push(&a->header, reader_column(r, i));
    const struct audit_config *c = &a->cfg;
    struct column_request rq = {
        .text = c->text, .ntext = c->ntext,
        .cohort = c->cohort, .ncohort = c->ncohort, .guess_cohort = 1,
        .id = c->id, .resident = c->resident,
        .want_evaluator = 1, .evaluator = c->evaluator,
        .question = c->question, .answer = c->answer,
        .file = c->inputs[0],
    };
    if (columns_resolve((const char *const *)a->header.v, a->header.n, &rq,
                        &a->map, &a->err) < 0)
        return -1;
    struct run_info *ri = &a->ri;
    for (size_t i = 0; i < a->map.ntext; i++)
        strvec_push(&ri->text_cols, a->map.text_names.v[i]);
    if (units_setup(a) < 0)
        return -1;
    ri->text_guessed = a->map.text_guessed;
    ri->cohort_guessed = a->map.cohort_guessed;
    ri->id_guessed = a->map.id_guessed;
    ri->resident_guessed = a->map.resident_guessed;
    ri->id_col = a->map.id_name;
    ri->resident_col = a->map.resident_name;
    if (a->map.evaluator >= 0) {
        ri->evaluator_col = a->header.v[a->map.evaluator];
        ri->evaluator_guessed = c->evaluator == NULL;
    }
    if (c->cb.columns)
        c->cb.columns(c->cb.ctx, ri);
    if (make_out_dir(a) < 0)
        return -1;
    if (audit_learn_names(a) < 0)
        return -1;
    start_tally(a);
    return 0;
}

/* A later input must have the first one's header, column for column. */
int audit_same_header(struct audit *a, const reader *r, const char *path)
{
    size_t n = reader_ncolumns(r);
    for (size_t i = 0; i < n || i < a->header.n; i++) {
        const char *x = i < a->header.n ? a->header.v[i] : "(none)";
        const char *y = i < n ? reader_column(r, i) : "(none)";
        if (i >= n || i >= a->header.n || strcmp(x, y) != 0) {
            diag_set(&a->err, DIAG_ERROR, path, 1, 0,
                     "header differs from %s's: column %zu is \"%s\" here, "
                     "\"%s\" there; all inputs must share one header",
                     a->cfg.inputs[0], i + 1, y, x);
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------- what is reported */

void audit_warnings(struct audit *a, const char *text, size_t len)
{
    if (len && a->cfg.cb.warnings)
        a->cfg.cb.warnings(a->cfg.cb.ctx, text, len);
}

/* The warnings a->warn holds, rendered, to the callback. */
void audit_flush_warnings(struct audit *a)
{
    if (!a->warn.n)
        return;
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    if (!f) {
        a->warn.n = 0; /* out of memory: dropped, never printed here */
        return;
    }
    diags_flush(&a->warn, f);
    fclose(f);
    audit_warnings(a, p, n);
    free(p);
}

void audit_progress(struct audit *a, const reader *r, int done)
{
    if (a->cfg.cb.progress)
        a->cfg.cb.progress(a->cfg.cb.ctx, reader_bytes_read(r),
                           reader_bytes_total(r), a->ri.rows_read, done);
}

/* ------------------------------------------------------------ the rows */

/* Match one comment field and format its excerpt rows. Changes nothing in
 * a: pool threads run it at once, each with its own scratch. */
static int audit_field(const struct audit *a, struct scratch *sc,
                       struct rows_out *o, const struct span *f,
                       const char *column,
                       const char *id, const char *resident, uint64_t *words,
                       struct diag *err)
{
    const struct lexicon_set *set = a->set;
    struct scan *s = &sc->scan;
    size_t nw;
    if (scan_field(s, sc->m, f->p, f->len, &nw, err) < 0)
        return -1;
    *words += nw;
    struct thv *th = o->th;
    grow(&th->v, &th->cap, th->n + s->hits.n + 1, sizeof *th->v);
    for (size_t h = 0; h < s->hits.n; h++) {
        const struct hit *hit = &s->hits.v[h];
        const struct lex_entry *e = &set->entries[hit->entry];
        th->v[th->n++] =
            (struct tally_hit){hit->entry, hit->negated, hit->aside};
        if (a->cfg.tally_only)
            continue;
        const struct excerpt *ex = scan_excerpt(s, hit);
        size_t ms = ex->mark_start, me = ex->mark_end;
        struct buf xb, mb; /* under --id-key: names -> pseudonyms */
        buf_init(&xb);
        buf_init(&mb);
        if (a->names)
            audit_mask_excerpt(a, ex->text.p, ex->text.len, &ms, &me,
                               ex->matched.p,
                               ex->matched.len, &xb, &mb);
        struct excerpt_row row = {
            .evaluation_id = id, .resident = resident,
            .column = column,
            .lexicon = set->lexicons[e->lexicon].name,
            .category = set->categories[e->category].name,
            .term = e->term,
            .matched_text = a->names ? mb.p : ex->matched.p,
            .matched_len = a->names ? mb.len : ex->matched.len,
            .negated = hit->negated, .start = ex->start, .end = ex->end,
            .excerpt = a->names ? xb.p : ex->text.p,
            .referent = hit->aside == REF_OTHER ? sc->refbuf : NULL,
            .quoted = hit->aside == REF_QUOTED,
            .entry_cells = a->entry_cells ? a->entry_cells[hit->entry] : NULL,
            .entry_cells_len = a->entry_cells ? a->entry_cells_len[hit->entry]
                                              : 0,
        };
        if (hit->aside == REF_OTHER)
            snprintf(sc->refbuf, sizeof sc->refbuf, "other:%s", hit->why);
        if (!o->b && audit_rows_direct(a)) {
            /* One thread, excerpts.csv: the row straight to the file at
             * its counted offset, and its fields (not its bytes split
             * again) to the index. */
            struct audit *w = a->sink.ctx;
            excerpt_index_add_at(w->xi, w->excerpts_off, hit->entry, ms, me,
                                 a->cohort_vals);
            w->excerpts_off += report_excerpts_row(w->excerpts.f, &row);
            excerpt_index_hold_row(w->xi, &row);
            buf_fini(&xb);
            buf_fini(&mb);
        } else if (!o->b) {
            /* One thread: format, then emit at once. */
            fseeko(o->f, 0, SEEK_SET);
            a->sink.format(a->sink.ctx, o->f, &row);
            fflush(o->f);
            struct audit_row_info info = {hit->entry, ms, me,
                                          a->cohort_vals};
            off_t len = ftello(o->f);
            int erc = a->sink.emit(a->sink.ctx, a->row_p,
                                   len < 0 ? 0 : (size_t)len, &info, err);
            buf_fini(&xb);
            buf_fini(&mb);
            if (erc < 0)
                return -1;
        } else {
            a->sink.format(a->sink.ctx, o->f, &row);
            batch_note_row(o->b, o->f, hit->entry, ms, me,
                           audit_rows_direct(a) ? &row : NULL);
            buf_fini(&xb);
            buf_fini(&mb);
        }
    }
    return 0;
}

void record_skip(struct audit *a, size_t input, unsigned long row,
                 enum record_kind k)
{
    if (k == RECORD_NOT_COMMENT) {
        /* A long export's rating or blank answer: part of the export's
         * evaluations, read and accounted for, but no words to scan. */
        a->ri.rows_analysed++;
        a->ri.rows_without_comment++;
    } else if (k == RECORD_BLANK_ID)
        run_info_skip(&a->ri, input, row, "blank evaluation id",
                      "blank evaluation id: the --id column is empty");
    else if (k == RECORD_BLANK_RESIDENT)
        run_info_skip(&a->ri, input, row, "blank resident",
                      "blank resident: the resident column is empty");
    else
        run_info_skip(&a->ri, input, row, "no comment text",
                      "no comment text: every text column is empty");
}

/* An analysed record's evaluation id, its resident (the pseudonym under
 * --id-key; NULL without a resident column), and its evaluator for the
 * fine cell (tally.h: the pseudonym under --id-key, as the resident; ""
 * without an evaluator column), in sc's buffers. */
void record_names(const struct audit *a, struct scratch *sc, size_t input,
                  unsigned long row, const struct span *fl, const char **id,
                  const char **resident, const char **evaluator)
{
    *resident = NULL;
    if (a->map.resident >= 0) {
        *resident = fl[a->map.resident].p;
        if (a->key.key) {
            pseudonym_make(&a->key, fl[a->map.resident].p,
                           fl[a->map.resident].len, sc->pseudonym);
            *resident = sc->pseudonym;
        }
    }
    buf_clear(&sc->id_buf);
    if (a->map.id >= 0 && !columns_blank(&fl[a->map.id]))
        buf_append(&sc->id_buf, fl[a->map.id].p, fl[a->map.id].len);
    else if (a->ri.ninputs > 1)
        buf_printf(&sc->id_buf, "%zu:%lu", input + 1, row);
    else
        buf_printf(&sc->id_buf, "%lu", row);
    *id = buf_cstr(&sc->id_buf);
    buf_clear(&sc->ev_buf);
    if (a->map.evaluator >= 0) {
        const struct span *e = &fl[a->map.evaluator];
        if (a->key.key && e->len) {
            char ps[PSEUDONYM_LEN + 1];
            pseudonym_make(&a->key, e->p, e->len, ps);
            buf_puts(&sc->ev_buf, ps);
        } else {
            buf_append(&sc->ev_buf, e->p, e->len);
        }
    }
    *evaluator = buf_cstr(&sc->ev_buf);
}

/* Every text column of an analysed record: excerpt rows to o, tally hits
 * appended to o->th, words counted. */
int record_fields(const struct audit *a, struct scratch *sc,
                  struct rows_out *o, const struct span *fl, const char *id,
                  const char *resident, uint64_t *words, struct diag *err)
{
    *words = 0;
    /* In a long export the question plays the part of the column. */
    for (size_t i = 0; i < a->map.ntext; i++)
        if (audit_field(a, sc, o, &fl[a->map.text[i]],
                        a->map.question >= 0 ? fl[a->map.question].p
                                             : a->ri.text_cols.v[i],
                        id, resident ? resident : "", words, err) < 0)
            return -1;
    return 0;
}

/* An analysed record's cohort labels (each excerpt records its
 * evaluation's) into a->cohort_vals, and its evaluator for the review
 * packet. */
void record_cohorts(struct audit *a, const struct span *fl)
{
    long rk = -2; /* the resident's roster row, looked up once */
    for (size_t c = 0; c < a->ncols; c++) {
        const struct cohort_src *src = &a->csrc[c];
        const char *label = src->col >= 0 ? fl[src->col].p : "";
        if (src->roster >= 0) {
            if (rk == -2)
                rk = roster_find(a->roster, fl[a->map.resident].p,
                                 fl[a->map.resident].len);
            /* A resident the roster lacks keeps the export's label. */
            if (rk >= 0) {
                const char *rl = roster_value(a->roster, rk,
                                              (size_t)src->roster);
                if (src->col >= 0 && !columns_blank(&fl[src->col]) &&
                    strcasecmp(rl, label) != 0)
                    a->ri.roster_disagreements++;
                label = rl;
            }
        }
        a->cohort_vals[c] = a->cmap ? cohortmap_apply(a->cmap, label) : label;
    }
    if (rk == -1) {
        int added;
        strmap_put(&a->missing, fl[a->map.resident].p,
                   fl[a->map.resident].len, 0, &added);
        if (added) {
            a->ri.roster_missing++;
            if (a->ri.roster_missing_names.n < ROSTER_MISSING_LIST)
                strvec_push(&a->ri.roster_missing_names,
                            fl[a->map.resident].p);
        }
    }
    if (a->map.evaluator >= 0 && review_on(a))
        review_add_evaluator(a->cfg.review, fl[a->map.evaluator].p,
                             fl[a->map.evaluator].len);
}

/* Count an analysed record, after record_cohorts: its fine cell is its
 * evaluator's (record_names) and the covariate stratum's. */
void record_count(struct audit *a, const char *id, const char *resident,
                  const char *evaluator, uint64_t words,
                  const struct tally_hit *th, size_t nth)
{
    (void)id; /* no longer a cluster: see start_tally */
    /* The stratum from the evaluation's labels (a long export's later
     * parts have its first part's by now). */
    buf_clear(&a->fine_st);
    for (size_t i = 0; i < a->nstrata; i++) {
        if (i)
            buf_puts(&a->fine_st, ADJUST_SEP);
        buf_puts(&a->fine_st, a->cohort_vals[a->strata[i]]);
    }
    struct tally_eval ev = {
        .cohorts = a->cohort_vals,
        .resident = a->cur_resident ? a->cur_resident
                  : resident, /* none: the tally's anonymous cell */
        .words = words, .hits = th, .nhits = nth,
        .evaluator = evaluator, .stratum = buf_cstr(&a->fine_st),
    };
    if (a->cur_eval == UINT64_MAX)
        tally_add(a->t, &ev);
    else
        tally_add_part(a->t, &ev, a->cur_eval, a->cur_first);
    for (size_t i = 0; i < nth; i++) {
        if (th[i].aside == REF_OTHER)
            a->ri.other_referent++;
        else if (th[i].aside == REF_QUOTED)
            a->ri.quoted++;
        else if (th[i].negated)
            a->ri.negated++;
        else
            a->ri.hits++;
    }
    a->ri.words += words;
    a->ri.rows_analysed++;
}

/* One record, on one thread. */
int audit_record(struct audit *a, size_t input, const struct record *rec)
{
    a->ri.rows_read++;
    const struct span *fl = rec->fields;
    enum record_kind k = audit_record_kind(a, fl);
    if (k != RECORD_ANALYSE) {
        record_skip(a, input, rec->row, k);
        return 0;
    }
    const char *id, *resident, *evaluator;
    record_names(a, &a->sc, input, rec->row, fl, &id, &resident, &evaluator);
    record_cohorts(a, fl);
    record_eval(a, id, resident);
    a->sc.th.n = 0;
    struct rows_out o = {a->row_f, NULL, &a->sc.th};
    uint64_t words;
    if (record_fields(a, &a->sc, &o, fl, id, resident, &words, &a->err) < 0)
        return -1;
    record_count(a, id, resident, evaluator, words, a->sc.th.v, a->sc.th.n);
    return 0;
}

int audit_run(audit *a, struct diag *err)
{
    int rc = 0;
    if (a->cfg.ninputs == 0) {
        diag_set(&a->err, DIAG_ERROR, NULL, 0, 0, "no input file");
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < a->cfg.ninputs; i++)
        rc = audit_input(a, i);
    if (rc == 0)
        rc = units_finish(a);
    if (rc != 0)
        *err = a->err;
    else
        tally_finish(a->t);
    return rc;
}

/* ------------------------------------------------------------ outputs */

static double elapsed(const struct audit *a)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9 - a->t0;
}

/* Labels a cohort map leaves unmapped are kept as their own cohort; say
 * so, since a map usually means to cover every spelling. */
static void report_unmapped(const struct audit *a)
{
    if (!a->cfg.cb.unmapped)
        return;
    for (size_t c = 0; c < a->ncols; c++)
        for (size_t k = 0; k < tally_ncohorts(a->t, c); k++) {
            const char *name = tally_cohort_name(a->t, c, k);
            if (strcmp(name, TALLY_BLANK) != 0 &&
                !cohortmap_is_target(a->cmap, name))
                a->cfg.cb.unmapped(a->cfg.cb.ctx, a->cfg.cohort_map, name,
                                   a->ri.cohort_cols.v[c]);
        }
}

/* The counts for `evalbias merge` (tally_file.h), as TALLY_FILE_NAME in
 * the output folder. */
static int tally_out_open(struct audit *a, struct outfile *o,
                          struct diag *err)
{
    struct buf path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", outset_dir(a->os), TALLY_FILE_NAME);
    int rc = outfile_open(o, buf_cstr(&path), err);
    buf_fini(&path);
    return rc;
}

static int tally_out_write(const struct audit *a, FILE *f, struct diag *err)
{
    struct tally_file_meta meta = {
        .ri = &a->ri, .set = a->set, .cols = &a->rate_cols,
        .clusters = a->ri.resident_col ? TALLY_CLUSTERS_RESIDENT
                                       : TALLY_CLUSTERS_NONE,
        .key_fingerprint = a->ri.key_fingerprint, .pl = a->pl,
    };
    return tally_file_write(f, a->t, &meta, err);
}

static int write_tally_file(struct audit *a, struct diag *err)
{
    struct outfile o;
    int rc = tally_out_open(a, &o, err);
    if (rc == 0) {
        rc = tally_out_write(a, o.f, err);
        int rc2 = outfile_close(&o, rc == 0, err);
        rc = rc < 0 ? rc : rc2;
    }
    return rc;
}

/* With threads > 1 the tally file is written on a thread of its own while
 * results_write computes and writes the rest: both only read the finished
 * tally and run_info (results_write changes run_info only after its
 * before_manifest, tally_job_end). The file is opened and closed on the
 * calling thread (outfile's list of temporary files is not shared), and
 * put in place before the manifest lists the set. As when it was written
 * first, its error, if it has one, is the run's. */
struct tally_job {
    struct audit *a;
    struct outfile o;
    pthread_t tid;
    int started, ended;
    int rc;
    struct diag err;
};

static void *tally_job_main(void *arg)
{
    struct tally_job *j = arg;
    j->rc = tally_out_write(j->a, j->o.f, &j->err);
    return NULL;
}

/* Wait for the tally file and put it in place (once; later calls give the
 * same answer). Returns 0, or -1 with err set to its error. */
static int tally_job_end(void *ctx, struct diag *err)
{
    struct tally_job *j = ctx;
    if (!j->ended) {
        j->ended = 1;
        if (j->started)
            pthread_join(j->tid, NULL);
        int rc2 = outfile_close(&j->o, j->rc == 0, &j->err);
        j->rc = j->rc < 0 ? j->rc : rc2;
    }
    if (j->rc < 0)
        *err = j->err;
    return j->rc;
}

/* tally_only: the tally file and the manifest; no statistics, no
 * excerpts. */
static int finish_tally(struct audit *a, struct diag *err)
{
    int rc = write_tally_file(a, err);
    if (rc == 0) {
        a->ri.elapsed_seconds = elapsed(a);
        struct buf path;
        buf_init(&path);
        buf_printf(&path, "%s/" OUTSET_MANIFEST, outset_dir(a->os));
        struct outfile o;
        rc = outfile_open(&o, buf_cstr(&path), err);
        buf_fini(&path);
        if (rc == 0) {
            strvec_fini(&a->ri.outputs);
            outset_list(a->os, &a->ri.outputs);
            strvec_push(&a->ri.outputs, OUTSET_MANIFEST);
            report_manifest_write(o.f, &a->ri, a->t, NULL);
            rc = outfile_close(&o, 1, err);
        }
    }
    return rc;
}

/* All written: move the set into out_dir (outset_publish); otherwise
 * remove the staging folder, and out_dir keeps its previous set. */
static int publish(struct audit *a, int rc, struct diag *err)
{
    outset *os = a->os;
    a->os = NULL;
    if (rc != 0 || !os) {
        outset_abort(os);
        return rc != 0 ? rc : -1;
    }
    return outset_publish(os, err);
}

static int finish(audit *a, FILE *summary, struct diag *err);

int audit_finish(audit *a, FILE *summary, struct diag *err)
{
    if (!a->os) {
        diag_set(err, DIAG_ERROR, a->cfg.out_dir, 0, 0, "nothing to write: "
                 "no header was read");
        return -1;
    }
    return publish(a, finish(a, summary, err), err);
}

static int finish(audit *a, FILE *summary, struct diag *err)
{
    if (a->cfg.tally_only)
        return finish_tally(a, err);
    if (a->excerpts_open) {
        a->excerpts_open = 0;
        if (outfile_close(&a->excerpts, 1, err) < 0)
            return -1;
    }
    if (a->cmap)
        report_unmapped(a);
    /* Every audit leaves its counts too, so `merge` (and any later
     * command that starts from counts) can start from any output folder:
     * with one thread first, else meanwhile (struct tally_job). */
    struct tally_job tj = {.a = a};
    if (tally_out_open(a, &tj.o, err) < 0)
        return -1;
    tj.started = a->cfg.threads > 1 &&
                 pthread_create(&tj.tid, NULL, tally_job_main, &tj) == 0;
    if (!tj.started) {
        tally_job_main(&tj);
        if (tally_job_end(&tj, err) < 0)
            return -1;
    }
    static const char *const written[] = {"excerpts.csv", TALLY_FILE_NAME};
    struct results r = {
        .ri = &a->ri, .t = a->t, .set = a->set, .cohort_cols = &a->rate_cols,
        .copt = a->cfg.copt, .out_dir = outset_dir(a->os), .os = a->os,
        .summary = summary,
        .t0 = a->t0, .review = a->cfg.review,
        .excerpts = !a->cfg.sink, .xi = a->xi,
        .written = written + (a->cfg.sink ? 1 : 0),
        .nwritten = a->cfg.sink ? 1 : 2,
        .before_manifest = tally_job_end, .ctx = &tj,
    };
    r.copt.warn = &a->warn; /* "reference chosen: ..." */
    int rc = results_write(&r, err);
    /* Written first, it would have failed before any of this was
     * computed: its error is the run's, and nothing of the rest is said
     * (the warnings compare_run gave are not flushed). */
    if (tally_job_end(&tj, err) < 0)
        return -1;
    audit_flush_warnings(a);
    return rc;
}

const struct run_info *audit_run_info(const audit *a)
{
    return &a->ri;
}

const tally *audit_tally(const audit *a)
{
    return a->t;
}

const struct lexicon_set *audit_lexicons(const audit *a)
{
    return a->set;
}

void audit_free(audit *a)
{
    if (!a)
        return;
    if (a->excerpts_open)
        outfile_close(&a->excerpts, 0, NULL);
    outset_abort(a->os);
    audit_pass_free(a->pass);
    excerpt_index_free(a->xi);
    for (size_t e = 0; a->entry_cells && e < a->set->nentries; e++)
        free(a->entry_cells[e]);
    free(a->entry_cells);
    free(a->entry_cells_len);
    if (a->row_f)
        fclose(a->row_f);
    free(a->row_p);
    pseudonym_key_fini(&a->key);
    review_masker_free(a->names);
    units_free(a);
    tally_free(a->t);
    cohortmap_free(a->cmap);
    matcher_free(a->m);
    lexicon_set_free(a->set);
    scratch_fini(&a->sc);
    free(a->cohort_vals);
    column_map_fini(&a->map);
    diags_fini(&a->warn);
    strvec_fini(&a->header);
    strvec_fini(&a->rate_cols);
    run_info_fini(&a->ri);
    free(a);
}
