/* workers.c - a pool of threads handing jobs back in order (workers.h). */
#include "workers.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>

/* Jobs live in a ring: head is the oldest not yet returned, n the number
 * not yet returned; the first `started` of them (from head) have been taken
 * by a thread, since jobs are started in submission order too. */
struct workers {
    pthread_mutex_t mu;
    pthread_cond_t work;  /* a job was submitted, or stop */
    pthread_cond_t done;  /* a job finished */
    void **job;
    unsigned char *fin;   /* fin[i]: job[i] has finished */
    size_t cap, head, n, started;
    int stop;
    pthread_t *th;
    size_t nth;
    workers_fn *fn;
    void *ctx;
};

struct thread_arg {
    workers *w;
    size_t id;
};

/* Take the next unstarted job (w->mu held, started < n), run it unlocked,
 * mark it finished. */
static void run_one(workers *w, size_t id)
{
    size_t i = (w->head + w->started) % w->cap;
    w->started++;
    void *job = w->job[i];
    pthread_mutex_unlock(&w->mu);
    w->fn(w->ctx, id, job);
    pthread_mutex_lock(&w->mu);
    w->fin[i] = 1;
    pthread_cond_broadcast(&w->done);
}

static void *thread_main(void *p)
{
    struct thread_arg *a = p;
    workers *w = a->w;
    size_t id = a->id;
    free(a);
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->stop && w->started == w->n)
            pthread_cond_wait(&w->work, &w->mu);
        if (w->started == w->n) /* stop, and nothing left to run */
            break;
        run_one(w, id);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

workers *workers_new(size_t nthreads, size_t cap, workers_fn *fn, void *ctx)
{
    workers *w = xcalloc(1, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->done, NULL);
    w->cap = cap ? cap : 1;
    w->job = xcalloc(w->cap, sizeof *w->job);
    w->fin = xcalloc(w->cap, 1);
    w->fn = fn;
    w->ctx = ctx;
    w->th = xcalloc(nthreads ? nthreads : 1, sizeof *w->th);
    for (size_t i = 0; i < nthreads; i++) {
        struct thread_arg *a = xmalloc(sizeof *a);
        a->w = w;
        a->id = i + 1;
        if (pthread_create(&w->th[i], NULL, thread_main, a) != 0) {
            free(a);
            workers_free(w);
            return NULL;
        }
        w->nth++;
    }
    return w;
}

void workers_submit(workers *w, void *job)
{
    pthread_mutex_lock(&w->mu);
    size_t i = (w->head + w->n) % w->cap;
    w->job[i] = job;
    w->fin[i] = 0;
    w->n++;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
}

size_t workers_inflight(const workers *w)
{
    return w->n; /* changed only by the caller's own submit and next_done */
}

void *workers_next_done(workers *w, int wait)
{
    void *job = NULL;
    pthread_mutex_lock(&w->mu);
    while (w->n) {
        if (w->fin[w->head]) {
            job = w->job[w->head];
            w->fin[w->head] = 0;
            w->head = (w->head + 1) % w->cap;
            w->n--;
            w->started--;
            break;
        }
        if (!wait)
            break;
        if (w->started < w->n)
            run_one(w, 0);  /* help rather than idle */
        else
            pthread_cond_wait(&w->done, &w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return job;
}

void workers_free(workers *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_broadcast(&w->work);
    pthread_mutex_unlock(&w->mu);
    for (size_t i = 0; i < w->nth; i++)
        pthread_join(w->th[i], NULL);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->done);
    pthread_mutex_destroy(&w->mu);
    free(w->th);
    free(w->job);
    free(w->fin);
    free(w);
}
