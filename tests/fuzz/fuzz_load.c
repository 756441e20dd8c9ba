/* libFuzzer: load -> resolve -> check -> layout with the fixed-width measurer, on any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "jmap/jmap.h"
#include "jmap/layout.h"
#include "jmap/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jmap_limits lim = jmap_limits_default();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_arena *a = jmap_arena_new();
    jmap_map *map = jmap_compile(a, "fuzz.yaml", (const char *)data, size, &lim, &d);
    if (map) {
        jmap_text_measurer tm = jmap_text_fixed();
        for (int t = JMAP_THEME_LIGHT; t <= JMAP_THEME_PRINT; t++) {
            jmap_layout_opts o = {.theme = jmap_theme_get((jmap_theme_id)t)};
            jmap_layout_build(a, map, &o, &tm, &d);
        }
    }
    jmap_arena_free(a);
    jmap_diags_release(&d);
    return 0;
}
