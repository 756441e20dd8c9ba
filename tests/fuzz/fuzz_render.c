/* libFuzzer: the whole pipeline to SVG in memory, with the real fonts, on any bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "jmap/jmap.h"
#include "jmap/layout.h"
#include "jmap/output.h"
#include "jmap/render.h"
#include "jmap/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jmap_fonts *fonts; /* one font set-up per process, as the CLI has */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fonts && !(fonts = jmap_fonts_new()))
        abort();
    jmap_limits lim = jmap_limits_default();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_arena *a = jmap_arena_new();
    jmap_map *map = jmap_compile(a, "fuzz.yaml", (const char *)data, size, &lim, &d);
    if (map) {
        jmap_text_measurer tm = jmap_fonts_measurer(fonts);
        jmap_layout_opts o = {.theme = jmap_theme_get(map->theme_v)};
        jmap_scene *s = jmap_layout_build(a, map, &o, &tm, &d);
        if (s) {
            jmap_buf buf = {0};
            jmap_render_opts ro = {.format = JMAP_FORMAT_SVG, .dpi = 72, .source_date = 0};
            jmap_render(s, fonts, &ro, jmap_buf_write, &buf, &d);
            jmap_buf_release(&buf);
        }
    }
    jmap_arena_free(a);
    jmap_diags_release(&d);
    return 0;
}
