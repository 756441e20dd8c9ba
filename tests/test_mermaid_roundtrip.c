/*
 * The Mermaid round trip (issue 13, point 5), through the library's export
 * (jmap/export_mermaid.h) and import (jmap/import_mermaid.h):
 *   - for every example that compiles (clean or with warnings), import(export(map)) gives back
 *     the stages that have touchpoints (names, order), the touchpoints (names, order, stage),
 *     the personas on touchpoints (names, first-seen order) and the emotions rounded to whole
 *     steps, as a map that compiles; and exporting that map again gives the same bytes;
 *   - export(import(file)) is stable: importing and exporting it again changes no byte, for
 *     the export goldens (tests/golden/mermaid-export) and every Mermaid file among the
 *     goldens (tests/golden/ * / *.mmd), and for the examples.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/export_mermaid.h"
#include "jmap/import_mermaid.h"
#include "jmap/jmap.h"
#include "support.h"

/* Files in `dir` (relative to the source tree) whose names end in `ext`, sorted. */
static size_t list_files(const char *dir, const char *ext, char ***out)
{
    char *path = jmap_xprintf("%s/%s", JMAP_SOURCE_DIR, dir);
    DIR *d = opendir(path);
    size_t n = 0, cap = 0;
    *out = NULL;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t len = strlen(e->d_name), el = strlen(ext);
        if (len <= el || strcmp(e->d_name + len - el, ext) != 0)
            continue;
        *out = jmap_xgrow(*out, &cap, n + 1, sizeof(char *));
        (*out)[n++] = jmap_xprintf("%s/%s", path, e->d_name);
    }
    if (d)
        closedir(d);
    free(path);
    for (size_t i = 1; i < n; i++) { /* insertion sort: a handful of names */
        for (size_t k = i; k > 0 && strcmp((*out)[k - 1], (*out)[k]) > 0; k--) {
            char *t = (*out)[k];
            (*out)[k] = (*out)[k - 1];
            (*out)[k - 1] = t;
        }
    }
    return n;
}

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

static char *export_map(const jmap_map *m)
{
    jmap_mermaid_opts o = {0};
    size_t len;
    return jmap_export_mermaid_write(m, &o, &len);
}

/* The map that import makes of Mermaid text, compiled; fails the test when either step has
 * an error. */
static jmap_map *import_text(jmap_arena *a, const char *what, const char *text)
{
    jmap_diags d;
    jmap_diags_init(&d);
    size_t len;
    char *yaml = jmap_import_mermaid("export.mmd", NULL, text, strlen(text), &len, &d);
    if (!yaml) {
        char *shown = test_diags_text(&d);
        fail_msg("%s: the export does not import:\n%s\n%s", what, shown, text);
    }
    jmap_diags_release(&d);
    jmap_diags_init(&d);
    jmap_limits lim = jmap_limits_default();
    jmap_map *m = jmap_compile(a, "imported.yaml", yaml, len, &lim, &d);
    if (!m) {
        char *shown = test_diags_text(&d);
        fail_msg("%s: the imported map does not compile:\n%s\n%s", what, shown, yaml);
    }
    jmap_diags_release(&d);
    free(yaml);
    return m;
}

/* The touchpoints export shows, in the order it shows them: by stage, then as written. */
static size_t export_order(const jmap_map *m, size_t *order)
{
    size_t n = 0;
    for (size_t s = 0; s < m->n_stages; s++) {
        for (size_t i = 0; i < m->n_touchpoints; i++) {
            if (m->touchpoints[i].stage_ix == s)
                order[n++] = i;
        }
    }
    return n;
}

static const char *stage_name(const jmap_map *m, size_t s)
{
    return m->stages[s].name.s ? m->stages[s].name.s : m->stages[s].id.s;
}

static void compare(const char *what, const jmap_map *orig, const jmap_map *back)
{
    size_t *order = jmap_xcalloc(orig->n_touchpoints + 1, sizeof(size_t));
    size_t n = export_order(orig, order);
    /* touchpoints: names, order, stage, emotion rounded */
    if (back->n_touchpoints != n)
        fail_msg("%s: %zu touchpoints back, %zu out", what, back->n_touchpoints, n);
    for (size_t k = 0; k < n; k++) {
        const jmap_touchpoint *a = &orig->touchpoints[order[k]], *b = &back->touchpoints[k];
        if (strcmp(a->name.s, b->name.s) != 0)
            fail_msg("%s: touchpoint %zu is '%s' back, '%s' out", what, k, b->name.s, a->name.s);
        if (strcmp(stage_name(orig, a->stage_ix), stage_name(back, b->stage_ix)) != 0)
            fail_msg("%s: '%s' is in stage '%s' back, '%s' out", what, a->name.s,
                     stage_name(back, b->stage_ix), stage_name(orig, a->stage_ix));
        int want = jmap_export_mermaid_score(a->emotion) - 3;
        if (!b->emotion.set || b->emotion.v != want)
            fail_msg("%s: '%s' has emotion %g back, %d out", what, a->name.s, b->emotion.v, want);
        /* its personas, by name, in order */
        if (b->n_persona_ix != a->n_persona_ix)
            fail_msg("%s: '%s' has %zu personas back, %zu out", what, a->name.s,
                     b->n_persona_ix, a->n_persona_ix);
        for (size_t p = 0; p < a->n_persona_ix; p++) {
            const char *pa = orig->personas[a->persona_ix[p]].name.s;
            const char *pb = back->personas[b->persona_ix[p]].name.s;
            if (strcmp(pa, pb) != 0)
                fail_msg("%s: '%s' has persona '%s' back, '%s' out", what, a->name.s, pb, pa);
        }
    }
    /* stages: those with touchpoints, in order */
    size_t sb = 0;
    for (size_t s = 0; s < orig->n_stages; s++) {
        bool used = false;
        for (size_t k = 0; k < n && !used; k++)
            used = orig->touchpoints[order[k]].stage_ix == s;
        if (!used)
            continue;
        if (sb >= back->n_stages || strcmp(stage_name(orig, s), stage_name(back, sb)) != 0)
            fail_msg("%s: stage %zu is not '%s' back", what, sb, stage_name(orig, s));
        sb++;
    }
    if (sb != back->n_stages)
        fail_msg("%s: %zu stages back, %zu with touchpoints out", what, back->n_stages, sb);
    /* personas: those on touchpoints, by name, in first-seen order */
    size_t pb = 0;
    bool *seen = jmap_xcalloc(orig->n_personas + 1, sizeof(bool));
    for (size_t k = 0; k < n; k++) {
        const jmap_touchpoint *a = &orig->touchpoints[order[k]];
        for (size_t p = 0; p < a->n_persona_ix; p++) {
            size_t ix = a->persona_ix[p];
            if (seen[ix])
                continue;
            seen[ix] = true;
            if (pb >= back->n_personas ||
                strcmp(orig->personas[ix].name.s, back->personas[pb].name.s) != 0)
                fail_msg("%s: persona %zu is not '%s' back", what, pb, orig->personas[ix].name.s);
            pb++;
        }
    }
    if (pb != back->n_personas)
        fail_msg("%s: %zu personas back, %zu on touchpoints out", what, back->n_personas, pb);
    free(seen);
    free(order);
}

/* export(import(text)) == text for a text that export wrote. */
static void assert_stable(const char *what, const char *text)
{
    jmap_arena *a = jmap_arena_new();
    jmap_map *m = import_text(a, what, text);
    char *again = export_map(m);
    if (strcmp(again, text) != 0)
        fail_msg("%s: export(import(export)) changed:\n--- out\n%s--- back\n%s", what, text,
                 again);
    free(again);
    jmap_arena_free(a);
}

static void every_example_round_trips(void **state)
{
    (void)state;
    char **files;
    size_t n = list_files("examples", ".yaml", &files), done = 0;
    assert_true(n >= 7);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *text = test_read_file(files[i], &len);
        jmap_arena *a = jmap_arena_new();
        jmap_diags d;
        jmap_diags_init(&d);
        jmap_limits lim = jmap_limits_default();
        jmap_map *orig = jmap_compile(a, files[i], text, len, &lim, &d);
        jmap_diags_release(&d);
        if (orig) { /* an example with errors is not a map to export */
            char *out = export_map(orig);
            jmap_arena *b = jmap_arena_new();
            jmap_map *back = import_text(b, files[i], out);
            compare(files[i], orig, back);
            jmap_arena_free(b);
            assert_stable(files[i], out);
            free(out);
            done++;
        }
        jmap_arena_free(a);
        free(text);
    }
    assert_int_equal(done, n); /* every example checks today: say so if one stops */
    free_list(files, n);
}

/* Export text made from a Mermaid file: import it, export that. */
static char *export_of_import(const char *path)
{
    size_t len;
    char *text = test_read_file(path, &len);
    jmap_arena *a = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    size_t ylen;
    char *yaml = jmap_import_mermaid(path, path, text, len, &ylen, &d);
    char *out = NULL;
    if (yaml) {
        jmap_diags_release(&d);
        jmap_diags_init(&d);
        jmap_limits lim = jmap_limits_default();
        jmap_map *m = jmap_compile(a, "imported.yaml", yaml, ylen, &lim, &d);
        out = m ? export_map(m) : NULL;
    }
    free(yaml);
    jmap_diags_release(&d);
    jmap_arena_free(a);
    free(text);
    return out; /* NULL: the file is a golden of an error */
}

static void export_of_import_is_stable_for_the_goldens(void **state)
{
    (void)state;
    size_t stable = 0;
    /* the export goldens, through the whole chain */
    char **files;
    size_t n = list_files("tests/golden/mermaid-export", ".yaml", &files);
    assert_true(n >= 3);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *text = test_read_file(files[i], &len);
        jmap_arena *a = jmap_arena_new();
        jmap_diags d;
        jmap_diags_init(&d);
        jmap_limits lim = jmap_limits_default();
        jmap_map *m = jmap_compile(a, files[i], text, len, &lim, &d);
        assert_non_null(m);
        char *out = export_map(m);
        /* names that Mermaid cannot keep exactly (a newline, edge spaces) come back as the
         * importer reads them; from then on the text is stable */
        jmap_arena *b = jmap_arena_new();
        char *once = export_map(import_text(b, files[i], out));
        assert_stable(files[i], once);
        stable++;
        free(once);
        free(out);
        jmap_arena_free(b);
        jmap_diags_release(&d);
        jmap_arena_free(a);
        free(text);
    }
    free_list(files, n);
    /* every Mermaid golden of the importer that imports */
    char **dirs;
    size_t nd = list_files("tests/golden", "", &dirs);
    for (size_t k = 0; k < nd; k++) {
        const char *sub = strrchr(dirs[k], '/') + 1;
        char *rel = jmap_xprintf("tests/golden/%s", sub);
        n = list_files(rel, ".mmd", &files);
        for (size_t i = 0; i < n; i++) {
            char *out = export_of_import(files[i]);
            if (out) {
                assert_stable(files[i], out);
                stable++;
            }
            free(out);
        }
        free_list(files, n);
        free(rel);
    }
    free_list(dirs, nd);
    print_message("export(import(file)) stable for %zu files\n", stable);
}

/* Everything after the `%%` comment line, which names the file the text was made from. */
static const char *after_comment(const char *text)
{
    const char *c = strstr(text, "\n  %% jmap export of ");
    assert_non_null(c);
    return strchr(c + 1, '\n') + 1;
}

/* The same through the binary, as a user runs it: build -o .mmd, import mermaid, build again. */
static void the_commands_round_trip_every_example(void **state)
{
    (void)state;
    char *dir = test_tmpdir("mermaid-roundtrip-cli");
    char **files;
    size_t n = list_files("examples", ".yaml", &files);
    for (size_t i = 0; i < n; i++) {
        char *cmd = jmap_xprintf("J='%s'; D='%s'; \"$J\" build -q '%s' -o \"$D/a.mmd\" && "
                                 "\"$J\" import mermaid \"$D/a.mmd\" -o \"$D/b.yaml\" --force && "
                                 "\"$J\" check -q \"$D/b.yaml\" && "
                                 "\"$J\" build -q \"$D/b.yaml\" -o \"$D/c.mmd\"",
                                 JMAP_BINARY, dir, files[i]);
        char *err;
        int status = test_run(cmd, NULL, &err);
        if (status != 0)
            fail_msg("%s: status %d\n%s", files[i], status, err);
        free(err);
        free(cmd);
        size_t la, lc;
        char *pa = jmap_xprintf("%s/a.mmd", dir), *pc = jmap_xprintf("%s/c.mmd", dir);
        char *a = test_read_file(pa, &la), *c = test_read_file(pc, &lc);
        assert_non_null(strstr(c, "  %% jmap export of b.yaml\n"));
        if (strcmp(after_comment(a), after_comment(c)) != 0)
            fail_msg("%s: the export of the import differs:\n%s---\n%s", files[i], a, c);
        free(a);
        free(c);
        free(pa);
        free(pc);
    }
    free_list(files, n);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_example_round_trips),
        cmocka_unit_test(export_of_import_is_stable_for_the_goldens),
        cmocka_unit_test(the_commands_round_trip_every_example),
    };
    return cmocka_run_group_tests_name("mermaid_roundtrip", tests, NULL, NULL);
}
