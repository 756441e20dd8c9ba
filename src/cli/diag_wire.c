#include "diag_wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/diag_rules.h"

/* Numbers as 64-bit values in the host's order and strings with their length first: both
 * ends are the same program on the same machine. A missing string (a diagnostic without a
 * file or a hint) has the length UINT64_MAX. */

#define NONE UINT64_MAX

static void put_u64(FILE *out, uint64_t v)
{
    fwrite(&v, sizeof v, 1, out);
}

static void put_str(FILE *out, const char *s)
{
    if (!s) {
        put_u64(out, NONE);
        return;
    }
    size_t len = strlen(s);
    put_u64(out, len);
    fwrite(s, 1, len, out);
}

/* The index of an interned file name in d->files; NONE for no file. */
static uint64_t file_index(const jmap_diags *d, const char *file)
{
    for (size_t i = 0; file && i < d->n_files; i++) {
        if (d->files[i] == file)
            return i;
    }
    return NONE;
}

void diag_wire_put(FILE *out, const jmap_diags *d, size_t from_items, size_t from_files)
{
    put_u64(out, d->n_errors);
    put_u64(out, d->n_warnings);
    put_u64(out, d->n_notes);
    put_u64(out, d->n_dropped);
    put_u64(out, d->last_dropped);
    put_u64(out, d->n_files - from_files);
    for (size_t i = from_files; i < d->n_files; i++)
        put_str(out, d->files[i]);
    put_u64(out, d->n_items - from_items);
    for (size_t i = from_items; i < d->n_items; i++) {
        const jmap_diag *g = &d->items[i];
        put_u64(out, (uint64_t)g->sev);
        put_str(out, g->code);
        put_u64(out, file_index(d, g->loc.file));
        put_u64(out, g->loc.line);
        put_u64(out, g->loc.col);
        put_u64(out, g->loc.end_line);
        put_u64(out, g->loc.end_col);
        put_str(out, g->msg);
        put_str(out, g->hint);
    }
}

static bool get_u64(const char **p, const char *end, uint64_t *v)
{
    if ((size_t)(end - *p) < sizeof *v)
        return false;
    memcpy(v, *p, sizeof *v);
    *p += sizeof *v;
    return true;
}

/* A string, copied (NULL for a missing one). */
static bool get_str(const char **p, const char *end, char **s)
{
    uint64_t len;
    *s = NULL;
    if (!get_u64(p, end, &len))
        return false;
    if (len == NONE)
        return true;
    if (len > (uint64_t)(end - *p))
        return false;
    *s = jmap_xstrndup(*p, (size_t)len);
    *p += len;
    return true;
}

static bool get_uint(const char **p, const char *end, unsigned *v)
{
    uint64_t u;
    if (!get_u64(p, end, &u) || u > UINT32_MAX)
        return false;
    *v = (unsigned)u;
    return true;
}

/* One diagnostic, appended to d as jmap_diag_add keeps one (the counters come whole). */
static bool get_diag(jmap_diags *d, const char **p, const char *end)
{
    uint64_t sev, file;
    char *code = NULL;
    jmap_diag g = {0};
    bool ok = get_u64(p, end, &sev) && sev <= JMAP_SEV_ERROR && get_str(p, end, &code) &&
              get_u64(p, end, &file) && (file == NONE || file < d->n_files) &&
              get_uint(p, end, &g.loc.line) && get_uint(p, end, &g.loc.col) &&
              get_uint(p, end, &g.loc.end_line) && get_uint(p, end, &g.loc.end_col) &&
              get_str(p, end, &g.msg) && g.msg && get_str(p, end, &g.hint);
    /* A code is a static string: the table's copy, which every code the sources emit has
     * (tests/test_diag_rules.c). */
    const jmap_diag_rule *rule = ok && code ? jmap_diag_rule_find(code) : NULL;
    free(code);
    if (!ok || (code && !rule)) {
        free(g.msg);
        free(g.hint);
        return false;
    }
    g.sev = (jmap_severity)sev;
    g.code = rule ? rule->code : NULL;
    g.loc.file = file == NONE ? NULL : d->files[file];
    d->items = jmap_xgrow(d->items, &d->cap, d->n_items + 1, sizeof(jmap_diag));
    d->items[d->n_items++] = g;
    return true;
}

bool diag_wire_get(jmap_diags *d, const char **p, const char *end)
{
    uint64_t errors, warnings, notes, dropped, last_dropped, n;
    if (!get_u64(p, end, &errors) || !get_u64(p, end, &warnings) || !get_u64(p, end, &notes) ||
        !get_u64(p, end, &dropped) || !get_u64(p, end, &last_dropped) || !get_u64(p, end, &n))
        return false;
    for (uint64_t i = 0; i < n; i++) {
        char *file;
        if (!get_str(p, end, &file) || !file)
            return false;
        jmap_diags_intern(d, file);
        free(file);
    }
    if (!get_u64(p, end, &n))
        return false;
    for (uint64_t i = 0; i < n; i++) {
        if (!get_diag(d, p, end))
            return false;
    }
    d->n_errors = (size_t)errors;
    d->n_warnings = (size_t)warnings;
    d->n_notes = (size_t)notes;
    d->n_dropped = (size_t)dropped;
    d->last_dropped = last_dropped != 0;
    return true;
}
