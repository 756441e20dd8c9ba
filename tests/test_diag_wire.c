/* Diagnostics sent from a worker to its parent (src/cli/diag_wire.c): what the worker added to
 * a jmap_diags both started from arrives whole, so the parent prints the very bytes the worker
 * would have printed, excerpts, sort order, counters and hints included; a damaged record is
 * refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/cli/diag_wire.h"
#include "jmap/diag_format.h"
#include "support.h"

static const char map_text[] = "title: Wire\n"
                               "touchpoints:\n"
                               "  - {name: Search}\n"
                               "  - {name: Checkout}\n";

/* What both sides hold at the fork: a compiled map's diagnostics and its source. */
static void common_start(jmap_diags *d)
{
    jmap_diags_init(d);
    d->max_items = 3;
    jmap_diags_keep_source(d, "map.yaml", map_text, strlen(map_text));
    jmap_diag_add(d, JMAP_SEV_WARNING, "unused-persona", (jmap_loc){"map.yaml", 3, 5, 3, 18},
                  "persona 'ana' has no touchpoint");
}

/* What a worker adds while drawing: a file not named before, a diagnostic without a file,
 * one past the cap (only counted), hints, and one that points back into the map. */
static void worker_adds(jmap_diags *d)
{
    jmap_diag_add(d, JMAP_SEV_ERROR, "render-error", (jmap_loc){0}, "a PNG that is too large");
    jmap_diag_add(d, JMAP_SEV_WARNING, "text-truncated", (jmap_loc){"map.yaml", 4, 5, 4, 22},
                  "'Checkout' does not fit");
    jmap_diag_hint(d, "shorten it");
    d->items[1].loc.file = jmap_diags_intern(d, "out/map.png"); /* as build_target names it */
    jmap_diag_add(d, JMAP_SEV_ERROR, "io-error", (jmap_loc){.file = "out/map.svg"}, "cannot write");
    jmap_diag_add(d, JMAP_SEV_NOTE, "mermaid-lossy", (jmap_loc){.file = "map.yaml"}, "a note");
    for (int i = 0; i < 4; i++)
        jmap_diag_add(d, JMAP_SEV_WARNING, "missing-glyph", (jmap_loc){.file = "map.yaml", .line = 3, .col = 16},
                      "no glyph %d", i);
    jmap_diag_hint(d, "dropped with its diagnostic");
}

static char *printed(jmap_diags *d)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    jmap_diags_sort(d);
    jmap_diag_print_opts o = {.excerpt = true};
    jmap_diags_print(d, f, &o);
    jmap_diags_print_json(d, f);
    fprintf(f, "errors %zu warnings %zu notes %zu dropped %zu last %d\n", d->n_errors,
            d->n_warnings, d->n_notes, d->n_dropped, d->last_dropped);
    for (size_t i = 0; i < d->n_files; i++)
        fprintf(f, "file %zu %s\n", i, d->files[i]);
    fclose(f);
    return text;
}

/* The record of what the worker added, as the worker sends it. */
static char *record(jmap_diags *worker, size_t *len)
{
    size_t items = worker->n_items, files = worker->n_files;
    worker_adds(worker);
    char *data = NULL;
    FILE *f = open_memstream(&data, len);
    diag_wire_put(f, worker, items, files);
    fclose(f);
    return data;
}

static void the_parent_prints_what_the_worker_would_have_printed(void **state)
{
    (void)state;
    jmap_diags worker, parent;
    common_start(&worker);
    common_start(&parent);
    size_t len;
    char *data = record(&worker, &len);
    const char *p = data;
    assert_true(diag_wire_get(&parent, &p, data + len));
    assert_ptr_equal(p, data + len);
    char *want = printed(&worker), *got = printed(&parent);
    assert_string_equal(got, want);
    assert_non_null(strstr(got, "    4 |   - {name: Checkout}")); /* the excerpt, from the
                                                                      parent's own source */
    assert_non_null(strstr(got, "dropped 3"));
    /* The codes are the rule table's static strings, as jmap_diag_add's callers give them. */
    for (size_t i = 0; i < parent.n_items; i++)
        assert_non_null(parent.items[i].code);
    free(want);
    free(got);
    free(data);
    jmap_diags_release(&worker);
    jmap_diags_release(&parent);
}

static void a_damaged_record_is_refused(void **state)
{
    (void)state;
    jmap_diags worker;
    common_start(&worker);
    size_t len;
    char *data = record(&worker, &len);
    /* every cut short of the whole record */
    for (size_t cut = 0; cut < len; cut++) {
        jmap_diags parent;
        common_start(&parent);
        const char *p = data;
        assert_false(diag_wire_get(&parent, &p, data + cut));
        jmap_diags_release(&parent);
    }
    /* a code no rule has: the diagnostic's code is 'render-error' at a known place */
    char *code = NULL;
    for (size_t i = 0; i + 12 <= len && !code; i++)
        code = memcmp(data + i, "render-error", 12) == 0 ? data + i : NULL;
    assert_non_null(code);
    memcpy(code, "render-errxr", 12);
    jmap_diags parent;
    common_start(&parent);
    const char *p = data;
    assert_false(diag_wire_get(&parent, &p, data + len));
    jmap_diags_release(&parent);
    free(data);
    jmap_diags_release(&worker);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_parent_prints_what_the_worker_would_have_printed),
        cmocka_unit_test(a_damaged_record_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
