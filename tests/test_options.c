/* Mistyped commands and options (src/cli/options.c, src/cli/main.c): each is a usage error,
 * status 2, that names the nearest command or option, or the command an option belongs to,
 * points at that command's help, and prints nothing on standard output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

typedef struct usage_case {
    const char *args, *err;
} usage_case;

static void expect_usage_errors(const usage_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *out, *err;
        int status = test_jmap(&out, &err, "%s", cases[i].args);
        if (status != 2 || *out || strcmp(err, cases[i].err) != 0)
            fail_msg("jmap %s: status %d\nstdout: %s\nstderr: %s\nwant: %s", cases[i].args, status,
                     out, err, cases[i].err);
        free(out);
        free(err);
    }
}

static void a_mistyped_command_gets_the_nearest_one(void **state)
{
    (void)state;
    static const usage_case cases[] = {
        {"biuld map.yaml", "jmap: unknown command 'biuld'; did you mean 'build'?\n"
                           "try 'jmap --help'\n"},
        {"chek map.yaml", "jmap: unknown command 'chek'; did you mean 'check'?\n"
                          "try 'jmap --help'\n"},
        {"stage", "jmap: unknown command 'stage'; did you mean 'stages'?\n"
                  "try 'jmap --help'\n"},
        {"hlep", "jmap: unknown command 'hlep'; did you mean 'help'?\ntry 'jmap --help'\n"},
        {"frobnicate", "jmap: unknown command 'frobnicate'\ntry 'jmap --help'\n"},
        {"--verison", "jmap: unknown option '--verison'; did you mean '--version'?\n"
                      "try 'jmap --help'\n"},
        {"-x", "jmap: unknown option '-x'\ntry 'jmap --help'\n"},
    };
    expect_usage_errors(cases, sizeof cases / sizeof cases[0]);
}

static void a_mistyped_long_option_gets_the_nearest_one_of_its_command(void **state)
{
    (void)state;
    static const usage_case cases[] = {
        {"build map.yaml --ouput map.svg",
         "jmap: build: unknown option '--ouput'; did you mean '--output'?\n"
         "try 'jmap help build'\n"},
        {"build map.yaml -o x.svg --wererror",
         "jmap: build: unknown option '--wererror'; did you mean '--werror'?\n"
         "try 'jmap help build'\n"},
        {"check --diagnotsics=json map.yaml",
         "jmap: check: unknown option '--diagnotsics=json'; did you mean '--diagnostics'?\n"
         "try 'jmap help check'\n"},
        {"new --modle hubspot", "jmap: new: unknown option '--modle'; did you mean '--model'?\n"
                                "try 'jmap help new'\n"},
        /* nothing near: no guess */
        {"check --frobnicate map.yaml", "jmap: check: unknown option '--frobnicate'\n"
                                        "try 'jmap help check'\n"},
        /* near an option of another command only */
        {"check --ouput x map.yaml",
         "jmap: check: unknown option '--ouput'; did you mean '--output' (an option of "
         "'build')?\n"
         "try 'jmap help check'\n"},
    };
    expect_usage_errors(cases, sizeof cases / sizeof cases[0]);
}

static void an_option_of_another_command_names_that_command(void **state)
{
    (void)state;
    static const usage_case cases[] = {
        {"check -o x map.yaml",
         "jmap: check: '-o' is an option of 'build', 'new' and 'import', not of 'check'\n"
         "try 'jmap help check'\n"},
        {"check --format json map.yaml",
         "jmap: check: '--format' is an option of 'build', not of 'check'\n"
         "try 'jmap help check'\n"},
        {"new --werror", "jmap: new: '--werror' is an option of 'build', 'check' and 'import', "
                         "not of 'new'\n"
                         "try 'jmap help new'\n"},
        {"stages --model classic",
         "jmap: stages: '--model' is an option of 'new', not of 'stages'\n"
         "try 'jmap help stages'\n"},
        {"check --version", "jmap: check: '--version' is an option of jmap itself: 'jmap "
                            "--version'\n"
                            "try 'jmap help check'\n"},
    };
    expect_usage_errors(cases, sizeof cases / sizeof cases[0]);
}

static void short_option_typos_get_a_guess_where_one_is_likely(void **state)
{
    (void)state;
    static const usage_case cases[] = {
        /* the other case is an option of this command */
        {"build map.yaml -F svg -O out", "jmap: build: unknown option '-F'; did you mean '-f'?\n"
                                         "try 'jmap help build'\n"},
        {"new -O x.yaml", "jmap: new: unknown option '-O'; did you mean '-o'?\n"
                          "try 'jmap help new'\n"},
        /* a long option after one dash: getopt would read it as -q -u -i -e -t */
        {"check -quiet map.yaml",
         "jmap: check: unknown option '-u' in '-quiet'; did you mean '--quiet'?\n"
         "try 'jmap help check'\n"},
        /* ...or as -o with the value "utput", and x.svg as a map */
        {"build map.yaml -output x.svg",
         "jmap: build: '-output' reads as '-o utput'; did you mean '--output'?\n"
         "try 'jmap help build'\n"},
        {"new -model hubspot", "jmap: new: '-model' reads as '-m odel'; did you mean '--model'?\n"
                               "try 'jmap help new'\n"},
        {"check -z map.yaml", "jmap: check: unknown option '-z'\ntry 'jmap help check'\n"},
    };
    expect_usage_errors(cases, sizeof cases / sizeof cases[0]);
}

static void values_missing_or_unexpected_and_ambiguous_abbreviations(void **state)
{
    (void)state;
    static const usage_case cases[] = {
        {"build map.yaml --output", "jmap: build: option '--output' needs a value\n"
                                    "try 'jmap help build'\n"},
        {"build map.yaml -o", "jmap: build: option '-o' needs a value\n"
                              "try 'jmap help build'\n"},
        {"check map.yaml --max-err", "jmap: check: option '--max-errors' needs a value\n"
                                     "try 'jmap help check'\n"},
        {"check --werror=yes map.yaml", "jmap: check: option '--werror' takes no value\n"
                                        "try 'jmap help check'\n"},
        {"new --force=1", "jmap: new: option '--force' takes no value\n"
                          "try 'jmap help new'\n"},
        {"build map.yaml --out x",
         "jmap: build: option '--out' is ambiguous; it could be '--output' or '--out-dir'\n"
         "try 'jmap help build'\n"},
        {"check --max-s 3 map.yaml",
         "jmap: check: option '--max-s' is ambiguous; it could be '--max-string' or "
         "'--max-stages'\n"
         "try 'jmap help check'\n"},
    };
    expect_usage_errors(cases, sizeof cases / sizeof cases[0]);
}

/* What getopt accepts stays accepted: abbreviations, '=' values, clusters, a value glued to
 * its short option that is a file name, and '--' before a map named like an option. */
static void what_is_right_is_not_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("options-right");
    char *map = test_put(dir, "map.yaml", "title: T\n" TEST_VALID_MAP_BODY);
    free(test_put(dir, "-quiet.yaml", "title: T\n" TEST_VALID_MAP_BODY));
    char *in_dir = jmap_xprintf("cd '%s' && ", dir);
    static const char *const args[] = {
        "check --werr --diagnostics=json map.yaml",
        "check -q map.yaml",
        "build -qoout.svg map.yaml",
        "build map.yaml -opage.svg",
        "build map.yaml -Oout -fsvg",
        "check -- -quiet.yaml",
        "new -mhubspot -o new.yaml",
    };
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
        char *out, *err;
        int status = test_jmap_as(in_dir, &out, &err, "%s", args[i]);
        if (status != 0 || *err)
            fail_msg("jmap %s: status %d\nstderr: %s", args[i], status, err);
        free(out);
        free(err);
    }
    char *svg = jmap_xprintf("%s/out.svg", dir);
    free(test_read_file(svg, NULL));
    free(svg);
    free(in_dir);
    free(map);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_mistyped_command_gets_the_nearest_one),
        cmocka_unit_test(a_mistyped_long_option_gets_the_nearest_one_of_its_command),
        cmocka_unit_test(an_option_of_another_command_names_that_command),
        cmocka_unit_test(short_option_typos_get_a_guess_where_one_is_likely),
        cmocka_unit_test(values_missing_or_unexpected_and_ambiguous_abbreviations),
        cmocka_unit_test(what_is_right_is_not_refused),
    };
    return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
