#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"
#include "jmap/layout.h"
#include "jmap/output.h"
#include "jmap/stages.h"
#include "jmap/theme.h"

/* One output of one map: a file, its format, and the persona it shows (NULL: all). */
typedef struct target {
    char *path;
    jmap_format format;
    const char *persona;
} target;

typedef struct target_list {
    target *items;
    size_t n_items, cap;
} target_list;

static void add_target(target_list *t, char *path, jmap_format f, const char *persona)
{
    t->items = jmap_xgrow(t->items, &t->cap, t->n_items + 1, sizeof(target));
    t->items[t->n_items++] = (target){path, f, persona};
}

static void free_targets(target_list *t)
{
    for (size_t i = 0; i < t->n_items; i++)
        free(t->items[i].path);
    free(t->items);
}

/* "dir/name.yaml" -> "name" (length in *n). */
static const char *base_name(const char *path, size_t *n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    *n = strlen(base);
    if (*n > 5 && strcmp(base + *n - 5, ".yaml") == 0)
        *n -= 5;
    else if (*n > 4 && strcmp(base + *n - 4, ".yml") == 0)
        *n -= 4;
    return base;
}

/* "out/map.svg" + "maya" -> "out/map.maya.svg" */
static char *persona_path(const char *path, const char *persona)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash))
        return jmap_xprintf("%s.%s", path, persona);
    return jmap_xprintf("%.*s.%s%s", (int)(dot - path), path, persona, dot);
}

static void plan_targets(const build_opts *o, const char *map_path, const jmap_map *map,
                         target_list *t)
{
    if (o->dump_layout) {
        add_target(t, jmap_xstrdup(o->output ? o->output : "-"), JMAP_FORMAT_SVG, o->persona);
        return;
    }
    for (int f = 0; f < 3; f++) {
        if (!(o->formats & (1u << f)))
            continue;
        char *path;
        if (o->output) {
            path = jmap_xstrdup(o->output);
        } else {
            size_t n;
            const char *base = base_name(map_path, &n);
            path = jmap_xprintf("%s/%.*s.%s", o->out_dir, (int)n, base,
                                jmap_format_suffix((jmap_format)f));
        }
        if (o->split_personas) {
            for (size_t p = 0; p < map->n_personas; p++) {
                const char *id = map->personas[p].id.s;
                add_target(t, persona_path(path, id), (jmap_format)f, id);
            }
        }
        add_target(t, path, (jmap_format)f, o->persona);
    }
}

size_t build_map_deps(const char *map_path, const jmap_map *map, const char *deps[2])
{
    size_t n = 0;
    deps[n++] = map_path;
    if (map && map->stage_model && map->model.s && !jmap_builtin_stage_model_find(map->model.s))
        deps[n++] = map->stage_model->loc.file;
    return n;
}

/* Make and Ninja read "target: prerequisites", with spaces, '#' and '$' escaped. */
static void depfile_word(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '#' || *s == '\\')
            fputc('\\', f);
        if (*s == '$')
            fputc('$', f);
        fputc(*s, f);
    }
}

static void depfile_rule(FILE *f, const target_list *t, const char *deps[], size_t n_deps)
{
    for (size_t i = 0; i < t->n_items; i++) {
        if (i)
            fputc(' ', f);
        depfile_word(f, t->items[i].path);
    }
    fputc(':', f);
    for (size_t i = 0; i < n_deps; i++) {
        fputc(' ', f);
        depfile_word(f, deps[i]);
    }
    fputc('\n', f);
}

static bool persona_exists(const jmap_map *map, const char *id)
{
    for (size_t p = 0; p < map->n_personas; p++) {
        if (map->personas[p].id.s && strcmp(map->personas[p].id.s, id) == 0)
            return true;
    }
    return false;
}

/* Lay out, render and write (or compare, under --check) one target. */
static int build_target(const build_opts *o, cli_doc *doc, const target *t, jmap_fonts *fonts,
                        const jmap_theme *theme)
{
    jmap_layout_opts lo = {.theme = theme, .only_persona = t->persona};
    jmap_text_measurer tm = jmap_fonts_measurer(fonts);
    jmap_scene *scene = jmap_layout_build(doc->arena, doc->map, &lo, &tm, &doc->diags);
    if (!scene || jmap_diags_failed(&doc->diags))
        return EXIT_MAP;
    if (o->dump_layout) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        jmap_layout_dump(scene, f);
        fclose(f);
        int status = EXIT_OK;
        if (jmap_output_write(o->output ? o->output : "-", text, len, true, &doc->diags) ==
            JMAP_WRITE_FAILED)
            status = EXIT_IO;
        free(text);
        return status;
    }
    jmap_render_opts ro = o->render;
    ro.format = t->format;
    /* --check compares what would be written; a build streams it into the output's
     * temporary file, so a large map is never held twice in memory. */
    jmap_buf buf = {0};
    jmap_output *out = NULL;
    if (!o->check && !(out = jmap_output_begin(t->path, &doc->diags)))
        return EXIT_IO;
    size_t n_before = doc->diags.n_items, errors_before = doc->diags.n_errors;
    int status = EXIT_OK;
    bool drawn = jmap_render(scene, fonts, &ro, out ? jmap_output_put : jmap_buf_write,
                             out ? (void *)out : &buf, &doc->diags);
    /* Under --werror a warning while drawing (a PDF page too large) fails the map too. */
    drawn = drawn && doc->diags.n_errors == errors_before;
    bool write_failed = false;
    for (size_t i = n_before; i < doc->diags.n_items; i++) {
        jmap_diag *g = &doc->diags.items[i];
        if (!g->loc.file)
            g->loc.file = jmap_diags_intern(&doc->diags, t->path); /* name the output */
        write_failed |= strcmp(g->code, "write-error") == 0;
    }
    if (!drawn) {
        /* A map Cairo cannot draw (a PNG over the size limit) is the map's error, status 1;
         * only a failed write is an I/O error. */
        status = write_failed ? EXIT_IO : EXIT_MAP;
        jmap_output_abort(out);
    } else if (out) {
        if (jmap_output_commit(out, true, &doc->diags) == JMAP_WRITE_FAILED)
            status = EXIT_IO;
    } else if (strcmp(t->path, "-") != 0 && !jmap_output_same(t->path, buf.data, buf.len)) {
        /* stat, not open: opening a FIFO that is in the way would wait for a writer. */
        struct stat st;
        fprintf(stderr, "jmap: '%s' is %s\n", t->path,
                stat(t->path, &st) == 0 ? "stale" : "missing");
        status = EXIT_STALE;
    }
    jmap_buf_release(&buf);
    return status;
}

static int build_one(const build_opts *o, const char *path, jmap_fonts **fonts, FILE *depfile)
{
    cli_doc doc;
    cli_doc_compile(&doc, path, &o->common);
    int status = doc.status;
    target_list targets = {0};
    if (status != EXIT_OK)
        goto out;
    if (o->persona && !persona_exists(doc.map, o->persona)) {
        jmap_diag_add(&doc.diags, JMAP_SEV_ERROR, "unknown-persona", (jmap_loc){.file = path},
                      "--persona '%s' is not a persona of this map", o->persona);
        status = EXIT_MAP;
        goto out;
    }
    if (!*fonts && !(*fonts = jmap_fonts_new())) {
        status = EXIT_IO;
        goto out;
    }
    jmap_theme theme = *jmap_theme_get(o->have_theme ? o->theme : doc.map->theme_v);
    if (o->font)
        theme.font_family = o->font;
    plan_targets(o, path, doc.map, &targets);
    for (size_t i = 0; i < targets.n_items; i++) {
        status = build_worst(status, build_target(o, &doc, &targets.items[i], *fonts, &theme));
    }
    if (depfile && status == EXIT_OK) {
        const char *deps[2];
        size_t n = build_map_deps(path, doc.map, deps);
        depfile_rule(depfile, &targets, deps, n);
    }
out:
    cli_print_diags(&doc.diags, &o->common);
    free_targets(&targets);
    cli_doc_release(&doc);
    return status;
}

int build_all(const build_opts *o, jmap_fonts **fonts)
{
    /* The depfile is itself an output: gathered in memory, written whole at the end. */
    if (o->out_dir && !o->check) {
        jmap_diags d;
        jmap_diags_init(&d);
        bool made = jmap_output_make_dirs(o->out_dir, &d);
        cli_print_diags(&d, &o->common);
        jmap_diags_release(&d);
        if (!made)
            return EXIT_IO;
    }
    char *dep_text = NULL;
    size_t dep_len = 0;
    FILE *depfile = o->depfile ? open_memstream(&dep_text, &dep_len) : NULL;
    int worst = EXIT_OK;
    for (size_t i = 0; i < o->n_maps; i++)
        worst = build_worst(worst, build_one(o, o->maps[i], fonts, depfile));
    if (depfile) {
        fclose(depfile);
        jmap_diags d;
        jmap_diags_init(&d);
        if (!o->check &&
            jmap_output_write(o->depfile, dep_text, dep_len, true, &d) == JMAP_WRITE_FAILED) {
            cli_print_diags(&d, &o->common);
            worst = build_worst(worst, EXIT_IO);
        }
        jmap_diags_release(&d);
        free(dep_text);
    }
    return worst;
}
