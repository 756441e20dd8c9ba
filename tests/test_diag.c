/* Diagnostics: collected, capped, and printed the way gcc prints them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/diag.h"
#include "jmap/sanitize.h"
#include "safe_text.h"
#include "support.h"

static char *print_all(const jmap_diags *d, bool excerpt, bool color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    jmap_diag_print_opts o = {.color = color, .excerpt = excerpt};
    jmap_diags_print(d, f, &o);
    fclose(f);
    return buf;
}

static void an_error_prints_with_line_caret_and_underline(void **state)
{
    (void)state;
    static const char src[] = "title: x\n  stage: considration\n";
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_diags_keep_source(&d, "map.yaml", src, strlen(src));
    jmap_loc at = {.file = "map.yaml", .line = 2, .col = 10, .end_line = 2, .end_col = 21};
    jmap_diag_add(&d, JMAP_SEV_ERROR, "unknown-stage", at, "unknown stage '%s'", "considration");
    jmap_diag_hint(&d, "did you mean '%s'?", "consideration");
    char *out = print_all(&d, true, false);
    assert_string_equal(out, "map.yaml:2:10: error: unknown stage 'considration'; did you mean "
                             "'consideration'? [unknown-stage]\n"
                             "    2 |   stage: considration\n"
                             "      |          ^~~~~~~~~~~~\n");
    assert_int_equal(d.n_errors, 1);
    assert_true(jmap_diags_failed(&d));
    free(out);
    jmap_diags_release(&d);
}

static void columns_count_code_points_not_bytes(void **state)
{
    (void)state;
    /* "é" is two bytes; the caret must still sit under the 'v' at column 6. */
    static const char src[] = "ééé: v\n";
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_diags_keep_source(&d, "u.yaml", src, strlen(src));
    jmap_diag_add(&d, JMAP_SEV_WARNING, "w", (jmap_loc){"u.yaml", 1, 6, 0, 0}, "here");
    char *out = print_all(&d, true, false);
    assert_string_equal(out, "u.yaml:1:6: warning: here [w]\n"
                             "    1 | ééé: v\n"
                             "      |      ^\n");
    assert_int_equal(d.n_warnings, 1);
    assert_false(jmap_diags_failed(&d));
    free(out);
    jmap_diags_release(&d);
}

static void werror_reports_warnings_as_errors(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    d.werror = true;
    jmap_diag_add(&d, JMAP_SEV_WARNING, "unused-persona", (jmap_loc){"m.yaml", 3, 5, 0, 0},
                  "persona 'bo' appears in no touchpoint");
    assert_true(jmap_diags_failed(&d));
    char *out = print_all(&d, false, false);
    assert_string_equal(out, "m.yaml:3:5: error: persona 'bo' appears in no touchpoint "
                             "[unused-persona]\n");
    free(out);
    jmap_diags_release(&d);
}

static void past_the_cap_diagnostics_are_counted_not_kept(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    d.max_items = 3;
    for (unsigned i = 1; i <= 10; i++) {
        jmap_diag_add(&d, JMAP_SEV_ERROR, "e", (jmap_loc){"m.yaml", i, 1, 0, 0}, "error %u", i);
        jmap_diag_hint(&d, "hint %u", i);
    }
    assert_int_equal(d.n_items, 3);
    assert_int_equal(d.n_errors, 10);
    assert_int_equal(d.n_dropped, 7);
    assert_string_equal(d.items[2].hint, "hint 3");
    char *out = print_all(&d, false, false);
    assert_non_null(strstr(out, "m.yaml:3:1: error: error 3; hint 3 [e]\n"
                                "m.yaml: note: 7 more diagnostics not shown (see --max-errors)\n"));
    free(out);
    jmap_diags_release(&d);
}

static void a_whole_file_diagnostic_has_no_line(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_diag_add(&d, JMAP_SEV_ERROR, "io-error", (jmap_loc){.file = "gone.yaml"},
                  "cannot read '%s': %s", "gone.yaml", "No such file or directory");
    char *out = print_all(&d, true, false);
    assert_string_equal(out, "gone.yaml: error: cannot read 'gone.yaml': No such file or "
                             "directory [io-error]\n");
    free(out);
    jmap_diags_release(&d);
}

static void colour_is_added_only_when_asked(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_diag_add(&d, JMAP_SEV_ERROR, "e", (jmap_loc){"m.yaml", 1, 1, 0, 0}, "bad");
    char *plain = print_all(&d, false, false);
    char *colored = print_all(&d, false, true);
    assert_null(strchr(plain, '\033'));
    assert_non_null(strstr(colored, "\033[1;31merror:"));
    free(plain);
    free(colored);
    jmap_diags_release(&d);
}

static void file_names_are_kept_after_the_caller_frees_theirs(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    char *name = jmap_xstrdup("temp.yaml");
    jmap_diag_add(&d, JMAP_SEV_NOTE, "n", (jmap_loc){name, 1, 1, 0, 0}, "note");
    memset(name, 'x', strlen(name));
    free(name);
    assert_string_equal(d.items[0].loc.file, "temp.yaml");
    jmap_diags_release(&d);
}

/* No byte below 0x20 but newline, no DEL, no C1 (C2 80..9F), no bidi control (E2 80 AA..AE,
 * E2 81 A6..A9, E2 80 8E/8F, D8 9C), and valid UTF-8. */
static void assert_printable(const char *s)
{
    size_t len = strlen(s), at = test_first_unsafe(s, len);
    if (at < len)
        fail_msg("unsafe byte 0x%02x at %zu in:\n%s", (unsigned char)s[at], at, s);
}

static void file_name_message_and_hint_are_sanitised(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    const char *file = "evil\x1b]52;c;aGk=\x07\n::error::forged.yaml";
    jmap_diag_add(&d, JMAP_SEV_ERROR, "unknown-stage", (jmap_loc){file, 2, 1, 0, 0},
                  "unknown stage '%s'", "x\x1b[2J\xc2\x9b" "31m\xe2\x80\xae" "y");
    jmap_diag_hint(&d, "did you mean '%s'?", "a\rb");
    char *out = print_all(&d, true, false);
    assert_printable(out);
    assert_string_equal(out, "evil\\x1b]52;c;aGk=\\x07\\x0a::error::forged.yaml:2:1: error: unknown "
                             "stage 'x\\x1b[2J\\u009b31m\\u202ey'; did you mean 'a\\x0db'? "
                             "[unknown-stage]\n");
    free(out);
    jmap_diags_release(&d);
}

static void caret_counts_an_escaped_tab_before_the_column(void **state)
{
    (void)state;
    /* The tab is shown as the four characters \x09: the caret moves four columns past it. */
    static const char src[] = "a:\tbad value\n";
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_diags_keep_source(&d, "t.yaml", src, strlen(src));
    jmap_diag_add(&d, JMAP_SEV_ERROR, "e", (jmap_loc){"t.yaml", 1, 4, 1, 6}, "here");
    char *out = print_all(&d, true, false);
    assert_string_equal(out, "t.yaml:1:4: error: here [e]\n"
                             "    1 | a:\\x09bad value\n"
                             "      |       ^~~\n");
    free(out);
    jmap_diags_release(&d);
}

static void caret_counts_escapes_and_wide_characters_before_the_column(void **state)
{
    (void)state;
    /* An override (shown as \u202e, six columns) and a cart (two columns) before 'x'. */
    static const char src[] = "k: \"\xe2\x80\xae\xf0\x9f\x9b\x92 x\"\n";
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_diags_keep_source(&d, "w.yaml", src, strlen(src));
    jmap_diag_add(&d, JMAP_SEV_ERROR, "e", (jmap_loc){"w.yaml", 1, 8, 0, 0}, "x");
    jmap_diag_add(&d, JMAP_SEV_ERROR, "e", (jmap_loc){"w.yaml", 1, 5, 0, 0}, "override");
    char *out = print_all(&d, true, false);
    assert_printable(out);
    assert_string_equal(out, "w.yaml:1:8: error: x [e]\n"
                             "    1 | k: \"\\u202e\xf0\x9f\x9b\x92 x\"\n"
                             "      |              ^\n"
                             "w.yaml:1:5: error: override [e]\n"
                             "    1 | k: \"\\u202e\xf0\x9f\x9b\x92 x\"\n"
                             "      |     ^~~~~~\n");
    free(out);
    jmap_diags_release(&d);
}

static void an_excerpt_with_bytes_that_are_not_utf8_stays_utf8(void **state)
{
    (void)state;
    static const char src[] = "title: caf\xe9 \xff\n";
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_diags_keep_source(&d, "l.yaml", src, strlen(src));
    jmap_diag_add(&d, JMAP_SEV_ERROR, "e", (jmap_loc){"l.yaml", 1, 13, 0, 0}, "bad byte");
    char *out = print_all(&d, true, false);
    assert_printable(out);
    assert_string_equal(out, "l.yaml:1:13: error: bad byte [e]\n"
                             "    1 | title: caf\\xe9 \\xff\n"
                             "      |                ^~~~\n");
    free(out);
    jmap_diags_release(&d);
}

static void lines_break_where_libyaml_breaks_them(void **state)
{
    (void)state;
    /* NEL, LS, PS and a lone CR end lines for libyaml, whose marks give the line numbers. */
    static const char src[] = "a: 1\xc2\x85" "b: 2\xe2\x80\xa8" "c: 3\r" "d: 4\r\ne: 5\n";
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_diags_keep_source(&d, "n.yaml", src, strlen(src));
    for (unsigned line = 1; line <= 5; line++)
        jmap_diag_add(&d, JMAP_SEV_NOTE, "n", (jmap_loc){"n.yaml", line, 4, 0, 0}, "v");
    char *out = print_all(&d, true, false);
    assert_printable(out);
    assert_string_equal(out, "n.yaml:1:4: note: v [n]\n    1 | a: 1\n      |    ^\n"
                             "n.yaml:2:4: note: v [n]\n    2 | b: 2\n      |    ^\n"
                             "n.yaml:3:4: note: v [n]\n    3 | c: 3\n      |    ^\n"
                             "n.yaml:4:4: note: v [n]\n    4 | d: 4\n      |    ^\n"
                             "n.yaml:5:4: note: v [n]\n    5 | e: 5\n      |    ^\n");
    free(out);
    jmap_diags_release(&d);
}

static void csv_lines_break_at_lf_cr_and_crlf_only_and_skip_the_bom(void **state)
{
    (void)state;
    /* NEL and LS are characters in a CSV field; a lone CR, CR LF and LF end lines */
    static const char src[] = "\xEF\xBB\xBF"
                              "a,1\xc2\x85x\xe2\x80\xa8y\r"
                              "b,2\r\nc,3\n";
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_diags_keep_source_csv(&d, "n.csv", src, strlen(src));
    for (unsigned line = 1; line <= 3; line++)
        jmap_diag_add(&d, JMAP_SEV_NOTE, "n", (jmap_loc){"n.csv", line, 3, 0, 0}, "v");
    char *out = print_all(&d, true, false);
    assert_printable(out);
    assert_string_equal(out,
                        "n.csv:1:3: note: v [n]\n    1 | a,1\\u0085x\\u2028y\n      |   ^\n"
                        "n.csv:2:3: note: v [n]\n    2 | b,2\n      |   ^\n"
                        "n.csv:3:3: note: v [n]\n    3 | c,3\n      |   ^\n");
    free(out);
    jmap_diags_release(&d);
}

static void the_dropped_count_names_the_file_sanitised(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    d.max_items = 1;
    for (unsigned i = 1; i <= 3; i++)
        jmap_diag_add(&d, JMAP_SEV_ERROR, "e", (jmap_loc){"m\n::error::x.yaml", i, 1, 0, 0}, "e");
    char *out = print_all(&d, false, false);
    assert_printable(out);
    assert_non_null(strstr(out, "\nm\\x0a::error::x.yaml: note: 2 more diagnostics not shown"));
    free(out);
    jmap_diags_release(&d);
}

static void a_long_line_of_stray_bytes_is_cut_too(void **state)
{
    (void)state;
    /* 100,000 continuation bytes with no lead byte: quoted as at most 203 bytes */
    size_t n = 100000;
    char *src = malloc(n + 8);
    memcpy(src, "t: ", 3);
    memset(src + 3, 0x80, n);
    src[n + 3] = '\n';
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_diags_keep_source(&d, "s.yaml", src, n + 4);
    jmap_diag_add(&d, JMAP_SEV_ERROR, "invalid-encoding", (jmap_loc){"s.yaml", 1, 4, 0, 0}, "x");
    char *out = print_all(&d, true, false);
    assert_printable(out);
    assert_true(strlen(out) < 2000);
    assert_non_null(strstr(out, "\\x80\\x80 …\n"));
    free(out);
    free(src);
    jmap_diags_release(&d);
}

/* A diagnostic line starts with the file name: one that starts with ':' (after white space) has
 * that ':' escaped, in the diagnostic and in the dropped count, so the GitHub runner reads no
 * workflow command; a `##[` anywhere, in the name, the message or the excerpt, loses its `[`. */
static void a_line_cannot_start_a_runner_command(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    d.max_items = 1;
    const char *name = " ::error title=Security::safe ##[x].yaml";
    const char *text = "title: \"##[error]forged\"\n";
    jmap_diags_keep_source(&d, name, text, strlen(text));
    for (unsigned i = 1; i <= 2; i++)
        jmap_diag_add(&d, JMAP_SEV_ERROR, "e", (jmap_loc){name, 1, 8, 0, 0}, "bad '%s'",
                      "##[warning]x");
    char *out = print_all(&d, true, false);
    assert_string_equal(out, " \\x3a:error title=Security::safe ##\\x5bx].yaml:1:8: error: bad "
                             "'##\\x5bwarning]x' [e]\n"
                             "    1 | title: \"##\\x5berror]forged\"\n"
                             "      |        ^\n"
                             " \\x3a:error title=Security::safe ##\\x5bx].yaml: note: 1 more "
                             "diagnostic not shown (see --max-errors)\n");
    free(out);
    jmap_diags_release(&d);
}

/* The caret and tildes under a `[` shown as `\x5b` (it follows `##`) cover the escape. */
static void the_underline_covers_an_escaped_command_bracket(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    const char *text = "title: ##[x\n";
    jmap_diags_keep_source(&d, "m.yaml", text, strlen(text));
    jmap_diag_add(&d, JMAP_SEV_ERROR, "e", (jmap_loc){"m.yaml", 1, 10, 1, 11}, "e");
    char *out = print_all(&d, true, false);
    assert_string_equal(out, "m.yaml:1:10: error: e [e]\n"
                             "    1 | title: ##\\x5bx\n"
                             "      |          ^~~~~\n");
    free(out);
    jmap_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_error_prints_with_line_caret_and_underline),
        cmocka_unit_test(columns_count_code_points_not_bytes),
        cmocka_unit_test(werror_reports_warnings_as_errors),
        cmocka_unit_test(past_the_cap_diagnostics_are_counted_not_kept),
        cmocka_unit_test(a_whole_file_diagnostic_has_no_line),
        cmocka_unit_test(colour_is_added_only_when_asked),
        cmocka_unit_test(file_names_are_kept_after_the_caller_frees_theirs),
        cmocka_unit_test(file_name_message_and_hint_are_sanitised),
        cmocka_unit_test(caret_counts_an_escaped_tab_before_the_column),
        cmocka_unit_test(caret_counts_escapes_and_wide_characters_before_the_column),
        cmocka_unit_test(an_excerpt_with_bytes_that_are_not_utf8_stays_utf8),
        cmocka_unit_test(lines_break_where_libyaml_breaks_them),
        cmocka_unit_test(csv_lines_break_at_lf_cr_and_crlf_only_and_skip_the_bom),
        cmocka_unit_test(the_dropped_count_names_the_file_sanitised),
        cmocka_unit_test(a_long_line_of_stray_bytes_is_cut_too),
        cmocka_unit_test(a_line_cannot_start_a_runner_command),
        cmocka_unit_test(the_underline_covers_an_escaped_command_bracket),
    };
    return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
