#define _XOPEN_SOURCE 700 /* realpath() */

#include "jmap/confine.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jmap/arena.h"

/* Linux's own limit on symlinks followed in one path resolution. */
#define MAX_LINKS 40

/* The walk: `cur` is the real path reached so far, always inside the tree, whose real path is
 * its first root_len bytes; `todo` is what is left to resolve, from `at`. */
typedef struct walk {
    char *cur;
    size_t len, cap, root_len;
    char *todo;
    size_t at;
} walk;

static void append(walk *w, const char *comp, size_t n)
{
    w->cur = jmap_xgrow(w->cur, &w->cap, w->len + n + 2, 1);
    if (w->cur[w->len - 1] != '/')
        w->cur[w->len++] = '/';
    memcpy(w->cur + w->len, comp, n);
    w->len += n;
    w->cur[w->len] = '\0';
}

/* Up one folder; false when that would leave the tree. */
static bool up(walk *w)
{
    if (w->len == w->root_len)
        return false;
    char *slash = strrchr(w->cur, '/');
    w->len = slash == w->cur ? 1 : (size_t)(slash - w->cur);
    w->cur[w->len] = '\0';
    return true;
}

/* Replace what is left with the link's target followed by the rest; false when an absolute
 * target does not spell the tree's real path. */
static bool follow(walk *w, const char *target, const char *rest)
{
    if (target[0] == '/') {
        const char *root = w->cur;
        if (w->root_len > 1) {
            if (strncmp(target, root, w->root_len) != 0 ||
                (target[w->root_len] != '/' && target[w->root_len] != '\0'))
                return false;
            target += w->root_len;
        }
        w->len = w->root_len;
        w->cur[w->len] = '\0';
    }
    char *todo = jmap_xprintf("%s/%s", target, rest);
    free(w->todo);
    w->todo = todo;
    w->at = 0;
    return true;
}

static jmap_confine_status walk_path(walk *w, int *err)
{
    unsigned links = 0;
    char target[PATH_MAX];
    for (;;) {
        const char *p = w->todo + w->at;
        while (*p == '/')
            p++;
        if (!*p)
            return JMAP_CONFINE_INSIDE;
        size_t n = strcspn(p, "/");
        const char *rest = p + n;
        while (*rest == '/')
            rest++;
        w->at = (size_t)(rest - w->todo);
        if (n == 1 && p[0] == '.')
            continue;
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (!up(w))
                return JMAP_CONFINE_OUTSIDE;
            continue;
        }
        size_t parent_len = w->len;
        append(w, p, n);
        struct stat st;
        if (lstat(w->cur, &st) != 0) {
            *err = errno;
            return JMAP_CONFINE_FAILED;
        }
        if (S_ISLNK(st.st_mode)) {
            if (++links > MAX_LINKS) {
                *err = ELOOP;
                return JMAP_CONFINE_FAILED;
            }
            ssize_t got = readlink(w->cur, target, sizeof(target));
            if (got <= 0 || (size_t)got >= sizeof(target)) {
                *err = got < 0 ? errno : got == 0 ? ENOENT : ENAMETOOLONG;
                return JMAP_CONFINE_FAILED;
            }
            target[got] = '\0';
            /* A relative target is relative to the folder holding the link. */
            w->len = parent_len;
            w->cur[w->len] = '\0';
            if (!follow(w, target, rest))
                return JMAP_CONFINE_OUTSIDE;
            continue;
        }
        if (*rest && !S_ISDIR(st.st_mode)) {
            *err = ENOTDIR;
            return JMAP_CONFINE_FAILED;
        }
    }
}

jmap_confine_status jmap_confine_path(const char *root, const char *path, char **real, int *err)
{
    *real = NULL;
    if (path[0] == '/')
        return JMAP_CONFINE_ABSOLUTE;
    walk w = {0};
    w.cur = realpath(root, NULL);
    if (!w.cur) {
        *err = errno;
        return JMAP_CONFINE_FAILED;
    }
    w.len = w.root_len = strlen(w.cur);
    w.cap = w.len + 1;
    w.todo = jmap_xstrdup(path);
    jmap_confine_status s = walk_path(&w, err);
    free(w.todo);
    if (s == JMAP_CONFINE_INSIDE)
        *real = w.cur;
    else
        free(w.cur);
    return s;
}

const char *jmap_confine_root(jmap_arena *a, const char *file, size_t *prefix)
{
    file = file ? file : "";
    const char *slash = strrchr(file, '/');
    if (!slash) {
        *prefix = 0;
        return ".";
    }
    *prefix = (size_t)(slash - file + 1);
    return slash == file ? "/" : jmap_arena_strndup(a, file, *prefix - 1);
}
