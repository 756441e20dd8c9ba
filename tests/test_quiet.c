/* -q/--quiet for build and check: errors only on standard error (no warnings, notes or
 * progress lines), while the machine formats stay complete. Through the real binary. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* Four warnings (stages without a KPI or a touchpoint), no error. */
static const char warned_map[] = "title: Warned\n"
                                 "model: three-stage\n"
                                 "personas:\n"
                                 "  - {id: ana, name: Ana}\n"
                                 "touchpoints:\n"
                                 "  - {stage: pre-purchase, name: Search, emotion: 1}\n"
                                 "  - {stage: purchase, name: Checkout, emotion: -1}\n";

/* Five warnings and three errors. */
static const char broken_map[] = "title: Broken\n"
                                 "model: three-stage\n"
                                 "personas:\n"
                                 "  - {id: ana, name: Ana}\n"
                                 "touchpoints:\n"
                                 "  - {stage: pre-purchase, name: Search, emotion: 1}\n"
                                 "  - {stage: purchse, name: Checkout, emotion: -1}\n"
                                 "  - {stage: purchse, name: Pay, emotion: -1}\n"
                                 "  - {stage: purchse, name: Ship, emotion: -1}\n";

static char *dir, *warned, *broken;

static int setup(void **state)
{
    (void)state;
    dir = test_tmpdir("quiet");
    warned = test_put(dir, "warned.yaml", warned_map);
    broken = test_put(dir, "broken.yaml", broken_map);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(warned);
    free(broken);
    free(dir);
    return 0;
}

static size_t count(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static void check_quiet_prints_errors_only(void **state)
{
    (void)state;
    static const char *const spellings[] = {"-q", "--quiet"};
    for (size_t i = 0; i < 2; i++) {
        char *out, *err, *loud;
        /* warnings only: silence, and success */
        assert_int_equal(test_jmap(NULL, &loud, "check '%s'", warned), 0);
        assert_int_equal(count(loud, ": warning: "), 4);
        assert_int_equal(test_jmap(&out, &err, "check %s '%s'", spellings[i], warned), 0);
        assert_string_equal(out, "");
        assert_string_equal(err, "");
        free(out);
        free(err);
        free(loud);
        /* errors among warnings: every error, with its excerpt, and nothing else */
        assert_int_equal(test_jmap(NULL, &loud, "check '%s'", broken), 1);
        assert_int_equal(test_jmap(&out, &err, "check %s '%s'", spellings[i], broken), 1);
        assert_int_equal(count(err, ": warning: "), 0);
        assert_int_equal(count(err, ": error: "), 3);
        assert_int_equal(count(err, "|             ^~~~~~~\n"), 3);
        assert_int_equal(count(loud, ": error: "), 3);
        assert_int_equal(count(loud, ": warning: "), 4); /* no follow-on warning about 'purchase' */
        assert_non_null(strstr(err, ":7:13: error: unknown stage 'purchse'; did you mean "
                                    "'purchase'? [unknown-stage]\n"));
        free(out);
        free(err);
        free(loud);
    }
}

static void under_werror_warnings_are_errors_and_printed(void **state)
{
    (void)state;
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "check -q --werror '%s'", warned), 1);
    assert_int_equal(count(err, ": error: "), 4);
    assert_non_null(strstr(err, "error: stage 'post-purchase' has no touchpoint"));
    free(err);
}

static void the_errors_past_max_errors_are_counted_not_the_warnings(void **state)
{
    (void)state;
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "check --max-errors 1 '%s'", broken), 1);
    assert_non_null(strstr(err, ": note: 5 more diagnostics not shown (see --max-errors)\n"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check -q --max-errors 1 '%s'", broken), 1);
    assert_int_equal(count(err, ": error: "), 1);
    assert_int_equal(count(err, ": warning: "), 0);
    assert_non_null(strstr(err, ": note: 2 more errors not shown (see --max-errors)\n"));
    free(err);
}

/* json, github and sarif are read by tools that filter by level themselves; a SARIF log
 * without its warnings would close their alerts. -q leaves them whole. */
static void machine_formats_stay_complete(void **state)
{
    (void)state;
    static const char *const formats[] = {"json", "github", "sarif"};
    for (size_t i = 0; i < 3; i++) {
        char *out, *err, *quiet_out, *quiet_err;
        int status =
            test_jmap(&out, &err, "check --diagnostics %s '%s' '%s'", formats[i], warned, broken);
        int quiet = test_jmap(&quiet_out, &quiet_err, "check -q --diagnostics %s '%s' '%s'",
                              formats[i], warned, broken);
        assert_int_equal(status, 1);
        assert_int_equal(quiet, 1);
        assert_string_equal(quiet_err, err);
        /* every diagnostic is there (a SARIF log may record the command line as well) */
        static const char *const codes[] = {"stage-without-kpis", "stage-without-touchpoints",
                                            "unknown-stage", "purchse"};
        for (size_t c = 0; c < 4; c++) {
            if (count(quiet_out, codes[c]) != count(out, codes[c]) || !count(out, codes[c]))
                fail_msg("--diagnostics %s: '%s' %zu times with -q, %zu without", formats[i],
                         codes[c], count(quiet_out, codes[c]), count(out, codes[c]));
        }
        if (i < 2) /* json and github: nothing but the diagnostics, so the same bytes */
            assert_string_equal(quiet_out, out);
        free(out);
        free(err);
        free(quiet_out);
        free(quiet_err);
    }
}

static void build_quiet_draws_and_prints_nothing_but_errors(void **state)
{
    (void)state;
    char *out_svg = jmap_xprintf("%s/warned.svg", dir);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s'", warned, out_svg), 0);
    assert_int_equal(count(err, ": warning: "), 4);
    free(err);
    remove(out_svg);
    assert_int_equal(test_jmap(NULL, &err, "build --quiet '%s' -o '%s'", warned, out_svg), 0);
    assert_string_equal(err, "");
    free(err);
    free(test_read_file(out_svg, NULL)); /* drawn all the same */
    assert_int_equal(test_jmap(NULL, &err, "build -q '%s' -O '%s'", broken, dir), 1);
    assert_int_equal(count(err, ": error: "), 3);
    assert_int_equal(count(err, ": warning: "), 0);
    free(err);
    /* a map from standard input */
    assert_int_equal(test_jmap(NULL, &err, "build -q - -o '%s' < '%s'", out_svg, warned), 0);
    assert_string_equal(err, "");
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check -q - < '%s'", broken), 1);
    assert_non_null(strstr(err, "<stdin>:7:13: error: unknown stage 'purchse'"));
    assert_int_equal(count(err, ": warning: "), 0);
    free(err);
    free(out_svg);
}

/* --watch prints a time-stamped line after each build and when it stops; -q drops them. The
 * watcher is stopped with SIGINT once it has drawn (waiting at most 30 s for that). */
static void watch_quiet_prints_no_progress_lines(void **state)
{
    (void)state;
    static const char *const flags[] = {"", "-q"};
    for (size_t i = 0; i < 2; i++) {
        char *out_svg = jmap_xprintf("%s/watched-%zu.svg", dir, i);
        char *cmd = jmap_xprintf(
            "'%s' build --watch %s '%s' -o '%s' & pid=$!; "
            "n=0; while [ ! -f '%s' ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n+1)); done; "
            "kill -INT $pid; wait $pid",
            JMAP_BINARY, flags[i], warned, out_svg, out_svg);
        char *err;
        assert_int_equal(test_run(cmd, NULL, &err), 0);
        free(test_read_file(out_svg, NULL));
        if (i == 0) {
            assert_non_null(strstr(err, "] built; watching for changes"));
            assert_non_null(strstr(err, "] stopped\n"));
        } else {
            assert_string_equal(err, "");
        }
        free(err);
        free(cmd);
        free(out_svg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_quiet_prints_errors_only),
        cmocka_unit_test(under_werror_warnings_are_errors_and_printed),
        cmocka_unit_test(the_errors_past_max_errors_are_counted_not_the_warnings),
        cmocka_unit_test(machine_formats_stay_complete),
        cmocka_unit_test(build_quiet_draws_and_prints_nothing_but_errors),
        cmocka_unit_test(watch_quiet_prints_no_progress_lines),
    };
    return cmocka_run_group_tests_name("quiet", tests, setup, teardown);
}
