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

static uint64_t load64(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static uint64_t load32(const char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

/* A key's hash for strmap: eight bytes a step (hash_bytes takes one), as
 * keys are names and labels looked up once or more per record; the last
 * bytes in one or two loads that may overlap bytes already taken. Only
 * this file sees it: slots are never listed in hash order. */
static uint64_t str_hash(const char *key, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
    size_t i = 0;
    if (len >= 8) {
        for (; i + 8 <= len; i += 8)
            h = (h ^ load64(key + i)) * 0xff51afd7ed558ccdULL;
        if (i == len)
            return mix64(h);
        w = load64(key + len - 8);
    } else if (len >= 4) {
        w = load32(key) | load32(key + len - 4) << 32;
    } else if (len > 0) {
        w = (uint64_t)(unsigned char)key[0] |
            (uint64_t)(unsigned char)key[len / 2] << 8 |
            (uint64_t)(unsigned char)key[len - 1] << 16;
    } else {
        return mix64(h);
    }
    return mix64((h ^ w) * 0xff51afd7ed558ccdULL);
}

/* memcmp(a, b, len) == 0 without a call: keys are short. */
static inline int keys_equal(const char *a, const char *b, size_t len)
{
    if (len >= 8) {
        size_t i = 0;
        for (; i + 8 <= len; i += 8)
            if (load64(a + i) != load64(b + i))
                return 0;
        return i == len || load64(a + len - 8) == load64(b + len - 8);
    }
    if (len >= 4)
        return load32(a) == load32(b) &&
               load32(a + len - 4) == load32(b + len - 4);
    for (size_t i = 0; i < len; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
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

static inline struct strmap_slot *str_find(const struct strmap *m,
                                           const char *key, size_t len,
                                           uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->len == len &&
                        keys_equal(s->key, key, len)))
            return s;
    }
}

size_t *strmap_get(const struct strmap *m, const char *key, size_t len)
{
    if (!m->cap)
        return NULL;
    struct strmap_slot *s = str_find(m, key, len, str_hash(key, len));
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
    uint64_t h = str_hash(key, len);
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
    m->entries = NULL;
    m->index = NULL;
    m->cap = m->n = 0;
    m->shift = 0;
}

void u64map_fini(struct u64map *m)
{
    free(m->entries);
    free(m->index);
    u64map_init(m);
}

/* u64map_put when the table must double (hashmap.h): out of line, so the
 * common call needs no registers saved for it. Only the index is rebuilt,
 * from the entries in order: no empty slot is visited, no key compared. */
size_t *u64map_put_doubling(struct u64map *m, uint64_t key, size_t v,
                            int *added)
{
    size_t cap = m->cap ? 2 * m->cap : 16;
    if (cap / 2 >= UINT32_MAX)
        abort(); /* 2^32 keys: past any memory this program will have */
    m->cap = cap;
    m->shift = 64 - (unsigned)__builtin_ctzll((unsigned long long)cap);
    m->entries = xrealloc(m->entries, cap / 2 * sizeof *m->entries);
    free(m->index);
    m->index = xcalloc(cap, sizeof *m->index);
    for (size_t j = 0; j < m->n; j++) {
        size_t i = u64map_home_(m, m->entries[j].key);
        while (m->index[i])
            i = (i + 1) & (cap - 1);
        m->index[i] = (uint32_t)(j + 1);
    }
    return u64map_insert_(m, key, v, added);
}
