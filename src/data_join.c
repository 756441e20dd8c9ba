#include "jmap/data_join.h"
#include "jmap/data.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/sanitize.h"
#include "jmap/suggest.h"

/*
 * The join (docs/data.md): rows of data files -> the map's KPIs, by id. Linear in the rows but
 * for one sort of each KPI's rows by date: the ids go into a hash table, each row finds its KPI
 * in O(1), the rows are bucketed per KPI (a counting pass, then a filling pass), and each
 * bucket is sorted, which both orders the history and puts two rows of one date side by side.
 * A million rows for a hundred KPIs is a few hundred milliseconds, most of it the sort.
 */

#define SHOWN_IDS 6
#define QUOTED_CODE_POINTS 40

/* A cell's id as a message quotes it: sanitised (jmap/sanitize.h), and past 40 code points cut
 * with "...", as the check pass quotes a map's values. Caller frees. */
static char *quote_cell(const char *s)
{
    char *q = jmap_sanitize(s);
    size_t points = 0;
    for (char *p = q; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && ++points > QUOTED_CODE_POINTS) {
            char *cut = jmap_xprintf("%.*s...", (int)(p - q), q);
            free(q);
            return cut;
        }
    }
    return q;
}

/* ---- a table of strings: the KPI ids, and the unknown ids met in one file ----------------- */

typedef struct slot {
    const char *key; /* NULL: free */
    uint32_t len;
    size_t value;
} slot;

typedef struct table {
    slot *slots;
    size_t cap; /* a power of two, at least twice the entries */
} table;

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static void table_init(table *t, size_t n)
{
    t->cap = 16;
    while (t->cap < 2 * n + 2)
        t->cap *= 2;
    t->slots = jmap_xcalloc(t->cap, sizeof(slot));
}

/* The slot of key: its entry, or the free slot where it would go. */
static slot *table_slot(const table *t, const char *key, size_t len)
{
    size_t i = (size_t)hash(key, len) & (t->cap - 1);
    while (t->slots[i].key && !(t->slots[i].len == len && memcmp(t->slots[i].key, key, len) == 0))
        i = (i + 1) & (t->cap - 1);
    return &t->slots[i];
}

/* Insert, growing when half full. Returns the slot (new or existing: key set either way). */
static slot *table_put(table *t, size_t *n, const char *key, size_t len, bool *added)
{
    slot *s = table_slot(t, key, len);
    *added = !s->key;
    if (s->key)
        return s;
    if (2 * (*n + 1) > t->cap) {
        table old = *t;
        table_init(t, t->cap); /* doubles: cap >= 2 * old.cap */
        for (size_t i = 0; i < old.cap; i++) {
            if (old.slots[i].key)
                *table_slot(t, old.slots[i].key, old.slots[i].len) = old.slots[i];
        }
        free(old.slots);
        s = table_slot(t, key, len);
    }
    s->key = key;
    s->len = (uint32_t)len;
    (*n)++;
    return s;
}

/* ---- the map's KPIs with an id ----------------------------------------------------------- */

typedef struct kpi_set {
    jmap_kpi **kpis; /* with an id, in map order; a repeated id keeps its first (check says) */
    const char **ids;
    size_t n;
    table by_id; /* id -> index into kpis */
} kpi_set;

static void add_kpis(kpi_set *s, size_t *cap, jmap_kpi *kpis, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        jmap_kpi *k = &kpis[i];
        if (!k->id.s || k->id.len == 0 || k->id.len > UINT32_MAX)
            continue;
        bool added;
        slot *sl = table_put(&s->by_id, cap, k->id.s, k->id.len, &added);
        if (!added)
            continue;
        sl->value = s->n;
        s->kpis[s->n] = k;
        s->ids[s->n++] = k->id.s;
    }
}

static void kpi_set_init(kpi_set *s, jmap_map *map)
{
    size_t n = 0;
    for (size_t i = 0; i < map->n_stages; i++)
        n += map->stages[i].n_kpis;
    for (size_t i = 0; i < map->n_touchpoints; i++)
        n += map->touchpoints[i].n_kpis;
    s->kpis = jmap_xcalloc(n ? n : 1, sizeof(jmap_kpi *));
    s->ids = jmap_xcalloc(n ? n : 1, sizeof(char *));
    s->n = 0;
    table_init(&s->by_id, n);
    size_t in_table = 0;
    for (size_t i = 0; i < map->n_stages; i++)
        add_kpis(s, &in_table, map->stages[i].kpis, map->stages[i].n_kpis);
    for (size_t i = 0; i < map->n_touchpoints; i++)
        add_kpis(s, &in_table, map->touchpoints[i].kpis, map->touchpoints[i].n_kpis);
}

static void kpi_set_release(kpi_set *s)
{
    free(s->kpis);
    free(s->ids);
    free(s->by_id.slots);
}

/* ---- dates ------------------------------------------------------------------------------- */

/* A date as one number that sorts as jmap_date_cmp does: a month (day 0) before its first day. */
static uint32_t date_key(jmap_date d)
{
    return (uint32_t)d.year << 16 | (uint32_t)d.month << 8 | d.day;
}

static void date_text(jmap_date d, char buf[16])
{
    if (d.day)
        snprintf(buf, 16, "%04u-%02u-%02u", d.year, d.month, d.day);
    else
        snprintf(buf, 16, "%04u-%02u", d.year, d.month);
}

/* ---- the join ------------------------------------------------------------------------------ */

typedef struct ref {
    const jmap_data_row *row;
    uint32_t date;
    uint32_t file;
} ref;

static int cmp_ref(const void *pa, const void *pb)
{
    const ref *a = pa, *b = pb;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row; /* rows of one file are in file order */
}

static jmap_loc cell(const jmap_data_file *f, jmap_data_pos p)
{
    return (jmap_loc){.file = f->path, .line = p.line, .col = p.col};
}

/* "'a', 'b', 'c', …": the map's first ids, for a hint. Caller frees. */
static char *id_list(const kpi_set *s)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    for (size_t i = 0; i < s->n && i <= SHOWN_IDS; i++) {
        if (i == SHOWN_IDS) {
            fputs(", \xe2\x80\xa6", f); /* … */
            break;
        }
        fprintf(f, "%s'%s'", i ? ", " : "", s->ids[i]);
    }
    fclose(f);
    return out;
}

/* Each id no KPI has (of this map, or of the other maps that read the file), once per file at
 * its first cell (a file that names an unknown id names it on every row: one error says it),
 * with a did-you-mean or the ids there are. Returns how many such ids the file has; with
 * `quiet`, reports none (another map did). */
static size_t report_unknown(const kpi_set *s, const jmap_data_file *f,
                             const jmap_data_join_file *ctx, jmap_diags *d)
{
    size_t n_other = ctx ? ctx->n_also_known : 0, n_in_other = 0;
    table other;
    table_init(&other, n_other);
    for (size_t i = 0; i < n_other; i++) {
        bool added;
        if (ctx->also_known[i])
            table_put(&other, &n_in_other, ctx->also_known[i], strlen(ctx->also_known[i]), &added);
    }
    table seen;
    size_t n_seen = 0;
    table_init(&seen, 8);
    const jmap_data_row **first = NULL;
    size_t *count = NULL, cap = 0;
    for (size_t r = 0; r < f->n_rows; r++) {
        const jmap_data_row *row = &f->rows[r];
        if (table_slot(&s->by_id, row->kpi, row->kpi_len)->key ||
            table_slot(&other, row->kpi, row->kpi_len)->key)
            continue;
        bool added;
        slot *sl = table_put(&seen, &n_seen, row->kpi, row->kpi_len, &added);
        if (added) {
            if (n_seen > cap) {
                cap = cap ? 2 * cap : 16;
                first = jmap_xrealloc(first, cap * sizeof(*first));
                count = jmap_xrealloc(count, cap * sizeof(*count));
            }
            sl->value = n_seen - 1;
            first[n_seen - 1] = row;
            count[n_seen - 1] = 0;
        }
        count[sl->value]++;
    }
    /* the candidates of a did-you-mean: this map's ids, then the others' */
    const char **ids = jmap_xcalloc(s->n + n_other + 1, sizeof(char *));
    memcpy(ids, s->ids, s->n * sizeof(char *));
    if (n_other)
        memcpy(ids + s->n, ctx->also_known, n_other * sizeof(char *));
    char *list = n_seen && !(ctx && ctx->quiet) ? id_list(s) : NULL;
    for (size_t i = 0; i < n_seen && !(ctx && ctx->quiet); i++) {
        const jmap_data_row *row = first[i];
        char *shown = quote_cell(row->kpi);
        char rows[48] = "";
        if (count[i] > 1)
            snprintf(rows, sizeof(rows), " (%zu rows)", count[i]);
        jmap_diag_add(d, JMAP_SEV_ERROR, "unknown-kpi", cell(f, row->kpi_at),
                      "unknown KPI id '%s'%s", shown, rows);
        const char *near = jmap_suggest(row->kpi, ids, s->n + n_other);
        if (near)
            jmap_diag_hint(d, "did you mean '%s'?", near);
        else if (s->n && n_other)
            jmap_diag_hint(d, "no map that reads the file has it; this map's KPI ids are %s", list);
        else if (s->n)
            jmap_diag_hint(d, "the map's KPI ids are %s; a row's 'kpi' names a KPI's 'id'", list);
        else
            jmap_diag_hint(d,
                           "no KPI of the map has an 'id'; give the KPI this row is about "
                           "'id: %s'",
                           shown);
        free(shown);
    }
    free(ids);
    free(list);
    free(first);
    free(count);
    free(seen.slots);
    free(other.slots);
    return n_seen;
}

/* The rows of KPI k, sorted by date; two of one date are reported at the second (the later in
 * the order the files were given, then in the file) and left out. Returns how many remain,
 * compacted at the front. */
static size_t dedupe(const kpi_set *s, size_t k, ref *refs, size_t n, jmap_data_file *const *files,
                     jmap_diags *d)
{
    qsort(refs, n, sizeof(ref), cmp_ref);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out > 0 && refs[out - 1].date == refs[i].date) {
            const ref *a = &refs[out - 1], *b = &refs[i];
            const jmap_data_file *fa = files[a->file], *fb = files[b->file];
            char date[16];
            date_text(b->row->date, date);
            jmap_diag_add(d, JMAP_SEV_ERROR, "duplicate-data", cell(fb, b->row->date_at),
                          "a second row for KPI '%s' and date %s", s->ids[k], date);
            if (a->file == b->file)
                jmap_diag_hint(d, "the first is on line %u; keep one row per KPI and date",
                               a->row->date_at.line);
            else
                jmap_diag_hint(d,
                               "the first is in '%s' on line %u; keep one row per KPI and "
                               "date",
                               fa->path, a->row->date_at.line);
            continue;
        }
        refs[out++] = refs[i];
    }
    return out;
}

/* Write the latest row's values and the history into the KPI. */
static void apply(jmap_kpi *k, const ref *refs, size_t n, jmap_data_file *const *files,
                  jmap_arena *a, jmap_diags *d)
{
    const ref *last = &refs[n - 1];
    const jmap_data_row *row = last->row;
    const jmap_data_file *f = files[last->file];
    if (k->actual.set) {
        char date[16];
        date_text(row->date, date);
        jmap_diag_add(d, JMAP_SEV_WARNING, "actual-overridden", k->actual.loc,
                      "'actual' of KPI '%s' is replaced by the value for %s in '%s'", k->id.s, date,
                      f->path);
        jmap_diag_hint(d, "data files give the KPI its value; remove 'actual' from the map");
    }
    const char *path = jmap_arena_strdup(a, f->path);
    k->actual = (jmap_num){
        row->actual, true, {.file = path, row->actual_at.line, row->actual_at.col, 0, 0}};
    if (row->has_target)
        k->target = (jmap_num){
            row->target, true, {.file = path, row->target_at.line, row->target_at.col, 0, 0}};
    size_t keep = n < JMAP_KPI_HISTORY ? n : JMAP_KPI_HISTORY;
    k->history = jmap_arena_calloc(a, keep, sizeof(jmap_kpi_point));
    k->n_history = keep;
    for (size_t i = 0; i < keep; i++) {
        const jmap_data_row *r = refs[n - keep + i].row;
        k->history[i] = (jmap_kpi_point){r->date, r->has_target, r->actual, r->target};
    }
}

void jmap_data_join(jmap_map *map, jmap_arena *a, jmap_data_file *const *files, size_t n_files,
                    jmap_diags *d)
{
    jmap_data_join_with(map, a, files, n_files, NULL, d);
}

void jmap_data_join_with(jmap_map *map, jmap_arena *a, jmap_data_file *const *files, size_t n_files,
                         jmap_data_join_file *ctx, jmap_diags *d)
{
    kpi_set s;
    kpi_set_init(&s, map);
    /* A row the reader refused, or an id no KPI has, may be the data a KPI lacks: then say
     * nothing of KPIs without data until those errors are fixed (no follow-on warnings). */
    bool rows_in_doubt = false;
    /* Bucket the rows by KPI: count, then place. */
    size_t *start = jmap_xcalloc(s.n + 1, sizeof(size_t));
    for (size_t fi = 0; fi < n_files; fi++) {
        const jmap_data_file *f = files[fi];
        rows_in_doubt |= jmap_diags_failed(&f->diags);
        for (size_t r = 0; r < f->n_rows; r++) {
            const slot *sl = table_slot(&s.by_id, f->rows[r].kpi, f->rows[r].kpi_len);
            if (sl->key)
                start[sl->value + 1]++;
        }
        size_t unknown = report_unknown(&s, f, ctx ? &ctx[fi] : NULL, d);
        rows_in_doubt |= unknown > 0;
        if (ctx)
            ctx[fi].n_unknown = unknown;
    }
    for (size_t k = 0; k < s.n; k++)
        start[k + 1] += start[k];
    size_t total = start[s.n];
    ref *refs = jmap_xcalloc(total ? total : 1, sizeof(ref));
    size_t *fill = jmap_xcalloc(s.n ? s.n : 1, sizeof(size_t));
    uint32_t as_of = 0;
    for (size_t fi = 0; fi < n_files; fi++) {
        const jmap_data_file *f = files[fi];
        for (size_t r = 0; r < f->n_rows; r++) {
            const jmap_data_row *row = &f->rows[r];
            const slot *sl = table_slot(&s.by_id, row->kpi, row->kpi_len);
            if (!sl->key)
                continue;
            uint32_t key = date_key(row->date);
            if (key > as_of) {
                as_of = key;
                map->data_as_of = row->date;
            }
            refs[start[sl->value] + fill[sl->value]++] = (ref){row, key, (uint32_t)fi};
        }
    }
    for (size_t k = 0; k < s.n; k++) {
        jmap_kpi *kpi = s.kpis[k];
        size_t n = dedupe(&s, k, refs + start[k], start[k + 1] - start[k], files, d);
        if (n > 0) {
            apply(kpi, refs + start[k], n, files, a, d);
        } else if (n_files > 0 && !kpi->actual.set && !rows_in_doubt) {
            jmap_diag_add(d, JMAP_SEV_WARNING, "kpi-without-data", kpi->id.loc,
                          "KPI '%s' has no data and no 'actual'", kpi->id.s);
            jmap_diag_hint(d, "no row of the data files has kpi '%s'", kpi->id.s);
        }
    }
    free(fill);
    free(refs);
    free(start);
    kpi_set_release(&s);
}
