/* test_tally_file.c - tally files, merging and keyed pseudonyms: HMAC-SHA-256
 * against RFC 4231, tally_merge of parts equal to one tally of the whole,
 * byte-identical write/read/write round trips, and refusal of damaged,
 * truncated, newer-format or malformed files. */
#include "check.h"
#include "pseudonym.h"
#include "tally.h"
#include "tally_file.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------- HMAC */

static void hex(const unsigned char *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_hmac(void)
{
    unsigned char d[32];
    char h[65];
    /* RFC 4231 test case 1 */
    unsigned char k1[20];
    memset(k1, 0x0b, sizeof k1);
    hmac_sha256(k1, sizeof k1, "Hi There", 8, d);
    hex(d, 32, h);
    CHECK_STR(h, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
              "HMAC-SHA-256 RFC 4231 case 1");
    /* case 2: a key shorter than the block */
    hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d);
    hex(d, 32, h);
    CHECK_STR(h, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
              "HMAC-SHA-256 RFC 4231 case 2");
    /* case 6: a key longer than the block is hashed first */
    unsigned char k6[131];
    memset(k6, 0xaa, sizeof k6);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    hmac_sha256(k6, sizeof k6, m6, strlen(m6), d);
    hex(d, 32, h);
    CHECK_STR(h, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
              "HMAC-SHA-256 RFC 4231 case 6");
}

static void test_pseudonym(void)
{
    struct pseudonym_key k, k2;
    pseudonym_key_set(&k, "0123456789abcdef0123", 20);
    pseudonym_key_set(&k2, "0123456789abcdef0124", 20);
    char a[PSEUDONYM_LEN + 1], b[PSEUDONYM_LEN + 1], c[PSEUDONYM_LEN + 1];
    pseudonym_make(&k, "Mensah, Jessica", 15, a);
    pseudonym_make(&k, "Mensah, Jessica", 15, b);
    pseudonym_make(&k2, "Mensah, Jessica", 15, c);
    CHECK_STR(a, b, "same key, same name: same pseudonym");
    CHECK(strcmp(a, c) != 0, "another key: another pseudonym");
    CHECK_INT(strlen(a), PSEUDONYM_LEN, "pseudonym is r- and 16 hex digits");
    CHECK(strncmp(a, "r-", 2) == 0, "pseudonym starts with r-");
    CHECK(strcmp(k.fingerprint, k2.fingerprint) != 0,
          "fingerprints tell keys apart");
    pseudonym_key_fini(&k);
    pseudonym_key_fini(&k2);

    char path[] = "/tmp/evalbias-key-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("short\n", f);
    fclose(f);
    struct diag err;
    CHECK(pseudonym_key_load(&k, path, &err) < 0, "a short key is refused");
    f = fopen(path, "w");
    fputs("00112233445566778899aabbccddeeff\n", f);
    fclose(f);
    CHECK(pseudonym_key_load(&k, path, &err) == 0, "a hex key file loads");
    CHECK_INT(k.len, 32, "the final newline is not part of the key");
    pseudonym_key_fini(&k);
    unlink(path);
}

/* ------------------------------------------------------------ tallies */

/* Entries 0,1 in category 0; entry 2 in category 1. */
static const uint32_t cats[] = {0, 0, 1};

struct ev {
    const char *sex, *pgy, *res;
    uint64_t words;
    struct tally_hit h[3];
    size_t nh;
};

static const struct ev evs[] = {
    {"Female", "PGY-1", "ann", 100, {{0, 0, 0}, {0, 0, 0}, {1, 1, 0}}, 3},
    {"male", "PGY-2", "bob", 50, {{2, 0, 0}}, 1},
    {" female", "PGY-1", "ann", 70, {{1, 0, 0}}, 1},
    {"", "PGY-3", "cy\tx\\y\nz", 20, {{0, 1, 0}}, 1},
    {"Male", "PGY-2", "dee", 40, {{0, 0, 0}, {2, 0, 0}}, 2},
    {"FEMALE", "PGY-1", "bob", 30, {{0}}, 0},
    {"Female", "pgy-1", "eve", 90, {{1, 0, 0}, {1, 0, 0}}, 2},
    {"=cmd", "PGY-2", "ann", 10, {{2, 1, 0}}, 1},
};
#define NEVS (sizeof evs / sizeof evs[0])

static void add_range(tally *t, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const char *cohorts[] = {evs[i].sex, evs[i].pgy};
        struct tally_eval e = {cohorts, evs[i].res, evs[i].words, evs[i].h,
                               evs[i].nh};
        tally_add(t, &e);
    }
}

/* Every count the outputs read, compared. */
static int same_tally(const tally *a, const tally *b)
{
    if (tally_ncohort_cols(a) != tally_ncohort_cols(b) ||
        tally_nitems(a) != tally_nitems(b))
        return 0;
    for (size_t c = 0; c < tally_ncohort_cols(a); c++) {
        if (tally_ncohorts(a, c) != tally_ncohorts(b, c))
            return 0;
        for (size_t k = 0; k < tally_ncohorts(a, c); k++) {
            struct cohort_totals x, y;
            tally_cohort_totals(a, c, k, &x);
            tally_cohort_totals(b, c, k, &y);
            if (strcmp(tally_cohort_name(a, c, k), tally_cohort_name(b, c, k)) ||
                memcmp(&x, &y, sizeof x) || tally_ncells(a, c, k) != tally_ncells(b, c, k))
                return 0;
            for (size_t i = 0; i < tally_nitems(a); i++) {
                struct item_counts p = tally_item(a, c, k, i), q = tally_item(b, c, k, i);
                if (memcmp(&p, &q, sizeof p))
                    return 0;
            }
            for (size_t j = 0; j < tally_ncells(a, c, k); j++) {
                uint64_t e1, w1, e2, w2;
                tally_cell_totals(a, c, k, j, &e1, &w1);
                tally_cell_totals(b, c, k, j, &e2, &w2);
                if (strcmp(tally_cell_resident(a, c, k, j), tally_cell_resident(b, c, k, j)) ||
                    e1 != e2 || w1 != w2)
                    return 0;
                for (size_t i = 0; i < tally_nitems(a); i++) {
                    struct item_counts p = tally_cell_item(a, c, k, j, i);
                    struct item_counts q = tally_cell_item(b, c, k, j, i);
                    if (memcmp(&p, &q, sizeof p))
                        return 0;
                }
            }
        }
    }
    return 1;
}

static void test_merge(void)
{
    tally *whole = tally_new(2, 3, cats, 2);
    add_range(whole, 0, NEVS);
    tally_finish(whole);
    for (size_t cut = 0; cut <= NEVS; cut++) {
        tally *a = tally_new(2, 3, cats, 2), *b = tally_new(2, 3, cats, 2);
        add_range(a, 0, cut);
        add_range(b, cut, NEVS);
        tally *m = tally_new(2, 3, cats, 2);
        int rc = tally_merge(m, a, NULL);
        rc |= tally_merge(m, b, NULL);
        tally_finish(m);
        char d[80];
        snprintf(d, sizeof d, "merge of rows [0,%zu) and [%zu,%zu) equals the whole",
                 cut, cut, NEVS);
        CHECK(rc == 0 && same_tally(whole, m), d);
        tally_free(a);
        tally_free(b);
        tally_free(m);
    }
    /* Three parts, merged into a tally that already has counts. */
    tally *m = tally_new(2, 3, cats, 2), *p = tally_new(2, 3, cats, 2);
    add_range(m, 0, 2);
    add_range(p, 2, 5);
    tally_merge(m, p, NULL);
    tally_free(p);
    p = tally_new(2, 3, cats, 2);
    add_range(p, 5, NEVS);
    tally_merge(m, p, NULL);
    tally_finish(m);
    CHECK(same_tally(whole, m), "three parts, merged in order, equal the whole");
    CHECK_STR(tally_cohort_name(m, 0, 0), "=cmd", "labels sorted");
    CHECK_STR(tally_cohort_name(m, 0, 1), "Female", "first spelling kept across parts");
    CHECK_STR(tally_cohort_name(m, 0, 2), "male", "first spelling kept: 'male' before 'Male'");
    tally_free(p);
    tally_free(m);

    tally *other = tally_new(1, 3, cats, 2);
    m = tally_new(2, 3, cats, 2);
    CHECK(tally_merge(m, other, NULL) < 0, "a tally of another shape is refused");
    tally_free(other);

    /* A prefix keeps row-number clusters of two parts apart. */
    tally *x = tally_new(2, 3, cats, 2), *y = tally_new(2, 3, cats, 2);
    add_range(x, 0, 1);
    add_range(y, 0, 1);
    tally_merge(m, x, "p1:");
    tally_merge(m, y, "p2:");
    tally_finish(m);
    CHECK_INT(tally_ncells(m, 0, 0), 2, "prefixed clusters stay apart");
    CHECK_STR(tally_cell_resident(m, 0, 0, 1), "p2:ann", "prefix in the name");
    tally_free(x);
    tally_free(y);
    tally_free(m);
    tally_free(whole);
}

/* ---------------------------------------------------------- the file */

static struct lexicon_set *make_set(void)
{
    struct lexicon_set *set = lexicon_set_new();
    uint32_t l = lexicon_set_add_lexicon(set, "lex", "lex.csv");
    snprintf(set->lexicons[l].sha256, sizeof set->lexicons[l].sha256, "%064d", 7);
    uint32_t g0 = lexicon_set_add_category(set, l, "cat\tzero");
    uint32_t g1 = lexicon_set_add_category(set, l, "cat one");
    strvec_push(&set->categories[g0].sources, "Someone (2020). A paper.");
    lexicon_set_add_entry(set, g0, "bossy");
    lexicon_set_add_entry(set, g0, "too assertive");
    lexicon_set_add_entry(set, g1, "emotion*");
    return set;
}

static char *write_to(const char *path, const tally *t,
                      const struct lexicon_set *set, const struct strvec *cols,
                      const struct run_info *ri)
{
    struct tally_file_meta meta = {ri, set, cols, TALLY_CLUSTERS_RESIDENT, NULL, NULL};
    FILE *f = fopen(path, "wb");
    struct diag err;
    int rc = tally_file_write(f, t, &meta, &err);
    fclose(f);
    if (rc < 0)
        return NULL;
    f = fopen(path, "rb");
    static char data[1 << 16];
    size_t n = fread(data, 1, sizeof data - 1, f);
    fclose(f);
    data[n] = '\0';
    return data;
}

static void put_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(s, 1, n, f);
    fclose(f);
}

static void test_file(void)
{
    struct lexicon_set *set = make_set();
    tally *t = tally_new(2, 3, cats, 2);
    add_range(t, 0, NEVS);
    tally_finish(t);
    struct strvec cols = {0};
    strvec_push(&cols, "Sex");
    strvec_push(&cols, "PGY");
    struct run_info ri;
    memset(&ri, 0, sizeof ri);
    ri.version = "9.9";
    ri.set = set;
    strvec_push(&ri.args, "--tally-only");
    ri.ninputs = 1;
    ri.inputs = calloc(1, sizeof *ri.inputs);
    ri.inputs[0].path = strdup("in.csv");
    ri.inputs[0].bytes = 123;
    strcpy(ri.inputs[0].encoding, "utf-8");
    ri.inputs[0].rows_read = 9;
    run_info_skip(&ri, 0, 5, "no comment text", "no comment text: empty");
    ri.rows_read = 9;
    ri.rows_analysed = 8;
    ri.resident_col = "Resident";

    char path[] = "/tmp/evalbias-tally-XXXXXX";
    close(mkstemp(path));
    char *first = write_to(path, t, set, &cols, &ri);
    CHECK(first && strncmp(first, "evalbias-tally\t7\n", 17) == 0,
          "file starts with its format and version");
    char *copy = strdup(first ? first : "");
    struct tally_part p;
    struct diag err;
    int rc = tally_file_read(path, &p, &err);
    CHECK(rc == 0, "the file reads back");
    if (rc != 0) {
        printf("# %s:%lu: %s\n", err.file, err.line, err.msg);
        return;
    }
    tally_finish(p.t);
    CHECK(same_tally(t, p.t), "read back: every count equal");
    CHECK_STR(p.set->categories[0].name, "cat\tzero", "escaped names round-trip");
    CHECK_STR(p.set->categories[0].sources.v[0], "Someone (2020). A paper.", "sources kept");
    CHECK_STR(p.set->entries[2].term, "emotion*", "entries kept");
    CHECK_INT(p.ri.nskips, 1, "skipped rows kept");
    CHECK_INT(p.ri.inputs[0].bytes, 123, "inputs kept");
    CHECK_STR(p.ri.resident_col, "Resident", "resident column kept");
    CHECK_STR(p.cols.v[1], "PGY", "tally columns kept");
    char *second = write_to(path, p.t, p.set, &p.cols, &p.ri);
    CHECK(second && strcmp(copy, second) == 0,
          "write, read, write: byte-identical");
    tally_part_fini(&p);

    size_t n = strlen(copy);
    /* Truncated: the end line is gone. */
    put_file(path, copy, n - 30);
    CHECK(tally_file_read(path, &p, &err) < 0 && strstr(err.msg, "truncated"),
          "a truncated file is refused");
    /* One count changed: the SHA-256 of the end line no longer matches. */
    char *bad = strdup(copy);
    char *cell = strstr(bad, "\ncell\t");
    cell[strlen("\ncell\t") + 4] ^= 1;
    put_file(path, bad, n);
    CHECK(tally_file_read(path, &p, &err) < 0 && strstr(err.msg, "SHA-256"),
          "an edited file is refused");
    free(bad);
    /* A newer format. */
    bad = strdup(copy);
    bad[15] = '8';
    put_file(path, bad, n);
    CHECK(tally_file_read(path, &p, &err) < 0 && strstr(err.msg, "format 8"),
          "a newer format version is refused, with its number");
    free(bad);

    /* Labels and summaries (format 2 and later). */
    free(set->categories[1].label);
    set->categories[1].label = strdup("Category one");
    free(set->categories[1].summary);
    set->categories[1].summary = strdup("One line\tabout it.");
    char *v2 = write_to(path, t, set, &cols, &ri);
    CHECK(v2 && strncmp(v2, "evalbias-tally\t7\n", 17) == 0,
          "a file with labels is the current format");
    CHECK(v2 && strstr(v2, "\nlabel\t1\tCategory one\tOne line\\tabout "
                       "it.\n") != NULL, "the label record");
    rc = tally_file_read(path, &p, &err);
    CHECK(rc == 0, "format 2 reads back");
    if (rc == 0) {
        CHECK_STR(p.set->categories[1].label, "Category one",
                  "label read back");
        CHECK_STR(p.set->categories[1].summary, "One line\tabout it.",
                  "summary read back");
        CHECK_STR(p.set->categories[0].label, "", "no label read back");
        tally_part_fini(&p);
    }
    /* Every escape, between runs of plain text (UTF-8 is plain). */
    free(set->categories[1].summary);
    set->categories[1].summary =
        strdup("a\\b\x01" "c\x7f\r\n\td\x1f\xc3\xa9 end\\");
    char *v3 = write_to(path, t, set, &cols, &ri);
    CHECK(v3 && strstr(v3, "\nlabel\t1\tCategory one\ta\\\\b\\x01c\\x7f"
                       "\\r\\n\\td\\x1f\xc3\xa9 end\\\\\n") != NULL,
          "backslash, TAB, LF, CR, other control bytes and DEL escaped");
    rc = tally_file_read(path, &p, &err);
    CHECK(rc == 0 && strcmp(p.set->categories[1].summary,
                            "a\\b\x01" "c\x7f\r\n\td\x1f\xc3\xa9 end\\") == 0,
          "and read back");
    if (rc == 0)
        tally_part_fini(&p);
    put_file(path, "id,comment\n1,hi\n", 16);
    CHECK(tally_file_read(path, &p, &err) < 0 && strstr(err.msg, "not an evalbias tally"),
          "a CSV is not a tally file");

    /* A well-framed file with an unknown record. */
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "evalbias-tally\t1\ntool\tevalbias\t1\nfrobnicate\t1\n");
    char h[65];
    sha256_hex(b.p, b.len, h);
    buf_printf(&b, "end\t%s\n", h);
    put_file(path, b.p, b.len);
    CHECK(tally_file_read(path, &p, &err) < 0 && err.line == 3 &&
              strstr(err.msg, "unknown record"),
          "an unknown record is refused at its line");
    buf_clear(&b);
    buf_puts(&b, "evalbias-tally\t1\ntool\tevalbias\t1\nlexicon\ta\t\t\t\t\t\n"
                 "category\t0\tc\t\t\nentry\t0\tx\ntally\t1\t1\t1\ncolumn\t(all)\n"
                 "cohort\t0\tall\t1\t10\ncohort_item\t7\t1\t0\t1\n");
    sha256_hex(b.p, b.len, h);
    buf_printf(&b, "end\t%s\n", h);
    put_file(path, b.p, b.len);
    CHECK(tally_file_read(path, &p, &err) < 0 && err.line == 9,
          "an item out of range is refused");
    buf_clear(&b);
    buf_puts(&b, "evalbias-tally\t1\ntool\tevalbias\t1\nlexicon\ta\t\t\t\t\t\n"
                 "category\t0\tc\t\t\nentry\t0\tx\ntally\t1\t1\t1\ncolumn\t(all)\n"
                 "cohort\t0\tall\t2\t10\ncell\tann\t1\t10\n");
    sha256_hex(b.p, b.len, h);
    buf_printf(&b, "end\t%s\n", h);
    put_file(path, b.p, b.len);
    CHECK(tally_file_read(path, &p, &err) < 0 && strstr(err.msg, "do not add up"),
          "counts whose residents do not add up to the cohort are refused");
    buf_fini(&b);

    unlink(path);
    free(copy);
    run_info_fini(&ri);
    strvec_fini(&cols);
    tally_free(t);
    lexicon_set_free(set);
}

/* Counts of every length the writer treats apart (one digit, two, three,
 * four, five, more, 2^64 - 1) are written as "%llu" writes them and read
 * back equal. */
static void test_numbers(void)
{
    struct lexicon_set *set = make_set();
    tally *t = tally_new(2, 3, cats, 2);
    const struct item_counts n[] = {
        {9, 10, 9, 99, 100},
        {1000, 999, 999, 9999, 10000},
        {100000, 99999, 100000, UINT64_MAX, 0},
        {UINT64_MAX, 12345678901234ULL, 10, 0, 1},
    };
    for (size_t c = 0; c < 2; c++) {
        size_t k = tally_put_cohort(t, c, "all");
        tally_add_cohort(t, c, k, UINT64_MAX, UINT64_MAX);
        size_t cell = tally_put_cell(t, c, k, "ann");
        tally_add_cell(t, cell, UINT64_MAX, UINT64_MAX);
        size_t f = tally_put_fine(t, c, k, "ann", "dr", "");
        tally_add_fine(t, f, UINT64_MAX, UINT64_MAX);
        for (size_t i = 0; i < 4; i++) {
            tally_add_cohort_item(t, c, k, i, &n[i]);
            tally_add_cell_item(t, cell, i, &n[i]);
            tally_add_fine_item(t, f, i, &n[i]);
        }
    }
    tally_finish(t);
    struct strvec cols = {0};
    strvec_push(&cols, "Sex");
    strvec_push(&cols, "PGY");
    struct run_info ri;
    memset(&ri, 0, sizeof ri);
    ri.version = "9.9";
    ri.set = set;
    char path[] = "/tmp/evalbias-tally-XXXXXX";
    close(mkstemp(path));
    char *w = write_to(path, t, set, &cols, &ri);
    CHECK(w && strstr(w, "\ncell_item\t0\t9\t10\t9\t99\t100\n") &&
              strstr(w, "\ncell_item\t1\t1000\t999\t999\t9999\t10000\n") &&
              strstr(w, "\nfine_item\t2\t100000\t99999\t100000\t"
                        "18446744073709551615\t0\n") &&
              strstr(w, "\ncohort_item\t3\t18446744073709551615\t"
                        "12345678901234\t10\t0\t1\n") &&
              strstr(w, "\ncell\tann\t18446744073709551615\t"
                        "18446744073709551615\n"),
          "counts of 1 to 20 digits written in full");
    char *copy = strdup(w ? w : "");
    struct tally_part p;
    struct diag err;
    int rc = tally_file_read(path, &p, &err);
    CHECK(rc == 0, "and read back");
    if (rc == 0) {
        tally_finish(p.t);
        CHECK(same_tally(t, p.t), "every count equal");
        char *again = write_to(path, p.t, p.set, &p.cols, &ri);
        CHECK(again && strcmp(again, copy) == 0, "written again: the same bytes");
        tally_part_fini(&p);
    }
    free(copy);
    unlink(path);
    strvec_fini(&cols);
    tally_free(t);
    lexicon_set_free(set);
}

int main(void)
{
    test_hmac();
    test_pseudonym();
    test_merge();
    test_file();
    test_numbers();
    return check_done();
}
