/* reader_dump.c - print the records src/reader.c reads from a CSV file as
 * a JSON array of objects keyed by the header's column names (the form of
 * csv-spectrum's json/ files), for tests/conformance/run.sh.
 *
 *     reader_dump [--encoding auto|utf-8|windows-1252] FILE
 *
 * Exit 0 and the JSON on stdout; exit 2 and the reader's error on stderr. */
#include "reader.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static void json_str(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\r')
            fputs("\\r", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    struct reader_options opt = {READER_ENC_AUTO, READER_BAD_ROW_ERROR, 0};
    int i = 1;
    if (argc > 3 && strcmp(argv[1], "--encoding") == 0) {
        const char *e = argv[2];
        opt.encoding = strcmp(e, "utf-8") == 0          ? READER_ENC_UTF8
                       : strcmp(e, "windows-1252") == 0 ? READER_ENC_CP1252
                       : strcmp(e, "utf-16le") == 0     ? READER_ENC_UTF16LE
                       : strcmp(e, "utf-16be") == 0     ? READER_ENC_UTF16BE
                                                        : READER_ENC_AUTO;
        i = 3;
    }
    if (i + 1 != argc) {
        fputs("usage: reader_dump [--encoding ENC] FILE\n", stderr);
        return 2;
    }
    struct diag err;
    struct diags warn = {0};
    reader *r = reader_open(argv[i], &opt, &err);
    if (!r) {
        fprintf(stderr, "%s:%lu: error: %s\n", err.file,
                err.line, err.msg);
        return 2;
    }
    const struct record *rec;
    int rc, first = 1;
    putchar('[');
    while ((rc = reader_next(r, &rec, &err, &warn)) == READER_OK) {
        fputs(first ? "\n  {" : ",\n  {", stdout);
        first = 0;
        for (size_t c = 0; c < rec->nfields; c++) {
            const char *name = reader_column(r, c);
            if (c)
                fputs(", ", stdout);
            json_str(name, strlen(name));
            fputs(": ", stdout);
            json_str(rec->fields[c].p, rec->fields[c].len);
        }
        putchar('}');
    }
    fputs(first ? "]\n" : "\n]\n", stdout);
    for (size_t w = 0; w < warn.n; w++)
        fprintf(stderr, "%s:%lu: warning: %s\n", warn.v[w].file,
                warn.v[w].line, warn.v[w].msg);
    fprintf(stderr, "rows read %lu, skipped %zu, encoding %s\n",
            reader_rows_read(r), reader_nskipped(r), reader_encoding_name(r));
    if (rc == READER_ERROR) {
        fprintf(stderr, "%s:%lu: error: %s\n", err.file,
                err.line, err.msg);
        reader_free(r);
        return 2;
    }
    diags_fini(&warn);
    reader_free(r);
    return 0;
}
