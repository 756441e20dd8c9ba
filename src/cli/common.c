#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data_files.h"
#include "jmap/check.h"
#include "jmap/jmap.h"
#include "jmap/resolve.h"
#include "jmap/sanitize.h"

void cli_common_init(cli_common *c)
{
    memset(c, 0, sizeof(*c));
    c->max_errors = JMAP_DIAGS_DEFAULT_MAX;
    c->color = -1;
    c->limits = jmap_limits_default();
    c->data_cache = cli_data_cache_new();
}

/* What cli_error printed in this run: a SARIF log of a failed run lists it (sanitised when
 * written) as what stopped the run. */
static char **errors;
static size_t n_errors, cap_errors;

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = jmap_xvprintf(fmt, ap);
    va_end(ap);
    errors = jmap_xgrow(errors, &cap_errors, n_errors + 1, sizeof(char *));
    errors[n_errors++] = jmap_xstrdup(msg);
    /* The arguments are argv words, paths or ids from a map; jmap's own text has no control
     * character, so the whole line can pass the sanitiser. */
    fputs("jmap: ", stderr);
    jmap_sanitize_write(stderr, msg, strlen(msg));
    fputc('\n', stderr);
    free(msg);
}

static const char *current_command;

void cli_set_command(const char *name)
{
    current_command = name;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = jmap_xvprintf(fmt, ap);
    va_end(ap);
    cli_error("%s", msg);
    if (current_command)
        fprintf(stderr, "try 'jmap help %s'\n", current_command);
    else
        fputs("try 'jmap --help'\n", stderr);
    free(msg);
    return EXIT_USAGE;
}

bool cli_parse_size(const char *s, size_t min, size_t max, size_t *out)
{
    if (!s || !*s)
        return false;
    size_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        size_t digit = (size_t)(*p - '0');
        if (v > (max - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    if (v < min)
        return false;
    *out = v;
    return true;
}

/* A size limit from an option; 1 when set, -1 after a usage error. */
static int set_limit(size_t *limit, const char *name, const char *arg, size_t min)
{
    size_t v;
    if (!cli_parse_size(arg, min, (size_t)1 << 40, &v))
        return cli_usage_error("%s takes a whole number from %zu, not '%s'", name, min, arg), -1;
    *limit = v;
    return 1;
}

int cli_common_option(cli_common *c, int opt, const char *arg)
{
    size_t v;
    switch (opt) {
    case OPT_WERROR:
        c->werror = true;
        return 1;
    case 'q':
        c->quiet = true;
        return 1;
    case OPT_MAX_ERRORS:
        if (!cli_parse_size(arg, 0, 1000000, &v))
            return cli_usage_error("--max-errors takes a number, not '%s'", arg), -1;
        c->max_errors = v;
        return 1;
    case OPT_COLOR:
        if (strcmp(arg, "auto") == 0)
            c->color = -1;
        else if (strcmp(arg, "always") == 0)
            c->color = 1;
        else if (strcmp(arg, "never") == 0)
            c->color = 0;
        else
            return cli_usage_error("--color takes auto, always or never, not '%s'", arg), -1;
        return 1;
    case OPT_MAX_INPUT:
        return set_limit(&c->limits.max_input_bytes, "--max-input-size", arg, 1);
    case OPT_MAX_DEPTH:
        if (!cli_parse_size(arg, 2, 100000, &v))
            return cli_usage_error("--max-depth takes a number from 2 to 100000, not '%s'", arg),
                   -1;
        c->limits.max_depth = (unsigned)v;
        return 1;
    case OPT_MAX_NODES:
        return set_limit(&c->limits.max_nodes, "--max-nodes", arg, 1);
    case OPT_MAX_STRING:
        return set_limit(&c->limits.max_string_bytes, "--max-string", arg, 1);
    case OPT_MAX_TOUCHPOINTS:
        return set_limit(&c->limits.max_touchpoints, "--max-touchpoints", arg, 1);
    case OPT_MAX_PERSONAS:
        return set_limit(&c->limits.max_personas, "--max-personas", arg, 1);
    case OPT_MAX_STAGES:
        return set_limit(&c->limits.max_stages, "--max-stages", arg, 1);
    case OPT_MAX_APPEARANCES:
        return set_limit(&c->limits.max_appearances, "--max-appearances", arg, 1);
    case OPT_MAX_KPIS:
        return set_limit(&c->limits.max_kpis, "--max-kpis", arg, 1);
    case OPT_MAX_DATA_SIZE:
        return set_limit(&c->limits.max_data_bytes, "--max-data-size", arg, 1);
    case OPT_MAX_DATA_ROWS:
        return set_limit(&c->limits.max_data_rows, "--max-data-rows", arg, 1);
    case OPT_DATA:
        if (!*arg || strcmp(arg, "-") == 0)
            return cli_usage_error("--data takes a CSV file (standard input is for maps)"), -1;
        c->data_files =
            jmap_xgrow(c->data_files, &c->cap_data_files, c->n_data_files + 1, sizeof(char *));
        c->data_files[c->n_data_files++] = arg;
        return 1;
    case OPT_MODEL_PATH:
        if (!*arg)
            return cli_usage_error("--model-path takes a folder"), -1;
        c->model_dirs =
            jmap_xgrow(c->model_dirs, &c->cap_model_dirs, c->n_model_dirs + 1, sizeof(char *));
        c->model_dirs[c->n_model_dirs++] = arg;
        return 1;
    case OPT_DIAGNOSTICS:
        if (!jmap_diag_format_from_name(arg, &c->diag_format))
            return cli_usage_error("--diagnostics takes text, json, sarif or github, not '%s'",
                                   arg),
                   -1;
        if (c->diag_format == JMAP_DIAG_SARIF && !c->sarif)
            c->sarif = jmap_sarif_new();
        return 1;
    default:
        return 0;
    }
}

const char **cli_model_path(const cli_common *c, size_t *n, char **env)
{
    const char *var = getenv("JMAP_MODEL_PATH");
    *env = jmap_xstrdup(var ? var : "");
    size_t cap = c->n_model_dirs + 2 + strlen(*env) / 2 + 1;
    const char **dirs = jmap_xcalloc(cap, sizeof(char *));
    *n = 0;
    for (size_t i = 0; i < c->n_model_dirs; i++)
        dirs[(*n)++] = c->model_dirs[i];
    for (char *save = NULL, *dir = strtok_r(*env, ":", &save); dir;
         dir = strtok_r(NULL, ":", &save))
        dirs[(*n)++] = dir;
#ifdef JMAP_DATADIR
    dirs[(*n)++] = JMAP_DATADIR "/jmap/stages";
#endif
    return dirs;
}

void cli_doc_compile(cli_doc *doc, const char *path, const cli_common *c)
{
    memset(doc, 0, sizeof(*doc));
    doc->path = path;
    jmap_diags_init(&doc->diags);
    doc->diags.werror = c->werror;
    doc->diags.max_items = c->max_errors;
    if (!cli_input_confined(path, &doc->diags)) {
        doc->status = EXIT_IO;
        return;
    }
    bool is_io = false;
    doc->text = jmap_read_file(path, &doc->len, &c->limits, &doc->diags, &is_io);
    if (!doc->text) {
        doc->status = is_io ? EXIT_IO : EXIT_MAP;
        return;
    }
    doc->arena = jmap_arena_new();
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    char *env = NULL;
    jmap_resolve_opts ro = {0};
    const char **dirs = cli_model_path(c, &ro.n_model_dirs, &env);
    ro.model_dirs = dirs;
    /* jmap_compile_with, with the data join between resolve and check */
    size_t errors_before = doc->diags.n_errors;
    bool io_ok = true;
    jmap_map *map = jmap_load_map(doc->arena, name, doc->text, doc->len, &c->limits, &doc->diags);
    if (map) {
        jmap_resolve_with(doc->arena, map, &c->limits, &ro, &doc->diags);
        io_ok = cli_data_attach(doc, map, c);
        jmap_check(map, &doc->diags);
    }
    jmap_diags_sort(&doc->diags);
    free(dirs);
    free(env);
    doc->map = map && doc->diags.n_errors == errors_before ? map : NULL;
    doc->status = !io_ok ? EXIT_IO : doc->map ? EXIT_OK : EXIT_MAP;
}

void cli_doc_release(cli_doc *doc)
{
    jmap_arena_free(doc->arena);
    free(doc->text);
    jmap_diags_release(&doc->diags);
    memset(doc, 0, sizeof(*doc));
}

void cli_print_diags(jmap_diags *d, const cli_common *c)
{
    jmap_diags_sort(d);
    FILE *machine = c->machine_to_stderr ? stderr : stdout;
    switch (c->diag_format) {
    case JMAP_DIAG_JSON:
        jmap_diags_print_json(d, machine);
        return;
    case JMAP_DIAG_GITHUB:
        jmap_diags_print_github(d, machine);
        return;
    case JMAP_DIAG_SARIF:
        jmap_sarif_add(c->sarif, d);
        return;
    case JMAP_DIAG_TEXT:
        break;
    }
    bool color = c->color == 1;
    if (c->color == -1) {
        const char *no = getenv("NO_COLOR");
        color = isatty(STDERR_FILENO) && !(no && *no);
    }
    jmap_diag_print_opts o = {.color = color, .excerpt = true, .errors_only = c->quiet};
    jmap_diags_print(d, stderr, &o);
}

void cli_common_prescan(cli_common *c, int argc, char **argv, const char *shortopts,
                        const struct option *longopts)
{
    int opt;
    jmap_diag_format f;
    /* getopt_long permutes what it scans: scan a copy, or the real scan that follows would see
     * "MAP --output" reordered as "--output MAP" and take the map for the option's value. */
    char **copy = jmap_xmalloc(((size_t)argc + 1) * sizeof *copy);
    memcpy(copy, argv, ((size_t)argc + 1) * sizeof *copy);
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, copy, shortopts, longopts, NULL)) != -1) {
        if (opt == OPT_DIAGNOSTICS && jmap_diag_format_from_name(optarg, &f))
            c->diag_format = f;
        else if (opt == 'h')
            c->help = true;
    }
    if (c->diag_format == JMAP_DIAG_SARIF && !c->sarif)
        c->sarif = jmap_sarif_new();
    free(copy);
    optind = 0; /* the next scan starts afresh */
}

/* Why a run failed, when nothing printed through cli_error says it: the diagnostics (results
 * of the log) name the files. */
static const char *failure_summary(int status)
{
    if (status == EXIT_USAGE)
        return "the run stopped before doing its work (exit status 2): the command asks for "
               "something that cannot be done as given; the error results say what";
    return "a file could not be read or written (exit status 3); the error results name it";
}

static void write_sarif(cli_common *c, int status)
{
    bool failed = status == EXIT_USAGE || status == EXIT_IO;
    jmap_sarif_set_outcome(c->sarif, status, !failed);
    for (size_t i = 0; failed && i < n_errors; i++)
        jmap_sarif_notify(c->sarif, errors[i]);
    if (failed && n_errors == 0)
        jmap_sarif_notify(c->sarif, failure_summary(status));
    jmap_sarif_write(c->sarif, c->machine_to_stderr ? stderr : stdout);
}

int cli_common_finish(cli_common *c, int status)
{
    if (c->sarif && c->diag_format == JMAP_DIAG_SARIF && !c->help)
        write_sarif(c, status);
    for (size_t i = 0; i < n_errors; i++)
        free(errors[i]);
    free(errors);
    errors = NULL;
    n_errors = cap_errors = 0;
    jmap_sarif_free(c->sarif);
    c->sarif = NULL;
    free(c->model_dirs);
    c->model_dirs = NULL;
    free(c->data_files);
    c->data_files = NULL;
    c->n_data_files = c->cap_data_files = 0;
    cli_data_cache_free(c->data_cache);
    c->data_cache = NULL;
    c->n_model_dirs = c->cap_model_dirs = 0;
    return status;
}
