#include <getopt.h>
#include <stdio.h>

#include "cli.h"

/* jmap check FILE...: validate each map, print its diagnostics, exit with the worst status. */
int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONG_OPTIONS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    cli_common_init(&c);
    int opt, worst = EXIT_OK;
    cli_common_prescan(&c, argc, argv, "h", longopts);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'h') {
            puts("usage: jmap check [--werror] [--max-errors N] [--color WHEN]\n"
                 "                  [--diagnostics text|json|sarif|github] FILE...");
            goto out;
        }
        int r = cli_common_option(&c, opt, optarg);
        if (r == 0)
            r = -1, cli_usage_error("check: unknown option '%s'", argv[optind - 1]);
        if (r < 0) {
            worst = EXIT_USAGE;
            goto out;
        }
    }
    if (optind >= argc) {
        worst = cli_usage_error("check: no map given");
        goto out;
    }
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
