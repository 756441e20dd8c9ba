/* The one sanitiser: what it escapes, how wide its output is, and what it leaves alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/sanitize.h"
#include "safe_text.h"
#include "support.h"

/* jmap_sanitize_n, checked against jmap_sanitize_write and the width it reports. */
static void expect(const char *in, size_t len, const char *want)
{
    char *got = jmap_sanitize_n(in, len);
    assert_string_equal(got, want);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    size_t cols = jmap_sanitize_write(f, in, len);
    fclose(f);
    assert_string_equal(buf, want);
    assert_int_equal(cols, jmap_sanitize_width(in, len));
    assert_int_equal(jmap_sanitize_clean(in, len), strcmp(in, want) == 0 && strlen(in) == len);
    free(buf);
    free(got);
}

#define EXPECT(in, want) expect((in), sizeof(in) - 1, (want))

/* Nothing the sanitiser writes is a control, a C1 control, a bidi control or invalid UTF-8. */
static void assert_safe(const char *s)
{
    size_t len = strlen(s);
    assert_int_equal(test_first_unsafe(s, len), len);
    assert_null(strchr(s, '\n'));
}

static void c0_controls_and_del_are_shown_as_hex_bytes(void **state)
{
    (void)state;
    EXPECT("a\x1b[31mred", "a\\x1b[31mred");
    EXPECT("tab\there", "tab\\x09here");
    EXPECT("line\nbreak\r", "line\\x0abreak\\x0d");
    EXPECT("bell\a", "bell\\x07");
    EXPECT("del\x7f", "del\\x7f");
    EXPECT("nul\0after", "nul\\x00after");
    /* OSC 52 sets the clipboard of the terminal that prints it */
    EXPECT("\x1b]52;c;ZWNobyBoaQ==\x07", "\\x1b]52;c;ZWNobyBoaQ==\\x07");
    for (unsigned c = 0; c < 0x20; c++) {
        char in[2] = {(char)c, 0}, want[8];
        snprintf(want, sizeof want, "\\x%02x", c);
        expect(in, 1, want);
    }
}

static void c1_controls_are_shown_as_code_points(void **state)
{
    (void)state;
    EXPECT("\xc2\x80", "\\u0080");
    EXPECT("csi\xc2\x9b" "2J", "csi\\u009b2J");
    EXPECT("\xc2\x85", "\\u0085");
    EXPECT("\xc2\x9f", "\\u009f");
    EXPECT("\xc2\xa0", "\xc2\xa0"); /* no-break space is text */
    for (uint32_t cp = 0x80; cp <= 0x9f; cp++) {
        char in[3] = {(char)(0xc0 | (cp >> 6)), (char)(0x80 | (cp & 0x3f)), 0}, want[8];
        snprintf(want, sizeof want, "\\u%04x", (unsigned)cp);
        expect(in, 2, want);
        assert_true(jmap_sanitize_escapes(cp));
    }
}

static void bidi_controls_are_shown_and_named(void **state)
{
    (void)state;
    static const uint32_t bidi[] = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066,
                                    0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C};
    for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
        uint32_t cp = bidi[i];
        char in[4], want[16];
        if (cp < 0x800) {
            in[0] = (char)(0xc0 | (cp >> 6)), in[1] = (char)(0x80 | (cp & 0x3f)), in[2] = 0;
        } else {
            in[0] = (char)(0xe0 | (cp >> 12)), in[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
            in[2] = (char)(0x80 | (cp & 0x3f)), in[3] = 0;
        }
        snprintf(want, sizeof want, "\\u%04x", (unsigned)cp);
        expect(in, strlen(in), want);
        assert_true(jmap_is_bidi_control(cp));
    }
    /* "Trojan source": the right-to-left override makes 'admin' read backwards */
    EXPECT("user\xe2\x80\xae" "nimda", "user\\u202enimda");
    assert_false(jmap_is_bidi_control(0x05D0)); /* Hebrew letters are text */
    EXPECT("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d");
}

static void zero_width_and_invisible_characters_are_shown(void **state)
{
    (void)state;
    EXPECT("a\xe2\x80\x8b" "b", "a\\u200bb");           /* zero-width space */
    EXPECT("a\xe2\x80\x8c" "b", "a\\u200cb");           /* ZWNJ */
    EXPECT("a\xe2\x80\x8d" "b", "a\\u200db");           /* ZWJ */
    EXPECT("a\xe2\x81\xa0" "b", "a\\u2060b");           /* word joiner */
    EXPECT("\xef\xbb\xbf" "bom", "\\ufeffbom");         /* BOM inside text */
    EXPECT("a\xe2\x80\xa8" "b", "a\\u2028b");           /* line separator */
    EXPECT("a\xe2\x80\xa9" "b", "a\\u2029b");           /* paragraph separator */
    EXPECT("a\xf3\xa0\x81\x81" "b", "a\\ue0041b");      /* tag LATIN CAPITAL A */
}

static void bytes_that_are_not_utf8_are_shown_as_hex_bytes(void **state)
{
    (void)state;
    EXPECT("caf\xe9", "caf\\xe9");                  /* Latin-1 */
    EXPECT("\xff\xfe", "\\xff\\xfe");               /* never in UTF-8 */
    EXPECT("\x80x", "\\x80x");                      /* lone continuation byte */
    EXPECT("\xe2\x82", "\\xe2\\x82");               /* cut sequence at the end */
    EXPECT("\xe2\x82x", "\\xe2\\x82x");             /* cut sequence before ASCII */
    EXPECT("\xc0\xaf", "\\xc0\\xaf");               /* overlong '/' */
    EXPECT("\xc1\xbf", "\\xc1\\xbf");               /* overlong DEL */
    EXPECT("\xe0\x80\xaf", "\\xe0\\x80\\xaf");      /* overlong, three bytes */
    EXPECT("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf"); /* overlong, four bytes */
    EXPECT("\xc0\x80", "\\xc0\\x80");               /* "modified UTF-8" NUL */
    EXPECT("\xed\xa0\x80", "\\xed\\xa0\\x80");      /* surrogate U+D800 */
    EXPECT("\xed\xbf\xbf", "\\xed\\xbf\\xbf");      /* surrogate U+DFFF */
    EXPECT("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
    EXPECT("\xf8\x88\x80\x80\x80", "\\xf8\\x88\\x80\\x80\\x80"); /* five-byte form */
    uint32_t cp;
    assert_int_equal(jmap_utf8_decode("\xed\x9f\xbf", 3, &cp), 3); /* U+D7FF is fine */
    assert_int_equal(cp, 0xD7FF);
    assert_int_equal(jmap_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
    assert_int_equal(cp, 0x10FFFF);
    assert_int_equal(jmap_utf8_decode("\xe2\x82\xac", 2, &cp), 0); /* n bounds the read */
}

static void clean_text_is_unchanged(void **state)
{
    (void)state;
    EXPECT("", "");
    EXPECT("Checkout: pay & confirm (100%)", "Checkout: pay & confirm (100%)");
    EXPECT("back\\slash stays \\x1b as typed", "back\\slash stays \\x1b as typed");
    EXPECT("Zoé — 購入 🛒 Ωμέγα مرحبا", "Zoé — 購入 🛒 Ωμέγα مرحبا");
    EXPECT("e\xcc\x81", "e\xcc\x81"); /* combining acute */
    EXPECT("\xef\xbf\xbd", "\xef\xbf\xbd"); /* U+FFFD is text */
    assert_null(jmap_sanitize(NULL));
    char *s = jmap_sanitize("plain");
    assert_string_equal(s, "plain");
    free(s);
}

static void widths_are_terminal_columns(void **state)
{
    (void)state;
    assert_int_equal(jmap_sanitize_width("abc", 3), 3);
    assert_int_equal(jmap_sanitize_width("é", strlen("é")), 1);
    assert_int_equal(jmap_sanitize_width("e\xcc\x81", 3), 1);    /* combining mark: none */
    assert_int_equal(jmap_sanitize_width("購入", strlen("購入")), 4); /* wide */
    assert_int_equal(jmap_sanitize_width("🛒", strlen("🛒")), 2);
    assert_int_equal(jmap_sanitize_width("\t", 1), 4);            /* \x09 */
    assert_int_equal(jmap_sanitize_width("\x1b", 1), 4);
    assert_int_equal(jmap_sanitize_width("\xff", 1), 4);
    assert_int_equal(jmap_sanitize_width("\xc2\x9b", 2), 6);      /* \u009b */
    assert_int_equal(jmap_sanitize_width("\xe2\x80\xae", 3), 6);  /* \u202e */
    assert_int_equal(jmap_sanitize_width("a\x1b" "b", 3), 6);
    assert_int_equal(jmap_sanitize_width("", 0), 0);
}

static void advance_counts_code_points_and_stray_bytes(void **state)
{
    (void)state;
    assert_int_equal(jmap_utf8_advance("ééx", 5, 2), 4);
    assert_int_equal(jmap_utf8_advance("\xff\xfe" "x", 3, 2), 2);
    assert_int_equal(jmap_utf8_advance("ab", 2, 5), 2);
    assert_int_equal(jmap_utf8_advance("ab", 2, 0), 0);
}

/* Every byte value in every position: the result is always safe, and clean input unchanged. */
static void any_bytes_come_out_safe(void **state)
{
    (void)state;
    char in[3];
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b += 3) {
            in[0] = (char)a, in[1] = (char)b, in[2] = 'z';
            char *s = jmap_sanitize_n(in, 3);
            assert_safe(s);
            /* an escape is as wide as it is long: the caret arithmetic relies on it */
            assert_int_equal(jmap_sanitize_width(in, 3), jmap_sanitize_width(s, strlen(s)));
            if (jmap_sanitize_clean(in, 3))
                assert_memory_equal(s, in, 3);
            free(s);
        }
    }
}

/* jmap_sanitize_write_lead into a string. */
static char *lead(const char *in)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    jmap_sanitize_write_lead(f, in, strlen(in));
    fclose(f);
    return buf;
}

/* .NET's Char.IsWhiteSpace, which the Actions runner trims before it looks for "::". */
static const char *skip_runner_space(const char *s)
{
    static const char *const spaces[] = {" ", "\t", "\n", "\v", "\f", "\r", "\xc2\x85",
                                         "\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\x80",
                                         "\xe2\x80\x8a", "\xe2\x80\xa8", "\xe2\x80\xa9",
                                         "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80"};
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < sizeof spaces / sizeof spaces[0]; i++) {
            size_t n = strlen(spaces[i]);
            if (strncmp(s, spaces[i], n) == 0) {
                s += n, again = true;
                break;
            }
        }
    }
    return s;
}

/* GitHub's runner reads `##[command]data` anywhere in a line (the legacy form): the `[` is
 * escaped wherever it follows two `#`, and a run of `#` cannot make the escape go away. */
static void legacy_workflow_commands_are_broken_up(void **state)
{
    (void)state;
    EXPECT("##[stop-commands]x.svg", "##\\x5bstop-commands]x.svg");
    EXPECT("name: ##[error]forged", "name: ##\\x5berror]forged");
    EXPECT("###[x", "###\\x5bx");
    EXPECT("##[##[", "##\\x5b##\\x5b");
    EXPECT("# [ #[ [##] ##", "# [ #[ [##] ##"); /* no `##[`: unchanged */
    /* Whatever comes between and around, the output holds no `##[`. */
    static const char *const parts[] = {"#", "[", "\x1b", "\xe2\x80\x8b", "\xff", " ", ":"};
    enum { N = sizeof parts / sizeof parts[0] };
    for (unsigned k = 0; k < N * N * N * N * N; k++) {
        char in[32] = "";
        for (unsigned v = k, j = 0; j < 5; j++, v /= N)
            strcat(in, parts[v % N]);
        char *s = jmap_sanitize(in);
        if (strstr(s, "##["))
            fail_msg("'%s' gives '%s'", in, s);
        assert_int_equal(jmap_sanitize_clean(in, strlen(in)), strcmp(s, in) == 0);
        char *again = jmap_sanitize(s); /* diagnostics sanitise names already sanitised */
        assert_string_equal(again, s);
        free(again);
        free(s);
    }
}

/* A line that jmap starts with a file name cannot start with `::` after white space: the
 * runner would read it as a workflow command (`::error title=Security::Build is safe`). */
static void text_that_starts_a_line_cannot_start_a_workflow_command(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"::error title=Security::Build is safe.yaml",
         "\\x3a:error title=Security::Build is safe.yaml"},
        {"  ::warning::x", "  \\x3a:warning::x"},
        {"\xe3\x80\x80::x", "\xe3\x80\x80\\x3a:x"},    /* ideographic space */
        {"\xc2\xa0\xe2\x80\x80::x", "\xc2\xa0\xe2\x80\x80\\x3a:x"},
        {"\t::x", "\\x09::x"},                          /* the escape starts the line */
        {":x", "\\x3ax"},
        {"maps/::error::x.yaml", "maps/::error::x.yaml"}, /* a folder first: unchanged */
        {"a::b", "a::b"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = lead(cases[i].in);
        assert_string_equal(got, cases[i].want);
        assert_true(strncmp(skip_runner_space(got), "::", 2) != 0);
        char *again = lead(got);
        assert_string_equal(again, got);
        free(again);
        free(got);
    }
    /* Only the start: the same text in the middle of a line is left as it is. */
    char *mid = jmap_sanitize("::error::x");
    assert_string_equal(mid, "::error::x");
    free(mid);
}

/* The code points of a perl property (Unicode::UCD's inversion list), into `set`. */
static bool perl_property(const char *prop, bool *set)
{
    char *cmd = jmap_xprintf("perl -MUnicode::UCD=prop_invlist -e "
                             "'print join(\" \", prop_invlist(\"%s\")), \"\\n\"' 2>/dev/null",
                             prop);
    FILE *p = popen(cmd, "r");
    free(cmd);
    if (!p)
        return false;
    unsigned long at[256];
    size_t n = 0;
    while (n < 256 && fscanf(p, "%lu", &at[n]) == 1)
        n++;
    if (pclose(p) != 0 || n == 0)
        return false;
    for (size_t i = 0; i < n; i += 2) {
        unsigned long end = i + 1 < n ? at[i + 1] : 0x110000;
        for (unsigned long cp = at[i]; cp < end && cp < 0x110000; cp++)
            set[cp] = true;
    }
    return true;
}

/* Exactly what Unicode's tables (perl's, read independently of jmap) say is invisible or not a
 * character, and the controls, line separators and interlinear annotations besides. */
static void every_invisible_code_point_unicode_lists_is_escaped(void **state)
{
    (void)state;
    test_need_tool("perl", "perl");
    bool *set = calloc(0x110000, sizeof(bool));
    assert_non_null(set);
    assert_true(perl_property("Default_Ignorable_Code_Point", set));
    assert_true(perl_property("Noncharacter_Code_Point", set));
    assert_true(perl_property("Prepended_Concatenation_Mark", set));
    assert_true(set[0x200B] && set[0xE0041] && set[0x10FFFF] && set[0x0600] && !set['a']);
    for (uint32_t cp = 0; cp < 0x20; cp++)
        set[cp] = true;
    for (uint32_t cp = 0x7F; cp <= 0x9F; cp++)
        set[cp] = true;
    set[0x2028] = set[0x2029] = set[0xFFF9] = set[0xFFFA] = set[0xFFFB] = true;
    for (uint32_t cp = 0; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        if (jmap_sanitize_escapes(cp) != set[cp])
            fail_msg("U+%04X: escaped %d, expected %d", (unsigned)cp, jmap_sanitize_escapes(cp),
                     set[cp]);
    }
    /* and through the writer: "a" U+xxxx "b" shows the code point */
    static const uint32_t samples[] = {0xAD,   0x34F,   0x61C,   0x115F,  0x17B4,  0x180F,
                                       0x2065, 0x3164,  0xFE0F,  0xFFA0,  0xFFF0,  0xFDD0,
                                       0xFFFE, 0x1FFFF, 0x10FFFF, 0x0600, 0x08E2,  0x110BD,
                                       0x1BCA0, 0x1D173, 0xE0100, 0xE0FFF};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char in[8] = "a", want[16];
        uint32_t cp = samples[i];
        char *p = in + 1;
        if (cp < 0x800) {
            *p++ = (char)(0xC0 | cp >> 6);
        } else if (cp < 0x10000) {
            *p++ = (char)(0xE0 | cp >> 12), *p++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        } else {
            *p++ = (char)(0xF0 | cp >> 18), *p++ = (char)(0x80 | ((cp >> 12) & 0x3F));
            *p++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        }
        *p++ = (char)(0x80 | (cp & 0x3F));
        *p++ = 'b';
        *p = '\0';
        snprintf(want, sizeof want, "a\\u%04xb", (unsigned)cp);
        expect(in, strlen(in), want);
    }
    free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(c0_controls_and_del_are_shown_as_hex_bytes),
        cmocka_unit_test(c1_controls_are_shown_as_code_points),
        cmocka_unit_test(bidi_controls_are_shown_and_named),
        cmocka_unit_test(zero_width_and_invisible_characters_are_shown),
        cmocka_unit_test(bytes_that_are_not_utf8_are_shown_as_hex_bytes),
        cmocka_unit_test(clean_text_is_unchanged),
        cmocka_unit_test(widths_are_terminal_columns),
        cmocka_unit_test(advance_counts_code_points_and_stray_bytes),
        cmocka_unit_test(any_bytes_come_out_safe),
        cmocka_unit_test(legacy_workflow_commands_are_broken_up),
        cmocka_unit_test(text_that_starts_a_line_cannot_start_a_workflow_command),
        cmocka_unit_test(every_invisible_code_point_unicode_lists_is_escaped),
    };
    return cmocka_run_group_tests_name("sanitize", tests, NULL, NULL);
}
