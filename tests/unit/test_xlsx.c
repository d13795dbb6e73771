/* test_xlsx.c - unit tests for xlsx.c and the reader's xlsx source: the
 * workbooks in tests/xlsx/ (made by tests/xlsx/make_fixtures.py, which
 * lists what each one holds), read through reader_open like any export,
 * and through xlsx_open_* for the limits. Run from the top folder. */
#include "check.h"
#include "reader.h"
#include "util.h"
#include "xlsx.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIX "tests/xlsx/"

static struct diag err;
static struct diags warn;

static reader *open_opts(const char *path, const char *sheet,
                         unsigned long header_row)
{
    struct reader_options o = {.encoding = READER_ENC_AUTO,
                               .on_bad_row = READER_BAD_ROW_ERROR,
                               .sheet = sheet, .header_row = header_row};
    memset(&err, 0, sizeof err);
    return reader_open(path, &o, &err);
}

static const struct record *next(reader *r, int *rc)
{
    const struct record *rec = NULL;
    *rc = reader_next(r, &rec, &err, &warn);
    return rec;
}

static const char *cell(const struct record *rec, size_t i)
{
    return rec && i < rec->nfields ? rec->fields[i].p : "(none)";
}

static void test_basic(void)
{
    reader *r = open_opts(FIX "basic.xlsx", NULL, 0);
    if (!CHECK(r != NULL, "basic: opens"))
        return;
    const struct reader_format *f = reader_format(r);
    CHECK(f->xlsx && strcmp(f->sheet, "Evaluations") == 0,
          "basic: the first sheet by default");
    CHECK(f->header_row == 3 && f->header_detected && f->rows_above == 1,
          "basic: title row and blank row skipped, header on row 3");
    CHECK_INT(reader_ncolumns(r), 6, "basic: 6 columns");
    CHECK_STR(reader_column(r, 5), "Score", "basic: column name");
    CHECK_STR(reader_encoding_name(r), "xlsx", "basic: encoding name");
    int rc;
    const struct record *rec = next(r, &rc);
    CHECK(rec && rec->row == 4, "basic: first data row is the sheet's row 4");
    CHECK_STR(cell(rec, 0), "1", "number: 1 stays 1");
    CHECK_STR(cell(rec, 3), "2024-07-01", "date: built-in format 14");
    CHECK_STR(cell(rec, 4), "Very thorough notes",
              "shared string: rich-text runs concatenated");
    CHECK_STR(cell(rec, 5), "0.1", "number: 0.1 stays 0.1");
    rec = next(r, &rc);
    CHECK(rec && rec->row == 5, "row 5");
    CHECK_STR(cell(rec, 2), "", "a cell Excel left out (C5) is empty");
    CHECK_STR(cell(rec, 3), "2024-07-01", "date: custom dd/mm/yyyy");
    CHECK_STR(cell(rec, 4), "Line one\r\nline two",
              "inline string, _x000D_ decoded");
    CHECK_STR(cell(rec, 5), "3", "number: 3");
    rec = next(r, &rc);
    CHECK_STR(cell(rec, 3), "2024-07-01T08:30:00", "date and time: format 22");
    CHECK(rec && rec->fields[4].len == 32767,
          "a 32,767-character cell is read whole");
    CHECK_STR(cell(rec, 5), "0.001", "number: 1E-3 in shortest form");
    rec = next(r, &rc);
    CHECK_STR(cell(rec, 1), "D\xC3\xA9j\xC3\xA0", "UTF-8 shared string");
    CHECK_STR(cell(rec, 3), "12:00:00", "time: format 20");
    CHECK_STR(cell(rec, 4), "calc", "formula string: cached value");
    CHECK_STR(cell(rec, 5), "#N/A", "error cell as written");
    rec = next(r, &rc);
    CHECK(rec && rec->row == 8 && rec->nfields == 6 &&
              strcmp(cell(rec, 5), "") == 0,
          "short row padded to the header's width");
    rec = next(r, &rc);
    CHECK_STR(cell(rec, 3), "12.5", "\"days\" in quotes is not a date");
    CHECK_STR(cell(rec, 4), "TRUE", "boolean");
    CHECK_STR(cell(rec, 5), "30:00:00", "elapsed [h]:mm keeps the hours");
    next(r, &rc);
    CHECK_INT(rc, READER_EOF, "basic: EOF");
    CHECK_INT(reader_rows_read(r), 6, "basic: 6 data rows read");
    char hex[65];
    CHECK(reader_sha256(r, hex) == 0 && strlen(hex) == 64,
          "basic: the file's SHA-256 is known at EOF");
    CHECK_INT(reader_bytes_read(r), reader_bytes_total(r),
              "basic: every byte of the file counted");
    char how[256];
    reader_format_describe(r, how, sizeof how);
    CHECK_STR(how, "sheet \"Evaluations\", header row 3 (detected; 1 row above "
                   "it skipped)", "basic: format description");
    reader_free(r);

    r = open_opts(FIX "basic.xlsx", "Other", 0);
    rec = r ? next(r, &rc) : NULL;
    CHECK(r && strcmp(reader_column(r, 1), "B") == 0 &&
              strcmp(cell(rec, 1), "y") == 0,
          "--sheet picks a sheet by name");
    reader_free(r);

    r = open_opts(FIX "basic.xlsx", NULL, 1);
    CHECK(r && reader_ncolumns(r) == 1 && reader_format(r)->header_row == 1,
          "--header-row 1 takes the title as the header");
    reader_free(r);
}

static void test_merged_1904(void)
{
    reader *r = open_opts(FIX "merged.xlsx", NULL, 0);
    if (CHECK(r && reader_ncolumns(r) == 4, "merged: 4 columns")) {
        CHECK_STR(reader_column(r, 0), "Resident",
                  "merged: a label merged down over both rows");
        CHECK_STR(reader_column(r, 1), "Comments / Strengths",
                  "merged: group / sub (first column of the merge)");
        CHECK_STR(reader_column(r, 2), "Comments / Weaknesses",
                  "merged: group / sub (second column)");
        CHECK_STR(reader_column(r, 3), "Score", "merged: outside the merge");
        CHECK_INT(reader_format(r)->header_row, 2, "merged: header row 2");
        int rc;
        const struct record *rec = next(r, &rc);
        rec = next(r, &rc);
        CHECK(rec && rec->row == 4 && strcmp(cell(rec, 2), "") == 0,
              "merged: data rows follow");
    }
    reader_free(r);

    r = open_opts(FIX "merged-utf16.xlsx", NULL, 0);
    CHECK(r && reader_ncolumns(r) == 4 &&
              strcmp(reader_column(r, 1), "Comments / Strengths") == 0,
          "a sheet saved as UTF-16: read, merged header included");
    reader_free(r);

    r = open_opts(FIX "date1904.xlsx", NULL, 0);
    int rc;
    const struct record *rec = r ? next(r, &rc) : NULL;
    CHECK_STR(cell(rec, 1), "1904-01-01", "1904 system: serial 0");
    rec = r ? next(r, &rc) : NULL;
    CHECK_STR(cell(rec, 1), "1904-01-02", "1904 system: serial 1");
    rec = r ? next(r, &rc) : NULL;
    CHECK_STR(cell(rec, 1), "2028-07-02", "1904 system: 1462 days later");
    reader_free(r);
}

static void test_errors(void)
{
    reader *r = open_opts(FIX "ole2.xls", NULL, 0);
    CHECK(!r && strcmp(err.msg, XLSX_OLE2_MESSAGE) == 0 &&
              strstr(err.file, "ole2.xls"),
          "OLE2: legacy .xls or password-protected, naming the file");
    r = open_opts(FIX "no-sheets.xlsx", NULL, 0);
    CHECK(!r && strstr(err.msg, "workbook has no sheets"), "no sheets");
    r = open_opts(FIX "basic.xlsx", "Nope", 0);
    CHECK(!r && strstr(err.msg, "no sheet named \"Nope\"") &&
              strstr(err.msg, "\"Evaluations\", \"Other\""),
          "unknown sheet: names the sheets there are");
    r = open_opts(FIX "bad-sst.xlsx", NULL, 0);
    int rc = 0;
    if (r)
        next(r, &rc);
    CHECK(r && rc == READER_ERROR &&
              strstr(err.msg, "sheet \"Sheet1\", row 2, column B") &&
              strstr(err.msg, "shared-string index 99 out of range"),
          "shared-string index out of range: sheet, row, column");
    reader_free(r);
    r = open_opts(FIX "bomb.xlsx", NULL, 0);
    CHECK(!r && strstr(err.msg, "zip bomb") && strstr(err.msg, "1024 MiB"),
          "zip bomb (declared size): refused, saying so and the cap");
    r = open_opts(FIX "corrupt.xlsx", NULL, 0);
    CHECK(!r && strstr(err.msg, "corrupt workbook"), "truncated archive");
    r = open_opts("tests/unit/check.h", "Sheet1", 0);
    CHECK(!r && strstr(err.msg, "--sheet"), "--sheet on a text file");
    r = open_opts(FIX "basic.xlsx", NULL, 2);
    CHECK(!r && strstr(err.msg, "row 2 is blank"), "--header-row on a blank row");

    /* The inflating count: a sheet of 2 MiB (honestly declared) under a
     * 1 MiB cap. */
    struct xlsx_options o = {NULL, 1 << 20, 0};
    int fd = open(FIX "inflate.xlsx", O_RDONLY);
    xlsx *x = fd >= 0 ? xlsx_open_fd(fd, "inflate.xlsx", &o, &err) : NULL;
    CHECK(!x && strstr(err.msg, "zip bomb") && strstr(err.msg, "1 MiB"),
          "zip bomb (inflated size): the cap holds while inflating");
    o.max_part_bytes = 4 << 20;
    fd = open(FIX "inflate.xlsx", O_RDONLY);
    x = fd >= 0 ? xlsx_open_fd(fd, "inflate.xlsx", &o, &err) : NULL;
    const struct xlsx_row *row;
    int n = 0;
    while (x && xlsx_next(x, &row, &err) == 1)
        n++;
    CHECK(x && n == 8, "the same sheet reads under a larger cap");
    xlsx_free(x);
}

/* Shared strings past the memory limit move to the temporary file and
 * read back the same; a workbook from a stream is read from memory. */
static void test_spill_stream(void)
{
    struct xlsx_options o = {NULL, 0, 16};
    int fd = open(FIX "basic.xlsx", O_RDONLY);
    xlsx *x = fd >= 0 ? xlsx_open_fd(fd, "basic.xlsx", &o, &err) : NULL;
    const struct xlsx_row *row;
    int ok = x != NULL, n = 0;
    CHECK(x && xlsx_sst_spilled(x), "sst: spilled past a 16-byte limit");
    /* The spill file: open, already unlinked, mode 0600 (Linux /proc). */
    int spill_ok = 0;
    for (int i = 3; x && i < 256 && !spill_ok; i++) {
        char link[64], target[512];
        snprintf(link, sizeof link, "/proc/self/fd/%d", i);
        ssize_t k = readlink(link, target, sizeof target - 1);
        struct stat st;
        if (k <= 0)
            continue;
        target[k] = '\0';
        spill_ok = strstr(target, "evalbias-sst-") &&
                   strstr(target, "(deleted)") && fstat(i, &st) == 0 &&
                   (st.st_mode & 0777) == 0600;
    }
    CHECK(spill_ok, "sst: the spill file is unlinked and mode 0600");
    while (x && xlsx_next(x, &row, &err) == 1) {
        n++;
        if (row->row == 4)
            ok &= strcmp(row->cells[4].p, "Very thorough notes") == 0;
        if (row->row == 7)
            ok &= strcmp(row->cells[1].p, "D\xC3\xA9j\xC3\xA0") == 0;
        if (row->row == 1)
            ok &= strncmp(row->cells[0].p, "Evaluation Report", 17) == 0;
    }
    CHECK(ok && n == 8, "sst: spilled strings read back from the file");
    xlsx_free(x);

    FILE *f = fopen(FIX "basic.xlsx", "rb");
    char *data = xmalloc(1 << 16);
    size_t len = f ? fread(data, 1, 1 << 16, f) : 0;
    if (f)
        fclose(f);
    FILE *m = fmemopen(data, len, "rb");
    reader *r = m ? reader_open_stream(m, "mem.xlsx", NULL, &err) : NULL;
    int rc;
    const struct record *rec = r ? next(r, &rc) : NULL;
    CHECK(r && rec && rec->row == 4 && strcmp(cell(rec, 5), "0.1") == 0,
          "a workbook from a stream (no file descriptor) is read");
    reader_free(r);
    free(data);
}

static void test_values(void)
{
    char b[64];
    static const struct { double v; const char *want; } nums[] = {
        {0.1, "0.1"}, {3, "3"}, {-2, "-2"}, {1e-3, "0.001"}, {-0.0, "0"},
        {1.0 / 3, "0.3333333333333333"}, {123456789012345.0, "123456789012345"},
        {1e20, "1e+20"}, {2.5, "2.5"}, {0.30000000000000004, "0.30000000000000004"},
    };
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        xlsx_format_number(nums[i].v, b, sizeof b);
        char d[80];
        snprintf(d, sizeof d, "number %s", nums[i].want);
        CHECK_STR(b, nums[i].want, d);
    }
    static const struct { double s; int w1904, kind; const char *want; } ds[] = {
        {1, 0, 1, "1900-01-01"}, {59, 0, 1, "1900-02-28"},
        {60, 0, 1, "1900-02-29"}, {61, 0, 1, "1900-03-01"},
        {45474, 0, 1, "2024-07-01"}, {2958465, 0, 1, "9999-12-31"},
        {0, 1, 1, "1904-01-01"}, {45474.75, 0, 3, "2024-07-01T18:00:00"},
        {0.999999999, 0, 2, "24:00:00"}, {36526.5, 0, 1, "2000-01-01"},
    };
    for (size_t i = 0; i < sizeof ds / sizeof *ds; i++) {
        b[0] = '\0';
        int ok = xlsx_format_date(ds[i].s, ds[i].w1904, ds[i].kind, b, sizeof b);
        char d[80];
        snprintf(d, sizeof d, "date %g -> %s", ds[i].s, ds[i].want);
        CHECK(ok && strcmp(b, ds[i].want) == 0, d);
        if (!ok || strcmp(b, ds[i].want) != 0)
            printf("#   got: %s\n", b);
    }
    CHECK(!xlsx_format_date(2958466, 0, 1, b, sizeof b) &&
              !xlsx_format_date(-1, 0, 1, b, sizeof b) &&
              !xlsx_format_date(0, 0, 1, b, sizeof b),
          "dates out of range stay numbers");
    static const unsigned char pk[] = "PK\3\4", ole[] =
        "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    CHECK(xlsx_sniff(pk, 4) == 1 && xlsx_sniff(ole, 8) == 2 &&
              xlsx_sniff((const unsigned char *)"id,x", 4) == 0,
          "sniff: zip, OLE2, text");
}

int main(void)
{
    test_basic();
    test_merged_1904();
    test_errors();
    test_spill_stream();
    test_values();
    diags_fini(&warn);
    return check_done();
}
