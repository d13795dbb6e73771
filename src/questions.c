/* questions.c - see questions.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "questions.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

void questions_init(struct questions *q)
{
    memset(q, 0, sizeof *q);
    strmap_init(&q->by_name);
}

void questions_fini(struct questions *q)
{
    strvec_fini(&q->names);
    for (size_t i = 0; i < q->npatterns; i++)
        pcre2_code_free(q->patterns[i]);
    free(q->patterns);
    strvec_fini(&q->pattern_src);
    for (size_t i = 0; i < q->nseen; i++) {
        free(q->seen[i].name);
        u64map_fini(&q->seen[i].distinct);
    }
    free(q->seen);
    strmap_fini(&q->by_name);
    strvec_fini(&q->chosen);
    memset(q, 0, sizeof *q);
}

static int add_one(struct questions *q, const char *s, size_t n,
                   const char *arg, struct diag *err)
{
    if (n == 0) {
        diag_set(err, DIAG_ERROR, NULL, 0, 0, "--questions \"%s\": an empty "
                 "question name", arg);
        return -1;
    }
    if (n >= 2 && s[0] == '/' && s[n - 1] == '/') {
        int ec;
        PCRE2_SIZE off;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)(s + 1), n - 2,
                                       PCRE2_UTF | PCRE2_CASELESS, &ec, &off,
                                       NULL);
        if (!re) {
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(ec, msg, sizeof msg);
            diag_set(err, DIAG_ERROR, NULL, 0, 0, "--questions %.*s: regex "
                     "error at offset %zu: %s", (int)n, s, (size_t)off,
                     (const char *)msg);
            return -1;
        }
        q->patterns = xrealloc(q->patterns,
                               (q->npatterns + 1) * sizeof *q->patterns);
        q->patterns[q->npatterns++] = re;
        char *src = xstrndup(s, n);
        strvec_push(&q->pattern_src, src);
        free(src);
        return 0;
    }
    char *name = xstrndup(s, n);
    strvec_push(&q->names, name);
    free(name);
    return 0;
}

int questions_add(struct questions *q, const char *arg, struct diag *err)
{
    q->given = 1;
    struct buf cur;
    buf_init(&cur);
    int rc = 0;
    for (const char *p = arg;; p++) {
        if (*p == '\\' && p[1] == ',') { /* "\," is a comma in a name */
            buf_putc(&cur, ',');
            p++;
            continue;
        }
        if (*p == ',' || *p == '\0') {
            rc = add_one(q, cur.p ? cur.p : "", cur.len, arg, err);
            buf_clear(&cur);
            if (rc < 0 || *p == '\0')
                break;
            continue;
        }
        buf_putc(&cur, *p);
    }
    buf_fini(&cur);
    return rc;
}

static int selected(const struct questions *q, const char *s, size_t n)
{
    for (size_t i = 0; i < q->names.n; i++)
        if (strlen(q->names.v[i]) == n && memcmp(q->names.v[i], s, n) == 0)
            return 1;
    for (size_t i = 0; i < q->npatterns; i++) {
        pcre2_match_data *md =
            pcre2_match_data_create_from_pattern(q->patterns[i], NULL);
        int rc = pcre2_match(q->patterns[i], (PCRE2_SPTR)s, n, 0, 0, md, NULL);
        pcre2_match_data_free(md);
        if (rc >= 0)
            return 1;
    }
    return 0;
}

int questions_is_comment(const struct questions *q, const char *question,
                         size_t len)
{
    if (q->given)
        return selected(q, question, len);
    size_t *k = strmap_get(&q->by_name, question, len);
    return k && q->seen[*k].comment;
}

int questions_is_rating(const char *s, size_t n, size_t *words)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]) &&
            (i == 0 || isspace((unsigned char)s[i - 1])))
            w++;
    *words = w;
    size_t i = 0;
    if (i < n && s[i] == '(')
        i++;
    if (i < n && isdigit((unsigned char)s[i]))
        return 2; /* "3", "4.5", "4 - Proficient", "(2) Developing" */
    return w <= 3; /* "Meets expectations", "N/A", "Not observed" */
}

void questions_observe(struct questions *q, const char *question, size_t qlen,
                       const char *answer, size_t alen)
{
    int added;
    size_t *k = strmap_put(&q->by_name, question, qlen, q->nseen, &added);
    if (added) {
        grow(&q->seen, &q->seen_cap, q->nseen + 1, sizeof *q->seen);
        struct question_seen *qs = &q->seen[q->nseen++];
        memset(qs, 0, sizeof *qs);
        qs->name = xstrndup(question, qlen);
        u64map_init(&qs->distinct);
    }
    struct question_seen *qs = &q->seen[*k];
    size_t w;
    int blank = 1;
    for (size_t i = 0; i < alen && blank; i++)
        blank = isspace((unsigned char)answer[i]) != 0;
    if (blank || qs->answers >= QUESTIONS_SAMPLE)
        return;
    qs->answers++;
    int rating = questions_is_rating(answer, alen, &w);
    qs->ratings += rating != 0;
    qs->numbers += rating == 2;
    qs->words += w;
    int fresh;
    u64map_put(&qs->distinct, hash_bytes(answer, alen), 0, &fresh);
    qs->ndistinct += (uint64_t)fresh;
}

void questions_decide(struct questions *q)
{
    for (size_t i = 0; i < q->nseen; i++) {
        struct question_seen *qs = &q->seen[i];
        if (q->given) {
            qs->comment = selected(q, qs->name, strlen(qs->name));
        } else if (qs->answers == 0) {
            qs->comment = 0;
        } else {
            int text = 2 * (qs->answers - qs->ratings) >= qs->answers;
            int long_ = qs->words >= 6 * qs->answers;
            int distinct = qs->answers >= 10 &&
                           10 * qs->ndistinct >= 8 * qs->answers;
            /* Mostly numbers or numbered labels: a scale, however many
             * distinct values it has. */
            int numeric = 2 * qs->numbers > qs->answers;
            qs->comment = !numeric && (text || long_ || distinct);
        }
        if (qs->comment)
            strvec_push(&q->chosen, qs->name);
    }
}
