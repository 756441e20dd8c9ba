#ifndef JMAP_CLI_DIAG_WIRE_H
#define JMAP_CLI_DIAG_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "jmap/diag.h"

/*
 * Diagnostics sent from a worker process to the one that forked it (worker_pool.h), so that
 * the parent prints them exactly as it would have printed its own. Both sides start from the
 * same jmap_diags (the fork copied it), so only what the worker added travels: the counters,
 * the file names it interned, in order (the sort ranks files by that order), and the new
 * diagnostics. The excerpts need no copy: the sources they quote were kept while the map was
 * compiled, before the fork.
 */

/** Write what `d` gained since it held `from_items` diagnostics and `from_files` file names. */
void diag_wire_put(FILE *out, const jmap_diags *d, size_t from_items, size_t from_files);

/** Add to `d` what diag_wire_put wrote, reading from *p (moved past it) up to `end`; `d` must
 * be what the writer's was at from_items and from_files. False when the bytes are not such a
 * record (then `d` may hold part of it). */
bool diag_wire_get(jmap_diags *d, const char **p, const char *end);

#endif
