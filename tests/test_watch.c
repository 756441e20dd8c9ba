/* `jmap build --watch` as a designer uses it: the real binary in a child process, files saved
 * under it, and the output (or the line it prints after each build) waited for with a generous
 * bound, so a slow machine passes and a missed change fails. The teardown kills and reaps the
 * child even when an assertion fails, so no watcher is left running. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "jmap/sanitize.h"
#include "support.h"

#define WAIT_MS 20000

static const char good_map[] = "title: Good journey %d\n" TEST_VALID_MAP_BODY;

static const char broken_yaml[] = "title: [unclosed\n";

/* A map on its own stage model, and that model with the first stage's name as %s. */
static const char model_map[] =
    "title: Own model\n"
    "model: models/ours.yaml\n"
    "personas: [{id: a, name: A}]\n"
    "stages:\n"
    "  - {id: one, kpis: [{name: K}]}\n"
    "  - {id: two, kpis: [{name: K}]}\n"
    "touchpoints:\n"
    "  - {stage: one, name: T}\n"
    "  - {stage: two, name: U}\n";
static const char model_text[] =
    "id: ours\nname: Ours\nstages:\n  - {id: one, name: %s}\n  - {id: two, name: Two}\n";

typedef struct watcher {
    char *dir;
    char *log;  /* the child's standard error */
    char *last; /* map.svg as last seen */
    pid_t pid; /* 0 when no child runs */
} watcher;

static int setup(void **state)
{
    watcher *w = jmap_xcalloc(1, sizeof(*w));
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    watcher *w = *state;
    if (w->pid > 0) {
        kill(w->pid, SIGKILL);
        waitpid(w->pid, NULL, 0);
    }
    free(w->dir);
    free(w->log);
    free(w->last);
    free(w);
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

static char *at(const watcher *w, const char *name)
{
    return jmap_xprintf("%s/%s", w->dir, name);
}

/* Save like an editor that writes a new file and renames it over the old one: one event. */
static void save(const watcher *w, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void save(const watcher *w, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = jmap_xvprintf(fmt, ap);
    va_end(ap);
    char *path = at(w, name);
    char *tmp = jmap_xprintf("%s.new", path);
    test_write_file(tmp, text, strlen(text));
    assert_int_equal(rename(tmp, path), 0);
    free(tmp);
    free(path);
    free(text);
}

static void make_dir(const watcher *w, const char *name)
{
    char *path = at(w, name);
    assert_int_equal(mkdir(path, 0755), 0);
    free(path);
}

static void make_link(const watcher *w, const char *target, const char *name)
{
    char *path = at(w, name);
    char *tmp = jmap_xprintf("%s.new", path);
    assert_int_equal(symlink(target, tmp), 0);
    assert_int_equal(rename(tmp, path), 0); /* as `ln -sfn`: retargets in one step */
    free(tmp);
    free(path);
}

/* Run `jmap build map.yaml -o OUT --watch [EXTRA]` in the test's folder, standard error into
 * the log. */
static void start_with(watcher *w, const char *out, const char *extra)
{
    free(w->log);
    w->log = at(w, "watch.log");
    unlink(w->log); /* the last watcher's log must not be mistaken for this one's */
    char *map_path = at(w, "map.yaml"), *out_path = at(w, out);
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Should this test program die, the watcher goes with it. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        int fd = open(w->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null = open("/dev/null", O_RDONLY);
        if (fd < 0 || null < 0 || dup2(fd, 2) < 0 || dup2(null, 0) < 0)
            _exit(127);
        execl(JMAP_BINARY, "jmap", "build", map_path, "-o", out_path, "--watch", extra,
              (char *)NULL);
        _exit(127);
    }
    w->pid = pid;
    free(map_path);
    free(out_path);
}

static void start(watcher *w, const char *out)
{
    start_with(w, out, NULL);
}

/* Send `sig`, wait for the watcher to end and return its exit status. */
static int stop(watcher *w, int sig)
{
    assert_int_equal(kill(w->pid, sig), 0);
    int status = 0;
    pid_t done = 0;
    for (long waited = 0; waited <= WAIT_MS && !(done = waitpid(w->pid, &status, WNOHANG));
         waited += 50)
        sleep_ms(50);
    assert_int_equal(done, w->pid);
    w->pid = 0;
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static char *read_if_there(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? test_read_file(path, NULL) : NULL;
}

/* What a one-shot build makes of the map as the files are now: what the watcher must show. */
static char *fresh_build(const watcher *w)
{
    char *ref = at(w, "ref.svg");
    assert_int_equal(test_jmap(NULL, NULL, "build '%s/map.yaml' -o '%s'", w->dir, ref), 0);
    char *want = test_read_file(ref, NULL);
    unlink(ref);
    free(ref);
    return want;
}

/* Wait until map.svg is what a one-shot build of the files as they are now gives, and differs
 * from what it was before (so the edit did change the drawing). */
static void expect_rebuilt(watcher *w)
{
    char *want = fresh_build(w);
    if (w->last)
        assert_string_not_equal(want, w->last);
    char *path = at(w, "map.svg");
    char *now = NULL;
    for (long waited = 0; waited <= WAIT_MS; waited += 50) {
        now = read_if_there(path);
        if (now && strcmp(now, want) == 0)
            break;
        free(now);
        now = NULL;
        sleep_ms(50);
    }
    free(path);
    free(want);
    assert_non_null(now); /* not rebuilt in time */
    free(w->last);
    w->last = now;
}

/* Wait until the watcher has finished `n` builds (it prints one stamped line after each, good
 * or bad); returns the whole log, or NULL if they did not come. */
static char *wait_for_builds(const watcher *w, int n)
{
    for (long waited = 0; waited <= WAIT_MS; waited += 50) {
        char *log = read_if_there(w->log);
        int seen = 0;
        for (const char *p = log; p && (p = strstr(p, "jmap: [")); p++) {
            const char *eol = strchr(p, '\n');
            const char *built = strstr(p, "built");
            seen += built && eol && built < eol;
        }
        if (seen >= n)
            return log;
        free(log);
        sleep_ms(50);
    }
    return NULL;
}

/* The last stamped line says the last build failed. */
static bool last_build_failed(const char *log)
{
    const char *last = NULL;
    for (const char *p = log; (p = strstr(p, "jmap: [")); p++)
        last = p;
    return last && strstr(last, "not ");
}

/* Wait for the n-th build, which must have failed (the last good output is kept). */
static void expect_failed_build(watcher *w, int n)
{
    char *log = wait_for_builds(w, n);
    assert_non_null(log);
    assert_true(last_build_failed(log));
    free(log);
}

static void rebuilds_on_edit_and_keeps_the_last_good_output_while_invalid(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-edit");
    save(w, "map.yaml", good_map, 1);
    start(w, "map.svg");
    expect_rebuilt(w);
    save(w, "map.yaml", good_map, 2);
    expect_rebuilt(w);

    save(w, "map.yaml", broken_yaml); /* invalid: the last good output stays */
    char *log = wait_for_builds(w, 3);
    assert_non_null(log);
    assert_true(last_build_failed(log));
    assert_non_null(strstr(log, "map.yaml:1:8: error:")); /* the bracket never closed */
    free(log);
    char *svg = at(w, "map.svg");
    char *kept = test_read_file(svg, NULL);
    free(svg);
    assert_string_equal(kept, w->last);
    free(kept);
    save(w, "map.yaml", good_map, 3); /* fixed again */
    expect_rebuilt(w);

    assert_int_equal(stop(w, SIGINT), 0);
    assert_int_equal(test_count_entries(w->dir), 3); /* map, svg, log: no temporary file left */
}

/* Fixing a model that did not load rebuilds: it is watched whatever the last build's result. */
static void a_broken_stage_model_is_rebuilt_once_fixed(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-model-broken");
    make_dir(w, "models");
    save(w, "models/ours.yaml", model_text, "First");
    save(w, "map.yaml", model_map);
    start(w, "map.svg");
    expect_rebuilt(w);

    save(w, "models/ours.yaml", "stages: [\n");
    expect_failed_build(w, 2);
    save(w, "models/ours.yaml", model_text, "Fixed");
    expect_rebuilt(w);
    assert_int_equal(stop(w, SIGINT), 0);
}

/* A model that is not there yet, in a folder that is not there yet, is built once made. */
static void a_missing_stage_model_is_built_once_made(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-model-missing");
    save(w, "map.yaml", model_map);
    start(w, "map.svg");
    char *log = wait_for_builds(w, 1);
    assert_non_null(log);
    assert_non_null(strstr(log, "[model-not-found]"));
    free(log);
    make_dir(w, "models");
    expect_failed_build(w, 2); /* the folder is seen; the model is still missing */
    save(w, "models/ours.yaml", model_text, "Made");
    expect_rebuilt(w);
    assert_int_equal(stop(w, SIGINT), 0);
}

/* A map joined to KPI data (docs/data.md): the CSV file its `data:` names is watched, and a
 * new export redraws the numbers; a data file not there yet is built once made. */
static const char data_map[] = "title: Live KPIs\n"
                               "data: [kpis.csv]\n"
                               "personas: [{id: a, name: A}]\n"
                               "stages:\n"
                               "  - {id: one, kpis: [{id: conv, name: Conversion, target: 5}]}\n"
                               "touchpoints:\n"
                               "  - {stage: one, name: T}\n";
static const char data_csv[] = "kpi,date,actual\nconv,2026-10,%d\n";

static void a_data_file_edit_rebuilds(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-data");
    save(w, "map.yaml", data_map);
    start(w, "map.svg");
    char *log = wait_for_builds(w, 1); /* kpis.csv is missing: an error, and waited for */
    assert_non_null(log);
    assert_non_null(strstr(log, "cannot read data file 'kpis.csv'"));
    free(log);
    save(w, "kpis.csv", data_csv, 3);
    expect_rebuilt(w);
    save(w, "kpis.csv", data_csv, 7);
    expect_rebuilt(w);
    assert_int_equal(stop(w, SIGINT), 0);
}

/* A file given with --data is watched too. */
static void a_data_option_file_edit_rebuilds(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-data-option");
    char *text = jmap_xprintf("%s", data_map);
    char *line = strstr(text, "data: [kpis.csv]\n");
    size_t cut = strlen("data: [kpis.csv]\n");
    memmove(line, line + cut, strlen(line + cut) + 1); /* the map names no data file */
    save(w, "map.yaml", "%s", text);
    free(text);
    save(w, "export.csv", data_csv, 3);
    char *opt = jmap_xprintf("--data=%s/export.csv", w->dir);
    start_with(w, "map.svg", opt);
    char *log = wait_for_builds(w, 1);
    assert_non_null(log);
    free(log);
    char *svg = at(w, "map.svg");
    free(w->last);
    w->last = test_read_file(svg, NULL);
    free(svg);
    save(w, "export.csv", data_csv, 9);
    /* fresh_build builds without --data: compare with a one-shot build given it */
    char *ref = at(w, "ref.svg");
    assert_int_equal(
        test_jmap(NULL, NULL, "build '%s/map.yaml' '%s' -o '%s'", w->dir, opt, ref), 0);
    char *want = test_read_file(ref, NULL);
    unlink(ref);
    free(ref);
    assert_string_not_equal(want, w->last);
    char *path = at(w, "map.svg"), *now = NULL;
    for (long waited = 0; waited <= WAIT_MS; waited += 50) {
        now = read_if_there(path);
        if (now && strcmp(now, want) == 0)
            break;
        free(now);
        now = NULL;
        sleep_ms(50);
    }
    assert_non_null(now);
    free(now);
    free(path);
    free(want);
    free(opt);
    assert_int_equal(stop(w, SIGINT), 0);
}

/* While the map does not parse, the files it named last time stay watched. */
static void the_model_stays_watched_while_the_map_does_not_parse(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-map-broken");
    make_dir(w, "models");
    save(w, "models/ours.yaml", model_text, "First");
    save(w, "map.yaml", model_map);
    start(w, "map.svg");
    expect_rebuilt(w);
    save(w, "map.yaml", broken_yaml);
    expect_failed_build(w, 2);
    save(w, "models/ours.yaml", model_text, "Second"); /* seen: one more (failed) build */
    expect_failed_build(w, 3);
    assert_int_equal(stop(w, SIGINT), 1);
}

/* An editor writes the file a symlink points to; `ln -sfn` points the link elsewhere. */
static void a_map_given_as_a_symlink_follows_its_target(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-map-link");
    make_dir(w, "real");
    save(w, "real/a.yaml", good_map, 1);
    save(w, "real/b.yaml", good_map, 100);
    make_link(w, "real/a.yaml", "map.yaml");
    start(w, "map.svg");
    expect_rebuilt(w);
    save(w, "real/a.yaml", good_map, 2); /* the target, edited */
    expect_rebuilt(w);
    make_link(w, "real/b.yaml", "map.yaml"); /* the link, retargeted */
    expect_rebuilt(w);
    save(w, "real/b.yaml", good_map, 101); /* the new target, edited */
    expect_rebuilt(w);
    assert_int_equal(stop(w, SIGTERM), 0);
}

static void a_model_given_through_a_symlink_follows_its_target(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-model-link");
    make_dir(w, "models");
    make_dir(w, "shared");
    save(w, "shared/ours.yaml", model_text, "First");
    make_link(w, "../shared/ours.yaml", "models/ours.yaml");
    save(w, "map.yaml", model_map);
    start(w, "map.svg");
    expect_rebuilt(w);
    save(w, "shared/ours.yaml", model_text, "Second");
    expect_rebuilt(w);
    assert_int_equal(stop(w, SIGINT), 0);
}

/* Nothing to watch is an error at once (bounded: the old watcher waited forever). The path is
 * printed through the sanitiser. */
static void a_missing_map_or_folder_is_an_error_naming_it(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-missing");
    static const char *const missing[] = {"nothere.yaml", "nofolder/map.yaml", "es\033[2Jc.yaml"};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        char *err;
        int status = test_jmap_as("timeout -s KILL 30 ", NULL, &err,
                                  "build '%s/%s' -o '%s/out.svg' --watch", w->dir, missing[i],
                                  w->dir);
        assert_int_equal(status, 3);
        assert_non_null(strstr(err, "cannot watch"));
        assert_null(strchr(err, '\033'));
        char *shown = jmap_sanitize(missing[i]);
        assert_non_null(strstr(err, shown));
        free(shown);
        free(err);
    }
    char *err;
    assert_int_equal(test_jmap_as("timeout -s KILL 30 ", NULL, &err,
                                  "build '%s' -o '%s/out.svg' --watch", w->dir, w->dir),
                     3);
    assert_non_null(strstr(err, "cannot watch"));
    free(err);
    assert_int_equal(test_count_entries(w->dir), 0); /* nothing built */
}

/* Ctrl-C and SIGTERM end the watch with the last build's status, as a one-shot build would. */
static void the_exit_status_is_the_last_builds(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-status");
    save(w, "map.yaml", broken_yaml);
    start(w, "map.svg");
    char *log = wait_for_builds(w, 1);
    assert_non_null(log);
    free(log);
    assert_int_equal(stop(w, SIGINT), 1);

    save(w, "map.yaml", good_map, 1);
    start(w, "map.yaml/map.svg"); /* cannot be written: a file where its folder would be */
    log = wait_for_builds(w, 1);
    assert_non_null(log);
    free(log);
    assert_int_equal(stop(w, SIGTERM), 3);

    save(w, "map.yaml", broken_yaml);
    start(w, "map.svg");
    log = wait_for_builds(w, 1);
    assert_non_null(log);
    free(log);
    save(w, "map.yaml", good_map, 2);
    expect_rebuilt(w);
    assert_int_equal(stop(w, SIGINT), 0);
}

#define WATCH_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* ---- links with absolute targets, folder links, a changed model path, unwatchable folders -- */

/* A map on the model file %s. */
static const char map_on_model[] =
    "title: Own model\n"
    "model: %s\n"
    "personas: [{id: a, name: A}]\n"
    "stages:\n"
    "  - {id: one, kpis: [{name: K}]}\n"
    "  - {id: two, kpis: [{name: K}]}\n"
    "touchpoints:\n"
    "  - {stage: one, name: T}\n"
    "  - {stage: two, name: U}\n";

/* `ln -sfn shared2 models`: the folder on the way to the model now leads elsewhere. */
static void a_folder_link_on_the_way_to_the_model_is_followed_when_retargeted(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-folder-link");
    make_dir(w, "shared1");
    make_dir(w, "shared2");
    save(w, "shared1/ours.yaml", model_text, "First");
    save(w, "shared2/ours.yaml", model_text, "Second");
    make_link(w, "shared1", "models");
    save(w, "map.yaml", map_on_model, "models/ours.yaml");
    start(w, "map.svg");
    expect_rebuilt(w);
    make_link(w, "shared2", "models");
    expect_rebuilt(w);
    save(w, "shared2/ours.yaml", model_text, "Third"); /* the new folder's model, edited */
    expect_rebuilt(w);
    assert_int_equal(stop(w, SIGINT), 0);
}

/* map.yaml -> /abs/links/mid.yaml -> ../real/a.yaml: the middle link, named by an absolute
 * path, is watched too, so retargeting it rebuilds. */
static void a_link_chain_through_an_absolute_target_is_followed(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-absolute-link");
    make_dir(w, "real");
    make_dir(w, "links");
    save(w, "real/a.yaml", good_map, 1);
    save(w, "real/b.yaml", good_map, 100);
    make_link(w, "../real/a.yaml", "links/mid.yaml");
    char *mid = at(w, "links/mid.yaml");
    make_link(w, mid, "map.yaml");
    free(mid);
    start(w, "map.svg");
    expect_rebuilt(w);
    make_link(w, "../real/b.yaml", "links/mid.yaml");
    expect_rebuilt(w);
    assert_int_equal(stop(w, SIGINT), 0);
}

/* The map moves to another model file: that file is watched from the next build on; the
 * model's folder deleted is a failed build, and made again a good one. */
static void a_new_model_path_is_watched_and_its_folder_deleted_and_remade(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-model-moved");
    make_dir(w, "models");
    make_dir(w, "other");
    save(w, "models/ours.yaml", model_text, "First");
    save(w, "other/theirs.yaml", model_text, "Theirs");
    save(w, "map.yaml", map_on_model, "models/ours.yaml");
    start(w, "map.svg");
    expect_rebuilt(w);
    save(w, "map.yaml", map_on_model, "other/theirs.yaml");
    expect_rebuilt(w);
    save(w, "other/theirs.yaml", model_text, "Theirs again");
    expect_rebuilt(w);

    char *model = at(w, "other/theirs.yaml"), *folder = at(w, "other");
    assert_int_equal(unlink(model), 0);
    assert_int_equal(rmdir(folder), 0);
    char *log = wait_for_builds(w, 4);
    assert_non_null(log);
    assert_true(last_build_failed(log));
    assert_non_null(strstr(log, "[model-not-found]"));
    free(log);
    make_dir(w, "other");
    save(w, "other/theirs.yaml", model_text, "Back");
    expect_rebuilt(w);
    assert_int_equal(stop(w, SIGINT), 0);
    free(model);
    free(folder);
}

/* A folder that may be passed through but not read cannot be watched: said, status 3. A bare
 * file name and one at the root are looked for where they are. */
static void a_folder_that_cannot_be_watched_is_named(void **state)
{
    watcher *w = *state;
    w->dir = test_shared_tmpdir("watch-unreadable");
    make_dir(w, "locked");
    save(w, "locked/map.yaml", good_map, 1);
    char *locked = at(w, "locked");
    assert_int_equal(chmod(locked, 0311), 0); /* search, no read: the map is readable */
    /* Root may read any folder; without it, file modes apply. */
    const char *as = test_unprivileged_prefix();
    char *prefix = jmap_xprintf("timeout -s KILL 30 %s", as);
    char *err;
    int status = test_jmap_as(prefix, NULL, &err, "build '%s/map.yaml' -o '%s/out.svg' --watch",
                              locked, w->dir);
    chmod(locked, 0755);
    assert_int_equal(status, 3);
    char *want = jmap_xprintf("jmap: cannot watch '%s': Permission denied\n", locked);
    assert_non_null(strstr(err, want));
    assert_non_null(strstr(err, "stopped: no file can be watched"));
    free(want);
    free(err);
    free(prefix);

    prefix = jmap_xprintf("cd '%s' && timeout -s KILL 30 ", w->dir);
    assert_int_equal(test_jmap_as(prefix, NULL, &err, "build nothere.yaml -o out.svg --watch"), 3);
    assert_non_null(strstr(err, "jmap: cannot watch 'nothere.yaml': No such file or directory\n"));
    free(err);
    assert_int_equal(test_jmap_as(prefix, NULL, &err,
                                  "build /jmap-no-such-map.yaml -o out.svg --watch"),
                     3);
    assert_non_null(
        strstr(err, "jmap: cannot watch '/jmap-no-such-map.yaml': No such file or directory\n"));
    free(err);
    free(prefix);
    free(locked);
}

/* An editor that deletes the file before writing it again: while the map is gone the build
 * fails and the last good output stays; the map saved again is rebuilt. */
static void a_map_deleted_and_saved_again_is_rebuilt(void **state)
{
    watcher *w = *state;
    w->dir = test_tmpdir("watch-map-deleted");
    save(w, "map.yaml", good_map, 1);
    start(w, "map.svg");
    expect_rebuilt(w);
    char *map = at(w, "map.yaml");
    assert_int_equal(unlink(map), 0);
    free(map);
    char *log = wait_for_builds(w, 2);
    assert_non_null(log);
    assert_true(last_build_failed(log));
    assert_non_null(strstr(log, "No such file or directory"));
    free(log);
    char *svg = at(w, "map.svg");
    char *kept = test_read_file(svg, NULL);
    free(svg);
    assert_string_equal(kept, w->last);
    free(kept);
    save(w, "map.yaml", good_map, 2);
    expect_rebuilt(w);
    assert_int_equal(stop(w, SIGINT), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WATCH_TEST(rebuilds_on_edit_and_keeps_the_last_good_output_while_invalid),
        WATCH_TEST(a_broken_stage_model_is_rebuilt_once_fixed),
        WATCH_TEST(a_missing_stage_model_is_built_once_made),
        WATCH_TEST(a_data_file_edit_rebuilds),
        WATCH_TEST(a_data_option_file_edit_rebuilds),
        WATCH_TEST(the_model_stays_watched_while_the_map_does_not_parse),
        WATCH_TEST(a_map_given_as_a_symlink_follows_its_target),
        WATCH_TEST(a_model_given_through_a_symlink_follows_its_target),
        WATCH_TEST(a_missing_map_or_folder_is_an_error_naming_it),
        WATCH_TEST(the_exit_status_is_the_last_builds),
        WATCH_TEST(a_folder_link_on_the_way_to_the_model_is_followed_when_retargeted),
        WATCH_TEST(a_link_chain_through_an_absolute_target_is_followed),
        WATCH_TEST(a_new_model_path_is_watched_and_its_folder_deleted_and_remade),
        WATCH_TEST(a_folder_that_cannot_be_watched_is_named),
        WATCH_TEST(a_map_deleted_and_saved_again_is_rebuilt),
    };
    return cmocka_run_group_tests_name("watch", tests, NULL, NULL);
}
