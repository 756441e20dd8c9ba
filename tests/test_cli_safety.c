/*
 * A hostile map, file name or argument, run through the real jmap in every diagnostics format:
 * nothing it prints holds a control character jmap did not put there itself, nothing reorders
 * text, every JSON document parses as UTF-8, and no GitHub workflow command can be forged.
 */
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
#include "jmap/sanitize.h"
#include "json.h"
#include "safe_text.h"
#include "support.h"

/* OSC 52 (set the clipboard), a newline, then what would be a workflow command of its own. */
#define EVIL_NAME                                                                                  \
    "map\x1b]52;c;aGk=\x07\n::error file=x,line=1::forged\xc2\x9b\n::error::pwned.yaml"

/* Values, a model name and stage ids holding ESC and C1 controls (through YAML escapes), a
 * raw bidi override, and a persona reference that is not found. */
static const char evil_model_map[] = "title: \"Journey \\e]52;c;aGk=\\a\"\n"
                                     "model: \"three-stage\\e[2J\\x9b\"\n"
                                     "personas:\n"
                                     "  - {id: \"ana\\e[31m\", name: \"Ana\\x9b\"}\n"
                                     "touchpoints:\n"
                                     "  - {stage: \"pre\\x85\", name: \"\xe2\x80\xaeSearch\"}\n";

static const char evil_stage_map[] =
    "title: Journey\n"
    "model: three-stage\n"
    "personas:\n"
    "  - {id: ana, name: \"Ana \\N\"}\n"
    "stages:\n"
    "  - {id: \"pre\\e]0;pwned\\a\", goal: \"\\u202egoal\"}\n"
    "  - {id: \"purchase\\x9b\", kpis: [{name: \"Orders\\e\", target: 1, actual: 1}]}\n"
    "touchpoints:\n"
    "  - {stage: \"purchase\\x9b\", persona: \"\\x1b[2Jana\", name: \"\\U0001F6D2\\e\"}\n"
    "  - {stage: nope, name: 'n', owner: \"\\r::error::x\"}\n";

static const char *const formats[] = {"text", "json", "sarif", "github"};

/* Valid UTF-8; no byte below 0x20 but newline, no DEL, no C1, no bidi or invisible control. */
static void assert_safe(const char *what, const char *s)
{
    size_t len = strlen(s), at = test_first_unsafe(s, len);
    if (at < len)
        fail_msg("%s: unsafe byte 0x%02x at offset %zu", what, (unsigned char)s[at], at);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (const char *p = s; (p = strchr(p, '\n')); p++)
        n++;
    return n;
}

/* Every line that starts with "::" is one of jmap's annotations, and there is one per
 * diagnostic: as many as JSON lines for the same run. */
static void assert_no_forged_commands(const char *what, const char *s, bool github,
                                      size_t n_diags)
{
    size_t commands = 0;
    for (const char *line = s; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len >= 2 && line[0] == ':' && line[1] == ':') {
            if (!github)
                fail_msg("%s: a line starts with '::': %.*s", what, (int)len, line);
            if (strncmp(line, "::error file=", 13) != 0 &&
                strncmp(line, "::warning file=", 15) != 0 &&
                strncmp(line, "::notice file=", 14) != 0)
                fail_msg("%s: not one of jmap's annotations: %.*s", what, (int)len, line);
            /* the message starts after the first "::" past the properties */
            const char *props_end = strstr(line + 2, "::");
            assert_non_null(props_end);
            assert_true(props_end < line + len);
            commands++;
        } else if (github) {
            fail_msg("%s: a line in github mode that is not a command: %.*s", what, (int)len,
                     line);
        }
        line += len + (nl ? 1 : 0);
    }
    if (github)
        assert_int_equal(commands, n_diags);
}

/* Runs `jmap <cmd> --diagnostics <fmt> <args>` and checks both streams. Machine-readable
 * diagnostics go to standard output, or to standard error when the drawing goes to standard
 * output (`-o -`). */
static void run_all_formats(const char *cmd, const char *args, size_t min_diags, bool to_stderr)
{
    size_t n_json = 0;
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        char *std_out = NULL, *std_err = NULL;
        int status =
            test_jmap(&std_out, &std_err, "%s --diagnostics %s %s", cmd, formats[f], args);
        char *what = jmap_xprintf("jmap %s --diagnostics %s %s", cmd, formats[f], args);
        assert_int_equal(status, 1);
        assert_safe(what, std_out);
        assert_safe(what, std_err);
        bool text = strcmp(formats[f], "text") == 0;
        char *out = to_stderr || text ? std_err : std_out; /* the diagnostics */
        char *other = out == std_err ? std_out : std_err;
        bool github = strcmp(formats[f], "github") == 0;
        assert_no_forged_commands(what, out, github, n_json);
        assert_no_forged_commands(what, other, false, 0);
        assert_string_equal(other, "");
        if (strcmp(formats[f], "json") == 0) {
            n_json = count_lines(out);
            assert_true(n_json >= min_diags);
            for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
                json *j = json_parse(line, (size_t)(nl - line));
                if (!j)
                    fail_msg("%s: a line is not JSON: %.*s", what, (int)(nl - line), line);
                assert_non_null(strstr(json_str(j, "file"), "\\x1b]52;c;aGk=\\x07\\x0a::error"));
                json_free(j);
            }
        }
        if (strcmp(formats[f], "sarif") == 0) {
            json *j = json_parse(out, strlen(out));
            if (!j)
                fail_msg("%s: not JSON:\n%s", what, out);
            const json *results = json_get(json_at(json_get(j, "runs"), 0), "results");
            assert_int_equal(results->n_items, n_json);
            json_free(j);
        }
        if (text) {
            /* the name is there, escaped, so the user can still tell which file it was */
            assert_non_null(strstr(out, "map\\x1b]52;c;aGk=\\x07\\x0a::error file=x,line=1::"
                                        "forged\\u009b\\x0a::error::pwned.yaml:"));
        }
        free(what);
        free(std_out);
        free(std_err);
    }
}

static char *put_evil(const char *dir, const char *text)
{
    return test_put(dir, EVIL_NAME, text);
}

static void check_prints_nothing_hostile_in_any_format(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-safety-check");
    char *args = jmap_xprintf("'%s'/*.yaml", dir);
    char *path = put_evil(dir, evil_model_map);
    run_all_formats("check", args, 3, false);
    free(path);
    path = put_evil(dir, evil_stage_map);
    run_all_formats("check", args, 5, false);
    free(path);
    free(args);
    free(dir);
}

static void build_prints_nothing_hostile_in_any_format(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-safety-build");
    char *path = put_evil(dir, evil_stage_map);
    char *args = jmap_xprintf("'%s'/*.yaml -o '%s/out.svg'", dir, dir);
    run_all_formats("build", args, 5, false);
    free(args);
    /* -o -: the drawing would go to standard output, the diagnostics to standard error */
    args = jmap_xprintf("'%s'/*.yaml -f svg -o -", dir);
    run_all_formats("build", args, 5, true);
    free(args);
    free(path);
    free(dir);
}

static void the_caret_sits_under_the_column_after_an_escaped_character(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-safety-caret");
    /* A raw right-to-left override (shown as \u202e, six columns) before the bad stage. */
    char *path = test_put(dir, "caret.yaml",
                          "title: T\n"
                          "model: three-stage\n"
                          "personas: [{id: ana, name: Ana}]\n"
                          "touchpoints:\n"
                          "  - {name: \"\xe2\x80\xae" "x\", stage: nope}\n");
    char *err = NULL;
    assert_int_equal(test_jmap(NULL, &err, "check --max-errors 0 '%s'", path), 1);
    assert_safe("caret", err);
    const char *line = strstr(err, "error: unknown stage 'nope'; the stages of model 'three-stage' are "
                                  "'pre-purchase', 'purchase', 'post-purchase'; see 'jmap stages "
                                  "three-stage' [unknown-stage]\n    5 | ");
    assert_non_null(line);
    line = strstr(line, "    5 | ");
    assert_non_null(line);
    const char *caret = strstr(line, "\n      | ");
    assert_non_null(caret);
    caret += strlen("\n      | ");
    line += strlen("    5 | ");
    const char *nope = strstr(line, "nope");
    assert_non_null(nope);
    assert_true(nope < caret);
    size_t want = (size_t)(nope - line); /* the excerpt is ASCII now: bytes are columns */
    size_t got = strspn(caret, " ");
    assert_int_equal(got, want);
    assert_memory_equal(caret + got, "^~~~", 4);
    free(err);
    free(path);
    free(dir);
}

/* Arguments are echoed in usage errors: each hostile one comes out escaped. */
static void arguments_are_echoed_escaped(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-safety-args");
    char *arg = test_put(dir, "arg", "\x1b]52;c;aGk=\x07\xc2\x9b\xe2\x80\xae::error::x");
    char *map = test_put(dir, "ok.yaml", "title: T\n" TEST_VALID_MAP_BODY);
    /* Each command: what comes before the argument and after it, then the map (not with
     * NULL: the command takes none). */
    static const char *const cmds[][2] = {
        {"check --color ", ""},
        {"check --diagnostics ", ""},
        {"check --max-errors ", ""},
        {"check --max-depth ", ""},
        {"check --max-string ", ""},
        {"check --", ""},
        {"", ""},
        {"build --theme ", " -o x.svg"},
        {"build --page ", " -o x.svg"},
        {"build --dpi ", " -o x.svg"},
        {"build -f ", " -o x.svg"},
        {"build -o ", ""},
        {"stages ", NULL},
        {"new --model ", NULL},
        {"new ", NULL},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char *out = NULL, *err = NULL;
        char *args = cmds[i][1] ? jmap_xprintf("%s\"$(cat '%s')\"%s '%s'", cmds[i][0], arg,
                                               cmds[i][1], map)
                                : jmap_xprintf("%s\"$(cat '%s')\"", cmds[i][0], arg);
        int status = test_jmap(&out, &err, "%s", args);
        assert_int_equal(status, 2);
        assert_safe(args, out);
        assert_safe(args, err);
        if (!strstr(err, "\\x1b]52;c;aGk=\\x07\\u009b\\u202e::error::x"))
            fail_msg("%s: the argument is not echoed escaped:\n%s", args, err);
        free(args);
        free(out);
        free(err);
    }
    /* new refuses to replace a file, naming it */
    char *existing = test_put(dir, "exists\x1b[2J.yaml", "x");
    char *err = NULL;
    assert_int_equal(test_jmap(NULL, &err, "new -o '%s'", existing), 3);
    assert_safe("new -o", err);
    assert_non_null(strstr(err, "exists\\x1b[2J.yaml' exists"));
    free(err);
    free(existing);
    free(map);
    free(arg);
    free(dir);
}

/* What the GitHub Actions runner reads as a command in a line of a step's output: `##[`
 * anywhere (the legacy form), or `::` at the start once white space is trimmed. Only jmap's own
 * annotations may be commands, and only in github mode. */
static void assert_no_runner_commands(const char *what, const char *s, bool github)
{
    static const char *const spaces[] = {" ", "\t", "\xc2\xa0", "\xe2\x80\x80", "\xe3\x80\x80"};
    for (const char *line = s; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char *copy = jmap_xstrndup(line, len);
        if (strstr(copy, "##["))
            fail_msg("%s: a line holds '##[': %s", what, copy);
        const char *t = copy;
        for (bool again = true; again;) {
            again = false;
            for (size_t i = 0; i < sizeof spaces / sizeof spaces[0]; i++) {
                if (strncmp(t, spaces[i], strlen(spaces[i])) == 0) {
                    t += strlen(spaces[i]), again = true;
                    break;
                }
            }
        }
        if (strncmp(t, "::", 2) == 0 &&
            !(github && t == copy &&
              (strncmp(t, "::error file=", 13) == 0 || strncmp(t, "::warning file=", 15) == 0 ||
               strncmp(t, "::notice file=", 14) == 0)))
            fail_msg("%s: a line starts a workflow command: %s", what, copy);
        free(copy);
        line += len + (nl ? 1 : 0);
    }
}

/* `jmap <args>` in every diagnostics format, run in `dir`: no runner command in either
 * stream, and the text form's standard error holds `want`. */
static void run_without_commands(const char *dir, const char *args, int status, const char *want)
{
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        char *out = NULL, *err = NULL;
        char *cd = jmap_xprintf("cd '%s' && ", dir);
        char *what = jmap_xprintf("jmap --diagnostics %s %s", formats[f], args);
        int got = test_jmap_as(cd, &out, &err, "%s --diagnostics %s", args, formats[f]);
        if (got != status)
            fail_msg("%s: status %d, expected %d\n%s%s", what, got, status, out, err);
        bool github = strcmp(formats[f], "github") == 0;
        assert_no_runner_commands(what, out, github);
        assert_no_runner_commands(what, err, false);
        if (strcmp(formats[f], "text") == 0 && !strstr(err, want))
            fail_msg("%s: no '%s' in:\n%s", what, want, err);
        free(what);
        free(cd);
        free(out);
        free(err);
    }
}

/* The security review's repros: a file name or a value that would be a runner command. */
static void file_names_and_values_start_no_runner_command(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cli-safety-runner");
    char *maps = jmap_xprintf("%s/maps", dir);
    assert_int_equal(mkdir(maps, 0755), 0);
    size_t len;
    char *example = test_read_file(JMAP_SOURCE_DIR "/examples/grocery-first-order.yaml", &len);
    char *stop = test_put(maps, "##[stop-commands]x.yaml", example);
    /* `##[stop-commands]` would turn command processing off for the rest of the job */
    run_without_commands(dir, "build --check maps/*.yaml -O docs/maps -f svg", 4,
                         "docs/maps/##\\x5bstop-commands]x.svg: error: 'docs/maps/"
                         "##\\x5bstop-commands]x.svg' is missing [missing-output]");
    unlink(stop);
    free(stop);
    char *w = test_put(maps, "w.yaml",
                       "title: x\npersonas: [{id: p, name: \"##[error]forged %s\"}]\n"
                       "stages: [{id: s}]\n");
    run_without_commands(dir, "check maps/w.yaml", 0, "name: \"##\\x5berror]forged %s\"}]");
    /* Folder-less names that start with `::`, after white space or not. */
    static const char *const names[][2] = {
        {"::error title=Security::Build is safe to merge.yaml",
         "\n\\x3a:error title=Security::Build is safe to merge.yaml: note: 2 more diagnostics not "
         "shown"},
        {"  ::warning::x.yaml", "\n  \\x3a:warning::x.yaml: note: 2 more diagnostics not shown"},
        {"\xe3\x80\x80::notice::y.yaml",
         "\n\xe3\x80\x80\\x3a:notice::y.yaml: note: 2 more diagnostics not shown"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *path = test_put(dir, names[i][0], example);
        free(path);
        path = test_put(dir, names[i][0],
                        "title: x\npersonas: [{id: p, name: P}]\nstages: [{id: s}]\n");
        char *args = jmap_xprintf("check --max-errors 1 maps/w.yaml '%s'", names[i][0]);
        /* the "more not shown" note starts a line with the name too */
        run_without_commands(dir, args, 0, names[i][1]);
        unlink(path);
        free(args);
        free(path);
    }
    unlink(w);
    free(w);
    free(example);
    free(maps);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_prints_nothing_hostile_in_any_format),
        cmocka_unit_test(build_prints_nothing_hostile_in_any_format),
        cmocka_unit_test(the_caret_sits_under_the_column_after_an_escaped_character),
        cmocka_unit_test(arguments_are_echoed_escaped),
        cmocka_unit_test(file_names_and_values_start_no_runner_command),
    };
    return cmocka_run_group_tests_name("cli_safety", tests, NULL, NULL);
}
