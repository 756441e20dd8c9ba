#ifndef JMAP_CONFINE_H
#define JMAP_CONFINE_H

#include <stddef.h>

#include "jmap/arena.h"

/*
 * Confinement of the paths a map names. In CI the map comes from a pull request, so `model:
 * /etc/passwd` or a committed symlink to the runner's home must not be read, nor their lines
 * quoted in diagnostics. A path is read only when it stays inside the map's folder tree once
 * every symlink is resolved.
 *
 * The path is resolved one component at a time from the real path of the folder, following
 * symlinks as the kernel would; a `..` above the folder, or a symlink whose target leads out of
 * it, stops the walk there. So nothing outside the tree is ever looked at (not even whether it
 * exists), and the answer does not depend on what is outside. An absolute symlink counts as
 * inside only when its target spells the folder's real path. A race with someone changing the
 * tree while jmap runs is not defended against: the tree is the pull request's, fixed on disk.
 */

typedef enum jmap_confine_status {
    JMAP_CONFINE_INSIDE,   /* *real is the target's real path (malloc'ed) */
    JMAP_CONFINE_ABSOLUTE, /* the path is absolute: refused without looking at it */
    JMAP_CONFINE_OUTSIDE,  /* a `..` or a symlink leads out of the folder */
    JMAP_CONFINE_FAILED    /* the folder, or something on the way inside it, is missing or
                            * cannot be read: *err is the errno (ENOENT, ENOTDIR, EACCES...) */
} jmap_confine_status;

/**
 * Resolve `path`, relative to the folder `root`, inside that folder's tree. On
 * JMAP_CONFINE_INSIDE *real holds the resolved path, which the caller frees, and
 * the target exists (of any type: reading it decides whether it is a regular file). *err is
 * set on JMAP_CONFINE_FAILED only.
 */
jmap_confine_status jmap_confine_path(const char *root, const char *path, char **real, int *err);

/** The folder whose tree the file `file` (a map, as named) may name files in: the one holding
 * it ("." for a bare name, and for standard input, whose name has no '/'), allocated in `a`
 * unless it is a literal. *prefix is the length of that folder's prefix in `file`, slash
 * included (0 for a bare name). */
const char *jmap_confine_root(jmap_arena *a, const char *file, size_t *prefix);

#endif
