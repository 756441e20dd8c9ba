#ifndef JMAP_DATA_PATHS_H
#define JMAP_DATA_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/model.h"

/*
 * The data files a map names under `data:` (docs/data.md): paths relative to the folder holding
 * the map ("." for standard input), confined to that folder's tree as `model:` files are
 * (jmap/confine.h). An absolute path, or one that leads out by '..' or a symlink, is a
 * `path-outside-tree` error at the item and is not looked at; a missing one is an `io-error`
 * at the item.
 */

typedef struct jmap_data_path {
    const char *name; /* as diagnostics name it: the map's folder, then the value as written */
    const char *real; /* the resolved path to read; NULL when refused or missing */
    jmap_loc at;      /* the item of `data:` */
    bool outside;     /* refused: absolute, or out of the tree (nothing is looked at there) */
} jmap_data_path;

/** The map's data files in written order (items without a usable value are left out), in the
 * arena `a`. Problems go to `d`. Returns how many were written to *out. */
size_t jmap_data_paths(jmap_arena *a, const jmap_map *map, jmap_data_path **out, jmap_diags *d);

#endif
