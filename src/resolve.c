#include "jmap/resolve.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jmap/confine.h"
#include "jmap/stages.h"
#include "jmap/suggest.h"

/*
 * Lookups go through a sorted (id, index) table and binary search, so that resolving stays
 * O(n log n) for maps with hundreds of thousands of touchpoints and thousands of stages and
 * personas. Among equal ids the first written wins; duplicates are the check pass's business.
 */

typedef struct id_entry {
    const char *id;
    size_t ix;
} id_entry;

typedef struct id_index {
    id_entry *items;
    size_t n_items;
} id_index;

static int cmp_entry(const void *pa, const void *pb)
{
    const id_entry *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    if (c != 0)
        return c;
    return (a->ix > b->ix) - (a->ix < b->ix);
}

/* ids[i] is at ((const char *)base + i * stride + offset) as a jmap_str; NULL ids are skipped. */
static id_index index_build(jmap_arena *a, const void *base, size_t n, size_t stride, size_t offset)
{
    id_index x = {jmap_arena_calloc(a, n ? n : 1, sizeof(id_entry)), 0};
    for (size_t i = 0; i < n; i++) {
        const jmap_str *s = (const jmap_str *)((const char *)base + i * stride + offset);
        if (s->s)
            x.items[x.n_items++] = (id_entry){s->s, i};
    }
    qsort(x.items, x.n_items, sizeof(id_entry), cmp_entry);
    return x;
}

/* The index of the first item with this id, or JMAP_NONE. */
static size_t index_find(const id_index *x, const char *id)
{
    if (!id)
        return JMAP_NONE;
    size_t lo = 0, hi = x->n_items;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(x->items[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < x->n_items && strcmp(x->items[lo].id, id) == 0)
        return x->items[lo].ix;
    return JMAP_NONE;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* "problem-identification" -> "Problem Identification" */
static jmap_str title_case(jmap_arena *a, const jmap_str *id)
{
    char *t = jmap_arena_strdup(a, id->s);
    bool word_start = true;
    for (char *p = t; *p; p++) {
        if (*p == '-' || *p == '_') {
            *p = ' ';
            word_start = true;
        } else {
            if (word_start && *p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
            word_start = false;
        }
    }
    return (jmap_str){t, strlen(t), id->loc};
}

static const jmap_stage_model *load_builtin(jmap_arena *a, const jmap_map *map,
                                            const jmap_limits *lim, jmap_diags *d)
{
    const char *id = map->model.s;
    const jmap_builtin_stage_model *b = jmap_builtin_stage_model_find(id);
    if (b)
        return jmap_load_stage_model(a, b->file, b->text, b->len, lim, d);

    size_t n;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n);
    const char **ids = jmap_xcalloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        ids[i] = all[i].id;
    const char *near = jmap_suggest(id, ids, n);
    jmap_diag_add(d, JMAP_SEV_ERROR, "unknown-model", map->model.loc, "unknown stage model '%s'",
                  id);
    if (near)
        jmap_diag_hint(d, "did you mean '%s'?", near);
    else
        jmap_diag_hint(d, "run 'jmap stages' to list them");
    free(ids);
    return NULL;
}

/* The reason in jmap_read_file's "cannot read 'path': reason", or its message with the path
 * (the resolved one, which the map never wrote) replaced by "it". */
static const char *read_error_reason(jmap_arena *a, const jmap_diags *scratch, const char *path)
{
    if (scratch->n_items == 0 || !scratch->items[0].msg)
        return "cannot be read";
    const char *msg = scratch->items[0].msg;
    size_t lp = strlen(path);
    if (strncmp(msg, "cannot read '", 13) == 0 && strncmp(msg + 13, path, lp) == 0 &&
        strncmp(msg + 13 + lp, "': ", 3) == 0)
        return msg + 13 + lp + 3;
    if (msg[0] == '\'' && strncmp(msg + 1, path, lp) == 0 && strncmp(msg + 1 + lp, "' ", 2) == 0)
        return jmap_arena_printf(a, "it %s", msg + 1 + lp + 2);
    return msg;
}

/* Read and load the model file at `path`, named `name` in diagnostics. A read error goes into a
 * scratch list: the user needs one diagnostic at the `model:` value, not an io-error about a
 * file. */
static const jmap_stage_model *load_path(jmap_arena *a, const jmap_map *map, const char *path,
                                         const char *name, const jmap_limits *lim, jmap_diags *d)
{
    jmap_diags scratch;
    jmap_diags_init(&scratch);
    size_t len = 0;
    bool is_io = false;
    char *text = jmap_read_file(path, &len, lim, &scratch, &is_io);
    if (!text) {
        jmap_diag_add(d, JMAP_SEV_ERROR, "model-not-found", map->model.loc,
                      "cannot read stage model '%s': %s", map->model.s,
                      read_error_reason(a, &scratch, path));
        jmap_diags_release(&scratch);
        return NULL;
    }
    jmap_diags_release(&scratch);
    const jmap_stage_model *m = jmap_load_stage_model(a, name, text, len, lim, d);
    free(text);
    return m;
}

/* A model named by path, relative to the map's folder and confined to its tree. Outside it
 * nothing is read, and the message names only the value as written: the file's content, or
 * whether it exists, must not reach a log that a pull request's author can see. */
static const jmap_stage_model *load_file(jmap_arena *a, jmap_map *map, const jmap_limits *lim,
                                         jmap_diags *d)
{
    const char *value = map->model.s;
    size_t prefix = 0;
    const char *root = jmap_confine_root(a, map->file, &prefix);
    char *real = NULL;
    int err = 0;
    /* Diagnostics in the model name it as the map wrote it, beside the map. */
    const char *name = jmap_arena_printf(a, "%.*s%s", (int)prefix, prefix ? map->file : "", value);
    switch (jmap_confine_path(root, value, &real, &err)) {
    case JMAP_CONFINE_INSIDE:
        break;
    case JMAP_CONFINE_ABSOLUTE:
        jmap_diag_add(d, JMAP_SEV_ERROR, "path-outside-tree", map->model.loc,
                      "stage model '%s' is an absolute path", value);
        jmap_diag_hint(d, "write it relative to the map's folder, inside that folder; shared "
                          "models go in a --model-path folder, named by id");
        return NULL;
    case JMAP_CONFINE_OUTSIDE:
        jmap_diag_add(d, JMAP_SEV_ERROR, "path-outside-tree", map->model.loc,
                      "stage model '%s' is outside the map's folder", value);
        jmap_diag_hint(d, "a map reads files only inside its own folder; shared models go in a "
                          "--model-path folder, named by id");
        return NULL;
    case JMAP_CONFINE_FAILED:
        map->stage_model_file = name; /* --watch waits for it to appear */
        jmap_diag_add(d, JMAP_SEV_ERROR, "model-not-found", map->model.loc,
                      "cannot read stage model '%s': %s", value, strerror(err));
        return NULL;
    }
    map->stage_model_file = name; /* watched even when it does not load */
    const jmap_stage_model *m = load_path(a, map, real, name, lim, d);
    free(real);
    return m;
}

/* A model id that is not built in: <dir>/<id>.yaml in the first folder of the model path that
 * has it. The folders are trusted (the user named them), so nothing is confined here. Returns
 * false when no folder has the file. */
static bool load_from_model_path(jmap_arena *a, jmap_map *map, const jmap_limits *lim,
                                 const jmap_resolve_opts *o, jmap_diags *d,
                                 const jmap_stage_model **out)
{
    for (size_t i = 0; o && i < o->n_model_dirs; i++) {
        const char *dir = o->model_dirs[i];
        if (!dir || !*dir)
            continue;
        char *path = jmap_arena_printf(a, "%s/%s.yaml", dir, map->model.s);
        struct stat st;
        if (stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
            continue;
        map->stage_model_file = path;
        *out = load_path(a, map, path, path, lim, d);
        return true;
    }
    return false;
}

static const jmap_stage_model *load_model(jmap_arena *a, jmap_map *map,
                                          const jmap_limits *lim, const jmap_resolve_opts *o,
                                          jmap_diags *d)
{
    const char *v = map->model.s;
    if (strchr(v, '/') || ends_with(v, ".yaml") || ends_with(v, ".yml"))
        return load_file(a, map, lim, d);
    const jmap_stage_model *m = NULL;
    if (!jmap_builtin_stage_model_find(v) && load_from_model_path(a, map, lim, o, d, &m))
        return m;
    return load_builtin(a, map, lim, d);
}

/* A map stage whose id the model lacks: say so, and name the closest of the model's ids. */
static void report_unknown_stage(jmap_arena *a, const jmap_map *map, const jmap_stage_model *m,
                                 const jmap_stage *st, jmap_diags *d)
{
    const char **ids = jmap_arena_calloc(a, m->n_stages ? m->n_stages : 1, sizeof(char *));
    for (size_t i = 0; i < m->n_stages; i++)
        ids[i] = m->stages[i].id.s;
    jmap_diag_add(d, JMAP_SEV_ERROR, "unknown-model-stage", st->id.loc,
                  "unknown stage '%s' in stage model '%s'", st->id.s, map->model.s);
    const char *near = jmap_suggest(st->id.s, ids, m->n_stages);
    if (near)
        jmap_diag_hint(d, "did you mean '%s'?", near);
    else
        jmap_diag_hint(d, "run 'jmap stages %s' to list its stages", map->model.s);
}

/*
 * The model's stages in the model's order, each with the map's detail for the same id. A
 * stage that only the model has is placed at the `model:` value: that is where a warning
 * about it (no touchpoint, no KPI) makes sense to the author of the map.
 */
static void merge_stages(jmap_arena *a, jmap_map *map, const jmap_stage_model *m, jmap_diags *d)
{
    id_index mine = index_build(a, map->map_stages, map->n_map_stages, sizeof(jmap_stage),
                                offsetof(jmap_stage, id));
    id_index theirs =
        index_build(a, m->stages, m->n_stages, sizeof(jmap_stage), offsetof(jmap_stage, id));

    for (size_t i = 0; i < map->n_map_stages; i++) {
        const jmap_stage *st = &map->map_stages[i];
        if (st->id.s && index_find(&theirs, st->id.s) == JMAP_NONE)
            report_unknown_stage(a, map, m, st, d);
    }

    map->stages = jmap_arena_calloc(a, m->n_stages ? m->n_stages : 1, sizeof(jmap_stage));
    map->n_stages = 0;
    for (size_t i = 0; i < m->n_stages; i++) {
        const jmap_stage *ms = &m->stages[i];
        if (!ms->id.s)
            continue; /* the loader reported it */
        size_t j = index_find(&mine, ms->id.s);
        const jmap_stage *us = j == JMAP_NONE ? NULL : &map->map_stages[j];
        jmap_stage *out = &map->stages[map->n_stages++];
        out->suggested_kpis = ms->suggested_kpis;
        out->n_suggested_kpis = ms->n_suggested_kpis;
        out->id = ms->id;
        if (us) {
            out->loc = us->loc;
            out->id.loc = us->id.loc;
            out->goal = us->goal;
            out->kpis = us->kpis;
            out->n_kpis = us->n_kpis;
            out->kpis_loc = us->kpis_loc;
            out->unread = us->unread;
        } else {
            out->loc = map->model.loc;
            out->id.loc = map->model.loc;
        }
        if (us && us->name.s)
            out->name = us->name;
        else if (ms->name.s)
            out->name = ms->name;
        else
            out->name = title_case(a, &out->id);
        out->description = us && us->description.s ? us->description : ms->description;
    }
}

static void copy_map_stages(jmap_arena *a, jmap_map *map)
{
    map->n_stages = map->n_map_stages;
    map->stages = jmap_arena_calloc(a, map->n_stages ? map->n_stages : 1, sizeof(jmap_stage));
    for (size_t i = 0; i < map->n_stages; i++) {
        map->stages[i] = map->map_stages[i];
        if (!map->stages[i].name.s && map->stages[i].id.s)
            map->stages[i].name = title_case(a, &map->stages[i].id);
    }
}

static void add_persona(size_t *out, size_t *n, size_t ix, size_t *stamp, size_t mark)
{
    if (ix == JMAP_NONE || stamp[ix] == mark)
        return;
    stamp[ix] = mark;
    out[(*n)++] = ix;
}

/*
 * A touchpoint is drawn once per persona it belongs to (a chip on its card, a point on each
 * persona's emotion curve), so the drawing grows as the sum of those counts, not as the
 * touchpoints: 1,000 personas and 2,000 touchpoints that name none are two million appearances
 * from a 27 KB file. The first touchpoint that takes the sum past the limit is an error;
 * resolving goes on, and the map fails before anything is laid out.
 */
static void count_appearances(const jmap_touchpoint *tp, size_t number, size_t *total,
                              const jmap_limits *lim, jmap_diags *d)
{
    size_t max = lim->max_appearances;
    if (*total > max)
        return; /* reported once */
    if (tp->n_persona_ix <= max - *total) {
        *total += tp->n_persona_ix;
        return;
    }
    *total = max + 1;
    jmap_diag_add(d, JMAP_SEV_ERROR, "too-many", tp->loc,
                  "touchpoint %zu takes the touchpoints past %zu appearances, one for each "
                  "persona a touchpoint belongs to",
                  number, max);
    jmap_diag_hint(d, "a touchpoint without 'persona' or 'personas' belongs to every persona; "
                      "name its personas, or split the map");
}

/* stage_ix and persona_ix of every touchpoint. Touchpoints without `persona`/`personas` share
 * one array of every persona; `stamp` drops a persona named twice in one touchpoint. */
static void resolve_touchpoints(jmap_arena *a, jmap_map *map, const jmap_limits *lim,
                                jmap_diags *d)
{
    size_t appearances = 0;
    id_index stages =
        index_build(a, map->stages, map->n_stages, sizeof(jmap_stage), offsetof(jmap_stage, id));
    id_index personas = index_build(a, map->personas, map->n_personas, sizeof(jmap_persona),
                                    offsetof(jmap_persona, id));
    size_t *everyone = jmap_arena_calloc(a, map->n_personas ? map->n_personas : 1, sizeof(size_t));
    for (size_t i = 0; i < map->n_personas; i++)
        everyone[i] = i;
    size_t *stamp = jmap_xcalloc(map->n_personas ? map->n_personas : 1, sizeof(size_t));

    for (size_t t = 0; t < map->n_touchpoints; t++) {
        jmap_touchpoint *tp = &map->touchpoints[t];
        tp->stage_ix = index_find(&stages, tp->stage.s);
        bool named = tp->persona.s || tp->personas_loc.line != 0 || tp->n_personas > 0;
        if (!named) {
            tp->persona_ix = everyone;
            tp->n_persona_ix = map->n_personas;
            count_appearances(tp, t + 1, &appearances, lim, d);
            continue;
        }
        size_t want = tp->n_personas + (tp->persona.s ? 1 : 0);
        tp->persona_ix = jmap_arena_calloc(a, want ? want : 1, sizeof(size_t));
        tp->n_persona_ix = 0;
        if (tp->persona.s)
            add_persona(tp->persona_ix, &tp->n_persona_ix, index_find(&personas, tp->persona.s),
                        stamp, t + 1);
        for (size_t k = 0; k < tp->n_personas; k++)
            add_persona(tp->persona_ix, &tp->n_persona_ix, index_find(&personas, tp->personas[k].s),
                        stamp, t + 1);
        count_appearances(tp, t + 1, &appearances, lim, d);
    }
    free(stamp);
}

/*
 * Each KPI is a box of its own (a name, a target, an actual, a bar), and a list of KPIs
 * anchored once can be aliased on every touchpoint: 20,000 touchpoints sharing 30 KPIs are 61 KB
 * of YAML and 600,000 boxes (11 s and 1.6 GB to lay out). The KPI that passes the limit is an
 * error; the map fails before anything is laid out.
 */
static void count_kpis(const jmap_kpi *kpis, size_t n, size_t *total, const jmap_limits *lim,
                       jmap_diags *d)
{
    size_t max = lim->max_kpis;
    if (*total > max)
        return; /* reported once */
    if (n <= max - *total) {
        *total += n;
        return;
    }
    jmap_diag_add(d, JMAP_SEV_ERROR, "too-many", kpis[max - *total].loc,
                  "more than %zu KPIs in the map, counting every stage and touchpoint", max);
    jmap_diag_hint(d, "a KPI list used by an alias counts once for each use");
    *total = max + 1;
}

static void resolve_kpis(const jmap_map *map, const jmap_limits *lim, jmap_diags *d)
{
    size_t total = 0;
    for (size_t s = 0; s < map->n_stages; s++)
        count_kpis(map->stages[s].kpis, map->stages[s].n_kpis, &total, lim, d);
    for (size_t t = 0; t < map->n_touchpoints; t++)
        count_kpis(map->touchpoints[t].kpis, map->touchpoints[t].n_kpis, &total, lim, d);
}

static void resolve_lanes(jmap_arena *a, jmap_map *map)
{
    map->lane_order = jmap_arena_calloc(a, JMAP_LANE_COUNT, sizeof(jmap_lane));
    map->n_lane_order = 0;
    map->lanes_chosen = map->lanes_loc.line != 0 || map->n_lanes > 0;
    if (!map->lanes_chosen) {
        for (unsigned i = 0; i < JMAP_LANE_COUNT; i++)
            map->lane_order[map->n_lane_order++] = (jmap_lane)i;
        return;
    }
    bool seen[JMAP_LANE_COUNT] = {false};
    for (size_t i = 0; i < map->n_lanes; i++) {
        jmap_lane lane;
        if (map->lanes[i].s && jmap_lane_from_name(map->lanes[i].s, &lane) && !seen[lane]) {
            seen[lane] = true;
            map->lane_order[map->n_lane_order++] = lane;
        }
    }
}

bool jmap_resolve(jmap_arena *a, jmap_map *map, const jmap_limits *lim, jmap_diags *d)
{
    return jmap_resolve_with(a, map, lim, NULL, d);
}

bool jmap_resolve_with(jmap_arena *a, jmap_map *map, const jmap_limits *lim,
                       const jmap_resolve_opts *o, jmap_diags *d)
{
    size_t errors_before = d->n_errors;
    jmap_limits defaults;
    if (!lim) {
        defaults = jmap_limits_default();
        lim = &defaults;
    }
    const jmap_stage_model *m = map->model.s ? load_model(a, map, lim, o, d) : NULL;
    map->stage_model = m;
    if (m)
        merge_stages(a, map, m, d);
    else
        copy_map_stages(a, map);
    resolve_touchpoints(a, map, lim, d);
    resolve_kpis(map, lim, d);
    resolve_lanes(a, map);
    return d->n_errors == errors_before;
}
