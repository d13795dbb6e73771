/* test_html.c - report.html and its parts: escaping, the CSP, the SVG
 * charts, the excerpt index and reading excerpts.csv back by offset, and a
 * whole page from a tally built by hand (suppressed cohort absent, hostile
 * text escaped, every excerpt present; over the cap, the page says so). */
#include "check.h"
#include "compare.h"
#include "excerpt_file.h"
#include "html.h"
#include "lexicon.h"
#include "report.h"
#include "report_svg.h"
#include "tally.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Run fn(f) into a string the caller frees. */
#define CAPTURE(out, code)                                                  \
    do {                                                                    \
        char *buf_ = NULL;                                                  \
        size_t len_ = 0;                                                    \
        FILE *f = open_memstream(&buf_, &len_);                            \
        code;                                                               \
        fclose(f);                                                          \
        (out) = buf_;                                                       \
    } while (0)

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void test_escape(void)
{
    char *s;
    CAPTURE(s, html_str(f, "<script>alert(1)</script>"));
    CHECK_STR(s, "&lt;script&gt;alert(1)&lt;/script&gt;", "script tag escaped");
    free(s);
    CAPTURE(s, html_str(f, "\"><img src=x onerror=alert(1)>"));
    CHECK_STR(s, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
              "attribute break-out escaped");
    free(s);
    CAPTURE(s, html_str(f, "a & b 'c' Zo\xC3\xAB"));
    CHECK_STR(s, "a &amp; b &#39;c&#39; Zo\xC3\xAB", "& and ' escaped, UTF-8 kept");
    free(s);
    CAPTURE(s, html_text(f, "x\0y\x01z\n", 6));
    CHECK_STR(s, "x\xEF\xBF\xBDy\xEF\xBF\xBDz\n", "NUL and C0 controls become U+FFFD");
    free(s);
}

static void test_base64_csp(void)
{
    char out[16];
    html_base64((const unsigned char *)"", 0, out);
    CHECK_STR(out, "", "base64 of empty");
    html_base64((const unsigned char *)"f", 1, out);
    CHECK_STR(out, "Zg==", "base64 f (RFC 4648)");
    html_base64((const unsigned char *)"fo", 2, out);
    CHECK_STR(out, "Zm8=", "base64 fo");
    html_base64((const unsigned char *)"foobar", 6, out);
    CHECK_STR(out, "Zm9vYmFy", "base64 foobar");
    char *s;
    CAPTURE(s, html_head_csp(f, "alert(1)"));
    CHECK(strstr(s, "script-src 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"),
          "CSP allows exactly the script with this SHA-256");
    CHECK(strstr(s, "default-src 'none'"), "CSP forbids every request");
    free(s);
}

static void test_svg(void)
{
    struct svg_bar b[] = {
        {"Resident Gender", "Female", 2.5, 1.5, 3.8, 1, "10 hits"},
        {"Resident Gender", "Male", 1.0, 0.4, 2.0, 1, "4 hits"},
        {"Evaluator <Gender>", "F&M", 0, 0, 0, 0, "no words"},
    };
    char *s;
    CAPTURE(s, svg_bars(f, "r0", "Rates", "hits per 1,000 words", b, 3));
    CHECK_INT(count(s, "<rect class=\"bar\""), 3, "one bar per cohort");
    CHECK_INT(count(s, "<line class=\"ci\""), 2, "interval only where there is one");
    CHECK(strstr(s, "role=\"img\"") && strstr(s, "<title id=\"r0-t\">Rates</title>"),
          "chart has role img and a title");
    CHECK(strstr(s, "Evaluator &lt;Gender&gt;") && strstr(s, "F&amp;M") &&
          !strstr(s, "<Gender>"), "labels escaped");
    CHECK(strstr(s, "Female 2.500 (interval 1.500 to 3.800)"),
          "desc states the values in words");
    free(s);
    struct svg_forest_row r[] = {
        {"Col", "Male vs Female", 0.5, 0.3, 0.9, 1, 1, 0, 1, "0.50 (0.30-0.90) *"},
        {"Col", "X vs Female", 0, 0, 0, 0, 0, 0, 0, "not estimable"},
        {"Col", "Y vs Female", 3, 1.2, 0, 1, 1, 1, 0, "3.00 (1.20-inf)"},
    };
    CAPTURE(s, svg_forest(f, "f0", "Ratios", r, 3));
    CHECK_INT(count(s, "<rect class=\"pt"), 2, "one point per estimated ratio");
    CHECK_INT(count(s, "<rect class=\"pt sig\""), 1, "significant point filled");
    CHECK_INT(count(s, "class=\"arrow\""), 1, "unbounded interval drawn as an arrow");
    CHECK(strstr(s, ">not estimable</text>"), "a ratio that is not estimable says so");
    CHECK(strstr(s, "class=\"ref\""), "reference line at 1");
    CHECK(!strstr(s, "nan") && !strstr(s, "inf\""), "no NaN or inf in the geometry");
    free(s);
}

/* excerpts.csv written by the real writer, each row recorded in xi just
 * before it is written, as the audit does (cohort labels: F, the
 * suppressed one, " m "). */
static char *write_excerpts(const char *dir, excerpt_index *xi)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/excerpts.csv", dir);
    FILE *f = fopen(path, "wb");
    report_excerpts_begin(f);
    struct excerpt_row rows[] = {
        {"E1", "Doe, Ann", "Strengths", "lex", "traits", "bossy", "bossy", 5, 0,
         4, 9, "<script>alert(1)</script> bossy, \"quoted\", and more.", NULL},
        {"\"><img src=x onerror=alert(1)>", "Roe, Bo", "Comments", "lex",
         "traits", "too assertive", "too\n  assertive", 15, 1, 0, 14,
         "=SUM(A1) not too assertive.", NULL},
        {"E3", "Doe, Ann", "Comments", "lex", "ability", "brilliant",
         "Brilliant", 9, 0, 0, 9, "Brilliant; brilliant.", NULL},
    };
    const size_t marks[][2] = {{26, 31}, {13, 26}, {11, 20}};
    const char *labels[] = {"F", "Xsuppressedcohort", " m "};
    for (size_t i = 0; i < 3; i++) {
        excerpt_index_add(xi, f, (uint32_t)i, marks[i][0], marks[i][1],
                          &labels[i]);
        report_excerpts_row(f, &rows[i]);
    }
    fclose(f);
    return path;
}

static void test_excerpt_file(const char *dir)
{
    excerpt_index *xi = excerpt_index_new(10, 3, 1);
    const char *path = write_excerpts(dir, xi);
    const struct xi_row *k;
    CHECK_INT(excerpt_index_rows(xi, &k), 3, "three rows kept");
    CHECK(k[0].off > 0 && k[0].off < k[1].off && k[1].off < k[2].off,
          "kept rows in file order, after the header");
    CHECK_INT(excerpt_index_nlabels(xi, 0), 3, "three distinct labels");
    CHECK_STR(excerpt_index_label(xi, 0, k[2].cohort[0]), "m",
              "labels trimmed and lower-cased as the tally groups them");
    struct diag err = {0};
    excerpt_file *x = excerpt_file_open(path, &err);
    CHECK(x != NULL, "excerpts.csv opens");
    if (!x) {
        excerpt_index_free(xi);
        return;
    }
    struct xf_row r;
    CHECK(excerpt_file_read(x, k[1].off, &r, &err) == 0, "row 2 reads by offset");
    CHECK_STR(r.f[XF_ID], "\"><img src=x onerror=alert(1)>", "quoted id unescaped");
    CHECK_STR(r.f[XF_MATCHED], "too\n  assertive", "line break kept in matched text");
    CHECK_STR(r.f[XF_EXCERPT], "=SUM(A1) not too assertive.", "formula guard removed");
    CHECK(r.negated, "negated read");
    size_t s, e;
    CHECK(xf_row_mark(&r, &k[1], &s, &e) == 0 && s == 13 && e == 26,
          "the match's place in the excerpt, from the index");
    CHECK(excerpt_file_read(x, k[2].off, &r, &err) == 0 &&
          xf_row_mark(&r, &k[2], &s, &e) == 0 && s == 11 && e == 20,
          "the second of two equal words marked when it is the hit");
    struct xi_row bad = k[2];
    bad.mark_end = 99;
    CHECK(xf_row_mark(&r, &bad, &s, &e) < 0, "a mark beyond the text is refused");
    CHECK(excerpt_file_read(x, k[0].off, &r, &err) == 0 &&
          strcmp(r.f[XF_EXCERPT], "<script>alert(1)</script> bossy, \"quoted\", and more.") == 0,
          "row 1 read after row 3 (random access)");
    CHECK(excerpt_file_read(x, k[0].off + 3, &r, &err) < 0,
          "an offset inside a row is not a row of 11 fields");
    excerpt_file_free(x);
    excerpt_index_free(xi);
    FILE *f = fopen(path, "wb");
    fputs("a,b\r\n1,2\r\n", f);
    fclose(f);
    CHECK(excerpt_file_open(path, &err) == NULL, "another CSV's header is refused");
}

/* The selection against a plain model of its rule (the fullest entry,
 * found by scanning, gives up its latest row), on random rows over many
 * entries and small caps: the heap must choose exactly as the scan. */
static void test_index_model(void)
{
    unsigned long long seed = 12345;
    int ok = 1;
    for (int round = 0; round < 40 && ok; round++) {
        size_t ne = 1 + (size_t)(round * 7 % 53), cap = 1 + (size_t)(round * 5 % 31);
        FILE *f = tmpfile();
        excerpt_index *xi = excerpt_index_new(cap, ne, 0);
        unsigned kept[64] = {0}, lim[64], nkept = 0;
        /* rows[e][i]: the row numbers each entry keeps */
        static int rows[64][64];
        for (size_t e = 0; e < ne; e++)
            lim[e] = ~0u;
        for (int r = 0; r < 600; r++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            /* skewed: low entries are common */
            size_t e = (size_t)((seed >> 33) % ne);
            if ((seed >> 20) & 1)
                e = e / 3;
            excerpt_index_add(xi, f, (uint32_t)e, 0, 1, NULL);
            fprintf(f, "%zu,%d\n", e, r);
            if (kept[e] >= lim[e])
                continue;
            if (nkept >= cap) {
                size_t m = 0;
                for (size_t q = 1; q < ne; q++)
                    if (kept[q] > kept[m])
                        m = q;
                if (kept[e] + 1 >= kept[m]) {
                    lim[e] = kept[e];
                    continue;
                }
                lim[m] = --kept[m];
                nkept--;
            }
            rows[e][kept[e]++] = r;
            nkept++;
        }
        fflush(f);
        const struct xi_row *k;
        size_t n = excerpt_index_rows(xi, &k);
        ok &= n == nkept;
        size_t i = 0;
        for (size_t e = 0; e < ne && ok; e++)
            for (unsigned j = 0; j < kept[e] && ok; j++, i++) {
                char line[32];
                size_t ge;
                int gr;
                fseeko(f, (off_t)k[i].off, SEEK_SET);
                ok &= k[i].entry == e && fgets(line, sizeof line, f) &&
                      sscanf(line, "%zu,%d", &ge, &gr) == 2 && ge == e &&
                      gr == rows[e][j];
            }
        if (!ok)
            printf("# round %d: %zu entries, cap %zu\n", round, ne, cap);
        excerpt_index_free(xi);
        fclose(f);
    }
    CHECK(ok, "the index keeps exactly the rows of the scanning model");
}

/* The selection: every row while they fit; above the cap the first rows
 * of each entry, as many for each as the cap allows. */
static void test_index(void)
{
    FILE *f = tmpfile();
    excerpt_index *xi = excerpt_index_new(10, 4, 0);
    /* entry 0: 100 rows, entry 1: 50, entry 2: 5, entry 3: 1 (last). */
    for (int i = 0; i < 100; i++) {
        excerpt_index_add(xi, f, 0, 0, 1, NULL);
        fprintf(f, "0,%d\n", i);
        if (i % 2 == 0) {
            excerpt_index_add(xi, f, 1, 0, 1, NULL);
            fprintf(f, "1,%d\n", i / 2);
        }
        if (i % 20 == 0) {
            excerpt_index_add(xi, f, 2, 0, 1, NULL);
            fprintf(f, "2,%d\n", i / 20);
        }
    }
    excerpt_index_add(xi, f, 3, 0, 1, NULL);
    fputs("3,0\n", f);
    const struct xi_row *k;
    size_t n = excerpt_index_rows(xi, &k);
    CHECK_INT(n, 10, "the cap is kept");
    CHECK_INT(excerpt_index_total(xi), 156, "every row counted");
    CHECK_INT(excerpt_index_entry_total(xi, 1), 50, "and every row of an entry");
    size_t per[4] = {0};
    for (size_t i = 0; i < n; i++)
        per[k[i].entry]++;
    CHECK(per[3] == 1, "the one row of a rare entry, found last, is kept");
    CHECK(per[2] == 3 && per[0] == 3 && per[1] == 3,
          "the others share the rest equally");
    /* The kept rows of an entry are its first ones: read the file back. */
    fflush(f);
    char line[32];
    int ok = 1;
    int next[4] = {0};
    for (size_t i = 0; i < n; i++) {
        fseeko(f, (off_t)k[i].off, SEEK_SET);
        int e, j;
        ok &= fgets(line, sizeof line, f) && sscanf(line, "%d,%d", &e, &j) == 2 &&
              e == (int)k[i].entry && j == next[e]++;
    }
    CHECK(ok, "each entry keeps its first rows, in file order");
    excerpt_index_free(xi);
    fclose(f);

    /* Under the cap, every row. */
    f = tmpfile();
    xi = excerpt_index_new(10, 2, 0);
    for (int i = 0; i < 10; i++)
        excerpt_index_add(xi, f, (uint32_t)(i % 3 == 0), 0, 1, NULL), fputc('x', f);
    CHECK_INT(excerpt_index_rows(xi, &k), 10, "at the cap every row is kept");
    excerpt_index_free(xi);
    fclose(f);
}

/* A tally by hand: cohort column "G" with F (5 residents), M (5), and X
 * (1 resident: suppressed at the default threshold of 5). */
static void test_page(const char *dir)
{
    struct lexicon_set *set = lexicon_set_new();
    uint32_t lx = lexicon_set_add_lexicon(set, "lex", "lex.csv");
    uint32_t c0 = lexicon_set_add_category(set, lx, "traits");
    uint32_t c1 = lexicon_set_add_category(set, lx, "ability");
    lexicon_set_add_entry(set, c0, "bossy");
    lexicon_set_add_entry(set, c0, "too assertive");
    lexicon_set_add_entry(set, c1, "brilliant");
    uint32_t ecat[] = {0, 0, 1};
    tally *t = tally_new(1, 3, ecat, 2);
    /* X (one resident) is suppressed, and with it, so that it cannot be
     * recovered from the totals, the (blank) cohort (complementary
     * suppression, suppress.h). */
    const char *res[] = {"f1", "f2", "f3", "f4", "f5", "m1", "m2", "m3", "m4",
                         "m5", "x1", "b1", "b2", "b3", "b4", "b5"};
    for (int i = 0; i < 16; i++) {
        const char *g = i < 5 ? "F" : i < 10 ? "M" : i == 10 ? "Xsuppressedcohort" : "";
        struct tally_hit h[] = {{(uint32_t)(i % 3), 0}, {0, (uint8_t)(i == 2)}};
        struct tally_eval ev = {(const char *const[]){g}, res[i], 100, h, 2};
        tally_add(t, &ev);
    }
    tally_finish(t);
    struct compare_options o;
    compare_options_default(&o);
    struct comparisons cmp;
    struct diag err = {0};
    CHECK(compare_run(t, set, &o, &cmp, &err) == 0, "compare_run");
    CHECK_INT(cmp.suppressed, 2, "two cohorts suppressed (X and its complement)");

    struct run_info ri;
    memset(&ri, 0, sizeof ri);
    ri.version = "test";
    ri.set = set;
    strvec_push(&ri.text_cols, "Strengths");
    strvec_push(&ri.text_cols, "Comments");
    strvec_push(&ri.cohort_cols, "G");
    ri.resident_col = "Resident";
    struct strvec cols = {0};
    strvec_push(&cols, "G");
    excerpt_index *xi = excerpt_index_new(EXCERPT_INDEX_CAP, 3, 1);
    const char *xpath = write_excerpts(dir, xi);

    char *s;
    int rc;
    CAPTURE(s, rc = report_html_write(f, &ri, t, set, &cols, &cmp, xpath, xi, &err));
    CHECK(rc == 0, "report.html written");
    CHECK(!strstr(s, "Xsuppressedcohort"), "a suppressed cohort appears nowhere");
    CHECK_INT(count(s, "<rect class=\"bar\""), 4, "2 categories x 2 shown cohorts: 4 bars");
    CHECK_INT(count(s, "<svg class=\"chart\" id=\"forest-"), 2, "a forest plot per category");
    CHECK_INT(count(s, "<li class=\"x\""), 3, "every excerpt of excerpts.csv");
    CHECK(!strstr(s, "<script>alert") && !strstr(s, "<img"), "no hostile markup");
    CHECK(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"), "hostile text escaped");
    CHECK_INT(count(s, "<mark class=\"neg\">"), 1 + 1, "the negated hit marked apart (and the legend)");
    CHECK(strstr(s, "data-k=\"0:0\"") && strstr(s, "data-k=\"0:1\"") &&
          strstr(s, "data-k=\"\""), "excerpt cohorts: F, M (grouped as the tally), suppressed none");
    CHECK(strstr(s, "<option value=\"0:0\">F</option><option value=\"0:1\">M</option></optgroup>"),
          "cohort filter offers shown cohorts only");
    CHECK_INT(count(s, "<script"), 1, "one script element");
    CHECK(strstr(s, "Content-Security-Policy"), "CSP in the head");
    CHECK(!strstr(s, "http://") || count(s, "http://") == count(s, "http://www.w3.org/2000/svg"),
          "no external reference (only the SVG namespace)");
    CHECK(!strstr(s, "nan") && !strstr(s, "inf<") , "no NaN or inf");
    free(s);
    /* Determinism */
    char *s2;
    CAPTURE(s, report_html_write(f, &ri, t, set, &cols, &cmp, xpath, xi, &err));
    CAPTURE(s2, report_html_write(f, &ri, t, set, &cols, &cmp, xpath, xi, &err));
    CHECK(strcmp(s, s2) == 0, "byte-identical for the same run");
    CHECK(!strstr(s, "id=\"xcap\""), "under the cap: no note that excerpts are left out");
    free(s);
    free(s2);
    excerpt_index_free(xi);

    /* Over the cap: the page says how many of how many it shows. */
    xi = excerpt_index_new(2, 3, 1);
    write_excerpts(dir, xi);
    CAPTURE(s, rc = report_html_write(f, &ri, t, set, &cols, &cmp, xpath, xi, &err));
    CHECK(rc == 0, "capped report.html written");
    CHECK_INT(count(s, "<li class=\"x\""), 2, "two excerpts of three");
    CHECK(strstr(s, "2 of 3 excerpts shown; every excerpt is in <code>excerpts.csv</code>."),
          "the page says 2 of 3 excerpts shown and where the rest are");
    CHECK(!strstr(s, "Xsuppressedcohort"), "capped: the suppressed cohort still appears nowhere");
    free(s);
    excerpt_index_free(xi);

    /* One span, one excerpt: rows of entries 0 and 2 share a span_id. */
    xi = excerpt_index_new(EXCERPT_INDEX_CAP, 3, 1);
    {
        FILE *xf = fopen(xpath, "wb");
        report_excerpts_begin(xf);
        const char *lab[] = {"F"};
        for (uint32_t e = 0; e < 3; e += 2) {
            struct excerpt_row r = {"E1", "Doe, Ann", "Strengths", "lex",
                                    e ? "ability" : "traits",
                                    e ? "brilliant" : "bossy", "bossy", 5, 0,
                                    4, 9, "She bossy today.", NULL};
            excerpt_index_add(xi, xf, e, 4, 9, lab);
            report_excerpts_row(xf, &r);
        }
        fclose(xf);
    }
    CAPTURE(s, rc = report_html_write(f, &ri, t, set, &cols, &cmp, xpath, xi, &err));
    CHECK(rc == 0, "report.html with a shared span written");
    CHECK_INT(count(s, "<li class=\"x\""), 1, "a span with two categories: one excerpt");
    CHECK(strstr(s, " \xC2\xB7 also: lex / ability: brilliant</small>") != NULL,
          "its meta line names the other category and term");
    CHECK(strstr(s, "1 excerpts.") != NULL, "the count is of excerpts listed");
    free(s);
    excerpt_index_free(xi);

    comparisons_fini(&cmp);
    strvec_fini(&cols);
    strvec_fini(&ri.text_cols);
    strvec_fini(&ri.cohort_cols);
    tally_free(t);
    lexicon_set_free(set);
}

int main(void)
{
    char dir[] = "/tmp/evalbias-test-html-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    test_escape();
    test_base64_csp();
    test_svg();
    test_excerpt_file(dir);
    test_index();
    test_index_model();
    test_page(dir);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 2;
    return check_done();
}
