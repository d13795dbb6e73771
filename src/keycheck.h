/* keycheck.h - is an --id-key file kept and made well enough?
 *
 * The key is all that stands between a pseudonym (r-3f2a...) and the
 * resident's name: anyone with the key and a roster can rebuild every
 * pseudonym. Two checks, reported as warnings (the caller makes them
 * errors under --strict):
 *   - the file is readable or writable by group or others (chmod 600);
 *   - the key is weak: its strength is stated as bits, counted as 4 per
 *     character of an all-hex key (openssl rand -hex), 8 per byte of a
 *     binary key, and for any other text key the length times the text's
 *     Shannon entropy per character (a sentence or a password scores far
 *     below its length). Under KEYCHECK_MIN_BITS (128) it is weak.
 * The recipe the README gives: (umask 077; openssl rand -hex 32 > program.key)
 * which makes a 0600 file holding 256 bits. */
#ifndef EVALBIAS_KEYCHECK_H
#define EVALBIAS_KEYCHECK_H

#include <stddef.h>

#include "diag.h"

#define KEYCHECK_MIN_BITS 128

/* Estimated strength of key[0..len) in bits, and how it was counted
 * ("hex", "binary", "text") in *kind. */
double keycheck_bits(const unsigned char *key, size_t len, const char **kind);

/* Check the key file at path (its mode) and the key read from it. Appends
 * a warning to warn for each problem and returns how many there were. */
int keycheck(const char *path, const unsigned char *key, size_t len,
             struct diags *warn);

#endif
