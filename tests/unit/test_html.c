/* test_html.c - report.html and its parts: escaping, the CSP, the SVG
 * charts, reading excerpts.csv back, and a whole page from a tally built
 * by hand (suppressed cohort absent, hostile text escaped, every excerpt
 * present). */
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

/* excerpts.csv written by the real writer, read back. */
static char *write_excerpts(const char *dir)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/excerpts.csv", dir);
    FILE *f = fopen(path, "wb");
    report_excerpts_begin(f);
    struct excerpt_row rows[] = {
        {"E1", "Doe, Ann", "Strengths", "lex", "traits", "bossy", "bossy", 5, 0,
         4, 9, "<script>alert(1)</script> bossy, \"quoted\", and more."},
        {"\"><img src=x onerror=alert(1)>", "Roe, Bo", "Comments", "lex",
         "traits", "too assertive", "too\n  assertive", 15, 1, 0, 14,
         "=SUM(A1) not too assertive."},
        {"E3", "Doe, Ann", "Comments", "lex", "ability", "brilliant",
         "Brilliant", 9, 0, 0, 9, "Brilliant; brilliant."},
    };
    for (size_t i = 0; i < 3; i++)
        report_excerpts_row(f, &rows[i]);
    fclose(f);
    return path;
}

static void test_excerpt_file(const char *dir)
{
    const char *path = write_excerpts(dir);
    struct diag err = {0};
    excerpt_file *x = excerpt_file_open(path, &err);
    CHECK(x != NULL, "excerpts.csv opens");
    if (!x)
        return;
    CHECK_INT(excerpt_file_count(x), 3, "three rows (a field with a line break is one row)");
    struct xf_row r;
    CHECK(excerpt_file_get(x, 1, &r, &err) == 0, "row 2 reads");
    CHECK_STR(r.f[XF_ID], "\"><img src=x onerror=alert(1)>", "quoted id unescaped");
    CHECK_STR(r.f[XF_MATCHED], "too\n  assertive", "line break kept in matched text");
    CHECK_STR(r.f[XF_EXCERPT], "=SUM(A1) not too assertive.", "formula guard removed");
    CHECK(r.negated, "negated read");
    size_t s, e;
    CHECK(xf_row_mark(&r, 0, &s, &e) == 0 && s == 13 && e == 26,
          "match with folded white space found in the excerpt");
    CHECK(excerpt_file_get(x, 2, &r, &err) == 0 && xf_row_mark(&r, 0, &s, &e) == 0 &&
          s == 0 && e == 9, "first exact occurrence marked");
    CHECK(xf_row_mark(&r, 1, &s, &e) == 0 && s == 0 && e == 9,
          "no second exact occurrence: the last one");
    struct xf_row two = r;
    two.f[XF_EXCERPT] = "Brilliant, Brilliant.";
    two.len[XF_EXCERPT] = strlen(two.f[XF_EXCERPT]);
    CHECK(xf_row_mark(&two, 1, &s, &e) == 0 && s == 11 && e == 20,
          "second occurrence marked for the second hit");
    uint16_t nth[3];
    CHECK(excerpt_file_nths(x, nth, &err) == 0 && nth[0] == 0 && nth[1] == 0 &&
          nth[2] == 0, "occurrence numbers: each the first");
    CHECK(excerpt_file_get(x, 0, &r, &err) == 0 &&
          strcmp(r.f[XF_EXCERPT], "<script>alert(1)</script> bossy, \"quoted\", and more.") == 0,
          "row 1 read after row 3 (random access)");
    excerpt_file_free(x);
    FILE *f = fopen(path, "wb");
    fputs("a,b\r\n1,2\r\n", f);
    fclose(f);
    CHECK(excerpt_file_open(path, &err) == NULL, "another CSV's header is refused");
}

static void test_nths(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/nth.csv", dir);
    FILE *f = fopen(path, "wb");
    report_excerpts_begin(f);
    const char *ex = "pleasant, kind and pleasant.";
    struct excerpt_row rows[] = {
        {"E1", "A", "S", "a", "c", "pleasant", "pleasant", 8, 0, 0, 8, ex},
        {"E1", "A", "S", "b", "c", "pleasant*", "pleasant", 8, 0, 0, 8, ex},
        {"E1", "A", "S", "a", "c", "kind", "kind", 4, 0, 10, 14, ex},
        {"E1", "A", "S", "a", "c", "pleasant", "pleasant", 8, 0, 19, 27, ex},
        {"E1", "A", "C", "a", "c", "pleasant", "pleasant", 8, 0, 19, 27, ex},
        {"E2", "A", "S", "a", "c", "pleasant", "pleasant", 8, 0, 0, 8, ex},
    };
    for (size_t i = 0; i < 6; i++)
        report_excerpts_row(f, &rows[i]);
    fclose(f);
    struct diag err = {0};
    excerpt_file *x = excerpt_file_open(path, &err);
    uint16_t nth[6];
    CHECK(x && excerpt_file_nths(x, nth, &err) == 0, "nths computed");
    CHECK(nth[0] == 0 && nth[1] == 0 && nth[2] == 0 && nth[4] == 0 && nth[5] == 0,
          "same start: same occurrence; a new field or evaluation starts anew");
    CHECK(nth[3] == 1, "a later start of the same word: the second occurrence");
    struct xf_row r;
    size_t s0, e0;
    CHECK(excerpt_file_get(x, 3, &r, &err) == 0 && xf_row_mark(&r, nth[3], &s0, &e0) == 0 &&
          s0 == 19 && e0 == 27, "and it marks the second word");
    excerpt_file_free(x);
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
    const char *res[] = {"f1", "f2", "f3", "f4", "f5", "m1", "m2", "m3", "m4",
                         "m5", "x1"};
    for (int i = 0; i < 11; i++) {
        const char *g = i < 5 ? "F" : i < 10 ? "M" : "Xsuppressedcohort";
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
    CHECK_INT(cmp.suppressed, 1, "one cohort suppressed");

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
    const char *xpath = write_excerpts(dir);
    char cpath[256];
    snprintf(cpath, sizeof cpath, "%s/cohorts", dir);
    FILE *cf = fopen(cpath, "wb");
    const char *l1[] = {"F"}, *l2[] = {"Xsuppressedcohort"}, *l3[] = {" m "};
    excerpt_cohorts_row(cf, l1, 1);
    excerpt_cohorts_row(cf, l2, 1);
    excerpt_cohorts_row(cf, l3, 1);
    fclose(cf);

    char *s;
    int rc;
    CAPTURE(s, rc = report_html_write(f, &ri, t, set, &cols, &cmp, xpath, cpath, &err));
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
    CAPTURE(s, report_html_write(f, &ri, t, set, &cols, &cmp, xpath, cpath, &err));
    CAPTURE(s2, report_html_write(f, &ri, t, set, &cols, &cmp, xpath, cpath, &err));
    CHECK(strcmp(s, s2) == 0, "byte-identical for the same run");
    free(s);
    free(s2);

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
    test_nths(dir);
    test_page(dir);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 2;
    return check_done();
}
