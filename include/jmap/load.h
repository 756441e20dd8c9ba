#ifndef JMAP_LOAD_H
#define JMAP_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/model.h"

/*
 * The load pass: bytes of YAML -> model. Built on libyaml's event API (never its document
 * loader), with limits on size, depth and alias expansion so that hostile input ends in a
 * diagnostic, not a hang. Strict: wrong types, unknown keys (with a did-you-mean), missing
 * required keys, duplicate keys, invalid UTF-8, an empty file and a top level that is not a
 * mapping are all errors at their line and column. Keys beginning with "x-" are ignored.
 *
 * load_tree.c is the only file that includes <yaml.h>; load.c maps its tree onto the model.
 */

typedef struct jmap_limits {
    size_t max_input_bytes;   /* a larger file is refused before it is read */
    unsigned max_depth;       /* nesting of collections */
    size_t max_nodes;         /* nodes after alias expansion */
    size_t max_string_bytes;  /* one scalar */
    size_t max_touchpoints, max_personas, max_stages;
    size_t max_appearances;   /* touchpoints counted once per persona they belong to */
    size_t max_kpis;          /* KPIs of the stages and touchpoints, aliases expanded */
    size_t max_data_bytes;    /* one data file (CSV); a larger one is refused before reading */
    size_t max_data_rows;     /* rows of one data file */
} jmap_limits;

/** The defaults documented in docs/limits.md. */
jmap_limits jmap_limits_default(void);

/**
 * Load a map from `len` bytes of `text` (need not be NUL-terminated). `file` names it in
 * diagnostics and must outlive the arena. Returns the model in `a`, or NULL when the
 * document could not be read as a map at all; a returned model may still have errors, which
 * are in `d` (check jmap_diags_failed). The text is kept in `d` for quoting.
 */
jmap_map *jmap_load_map(jmap_arena *a, const char *file, const char *text, size_t len,
                        const jmap_limits *lim, jmap_diags *d);

/** The same for a stage-model file (a file in stages/ or a file named by `model:`). */
jmap_stage_model *jmap_load_stage_model(jmap_arena *a, const char *file, const char *text,
                                        size_t len, const jmap_limits *lim, jmap_diags *d);

/**
 * Read a whole file into a malloc'ed, NUL-terminated buffer (the caller frees it). A file
 * over lim->max_input_bytes is refused before reading. On failure returns NULL and sets
 * *err_is_io: true for an I/O problem (exit status 3; the message is in `d` with code
 * "io-error"), false for a limit (an error diagnostic, exit status 1). "-" reads stdin, which
 * may be a pipe; a named file must be a regular file (symlinks are followed): a FIFO, socket,
 * device or directory is refused as an io-error without being opened for reading, so it
 * cannot block.
 */
char *jmap_read_file(const char *path, size_t *len, const jmap_limits *lim, jmap_diags *d,
                     bool *err_is_io);

/**
 * False, with an "invalid-encoding" error naming `file` and the encoding, when `text` is UTF-16
 * or UTF-32 (by its byte-order mark, or by the zero bytes of its first character); the loader
 * calls it before anything else, so such a file gets one clear message instead of a byte error.
 */
bool jmap_load_check_encoding(const char *file, const char *text, size_t len, jmap_diags *d);

#endif
