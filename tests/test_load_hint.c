/*
 * jmap's own words for libyaml's syntax errors (src/load_hint.c), through the real loader:
 * the code, the exact line and column (code points, after a byte-order mark, across CR LF
 * line ends), the hint, and linear work on hostile input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/load.h"

typedef struct fx {
    jmap_arena *a;
    jmap_diags d;
} fx;

static int setup(void **state)
{
    fx *f = jmap_xcalloc(1, sizeof(fx));
    f->a = jmap_arena_new();
    jmap_diags_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    jmap_diags_release(&f->d);
    jmap_arena_free(f->a);
    free(f);
    return 0;
}

/* Load `len` bytes; the one error it must give. */
static const jmap_diag *error_of_n(void **state, const char *yaml, size_t len)
{
    fx *f = *state;
    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    jmap_limits lim = jmap_limits_default();
    assert_null(jmap_load_map(f->a, "test.yaml", yaml, len, &lim, &f->d));
    if (f->d.n_items != 1) {
        char *all = test_diags_text(&f->d);
        print_error("expected one diagnostic, got:\n%s", all);
        free(all);
        fail();
    }
    return &f->d.items[0];
}

static const jmap_diag *error_of(void **state, const char *yaml)
{
    return error_of_n(state, yaml, strlen(yaml));
}

/* The loader keeps going after a value of the wrong type: the one error, and a model. */
static const jmap_diag *shape_error(void **state, const char *yaml)
{
    fx *f = *state;
    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    jmap_limits lim = jmap_limits_default();
    assert_non_null(jmap_load_map(f->a, "test.yaml", yaml, strlen(yaml), &lim, &f->d));
    assert_int_equal(f->d.n_items, 1);
    return &f->d.items[0];
}

static void assert_at(const jmap_diag *g, const char *code, unsigned line, unsigned col)
{
    if (strcmp(g->code, code) != 0 || g->loc.line != line || g->loc.col != col) {
        print_error("expected [%s] at %u:%u, got [%s] at %u:%u: %s\n", code, line, col, g->code,
                    g->loc.line, g->loc.col, g->msg);
        fail();
    }
}

static void a_tab_is_named_at_the_tab(void **state)
{
    assert_at(error_of(state, "title: T\npersonas:\n  - id: maya\n\tname: Maya\n"), "yaml-tab", 4,
              1);
    /* after spaces: the tab's own column */
    const jmap_diag *g = error_of(state, "a:\n  b: 1\n  \tc: 2\n");
    assert_at(g, "yaml-tab", 3, 3);
    assert_string_equal(g->msg, "tab in the indentation: YAML indents with spaces only");
    assert_string_equal(g->hint, "replace the tab with spaces (on line 2, the text starts at "
                                 "column 3)");
}

/* libyaml's other line ends: CR alone, NEL (U+0085), LS (U+2028). */
static void every_line_end_counts_as_libyaml_counts_it(void **state)
{
    const jmap_diag *g = error_of(state, "title: T\rpersonas:\r  - id: maya\r     name: M\r");
    assert_at(g, "yaml-indent", 4, 6);
    assert_string_equal(g->msg, "'name' is not lined up with 'id' on line 3, at column 5");
    g = error_of(state, "a:\xc2\x85  b: 1\xc2\x85\xc2\x85 c: 2\xc2\x85");
    assert_at(g, "yaml-indent", 4, 2);
    assert_string_equal(g->msg, "'c' is not lined up with 'b' on line 2, at column 3");
    g = error_of(state, "a:\xe2\x80\xa8  b: 1\xe2\x80\xa9 c: 2\n");
    assert_at(g, "yaml-indent", 3, 2);
    g = error_of(state, "\tname: x\n"); /* nothing above to line up with */
    assert_at(g, "yaml-tab", 1, 1);
    assert_string_equal(g->hint, "replace the tab with spaces");
}

static void an_unquoted_colon_is_named_with_the_value_quoted(void **state)
{
    const jmap_diag *g = error_of(state, "title: Onboarding: the first week # note\n");
    assert_at(g, "yaml-unquoted-colon", 1, 18);
    assert_string_equal(g->msg, "the value of 'title' holds ': ', which YAML reads as a key");
    assert_string_equal(g->hint, "quote the whole value: title: \"Onboarding: the first week\"");
    /* a value that holds a double quote is shown in single quotes */
    g = error_of(state, "title: Say \"hi\": then go\n");
    assert_string_equal(g->hint, "quote the whole value: title: 'Say \"hi\": then go'");
    /* columns count code points: 'é' and 'ü' are two bytes each */
    g = error_of(state, "títle: Über: x\n");
    assert_at(g, "yaml-unquoted-colon", 1, 12);
}

static void a_misindented_key_names_the_column_and_line_of_its_sibling(void **state)
{
    const char *deeper = "title: T\npersonas:\n  - id: maya\n     name: Maya\n";
    const jmap_diag *g = error_of(state, deeper);
    assert_at(g, "yaml-indent", 4, 6);
    assert_string_equal(g->msg, "'name' is not lined up with 'id' on line 3, at column 5");
    assert_string_equal(g->hint,
                        "move it to column 5: the keys of one mapping start in the same column");
    /* shallower, with blank lines and comments between, and CR LF line ends */
    g = error_of(state, "title: T\r\npersonas:\r\n  - id: maya\r\n\r\n    # c\r\n   name: M\r\n");
    assert_at(g, "yaml-indent", 6, 4);
    assert_string_equal(g->msg, "'name' is not lined up with 'id' on line 3, at column 5");
    /* a key at the column of the list's dashes may be a new item */
    g = error_of(state, "personas:\n  - id: maya\n    name: Maya\n  id: tom\n");
    assert_at(g, "yaml-indent", 4, 3);
    assert_string_equal(g->hint, "move it to column 5: the keys of one mapping start in the same "
                                 "column; or start a new list item with '- '");
    /* left of a nested list: meant for the level of 'goals', not for the list's items */
    g = error_of(state, "personas:\n  - id: maya\n    goals:\n      - a\n   name: Maya\n");
    assert_at(g, "yaml-indent", 5, 4);
    assert_string_equal(g->msg, "'name' is not lined up with 'goals' on line 3, at column 5");
    /* a list item lines up with the items above it */
    g = error_of(state, "personas:\n  - id: maya\n    name: Maya\n   - id: tom\n");
    assert_at(g, "yaml-indent", 4, 4);
    assert_string_equal(g->msg,
                        "the list item is not lined up with the list item on line 2, at column 3");
}

static void an_unclosed_quote_or_bracket_is_named_where_it_opens(void **state)
{
    /* after a byte-order mark, line 1's columns do not count it */
    const char bom[] = "\xef\xbb\xbftitle: \"T\npersonas: []\n";
    assert_at(error_of_n(state, bom, sizeof bom - 1), "yaml-unclosed", 1, 8);
    assert_at(error_of(state, "title: 'T\n"), "yaml-unclosed", 1, 8);
    const jmap_diag *g = error_of(state, "title: T\npersonas: [{id: maya}, {id: tom]\n");
    assert_at(g, "yaml-unclosed", 2, 24);
    assert_string_equal(g->msg, "this '{' is never closed");
    /* a quote that runs on to a later one */
    g = error_of(state, "title: \"T\npersonas:\n  - id: maya\n    name: \"Maya\"\n");
    assert_at(g, "yaml-unclosed", 1, 8);
    assert_string_equal(g->msg,
                        "this quote is not closed on its line: the value runs on to line 4");
    /* a closed bracket with a missing comma keeps libyaml's words, with a hint */
    g = error_of(state, "personas: [{id: a} {id: b}]\n");
    assert_at(g, "yaml-syntax", 1, 20);
    assert_string_equal(g->hint,
                        "is a ',' missing between two items of the list that opens at 1:11?");
}

static void other_slips_get_a_hint_under_yaml_syntax(void **state)
{
    const jmap_diag *g = error_of(state, "title: 'Maya's map'\n");
    assert_at(g, "yaml-syntax", 1, 14);
    assert_string_equal(g->msg, "text after the quoted value that starts at 1:8");
    g = error_of(state, "title: \"C:\\docs\"\n");
    assert_at(g, "yaml-syntax", 1, 11);
    g = error_of(state, "title: \"C:\\Users\"\n"); /* \U wants eight hex digits */
    assert_at(g, "yaml-syntax", 1, 11);
    g = error_of(state, "title: T\npersonas:\n  - id: maya\n    name Maya\n  - id: tom\n");
    assert_at(g, "yaml-syntax", 4, 5);
    assert_string_equal(g->msg, "no ':' after the key on this line");
    assert_string_equal(g->hint, "write 'name: Maya'");
    g = error_of(state, "title: T\nstages\n  - id: a\n");
    assert_at(g, "yaml-syntax", 2, 1);
    assert_string_equal(g->hint, "write 'stages:'");
    g = error_of(state, "title: @maya\n");
    assert_at(g, "yaml-syntax", 1, 8);
    assert_string_equal(g->msg, "a value cannot start with '@'");
}

static void what_is_not_recognised_keeps_libyamls_words(void **state)
{
    const jmap_diag *g = error_of(state, "title: *\n");
    assert_at(g, "yaml-syntax", 1, 9);
    assert_string_equal(g->msg, "did not find expected alphabetic or numeric character");
}

/* Hostile shapes: one line of 768 KB, 20,000 blank lines between a key and its misaligned
 * sibling, a bracket never closed after 1.8 MB of brackets and quotes. Each is one walk; a
 * quadratic scan would not finish inside ctest's time limit. */
static void every_scan_is_linear_on_hostile_input(void **state)
{
    size_t n = (size_t)1 << 18;
    char *yaml = jmap_xcalloc(3 * n + 64, 1);
    char *p = yaml + sprintf(yaml, "x: [");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "a, ");
    strcpy(p, "b: c: d]\n");
    const jmap_diag *g = error_of(state, yaml);
    assert_at(g, "yaml-syntax", 1, (unsigned)(3 * n + 9));
    free(yaml);

    char *blank = jmap_xcalloc(20000 + 64, 1);
    strcpy(blank, "a:\n  b: 1\n");
    memset(blank + strlen(blank), '\n', 20000);
    strcat(blank, " c: 2\n");
    g = error_of(state, blank);
    assert_at(g, "yaml-indent", 20003, 2);
    assert_string_equal(g->msg, "'c' is not lined up with 'b' on line 2, at column 3");
    free(blank);

    size_t m = (size_t)1 << 20;
    char *flow = jmap_xcalloc(2 * m + 64, 1);
    p = flow + sprintf(flow, "a: [");
    for (size_t i = 0; i < m / 4; i++)
        p += sprintf(p, "[\"]\"], ");
    strcpy(p, "a\n");
    g = error_of(state, flow);
    assert_at(g, "yaml-unclosed", 1, 4);
    free(flow);
}

/* The loader's wrong-shape errors: each hint shows the shape meant. */
static void a_value_of_the_wrong_shape_gets_an_example(void **state)
{
    const jmap_diag *g = shape_error(state, "title: T\npersonas: {id: maya, name: Maya}\n");
    assert_at(g, "wrong-type", 2, 11);
    assert_string_equal(g->hint, "'personas' is a list: start each persona with '- ' on its own "
                                 "line under it, as in '- id: maya', its other keys lined up "
                                 "under the first");
    g = shape_error(state, "title: T\npersonas:\n  - {id: m, name: M}\n  - id: n\n    name: N\n"
                           "    goals: Save time, and more\n");
    assert_string_equal(g->hint, "write it as a list: goals: [Save time, and more]");
    /* only a short, plain value is shown in the example */
    const char *not_shown[] = {"\"\"", "\"a\\x01b\"", "\"a\\x7fb\"", "\"a 'quoted' word\"", "a[1]",
                               "forty-one characters, far too long to show"};
    for (size_t i = 0; i < sizeof not_shown / sizeof not_shown[0]; i++) {
        char *y = jmap_xprintf("title: T\npersonas:\n  - id: m\n    name: M\n    goals: %s\n",
                               not_shown[i]);
        g = shape_error(state, y);
        free(y);
        assert_string_equal(g->hint,
                            "write a list: goals: [first, second], or one '- ' item per line");
    }
    g = shape_error(state, "title: T\npersonas: [{id: m, name: M, goals: [Note: [x]]}]\n");
    assert_string_equal(g->hint, "a ': ' in the text makes it a key and a value; quote it: "
                                 "\"...\"");
    g = shape_error(state, "title: T\npersonas: [{id: m, name: M, goals: {a: b}}]\n");
    assert_string_equal(g->hint, "write a list: goals: [first, second], or one '- ' item per line");
    g = shape_error(state, "title: T\npersonas: [{id: m, name: M, goals: [Note: busy]}]\n");
    assert_string_equal(g->hint, "a ': ' in the text made it a key and a value; quote it: "
                                 "\"Note: busy\"");
    g = shape_error(state, "title: T\npersonas: [{id: m, name: M, goals: [\"Note\": busy]}]\n");
    assert_string_equal(g->hint, "a ': ' in the text makes it a key and a value; quote it: "
                                 "\"...\"");
    g = shape_error(state, "title: T\npersonas: [{id: m, name: M, goals: [[a]]}]\n");
    assert_null(g->hint); /* a list in a list: nothing to add to the message */
    g = shape_error(state, "title: T\npersonas: [{id: m, name: M}]\nstages: [[{id: a}]]\n");
    assert_string_equal(g->hint, "remove the extra '- ': the keys of one stage go under a single "
                                 "'- ', as in '- id: awareness'");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(a_tab_is_named_at_the_tab),
        T(every_line_end_counts_as_libyaml_counts_it),
        T(an_unquoted_colon_is_named_with_the_value_quoted),
        T(a_misindented_key_names_the_column_and_line_of_its_sibling),
        T(an_unclosed_quote_or_bracket_is_named_where_it_opens),
        T(other_slips_get_a_hint_under_yaml_syntax),
        T(what_is_not_recognised_keeps_libyamls_words),
        T(every_scan_is_linear_on_hostile_input),
        T(a_value_of_the_wrong_shape_gets_an_example),
    };
    return cmocka_run_group_tests_name("load_hint", tests, NULL, NULL);
}
