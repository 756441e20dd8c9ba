#ifndef JMAP_CLI_WATCH_SET_H
#define JMAP_CLI_WATCH_SET_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The files --watch follows, through inotify. Editors save by writing in place or by renaming
 * a new file over the old one, so each file is watched as a NAME in its DIRECTORY. A path is
 * followed through symlinks: the link's own name (the link may be retargeted), every link on
 * the way to the file and the file's real path (an editor writes the target), and any folder
 * on the way that is a symlink. A folder that does not exist yet is watched for in its
 * parent, so creating it is seen.
 */

typedef struct watch_name {
    char *dir;  /* "." for a bare name */
    char *name; /* the base name */
    int wd;
} watch_name;

typedef struct watch_set {
    int fd; /* inotify, non-blocking; poll it for POLLIN */
    watch_name *items;
    size_t n_items, cap;
} watch_set;

/** Open inotify; false (errno set) when it cannot be used. */
bool watch_set_init(watch_set *w);
void watch_set_release(watch_set *w);

/** Replace the watched names with those of `paths`. Watches that are still needed are kept, so
 * no event is lost during the update. Prints (sanitised) why a folder cannot be watched, unless
 * it does not exist. Returns how many names are watched. */
size_t watch_set_update(watch_set *w, char *const *paths, size_t n_paths);

/** Drain the queued events; true when one names a watched file (or events were lost). */
bool watch_set_changed(watch_set *w);

#endif
