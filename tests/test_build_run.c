/* Running a build (src/cli/build_run.c) through the real binary: output names made from map
 * names, --check on an output it cannot look at, --dump-layout to a file, a depfile or dump
 * that cannot be written, unchanged outputs touched (or kept with --keep-mtime), and the
 * folders -o and --depfile create. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* ---- an unchanged output is touched, so Make and Ninja converge ----------------------------- */

#define LONG_AGO 1000000000

static void set_mtime(const char *path, time_t t)
{
    struct timespec ts[2] = {{.tv_sec = t}, {.tv_sec = t}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

static struct stat stat_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st;
}

/* An edit that does not change the drawing (a comment) must still leave every output newer
 * than the map: the unchanged SVG and depfile are touched, not rewritten (same inode).
 * --keep-mtime leaves them alone; --check touches nothing. */
static void an_unchanged_output_is_touched_unless_keep_mtime(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-run-touch");
    char *map = test_put(dir, "map.yaml", map_text);
    char *svg = jmap_xprintf("%s/map.svg", dir), *dep = jmap_xprintf("%s/map.d", dir);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s' --depfile '%s'", map, svg, dep),
                     0);
    free(err);
    struct stat svg0 = stat_of(svg), dep0 = stat_of(dep);
    static const char *const extra[] = {"", " --keep-mtime", " --check"};
    for (int i = 0; i < 3; i++) {
        char *edited = jmap_xprintf("# a comment\n%s", map_text);
        free(test_put(dir, "map.yaml", edited));
        free(edited);
        set_mtime(svg, LONG_AGO);
        set_mtime(dep, LONG_AGO);
        time_t now = time(NULL);
        assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s' --depfile '%s'%s", map, svg,
                                   dep, extra[i]),
                         0);
        assert_string_equal(err, "");
        free(err);
        struct stat s = stat_of(svg), d = stat_of(dep), m = stat_of(map);
        assert_int_equal(s.st_ino, svg0.st_ino);
        assert_int_equal(d.st_ino, dep0.st_ino);
        if (i == 0) {
            assert_true(s.st_mtime >= now && s.st_mtime >= m.st_mtime);
            assert_true(d.st_mtime >= now);
        } else {
            assert_int_equal(s.st_mtime, LONG_AGO);
            assert_int_equal(d.st_mtime, LONG_AGO);
        }
    }
    free(dep);
    free(svg);
    free(map);
    free(dir);
}

/* ---- -o and --depfile make their folders, as -O does ----------------------------------------- */

static void o_and_depfile_create_missing_folders(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-run-mkdir");
    char *map = test_put(dir, "map.yaml", map_text);
    char *err;
    assert_int_equal(test_jmap(NULL, &err,
                               "build '%s' -o '%s/public/maps/map.svg' --depfile '%s/deps/a/map.d'",
                               map, dir, dir),
                     0);
    assert_string_equal(err, "");
    free(err);
    char *svg = jmap_xprintf("%s/public/maps/map.svg", dir);
    assert_true(is_svg(svg));
    char *dep = jmap_xprintf("%s/deps/a/map.d", dir);
    char *text = test_read_file(dep, NULL);
    assert_non_null(strstr(text, "map.svg:"));
    free(text);
    /* Relative names, as a Makefile gives them, from the folder the job runs in. */
    char *rm = jmap_xprintf("rm -r '%s/public' '%s/deps'", dir, dir);
    assert_int_equal(test_run(rm, NULL, NULL), 0);
    free(rm);
    char *cmd = jmap_xprintf("cd '%s' && '%s' build map.yaml -o public/map.pdf --depfile "
                             "public/map.pdf.d",
                             dir, JMAP_BINARY);
    assert_int_equal(test_run(cmd, NULL, &err), 0);
    assert_string_equal(err, "");
    free(err);
    free(cmd);
    char *pdf = jmap_xprintf("%s/public/map.pdf", dir);
    struct stat st = stat_of(pdf);
    assert_true(S_ISREG(st.st_mode) && st.st_size > 0);
    free(pdf);
    free(dep);
    free(svg);
    free(map);
    free(dir);
}

/* --check writes nothing: no folder either. */
static void check_creates_no_folder(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-run-mkdir-check");
    char *map = test_put(dir, "map.yaml", map_text);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -o '%s/public/map.svg' "
                                           "--depfile '%s/deps/map.d'",
                               map, dir, dir),
                     4);
    free(err);
    assert_int_equal(test_count_entries(dir), 1);
    free(map);
    free(dir);
}

/* A folder that cannot be made is the same one-line error under -o, -O and --depfile. */
static void a_folder_that_cannot_be_made_is_the_same_error_for_o_and_O(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-run-mkdir-fail");
    char *map = test_put(dir, "map.yaml", map_text);
    free(test_put(dir, "file", "not a folder\n"));
    char *want = jmap_xprintf("cannot create directory '%s/file/sub': Not a directory", dir);
    for (int i = 0; i < 3; i++) {
        char *opts = i == 0   ? jmap_xprintf("-o '%s/file/sub/map.svg'", dir)
                     : i == 1 ? jmap_xprintf("-O '%s/file/sub'", dir)
                              : jmap_xprintf("-o '%s/map.svg' --depfile '%s/file/sub/map.d'",
                                             dir, dir);
        char *err;
        assert_int_equal(test_jmap(NULL, &err, "build '%s' %s", map, opts), 3);
        assert_non_null(strstr(err, want));
        free(err);
        free(opts);
    }
    assert_int_equal(test_count_entries(dir), 2); /* map.yaml, file: nothing written */
    free(want);
    free(map);
    free(dir);
}

/* A committed link `public -> /somewhere/else` may not steer -o's writes, nor have folders
 * made under it: refused before anything is made, as under -O. */
static void o_through_a_linked_folder_out_of_the_tree_is_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-run-mkdir-link");
    char *repo = jmap_xprintf("%s/repo", dir), *outside = jmap_xprintf("%s/outside", dir);
    assert_int_equal(mkdir(repo, 0755), 0);
    assert_int_equal(mkdir(outside, 0755), 0);
    free(test_put(repo, "map.yaml", map_text));
    char *link = jmap_xprintf("%s/public", repo);
    assert_int_equal(symlink("../outside", link), 0);
    static const char *const opts[] = {"-o public/map.svg", "-o public/sub/map.svg",
                                       "-o map.svg --depfile public/deps/map.d"};
    for (int i = 0; i < 3; i++) {
        char *cmd = jmap_xprintf("cd '%s' && '%s' build map.yaml %s", repo, JMAP_BINARY,
                                 opts[i]);
        char *err;
        assert_int_equal(test_run(cmd, NULL, &err), 2);
        assert_non_null(strstr(err, "leads through a symbolic link outside '.'"));
        assert_non_null(strstr(err, "[path-outside-tree]"));
        free(err);
        free(cmd);
        assert_int_equal(test_count_entries(outside), 0);
    }
    assert_int_equal(test_count_entries(repo), 2); /* map.yaml, public */
    free(link);
    free(outside);
    free(repo);
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
        cmocka_unit_test(an_unchanged_output_is_touched_unless_keep_mtime),
        cmocka_unit_test(o_and_depfile_create_missing_folders),
        cmocka_unit_test(check_creates_no_folder),
        cmocka_unit_test(a_folder_that_cannot_be_made_is_the_same_error_for_o_and_O),
        cmocka_unit_test(o_through_a_linked_folder_out_of_the_tree_is_refused),
    };
    return cmocka_run_group_tests_name("build_run", tests, NULL, NULL);
}
