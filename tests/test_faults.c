#define _DEFAULT_SOURCE /* mkfifo(), nanosleep() with the POSIX headers */
/* Faults in the world around jmap: unwritable outputs, unreadable inputs, and builds killed
 * half-way. Each ends in one line naming the path and the reason, exit status 3, and never a
 * half-written output or a leftover temporary file. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "support.h"

/* Valid and free of warnings, so that stderr holds only the fault. */
static const char valid_map[] = "title: %s\n" TEST_VALID_MAP_BODY;

static char *put_map(const char *dir, const char *name, const char *title)
{
    char *text = jmap_xprintf(valid_map, title);
    char *path = test_put(dir, name, text);
    free(text);
    return path;
}

/* The names in a directory, sorted, separated by spaces. */
static char *listing(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    char *s = jmap_xstrdup("");
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            char *more = jmap_xprintf("%s%s%s", s, *s ? " " : "", name);
            free(s);
            s = more;
        }
        free(names[i]);
    }
    free(names);
    return s;
}

static void assert_listing(const char *dir, const char *want)
{
    char *got = listing(dir);
    assert_string_equal(got, want);
    free(got);
}

/* Asserts the whole of stderr: "<path>: error: cannot <verb> '<path>': <reason> [io-error]". */
static void assert_one_line(const char *err, const char *path, const char *verb, const char *reason)
{
    char *want =
        jmap_xprintf("%s: error: cannot %s '%s': %s [io-error]\n", path, verb, path, reason);
    assert_string_equal(err, want);
    free(want);
}

/* ---- running jmap as a child we can signal and wait for, within bounds -------------------- */

/* Starts jmap with stdin and stderr on /dev/null and stdout on `out` (NULL: /dev/null). */
static pid_t spawn(char *const argv[], const char *out)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        int o = out ? open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644) : null;
        if (null < 0 || o < 0)
            _exit(126);
        dup2(null, STDIN_FILENO);
        dup2(o, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        execv(JMAP_BINARY, argv);
        _exit(127);
    }
    return pid;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000 + (double)t.tv_nsec / 1e6;
}

/* The wait status of `pid`; a child still running after `seconds` is killed and fails the
 * test as a hang. */
static int wait_bounded(pid_t pid, int seconds)
{
    for (int waited = 0; waited < seconds * 100; waited++) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        assert_true(r >= 0);
        if (r == pid)
            return status;
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    fail_msg("process %d did not end within %d s", (int)pid, seconds);
    return -1;
}

/* ---- running as an unprivileged user, so that permissions apply -------------------------- */

/* The prefix that runs a command without the right to override permissions, or NULL when this
 * machine cannot drop it. Root ignores file modes; setpriv gives up root for uid 65534. */
static const char *unprivileged(const char *ro_dir)
{
    const char *prefix = test_unprivileged_prefix();
    char *cmd = jmap_xprintf("%s test -w '%s'", prefix, ro_dir);
    int status = test_run(cmd, NULL, NULL);
    free(cmd);
    /* 1: `test` ran and the directory is not writable. 127 or 126: no setpriv or no right. */
    return status == 1 ? prefix : NULL;
}

/* ---- output faults ------------------------------------------------------------------------ */

static void a_full_device_is_one_line_and_stays_a_device(void **state)
{
    (void)state;
    char *dir = test_tmpdir("faults-full");
    char *map = put_map(dir, "map.yaml", "Full");
    char *err;
    assert_int_equal(test_jmap_as("", NULL, &err, "build '%s' -o /dev/full -f png", map), 3);
    assert_one_line(err, "/dev/full", "write", "No space left on device");
    free(err);
    struct stat st;
    assert_int_equal(stat("/dev/full", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    char *devs = listing("/dev");
    assert_null(strstr(devs, ".jmap-"));
    free(devs);
    assert_listing(dir, "map.yaml");
    free(map);
    free(dir);
}

/* -o makes a missing folder, as -O does; one it cannot make (a file in the way) is one line
 * naming the folder. */
static void a_folder_that_cannot_be_made_is_one_line_naming_it(void **state)
{
    (void)state;
    char *dir = test_tmpdir("faults-missing-dir");
    char *map = put_map(dir, "map.yaml", "Missing");
    char *file = test_put(dir, "file", "in the way\n");
    char *sub = jmap_xprintf("%s/sub", file);
    char *out = jmap_xprintf("%s/map.pdf", sub);
    char *err;
    assert_int_equal(test_jmap_as("", NULL, &err, "build '%s' -o '%s'", map, out), 3);
    assert_one_line(err, sub, "create directory", "Not a directory");
    free(err);
    assert_listing(dir, "file map.yaml");
    free(out);
    free(sub);
    free(file);
    free(map);
    free(dir);
}

static void a_read_only_directory_keeps_its_old_file_and_gets_no_temporary(void **state)
{
    (void)state;
    char *dir = test_shared_tmpdir("faults-read-only");
    char *map = put_map(dir, "map.yaml", "Read-only");
    char *ro = jmap_xprintf("%s/ro", dir);
    assert_int_equal(mkdir(ro, 0755), 0);
    char *old = jmap_xprintf("%s/map.svg", ro);
    test_write_file(old, "old bytes", 9);
    assert_int_equal(chmod(old, 0644), 0);
    assert_int_equal(chmod(ro, 0555), 0);
    const char *as = unprivileged(ro);
    if (!as) {
        chmod(ro, 0755);
        print_message("cannot drop the right to override permissions here\n");
        skip();
    }
    char *err;
    assert_int_equal(test_jmap_as(as, NULL, &err, "build '%s' -o '%s'", map, old), 3);
    assert_one_line(err, old, "write", "Permission denied");
    free(err);
    char *fresh = jmap_xprintf("%s/new.svg", ro);
    assert_int_equal(test_jmap_as(as, NULL, &err, "build '%s' -o '%s'", map, fresh), 3);
    assert_one_line(err, fresh, "write", "Permission denied");
    free(err);
    assert_listing(ro, "map.svg");
    size_t len;
    char *kept = test_read_file(old, &len);
    assert_string_equal(kept, "old bytes");
    free(kept);
    assert_int_equal(chmod(ro, 0755), 0);
    free(fresh);
    free(old);
    free(ro);
    free(map);
    free(dir);
}

/* ---- input faults ------------------------------------------------------------------------- */

/* A CI job that regenerates maps in a read-only checkout where nothing changed succeeds. */
static void a_read_only_directory_with_an_unchanged_output_is_fine(void **state)
{
    (void)state;
    char *dir = test_shared_tmpdir("faults-read-only-same");
    char *map = put_map(dir, "map.yaml", "Same");
    char *ro = jmap_xprintf("%s/ro", dir);
    assert_int_equal(mkdir(ro, 0755), 0);
    char *out = jmap_xprintf("%s/map.svg", ro);
    assert_int_equal(test_jmap_as("", NULL, NULL, "build '%s' -o '%s'", map, out), 0);
    assert_int_equal(chmod(ro, 0555), 0);
    const char *as = unprivileged(ro);
    if (!as) {
        chmod(ro, 0755);
        print_message("cannot drop the right to override permissions here\n");
        skip();
    }
    char *err;
    assert_int_equal(test_jmap_as(as, NULL, &err, "build '%s' -o '%s'", map, out), 0);
    assert_string_equal(err, "");
    free(err);
    assert_listing(ro, "map.svg");
    /* A changed map cannot be written there: one line, and the old drawing stays. */
    size_t n1, n2;
    char *before = test_read_file(out, &n1);
    free(put_map(dir, "map.yaml", "Changed"));
    assert_int_equal(test_jmap_as(as, NULL, &err, "build '%s' -o '%s'", map, out), 3);
    assert_one_line(err, out, "write", "Permission denied");
    free(err);
    char *after = test_read_file(out, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    assert_listing(ro, "map.svg");
    assert_int_equal(chmod(ro, 0755), 0);
    free(before);
    free(after);
    free(out);
    free(ro);
    free(map);
    free(dir);
}

/* An unchanged output is touched so that it ends newer than the map; one that is another
 * user's (root's here) cannot be touched by the build's user, so in a folder that user may
 * write it is replaced instead, and ends newer all the same. */
static void an_unchanged_output_we_may_not_touch_is_replaced(void **state)
{
    (void)state;
    char *dir = test_shared_tmpdir("faults-not-ours");
    char *map = put_map(dir, "map.yaml", "Not ours");
    char *shared = jmap_xprintf("%s/shared", dir);
    assert_int_equal(mkdir(shared, 0777), 0);
    assert_int_equal(chmod(shared, 0777), 0);
    char *out = jmap_xprintf("%s/map.svg", shared);
    assert_int_equal(test_jmap_as("", NULL, NULL, "build '%s' -o '%s'", map, out), 0);
    assert_int_equal(chmod(out, 0644), 0);
    struct timespec past[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    assert_int_equal(utimensat(AT_FDCWD, out, past, 0), 0);
    struct stat before, after;
    assert_int_equal(stat(out, &before), 0);
    const char *as = unprivileged(out);
    if (!as) {
        print_message("cannot drop the right to override permissions here\n");
        skip();
    }
    char *err;
    assert_int_equal(test_jmap_as(as, NULL, &err, "build '%s' -o '%s'", map, out), 0);
    assert_string_equal(err, "");
    free(err);
    assert_int_equal(stat(out, &after), 0);
    assert_true(after.st_mtime > 1000000000);
    assert_true(after.st_ino != before.st_ino); /* a new file, the build user's */
    assert_listing(shared, "map.svg");
    free(out);
    free(shared);
    free(map);
    free(dir);
}

static void an_input_that_is_a_directory_or_missing_is_one_line(void **state)
{
    (void)state;
    char *dir = test_tmpdir("faults-input");
    char *sub = jmap_xprintf("%s/maps.yaml", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    char *missing = jmap_xprintf("%s/missing.yaml", dir);
    char *out = jmap_xprintf("%s/out.svg", dir);
    char *err;
    for (int build = 0; build < 2; build++) {
        const char *cmd = build ? "build" : "check";
        const char *o = build ? " -o " : "";
        const char *op = build ? out : "";
        assert_int_equal(test_jmap_as("", NULL, &err, "%s '%s'%s%s", cmd, sub, o, op), 3);
        assert_one_line(err, sub, "read", "Is a directory");
        free(err);
        assert_int_equal(test_jmap_as("", NULL, &err, "%s '%s'%s%s", cmd, missing, o, op), 3);
        assert_one_line(err, missing, "read", "No such file or directory");
        free(err);
    }
    assert_listing(dir, "maps.yaml");
    free(out);
    free(missing);
    free(sub);
    free(dir);
}

static void an_unreadable_input_is_one_line(void **state)
{
    (void)state;
    char *dir = test_shared_tmpdir("faults-unreadable");
    char *map = put_map(dir, "map.yaml", "Secret");
    assert_int_equal(chmod(map, 0), 0);
    const char *as = unprivileged(dir);
    if (!as) {
        print_message("cannot drop the right to override permissions here\n");
        skip();
    }
    char *out = jmap_xprintf("%s/map.svg", dir);
    char *err;
    assert_int_equal(test_jmap_as(as, NULL, &err, "check '%s'", map), 3);
    assert_one_line(err, map, "read", "Permission denied");
    free(err);
    assert_int_equal(test_jmap_as(as, NULL, &err, "build '%s' -o '%s'", map, out), 3);
    assert_one_line(err, map, "read", "Permission denied");
    free(err);
    assert_listing(dir, "map.yaml");
    free(out);
    free(map);
    free(dir);
}

/* ---- interrupted builds ------------------------------------------------------------------- */

/* A map whose PDF takes a noticeable time to draw. */
static char *put_big_map(const char *dir, const char *name, const char *title, int n)
{
    static const char *const stages[] = {"pre-purchase", "purchase", "post-purchase"};
    char *path = jmap_xprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f,
            "title: %s\nmodel: three-stage\npersonas:\n  - {id: ana, name: Ana}\n"
            "  - {id: bo, name: Bo}\ntouchpoints:\n",
            title);
    for (int i = 0; i < n; i++)
        fprintf(f,
                "  - stage: %s\n    persona: %s\n    name: Step %d of the journey\n"
                "    action: Does the thing numbered %d on the site\n"
                "    pain: It takes a little too long\n    emotion: %d\n",
                stages[i * 3 / n], i % 2 ? "ana" : "bo", i, i, i % 5 - 2);
    assert_int_equal(fclose(f), 0);
    return path;
}

static bool same_bytes(const char *path, const char *want, size_t want_len)
{
    size_t len;
    char *got = test_read_file(path, &len);
    bool same = len == want_len && memcmp(got, want, len) == 0;
    free(got);
    return same;
}

static void an_interrupted_build_leaves_the_old_output_or_the_new_one(void **state)
{
    (void)state;
    char *dir = test_tmpdir("faults-interrupt");
    char *ref_dir = test_tmpdir("faults-interrupt-ref");
    char *map = put_big_map(dir, "map.yaml", "New", 500);
    char *out = jmap_xprintf("%s/map.pdf", dir);

    /* The old output (another map's) and the complete new one, for comparison. */
    char *old_map = put_big_map(ref_dir, "old.yaml", "Old", 20);
    char *old_pdf = jmap_xprintf("%s/old.pdf", ref_dir);
    char *new_pdf = jmap_xprintf("%s/new.pdf", ref_dir);
    assert_int_equal(test_jmap_as("", NULL, NULL, "build '%s' -o '%s'", old_map, old_pdf), 0);
    double t0 = now_ms();
    assert_int_equal(test_jmap_as("", NULL, NULL, "build '%s' -o '%s'", map, new_pdf), 0);
    long full = (long)(now_ms() - t0);
    size_t old_len, new_len;
    char *old = test_read_file(old_pdf, &old_len);
    char *fresh = test_read_file(new_pdf, &new_len);
    assert_true(old_len != new_len || memcmp(old, fresh, old_len) != 0);

    /* Fixed delays, and fractions of a whole build to land near its end, where it writes. */
    long delays[] = {
        0, 20, 50, 100, 200, 400, full / 2, full * 8 / 10, full * 9 / 10, full * 97 / 100, full};
    static const int sigs[] = {SIGINT, SIGTERM};
    int killed = 0, kept_old = 0;
    char *argv[] = {"jmap", "build", map, "-o", out, NULL};
    for (size_t s = 0; s < 2; s++) {
        for (size_t i = 0; i < sizeof(delays) / sizeof(delays[0]); i++) {
            test_write_file(out, old, old_len);
            pid_t pid = spawn(argv, NULL);
            sleep_ms(delays[i]);
            assert_int_equal(kill(pid, sigs[s]), 0);
            int status = wait_bounded(pid, 60);
            bool was_old = same_bytes(out, old, old_len);
            bool was_new = same_bytes(out, fresh, new_len);
            if (!was_old && !was_new)
                fail_msg("signal %d after %ld ms left a mangled output", sigs[s], delays[i]);
            if (WIFSIGNALED(status)) {
                assert_int_equal(WTERMSIG(status), sigs[s]);
                killed++;
            } else {
                assert_true(WIFEXITED(status));
                if (WEXITSTATUS(status) == 0)
                    assert_true(was_new);
            }
            kept_old += was_old;
            assert_listing(dir, "map.pdf map.yaml");
        }
    }
    print_message("a whole build took %ld ms; %d of %zu runs died of the signal, %d kept the "
                  "old output\n",
                  full, killed, 2 * sizeof(delays) / sizeof(delays[0]), kept_old);
    /* The test means something only if builds were really cut short. */
    assert_true(killed > 0);
    assert_true(kept_old > 0);
    free(old);
    free(fresh);
    free(new_pdf);
    free(old_pdf);
    free(old_map);
    free(out);
    free(map);
    free(ref_dir);
    free(dir);
}

/* ---- outputs that are not regular files are written in place ------------------------------ */

static void a_fifo_is_written_in_place(void **state)
{
    (void)state;
    char *dir = test_tmpdir("faults-fifo");
    char *ref_dir = test_tmpdir("faults-fifo-ref");
    char *map = put_map(ref_dir, "map.yaml", "Through a pipe");
    char *ref = jmap_xprintf("%s/ref.svg", ref_dir);
    assert_int_equal(test_jmap_as("", NULL, NULL, "build '%s' -o '%s'", map, ref), 0);
    char *fifo = jmap_xprintf("%s/map.svg", dir);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    char *got = jmap_xprintf("%s/got.svg", ref_dir);

    /* The reader copies what comes through the FIFO into got.svg. */
    char *cat[] = {"cat", fifo, NULL};
    pid_t reader = fork();
    assert_true(reader >= 0);
    if (reader == 0) {
        int o = open(got, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0)
            _exit(126);
        dup2(o, STDOUT_FILENO);
        execvp("cat", cat);
        _exit(127);
    }
    char *argv[] = {"jmap", "build", map, "-o", fifo, NULL};
    pid_t writer = spawn(argv, NULL);
    int status = wait_bounded(writer, 60);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        kill(reader, SIGKILL);
        waitpid(reader, NULL, 0);
        fail_msg("jmap build to a FIFO failed: status %d", status);
    }
    status = wait_bounded(reader, 60);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    size_t ref_len;
    char *want = test_read_file(ref, &ref_len);
    assert_true(same_bytes(got, want, ref_len));
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_listing(dir, "map.svg");
    free(want);
    free(got);
    free(fifo);
    free(ref);
    free(map);
    free(ref_dir);
    free(dir);
}

static void dev_stdout_is_written_in_place_to_a_pipe_or_a_file(void **state)
{
    (void)state;
    char *dir = test_tmpdir("faults-stdout");
    char *map = put_map(dir, "map.yaml", "To standard output");
    char *ref = jmap_xprintf("%s/ref.svg", dir);
    assert_int_equal(test_jmap_as("", NULL, NULL, "build '%s' -o '%s'", map, ref), 0);
    size_t ref_len;
    char *want = test_read_file(ref, &ref_len);

    /* A pipe (test_run reads stdout through one). */
    char *out;
    assert_int_equal(test_jmap_as("", &out, NULL, "build '%s' -o /dev/stdout -f svg", map), 0);
    assert_int_equal(strlen(out), ref_len);
    assert_memory_equal(out, want, ref_len);
    free(out);

    /* A regular file: the bytes go through the descriptor; /dev/stdout is never replaced. */
    struct stat before, after;
    assert_int_equal(lstat("/dev/stdout", &before), 0);
    char *got = jmap_xprintf("%s/got.svg", dir);
    char *argv[] = {"jmap", "build", map, "-o", "/dev/stdout", "-f", "svg", NULL};
    int status = wait_bounded(spawn(argv, got), 60);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(same_bytes(got, want, ref_len));
    assert_int_equal(lstat("/dev/stdout", &after), 0);
    assert_int_equal(before.st_mode, after.st_mode);
    assert_int_equal(before.st_ino, after.st_ino);
    char *devs = listing("/dev");
    assert_null(strstr(devs, ".jmap-"));
    free(devs);
    assert_listing(dir, "got.svg map.yaml ref.svg");
    free(got);
    free(want);
    free(ref);
    free(map);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_full_device_is_one_line_and_stays_a_device),
        cmocka_unit_test(a_folder_that_cannot_be_made_is_one_line_naming_it),
        cmocka_unit_test(a_read_only_directory_keeps_its_old_file_and_gets_no_temporary),
        cmocka_unit_test(a_read_only_directory_with_an_unchanged_output_is_fine),
        cmocka_unit_test(an_unchanged_output_we_may_not_touch_is_replaced),
        cmocka_unit_test(an_input_that_is_a_directory_or_missing_is_one_line),
        cmocka_unit_test(an_unreadable_input_is_one_line),
        cmocka_unit_test(an_interrupted_build_leaves_the_old_output_or_the_new_one),
        cmocka_unit_test(a_fifo_is_written_in_place),
        cmocka_unit_test(dev_stdout_is_written_in_place_to_a_pipe_or_a_file),
    };
    return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
