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
#include "report_html.h"
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

    /* The wide drawing's value column (192 units, 30 characters): a
     * long note wraps there too, its row taller by a line each. */
    struct svg_forest_row lw[] = {
        {"Col", "Male vs Female", 0, 0, 0, 0, 0, 0, 0,
         "zero events in both cohorts; robust prevalence: cluster-robust "
         "variance is zero"},
    };
    CAPTURE(s, svg_forest(f, "w0", "Ratios", lw, 1));
    CHECK_INT(count(s, "class=\"val\""), 4, "the long note takes four lines");
    int fits = 1;
    for (const char *p = strstr(s, "class=\"val\">"); p;
         p = strstr(p + 1, "class=\"val\">")) {
        const char *t = p + strlen("class=\"val\">");
        fits &= strchr(t, '<') - t <= 30;
    }
    CHECK(fits, "every line of it fits the value column");
    /* 8 above; heading 22; the row 24 + three more lines of 14; axis 38 */
    CHECK(strstr(s, "viewBox=\"0 0 780 134.0\""),
          "the drawing is as tall as its lines");
    free(s);

    /* The narrow drawing (360 units, ~6.4 a character): a value too long
     * for a line is wrapped at spaces, every line within the width, and
     * the drawing is as tall as its lines. */
    struct svg_forest_row w[] = {
        {"Col", "Male vs Female", 0, 0, 0, 0, 0, 0, 0,
         "zero events in both cohorts; robust prevalence: cluster-robust "
         "variance is zero"},
        {"Col", "X vs Female", 0.5, 0.3, 0.9, 1, 1, 0, 1, "0.50 (0.30-0.90) *"},
    };
    CAPTURE(s, svg_forest_narrow(f, "n0", "Ratios", w, 2));
    CHECK_INT(count(s, "class=\"val\""), 3, "the long value takes two lines");
    int within = 1;
    for (const char *p = strstr(s, "class=\"val\">"); p;
         p = strstr(p + 1, "class=\"val\">")) {
        const char *t = p + strlen("class=\"val\">");
        within &= (double)(strchr(t, '<') - t) * 6.4 <= 360 - 8;
    }
    CHECK(within, "every value line fits the narrow width");
    CHECK(strstr(s, ">zero events in both cohorts; robust prevalence:</text>") &&
              strstr(s, ">cluster-robust variance is zero</text>"),
          "wrapped at a space, nothing lost");
    /* 8 above; heading 22; the long row: label 17, two value lines 34,
     * plot 18; the short row: label and value 17, plot 18; axis 38 */
    CHECK(strstr(s, "viewBox=\"0 0 360 172.0\""),
          "the drawing is as tall as its lines");
    free(s);
}

/* Row r formatted by the real writer, recorded in xi (and, when hold, its
 * bytes given to xi; hold 2: r itself; hold 3: r's held record made apart),
 * then written to f: as the audit's csv_emit does (hold 2: as its
 * one-thread path does; hold 3: as its pool's batches do). */
static void add_row(excerpt_index *xi, FILE *f, uint32_t entry, size_t ms,
                    size_t me, const char *const *labels,
                    const struct excerpt_row *r, int hold)
{
    char *bytes = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&bytes, &len);
    report_excerpts_row(m, r);
    fclose(m);
    excerpt_index_add(xi, f, entry, ms, me, labels);
    if (hold == 2)
        excerpt_index_hold_row(xi, r); /* as the one-thread audit does */
    else if (hold == 3) {
        struct buf b;
        buf_init(&b);
        buf_putc(&b, 'x'); /* a record need not start the buffer */
        size_t n = excerpt_held_put(&b, r);
        excerpt_index_hold_put(xi, b.p + 1, n);
        buf_fini(&b);
    } else if (hold)
        excerpt_index_hold(xi, bytes, len);
    fwrite(bytes, 1, len, f);
    free(bytes);
}

/* excerpts.csv written by the real writer, each row recorded in xi just
 * before it is written, as the audit does (cohort labels: F, the
 * suppressed one, " m "); hold: its fields held too, as the audit does. */
static char *write_excerpts_h(const char *dir, excerpt_index *xi, int hold)
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
    for (size_t i = 0; i < 3; i++)
        add_row(xi, f, (uint32_t)i, marks[i][0], marks[i][1], &labels[i],
                &rows[i], hold);
    fclose(f);
    return path;
}

static char *write_excerpts(const char *dir, excerpt_index *xi)
{
    return write_excerpts_h(dir, xi, 1);
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
/* A random cell: plain words, and now and then what CSV and the formula
 * guard must handle (, " LF CR ; TAB, a leading = + - @ or '). */
static char *rand_cell(unsigned long long *seed, char *out, size_t max)
{
    static const char *const bits[] = {
        "word", " ", ",", "\"", "\n", "\r\n", ";", "\t", "=", "+1", "-",
        "@x", "'", "''=", ";=a", "\t-b", "\xc3\xa9t\xc3\xa9", "<", "\\",
        "\x01", "end"};
    size_t n = 0;
    *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
    int parts = (int)((*seed >> 40) % 6);
    out[0] = '\0';
    for (int i = 0; i < parts; i++) {
        *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned k = (unsigned)((*seed >> 33) % (sizeof bits / sizeof *bits));
        if ((*seed >> 20) & 1)
            k = 0; /* mostly plain */
        size_t l = strlen(bits[k]);
        if (n + l + 1 > max)
            break;
        memcpy(out + n, bits[k], l + 1);
        n += l;
    }
    return out;
}

/* Held fields are the file's: for random rows of hostile cells, over a
 * small cap (rows given up, the arena compacted) and budgets from none to
 * ample, every kept row's fields from memory equal excerpt_file_read's,
 * and a row the budget leaves out is read back. */
static void test_held(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/held.csv", dir);
    static const size_t budgets[] = {0, 300, 900, 1 << 20};
    for (size_t bi = 0; bi < 4; bi++) {
        int ok = 1, held = 0, unheld = 0;
        /* rounds hold each row from its bytes, its excerpt_row, or its
         * held record made apart: each must give the file's fields */
        for (int round = 0; round < 12 && ok; round++) {
            unsigned long long seed = 99 + (unsigned long long)round;
            size_t ne = 1 + (size_t)(round / 2) * 3,
                   cap = 4 + (size_t)(round / 2) * 5;
            excerpt_index *xi = excerpt_index_new(cap, ne, 0);
            excerpt_index_hold_budget(xi, budgets[bi]);
            FILE *f = fopen(path, "wb");
            report_excerpts_begin(f);
            for (int i = 0; i < 400; i++) {
                char c[6][64];
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                uint32_t e = (uint32_t)((seed >> 33) % ne);
                if ((seed >> 21) & 1)
                    e /= 2; /* skewed: low entries are common */
                struct excerpt_row r = {
                    rand_cell(&seed, c[0], 64), rand_cell(&seed, c[1], 64),
                    rand_cell(&seed, c[2], 64), "lex", "cat", "term",
                    rand_cell(&seed, c[3], 64), 3, (int)((seed >> 25) & 1),
                    1, 4, rand_cell(&seed, c[4], 64),
                    (seed >> 26) & 1 ? rand_cell(&seed, c[5], 64) : NULL, 0};
                r.matched_len = strlen(r.matched_text);
                add_row(xi, f, e, 0, 1, NULL, &r, 1 + round % 3);
            }
            fclose(f);
            struct diag err = {0};
            excerpt_file *xf = excerpt_file_open(path, &err);
            const struct xi_row *k;
            size_t n = excerpt_index_rows(xi, &k);
            ok &= xf != NULL && n == cap && excerpt_index_total(xi) == 400;
            for (size_t i = 0; i < n && ok; i++) {
                struct xf_row m, d;
                ok &= excerpt_index_fields(xi, &k[i], NULL, &m, &err) == 0 ||
                      k[i].held == UINT32_MAX;
                if (k[i].held == UINT32_MAX) {
                    unheld++;
                    ok &= excerpt_index_fields(xi, &k[i], xf, &m, &err) == 0;
                } else {
                    held++;
                }
                ok &= excerpt_file_read(xf, k[i].off, &d, &err) == 0;
                static const int cols[] = {XF_ID, XF_RESIDENT, XF_COLUMN,
                                           XF_EXCERPT, XF_SPAN_ID};
                for (size_t c = 0; c < 5 && ok; c++)
                    ok &= m.len[cols[c]] == d.len[cols[c]] &&
                          memcmp(m.f[cols[c]], d.f[cols[c]], d.len[cols[c]]) == 0 &&
                          m.f[cols[c]][m.len[cols[c]]] == '\0';
                ok &= m.negated == d.negated;
                if (!ok)
                    printf("# budget %zu round %d row %zu\n", budgets[bi],
                           round, i);
            }
            ok &= excerpt_index_all_held(xi) == (unheld == 0 || bi == 3);
            excerpt_file_free(xf);
            excerpt_index_free(xi);
        }
        char what[120];
        snprintf(what, sizeof what,
                 "budget %zu: held fields equal the file's (%d held, %d read back)",
                 budgets[bi], held, unheld);
        CHECK(ok && (bi == 0 ? held == 0 : held > 0) &&
                  (bi == 3 ? unheld == 0 : unheld > 0),
              what);
    }
}

/* The data block's escape against a plain byte-by-byte one, on random
 * strings of every length near the 8-byte steps and every alignment. */
static void ref_data_text(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\\': buf_puts(b, "\\\\"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '<': buf_puts(b, "\\l"); break;
        default:
            if (c < 0x20)
                buf_puts(b, "\xEF\xBF\xBD");
            else
                buf_putc(b, (char)c);
        }
    }
}

static void test_data_text(void)
{
    static const unsigned char pick[] = {
        'a', 'b', ' ', 0x1f, 0x20, 0x21, '\\', '<', '=', '>', ';', 0x3b,
        '\t', '\n', '\r', 0x00, 0x01, 0x7f, 0x80, 0xa0, 0xc3, 0xe2, 0xff,
        0x5b, 0x5d, 0x1c, 0x3c ^ 0x80, 0x5c ^ 0x80};
    unsigned long long seed = 7;
    int ok = 1;
    char s[80];
    struct buf a, b;
    buf_init(&a);
    buf_init(&b);
    for (int round = 0; round < 20000 && ok; round++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t n = (size_t)(seed >> 58) + (round & 7); /* 0 .. 70 */
        size_t off = (size_t)((seed >> 20) & 7);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            s[off + i] = (seed >> 61) ? 'x'
                         : (char)pick[(seed >> 33) % sizeof pick];
        }
        buf_clear(&a);
        buf_clear(&b);
        buf_puts(&a, "X");
        buf_puts(&b, "X");
        html_data_text(&a, s + off, n);
        ref_data_text(&b, s + off, n);
        ok &= a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
        if (!ok)
            printf("# round %d, %zu bytes\n", round, n);
    }
    /* each byte value alone, and in a run of 8 plain ones */
    for (int c = 0; c < 256 && ok; c++) {
        memset(s, 'y', 16);
        s[c % 16] = (char)c;
        buf_clear(&a);
        buf_clear(&b);
        html_data_text(&a, s, 16);
        ref_data_text(&b, s, 16);
        ok &= a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
    }
    CHECK(ok, "the data block's escape is the byte-by-byte one");
    buf_fini(&a);
    buf_fini(&b);
}

/* Cohort labels as the tally groups them, row by row: the same label again
 * (the index remembers the last one), another, blank, none, one again. */
static void test_labels(void)
{
    FILE *f = tmpfile();
    excerpt_index *xi = excerpt_index_new(20, 1, 2);
    const char *seq[][2] = {{"F", "pgy1"}, {"F", "pgy1"}, {" M", "pgy1"},
                            {"F", " "},    {"", "PGY2"},  {" M", "pgy1"},
                            {"F", "pgy2"}};
    size_t n = sizeof seq / sizeof seq[0];
    for (size_t i = 0; i < n; i++) {
        excerpt_index_add(xi, f, 0, 0, 1, seq[i]);
        fputs("row\n", f);
    }
    excerpt_index_add(xi, f, 0, 0, 1, NULL);
    const struct xi_row *k;
    CHECK_INT(excerpt_index_rows(xi, &k), n + 1, "every row kept");
    static const char *const want[][2] = {
        {"f", "pgy1"}, {"f", "pgy1"}, {"m", "pgy1"}, {"f", "(blank)"},
        {"(blank)", "pgy2"}, {"m", "pgy1"}, {"f", "pgy2"},
        {"(blank)", "(blank)"}};
    int ok = 1;
    for (size_t i = 0; i <= n; i++)
        for (size_t c = 0; c < 2; c++)
            ok &= strcmp(excerpt_index_label(xi, c, k[i].cohort[c]),
                         want[i][c]) == 0;
    CHECK(ok, "each row's labels, folded, repeated or not");
    CHECK(excerpt_index_nlabels(xi, 0) == 3 && excerpt_index_nlabels(xi, 1) == 3,
          "three distinct labels a column");
    excerpt_index_free(xi);
    fclose(f);
}

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
    free(s2);
    excerpt_index_free(xi);
    /* The page from the held fields is the page read back from the file. */
    xi = excerpt_index_new(EXCERPT_INDEX_CAP, 3, 1);
    write_excerpts_h(dir, xi, 0);
    CAPTURE(s2, report_html_write(f, &ri, t, set, &cols, &cmp, xpath, xi, &err));
    CHECK(strcmp(s, s2) == 0, "held in memory or read back: the same page");
    free(s);
    free(s2);
    excerpt_index_free(xi);
    /* And so for a page of data blocks (over HTML_INLINE_EXCERPTS), of
     * hostile cells, the cap reached, half the rows within the budget. */
    for (int hold = 1; hold >= 0; hold--) {
        xi = excerpt_index_new(HTML_INLINE_EXCERPTS + 500, 3, 1);
        excerpt_index_hold_budget(xi, 400000);
        FILE *xf = fopen(xpath, "wb");
        report_excerpts_begin(xf);
        unsigned long long seed = 5;
        for (int i = 0; i < HTML_INLINE_EXCERPTS + 1500; i++) {
            char c[6][64], ex[300];
            const char *lab[] = {i % 3 ? "F" : " m "};
            rand_cell(&seed, c[4], 64);
            snprintf(ex, sizeof ex, "%s bossy %s", rand_cell(&seed, c[3], 64),
                     c[4]);
            size_t ms = strlen(c[3]) + 1;
            struct excerpt_row r = {
                rand_cell(&seed, c[0], 64), rand_cell(&seed, c[1], 64),
                i % 2 ? "Strengths" : "Comments", "lex", "traits", "bossy",
                "bossy", 5, i % 5 == 0, (size_t)i % 7, (size_t)i % 7 + 5, ex,
                NULL, 0};
            add_row(xi, xf, (uint32_t)(seed >> 40) % 3, ms, ms + 5, lab, &r,
                    hold);
        }
        fclose(xf);
        char *page;
        CAPTURE(page,
                rc = report_html_write(f, &ri, t, set, &cols, &cmp, xpath, xi, &err));
        *(hold ? &s : &s2) = page;
        CHECK(rc == 0, hold ? "a page of data blocks, held" : "and read back");
        excerpt_index_free(xi);
    }
    CHECK(strstr(s, "class=\"xdata\"") && strcmp(s, s2) == 0,
          "a page of data blocks: held or read back, the same page");
    free(s);
    free(s2);

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
    test_held(dir);
    test_labels();
    test_data_text();
    test_page(dir);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 2;
    return check_done();
}
