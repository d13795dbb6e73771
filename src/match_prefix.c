/* match_prefix.c - the literal strings a PCRE2 pattern's matches start with
 * (see match_prefix.h).
 *
 * A recursive reading of the pattern keeps a set of strings, each "open"
 * (the next item the pattern consumes extends it) or "closed" (what comes
 * next is not known, so the string stops there). Closing is always safe:
 * a string that stops early is still a prefix of every match it stands
 * for. The readings that must be exact are appending (an item the pattern
 * always consumes next) and the alternatives of a group (all of them). */
#include "match_prefix.h"

#include <stdlib.h>
#include <string.h>

struct pstr {
    char s[RX_PREFIX_LEN];
    unsigned char len, closed;
};

struct pset {
    struct pstr v[RX_PREFIX_MAX];
    size_t n;
};

struct rd {
    const char *p;
    size_t i;
    int fail;     /* gave up */
    int wb;       /* a \b before anything consumed, at the top level */
    int lbnw;     /* such a lookbehind ending in an ASCII non-word char */
    int consumed; /* the top level has consumed something */
};

#define MAX_DEPTH 16

static void alts(struct rd *r, struct pset *out, int depth);

static void close_all(struct pset *s)
{
    for (size_t k = 0; k < s->n; k++)
        s->v[k].closed = 1;
}

size_t regex_class_end(const char *p, size_t i)
{
    i++;
    if (p[i] == '^')
        i++;
    if (p[i] == ']')
        i++;
    while (p[i] && p[i] != ']') {
        if (p[i] == '\\' && p[i + 1])
            i++;
        else if (p[i] == '[' && p[i + 1] == ':') {
            const char *e = strstr(p + i, ":]");
            if (!e)
                return 0;
            i = (size_t)(e - p) + 1;
        }
        i++;
    }
    return p[i] ? i + 1 : 0;
}

/* Skip a class [...] starting at r->i. */
static void skip_class(struct rd *r)
{
    size_t e = regex_class_end(r->p, r->i);
    if (e)
        r->i = e;
    else
        r->fail = 1;
}

/* Skip a lookaround "(?=...)" starting at r->i, nested groups and classes
 * included: it consumes nothing. */
static void skip_group(struct rd *r)
{
    const char *p = r->p;
    int depth = 0;
    do {
        if (p[r->i] == '\\') {
            if (!p[r->i + 1]) {
                r->fail = 1;
                return;
            }
            r->i += 2;
            continue;
        }
        if (p[r->i] == '[') {
            skip_class(r);
            if (r->fail)
                return;
            continue;
        }
        if (p[r->i] == '(')
            depth++;
        else if (p[r->i] == ')')
            depth--;
        r->i++;
    } while (p[r->i] && depth > 0);
    if (depth > 0)
        r->fail = 1;
}

/* A quantifier at r->i: consumed, *min set (its least repetition count).
 * Returns 0 when there is none. */
static int quantifier(struct rd *r, unsigned long *min)
{
    const char *p = r->p;
    size_t i = r->i;
    if (p[i] == '?' || p[i] == '*') {
        *min = 0;
        i++;
    } else if (p[i] == '+') {
        *min = 1;
        i++;
    } else if (p[i] == '{') {
        size_t k = i + 1;
        unsigned long lo = 0;
        while (p[k] >= '0' && p[k] <= '9') {
            lo = lo * 10 + (unsigned long)(p[k] - '0');
            if (lo > 100000)
                lo = 100000;
            k++;
        }
        if (p[k] == ',') {
            k++;
            while (p[k] >= '0' && p[k] <= '9')
                k++;
        }
        if (p[k] != '}')
            return 0;  /* a literal '{': the caller gives up on it */
        *min = lo;     /* "{,n}" (PCRE2 10.43) reads as min 0: safe */
        i = k + 1;
    } else {
        return 0;
    }
    if (p[i] == '?' || p[i] == '+')
        i++;           /* lazy or possessive: the same strings */
    r->i = i;
    return 1;
}

static int ascii_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

/* Does every alternative of the lookbehind body b[0..n) end with a plain
 * ASCII character that is not a word character ("\bher |\bhis ")? Only
 * bodies without groups or classes are read. */
static int lookbehind_nonword(const char *b, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (b[i] == '(' || b[i] == '[' || b[i] == ')' || b[i] == ']')
            return 0;
    size_t end = 0, i = 0;
    for (;;) {
        while (i < n && b[i] != '|')
            i += b[i] == '\\' ? 2 : 1; /* an escaped '|' is no bar */
        if (i > n)
            return 0;       /* a trailing lone backslash */
        /* alternative b[end..i) */
        if (i == end)
            return 0;
        unsigned char c = (unsigned char)b[i - 1];
        if (c >= 0x80 || c < 0x20 || ascii_word(c) ||
            strchr("\\^$.|?*+{}", c) || (i - end >= 2 && b[i - 2] == '\\'))
            return 0;
        if (i == n)
            return 1;
        end = ++i;
    }
}

enum atom { A_ZW, A_STOP, A_CHAR, A_GROUP };

/* One sequence (an alternative) into set, up to '|', ')' or the end. */
static void seq(struct rd *r, struct pset *set, int depth)
{
    const char *p = r->p;
    set->n = 1;
    set->v[0].len = 0;
    set->v[0].closed = 0;
    while (!r->fail && p[r->i] && p[r->i] != '|' && p[r->i] != ')') {
        unsigned char c = (unsigned char)p[r->i];
        enum atom a = A_STOP;
        char ch = 0;
        struct pset *g = NULL;
        if (c == '^' || c == '$') {
            a = A_ZW;
            r->i++;
        } else if (c == '\\') {
            unsigned char e = (unsigned char)p[r->i + 1];
            r->i += 2;
            if (e == 'b') {
                a = A_ZW;
                if (depth == 0 && !r->consumed)
                    r->wb = 1;
            } else if (e && strchr("BAzZ", e)) {
                a = A_ZW;
            } else if (e && strchr("dDwWsShHvVRX", e)) {
                a = A_STOP;
            } else if (e && e < 0x80 && !((e >= 'a' && e <= 'z') ||
                                         (e >= 'A' && e <= 'Z') ||
                                         (e >= '0' && e <= '9'))) {
                a = e >= 0x20 && e < 0x7f ? A_CHAR : A_STOP;
                ch = (char)e;
            } else {
                r->fail = 1; /* \x \p \N \1 \k \g ...: not read */
                return;
            }
        } else if (c == '[') {
            skip_class(r);
            a = A_STOP;
        } else if (c == '.') {
            a = A_STOP;
            r->i++;
        } else if (c == '(') {
            if (p[r->i + 1] == '?' &&
                (p[r->i + 2] == '=' || p[r->i + 2] == '!' ||
                 (p[r->i + 2] == '<' &&
                  (p[r->i + 3] == '=' || p[r->i + 3] == '!')))) {
                size_t from = r->i;
                skip_group(r);
                a = A_ZW;
                if (!r->fail && depth == 0 && !r->consumed &&
                    p[from + 2] == '<' && p[from + 3] == '=' &&
                    lookbehind_nonword(p + from + 4, r->i - 1 - (from + 4)))
                    r->lbnw = 1;
            } else if (p[r->i + 1] == '?' &&
                       (p[r->i + 2] == ':' || p[r->i + 2] == '>')) {
                r->i += 3;
                a = A_GROUP;
            } else if (p[r->i + 1] != '?' && p[r->i + 1] != '*') {
                r->i += 1;
                a = A_GROUP;
            } else {
                r->fail = 1; /* named groups, options, verbs ... */
                return;
            }
            if (a == A_GROUP) {
                if (depth + 1 > MAX_DEPTH) {
                    r->fail = 1;
                    return;
                }
                g = xmalloc(sizeof *g);
                alts(r, g, depth + 1);
                if (!r->fail && p[r->i] != ')')
                    r->fail = 1;
                r->i++;
                if (r->fail) {
                    free(g);
                    return;
                }
            }
        } else if (c == '*' || c == '+' || c == '?' || c == '{') {
            r->fail = 1;     /* a quantifier with nothing to repeat */
            return;
        } else if (c >= 0x80) {
            r->i++;          /* one UTF-8 character: not folded here */
            while (((unsigned char)p[r->i] & 0xC0) == 0x80)
                r->i++;
            a = A_STOP;
        } else {
            r->i++;
            if (c >= 0x20 && c < 0x7f && c != ']' && c != '}' && c != '#') {
                a = A_CHAR;
                ch = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            }
        }
        if (r->fail) {
            free(g);
            return;
        }
        unsigned long min = 1;
        int q = quantifier(r, &min);
        if (depth == 0 && a != A_ZW)
            r->consumed = 1;
        if (a == A_ZW)
            continue;
        if (a == A_STOP || min == 0) {
            close_all(set);
            free(g);
            continue;
        }
        if (a == A_CHAR) {
            for (size_t k = 0; k < set->n; k++) {
                struct pstr *s = &set->v[k];
                if (s->closed)
                    continue;
                if (s->len < RX_PREFIX_LEN)
                    s->s[s->len++] = ch;
                else
                    s->closed = 1;
            }
        } else {
            /* Every open string times every alternative of the group. */
            struct pset *n = xmalloc(sizeof *n);
            n->n = 0;
            for (size_t k = 0; k < set->n && !r->fail; k++) {
                const struct pstr *s = &set->v[k];
                size_t ng = s->closed ? 1 : g->n;
                for (size_t j = 0; j < ng; j++) {
                    if (n->n == RX_PREFIX_MAX) {
                        r->fail = 1;
                        break;
                    }
                    struct pstr *t = &n->v[n->n++];
                    *t = *s;
                    if (s->closed)
                        continue;
                    const struct pstr *x = &g->v[j];
                    size_t take = x->len;
                    if (t->len + take > RX_PREFIX_LEN)
                        take = RX_PREFIX_LEN - t->len;
                    memcpy(t->s + t->len, x->s, take);
                    t->len = (unsigned char)(t->len + take);
                    t->closed = x->closed || take < x->len;
                }
            }
            *set = *n;
            free(n);
            free(g);
        }
        if (q)
            close_all(set); /* repeated: what follows is not known */
    }
}

static void alts(struct rd *r, struct pset *out, int depth)
{
    struct pset *one = xmalloc(sizeof *one);
    size_t nalt = 0;
    out->n = 0;
    for (;;) {
        seq(r, one, depth);
        if (r->fail)
            break;
        nalt++;
        if (out->n + one->n > RX_PREFIX_MAX) {
            r->fail = 1;
            break;
        }
        memcpy(out->v + out->n, one->v, one->n * sizeof *one->v);
        out->n += one->n;
        if (r->p[r->i] != '|')
            break;
        r->i++;
    }
    if (depth == 0 && nalt > 1)
        r->wb = r->lbnw = 0; /* read for the first alternative only */
    free(one);
}

/* Constructs that change what the rest of the pattern means or where a
 * match starts, anywhere in the pattern: give up on them. */
static int unsafe(const char *p)
{
    for (size_t i = 0; p[i]; i++) {
        if (p[i] == '\\') {
            if (!p[i + 1] || strchr("KGQE", p[i + 1]))
                return 1;
            i++;
            continue;
        }
        if (p[i] == '(' && p[i + 1] == '*')
            return 1;
        if (p[i] == '(' && p[i + 1] == '?' &&
            !strchr(":=!<>", p[i + 2] ? p[i + 2] : 'x'))
            return 1; /* (?i) (?x) (?| (?# (?P ... */
        if (p[i] == '(' && p[i + 1] == '?' && p[i + 2] == '<' &&
            p[i + 3] != '=' && p[i + 3] != '!')
            return 1; /* (?<name> */
    }
    return 0;
}

static int cmp_pstr(const void *a, const void *b)
{
    const struct pstr *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    if (c)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

size_t rx_start_literals(const char *pattern, struct strvec *out,
                         int *word_start, int *after_nonword)
{
    *word_start = 0;
    *after_nonword = 0;
    if (!pattern || unsafe(pattern))
        return 0;
    struct rd r = {pattern, 0, 0, 0, 0, 0};
    struct pset *set = xmalloc(sizeof *set);
    alts(&r, set, 0);
    if (!r.fail && pattern[r.i] != '\0')
        r.fail = 1; /* an unmatched ')' */
    for (size_t k = 0; !r.fail && k < set->n; k++)
        if (set->v[k].len < 2)
            r.fail = 1;
    if (r.fail) {
        free(set);
        return 0;
    }
    /* Sorted, a string that has another as a prefix follows it: drop it,
     * so that at most one string of the set begins at any position. */
    qsort(set->v, set->n, sizeof *set->v, cmp_pstr);
    size_t added = 0;
    const struct pstr *last = NULL;
    for (size_t k = 0; k < set->n; k++) {
        const struct pstr *s = &set->v[k];
        if (last && last->len <= s->len &&
            memcmp(last->s, s->s, last->len) == 0)
            continue;
        char tmp[RX_PREFIX_LEN + 1];
        memcpy(tmp, s->s, s->len);
        tmp[s->len] = '\0';
        strvec_push(out, tmp);
        added++;
        last = s;
    }
    *word_start = r.wb;
    int all_word = 1;
    for (size_t k = 0; k < set->n; k++)
        all_word &= ascii_word((unsigned char)set->v[k].s[0]);
    *after_nonword = r.lbnw || (r.wb && all_word);
    free(set);
    return added;
}
