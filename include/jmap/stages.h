#ifndef JMAP_STAGES_H
#define JMAP_STAGES_H

#include <stddef.h>

/*
 * The built-in stage models: the files stages/<id>.yaml, embedded in the binary at build time so that jmap
 * works from any directory. They are data; parse one with jmap_load_stage_model().
 */

typedef struct jmap_builtin_stage_model {
    const char *id;   /* the file's base name: "classic" for stages/classic.yaml */
    const char *file; /* "stages/classic.yaml", used in diagnostics */
    const char *text; /* the YAML */
    size_t len;
} jmap_builtin_stage_model;

/** All built-in models, sorted by id. */
const jmap_builtin_stage_model *jmap_builtin_stage_models(size_t *n);

/** The built-in model with this id, or NULL. */
const jmap_builtin_stage_model *jmap_builtin_stage_model_find(const char *id);

#endif
