/* fuzz_normalize.c - libFuzzer target for normalize.c, tokenize.c and
 * excerpt.c: any valid UTF-8 field (the reader guarantees validity and no
 * NUL, so invalid input is first made valid the way the reader does).
 * Checks the offset map is monotone and in range, and tokens and sentence
 * bounds stay inside the text. */
#include "excerpt.h"
#include "normalize.h"
#include "reader.h"
#include "tokenize.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf in = {0};
    const char *s = (const char *)data;
    /* Make the input what the reader would hand on: valid UTF-8, no NUL. */
    if (reader_utf8_invalid_at(s, size) != size || memchr(s, 0, size)) {
        for (size_t i = 0; i < size; i++)
            buf_append(&in, data[i] && data[i] < 0x80 ? s + i : "?", 1);
    } else {
        buf_append(&in, s, size);
    }
    const char *t = in.p ? in.p : "";
    size_t n = in.len;

    struct normtext nt;
    normtext_init(&nt);
    normalize(&nt, t, n);
    if (nt.s[nt.len] != '\0' || nt.map[nt.len] != n)
        abort();
    for (size_t i = 0; i < nt.len; i++)
        if (nt.map[i] > nt.map[i + 1] || nt.map[i] > n)
            abort();
    if (reader_utf8_invalid_at(nt.s, nt.len) != nt.len)
        abort();

    struct tokens tok;
    tokens_init(&tok);
    tokenize(&tok, nt.s, nt.len);
    for (size_t i = 0; i < tok.n; i++) {
        if (tok.v[i].start >= tok.v[i].end || tok.v[i].end > nt.len)
            abort();
        if (i && tok.v[i].start < tok.v[i - 1].end)
            abort();
        /* a joined part follows its word's previous part across one '-' */
        if ((tok.v[i].flags & TOK_JOINED) &&
            (!i || tok.v[i].start != tok.v[i - 1].end + 1 ||
             nt.s[tok.v[i - 1].end] != '-'))
            abort();
    }
    if (tok.nwords > tok.n || (tok.n && !tok.nwords))
        abort();

    /* Excerpts around every token (as hits would be). */
    struct excerpt ex;
    struct excerpt_cursor cur;
    excerpt_init(&ex);
    excerpt_cursor_reset(&cur);
    for (size_t i = 0; i < tok.n && i < 64; i++) {
        excerpt_make(&ex, &cur, t, n, &nt, tok.v[i].start, tok.v[i].end);
        if (ex.byte_start > ex.byte_end || ex.byte_end > n)
            abort();
    }
    excerpt_fini(&ex);
    tokens_fini(&tok);
    normtext_fini(&nt);
    buf_fini(&in);
    return 0;
}
