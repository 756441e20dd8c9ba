/* The Pango measurer, with the tests' own font set: Inter and DejaVu Sans only. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../src/text_pango.h"
#include "jmap/fonts.h"
#include "support.h"

/* cmocka 1.1.5 compares floats in single precision; these are doubles. */
#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

static jmap_fonts *fonts;
static jmap_text_measurer tm;

static int setup(void **state)
{
    (void)state;
    fonts = jmap_fonts_new();
    if (!fonts)
        return -1;
    tm = jmap_fonts_measurer(fonts);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    jmap_fonts_free(fonts);
    return 0;
}

static jmap_font inter(double size)
{
    jmap_font f = {.family = "Inter", .size = size, .weight = 400};
    return f;
}

static jmap_text_size measure(const char *text, jmap_font f, double wrap_w)
{
    return tm.measure(tm.ctx, text, &f, wrap_w);
}

static void longer_text_is_wider_and_one_line(void **state)
{
    (void)state;
    jmap_text_size a = measure("Hello", inter(10), 0);
    jmap_text_size b = measure("Hello world", inter(10), 0);
    jmap_text_size c = measure("Hello", inter(20), 0);
    assert_true(a.w > 10 && b.w > a.w + 10);
    assert_true(fabs(c.w - 2 * a.w) < 0.5);
    assert_int_equal(a.lines, 1);
    assert_int_equal(b.lines, 1);
    assert_true(measure("iiii", inter(10), 0).w < measure("WWWW", inter(10), 0).w);
}

static void lines_are_one_point_three_em_apart_and_the_baseline_is_inside_the_first(void **state)
{
    (void)state;
    jmap_text_size one = measure("Hello", inter(10), 0);
    jmap_text_size two = measure("Line one\nLine two", inter(10), 0);
    assert_int_equal(two.lines, 2);
    assert_near(one.h, 13.0, 0.01);
    assert_near(two.h, 26.0, 0.01);
    assert_true(one.baseline > 7 && one.baseline < 13);
    jmap_text_size big = measure("Hello", inter(22), 0);
    assert_near(big.h, 28.6, 0.01);
}

static void wrapping_gives_more_lines_none_wider_than_the_width(void **state)
{
    (void)state;
    const char *text = "The quick brown fox jumps over the lazy dog again and again";
    jmap_text_size flat = measure(text, inter(10), 0);
    jmap_text_size wrapped = measure(text, inter(10), 100);
    assert_int_equal(flat.lines, 1);
    assert_true(flat.w > 100);
    assert_true(wrapped.lines >= 3);
    assert_true(wrapped.w <= 100);
    assert_near(wrapped.h, wrapped.lines * 13.0, 0.01);
    /* A width the text already fits changes nothing. */
    jmap_text_size roomy = measure(text, inter(10), flat.w);
    assert_int_equal(roomy.lines, 1);
    assert_near(roomy.w, flat.w, 1e-9);
}

static void a_word_longer_than_the_width_is_broken_inside(void **state)
{
    (void)state;
    const char *word = "Pneumonoultramicroscopicsilicovolcanoconiosis";
    jmap_text_size s = measure(word, inter(10), 50);
    assert_true(s.lines > 1);
    assert_true(s.w <= 50);
    assert_true(s.w > 25);
}

static void inter_is_what_fontconfig_picks_for_inter(void **state)
{
    (void)state;
    assert_string_equal(jmap_fonts_resolve_family(fonts, "Inter"), "Inter");
    assert_string_equal(jmap_fonts_resolve_family(fonts, "DejaVu Sans"), "DejaVu Sans");
    /* A family that is not installed falls back silently: the caller warns. */
    const char *got = jmap_fonts_resolve_family(fonts, "No Such Font");
    assert_string_not_equal(got, "No Such Font");
    assert_true(strcmp(got, "Inter") == 0 || strcmp(got, "DejaVu Sans") == 0);
    /* The answer is kept: the same pointer every time. */
    assert_ptr_equal(jmap_fonts_resolve_family(fonts, "Inter"),
                     jmap_fonts_resolve_family(fonts, "Inter"));
}

static void families_weights_and_styles_change_the_measure(void **state)
{
    (void)state;
    jmap_font bold = inter(10), dejavu = inter(10);
    bold.weight = 700;
    dejavu.family = "DejaVu Sans";
    double regular = measure("Hello world", inter(10), 0).w;
    assert_true(measure("Hello world", bold, 0).w > regular + 0.3);
    assert_true(fabs(measure("Hello world", dejavu, 0).w - regular) > 0.3);
    /* An unknown family measures as the fallback does, not as nothing. */
    jmap_font none = inter(10);
    none.family = "No Such Font";
    assert_true(measure("Hello world", none, 0).w > 30);
}

static void letter_spacing_widens_and_tabular_figures_are_equal(void **state)
{
    (void)state;
    jmap_font spaced = inter(10);
    spaced.letter_spacing = 1;
    double plain = measure("abcd", inter(10), 0).w;
    double wide = measure("abcd", spaced, 0).w;
    assert_true(wide > plain + 2.5 && wide < plain + 4.5);

    jmap_font tab = inter(10);
    tab.tabular = true;
    /* Inter's proportional 1 is narrower than its 0; with tnum they are the same. */
    assert_true(measure("1111", inter(10), 0).w + 1 < measure("0000", inter(10), 0).w);
    assert_near(measure("1111", tab, 0).w, measure("0000", tab, 0).w, 0.01);
}

static void cjk_is_reported_missing_with_its_first_code_point(void **state)
{
    (void)state;
    jmap_text_size s = measure("漢字", inter(10), 0);
    assert_int_equal(s.missing, 2);
    assert_int_equal(s.first_missing, 0x6F22);
    s = measure("abc 字 and 漢", inter(10), 0);
    assert_int_equal(s.missing, 2);
    assert_int_equal(s.first_missing, 0x5B57);
    /* In text shaped right to left the first is still the first in the text. */
    s = measure("שלום 字 漢", inter(10), 0);
    assert_int_equal(s.missing, 2);
    assert_int_equal(s.first_missing, 0x5B57);
    /* The first missing one on a later wrapped line. */
    s = measure("a long line of text before it wraps 한", inter(10), 60);
    assert_true(s.lines > 1);
    assert_int_equal(s.missing, 1);
    assert_int_equal(s.first_missing, 0xD55C);
}

static void emoji_outside_dejavu_are_reported_missing(void **state)
{
    (void)state;
    /* DejaVu Sans has the emoticons block (U+1F600…) and ❤ but not the transport block. */
    jmap_text_size s = measure("Launch 🚀 now", inter(10), 0);
    assert_int_equal(s.missing, 1);
    assert_int_equal(s.first_missing, 0x1F680);
    s = measure("Great 😀 ❤️", inter(10), 0);
    assert_int_equal(s.missing, 0);
    assert_int_equal(s.first_missing, 0);
}

static void accented_latin_greek_and_cyrillic_are_all_drawn(void **state)
{
    (void)state;
    const char *texts[] = {"Café crème, Zahlung über PayPal bestätigt, «ça va», Łódź",
                           "Ενημέρωση λογαριασμού", "Оплата прошла успешно",
                           "▲ ▼ ✓ ✗ ⚠ ● ■ ◆ ★ → — “ ” …"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        jmap_text_size s = measure(texts[i], inter(10), 0);
        assert_int_equal(s.missing, 0);
        assert_int_equal(s.first_missing, 0);
    }
}

static void invalid_utf8_is_measured_not_rejected(void **state)
{
    (void)state;
    jmap_text_size s = measure("bad \xff\xfe bytes", inter(10), 0);
    assert_int_equal(s.lines, 1);
    assert_true(s.w > 20);
    s = measure(NULL, inter(10), 0);
    assert_int_equal(s.lines, 1);
    assert_near(s.w, 0, 1e-9);
}

static void packages_are_named_by_script(void **state)
{
    (void)state;
    assert_string_equal(jmap_fonts_package_for(0x6F22), "fonts-noto-cjk");  /* 漢 */
    assert_string_equal(jmap_fonts_package_for(0x3042), "fonts-noto-cjk");  /* あ */
    assert_string_equal(jmap_fonts_package_for(0x30AB), "fonts-noto-cjk");  /* カ */
    assert_string_equal(jmap_fonts_package_for(0xD55C), "fonts-noto-cjk");  /* 한 */
    assert_string_equal(jmap_fonts_package_for(0xFF21), "fonts-noto-cjk");  /* Ａ */
    assert_string_equal(jmap_fonts_package_for(0x20B9F), "fonts-noto-cjk"); /* 𠮟 */
    assert_string_equal(jmap_fonts_package_for(0x1F680), "fonts-noto-color-emoji");
    assert_string_equal(jmap_fonts_package_for(0x1F600), "fonts-noto-color-emoji");
    assert_string_equal(jmap_fonts_package_for(0x1F9D1), "fonts-noto-color-emoji");
    assert_string_equal(jmap_fonts_package_for(0x1FAE0), "fonts-noto-color-emoji");
    assert_string_equal(jmap_fonts_package_for(0x1F1EB), "fonts-noto-color-emoji"); /* flag */
    assert_string_equal(jmap_fonts_package_for(0x0E01), "fonts-noto-core");         /* Thai */
    assert_string_equal(jmap_fonts_package_for(0x0915), "fonts-noto-core");         /* Devanagari */
    assert_string_equal(jmap_fonts_package_for(0x10A0), "fonts-noto-core");         /* Georgian */
    assert_null(jmap_fonts_package_for(0));
}

static void many_measures_reuse_their_styles_and_agree(void **state)
{
    (void)state;
    jmap_font styles[4] = {inter(9), inter(12), inter(9), inter(8.5)};
    styles[1].weight = 600;
    styles[2].italic = true;
    styles[3].letter_spacing = 0.4;
    double first[4];
    for (int i = 0; i < 4; i++)
        first[i] = measure("Checks ratings, delivery fee and minimum order", styles[i], 140).h;
    for (int n = 0; n < 2000; n++) {
        char text[64];
        snprintf(text, sizeof text, "Touchpoint %d of a very long journey", n);
        jmap_text_size s = measure(text, styles[n % 4], 140);
        assert_true(s.lines >= 1 && s.w <= 140);
    }
    for (int i = 0; i < 4; i++) {
        double again = measure("Checks ratings, delivery fee and minimum order", styles[i], 140).h;
        assert_near(again, first[i], 1e-9);
    }
}

/* Painting takes the layout shaped when measuring: the same object for as many paints as there
 * were measurements, a new one after that, and the measured size either way. (A text of two
 * paragraphs: jmap fills one paragraph itself, test_text_words.c.) */
static void painting_takes_the_layout_shaped_when_measuring(void **state)
{
    (void)state;
    jmap_fonts_release(fonts);
    const char *text = "Compares three shops' prices\non the bus, step 7 of the trip";
    jmap_font f = inter(9);
    jmap_text_size a = measure(text, f, 90);
    jmap_text_size b = measure(text, f, 90);
    assert_true(a.lines >= 2);
    assert_near(b.h, a.h, 0);
    PangoLayout *l1 = jmap_fonts_layout(fonts, text, &f, 90, JMAP_ALIGN_LEFT);
    PangoLayout *l2 = jmap_fonts_layout(fonts, text, &f, 90, JMAP_ALIGN_LEFT);
    PangoLayout *l3 = jmap_fonts_layout(fonts, text, &f, 90, JMAP_ALIGN_LEFT);
    assert_ptr_equal(l1, l2);
    assert_ptr_not_equal(l3, l1);
    PangoLayout *ls[2] = {l1, l3};
    for (int i = 0; i < 2; i++) {
        int w, h;
        pango_layout_get_size(ls[i], &w, &h);
        assert_near((double)h / PANGO_SCALE, a.h, 1e-9);
        assert_int_equal(pango_layout_get_line_count(ls[i]), a.lines);
    }
    g_object_unref(l1);
    g_object_unref(l2);
    g_object_unref(l3);
}

/* The same text in another width, style or alignment is never served from the wrong layout. */
static void a_kept_layout_is_only_used_for_its_own_width_style_and_alignment(void **state)
{
    (void)state;
    const char *text = "Reads the returns policy late at night, step 12 of the trip";
    jmap_font f = inter(9), bold = inter(9);
    bold.weight = 700;
    jmap_text_size narrow = measure(text, f, 60);
    jmap_text_size wide = measure(text, f, 0);
    jmap_text_size heavy = measure(text, bold, 0);
    assert_true(narrow.lines > wide.lines && heavy.w > wide.w);
    PangoLayout *c = jmap_fonts_layout(fonts, text, &f, 60, JMAP_ALIGN_CENTER);
    assert_int_equal(pango_layout_get_alignment(c), PANGO_ALIGN_CENTER);
    assert_int_equal(pango_layout_get_line_count(c), narrow.lines);
    PangoLayout *l = jmap_fonts_layout(fonts, text, &bold, 0, JMAP_ALIGN_LEFT);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    assert_near((double)w / PANGO_SCALE, heavy.w, 1e-9);
    PangoLayout *n = jmap_fonts_layout(fonts, text, &f, 60, JMAP_ALIGN_LEFT);
    assert_int_equal(pango_layout_get_line_count(n), narrow.lines);
    g_object_unref(c);
    g_object_unref(l);
    g_object_unref(n);
    /* Released, the kept layouts are gone: painting shapes anew, to the same size. */
    jmap_fonts_release(fonts);
    PangoLayout *again = jmap_fonts_layout(fonts, text, &f, 0, JMAP_ALIGN_LEFT);
    pango_layout_get_size(again, &w, &h);
    assert_near((double)w / PANGO_SCALE, wide.w, 1e-9);
    g_object_unref(again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(longer_text_is_wider_and_one_line),
        cmocka_unit_test(lines_are_one_point_three_em_apart_and_the_baseline_is_inside_the_first),
        cmocka_unit_test(wrapping_gives_more_lines_none_wider_than_the_width),
        cmocka_unit_test(a_word_longer_than_the_width_is_broken_inside),
        cmocka_unit_test(inter_is_what_fontconfig_picks_for_inter),
        cmocka_unit_test(families_weights_and_styles_change_the_measure),
        cmocka_unit_test(letter_spacing_widens_and_tabular_figures_are_equal),
        cmocka_unit_test(cjk_is_reported_missing_with_its_first_code_point),
        cmocka_unit_test(emoji_outside_dejavu_are_reported_missing),
        cmocka_unit_test(accented_latin_greek_and_cyrillic_are_all_drawn),
        cmocka_unit_test(invalid_utf8_is_measured_not_rejected),
        cmocka_unit_test(packages_are_named_by_script),
        cmocka_unit_test(many_measures_reuse_their_styles_and_agree),
        cmocka_unit_test(painting_takes_the_layout_shaped_when_measuring),
        cmocka_unit_test(a_kept_layout_is_only_used_for_its_own_width_style_and_alignment),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
