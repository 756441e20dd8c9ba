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
    };
    return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
