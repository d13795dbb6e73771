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
 * 0 empty) that alone is rebuilt when the table doubles. Lookups are
 * inline (below): the tally makes several per evaluation. */
struct u64map_entry {
    uint64_t key;
    size_t value;
};

struct u64map {
    struct u64map_entry *entries;   /* cap / 2 of them, n used */
    uint32_t *index;
    size_t cap, n;
    unsigned shift;                 /* 64 - log2(cap) */
};

void u64map_init(struct u64map *m);
void u64map_fini(struct u64map *m);
/* Value stored for key, or NULL. The pointer is valid until the next put. */
static inline size_t *u64map_get(const struct u64map *m, uint64_t key);
/* As strmap_put. */
static inline size_t *u64map_put(struct u64map *m, uint64_t key, size_t v,
                                 int *added);

/* ---- implementation (inline) ---- */

/* The first index slot of key: Fibonacci hashing (the top bits of key
 * times 2^64 / golden ratio), which spreads runs of keys such as
 * owner * n + item evenly. */
static inline size_t u64map_home_(const struct u64map *m, uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> m->shift);
}

/* The index slot holding key, or the empty slot where it would go. */
static inline size_t u64map_find_(const struct u64map *m, uint64_t key)
{
    size_t mask = m->cap - 1;
    for (size_t i = u64map_home_(m, key);; i = (i + 1) & mask) {
        uint32_t e = m->index[i];
        if (!e || m->entries[e - 1].key == key)
            return i;
    }
}

/* u64map_put with room for one more key. */
static inline size_t *u64map_insert_(struct u64map *m, uint64_t key,
                                     size_t v, int *added)
{
    size_t i = u64map_find_(m, key);
    uint32_t e = m->index[i];
    *added = !e;
    if (!e) {
        m->entries[m->n] = (struct u64map_entry){key, v};
        m->index[i] = (uint32_t)++m->n;
        return &m->entries[m->n - 1].value;
    }
    return &m->entries[e - 1].value;
}

/* u64map_put when the table is full: doubles it, then inserts. */
size_t *u64map_put_doubling(struct u64map *m, uint64_t key, size_t v,
                            int *added);

static inline size_t *u64map_get(const struct u64map *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    uint32_t e = m->index[u64map_find_(m, key)];
    return e ? &m->entries[e - 1].value : NULL;
}

static inline size_t *u64map_put(struct u64map *m, uint64_t key, size_t v,
                                 int *added)
{
    if (2 * (m->n + 1) > m->cap)
        return u64map_put_doubling(m, key, v, added);
    return u64map_insert_(m, key, v, added);
}

#endif
