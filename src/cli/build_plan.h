#ifndef JMAP_CLI_BUILD_PLAN_H
#define JMAP_CLI_BUILD_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/diag.h"

/*
 * Every file one `jmap build` reads and writes, gathered after the maps are compiled and
 * before anything is written, so that no output overwrites an input (a map, a stage-model
 * file) and no two outputs are the same file. Files are compared by device and inode, so a
 * hard or symbolic link to an input counts as the input; an output that does not exist yet is
 * compared by name with the other outputs.
 */

typedef struct build_plan_file {
    const char *path;   /* borrowed */
    const char *writer; /* the map that writes an output, or NULL for the depfile */
    bool have_id, have_link_id;
    bool regular;
    unsigned long long dev, ino;           /* what the name leads to */
    unsigned long long link_dev, link_ino; /* the name itself, when it is a symbolic link */
} build_plan_file;

typedef struct build_plan {
    build_plan_file *inputs, *outputs;
    size_t n_inputs, cap_inputs, n_outputs, cap_outputs;
} build_plan;

void build_plan_init(build_plan *p);
void build_plan_release(build_plan *p);

/** A file the build reads ("-": standard input). The string must outlive the plan. */
void build_plan_input(build_plan *p, const char *path);

/** A file the build writes, by map `writer` (NULL: the depfile). "-" and /dev/std* are not
 * files and are left out. */
void build_plan_output(build_plan *p, const char *path, const char *writer);

/** Add an "output-overwrites-input" error for each output that is an input, and a
 * "duplicate-output" error for each output written twice. True when there is none. */
bool build_plan_check(build_plan *p, jmap_diags *d);

#endif
