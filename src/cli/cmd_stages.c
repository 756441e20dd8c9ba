#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "help.h"
#include "jmap/load.h"
#include "jmap/output.h"
#include "jmap/stages.h"
#include "jmap/starter.h"
#include "jmap/suggest.h"
#include "options.h"

/* jmap stages [ID] and jmap new: the built-in stage models, listed, shown, or started from. */

static int unknown_model(const char *id)
{
    size_t n;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n);
    const char **ids = jmap_xcalloc(n, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        ids[i] = all[i].id;
    const char *near = jmap_suggest(id, ids, n);
    if (near)
        cli_error("unknown stage model '%s'; did you mean '%s'?", id, near);
    else
        cli_error("unknown stage model '%s'; run 'jmap stages' to list them", id);
    free(ids);
    return EXIT_USAGE;
}

static const struct option stages_longopts[] = {
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
const cli_option_table cli_stages_options = {"stages", stages_longopts, ":h"};

int cmd_stages(int argc, char **argv)
{
    int opt;
    optind = 1;
    while ((opt = cli_getopt(&cli_stages_options, argc, argv)) != -1) {
        if (opt == CLI_OPT_ERROR)
            return EXIT_USAGE;
        cli_help_print(stdout, "stages"); /* 'h', the only option */
        return EXIT_OK;
    }
    if (argc - optind > 1)
        return cli_usage_error("stages takes at most one model id");
    if (optind == argc) {
        jmap_stage_models_list(stdout);
        return EXIT_OK;
    }
    const char *id = argv[optind];
    if (!jmap_builtin_stage_model_find(id))
        return unknown_model(id);
    return jmap_stage_model_describe(stdout, id) ? EXIT_OK : EXIT_MAP;
}

static const struct option new_longopts[] = {
    {"model", required_argument, NULL, 'm'},
    {"output", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, 'F'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
const cli_option_table cli_new_options = {"new", new_longopts, ":hm:o:"};

int cmd_new(int argc, char **argv)
{
    const char *model = "classic", *output = "-";
    bool force = false;
    int opt;
    optind = 1;
    while ((opt = cli_getopt(&cli_new_options, argc, argv)) != -1) {
        switch (opt) {
        case 'm':
            model = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'F':
            force = true;
            break;
        case 'h':
            cli_help_print(stdout, "new");
            return EXIT_OK;
        default: /* CLI_OPT_ERROR, already reported */
            return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("new: unexpected argument '%s'", argv[optind]);
    const jmap_builtin_stage_model *b = jmap_builtin_stage_model_find(model);
    if (!b)
        return unknown_model(model);
    struct stat st;
    if (!force && strcmp(output, "-") != 0 && stat(output, &st) == 0 && S_ISREG(st.st_mode)) {
        cli_error("'%s' exists; use --force to replace it", output);
        return EXIT_IO;
    }
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    jmap_stage_model *m = jmap_load_stage_model(a, b->file, b->text, b->len, &lim, &d);
    char *text = m && !jmap_diags_failed(&d) ? jmap_starter_map(m, model) : NULL;
    jmap_arena_free(a);
    int status = EXIT_OK;
    if (!text) {
        jmap_diag_print_opts o = {0};
        jmap_diags_print(&d, stderr, &o);
        jmap_diags_release(&d);
        return EXIT_MAP;
    }
    if (jmap_output_write(output, text, strlen(text), JMAP_SAME_REWRITE, &d) ==
        JMAP_WRITE_FAILED) {
        jmap_diag_print_opts o = {0};
        jmap_diags_print(&d, stderr, &o);
        status = EXIT_IO;
    }
    jmap_diags_release(&d);
    free(text);
    return status;
}
