#ifndef JMAP_STARTER_H
#define JMAP_STARTER_H

#include <stdbool.h>
#include <stdio.h>

#include "jmap/model.h"

/*
 * The built-in stage models for people: `jmap stages` lists them, `jmap stages ID` shows one,
 * `jmap new --model ID` writes a starter map on one. The embedded YAML is parsed with
 * jmap_load_stage_model(), so what is shown is exactly what a map gets.
 */

/**
 * A commented starter map on stage model `m` (whose id in `model:` is `model_id`): two
 * personas, one or two example touchpoints per stage and the stage's suggested KPIs, written so
 * that `jmap check --werror` reports nothing. The caller frees the result.
 */
char *jmap_starter_map(const jmap_stage_model *m, const char *model_id);

/** One line per built-in model: its id, its name and its stage ids joined by " → ". */
void jmap_stage_models_list(FILE *out);

/** A built-in model's name and description, then each stage with its id, description and
 * suggested KPIs. Returns false when there is no such model or it cannot be loaded. */
bool jmap_stage_model_describe(FILE *out, const char *id);

#endif
