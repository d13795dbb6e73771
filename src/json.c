/* json.c - see json.h. */
#include "json.h"
#include "reader.h"

#include <string.h>

void json_strn(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    /* Paths and cells may hold bytes that are not UTF-8: one U+FFFD each,
     * so the document stays valid JSON. */
    size_t ok = reader_utf8_invalid_at(s, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (ok == 0) {
            fputs("\\ufffd", f);
            ok = reader_utf8_invalid_at(s + i + 1, n - i - 1);
            continue;
        }
        ok--;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c < 0x20)
                fprintf(f, "\\u%04x", c);
            else
                fputc(c, f);
        }
    }
    fputc('"', f);
}

void json_str(FILE *f, const char *s)
{
    if (s)
        json_strn(f, s, strlen(s));
    else
        fputs("null", f);
}
