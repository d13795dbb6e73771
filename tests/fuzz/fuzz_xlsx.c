/* fuzz_xlsx.c - libFuzzer target for the workbook reader (src/xlsx.c) and
 * the reader's xlsx source (src/reader.c).
 *
 * The first byte picks the path: bit 0 reads through reader_open_stream
 * (header detection, padding, merged headers), else xlsx_open_mem
 * directly; bit 1 sets a 64-byte shared-string memory limit, so the
 * temporary-file path is taken. The rest is the file - or, with bit 2,
 * the XML itself: shared strings, a NUL, the worksheet, stored by libzip
 * into a workbook with a fixed workbook.xml, rels and styles, so that
 * mutations reach the XML handlers instead of breaking the deflate
 * stream or the CRC. Every cell must be
 * valid, NUL-free UTF-8, sheet rows must increase, and records must have
 * the header's width. Parts are capped at 8 MiB so a small zip bomb is
 * refused quickly. Seeds: tests/fuzz/corpus/xlsx (tests/xlsx/ fixtures). */
#include "reader.h"
#include "util.h"
#include "xlsx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cell(const char *p, size_t len)
{
    if (p[len] != '\0' || strlen(p) != len ||
        reader_utf8_invalid_at(p, len) != len)
        abort();
}

static void via_reader(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return;
    struct diag err;
    struct diags warn = {0};
    reader *r = reader_open_stream(f, "fuzz.xlsx", NULL, &err);
    if (!r)
        return;
    size_t ncol = reader_ncolumns(r);
    unsigned long last = reader_format(r)->header_row, returned = 0;
    const struct record *rec;
    int rc;
    while ((rc = reader_next(r, &rec, &err, &warn)) == READER_OK) {
        returned++;
        if (rec->nfields != ncol || rec->row <= last)
            abort();
        last = rec->row;
        for (size_t i = 0; i < rec->nfields; i++)
            check_cell(rec->fields[i].p, rec->fields[i].len);
    }
    if (rc == READER_EOF &&
        reader_rows_read(r) != returned + reader_nskipped(r))
        abort();
    diags_fini(&warn);
    reader_free(r);
}

static void direct(const uint8_t *data, size_t size, int spill)
{
    struct xlsx_options o = {NULL, 8u << 20, spill ? 64 : 0};
    struct diag err;
    xlsx *x = xlsx_open_mem(data, size, "fuzz.xlsx", &o, &err);
    if (!x)
        return;
    const struct xlsx_row *row;
    unsigned long last = 0;
    while (xlsx_next(x, &row, &err) == 1) {
        if (row->row <= last || row->ncells == 0)
            abort();
        last = row->row;
        for (size_t i = 0; i < row->ncells; i++)
            check_cell(row->cells[i].p, row->cells[i].len);
    }
    for (size_t i = 0; i < xlsx_nmerges(x); i++) {
        const struct xlsx_merge *m = &xlsx_merges(x)[i];
        if (m->col1 < m->col0 || m->row1 < m->row0)
            abort();
    }
    xlsx_free(x);
}

static const char WB[] =
    "<workbook xmlns:r=\"r\"><workbookPr date1904=\"0\"/><sheets><sheet "
    "name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char RELS[] =
    "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
    "Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
static const char STYLES[] =
    "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd "
    "h:mm\"/></numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
    "<xf numFmtId=\"164\"/><xf numFmtId=\"20\"/></cellXfs></styleSheet>";

static int add(zip_t *z, const char *name, const void *p, size_t n)
{
    zip_source_t *s = zip_source_buffer(z, p, n, 0);
    zip_int64_t i = s ? zip_file_add(z, name, s, 0) : -1;
    if (i < 0) {
        zip_source_free(s);
        return -1;
    }
    zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
    return 0;
}

/* sst XML, NUL, sheet XML -> a stored workbook in memory (NULL if libzip
 * refuses). */
static void *make_workbook(const uint8_t *p, size_t n, size_t *len)
{
    const uint8_t *nul = memchr(p, 0, n);
    size_t nsst = nul ? (size_t)(nul - p) : 0;
    const uint8_t *sheet = nul ? nul + 1 : p;
    size_t nsheet = n - (size_t)(sheet - p);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    void *out = NULL;
    if (!src)
        return NULL;
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (z && (add(z, "xl/workbook.xml", WB, sizeof WB - 1) ||
              add(z, "xl/_rels/workbook.xml.rels", RELS, sizeof RELS - 1) ||
              add(z, "xl/styles.xml", STYLES, sizeof STYLES - 1) ||
              add(z, "xl/sharedStrings.xml", p, nsst) ||
              add(z, "xl/worksheets/sheet1.xml", sheet, nsheet))) {
        zip_discard(z);
        z = NULL;
    }
    zip_stat_t st;
    if (z && zip_close(z) == 0 && zip_source_stat(src, &st) == 0 &&
        zip_source_open(src) == 0) {
        out = xmalloc(st.size ? st.size : 1);
        zip_int64_t got = zip_source_read(src, out, st.size);
        *len = got > 0 ? (size_t)got : 0;
        zip_source_close(src);
    } else if (z) {
        zip_discard(z);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint8_t mode = data[0];
    data++, size--;
    void *made = NULL;
    if (mode & 4) {
        size_t len = 0;
        if (!(made = make_workbook(data, size, &len)))
            return 0;
        data = made, size = len;
    }
    if (mode & 1)
        via_reader(data, size);
    else
        direct(data, size, mode & 2);
    free(made);
    return 0;
}
