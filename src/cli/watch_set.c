/* realpath() is an XSI interface. */
#define _XOPEN_SOURCE 700

#include "watch_set.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "jmap/sanitize.h"

#define EVENTS                                                                                     \
    (IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM)
#define MAX_LINKS 40 /* the most symlinks Linux follows in one lookup */

bool watch_set_init(watch_set *w)
{
    memset(w, 0, sizeof(*w));
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    return w->fd >= 0;
}

static void free_names(watch_name *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].dir);
        free(v[i].name);
    }
    free(v);
}

void watch_set_release(watch_set *w)
{
    if (w->fd >= 0)
        close(w->fd); /* removes every watch */
    free_names(w->items, w->n_items);
    memset(w, 0, sizeof(*w));
    w->fd = -1;
}

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

static bool watching(const watch_set *w, const char *dir, const char *name)
{
    for (size_t i = 0; i < w->n_items; i++) {
        if (strcmp(w->items[i].dir, dir) == 0 && strcmp(w->items[i].name, name) == 0)
            return true;
    }
    return false;
}

/* Watch `name` in `dir`. A folder that does not exist is itself watched for in its parent:
 * once it is made, the rebuild that follows watches inside it. */
static void add_name(watch_set *w, char *dir, char *name)
{
    if (watching(w, dir, name)) {
        free(dir);
        free(name);
        return;
    }
    int wd = inotify_add_watch(w->fd, dir, EVENTS);
    if (wd < 0) {
        int err = errno;
        if ((err == ENOENT || err == ENOTDIR) && strcmp(dir, ".") != 0 && strcmp(dir, "/") != 0) {
            char *parent, *base;
            split_path(dir, &parent, &base);
            add_name(w, parent, base);
        } else {
            char *shown = jmap_sanitize(dir);
            fprintf(stderr, "jmap: cannot watch '%s': %s\n", shown, strerror(err));
            free(shown);
        }
        free(dir);
        free(name);
        return;
    }
    w->items = jmap_xgrow(w->items, &w->cap, w->n_items + 1, sizeof(watch_name));
    w->items[w->n_items++] = (watch_name){dir, name, wd};
}

static void add_file(watch_set *w, const char *path)
{
    char *dir, *name;
    split_path(path, &dir, &name);
    add_name(w, dir, name);
}

/* The folders on the way to `path` that are symlinks: they may be retargeted too. */
static void add_folder_links(watch_set *w, const char *path)
{
    char *p = jmap_xstrdup(path);
    for (char *s = strchr(p + (*p == '/'), '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode))
            add_file(w, p);
        *s = '/';
    }
    free(p);
}

/* Where the symlink at `path` points, as a path usable from here; NULL when it is not one. */
static char *link_target(const char *path)
{
    char target[PATH_MAX];
    ssize_t n = readlink(path, target, sizeof(target));
    if (n <= 0 || (size_t)n >= sizeof(target))
        return NULL;
    target[n] = '\0';
    const char *slash = strrchr(path, '/');
    if (target[0] == '/' || !slash)
        return jmap_xstrdup(target);
    return jmap_xprintf("%.*s%s", (int)(slash - path + 1), path, target);
}

static void add_path(watch_set *w, const char *path)
{
    char *p = jmap_xstrdup(path);
    for (int hops = 0; p && hops <= MAX_LINKS; hops++) {
        add_folder_links(w, p);
        add_file(w, p);
        char *next = link_target(p);
        free(p);
        p = next;
    }
    free(p);
    /* The file an editor writes, whatever the links on the way. */
    char *real = realpath(path, NULL);
    if (real)
        add_file(w, real);
    free(real);
}

size_t watch_set_update(watch_set *w, char *const *paths, size_t n_paths)
{
    watch_name *old = w->items;
    size_t n_old = w->n_items;
    w->items = NULL;
    w->n_items = w->cap = 0;
    for (size_t i = 0; i < n_paths; i++)
        add_path(w, paths[i]);
    /* Drop the watches no longer needed. A folder has one watch however often it is added, so
     * a descriptor that is still in use stays. */
    for (size_t i = 0; i < n_old; i++) {
        bool keep = false;
        for (size_t j = 0; j < w->n_items && !keep; j++)
            keep = w->items[j].wd == old[i].wd;
        for (size_t j = 0; j < i && !keep; j++)
            keep = old[j].wd == old[i].wd; /* already removed */
        if (!keep)
            inotify_rm_watch(w->fd, old[i].wd);
    }
    free_names(old, n_old);
    return w->n_items;
}

static bool in_use(const watch_set *w, int wd)
{
    for (size_t i = 0; i < w->n_items; i++) {
        if (w->items[i].wd == wd)
            return true;
    }
    return false;
}

bool watch_set_changed(watch_set *w)
{
    _Alignas(struct inotify_event) char buf[16 * (sizeof(struct inotify_event) + NAME_MAX + 1)];
    bool hit = false;
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof(buf));
        if (n <= 0)
            return hit;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            /* Lost events, or a watched folder gone (deleted, unmounted): look again. A watch
             * we removed ourselves is no longer in use. */
            if ((e->mask & IN_Q_OVERFLOW) || ((e->mask & IN_IGNORED) && in_use(w, e->wd)))
                hit = true;
            for (size_t i = 0; i < w->n_items && !hit; i++) {
                if (e->wd == w->items[i].wd && e->len && strcmp(e->name, w->items[i].name) == 0)
                    hit = true;
            }
            p += sizeof(struct inotify_event) + e->len;
        }
    }
}
