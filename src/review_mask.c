/* review_mask.c - what the review packet hides (see review.h, "Masking"):
 * names in every spelling the matcher would see as one, and gendered
 * pronouns, honorifics and kin terms.
 *
 * Approach. The text is normalized as the lexicons' matcher does
 * (normalize.h: NFKC, case folding, default-ignorables removed, curly
 * apostrophes and hyphens to ASCII), after taking out U+200B ZERO WIDTH
 * SPACE, which normalize() reads as a word break but which inside a name
 * ("Jes<ZWSP>sica") only hides it. Words are then looked up with their
 * marks stripped too ("Zoe" = "Zoë"), and every masked word maps back to
 * the original bytes through the two offset maps: the output is the
 * original text with only the masked words replaced. */
#include "review.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "normalize.h"

struct review_masker {
    struct strmap words;   /* name word key -> index in labels */
    struct strvec keys;    /* the same keys, for the e-mail scan */
    struct strvec labels;  /* "[resident]", or a pseudonym */
    struct strmap label_idx; /* label -> index in labels */
    struct strmap gendered;/* gendered word -> index in repl[] */
    int mask_gendered;
};

/* Gendered words and what replaces them. Pronouns, honorifics and kin (and
 * the plain person nouns "man", "woman" ...), singular and plural. */
static const char *const gendered_words[][2] = {
    {"he", "[they]"}, {"she", "[they]"}, {"him", "[them]"},
    {"her", "[them/their]"}, {"his", "[their]"}, {"hers", "[theirs]"},
    {"himself", "[themself]"}, {"herself", "[themself]"},
    {"mr", "[title]"}, {"mrs", "[title]"}, {"ms", "[title]"},
    {"miss", "[title]"}, {"mister", "[title]"}, {"madam", "[title]"},
    {"madame", "[title]"}, {"sir", "[title]"}, {"ma'am", "[title]"},
    {"husband", "[partner]"}, {"wife", "[partner]"},
    {"husbands", "[partners]"}, {"wives", "[partners]"},
    {"boyfriend", "[partner]"}, {"girlfriend", "[partner]"},
    {"fiance", "[partner]"}, {"fiancee", "[partner]"},
    {"son", "[child]"}, {"daughter", "[child]"},
    {"sons", "[children]"}, {"daughters", "[children]"},
    {"mother", "[parent]"}, {"father", "[parent]"},
    {"mothers", "[parents]"}, {"fathers", "[parents]"},
    {"mom", "[parent]"}, {"mum", "[parent]"}, {"dad", "[parent]"},
    {"mommy", "[parent]"}, {"daddy", "[parent]"},
    {"brother", "[sibling]"}, {"sister", "[sibling]"},
    {"brothers", "[siblings]"}, {"sisters", "[siblings]"},
    {"uncle", "[relative]"}, {"aunt", "[relative]"},
    {"nephew", "[relative]"}, {"niece", "[relative]"},
    {"grandmother", "[grandparent]"}, {"grandfather", "[grandparent]"},
    {"grandson", "[grandchild]"}, {"granddaughter", "[grandchild]"},
    {"stepmother", "[parent]"}, {"stepfather", "[parent]"},
    {"man", "[person]"}, {"woman", "[person]"}, {"men", "[people]"},
    {"women", "[people]"}, {"boy", "[person]"}, {"girl", "[person]"},
    {"gentleman", "[person]"}, {"lady", "[person]"},
    {"gentlemen", "[people]"}, {"ladies", "[people]"},
    {"maternity", "[parental]"}, {"paternity", "[parental]"},
};
#define NGENDERED (sizeof gendered_words / sizeof *gendered_words)

/* Titles and degrees are not names on their own. */
static int is_title(const char *w, size_t n)
{
    static const char *const titles[] = {"dr", "md", "do", "mr", "mrs", "ms",
                                         "mx", "jr", "sr", "phd", "ii", "iii",
                                         "iv", "rn", "np", "pa", "miss", NULL};
    for (size_t i = 0; titles[i]; i++)
        if (strlen(titles[i]) == n && memcmp(titles[i], w, n) == 0)
            return 1;
    return 0;
}

/* Length of the word at s: letters, marks and digits (utf8proc categories),
 * 0 when s does not start one. */
static size_t word_len(const char *str, size_t n)
{
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)str;
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i),
                                              &cp);
        if (k <= 0)
            break;
        utf8proc_category_t c = utf8proc_category(cp);
        int word = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND) ||
                   c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
        if (!word)
            break;
        i += (size_t)k;
    }
    return i;
}

static size_t char_len(const char *s, size_t n)
{
    size_t i = 1;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* A normalized word's lookup key in key: its marks stripped ("zoë" ->
 * "zoe"). ASCII words are their own key. */
static void word_key(struct buf *key, const char *w, size_t n)
{
    buf_clear(key);
    size_t i = 0;
    while (i < n && !((unsigned char)w[i] & 0x80))
        i++;
    if (i == n) {
        buf_append(key, w, n);
        buf_cstr(key);
        return;
    }
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)w,
                                      (utf8proc_ssize_t)n, &out,
                                      UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK);
    if (r >= 0)
        buf_append(key, out, (size_t)r);
    else
        buf_append(key, w, n);
    free(out);
    buf_cstr(key);
}

review_masker *review_masker_new(void)
{
    review_masker *m = xcalloc(1, sizeof *m);
    strmap_init(&m->words);
    strmap_init(&m->gendered);
    strmap_init(&m->label_idx);
    m->mask_gendered = 1;
    for (size_t i = 0; i < NGENDERED; i++) {
        int added;
        strmap_put(&m->gendered, gendered_words[i][0],
                   strlen(gendered_words[i][0]), i, &added);
    }
    return m;
}

void review_masker_free(review_masker *m)
{
    if (!m)
        return;
    strmap_fini(&m->words);
    strmap_fini(&m->gendered);
    strmap_fini(&m->label_idx);
    strvec_fini(&m->keys);
    strvec_fini(&m->labels);
    free(m);
}

void review_masker_gendered(review_masker *m, int on)
{
    m->mask_gendered = on;
}

static void add_key(review_masker *m, const char *k, size_t n, size_t label)
{
    /* One letter is an initial, not a name; titles are not names. */
    if (utf8_count(k, n) < 2 || is_title(k, n))
        return;
    int added;
    strmap_put(&m->words, k, n, label, &added);
    if (added) {
        char *s = xstrndup(k, n);
        strvec_push(&m->keys, s);
        free(s);
    }
}

void review_masker_add(review_masker *m, const char *name, const char *label)
{
    int added;
    size_t li = *strmap_put(&m->label_idx, label, strlen(label),
                            m->labels.n, &added);
    if (added)
        strvec_push(&m->labels, label);
    char *norm = normalize_dup(name, strlen(name));
    size_t n = strlen(norm);
    struct buf key, joined;
    buf_init(&key);
    buf_init(&joined);
    /* Each word; and the words joined across a hyphen or an apostrophe
     * ("Mensah-Osei" -> "mensahosei", "O'Brien" -> "obrien"), as a writer
     * may drop the sign. */
    int chain = 0;
    for (size_t i = 0; i < n;) {
        size_t w = word_len(norm + i, n - i);
        if (!w) {
            if (norm[i] != '-' && norm[i] != '\'') {
                if (chain > 1)
                    add_key(m, joined.p, joined.len, li);
                buf_clear(&joined);
                chain = 0;
            }
            i += char_len(norm + i, n - i);
            continue;
        }
        word_key(&key, norm + i, w);
        add_key(m, key.p, key.len, li);
        buf_append(&joined, key.p, key.len);
        chain++;
        i += w;
    }
    if (chain > 1)
        add_key(m, joined.p, joined.len, li);
    buf_fini(&key);
    buf_fini(&joined);
    free(norm);
}

/* ============================================================== masking */

/* One replacement, in original byte offsets. */
struct span {
    size_t s, e;
    const char *label;
    int name;
};

struct spans {
    struct span *v;
    size_t n, cap;
};

/* Only white space, hyphens and apostrophes (and ignorables) between a
 * and b in the original: two masked words there are one name. */
static int joins(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '-' || c == '\'' || c == '\t')
            continue;
        if (c >= 0x80) { /* U+2019 U+2010 U+2011 U+00A0 U+200B */
            if (i + 3 <= b && (memcmp(s + i, "\xE2\x80\x99", 3) == 0 ||
                               memcmp(s + i, "\xE2\x80\x90", 3) == 0 ||
                               memcmp(s + i, "\xE2\x80\x91", 3) == 0 ||
                               memcmp(s + i, "\xE2\x80\x8B", 3) == 0)) {
                i += 2;
                continue;
            }
            if (i + 2 <= b && memcmp(s + i, "\xC2\xA0", 2) == 0) {
                i += 1;
                continue;
            }
        }
        return 0;
    }
    return 1;
}

static void push(struct spans *sp, const char *orig, size_t s, size_t e,
                 const char *label, int name)
{
    if (name && sp->n) {
        struct span *l = &sp->v[sp->n - 1];
        if (l->name && l->label == label && l->e <= s && joins(orig, l->e, s)) {
            l->e = e;
            return;
        }
    }
    grow(&sp->v, &sp->cap, sp->n + 1, sizeof *sp->v);
    sp->v[sp->n++] = (struct span){s, e, label, name};
}

/* The label of the name word that the e-mail local part loc[0..n) holds
 * (an ASCII-folded run such as "jessica.mensah" or "jmensah"), or NULL. */
static const char *email_name(const review_masker *m, const char *loc,
                              size_t n)
{
    for (size_t i = 0; i < m->keys.n; i++) {
        const char *k = m->keys.v[i];
        size_t kl = strlen(k);
        if (kl < 3 || kl > n)
            continue;
        for (size_t j = 0; j + kl <= n; j++)
            if (memcmp(loc + j, k, kl) == 0)
                return m->labels.v[*strmap_get(&m->words, k, kl)];
    }
    return NULL;
}

static int email_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '%' || c == '+' || c == '-';
}

void review_mask_ex(const review_masker *m, const char *s, size_t n,
                    int flags, struct buf *out)
{
    /* U+200B out, with a map back to s. */
    struct buf st;
    buf_init(&st);
    size_t *map1 = xmalloc((n + 1) * sizeof *map1);
    for (size_t i = 0; i < n;) {
        if (i + 3 <= n && memcmp(s + i, "\xE2\x80\x8B", 3) == 0) {
            i += 3;
            continue;
        }
        map1[st.len] = i;
        buf_putc(&st, s[i]);
        i++;
    }
    map1[st.len] = n;
    struct normtext nt;
    normtext_init(&nt);
    normalize(&nt, st.p ? st.p : "", st.len);
    const char *t = nt.s;
    size_t tn = nt.len;
#define ORIG(k) map1[nt.map[(k)]]
    struct spans sp = {0};
    struct buf key;
    buf_init(&key);
    int gendered = m->mask_gendered && !(flags & REVIEW_MASK_NAMES_ONLY);
    for (size_t i = 0; i < tn;) {
        size_t w = word_len(t + i, tn - i);
        if (!w) {
            i += char_len(t + i, tn - i);
            continue;
        }
        /* An e-mail address: a local part, '@', a domain. */
        size_t j = i;
        while (j < tn && email_char((unsigned char)t[j]))
            j++;
        if (j < tn && t[j] == '@' && j + 1 < tn &&
            word_len(t + j + 1, tn - j - 1)) {
            const char *label = email_name(m, t + i, j - i);
            if (label)
                push(&sp, s, ORIG(i), ORIG(j), label, 0);
            i = j + 1;
            while (i < tn && (email_char((unsigned char)t[i])))
                i++;
            continue;
        }
        word_key(&key, t + i, w);
        size_t *li = m->words.n ? strmap_get(&m->words, key.p, key.len)
                                : NULL;
        size_t ws = i;
        /* "O'Brien": an initial and an apostrophe before a name are part
         * of it. */
        if (li && i >= 2 && t[i - 1] == '\'' && isalpha((unsigned char)t[i - 2]) &&
            (i == 2 || !isalnum((unsigned char)t[i - 3])))
            ws = i - 2;
        if (li) {
            push(&sp, s, ORIG(ws), ORIG(i + w), m->labels.v[*li], 1);
        } else if (gendered) {
            size_t *g = strmap_get(&m->gendered, key.p, key.len);
            /* "ma'am" is one gendered word across its apostrophe */
            if (!g && key.len == 2 && memcmp(key.p, "ma", 2) == 0 &&
                i + w + 2 < tn + 1 && t[i + w] == '\'' &&
                i + w + 3 <= tn && memcmp(t + i + w + 1, "am", 2) == 0 &&
                word_len(t + i + w + 1, tn - i - w - 1) == 2) {
                push(&sp, s, ORIG(i), ORIG(i + w + 3), "[title]", 0);
                i += w + 3;
                continue;
            }
            if (g)
                push(&sp, s, ORIG(i), ORIG(i + w), gendered_words[*g][1], 0);
        }
        i += w;
    }
#undef ORIG
    size_t prev = 0;
    for (size_t k = 0; k < sp.n; k++) {
        if (sp.v[k].s < prev)
            continue;
        buf_append(out, s + prev, sp.v[k].s - prev);
        buf_puts(out, sp.v[k].label);
        prev = sp.v[k].e;
    }
    buf_append(out, s + prev, n - prev);
    free(sp.v);
    buf_fini(&key);
    normtext_fini(&nt);
    free(map1);
    buf_fini(&st);
}

void review_mask(const review_masker *m, const char *s, size_t n,
                 struct buf *out)
{
    review_mask_ex(m, s, n, 0, out);
}

int review_is_gendered(const review_masker *m, const char *s, size_t n)
{
    char *norm = normalize_dup(s, n);
    size_t tn = strlen(norm);
    struct buf key;
    buf_init(&key);
    int found = 0;
    for (size_t i = 0; i < tn && !found;) {
        size_t w = word_len(norm + i, tn - i);
        if (!w) {
            i += char_len(norm + i, tn - i);
            continue;
        }
        word_key(&key, norm + i, w);
        found = strmap_get(&m->gendered, key.p, key.len) != NULL ||
                (key.len == 2 && memcmp(key.p, "ma", 2) == 0 &&
                 i + 5 <= tn && memcmp(norm + i + 2, "'am", 3) == 0);
        i += w;
    }
    buf_fini(&key);
    free(norm);
    return found;
}
