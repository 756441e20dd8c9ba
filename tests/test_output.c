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
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
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

/* ---- streaming ---------------------------------------------------------------------------- */

static void a_streamed_output_appears_only_when_committed(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-stream");
    char *path = jmap_xprintf("%s/map.svg", dir);
    test_write_file(path, "old", 3);
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_output *o = jmap_output_begin(path, &d);
    assert_non_null(o);
    assert_int_equal(count_entries(dir), 2); /* the old file and the temporary one */
    for (int i = 0; i < 1000; i++)
        assert_true(jmap_output_put(o, (const unsigned char *)"0123456789", 10));
    size_t len;
    char *got = test_read_file(path, &len);
    assert_string_equal(got, "old"); /* untouched until the commit */
    free(got);
    assert_int_equal(jmap_output_commit(o, true, &d), JMAP_WRITE_DONE);
    got = test_read_file(path, &len);
    assert_int_equal(len, 10000);
    assert_memory_equal(got + 9990, "0123456789", 10);
    free(got);
    assert_int_equal(count_entries(dir), 1);

    /* The same bytes again: the file is left alone, the temporary one removed. */
    struct timespec t[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
    o = jmap_output_begin(path, &d);
    for (int i = 0; i < 1000; i++)
        jmap_output_put(o, (const unsigned char *)"0123456789", 10);
    assert_int_equal(jmap_output_commit(o, true, &d), JMAP_WRITE_UNCHANGED);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mtime, 1000000000);
    assert_int_equal(count_entries(dir), 1);

    /* One byte more is a change. */
    o = jmap_output_begin(path, &d);
    for (int i = 0; i < 1000; i++)
        jmap_output_put(o, (const unsigned char *)"0123456789", 10);
    jmap_output_put(o, (const unsigned char *)"!", 1);
    assert_int_equal(jmap_output_commit(o, true, &d), JMAP_WRITE_DONE);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 10001);
    assert_int_equal(d.n_errors, 0);
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

static void an_aborted_output_leaves_the_old_file_and_no_temporary(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-abort");
    char *path = jmap_xprintf("%s/map.pdf", dir);
    test_write_file(path, "old", 3);
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_output *o = jmap_output_begin(path, &d);
    jmap_output_put(o, (const unsigned char *)"half a PDF", 10);
    jmap_output_abort(o);
    size_t len;
    char *got = test_read_file(path, &len);
    assert_string_equal(got, "old");
    free(got);
    assert_int_equal(count_entries(dir), 1);
    jmap_output_abort(NULL); /* nothing to do */
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

/* A file size limit makes write() fail half-way with EFBIG, as a full disk would. */
static void a_write_failing_half_way_is_reported_at_commit(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-efbig");
    char *path = jmap_xprintf("%s/map.png", dir);
    test_write_file(path, "old", 3);
    struct rlimit old_limit, small = {.rlim_cur = 4096, .rlim_max = RLIM_INFINITY};
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
    small.rlim_max = old_limit.rlim_max;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_output *o = jmap_output_begin(path, &d);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    static unsigned char block[1000];
    for (int i = 0; i < 10; i++)
        assert_true(jmap_output_put(o, block, sizeof block));
    jmap_write_result r = jmap_output_commit(o, true, &d);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old_limit), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(r, JMAP_WRITE_FAILED);
    assert_int_equal(d.n_errors, 1);
    assert_string_equal(d.items[0].code, "io-error");
    assert_string_equal(d.items[0].loc.file, path);
    assert_non_null(strstr(d.items[0].msg, "File too large"));
    size_t len;
    char *got = test_read_file(path, &len);
    assert_string_equal(got, "old");
    free(got);
    assert_int_equal(count_entries(dir), 1);
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

static void a_device_gets_nothing_when_the_output_is_aborted(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-fifo");
    char *fifo = jmap_xprintf("%s/pipe", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    jmap_diags d;
    jmap_diags_init(&d);
    /* Nothing opens the pipe until the commit: aborting never blocks on a missing reader. */
    jmap_output *o = jmap_output_begin(fifo, &d);
    assert_non_null(o);
    jmap_output_put(o, (const unsigned char *)"x", 1);
    jmap_output_abort(o);
    assert_int_equal(count_entries(dir), 1);
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    free(fifo);
    free(dir);
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
        cmocka_unit_test(a_streamed_output_appears_only_when_committed),
        cmocka_unit_test(an_aborted_output_leaves_the_old_file_and_no_temporary),
        cmocka_unit_test(a_write_failing_half_way_is_reported_at_commit),
        cmocka_unit_test(a_device_gets_nothing_when_the_output_is_aborted),
    };
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
