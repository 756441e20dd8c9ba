/* The jmap program itself, run as a user or a CI job would run it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "support.h"

static const char valid_map[] = "title: Test journey\n" TEST_VALID_MAP_BODY;

static const char invalid_map[] =
    "title: Broken\n"
    "model: classic\n"
    "personas:\n"
    "  - {id: ana, name: Ana}\n"
    "touchpoints:\n"
    "  - stage: considration\n"
    "    name: Reviews\n";

static char *write_map(const char *dir, const char *name, const char *text)
{
    char *path = jmap_xprintf("%s/%s", dir, name);
    test_write_file(path, text, strlen(text));
    return path;
}

static void version_and_help_exit_zero(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(test_jmap(&out, NULL, "--version"), 0);
    assert_non_null(strstr(out, "jmap 0."));
    free(out);
    assert_int_equal(test_jmap(&out, NULL, "--help"), 0);
    assert_non_null(strstr(out, "exit status"));
    assert_non_null(strstr(out, "build"));
    free(out);
}

static void usage_errors_exit_two(void **state)
{
    (void)state;
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "%s", ""), 2);
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "frobnicate"), 2);
    assert_non_null(strstr(err, "unknown command 'frobnicate'"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "build x.yaml -o x.svg -f gif"), 2);
    assert_non_null(strstr(err, "unknown output format 'gif'"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "build x.yaml -o x.bmp"), 2);
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check --bogus x.yaml"), 2);
    assert_non_null(strstr(err, "--bogus"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check"), 2);
    free(err);
}

static void check_accepts_a_valid_map_silently(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-valid");
    char *map = write_map(dir, "ok.yaml", valid_map);
    char *out, *err;
    assert_int_equal(test_jmap(&out, &err, "check --werror '%s'", map), 0);
    assert_string_equal(out, "");
    assert_string_equal(err, "");
    free(out);
    free(err);
    free(map);
    free(dir);
}

static void check_reports_errors_like_a_compiler(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-invalid");
    char *map = write_map(dir, "bad.yaml", invalid_map);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "check '%s'", map), 1);
    char *want = jmap_xprintf("%s:6:12: error: unknown stage 'considration'; did you mean "
                              "'consideration'? [unknown-stage]\n"
                              "    6 |   - stage: considration\n"
                              "      |            ^~~~~~~~~~~~\n",
                              map);
    assert_non_null(strstr(err, want));
    assert_null(strstr(err, "\033["));
    free(want);
    free(err);
    /* Colour only when asked for (the tests run with NO_COLOR set). */
    assert_int_equal(test_jmap(NULL, &err, "check --color=always '%s'", map), 1);
    assert_non_null(strstr(err, "\033["));
    free(err);
    free(map);
    free(dir);
}

static void check_takes_many_files_and_exits_with_the_worst(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-many");
    char *good = write_map(dir, "good.yaml", valid_map);
    char *bad = write_map(dir, "bad.yaml", invalid_map);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "check '%s' '%s'", good, bad), 1);
    assert_non_null(strstr(err, "bad.yaml:6:12"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check '%s' '%s/missing.yaml'", bad, dir), 3);
    assert_non_null(strstr(err, "missing.yaml"));
    free(err);
    free(good);
    free(bad);
    free(dir);
}

static void werror_turns_warnings_into_errors(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-werror");
    /* Two stages without touchpoints and a persona in no touchpoint: warnings only. */
    char *map = write_map(dir, "warn.yaml",
                          "title: Warnings\n"
                          "stages:\n"
                          "  - {id: one, kpis: [{name: A}]}\n"
                          "  - {id: two, kpis: [{name: B}]}\n"
                          "personas:\n"
                          "  - {id: ana, name: Ana}\n"
                          "  - {id: bo, name: Bo}\n"
                          "touchpoints:\n"
                          "  - {stage: one, persona: ana, name: Visit}\n");
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "check '%s'", map), 0);
    assert_non_null(strstr(err, "warning:"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check --werror '%s'", map), 1);
    assert_null(strstr(err, "warning:"));
    assert_non_null(strstr(err, "error:"));
    free(err);
    free(map);
    free(dir);
}

static void max_errors_caps_the_list_and_says_how_many_more(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-max-errors");
    char *text = jmap_xstrdup("title: Many\nmodel: classic\npersonas: [{id: a, name: A}]\n"
                              "touchpoints:\n");
    for (int i = 0; i < 30; i++) {
        char *more = jmap_xprintf("%s  - {stage: nowhere%d, name: T}\n", text, i);
        free(text);
        text = more;
    }
    char *map = write_map(dir, "many.yaml", text);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "check --max-errors 5 '%s'", map), 1);
    size_t errors = 0;
    for (const char *p = err; (p = strstr(p, ": error: ")); p++)
        errors++;
    assert_int_equal(errors, 5);
    assert_non_null(strstr(err, "more diagnostics not shown"));
    free(err);
    free(map);
    free(text);
    free(dir);
}

static void stages_lists_and_describes_the_built_in_models(void **state)
{
    (void)state;
    static const char *const ids[] = {"classic",    "three-stage", "classic-5",
                                      "five-phase", "hubspot",     "aida",
                                      "mckinsey-cdj", "see-think-do-care", "five-a",
                                      "aarrr",      "b2b-buying"};
    char *out, *err;
    assert_int_equal(test_jmap(&out, NULL, "stages"), 0);
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        assert_non_null(strstr(out, ids[i]));
    free(out);
    assert_int_equal(test_jmap(&out, NULL, "stages b2b-buying"), 0);
    assert_non_null(strstr(out, "consensus-creation"));
    free(out);
    assert_int_equal(test_jmap(NULL, &err, "stages clasic"), 2);
    assert_non_null(strstr(err, "did you mean 'classic'?"));
    free(err);
}

static void new_writes_a_starter_map_that_passes_check(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-new");
    char *err;
    assert_int_equal(test_jmap(NULL, NULL, "new --model aarrr -o '%s/start.yaml'", dir), 0);
    assert_int_equal(test_jmap(NULL, &err, "check --werror '%s/start.yaml'", dir), 0);
    assert_string_equal(err, "");
    free(err);
    /* An existing file is not replaced without --force. */
    assert_int_equal(test_jmap(NULL, &err, "new --model classic -o '%s/start.yaml'", dir), 3);
    assert_non_null(strstr(err, "--force"));
    free(err);
    assert_int_equal(test_jmap(NULL, NULL, "new --model classic --force -o '%s/start.yaml'", dir), 0);
    char *out;
    assert_int_equal(test_jmap(&out, NULL, "new --model hubspot"), 0);
    assert_non_null(strstr(out, "model: hubspot"));
    free(out);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_and_help_exit_zero),
        cmocka_unit_test(usage_errors_exit_two),
        cmocka_unit_test(check_accepts_a_valid_map_silently),
        cmocka_unit_test(check_reports_errors_like_a_compiler),
        cmocka_unit_test(check_takes_many_files_and_exits_with_the_worst),
        cmocka_unit_test(werror_turns_warnings_into_errors),
        cmocka_unit_test(max_errors_caps_the_list_and_says_how_many_more),
        cmocka_unit_test(stages_lists_and_describes_the_built_in_models),
        cmocka_unit_test(new_writes_a_starter_map_that_passes_check),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
