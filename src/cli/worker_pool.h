#ifndef JMAP_CLI_WORKER_POOL_H
#define JMAP_CLI_WORKER_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Tasks 0..n-1 run in worker processes forked from the caller, and their results come back to
 * the caller in task order, whatever order they finish in. Each worker takes the next task not
 * yet taken (a counter in a shared page), so one slow task never holds up a fixed share of the
 * others. A worker that dies (a signal, an exit without its result) fails the task it was on,
 * and another worker is started in its place while tasks are left; the caller reaps every
 * worker before worker_pool_run returns.
 */

/** In a worker: do task `task`, writing its result to `out`; returns its exit status. */
typedef int (*worker_pool_work)(void *ctx, size_t task, FILE *out);

/** In the caller, once per task and in task order: the status and result bytes that `work`
 * gave, or, when `failed` is not NULL, why the task has no result ("the worker drawing it was
 * killed by signal 9 (Killed)"); then `status` and `data` mean nothing. */
typedef void (*worker_pool_done)(void *ctx, size_t task, int status, const char *data,
                                 size_t len, const char *failed);

/** Run `n_tasks` tasks in `n_workers` processes (at most one per task). Flushes stdio before
 * each fork; a worker never returns into the caller's code and leaves with _exit, so nothing
 * buffered or registered with atexit runs twice. False, with nothing run, when the processes cannot be
 * started at all (the caller then runs the tasks itself). */
bool worker_pool_run(size_t n_tasks, unsigned n_workers, worker_pool_work work,
                     worker_pool_done done, void *ctx);

/** The number of online processors, from 1 to `max`. */
unsigned worker_pool_cores(unsigned max);

#endif
