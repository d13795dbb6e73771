/* pseudonym.h - keyed pseudonyms for residents (`--id-key FILE`), so a
 * program can share its tallies without its residents' names.
 *
 * A resident's name is replaced by "r-" and the first 16 hex digits (64
 * bits) of HMAC-SHA-256(key, name) (RFC 2104 with FIPS 180-4 SHA-256; RFC
 * 4231 test vectors in tests/unit/test_tally_file.c). The name is hashed
 * exactly as the resident column holds it, so the pseudonyms group
 * evaluations exactly as the names did. Without the key a pseudonym cannot
 * be turned back into a name, nor checked against a guessed one (a plain,
 * unkeyed hash could be, by hashing a list of residents' names).
 *
 * The same key gives the same pseudonym on every machine: the shards of one
 * export must use one key, so a resident seen in several shards stays one
 * cluster. Programs in a consortium each keep their own key (the
 * consortium never needs it); a shared key would make two programs'
 * residents of the same name one cluster.
 *
 * The key file's bytes are the key (a final "\n" or "\r\n" is not part of
 * it, so `openssl rand -hex 32 > key` works); it must be at least 16 bytes.
 * The key's fingerprint (HMAC of a fixed string: it reveals nothing about
 * the key) is recorded in tally files and manifests, so a merge can tell
 * which parts used the same key.
 *
 * Ownership: struct pseudonym_key is an embedded value holding a copy of
 * the key; pseudonym_key_fini wipes and frees it. Nothing else allocates. */
#ifndef EVALBIAS_PSEUDONYM_H
#define EVALBIAS_PSEUDONYM_H

#include <stddef.h>

#include "diag.h"
#include "sha256.h"

#define PSEUDONYM_MIN_KEY 16   /* bytes */
#define PSEUDONYM_LEN 18       /* "r-" + 16 hex digits, without the NUL */

/* HMAC-SHA-256 (RFC 2104) of msg[0..len) under key[0..keylen). */
void hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
                 unsigned char out[SHA256_DIGEST_LEN]);

struct pseudonym_key {
    unsigned char *key;
    size_t len;
    char fingerprint[17];      /* 16 hex digits */
};

/* Read the key from path. Returns 0, or -1 with err filled (cannot read,
 * shorter than PSEUDONYM_MIN_KEY bytes). */
int pseudonym_key_load(struct pseudonym_key *k, const char *path,
                       struct diag *err);
/* Use key[0..len) as the key (tests). */
void pseudonym_key_set(struct pseudonym_key *k, const void *key, size_t len);
void pseudonym_key_fini(struct pseudonym_key *k);

/* The pseudonym of name[0..len) into out (NUL-terminated). */
void pseudonym_make(const struct pseudonym_key *k, const char *name,
                    size_t len, char out[PSEUDONYM_LEN + 1]);

#endif
