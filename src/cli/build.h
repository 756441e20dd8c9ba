#ifndef JMAP_CLI_BUILD_H
#define JMAP_CLI_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "jmap/fonts.h"
#include "jmap/render.h"

/* The options of `jmap build`, shared by the one-shot build and watch mode. */
typedef struct build_opts {
    cli_common common;
    const char *output;  /* -o FILE */
    const char *out_dir; /* -O DIR */
    unsigned formats;    /* bit (1 << jmap_format) per -f; 0 = from the -o suffix, or svg */
    bool have_theme;
    jmap_theme_id theme;
    const char *font;
    jmap_render_opts render;
    bool dump_layout;
    bool check;           /* --check: write nothing, exit 4 when an output is stale */
    bool keep_mtime;      /* --keep-mtime: leave an unchanged output's time alone */
    const char *depfile;  /* --depfile FILE */
    const char *persona;  /* --persona ID */
    bool split_personas;  /* --split-personas */
    bool watch;           /* --watch */
    unsigned jobs;        /* -j: worker processes that draw a batch (1: this one) */
    char **maps;
    size_t n_maps;
} build_opts;

/** Build every map once; returns the worst exit status. `fonts` is set up on first use and
 * kept for the next call. Collects the depfile rules when o->depfile is set. */
int build_all(const build_opts *o, jmap_fonts **fonts);

/** The files a map depends on: the map, the file `model:` names when it names one, then its
 * data files (`data` of them, as cli_doc's data_names). Returns how many are in *deps, which
 * the caller frees; the strings live as long as the document. */
size_t build_map_deps(const char *map_path, const jmap_map *map, const char *const *data,
                      size_t n_data, const char ***deps);

/** Watch the map and its stage-model file (through symlinks) and rebuild on change until
 * SIGINT or SIGTERM; returns the last build's status, or 3 when the map is missing or nothing
 * can be watched. */
int build_watch(const build_opts *o, jmap_fonts **fonts);

/** Exit statuses ranked from best to worst: 0, 4, 1, 3 (then 2). */
int build_worst(int a, int b);

#endif
