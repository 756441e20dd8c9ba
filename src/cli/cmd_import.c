#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "help.h"
#include "jmap/import_mermaid.h"
#include "jmap/output.h"
#include "options.h"

enum { OPT_FORCE = OPT_FIRST_COMMAND_OPTION };

static const struct option import_longopts[] = {
    {"output", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, OPT_FORCE},
    {"quiet", no_argument, NULL, 'q'},
    {"werror", no_argument, NULL, OPT_WERROR},
    {"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
    {"diagnostics", required_argument, NULL, OPT_DIAGNOSTICS},
    {"color", required_argument, NULL, OPT_COLOR},
    {"max-input-size", required_argument, NULL, OPT_MAX_INPUT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
const cli_option_table cli_import_options = {"import", import_longopts, ":ho:q"};

/* Read, convert, write. The diagnostics name the Mermaid file at its lines and columns. */
static int import_file(const char *path, const char *output, bool force, cli_common *c)
{
    jmap_diags d;
    jmap_diags_init(&d);
    d.werror = c->werror;
    d.max_items = c->max_errors;
    int status = EXIT_OK;
    bool is_io = false;
    size_t len = 0, out_len = 0;
    char *text = NULL, *yaml = NULL;
    struct stat st;
    if (!cli_input_confined(path, &d)) {
        status = EXIT_IO;
        goto out;
    }
    if (!force && strcmp(output, "-") != 0 && stat(output, &st) == 0 && S_ISREG(st.st_mode)) {
        cli_error("'%s' exists; use --force to replace it", output);
        status = EXIT_IO;
        goto out;
    }
    text = jmap_read_file(path, &len, &c->limits, &d, &is_io);
    if (!text) {
        status = is_io ? EXIT_IO : EXIT_MAP;
        goto out;
    }
    bool in = strcmp(path, "-") == 0;
    yaml = jmap_import_mermaid(in ? "<stdin>" : path, in ? NULL : path, text, len, &out_len, &d);
    if (!yaml || jmap_diags_failed(&d)) {
        status = EXIT_MAP;
        goto out;
    }
    /* the output writer refuses to write over the input, as build does */
    struct stat in_st;
    if (!in && strcmp(output, "-") != 0 && stat(path, &in_st) == 0 && stat(output, &st) == 0 &&
        in_st.st_dev == st.st_dev && in_st.st_ino == st.st_ino) {
        jmap_diag_add(&d, JMAP_SEV_ERROR, "output-overwrites-input", (jmap_loc){.file = output},
                      "the output '%s' is the Mermaid file itself", output);
        status = EXIT_USAGE;
        goto out;
    }
    if (jmap_output_write(output, yaml, out_len, JMAP_SAME_REWRITE, &d) == JMAP_WRITE_FAILED)
        status = EXIT_IO;
out:
    cli_print_diags(&d, c);
    jmap_diags_release(&d);
    free(text);
    free(yaml);
    return status;
}

/* jmap import mermaid FILE|- [-o OUT.yaml]: a Mermaid journey as a jmap map. */
int cmd_import(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    const char *output = "-";
    bool force = false;
    int opt, status = EXIT_OK;
    cli_common_prescan(&c, argc, argv, cli_import_options.shortopts, cli_import_options.longopts);
    while ((opt = cli_getopt(&cli_import_options, argc, argv)) != -1) {
        if (opt == 'h') {
            cli_help_print(stdout, "import");
            goto out;
        }
        if (opt == 'o') {
            output = optarg;
        } else if (opt == OPT_FORCE) {
            force = true;
        } else if (opt == CLI_OPT_ERROR || cli_common_option(&c, opt, optarg) < 0) {
            status = EXIT_USAGE;
            goto out;
        }
    }
    if (optind >= argc) {
        status = cli_usage_error("import: no format given; 'jmap import mermaid FILE'");
        goto out;
    }
    if (strcmp(argv[optind], "mermaid") != 0) {
        status = cli_usage_error("import: unknown format '%s'; only 'mermaid' is known",
                                 argv[optind]);
        goto out;
    }
    if (optind + 1 >= argc) {
        status = cli_usage_error("import: no Mermaid file given ('-' reads standard input)");
        goto out;
    }
    if (optind + 2 < argc) {
        status = cli_usage_error("import: unexpected argument '%s'", argv[optind + 2]);
        goto out;
    }
    /* the map goes to standard output: machine-readable diagnostics go to standard error */
    c.machine_to_stderr = strcmp(output, "-") == 0;
    status = import_file(argv[optind + 1], output, force, &c);
out:
    return cli_common_finish(&c, status);
}
