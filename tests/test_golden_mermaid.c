/*
 * Golden tests of `jmap import mermaid`: each tests/golden/mermaid/<case>.mmd imports to
 * exactly the map in <case>.yaml, which must pass jmap's own load, resolve and check (warnings
 * allowed); each tests/golden/mermaid/errors/<case>.mmd prints exactly the diagnostics in
 * <case>.diag (errors or warnings), as the CLI prints them (no colour, with excerpts).
 * JMAP_UPDATE_GOLDEN=1 rewrites the expected files (tests/golden.h).
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "jmap/arena.h"
#include "jmap/import_mermaid.h"
#include "jmap/jmap.h"
#include "jmap/load.h"
#include "support.h"

/* The map the file imports to; it must compile without errors. Caller frees. */
static char *import_map(const char *path)
{
    size_t len, out_len = 0;
    char *text = test_read_file(path, &len);
    jmap_diags d;
    jmap_diags_init(&d);
    char *yaml = jmap_import_mermaid(path, path, text, len, &out_len, &d);
    if (!yaml)
        jmap_diags_print(&d, stderr, &(jmap_diag_print_opts){.excerpt = true});
    assert_non_null(yaml);
    jmap_diags_release(&d);
    /* the output passes jmap check: load, resolve and check find no error */
    jmap_diags_init(&d);
    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    jmap_map *m = jmap_compile(a, "imported.yaml", yaml, out_len, &lim, &d);
    if (!m)
        jmap_diags_print(&d, stderr, &(jmap_diag_print_opts){.excerpt = true});
    assert_non_null(m);
    jmap_arena_free(a);
    jmap_diags_release(&d);
    free(text);
    return yaml;
}

/* What the import reports for the file, printed. Caller frees. */
static char *diagnose(const char *path)
{
    size_t len, out_len = 0;
    char *text = test_read_file(path, &len);
    jmap_diags d;
    jmap_diags_init(&d);
    free(jmap_import_mermaid(path, path, text, len, &out_len, &d));
    assert_true(d.n_errors + d.n_warnings > 0);
    jmap_diags_sort(&d);
    char *out = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&out, &n);
    jmap_diags_print(&d, fp, &(jmap_diag_print_opts){.color = false, .excerpt = true});
    fclose(fp);
    jmap_diags_release(&d);
    free(text);
    return out;
}

int main(void)
{
    static const golden_set maps = {"golden_mermaid", "tests/golden/mermaid", ".mmd", 10,
                                    import_map};
    static const golden_set errors = {"golden_mermaid_errors", "tests/golden/mermaid/errors",
                                      ".mmd", 8, diagnose};
    int failed = golden_run_expecting(&maps, ".yaml");
    return failed + golden_run(&errors);
}
