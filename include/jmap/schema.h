#ifndef JMAP_SCHEMA_H
#define JMAP_SCHEMA_H

#include <stdbool.h>

/*
 * The JSON Schema (draft-07) of maps and of stage-model files, for editors (yaml-language-server
 * and others): written from the loader's key tables and the check pass's value rules
 * (load_schema.h, rules.h), so it says what jmap enforces. The repository ships the output as
 * schema/jmap-map.schema.json and schema/jmap-stage-model.schema.json; `jmap schema` prints it.
 */

typedef enum jmap_schema_kind { JMAP_SCHEMA_MAP, JMAP_SCHEMA_MODEL } jmap_schema_kind;

/** The schema as JSON text, ending in a newline; malloc'ed, the caller frees it. */
char *jmap_schema_json(jmap_schema_kind kind);

/** "map" or "model" (also "stage-model"); false for anything else. */
bool jmap_schema_kind_from_name(const char *name, jmap_schema_kind *out);

/** The shipped file's name: "jmap-map.schema.json", "jmap-stage-model.schema.json". */
const char *jmap_schema_file_name(jmap_schema_kind kind);

#endif
