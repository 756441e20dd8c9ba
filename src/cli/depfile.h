#ifndef JMAP_CLI_DEPFILE_H
#define JMAP_CLI_DEPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "jmap/diag.h"

/*
 * Depfiles: "target...: prerequisite..." lines that GNU Make (`-include map.d`) and Ninja
 * (`depfile = map.d`) both read. A name is written only when both tools read it back as the
 * same name; one they cannot is refused, so a hostile file name cannot add a rule, a recipe
 * or a variable to a build.
 */

/** Add an "unsafe-depfile-name" error naming `name` (sanitised) when Make and Ninja cannot both
 * read it from a depfile; `file` is where the diagnostic points. True when the name is fine. */
bool depfile_check_name(const char *name, const char *file, jmap_diags *d);

/** Write one rule, "targets: prerequisites", then an empty rule for each prerequisite after
 * the first (the map): the files it reads, which may go away. Every name must have passed
 * depfile_check_name. */
void depfile_write_rule(FILE *f, const char *const *targets, size_t n_targets,
                        const char *const *prereqs, size_t n_prereqs);

#endif
