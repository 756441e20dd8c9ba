#ifndef JMAP_CLI_HELP_H
#define JMAP_CLI_HELP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * The help text of every command, in one place (src/cli/help.c): `jmap help CMD`,
 * `jmap CMD --help` and the overview of `jmap --help` all print from it. docs/jmap.1 and the
 * completions in docs/completion/ follow it; tests/test_help.c holds them to the option tables.
 */

/** The commands that have help, in the overview's order; *n is set to their number. */
const char *const *cli_help_commands(size_t *n);

/** Print the whole usage of `command` to `out`: false when there is no such command. */
bool cli_help_print(FILE *out, const char *command);

/** Print the overview: every command in a line, and how to ask for a command's help. */
void cli_help_overview(FILE *out);

/** `jmap help [CMD]` (also `jmap --help [CMD]`): argv[0] is the word that asked for help. */
int cmd_help(int argc, char **argv);

#endif
