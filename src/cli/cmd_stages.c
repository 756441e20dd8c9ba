#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "jmap/load.h"
#include "jmap/output.h"
#include "jmap/stages.h"
#include "jmap/starter.h"
#include "jmap/suggest.h"

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

int cmd_stages(int argc, char **argv)
{
    if (argc > 2)
        return cli_usage_error("stages takes at most one model id");
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        puts("usage: jmap stages [ID]\nlist the built-in stage models, or show one with its "
             "stages and suggested KPIs");
        return EXIT_OK;
    }
    if (argc == 1) {
        jmap_stage_models_list(stdout);
        return EXIT_OK;
    }
    if (!jmap_builtin_stage_model_find(argv[1]))
        return unknown_model(argv[1]);
    return jmap_stage_model_describe(stdout, argv[1]) ? EXIT_OK : EXIT_MAP;
}

int cmd_new(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *model = "classic", *output = "-";
    bool force = false;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hm:o:", longopts, NULL)) != -1) {
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
            puts("usage: jmap new [--model ID] [-o FILE] [--force]\n"
                 "write a starter map on a built-in stage model (default classic)");
            return EXIT_OK;
        default:
            return cli_usage_error("new: unknown option '%s'", argv[optind - 1]);
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
