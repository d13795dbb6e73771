/* test_sha256.c - unit tests for sha256.[ch].
 *
 * Vectors: the NIST examples for SHA-256 (FIPS 180-2 appendix B / the CAVP
 * "SHAVS" short and long messages), plus runs of 'a' whose lengths straddle
 * the padding boundaries (55/56 bytes: length field fits / spills into a
 * second block; 63/64/65: block edges). The boundary digests were produced
 * with coreutils `sha256sum`. */
#include "check.h"
#include "sha256.h"

#include <stdlib.h>
#include <string.h>

static void one_shot(const char *msg, size_t len, const char *want,
                     const char *descr)
{
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(msg, len, hex);
    CHECK_STR(hex, want, descr);
}

/* Hash msg in chunks of the given sizes (cycled), return hex in out. */
static void chunked(const char *msg, size_t len, const size_t *sizes,
                    size_t nsizes, char out[SHA256_HEX_LEN + 1])
{
    struct sha256 s;
    unsigned char d[SHA256_DIGEST_LEN];
    size_t off = 0, i = 0;
    sha256_init(&s);
    while (off < len) {
        size_t n = sizes[i++ % nsizes];
        if (n > len - off)
            n = len - off;
        sha256_update(&s, msg + off, n);
        off += n;
    }
    sha256_final(&s, d);
    sha256_to_hex(d, out);
}

static char *repeat(char c, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        abort();
    memset(p, c, n);
    p[n] = '\0';
    return p;
}

int main(void)
{
    /* ---- NIST vectors ---- */
    one_shot("", 0,
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
             "empty message");
    sha256_hex(NULL, 0, (char[SHA256_HEX_LEN + 1]){0}); /* NULL, 0 is allowed */
    CHECK(1, "NULL data with length 0 does not crash");
    one_shot("abc", 3,
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
             "\"abc\" (one block)");
    {
        const char *m =
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        one_shot(m, strlen(m),
                 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                 "448-bit message (two blocks)");
    }
    {
        const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                        "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
        one_shot(m, strlen(m),
                 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
                 "896-bit message");
    }
    {
        char *m = repeat('a', 1000000);
        const char *want =
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        char hex[SHA256_HEX_LEN + 1];
        one_shot(m, 1000000, want, "one million 'a' (one shot)");

        /* The same million bytes fed one byte at a time, then in odd-sized
         * chunks that never align with the 64-byte block. */
        static const size_t ones[] = {1};
        chunked(m, 1000000, ones, 1, hex);
        CHECK_STR(hex, want, "one million 'a', byte by byte");
        static const size_t odd[] = {7, 63, 1, 65, 129, 3, 1000, 13};
        chunked(m, 1000000, odd, sizeof odd / sizeof odd[0], hex);
        CHECK_STR(hex, want, "one million 'a', odd-sized chunks");
        static const size_t big[] = {333333};
        chunked(m, 1000000, big, 1, hex);
        CHECK_STR(hex, want, "one million 'a', 333333-byte chunks");
        free(m);
    }

    /* ---- padding boundaries ---- */
    {
        static const struct {
            size_t n;
            const char *want;
        } v[] = {
            {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
            {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
            {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
            {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
            {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
            {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
            {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
        };
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
            char *m = repeat('a', v[i].n);
            char descr[64];
            snprintf(descr, sizeof descr, "%zu x 'a' (padding boundary)",
                     v[i].n);
            one_shot(m, v[i].n, v[i].want, descr);
            free(m);
        }
    }

    /* ---- streaming equals one-shot on every split point ---- */
    {
        unsigned char buf[300];
        for (size_t i = 0; i < sizeof buf; i++)
            buf[i] = (unsigned char)(i * 37 + 11);
        char want[SHA256_HEX_LEN + 1], got[SHA256_HEX_LEN + 1];
        sha256_hex(buf, sizeof buf, want);
        int all = 1;
        for (size_t cut = 0; cut <= sizeof buf; cut++) {
            struct sha256 s;
            unsigned char d[SHA256_DIGEST_LEN];
            sha256_init(&s);
            sha256_update(&s, buf, cut);
            sha256_update(&s, NULL, 0);
            sha256_update(&s, buf + cut, sizeof buf - cut);
            sha256_final(&s, d);
            sha256_to_hex(d, got);
            if (strcmp(got, want) != 0)
                all = 0;
        }
        CHECK(all, "two-part update equals one-shot at every split of 300 bytes");
    }

    /* ---- reuse after init, and hex formatting ---- */
    {
        struct sha256 s;
        unsigned char d[SHA256_DIGEST_LEN];
        char hex[SHA256_HEX_LEN + 1];
        sha256_init(&s);
        sha256_update(&s, "garbage", 7);
        sha256_init(&s);
        sha256_update(&s, "ab", 2);
        sha256_update(&s, "c", 1);
        sha256_final(&s, d);
        sha256_to_hex(d, hex);
        CHECK_STR(hex,
                  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                  "sha256_init discards earlier input");
        CHECK_INT(strlen(hex), 64, "hex digest is 64 characters");

        unsigned char z[SHA256_DIGEST_LEN];
        for (int i = 0; i < SHA256_DIGEST_LEN; i++)
            z[i] = (unsigned char)(i * 8 + 0x0f);
        sha256_to_hex(z, hex);
        CHECK_STR(hex,
                  "0f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff07",
                  "sha256_to_hex: lowercase, high nibble first");
    }

    return check_done();
}
