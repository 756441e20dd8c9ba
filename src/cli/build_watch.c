#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "jmap/arena.h"
#include "jmap/jmap.h"

/*
 * --watch: rebuild when the map or its stage-model file changes. Editors save by writing in
 * place or by renaming a new file over the old one, so we watch the DIRECTORIES and match
 * names. Changes are debounced: a burst of events within DEBOUNCE_MS gives one rebuild.
 * SIGINT and SIGTERM arrive through a signalfd, so they are handled between builds, never in
 * the middle of writing a file, and the loop ends cleanly.
 */

#define DEBOUNCE_MS 100
#define MAX_WATCHED 4

typedef struct watched {
    char *dir;  /* "." for a bare name */
    char *name; /* the file's base name */
    int wd;
} watched;

typedef struct watch_set {
    int fd;
    watched files[MAX_WATCHED];
    size_t n_files;
} watch_set;

static void split_path(const char *path, char **dir, char **name)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *dir = jmap_xstrdup(".");
        *name = jmap_xstrdup(path);
    } else if (slash == path) {
        *dir = jmap_xstrdup("/");
        *name = jmap_xstrdup(slash + 1);
    } else {
        *dir = jmap_xstrndup(path, (size_t)(slash - path));
        *name = jmap_xstrdup(slash + 1);
    }
}

static void unwatch_all(watch_set *w)
{
    for (size_t i = 0; i < w->n_files; i++) {
        inotify_rm_watch(w->fd, w->files[i].wd);
        free(w->files[i].dir);
        free(w->files[i].name);
    }
    w->n_files = 0;
}

static void watch_file(watch_set *w, const char *path)
{
    if (w->n_files == MAX_WATCHED)
        return;
    watched *f = &w->files[w->n_files];
    split_path(path, &f->dir, &f->name);
    f->wd = inotify_add_watch(w->fd, f->dir,
                              IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MODIFY);
    if (f->wd < 0) {
        fprintf(stderr, "jmap: cannot watch '%s': %s\n", f->dir, strerror(errno));
        free(f->dir);
        free(f->name);
        return;
    }
    w->n_files++;
}

/* Watch the map and, when it names one, its stage-model file (found by compiling the map). */
static void watch_deps(watch_set *w, const build_opts *o)
{
    unwatch_all(w);
    const char *path = o->maps[0];
    watch_file(w, path);
    cli_doc doc;
    cli_doc_compile(&doc, path, &o->common);
    if (doc.map) {
        const char *deps[2];
        size_t n = build_map_deps(path, doc.map, deps);
        for (size_t i = 1; i < n; i++)
            watch_file(w, deps[i]);
    }
    cli_doc_release(&doc);
}

/* Drain the inotify queue; true when an event names one of the watched files. */
static bool relevant_events(watch_set *w)
{
    _Alignas(struct inotify_event) char buf[16 * (sizeof(struct inotify_event) + NAME_MAX + 1)];
    bool hit = false;
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof(buf));
        if (n <= 0)
            return hit;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            for (size_t i = 0; i < w->n_files; i++) {
                if (e->wd == w->files[i].wd && e->len && strcmp(e->name, w->files[i].name) == 0)
                    hit = true;
            }
            p += sizeof(struct inotify_event) + e->len;
        }
    }
}

static void stamp(const char *what)
{
    time_t t = time(NULL);
    struct tm tm;
    char when[16];
    strftime(when, sizeof(when), "%H:%M:%S", localtime_r(&t, &tm));
    fprintf(stderr, "jmap: [%s] %s\n", when, what);
}

int build_watch(const build_opts *o, jmap_fonts **fonts)
{
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    int sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
    watch_set w = {.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)};
    if (sfd < 0 || w.fd < 0) {
        fprintf(stderr, "jmap: cannot watch files: %s\n", strerror(errno));
        if (sfd >= 0)
            close(sfd);
        return EXIT_IO;
    }
    watch_deps(&w, o);
    int status = build_all(o, fonts);
    stamp(status == EXIT_OK ? "built; watching for changes (Ctrl-C to stop)"
                            : "not built; watching for changes (Ctrl-C to stop)");
    for (;;) {
        struct pollfd fds[2] = {{.fd = sfd, .events = POLLIN}, {.fd = w.fd, .events = POLLIN}};
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        if (fds[0].revents & POLLIN)
            break;
        if (!(fds[1].revents & POLLIN) || !relevant_events(&w))
            continue;
        /* Debounce: wait until the burst of events is over. */
        struct pollfd quiet = {.fd = w.fd, .events = POLLIN};
        while (poll(&quiet, 1, DEBOUNCE_MS) > 0)
            relevant_events(&w);
        watch_deps(&w, o);
        status = build_all(o, fonts);
        stamp(status == EXIT_OK ? "rebuilt" : "not rebuilt; the last good output is kept");
        fflush(stderr);
    }
    unwatch_all(&w);
    close(w.fd);
    close(sfd);
    stamp("stopped");
    return EXIT_OK;
}
