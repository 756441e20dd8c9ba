#ifndef JMAP_CHECK_H
#define JMAP_CHECK_H

#include <stdbool.h>

#include "jmap/diag.h"
#include "jmap/model.h"

/*
 * The check pass: every rule of docs/format.md that is not a matter of YAML types, on a
 * resolved model. Pure: reads the model, writes only diagnostics. References to unknown
 * stages and personas get a did-you-mean, or the ids there are; ids must be unique and well
 * formed; `persona` and `personas` not both; emotion in [-2, 2]; colours #rgb or #rrggbb; url
 * only http, https or mailto; state, theme, lanes and better take only their listed values; a
 * format version above JMAP_FORMAT_VERSION is an error. Warnings: a stage with no touchpoint,
 * a stage with no KPI, a persona in no touchpoint; none about what a touchpoint in error may
 * have meant.
 * Returns false when it reported an error.
 */
bool jmap_check(const jmap_map *map, jmap_diags *d);

/** The hint for a persona id the map lacks: "did you mean 'maya'?" when one is close, else
 * the map's persona ids (the first six, then "…"), quoted through the sanitiser. NULL when the
 * map has none to list; the caller frees it. Used for `--persona ID` too. */
char *jmap_check_persona_hint(const jmap_map *map, const char *word);

#endif
