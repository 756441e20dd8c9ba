/* Did-you-mean suggestions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "jmap/suggest.h"

static const char *const stages[] = {"awareness", "consideration", "decision", "retention"};

static void a_typo_finds_the_intended_word(void **state)
{
    (void)state;
    assert_string_equal(jmap_suggest("considration", stages, 4), "consideration");
    assert_string_equal(jmap_suggest("awarness", stages, 4), "awareness");
    assert_string_equal(jmap_suggest("decsiion", stages, 4), "decision"); /* a swap */
    assert_string_equal(jmap_suggest("Retention", stages, 4), "retention");
}

static void a_distant_word_finds_nothing(void **state)
{
    (void)state;
    assert_null(jmap_suggest("purchase", stages, 4));
    assert_null(jmap_suggest("x", stages, 4));
    const char *const letters[] = {"a", "b"};
    assert_null(jmap_suggest("c", letters, 2));
    assert_string_equal(jmap_suggest("A", letters, 2), "a");
    assert_null(jmap_suggest("", stages, 4));
}

static void null_candidates_are_skipped(void **state)
{
    (void)state;
    const char *const c[] = {NULL, "channel", NULL};
    assert_string_equal(jmap_suggest("chanel", c, 3), "channel");
    assert_null(jmap_suggest("chanel", c, 0));
}

static void distance_counts_edits_and_stops_at_the_cap(void **state)
{
    (void)state;
    assert_int_equal(jmap_edit_distance("kitten", "sitting", 10), 3);
    assert_int_equal(jmap_edit_distance("abc", "abc", 10), 0);
    assert_int_equal(jmap_edit_distance("ab", "ba", 10), 1);
    assert_int_equal(jmap_edit_distance("kitten", "sitting", 1), 2);
    assert_int_equal(jmap_edit_distance("a", "abcdefgh", 2), 3);
}

/* The budget is a third of the word's length, rounded: 1 edit for 2 letters, 2 for 5, 3 for
 * 8. Each word is exactly at its budget (suggested) or one edit past it (not), so a budget of
 * len / 3, or one rounded up, picks the other answer. */
static void the_edit_budget_is_a_third_of_the_word_rounded(void **state)
{
    (void)state;
    const char *const keys[] = {"id", "stage", "persona", "touchpoint", "emotion", "opportunity"};
    static const struct {
        const char *word, *want; /* want NULL: nothing is close enough */
    } cases[] = {
        {"ix", "id"},                /* 2 letters, 1 edit: the budget is 1 */
        {"xy", NULL},                /* 2 letters, 2 edits */
        {"sage", "stage"},           /* 4 letters, 1 edit: the budget is 1 */
        {"stxg", NULL},              /* 4 letters, 2 edits */
        {"stgea", "stage"},          /* 5 letters, 2 edits (a swap and a substitution) */
        {"prsna", "persona"},        /* 5 letters, 2 insertions */
        {"stxxa", NULL},             /* 5 letters, 3 edits */
        {"emxtin", "emotion"},       /* 6 letters, 2 edits: the budget is 2 */
        {"emxtxn", NULL},            /* 6 letters, 3 edits */
        {"toucpnit", "touchpoint"},  /* 8 letters, 3 edits: the budget is 3 */
        {"oportnty", "opportunity"}, /* 8 letters, 3 insertions */
        {"tuchpnts", NULL},          /* 8 letters, 4 edits from "touchpoint" */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = jmap_suggest(cases[i].word, keys, sizeof keys / sizeof keys[0]);
        bool same = got && cases[i].want ? strcmp(got, cases[i].want) == 0 : got == cases[i].want;
        if (!same)
            fail_msg("'%s' suggested '%s', expected '%s'", cases[i].word, got ? got : "(none)",
                     cases[i].want ? cases[i].want : "(none)");
    }
    /* the distances the cases rely on */
    assert_int_equal(jmap_edit_distance("ix", "id", 9), 1);
    assert_int_equal(jmap_edit_distance("stxg", "stage", 9), 2);
    assert_int_equal(jmap_edit_distance("stgea", "stage", 9), 2);
    assert_int_equal(jmap_edit_distance("stxxa", "stage", 9), 3);
    assert_int_equal(jmap_edit_distance("emxtxn", "emotion", 9), 3);
    assert_int_equal(jmap_edit_distance("toucpnit", "touchpoint", 9), 3);
    assert_int_equal(jmap_edit_distance("tuchpnts", "touchpoint", 9), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_typo_finds_the_intended_word),
        cmocka_unit_test(a_distant_word_finds_nothing),
        cmocka_unit_test(null_candidates_are_skipped),
        cmocka_unit_test(distance_counts_edits_and_stops_at_the_cap),
        cmocka_unit_test(the_edit_budget_is_a_third_of_the_word_rounded),
    };
    return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}
