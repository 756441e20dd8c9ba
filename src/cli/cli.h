#ifndef JMAP_CLI_H
#define JMAP_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/diag_format.h"
#include "jmap/load.h"
#include "jmap/model.h"

/* The command-line interface: argv -> exit status. Thin: every real job is a pass's. */

enum {
    EXIT_OK = 0,       /* success, warnings allowed */
    EXIT_MAP = 1,      /* the map has errors */
    EXIT_USAGE = 2,    /* bad flags, unknown format */
    EXIT_IO = 3,       /* cannot read input or write output */
    EXIT_STALE = 4     /* build --check: an output is missing or out of date */
};

/* Options every command that reads maps shares. */
typedef struct cli_common {
    bool werror;
    bool quiet; /* -q: errors only on standard error; machine formats stay complete */
    size_t max_errors;
    int color; /* -1 auto, 0 never, 1 always */
    jmap_limits limits;
    jmap_diag_format diag_format;
    jmap_sarif *sarif;          /* gathers the run's diagnostics under --diagnostics=sarif */
    bool help;                  /* --help: the run prints help and writes no SARIF log */
    bool machine_to_stderr;     /* the map itself goes to standard output */
    const char **model_dirs;    /* --model-path folders, in the order given */
    size_t n_model_dirs, cap_model_dirs;
    const char **data_files;    /* --data files, in the order given, joined to every map */
    size_t n_data_files, cap_data_files;
    struct cli_data_cache *data_cache; /* the data files read in this batch (data_cache.h) */
} cli_common;

/* One map read and compiled: its arena, model and diagnostics. */
typedef struct cli_doc {
    const char *path;
    char *text;
    size_t len;
    jmap_arena *arena;
    jmap_map *map; /* NULL when it has errors */
    jmap_diags diags;
    int status; /* EXIT_OK, EXIT_MAP or EXIT_IO */
    const char **data_names; /* the data files joined (or meant to be: missing ones too), as
                                diagnostics name them; for the depfile and --watch */
    size_t n_data_names;
} cli_doc;

void cli_common_init(cli_common *c);

/** Handle an option shared by all commands; returns 1 if it was one, 0 if not, -1 on a bad
 * value (after printing the usage error). `opt` is getopt's return, `arg` its optarg. */
int cli_common_option(cli_common *c, int opt, const char *arg);

/* getopt_long codes of the shared options, and their table entries. */
enum {
    OPT_WERROR = 1000,
    OPT_MAX_ERRORS,
    OPT_COLOR,
    OPT_MAX_INPUT,
    OPT_MAX_DEPTH,
    OPT_MAX_NODES,
    OPT_DIAGNOSTICS,
    OPT_MAX_STRING,
    OPT_MAX_TOUCHPOINTS,
    OPT_MAX_PERSONAS,
    OPT_MAX_STAGES,
    OPT_MODEL_PATH,
    OPT_MAX_APPEARANCES,
    OPT_MAX_KPIS,
    OPT_DATA,
    OPT_MAX_DATA_SIZE,
    OPT_MAX_DATA_ROWS,
    OPT_FIRST_COMMAND_OPTION
};
#define CLI_COMMON_SHORT_OPTIONS "q"
#define CLI_COMMON_LONG_OPTIONS                                                                    \
    {"werror", no_argument, NULL, OPT_WERROR},                                                    \
        {"quiet", no_argument, NULL, 'q'},                                                        \
        {"max-errors", required_argument, NULL, OPT_MAX_ERRORS},                                  \
        {"color", required_argument, NULL, OPT_COLOR},                                            \
        {"max-input-size", required_argument, NULL, OPT_MAX_INPUT},                               \
        {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},                                    \
        {"max-nodes", required_argument, NULL, OPT_MAX_NODES},                                    \
        {"diagnostics", required_argument, NULL, OPT_DIAGNOSTICS},                                \
        {"max-string", required_argument, NULL, OPT_MAX_STRING},                                  \
        {"max-touchpoints", required_argument, NULL, OPT_MAX_TOUCHPOINTS},                        \
        {"max-personas", required_argument, NULL, OPT_MAX_PERSONAS},                              \
        {"max-stages", required_argument, NULL, OPT_MAX_STAGES},                                  \
        {"model-path", required_argument, NULL, OPT_MODEL_PATH},                                  \
        {"max-appearances", required_argument, NULL, OPT_MAX_APPEARANCES},                        \
        {"max-kpis", required_argument, NULL, OPT_MAX_KPIS},                                      \
        {"data", required_argument, NULL, OPT_DATA},                                              \
        {"max-data-size", required_argument, NULL, OPT_MAX_DATA_SIZE},                            \
        {"max-data-rows", required_argument, NULL, OPT_MAX_DATA_ROWS}

/** The model path, most specific first: --model-path, JMAP_MODEL_PATH (colon-separated; empty
 * entries are skipped, not read as the current folder), the installed models. `env` holds the
 * copy of JMAP_MODEL_PATH that the list points into; the caller frees both. */
const char **cli_model_path(const cli_common *c, size_t *n, char **env);

/** True unless `path` is relative and a symbolic link on its way leads above where the path
 * starts (its leading "." and ".." components); then *anchor is that start, to free. */
bool cli_links_stay_inside(const char *path, char **anchor);

/** False, with a "path-outside-tree" error, when a relative map path leads through a symbolic
 * link above where the path starts (src/cli/input.c says why). */
bool cli_input_confined(const char *path, jmap_diags *d);

/** Read and compile one map (load, resolve, check). Never prints. Model ids that are not built
 * in are looked up in the --model-path folders, then those of JMAP_MODEL_PATH, then the
 * installed share/jmap/stages. */
void cli_doc_compile(cli_doc *doc, const char *path, const cli_common *c);
void cli_doc_release(cli_doc *doc);

/** Print a document's diagnostics in the chosen format: text to stderr, coloured as the options
 * and terminal say; JSON lines and GitHub commands to stdout; SARIF is gathered. Sorts them
 * by place first. */
void cli_print_diags(jmap_diags *d, const cli_common *c);

/** Before the options are parsed: take --diagnostics (its last valid value) and --help from
 * the whole command line, so that a usage error found before them still writes the SARIF log
 * that was asked for. `shortopts` and `longopts` are the command's own, as getopt_long takes
 * them. It scans a copy of argv and leaves optind 0, so the real scan starts afresh. */
struct option;
void cli_common_prescan(cli_common *c, int argc, char **argv, const char *shortopts,
                        const struct option *longopts);

/** End of the run, whose exit status is `status`: write the SARIF log if one was gathered
 * (its invocation records the status; after a usage or I/O error, status 2 or 3, it says the
 * run failed and lists what cli_error printed), and free what the options hold. Returns
 * `status`. */
int cli_common_finish(cli_common *c, int status);

/** Print "jmap: <message>" to stderr, the message sanitised (jmap_sanitize): use it for every
 * message that quotes a path, an argument or a value. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Print "jmap: <message>" (sanitised, as cli_error) and "try 'jmap help CMD'" (the command
 * named by cli_set_command; 'jmap --help' before one is) to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** The command being run, for the help that usage errors point at. */
void cli_set_command(const char *name);

/** Parse a whole decimal number in [min, max]; false if it is not one. */
bool cli_parse_size(const char *s, size_t min, size_t max, size_t *out);

int cmd_check(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_stages(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_import(int argc, char **argv);

#endif
