/* hashmap.c - see hashmap.h. */
#include "hashmap.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct strmap_slot {
    char *key;      /* NULL: empty slot */
    size_t len;
    uint64_t hash;
    size_t value;
};

struct u64map_slot {
    uint64_t key;
    size_t value;
    int used;
};

/* Spread the bits of a key so linear probing sees a uniform hash. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

void strmap_init(struct strmap *m)
{
    m->slots = NULL;
    m->cap = m->n = 0;
}

void strmap_fini(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    strmap_init(m);
}

static struct strmap_slot *str_find(const struct strmap *m, const char *key,
                                    size_t len, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->len == len &&
                        memcmp(s->key, key, len) == 0))
            return s;
    }
}

size_t *strmap_get(const struct strmap *m, const char *key, size_t len)
{
    if (!m->cap)
        return NULL;
    struct strmap_slot *s = str_find(m, key, len, hash_bytes(key, len));
    return s->key ? &s->value : NULL;
}

static __attribute__((noinline)) void str_rehash(struct strmap *m)
{
    struct strmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 16;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < old.cap; i++) {
        struct strmap_slot *o = &old.slots[i];
        if (o->key)
            *str_find(m, o->key, o->len, o->hash) = *o;
    }
    free(old.slots);
}

size_t *strmap_put(struct strmap *m, const char *key, size_t len, size_t v,
                   int *added)
{
    if (2 * (m->n + 1) > m->cap)
        str_rehash(m);
    uint64_t h = hash_bytes(key, len);
    struct strmap_slot *s = str_find(m, key, len, h);
    *added = !s->key;
    if (!s->key) {
        s->key = xstrndup(key, len);
        s->len = len;
        s->hash = h;
        s->value = v;
        m->n++;
    }
    return &s->value;
}

void u64map_init(struct u64map *m)
{
    m->slots = NULL;
    m->cap = m->n = 0;
}

void u64map_fini(struct u64map *m)
{
    free(m->slots);
    u64map_init(m);
}

static inline struct u64map_slot *u64_find(const struct u64map *m, uint64_t key)
{
    size_t mask = m->cap - 1;
    for (size_t i = mix64(key) & mask;; i = (i + 1) & mask) {
        struct u64map_slot *s = &m->slots[i];
        if (!s->used || s->key == key)
            return s;
    }
}

size_t *u64map_get(const struct u64map *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    struct u64map_slot *s = u64_find(m, key);
    return s->used ? &s->value : NULL;
}

/* Doubling, out of u64map_put's way: the common call (a key already there,
 * or room for it) then needs no registers saved for the copy loop. */
static __attribute__((noinline)) void u64_rehash(struct u64map *m)
{
    struct u64map old = *m;
    m->cap = old.cap ? old.cap * 2 : 16;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].used)
            *u64_find(m, old.slots[i].key) = old.slots[i];
    free(old.slots);
}

size_t *u64map_put(struct u64map *m, uint64_t key, size_t v, int *added)
{
    if (2 * (m->n + 1) > m->cap)
        u64_rehash(m);
    struct u64map_slot *s = u64_find(m, key);
    *added = !s->used;
    if (!s->used) {
        s->used = 1;
        s->key = key;
        s->value = v;
        m->n++;
    }
    return &s->value;
}
