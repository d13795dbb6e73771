/* workers.h - a pool of threads that run jobs and hand them back in the
 * order they were submitted.
 *
 * The caller submits jobs (opaque pointers) one after another; pool threads
 * run fn on them in any order, several at once; workers_next_done returns
 * them strictly in submission order, so whatever the caller does with a
 * finished job (write its bytes, add its counts) happens in input order and
 * the result cannot depend on the number of threads or on timing.
 *
 * A caller that waits for the oldest job does not idle: it runs a job that
 * no thread has started yet itself, as worker 0. So workers_new(n - 1, ...)
 * keeps n threads busy while the caller has nothing else to do; pool
 * threads are workers 1..nthreads (fn's `worker` argument indexes per-worker
 * scratch: nthreads + 1 of them).
 *
 * Jobs must not fail through the pool: fn records any error in its job.
 * The pool holds at most `cap` jobs not yet returned; workers_submit must
 * not be called when workers_inflight() == cap.
 *
 * Ownership: the pool borrows jobs and ctx. workers_free joins the threads;
 * call it only when every submitted job has been returned. */
#ifndef EVALBIAS_WORKERS_H
#define EVALBIAS_WORKERS_H

#include <stddef.h>

typedef struct workers workers;
typedef void workers_fn(void *ctx, size_t worker, void *job);

/* Start nthreads pool threads (0 is allowed: then the caller runs every
 * job in workers_next_done). Returns NULL when a thread cannot be started
 * (then none is left running). */
workers *workers_new(size_t nthreads, size_t cap, workers_fn *fn, void *ctx);

void workers_submit(workers *w, void *job);

/* Jobs submitted and not yet returned. */
size_t workers_inflight(const workers *w);

/* The oldest job not yet returned, once finished. With wait == 0, NULL
 * when it is not finished yet (or there is none); with wait != 0, waits
 * for it (running unstarted jobs meanwhile), NULL only when there is none. */
void *workers_next_done(workers *w, int wait);

void workers_free(workers *w);

#endif
