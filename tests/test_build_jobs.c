/* `jmap build -j N` (src/cli/build_jobs.c, worker_pool.c, diag_wire.c) through the real
 * binary: a batch drawn by worker processes gives the outputs, depfile, standard output,
 * standard error and exit status of -j 1, byte for byte, in every diagnostics format and under
 * --check; a worker killed mid-batch fails its map and nothing else, and is reaped; workers do
 * not outlive a killed jmap; bad values of -j are usage errors. */
#define _DEFAULT_SOURCE /* kill(), PR_SET_CHILD_SUBREAPER */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

/* The examples, with maps between them that fail before drawing (an error), warn while they
 * are laid out (quoting their lines), and cannot be written (their output is a folder). */
static const char *const examples[] = {"b2b-procurement", "clinic-booking",
                                       "grocery-first-order", "kpi-trends", "saas-trial",
                                       "store-visit", "subscription-retention"};

static const char broken_map[] = "title: Broken\n"
                                 "model: three-stage\n"
                                 "personas:\n"
                                 "  - {id: ana, name: Ana}\n"
                                 "stages:\n"
                                 "  - id: pre-purchase\n"
                                 "touchpoints:\n"
                                 "  - {stage: nowhere, name: X}\n";

/* A glyph no test font has, and a thought too long for its card: warnings from the layout,
 * which runs in a worker. */
#define WARNED_BODY                                                                               \
    "model: three-stage\n"                                                                        \
    "personas:\n"                                                                                 \
    "  - {id: ana, name: Ana}\n"                                                                  \
    "stages:\n"                                                                                   \
    "  - id: pre-purchase\n"                                                                      \
    "    kpis: [{name: Visits, target: 100, actual: 120}]\n"                                      \
    "  - id: purchase\n"                                                                          \
    "  - id: post-purchase\n"                                                                     \
    "touchpoints:\n"                                                                              \
    "  - stage: pre-purchase\n"                                                                   \
    "    name: Search \xe6\xbc\xa2\xe5\xad\x97\n"                                                 \
    "    emotion: 1\n"

static char *warned_map(void)
{
    char *thought = jmap_xstrdup("");
    for (int i = 0; i < 40; i++) {
        char *next = jmap_xprintf("%sThis takes far too long and I get lost in the steps. ",
                                  thought);
        free(thought);
        thought = next;
    }
    char *text = jmap_xprintf("title: Warned\n" WARNED_BODY "    thought: \"%s\"\n"
                              "  - {stage: purchase, name: Checkout, emotion: -1}\n",
                              thought);
    free(thought);
    return text;
}

/* The maps of the batch, in order, as one string of quoted paths; the caller frees it. */
static char *batch_maps(const char *dir)
{
    char *warned = warned_map();
    free(test_put(dir, "broken.yaml", broken_map));
    free(test_put(dir, "warned.yaml", warned));
    free(test_put(dir, "blocked.yaml", "title: Blocked\n" TEST_VALID_MAP_BODY));
    free(warned);
    char *list = jmap_xstrdup("");
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        char *next = jmap_xprintf("%s '%s/examples/%s.yaml'", list, JMAP_SOURCE_DIR, examples[i]);
        free(list);
        list = next;
        /* the failing maps between the examples, so that order is kept around them */
        const char *extra = i == 0 ? "broken" : i == 2 ? "warned" : i == 4 ? "blocked" : NULL;
        if (extra) {
            next = jmap_xprintf("%s '%s/%s.yaml'", list, dir, extra);
            free(list);
            list = next;
        }
    }
    return list;
}

/* Every file under `dir`, sorted by name, with its bytes: "name\n<bytes>\n" each. */
static char *tree_text(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    char *all = jmap_xstrdup("");
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char *path = jmap_xprintf("%s/%s", dir, name);
        struct stat st;
        assert_int_equal(lstat(path, &st), 0);
        char *body = NULL;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            body = NULL;
        else if (S_ISDIR(st.st_mode))
            body = tree_text(path);
        else
            body = test_read_file(path, NULL);
        if (body) {
            char *next = jmap_xprintf("%s%s\n%s\n", all, name, body);
            free(all);
            all = next;
        }
        free(body);
        free(path);
        free(names[i]);
    }
    free(names);
    return all;
}

typedef struct run_result {
    int status;
    char *out, *err, *tree;
} run_result;

static void free_result(run_result *r)
{
    free(r->out);
    free(r->err);
    free(r->tree);
}

/* A fresh build of the batch into dir/out (the folder the blocked map's output is), then what
 * it wrote. */
static run_result build_batch(const char *dir, const char *maps, const char *args)
{
    char *cmd = jmap_xprintf("rm -rf '%s/out' && mkdir -p '%s/out/blocked.svg'", dir, dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    run_result r;
    r.status = test_jmap(&r.out, &r.err, "build %s -O '%s/out' --depfile '%s/out/maps.d' %s",
                         maps, dir, dir, args);
    char *out = jmap_xprintf("%s/out", dir);
    r.tree = tree_text(out);
    free(out);
    return r;
}

static void assert_same(const run_result *a, const run_result *b, const char *what)
{
    if (a->status != b->status || strcmp(a->out, b->out) != 0 || strcmp(a->err, b->err) != 0 ||
        strcmp(a->tree, b->tree) != 0) {
        print_error("%s differs from -j 1: status %d and %d\n--- stderr -j 1:\n%s\n--- stderr:\n"
                    "%s\n--- stdout -j 1:\n%.2000s\n--- stdout:\n%.2000s\n",
                    what, a->status, b->status, a->err, b->err, a->out, b->out);
        fail();
    }
}

static void every_job_count_gives_the_output_of_one_in_every_format(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-jobs-same");
    char *maps = batch_maps(dir);
    static const char *const formats[] = {"text", "json", "sarif", "github"};
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        char *args = jmap_xprintf("-f svg -f mermaid --diagnostics %s -j 1", formats[f]);
        run_result one = build_batch(dir, maps, args);
        free(args);
        /* what the batch is: the broken map (1) and the blocked output (3) */
        assert_int_equal(one.status, 3);
        const char *err_or_out = strcmp(formats[f], "text") == 0 ? one.err : one.out;
        assert_non_null(strstr(err_or_out, "unknown-stage"));
        assert_non_null(strstr(err_or_out, "text-truncated"));
        assert_non_null(strstr(err_or_out, "missing-glyph"));
        assert_non_null(strstr(err_or_out, "io-error"));
        assert_non_null(strstr(err_or_out, "mermaid-lossy"));
        assert_non_null(strstr(one.tree, "saas-trial.svg\n<?xml"));
        assert_non_null(strstr(one.tree, "maps.d\n"));
        static const char *const jobs[] = {"2", "8"};
        for (size_t j = 0; j < 2; j++) {
            args = jmap_xprintf("-f svg -f mermaid --diagnostics %s --jobs=%s", formats[f],
                                jobs[j]);
            run_result many = build_batch(dir, maps, args);
            assert_same(&one, &many, args);
            free(args);
            free_result(&many);
        }
        free_result(&one);
    }
    free(maps);
    free(dir);
}

/* --check compares instead of writing: the stale and missing outputs come back from the
 * workers, and print as -j 1 prints them. */
static void check_reports_the_same_stale_outputs(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-jobs-check");
    char *maps = batch_maps(dir);
    run_result built = build_batch(dir, maps, "-j 2");
    assert_int_equal(built.status, 3);
    free_result(&built);
    char *stale = jmap_xprintf("%s/out/clinic-booking.svg", dir);
    test_write_file(stale, "<svg/>", 6);
    char *gone = jmap_xprintf("%s/out/store-visit.svg", dir);
    assert_int_equal(unlink(gone), 0);
    run_result r[2];
    for (int j = 0; j < 2; j++) {
        r[j].status = test_jmap(&r[j].out, &r[j].err, "build %s -O '%s/out' --check -j %d", maps,
                                dir, j + 1);
        r[j].tree = jmap_xstrdup("");
    }
    assert_int_equal(r[0].status, 3); /* the blocked output cannot be checked: a folder */
    assert_non_null(strstr(r[0].err, "clinic-booking.svg' is stale"));
    assert_non_null(strstr(r[0].err, "store-visit.svg' is missing"));
    assert_same(&r[0], &r[1], "--check -j 2");
    free_result(&r[0]);
    free_result(&r[1]);
    free(gone);
    free(stale);
    free(maps);
    free(dir);
}

static void a_font_checked_before_the_workers_start_is_checked_the_same(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-jobs-font");
    char *maps = batch_maps(dir);
    run_result one = build_batch(dir, maps, "--font 'DejaVu Sans' -j 1");
    run_result two = build_batch(dir, maps, "--font 'DejaVu Sans' -j 2");
    assert_same(&one, &two, "--font 'DejaVu Sans' -j 2");
    assert_non_null(strstr(one.tree, "DejaVu Sans"));
    free_result(&one);
    free_result(&two);
    one = build_batch(dir, maps, "--font 'No Such Font' -j 1");
    two = build_batch(dir, maps, "--font 'No Such Font' -j 2");
    assert_int_equal(one.status, 2);
    assert_non_null(strstr(one.err, "no installed font provides the family 'No Such Font'"));
    assert_same(&one, &two, "--font 'No Such Font' -j 2");
    free_result(&one);
    free_result(&two);
    free(maps);
    free(dir);
}

/* ---- workers that die, and a jmap that dies -------------------------------------------------- */

/* `count` copies of the largest example, named so that their outputs are told apart. */
static char *many_maps(const char *dir, int count)
{
    char *src = jmap_xprintf("%s/examples/b2b-procurement.yaml", JMAP_SOURCE_DIR);
    char *text = test_read_file(src, NULL);
    char *list = jmap_xstrdup("");
    for (int i = 0; i < count; i++) {
        char name[32];
        snprintf(name, sizeof name, "map-%02d.yaml", i);
        char *path = test_put(dir, name, text);
        char *next = jmap_xprintf("%s '%s'", list, path);
        free(list);
        list = next;
        free(path);
    }
    free(text);
    free(src);
    return list;
}

/* Start jmap in the background with its standard error in `err_path`; its pid. */
static pid_t start_jmap(const char *args, const char *err_path)
{
    char *cmd = jmap_xprintf("exec '%s' %s </dev/null >/dev/null 2>'%s'", JMAP_BINARY, args,
                             err_path);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    free(cmd);
    return pid;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* The first child process of `pid` (a worker), or 0 when it has none. */
static pid_t first_child(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
    FILE *f = fopen(path, "r");
    int child = 0;
    if (f) {
        if (fscanf(f, "%d", &child) != 1)
            child = 0;
        fclose(f);
    }
    return (pid_t)child;
}

/* Wait up to two minutes for `pid` to end (a hang fails the test, and is killed). */
static int wait_ended(pid_t pid)
{
    int status;
    for (int i = 0; i < 1200; i++) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        sleep_ms(100);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    fail_msg("jmap did not finish within two minutes");
    return status;
}

/* Wait until `dir` holds at least `n` entries: the workers are drawing. */
static void wait_for_outputs(const char *dir, int n, pid_t pid)
{
    for (int i = 0; i < 1200; i++) {
        struct stat st;
        if (stat(dir, &st) == 0 && test_count_entries(dir) >= n)
            return;
        if (waitpid(pid, NULL, WNOHANG) == pid)
            fail_msg("jmap ended before its workers had drawn %d maps", n);
        sleep_ms(50);
    }
    fail_msg("no output appeared");
}

static void a_killed_worker_fails_its_map_and_every_worker_is_reaped(void **state)
{
    (void)state;
    /* Orphans of jmap become this process's children: a worker it did not reap shows here. */
    assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    char *dir = test_tmpdir("build-jobs-kill");
    enum { N = 24 };
    char *maps = many_maps(dir, N);
    char *out = jmap_xprintf("%s/out", dir), *err_path = jmap_xprintf("%s/err.txt", dir);
    char *args = jmap_xprintf("build %s -O '%s' -j 2", maps, out);
    pid_t pid = start_jmap(args, err_path);
    wait_for_outputs(out, 4, pid); /* both workers are past setting up their fonts */
    pid_t worker = first_child(pid);
    assert_true(worker > 0);
    assert_int_equal(kill(worker, SIGKILL), 0);
    int status = wait_ended(pid);
    /* jmap waited for every worker: none is left for this process to reap */
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
    char *err = test_read_file(err_path, NULL);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_non_null(strstr(err, "error: not drawn: the worker process drawing it was killed by "
                                "signal 9"));
    assert_non_null(strstr(err, "[worker-failed]"));
    /* One map failed; a new worker drew the rest. */
    assert_int_equal(test_count_entries(out), N - 1);
    free(err);
    free(args);
    free(err_path);
    free(out);
    free(maps);
    free(dir);
}

static void workers_do_not_outlive_a_killed_jmap(void **state)
{
    (void)state;
    assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    char *dir = test_tmpdir("build-jobs-parent");
    char *maps = many_maps(dir, 24);
    char *out = jmap_xprintf("%s/out", dir), *err_path = jmap_xprintf("%s/err.txt", dir);
    char *args = jmap_xprintf("build %s -O '%s' -j 2", maps, out);
    pid_t pid = start_jmap(args, err_path);
    wait_for_outputs(out, 2, pid);
    assert_int_equal(kill(pid, SIGKILL), 0);
    int status = wait_ended(pid);
    assert_true(WIFSIGNALED(status));
    /* Its workers are this process's now. Each is ended by the signal jmap asked for when it
     * died (SIGTERM), not left to draw the batch to its end (exit 0) or to die writing to a
     * closed pipe (SIGPIPE). */
    int workers = 0;
    for (;;) {
        pid_t w = 0;
        for (int i = 0; i < 1200 && (w = waitpid(-1, &status, WNOHANG)) == 0; i++)
            sleep_ms(100);
        if (w < 0)
            break;
        assert_true(w > 0);
        workers++;
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGTERM);
    }
    assert_int_equal(errno, ECHILD);
    assert_int_equal(workers, 2);
    free(args);
    free(err_path);
    free(out);
    free(maps);
    free(dir);
}

static void a_bad_job_count_is_a_usage_error(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-jobs-usage");
    char *map = test_put(dir, "map.yaml", "title: Usage\n" TEST_VALID_MAP_BODY);
    static const char *const bad[] = {"-j 0", "-j abc", "-j -1", "--jobs=257", "-j ''", "-j 2x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *err;
        assert_int_equal(test_jmap(NULL, &err, "build '%s' -O '%s/out' %s", map, dir, bad[i]), 2);
        assert_non_null(strstr(err, "--jobs takes a number from 1 to 256"));
        free(err);
    }
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -O '%s/out' -j", map, dir), 2);
    assert_non_null(strstr(err, "option '-j' needs a value"));
    free(err);
    assert_int_equal(test_count_entries(dir), 1); /* nothing written */
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -O '%s/out' -j 256", map, dir), 0);
    free(map);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_job_count_gives_the_output_of_one_in_every_format),
        cmocka_unit_test(check_reports_the_same_stale_outputs),
        cmocka_unit_test(a_font_checked_before_the_workers_start_is_checked_the_same),
        cmocka_unit_test(a_killed_worker_fails_its_map_and_every_worker_is_reaped),
        cmocka_unit_test(workers_do_not_outlive_a_killed_jmap),
        cmocka_unit_test(a_bad_job_count_is_a_usage_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
