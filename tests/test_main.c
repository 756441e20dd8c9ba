/* The binary's front door (src/cli/main.c): help and version under each spelling, and output
 * that cannot be written is status 3, never success. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void help_and_version_answer_every_spelling(void **state)
{
    (void)state;
    static const struct {
        const char *args, *out;
    } cases[] = {
        {"-h", "usage: jmap <command> [options] [MAP...]\n"},
        {"--help", "usage: jmap <command> [options] [MAP...]\n"},
        {"help", "usage: jmap <command> [options] [MAP...]\n"},
        {"help build", "usage: jmap build [options] MAP -o OUT\n"},
        {"--help check", "usage: jmap check [options] MAP...\n"},
        {"new --help", "usage: jmap new [--model ID] [-o FILE] [--force]\n"},
        {"-V", "jmap " JMAP_VERSION " (map format version 1)\n"},
        {"--version", "jmap " JMAP_VERSION " (map format version 1)\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out, *err;
        int status = test_jmap(&out, &err, "%s", cases[i].args);
        if (status != 0 || strncmp(out, cases[i].out, strlen(cases[i].out)) != 0 || *err)
            fail_msg("jmap %s: status %d\nstdout: %s\nstderr: %s", cases[i].args, status, out,
                     err);
        free(out);
        free(err);

        /* the same to a full disk: an I/O error, and nothing claims success */
        status = test_jmap(NULL, &err, "%s >/dev/full", cases[i].args);
        if (status != 3)
            fail_msg("jmap %s >/dev/full: status %d, stderr '%s'", cases[i].args, status, err);
        free(err);
    }
}

static void no_command_or_an_unknown_one_is_a_usage_error(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_jmap(&out, &err, "%s", ""), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "no command given"));
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "biuld map.yaml"), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "unknown command 'biuld'"));
    free(out);
    free(err);
}

/* A map drawn to a standard output that cannot take it is status 3; a command that printed
 * nothing there is not failed by it. */
static void a_command_that_printed_to_a_full_disk_is_status_3(void **state)
{
    (void)state;
    char *dir = test_tmpdir("main-full");
    char *map = test_put(dir, "map.yaml", "title: T\n" TEST_VALID_MAP_BODY);
    char *err;
    /* the map is drawn to standard output, which cannot take it */
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o - -f svg >/dev/full", map), 3);
    free(err);
    /* a clean check prints nothing: a full standard output does not matter */
    assert_int_equal(test_jmap(NULL, &err, "check '%s' >/dev/full", map), 0);
    assert_string_equal(err, "");
    free(err);
    free(map);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_and_version_answer_every_spelling),
        cmocka_unit_test(no_command_or_an_unknown_one_is_a_usage_error),
        cmocka_unit_test(a_command_that_printed_to_a_full_disk_is_status_3),
    };
    return cmocka_run_group_tests_name("main", tests, NULL, NULL);
}
