#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"
#include "build_job.h"
#include "build_plan.h"
#include "data_files.h"
#include "depfile.h"
#include "jmap/check.h"
#include "jmap/export_mermaid.h"
#include "jmap/layout.h"
#include "jmap/output.h"
#include "jmap/provenance.h"
#include "jmap/sanitize.h"
#include "jmap/stages.h"
#include "jmap/summary.h"
#include "jmap/theme.h"

/*
 * A build runs in two steps: every map is compiled and its outputs planned, and only when no
 * output would overwrite an input or another output, and every name can go into the depfile,
 * is anything drawn and written. A refused plan writes nothing at all (exit status 2).
 */

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
    for (int f = 0; f < JMAP_FORMAT_COUNT; f++) {
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

size_t build_map_deps(const char *map_path, const jmap_map *map, const char *const *data,
                      size_t n_data, const char ***deps)
{
    size_t n = 0;
    *deps = jmap_xcalloc(n_data + 2, sizeof(char *));
    (*deps)[n++] = map_path;
    if (map && map->stage_model && map->model.s && !jmap_builtin_stage_model_find(map->model.s))
        (*deps)[n++] = map->stage_model->loc.file;
    for (size_t i = 0; i < n_data; i++)
        (*deps)[n++] = data[i];
    return n;
}

static bool persona_exists(const jmap_map *map, const char *id)
{
    for (size_t p = 0; p < map->n_personas; p++) {
        if (map->personas[p].id.s && strcmp(map->personas[p].id.s, id) == 0)
            return true;
    }
    return false;
}

/* An output diagnostic names the output, sanitised: it may come from a map's file name. */
static void output_diag(jmap_diags *d, const char *code, const char *lead, const char *path,
                        const char *tail)
{
    char *shown = jmap_sanitize(path);
    jmap_diag_add(d, JMAP_SEV_ERROR, code, (jmap_loc){.file = shown}, "%s'%s'%s", lead, shown,
                  tail);
    free(shown);
}

/* A stale output whose stamp says other fonts or another jmap drew it: say so, and what to do. */
static void stale_diag(jmap_diags *d, const char *path, jmap_format f,
                       const jmap_provenance *prov)
{
    if (!JMAP_FORMAT_DRAWN(f) || !prov) { /* text: no fonts, no stamp; the map changed */
        output_diag(d, "stale-output", "", path, " is stale");
        return;
    }
    char *old = jmap_stamp_read(path, f);
    char *why = jmap_stamp_explain(old, prov);
    free(old);
    if (!why) { /* the same fonts and libraries: the map changed */
        output_diag(d, "stale-output", "", path, " is stale");
        return;
    }
    char *tail = jmap_xprintf(" is stale: %s", why);
    output_diag(d, "stale-output", "", path, tail);
    const char *pkg = prov->fallback ? jmap_provenance_package(prov->asked) : NULL;
    if (pkg)
        jmap_diag_hint(d, "install %s", pkg);
    else
        jmap_diag_hint(d, "rebuild it with these fonts and this jmap (the same command without "
                          "--check) and commit the result");
    free(tail);
    free(why);
}

/* --check: is the output there with exactly these bytes? Looked at with lstat and never
 * opened unless it is a regular file, so a pipe cannot make the check wait forever. */
static int check_target(const char *path, jmap_format f, const jmap_buf *buf,
                        const jmap_provenance *prov, jmap_diags *checked)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            output_diag(checked, "missing-output", "", path, " is missing");
            return EXIT_STALE;
        }
        int err = errno;
        char *shown = jmap_sanitize(path);
        jmap_diag_add(checked, JMAP_SEV_ERROR, "io-error", (jmap_loc){.file = shown},
                      "cannot check '%s': %s", shown, strerror(err));
        free(shown);
        return EXIT_IO;
    }
    if (S_ISLNK(st.st_mode)) {
        output_diag(checked, "stale-output", "", path,
                    " is stale: a build replaces the symbolic link with the drawing");
        return EXIT_STALE;
    }
    if (!S_ISREG(st.st_mode)) {
        output_diag(checked, "io-error", "cannot check ", path, ": not a regular file");
        return EXIT_IO;
    }
    if (!jmap_output_same(path, buf->data, buf->len)) {
        stale_diag(checked, path, f, prov);
        return EXIT_STALE;
    }
    return EXIT_OK;
}

/* An output that would not change is touched, so that it is newer than the inputs it was
 * made from and Make and Ninja stop rebuilding it; --keep-mtime leaves it alone, for Ninja
 * rules with `restat = 1`. */
static jmap_if_same if_same(const build_opts *o)
{
    return o->keep_mtime ? JMAP_SAME_KEEP : JMAP_SAME_TOUCH;
}

/* The folder of a file written (-o FILE, --depfile FILE), made the way -O DIR is; NULL and
 * "/" need none. */
static bool make_parent_dirs(const char *file, jmap_diags *d)
{
    const char *slash = file ? strrchr(file, '/') : NULL;
    if (!slash || slash == file)
        return true;
    char *dir = jmap_xstrndup(file, (size_t)(slash - file));
    bool ok = jmap_output_make_dirs(dir, d);
    free(dir);
    return ok;
}

/* Every folder the build writes into, made once the plan has shown that none is reached
 * through a link out of the tree (build_plan.c); none under --check, which writes nothing. */
static bool make_output_dirs(const build_opts *o, jmap_diags *d)
{
    if (o->check)
        return true;
    if (o->out_dir && !jmap_output_make_dirs(o->out_dir, d))
        return false;
    return make_parent_dirs(o->output, d) && make_parent_dirs(o->depfile, d);
}

/* Write (or compare, under --check) the bytes of a text target. */
static int put_text(const build_opts *o, cli_doc *doc, const target *t, const char *text,
                    size_t len, jmap_diags *checked)
{
    if (!o->check) {
        jmap_write_result r = jmap_output_write(t->path, text, len, if_same(o), &doc->diags);
        return r == JMAP_WRITE_FAILED ? EXIT_IO : EXIT_OK;
    }
    if (strcmp(t->path, "-") == 0) /* --check -o -: nothing to compare with */
        return EXIT_OK;
    jmap_buf buf = {(unsigned char *)text, len, len};
    return check_target(t->path, t->format, &buf, NULL, checked);
}

/* A Mermaid journey (or the same in a Markdown block): text from the model, no layout. */
static int export_target(const build_opts *o, cli_doc *doc, const target *t, jmap_diags *checked)
{
    jmap_mermaid_opts mo = {.only_persona = t->persona,
                            .source = doc->path,
                            .markdown = t->format == JMAP_FORMAT_MARKDOWN};
    size_t len;
    char *text = jmap_export_mermaid_write(doc->map, &mo, &len);
    int status = put_text(o, doc, t, text, len, checked);
    free(text);
    return status;
}

/* What the map says in words (jmap/summary.h), for the drawn file's title, description,
 * keywords and language. A one-persona drawing (--persona, --split-personas) says whose view
 * it is first. The caller frees the three strings. */
static void fill_words(jmap_render_opts *ro, const jmap_map *map, const char *persona)
{
    ro->title = jmap_summary_title(map);
    char *summary = jmap_summary(map);
    const jmap_persona *p = NULL;
    for (size_t i = 0; persona && i < map->n_personas; i++) {
        if (map->personas[i].id.s && strcmp(map->personas[i].id.s, persona) == 0)
            p = &map->personas[i];
    }
    if (p) {
        char *who = jmap_summary_persona(p);
        char *both = jmap_xprintf("The view of one persona: %s. %s", who, summary);
        free(who);
        free(summary);
        summary = both;
    }
    ro->summary = summary;
    ro->keywords = jmap_summary_keywords(map);
    ro->lang = map->lang.s;
}

static void free_words(jmap_render_opts *ro)
{
    free((char *)ro->title);
    free((char *)ro->summary);
    free((char *)ro->keywords);
}

/* Lay out, render and write (or compare, under --check) one target. */
static int build_target(const build_opts *o, cli_doc *doc, const target *t, jmap_fonts *fonts,
                        const jmap_theme *theme, const jmap_provenance *prov,
                        jmap_diags *checked)
{
    if (!o->dump_layout && !JMAP_FORMAT_DRAWN(t->format))
        return export_target(o, doc, t, checked);
    jmap_layout_opts lo = {.theme = theme, .only_persona = t->persona};
    jmap_fonts_set_language(fonts, doc->map->lang.s); /* measured and painted in it */
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
        if (jmap_output_write(o->output ? o->output : "-", text, len, if_same(o),
                              &doc->diags) == JMAP_WRITE_FAILED)
            status = EXIT_IO;
        free(text);
        return status;
    }
    jmap_render_opts ro = o->render;
    ro.format = t->format;
    ro.stamp = prov->stamp;
    fill_words(&ro, doc->map, t->persona);
    /* --check compares what would be written; a build streams it into the output's
     * temporary file, so a large map is never held twice in memory. */
    jmap_buf buf = {0};
    jmap_output *out = NULL;
    if (!o->check && !(out = jmap_output_begin(t->path, &doc->diags))) {
        free_words(&ro);
        return EXIT_IO;
    }
    size_t n_before = doc->diags.n_items, errors_before = doc->diags.n_errors;
    int status = EXIT_OK;
    bool drawn = jmap_render(scene, fonts, &ro, out ? jmap_output_put : jmap_buf_write,
                             out ? (void *)out : &buf, &doc->diags);
    free_words(&ro);
    /* Under --werror a warning while drawing (a PDF page too large) fails the map too. */
    drawn = drawn && doc->diags.n_errors == errors_before;
    bool write_failed = false;
    char *shown = jmap_sanitize(t->path);
    for (size_t i = n_before; i < doc->diags.n_items; i++) {
        jmap_diag *g = &doc->diags.items[i];
        if (!g->loc.file)
            g->loc.file = jmap_diags_intern(&doc->diags, shown); /* name the output */
        write_failed |= strcmp(g->code, "write-error") == 0;
    }
    free(shown);
    if (!drawn) {
        /* A map Cairo cannot draw (a PNG over the size limit) is the map's error, status 1;
         * only a failed write is an I/O error. */
        status = write_failed ? EXIT_IO : EXIT_MAP;
        jmap_output_abort(out);
    } else if (out) {
        if (jmap_output_commit(out, if_same(o), &doc->diags) == JMAP_WRITE_FAILED)
            status = EXIT_IO;
    } else if (strcmp(t->path, "-") != 0) {
        status = check_target(t->path, t->format, &buf, prov, checked);
    }
    jmap_buf_release(&buf);
    return status;
}

/*
 * --split-personas draws one map per persona, each with every stage and the stages' KPIs: the
 * work is the appearances (bounded when personas are resolved) plus personas x that skeleton,
 * which no other limit bounds: 1,000 personas and 1,000 stages (94 KB of YAML) were 3.2 GB of
 * SVG, 133 s and 3.7 GB of memory. The skeleton's copies count against the appearance limit.
 */
static bool split_fits(const build_opts *o, const char *path, map_job *j)
{
    const jmap_map *map = j->doc.map;
    size_t skeleton = map->n_stages, max = o->common.limits.max_appearances;
    for (size_t s = 0; s < map->n_stages; s++)
        skeleton += map->stages[s].n_kpis;
    if (!o->split_personas || map->n_personas == 0 || skeleton <= max / map->n_personas)
        return true;
    jmap_diag_add(&j->doc.diags, JMAP_SEV_ERROR, "too-many", (jmap_loc){.file = path},
                  "--split-personas would draw %zu personas x %zu stages and stage KPIs, more "
                  "than the limit of %zu appearances",
                  map->n_personas, skeleton, max);
    jmap_diag_hint(&j->doc.diags, "draw fewer personas on their own (--persona ID), or raise "
                                  "--max-appearances");
    return false;
}

static void plan_job(const build_opts *o, const char *path, map_job *j)
{
    cli_doc_compile(&j->doc, path, &o->common);
    j->status = j->doc.status;
    jmap_diags_init(&j->checked);
    if (j->status != EXIT_OK)
        return;
    if (o->persona && !persona_exists(j->doc.map, o->persona)) {
        char *shown = jmap_sanitize(o->persona);
        jmap_diag_add(&j->doc.diags, JMAP_SEV_ERROR, "unknown-persona",
                      (jmap_loc){.file = path}, "--persona '%s' is not a persona of this map",
                      shown);
        char *hint = jmap_check_persona_hint(j->doc.map, o->persona);
        if (hint)
            jmap_diag_hint(&j->doc.diags, "%s", hint);
        free(hint);
        free(shown);
        j->status = EXIT_MAP;
        return;
    }
    if (!split_fits(o, path, j)) {
        j->status = EXIT_MAP;
        return;
    }
    plan_targets(o, path, j->doc.map, &j->targets);
    j->n_deps =
        build_map_deps(path, j->doc.map, j->doc.data_names, j->doc.n_data_names, &j->deps);
}

void build_job_release(map_job *j)
{
    free_targets(&j->targets);
    free(j->deps);
    j->deps = NULL;
    jmap_diags_release(&j->checked);
    cli_doc_release(&j->doc);
}

void build_job_print(const build_opts *o, map_job *j)
{
    cli_print_diags(&j->doc.diags, &o->common);
    cli_print_diags(&j->checked, &o->common);
}

/* The theme's font is not installed: fontconfig would substitute another without a word. (A
 * --font that no installed font provides never gets here: it is a usage error.) */
static void font_fallback(jmap_diags *d, const char *path, const jmap_provenance *prov)
{
    char *asked = jmap_sanitize(prov->asked);
    jmap_diag_add(d, JMAP_SEV_WARNING, "font-fallback", (jmap_loc){.file = path},
                  "font '%s' is not installed; drawing with '%s' %s instead", asked,
                  prov->family, prov->version);
    const char *pkg = jmap_provenance_package(prov->asked);
    if (pkg)
        jmap_diag_hint(d, "install %s", pkg);
    else
        jmap_diag_hint(d, "install a font that provides '%s', or name another with --font",
                       asked);
    free(asked);
}

/* Draw a planned map's targets and add its rule to the depfile. */
int build_job_draw(const build_opts *o, map_job *j, jmap_fonts **fonts, FILE *depfile)
{
    int status = j->status;
    if (status != EXIT_OK)
        return status;
    /* Fonts only for what is drawn: a Mermaid export needs none, and no font warning. */
    bool draws = o->dump_layout, exports = false;
    for (size_t i = 0; i < j->targets.n_items; i++) {
        draws |= JMAP_FORMAT_DRAWN(j->targets.items[i].format);
        exports |= !JMAP_FORMAT_DRAWN(j->targets.items[i].format);
    }
    if (exports && !o->dump_layout) /* once per map, however many Mermaid outputs */
        jmap_export_mermaid_note(j->doc.map, o->persona, &j->doc.diags);
    if (draws && !*fonts && !(*fonts = jmap_fonts_new()))
        return EXIT_IO;
    jmap_theme theme = *jmap_theme_get(o->have_theme ? o->theme : j->doc.map->theme_v);
    if (o->font)
        theme.font_family = o->font;
    jmap_provenance *prov = draws ? jmap_provenance_new(*fonts, theme.font_family) : NULL;
    if (prov && prov->fallback)
        font_fallback(&j->doc.diags, j->doc.path, prov);
    for (size_t i = 0; i < j->targets.n_items; i++) {
        status = build_worst(status, build_target(o, &j->doc, &j->targets.items[i], *fonts,
                                                  &theme, prov, &j->checked));
    }
    jmap_provenance_free(prov);
    if (depfile && status == EXIT_OK) {
        const char **names = jmap_xcalloc(j->targets.n_items + 1, sizeof(*names));
        for (size_t i = 0; i < j->targets.n_items; i++)
            names[i] = j->targets.items[i].path;
        depfile_write_rule(depfile, names, j->targets.n_items, j->deps, j->n_deps);
        free(names);
    }
    return status;
}

/* Gather what every map reads and writes; false, with the reasons in `refused`, when writing
 * it would destroy an input, write one file twice or put an unreadable name in the depfile. */
static bool plan_is_safe(const build_opts *o, map_job *jobs, jmap_diags *refused)
{
    build_plan plan;
    build_plan_init(&plan);
    bool names_ok = true;
    for (size_t i = 0; i < o->n_maps; i++) {
        map_job *j = &jobs[i];
        build_plan_input(&plan, o->maps[i]);
        for (size_t k = 1; k < j->n_deps; k++)
            build_plan_input(&plan, j->deps[k]);
        for (size_t k = 0; k < j->targets.n_items; k++)
            build_plan_output(&plan, j->targets.items[k].path, o->maps[i]);
        if (!o->depfile || j->status != EXIT_OK)
            continue;
        for (size_t k = 0; k < j->targets.n_items; k++)
            names_ok &= depfile_check_name(j->targets.items[k].path, o->maps[i], refused);
        for (size_t k = 0; k < j->n_deps; k++)
            names_ok &= depfile_check_name(j->deps[k], o->maps[i], refused);
    }
    if (o->depfile)
        build_plan_output(&plan, o->depfile, NULL);
    bool ok = build_plan_check(&plan, refused) && names_ok;
    build_plan_release(&plan);
    return ok;
}

int build_all(const build_opts *o, jmap_fonts **fonts)
{
    map_job *jobs = jmap_xcalloc(o->n_maps, sizeof(*jobs));
    cli_data_cache_clear(o->common.data_cache); /* a new batch: --watch's files changed */
    cli_data_prepare(o->common.data_cache, o->maps, o->n_maps, &o->common);
    for (size_t i = 0; i < o->n_maps; i++)
        plan_job(o, o->maps[i], &jobs[i]);
    jmap_diags refused;
    jmap_diags_init(&refused);
    int worst = EXIT_OK;
    size_t drawn = 0;
    if (!plan_is_safe(o, jobs, &refused)) {
        worst = EXIT_USAGE;
        goto out;
    }
    if (!make_output_dirs(o, &refused)) {
        worst = EXIT_IO;
        goto out;
    }
    /* The depfile is itself an output: gathered in memory, written whole at the end. */
    char *dep_text = NULL;
    size_t dep_len = 0;
    FILE *depfile = o->depfile ? open_memstream(&dep_text, &dep_len) : NULL;
    /* -j: worker processes draw the batch (build_jobs.c), or this process draws it here */
    if (build_jobs_draw(o, jobs, *fonts, depfile, &worst))
        drawn = o->n_maps;
    for (; drawn < o->n_maps; drawn++) {
        map_job *j = &jobs[drawn];
        worst = build_worst(worst, build_job_draw(o, j, fonts, depfile));
        build_job_print(o, j);
        build_job_release(j);
    }
    if (depfile) {
        fclose(depfile);
        if (!o->check && jmap_output_write(o->depfile, dep_text, dep_len, if_same(o),
                                           &refused) == JMAP_WRITE_FAILED)
            worst = build_worst(worst, EXIT_IO);
        free(dep_text);
    }
out:
    /* A refused plan still shows each map's own diagnostics, then why nothing was written. */
    for (size_t i = drawn; i < o->n_maps; i++) {
        worst = build_worst(worst, jobs[i].status);
        build_job_print(o, &jobs[i]);
        build_job_release(&jobs[i]);
    }
    cli_print_diags(&refused, &o->common);
    jmap_diags_release(&refused);
    cli_data_cache_clear(o->common.data_cache);
    free(jobs);
    return worst;
}
