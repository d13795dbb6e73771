/* test_reader.c - unit tests for reader.c: CSV dialect, line numbers,
 * encodings, ragged rows, edge files. Each test writes its input to a temp
 * file (mkstemp) and reads it back through the public API. */
#include "check.h"
#include "reader.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct strvec tmpfiles;

static const char *write_tmp(const void *data, size_t n)
{
    char path[] = "/tmp/test_reader_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        exit(2);
    }
    const char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) {
            perror("write");
            exit(2);
        }
        p += w, n -= (size_t)w;
    }
    close(fd);
    strvec_push(&tmpfiles, path);
    return tmpfiles.v[tmpfiles.n - 1];
}

static struct diag err;
static struct diags warn;

static reader *open_mem(const char *data, size_t n, enum reader_encoding enc,
                        enum reader_bad_row bad)
{
    struct reader_options opt = {.encoding = enc, .on_bad_row = bad};
    memset(&err, 0, sizeof err);
    diags_fini(&warn);
    warn.dropped = 0;
    return reader_open(write_tmp(data, n), &opt, &err);
}

/* String literals may hold NUL bytes, so take their size, not strlen. */
#define OPEN(lit) open_mem((lit), sizeof(lit) - 1, READER_ENC_AUTO, READER_BAD_ROW_ERROR)
#define OPEN_WITH(lit, enc, bad) open_mem((lit), sizeof(lit) - 1, (enc), (bad))

static const struct record *next(reader *r, int *rc)
{
    const struct record *rec = NULL;
    *rc = reader_next(r, &rec, &err, &warn);
    return rec;
}

/* Every span NUL-terminated at len, with no NUL inside. */
static int spans_ok(const struct record *rec)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (rec->fields[i].p[rec->fields[i].len] != '\0' ||
            strlen(rec->fields[i].p) != rec->fields[i].len)
            return 0;
    return 1;
}

static int warned(const char *needle)
{
    for (size_t i = 0; i < warn.n; i++)
        if (strstr(warn.v[i].msg, needle))
            return 1;
    return 0;
}

static void test_lf(void)
{
    reader *r = OPEN("id,name,comment\n1,Ann,good\n2,Bob,fine\n");
    CHECK(r != NULL, "LF: opens");
    if (!r)
        return;
    CHECK_INT(reader_ncolumns(r), 3, "LF: 3 columns");
    CHECK_STR(reader_column(r, 2), "comment", "LF: column name");
    int rc = 0;
    const struct record *rec = next(r, &rc);
    CHECK(rc == READER_OK && rec && rec->nfields == 3, "LF: first record");
    if (rec) {
        CHECK_STR(rec->fields[1].p, "Ann", "LF: field value");
        CHECK_INT(rec->row, 2, "LF: first data record is row 2");
        CHECK_INT(rec->line, 2, "LF: first data record on line 2");
        CHECK(spans_ok(rec), "LF: spans NUL-terminated");
    }
    rec = next(r, &rc);
    CHECK(rc == READER_OK && rec && rec->row == 3 && rec->line == 3,
          "LF: second record row 3 line 3");
    rec = next(r, &rc);
    CHECK_INT(rc, READER_EOF, "LF: EOF");
    CHECK_INT(reader_rows_read(r), 2, "LF: rows read");
    CHECK_STR(reader_encoding_name(r), "ascii", "LF: encoding ascii");
    CHECK_INT(reader_bytes_total(r), 38, "LF: bytes total");
    CHECK_INT(reader_bytes_read(r), 38, "LF: bytes read");
    reader_free(r);
}

static void test_crlf_bom(void)
{
    reader *r = OPEN("\xEF\xBB\xBFname,comment\r\nAnn,\"a\r\nb\"\r\nBob,ok\r\n");
    CHECK(r != NULL, "BOM+CRLF: opens");
    if (!r)
        return;
    CHECK_STR(reader_column(r, 0), "name", "BOM: dropped from first name");
    CHECK_STR(reader_column(r, 1), "comment", "CRLF: no CR in last name");
    int rc = 0;
    const struct record *rec = next(r, &rc);
    CHECK(rec && rec->line == 2, "CRLF: record on line 2");
    if (rec)
        CHECK_STR(rec->fields[1].p, "a\r\nb", "CRLF: quoted CRLF kept");
    rec = next(r, &rc);
    CHECK(rec && rec->line == 4 && rec->row == 3, "CRLF: row 3 on line 4");
    if (rec)
        CHECK_STR(rec->fields[1].p, "ok", "CRLF: no CR in last field");
    CHECK_STR(reader_encoding_name(r), "utf-8 (BOM)", "BOM: encoding name");
    reader_free(r);
}

static void test_quotes_lines(void)
{
    reader *r = OPEN("id,text\n"
                     "1,\"He said \"\"hi\"\"\nthen left\"\n"
                     "\n"
                     "2,\"one\n\ntwo\",\n"
                     "3,x\n");
    CHECK(r != NULL, "quotes: opens");
    if (!r)
        return;
    int rc = 0;
    const struct record *rec = next(r, &rc);
    if (CHECK(rec != NULL, "quotes: record 1"))
        CHECK_STR(rec->fields[1].p, "He said \"hi\"\nthen left",
                  "quotes: doubled quotes and embedded newline");
    rec = next(r, &rc);
    CHECK(rec && rec->row == 4 && rec->line == 5,
          "lines: after a 2-line record and a blank line, row 4 is line 5");
    if (rec)
        CHECK_INT(rec->nfields, 2, "trailing empty column truncated");
    rec = next(r, &rc);
    CHECK(rec && rec->row == 5 && rec->line == 8,
          "lines: after a 3-line record, row 5 is line 8");
    reader_free(r);
}

static void test_blank_lines(void)
{
    reader *r = OPEN("\n\na,b\n\n1,2\r\n\r\n   \n\n3,4");
    CHECK(r != NULL, "blank: opens despite leading blank lines");
    if (!r)
        return;
    int rc = 0;
    const struct record *rec = next(r, &rc);
    /* Rows are the spreadsheet's: blank lines count (a CRLF is one). */
    CHECK(rec && rec->row == 5 && rec->line == 5, "blank: row 5 on line 5");
    rec = next(r, &rc);
    CHECK(rec && rec->row == 9 && rec->line == 9,
          "blank: blank and space-only lines count as rows; row 9 on line 9");
    if (rec)
        CHECK_STR(rec->fields[1].p, "4", "blank: last record without newline");
    next(r, &rc);
    CHECK_INT(rc, READER_EOF, "blank: EOF");
    CHECK_INT(reader_rows_read(r), 2, "blank: 2 rows read");
    reader_free(r);
}

static void test_trailing_columns(void)
{
    reader *r = OPEN("a,b,,\n1,2\n3,4,,\n");
    CHECK(r && reader_ncolumns(r) == 2, "trailing empty header names dropped");
    if (!r)
        return;
    int rc = 0;
    const struct record *rec = next(r, &rc);
    CHECK(rec && rec->nfields == 2, "trailing: short row matches trimmed header");
    rec = next(r, &rc);
    CHECK(rec && rec->nfields == 2, "trailing: padded row truncated");
    reader_free(r);
}

static void test_spaces(void)
{
    reader *r = OPEN("a,b,c\n  x  ,\" y \",\tz\t\n");
    const struct record *rec = NULL;
    int rc = 0;
    if (r)
        rec = next(r, &rc);
    CHECK(rec != NULL, "spaces: record");
    if (rec) {
        CHECK_STR(rec->fields[0].p, "  x  ", "spaces: unquoted kept");
        CHECK_STR(rec->fields[1].p, " y ", "spaces: quoted kept");
        CHECK_STR(rec->fields[2].p, "\tz\t", "spaces: tabs kept");
    }
    reader_free(r);
}

static void test_unterminated(void)
{
    reader *r = OPEN("a,b\n1,2\n\n3,\"x\ny\"\n5,6\n7,\"oops\nmore\n");
    CHECK(r != NULL, "unterminated: header opens");
    if (!r)
        return;
    int rc = 0, n = 0;
    while (next(r, &rc))
        n++;
    CHECK_INT(n, 3, "unterminated: 3 good rows first");
    CHECK_INT(rc, READER_ERROR, "unterminated: error");
    CHECK_STR(err.msg, "unterminated quoted field starting at row 6 (line 7)",
              "unterminated: message names row and line");
    CHECK_INT(err.line, 7, "unterminated: diag line");
    CHECK(strcmp(err.file, tmpfiles.v[tmpfiles.n - 1]) == 0,
          "unterminated: diag file");
    next(r, &rc);
    CHECK_INT(rc, READER_ERROR, "unterminated: error is sticky");
    reader_free(r);

    /* The field begins a line after its record: both are reported. */
    r = OPEN("a,b\n\"p\nq\",\"open\n");
    if (r)
        next(r, &rc);
    CHECK(r && rc == READER_ERROR, "unterminated 2nd field: error");
    CHECK_STR(err.msg, "unterminated quoted field starting at row 2 (line 3)",
              "unterminated 2nd field: field line in message");
    CHECK_INT(err.line, 2, "unterminated 2nd field: record line in diag");
    reader_free(r);

    r = OPEN("a,\"b\n");
    CHECK(r == NULL, "unterminated header: open fails");
    CHECK_STR(err.msg, "unterminated quoted field starting at row 1 (line 1)",
              "unterminated header: message");
}

static void test_ragged(void)
{
    static const char csv[] = "a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n13,14,15,,\n";
    reader *r = OPEN(csv);
    int rc = 0;
    const struct record *rec = r ? next(r, &rc) : NULL;
    CHECK(rec && rec->row == 2, "ragged error: good row first");
    rec = r ? next(r, &rc) : NULL;
    CHECK(rec == NULL && rc == READER_ERROR, "ragged error: short row fails");
    CHECK_STR(err.msg, "ragged row 3: 2 fields, header has 3",
              "ragged error: message");
    CHECK_INT(err.line, 3, "ragged error: line");
    reader_free(r);

    r = OPEN_WITH(csv, READER_ENC_AUTO, READER_BAD_ROW_SKIP);
    unsigned long rows[8];
    int n = 0;
    while (r && (rec = next(r, &rc)) && n < 8)
        rows[n++] = rec->row;
    CHECK(r && rc == READER_EOF, "ragged skip: reaches EOF");
    CHECK(n == 3 && rows[0] == 2 && rows[1] == 4 && rows[2] == 6,
          "ragged skip: rows 2, 4, 6 returned");
    if (!r)
        return;
    CHECK_INT(reader_nskipped(r), 2, "ragged skip: 2 skipped");
    CHECK_INT(reader_skipped_row(r, 0), 3, "ragged skip: row 3 skipped");
    CHECK_STR(reader_skipped_reason(r, 0), "ragged: 2 fields, header has 3",
              "ragged skip: short reason");
    CHECK_INT(reader_skipped_row(r, 1), 5, "ragged skip: row 5 skipped");
    CHECK_STR(reader_skipped_reason(r, 1), "ragged: 4 fields, header has 3",
              "ragged skip: long reason");
    CHECK_INT(reader_rows_read(r), 5, "ragged skip: read = returned + skipped");
    reader_free(r);
}

static void test_cp1252(void)
{
    reader *r = OPEN("name,comment\nAnn,plain\nBea,\x93Great\x94 caf\xE9\n"
                     "Cy,\x80 \x81\n");
    int rc = 0;
    const struct record *rec = r ? next(r, &rc) : NULL;
    CHECK(rec && warn.n == 0, "cp1252: warning comes with its own row");
    rec = r ? next(r, &rc) : NULL;
    if (CHECK(rec != NULL, "cp1252: record"))
        CHECK_STR(rec->fields[1].p, "\xE2\x80\x9CGreat\xE2\x80\x9D caf\xC3\xA9",
                  "cp1252: smart quotes and e-acute transcoded");
    CHECK_STR(r ? reader_encoding_name(r) : NULL, "windows-1252",
              "cp1252: encoding name");
    CHECK(warn.n == 1 && warn.v[0].line == 3 &&
              strstr(warn.v[0].msg, "windows-1252") &&
              strstr(warn.v[0].msg, "0x93"),
          "cp1252: detection warning with line and byte");
    rec = r ? next(r, &rc) : NULL;
    if (CHECK(rec != NULL, "cp1252: later record"))
        CHECK_STR(rec->fields[1].p, "\xE2\x82\xAC \xEF\xBF\xBD",
                  "cp1252: euro, undefined 0x81 -> U+FFFD");
    CHECK(warned("0x81"), "cp1252: undefined byte warned");
    reader_free(r);

    struct buf b;
    buf_init(&b);
    size_t nr = reader_cp1252_to_utf8("a\x8A\x9F\xA0\xFF\x8D", 6, &b);
    CHECK_STR(buf_cstr(&b), "a\xC5\xA0\xC5\xB8\xC2\xA0\xC3\xBF\xEF\xBF\xBD",
              "cp1252_to_utf8: table and Latin-1 range");
    CHECK_INT(nr, 1, "cp1252_to_utf8: one replacement");
    buf_fini(&b);

    r = OPEN_WITH("n\nd\xC3\xA9j\xC3\xA0\n", READER_ENC_CP1252,
                  READER_BAD_ROW_ERROR);
    rec = r ? next(r, &rc) : NULL;
    if (CHECK(rec != NULL, "forced cp1252: record"))
        CHECK_STR(rec->fields[0].p, "d\xC3\x83\xC2\xA9j\xC3\x83\xC2\xA0",
                  "forced cp1252: UTF-8 bytes read as cp1252");
    reader_free(r);
}

static void test_utf8(void)
{
    static const char csv[] = "a,b\n1,caf\xC3\xA9\n2,\"x\ny\"\n3,bad\xE9x\n";
    reader *r = OPEN(csv);
    int rc = 0, n = 0;
    const struct record *rec = NULL, *last = NULL;
    while (r && (rec = next(r, &rc))) {
        n++;
        if (rec->row == 4) {
            CHECK_STR(rec->fields[1].p, "bad\xEF\xBF\xBDx",
                      "utf-8: invalid byte -> U+FFFD");
            last = rec;
        }
    }
    CHECK(n == 3 && last, "utf-8: all rows returned");
    CHECK_STR(r ? reader_encoding_name(r) : NULL, "utf-8", "utf-8: name");
    CHECK(warn.n == 1 && warn.v[0].line == 5 && warned("0xE9") &&
              warned("row 4") && warned("column \"b\""),
          "utf-8: warning names line, row, column and byte");
    reader_free(r);

    r = OPEN_WITH(csv, READER_ENC_UTF8, READER_BAD_ROW_ERROR);
    n = 0;
    while (r && next(r, &rc))
        n++;
    CHECK(n == 2 && rc == READER_ERROR, "strict utf-8: error after 2 rows");
    CHECK_STR(err.msg,
              "invalid UTF-8 byte 0xE9 at row 4, column \"b\", byte 4 of the field",
              "strict utf-8: message");
    CHECK_INT(err.line, 5, "strict utf-8: line");
    reader_free(r);

    r = OPEN_WITH("a\n\x93q\x94\n", READER_ENC_UTF8, READER_BAD_ROW_ERROR);
    if (r)
        next(r, &rc);
    CHECK(r && rc == READER_ERROR && strstr(err.msg, "0x93"),
          "strict utf-8: no cp1252 fallback");
    reader_free(r);

    r = OPEN("a\xE9,b\nx,y\n");
    CHECK(r && strcmp(reader_column(r, 0), "a\xC3\xA9") == 0,
          "cp1252 header decoded");
    reader_free(r);

    CHECK_INT(reader_utf8_invalid_at("ok \xF0\x9F\x98\x80 \xE2\x82\xAC", 11), 11,
              "utf8_invalid_at: valid 4- and 3-byte");
    CHECK_INT(reader_utf8_invalid_at("ab\xC0\x80", 4), 2, "utf8: overlong C0");
    CHECK_INT(reader_utf8_invalid_at("\xE0\x80\xAF", 3), 0, "utf8: overlong E0");
    CHECK_INT(reader_utf8_invalid_at("x\xED\xA0\x80", 4), 1, "utf8: surrogate");
    CHECK_INT(reader_utf8_invalid_at("\xF4\x90\x80\x80", 4), 0,
              "utf8: above U+10FFFF");
    CHECK_INT(reader_utf8_invalid_at("\xE2\x82", 2), 0, "utf8: truncated");
}

static void test_nul(void)
{
    reader *r = OPEN("a,b\n1,x\0y\0\n");
    int rc = 0;
    const struct record *rec = r ? next(r, &rc) : NULL;
    if (CHECK(rec != NULL, "NUL: record"))
        CHECK(rec->fields[1].len == 8 &&
                  memcmp(rec->fields[1].p, "x\xEF\xBF\xBDy\xEF\xBF\xBD", 8) == 0,
              "NUL: replaced, field not truncated");
    CHECK(warned("NUL byte") && warned("(2 in this field)"), "NUL: warned");
    reader_free(r);
}

static void test_empty_files(void)
{
    CHECK(OPEN("") == NULL, "empty: 0 bytes fails");
    CHECK_STR(err.msg, "file is empty: no header row", "empty: message");
    CHECK(OPEN("\xEF\xBB\xBF") == NULL, "empty: BOM only fails");
    CHECK(OPEN("\n\r\n\n") == NULL, "empty: blank lines only fail");
    CHECK_STR(err.msg, "file is empty: no header row", "empty: blank message");

    reader *r = OPEN("a,b\n");
    int rc = 0;
    CHECK(r != NULL, "header only: opens");
    if (r)
        next(r, &rc);
    CHECK(r && rc == READER_EOF, "header only: EOF at once");
    reader_free(r);

    r = OPEN("x,,y,x");
    CHECK(r && reader_ncolumns(r) == 4, "header without newline");
    if (r)
        next(r, &rc);
    CHECK(warned("empty column name (column 2)"), "header: empty name warned");
    CHECK(warned("duplicate column name \"x\" (columns 1 and 4)"),
          "header: duplicate name warned");
    reader_free(r);

    struct reader_options opt = {.encoding = READER_ENC_AUTO,
                                 .on_bad_row = READER_BAD_ROW_ERROR};
    CHECK(reader_open("/nonexistent/x.csv", &opt, &err) == NULL &&
              strstr(err.msg, "cannot open"),
          "missing file: error");
}

static void test_stdin(void)
{
    const char *path = write_tmp("a\n1\n2\n", 6);
    CHECK(freopen(path, "rb", stdin) != NULL, "stdin: redirect");
    struct reader_options opt = {.encoding = READER_ENC_AUTO,
                                 .on_bad_row = READER_BAD_ROW_ERROR};
    reader *r = reader_open("-", &opt, &err);
    int rc = 0, n = 0;
    while (r && next(r, &rc))
        n++;
    CHECK(r && n == 2 && rc == READER_EOF, "stdin: \"-\" reads stdin");
    reader_free(r);
}

/* 60,000 two-line records cross many 256 KiB chunks: every record must come
 * back intact with its line, and each warning no later than its record. */
static void test_many_chunks(void)
{
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "id,text,tail\n1,caf\xC3\xA9,t\n");
    for (int i = 0; i < 60000; i++)
        buf_printf(&b, "%d,\"row %d\nsays \"\"%s\"\"%s\",%s\r\n", i, i,
                   i % 7 ? "hi" : "a longer quoted phrase here",
                   i % 1000 == 999 ? "\xE9" : "", i % 3 ? "x" : "");
    reader *r = open_mem(b.p, b.len, READER_ENC_AUTO, READER_BAD_ROW_ERROR);
    int rc = 0, bad = 0, n = 0;
    const struct record *rec = r ? next(r, &rc) : NULL; /* the café row */
    char want[128];
    while (r && (rec = next(r, &rc))) {
        int i = n++;
        snprintf(want, sizeof want, "row %d\nsays \"%s\"%s", i,
                 i % 7 ? "hi" : "a longer quoted phrase here",
                 i % 1000 == 999 ? "\xEF\xBF\xBD" : "");
        if (rec->row != (unsigned long)i + 3 ||
            rec->line != 3 + 2 * (unsigned long)i ||
            strcmp(rec->fields[1].p, want) != 0 ||
            strcmp(rec->fields[2].p, i % 3 ? "x" : "") != 0)
            bad++;
        /* the warning for row 999 arrives with it, not before */
        if ((warn.n != (size_t)(i + 1) / 1000) ||
            (warn.n && warn.v[warn.n - 1].line > rec->line))
            bad++;
    }
    CHECK(r && rc == READER_EOF && n == 60000, "many chunks: all rows read");
    CHECK_INT(bad, 0, "many chunks: rows, lines and warnings in order");
    CHECK_INT(warn.n, 60, "many chunks: one warning per bad field");
    CHECK(warn.n == 60 && warn.v[0].line == 3 + 2 * 999,
          "many chunks: warning line");
    reader_free(r);
    buf_fini(&b);

    /* Compaction: the first 256 KiB chunk ends inside field 3 of row 264,
     * whose fields 1 and 2 are already decoded at the end of the arena. The
     * next chunk's rows are Windows-1252 and decode to twice their size, so
     * they overwrite that spot: the split record's fields must have moved. */
    buf_init(&b);
    buf_puts(&b, "id,a,b\n");
    for (int i = 0; i < 600; i++) {
        buf_printf(&b, "%06d,%050d,", i, i);
        for (int k = 0; k < 941; k++)
            buf_putc(&b, i < 300 ? 'b' : '\xE9');
        buf_putc(&b, '\n');
    }
    CHECK(b.len == 7 + 600 * 1000 && (256 * 1024 - 7) % 1000 > 58,
          "split record: test data crosses the chunk inside field 3");
    r = open_mem(b.p, b.len, READER_ENC_CP1252, READER_BAD_ROW_ERROR);
    bad = n = 0;
    while (r && (rec = next(r, &rc))) {
        int i = n++;
        char id[16], a50[64];
        snprintf(id, sizeof id, "%06d", i);
        snprintf(a50, sizeof a50, "%050d", i);
        if (strcmp(rec->fields[0].p, id) != 0 ||
            strcmp(rec->fields[1].p, a50) != 0 ||
            rec->fields[2].len != (i < 300 ? 941u : 2 * 941u) ||
            rec->line != (unsigned long)i + 2)
            bad++;
    }
    CHECK(r && rc == READER_EOF && n == 600, "split record: all rows read");
    CHECK_INT(bad, 0, "split record: fields intact after compaction");
    reader_free(r);
    buf_fini(&b);

    /* 1000 bad fields in one batch: held and dropped warnings add up. */
    buf_init(&b);
    buf_puts(&b, "t\n\xC3\xA9\n");
    for (int i = 0; i < 1000; i++)
        buf_puts(&b, "\xFF\n");
    r = open_mem(b.p, b.len, READER_ENC_AUTO, READER_BAD_ROW_ERROR);
    while (r && next(r, &rc))
        ;
    CHECK_INT(warn.n + warn.dropped, 1000, "warnings: none lost uncounted");
    reader_free(r);
    buf_fini(&b);
}

/* A 20 MB quoted field with a newline every 100 bytes, followed by a normal
 * record: the field survives whole and the next line number is exact. */
static void test_big_field(void)
{
    size_t big = 20u * 1000 * 1000;
    char *s = xmalloc(big + 64);
    size_t n = 0;
    n += (size_t)sprintf(s, "id,text\n1,\"");
    for (size_t i = 0; i < big; i++)
        s[n++] = (i % 100 == 99) ? '\n' : 'x';
    n += (size_t)sprintf(s + n, "\"\n2,y\n");
    clock_t t0 = clock();
    reader *r = open_mem(s, n, READER_ENC_AUTO, READER_BAD_ROW_ERROR);
    int rc = 0;
    const struct record *rec = r ? next(r, &rc) : NULL;
    CHECK(rec && rec->fields[1].len == big && rec->fields[1].p[big - 1] == '\n'
              && rec->fields[1].p[0] == 'x',
          "big field: 20 MB intact");
    rec = r ? next(r, &rc) : NULL;
    CHECK(rec && rec->row == 3 && rec->line == 2 + big / 100 + 1,
          "big field: line count across chunks");
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    printf("# 20 MB field read in %.2f s\n", secs);
    CHECK(secs < 30, "big field: no quadratic growth");
    reader_free(r);
    free(s);
}

/* UTF-16 (Excel's "Unicode text"): transcoded chunk by chunk. The reader
 * reads 256 KiB chunks; a surrogate pair and a code unit are placed across
 * those boundaries so the carry between chunks is exercised. */
static size_t put16(unsigned char *o, unsigned u, int be)
{
    o[be ? 1 : 0] = (unsigned char)(u & 0xFF);
    o[be ? 0 : 1] = (unsigned char)(u >> 8);
    return 2;
}

static void test_utf16_chunks(int be, size_t shift)
{
    const size_t chunk = 256 * 1024;
    size_t cap = 3 * chunk;
    unsigned char *s = xmalloc(cap);
    size_t n = 0;
    n += put16(s + n, 0xFEFF, be); /* BOM */
    const char *head = "id,text\n1,\"";
    for (const char *h = head; *h; h++)
        n += put16(s + n, (unsigned char)*h, be);
    /* 'x' up to the boundary, then U+1F600 (D83D DE00) and U+00E9 (shift
     * 0: the pair straddles the boundary; shift 1: the pair ends exactly
     * at it), then more text. Offsets are even (BOM and units are 2
     * bytes, chunks are full), so a code unit itself is never split. */
    size_t want_x = 0;
    while (n + 2 <= chunk - 2 - 2 * shift)
        n += put16(s + n, 'x', be), want_x++;
    n += put16(s + n, 0xD83D, be);
    n += put16(s + n, 0xDE00, be);
    n += put16(s + n, 0xE9, be);
    for (int k = 0; k < 5; k++)
        n += put16(s + n, 'y', be);
    const char *tail = "\"\r\n2,z\r\n";
    for (const char *h = tail; *h; h++)
        n += put16(s + n, (unsigned char)*h, be);
    reader *r = open_mem((const char *)s, n, READER_ENC_AUTO,
                         READER_BAD_ROW_ERROR);
    int rc = 0;
    const struct record *rec = r ? next(r, &rc) : NULL;
    int ok = rec && rec->nfields == 2 &&
             rec->fields[1].len == want_x + 4 + 2 + 5;
    if (ok) {
        const char *f = rec->fields[1].p;
        for (size_t i = 0; i < want_x && ok; i++)
            ok = f[i] == 'x';
        ok = ok && memcmp(f + want_x, "\xF0\x9F\x98\x80\xC3\xA9yyyyy", 11) == 0;
    }
    char d[96];
    snprintf(d, sizeof d, "utf-16%s: surrogate pair at a chunk boundary (shift %zu)",
             be ? "be" : "le", shift);
    CHECK(ok, d);
    rec = r ? next(r, &rc) : NULL;
    CHECK(rec && strcmp(rec->fields[1].p, "z") == 0 && rec->row == 3,
          "utf-16: the record after it");
    CHECK_STR(r ? reader_encoding_name(r) : NULL,
              be ? "utf-16be (BOM)" : "utf-16le (BOM)", "utf-16: encoding name");
    CHECK(warn.n == 0, "utf-16: no warnings for valid input");
    reader_free(r);
    free(s);
}

static void test_utf16(void)
{
    test_utf16_chunks(0, 0);
    test_utf16_chunks(1, 0);
    test_utf16_chunks(0, 1);
    reader *r = OPEN("\xFF\xFE" "a\0,\0b\0\n\0" "1\0,\0\x3D\xD8\n\0");
    int rc = 0;
    const struct record *rec = r ? next(r, &rc) : NULL;
    CHECK(rec && strcmp(rec->fields[1].p, "\xEF\xBF\xBD") == 0 &&
              warned("invalid UTF-16"),
          "utf-16: a lone high surrogate becomes U+FFFD with a warning");
    reader_free(r);
    r = OPEN_WITH("\xFF\xFE" "a\0,\0b\0\n\0", READER_ENC_UTF8,
                  READER_BAD_ROW_ERROR);
    CHECK(!r && strstr(err.msg, "UTF-16LE") && strstr(err.msg, "--encoding auto"),
          "utf-16: refused under --encoding utf-8, naming it");
    reader_free(r);
    r = OPEN("a\0,\0b\0\n\0");
    CHECK(!r && strstr(err.msg, "without a byte order mark") &&
              strstr(err.msg, "--encoding utf-16le"),
          "utf-16 without BOM: refused, naming the option that reads it");
    reader_free(r);
    r = OPEN_WITH("\0a\0,\0b\0\n\0" "1\0,\0\xE9\0\n", READER_ENC_UTF16BE,
                  READER_BAD_ROW_ERROR);
    rec = r ? next(r, &rc) : NULL;
    CHECK(rec && strcmp(rec->fields[1].p, "\xC3\xA9") == 0 &&
              strcmp(reader_encoding_name(r), "utf-16be") == 0,
          "--encoding utf-16be reads a file without a BOM");
    reader_free(r);
}

/* reader_open_stream reads an already open stream (fmemopen). */
static void test_stream(void)
{
    static char data[] = "id,text\n1,hello\n";
    FILE *f = fmemopen(data, sizeof data - 1, "rb");
    struct diag e;
    reader *r = f ? reader_open_stream(f, "mem.csv", NULL, &e) : NULL;
    int rc = 0;
    const struct record *rec = r ? next(r, &rc) : NULL;
    CHECK(rec && strcmp(rec->fields[1].p, "hello") == 0,
          "reader_open_stream: reads from fmemopen");
    reader_free(r);
}

/* Header detection: title and blank lines above the header are skipped;
 * row numbers stay the spreadsheet's. */
static void test_header_detect(void)
{
    reader *r = OPEN("Evaluation Report \xE2\x80\x94 generated 2026-06-30\n"
                     "\n"
                     "id,name,comment\n1,Ann,good\n2,Bob,\"fine\"\n");
    if (!CHECK(r != NULL, "title: opens"))
        return;
    const struct reader_format *f = reader_format(r);
    CHECK(f->header_row == 3 && f->header_detected && f->rows_above == 1,
          "title: header on row 3, the title skipped");
    CHECK(reader_ncolumns(r) == 3 && strcmp(reader_column(r, 0), "id") == 0,
          "title: the header's names");
    int rc = 0;
    const struct record *rec = next(r, &rc);
    CHECK(rec && rec->row == 4 && rec->line == 4, "title: first data row 4");
    next(r, &rc);
    next(r, &rc);
    CHECK(rc == READER_EOF && reader_rows_read(r) == 2,
          "title: the title is not a data row");
    char how[200];
    reader_format_describe(r, how, sizeof how);
    CHECK_STR(how, "delimiter ',' (detected), header row 3 (detected; 1 row "
                   "above it skipped)", "title: described");
    reader_free(r);

    /* Excel pads a title row with commas; a title with a comma in it has
     * two fields but is not followed by rows of its width. */
    r = OPEN("Report,,,\nProgram: IM, generated 2026\nid,name,text,x\n"
             "1,Ann,good,\n2,Bob,ok,y\n");
    CHECK(r && reader_format(r)->header_row == 3 &&
              reader_format(r)->rows_above == 2,
          "padded and two-field titles skipped");
    reader_free(r);

    /* A ragged row below a title: its message has the spreadsheet row. */
    r = OPEN("My title\nid,name\n1,a\n2,b,c\n");
    rec = r ? next(r, &rc) : NULL;
    rec = r ? next(r, &rc) : NULL;
    CHECK(r && rc == READER_ERROR &&
              strcmp(err.msg, "ragged row 4: 3 fields, header has 2") == 0,
          "ragged row named by its spreadsheet row under a title");
    reader_free(r);

    /* Header only, numbers only, one column. */
    r = OPEN("Title\nid,comment\n");
    CHECK(r && reader_format(r)->header_row == 2,
          "no data rows: the first row with two distinct non-numeric fields");
    reader_free(r);
    r = OPEN("comment\nfine\ngood\n");
    CHECK(r && reader_ncolumns(r) == 1 && reader_format(r)->header_row == 1,
          "one column: the first row");
    reader_free(r);
    r = OPEN("year,2024\nid,score\n1,2\n3,4\n");
    CHECK(r && reader_format(r)->header_row == 2,
          "a row with a number is not a header");
    reader_free(r);
    r = OPEN("a,a\nid,x\n1,2\n");
    CHECK(r && reader_format(r)->header_row == 2,
          "a row of repeated names is not a header");
    reader_free(r);

    /* A warning above the header is resolved to the header's names. */
    r = OPEN("Title\nid,text\n1,caf\xC3\xA9\n2,bad\xE9x\n");
    while (r && next(r, &rc))
        ;
    CHECK(r && warned("row 4, column \"text\""),
          "warning before the header was known names the column");
    reader_free(r);
}

static reader *open_o(const char *lit, size_t n, char delim,
                      unsigned long header_row)
{
    struct reader_options opt = {.encoding = READER_ENC_AUTO,
                                 .on_bad_row = READER_BAD_ROW_ERROR,
                                 .delimiter = delim, .header_row = header_row};
    memset(&err, 0, sizeof err);
    diags_fini(&warn);
    return reader_open(write_tmp(lit, n), &opt, &err);
}
#define OPEN_O(lit, d, h) open_o((lit), sizeof(lit) - 1, (d), (h))

static void test_header_row_option(void)
{
    reader *r = OPEN_O("Title\n\nid,name\n1,a\n", 0, 3);
    CHECK(r && reader_format(r)->header_row == 3 &&
              !reader_format(r)->header_detected,
          "--header-row 3 (blank line counted)");
    reader_free(r);
    r = OPEN_O("Title\n\nid,name\n1,a\n", 0, 2);
    CHECK(!r && strcmp(err.msg, "--header-row 2: row 2 is blank") == 0,
          "--header-row on a blank row");
    r = OPEN_O("Title\nid,name\n", 0, 9);
    CHECK(!r && strstr(err.msg, "no row 9"), "--header-row past the end");
    r = OPEN_O("id,name\n1,a\n2,b\n", 0, 2);
    int rc = 0;
    const struct record *rec = r ? next(r, &rc) : NULL;
    CHECK(r && strcmp(reader_column(r, 0), "1") == 0 && rec && rec->row == 3,
          "--header-row overrides the detection");
    reader_free(r);
    CHECK(reader_parse_delimiter("tab") == '\t' &&
              reader_parse_delimiter(";") == ';' &&
              reader_parse_delimiter("pipe") == '|' &&
              reader_parse_delimiter("x") == 0,
          "--delimiter values");
    struct reader_options o = {0};
    CHECK(reader_set_option(&o, "header-row", "0") != NULL &&
              reader_set_option(&o, "header-row", "4") == NULL &&
              o.header_row == 4 && reader_set_option(&o, "delimiter", "??"),
          "reader_set_option validates");
}

/* The delimiter is detected from the header region. */
static void test_delimiter(void)
{
    reader *r = OPEN("id;name;comment\n1;Ann;Great, thorough\n2;Bob;ok, fine, "
                     "really\n3;Cy;\"a;b\"\n");
    const struct record *rec = NULL;
    int rc = 0;
    if (r)
        rec = next(r, &rc);
    CHECK(r && reader_format(r)->delimiter == ';' &&
              reader_format(r)->delimiter_detected && reader_ncolumns(r) == 3,
          "semicolon detected despite commas in comments");
    CHECK_STR(rec ? rec->fields[2].p : NULL, "Great, thorough",
              "semicolon: comma kept in the field");
    reader_free(r);
    r = OPEN("Titel;\nid\tname\tscore\n1\tAnn\t3,5\n2\tBob\t4\n");
    CHECK(r && reader_format(r)->delimiter == '\t' &&
              reader_format(r)->header_row == 2 && reader_ncolumns(r) == 3,
          "TAB detected, title skipped");
    reader_free(r);
    r = OPEN("a|b|c\n1|2|3\n");
    CHECK(r && reader_format(r)->delimiter == '|', "pipe detected");
    reader_free(r);
    r = OPEN("text\nhello; there\n");
    CHECK(r && reader_format(r)->delimiter == ',' && reader_ncolumns(r) == 1,
          "one column stays comma-separated");
    reader_free(r);
    /* One long quoted comment full of ';' and line breaks, longer than
     * the 64 KiB sample: the commas still win. */
    struct buf b = {0};
    buf_puts(&b, "id,name,comment\n1,Ann,\"");
    while (b.len < 100000)
        buf_puts(&b, "Bossy; but kind; and warm.\n");
    buf_puts(&b, "\"\n");
    r = open_mem(b.p, b.len, READER_ENC_AUTO, READER_BAD_ROW_ERROR);
    CHECK(r && reader_format(r)->delimiter == ',' && reader_ncolumns(r) == 3,
          "a quoted comment cut open by ';' does not make ';' the delimiter");
    reader_free(r);
    buf_fini(&b);
    r = OPEN_O("a;b,c\n1;2,3\n", ',', 0);
    CHECK(r && reader_ncolumns(r) == 2 && !reader_format(r)->delimiter_detected,
          "--delimiter overrides");
    reader_free(r);
}

int main(void)
{
    test_lf();
    test_crlf_bom();
    test_quotes_lines();
    test_blank_lines();
    test_trailing_columns();
    test_spaces();
    test_unterminated();
    test_ragged();
    test_cp1252();
    test_utf8();
    test_nul();
    test_empty_files();
    test_stdin();
    test_many_chunks();
    test_big_field();
    test_utf16();
    test_stream();
    test_header_detect();
    test_header_row_option();
    test_delimiter();
    for (size_t i = 0; i < tmpfiles.n; i++)
        unlink(tmpfiles.v[i]);
    strvec_fini(&tmpfiles);
    diags_fini(&warn);
    return check_done();
}
