/* test_audit.c - the audit engine through its API (audit.h): a config in,
 * a small CSV in a temporary folder, tallies, run_info and excerpt rows
 * (through a test sink) checked against counts worked out by hand; the
 * same results on one thread and on several; callbacks; errors that name
 * the column; the default sink's files. */
#include "check.h"
#include "audit.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static void write_file(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
}

/* Hand count (lexicon: bossy, abrasive, "lacks confidence"):
 *   E1 Ann F   "bossy ... bossy"            2 bossy
 *   E2 Bob M   "not bossy" + "abrasive"     1 negated bossy, 1 abrasive
 *   E3 Cy  F   (no text)                    skipped: no comment text
 *   E4 --  M   (no resident)                skipped: blank resident
 *   E5 Dee F   "lacks\nconfidence" (two lines), in Strengths
 *   E6 Ann F   "Kind."                      no hit, 1 word */
static const char csv[] =
    "Evaluation ID,Resident,Resident Gender,Strengths,Comments\n"
    "E1,Ann,F,\"She is bossy, really bossy.\",\n"
    "E2,Bob,M,He is not bossy.,Abrasive with staff.\n"
    "E3,Cy,F,,\n"
    "E4,,M,bossy,\n"
    "E5,Dee,F,\"She lacks\n  confidence.\",\n"
    "E6,Ann,F,,Kind.\n";

/* The test sink: one line a row, "id|column|term|matched|negated|cohort". */
struct rows {
    struct buf b;
    size_t n;
};

static void t_format(void *ctx, FILE *f, const struct excerpt_row *r)
{
    (void)ctx;
    fprintf(f, "%s|%s|%s|%.*s|%d", r->evaluation_id, r->column, r->term,
            (int)r->matched_len, r->matched_text, r->negated);
}

static int t_emit(void *ctx, const char *bytes, size_t len,
                  const struct audit_row_info *info, struct diag *err)
{
    (void)err;
    struct rows *rw = ctx;
    buf_append(&rw->b, bytes, len);
    buf_printf(&rw->b, "|%s\n", info->cohorts[0]);
    rw->n++;
    return 0;
}

struct seen {
    int columns;
    char text_cols[128];
    unsigned long last_rows;
    int done;
};

static void t_columns(void *ctx, const struct run_info *ri)
{
    struct seen *s = ctx;
    s->columns++;
    s->text_cols[0] = '\0';
    for (size_t i = 0; i < ri->text_cols.n; i++) {
        strcat(s->text_cols, i ? "," : "");
        strcat(s->text_cols, ri->text_cols.v[i]);
    }
}

static void t_progress(void *ctx, uint64_t bytes, uint64_t total,
                       unsigned long rows, int done)
{
    (void)bytes;
    (void)total;
    struct seen *s = ctx;
    s->last_rows = rows;
    s->done += done;
}

static char in_path[128], lex_path[128], out_path[128];
static const char *inputs[1] = {in_path};
static const char *lexicons[1] = {lex_path};

static void base_config(struct audit_config *c, const struct audit_sink *sink,
                        struct seen *seen)
{
    memset(c, 0, sizeof *c);
    c->inputs = inputs;
    c->ninputs = 1;
    c->lexicons = lexicons;
    c->nlexicons = 1;
    c->out_dir = out_path;
    compare_options_default(&c->copt);
    c->copt.min_residents = 1;
    c->threads = 1;
    c->version = "test";
    c->sink = sink;
    c->cb.ctx = seen;
    c->cb.columns = t_columns;
    c->cb.progress = t_progress;
}

static size_t entry_of(const struct lexicon_set *set, const char *term)
{
    for (size_t e = 0; e < set->nentries; e++)
        if (strcmp(set->entries[e].term, term) == 0)
            return e;
    return (size_t)-1;
}

static size_t cohort_of(const tally *t, const char *name)
{
    for (size_t k = 0; k < tally_ncohorts(t, 0); k++)
        if (strcmp(tally_cohort_name(t, 0, k), name) == 0)
            return k;
    return (size_t)-1;
}

static const char want_rows[] =
    "E1|Strengths|bossy|bossy|0|F\n"
    "E1|Strengths|bossy|bossy|0|F\n"
    "E2|Strengths|bossy|bossy|1|M\n"
    "E2|Comments|abrasive|Abrasive|0|M\n"
    "E5|Strengths|lacks confidence|lacks\n  confidence|0|F\n";

/* One run through a test sink; checks everything the hand count says. */
static void run_counted(unsigned threads)
{
    char what[96];
    struct rows rw = {0};
    buf_init(&rw.b);
    struct audit_sink sink = {t_format, t_emit, &rw};
    struct seen seen = {0};
    struct audit_config cfg;
    base_config(&cfg, &sink, &seen);
    cfg.threads = threads;
    const char *text[] = {"Strengths,Comments"};
    cfg.text = text;
    cfg.ntext = 1;
    struct diag err = {0};
    audit *a = audit_new(&cfg, &err);
    snprintf(what, sizeof what, "%u thread(s): audit_new", threads);
    if (!CHECK(a != NULL, what)) {
        printf("# %s\n", err.msg);
        return;
    }
    int rc = audit_run(a, &err);
    snprintf(what, sizeof what, "%u thread(s): audit_run succeeds", threads);
    if (!CHECK(rc == 0, what))
        printf("# %s\n", err.msg);

    const struct run_info *ri = audit_run_info(a);
    CHECK_INT(ri->rows_read, 6, "rows read");
    CHECK_INT(ri->rows_analysed, 4, "rows analysed");
    CHECK_INT(ri->rows_skipped, 2, "rows skipped (no text, blank resident)");
    CHECK_INT(ri->rows_read, ri->rows_analysed + ri->rows_skipped,
              "every row accounted for");
    CHECK_INT(ri->hits, 4, "hits: 2 bossy, abrasive, lacks confidence");
    CHECK_INT(ri->negated, 1, "negated hits: not bossy");
    /* She(1) is bossy really bossy(5) + He is not bossy(4) + Abrasive with
     * staff(3) + She lacks confidence(3) + Kind(1) */
    CHECK_INT(ri->words, 16, "words in analysed text columns");
    CHECK_STR(ri->resident_col, "Resident", "resident column guessed");
    CHECK(ri->resident_guessed, "resident marked guessed");
    CHECK(!ri->text_guessed, "text columns given, not guessed");
    CHECK_INT(ri->cohort_cols.n, 1, "one cohort column guessed");
    CHECK_INT(seen.columns, 1, "columns callback once");
    CHECK_STR(seen.text_cols, "Strengths,Comments", "--text list split");
    CHECK_INT(seen.last_rows, 6, "progress saw every row");
    CHECK_INT(seen.done, 1, "progress done once");

    CHECK_INT(rw.n, 5, "five excerpt rows through the sink");
    CHECK_STR(buf_cstr(&rw.b), want_rows,
              "excerpt rows in input order, with cohorts and matched text");

    const tally *t = audit_tally(a);
    const struct lexicon_set *set = audit_lexicons(a);
    size_t bossy = entry_of(set, "bossy"), abr = entry_of(set, "abrasive");
    size_t f = cohort_of(t, "F"), m = cohort_of(t, "M");
    CHECK(bossy != (size_t)-1 && f != (size_t)-1 && m != (size_t)-1,
          "entries and cohorts found");
    if (bossy != (size_t)-1 && f != (size_t)-1 && m != (size_t)-1) {
        struct item_counts c = tally_item(t, 0, f, bossy);
        CHECK_INT(c.hits, 2, "F: bossy hits");
        CHECK_INT(c.evals_with_hit, 1, "F: evaluations with bossy");
        c = tally_item(t, 0, m, bossy);
        CHECK_INT(c.hits, 0, "M: no bossy hit");
        CHECK_INT(c.negated, 1, "M: one negated bossy");
        c = tally_item(t, 0, m, abr);
        CHECK_INT(c.hits, 1, "M: abrasive");
        struct cohort_totals ct;
        tally_cohort_totals(t, 0, f, &ct);
        CHECK_INT(ct.evaluations, 3, "F: evaluations E1 E5 E6");
        CHECK_INT(ct.residents, 2, "F: residents Ann, Dee");
        CHECK_INT(ct.words, 9, "F: words");
    }
    audit_free(a);
    buf_fini(&rw.b);
}

/* A --text column the header lacks: the error names it. */
static void test_missing_column(void)
{
    struct audit_config cfg;
    struct seen seen = {0};
    base_config(&cfg, NULL, &seen);
    const char *text[] = {"Strenghts"};
    cfg.text = text;
    cfg.ntext = 1;
    struct diag err = {0};
    audit *a = audit_new(&cfg, &err);
    CHECK(a != NULL, "missing column: audit_new loads");
    int rc = a ? audit_run(a, &err) : -1;
    CHECK(rc < 0, "missing column: audit_run fails");
    CHECK(strstr(err.msg, "\"Strenghts\"") != NULL, "error names the column");
    CHECK(strstr(err.msg, "did you mean \"Strengths\"") != NULL,
          "error suggests the close name");
    CHECK(strstr(err.file, "in.csv") != NULL, "error names the file");
    audit_free(a);
}

static void test_bad_lexicon(void)
{
    struct audit_config cfg;
    struct seen seen = {0};
    base_config(&cfg, NULL, &seen);
    const char *lex[] = {"/nonexistent/lexicon.txt"};
    cfg.lexicons = lex;
    struct diag err = {0};
    audit *a = audit_new(&cfg, &err);
    CHECK(a == NULL, "a lexicon that does not load: audit_new fails");
    CHECK(strstr(err.file, "nonexistent") != NULL, "error names the lexicon");
}

/* The default sink and audit_finish: the run's files in out_dir. */
static void test_files(void)
{
    struct audit_config cfg;
    struct seen seen = {0};
    base_config(&cfg, NULL, &seen);
    struct diag err = {0};
    audit *a = audit_new(&cfg, &err);
    int rc = a ? audit_run(a, &err) : -1;
    if (rc == 0)
        rc = audit_finish(a, NULL, &err);
    if (!CHECK(rc == 0, "default sink: run and finish"))
        printf("# %s\n", err.msg);
    const char *files[] = {"excerpts.csv", "rates.csv", "comparisons.csv",
                           "report.html", "manifest.json", NULL};
    for (size_t i = 0; files[i]; i++) {
        char p[160], what[64];
        snprintf(p, sizeof p, "%s/%s", out_path, files[i]);
        snprintf(what, sizeof what, "writes %s", files[i]);
        CHECK(access(p, R_OK) == 0, what);
    }
    char p[160];
    snprintf(p, sizeof p, "%s/excerpts.csv", out_path);
    FILE *f = fopen(p, "rb");
    size_t lines = 0; /* rows end in CRLF; a cell's own line break is LF */
    int c, prev = 0;
    while (f && (c = fgetc(f)) != EOF) {
        lines += prev == '\r' && c == '\n';
        prev = c;
    }
    if (f)
        fclose(f);
    CHECK_INT(lines, 6, "excerpts.csv: a header and five rows");
    audit_free(a);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/evalbias-test-audit-XXXXXX");
    if (!mkdtemp(dir))
        return 2;
    snprintf(in_path, sizeof in_path, "%s/in.csv", dir);
    snprintf(lex_path, sizeof lex_path, "%s/lex.txt", dir);
    snprintf(out_path, sizeof out_path, "%s/out", dir);
    write_file("in.csv", csv);
    write_file("lex.txt", "bossy\nabrasive\nlacks confidence\n");
    run_counted(1);
    run_counted(3);
    test_missing_column();
    test_bad_lexicon();
    test_files();
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return check_done();
}
