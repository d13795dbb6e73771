/* sha256.c - the project's streaming SHA-256 API over nettle (see sha256.h).
 *
 * nettle's headers define sha256_init and friends as macros for its own
 * nettle_ names; they are included after ours and undefined here so the two
 * APIs never collide. */
#include "sha256.h"

#include <nettle/sha2.h>
#include <string.h>

#undef sha256_init
#undef sha256_update
#undef sha256_digest

_Static_assert(sizeof(struct sha256_ctx) <= sizeof(((struct sha256 *)0)->opaque),
               "struct sha256 too small for nettle's sha256_ctx");

static struct sha256_ctx *ctx(struct sha256 *s)
{
    return (struct sha256_ctx *)(void *)s->opaque;
}

void sha256_init(struct sha256 *s)
{
    nettle_sha256_init(ctx(s));
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
    if (len)
        nettle_sha256_update(ctx(s), len, data);
}

void sha256_final(struct sha256 *s, unsigned char out[SHA256_DIGEST_LEN])
{
    nettle_sha256_digest(ctx(s), SHA256_DIGEST_LEN, out);
}

void sha256_to_hex(const unsigned char d[SHA256_DIGEST_LEN],
                   char out[SHA256_HEX_LEN + 1])
{
    static const char x[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_LEN; i++) {
        out[2 * i] = x[d[i] >> 4];
        out[2 * i + 1] = x[d[i] & 15];
    }
    out[SHA256_HEX_LEN] = '\0';
}

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1])
{
    struct sha256 s;
    unsigned char d[SHA256_DIGEST_LEN];
    sha256_init(&s);
    sha256_update(&s, data, len);
    sha256_final(&s, d);
    sha256_to_hex(d, out);
}
