/* Where layout may cut a text: whole grapheme clusters (src/layout_grapheme.c), checked
 * directly on the cases a map's text reaches only by chance: Hangul jamo, broken UTF-8. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../src/layout_internal.h"

/* The clusters of `text` as their byte lengths and code-point counts, "3/2 1/1 ...". */
static void assert_clusters(const char *text, const char *want)
{
    char got[256] = "";
    size_t at = 0, len = strlen(text);
    while (at < len) {
        size_t cps;
        size_t end = lay_cluster_end(text, at, &cps);
        if (end <= at || end > len)
            fail_msg("cluster at byte %zu ends at %zu", at, end);
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%zu/%zu", *got ? " " : "",
                 end - at, cps);
        at = end;
    }
    if (strcmp(got, want) != 0)
        fail_msg("'%s': clusters %s, want %s", text, got, want);
}

static void the_end_of_the_text_is_an_empty_cluster(void **state)
{
    (void)state;
    size_t cps = 99;
    assert_int_equal(lay_cluster_end("", 0, &cps), 0);
    assert_int_equal(cps, 0);
    assert_int_equal(lay_cluster_end("ab", 2, &cps), 2);
    assert_int_equal(cps, 0);
}

static void a_hangul_leading_consonant_keeps_what_follows_it(void **state)
{
    (void)state;
    /* L L LV: one syllable block; the Latin letter after it is its own */
    assert_clusters("\xe1\x84\x80\xe1\x84\x80\xea\xb0\x80x", "9/3 1/1");
    /* an extended-A leading consonant (U+A960) before a syllable (U+AC00) */
    assert_clusters("\xea\xa5\xa0\xea\xb0\x80", "6/2");
    /* a leading consonant before a letter that is no Hangul part stands alone */
    assert_clusters("\xe1\x84\x80" "a", "3/1 1/1");
    /* a syllable is no leading consonant: the next syllable is a cluster of its own */
    assert_clusters("\xea\xb0\x80\xea\xb0\x80", "3/1 3/1");
}

static void every_byte_of_broken_utf8_is_a_cluster_of_its_own(void **state)
{
    (void)state;
    assert_clusters("\xc0\x80", "1/1 1/1");         /* overlong NUL */
    assert_clusters("\xed\xa0\x80", "1/1 1/1 1/1"); /* a UTF-16 surrogate */
    assert_clusters("\xf4\x90\x80\x80", "1/1 1/1 1/1 1/1"); /* above U+10FFFF */
    assert_clusters("\xe6\xbc" "a", "1/1 1/1 1/1"); /* cut short by an ASCII letter */
    assert_clusters("\xff\xfe", "1/1 1/1");         /* bytes that start nothing */
    /* a broken byte does not join the letter before it, and a mark after it stays alone:
     * e, 0xCC, U+0301 */
    assert_clusters("e\xcc" "\xcc\x81", "1/1 1/1 2/1");
    /* the same mark after a valid letter joins it */
    assert_clusters("e\xcc\x81", "3/2");
}

static void cr_lf_is_one_cluster_and_other_controls_stand_alone(void **state)
{
    (void)state;
    assert_clusters("a\r\nb", "1/1 2/2 1/1");
    assert_clusters("\n\xcc\x81", "1/1 2/1");
    assert_clusters("\r\r\n", "1/1 2/2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_end_of_the_text_is_an_empty_cluster),
        cmocka_unit_test(a_hangul_leading_consonant_keeps_what_follows_it),
        cmocka_unit_test(every_byte_of_broken_utf8_is_a_cluster_of_its_own),
        cmocka_unit_test(cr_lf_is_one_cluster_and_other_controls_stand_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
