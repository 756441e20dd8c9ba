/*
 * libFuzzer: any bytes as a Mermaid journey, through jmap_import_mermaid. Aborts when the
 * printed diagnostics hold a byte that is not UTF-8 or a control character other than
 * newlines, when an import that succeeds writes a map that jmap's own passes read with a
 * structural error (YAML that does not parse, a key, id, stage, persona or emotion that is
 * wrong: the writer's mistakes, not the journey's text), or when it is not reproducible.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../safe_text.h"
#include "jmap/arena.h"
#include "jmap/import_mermaid.h"
#include "jmap/jmap.h"
#include "jmap/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const writer_mistakes[] = {
    "yaml-", "unknown-key", "duplicate-key", "wrong-type", "missing-key", "invalid-id",
    "duplicate-id", "unknown-stage", "unknown-persona", "emotion-range", "persona-conflict",
    "no-stages", "no-personas", "empty-value", "not-a-mapping"};

static void check_map(const char *yaml, size_t len)
{
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    (void)jmap_compile(a, "imported.yaml", yaml, len, &lim, &d);
    for (size_t i = 0; i < d.n_items; i++) {
        for (size_t k = 0; k < sizeof(writer_mistakes) / sizeof(writer_mistakes[0]); k++) {
            if (d.items[i].sev == JMAP_SEV_ERROR &&
                strncmp(d.items[i].code, writer_mistakes[k], strlen(writer_mistakes[k])) == 0) {
                fprintf(stderr, "%s\n%s\n", d.items[i].code, yaml);
                abort();
            }
        }
    }
    jmap_arena_free(a);
    jmap_diags_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    jmap_diags d;
    jmap_diags_init(&d);
    size_t len = 0;
    char *yaml = jmap_import_mermaid("fuzz.mmd", "fuzz.mmd", text, size, &len, &d);
    char *buf = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&buf, &n);
    if (!out)
        abort();
    jmap_diags_print(&d, out, &(jmap_diag_print_opts){.color = false, .excerpt = true});
    fclose(out);
    if (test_first_unsafe(buf, n) < n)
        abort();
    free(buf);
    jmap_diags_release(&d);
    if (yaml) {
        if (strlen(yaml) != len)
            abort();
        check_map(yaml, len);
        jmap_diags_init(&d);
        size_t len2 = 0;
        char *again = jmap_import_mermaid("fuzz.mmd", "fuzz.mmd", text, size, &len2, &d);
        if (!again || len2 != len || memcmp(again, yaml, len) != 0)
            abort();
        free(again);
        jmap_diags_release(&d);
    }
    free(yaml);
    return 0;
}
