/* The jmap program itself, run as a user or a CI job would run it. */
#define _XOPEN_SOURCE 700 /* posix_openpt */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
    /* No colour into a pipe, even with NO_COLOR unset (the tests run with it set)... */
    assert_int_equal(test_jmap_as("env -u NO_COLOR ", NULL, &err, "check '%s'", map), 1);
    assert_non_null(strstr(err, "[unknown-stage]"));
    assert_null(strstr(err, "\033["));
    free(err);
    /* ...unless asked for. */
    assert_int_equal(test_jmap(NULL, &err, "check --color=always '%s'", map), 1);
    assert_non_null(strstr(err, "\033["));
    free(err);
    free(map);
    free(dir);
}

/* ---- colour on a terminal ----------------------------------------------------------------- */

#define PTY_WAIT_MS 30000

/* Run jmap with `args` (NULL-terminated) with standard output and error on a new
 * pseudo-terminal, NO_COLOR set to `no_color` or unset when NULL; returns the exit status and
 * what the terminal showed. A child still running after PTY_WAIT_MS is killed and fails. */
static int jmap_on_tty(const char *no_color, char **shown, const char *const *args)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    char *slave = jmap_xstrdup(ptsname(master));
    const char *argv[16] = {"jmap"};
    size_t n = 1;
    for (; args[n - 1]; n++) {
        assert_true(n < 15);
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(master);
        setsid();
        int tty = open(slave, O_RDWR);
        int null = open("/dev/null", O_RDONLY);
        if (tty < 0 || null < 0 || dup2(null, 0) < 0 || dup2(tty, 1) < 0 || dup2(tty, 2) < 0)
            _exit(127);
        if (no_color ? setenv("NO_COLOR", no_color, 1) : unsetenv("NO_COLOR"))
            _exit(127);
        execv(JMAP_BINARY, (char *const *)argv);
        _exit(127);
    }
    free(slave);
    char *buf = NULL;
    size_t len = 0, cap = 0;
    /* Read until the child has closed the terminal: Linux then reports EIO. */
    for (;;) {
        struct pollfd p = {.fd = master, .events = POLLIN};
        int ready = poll(&p, 1, PTY_WAIT_MS);
        if (ready == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            close(master);
            free(buf);
            fail_msg("jmap did not finish on the terminal within %d ms", PTY_WAIT_MS);
        }
        if (ready < 0 && errno == EINTR)
            continue;
        buf = jmap_xgrow(buf, &cap, len + 4097, 1);
        ssize_t got = read(master, buf + len, 4096);
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    close(master);
    buf[len] = '\0';
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    *shown = buf;
    return WEXITSTATUS(status);
}

/* What a terminal shows for `jmap check [--color=...] map`: the diagnostics, coloured or not. */
static bool coloured(const char *no_color, const char *color_opt, const char *map)
{
    const char *with[] = {"check", color_opt, map, NULL};
    const char *without[] = {"check", map, NULL};
    char *shown;
    assert_int_equal(jmap_on_tty(no_color, &shown, color_opt ? with : without), 1);
    assert_non_null(strstr(shown, "[unknown-stage]"));
    bool colour = strstr(shown, "\033[") != NULL;
    free(shown);
    return colour;
}

/* --color auto colours a terminal unless NO_COLOR is set to something (no-color.org: an empty
 * value does not count); --color always and never override NO_COLOR either way. */
static void a_terminal_gets_colour_unless_no_color_is_set(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-tty");
    char *map = write_map(dir, "bad.yaml", invalid_map);
    assert_true(coloured(NULL, NULL, map));
    assert_true(coloured(NULL, "--color=auto", map));
    assert_false(coloured("1", NULL, map));
    assert_false(coloured("1", "--color=auto", map));
    assert_true(coloured("", NULL, map));
    assert_true(coloured("1", "--color=always", map));
    assert_false(coloured(NULL, "--color=never", map));
    assert_false(coloured("", "--color=never", map));

    /* build prints its diagnostics the same way. */
    const char *build[] = {"build", map, "-o", "/dev/null", "-f", "svg", NULL};
    char *shown;
    assert_int_equal(jmap_on_tty(NULL, &shown, build), 1);
    assert_non_null(strstr(shown, "\033["));
    free(shown);
    assert_int_equal(jmap_on_tty("1", &shown, build), 1);
    assert_non_null(strstr(shown, "[unknown-stage]"));
    assert_null(strstr(shown, "\033["));
    free(shown);
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
        cmocka_unit_test(a_terminal_gets_colour_unless_no_color_is_set),
        cmocka_unit_test(check_takes_many_files_and_exits_with_the_worst),
        cmocka_unit_test(werror_turns_warnings_into_errors),
        cmocka_unit_test(max_errors_caps_the_list_and_says_how_many_more),
        cmocka_unit_test(stages_lists_and_describes_the_built_in_models),
        cmocka_unit_test(new_writes_a_starter_map_that_passes_check),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
