/* textsafe.c - see textsafe.h. */
#include "textsafe.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes) and its code
 * point, or 0 when s does not start one. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, min = 0x80, c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, min = 0x800, c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Characters that change how a terminal shows what follows them. */
static int is_unsafe(unsigned cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
           cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x2028 || cp == 0x2029;
}

void text_escape(struct buf *b, const char *s, size_t n, size_t max_chars,
                 int keep_newline)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, chars = 0;
    while (i < n) {
        if (max_chars && chars == max_chars) {
            buf_puts(b, "...");
            return;
        }
        unsigned cp;
        size_t k = utf8_decode(p + i, n - i, &cp);
        chars++;
        if (k == 0) {
            buf_printf(b, "\\x%02X", p[i]);
            i++;
            continue;
        }
        if (!is_unsafe(cp) || (cp == '\n' && keep_newline) || cp == '\t') {
            buf_append(b, p + i, k);
        } else if (cp == '\n') {
            buf_puts(b, "\\n");
        } else if (cp == '\r') {
            buf_puts(b, "\\r");
        } else if (cp == 0x1B) {
            buf_puts(b, "\\e");
        } else if (cp < 0x100) {
            buf_printf(b, "\\x%02X", cp);
        } else {
            buf_printf(b, "\\u{%04X}", cp);
        }
        i += k;
    }
}

const char *text_excerpt(char out[TEXT_EXCERPT_SIZE], const char *s,
                         size_t n)
{
    struct buf b;
    buf_init(&b);
    text_escape(&b, s, n, TEXT_EXCERPT_CHARS, 0);
    /* At most 40 characters of at most 8 bytes each, and "...". */
    snprintf(out, TEXT_EXCERPT_SIZE, "%s", b.p ? b.p : "");
    buf_fini(&b);
    return out;
}

void text_put(FILE *f, const char *s, int keep_newline)
{
    size_t n = strlen(s), i = 0;
    /* Most text is plain printable ASCII: write it as it is. */
    while (i < n && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F)
        i++;
    if (i == n) {
        fputs(s, f);
        return;
    }
    struct buf b;
    buf_init(&b);
    text_escape(&b, s, n, 0, keep_newline);
    fwrite(b.p, 1, b.len, f);
    buf_fini(&b);
}
