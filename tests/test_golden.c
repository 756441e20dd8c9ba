/*
 * Golden diagnostics: each tests/golden/diag/<case>.yaml compiles to exactly the text in
 * <case>.diag, printed as the CLI prints it (no colour, with excerpts). One test per case
 * (tests/golden.h; JMAP_UPDATE_GOLDEN=1 rewrites the .diag files).
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

#include "golden.h"
#include "jmap/arena.h"
#include "jmap/jmap.h"
#include "support.h"

/* What `jmap check` would print for the file. Caller frees. */
static char *diagnose(const char *path)
{
    size_t len;
    char *text = test_read_file(path, &len);
    jmap_arena *a = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_limits lim = jmap_limits_default();
    jmap_map *map = jmap_compile(a, path, text, len, &lim, &d);
    /* A golden case is an invalid map: it must fail, or at least warn. */
    assert_true(map == NULL || d.n_warnings > 0);

    char *out = NULL;
    size_t out_len = 0;
    FILE *f = open_memstream(&out, &out_len);
    jmap_diags_print(&d, f, &(jmap_diag_print_opts){.color = false, .excerpt = true});
    fclose(f);
    jmap_diags_release(&d);
    jmap_arena_free(a);
    free(text);
    return out;
}

int main(void)
{
    static const golden_set set = {"golden", "tests/golden/diag", ".yaml", 32, diagnose};
    return golden_run(&set);
}
