#define _DEFAULT_SOURCE /* mkfifo(), symlink(), realpath() with the POSIX headers */
/*
 * Confined reads: a map reads files only inside its own folder tree, and trusted folders of
 * the model path; only regular files are read by name, so nothing blocks; UTF-16 and UTF-32
 * are named. The CLI's behaviour is tested on the real binary, the path rules on
 * jmap_confine_path and the resolve pass.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jmap/confine.h"
#include "jmap/jmap.h"
#include "jmap/resolve.h"
#include "support.h"

/* Planted outside the map's tree: it must never appear in anything jmap prints. */
#define MARKER "JMAP-SECRET-4b1d9e"

/* A jmap run that would block forever is killed after this long, so that a regression fails
 * the test instead of hanging the suite. The runs themselves take milliseconds. */
#define KILL_AFTER "timeout -s KILL 20 "

static const char model_x[] = "id: x\n"
                              "name: X\n"
                              "stages:\n"
                              "  - id: one\n"
                              "  - id: two\n";

/* A model whose stage ids differ from model_x's: which of the two was read shows in whether
 * a map that uses `one` and `two` passes. */
static const char model_other[] = "id: other\n"
                                  "name: Other\n"
                                  "stages:\n"
                                  "  - id: alpha\n";

/* A map on `model` whose touchpoints use stages `one` and `two`, with nothing to warn about. */
static char *map_text(const char *model)
{
    return jmap_xprintf("title: T\n"
                        "model: %s\n"
                        "personas: [{id: p, name: P}]\n"
                        "touchpoints:\n"
                        "  - {stage: one, name: A, kpis: [{name: K, target: 1, actual: 1}]}\n"
                        "  - {stage: two, name: B, kpis: [{name: K, target: 1, actual: 1}]}\n",
                        model);
}

static char *put_map(const char *dir, const char *name, const char *model)
{
    char *text = map_text(model);
    char *path = test_put(dir, name, text);
    free(text);
    return path;
}

static void make_dir(const char *path)
{
    assert_int_equal(mkdir(path, 0755), 0);
}

/* base/proj is the map's folder, with models/x.yaml and an empty sub/; base/outside holds the
 * planted secret; base/team is a model-path folder with ours.yaml. */
typedef struct tree {
    char *base, *proj, *outside, *secret, *team;
} tree;

static tree tree_make(const char *name)
{
    tree t;
    t.base = test_tmpdir(name);
    t.proj = jmap_xprintf("%s/proj", t.base);
    t.outside = jmap_xprintf("%s/outside", t.base);
    t.team = jmap_xprintf("%s/team", t.base);
    make_dir(t.proj);
    make_dir(t.outside);
    make_dir(t.team);
    char *models = jmap_xprintf("%s/models", t.proj);
    char *sub = jmap_xprintf("%s/sub", t.proj);
    make_dir(models);
    make_dir(sub);
    free(test_put(models, "x.yaml", model_x));
    free(test_put(t.team, "ours.yaml", model_x));
    /* Valid YAML in the shape of a stage model, so that reading it would quote it. */
    t.secret = test_put(t.outside, "secret.yaml",
                        MARKER ": planted\n"
                               "id: " MARKER "\n"
                               "stages: [{id: " MARKER "}]\n");
    free(sub);
    free(models);
    return t;
}

static void tree_free(tree *t)
{
    free(t->base);
    free(t->proj);
    free(t->outside);
    free(t->secret);
    free(t->team);
}

static bool contains(const char *s, const char *what)
{
    return s && strstr(s, what) != NULL;
}

/* ---- jmap_confine_path ---------------------------------------------------------------- */

static jmap_confine_status confine(const char *root, const char *path, char **real, int *err)
{
    *err = 0;
    return jmap_confine_path(root, path, real, err);
}

static void assert_inside_at(const char *root, const char *path, const char *want)
{
    char *real = NULL;
    int err;
    assert_int_equal(confine(root, path, &real, &err), JMAP_CONFINE_INSIDE);
    char *expect = realpath(want, NULL);
    assert_non_null(expect);
    assert_string_equal(real, expect);
    free(expect);
    free(real);
}

static void assert_status(const char *root, const char *path, jmap_confine_status want)
{
    char *real = (char *)"unset";
    int err;
    assert_int_equal(confine(root, path, &real, &err), want);
    assert_null(real);
}

static void paths_that_stay_inside_resolve_to_the_file(void **state)
{
    (void)state;
    tree t = tree_make("confine-inside");
    char *x = jmap_xprintf("%s/models/x.yaml", t.proj);
    assert_inside_at(t.proj, "models/x.yaml", x);
    assert_inside_at(t.proj, "./models//x.yaml", x);
    assert_inside_at(t.proj, "sub/../models/x.yaml", x);
    assert_inside_at(t.proj, "models/../models/./x.yaml", x);
    /* A symlink inside the tree that points inside, relatively or by the tree's real path. */
    char *rel = jmap_xprintf("%s/sub/rel.yaml", t.proj);
    assert_int_equal(symlink("../models/x.yaml", rel), 0);
    assert_inside_at(t.proj, "sub/rel.yaml", x);
    char *real_x = realpath(x, NULL);
    char *abs = jmap_xprintf("%s/sub/abs.yaml", t.proj);
    assert_int_equal(symlink(real_x, abs), 0);
    assert_inside_at(t.proj, "sub/abs.yaml", x);
    char *dirlink = jmap_xprintf("%s/m", t.proj);
    assert_int_equal(symlink("models", dirlink), 0);
    assert_inside_at(t.proj, "m/x.yaml", x);
    free(dirlink);
    free(abs);
    free(real_x);
    free(rel);
    free(x);
    tree_free(&t);
}

static void absolute_paths_and_dot_dot_out_of_the_tree_are_refused(void **state)
{
    (void)state;
    tree t = tree_make("confine-outside");
    assert_status(t.proj, "/etc/passwd", JMAP_CONFINE_ABSOLUTE);
    assert_status(t.proj, t.secret, JMAP_CONFINE_ABSOLUTE);
    assert_status(t.proj, "/proc/self/environ", JMAP_CONFINE_ABSOLUTE);
    assert_status(t.proj, "../outside/secret.yaml", JMAP_CONFINE_OUTSIDE);
    assert_status(t.proj, "../../../../../../../../etc/passwd", JMAP_CONFINE_OUTSIDE);
    assert_status(t.proj, "sub/../../outside/secret.yaml", JMAP_CONFINE_OUTSIDE);
    /* Out and back in is out: the walk never looks outside. */
    assert_status(t.proj, "../proj/models/x.yaml", JMAP_CONFINE_OUTSIDE);
    tree_free(&t);
}

static void symlinks_that_lead_out_are_outside_whether_or_not_the_target_exists(void **state)
{
    (void)state;
    tree t = tree_make("confine-symlinks");
    char *rel = jmap_xprintf("%s/models/rel.yaml", t.proj);
    assert_int_equal(symlink("../../outside/secret.yaml", rel), 0);
    assert_status(t.proj, "models/rel.yaml", JMAP_CONFINE_OUTSIDE);
    char *abs = jmap_xprintf("%s/abs.yaml", t.proj);
    assert_int_equal(symlink(t.secret, abs), 0);
    assert_status(t.proj, "abs.yaml", JMAP_CONFINE_OUTSIDE);
    char *dir = jmap_xprintf("%s/out", t.proj);
    assert_int_equal(symlink("../outside", dir), 0);
    assert_status(t.proj, "out/secret.yaml", JMAP_CONFINE_OUTSIDE);
    /* A link to a missing file outside says "outside" too: the answer must not tell whether
     * something exists out there. */
    char *dangling = jmap_xprintf("%s/gone.yaml", t.proj);
    assert_int_equal(symlink("../outside/no-such-file.yaml", dangling), 0);
    assert_status(t.proj, "gone.yaml", JMAP_CONFINE_OUTSIDE);
    assert_status(t.proj, "out/no-such-file.yaml", JMAP_CONFINE_OUTSIDE);
    free(dangling);
    free(dir);
    free(abs);
    free(rel);
    tree_free(&t);
}

static void missing_files_inside_the_tree_say_why(void **state)
{
    (void)state;
    tree t = tree_make("confine-missing");
    char *real = NULL;
    int err;
    assert_int_equal(confine(t.proj, "models/none.yaml", &real, &err), JMAP_CONFINE_FAILED);
    assert_int_equal(err, ENOENT);
    assert_int_equal(confine(t.proj, "models/x.yaml/y.yaml", &real, &err), JMAP_CONFINE_FAILED);
    assert_int_equal(err, ENOTDIR);
    char *loop = jmap_xprintf("%s/loop.yaml", t.proj);
    assert_int_equal(symlink("loop.yaml", loop), 0);
    assert_int_equal(confine(t.proj, "loop.yaml", &real, &err), JMAP_CONFINE_FAILED);
    assert_int_equal(err, ELOOP);
    assert_null(real);
    char *gone = jmap_xprintf("%s/no-folder", t.base);
    assert_int_equal(confine(gone, "x.yaml", &real, &err), JMAP_CONFINE_FAILED);
    assert_int_equal(err, ENOENT);
    free(gone);
    free(loop);
    tree_free(&t);
}

/* ---- the resolve pass ----------------------------------------------------------------- */

typedef struct resolved {
    jmap_arena *a;
    jmap_diags d;
    jmap_map *map;
    bool ok;
} resolved;

static void resolve_in(resolved *r, const char *file, const char *model, const char *const *dirs,
                       size_t n_dirs)
{
    r->a = jmap_arena_new();
    jmap_diags_init(&r->d);
    char *text = map_text(model);
    jmap_limits lim = jmap_limits_default();
    const char *name = jmap_arena_strdup(r->a, file);
    r->map = jmap_load_map(r->a, name, text, strlen(text), &lim, &r->d);
    assert_non_null(r->map);
    jmap_resolve_opts o = {dirs, n_dirs};
    r->ok = jmap_resolve_with(r->a, r->map, &lim, &o, &r->d);
    free(text);
}

static void resolved_release(resolved *r)
{
    jmap_diags_release(&r->d);
    jmap_arena_free(r->a);
}

static const char *first_stage(const resolved *r)
{
    return r->map->n_stages ? r->map->stages[0].id.s : "";
}

static void an_outside_model_is_an_error_at_the_value_that_quotes_nothing_of_it(void **state)
{
    (void)state;
    tree t = tree_make("confine-resolve-outside");
    char *map = jmap_xprintf("%s/map.yaml", t.proj);
    const char *values[] = {t.secret, "../outside/secret.yaml", "/etc/passwd"};
    for (size_t i = 0; i < 3; i++) {
        resolved r;
        resolve_in(&r, map, values[i], NULL, 0);
        assert_false(r.ok);
        assert_null(r.map->stage_model);
        assert_int_equal(r.d.n_items, 1);
        assert_diag_at(&r.d, "path-outside-tree", 2, 8);
        char *text = test_diags_text(&r.d);
        assert_false(contains(text, MARKER));
        assert_false(contains(text, "root:"));
        free(text);
        resolved_release(&r);
    }
    free(map);
    tree_free(&t);
}

static void a_model_path_id_is_found_in_the_first_folder_that_has_it(void **state)
{
    (void)state;
    tree t = tree_make("confine-resolve-model-path");
    char *early = jmap_xprintf("%s/early", t.base);
    make_dir(early);
    free(test_put(early, "ours.yaml", model_other));
    char *missing = jmap_xprintf("%s/missing", t.base);
    char *map = jmap_xprintf("%s/map.yaml", t.proj);

    /* A missing folder, or one without the file, is passed over. */
    const char *dirs[] = {missing, t.team, early};
    resolved r;
    resolve_in(&r, map, "ours", dirs, 3);
    assert_true(r.ok);
    assert_string_equal(first_stage(&r), "one");
    char *want = jmap_xprintf("%s/ours.yaml", t.team);
    assert_string_equal(r.map->stage_model->loc.file, want);
    resolved_release(&r);

    const char *swapped[] = {early, t.team};
    resolve_in(&r, map, "ours", swapped, 2);
    assert_string_equal(first_stage(&r), "alpha");
    resolved_release(&r);

    /* Without the model path the id is unknown, and nothing is suggested from the folders. */
    resolve_in(&r, map, "ours", NULL, 0);
    assert_false(r.ok);
    assert_diag_at(&r.d, "unknown-model", 2, 8);
    resolved_release(&r);

    free(want);
    free(map);
    free(missing);
    free(early);
    tree_free(&t);
}

static void built_in_ids_win_over_the_model_path(void **state)
{
    (void)state;
    tree t = tree_make("confine-resolve-builtin");
    free(test_put(t.team, "classic.yaml", model_other));
    char *map = jmap_xprintf("%s/map.yaml", t.proj);
    const char *dirs[] = {t.team};
    resolved r;
    resolve_in(&r, map, "classic", dirs, 1);
    assert_string_equal(first_stage(&r), "awareness");
    assert_string_equal(r.map->stage_model->loc.file, "stages/classic.yaml");
    resolved_release(&r);
    free(map);
    tree_free(&t);
}

static void a_path_model_is_never_looked_up_in_the_model_path(void **state)
{
    (void)state;
    tree t = tree_make("confine-resolve-path-only");
    char *map = jmap_xprintf("%s/map.yaml", t.proj);
    const char *dirs[] = {t.team};
    resolved r;
    resolve_in(&r, map, "ours.yaml", dirs, 1);
    assert_false(r.ok);
    assert_diag_at(&r.d, "model-not-found", 2, 8);
    resolved_release(&r);
    free(map);
    tree_free(&t);
}

/* ---- the binary --------------------------------------------------------------------------- */

static const char *const modes[] = {"", "--diagnostics json", "--diagnostics sarif",
                                    "--diagnostics github"};

/* Run `jmap check` (and one build) on a map whose model is `value`, in every diagnostics
 * format, with the marker in the environment too: nothing may show it. */
static void assert_refused_everywhere(const tree *t, const char *value)
{
    char *map = put_map(t->proj, "map.yaml", value);
    char *svg = jmap_xprintf("%s/map.svg", t->base);
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        for (int build = 0; build < 2; build++) {
            char *out = NULL, *err = NULL;
            int status = test_jmap_as("JMAP_PLANTED=" MARKER " " KILL_AFTER, &out, &err,
                                      "%s %s '%s'%s%s", build ? "build" : "check", modes[i], map,
                                      build ? " -o " : "", build ? svg : "");
            if (contains(out, MARKER) || contains(err, MARKER) || status != 1 ||
                !(contains(out, "path-outside-tree") || contains(err, "path-outside-tree")))
                fail_msg("model: %s, %s %s: status %d\nstdout:\n%s\nstderr:\n%s", value,
                         build ? "build" : "check", modes[i], status, out, err);
            free(out);
            free(err);
        }
    }
    assert_int_equal(access(svg, F_OK), -1);
    free(svg);
    free(map);
}

static void no_format_shows_anything_of_a_file_outside_the_tree(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-secret");
    char *link = jmap_xprintf("%s/models/link.yaml", t.proj);
    assert_int_equal(symlink("../../outside/secret.yaml", link), 0);
    assert_refused_everywhere(&t, t.secret);
    assert_refused_everywhere(&t, "../outside/secret.yaml");
    assert_refused_everywhere(&t, "models/link.yaml");
    assert_refused_everywhere(&t, "/etc/passwd");
    assert_refused_everywhere(&t, "../../../../../../../../etc/passwd");
    assert_refused_everywhere(&t, "/proc/self/environ");
    free(link);
    tree_free(&t);
}

static void the_message_names_the_value_as_written(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-message");
    char *map = put_map(t.proj, "map.yaml", "../outside/secret.yaml");
    char *err = NULL;
    assert_int_equal(test_jmap(NULL, &err, "check '%s'", map), 1);
    char *want = jmap_xprintf("%s:2:8: error: stage model '../outside/secret.yaml' is outside "
                              "the map's folder; a map reads files only inside its own folder; "
                              "shared models go in a --model-path folder, named by id "
                              "[path-outside-tree]\n",
                              map);
    assert_true(strncmp(err, want, strlen(want)) == 0);
    free(want);
    free(err);
    free(map);
    tree_free(&t);
}

static void a_model_inside_the_tree_still_works(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-inside");
    const char *values[] = {"models/x.yaml", "sub/../models/x.yaml", "./models/x.yaml"};
    for (size_t i = 0; i < 3; i++) {
        char *map = put_map(t.proj, "map.yaml", values[i]);
        char *err = NULL;
        assert_int_equal(test_jmap(NULL, &err, "check --werror '%s'", map), 0);
        assert_string_equal(err, "");
        free(err);
        free(map);
    }
    tree_free(&t);
}

static void the_model_path_comes_from_options_then_the_environment(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-model-path");
    char *other = jmap_xprintf("%s/other", t.base);
    make_dir(other);
    free(test_put(other, "ours.yaml", model_other));
    char *map = put_map(t.proj, "map.yaml", "ours");
    char *err = NULL;

    assert_int_equal(test_jmap(NULL, &err, "check '%s'", map), 1);
    assert_true(contains(err, "[unknown-model]"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check --model-path '%s' '%s'", t.team, map), 0);
    free(err);
    char *env = jmap_xprintf("JMAP_MODEL_PATH='%s/none::%s' ", t.base, t.team);
    assert_int_equal(test_jmap_as(env, NULL, &err, "check '%s'", map), 0);
    free(err);
    /* --model-path folders come before JMAP_MODEL_PATH, in the order given. */
    assert_int_equal(test_jmap_as(env, NULL, &err, "check --model-path '%s' '%s'", other, map), 1);
    assert_true(contains(err, "[unknown-model-stage]") || contains(err, "[unknown-stage]"));
    free(err);
    assert_int_equal(
        test_jmap(NULL, &err, "check --model-path '%s' --model-path '%s' '%s'", t.team, other, map),
        0);
    free(err);
    /* build takes it too. */
    char *svg = jmap_xprintf("%s/map.svg", t.base);
    assert_int_equal(test_jmap_as(env, NULL, &err, "build '%s' -o '%s'", map, svg), 0);
    assert_int_equal(access(svg, F_OK), 0);
    free(err);
    free(svg);
    free(env);
    free(map);
    free(other);
    tree_free(&t);
}

static void an_empty_model_path_entry_is_not_the_current_folder(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-empty-entry");
    free(test_put(t.base, "ours.yaml", model_x));
    char *map = put_map(t.proj, "map.yaml", "ours");
    char *prefix = jmap_xprintf("cd '%s' && JMAP_MODEL_PATH=':' ", t.base);
    char *err = NULL;
    assert_int_equal(test_jmap_as(prefix, NULL, &err, "check proj/map.yaml"), 1);
    assert_true(contains(err, "[unknown-model]"));
    free(err);
    free(prefix);
    free(map);
    tree_free(&t);
}

static void a_model_file_gets_the_limits_of_a_map(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-limits");
    char *map = put_map(t.proj, "map.yaml", "big.yaml");
    char *big = jmap_xprintf("%s# %0600d\n", model_x, 0);
    free(test_put(t.proj, "big.yaml", big));
    char *err = NULL;
    size_t map_size = strlen(big) - 100; /* the map is smaller than the model */
    assert_int_equal(test_jmap(NULL, &err, "check --max-input-size %zu '%s'", map_size, map), 1);
    char *want = jmap_xprintf("error: cannot read stage model 'big.yaml': it is %zu bytes, more "
                              "than the limit of %zu [model-not-found]",
                              strlen(big), map_size);
    if (!contains(err, want))
        fail_msg("want \"%s\" in:\n%s", want, err);
    free(want);
    free(err);

    free(test_put(t.team, "deep.yaml",
                  "id: deep\nname: D\nstages: [{id: one, x-a: [[[[[[1]]]]]]}]\n"));
    free(map);
    map = put_map(t.proj, "map.yaml", "deep");
    assert_int_equal(
        test_jmap(NULL, &err, "check --max-depth 6 --model-path '%s' '%s'", t.team, map), 1);
    assert_true(contains(err, "[too-deep]"));
    free(err);

    /* And the node budget: 200 list items in the model, a few dozen nodes in the map. */
    char *items = jmap_xcalloc(401, 1);
    for (size_t i = 0; i < 200; i++)
        memcpy(items + 2 * i, i ? ",1" : "[1", 2);
    char *many =
        jmap_xprintf("id: many\nname: M\nx-list: %s]\nstages: [{id: one}, {id: two}]\n", items);
    free(test_put(t.team, "many.yaml", many));
    free(map);
    map = put_map(t.proj, "map.yaml", "many");
    assert_int_equal(
        test_jmap(NULL, &err, "check --max-nodes 100 --model-path '%s' '%s'", t.team, map), 1);
    assert_true(contains(err, "many.yaml:3:") && contains(err, "[too-many-nodes]"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check --model-path '%s' '%s'", t.team, map), 0);
    free(err);
    free(many);
    free(items);
    free(big);
    free(map);
    tree_free(&t);
}

static void a_fifo_as_the_map_or_the_model_is_refused_without_blocking(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-fifo");
    char *fifo = jmap_xprintf("%s/pipe.yaml", t.proj);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    char *err = NULL;
    assert_int_equal(test_jmap_as(KILL_AFTER, NULL, &err, "check '%s'", fifo), 3);
    char *want = jmap_xprintf("%s: error: cannot read '%s': not a regular file (a named pipe) "
                              "[io-error]\n",
                              fifo, fifo);
    assert_string_equal(err, want);
    free(want);
    free(err);
    char *svg = jmap_xprintf("%s/out.svg", t.base);
    assert_int_equal(test_jmap_as(KILL_AFTER, NULL, &err, "build '%s' -o '%s'", fifo, svg), 3);
    free(err);

    char *map = put_map(t.proj, "map.yaml", "pipe.yaml");
    assert_int_equal(test_jmap_as(KILL_AFTER, NULL, &err, "check '%s'", map), 1);
    assert_true(contains(err, "cannot read stage model 'pipe.yaml': not a regular file (a named "
                              "pipe) [model-not-found]"));
    free(err);
    /* In the model path too. */
    char *team_fifo = jmap_xprintf("%s/piped.yaml", t.team);
    assert_int_equal(mkfifo(team_fifo, 0644), 0);
    free(map);
    map = put_map(t.proj, "map.yaml", "piped");
    assert_int_equal(
        test_jmap_as(KILL_AFTER, NULL, &err, "check --model-path '%s' '%s'", t.team, map), 1);
    assert_true(contains(err, "not a regular file (a named pipe) [model-not-found]"));
    free(err);
    free(team_fifo);
    free(map);
    free(svg);
    free(fifo);
    tree_free(&t);
}

/* A glob over maps/ expands to the links a pull request committed: a map path's links may not
 * lead above where the path starts, while `..` typed on the command line still works. */
static void a_map_given_through_a_link_out_of_the_tree_is_not_read(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-map-glob");
    char *maps = jmap_xprintf("%s/maps", t.proj);
    make_dir(maps);
    free(put_map(t.proj, "good.yaml", "models/x.yaml"));
    char *cmd = jmap_xprintf("cd '%s' && ln -s '%s' maps/evil.yaml && ln -s ../../outside "
                             "maps/dir && ln -s ../good.yaml maps/fine.yaml && cp -r models maps/",
                             t.proj, t.secret);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        static const char *const paths[] = {"maps/evil.yaml", "./maps/dir/secret.yaml"};
        for (size_t i = 0; i < 2; i++) {
            char *out = NULL, *err = NULL;
            char *run = jmap_xprintf("cd '%s' && JMAP_PLANTED=" MARKER " " KILL_AFTER
                                     "'%s' check %s '%s' </dev/null",
                                     t.proj, JMAP_BINARY, modes[m], paths[i]);
            assert_int_equal(test_run(run, &out, &err), 3);
            assert_false(contains(out, MARKER));
            assert_false(contains(err, MARKER));
            assert_true(contains(out, "path-outside-tree") || contains(err, "path-outside-tree"));
            free(run);
            free(out);
            free(err);
        }
    }
    /* A link that stays inside is followed; `..` typed by the caller is the caller's. */
    char *err = NULL;
    char *run = jmap_xprintf("cd '%s' && '%s' check maps/fine.yaml && cd maps && '%s' check "
                             "../good.yaml",
                             t.proj, JMAP_BINARY, JMAP_BINARY);
    assert_int_equal(test_run(run, NULL, &err), 0);
    free(run);
    free(err);
    free(maps);
    tree_free(&t);
}

/* A committed link must not steer where a CI job writes: the folders an output goes to follow
 * the rule of the maps' paths. The output file itself may be a link: it is replaced. */
static void an_output_folder_through_a_link_out_of_the_tree_is_refused(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-out-link");
    free(put_map(t.proj, "map.yaml", "models/x.yaml"));
    char *cmd = jmap_xprintf("cd '%s' && ln -s ../outside public && mkdir real && ln -s real "
                             "inside",
                             t.proj);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    static const char *const args[] = {"-O public", "-o public/x.svg", "-O public/deeper",
                                       "-o inside/x.svg --depfile public/x.d"};
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
        char *err = NULL;
        char *run = jmap_xprintf("cd '%s' && " KILL_AFTER "'%s' build map.yaml %s </dev/null",
                                 t.proj, JMAP_BINARY, args[i]);
        assert_int_equal(test_run(run, NULL, &err), 2);
        assert_true(contains(err, "leads through a symbolic link outside '.'"));
        assert_true(contains(err, "[path-outside-tree]"));
        free(run);
        free(err);
    }
    assert_int_equal(test_count_entries(t.outside), 1); /* the planted secret alone */
    /* A link that stays inside is followed, and an absolute path is the caller's. */
    char *run = jmap_xprintf("cd '%s' && '%s' build map.yaml -O inside && '%s' build map.yaml "
                             "-o '%s/abs.svg'",
                             t.proj, JMAP_BINARY, JMAP_BINARY, t.outside);
    assert_int_equal(test_run(run, NULL, NULL), 0);
    free(run);
    char *made = jmap_xprintf("%s/real/map.svg", t.proj);
    assert_int_equal(access(made, F_OK), 0);
    free(made);
    tree_free(&t);
}

static void build_check_does_not_open_a_fifo_in_place_of_an_output(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-check-fifo");
    char *map = put_map(t.proj, "map.yaml", "models/x.yaml");
    char *fifo = jmap_xprintf("%s/map.svg", t.base);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    char *err = NULL;
    /* Refused as what it is, without waiting for a writer. */
    assert_int_equal(test_jmap_as(KILL_AFTER, NULL, &err, "build --check '%s' -o '%s'", map, fifo),
                     3);
    assert_true(contains(err, "not a regular file [io-error]"));
    free(err);
    free(fifo);
    free(map);
    tree_free(&t);
}

static void a_map_given_as_a_symlink_is_read(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-map-link");
    char *map = put_map(t.proj, "map.yaml", "models/x.yaml");
    char *link = jmap_xprintf("%s/link.yaml", t.proj);
    assert_int_equal(symlink("map.yaml", link), 0);
    char *err = NULL;
    assert_int_equal(test_jmap(NULL, &err, "check --werror '%s'", link), 0);
    assert_string_equal(err, "");
    free(err);
    free(link);
    free(map);
    tree_free(&t);
}

static void a_device_is_refused(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(test_jmap_as(KILL_AFTER, NULL, &err, "check /dev/zero"), 3);
    assert_string_equal(err, "/dev/zero: error: cannot read '/dev/zero': not a regular file (a "
                             "device) [io-error]\n");
    free(err);
}

static void standard_input_may_be_a_pipe_and_its_folder_is_the_current_one(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-stdin");
    char *map = put_map(t.proj, "map.yaml", "models/x.yaml");
    char *cmd = jmap_xprintf("cd '%s' && cat map.yaml | " KILL_AFTER "'%s' check --werror -",
                             t.proj, JMAP_BINARY);
    char *err = NULL;
    assert_int_equal(test_run(cmd, NULL, &err), 0);
    assert_string_equal(err, "");
    free(err);
    free(cmd);
    free(map);

    map = put_map(t.proj, "map.yaml", "../outside/secret.yaml");
    cmd = jmap_xprintf("cd '%s' && cat map.yaml | " KILL_AFTER "'%s' check -", t.proj, JMAP_BINARY);
    assert_int_equal(test_run(cmd, NULL, &err), 1);
    assert_true(contains(err, "<stdin>:2:8: error: stage model '../outside/secret.yaml' is "
                              "outside the map's folder"));
    assert_false(contains(err, MARKER));
    free(err);
    free(cmd);
    free(map);
    tree_free(&t);
}

/* `text` encoded as UTF-16 or UTF-32 (ASCII only), with or without a byte-order mark. */
static char *widen(const char *text, size_t width, bool big, bool bom, size_t *len)
{
    size_t n = strlen(text) + (bom ? 1 : 0);
    char *out = jmap_xcalloc(n, width);
    size_t at = 0;
    for (size_t i = 0; i < n; i++, at += width) {
        unsigned c = bom && i == 0 ? 0xFEFF : (unsigned char)text[i - (bom ? 1 : 0)];
        for (size_t b = 0; b < width; b++) {
            unsigned byte = (c >> (8 * b)) & 0xFF;
            out[at + (big ? width - 1 - b : b)] = (char)byte;
        }
    }
    *len = n * width;
    return out;
}

static void utf16_and_utf32_files_are_named(void **state)
{
    (void)state;
    tree t = tree_make("confine-cli-wide");
    static const struct {
        size_t width;
        bool big, bom;
        const char *name;
    } cases[] = {
        {2, false, true, "UTF-16 (little-endian)"},  {2, true, true, "UTF-16 (big-endian)"},
        {4, false, true, "UTF-32 (little-endian)"},  {4, true, true, "UTF-32 (big-endian)"},
        {2, false, false, "UTF-16 (little-endian)"}, {4, true, false, "UTF-32 (big-endian)"},
    };
    char *text = map_text("models/wide.yaml");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len;
        char *wide = widen(text, cases[i].width, cases[i].big, cases[i].bom, &len);
        char *path = jmap_xprintf("%s/wide.yaml", t.proj);
        test_write_file(path, wide, len);
        char *err = NULL;
        assert_int_equal(test_jmap(NULL, &err, "check '%s'", path), 1);
        char *want = jmap_xprintf("%s: error: '%s' is %s; save it as UTF-8 [invalid-encoding]\n",
                                  path, path, cases[i].name);
        assert_string_equal(err, want);
        free(want);
        free(err);

        /* The same as a model file. */
        char *model = jmap_xprintf("%s/models/wide.yaml", t.proj);
        char *wide_model = widen(model_x, cases[i].width, cases[i].big, cases[i].bom, &len);
        test_write_file(model, wide_model, len);
        char *map = put_map(t.proj, "map.yaml", "models/wide.yaml");
        assert_int_equal(test_jmap(NULL, &err, "check '%s'", map), 1);
        want =
            jmap_xprintf("'%s' is %s; save it as UTF-8 [invalid-encoding]", model, cases[i].name);
        if (!contains(err, want))
            fail_msg("want \"%s\" in:\n%s", want, err);
        free(want);
        free(err);
        free(map);
        free(wide_model);
        free(model);
        free(path);
        free(wide);
    }
    free(text);
    tree_free(&t);
}

static void wide_text_is_named_by_the_loader_too(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_limits lim = jmap_limits_default();
    static const char be[] = "\xFE\xFF\0t\0i\0t\0l\0e";
    assert_null(jmap_load_map(a, "wide.yaml", be, sizeof(be) - 1, &lim, &d));
    assert_int_equal(d.n_items, 1);
    assert_string_equal(d.items[0].code, "invalid-encoding");
    assert_string_equal(d.items[0].msg, "'wide.yaml' is UTF-16 (big-endian); save it as UTF-8");
    jmap_diags_release(&d);
    jmap_diags_init(&d);
    /* A UTF-8 byte-order mark is still fine. */
    char *text = map_text("classic");
    char *bom = jmap_xprintf("\xEF\xBB\xBF%s", text);
    assert_non_null(jmap_load_map(a, "bom.yaml", bom, strlen(bom), &lim, &d));
    assert_false(jmap_diags_failed(&d));
    free(bom);
    free(text);
    jmap_diags_release(&d);
    jmap_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paths_that_stay_inside_resolve_to_the_file),
        cmocka_unit_test(absolute_paths_and_dot_dot_out_of_the_tree_are_refused),
        cmocka_unit_test(symlinks_that_lead_out_are_outside_whether_or_not_the_target_exists),
        cmocka_unit_test(missing_files_inside_the_tree_say_why),
        cmocka_unit_test(an_outside_model_is_an_error_at_the_value_that_quotes_nothing_of_it),
        cmocka_unit_test(a_model_path_id_is_found_in_the_first_folder_that_has_it),
        cmocka_unit_test(built_in_ids_win_over_the_model_path),
        cmocka_unit_test(a_path_model_is_never_looked_up_in_the_model_path),
        cmocka_unit_test(no_format_shows_anything_of_a_file_outside_the_tree),
        cmocka_unit_test(the_message_names_the_value_as_written),
        cmocka_unit_test(a_model_inside_the_tree_still_works),
        cmocka_unit_test(the_model_path_comes_from_options_then_the_environment),
        cmocka_unit_test(an_empty_model_path_entry_is_not_the_current_folder),
        cmocka_unit_test(a_model_file_gets_the_limits_of_a_map),
        cmocka_unit_test(a_fifo_as_the_map_or_the_model_is_refused_without_blocking),
        cmocka_unit_test(a_map_given_through_a_link_out_of_the_tree_is_not_read),
        cmocka_unit_test(an_output_folder_through_a_link_out_of_the_tree_is_refused),
        cmocka_unit_test(build_check_does_not_open_a_fifo_in_place_of_an_output),
        cmocka_unit_test(a_map_given_as_a_symlink_is_read),
        cmocka_unit_test(a_device_is_refused),
        cmocka_unit_test(standard_input_may_be_a_pipe_and_its_folder_is_the_current_one),
        cmocka_unit_test(utf16_and_utf32_files_are_named),
        cmocka_unit_test(wide_text_is_named_by_the_loader_too),
    };
    return cmocka_run_group_tests_name("confine", tests, NULL, NULL);
}
