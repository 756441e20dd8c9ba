/* Running a build (src/cli/build_run.c) through the real binary: output names made from map
 * names, --check on an output it cannot look at, --dump-layout to a file, and a depfile or
 * dump that cannot be written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"

static const char map_text[] = "title: Run\n" TEST_VALID_MAP_BODY;

static bool is_svg(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    char *text = test_read_file(path, NULL);
    bool svg = strstr(text, "<svg") != NULL;
    free(text);
    return svg;
}

static void a_yml_map_is_named_without_its_suffix(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-run-yml");
    char *map = test_put(dir, "journey.yml", map_text);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -O '%s/out'", map, dir), 0);
    assert_string_equal(err, "");
    free(err);
    char *want = jmap_xprintf("%s/out/journey.svg", dir);
    assert_true(is_svg(want));
    char *out = jmap_xprintf("%s/out", dir);
    assert_int_equal(test_count_entries(out), 1); /* not journey.yml.svg */
    free(out);
    free(want);
    free(map);
    free(dir);
}

static void a_persona_view_of_an_output_without_a_suffix_gets_the_persona_appended(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-run-nosuffix");
    char *map = test_put(dir, "map.yaml", map_text);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s/drawing' -f svg --split-personas",
                               map, dir),
                     0);
    free(err);
    char *full = jmap_xprintf("%s/drawing", dir), *ana = jmap_xprintf("%s/drawing.ana", dir);
    assert_true(is_svg(full));
    assert_true(is_svg(ana));
    assert_int_equal(test_count_entries(dir), 3);
    free(ana);
    free(full);
    free(map);
    free(dir);
}

static void check_names_an_output_it_cannot_look_at(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-run-check-long");
    char *map = test_put(dir, "map.yaml", map_text);
    char long_name[301];
    memset(long_name, 'x', 296);
    memcpy(long_name + 296, ".svg", 5);
    char *out = jmap_xprintf("%s/%s", dir, long_name);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s' --check", map, out), 3);
    char *want = jmap_xprintf("cannot check '%s': File name too long [io-error]", out);
    if (!strstr(err, want))
        fail_msg("want \"%s\" in:\n%s", want, err);
    free(want);
    free(err);
    free(out);
    free(map);
    free(dir);
}

static void dump_layout_goes_to_the_named_file_and_a_full_one_is_status_3(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-run-dump");
    char *map = test_put(dir, "map.yaml", map_text);
    char *dump = jmap_xprintf("%s/scene.txt", dir);
    char *out, *err;
    assert_int_equal(test_jmap(&out, &err, "build '%s' --dump-layout -o '%s'", map, dump), 0);
    assert_string_equal(out, "");
    free(out);
    free(err);
    /* the same scene as on standard output */
    assert_int_equal(test_jmap(&out, NULL, "build '%s' --dump-layout", map), 0);
    char *text = test_read_file(dump, NULL);
    assert_true(strncmp(text, "scene ", 6) == 0);
    assert_string_equal(text, out);
    free(text);
    free(out);
    assert_int_equal(test_jmap(NULL, &err, "build '%s' --dump-layout -o /dev/full", map), 3);
    assert_non_null(strstr(err, "cannot write '/dev/full': No space left on device"));
    free(err);
    free(dump);
    free(map);
    free(dir);
}

static void a_depfile_that_cannot_be_written_is_status_3(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-run-depfile-full");
    char *map = test_put(dir, "map.yaml", map_text);
    char *svg = jmap_xprintf("%s/map.svg", dir);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s' --depfile /dev/full", map, svg), 3);
    assert_non_null(strstr(err, "cannot write '/dev/full': No space left on device"));
    assert_true(is_svg(svg)); /* the drawing itself was fine */
    free(err);
    free(svg);
    free(map);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_yml_map_is_named_without_its_suffix),
        cmocka_unit_test(a_persona_view_of_an_output_without_a_suffix_gets_the_persona_appended),
        cmocka_unit_test(check_names_an_output_it_cannot_look_at),
        cmocka_unit_test(dump_layout_goes_to_the_named_file_and_a_full_one_is_status_3),
        cmocka_unit_test(a_depfile_that_cannot_be_written_is_status_3),
    };
    return cmocka_run_group_tests_name("build_run", tests, NULL, NULL);
}
