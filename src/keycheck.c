/* keycheck.c - see keycheck.h. */
#include "keycheck.h"

#include <math.h>
#include <sys/stat.h>

double keycheck_bits(const unsigned char *key, size_t len, const char **kind)
{
    int hex = len > 0, text = len > 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = key[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
              (c >= 'A' && c <= 'F')))
            hex = 0;
        if (c < 0x20 || c >= 0x7F)
            text = 0;
    }
    if (hex) {
        *kind = "hex";
        return 4.0 * (double)len;
    }
    if (!text) {
        *kind = "binary";
        return 8.0 * (double)len;
    }
    /* Shannon entropy of the key's own characters, times its length: an
     * upper bound for text a person chose, never an overestimate of it. */
    size_t count[128] = {0};
    for (size_t i = 0; i < len; i++)
        count[key[i]]++;
    double h = 0;
    for (size_t c = 0; c < 128; c++)
        if (count[c]) {
            double p = (double)count[c] / (double)len;
            h -= p * log2(p);
        }
    *kind = "text";
    return h * (double)len;
}

int keycheck(const char *path, const unsigned char *key, size_t len,
             struct diags *warn)
{
    int n = 0;
    struct stat st;
    if (stat(path, &st) == 0 &&
        (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH))) {
        diags_add(warn, DIAG_WARNING, path, 0, 0,
                  "the --id-key file can be read or written by others (mode "
                  "%04o): run chmod 600 %s", (unsigned)(st.st_mode & 07777),
                  path);
        n++;
    }
    const char *kind;
    double bits = keycheck_bits(key, len, &kind);
    if (bits < KEYCHECK_MIN_BITS) {
        diags_add(warn, DIAG_WARNING, path, 0, 0,
                  "weak --id-key: %zu bytes of %s, about %.0f bits (at least "
                  "%d wanted); make one with: (umask 077; openssl rand -hex "
                  "32 > program.key)", len, kind, bits, KEYCHECK_MIN_BITS);
        n++;
    }
    return n;
}
