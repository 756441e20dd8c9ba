#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "worker_pool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jmap/arena.h"

/*
 * Why processes and not threads: Pango 1.50 starts fontconfig on a GLib thread of its own, and
 * neither Pango's font map nor Cairo's font caches are documented as safe to share between
 * threads drawing at once; a process per worker shares nothing. A process must be forked before
 * the caller has touched Pango, fontconfig or GLib's threads (a fork copies a lock another
 * thread holds, never its release): build_run.c forks only while it has no jmap_fonts, and each
 * worker sets up its own.
 *
 * A worker talks to the caller through its own pipe, in messages of a header and bytes:
 * "started task t" before it begins (so the caller knows what a dead worker was doing), then
 * "task t done" with the status and result. The caller never writes to a worker.
 */

enum { MSG_STARTED = 1, MSG_DONE = 2 };

typedef struct msg_header {
    uint32_t kind;
    int32_t status;
    uint64_t task;
    uint64_t len; /* bytes that follow (MSG_DONE) */
} msg_header;

#define NO_TASK SIZE_MAX

typedef struct worker {
    pid_t pid; /* 0: gone and reaped */
    int fd;    /* read end of its pipe */
    size_t task; /* started and not done, or NO_TASK */
    char *buf;
    size_t len, cap;
} worker;

typedef struct result {
    bool ready;
    int status;
    char *data;
    size_t len;
    char *failed;
} result;

typedef struct pool {
    size_t n_tasks;
    worker_pool_work work;
    void *ctx;
    atomic_size_t *next; /* the next task to take, in a page every worker shares */
    worker *workers;
    size_t n_workers, cap_workers;
    result *results;
} pool;

unsigned worker_pool_cores(unsigned max)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (unsigned long)n > max ? max : (unsigned)n;
}

static bool write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool send_msg(int fd, uint32_t kind, size_t task, int status, const char *data,
                     size_t len)
{
    msg_header h = {kind, status, task, len};
    return write_all(fd, &h, sizeof h) && write_all(fd, data, len);
}

/* The worker's life: take tasks until none is left. It never returns. */
static void worker_main(pool *p, int fd)
{
    for (;;) {
        size_t t = atomic_fetch_add(p->next, 1);
        if (t >= p->n_tasks)
            break;
        if (!send_msg(fd, MSG_STARTED, t, 0, NULL, 0))
            _exit(EXIT_FAILURE);
        char *data = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&data, &len);
        if (!out)
            _exit(EXIT_FAILURE);
        int status = p->work(p->ctx, t, out);
        if (fclose(out) != 0 || !send_msg(fd, MSG_DONE, t, status, data, len))
            _exit(EXIT_FAILURE);
        free(data);
    }
    _exit(EXIT_SUCCESS);
}

/* Start one more worker; false when the system refuses. */
static bool spawn(pool *p)
{
    int fds[2];
    if (pipe(fds) != 0)
        return false;
    pid_t parent = getpid();
    fflush(NULL); /* or the worker would hold the caller's buffered output too */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    if (pid == 0) {
        /* A worker outlives no caller: one killed mid-batch takes its workers with it, and
         * their signal handlers remove the temporary files they were writing. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(EXIT_FAILURE);
        close(fds[0]);
        for (size_t i = 0; i < p->n_workers; i++) {
            if (p->workers[i].pid)
                close(p->workers[i].fd);
        }
        worker_main(p, fds[1]);
    }
    close(fds[1]);
    p->workers = jmap_xgrow(p->workers, &p->cap_workers, p->n_workers + 1, sizeof(worker));
    p->workers[p->n_workers++] = (worker){.pid = pid, .fd = fds[0], .task = NO_TASK};
    return true;
}

static void set_failed(pool *p, size_t task, char *why)
{
    result *r = &p->results[task];
    if (r->ready) {
        free(why);
        return;
    }
    r->ready = true;
    r->failed = why;
}

/* Take the complete messages at the start of w's buffer. */
static void take_messages(pool *p, worker *w)
{
    size_t at = 0;
    msg_header h;
    while (w->len - at >= sizeof h) {
        memcpy(&h, w->buf + at, sizeof h);
        if (h.kind == MSG_DONE && w->len - at - sizeof h < h.len)
            break; /* the rest is still on its way */
        const char *data = w->buf + at + sizeof h;
        at += sizeof h + (h.kind == MSG_DONE ? h.len : 0);
        if (h.task >= p->n_tasks || p->results[h.task].ready)
            continue; /* not a task of ours: nothing a worker of this code sends */
        if (h.kind == MSG_STARTED) {
            w->task = (size_t)h.task;
        } else if (h.kind == MSG_DONE) {
            result *r = &p->results[h.task];
            r->ready = true;
            r->status = h.status;
            r->data = jmap_xmalloc(h.len + 1);
            memcpy(r->data, data, h.len);
            r->len = h.len;
            w->task = NO_TASK;
        }
    }
    memmove(w->buf, w->buf + at, w->len - at);
    w->len -= at;
}

/* How a worker ended, for the task it was on. */
static char *describe_end(int wstatus)
{
    if (WIFSIGNALED(wstatus))
        return jmap_xprintf("the worker process drawing it was killed by signal %d (%s)",
                            WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0)
        return jmap_xprintf("the worker process drawing it stopped with exit status %d",
                            WEXITSTATUS(wstatus));
    return jmap_xstrdup("the worker process drawing it stopped without a result");
}

/* The worker's pipe is closed: it has ended. Reap it and fail the task it was on. */
static void worker_ended(pool *p, worker *w)
{
    close(w->fd);
    int wstatus = 0;
    while (waitpid(w->pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    free(w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
    if (w->task == NO_TASK)
        return;
    set_failed(p, w->task, describe_end(wstatus));
    w->task = NO_TASK;
    /* The task failed, not the others: carry on with a new worker while tasks are left. */
    if (atomic_load(p->next) < p->n_tasks)
        spawn(p);
}

/* Read what worker w has sent; false when its pipe is at its end. */
static bool read_worker(pool *p, worker *w)
{
    w->buf = jmap_xgrow(w->buf, &w->cap, w->len + 65536, 1);
    ssize_t n;
    while ((n = read(w->fd, w->buf + w->len, 65536)) < 0 && errno == EINTR)
        ;
    if (n <= 0)
        return false;
    w->len += (size_t)n;
    take_messages(p, w);
    return true;
}

static size_t live_workers(const pool *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_workers; i++)
        n += p->workers[i].pid != 0;
    return n;
}

/* Wait for something from any live worker and take it in. */
static void wait_for_workers(pool *p)
{
    size_t n = live_workers(p), k = 0;
    struct pollfd *fds = jmap_xcalloc(n, sizeof(*fds));
    size_t *which = jmap_xcalloc(n, sizeof(*which));
    for (size_t i = 0; i < p->n_workers; i++) {
        if (p->workers[i].pid) {
            fds[k] = (struct pollfd){.fd = p->workers[i].fd, .events = POLLIN};
            which[k++] = i;
        }
    }
    if (poll(fds, (nfds_t)n, -1) > 0) {
        for (size_t i = 0; i < n; i++) {
            /* spawn() may move the array: look the worker up again each time */
            if (fds[i].revents && !read_worker(p, &p->workers[which[i]]))
                worker_ended(p, &p->workers[which[i]]);
        }
    }
    free(which);
    free(fds);
}

bool worker_pool_run(size_t n_tasks, unsigned n_workers, worker_pool_work work,
                     worker_pool_done done, void *ctx)
{
    /* Workers share the counter with atomic operations, which must not hide a lock. */
    atomic_size_t probe;
    if (!atomic_is_lock_free(&probe))
        return false;
    void *page = mmap(NULL, sizeof(atomic_size_t), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return false;
    pool p = {.n_tasks = n_tasks, .work = work, .ctx = ctx, .next = page};
    atomic_init(p.next, 0);
    p.results = jmap_xcalloc(n_tasks, sizeof(result));
    for (unsigned i = 0; i < n_workers && i < n_tasks; i++) {
        if (!spawn(&p))
            break;
    }
    bool started = p.n_workers > 0;
    size_t next_done = 0;
    while (started && next_done < n_tasks) {
        if (live_workers(&p) > 0) {
            wait_for_workers(&p);
        } else {
            /* every worker has ended: what none took (or one took and died before it said so)
             * will not be done */
            for (size_t t = next_done; t < n_tasks; t++)
                set_failed(&p, t, jmap_xstrdup("no worker process was left to draw it"));
        }
        for (; next_done < n_tasks && p.results[next_done].ready; next_done++) {
            result *r = &p.results[next_done];
            done(ctx, next_done, r->status, r->data, r->len, r->failed);
            free(r->data);
            free(r->failed);
        }
    }
    /* Every task is in; the workers are ending (or already have): reap them all. */
    for (size_t i = 0; i < p.n_workers; i++) {
        worker *w = &p.workers[i];
        while (w->pid) {
            if (!read_worker(&p, w))
                worker_ended(&p, w);
        }
    }
    free(p.workers);
    free(p.results);
    munmap(page, sizeof(atomic_size_t));
    return started;
}
