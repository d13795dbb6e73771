/* pseudonym.c - HMAC-SHA-256 and resident pseudonyms (see pseudonym.h). */
#include "pseudonym.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* After our headers: nettle defines sha256_* macros of its own. */
#include <nettle/hmac.h>

void hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
                 unsigned char out[SHA256_DIGEST_LEN])
{
    struct hmac_sha256_ctx h;
    hmac_sha256_set_key(&h, keylen, key);
    hmac_sha256_update(&h, len, msg);
    hmac_sha256_digest(&h, SHA256_DIGEST_LEN, out);
    memset(&h, 0, sizeof h); /* the keyed state is as secret as the key */
}

static void hex16(const unsigned char *d, char *out)
{
    static const char x[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++) {
        out[2 * i] = x[d[i] >> 4];
        out[2 * i + 1] = x[d[i] & 15];
    }
    out[16] = '\0';
}

void pseudonym_key_set(struct pseudonym_key *k, const void *key, size_t len)
{
    k->key = xmalloc(len ? len : 1);
    memcpy(k->key, key, len);
    k->len = len;
    static const char probe[] = "evalbias key fingerprint";
    unsigned char d[SHA256_DIGEST_LEN];
    hmac_sha256(k->key, k->len, probe, sizeof probe - 1, d);
    hex16(d, k->fingerprint);
}

int pseudonym_key_load(struct pseudonym_key *k, const char *path,
                       struct diag *err)
{
    memset(k, 0, sizeof *k);
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot open key: %s",
                 strerror(errno));
        return -1;
    }
    unsigned char b[4096];
    size_t n = fread(b, 1, sizeof b, f);
    int toolong = n == sizeof b && fgetc(f) != EOF;
    int bad = ferror(f);
    fclose(f);
    if (bad || toolong) {
        diag_set(err, DIAG_ERROR, path, 0, 0, bad ? "cannot read key"
                 : "key file is larger than 4096 bytes; is it the right file?");
        return -1;
    }
    if (n && b[n - 1] == '\n')
        n--;
    if (n && b[n - 1] == '\r')
        n--;
    if (n < PSEUDONYM_MIN_KEY) {
        diag_set(err, DIAG_ERROR, path, 0, 0,
                 "key is %zu bytes; it must be at least %d (make one with: "
                 "openssl rand -hex 32 > %s)", n, PSEUDONYM_MIN_KEY, path);
        memset(b, 0, sizeof b);
        return -1;
    }
    pseudonym_key_set(k, b, n);
    memset(b, 0, sizeof b);
    return 0;
}

void pseudonym_key_fini(struct pseudonym_key *k)
{
    if (k->key) {
        memset(k->key, 0, k->len);
        free(k->key);
    }
    k->key = NULL;
    k->len = 0;
}

void pseudonym_make(const struct pseudonym_key *k, const char *name,
                    size_t len, char out[PSEUDONYM_LEN + 1])
{
    unsigned char d[SHA256_DIGEST_LEN];
    hmac_sha256(k->key, k->len, name, len, d);
    out[0] = 'r';
    out[1] = '-';
    hex16(d, out + 2);
}
