/* How maps write numbers (jmap_format_number): grouped, the same in every locale, and with the
 * digits the value needs: the shortest decimal that reads back as the same double. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/layout.h"
#include "support.h"

typedef struct number_case {
    double v;
    const char *want;
} number_case;

static const number_case cases[] = {
    {42000, "42,000"},
    {0.031, "0.031"},
    {3.1, "3.1"},
    {0, "0"},
    {-0.0, "0"},
    {-1234.5, "-1,234.5"},
    {999, "999"},
    {1000, "1,000"},
    {1234567.25, "1,234,567.25"},
    {2.5, "2.5"},
    {100, "100"},
    {-7, "-7"},
    {50000, "50,000"},
    {123456789012, "123,456,789,012"},
    {999999999999999, "999,999,999,999,999"},
    {0.000001, "0.000001"},
    /* past the old six decimals, and at the ends of the range of doubles */
    {0.1234567, "0.1234567"},
    {0.1 + 0.2, "0.30000000000000004"},
    {1e-9, "1e-9"},
    {1.5e-7, "1.5e-7"},
    {9.9999999999e15, "9.9999999999e15"},
    {1e15, "1e15"},
    {1.23e18, "1.23e18"},
    {-2.5e20, "-2.5e20"},
    {4.9e-324, "5e-324"}, /* the smallest subnormal: "5e-324" reads back as it */
    {DBL_MIN, "2.2250738585072014e-308"},
    {DBL_MAX, "1.7976931348623157e308"},
    {0.000012345678901234567, "0.000012345678901234568"},
    {123456789012.125, "123,456,789,012.125"},
};

static void check_cases(void)
{
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(jmap_format_number(buf, sizeof buf, cases[i].v), cases[i].want);
}

static void numbers_have_the_digits_they_need_and_no_more(void **state)
{
    (void)state;
    check_cases();
    char buf[64];
    assert_string_equal(jmap_format_number(buf, sizeof buf, NAN), "NaN");
    assert_string_equal(jmap_format_number(buf, sizeof buf, -INFINITY), "-∞");
}

static void numbers_are_grouped_the_same_in_every_locale(void **state)
{
    (void)state;
    test_need_comma_locale();
    check_cases();
    test_use_c_locale();
}

/* Without its commas, every number written reads back as the very same double. */
static void every_number_reads_back_exactly(void **state)
{
    (void)state;
    srand(9);
    char buf[64], plain[64];
    for (int i = 0; i < 20000; i++) {
        uint64_t bits = 0;
        for (int b = 0; b < 4; b++)
            bits = (bits << 16) ^ (uint64_t)(rand() & 0xffff);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        jmap_format_number(buf, sizeof buf, v);
        assert_true(strlen(buf) < 32);
        size_t k = 0;
        for (const char *p = buf; *p; p++) {
            if (*p != ',')
                plain[k++] = *p;
        }
        plain[k] = '\0';
        if (strtod(plain, NULL) != v && v != 0)
            print_error("%.17g written as %s\n", v, buf);
        assert_true(strtod(plain, NULL) == v || v == 0);
    }
}

static void a_short_buffer_is_cut_never_overrun(void **state)
{
    (void)state;
    char small[4];
    assert_string_equal(jmap_format_number(small, sizeof small, 42000), "42,");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_have_the_digits_they_need_and_no_more),
        cmocka_unit_test(numbers_are_grouped_the_same_in_every_locale),
        cmocka_unit_test(every_number_reads_back_exactly),
        cmocka_unit_test(a_short_buffer_is_cut_never_overrun),
    };
    return cmocka_run_group_tests_name("number", tests, NULL, NULL);
}
