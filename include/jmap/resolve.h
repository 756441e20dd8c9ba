#ifndef JMAP_RESOLVE_H
#define JMAP_RESOLVE_H

#include <stdbool.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/load.h"
#include "jmap/model.h"

/*
 * The resolve pass: fixes the map's stage list and the references in it.
 * - `model:` names a built-in model (jmap_builtin_stage_model_find) or a stage-model file,
 *   relative to the map's directory; it is loaded into the map's arena.
 * - map->stages becomes the model's stages with the detail from the map's `stages:` merged in
 *   by id (or the map's stages when there is no model).
 * - each touchpoint's stage_ix and persona_ix are filled; unknown references are left as
 *   JMAP_NONE / left out, and reported by the check pass, not here.
 * - map->lane_order is set from `lanes:` (known names only) or the default order.
 * Reports: a model that cannot be found or read, a map stage id that the model lacks.
 * Returns false when it reported an error.
 */
bool jmap_resolve(jmap_arena *a, jmap_map *map, const jmap_limits *lim, jmap_diags *d);

#endif
