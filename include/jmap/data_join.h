#ifndef JMAP_DATA_JOIN_H
#define JMAP_DATA_JOIN_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/data.h"

/*
 * The join of one map when other maps of the same run read the same data files (docs/data.md,
 * "Many maps, one export"): a row whose id another of those maps has is that map's row, not an
 * error of this one; an id none of them has is the export's mistake, reported once for the
 * file, not once per map. jmap_data_join is this with no other maps.
 */

typedef struct jmap_data_join_file {
    const char *const *also_known; /* ids of the other maps that read the file (may repeat) */
    size_t n_also_known;
    bool quiet;       /* its unknown ids were reported with another map: only count them */
    size_t n_unknown; /* out: the ids of the file that no map has */
} jmap_data_join_file;

/** jmap_data_join, with per file (`ctx[i]` for files[i]; ctx may be NULL) what the other maps
 * that read it know. */
void jmap_data_join_with(jmap_map *map, jmap_arena *a, jmap_data_file *const *files, size_t n_files,
                         jmap_data_join_file *ctx, jmap_diags *d);

#endif
