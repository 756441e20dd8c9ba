/* Writing output files: whole or not at all. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jmap/output.h"
#include "support.h"

static mode_t current_umask(void)
{
    mode_t m = umask(0);
    umask(m);
    return m;
}

/* Number of entries in a directory besides . and .. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    }
    closedir(d);
    return n;
}

static void a_new_file_is_written_whole_with_no_temporary_left(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-new");
    char *path = jmap_xprintf("%s/map.svg", dir);
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(path, "<svg/>", 6, true, &d), JMAP_WRITE_DONE);
    size_t len;
    char *got = test_read_file(path, &len);
    assert_string_equal(got, "<svg/>");
    assert_int_equal(count_entries(dir), 1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0666 & ~current_umask());
    assert_int_equal(d.n_errors, 0);
    jmap_diags_release(&d);
    free(got);
    free(path);
    free(dir);
}

static void unchanged_bytes_leave_the_file_and_its_time_alone(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-unchanged");
    char *path = jmap_xprintf("%s/map.svg", dir);
    test_write_file(path, "same", 4);
    /* Back-date the file, then write the same bytes: the time must not move. */
    struct timespec times[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(path, "same", 4, true, &d), JMAP_WRITE_UNCHANGED);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mtime, 1000000000);
    /* Different bytes replace it. */
    assert_int_equal(jmap_output_write(path, "other", 5, true, &d), JMAP_WRITE_DONE);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_mtime > 1000000000);
    assert_true(jmap_output_same(path, "other", 5));
    assert_false(jmap_output_same(path, "othe", 4));
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

static void a_missing_directory_is_an_io_error_naming_the_path(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-missing");
    char *path = jmap_xprintf("%s/no/such/dir/map.svg", dir);
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(path, "x", 1, true, &d), JMAP_WRITE_FAILED);
    const jmap_diag *g = test_diag_find(&d, "io-error");
    assert_non_null(g);
    assert_non_null(strstr(g->msg, path));
    assert_non_null(strstr(g->msg, "No such file or directory"));
    assert_int_equal(count_entries(dir), 0);
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

static void a_full_device_is_written_in_place_and_fails(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write("/dev/full", "x", 1, true, &d), JMAP_WRITE_FAILED);
    const jmap_diag *g = test_diag_find(&d, "io-error");
    assert_non_null(g);
    assert_non_null(strstr(g->msg, "/dev/full"));
    assert_non_null(strstr(g->msg, "No space left on device"));
    struct stat st;
    assert_int_equal(stat("/dev/full", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    jmap_diags_release(&d);
}

static void a_directory_as_output_is_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-dir");
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(dir, "x", 1, true, &d), JMAP_WRITE_FAILED);
    assert_non_null(test_diag_find(&d, "io-error"));
    assert_int_equal(count_entries(dir), 0);
    jmap_diags_release(&d);
    free(dir);
}

static void the_buffer_collects_what_is_written(void **state)
{
    (void)state;
    jmap_buf b = {0};
    for (int i = 0; i < 1000; i++)
        assert_true(jmap_buf_write(&b, (const unsigned char *)"abc", 3));
    assert_int_equal(b.len, 3000);
    assert_memory_equal(b.data + 2997, "abc", 3);
    jmap_buf_release(&b);
    assert_null(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_file_is_written_whole_with_no_temporary_left),
        cmocka_unit_test(unchanged_bytes_leave_the_file_and_its_time_alone),
        cmocka_unit_test(a_missing_directory_is_an_io_error_naming_the_path),
        cmocka_unit_test(a_full_device_is_written_in_place_and_fails),
        cmocka_unit_test(a_directory_as_output_is_refused),
        cmocka_unit_test(the_buffer_collects_what_is_written),
    };
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
