#ifndef JMAP_RESOLVE_H
#define JMAP_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/load.h"
#include "jmap/model.h"

/*
 * The resolve pass: fixes the map's stage list and the references in it.
 * - `model:` names a stage model, loaded into the map's arena:
 *   - a value with a '/' or ending in .yaml or .yml is a path, relative to the folder holding
 *     the map ("." for standard input) and confined to that folder's tree (jmap/confine.h):
 *     an absolute path, or one that leads out by '..' or a symlink, is a `path-outside-tree`
 *     error and is not read;
 *   - any other value is an id: a built-in model (jmap_builtin_stage_model_find) when there is
 *     one, else <dir>/<id>.yaml in the first of the model-path folders that has it.
 * - map->stages becomes the model's stages with the detail from the map's `stages:` merged in
 *   by id (or the map's stages when there is no model).
 * - each touchpoint's stage_ix and persona_ix are filled; unknown references are left as
 *   JMAP_NONE / left out, and reported by the check pass, not here.
 * - map->lane_order is set from `lanes:` (known names only) or the default order.
 * Reports: a model that cannot be found or read, a model path outside the map's folder tree,
 * a map stage id that the model lacks, touchpoints that appear more than
 * lim->max_appearances times in all, once per persona each belongs to, and more than
 * lim->max_kpis KPIs on the stages and touchpoints (`too-many`).
 * Returns false when it reported an error.
 */
bool jmap_resolve(jmap_arena *a, jmap_map *map, const jmap_limits *lim, jmap_diags *d);

/* What resolving may read besides the map's own folder tree. The resolve pass never reads the
 * environment: the CLI builds this from --model-path, JMAP_MODEL_PATH and the install. */
typedef struct jmap_resolve_opts {
    const char *const *model_dirs; /* trusted folders searched for <id>.yaml, in order */
    size_t n_model_dirs;
} jmap_resolve_opts;

/** jmap_resolve with a model path; `o` may be NULL (no model path). */
bool jmap_resolve_with(jmap_arena *a, jmap_map *map, const jmap_limits *lim,
                       const jmap_resolve_opts *o, jmap_diags *d);

#endif
