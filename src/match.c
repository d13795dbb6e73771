/* match.c - normalized text + tokens -> hits (see match.h for the rules).
 *
 * How a field is matched:
 *
 *   1. Trie walk. Every WORD, PHRASE and STEM entry is a path in one token
 *      trie. The trie's edges live in a single open-addressing hash table
 *      keyed by (node id, word bytes, stem flag). Each token's word is
 *      looked up once in a word table (match_words.h) that lists every edge
 *      the word follows from any node - its exact edges and the stem edges
 *      of its prefixes - in the order step() would try them; a word not yet
 *      in that cache is resolved from the trie's edges grouped by word. From
 *      every token the walk then follows the listed edges out of its node.
 *      Glued hyphenated forms (2.) still probe the edge table (step()):
 *      the word's FNV-1a hash is computed incrementally, and two small bit
 *      filters in front of the table (see "Filters") answer most probes
 *      without hashing. Each node reached that ends an entry yields a
 *      candidate (entry, token span, byte span).
 *      A phrase does not continue across a sentence/clause break, and lets
 *      up to INTENSIFIER_GAPS intensifiers through between two of its words
 *      (intensifier.h).
 *   2. Hyphenated words. The tokenizer makes each part of "over-emotional"
 *      a token of its own, so a hyphen is walked like a space: "soft-spoken"
 *      is the phrase "soft spoken", and a stem on one part ("lead*" on
 *      "leader-supporter") cannot swallow the others. The parts are also
 *      tried glued together ("co-operative" as "cooperative"): a glued form
 *      j..b matches an exact edge when it spells the whole word, and a stem
 *      edge only when the stem reaches into part b (it is longer than parts
 *      j..b-1 glued), so the glued form never lets a stem swallow a part it
 *      does not need.
 *   3. PCRE2. A regex entry yields every non-overlapping match in the
 *      field as a candidate. When the literals its matches start with are
 *      known (match_prefix.h: "\b(?:needs? to|must)" starts with "need"
 *      or "must"), one scan of the field finds where they begin and the
 *      pattern, compiled anchored, is tried only there (run_regex_at).
 *      Otherwise it runs over the whole text, unless the field lacks a
 *      literal the pattern requires (required_literal).
 *   4. Guards drop candidates whose entry has a guard just before or after
 *      (guarded(), match_guard.h); a dropped candidate cannot shadow
 *      another.
 *   5. Selection: leftmost-longest within each lexicon. Candidates are
 *      sorted by start, then longer first, then exact > stem > regex, then
 *      lower entry index, and kept greedily when they do not overlap the
 *      last kept hit of the same lexicon.
 *   6. Negation: see the "Negation" section below (the README copies it).
 *
 * Nothing is allocated per token or per field once the candidate buffer and
 * the caller's struct hits have grown to the largest field seen. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "match.h"
#include "negation.h"
#include "referent.h"
#include "senses.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "intensifier.h"
#include "match_guard.h"
#include "match_prefix.h"
#include "match_words.h"
#include "wordtab.h"

/* PCRE2 limits: a pathological pattern on a long comment must fail loudly
 * (matcher_find returns -1 naming the entry) instead of running for hours.
 * The defaults (10 million) are far more than any sane lexicon pattern
 * needs on a comment of a few kilobytes. */
#define RX_MATCH_LIMIT 1000000u
#define RX_DEPTH_LIMIT 10000u
#define RX_JIT_STACK_START (32u * 1024u)
#define RX_JIT_STACK_MAX (1024u * 1024u)

/* Tie-break rank when two candidates have the same span: the entry spelled
 * as the text is (exact) beats one matched through a glued hyphenated form
 * ("over-confident" is the entry "over-confident" rather than
 * "overconfident"), which beats a stem, which beats a regex. A walk's rank
 * is the highest of its steps'. */
enum { RANK_EXACT, RANK_GLUED, RANK_STEM, RANK_REGEX };

struct edge {
    uint64_t h;          /* full hash, kept so growing never rehashes bytes */
    uint32_t from, to;   /* to == 0: empty slot (the root is never a target) */
    uint32_t koff, klen; /* word bytes in m->pool */
    uint8_t stem;        /* 1: the word is a prefix */
};

struct tnode {
    uint32_t term_off, nterm; /* entries ending here: m->terms[term_off..] */
    uint8_t out_exact;        /* has exact edges out */
    uint8_t out_stem;         /* has stem edges out */
};

struct cand {
    uint32_t entry;
    uint32_t start, end;   /* bytes in the normalized text */
    uint32_t tfirst, tend; /* tokens [tfirst, tend); tend == tfirst for a
                              regex match that covers no word */
    uint8_t rank;
};

struct rx {
    uint32_t entry;
    pcre2_code *code;
    pcre2_code *anchored; /* the same pattern compiled PCRE2_ANCHORED, when
                            its matches' first bytes are known
                            (match_prefix.h): it then runs only where one
                            of its start literals begins; NULL: it runs
                            over the whole field */
    int wb;              /* anchored: a match starts at a word boundary */
    int anw;             /* anchored: the byte before a match's start is
                            not an ASCII word character (match_prefix.h) */
    char lit[32];        /* a literal every match contains, or "" */
    size_t litlen;
    size_t rare;         /* index of lit's rarest byte in English text */
};

struct matcher {
    const struct lexicon_set *set;

    struct edge *edges;  /* power-of-two table, load <= 1/2 */
    size_t ecap, nedges;
    struct tnode *nodes; /* nodes[0] is the root */
    size_t nnodes, ncap;
    uint32_t *terms;     /* entry indices grouped by node */
    struct buf pool;     /* bytes of every edge's word */
    size_t *stem_lens;   /* distinct stem lengths in bytes, ascending */
    size_t nstem_lens;

    /* Prefilters in front of the edge table (see "Filters" below): most
     * words of a comment lead nowhere, and most stem lengths cannot match
     * a given word, so a bit test answers most probes without hashing the
     * word or touching the (larger, colder) edge table. */
    uint64_t *stem_filter; /* [STEM_FILTER_SLOTS]: bit k = stem_lens[k] may
                              start with these two bytes at this node */
    uint64_t stem_always;  /* stem lengths < 2 bytes: never filtered */
    uint8_t stems_upto[256]; /* number of stem lengths <= n (n < 256) */
    uint64_t *exact_filter; /* EXACT_FILTER_BITS bits */

    /* The word path (match_words.h): every edge by its word (exact_ix,
     * stem_ix, built once), and the edges each word of the text follows
     * (words, a cache filled from those two). tw[j]: token j's edges. */
    struct word_table exact_ix, stem_ix, words;
    struct tword {
        uint32_t coff, ncont, nroot;
        uint8_t mayint; /* intensifier_may_start() */
    } *tw;
    uint32_t *tref;      /* per token: referent_word_class() */
    size_t trefcap;
    size_t twcap;
    struct wcont *scratch;
    size_t scratchcap;
    uint8_t *intens;     /* per token: intensifier_at() + 1, 0 unknown */
    size_t intcap;

    struct rx *rx;
    size_t nrx;
    /* The regex entries' literals of two bytes or more, found in a field
     * in one pass (literals_scan): a bit per hash of the first three bytes
     * of a literal (a bit per byte pair for a literal of two bytes), then
     * the literals of that key (lits3 and lits2, by key). A literal is
     * either one the entry requires somewhere (required_literal: sets
     * present) or one its matches start with (match_prefix.h: its
     * positions are collected in starts). */
    uint64_t *tribits;     /* [1024]: 65,536 bits */
    uint64_t *pairbits;    /* [1024]: 65,536 bits */
    struct litkey {
        uint16_t key, rx;
        uint32_t off;      /* the literal's bytes in litpool */
        uint8_t len, start;/* start: a start literal */
    } *lits3, *lits2;
    size_t nlits3, cap3, nlits2, cap2;
    struct k3slot { uint32_t key, first; } *k3; /* key -> first in lits3;
                                                   first UINT32_MAX: empty */
    size_t k3mask;
    size_t nlits, nreq;    /* both arrays; nreq: the required ones */
    int scan_every;        /* some literal may begin inside an ASCII word */
    uint8_t wordbyte[256]; /* ascii_word(b) */
    uint8_t first3[256];   /* b begins a literal in lits3 */
    struct buf litpool;
    /* A bit per regex entry: worth running on this field. `always` has the
     * entries no literal rules out; literals_scan adds an entry whose
     * required literal is in the field (then it is "present") or whose
     * start literal is somewhere, so matcher_find visits those alone. */
    uint64_t *run, *always;
    size_t nrunw;          /* words of each */
    struct rxstart { uint32_t rx, pos; } *starts; /* by position */
    size_t nstarts, scap;
    uint32_t *spos;        /* start positions grouped by regex entry */
    size_t spcap;
    uint32_t *sfirst;      /* [nrx + 1]: regex r's are spos[sfirst[r]..] */
    pcre2_match_context *mctx;
    pcre2_jit_stack *jstack;
    pcre2_match_data *md;

    /* per-call state, reused */
    struct piece *pieces;  /* where regex entries may match (rx_pieces) */
    size_t npieces, pcap;
    struct cut *cuts;      /* rx_pieces' scratch */
    size_t cutcap;
    struct referent_ctx ref;
    struct senses senses;  /* guards pooled by spelling (senses.h) */
    struct guard_index guards; /* every entry's guards (match_guard.h) */
    struct buf key;        /* a candidate's spelling, for senses_of */
    struct cand *c;
    size_t nc, ccap;
    uint32_t *last_end;  /* per lexicon: end of its last kept hit */
    uint8_t *whole;      /* per token: a candidate covers the hyphenated
                            word that starts at this token */
    size_t wholecap;
    const char *s;
    size_t len;
    const struct tokens *tok;

    struct match_stats stats;
};

struct piece {
    uint32_t s, own, e;  /* bytes [s, e) of the normalized text; matches
                            starting in [s, own) are this piece's */
};

static int run_regex_piece(struct matcher *m, const struct rx *r, size_t off,
                           size_t own, size_t len, size_t *floor,
                           int *utf_checked, struct diag *err);

/* ======================= Hashing ========================================= */

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* wh is the FNV-1a hash of the word bytes (the same function as
 * hash_bytes); node and stem flag are mixed in afterwards, so a word's hash
 * is computed once and shared by every node it is looked up from. */
static uint64_t edge_hash(uint64_t wh, uint32_t from, int stem)
{
    uint64_t k = ((uint64_t)from << 1) | (uint64_t)(stem != 0);
    return mix64(wh ^ (k * 0x9E3779B97F4A7C15ULL));
}

static uint32_t edge_find(struct matcher *m, uint32_t from, const char *w,
                          size_t n, uint64_t wh, int stem)
{
    uint64_t h = edge_hash(wh, from, stem);
    size_t mask = m->ecap - 1;
    m->stats.lookups++;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        const struct edge *e = &m->edges[i];
        m->stats.slots++;
        if (!e->to)
            return 0;
        if (e->h == h && e->from == from && e->stem == (uint8_t)stem &&
            e->klen == n && memcmp(m->pool.p + e->koff, w, n) == 0)
            return e->to;
    }
}

/* ======================= Filters ========================================= */

/* A probe for edge (node, word) is skipped when the filter says no such
 * edge can exist. Exact edges are keyed by (node, length, first two bytes,
 * last byte); stem edges by (node, first two bytes), with one bit per
 * distinct stem length. A filter answers "maybe" or "no", never a false
 * "no", so the hits are the same with or without it; false "maybe"s only
 * cost the probe the filter was there to save. The filters are small
 * (4 KiB and 8 KiB) so they stay in the L1 cache. Skipped probes still
 * count in stats.lookups (the work that matcher_stats describes is the
 * logical walk, which must not depend on the lexicon's size). */
#define STEM_FILTER_SLOTS 1024u
#define EXACT_FILTER_BITS 32768u

static uint32_t filter_mix(uint64_t x, unsigned bits)
{
    return (uint32_t)((x * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
}

static uint32_t stem_key(uint32_t node, unsigned char b0, unsigned char b1)
{
    return filter_mix(((uint64_t)node << 16) | (uint64_t)b0 << 8 | b1, 10);
}

static uint32_t exact_key(uint32_t node, const char *w, size_t n)
{
    uint64_t x = (uint64_t)node << 40 | (uint64_t)(n & 0xFFFF) << 24 |
                 (uint64_t)(unsigned char)w[0] << 16 |
                 (uint64_t)(n > 1 ? (unsigned char)w[1] : 0) << 8 |
                 (unsigned char)w[n - 1];
    return filter_mix(x, 15);
}

static void build_filters(struct matcher *m)
{
    m->stem_filter = xcalloc(STEM_FILTER_SLOTS, sizeof *m->stem_filter);
    m->exact_filter = xcalloc(EXACT_FILTER_BITS / 64, sizeof(uint64_t));
    m->stem_always = 0;
    for (size_t n = 0, k = 0; n < 256; n++) {
        while (k < m->nstem_lens && m->stem_lens[k] <= n)
            k++;
        m->stems_upto[n] = (uint8_t)(k < 255 ? k : 255);
    }
    if (m->nstem_lens > 64)
        m->stem_always = ~0ULL; /* more lengths than bits: no stem filter */
    for (size_t i = 0; i < m->ecap; i++) {
        const struct edge *e = &m->edges[i];
        if (!e->to)
            continue;
        const char *w = m->pool.p + e->koff;
        if (!e->stem) {
            uint32_t b = exact_key(e->from, w, e->klen);
            m->exact_filter[b >> 6] |= 1ULL << (b & 63);
            continue;
        }
        size_t k = 0;
        while (k < m->nstem_lens && m->stem_lens[k] != e->klen)
            k++;
        if (k >= 64)
            continue; /* lengths past the 64th are always probed */
        if (e->klen < 2)
            m->stem_always |= 1ULL << k;
        else
            m->stem_filter[stem_key(e->from, (unsigned char)w[0],
                                    (unsigned char)w[1])] |= 1ULL << k;
    }
}

/* ======================= Words ========================================= */

struct edge_ref {
    const struct edge *e;
    const char *pool;
};

static int cmp_edge_ref(const void *a, const void *b)
{
    const struct edge_ref *x = a, *y = b;
    if (x->e->stem != y->e->stem)
        return x->e->stem < y->e->stem ? -1 : 1;
    if (x->e->klen != y->e->klen)
        return x->e->klen < y->e->klen ? -1 : 1;
    int c = memcmp(x->pool + x->e->koff, y->pool + y->e->koff, x->e->klen);
    if (c)
        return c;
    return x->e->from < y->e->from ? -1 : x->e->from > y->e->from;
}

/* Do x and y have the same word and kind (whatever their nodes)? */
static int same_word(const struct edge_ref *x, const struct edge_ref *y)
{
    return x->e->stem == y->e->stem && x->e->klen == y->e->klen &&
           memcmp(x->pool + x->e->koff, y->pool + y->e->koff, x->e->klen) == 0;
}

/* exact_ix and stem_ix: the trie's edges grouped by their word. */
static void build_word_index(struct matcher *m)
{
    word_table_init(&m->exact_ix, 0);
    word_table_init(&m->stem_ix, 0);
    word_table_init(&m->words, 1);
    struct edge_ref *v = xmalloc((m->nedges ? m->nedges : 1) * sizeof *v);
    struct wcont *c = xmalloc((m->nedges ? m->nedges : 1) * sizeof *c);
    size_t n = 0;
    for (size_t i = 0; i < m->ecap; i++)
        if (m->edges[i].to)
            v[n++] = (struct edge_ref){&m->edges[i], m->pool.p};
    qsort(v, n, sizeof *v, cmp_edge_ref);
    for (size_t i = 0; i < n;) {
        size_t j = i, nc = 0;
        while (j < n && same_word(&v[i], &v[j])) {
            c[nc++] = (struct wcont){v[j].e->from, v[j].e->to, v[j].e->klen,
                                     v[j].e->stem};
            j++;
        }
        const char *w = m->pool.p + v[i].e->koff;
        word_table_add(v[i].e->stem ? &m->stem_ix : &m->exact_ix, w,
                       v[i].e->klen, hash_bytes(w, v[i].e->klen), c, nc);
        i = j;
    }
    free(v);
    free(c);
}

/* Number of distinct stem lengths <= n. */
static size_t stems_le(const struct matcher *m, size_t n)
{
    if (n < 256)
        return m->stems_upto[n];
    size_t k = 0;
    while (k < m->nstem_lens && m->stem_lens[k] <= n)
        k++;
    return k;
}

/* The edges word w[0..n) follows from any node, in the order step() tries
 * them from one node: stems by ascending length, then the exact edge. */
static void resolve_word(struct matcher *m, const char *w, size_t n,
                         size_t avail, struct tword *out, uint32_t *ref)
{
    /* The cache is keyed by word_key (two loads, no byte loop); the
     * trie's own tables, read on a miss, by the FNV-1a hash. */
    struct wkey key;
    word_key(w, n, avail, &key);
    const struct wrec *r = word_table_find_key(&m->words, w, n, &key);
    if (!r) {
        uint64_t h = FNV_OFFSET;
        for (size_t p = 0; p < n; p++)
            h = (h ^ (unsigned char)w[p]) * FNV_PRIME;
        size_t nc = 0, p = 0;
        uint64_t hp = FNV_OFFSET;
        size_t ns = stems_le(m, n);
        for (size_t k = 0; k < ns; k++) {
            for (; p < m->stem_lens[k]; p++)
                hp = (hp ^ (unsigned char)w[p]) * FNV_PRIME;
            const struct wrec *s = word_table_find(&m->stem_ix, w, p, hp);
            if (!s)
                continue;
            grow(&m->scratch, &m->scratchcap, nc + s->ncont,
                 sizeof *m->scratch);
            memcpy(m->scratch + nc, m->stem_ix.conts + s->coff,
                   s->ncont * sizeof *m->scratch);
            nc += s->ncont;
        }
        const struct wrec *x = word_table_find(&m->exact_ix, w, n, h);
        if (x) {
            grow(&m->scratch, &m->scratchcap, nc + x->ncont,
                 sizeof *m->scratch);
            memcpy(m->scratch + nc, m->exact_ix.conts + x->coff,
                   x->ncont * sizeof *m->scratch);
            nc += x->ncont;
        }
        struct wrec *a = word_table_add(&m->words, w, n, key.h, m->scratch,
                                        nc);
        /* the other per-word facts the field's pass needs, once a word */
        a->val = referent_word_class(w, n);
        a->flag = (uint8_t)intensifier_may_start(w, n);
        r = a;
    }
    out->coff = r->coff;
    out->ncont = r->ncont;
    out->nroot = r->nroot;
    out->mayint = r->flag;
    *ref = r->val;
}

/* ======================= Building the trie =============================== */

static void edges_rehash(struct matcher *m, size_t cap)
{
    struct edge *old = m->edges;
    size_t ocap = m->ecap;
    m->edges = xcalloc(cap, sizeof *m->edges);
    m->ecap = cap;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].to)
            continue;
        size_t j = (size_t)old[i].h & (cap - 1);
        while (m->edges[j].to)
            j = (j + 1) & (cap - 1);
        m->edges[j] = old[i];
    }
    free(old);
}

static uint32_t node_new(struct matcher *m)
{
    grow(&m->nodes, &m->ncap, m->nnodes + 1, sizeof *m->nodes);
    memset(&m->nodes[m->nnodes], 0, sizeof *m->nodes);
    return (uint32_t)m->nnodes++;
}

/* The child of `from` along (w, stem), created when missing. */
static uint32_t edge_add(struct matcher *m, uint32_t from, const char *w,
                         int stem)
{
    size_t n = strlen(w);
    uint64_t wh = hash_bytes(w, n);
    uint32_t to = edge_find(m, from, w, n, wh, stem);
    if (to)
        return to;
    if ((m->nedges + 1) * 2 > m->ecap)
        edges_rehash(m, m->ecap * 2);
    to = node_new(m);
    uint64_t h = edge_hash(wh, from, stem);
    size_t j = (size_t)h & (m->ecap - 1);
    while (m->edges[j].to)
        j = (j + 1) & (m->ecap - 1);
    struct edge *e = &m->edges[j];
    e->h = h;
    e->from = from;
    e->to = to;
    e->koff = (uint32_t)m->pool.len;
    e->klen = (uint32_t)n;
    e->stem = (uint8_t)(stem != 0);
    buf_append(&m->pool, w, n);
    m->nedges++;
    if (stem)
        m->nodes[from].out_stem = 1;
    else
        m->nodes[from].out_exact = 1;
    return to;
}

static void stem_len_add(struct matcher *m, size_t len, size_t *cap)
{
    size_t i = 0;
    while (i < m->nstem_lens && m->stem_lens[i] < len)
        i++;
    if (i < m->nstem_lens && m->stem_lens[i] == len)
        return;
    grow(&m->stem_lens, cap, m->nstem_lens + 1, sizeof *m->stem_lens);
    memmove(m->stem_lens + i + 1, m->stem_lens + i,
            (m->nstem_lens - i) * sizeof *m->stem_lens);
    m->stem_lens[i] = len;
    m->nstem_lens++;
}

struct term_pair {
    uint32_t node, entry;
};

static int cmp_term_pair(const void *a, const void *b)
{
    const struct term_pair *x = a, *y = b;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int build_trie(struct matcher *m, struct diag *err)
{
    const struct lexicon_set *set = m->set;
    m->ecap = 16;
    m->edges = xcalloc(m->ecap, sizeof *m->edges);
    node_new(m); /* the root */

    struct term_pair *tp = NULL;
    size_t ntp = 0, tpcap = 0, slcap = 0;
    for (size_t i = 0; i < set->nentries; i++) {
        const struct lex_entry *e = &set->entries[i];
        if (e->kind == ENTRY_REGEX)
            continue;
        for (size_t k = 0; k < e->seq.n; k++)
            if (!e->seq.words[k][0]) {
                diag_set(err, DIAG_ERROR, e->file, e->line, e->col,
                         "entry \"%s\" has an empty word", e->term);
                free(tp);
                return -1;
            }
        if (e->seq.n == 0) {
            diag_set(err, DIAG_ERROR, e->file, e->line, e->col,
                     "entry \"%s\" has no words", e->term);
            free(tp);
            return -1;
        }
        uint32_t node = 0;
        for (size_t k = 0; k < e->seq.n; k++) {
            node = edge_add(m, node, e->seq.words[k], e->seq.is_stem[k]);
            if (e->seq.is_stem[k])
                stem_len_add(m, strlen(e->seq.words[k]), &slcap);
        }
        grow(&tp, &tpcap, ntp + 1, sizeof *tp);
        tp[ntp].node = node;
        tp[ntp].entry = (uint32_t)i;
        ntp++;
    }
    /* Group the entries by the node they end at: one flat array instead of
     * a small vector per node. */
    if (ntp)
        qsort(tp, ntp, sizeof *tp, cmp_term_pair);
    m->terms = xmalloc((ntp ? ntp : 1) * sizeof *m->terms);
    for (size_t i = 0; i < ntp; i++) {
        struct tnode *nd = &m->nodes[tp[i].node];
        if (!nd->nterm)
            nd->term_off = (uint32_t)i;
        nd->nterm++;
        m->terms[i] = tp[i].entry;
    }
    free(tp);
    return 0;
}

/* ======================= PCRE2 =========================================== */

/* A literal that every match of pattern p must contain, found by a
 * conservative reading of the pattern: the longest run of plain characters
 * (ASCII letters, digits, space, ' and -) outside any group or class, in a
 * pattern with no top-level alternation. A quantified last character is
 * dropped from its run. Anything the reading does not fully understand
 * (\Q, \x, \p, back references, extended mode, ...) gives no literal, and
 * the regex then runs on every field as before. matcher_find skips a regex
 * on a field whose normalized text lacks its literal; since that text is
 * case-folded and NFKC (no U+017F or U+212A left to match 's' or 'k'
 * caselessly), the literal is lower-cased and compared byte for byte. This
 * only saves time: 32 JIT regexes over every comment cost more than the
 * whole trie walk. Returns the literal's length (0: none). */
static size_t required_literal(const char *p, char *out, size_t cap)
{
    size_t best = 0, run = 0;
    char cur[64];
    for (size_t i = 0; p[i];) {
        unsigned char c = (unsigned char)p[i];
        int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == ' ' || c == '\'' ||
                    c == '-';
        if (plain) {
            if (run < sizeof cur)
                cur[run++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            i++;
            continue;
        }
        if (c == '?' || c == '*' || c == '+' || c == '{') {
            if (run)
                run--;       /* the quantified character may be absent */
            if (c == '{') {
                while (p[i] && p[i] != '}')
                    i++;
                if (!p[i])
                    return 0;
            }
        }
        if (run > best && run < cap) {
            best = run;
            memcpy(out, cur, run);
        }
        run = 0;
        if (c == '|')
            return 0;        /* top-level alternation: nothing required */
        if (c == '\\') {
            unsigned char e = (unsigned char)p[i + 1];
            if (!e || !strchr("bBwWdDsShHvVRNXAzZG.^$|()[]{}*+?\\/-'\" ", e))
                return 0;
            if (e == 'N' && p[i + 2] == '{')
                return 0;
            i += 2;
            continue;
        }
        if (c == '[' || c == '(') {
            /* Skip the class or the group (nested), escapes and classes
             * inside included. Extended mode or \Q in a group: give up. */
            int depth = 0;
            do {
                if (p[i] == '\\') {
                    if (!p[i + 1] || p[i + 1] == 'Q')
                        return 0;
                    i += 2;
                    continue;
                }
                if (p[i] == '[') {
                    i = regex_class_end(p, i);
                    if (!i)
                        return 0;
                    continue;
                }
                if (p[i] == '(') {
                    if (p[i + 1] == '?' || p[i + 1] == '*') {
                        size_t k = i + 2;
                        while (p[k] && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ^-_=", p[k]))
                            k++;
                        for (size_t q = i + 2; q < k; q++)
                            if (p[q] == 'x')
                                return 0;    /* extended: spaces ignored */
                    }
                    depth++;
                } else if (p[i] == ')') {
                    depth--;
                }
                i++;
            } while (p[i] && depth > 0);
            if (depth > 0)
                return 0;
            continue;
        }
        if (c == ')' || c == ']' || c == '#')
            return 0;
        i++;                 /* . ^ $ and anything else: ends the run */
    }
    if (run > best && run < cap) {
        best = run;
        memcpy(out, cur, run);
    }
    /* Leading and trailing spaces of a run are kept: they are required. A
     * literal of one or two bytes filters too little to pay. */
    if (best < 3)
        best = 0;
    out[best] = '\0';
    return best;
}

/* Index of the byte of lit[0..n) least frequent in English text, which
 * has_literal() looks for with memchr: the rarer it is, the fewer false
 * starts. */
static size_t rarest_byte(const char *lit, size_t n)
{
    static const char freq[] = " etaoinshrdlcumwfgypbvkjxqz";
    size_t best = 0, best_rank = 0;
    for (size_t i = 0; i < n; i++) {
        const char *f = strchr(freq, lit[i]);
        size_t rank = f ? (size_t)(f - freq) : sizeof freq; /* digits, ' - */
        if (rank > best_rank) {
            best_rank = rank;
            best = i;
        }
    }
    return best;
}

/* Does s[0..len) contain x's literal? memchr (vectorized in libc) for the
 * rarest byte, then a comparison around it. */
static int has_literal(const struct rx *x, const char *s, size_t len)
{
    const char *p = s + x->rare, *end = s + len;
    size_t after = x->litlen - x->rare; /* bytes from the rare byte on */
    if (len < x->litlen)
        return 0;
    end -= after - 1;                   /* last place the rare byte can be */
    while (p < end) {
        const char *q = memchr(p, x->lit[x->rare], (size_t)(end - p));
        if (!q)
            return 0;
        if (memcmp(q - x->rare, x->lit, x->litlen) == 0)
            return 1;
        p = q + 1;
    }
    return 0;
}

static int cmp_litkey(const void *a, const void *b)
{
    const struct litkey *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->rx != y->rx)
        return x->rx < y->rx ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

static int cmp_rxstart(const void *a, const void *b)
{
    const struct rxstart *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->rx < y->rx ? -1 : x->rx > y->rx;
}

static uint16_t pair_key(const char *p)
{
    return (uint16_t)((unsigned char)p[0] << 8 | (unsigned char)p[1]);
}

/* The key of three bytes b0 b1 b2 (as b0 | b1 << 8 | b2 << 16). */
static inline uint32_t tri_key(uint32_t k)
{
    return (k * 0x9E3779B1u) >> 16;
}

static int ascii_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           (c >= 'A' && c <= 'Z');
}

static void lit_add(struct matcher *m, const char *lit, size_t len,
                    size_t r, int start)
{
    const unsigned char *u = (const unsigned char *)lit;
    struct litkey l = {0, (uint16_t)r, (uint32_t)m->litpool.len,
                       (uint8_t)len, (uint8_t)start};
    if (len >= 3) {
        l.key = (uint16_t)tri_key(u[0] | (uint32_t)u[1] << 8 |
                                  (uint32_t)u[2] << 16);
        m->tribits[l.key >> 6] |= 1ULL << (l.key & 63);
        m->first3[u[0]] = 1;
        grow(&m->lits3, &m->cap3, m->nlits3 + 1, sizeof *m->lits3);
        m->lits3[m->nlits3++] = l;
    } else {
        l.key = pair_key(lit);
        m->pairbits[l.key >> 6] |= 1ULL << (l.key & 63);
        grow(&m->lits2, &m->cap2, m->nlits2 + 1, sizeof *m->lits2);
        m->lits2[m->nlits2++] = l;
    }
    buf_append(&m->litpool, lit, len);
    m->nlits++;
    m->nreq += !start;
    /* Only a start literal known to begin after a non-word byte (anw, or
     * a word byte after \b), or one that begins with a non-word byte
     * itself, lets the scan skip the inside of ASCII words. */
    if (!start || (ascii_word(u[0]) && !m->rx[r].anw && !m->rx[r].wb))
        m->scan_every = 1;
}

/* The pair bits and the literals by pair (after every regex is built):
 * an anchored entry's start literals, another's required literal. */
static void build_literals(struct matcher *m, struct strvec *const *sl)
{
    m->tribits = xcalloc(1024, sizeof *m->tribits);
    m->pairbits = xcalloc(1024, sizeof *m->pairbits);
    m->sfirst = xcalloc(m->nrx + 1, sizeof *m->sfirst);
    m->nrunw = (m->nrx + 63) / 64;
    m->run = xcalloc(m->nrunw ? m->nrunw : 1, sizeof *m->run);
    m->always = xcalloc(m->nrunw ? m->nrunw : 1, sizeof *m->always);
    for (size_t r = 0; r < m->nrx; r++)
        if (!m->rx[r].anchored && !(m->rx[r].litlen >= 2 && r <= UINT16_MAX))
            m->always[r / 64] |= 1ULL << (r % 64);
    for (unsigned b = 0; b < 256; b++)
        m->wordbyte[b] = (uint8_t)ascii_word((unsigned char)b);
    for (size_t r = 0; r < m->nrx && r <= UINT16_MAX; r++) {
        const struct rx *x = &m->rx[r];
        if (x->anchored) {
            for (size_t k = 0; k < sl[r]->n; k++)
                lit_add(m, sl[r]->v[k], strlen(sl[r]->v[k]), r, 1);
        } else if (x->litlen >= 2) {
            lit_add(m, x->lit, x->litlen, r, 0);
        }
    }
    if (m->nlits3)
        qsort(m->lits3, m->nlits3, sizeof *m->lits3, cmp_litkey);
    /* k3: each key of lits3 -> its first index (open addressing on the
     * key, which is a hash already; load <= 1/2) */
    size_t cap = 16;
    while (cap < 2 * m->nlits3)
        cap *= 2;
    m->k3 = xmalloc(cap * sizeof *m->k3);
    m->k3mask = cap - 1;
    for (size_t i = 0; i < cap; i++)
        m->k3[i] = (struct k3slot){0, UINT32_MAX};
    for (size_t i = 0; i < m->nlits3; i++) {
        if (i && m->lits3[i].key == m->lits3[i - 1].key)
            continue;
        size_t j = m->lits3[i].key & m->k3mask;
        while (m->k3[j].first != UINT32_MAX)
            j = (j + 1) & m->k3mask;
        m->k3[j] = (struct k3slot){m->lits3[i].key, (uint32_t)i};
    }
    if (m->nlits2)
        qsort(m->lits2, m->nlits2, sizeof *m->lits2, cmp_litkey);
}

/* Can a match of a pattern that starts at a word boundary (\b) begin at
 * s[p]? Decided from ASCII bytes only, as PCRE2 would (an ASCII letter,
 * digit or '_' is a word character under UCP, any other ASCII byte is
 * not); a non-ASCII neighbour is left to PCRE2. */
static int boundary_ok(const unsigned char *u, size_t p)
{
    int w = ascii_word(u[p]);
    if (p == 0)
        return w;
    unsigned char b = u[p - 1];
    if (b >= 0x80)
        return 1;
    return w ? !ascii_word(b) : ascii_word(b);
}

static int rx_runs(const struct matcher *m, size_t r)
{
    return (m->run[r / 64] >> (r % 64)) & 1;
}

static void rx_mark(struct matcher *m, size_t r)
{
    m->run[r / 64] |= 1ULL << (r % 64);
}

/* The first index of key k in v[0..n) (sorted by key), or n. */
static size_t lit_lower(const struct litkey *v, size_t n, unsigned k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].key < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* lit_lower() in lits3, from the key index (k3): one probe or two. */
static size_t lit3_first(const struct matcher *m, unsigned k)
{
    for (size_t i = k & m->k3mask;; i = (i + 1) & m->k3mask) {
        if (m->k3[i].first == UINT32_MAX)
            return m->nlits3;
        if (m->k3[i].key == k)
            return m->k3[i].first;
    }
}

/* The literals of key k in v[0..n) (sorted by key; lo: the first of them,
 * or n) that begin at s[p]: a required one sets present, a start one adds
 * (rx, p) to starts. */
static void literals_at(struct matcher *m, const struct litkey *v, size_t n,
                        size_t lo, unsigned k, const char *s, size_t len,
                        size_t p, size_t *left)
{
    for (; lo < n && v[lo].key == k; lo++) {
        const struct litkey *l = &v[lo];
        if (l->len > len - p)
            continue;
        const char *a = s + p, *b = m->litpool.p + l->off;
        size_t i = 0;
        while (i < l->len && a[i] == b[i])
            i++;
        if (i < l->len)
            continue;
        if (!l->start) {
            if (!rx_runs(m, l->rx)) {
                rx_mark(m, l->rx);
                --*left;
            }
            continue;
        }
        if (m->rx[l->rx].wb && !boundary_ok((const unsigned char *)s, p))
            continue;
        grow(&m->starts, &m->scap, m->nstarts + 1, sizeof *m->starts);
        m->starts[m->nstarts++] = (struct rxstart){l->rx, (uint32_t)p};
        rx_mark(m, l->rx);
    }
}

/* One pass over s: marks (rx_mark) every entry whose required literal is
 * in s (has_literal) or that has a start literal there; and the positions where the start
 * literals of the anchored entries begin, grouped by entry (spos from
 * sfirst[r]). A bit test per byte, and a comparison only where a
 * literal's key is. */
static void literals_scan(struct matcher *m, const char *s, size_t len)
{
    m->nstarts = 0;
    size_t left = m->nreq;
    int scan_all = m->nlits > m->nreq; /* start literals: no early end */
    const unsigned char *u = (const unsigned char *)s;
    if (m->nlits3 && len >= 3) {
        /* Unless scan_every, a position inside an ASCII word (a word byte
         * after a word byte) cannot begin a literal: skip it. */
        const uint8_t *wb = m->wordbyte;
        const uint64_t *bits = m->tribits;
        const uint8_t *first3 = m->first3;
        int every = m->scan_every;
        size_t end = len - 2; /* positions with three bytes from them */
        for (size_t p = 0; p < end;) {
            unsigned char b = u[p];
            if (first3[b]) {
                uint32_t h = tri_key(b | (uint32_t)u[p + 1] << 8 |
                                     (uint32_t)u[p + 2] << 16);
                if ((bits[h >> 6] >> (h & 63)) & 1) {
                    literals_at(m, m->lits3, m->nlits3, lit3_first(m, h), h,
                                s, len, p, &left);
                    if (!left && !scan_all)
                        break;
                }
            }
            p++;
            if (!every && wb[b]) {
                /* the rest of an ASCII word: four bytes a test while the
                 * bound allows */
                while (p + 4 <= end && wb[u[p]] && wb[u[p + 1]] &&
                       wb[u[p + 2]] && wb[u[p + 3]])
                    p += 4;
                while (p < end && wb[u[p]])
                    p++;
            }
        }
    }
    if (m->nlits2) {
        size_t n3 = m->nstarts;
        for (size_t p = 0; p + 1 < len; p++) {
            unsigned k = (unsigned)u[p] << 8 | u[p + 1];
            if ((m->pairbits[k >> 6] >> (k & 63)) & 1)
                literals_at(m, m->lits2, m->nlits2,
                            lit_lower(m->lits2, m->nlits2, k), k, s, len, p,
                            &left);
        }
        /* Both passes' starts by position (only when both found some). */
        if (n3 && m->nstarts > n3)
            qsort(m->starts, m->nstarts, sizeof *m->starts, cmp_rxstart);
    }
    /* Group by entry, keeping each entry's positions in order (a counting
     * sort: the scan found them by position). */
    memset(m->sfirst, 0, (m->nrx + 1) * sizeof *m->sfirst);
    if (!m->nstarts)
        return;
    for (size_t i = 0; i < m->nstarts; i++)
        m->sfirst[m->starts[i].rx + 1]++;
    for (size_t r = 0; r < m->nrx; r++)
        m->sfirst[r + 1] += m->sfirst[r];
    grow(&m->spos, &m->spcap, m->nstarts, sizeof *m->spos);
    for (size_t i = 0; i < m->nstarts; i++) {
        /* sfirst[r] is used as the fill cursor, then restored below */
        m->spos[m->sfirst[m->starts[i].rx]++] = m->starts[i].pos;
    }
    for (size_t r = m->nrx; r > 0; r--)
        m->sfirst[r] = m->sfirst[r - 1];
    m->sfirst[0] = 0;
}

static int build_regex(struct matcher *m, struct diag *err)
{
    const struct lexicon_set *set = m->set;
    uint32_t max_pairs = 1;
    struct strvec **sl = NULL; /* per regex entry: its start literals */
    for (size_t i = 0; i < set->nentries; i++) {
        const struct lex_entry *e = &set->entries[i];
        if (e->kind != ENTRY_REGEX)
            continue;
        int ec;
        PCRE2_SIZE eoff;
        /* CASELESS on top of UTF|UCP: the text is already case-folded, so
         * this only rescues a pattern written with capitals, which would
         * otherwise silently never match. */
        pcre2_code *code = pcre2_compile(
            (PCRE2_SPTR)(e->regex ? e->regex : ""), PCRE2_ZERO_TERMINATED,
            PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &ec, &eoff, NULL);
        if (!code) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(ec, msg, sizeof msg);
            diag_set(err, DIAG_ERROR, e->file, e->line,
                     e->col + 1 + (unsigned long)eoff, "regex: %s",
                     (const char *)msg);
            for (size_t r = 0; r < m->nrx; r++) {
                strvec_fini(sl[r]);
                free(sl[r]);
            }
            free(sl);
            return -1;
        }
        /* JIT may be unavailable on this CPU/build; the interpreter then
         * runs the same pattern with the same limits. */
        (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
        uint32_t cap = 0;
        pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &cap);
        if (cap + 1 > max_pairs)
            max_pairs = cap + 1;
        m->rx = xrealloc(m->rx, (m->nrx + 1) * sizeof *m->rx);
        m->rx[m->nrx].entry = (uint32_t)i;
        m->rx[m->nrx].code = code;
        struct rx *x = &m->rx[m->nrx];
        x->litlen = required_literal(e->regex ? e->regex : "", x->lit,
                                     sizeof x->lit);
        x->rare = rarest_byte(x->lit, x->litlen);
        x->anchored = NULL;
        x->wb = 0;
        sl = xrealloc(sl, (m->nrx + 1) * sizeof *sl);
        sl[m->nrx] = xcalloc(1, sizeof **sl);
        if (m->nrx <= UINT16_MAX &&
            rx_start_literals(e->regex, sl[m->nrx], &x->wb, &x->anw)) {
            /* PCRE2_ANCHORED at match time would turn the JIT off: the
             * anchored copy is compiled (and JIT-compiled) as such. */
            x->anchored = pcre2_compile(
                (PCRE2_SPTR)e->regex, PCRE2_ZERO_TERMINATED,
                PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_ANCHORED,
                &ec, &eoff, NULL);
            if (x->anchored)
                (void)pcre2_jit_compile(x->anchored, PCRE2_JIT_COMPLETE);
        }
        m->nrx++;
    }
    build_literals(m, sl);
    for (size_t r = 0; r < m->nrx; r++) {
        strvec_fini(sl[r]);
        free(sl[r]);
    }
    free(sl);
    if (!m->nrx)
        return 0;
    m->mctx = pcre2_match_context_create(NULL);
    m->jstack = pcre2_jit_stack_create(RX_JIT_STACK_START, RX_JIT_STACK_MAX,
                                       NULL);
    m->md = pcre2_match_data_create(max_pairs, NULL);
    if (!m->mctx || !m->jstack || !m->md) {
        diag_set(err, DIAG_ERROR, NULL, 0, 0, "regex: out of memory");
        return -1;
    }
    pcre2_set_match_limit(m->mctx, RX_MATCH_LIMIT);
    pcre2_set_depth_limit(m->mctx, RX_DEPTH_LIMIT);
    pcre2_jit_stack_assign(m->mctx, NULL, m->jstack);
    return 0;
}

/* ======================= Lifecycle ======================================= */

void hits_init(struct hits *h)
{
    h->v = NULL;
    h->n = h->cap = 0;
}

void hits_fini(struct hits *h)
{
    free(h->v);
    hits_init(h);
}

matcher *matcher_new(const struct lexicon_set *set, struct diag *err)
{
    struct matcher *m = xcalloc(1, sizeof *m);
    m->set = set;
    m->last_end = xcalloc(set->nlexicons ? set->nlexicons : 1,
                          sizeof *m->last_end);
    buf_init(&m->pool);
    buf_init(&m->litpool);
    if (build_trie(m, err) < 0 || build_regex(m, err) < 0) {
        matcher_free(m);
        return NULL;
    }
    build_filters(m);
    build_word_index(m);
    senses_build(&m->senses, set);
    guard_index_build(&m->guards, set);
    buf_init(&m->key);
    /* Count only the work of matching, not of building the trie. */
    memset(&m->stats, 0, sizeof m->stats);
    return m;
}

void matcher_free(matcher *m)
{
    if (!m)
        return;
    referent_fini(&m->ref);
    senses_fini(&m->senses);
    guard_index_fini(&m->guards);
    buf_fini(&m->key);
    free(m->edges);
    free(m->nodes);
    free(m->terms);
    buf_fini(&m->pool);
    free(m->stem_lens);
    free(m->stem_filter);
    free(m->exact_filter);
    word_table_fini(&m->exact_ix);
    word_table_fini(&m->stem_ix);
    word_table_fini(&m->words);
    free(m->tw);
    free(m->tref);
    free(m->scratch);
    free(m->intens);
    for (size_t i = 0; i < m->nrx; i++) {
        pcre2_code_free(m->rx[i].code);
        pcre2_code_free(m->rx[i].anchored);
    }
    free(m->rx);
    free(m->tribits);
    free(m->pairbits);
    free(m->lits3);
    free(m->k3);
    free(m->lits2);
    buf_fini(&m->litpool);
    free(m->run);
    free(m->always);
    free(m->starts);
    free(m->spos);
    free(m->sfirst);
    pcre2_match_data_free(m->md);
    pcre2_jit_stack_free(m->jstack);
    pcre2_match_context_free(m->mctx);
    free(m->c);
    free(m->pieces);
    free(m->cuts);
    free(m->last_end);
    free(m->whole);
    free(m);
}

void matcher_stats(const matcher *m, struct match_stats *st)
{
    *st = m->stats;
}

/* ======================= Candidates from the trie ======================== */

/* Set bits of x, in portable code: __builtin_popcountll compiles to a
 * call into libgcc unless the build says -mpopcnt, which not every x86-64
 * has; this is a dozen instructions inline on any of them. */
static inline size_t popcount64(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555ULL;
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (size_t)((x * 0x0101010101010101ULL) >> 56);
}

static void cand_add(struct matcher *m, uint32_t entry, size_t start,
                     size_t end, size_t tfirst, size_t tend, int rank)
{
    grow(&m->c, &m->ccap, m->nc + 1, sizeof *m->c);
    struct cand *c = &m->c[m->nc++];
    c->entry = entry;
    c->start = (uint32_t)start;
    c->end = (uint32_t)end;
    c->tfirst = (uint32_t)tfirst;
    c->tend = (uint32_t)tend;
    c->rank = (uint8_t)rank;
}

static void walk(struct matcher *m, uint32_t node, size_t i, size_t j,
                 int rank, int gaps);

/* A walk that started at token i reached `node` after consuming token j
 * (bytes [bs, be)): every entry ending here is a candidate; then, when
 * `more`, go on with token j+1. */
static void reach(struct matcher *m, uint32_t node, size_t i, size_t j,
                  int rank, size_t bs, size_t be, int more)
{
    const struct tnode *nd = &m->nodes[node];
    for (uint32_t k = 0; k < nd->nterm; k++)
        cand_add(m, m->terms[nd->term_off + k], bs, be, i, j + 1, rank);
    if (!more || !(nd->out_exact || nd->out_stem))
        return;
    /* Most next words follow no edge out of a node that is not the root,
     * start no intensifier and are no glued form: then walk() would only
     * count its lookups, so count them here. */
    const struct tokens *tk = m->tok;
    size_t jn = j + 1;
    if (jn < tk->n && !(tk->v[jn].flags & TOK_BREAK_BEFORE) &&
        m->tw[jn].ncont == m->tw[jn].nroot && !m->tw[jn].mayint &&
        !((tk->v[jn].flags & TOK_HYPHEN) && jn + 1 < tk->n &&
          (tk->v[jn + 1].flags & TOK_JOINED))) {
        if (nd->out_stem)
            m->stats.lookups += stems_le(m, tk->v[jn].end - tk->v[jn].start);
        if (nd->out_exact)
            m->stats.lookups++;
        return;
    }
    walk(m, node, i, jn, rank, 0);
}

/* Follow every edge out of `node` that word w[0..n) (token j) matches:
 * one stem probe per distinct stem length in (minstem, n], then the exact
 * probe. A probe the filters rule out is counted but costs no hashing. */
static void step(struct matcher *m, uint32_t node, const char *w, size_t n,
                 size_t i, size_t j, int rank, size_t bs, size_t be,
                 int more, size_t minstem)
{
    const struct tnode *nd = &m->nodes[node];
    uint64_t h = FNV_OFFSET;
    size_t p = 0;
    if (nd->out_stem) {
        uint64_t maybe = m->stem_always;
        if (n >= 2)
            maybe |= m->stem_filter[stem_key(node, (unsigned char)w[0],
                                             (unsigned char)w[1])];
        size_t nk = n < 256 ? m->stems_upto[n] : 255;
        size_t nlo = minstem < 256 ? m->stems_upto[minstem] : 255;
        if (m->nstem_lens <= 64 && nk < 64) {
            /* Only the lengths the filter lets through, in ascending order
             * (the hash is extended as p grows); the others are counted. */
            uint64_t bits = maybe & ((1ULL << nk) - 1) & ~((1ULL << nlo) - 1);
            m->stats.lookups += nk - popcount64(bits);
            while (bits) {
                size_t k = (size_t)__builtin_ctzll(bits);
                bits &= bits - 1;
                for (; p < m->stem_lens[k]; p++)
                    h = (h ^ (unsigned char)w[p]) * FNV_PRIME;
                uint32_t c = edge_find(m, node, w, p, h, 1);
                if (c)
                    reach(m, c, i, j, RANK_STEM, bs, be, more);
            }
            goto exact;
        }
        for (size_t k = 0; k < m->nstem_lens && m->stem_lens[k] <= n; k++) {
            if (m->stem_lens[k] <= minstem)
                continue;
            if (k < 64 && !((maybe >> k) & 1)) {
                m->stats.lookups++;
                continue;
            }
            for (; p < m->stem_lens[k]; p++)
                h = (h ^ (unsigned char)w[p]) * FNV_PRIME;
            uint32_t c = edge_find(m, node, w, p, h, 1);
            if (c)
                reach(m, c, i, j, RANK_STEM, bs, be, more);
        }
    }
exact:
    if (nd->out_exact) {
        uint32_t b = exact_key(node, w, n);
        if (!((m->exact_filter[b >> 6] >> (b & 63)) & 1)) {
            m->stats.lookups++;
            return;
        }
        for (; p < n; p++)
            h = (h ^ (unsigned char)w[p]) * FNV_PRIME;
        uint32_t c = edge_find(m, node, w, n, h, 0);
        if (c)
            reach(m, c, i, j, rank, bs, be, more);
    }
}

/* step() for token j itself, from the word table (resolve_word): the
 * same edges in the same order, and the same lookups counted. */
static void step_word(struct matcher *m, uint32_t node, size_t i, size_t j,
                      int rank, size_t bs, size_t be)
{
    const struct tnode *nd = &m->nodes[node];
    const struct token *t = &m->tok->v[j];
    if (nd->out_stem)
        m->stats.lookups += stems_le(m, t->end - t->start);
    if (nd->out_exact)
        m->stats.lookups++;
    /* Edges out of the root come first in a word's list (match_words.h). */
    const struct tword *tw = &m->tw[j];
    const struct wcont *c = m->words.conts + tw->coff;
    uint32_t k = node ? tw->nroot : 0, kend = node ? tw->ncont : tw->nroot;
    for (; k < kend; k++)
        if (c[k].from == node)
            reach(m, c[k].to, i, j, c[k].stem ? RANK_STEM : rank, bs, be, 1);
}

/* Longest hyphenated word tried glued together (bytes); longer ones are
 * matched part by part only. */
#define GLUED_MAX 128

/* Recursion depth is bounded by the longest entry (in words, plus its
 * intensifier gaps); branching happens where a stem edge and an exact edge
 * both match, at an intensifier, and at a hyphenated word's glued forms.
 * gaps: intensifiers skipped since the last word of the entry matched. */
static void walk(struct matcher *m, uint32_t node, size_t i, size_t j,
                 int rank, int gaps)
{
    const struct tokens *tk = m->tok;
    if (j >= tk->n)
        return;
    /* A phrase is one clause: "too. Assertive" is not "too assertive". */
    if (j > i && (tk->v[j].flags & TOK_BREAK_BEFORE))
        return;
    const struct token *t = &tk->v[j];
    size_t bs = tk->v[i].start;
    step_word(m, node, i, j, rank, bs, t->end);

    /* "co-operative" as "cooperative": parts j..b glued. */
    if ((t->flags & TOK_HYPHEN) && j + 1 < tk->n &&
        (tk->v[j + 1].flags & TOK_JOINED)) {
        char g[GLUED_MAX];
        size_t gl = t->end - t->start;
        if (gl <= GLUED_MAX) {
            memcpy(g, m->s + t->start, gl);
            for (size_t b = j + 1;
                 b < tk->n && (tk->v[b].flags & TOK_JOINED); b++) {
                size_t pl = tk->v[b].end - tk->v[b].start, before = gl;
                if (gl + pl > GLUED_MAX)
                    break;
                memcpy(g + gl, m->s + tk->v[b].start, pl);
                gl += pl;
                step(m, node, g, gl, i, b,
                     rank > RANK_GLUED ? rank : RANK_GLUED, bs, tk->v[b].end,
                     1, before);
            }
        }
    }

    /* "works really independently": an intensifier between two words of
     * an entry is let through (intensifier.h). */
    if (j > i && gaps < INTENSIFIER_GAPS) {
        if (!m->intens[j])
            m->intens[j] = (uint8_t)(
                (m->tw[j].mayint ? intensifier_at(m->s, tk, j) : 0) + 1);
        size_t k = m->intens[j] - 1u;
        if (k)
            walk(m, node, i, j + k, rank, gaps + 1);
    }
}

/* ======================= Candidates from PCRE2 =========================== */

/* Binary search: the first token whose end is > off (by_end) or whose
 * start is >= off (!by_end); tk->n when there is none. Together they turn
 * a regex match's byte span into the token span guards and negation use. */
static size_t token_after(const struct tokens *tk, size_t off, int by_end)
{
    size_t lo = 0, hi = tk->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t key = by_end ? tk->v[mid].end : tk->v[mid].start;
        if (by_end ? key > off : key >= off)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static size_t next_char(const char *s, size_t len, size_t p)
{
    p++;
    while (p < len && ((unsigned char)s[p] & 0xC0) == 0x80)
        p++;
    return p;
}

/* Regex entries match within one piece of the text: a sentence or clause
 * (the tokenizer's breaks, where phrases stop too) or, in a longer one, a
 * window of at most RX_WINDOW characters. PCRE2 tries every start of its
 * subject and each start may read to the subject's end, so a pattern such
 * as (?:a\s)+b costs the square of the subject's length; on pieces it costs
 * at most about twice the field's length times RX_WINDOW.
 *
 * A long sentence is cut at word starts every RX_WINDOW/2 characters, and
 * piece k spans two halves [cut k, cut k+2) but owns only matches that
 * start in its first half: the next piece finds the others, so a match of
 * up to RX_WINDOW/2 characters is found wherever it lies, and one match is
 * never found twice. */
#define RX_WINDOW 1000

struct cut {
    size_t at;
    int hard;            /* a sentence/clause break, or the text's end */
};

static void rx_pieces(struct matcher *m, size_t len)
{
    const struct tokens *tk = m->tok;
    struct cut *c = m->cuts;
    size_t nc = 0, cap = m->cutcap;
    grow(&c, &cap, 1, sizeof *c);
    c[nc++] = (struct cut){0, 1};
    /* A text of at most RX_WINDOW/2 bytes has at most that many
     * characters: no soft cut, so no counting. */
    int count = len > RX_WINDOW / 2;
    /* chars: characters from the last cut to `at` (the end of the last
     * word); each byte is counted once. */
    size_t chars = 0, at = 0;
    for (size_t i = 0; i < tk->n; i++) {
        size_t st = tk->v[i].start, en = tk->v[i].end;
        int hard = i > 0 && (tk->v[i].flags & TOK_BREAK_BEFORE);
        size_t wl = 0;
        if (count) {
            chars += utf8_count(m->s + at, st - at);
            at = en;
            wl = utf8_count(m->s + st, en - st);
        }
        int soft = chars + wl > RX_WINDOW / 2;
        if ((hard || soft) && st > c[nc - 1].at) {
            grow(&c, &cap, nc + 1, sizeof *c);
            c[nc++] = (struct cut){st, hard};
            chars = 0;
        }
        chars += wl;
    }
    if (len > c[nc - 1].at || nc == 1) {
        grow(&c, &cap, nc + 1, sizeof *c);
        c[nc++] = (struct cut){len, 1};
    } else {
        c[nc - 1].hard = 1;
    }
    m->npieces = 0;
    grow(&m->pieces, &m->pcap, nc, sizeof *m->pieces);
    for (size_t i = 0; i + 1 < nc; i++) {
        struct piece p = {(uint32_t)c[i].at, (uint32_t)c[i + 1].at,
                          (uint32_t)c[i + 1].at};
        if (!c[i + 1].hard && i + 2 < nc)
            p.e = (uint32_t)c[i + 2].at;
        m->pieces[m->npieces++] = p;
    }
    m->cuts = c;
    m->cutcap = cap;
}

static int run_regex(struct matcher *m, const struct rx *r, size_t len,
                     int *utf_checked, struct diag *err)
{
    size_t floor = 0; /* end of the last match taken */
    for (size_t k = 0; k < m->npieces; k++) {
        const struct piece *p = &m->pieces[k];
        if (p->e > len)
            break;
        size_t off = p->s > floor ? p->s : floor;
        if (off > p->own && p->own < p->e)
            continue;
        if (run_regex_piece(m, r, off, p->own, p->e, &floor, utf_checked,
                            err) < 0)
            return -1;
    }
    return 0;
}

/* The error of a failed pcre2_match (rc < 0, not NOMATCH) into err. */
static int rx_error(struct matcher *m, const struct rx *r, int rc,
                    struct diag *err)
{
    const struct lex_entry *e = &m->set->entries[r->entry];
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    int limit = rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
                rc == PCRE2_ERROR_HEAPLIMIT ||
                rc == PCRE2_ERROR_JIT_STACKLIMIT;
    diag_set(err, DIAG_ERROR, e->file, e->line, e->col,
             "regex %s (lexicon entry %s:%lu): %s%s", e->term, e->file,
             e->line, (const char *)msg,
             limit ? "; simplify the pattern" : "");
    return -1;
}

/* An anchored entry (struct rx): the same matches as run_regex, found by
 * trying the anchored pattern only at pos[0..n), the places where one of
 * its start literals begins, in order. An unanchored search from off finds
 * the first position >= off where the anchored pattern matches, and a
 * match can only begin at one of pos, so trying them in order, each within
 * the piece that owns it (rx_pieces) and past the last match taken, gives
 * the same matches. */
static int run_regex_at(struct matcher *m, const struct rx *r,
                        const uint32_t *pos, size_t n, int *utf_checked,
                        struct diag *err)
{
    size_t floor = 0, k = 0;
    for (size_t q = 0; q < n; q++) {
        size_t c = pos[q];
        if (c < floor)
            continue;
        while (k + 1 < m->npieces && m->pieces[k].own <= c)
            k++;
        const struct piece *p = &m->pieces[k];
        uint32_t opts = *utf_checked ? PCRE2_NO_UTF_CHECK : 0;
        int rc = pcre2_match(r->anchored, (PCRE2_SPTR)m->s, p->e, c, opts,
                             m->md, m->mctx);
        if (rc == PCRE2_ERROR_NOMATCH) {
            *utf_checked = 1;
            continue;
        }
        if (rc < 0)
            return rx_error(m, r, rc, err);
        *utf_checked = 1;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
        size_t ms = ov[0], me = ov[1];
        if (me > ms) { /* an empty match is no hit */
            floor = me;
            cand_add(m, r->entry, ms, me, token_after(m->tok, ms, 1),
                     token_after(m->tok, me, 0), RANK_REGEX);
        }
    }
    return 0;
}

/* Matches of r in m->s[0..len) from off that start before own; *floor is
 * set past each one taken. */
static int run_regex_piece(struct matcher *m, const struct rx *r, size_t off,
                           size_t own, size_t len, size_t *floor,
                           int *utf_checked, struct diag *err)
{
    while (off <= len) {
        /* PCRE2 validates the whole subject on every call unless told
         * not to; once one call has done it for this field, skip it (the
         * normalizer's output is valid UTF-8, and pieces end at words). */
        uint32_t opts = *utf_checked ? PCRE2_NO_UTF_CHECK : 0;
        int rc = pcre2_match(r->code, (PCRE2_SPTR)m->s, len, off, opts,
                             m->md, m->mctx);
        if (rc == PCRE2_ERROR_NOMATCH) {
            *utf_checked = 1;
            return 0;
        }
        if (rc < 0)
            return rx_error(m, r, rc, err);
        *utf_checked = 1;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
        size_t ms = ov[0], me = ov[1];
        if (ms >= own && own < len)
            return 0;        /* the next piece's: it sees further */
        if (me > ms) {
            *floor = me;
            cand_add(m, r->entry, ms, me, token_after(m->tok, ms, 1),
                     token_after(m->tok, me, 0), RANK_REGEX);
            off = me;
        } else {
            /* An empty match is no hit; move one character on. */
            off = next_char(m->s, len, me > off ? me : off);
            if (off > len)
                break;
        }
    }
    return 0;
}

/* ======================= Guards ========================================== */

static int brk(const struct tokens *tk, size_t i)
{
    return i < tk->n && (tk->v[i].flags & TOK_BREAK_BEFORE);
}

static int word_is(const struct matcher *m, size_t t, const char *w,
                   int stem)
{
    const struct token *tok = &m->tok->v[t];
    if (w[0] && m->s[tok->start] != w[0])
        return 0;    /* most guard words fail here, before the strlen */
    size_t n = tok->end - tok->start, wl = strlen(w);
    if (stem ? n < wl : n != wl)
        return 0;
    return memcmp(m->s + tok->start, w, wl) == 0;
}

/* The candidate's own guards, then those pooled for the words it matched
 * (senses.h): "aggressive" found by any entry of any lexicon inherits every
 * guard given to an entry "aggressive". Only candidates pay for the key. */
static int guarded(struct matcher *m, const struct cand *c)
{
    if (guard_index_hit(&m->guards, c->entry, m->s, m->tok, c->tfirst,
                        c->tend, 0))
        return 1;
    if (!m->senses.npools || c->tend <= c->tfirst)
        return 0;
    buf_clear(&m->key);
    for (size_t t = c->tfirst; t < c->tend; t++)
        buf_append(&m->key, m->s + m->tok->v[t].start,
                   m->tok->v[t].end - m->tok->v[t].start);
    size_t n;
    const uint32_t *v = senses_of(&m->senses, m->key.p, m->key.len, &n);
    for (size_t i = 0; i < n; i++)
        if (v[i] != c->entry &&
            guard_index_hit(&m->guards, v[i], m->s, m->tok, c->tfirst,
                            c->tend, 1))
            return 1;
    return 0;
}

/* ======================= Negation ======================================== */

/* Negators. A hit is negated when one of these words occurs within
 * NEGATION_WINDOW (3) words before its first word, with no sentence or
 * clause break (. ! ? ; : or a blank line) in between; words inside the hit
 * do not count. The text is normalized first, so "Isn’t" arrives here as
 * "isn't".
 *
 *   not no never isn't wasn't aren't weren't don't doesn't didn't cannot
 *   can't won't wouldn't shouldn't hardly without nor neither nothing
 *   nobody
 *
 * Pseudo-negations do not negate: "not only", "no doubt", "without doubt",
 * "without a doubt" ("not only confident but ..." praises), "nothing but",
 * "nothing short of", "nothing less than". */
#define NEG(w) {w, sizeof w - 1}
static const struct {
    const char *w;
    size_t n;
} negators[] = {
    NEG("not"),     NEG("no"),      NEG("never"),    NEG("isn't"),
    NEG("wasn't"),  NEG("aren't"),  NEG("weren't"),  NEG("don't"),
    NEG("doesn't"), NEG("didn't"),  NEG("cannot"),   NEG("can't"),
    NEG("won't"),   NEG("wouldn't"), NEG("shouldn't"), NEG("hardly"),
    NEG("without"), NEG("nor"),     NEG("neither"),  NEG("nothing"),
    NEG("nobody"),
};
#undef NEG

static const char *const pseudo_neg[][4] = {
    {"not", "only", NULL, NULL},
    {"no", "doubt", NULL, NULL},
    {"without", "doubt", NULL, NULL},
    {"without", "a", "doubt", NULL},
    {"nothing", "but", NULL, NULL},
    {"nothing", "short", NULL, NULL},
    {"nothing", "less", NULL, NULL},
};

/* Words that open another clause: a negation before one does not reach
 * past it ("not confident when leading codes", "not only X but Y"). "and"
 * and "or" are not among them: "not rude or abrasive" negates both. */
static const char *const clause_openers[] = {
    "but", "when", "whenever", "while", "because", "although", "though",
    "whereas", "if", "since", "until", "unless",
};

#define NOPENERS (sizeof clause_openers / sizeof *clause_openers)
#define NNEGATORS (sizeof negators / sizeof *negators)

/* Clause openers (W_OPENER) and negators (W_NEGATOR) in one wordtab:
 * negated() asks about every word of its window before every hit, so one
 * probe a word beats scans of the two lists. */
enum { W_OPENER = 1, W_NEGATOR = 2 };
static pthread_once_t openers_once = PTHREAD_ONCE_INIT;
static struct wordtab openers_tab;

static void build_openers(void)
{
    const char *w[NOPENERS + NNEGATORS];
    uint32_t v[NOPENERS + NNEGATORS];
    for (size_t i = 0; i < NOPENERS; i++) {
        w[i] = clause_openers[i];
        v[i] = W_OPENER;
    }
    for (size_t i = 0; i < NNEGATORS; i++) {
        w[NOPENERS + i] = negators[i].w;
        v[NOPENERS + i] = W_NEGATOR;
    }
    (void)wordtab_build(&openers_tab, w, v, NOPENERS + NNEGATORS);
}

/* W_OPENER | W_NEGATOR of token k's word (matcher_find built the table). */
static uint32_t neg_class(const struct matcher *m, size_t k)
{
    const struct token *t = &m->tok->v[k];
    return wordtab_get(&openers_tab, m->s + t->start, t->end - t->start,
                       m->len - t->start);
}

int match_is_negator(const char *w, size_t n)
{
    /* Every negator is 2..9 bytes and starts with one of a c d h i n s w:
     * most words are ruled out before any comparison. */
    if (n < 2 || n > 9)
        return 0;
    static const uint32_t first =
        1u << ('a' - 'a') | 1u << ('c' - 'a') | 1u << ('d' - 'a') |
        1u << ('h' - 'a') | 1u << ('i' - 'a') | 1u << ('n' - 'a') |
        1u << ('s' - 'a') | 1u << ('w' - 'a');
    unsigned char c = (unsigned char)w[0];
    if (c < 'a' || c > 'z' || !((first >> (c - 'a')) & 1))
        return 0;
    pthread_once(&openers_once, build_openers);
    return (wordtab_get(&openers_tab, w, n, n) & W_NEGATOR) != 0;
}

/* Does a pseudo-negation start at token k? */
static int pseudo_negation(const struct matcher *m, size_t k)
{
    for (size_t p = 0; p < sizeof pseudo_neg / sizeof pseudo_neg[0]; p++) {
        size_t i = 0;
        while (pseudo_neg[p][i] && k + i < m->tok->n &&
               !(i && brk(m->tok, k + i)) &&
               word_is(m, k + i, pseudo_neg[p][i], 0))
            i++;
        if (!pseudo_neg[p][i])
            return 1;
    }
    return 0;
}

/* The window counts words, not tokens: the parts of a hyphenated word
 * before the hit ("not over-emotional") are one word between them. */
static int negated(const struct matcher *m, size_t first)
{
    const struct tokens *tk = m->tok;
    size_t words = 0;
    for (size_t k = first; k-- > 0;) {
        if (brk(tk, k + 1)) /* a break between word k and the hit */
            return 0;
        uint32_t cls = neg_class(m, k);
        if (cls & W_OPENER)
            return 0;
        if (!(tk->v[k + 1].flags & TOK_JOINED) && ++words > NEGATION_WINDOW)
            return 0;
        if ((cls & W_NEGATOR) && !pseudo_negation(m, k))
            return 1;
    }
    return 0;
}

/* ======================= Hyphenated words ================================ */

/* The hyphenated word holding token t: tokens [*ws, *we). */
static void word_of(const struct tokens *tk, size_t t, size_t *ws, size_t *we)
{
    size_t a = t, b = t + 1;
    while (a > 0 && (tk->v[a].flags & TOK_JOINED))
        a--;
    while (b < tk->n && (tk->v[b].flags & TOK_JOINED))
        b++;
    *ws = a;
    *we = b;
}

/* Is candidate c a part match: inside one hyphenated word without covering
 * all of it? On yes, *ws is that word's first token. A phrase that reaches
 * out of the word ("needs to be more" in "needs to be more-confident") is
 * not a part match. */
static int part_match(const struct tokens *tk, const struct cand *c,
                      size_t *ws)
{
    if (c->tend <= c->tfirst || !(tk->v[c->tfirst].flags & TOK_HYPHEN))
        return 0;
    size_t we;
    word_of(tk, c->tfirst, ws, &we);
    return c->tend <= we && (c->tfirst > *ws || c->tend < we);
}

/* README rule 3: a part of a hyphenated word ("confident" in
 * "over-confident") is matched on its own only when no candidate, of any
 * lexicon, covers the whole word (the entry "over-confident"), so a compound whose
 * meaning is its own is not also counted as its parts. Runs before the
 * guards, so a guarded whole word still keeps its parts out. Costs nothing
 * on text without hyphens. */
static void drop_shadowed_parts(struct matcher *m)
{
    const struct tokens *tk = m->tok;
    int any = 0;
    for (size_t i = 0; i < m->nc && !any; i++) {
        const struct cand *c = &m->c[i];
        any = c->tend > c->tfirst &&
              ((tk->v[c->tfirst].flags | tk->v[c->tend - 1].flags) &
               TOK_HYPHEN);
    }
    if (!any)
        return;
    grow(&m->whole, &m->wholecap, tk->n, 1);
    memset(m->whole, 0, tk->n);
    for (size_t i = 0; i < m->nc; i++) {
        const struct cand *c = &m->c[i];
        for (size_t t = c->tfirst; t < c->tend; t++) {
            if (!(tk->v[t].flags & TOK_HYPHEN) ||
                (tk->v[t].flags & TOK_JOINED))
                continue;          /* only hyphenated words' first parts */
            size_t ws, we;
            word_of(tk, t, &ws, &we);
            if (c->tend >= we)
                m->whole[ws] = 1;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < m->nc; i++) {
        const struct cand *c = &m->c[i];
        size_t ws;
        if (part_match(tk, c, &ws) && m->whole[ws])
            continue;
        m->c[k++] = *c;
    }
    m->nc = k;
}

/* ======================= Referent ======================================== */

/* Whom the hit describes (referent.h), and the category's keys: a
 * referent=exempt category keeps hits about others, a negation=deficit
 * category counts negated forms. The field is analysed once, at its first
 * hit, so fields without hits cost nothing here. */
static void judge(struct matcher *m, struct hit *h, const struct cand *c,
                  int first_hit)
{
    const struct lex_category *cat =
        &m->set->categories[m->set->entries[c->entry].category];
    if (first_hit)
        referent_prepare_classes(&m->ref, m->s, m->len, m->tok, m->tref);
    struct referent r = referent_of(&m->ref, c->tfirst, c->tend);
    if (r.kind == REF_OTHER && cat->referent_exempt)
        r = (struct referent){REF_RESIDENT, ""};
    h->aside = (uint8_t)r.kind;
    h->why = r.why;
    if (cat->negation_deficit)
        h->negated = 0;
}

/* ======================= Selection ======================================= */

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end) /* longer first */
        return x->end > y->end ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

int matcher_find(matcher *m, const char *s, size_t len,
                 const struct tokens *tok, struct hits *out,
                 struct diag *err)
{
    out->n = 0;
    m->nc = 0;
    pthread_once(&openers_once, build_openers);
    if (len > UINT32_MAX) {
        diag_set(err, DIAG_ERROR, NULL, 0, 0,
                 "text of %zu bytes is too long to match", len);
        return -1;
    }
    m->s = s;
    m->len = len;
    m->tok = tok;

    /* One table lookup per word; the walks then read its edges. */
    word_table_room(&m->words, tok->n, len);
    grow(&m->tw, &m->twcap, tok->n ? tok->n : 1, sizeof *m->tw);
    grow(&m->tref, &m->trefcap, tok->n ? tok->n : 1, sizeof *m->tref);
    for (size_t i = 0; i < tok->n; i++)
        resolve_word(m, s + tok->v[i].start, tok->v[i].end - tok->v[i].start,
                     len - tok->v[i].start, &m->tw[i], &m->tref[i]);
    grow(&m->intens, &m->intcap, tok->n ? tok->n : 1, 1);
    memset(m->intens, 0, tok->n);
    const struct tnode *root = &m->nodes[0];
    for (size_t i = 0; i < tok->n; i++) {
        const struct token *t = &tok->v[i];
        if (!m->tw[i].nroot &&
            !((t->flags & TOK_HYPHEN) && i + 1 < tok->n &&
              (tok->v[i + 1].flags & TOK_JOINED))) {
            /* Most words start nothing: walk() would only count the
             * lookups (it tries no glued form here, and no intensifier
             * before an entry's first word). */
            if (root->out_stem)
                m->stats.lookups += stems_le(m, t->end - t->start);
            if (root->out_exact)
                m->stats.lookups++;
            continue;
        }
        walk(m, 0, i, i, 0, 0);
    }
    int utf_checked = 0, have_pieces = 0;
    memcpy(m->run, m->always, m->nrunw * sizeof *m->run);
    if (m->nlits)
        literals_scan(m, s, len);
    for (size_t w = 0; w < m->nrunw; w++) {
        for (uint64_t bits = m->run[w]; bits; bits &= bits - 1) {
            size_t r = w * 64 + (size_t)__builtin_ctzll(bits);
            const struct rx *x = &m->rx[r];
            if (x->anchored) {
                /* marked: some start literal of it is here */
                if (!have_pieces++)
                    rx_pieces(m, len);
                if (run_regex_at(m, x, m->spos + m->sfirst[r],
                                 m->sfirst[r + 1] - m->sfirst[r],
                                 &utf_checked, err) < 0)
                    return -1;
                continue;
            }
            /* marked and not always: its required literal is present */
            if (((m->always[w] >> (r % 64)) & 1) && x->litlen &&
                !has_literal(x, s, len))
                continue;
            if (!have_pieces++)
                rx_pieces(m, len);
            if (run_regex(m, x, len, &utf_checked, err) < 0)
                return -1;
        }
    }

    drop_shadowed_parts(m);
    /* Guards first, so a guarded candidate cannot shadow a shorter one. */
    size_t k = 0;
    for (size_t i = 0; i < m->nc; i++)
        if (!guarded(m, &m->c[i]))
            m->c[k++] = m->c[i];
    m->nc = k;
    if (m->nc > 1)
        qsort(m->c, m->nc, sizeof *m->c, cmp_cand);

    /* Each lexicon answers its own question, so hits overlap only across
     * lexicons: "assertive" may be a hit of a confidence lexicon and of an
     * agentic one. Within a lexicon, kept hits are sorted and disjoint, so
     * a candidate overlaps one exactly when it starts before the lexicon's
     * last kept hit ends. */
    memset(m->last_end, 0, m->set->nlexicons * sizeof *m->last_end);
    for (size_t i = 0; i < m->nc; i++) {
        const struct cand *c = &m->c[i];
        uint32_t lex = m->set->entries[c->entry].lexicon;
        if (c->start < m->last_end[lex])
            continue;
        grow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
        struct hit *h = &out->v[out->n++];
        h->entry = c->entry;
        h->start = c->start;
        h->end = c->end;
        h->negated = (uint8_t)(negated(m, c->tfirst) ||
                               negation_reaches(s, tok, c->tfirst));
        m->last_end[lex] = c->end;
        judge(m, h, c, out->n == 1);
    }
    return 0;
}
