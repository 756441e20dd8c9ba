/* The Make and Ninja recipes of docs/ci.md, taken from the document itself (the fenced block
 * after each "<!-- recipe: NAME" comment) so the doc cannot drift from what is tested, and run
 * with the real make and ninja in a fresh repository: maps, a stage-model file they share,
 * and an output folder that does not exist yet. The first run builds everything, the second
 * does nothing; after an edit exactly the drawings made from the edited file are rebuilt, once,
 * then nothing, also when the edit does not change the drawing (the output is touched).
 *
 * A `jmap` script first on PATH logs each call and runs the built binary, so the test sees
 * which maps each run rebuilt whatever the tool prints. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "support.h"

/* ---- the recipes, from docs/ci.md ---------------------------------------------------------- */

/* The fenced block that follows the line "<!-- recipe: NAME ..." in docs/ci.md. */
static char *recipe(const char *name)
{
    char *doc = test_read_file(JMAP_SOURCE_DIR "/docs/ci.md", NULL);
    char *marker = jmap_xprintf("\n<!-- recipe: %s ", name);
    char *at = strstr(doc, marker);
    if (!at)
        fail_msg("docs/ci.md has no '<!-- recipe: %s' block", name);
    char *open = strstr(at, "\n```");
    assert_non_null(open);
    char *body = strchr(open + 1, '\n');
    assert_non_null(body);
    body++;
    char *close = strstr(body, "\n```");
    assert_non_null(close);
    char *text = jmap_xstrndup(body, (size_t)(close - body) + 1);
    free(marker);
    free(doc);
    return text;
}

/* The lines of `text` that start with `prefix`. */
static char *lines_starting(const char *text, const char *prefix)
{
    char *out = jmap_xstrdup("");
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
        if (strncmp(line, prefix, strlen(prefix)) == 0) {
            char *more = jmap_xprintf("%s%.*s", out, (int)n, line);
            free(out);
            out = more;
        }
        line += n;
    }
    return out;
}

/* ---- the repository ------------------------------------------------------------------------ */

static const char model_text[] = "id: service\nname: Service\nstages:\n"
                                 "  - {id: discover, name: Discover}\n"
                                 "  - {id: use, name: Use}\n";

static char *own_model_map(const char *title, const char *model)
{
    return jmap_xprintf("title: %s\nmodel: %s\npersonas: [{id: ana, name: Ana}]\nstages:\n"
                        "  - {id: discover, kpis: [{name: Visits}]}\n"
                        "  - {id: use, kpis: [{name: Uses}]}\n"
                        "touchpoints:\n  - {stage: discover, name: Find}\n"
                        "  - {stage: use, name: Try}\n",
                        title, model);
}

static char *path_in(const char *dir, const char *name)
{
    return jmap_xprintf("%s/%s", dir, name);
}

static void put(const char *dir, const char *name, const char *text)
{
    free(test_put(dir, name, text));
}

static void make_dir(const char *dir, const char *name)
{
    char *path = path_in(dir, name);
    assert_int_equal(mkdir(path, 0755), 0);
    free(path);
}

static void set_time(const char *dir, const char *name, time_t t)
{
    char *path = path_in(dir, name);
    struct timespec ts[2] = {{.tv_sec = t}, {.tv_sec = t}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
    free(path);
}

/* Every input of the repository: the maps, the stage-model file and the data file. */
static const char *const inputs[] = {"maps/signup.yaml", "maps/renewal.yaml", "maps/support.yaml",
                                     "maps/models/service.yaml", "maps/data/visits.csv"};

/* A fresh repository with `build_file` holding `recipe_text`; no `public` folder yet. The
 * inputs are dated an hour back, as a checkout's files would be. */
static char *repository(const char *name, const char *build_file, const char *recipe_text)
{
    char *dir = test_tmpdir(name);
    make_dir(dir, "maps");
    make_dir(dir, "maps/models");
    make_dir(dir, "bin");
    put(dir, "maps/models/service.yaml", model_text);
    char *text = own_model_map("Sign-up", "models/service.yaml");
    put(dir, "maps/signup.yaml", text);
    free(text);
    /* renewal's Visits come from a data file (docs/data.md) */
    make_dir(dir, "maps/data");
    put(dir, "maps/data/visits.csv", "kpi,date,actual\nvisits,2026-10,120\n");
    text = own_model_map("Renewal", "models/service.yaml");
    char *kpi = strstr(text, "{name: Visits}");
    assert_non_null(kpi);
    char *with_data = jmap_xprintf("data: [data/visits.csv]\n%.*s{id: visits, name: Visits}%s",
                                   (int)(kpi - text), text, kpi + strlen("{name: Visits}"));
    put(dir, "maps/renewal.yaml", with_data);
    free(with_data);
    free(text);
    put(dir, "maps/support.yaml", "title: Support\n" TEST_VALID_MAP_BODY);
    put(dir, build_file, recipe_text);
    text = jmap_xprintf("#!/bin/sh\necho \"$*\" >> '%s/jmap.log'\nexec '%s' \"$@\"\n", dir,
                        JMAP_BINARY);
    char *script = test_put(dir, "bin/jmap", text);
    assert_int_equal(chmod(script, 0755), 0);
    free(script);
    free(text);
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        set_time(dir, inputs[i], time(NULL) - 3600);
    return dir;
}

/* Run `cmd` in the repository with the logging `jmap` first on PATH; its status, and what it
 * printed (both streams) in *out. */
static int run(const char *dir, const char *cmd, char **out)
{
    char *full = jmap_xprintf("cd '%s' && PATH='%s/bin':\"$PATH\" %s 2>&1", dir, dir, cmd);
    int status = test_run(full, out, NULL);
    free(full);
    return status;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The maps jmap was called on since the last look, sorted and separated by spaces; the log
 * is emptied. */
static char *rebuilt(const char *dir)
{
    char *log_path = path_in(dir, "jmap.log");
    struct stat st;
    char *log = stat(log_path, &st) == 0 ? test_read_file(log_path, NULL) : jmap_xstrdup("");
    unlink(log_path);
    free(log_path);
    const char *maps[64];
    size_t n = 0;
    for (char *word = strtok(log, " \n"); word; word = strtok(NULL, " \n")) {
        size_t len = strlen(word);
        if (strncmp(word, "maps/", 5) == 0 && len > 5 && strcmp(word + len - 5, ".yaml") == 0) {
            assert_true(n < 64);
            maps[n++] = word;
        }
    }
    qsort(maps, n, sizeof maps[0], by_string);
    char *list = jmap_xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *more = jmap_xprintf("%s%s%s", list, i ? " " : "", maps[i]);
        free(list);
        list = more;
    }
    free(log);
    return list;
}

static bool later(struct timespec a, struct timespec b)
{
    return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

static struct stat stat_in(const char *dir, const char *name)
{
    char *path = path_in(dir, name);
    struct stat st;
    if (stat(path, &st) != 0)
        fail_msg("cannot stat '%s': %s", path, strerror(errno));
    free(path);
    return st;
}

/*
 * Wait until the file system's clock has passed every time the tools recorded, so that the
 * next edit is newer than all of them. Ninja keeps each command's start time in .ninja_log and
 * compares inputs with it, so an edit cannot be dated into the past; this waits one tick of
 * the file system's clock (milliseconds) for a condition it checks, not for a guessed time.
 */
static void settle(const char *dir)
{
    static const char *const recorded[] = {".ninja_log", "public/signup.svg",
                                           "public/renewal.svg", "public/support.svg"};
    struct timespec newest = {0};
    for (size_t i = 0; i < sizeof recorded / sizeof recorded[0]; i++) {
        char *path = path_in(dir, recorded[i]);
        struct stat st;
        if (stat(path, &st) == 0 && later(st.st_mtim, newest))
            newest = st.st_mtim;
        free(path);
    }
    char *probe = path_in(dir, "probe");
    time_t give_up = time(NULL) + 30;
    for (;;) {
        test_write_file(probe, "", 0);
        struct stat st;
        assert_int_equal(stat(probe, &st), 0);
        if (later(st.st_mtim, newest))
            break;
        if (time(NULL) > give_up)
            fail_msg("the file system's clock did not move in 30 s");
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    unlink(probe);
    free(probe);
}

/* ---- the tools ----------------------------------------------------------------------------- */

typedef struct tool {
    const char *name, *package;
    const char *build_file;
    const char *dry_run;  /* asks whether there is work, doing none */
    bool dry_run_says;    /* the dry run prints `nothing` too (make -q only exits 0) */
    const char *nothing;  /* what the tool says when there is no work */
    bool keep_mtime;      /* the recipe has --keep-mtime: unchanged outputs keep their time */
} tool;

static const tool make_tool = {"make", "make", "Makefile", "make -q", false, "Nothing to be done",
                               false};
static const tool ninja_tool = {"ninja", "ninja-build", "build.ninja", "ninja -n", true,
                                "no work to do", false};
static const tool ninja_restat_tool = {"ninja", "ninja-build", "build.ninja", "ninja -n", true,
                                       "no work to do", true};

/* The next run has nothing to do: the dry run says so (make -q exits 0), and a real run
 * calls jmap for nothing. */
static void assert_quiet(const char *dir, const tool *t, const char *after)
{
    char *out;
    int status = run(dir, t->dry_run, &out);
    if (status != 0 || (t->dry_run_says && !strstr(out, t->nothing)))
        fail_msg("after %s, '%s' wants work (status %d):\n%s", after, t->dry_run, status, out);
    free(out);
    assert_int_equal(run(dir, t->name, &out), 0);
    if (!strstr(out, t->nothing))
        fail_msg("after %s, '%s' did work:\n%s", after, t->name, out);
    free(out);
    char *again = rebuilt(dir);
    assert_string_equal(again, "");
    free(again);
}

/* Run the tool; it succeeds and calls jmap on exactly the maps `want` lists. */
static void assert_builds(const char *dir, const tool *t, const char *want, const char *after)
{
    char *out;
    int status = run(dir, t->name, &out);
    if (status != 0)
        fail_msg("after %s, '%s' failed (status %d):\n%s", after, t->name, status, out);
    free(out);
    char *got = rebuilt(dir);
    if (strcmp(got, want) != 0)
        fail_msg("after %s, '%s' rebuilt [%s], not [%s]", after, t->name, got, want);
    free(got);
}

/* "maps/x.yaml" -> "public/x.svg", as both recipes name it. */
static char *output_of(const char *map)
{
    const char *base = strrchr(map, '/') + 1;
    return jmap_xprintf("public/%.*s.svg", (int)(strlen(base) - 5), base);
}

/* ---- the edits ----------------------------------------------------------------------------- */

typedef struct edit {
    const char *file;     /* the input edited */
    const char *find;     /* text replaced by `text`; NULL: `text` is appended */
    const char *text;
    bool same_drawing;    /* the edit does not change the drawing */
    const char *rebuilt;  /* the maps whose drawings are made from `file`, sorted */
} edit;

/* A data file (`data:` in renewal.yaml, docs/data.md) is an input like the others: a new export
 * rebuilds exactly the maps that read it, once. */
static const edit edits[] = {
    {"maps/data/visits.csv", "120", "130", false, "maps/renewal.yaml"},
    {"maps/signup.yaml", "name: Find}", "name: Search}", false, "maps/signup.yaml"},
    {"maps/models/service.yaml", "name: Discover}", "name: Find out}", false,
     "maps/renewal.yaml maps/signup.yaml"},
    {"maps/support.yaml", NULL, "# a comment: the drawing stays\n", true, "maps/support.yaml"},
    {"maps/models/service.yaml", NULL, "# a comment\n", true,
     "maps/renewal.yaml maps/signup.yaml"},
};

static void apply(const char *dir, const edit *e)
{
    char *path = path_in(dir, e->file);
    char *old = test_read_file(path, NULL), *new;
    if (e->find) {
        char *at = strstr(old, e->find);
        assert_non_null(at);
        new = jmap_xprintf("%.*s%s%s", (int)(at - old), old, e->text, at + strlen(e->find));
    } else {
        new = jmap_xprintf("%s%s", old, e->text);
    }
    test_write_file(path, new, strlen(new));
    free(new);
    free(old);
    free(path);
}

/* The whole round trip with one tool and one recipe. */
static void round_trip(const tool *t, const char *name, const char *recipe_text)
{
    char *dir = repository(name, t->build_file, recipe_text);
    assert_builds(dir, t, "maps/renewal.yaml maps/signup.yaml maps/support.yaml", "a clean start");
    assert_quiet(dir, t, "the first build");
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        const edit *e = &edits[i];
        char *after = jmap_xprintf("edit %zu (%s)", i + 1, e->file);
        /* The outputs as they were, to tell a touch from a rewrite. */
        struct stat before[4];
        char *bytes[4];
        size_t n = 0;
        char *list = jmap_xstrdup(e->rebuilt);
        for (char *map = strtok(list, " "); map; map = strtok(NULL, " "), n++) {
            char *out = output_of(map), *path = path_in(dir, out);
            before[n] = stat_in(dir, out);
            bytes[n] = test_read_file(path, NULL);
            free(path);
            free(out);
        }
        settle(dir);
        apply(dir, e);
        struct stat input = stat_in(dir, e->file);
        assert_builds(dir, t, e->rebuilt, after);
        strcpy(list, e->rebuilt);
        n = 0;
        for (char *map = strtok(list, " "); map; map = strtok(NULL, " "), n++) {
            char *out = output_of(map), *path = path_in(dir, out);
            struct stat now = stat_in(dir, out);
            if (!t->keep_mtime || !e->same_drawing)
                assert_false(later(input.st_mtim, now.st_mtim)); /* not older than the edit */
            if (e->same_drawing) {
                char *got = test_read_file(path, NULL);
                assert_string_equal(got, bytes[n]);
                free(got);
                assert_int_equal(now.st_ino, before[n].st_ino); /* touched, not rewritten */
                if (t->keep_mtime)
                    assert_false(later(now.st_mtim, before[n].st_mtim));
            }
            free(bytes[n]);
            free(path);
            free(out);
        }
        free(list);
        assert_quiet(dir, t, after);
        free(after);
    }
    free(dir);
}

static void the_make_recipe_converges(void **state)
{
    (void)state;
    test_need_tool("make", "make");
    char *text = recipe("make");
    round_trip(&make_tool, "ci-make", text);
    free(text);
}

static void the_ninja_recipe_converges(void **state)
{
    (void)state;
    test_need_tool("ninja", "ninja-build");
    char *text = recipe("ninja");
    round_trip(&ninja_tool, "ci-ninja", text);
    free(text);
}

/* The `restat = 1` rule with --keep-mtime, and the build lines of the Ninja recipe. */
static void the_ninja_restat_recipe_converges_and_keeps_times(void **state)
{
    (void)state;
    test_need_tool("ninja", "ninja-build");
    char *rule = recipe("ninja-restat"), *ninja = recipe("ninja");
    assert_non_null(strstr(rule, "restat = 1"));
    assert_non_null(strstr(rule, "--keep-mtime"));
    char *builds = lines_starting(ninja, "build ");
    char *text = jmap_xprintf("%s\n%s", rule, builds);
    round_trip(&ninja_restat_tool, "ci-ninja-restat", text);
    free(text);
    free(builds);
    free(ninja);
    free(rule);
}

/* A stage-model file renamed, and the maps changed to name the new one: the depfiles of the
 * last build still name the old file, which no longer exists. Make must not stop at "No rule
 * to make target" (the depfile gives the model an empty rule, as gcc -MP does). */
static void a_renamed_model_file_does_not_stop_the_build(const tool *t, const char *name,
                                                         const char *recipe_text)
{
    char *dir = repository(name, t->build_file, recipe_text);
    assert_builds(dir, t, "maps/renewal.yaml maps/signup.yaml maps/support.yaml", "a clean start");
    settle(dir);
    char *from = path_in(dir, "maps/models/service.yaml");
    char *to = path_in(dir, "maps/models/renamed.yaml");
    assert_int_equal(rename(from, to), 0);
    static const char *const users[] = {"maps/signup.yaml", "maps/renewal.yaml"};
    for (int i = 0; i < 2; i++) {
        edit e = {users[i], "models/service.yaml", "models/renamed.yaml", false, NULL};
        apply(dir, &e);
    }
    assert_builds(dir, t, "maps/renewal.yaml maps/signup.yaml", "renaming the model");
    assert_quiet(dir, t, "renaming the model");
    free(to);
    free(from);
    free(dir);
}

static void make_survives_a_renamed_model_file(void **state)
{
    (void)state;
    test_need_tool("make", "make");
    char *text = recipe("make");
    a_renamed_model_file_does_not_stop_the_build(&make_tool, "ci-make-rename", text);
    free(text);
}

static void ninja_survives_a_renamed_model_file(void **state)
{
    (void)state;
    test_need_tool("ninja", "ninja-build");
    char *text = recipe("ninja");
    a_renamed_model_file_does_not_stop_the_build(&ninja_tool, "ci-ninja-rename", text);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_make_recipe_converges),
        cmocka_unit_test(the_ninja_recipe_converges),
        cmocka_unit_test(the_ninja_restat_recipe_converges_and_keeps_times),
        cmocka_unit_test(make_survives_a_renamed_model_file),
        cmocka_unit_test(ninja_survives_a_renamed_model_file),
    };
    return cmocka_run_group_tests_name("ci_recipes", tests, NULL, NULL);
}
