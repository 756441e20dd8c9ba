/* Writing output files: whole or not at all. */
#define _GNU_SOURCE /* O_TMPFILE */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jmap/output.h"
#include "jmap/sanitize.h"
#include "support.h"

static mode_t current_umask(void)
{
    mode_t m = umask(0);
    umask(m);
    return m;
}

/* Whether the file system under `dir` makes files with no name (O_TMPFILE). */
static bool has_unnamed_files(const char *dir)
{
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_WRONLY, 0600);
    if (fd >= 0)
        close(fd);
    return fd >= 0;
#else
    (void)dir;
    return false;
#endif
}

static void a_new_file_is_written_whole_with_no_temporary_left(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-new");
    char *path = jmap_xprintf("%s/map.svg", dir);
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(path, "<svg/>", 6, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    size_t len;
    char *got = test_read_file(path, &len);
    assert_string_equal(got, "<svg/>");
    assert_int_equal(test_count_entries(dir), 1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0666 & ~current_umask());
    assert_int_equal(d.n_errors, 0);
    jmap_diags_release(&d);
    free(got);
    free(path);
    free(dir);
}

static void back_date(const char *path)
{
    struct timespec times[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

/* The same bytes again: the file is not rewritten (same inode), but its modification time
 * moves to now, so that Make and Ninja see it newer than the input just edited. With
 * JMAP_SAME_KEEP its time stays (Ninja's restat = 1). */
static void unchanged_bytes_are_touched_not_rewritten(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-unchanged");
    char *path = jmap_xprintf("%s/map.svg", dir);
    test_write_file(path, "same", 4);
    struct stat before, st;
    assert_int_equal(stat(path, &before), 0);
    back_date(path);
    jmap_diags d;
    jmap_diags_init(&d);
    time_t now = time(NULL);
    assert_int_equal(jmap_output_write(path, "same", 4, JMAP_SAME_TOUCH, &d),
                     JMAP_WRITE_UNCHANGED);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_mtime >= now);
    assert_int_equal(st.st_ino, before.st_ino);
    back_date(path);
    assert_int_equal(jmap_output_write(path, "same", 4, JMAP_SAME_KEEP, &d),
                     JMAP_WRITE_UNCHANGED);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mtime, 1000000000);
    assert_int_equal(st.st_ino, before.st_ino);
    /* Different bytes replace it, whatever `same` says. */
    assert_int_equal(jmap_output_write(path, "other", 5, JMAP_SAME_KEEP, &d), JMAP_WRITE_DONE);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_mtime > 1000000000);
    assert_true(jmap_output_same(path, "other", 5));
    assert_false(jmap_output_same(path, "othe", 4));
    /* JMAP_SAME_REWRITE writes the same bytes anew. */
    back_date(path);
    assert_int_equal(jmap_output_write(path, "other", 5, JMAP_SAME_REWRITE, &d),
                     JMAP_WRITE_DONE);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_mtime >= now);
    assert_int_equal(test_count_entries(dir), 1);
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

/* A symbolic link at the output's place holding the same bytes is replaced, not touched: the
 * touch never follows a link to a file outside. */
static void a_link_to_the_same_bytes_is_replaced_and_its_target_not_touched(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-touch-link");
    char *target = jmap_xprintf("%s/elsewhere.svg", dir);
    char *path = jmap_xprintf("%s/map.svg", dir);
    test_write_file(target, "same", 4);
    back_date(target);
    assert_int_equal(symlink("elsewhere.svg", path), 0);
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(path, "same", 4, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_mtime, 1000000000);
    jmap_diags_release(&d);
    free(path);
    free(target);
    free(dir);
}

static void a_missing_directory_is_an_io_error_naming_the_path(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-missing");
    char *path = jmap_xprintf("%s/no/such/dir/map.svg", dir);
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(path, "x", 1, JMAP_SAME_TOUCH, &d), JMAP_WRITE_FAILED);
    const jmap_diag *g = test_diag_find(&d, "io-error");
    assert_non_null(g);
    assert_non_null(strstr(g->msg, path));
    assert_non_null(strstr(g->msg, "No such file or directory"));
    assert_int_equal(test_count_entries(dir), 0);
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

static void a_full_device_is_written_in_place_and_fails(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write("/dev/full", "x", 1, JMAP_SAME_TOUCH, &d), JMAP_WRITE_FAILED);
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
    assert_int_equal(jmap_output_write(dir, "x", 1, JMAP_SAME_TOUCH, &d), JMAP_WRITE_FAILED);
    assert_non_null(test_diag_find(&d, "io-error"));
    assert_int_equal(test_count_entries(dir), 0);
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
    /* The old file, and the temporary one unless it has no name. */
    assert_int_equal(test_count_entries(dir), has_unnamed_files(dir) ? 1 : 2);
    for (int i = 0; i < 1000; i++)
        assert_true(jmap_output_put(o, (const unsigned char *)"0123456789", 10));
    size_t len;
    char *got = test_read_file(path, &len);
    assert_string_equal(got, "old"); /* untouched until the commit */
    free(got);
    assert_int_equal(jmap_output_commit(o, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    got = test_read_file(path, &len);
    assert_int_equal(len, 10000);
    assert_memory_equal(got + 9990, "0123456789", 10);
    free(got);
    assert_int_equal(test_count_entries(dir), 1);

    /* The same bytes again: the file is touched (kept, with JMAP_SAME_KEEP), not rewritten,
     * and the temporary one removed. */
    struct stat first, st;
    assert_int_equal(stat(path, &first), 0);
    static const jmap_if_same modes[] = {JMAP_SAME_TOUCH, JMAP_SAME_KEEP};
    for (int m = 0; m < 2; m++) {
        back_date(path);
        time_t now = time(NULL);
        o = jmap_output_begin(path, &d);
        for (int i = 0; i < 1000; i++)
            jmap_output_put(o, (const unsigned char *)"0123456789", 10);
        assert_int_equal(jmap_output_commit(o, modes[m], &d), JMAP_WRITE_UNCHANGED);
        assert_int_equal(stat(path, &st), 0);
        if (modes[m] == JMAP_SAME_TOUCH)
            assert_true(st.st_mtime >= now);
        else
            assert_int_equal(st.st_mtime, 1000000000);
        assert_int_equal(st.st_ino, first.st_ino);
        assert_int_equal(test_count_entries(dir), 1);
    }

    /* One byte more is a change. */
    o = jmap_output_begin(path, &d);
    for (int i = 0; i < 1000; i++)
        jmap_output_put(o, (const unsigned char *)"0123456789", 10);
    jmap_output_put(o, (const unsigned char *)"!", 1);
    assert_int_equal(jmap_output_commit(o, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
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
    assert_int_equal(test_count_entries(dir), 1);
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
    jmap_write_result r = jmap_output_commit(o, JMAP_SAME_TOUCH, &d);
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
    assert_int_equal(test_count_entries(dir), 1);
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
    assert_int_equal(test_count_entries(dir), 1);
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    free(fifo);
    free(dir);
}


/* ---- temporary files ---------------------------------------------------------------------- */

/* The name of the one hidden entry of `dir` (a temporary file), or NULL. Caller frees. */
static char *hidden_entry(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *found = NULL;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            assert_null(found);
            free(found);
            found = jmap_xstrdup(e->d_name);
        }
    }
    closedir(d);
    return found;
}

/* A child process starts writing `path`, writes some bytes and is killed with SIGKILL. */
static void killed_while_writing(const char *path, bool named)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        jmap_output_use_named_temporaries(named);
        jmap_diags d;
        jmap_diags_init(&d);
        jmap_output *o = jmap_output_begin(path, &d);
        if (!o)
            _exit(1);
        jmap_output_put(o, (const unsigned char *)"half a drawing", 14);
        raise(SIGKILL);
        _exit(2);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
}

static void a_build_killed_with_sigkill_leaves_no_file_behind(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-sigkill");
    if (!has_unnamed_files(dir)) {
        free(dir);
        skip(); /* this file system has no O_TMPFILE: see the next test */
        return;
    }
    char *path = jmap_xprintf("%s/map.svg", dir);
    test_write_file(path, "old", 3);
    killed_while_writing(path, false);
    assert_int_equal(test_count_entries(dir), 1);
    char *got = test_read_file(path, NULL);
    assert_string_equal(got, "old");
    free(got);
    free(path);
    free(dir);
}

static void the_next_build_removes_a_temporary_file_a_killed_one_left(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-stale");
    char *path = jmap_xprintf("%s/map.svg", dir);
    char *other = jmap_xprintf("%s/other.svg", dir);
    test_write_file(path, "old", 3);
    killed_while_writing(path, true);
    assert_int_equal(test_count_entries(dir), 2);
    char *left = hidden_entry(dir);
    assert_non_null(left);
    /* Its name says which output it was for. */
    assert_true(strncmp(left, ".map.svg.jmap-tmp-", 18) == 0);
    free(left);

    /* Writing another output leaves it alone; writing this one removes it. */
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(other, "o", 1, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    assert_int_equal(test_count_entries(dir), 3);
    assert_int_equal(jmap_output_write(path, "new", 3, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    assert_int_equal(test_count_entries(dir), 2);
    char *got = test_read_file(path, NULL);
    assert_string_equal(got, "new");
    free(got);
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    free(other);
    free(path);
    free(dir);
}

static void a_temporary_file_still_being_written_is_not_removed(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-busy");
    char *path = jmap_xprintf("%s/map.svg", dir);
    int go[2], ready[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(ready), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) { /* a slow build of the same output, with a named temporary file */
        jmap_output_use_named_temporaries(true);
        jmap_diags d;
        jmap_diags_init(&d);
        jmap_output *o = jmap_output_begin(path, &d);
        jmap_output_put(o, (const unsigned char *)"slow", 4);
        char c = 'r';
        if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
            _exit(3);
        _exit(jmap_output_commit(o, JMAP_SAME_REWRITE, &d) == JMAP_WRITE_DONE ? 0 : 1);
    }
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(path, "fast", 4, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    assert_int_equal(test_count_entries(dir), 2); /* the slow build's temporary file is still there */
    assert_int_equal(write(go[1], "g", 1), 1);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char *got = test_read_file(path, NULL);
    assert_string_equal(got, "slow");
    free(got);
    assert_int_equal(test_count_entries(dir), 1);
    jmap_diags_release(&d);
    close(go[0]);
    close(go[1]);
    close(ready[0]);
    close(ready[1]);
    free(path);
    free(dir);
}

/* Any name the file system takes can be an output: the temporary name is cut to fit. */
static void the_longest_name_the_file_system_takes_can_be_written(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-long-name");
    char name[256];
    memset(name, 'n', 255);
    memcpy(name + 251, ".svg", 5);
    char *path = jmap_xprintf("%s/%s", dir, name);
    for (int named = 0; named < 2; named++) {
        jmap_output_use_named_temporaries(named);
        jmap_diags d;
        jmap_diags_init(&d);
        char data[] = "run 0";
        data[4] = (char)('0' + named);
        assert_int_equal(jmap_output_write(path, data, 5, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
        assert_int_equal(d.n_items, 0);
        jmap_diags_release(&d);
        char *got = test_read_file(path, NULL);
        assert_string_equal(got, data);
        free(got);
        assert_int_equal(test_count_entries(dir), 1);
    }
    /* A killed build's temporary file for it fits too, and is found again. A name cut in the
     * middle of a character is cut before it instead. */
    memcpy(name + 220, "\xc3\xa9", 2); /* across the cut */
    free(path);
    path = jmap_xprintf("%s/%s", dir, name);
    killed_while_writing(path, true);
    assert_int_equal(test_count_entries(dir), 2);
    char *left = hidden_entry(dir);
    assert_non_null(left);
    assert_true(strlen(left) <= 255);
    assert_true(jmap_sanitize_clean(left, strlen(left))); /* no half character */
    assert_int_equal(left[0], '.');
    assert_non_null(strstr(left, ".jmap-tmp-"));
    free(left);
    jmap_output_use_named_temporaries(false);
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(path, "x", 1, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    assert_int_equal(test_count_entries(dir), 2); /* the two outputs, no temporary file */
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

/* ---- what an output path leads to --------------------------------------------------------- */

static void a_symbolic_link_is_replaced_and_never_followed(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-symlink");
    char *victim = jmap_xprintf("%s/victim", dir);
    char *link = jmap_xprintf("%s/map.svg", dir);
    test_write_file(victim, "same", 4);
    assert_int_equal(chmod(victim, 0600), 0);
    assert_int_equal(symlink("victim", link), 0);
    jmap_diags d;
    jmap_diags_init(&d);
    /* Even bytes equal to what the link leads to replace the link. */
    assert_int_equal(jmap_output_write(link, "same", 4, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0666 & ~current_umask()); /* a new file's mode */
    char *got = test_read_file(victim, NULL);
    assert_string_equal(got, "same");
    free(got);

    /* A link to a pipe with no reader: replaced, not written through (no hang). */
    char *fifo = jmap_xprintf("%s/pipe", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(unlink(link), 0);
    assert_int_equal(symlink("pipe", link), 0);
    alarm(30); /* a hang fails the test instead of blocking the suite */
    assert_int_equal(jmap_output_write(link, "drawn", 5, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    alarm(0);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_false(jmap_output_same(link, "same", 4));
    assert_true(jmap_output_same(link, "drawn", 5));

    /* Nothing is read through a link either: not the same, whatever it leads to. */
    assert_int_equal(unlink(link), 0);
    assert_int_equal(symlink("victim", link), 0);
    assert_false(jmap_output_same(link, "same", 4));
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    free(fifo);
    free(link);
    free(victim);
    free(dir);
}

static void a_read_only_output_is_replaced_and_stays_read_only(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-read-only");
    char *path = jmap_xprintf("%s/map.svg", dir);
    test_write_file(path, "old", 3);
    assert_int_equal(chmod(path, 0440), 0);
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(path, "new", 3, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    char *got = test_read_file(path, NULL);
    assert_string_equal(got, "new");
    free(got);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0440);
    /* The named temporary file gets the mode too. */
    jmap_output_use_named_temporaries(true);
    assert_int_equal(chmod(path, 0604), 0);
    assert_int_equal(jmap_output_write(path, "newer", 5, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    jmap_output_use_named_temporaries(false);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0604);
    assert_int_equal(test_count_entries(dir), 1);
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

/* An existing output keeps its permission bits, through the file with no name (O_TMPFILE,
 * where the file system has it) and through the named temporary file alike. The modes differ
 * from the temporary file's 0600 and from a new file's (0666 less the umask), so a build that
 * gave either would fail. */
static void an_existing_outputs_mode_is_kept_by_either_kind_of_temporary(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-mode-kept");
    char *path = jmap_xprintf("%s/map.svg", dir);
    static const mode_t modes[] = {0400, 0640, 0705, 0444};
    jmap_diags d;
    jmap_diags_init(&d);
    for (int named = 0; named < 2; named++) {
        jmap_output_use_named_temporaries(named);
        for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
            assert_true(modes[i] != (0666 & ~current_umask()) && modes[i] != 0600);
            test_write_file(path, "old", 3);
            assert_int_equal(chmod(path, modes[i]), 0);
            char *data = jmap_xprintf("new %d %zu", named, i);
            assert_int_equal(jmap_output_write(path, data, strlen(data), JMAP_SAME_TOUCH, &d),
                             JMAP_WRITE_DONE);
            char *got = test_read_file(path, NULL);
            assert_string_equal(got, data);
            free(got);
            free(data);
            struct stat st;
            assert_int_equal(stat(path, &st), 0);
            if ((st.st_mode & 07777) != modes[i])
                fail_msg("%s temporary file: mode %04o, the output had %04o",
                         named ? "named" : "unnamed", (unsigned)(st.st_mode & 07777),
                         (unsigned)modes[i]);
            assert_int_equal(test_count_entries(dir), 1);
            assert_int_equal(chmod(path, 0600), 0); /* test_write_file may write it again */
        }
    }
    jmap_output_use_named_temporaries(false);
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

static void a_pipe_without_a_reader_fails_at_once_and_with_one_is_written(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-pipe");
    char *fifo = jmap_xprintf("%s/pipe", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    jmap_diags d;
    jmap_diags_init(&d);
    alarm(30); /* a hang fails the test instead of blocking the suite */
    assert_int_equal(jmap_output_write(fifo, "x", 1, JMAP_SAME_TOUCH, &d), JMAP_WRITE_FAILED);
    alarm(0);
    const jmap_diag *g = test_diag_find(&d, "io-error");
    assert_non_null(g);
    assert_non_null(strstr(g->msg, "no process is reading from it"));
    jmap_diags_release(&d);

    jmap_diags_init(&d);
    int reader = open(fifo, O_RDONLY | O_NONBLOCK);
    assert_true(reader >= 0);
    assert_int_equal(jmap_output_write(fifo, "through the pipe", 16, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    char buf[64];
    assert_int_equal(read(reader, buf, sizeof buf), 16);
    assert_memory_equal(buf, "through the pipe", 16);
    close(reader);
    assert_int_equal(jmap_output_write("/dev/null", "x", 1, JMAP_SAME_TOUCH, &d), JMAP_WRITE_DONE);
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    free(fifo);
    free(dir);
}

/* ---- coverage: standard error by name, names that are folders, one temporary at a time,
 * clean-up that leaves alone what only looks like a temporary file --------------------------- */

static void standard_error_by_name_is_written_in_place(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-stderr");
    char *file = jmap_xprintf("%s/stderr.txt", dir);
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_write_result r = jmap_output_write("/dev/stderr", "to stderr", 9, JMAP_SAME_REWRITE, &d);
    assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
    close(saved);
    close(fd);
    assert_int_equal(r, JMAP_WRITE_DONE);
    assert_int_equal(d.n_items, 0);
    char *got = test_read_file(file, NULL);
    assert_string_equal(got, "to stderr");
    free(got);
    assert_int_equal(test_count_entries(dir), 1);
    jmap_diags_release(&d);
    free(file);
    free(dir);
}

static void a_name_that_ends_in_a_folder_reference_is_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-dot");
    static const char *const names[] = {"missing/..", "missing/.", "missing/"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *path = jmap_xprintf("%s/%s", dir, names[i]);
        jmap_diags d;
        jmap_diags_init(&d);
        assert_int_equal(jmap_output_write(path, "x", 1, JMAP_SAME_REWRITE, &d), JMAP_WRITE_FAILED);
        char *want = jmap_xprintf("cannot write '%s': Is a directory", path);
        assert_int_equal(d.n_items, 1);
        assert_string_equal(d.items[0].msg, want);
        free(want);
        jmap_diags_release(&d);
        free(path);
    }
    assert_int_equal(test_count_entries(dir), 0);
    free(dir);
}

static void one_output_with_a_temporary_file_at_a_time(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-one-at-a-time");
    char *a = jmap_xprintf("%s/a.svg", dir), *b = jmap_xprintf("%s/b.svg", dir);
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_output *first = jmap_output_begin(a, &d);
    assert_non_null(first);
    /* the signal handler knows one temporary file: a second is refused, not left behind */
    assert_null(jmap_output_begin(b, &d));
    assert_int_equal(d.n_items, 1);
    char *want = jmap_xprintf("cannot write '%s': Device or resource busy", b);
    assert_string_equal(d.items[0].msg, want);
    free(want);
    /* a device needs no temporary file */
    jmap_output *dev = jmap_output_begin("/dev/null", &d);
    assert_non_null(dev);
    assert_int_equal(jmap_output_commit(dev, JMAP_SAME_REWRITE, &d), JMAP_WRITE_DONE);
    jmap_output_abort(first);
    jmap_diags_release(&d);
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(b, "b", 1, JMAP_SAME_REWRITE, &d), JMAP_WRITE_DONE);
    assert_int_equal(d.n_items, 0);
    assert_int_equal(test_count_entries(dir), 1); /* b.svg; a's temporary file went with it */
    jmap_diags_release(&d);
    free(a);
    free(b);
    free(dir);
}

/* The prefix of map.svg's temporary files, as src/output.c names them. */
static char *temporary_prefix(const char *base)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (const char *s = base; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return jmap_xprintf(".%s.jmap-tmp-%016llx.", base, (unsigned long long)h);
}

static void clean_up_leaves_alone_what_only_looks_like_a_temporary_file(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-lookalikes");
    char *prefix = temporary_prefix("map.svg");
    /* a named pipe, a folder and a symbolic link with a temporary file's name: a killed build
     * leaves only regular files, so these are someone else's and stay */
    char *fifo = jmap_xprintf("%s/%sfifo00", dir, prefix);
    char *sub = jmap_xprintf("%s/%sdir000", dir, prefix);
    char *link = jmap_xprintf("%s/%slink00", dir, prefix);
    char *victim = jmap_xprintf("%s/victim.txt", dir);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    assert_int_equal(mkdir(sub, 0755), 0);
    test_write_file(victim, "keep", 4);
    assert_int_equal(symlink("victim.txt", link), 0);
    /* and one a killed build did leave: removed */
    char *stale = jmap_xprintf("%s/%sstale0", dir, prefix);
    test_write_file(stale, "half", 4);
    char *path = jmap_xprintf("%s/map.svg", dir);
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_output_write(path, "new", 3, JMAP_SAME_REWRITE, &d), JMAP_WRITE_DONE);
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(lstat(sub, &st), 0);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(victim, &st), 0);
    assert_int_equal(lstat(stale, &st), -1);
    assert_int_equal(test_count_entries(dir), 5); /* fifo, folder, link, victim, map.svg */
    jmap_diags_release(&d);
    free(path);
    free(stale);
    free(victim);
    free(link);
    free(sub);
    free(fifo);
    free(prefix);
    free(dir);
}

static void make_dirs_names_a_folder_it_cannot_create(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-make-dirs");
    char name[300];
    memset(name, 'd', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    char *path = jmap_xprintf("%s/ok/%s/below", dir, name);
    jmap_diags d;
    jmap_diags_init(&d);
    assert_false(jmap_output_make_dirs(path, &d));
    assert_int_equal(d.n_items, 1);
    char *want = jmap_xprintf("cannot create directory '%s': File name too long", path);
    assert_string_equal(d.items[0].msg, want);
    free(want);
    /* the folders before the one that failed are made, as `mkdir -p` makes them */
    char *ok = jmap_xprintf("%s/ok", dir);
    struct stat st;
    assert_int_equal(stat(ok, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    free(ok);
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

static void an_aborted_output_with_a_named_temporary_leaves_nothing(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-abort-named");
    char *path = jmap_xprintf("%s/map.svg", dir);
    jmap_output_use_named_temporaries(true);
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_output *o = jmap_output_begin(path, &d);
    assert_non_null(o);
    jmap_output_put(o, (const unsigned char *)"part", 4);
    assert_int_equal(test_count_entries(dir), 1); /* the named temporary file */
    jmap_output_abort(o);
    jmap_output_use_named_temporaries(false);
    assert_int_equal(test_count_entries(dir), 0);
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

/* The output's name taken by a folder while the drawing was being written: the rename fails,
 * the error names the output, and the temporary file is gone, named or not. */
static void an_output_that_became_a_folder_fails_at_commit_and_leaves_no_temporary(void **state)
{
    (void)state;
    char *dir = test_tmpdir("output-became-folder");
    char *path = jmap_xprintf("%s/map.svg", dir);
    for (int named = 0; named < 2; named++) {
        jmap_output_use_named_temporaries(named);
        jmap_diags d;
        jmap_diags_init(&d);
        jmap_output *o = jmap_output_begin(path, &d);
        assert_non_null(o);
        jmap_output_put(o, (const unsigned char *)"<svg/>", 6);
        assert_int_equal(mkdir(path, 0755), 0);
        char *inside = jmap_xprintf("%s/keep", path);
        test_write_file(inside, "k", 1); /* not empty: rename cannot replace it */
        assert_int_equal(jmap_output_commit(o, JMAP_SAME_REWRITE, &d), JMAP_WRITE_FAILED);
        assert_int_equal(d.n_items, 1);
        char *want_prefix = jmap_xprintf("cannot write '%s': ", path);
        assert_true(strncmp(d.items[0].msg, want_prefix, strlen(want_prefix)) == 0);
        free(want_prefix);
        assert_int_equal(test_count_entries(dir), 1); /* the folder, no temporary file */
        assert_int_equal(unlink(inside), 0);
        assert_int_equal(rmdir(path), 0);
        free(inside);
        jmap_diags_release(&d);
    }
    jmap_output_use_named_temporaries(false);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_file_is_written_whole_with_no_temporary_left),
        cmocka_unit_test(unchanged_bytes_are_touched_not_rewritten),
        cmocka_unit_test(a_link_to_the_same_bytes_is_replaced_and_its_target_not_touched),
        cmocka_unit_test(a_missing_directory_is_an_io_error_naming_the_path),
        cmocka_unit_test(a_full_device_is_written_in_place_and_fails),
        cmocka_unit_test(a_directory_as_output_is_refused),
        cmocka_unit_test(the_buffer_collects_what_is_written),
        cmocka_unit_test(a_streamed_output_appears_only_when_committed),
        cmocka_unit_test(an_aborted_output_leaves_the_old_file_and_no_temporary),
        cmocka_unit_test(a_write_failing_half_way_is_reported_at_commit),
        cmocka_unit_test(a_device_gets_nothing_when_the_output_is_aborted),
        cmocka_unit_test(a_build_killed_with_sigkill_leaves_no_file_behind),
        cmocka_unit_test(the_next_build_removes_a_temporary_file_a_killed_one_left),
        cmocka_unit_test(a_temporary_file_still_being_written_is_not_removed),
        cmocka_unit_test(the_longest_name_the_file_system_takes_can_be_written),
        cmocka_unit_test(a_symbolic_link_is_replaced_and_never_followed),
        cmocka_unit_test(a_read_only_output_is_replaced_and_stays_read_only),
        cmocka_unit_test(an_existing_outputs_mode_is_kept_by_either_kind_of_temporary),
        cmocka_unit_test(a_pipe_without_a_reader_fails_at_once_and_with_one_is_written),
        cmocka_unit_test(standard_error_by_name_is_written_in_place),
        cmocka_unit_test(a_name_that_ends_in_a_folder_reference_is_refused),
        cmocka_unit_test(one_output_with_a_temporary_file_at_a_time),
        cmocka_unit_test(clean_up_leaves_alone_what_only_looks_like_a_temporary_file),
        cmocka_unit_test(make_dirs_names_a_folder_it_cannot_create),
        cmocka_unit_test(an_aborted_output_with_a_named_temporary_leaves_nothing),
        cmocka_unit_test(an_output_that_became_a_folder_fails_at_commit_and_leaves_no_temporary),
    };
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
