/* Depfiles as the real GNU Make and Ninja read them: awkward names round-trip, hostile ones
 * are refused before anything is written. */
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

#include "jmap/arena.h"
#include "support.h"

/* Names with a space, '#', '$' and ':' in them: all four escapes. */
#define MAP_NAME "a b#c$d:e.yaml"
#define OUT_NAME "out/a b#c$d:e.svg"
#define MODEL_NAME "my model #2 $x:y.yaml"

static const char model_text[] =
    "id: mine\nname: Mine\nstages:\n  - {id: one, name: One}\n  - {id: two, name: Two}\n";

static char *map_text(const char *model)
{
    return jmap_xprintf("title: Own model\nmodel: \"%s\"\npersonas: [{id: a, name: A}]\n"
                        "stages:\n  - {id: one, kpis: [{name: K}]}\n"
                        "  - {id: two, kpis: [{name: K}]}\n"
                        "touchpoints:\n  - {stage: one, name: T}\n  - {stage: two, name: U}\n",
                        model);
}

/* Run a shell command in `dir`; its exit status, output and errors. */
static int run_in(const char *dir, char **out, char **err, const char *cmd)
{
    char *full = jmap_xprintf("cd '%s' && %s", dir, cmd);
    int status = test_run(full, out, err);
    free(full);
    return status;
}

static void set_time(const char *dir, const char *name, time_t t)
{
    char *path = jmap_xprintf("%s/%s", dir, name);
    struct timespec ts[2] = {{.tv_sec = t}, {.tv_sec = t}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
    free(path);
}

static bool exists_in(const char *dir, const char *name)
{
    char *path = jmap_xprintf("%s/%s", dir, name);
    struct stat st;
    bool ok = lstat(path, &st) == 0;
    free(path);
    return ok;
}

/* A directory holding the map and its model, and a script that builds the map there. */
static char *project(const char *name)
{
    char *dir = test_tmpdir(name);
    free(test_put(dir, MODEL_NAME, model_text));
    char *text = map_text(MODEL_NAME);
    free(test_put(dir, MAP_NAME, text));
    free(text);
    char *script = jmap_xprintf("exec '%s' build '" MAP_NAME "' -O out --depfile x.d\n",
                                JMAP_BINARY);
    free(test_put(dir, "build.sh", script));
    free(script);
    return dir;
}

static void make_reads_every_escaped_name_back(void **state)
{
    (void)state;
    test_need_tool("make", "make");
    char *dir = project("depfile-make");
    char *err;
    assert_int_equal(run_in(dir, NULL, &err, "sh build.sh"), 0);
    assert_string_equal(err, "");
    free(err);
    free(test_put(dir, "Makefile", "-include x.d\n%.svg:\n\ttouch rebuilt\n"));

    /* Older inputs: up to date. A name read wrongly would be a missing prerequisite. */
    set_time(dir, MAP_NAME, 1000000000);
    set_time(dir, MODEL_NAME, 1000000000);
    set_time(dir, OUT_NAME, 1500000000);
    assert_int_equal(run_in(dir, NULL, &err, "make"), 0);
    assert_false(exists_in(dir, "rebuilt"));
    free(err);

    /* A newer model file, then a newer map: each makes Make rebuild. */
    static const char *const inputs[] = {MODEL_NAME, MAP_NAME};
    for (int i = 0; i < 2; i++) {
        set_time(dir, inputs[i], 2000000000);
        assert_int_equal(run_in(dir, NULL, &err, "make"), 0);
        assert_true(exists_in(dir, "rebuilt"));
        free(err);
        assert_int_equal(run_in(dir, NULL, NULL, "rm rebuilt"), 0);
        set_time(dir, inputs[i], 1000000000);
    }
    /* Make's own database names the target and both prerequisites. */
    char *out;
    run_in(dir, &out, NULL, "make -pq");
    assert_non_null(strstr(out, "\n" OUT_NAME ": " MAP_NAME " " MODEL_NAME "\n"));
    free(out);
    free(dir);
}

static void ninja_reads_every_escaped_name_back(void **state)
{
    (void)state;
    test_need_tool("ninja", "ninja-build");
    char *dir = project("depfile-ninja");
    free(test_put(dir, "build.ninja",
                  "rule jmap\n  command = sh build.sh\n  depfile = x.d\n  deps = gcc\n"
                  "build out/a$ b#c$$d$:e.svg: jmap\n"));
    char *out, *err;
    assert_int_equal(run_in(dir, &out, &err, "ninja"), 0);
    free(out);
    free(err);
    assert_int_equal(run_in(dir, &out, NULL, "ninja -t deps"), 0);
    assert_non_null(strstr(out, OUT_NAME ": #deps 2"));
    assert_non_null(strstr(out, "\n    " MAP_NAME "\n"));
    assert_non_null(strstr(out, "\n    " MODEL_NAME "\n"));
    free(out);
    assert_int_equal(run_in(dir, &out, NULL, "ninja -n"), 0);
    assert_non_null(strstr(out, "no work to do"));
    free(out);
    set_time(dir, MODEL_NAME, 2000000000);
    assert_int_equal(run_in(dir, &out, NULL, "ninja -n"), 0);
    assert_null(strstr(out, "no work to do"));
    free(out);
    free(dir);
}

/* The map (or its model file) has a name that would add a recipe to the Makefile: jmap refuses
 * it with status 2 and writes nothing, and Make, which has no depfile to read, runs nothing. */
static void refused(const char *dir, const char *map, const char *shown)
{
    char *err;
    char *cmd = jmap_xprintf("'%s' build '%s' -o out.svg --depfile x.d", JMAP_BINARY, map);
    assert_int_equal(run_in(dir, NULL, &err, cmd), 2);
    free(cmd);
    assert_non_null(strstr(err, "[unsafe-depfile-name]"));
    assert_non_null(strstr(err, shown));
    assert_null(strchr(err, '\t'));
    free(err);
    assert_false(exists_in(dir, "x.d"));
    assert_false(exists_in(dir, "out.svg"));
    free(test_put(dir, "Makefile", "-include x.d\n"));
    run_in(dir, NULL, NULL, "make");
    assert_false(exists_in(dir, "PWNED"));
}

static void a_name_that_would_add_a_recipe_is_refused(void **state)
{
    (void)state;
    test_need_tool("make", "make"); /* it shows that Make, reading the project, runs nothing */
    char *dir = test_tmpdir("depfile-hostile");
    free(test_put(dir, "m.yaml", "decoy\n"));
    free(test_put(dir, MODEL_NAME, model_text));
    char *text = map_text(MODEL_NAME);
    free(test_put(dir, "m.yaml\n\ttouch${IFS}PWNED", text));
    free(text);
    set_time(dir, "m.yaml", 2000000000);
    refused(dir, "m.yaml\n\ttouch${IFS}PWNED", "m.yaml\\x0a\\x09touch${IFS}PWNED");

    /* The same through the model file's name, which the map chooses: ';' starts a recipe. */
    free(test_put(dir, "m", ""));
    set_time(dir, "m", 2000000000);
    free(test_put(dir, "m;touch PWNED;.yaml", model_text));
    text = map_text("m;touch PWNED;.yaml");
    free(test_put(dir, "map.yaml", text));
    free(text);
    refused(dir, "map.yaml", "'m;touch PWNED;.yaml'");
    free(dir);
}

/* Everything else Make or Ninja would read as something else is refused too; a newline and a
 * tab each on its own (the hostile name above holds both). */
static void names_make_or_ninja_cannot_read_are_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("depfile-unreadable");
    free(test_put(dir, MODEL_NAME, model_text));
    char *text = map_text(MODEL_NAME);
    char *map = test_put(dir, "map.yaml", text);
    free(text);
    static const char *const outputs[] = {"a=b.svg", "a|b.svg", "a%b.svg", "a*b.svg",
                                          "a(b).svg", "a\\b.svg", "a'b.svg", "~a.svg",
                                          "a\rb.svg", "a\nb.svg", "a\tb.svg"};
    for (size_t i = 0; i < sizeof outputs / sizeof outputs[0]; i++) {
        char *err;
        char *cmd = jmap_xprintf("'%s' build map.yaml -o \"%s\" --depfile x.d", JMAP_BINARY,
                                 outputs[i]);
        assert_int_equal(run_in(dir, NULL, &err, cmd), 2);
        assert_non_null(strstr(err, "[unsafe-depfile-name]"));
        free(cmd);
        free(err);
    }
    assert_false(exists_in(dir, "x.d"));
    /* Fine without a depfile. */
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s/a=b.svg'", map, dir), 0);
    free(map);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(make_reads_every_escaped_name_back),
        cmocka_unit_test(ninja_reads_every_escaped_name_back),
        cmocka_unit_test(a_name_that_would_add_a_recipe_is_refused),
        cmocka_unit_test(names_make_or_ninja_cannot_read_are_refused),
    };
    return cmocka_run_group_tests_name("depfile", tests, NULL, NULL);
}
