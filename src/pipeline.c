#include "jmap/jmap.h"

#include "jmap/check.h"
#include "jmap/resolve.h"

jmap_map *jmap_compile(jmap_arena *a, const char *file, const char *text, size_t len,
                       const jmap_limits *lim, jmap_diags *d)
{
    return jmap_compile_with(a, file, text, len, lim, NULL, d);
}

jmap_map *jmap_compile_with(jmap_arena *a, const char *file, const char *text, size_t len,
                            const jmap_limits *lim, const jmap_resolve_opts *o, jmap_diags *d)
{
    size_t errors_before = d->n_errors;
    jmap_map *map = jmap_load_map(a, file, text, len, lim, d);
    if (!map)
        return NULL;
    /* Resolve and check run even after load errors, so one run reports everything it can. */
    jmap_resolve_with(a, map, lim, o, d);
    jmap_check(map, d);
    jmap_diags_sort(d);
    return d->n_errors == errors_before ? map : NULL;
}
