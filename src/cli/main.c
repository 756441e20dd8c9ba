/* jmap: customer-journey maps as code. argv -> a command -> exit status. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "jmap/fonts.h"
#include "jmap/provenance.h"
#include "jmap/theme.h"

static const char usage[] =
    "usage: jmap <command> [options] [FILE...]\n"
    "\n"
    "Compile customer-journey maps written in YAML into drawn maps.\n"
    "\n"
    "commands:\n"
    "  build FILE... -o OUT   draw maps as SVG, PDF or PNG\n"
    "  check FILE...          validate maps, print diagnostics\n"
    "  stages [ID]            list the built-in stage models, or show one\n"
    "  new --model ID [-o F]  write a starter map that passes 'check'\n"
    "\n"
    "build options:\n"
    "  -o, --output FILE      output file; the suffix picks the format; '-' = stdout\n"
    "  -O, --out-dir DIR      write DIR/<map name>.<format> for each map\n"
    "  -f, --format FMT       svg, pdf or png (overrides the suffix); repeat with -O\n"
    "      --check            write nothing; exit 4 if an output is missing or stale\n"
    "      --depfile FILE     write a Make/Ninja depfile (the map, its stage-model file)\n"
    "      --persona ID       draw only this persona's touchpoints and curve\n"
    "      --split-personas   also write one file per persona beside the full map\n"
    "      --watch            rebuild when the map or its stage model changes\n"
    "      --theme NAME       light, dark or print (overrides the map's theme)\n"
    "      --font FAMILY      the typeface (default Inter, falling back to DejaVu Sans)\n"
    "      --page SIZE        PDF page: fit (default), a4, a3 or letter (landscape)\n"
    "      --dpi N            PNG resolution (default 144)\n"
    "      --dump-layout      print the laid-out scene as text instead of drawing it\n"
    "\n"
    "options for build and check:\n"
    "      --werror           treat warnings as errors\n"
    "      --max-errors N     show at most N diagnostics per file (default 50; 0 = all)\n"
    "      --color WHEN       auto (default; never when NO_COLOR is set), always, never\n"
    "      --diagnostics FMT  text (default), json, sarif or github\n"
    "      --max-input-size N refuse maps larger than N bytes (default 33554432)\n"
    "      --max-depth N      refuse YAML nested deeper than N (default 64)\n"
    "      --max-nodes N      refuse YAML whose aliases expand past N nodes (default 5000000)\n"
    "      --max-string N     refuse a value longer than N bytes (default 65536)\n"
    "      --max-touchpoints N, --max-personas N, --max-stages N\n"
    "                         refuse maps with more (defaults 200000, 1000, 1000)\n"
    "      --max-appearances N refuse maps whose touchpoints appear more than N times\n"
    "                         in all, once per persona each (default 100000)\n"
    "      --max-kpis N       refuse maps with more than N KPIs, aliases expanded\n"
    "                         (default 100000)\n"
    "      --model-path DIR   find 'model: ID' as DIR/ID.yaml when ID is not built in;\n"
    "                         repeat it; then JMAP_MODEL_PATH (DIR:DIR...)\n"
    "\n"
    "  -h, --help             show this help\n"
    "  -V, --version          show the version, the libraries and the font files it draws with\n"
    "\n"
    "exit status:\n"
    "  0 success (warnings allowed)   1 the map has errors   2 usage error\n"
    "  3 I/O error (cannot read input or write output)\n"
    "  4 build --check found a missing or stale output\n"
    "\n"
    "The format is described in docs/format.md, the diagnostics in docs/diagnostics.md.\n";

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
    {"build", cmd_build},
    {"check", cmd_check},
    {"stages", cmd_stages},
    {"new", cmd_new},
};

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("no command given");
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
        fputs(usage, stdout);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
    }
    if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0)
        return version();
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(name, commands[i].name) == 0) {
            int status = commands[i].run(argc - 1, argv + 1);
            /* Output that could not be written is an I/O error, as jq checks it. */
            bool bad = ferror(stdout);
            if ((fclose(stdout) != 0 || bad) && status < EXIT_IO) {
                fputs("jmap: cannot write standard output\n", stderr);
                return EXIT_IO;
            }
            return status;
        }
    }
    return cli_usage_error("unknown command '%s'", name);
}
