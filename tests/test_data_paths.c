#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jmap/arena.h"
#include "jmap/data_paths.h"
#include "support.h"

/* The files a map's `data:` names (src/data_paths.c): confined to the map's folder tree. */

static const char head[] = "title: T\npersonas: [{id: a, name: A}]\nstages: [{id: s}]\n";

static void each_item_is_confined_and_named_from_the_map_s_folder(void **state)
{
    (void)state;
    char *dir = test_tmpdir("data-paths");
    free(test_put(dir, "ok.csv", "kpi,date,actual\n"));
    char *cwd = getcwd(NULL, 0);
    assert_int_equal(chdir(dir), 0);
    jmap_arena *a = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    char *yaml = jmap_xprintf("%sdata: [\"\", \"a\\tb.csv\", gone.csv, ../up.csv, /abs.csv, "
                              "ok.csv]\n",
                              head);
    jmap_map *map = test_load(a, yaml, &d); /* the map is "test.yaml": its folder is "." */
    assert_non_null(map);
    jmap_data_path *p = NULL;
    size_t n = jmap_data_paths(a, map, &p, &d);
    assert_int_equal(n, 4); /* the empty item and the one with a tab are check's to report */
    assert_string_equal(p[0].name, "gone.csv");
    assert_null(p[0].real);
    assert_false(p[0].outside);
    assert_true(p[1].outside && !p[1].real);
    assert_true(p[2].outside && !p[2].real);
    assert_string_equal(p[3].name, "ok.csv");
    assert_non_null(p[3].real);
    assert_non_null(strstr(p[3].real, "/ok.csv"));
    assert_int_equal(p[3].at.line, 4);
    assert_diag_at(&d, "io-error", 4, 0);
    assert_int_equal(d.n_errors, 3);
    /* a map in another folder names its files from there */
    map->file = "sub/m.yaml";
    n = jmap_data_paths(a, map, &p, &d);
    assert_string_equal(p[3].name, "sub/ok.csv");
    map->file = "/m.yaml";
    n = jmap_data_paths(a, map, &p, &d);
    assert_string_equal(p[3].name, "/ok.csv");
    assert_int_equal(chdir(cwd), 0);
    free(cwd);
    free(yaml);
    jmap_diags_release(&d);
    jmap_arena_free(a);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_item_is_confined_and_named_from_the_map_s_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
