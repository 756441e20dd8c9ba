/* jmap: customer-journey maps as code. argv -> a command -> exit status. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "help.h"
#include "jmap/suggest.h"
#include "jmap/fonts.h"
#include "jmap/provenance.h"
#include "jmap/theme.h"

/* jmap's version, then what it draws with: the libraries, the default font's files, the stamp
 * each output carries. */
static int version(void)
{
    printf("jmap %s (map format version %d)\n", JMAP_VERSION, JMAP_FORMAT_VERSION);
    jmap_fonts *fonts = jmap_fonts_new();
    jmap_provenance *p = jmap_provenance_new(fonts, jmap_theme_get(JMAP_THEME_LIGHT)->font_family);
    jmap_provenance_print(p, stdout);
    jmap_provenance_free(p);
    jmap_fonts_free(fonts);
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_IO;
}

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} command;

static const command commands[] = {
    {"build", cmd_build}, {"check", cmd_check}, {"stages", cmd_stages},
    {"new", cmd_new},     {"import", cmd_import}, {"schema", cmd_schema},
    {"help", cmd_help},
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* A word that is no command (or no option of jmap itself): say so, with the nearest one. */
static int unknown(const char *name)
{
    bool option = name[0] == '-';
    const char *names[N_COMMANDS];
    for (size_t i = 0; i < N_COMMANDS; i++)
        names[i] = commands[i].name;
    static const char *const options[] = {"--help", "--version"};
    const char *near =
        option ? jmap_suggest(name, options, 2) : jmap_suggest(name, names, N_COMMANDS);
    const char *what = option ? "option" : "command";
    if (near)
        return cli_usage_error("unknown %s '%s'; did you mean '%s'?", what, name, near);
    return cli_usage_error("unknown %s '%s'", what, name);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("no command given");
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
        name = "help";
    if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
        return version();
    }
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(name, commands[i].name) != 0)
            continue;
        cli_set_command(name);
        int status;
        /* `jmap CMD --help` is `jmap help CMD`, for every command */
        if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0))
            status = cli_help_print(stdout, name) ? EXIT_OK : EXIT_USAGE;
        else
            status = commands[i].run(argc - 1, argv + 1);
        /* Output that could not be written is an I/O error, as jq checks it. */
        bool bad = ferror(stdout);
        if ((fclose(stdout) != 0 || bad) && status < EXIT_IO) {
            fputs("jmap: cannot write standard output\n", stderr);
            return EXIT_IO;
        }
        return status;
    }
    return unknown(name);
}
