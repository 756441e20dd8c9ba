#ifndef JMAP_CLI_DATA_FILES_H
#define JMAP_CLI_DATA_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "jmap/data.h"

/*
 * The data files of a run (docs/data.md): those the maps name under `data:` and those given
 * with --data. A file is read once per batch however many maps of one `-O` call join it (a
 * nightly export shared by fifty maps is read once, not fifty times), keyed by its resolved
 * path; its reader's diagnostics go out once, with the first map that reads it. A batch is one
 * `jmap check` run or one build (each rebuild of --watch is a new batch: the files changed).
 */

typedef struct cli_data_entry {
    char *key;  /* the resolved path */
    char *name; /* as first named: the reader's diagnostics name it */
    char *text; /* the bytes read, kept for excerpts */
    size_t len;
    jmap_data_file *file; /* NULL when it could not be read */
    jmap_diags diags;     /* reading it: I/O errors, limits, the reader's diagnostics */
    bool io;              /* it could not be read at all */
    bool read;            /* read in this batch (an entry may be known before it is read) */
    bool reported;        /* its diagnostics went out with a map already */
    char **batch_ids;     /* the KPI ids of every map of the batch that reads it */
    size_t n_batch_ids, cap_batch_ids;
    bool unknown_done; /* a map's join counted (and reported) the ids no map has */
    size_t n_unknown;
} cli_data_entry;

typedef struct cli_data_cache {
    cli_data_entry *items;
    size_t n, cap;
    size_t reads; /* files read since the cache was made: the tests count them */
} cli_data_cache;

cli_data_cache *cli_data_cache_new(void);
void cli_data_cache_free(cli_data_cache *cache);

/** Forget every file read: the next batch reads them afresh. */
void cli_data_cache_clear(cli_data_cache *cache);

/** Before a batch of several maps: note, for each data file the maps read, the KPI ids of
 * every map that reads it (each map is loaded, not resolved), so that a row another map of the
 * batch has is not an unknown id of this one. Standard input is not read twice: its map's ids
 * are left out. Prints nothing. */
void cli_data_prepare(cli_data_cache *cache, char *const *maps, size_t n_maps, const cli_common *c);

/** Join the map's data files and the --data files to `map` (after resolve, before check):
 * confines and reads them (once per batch), passes each file's reader diagnostics to the
 * first document that reads it and a one-line error to the others when the file has errors,
 * and records the files' names in doc->data_names. Returns false when a --data file could not
 * be read (an I/O error: exit status 3). */
bool cli_data_attach(cli_doc *doc, jmap_map *map, const cli_common *c);

#endif
