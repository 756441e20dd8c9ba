/* realpath() is an XSI interface, memmem() a GNU one. */
#define _GNU_SOURCE
#include "data_files.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/data_join.h"
#include "jmap/data_paths.h"
#include "jmap/load.h"

cli_data_cache *cli_data_cache_new(void)
{
    return jmap_xcalloc(1, sizeof(cli_data_cache));
}

void cli_data_cache_clear(cli_data_cache *cache)
{
    if (!cache)
        return;
    for (size_t i = 0; i < cache->n; i++) {
        cli_data_entry *e = &cache->items[i];
        jmap_data_file_free(e->file);
        jmap_diags_release(&e->diags);
        free(e->key);
        free(e->name);
        free(e->text);
        for (size_t k = 0; k < e->n_batch_ids; k++)
            free(e->batch_ids[k]);
        free(e->batch_ids);
    }
    cache->n = 0;
}

void cli_data_cache_free(cli_data_cache *cache)
{
    if (!cache)
        return;
    cli_data_cache_clear(cache);
    free(cache->items);
    free(cache);
}

/* Read a data file: within --max-data-size, then through the CSV reader within
 * --max-data-rows. */
static void read_entry(cli_data_entry *e, const jmap_limits *lim)
{
    e->diags.max_items = 0; /* each map's own list applies its --max-errors */
    jmap_limits data_lim = *lim;
    data_lim.max_input_bytes = lim->max_data_bytes;
    bool is_io = false;
    /* By the name: inside the map's tree it is the file `key` names (jmap/confine.h), and the
     * messages name it as the user does. */
    e->text = jmap_read_file(e->name, &e->len, &data_lim, &e->diags, &is_io);
    if (!e->text) {
        e->io = is_io;
        for (size_t i = 0; i < e->diags.n_items; i++) {
            jmap_diag *g = &e->diags.items[i];
            if (strcmp(g->code, "too-large") == 0 && !g->hint)
                g->hint = jmap_xprintf("a data file is read within --max-data-size (default "
                                       "%zu bytes); raise it for a larger export",
                                       jmap_limits_default().max_data_bytes);
        }
        return;
    }
    e->file = jmap_data_read(e->name, e->text, e->len, lim->max_data_rows);
}

/* The entry for the file at `key` (its resolved path), made (not read) if there is none. */
static cli_data_entry *find_entry(cli_data_cache *cache, const char *key, const char *name)
{
    for (size_t i = 0; i < cache->n; i++) {
        if (strcmp(cache->items[i].key, key) == 0)
            return &cache->items[i];
    }
    cache->items = jmap_xgrow(cache->items, &cache->cap, cache->n + 1, sizeof(cli_data_entry));
    cli_data_entry *e = &cache->items[cache->n++];
    memset(e, 0, sizeof(*e));
    e->key = jmap_xstrdup(key);
    e->name = jmap_xstrdup(name);
    jmap_diags_init(&e->diags);
    return e;
}

/* The entry for the file at `key`, read now if this batch has not. */
static cli_data_entry *cache_get(cli_data_cache *cache, const char *key, const char *name,
                                 const jmap_limits *lim)
{
    cli_data_entry *e = find_entry(cache, key, name);
    if (!e->read) {
        e->read = true;
        cache->reads++;
        read_entry(e, lim);
    }
    return e;
}

/* Keep the file's text for excerpts, as the reader does: CSV line breaks, after any BOM. */
static void keep_source(jmap_diags *d, const cli_data_entry *e)
{
    size_t skip = e->len >= 3 && memcmp(e->text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    jmap_diags_keep_source_csv(d, e->name, e->text + skip, e->len - skip);
}

static bool entry_failed(const cli_data_entry *e, bool werror)
{
    const jmap_diags *d = e->file ? &e->file->diags : &e->diags;
    return !e->file || d->n_errors > 0 || (werror && d->n_warnings > 0) || e->n_unknown > 0;
}

static void copy_diags(jmap_diags *to, const jmap_diags *from)
{
    for (size_t i = 0; i < from->n_items; i++) {
        const jmap_diag *g = &from->items[i];
        jmap_diag_add(to, g->sev, g->code, g->loc, "%s", g->msg);
        if (g->hint)
            jmap_diag_hint(to, "%s", g->hint);
    }
}

/* Hand the file's own diagnostics to the first map that reads it; tell the others in one line
 * why they fail too. */
static void report_entry(cli_data_entry *e, jmap_diags *d)
{
    if (!e->reported) {
        e->reported = true;
        copy_diags(d, &e->diags);
        if (e->file) {
            copy_diags(d, &e->file->diags);
            if (e->file->diags.n_items)
                keep_source(d, e);
        }
        return;
    }
    if (entry_failed(e, d->werror))
        jmap_diag_add(d, JMAP_SEV_ERROR, "data-file-errors", (jmap_loc){.file = e->name},
                      "data file '%s' has errors, reported with the first map that reads it",
                      e->name);
}

/* The key of a --data file: its real path, so that `k.csv` and `./k.csv` are one file. */
static char *key_of(const char *path)
{
    char *real = realpath(path, NULL);
    return real ? real : jmap_xstrdup(path);
}

static void note_ids(cli_data_entry *e, const jmap_kpi *kpis, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!kpis[i].id.s)
            continue;
        e->batch_ids =
            jmap_xgrow(e->batch_ids, &e->cap_batch_ids, e->n_batch_ids + 1, sizeof(char *));
        e->batch_ids[e->n_batch_ids++] = jmap_xstrdup(kpis[i].id.s);
    }
}

static void note_map(cli_data_entry *e, const jmap_map *map)
{
    for (size_t i = 0; i < map->n_map_stages; i++)
        note_ids(e, map->map_stages[i].kpis, map->map_stages[i].n_kpis);
    for (size_t i = 0; i < map->n_touchpoints; i++)
        note_ids(e, map->touchpoints[i].kpis, map->touchpoints[i].n_kpis);
}

void cli_data_prepare(cli_data_cache *cache, char *const *maps, size_t n_maps, const cli_common *c)
{
    if (n_maps < 2)
        return;
    for (size_t m = 0; m < n_maps; m++) {
        const char *path = maps[m];
        jmap_diags scratch; /* the real compile reports them */
        jmap_diags_init(&scratch);
        size_t len = 0;
        bool is_io = false;
        char *text = strcmp(path, "-") != 0 && cli_input_confined(path, &scratch)
                         ? jmap_read_file(path, &len, &c->limits, &scratch, &is_io)
                         : NULL;
        /* A map without a data file needs no second load: no --data, and its text cannot spell
         * a `data:` key (not even with an escape) */
        if (text && c->n_data_files == 0 && !memmem(text, len, "data", 4) &&
            !memchr(text, '\\', len)) {
            free(text);
            text = NULL;
        }
        jmap_arena *a = jmap_arena_new();
        jmap_map *map = text ? jmap_load_map(a, path, text, len, &c->limits, &scratch) : NULL;
        if (map) {
            jmap_data_path *paths = NULL;
            size_t n_paths = jmap_data_paths(a, map, &paths, &scratch);
            for (size_t i = 0; i < n_paths; i++) {
                if (paths[i].real)
                    note_map(find_entry(cache, paths[i].real, paths[i].name), map);
            }
            for (size_t i = 0; i < c->n_data_files; i++) {
                char *key = key_of(c->data_files[i]);
                note_map(find_entry(cache, key, c->data_files[i]), map);
                free(key);
            }
        }
        jmap_arena_free(a);
        free(text);
        jmap_diags_release(&scratch);
    }
}

bool cli_data_attach(cli_doc *doc, jmap_map *map, const cli_common *c)
{
    jmap_data_path *paths = NULL;
    size_t n_paths = jmap_data_paths(doc->arena, map, &paths, &doc->diags);
    size_t n_all = n_paths + c->n_data_files;
    doc->data_names = jmap_arena_calloc(doc->arena, n_all ? n_all : 1, sizeof(char *));
    doc->n_data_names = 0;
    jmap_data_file **files = jmap_xcalloc(n_all ? n_all : 1, sizeof(*files));
    size_t n_files = 0;
    cli_data_entry **used = jmap_xcalloc(n_all ? n_all : 1, sizeof(*used));
    cli_data_entry **joined = jmap_xcalloc(n_all ? n_all : 1, sizeof(*joined));
    bool io_ok = true;
    for (size_t i = 0; i < n_all; i++) {
        const char *name, *key;
        char *owned = NULL;
        if (i < n_paths) {
            name = paths[i].name;
            if (!paths[i].outside) /* --watch waits for a missing one */
                doc->data_names[doc->n_data_names++] = name;
            if (!paths[i].real)
                continue;
            key = paths[i].real;
        } else {
            name = c->data_files[i - n_paths];
            doc->data_names[doc->n_data_names++] = name;
            if (!cli_input_confined(name, &doc->diags)) {
                io_ok = false;
                continue;
            }
            key = owned = key_of(name);
        }
        cli_data_entry *e = cache_get(c->data_cache, key, name, &c->limits);
        free(owned);
        report_entry(e, &doc->diags);
        used[i] = e;
        if (e->io && i >= n_paths)
            io_ok = false;
        if (e->file) {
            bool seen = false; /* a file named twice is joined once */
            for (size_t k = 0; k < n_files; k++)
                seen |= files[k] == e->file;
            if (!seen) {
                joined[n_files] = e;
                files[n_files++] = e->file;
            }
        }
    }
    size_t before = doc->diags.n_items;
    jmap_data_join_file *ctx = jmap_xcalloc(n_files ? n_files : 1, sizeof(*ctx));
    for (size_t i = 0; i < n_files; i++) {
        ctx[i].also_known = (const char *const *)joined[i]->batch_ids;
        ctx[i].n_also_known = joined[i]->n_batch_ids;
        ctx[i].quiet = joined[i]->unknown_done;
    }
    jmap_data_join_with(map, doc->arena, files, n_files, ctx, &doc->diags);
    for (size_t i = 0; i < n_files; i++) {
        if (!joined[i]->unknown_done) {
            joined[i]->unknown_done = true;
            joined[i]->n_unknown = ctx[i].n_unknown;
        }
    }
    free(ctx);
    free(joined);
    /* the join's diagnostics at a cell show its line, as the map's do */
    for (size_t i = before; i < doc->diags.n_items; i++) {
        const char *file = doc->diags.items[i].loc.file;
        for (size_t k = 0; file && k < n_all; k++) {
            if (used[k] && used[k]->text && strcmp(used[k]->name, file) == 0)
                keep_source(&doc->diags, used[k]);
        }
    }
    free(used);
    free(files);
    return io_ok;
}
