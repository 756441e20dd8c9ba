#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "help.h"
#include "jmap/layout.h"
#include "jmap/output.h"
#include "jmap/provenance.h"
#include "jmap/sanitize.h"
#include "jmap/stages.h"
#include "jmap/theme.h"
#include "options.h"
#include "worker_pool.h"

/* jmap build: compile, lay out, render, and write each map without ever leaving a
 * half-written file behind; or, under --check, say which outputs are stale. */

enum {
    OPT_THEME = OPT_FIRST_COMMAND_OPTION,
    OPT_FONT,
    OPT_PAGE,
    OPT_DPI,
    OPT_DUMP_LAYOUT,
    OPT_CHECK,
    OPT_DEPFILE,
    OPT_PERSONA,
    OPT_SPLIT,
    OPT_WATCH,
    OPT_KEEP_MTIME
};

/* -j: more workers than this would only share the same few cores. */
#define MAX_JOBS 256
#define MAX_JOBS_TEXT "256"

int build_worst(int a, int b)
{
    static const int rank[] = {[EXIT_OK] = 0, [EXIT_STALE] = 1, [EXIT_MAP] = 2, [EXIT_IO] = 3,
                               [EXIT_USAGE] = 4};
    return rank[b] > rank[a] ? b : a;
}

static long long source_date_epoch(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    size_t v;
    if (s && cli_parse_size(s, 0, (size_t)253402300799LL, &v))
        return (long long)v;
    return -1;
}

/* A usage error quoting a value from the command line, sanitised: it may be a file name. */
static int bad_value(const char *what, const char *value, const char *hint)
{
    char *shown = jmap_sanitize(value);
    int status = cli_usage_error("%s '%s'%s", what, shown, hint);
    free(shown);
    return status;
}

static bool pick(const char *s, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return true;
        }
    }
    return false;
}

static const struct option build_longopts[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"output", required_argument, NULL, 'o'},
    {"out-dir", required_argument, NULL, 'O'},
    {"format", required_argument, NULL, 'f'},
    {"theme", required_argument, NULL, OPT_THEME},
    {"font", required_argument, NULL, OPT_FONT},
    {"page", required_argument, NULL, OPT_PAGE},
    {"dpi", required_argument, NULL, OPT_DPI},
    {"dump-layout", no_argument, NULL, OPT_DUMP_LAYOUT},
    {"check", no_argument, NULL, OPT_CHECK},
    {"depfile", required_argument, NULL, OPT_DEPFILE},
    {"persona", required_argument, NULL, OPT_PERSONA},
    {"split-personas", no_argument, NULL, OPT_SPLIT},
    {"watch", no_argument, NULL, OPT_WATCH},
    {"keep-mtime", no_argument, NULL, OPT_KEEP_MTIME},
    {"jobs", required_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
const cli_option_table cli_build_options = {"build", build_longopts,
                                            ":ho:O:f:j:" CLI_COMMON_SHORT_OPTIONS};

static int parse_args(build_opts *b, int argc, char **argv)
{
    static const char *const themes[] = {"light", "dark", "print"};
    static const char *const pages[] = {"fit", "a4", "a3", "letter"};
    b->render.dpi = 144;
    b->render.page = JMAP_PAGE_FIT;
    b->render.source_date = source_date_epoch();
    int opt, v;
    size_t n;
    jmap_format f;
    cli_common_prescan(&b->common, argc, argv, cli_build_options.shortopts,
                       cli_build_options.longopts);
    while ((opt = cli_getopt(&cli_build_options, argc, argv)) != -1) {
        switch (opt) {
        case CLI_OPT_ERROR:
            return EXIT_USAGE;
        case 'h':
            cli_help_print(stdout, "build");
            return -1;
        case 'o':
            b->output = optarg;
            break;
        case 'O':
            b->out_dir = optarg;
            break;
        case 'f':
            if (!jmap_format_from_name(optarg, &f))
                return bad_value("unknown output format", optarg, "; use svg, pdf, png, mermaid or markdown");
            b->formats |= 1u << f;
            break;
        case OPT_THEME:
            if (!pick(optarg, themes, 3, &v))
                return bad_value("unknown theme", optarg, "; use light, dark or print");
            b->theme = (jmap_theme_id)v;
            b->have_theme = true;
            break;
        case OPT_FONT:
            b->font = optarg;
            break;
        case OPT_PAGE:
            if (!pick(optarg, pages, 4, &v))
                return bad_value("unknown page size", optarg, "; use fit, a4, a3 or letter");
            b->render.page = (jmap_page)v;
            break;
        case OPT_DPI:
            if (!cli_parse_size(optarg, 9, 2400, &n))
                return bad_value("--dpi takes a number from 9 to 2400, not", optarg, "");
            b->render.dpi = (double)n;
            break;
        case OPT_DUMP_LAYOUT:
            b->dump_layout = true;
            break;
        case OPT_CHECK:
            b->check = true;
            break;
        case OPT_DEPFILE:
            b->depfile = optarg;
            break;
        case OPT_PERSONA:
            b->persona = optarg;
            break;
        case OPT_SPLIT:
            b->split_personas = true;
            break;
        case OPT_WATCH:
            b->watch = true;
            break;
        case OPT_KEEP_MTIME:
            b->keep_mtime = true;
            break;
        case 'j':
            if (!cli_parse_size(optarg, 1, MAX_JOBS, &n))
                return bad_value("--jobs takes a number from 1 to " MAX_JOBS_TEXT ", not",
                                 optarg, "");
            b->jobs = (unsigned)n;
            break;
        default:
            /* every other option of the table is a common one */
            if (cli_common_option(&b->common, opt, optarg) < 0)
                return EXIT_USAGE;
        }
    }
    b->maps = argv + optind;
    b->n_maps = (size_t)(argc - optind);
    if (b->n_maps == 0)
        return cli_usage_error("build: no map given");
    /* Standard input has no name: none to give an -O output, none for a depfile to list. */
    for (size_t i = 0; i < b->n_maps; i++) {
        if (strcmp(b->maps[i], "-") == 0 && b->out_dir)
            return cli_usage_error("build: a map from standard input needs -o FILE, not -O");
        if (strcmp(b->maps[i], "-") == 0 && b->depfile)
            return cli_usage_error("build: --depfile needs map files, not standard input");
    }
    if (b->output && b->out_dir)
        return cli_usage_error("build: give either -o or -O, not both");
    if (!b->output && !b->out_dir && !b->dump_layout)
        return cli_usage_error("build: no output given; use -o FILE or -O DIR");
    if (b->output && b->n_maps > 1)
        return cli_usage_error("build: -o takes one map; use -O DIR for several");
    if (b->watch && (b->check || b->n_maps > 1))
        return cli_usage_error("build: --watch takes one map and no --check");
    if (b->output && (b->formats & (b->formats - 1)))
        return cli_usage_error("build: -o writes one format; use -O DIR for several");
    if (b->output && !b->formats && !b->dump_layout) {
        if (strcmp(b->output, "-") == 0)
            return cli_usage_error("build: writing to standard output needs -f svg|pdf|png|mermaid|markdown");
        if (!jmap_format_from_path(b->output, &f))
            return bad_value("build: cannot tell the format of", b->output,
                             "; use a .svg, .pdf, .png, .mmd or .md name or -f");
        b->formats = 1u << f;
    }
    if (!b->formats)
        b->formats = 1u << JMAP_FORMAT_SVG;
    if (!b->jobs)
        b->jobs = worker_pool_cores(MAX_JOBS);
    if (b->output && strcmp(b->output, "-") == 0) {
        b->common.machine_to_stderr = true;
        if (b->split_personas)
            return cli_usage_error("build: --split-personas needs a file or -O, not '-o -'");
    }
    return EXIT_OK;
}

static int font_missing(const char *family, const char *drawn_with)
{
    return cli_usage_error("build: no installed font provides the family '%s' (--font); jmap "
                           "would draw with '%s' instead ('fc-list : family' lists the "
                           "installed families)",
                           family, drawn_with);
}

/* --font must name a family an installed font provides: fontconfig would quietly draw with
 * another. Sets up the fonts the build then uses. */
static int check_font(const char *family, jmap_fonts **fonts)
{
    if (!(*fonts = jmap_fonts_new()))
        return EXIT_IO;
    if (jmap_provenance_any_installed(*fonts, family))
        return EXIT_OK;
    jmap_provenance *p = jmap_provenance_new(*fonts, family);
    int status = font_missing(family, p->family);
    jmap_provenance_free(p);
    return status;
}

/* The same check in a process of its own, for a batch that worker processes will draw: they
 * are forked from this one, which must not have started Pango (src/cli/worker_pool.c). When
 * no process can be started, the check is made here, and the batch is drawn here too. */
static int check_font_apart(const char *family, jmap_fonts **fonts)
{
    int fds[2];
    if (pipe(fds) != 0)
        return check_font(family, fonts);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return check_font(family, fonts);
    }
    if (pid == 0) {
        close(fds[0]);
        jmap_fonts *f = jmap_fonts_new();
        if (!f)
            _exit(EXIT_IO);
        if (jmap_provenance_any_installed(f, family))
            _exit(EXIT_OK);
        jmap_provenance *p = jmap_provenance_new(f, family); /* what it would draw with */
        ssize_t n = write(fds[1], p->family, strlen(p->family));
        _exit(n >= 0 ? EXIT_USAGE : EXIT_IO);
    }
    close(fds[1]);
    char drawn_with[256];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof drawn_with - 1 &&
           ((n = read(fds[0], drawn_with + len, sizeof drawn_with - 1 - len)) > 0 ||
            (n < 0 && errno == EINTR)))
        len += n > 0 ? (size_t)n : 0;
    drawn_with[len] = '\0';
    close(fds[0]);
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(wstatus))
        return EXIT_IO;
    if (WEXITSTATUS(wstatus) == EXIT_USAGE)
        return font_missing(family, drawn_with);
    return WEXITSTATUS(wstatus) == EXIT_OK ? EXIT_OK : EXIT_IO;
}

int cmd_build(int argc, char **argv)
{
    build_opts b;
    memset(&b, 0, sizeof(b));
    cli_common_init(&b.common);
    int status = parse_args(&b, argc, argv);
    jmap_fonts *fonts = NULL;
    /* -j: only a batch of maps is drawn by workers; --watch and --dump-layout take one map
     * or write them all to standard output. */
    bool workers = b.jobs > 1 && b.n_maps > 1 && !b.dump_layout && !b.watch;
    if (status == EXIT_OK && b.font)
        status = workers ? check_font_apart(b.font, &fonts) : check_font(b.font, &fonts);
    if (status == EXIT_OK) {
        jmap_output_install_signal_handlers();
        status = b.watch ? build_watch(&b, &fonts) : build_all(&b, &fonts);
    } else if (status < 0) {
        status = EXIT_OK; /* --help */
    }
    jmap_fonts_free(fonts);
    return cli_common_finish(&b.common, status);
}
