/* libFuzzer: any bytes as the map's file name. A map with diagnostics is loaded and checked
 * under that name and its diagnostics printed with excerpts (found by file name); the name
 * through the sanitiser comes out clean: printable, valid UTF-8, stable when sanitised again. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/jmap.h"
#include "jmap/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A built-in model, so that no file name is ever opened; an emotion out of range and an
 * unknown key, so that there is something to print. */
static const char map[] = "title: T\n"
                          "model: three-stage\n"
                          "personas: [{id: p, name: P}]\n"
                          "touchpoints:\n"
                          "  - {stage: purchase, name: N, emotion: 9, emtion: 1}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = jmap_xmalloc(size + 1);
    memcpy(name, data, size);
    name[size] = '\0';

    jmap_limits lim = jmap_limits_default();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_arena *a = jmap_arena_new();
    if (jmap_compile(a, name, map, sizeof map - 1, &lim, &d))
        abort(); /* the map has errors, whatever its name */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    jmap_diags_print(&d, f, &(jmap_diag_print_opts){.color = false, .excerpt = true});
    fclose(f);
    free(text);
    jmap_arena_free(a);
    jmap_diags_release(&d);

    char *shown = jmap_sanitize(name);
    size_t n = strlen(shown);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)shown[i];
        if (c < 0x20 || c == 0x7f)
            abort();
    }
    if (!jmap_sanitize_clean(shown, n))
        abort();
    char *again = jmap_sanitize(shown);
    if (strcmp(again, shown) != 0)
        abort();
    free(again);
    free(shown);
    free(name);
    return 0;
}
