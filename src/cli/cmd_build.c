#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jmap/fonts.h"
#include "jmap/layout.h"
#include "jmap/output.h"
#include "jmap/render.h"
#include "jmap/theme.h"

/* jmap build: compile, lay out, render, and write each map without ever leaving a
 * half-written file behind. */

typedef struct build_opts {
    cli_common common;
    const char *output;  /* -o */
    const char *out_dir; /* -O */
    bool have_format;
    jmap_format format;
    bool have_theme;
    jmap_theme_id theme;
    const char *font;
    jmap_render_opts render;
    bool dump_layout;
} build_opts;

enum {
    OPT_THEME = OPT_FIRST_COMMAND_OPTION,
    OPT_FONT,
    OPT_PAGE,
    OPT_DPI,
    OPT_DUMP_LAYOUT
};

static long long source_date_epoch(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    size_t v;
    if (s && cli_parse_size(s, 0, (size_t)253402300799LL, &v))
        return (long long)v;
    return -1;
}

static int parse_theme(const char *s, jmap_theme_id *out)
{
    static const char *const names[] = {"light", "dark", "print"};
    for (int i = 0; i < 3; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (jmap_theme_id)i;
            return 1;
        }
    }
    return 0;
}

static int parse_page(const char *s, jmap_page *out)
{
    static const char *const names[] = {"fit", "a4", "a3", "letter"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (jmap_page)i;
            return 1;
        }
    }
    return 0;
}

static int parse_args(build_opts *b, int argc, char **argv, int *first_file)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONG_OPTIONS,
        {"output", required_argument, NULL, 'o'},
        {"out-dir", required_argument, NULL, 'O'},
        {"format", required_argument, NULL, 'f'},
        {"theme", required_argument, NULL, OPT_THEME},
        {"font", required_argument, NULL, OPT_FONT},
        {"page", required_argument, NULL, OPT_PAGE},
        {"dpi", required_argument, NULL, OPT_DPI},
        {"dump-layout", no_argument, NULL, OPT_DUMP_LAYOUT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(b, 0, sizeof(*b));
    cli_common_init(&b->common);
    b->render.dpi = 144;
    b->render.page = JMAP_PAGE_FIT;
    b->render.source_date = source_date_epoch();
    int opt;
    size_t v;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "ho:O:f:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            puts("usage: jmap build [options] FILE -o OUT\n"
                 "       jmap build [options] FILE... -O DIR [-f FORMAT]\n"
                 "see 'jmap --help' for the options");
            return EXIT_OK + 100;
        case 'o':
            b->output = optarg;
            break;
        case 'O':
            b->out_dir = optarg;
            break;
        case 'f':
            if (!jmap_format_from_name(optarg, &b->format))
                return cli_usage_error("unknown output format '%s'; use svg, pdf or png", optarg);
            b->have_format = true;
            break;
        case OPT_THEME:
            if (!parse_theme(optarg, &b->theme))
                return cli_usage_error("unknown theme '%s'; use light, dark or print", optarg);
            b->have_theme = true;
            break;
        case OPT_FONT:
            b->font = optarg;
            break;
        case OPT_PAGE:
            if (!parse_page(optarg, &b->render.page))
                return cli_usage_error("unknown page size '%s'; use fit, a4, a3 or letter",
                                       optarg);
            break;
        case OPT_DPI:
            if (!cli_parse_size(optarg, 9, 2400, &v))
                return cli_usage_error("--dpi takes a number from 9 to 2400, not '%s'", optarg);
            b->render.dpi = (double)v;
            break;
        case OPT_DUMP_LAYOUT:
            b->dump_layout = true;
            break;
        default: {
            int r = cli_common_option(&b->common, opt, optarg);
            if (r < 0)
                return EXIT_USAGE;
            if (r == 0)
                return cli_usage_error("build: unknown option '%s'", argv[optind - 1]);
        }
        }
    }
    *first_file = optind;
    int n_files = argc - optind;
    if (n_files == 0)
        return cli_usage_error("build: no map given");
    if (b->output && b->out_dir)
        return cli_usage_error("build: give either -o or -O, not both");
    if (!b->output && !b->out_dir && !b->dump_layout)
        return cli_usage_error("build: no output given; use -o FILE or -O DIR");
    if (b->output && n_files > 1)
        return cli_usage_error("build: -o takes one map; use -O DIR for several");
    if (b->output && !b->have_format && !b->dump_layout) {
        if (strcmp(b->output, "-") == 0)
            return cli_usage_error("build: writing to standard output needs -f svg|pdf|png");
        if (!jmap_format_from_path(b->output, &b->format))
            return cli_usage_error("build: cannot tell the format of '%s'; use a .svg, .pdf or "
                                   ".png name or -f",
                                   b->output);
    }
    b->render.format = b->format;
    return EXIT_OK;
}

/* DIR/<base name without .yaml>.<suffix> */
static char *out_path_in_dir(const char *dir, const char *map_path, jmap_format f)
{
    const char *base = strrchr(map_path, '/');
    base = base ? base + 1 : map_path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
        n -= 5;
    else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
        n -= 4;
    return jmap_xprintf("%s/%.*s.%s", dir, (int)n, base, jmap_format_suffix(f));
}

static int build_one(const build_opts *b, const char *path, jmap_fonts **fonts)
{
    cli_doc doc;
    cli_doc_compile(&doc, path, &b->common);
    int status = doc.status;
    char *out_path = NULL;
    jmap_buf buf = {0};
    if (status != EXIT_OK)
        goto out;

    if (!*fonts && !(*fonts = jmap_fonts_new())) {
        status = EXIT_IO;
        goto out;
    }
    jmap_theme theme = *jmap_theme_get(b->have_theme ? b->theme : doc.map->theme_v);
    if (b->font)
        theme.font_family = b->font;
    jmap_layout_opts lo = {.theme = &theme};
    jmap_text_measurer tm = jmap_fonts_measurer(*fonts);
    jmap_scene *scene = jmap_layout_build(doc.arena, doc.map, &lo, &tm, &doc.diags);
    if (!scene || jmap_diags_failed(&doc.diags)) {
        status = EXIT_MAP;
        goto out;
    }
    if (b->dump_layout) {
        FILE *f = b->output && strcmp(b->output, "-") != 0 ? fopen(b->output, "w") : stdout;
        if (!f) {
            perror(b->output);
            status = EXIT_IO;
            goto out;
        }
        jmap_layout_dump(scene, f);
        if (f != stdout && fclose(f) != 0)
            status = EXIT_IO;
        goto out;
    }
    if (!jmap_render(scene, *fonts, &b->render, jmap_buf_write, &buf, &doc.diags)) {
        status = EXIT_IO;
        goto out;
    }
    out_path = b->output ? jmap_xstrdup(b->output)
                         : out_path_in_dir(b->out_dir, path, b->render.format);
    if (jmap_output_write(out_path, buf.data, buf.len, true, &doc.diags) == JMAP_WRITE_FAILED)
        status = EXIT_IO;
out:
    cli_print_diags(&doc.diags, &b->common);
    free(out_path);
    jmap_buf_release(&buf);
    cli_doc_release(&doc);
    return status;
}

int cmd_build(int argc, char **argv)
{
    build_opts b;
    int first;
    int r = parse_args(&b, argc, argv, &first);
    if (r == EXIT_OK + 100)
        return EXIT_OK;
    if (r != EXIT_OK)
        return r;
    jmap_output_install_signal_handlers();
    jmap_fonts *fonts = NULL;
    int worst = EXIT_OK;
    for (int i = first; i < argc; i++) {
        int s = build_one(&b, argv[i], &fonts);
        if (s > worst)
            worst = s;
    }
    jmap_fonts_free(fonts);
    return worst;
}
