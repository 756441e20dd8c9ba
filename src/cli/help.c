#include "help.h"

#include <string.h>

#include "cli.h"
#include "jmap/suggest.h"

/*
 * One help text per command, each a list of sections printed in order; the options of build
 * and check are one shared section. One option to a line, so a new option is a new line.
 */

static const char build_usage[] =
    "usage: jmap build [options] MAP -o OUT\n"
    "       jmap build [options] MAP... -O DIR [-f FORMAT]...\n"
    "\n"
    "Draw each map as SVG, PDF or PNG, or write it as a Mermaid journey (.mmd, or .md for a\n"
    "README: see docs/mermaid.md). An output is replaced only once it is complete, and\n"
    "nothing is written when any output would overwrite an input or another output. A MAP\n"
    "of '-' is read from standard input.\n"
    "\n"
    "output:\n"
    "  -o, --output FILE      the output file; its suffix picks the format; '-' writes to\n"
    "                         standard output (then -f is needed); missing folders are made\n"
    "  -O, --out-dir DIR      write DIR/<map name>.<format> for each map (DIR is created)\n"
    "  -f, --format FMT       svg, pdf, png, mermaid (.mmd) or markdown (.md: a mermaid\n"
    "                         block); overrides the suffix; repeat it with -O\n"
    "      --check            write nothing; exit 4 if an output is missing or stale\n"
    "      --depfile FILE     write a Make/Ninja depfile (the map, its stage-model file)\n"
    "      --keep-mtime       leave an unchanged output's time alone (for Ninja restat = 1);\n"
    "                         by default an unchanged output is touched, not rewritten\n"
    "      --watch            rebuild when the map or its stage model changes (Ctrl-C stops)\n"
    "  -j, --jobs N           draw the maps in N processes at once (1 to 256; default: one\n"
    "                         per core); outputs and messages are those of -j 1\n"
    "\n"
    "drawing:\n"
    "      --persona ID       draw only this persona's touchpoints and curve\n"
    "      --split-personas   also write one file per persona beside the full map\n"
    "      --theme NAME       light, dark or print (overrides the map's theme)\n"
    "      --font FAMILY      the typeface (default Inter, falling back to DejaVu Sans)\n"
    "      --page SIZE        PDF page: fit (default), a4, a3 or letter (landscape)\n"
    "      --dpi N            PNG resolution (default 144)\n"
    "      --dump-layout      print the laid-out scene as text instead of drawing it\n";

static const char check_usage[] =
    "usage: jmap check [options] MAP...\n"
    "\n"
    "Validate each map and print its diagnostics; write nothing. The exit status is the\n"
    "worst of the maps'. A MAP of '-' is read from standard input.\n";

/* The options of build and check (cli_common_option). */
static const char common_options[] =
    "\n"
    "diagnostics:\n"
    "  -q, --quiet            print errors only: no warnings, notes or progress lines;\n"
    "                         json, sarif and github output stays complete\n"
    "      --werror           treat warnings as errors\n"
    "      --max-errors N     show at most N diagnostics of each severity per file\n"
    "                         (default 50; 0 = all)\n"
    "      --diagnostics FMT  text (default, on standard error), json, sarif or github\n"
    "                         (on standard output; standard error when build -o - draws there)\n"
    "      --color WHEN       auto (default; never when NO_COLOR is set), always, never\n"
    "\n"
    "stage models:\n"
    "      --model-path DIR   find 'model: ID' as DIR/ID.yaml when ID is not built in;\n"
    "                         repeat it; then JMAP_MODEL_PATH (DIR:DIR...)\n"
    "\n"
    "KPI data (docs/data.md):\n"
    "      --data FILE        join this CSV file to every map, besides the files its\n"
    "                         'data:' key names; repeat it\n"
    "\n"
    "limits (docs/limits.md):\n"
    "      --max-input-size N refuse maps larger than N bytes (default 33554432)\n"
    "      --max-depth N      refuse YAML nested deeper than N (default 64)\n"
    "      --max-nodes N      refuse YAML whose aliases expand past N nodes (default 5000000)\n"
    "      --max-string N     refuse a value longer than N bytes (default 65536)\n"
    "      --max-touchpoints N refuse maps with more touchpoints (default 200000)\n"
    "      --max-personas N   refuse maps with more personas (default 1000)\n"
    "      --max-stages N     refuse maps with more stages (default 1000)\n"
    "      --max-appearances N refuse maps whose touchpoints appear more than N times in\n"
    "                         all, once per persona each (default 100000)\n"
    "      --max-kpis N       refuse maps with more than N KPIs, aliases expanded\n"
    "                         (default 100000)\n"
    "      --max-data-size N  refuse data files larger than N bytes (default 268435456)\n"
    "      --max-data-rows N  refuse data files with more than N rows (default 5000000)\n"
    "\n"
    "  -h, --help             show this help\n";

static const char build_tail[] =
    "\n"
    "exit status:\n"
    "  0 success (warnings allowed)   1 a map has errors   2 usage error, or an output\n"
    "  that would overwrite an input   3 I/O error   4 --check: an output is missing or stale\n"
    "\n"
    "examples:\n"
    "  jmap build trip.yaml -o trip.svg\n"
    "  jmap build maps/*.yaml -O public -f svg -f pdf --depfile maps.d\n"
    "  jmap build --check maps/*.yaml -O public -f svg\n"
    "  generate-map | jmap build - -o - -f png > map.png\n"
    "  jmap build trip.yaml -o docs/trip.md     (a Mermaid journey for a README)\n";

static const char check_tail[] =
    "\n"
    "exit status:\n"
    "  0 no errors (warnings allowed)   1 a map has errors (or warnings, under --werror)\n"
    "  2 usage error   3 I/O error (a map cannot be read)\n"
    "\n"
    "examples:\n"
    "  jmap check --werror maps/*.yaml\n"
    "  jmap check -q --diagnostics github maps/*.yaml\n"
    "  generate-map | jmap check -\n";

static const char stages_help[] =
    "usage: jmap stages [ID]\n"
    "\n"
    "List the built-in stage models, one a line with its stages; with an ID, show that\n"
    "model's stages and suggested KPIs.\n"
    "\n"
    "  -h, --help             show this help\n"
    "\n"
    "exit status:\n"
    "  0 success   2 usage error, or no built-in model has that ID\n"
    "\n"
    "examples:\n"
    "  jmap stages\n"
    "  jmap stages hubspot\n";

static const char new_help[] =
    "usage: jmap new [--model ID] [-o FILE] [--force]\n"
    "\n"
    "Write a starter map on a built-in stage model that passes 'jmap check', to standard\n"
    "output or a file.\n"
    "\n"
    "  -m, --model ID         the stage model (default classic; 'jmap stages' lists them)\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "      --force            replace FILE when it exists\n"
    "  -h, --help             show this help\n"
    "\n"
    "exit status:\n"
    "  0 success   2 usage error, or an unknown model   3 FILE exists (without --force) or\n"
    "  cannot be written\n"
    "\n"
    "examples:\n"
    "  jmap new --model hubspot -o trial.yaml\n"
    "  jmap new > map.yaml\n";

static const char import_help[] =
    "usage: jmap import mermaid FILE [-o OUT.yaml] [--force]\n"
    "\n"
    "Turn a Mermaid journey diagram into a jmap map that passes 'jmap check': sections\n"
    "become stages, tasks touchpoints, actors personas, scores 1..5 emotions -2..+2\n"
    "(docs/mermaid.md). A FILE of '-' is read from standard input. Errors are reported\n"
    "at the Mermaid file's lines and columns.\n"
    "\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "      --force            replace FILE when it exists\n"
    "  -q, --quiet            print errors only: no warnings or notes\n"
    "      --werror           treat warnings as errors\n"
    "      --max-errors N     show at most N diagnostics of each severity (default 50)\n"
    "      --diagnostics FMT  text (default), json, sarif or github; on standard error\n"
    "                         while the map goes to standard output\n"
    "      --color WHEN       auto (default; never when NO_COLOR is set), always, never\n"
    "      --max-input-size N refuse a file larger than N bytes\n"
    "  -h, --help             show this help\n"
    "\n"
    "exit status:\n"
    "  0 success, warnings allowed   1 the file is no journey or has errors   2 usage error\n"
    "  3 FILE cannot be read, or OUT exists (without --force) or cannot be written\n"
    "\n"
    "examples:\n"
    "  jmap import mermaid journey.mmd -o journey.yaml\n"
    "  jmap import mermaid - < journey.mmd | jmap check -\n";

static const char schema_help[] =
    "usage: jmap schema [map|model]\n"
    "\n"
    "Print the JSON Schema for maps (the default) or for stage-model files, for editors:\n"
    "yaml-language-server reads it from a '# yaml-language-server: $schema=...' line.\n"
    "\n"
    "  -h, --help             show this help\n"
    "\n"
    "exit status:\n"
    "  0 success   2 usage error   3 standard output cannot be written\n"
    "\n"
    "examples:\n"
    "  jmap schema > jmap-map.schema.json\n"
    "  jmap schema model > jmap-model.schema.json\n";

static const char help_help[] =
    "usage: jmap help [COMMAND]\n"
    "\n"
    "Show a command's options, arguments, exit statuses and examples (as 'jmap COMMAND\n"
    "--help' does), or without COMMAND the list of commands.\n"
    "\n"
    "exit status:\n"
    "  0 success   2 no such command\n"
    "\n"
    "examples:\n"
    "  jmap help build\n";

typedef struct help_entry {
    const char *name;
    const char *summary;         /* one line of the overview */
    const char *const *sections; /* printed in order, ended by NULL */
} help_entry;

static const char *const build_sections[] = {build_usage, common_options, build_tail, NULL};
static const char *const check_sections[] = {check_usage, common_options, check_tail, NULL};
static const char *const stages_sections[] = {stages_help, NULL};
static const char *const new_sections[] = {new_help, NULL};
static const char *const import_sections[] = {import_help, NULL};
static const char *const schema_sections[] = {schema_help, NULL};
static const char *const help_sections[] = {help_help, NULL};

static const help_entry entries[] = {
    {"build", "draw maps as SVG, PDF or PNG", build_sections},
    {"check", "validate maps, print their diagnostics", check_sections},
    {"stages", "list the built-in stage models, or show one", stages_sections},
    {"new", "write a starter map that passes 'check'", new_sections},
    {"import", "turn a Mermaid journey into a map: import mermaid FILE", import_sections},
    {"schema", "print the JSON Schema for maps or stage-model files", schema_sections},
    {"help", "show a command's options: jmap help COMMAND", help_sections},
};
#define N_ENTRIES (sizeof(entries) / sizeof(entries[0]))

const char *const *cli_help_commands(size_t *n)
{
    static const char *names[N_ENTRIES];
    for (size_t i = 0; i < N_ENTRIES; i++)
        names[i] = entries[i].name;
    *n = N_ENTRIES;
    return names;
}

bool cli_help_print(FILE *out, const char *command)
{
    for (size_t i = 0; i < N_ENTRIES; i++) {
        if (strcmp(entries[i].name, command) != 0)
            continue;
        for (const char *const *s = entries[i].sections; *s; s++)
            fputs(*s, out);
        return true;
    }
    return false;
}

void cli_help_overview(FILE *out)
{
    fputs("usage: jmap <command> [options] [MAP...]\n"
          "\n"
          "Compile customer-journey maps written in YAML into drawn maps.\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < N_ENTRIES; i++)
        fprintf(out, "  %-8s %s\n", entries[i].name, entries[i].summary);
    fputs("\n"
          "  -h, --help     show this help; 'jmap help COMMAND' shows a command's options\n"
          "  -V, --version  show the version, the libraries and the font files it draws with\n"
          "\n"
          "A MAP of '-' is read from standard input.\n"
          "\n"
          "exit status:\n"
          "  0 success (warnings allowed)   1 a map has errors   2 usage error\n"
          "  3 I/O error (cannot read input or write output)\n"
          "  4 build --check found a missing or stale output\n"
          "\n"
          "Run 'jmap help COMMAND' or 'jmap COMMAND --help' for a command's options; 'man jmap'\n"
          "has them all. The format is described in docs/format.md, the diagnostics in\n"
          "docs/diagnostics.md.\n",
          out);
}

int cmd_help(int argc, char **argv)
{
    cli_set_command(NULL); /* its usage errors point at the overview */
    if (argc > 2)
        return cli_usage_error("help takes at most one command, not '%s'", argv[2]);
    if (argc < 2) {
        cli_help_overview(stdout);
        return EXIT_OK;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
        name = "help";
    if (cli_help_print(stdout, name))
        return EXIT_OK;
    size_t n;
    const char *const *names = cli_help_commands(&n);
    const char *near = jmap_suggest(argv[1], names, n);
    if (near)
        return cli_usage_error("help: unknown command '%s'; did you mean '%s'?", argv[1], near);
    return cli_usage_error("help: unknown command '%s'", argv[1]);
}
