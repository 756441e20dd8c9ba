#include "jmap/data_paths.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/confine.h"

/* The value itself is never a control character's carrier here: check reports those, and such
 * an item is not read. */
static bool has_control(const jmap_str *s)
{
    for (size_t i = 0; i < s->len; i++) {
        unsigned char ch = (unsigned char)s->s[i];
        if (ch < 0x20 || ch == 0x7f)
            return true;
    }
    return false;
}

size_t jmap_data_paths(jmap_arena *a, const jmap_map *map, jmap_data_path **out, jmap_diags *d)
{
    *out = jmap_arena_calloc(a, map->n_data ? map->n_data : 1, sizeof(jmap_data_path));
    size_t n = 0, prefix = 0;
    const char *root = jmap_confine_root(a, map->file, &prefix);
    for (size_t i = 0; i < map->n_data; i++) {
        const jmap_str *v = &map->data[i];
        if (!v->s || v->len == 0 || has_control(v))
            continue;
        jmap_data_path *p = &(*out)[n++];
        p->at = v->loc;
        p->name = jmap_arena_printf(a, "%.*s%s", (int)prefix, prefix ? map->file : "", v->s);
        char *real = NULL;
        int err = 0;
        switch (jmap_confine_path(root, v->s, &real, &err)) {
        case JMAP_CONFINE_INSIDE:
            p->real = jmap_arena_strdup(a, real);
            free(real);
            break;
        case JMAP_CONFINE_ABSOLUTE:
            p->outside = true;
            jmap_diag_add(d, JMAP_SEV_ERROR, "path-outside-tree", v->loc,
                          "data file '%s' is an absolute path", v->s);
            jmap_diag_hint(d, "write it relative to the map's folder, inside that folder; a "
                              "file elsewhere is given with --data");
            break;
        case JMAP_CONFINE_OUTSIDE:
            p->outside = true;
            jmap_diag_add(d, JMAP_SEV_ERROR, "path-outside-tree", v->loc,
                          "data file '%s' is outside the map's folder", v->s);
            jmap_diag_hint(d, "a map reads files only inside its own folder; a file elsewhere "
                              "is given with --data");
            break;
        case JMAP_CONFINE_FAILED:
            jmap_diag_add(d, JMAP_SEV_ERROR, "io-error", v->loc, "cannot read data file '%s': %s",
                          v->s, strerror(err));
            break;
        }
    }
    return n;
}
