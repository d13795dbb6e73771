/* sha256.c - SHA-256 as specified in FIPS 180-4, sections 4.1.2, 4.2.2,
 * 5.1.1, 5.3.3 and 6.2. See sha256.h for the contract.
 *
 * Words are assembled big-endian byte by byte, so the code does not depend
 * on the host's byte order or on unaligned loads being allowed. */
#include "sha256.h"

#include <string.h>

/* x86-64 with the SHA extensions (Intel since Goldmont/Ice Lake, AMD since
 * Zen) hashes ~5x faster with them; audit hashes every input in full, so
 * this is most of a pass over the data. Chosen at run time with CPUID; the
 * portable code below is used everywhere else, and both are checked
 * against the same FIPS 180-4 vectors in tests/unit/test_sha256.c. */
#if defined(__x86_64__) && defined(__GNUC__)
#define SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

/* ======================== FIPS 180-4 constants ========================= */

/* 4.2.2: the first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes. */
static const uint32_t k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* 5.3.3: the first 32 bits of the fractional parts of the square roots of
 * the first 8 primes. */
static const uint32_t h0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* ======================== Compression function ========================= */

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

static uint32_t load_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void store_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* 6.2.2: process one 64-byte block into the chaining value h. */
static void compress(uint32_t h[8], const unsigned char *block)
{
    uint32_t w[64];
    for (int t = 0; t < 16; t++)
        w[t] = load_be32(block + 4 * t);
    for (int t = 16; t < 64; t++)
        w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];

    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = hh + BSIG1(e) + CH(e, f, g) + k[t] + w[t];
        uint32_t t2 = BSIG0(a) + MAJ(a, b, c);
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

#ifdef SHA256_X86
/* The same compression with SHA-NI, nblocks blocks at once. The state is
 * kept as the instructions want it (ABEF, CDGH); the schedule keeps the
 * last four 4-word groups W[g-4..g-1] in w[g & 3]. */
__attribute__((target("sha,sse4.1,ssse3")))
static void compress_shani(uint32_t h[8], const unsigned char *p,
                           size_t nblocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
                                         0x0405060700010203ULL);
    __m128i t = _mm_loadu_si128((const __m128i *)&h[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&h[4]);
    t = _mm_shuffle_epi32(t, 0xB1);              /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);            /* EFGH */
    __m128i s0 = _mm_alignr_epi8(t, s1, 8);      /* ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xF0);           /* CDGH */

    while (nblocks--) {
        __m128i abef = s0, cdgh = s1, w[4];
        for (int g = 0; g < 16; g++) {
            __m128i m;
            if (g < 4) {
                m = _mm_shuffle_epi8(
                    _mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
            } else {
                m = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
                m = _mm_add_epi32(m, _mm_alignr_epi8(w[(g + 3) & 3],
                                                     w[(g + 2) & 3], 4));
                m = _mm_sha256msg2_epu32(m, w[(g + 3) & 3]);
            }
            w[g & 3] = m;
            __m128i km = _mm_add_epi32(
                m, _mm_loadu_si128((const __m128i *)&k[4 * g]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, km);
            km = _mm_shuffle_epi32(km, 0x0E);
            s0 = _mm_sha256rnds2_epu32(s0, s1, km);
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
        p += 64;
    }
    t = _mm_shuffle_epi32(s0, 0x1B);             /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);            /* DCHG */
    s0 = _mm_blend_epi16(t, s1, 0xF0);           /* DCBA */
    s1 = _mm_alignr_epi8(s1, t, 8);              /* ABEF */
    _mm_storeu_si128((__m128i *)&h[0], s0);
    _mm_storeu_si128((__m128i *)&h[4], s1);
}

static int have_shani(void)
{
    static int known = -1;
    if (known < 0) {
        unsigned a, b, c, d;
        int ssse3_sse41 = __get_cpuid(1, &a, &b, &c, &d) &&
                          (c & (1u << 9)) && (c & (1u << 19));
        known = ssse3_sse41 && __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
                (b & (1u << 29));
    }
    return known;
}
#endif

/* nblocks consecutive 64-byte blocks. */
static void compress_blocks(uint32_t h[8], const unsigned char *p,
                            size_t nblocks)
{
#ifdef SHA256_X86
    if (have_shani()) {
        compress_shani(h, p, nblocks);
        return;
    }
#endif
    for (; nblocks; nblocks--, p += 64)
        compress(h, p);
}

/* ============================ Streaming API ============================ */

void sha256_init(struct sha256 *s)
{
    memcpy(s->h, h0, sizeof h0);
    s->nbytes = 0;
    s->blen = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
    const unsigned char *p = data;
    if (len == 0)
        return;
    s->nbytes += len;

    /* Top up a pending partial block first. */
    if (s->blen > 0) {
        size_t take = 64 - s->blen;
        if (take > len)
            take = len;
        memcpy(s->blk + s->blen, p, take);
        s->blen += take;
        p += take;
        len -= take;
        if (s->blen < 64)
            return;
        compress_blocks(s->h, s->blk, 1);
        s->blen = 0;
    }
    /* Whole blocks straight from the caller's buffer, without copying. */
    if (len >= 64) {
        compress_blocks(s->h, p, len / 64);
        p += len / 64 * 64;
        len %= 64;
    }
    if (len > 0) {
        memcpy(s->blk, p, len);
        s->blen = len;
    }
}

void sha256_final(struct sha256 *s, unsigned char out[SHA256_DIGEST_LEN])
{
    /* 5.1.1: append 0x80, zeros up to 56 mod 64, then the message length in
     * bits as a 64-bit big-endian integer. The length is in bits, so it is
     * taken modulo 2^64 as the standard allows for (messages < 2^64 bits). */
    uint64_t bits = s->nbytes * 8;
    size_t n = s->blen;

    s->blk[n++] = 0x80;
    if (n > 56) {
        memset(s->blk + n, 0, 64 - n);
        compress_blocks(s->h, s->blk, 1);
        n = 0;
    }
    memset(s->blk + n, 0, 56 - n);
    store_be32(s->blk + 56, (uint32_t)(bits >> 32));
    store_be32(s->blk + 60, (uint32_t)bits);
    compress_blocks(s->h, s->blk, 1);

    for (int i = 0; i < 8; i++)
        store_be32(out + 4 * i, s->h[i]);

    memset(s, 0, sizeof *s);
}

/* ============================== Helpers ================================ */

void sha256_to_hex(const unsigned char d[SHA256_DIGEST_LEN],
                   char out[SHA256_HEX_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_LEN; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 0x0f];
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
