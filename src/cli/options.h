#ifndef JMAP_CLI_OPTIONS_H
#define JMAP_CLI_OPTIONS_H

#include <getopt.h>
#include <stddef.h>

/*
 * The option tables of the commands, shared by their parsers, the did-you-mean of a mistyped
 * option, and the tests that hold the help, the man page and the completions to them.
 */

typedef struct cli_option_table {
    const char *command;           /* "build"; "" for jmap itself (before any command) */
    const struct option *longopts; /* getopt_long's table, ended by a zeroed entry */
    const char *shortopts;         /* getopt_long's optstring, starting with ':' */
} cli_option_table;

extern const cli_option_table cli_build_options, cli_check_options, cli_stages_options,
    cli_new_options, cli_schema_options, cli_import_options;

/** Every command's table, and jmap's own (-h, -V) last. */
const cli_option_table *const *cli_option_tables(size_t *n);

/* cli_getopt's answer for a mistake it has already reported as a usage error. */
#define CLI_OPT_ERROR (-2)

/**
 * getopt_long over `t` (set optind = 1 before the first call), with jmap's own messages instead
 * of getopt's: an unknown option gets a did-you-mean from this command's options or the name
 * of the command it belongs to; a missing or unexpected value, an ambiguous abbreviation and a
 * long option typed with one dash ('-output', which getopt reads as '-o utput') are usage
 * errors. Returns the option, -1 at the end, or CLI_OPT_ERROR after printing the error.
 */
int cli_getopt(const cli_option_table *t, int argc, char **argv);

#endif
