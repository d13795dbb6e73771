/* hashmap.h - two small open-addressing hash tables shared by the modules:
 *   strmap: byte string -> size_t (the table owns copies of the keys);
 *   u64map: 64-bit key  -> size_t.
 * Linear probing, power-of-two capacity, load factor <= 1/2 (u64map: at
 * most 2^32 - 1 keys; it aborts past that). No deletion:
 * evalbias only ever adds (interning labels, counting). Embed and use
 * *_init / *_fini. */
#ifndef EVALBIAS_HASHMAP_H
#define EVALBIAS_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap {
    struct strmap_slot *slots;
    size_t cap, n;
};

void strmap_init(struct strmap *m);
void strmap_fini(struct strmap *m);
/* Value stored for key, or NULL. The pointer is valid until the next put. */
size_t *strmap_get(const struct strmap *m, const char *key, size_t len);
/* Insert key with value v if absent. Returns a pointer to the stored value
 * and sets *added to 1 when it was inserted (0 when it was already there). */
size_t *strmap_put(struct strmap *m, const char *key, size_t len, size_t v,
                   int *added);

/* Entries in insertion order, and an index of cap slots (entry number + 1,
 * 0 empty) that alone is rebuilt when the table doubles. */
struct u64map {
    struct u64map_entry *entries;   /* cap / 2 of them, n used */
    uint32_t *index;
    size_t cap, n;
    unsigned shift;                 /* 64 - log2(cap) */
};

void u64map_init(struct u64map *m);
void u64map_fini(struct u64map *m);
size_t *u64map_get(const struct u64map *m, uint64_t key);
size_t *u64map_put(struct u64map *m, uint64_t key, size_t v, int *added);

#endif
