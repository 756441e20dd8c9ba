#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "help.h"
#include "jmap/schema.h"
#include "options.h"

/* jmap schema [map|model]: the JSON Schema of maps (the default) or of stage-model files, for
 * editors. The same text is shipped as schema/<name>.schema.json and installed beside the
 * stage models; the tests hold the two equal. */

static const struct option schema_longopts[] = {
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
const cli_option_table cli_schema_options = {"schema", schema_longopts, ":h"};

int cmd_schema(int argc, char **argv)
{
    int opt;
    optind = 1;
    while ((opt = cli_getopt(&cli_schema_options, argc, argv)) != -1) {
        if (opt == CLI_OPT_ERROR)
            return EXIT_USAGE;
        cli_help_print(stdout, "schema"); /* 'h', the only option */
        return EXIT_OK;
    }
    if (argc - optind > 1)
        return cli_usage_error("schema takes at most one argument: map or model");
    jmap_schema_kind kind = JMAP_SCHEMA_MAP;
    if (optind < argc && !jmap_schema_kind_from_name(argv[optind], &kind))
        return cli_usage_error("unknown schema '%s'; expected 'map' or 'model'", argv[optind]);
    char *json = jmap_schema_json(kind);
    fputs(json, stdout);
    free(json);
    return EXIT_OK;
}
