/* sha256.h - SHA-256 (FIPS 180-4) for the manifest's input and lexicon hashes.
 *
 * Not a pipeline stage: the manifest records the SHA-256 of every input file
 * and lexicon so a report can be tied to the exact bytes it was computed
 * from. Hashing streams (init / update* / final), so a multi-gigabyte export
 * is hashed in the same single pass that reads it, in constant memory.
 *
 * The hashing is nettle's (Debian's nettle-dev), an audited library that
 * uses the CPU's SHA instructions where they exist; this header keeps the
 * project's own small streaming API so callers need no nettle types, and
 * nettle's macro names (sha256_init ...) never meet ours.
 *
 * Ownership: pointer arguments are borrowed; nothing here allocates. A
 * struct sha256 is an embedded value: no free is needed. */
#ifndef EVALBIAS_SHA256_H
#define EVALBIAS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32  /* bytes in a digest */
#define SHA256_HEX_LEN 64     /* hex characters in a digest, without the NUL */

/* Hashing state: opaque storage for nettle's struct sha256_ctx (sha256.c
 * checks at compile time that it fits). Touch it only through the functions
 * below. */
struct sha256 {
    _Alignas(8) unsigned char opaque[128];
};

/* Start a new hash in s (any previous contents are discarded). */
void sha256_init(struct sha256 *s);

/* Feed len bytes at data into s. data may be NULL when len is 0. Chunk
 * boundaries do not matter: any split of a message gives the same digest. */
void sha256_update(struct sha256 *s, const void *data, size_t len);

/* Finish the hash and write the 32-byte digest to out. Afterwards s holds
 * no secret state worth keeping; call sha256_init before reusing it. */
void sha256_final(struct sha256 *s, unsigned char out[SHA256_DIGEST_LEN]);

/* Write digest d as 64 lowercase hex characters plus a NUL to out, the form
 * sha256sum prints. */
void sha256_to_hex(const unsigned char d[SHA256_DIGEST_LEN],
                   char out[SHA256_HEX_LEN + 1]);

/* One-shot: the lowercase hex SHA-256 of data[0..len) into out (NUL-ended).
 * data may be NULL when len is 0. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);

#endif
