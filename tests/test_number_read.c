/* How jmap reads numbers (src/number.c, jmap/number.h), for maps and data files alike: the
 * syntax, and values equal to strtod's in the C locale, fast path or not, in any locale. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/number.h"
#include "support.h"

static void syntax_is_strict(void **state)
{
    (void)state;
    static const char *const good[] = {"0",  "12",  "+3",   "-3",     "1.5",  ".5",
                                       "5.", "1e3", "1E+3", "2.5e-3", "-0.0", "007"};
    static const char *const bad[] = {"",    "+",     "-",     ".",   "e3",   "1e",
                                      "1e+", "1.2.3", "0x1A",  "nan", "inf",  "1,5",
                                      " 1",  "1 ",    "1_000", "--1", "1e3.5"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(jmap_number_syntax(good[i], strlen(good[i]), false));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (jmap_number_syntax(bad[i], strlen(bad[i]), false))
            print_error("'%s' read as a number\n", bad[i]);
        assert_false(jmap_number_syntax(bad[i], strlen(bad[i]), false));
    }
    assert_true(jmap_number_syntax("-12", 3, true));
    assert_false(jmap_number_syntax("1.0", 3, true));
    assert_false(jmap_number_syntax("-", 1, true));
    /* the length bounds the text: no NUL needed */
    assert_true(jmap_number_syntax("12x", 2, false));
}

/* Bit for bit what strtod gives: the fast path must round as it does. */
static void assert_same_as_strtod(const char *s)
{
    double want = strtod(s, NULL), got = jmap_number_value(s, strlen(s));
    if (memcmp(&want, &got, sizeof want) != 0)
        print_error("'%s': %.17g, strtod %.17g\n", s, got, want);
    assert_memory_equal(&want, &got, sizeof want);
}

static void values_are_strtods(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "0",
        "-0",
        "0.0",
        "1",
        "12.5",
        "0.1",
        "0.2",
        "0.3",
        "3.14159",
        "0.031",
        "1e22",
        "1e23",
        "9007199254740992",
        "9007199254740993",
        "9007199254740991.5",
        "123456789012345678",
        "1234567890123456789",
        "12345678901234567890",
        "1e-22",
        "1e-23",
        "4.9e-324",
        "2e-324",
        "1.7976931348623157e308",
        "1e308",
        "1e309",
        "-1e309",
        "0e99999999999",
        "1e-99999999999",
        "000000000000000000000000000001.5",
        "0.000000000000000000000000000001",
        "1.00000000000000011102230246251565404236316680908203125",
        "2.2250738585072011e-308",
        "100000000000000000000000",
        ".5",
        "5.",
        "+7",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_same_as_strtod(cases[i]);
    /* and many numbers as exports write them */
    srand(11);
    char buf[64];
    for (int i = 0; i < 200000; i++) {
        int whole = rand() % 1000000, frac = rand() % 100000, places = rand() % 9;
        int exp = rand() % 60 - 30;
        switch (i % 5) {
        case 4: /* 16 to 18 digits: past 2^53, where one rounding step too many shows */
            snprintf(buf, sizeof buf, "%d%06d%03d.%03d", whole % 90000 + 10000, frac, rand() % 1000,
                     rand() % 1000);
            break;
        case 0:
            snprintf(buf, sizeof buf, "%d", whole);
            break;
        case 1:
            snprintf(buf, sizeof buf, "%d.%0*d", whole, places + 1, frac % 100000);
            break;
        case 2:
            snprintf(buf, sizeof buf, "-%d.%de%d", whole % 100, frac, exp);
            break;
        default:
            snprintf(buf, sizeof buf, "%d%05d%05d.%d", whole, frac, rand() % 100000, rand());
            break;
        }
        assert_same_as_strtod(buf);
    }
}

static void values_do_not_depend_on_the_locale(void **state)
{
    (void)state;
    test_need_comma_locale();
    /* strtod now wants "12,5": jmap reads "12.5" all the same, fast path or not */
    double a = jmap_number_value("12.5", 4);
    double b = jmap_number_value("0.1234567890123456789012", 24);
    double c = jmap_number_value("1.5e300", 7);
    test_use_c_locale();
    assert_true(a == 12.5);
    assert_true(b == strtod("0.1234567890123456789012", NULL));
    assert_true(c == 1.5e300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(syntax_is_strict),
        cmocka_unit_test(values_are_strtods),
        cmocka_unit_test(values_do_not_depend_on_the_locale),
    };
    return cmocka_run_group_tests_name("number_read", tests, NULL, NULL);
}
