/* html.c - HTML escaping and the pages' CSP (see html.h). */
#include "html.h"

#include <string.h>

#include "sha256.h"

void html_text(FILE *f, const char *s, size_t n)
{
    size_t run = 0; /* bytes copied as they are, pending */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                rep = "\xEF\xBF\xBD";
        }
        if (!rep)
            continue;
        fwrite(s + run, 1, i - run, f);
        fputs(rep, f);
        run = i + 1;
    }
    fwrite(s + run, 1, n - run, f);
}

void html_str(FILE *f, const char *s)
{
    html_text(f, s, strlen(s));
}

void html_bdi(FILE *f, const char *s, size_t n)
{
    fputs("<bdi>", f);
    html_text(f, s, n);
    fputs("</bdi>", f);
}

void html_bdi_str(FILE *f, const char *s)
{
    html_bdi(f, s, strlen(s));
}

void html_base64(const unsigned char *p, size_t n, char *out)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
}

void html_head_csp(FILE *f, const char *script)
{
    unsigned char d[SHA256_DIGEST_LEN];
    struct sha256 h;
    sha256_init(&h);
    sha256_update(&h, script, strlen(script));
    sha256_final(&h, d);
    char b64[4 * ((SHA256_DIGEST_LEN + 2) / 3) + 1];
    html_base64(d, sizeof d, b64);
    /* default-src 'none': no fetch, image, font, frame or connection of any
     * kind; styles only inline; the one script by its hash. */
    fprintf(f, "<meta http-equiv=\"Content-Security-Policy\" content=\""
               "default-src 'none'; style-src 'unsafe-inline'; "
               "img-src data:; script-src 'sha256-%s'; "
               "form-action 'none'; base-uri 'none'\">\n", b64);
}
