#ifndef JMAP_CLI_BUILD_JOB_H
#define JMAP_CLI_BUILD_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "build.h"

/* One map of a build, between build_run.c, which plans and draws it, and build_jobs.c, which
 * has it drawn in a worker process under -j. */

/* One output of one map: a file, its format, and the persona it shows (NULL: all). */
typedef struct target {
    char *path;
    jmap_format format;
    const char *persona;
} target;

typedef struct target_list {
    target *items;
    size_t n_items, cap;
} target_list;

/* One map of the run: compiled and planned first, drawn once the whole plan is safe. */
typedef struct map_job {
    cli_doc doc;
    int status;
    target_list targets;
    const char **deps; /* build_map_deps */
    size_t n_deps;
    jmap_diags checked; /* --check: the stale and missing outputs */
} map_job;

/** Draw a planned map's targets (nothing when it failed to compile or plan) and add its rule
 * to the depfile; returns its status. `fonts` is set up on first use. */
int build_job_draw(const build_opts *o, map_job *j, jmap_fonts **fonts, FILE *depfile);

/** Print the map's diagnostics, then those of --check. */
void build_job_print(const build_opts *o, map_job *j);

void build_job_release(map_job *j);

/** -j: draw, print and release the planned jobs in map order with worker processes, adding
 * each status to *worst and each rule to `depfile`, exactly as drawing them here one by one
 * would. False, having done nothing, when that is not worth it or not possible: -j 1, fewer
 * than two maps to draw, output to standard output, or `fonts` already set up (a process that
 * has started Pango must not fork). */
bool build_jobs_draw(const build_opts *o, map_job *jobs, const jmap_fonts *fonts,
                     FILE *depfile, int *worst);

#endif
