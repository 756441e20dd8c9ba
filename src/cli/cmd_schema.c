#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jmap/schema.h"

/* jmap schema [map|model]: the JSON Schema of maps (the default) or of stage-model files, for
 * editors. The same text is shipped as schema/<name>.schema.json and installed beside the
 * stage models; the tests hold the two equal. */

static const char schema_usage[] =
    "usage: jmap schema [map|model]\n"
    "print the JSON Schema (draft-07) of maps (default) or of stage-model files, for editors\n";

int cmd_schema(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(schema_usage, stdout);
        return EXIT_OK;
    }
    if (argc > 2)
        return cli_usage_error("schema takes at most one argument: map or model");
    jmap_schema_kind kind = JMAP_SCHEMA_MAP;
    if (argc == 2 && !jmap_schema_kind_from_name(argv[1], &kind))
        return cli_usage_error("unknown schema '%s'; expected 'map' or 'model'", argv[1]);
    char *json = jmap_schema_json(kind);
    fputs(json, stdout);
    free(json);
    return EXIT_OK;
}
