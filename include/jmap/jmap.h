#ifndef JMAP_JMAP_H
#define JMAP_JMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/load.h"
#include "jmap/model.h"
#include "jmap/resolve.h"

/*
 * The front half of the pipeline in one call: load -> resolve -> check. Used by the CLI and
 * by tests, so both see exactly the same diagnostics.
 */

/**
 * Load, resolve and check a map held in memory. Returns the model (in `a`) when it has no
 * errors, else NULL; every diagnostic is in `d`.
 */
jmap_map *jmap_compile(jmap_arena *a, const char *file, const char *text, size_t len,
                       const jmap_limits *lim, jmap_diags *d);

/** jmap_compile with a model path for the resolve pass; `o` may be NULL. */
jmap_map *jmap_compile_with(jmap_arena *a, const char *file, const char *text, size_t len,
                            const jmap_limits *lim, const jmap_resolve_opts *o, jmap_diags *d);

#endif
