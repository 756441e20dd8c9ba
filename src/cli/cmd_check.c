#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "data_files.h"
#include "help.h"
#include "options.h"

static const struct option check_longopts[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
const cli_option_table cli_check_options = {"check", check_longopts, ":h" CLI_COMMON_SHORT_OPTIONS};

/* jmap check FILE...: validate each map, print its diagnostics, exit with the worst status. */
int cmd_check(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    int opt, worst = EXIT_OK;
    cli_common_prescan(&c, argc, argv, cli_check_options.shortopts, cli_check_options.longopts);
    while ((opt = cli_getopt(&cli_check_options, argc, argv)) != -1) {
        if (opt == 'h') {
            cli_help_print(stdout, "check");
            goto out;
        }
        /* every other option of the table is a common one */
        if (opt == CLI_OPT_ERROR || cli_common_option(&c, opt, optarg) < 0) {
            worst = EXIT_USAGE;
            goto out;
        }
    }
    if (optind >= argc) {
        worst = cli_usage_error("check: no map given");
        goto out;
    }
    cli_data_prepare(c.data_cache, argv + optind, (size_t)(argc - optind), &c);
    for (int i = optind; i < argc; i++) {
        cli_doc doc;
        cli_doc_compile(&doc, argv[i], &c);
        cli_print_diags(&doc.diags, &c);
        if (doc.status > worst)
            worst = doc.status;
        cli_doc_release(&doc);
    }
out:
    return cli_common_finish(&c, worst);
}
