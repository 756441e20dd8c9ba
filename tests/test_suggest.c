/* Did-you-mean suggestions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_typo_finds_the_intended_word),
        cmocka_unit_test(a_distant_word_finds_nothing),
        cmocka_unit_test(null_candidates_are_skipped),
        cmocka_unit_test(distance_counts_edits_and_stops_at_the_cap),
    };
    return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}
