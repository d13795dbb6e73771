/* questions.h - which questions of a long export are comments.
 *
 * A long export has one row per answer ("Evaluation ID, Question,
 * Response"): milestone ratings ("3", "4 - Proficient", "Meets
 * expectations") mixed with free-text questions. Only the comment
 * questions are scanned; the others add no words.
 *
 * Chosen by the user (--questions: names, or /regex/ matched against the
 * question, comma-separated, "\," a comma inside a name, repeatable), or
 * guessed from answers: questions_observe sees each question's first
 * QUESTIONS_SAMPLE non-blank answers, and questions_decide calls a question
 * a comment when most of them are free text:
 *   - an answer is a rating when it is a number ("3", "4.5"), starts with
 *     one ("4 - Proficient", "3. Meets", "(2) Developing"), or is a short
 *     phrase (at most three words: "Meets expectations");
 *   - a question is a comment when no more than half of its answers are
 *     numbers and either at least half are not ratings, or its answers are
 *     long (six words on average) or nearly all distinct (at least 80% of
 *     ten or more answers): short free text ("Great job!") repeats rarely,
 *     scale labels always do.
 * Memory: per question its name, counters and up to QUESTIONS_SAMPLE
 * hashes of distinct answers, never the answers themselves.
 *
 * Ownership: strings are copied; questions_fini releases. No I/O. */
#ifndef EVALBIAS_QUESTIONS_H
#define EVALBIAS_QUESTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "hashmap.h"
#include "util.h"

#define QUESTIONS_SAMPLE 5000

struct question_seen {
    char *name;
    uint64_t answers, ratings, words;  /* of the sampled answers */
    uint64_t numbers;                  /* ratings that are (numbered) numbers */
    struct u64map distinct;            /* hashes of sampled answers */
    uint64_t ndistinct;
    int comment;                       /* questions_decide's verdict */
};

struct questions {
    /* --questions: names and compiled /regex/ patterns */
    struct strvec names;
    void **patterns;                   /* pcre2_code * */
    struct strvec pattern_src;
    size_t npatterns;
    int given;                         /* --questions was given */
    /* what the guess saw, in order of first appearance */
    struct strmap by_name;
    struct question_seen *seen;
    size_t nseen, seen_cap;
    struct strvec chosen;              /* the comment questions, in order */
};

void questions_init(struct questions *q);
void questions_fini(struct questions *q);

/* Add one --questions value. Returns 0, or -1 with err filled (an empty
 * name, a /regex/ that does not compile, with the offset). */
int questions_add(struct questions *q, const char *arg, struct diag *err);

/* Is question (len bytes) one of the comment questions? With --questions,
 * by name or pattern; else by questions_decide's verdict. Read-only: safe
 * on several threads at once after questions_decide. */
int questions_is_comment(const struct questions *q, const char *question,
                         size_t len);

/* The guess: see one answer of a question (a rating or not, its words). */
void questions_observe(struct questions *q, const char *question, size_t qlen,
                       const char *answer, size_t alen);
/* Decide every observed question; fills q->chosen (the questions judged
 * comments, or, with --questions, the observed ones it selects). */
void questions_decide(struct questions *q);

/* Is a single answer a rating: 2 for a number or a numbered label, 1 for
 * a short phrase, 0 for free text; *words its words. */
int questions_is_rating(const char *answer, size_t len, size_t *words);

#endif
