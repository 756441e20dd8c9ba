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
#include "jmap/fonts.h"

/* The map's `lang`: loaded, checked for BCP 47 form, and the language Pango shapes in. */

#define MAP_WITH(lang_line)                                                                      \
    "jmap: 1\ntitle: T\n" lang_line "model: classic\npersonas: [{id: p, name: P}]\n"            \
    "touchpoints:\n  - {stage: awareness, name: See an advert on the bus shelter}\n"

typedef struct fixture {
    jmap_arena *a;
    jmap_diags d;
} fixture;

static int setup(void **state)
{
    fixture *f = jmap_xcalloc(1, sizeof(*f));
    f->a = jmap_arena_new();
    jmap_diags_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    jmap_diags_release(&f->d);
    jmap_arena_free(f->a);
    free(f);
    return 0;
}

static void a_tag_is_loaded_as_written(void **state)
{
    fixture *f = *state;
    jmap_map *m = test_compile(f->a, MAP_WITH("lang: de-CH\n"), &f->d);
    assert_non_null(m);
    assert_string_equal(m->lang.s, "de-CH");
    assert_int_equal(m->lang.loc.line, 3);
    assert_null(test_diag_find(&f->d, "invalid-lang"));
}

static void tags_of_the_right_form_pass(void **state)
{
    (void)state;
    static const char *const good[] = {"en",         "EN-us",    "de-CH",      "zh-Hant-TW",
                                       "es-419",     "sl-rozaj", "de-1996",    "sr-Latn-RS",
                                       "haw",        "yue-HK",   "abcdefgh"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char *dir = test_tmpdir("lang-good");
        char *yaml = jmap_xprintf(MAP_WITH("lang: '%s'\n"), good[i]);
        char *map = test_put(dir, "m.yaml", yaml);
        char *err;
        test_jmap(NULL, &err, "check '%s'", map);
        if (strstr(err, "invalid-lang"))
            fail_msg("'%s' refused: %s", good[i], err);
        free(err);
        free(map);
        free(yaml);
        free(dir);
    }
}

static void a_locale_name_is_refused_with_the_tag_to_write(void **state)
{
    fixture *f = *state;
    static const char *const bad[][2] = {
        {"en_US", "en-US"},   {"de_DE.UTF-8", "de-DE"}, {"e", NULL},     {"en-", NULL},
        {"en--US", NULL},     {"abcdefghi", NULL},      {"en-US-x-a", NULL}, {"12", NULL},
        {"en US", NULL},      {"", NULL},               {"fr-FRA", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jmap_diags_release(&f->d);
        jmap_diags_init(&f->d);
        char *yaml = jmap_xprintf(MAP_WITH("lang: '%s'\n"), bad[i][0]);
        test_compile(f->a, yaml, &f->d);
        char *text = test_diags_text(&f->d);
        if (!strstr(text, "invalid-lang"))
            fail_msg("'%s' accepted: %s", bad[i][0], text);
        test_assert_diag_at(&f->d, "invalid-lang", 3, 7, __FILE__, __LINE__);
        char *hint = bad[i][1] ? jmap_xprintf("write it as '%s'", bad[i][1]) : NULL;
        if (hint && !strstr(text, hint))
            fail_msg("no hint '%s' in: %s", hint, text);
        if (!hint && strstr(text, "write it as"))
            fail_msg("a hint for '%s': %s", bad[i][0], text);
        free(hint);
        free(text);
        free(yaml);
    }
}

static void pango_shapes_in_the_maps_language(void **state)
{
    (void)state;
    jmap_fonts *fonts = jmap_fonts_new();
    assert_non_null(fonts);
    const char *was = jmap_fonts_language(fonts);
    char *none = was ? jmap_xstrdup(was) : NULL;
    jmap_text_measurer tm = jmap_fonts_measurer(fonts);
    jmap_font font = {.family = "Inter", .size = 11, .weight = 400};
    const char *text = "Compare prices and delivery fees before the first order";
    jmap_text_size before = tm.measure(tm.ctx, text, &font, 120);

    jmap_fonts_set_language(fonts, "de-CH");
    assert_string_equal(jmap_fonts_language(fonts), "de-ch");
    jmap_text_size de = tm.measure(tm.ctx, text, &font, 120);
    /* plain ASCII English-like text: German shaping and line breaking change nothing */
    assert_true(de.w == before.w && de.h == before.h && de.lines == before.lines);
    assert_true(de.lines > 1);

    jmap_fonts_set_language(fonts, NULL); /* back to the default */
    if (none)
        assert_string_equal(jmap_fonts_language(fonts), none);
    else
        assert_null(jmap_fonts_language(fonts));
    jmap_fonts_free(fonts);
    free(none);
}

/* The same map with and without `lang: de` is laid out the same (ASCII text). */
static void a_german_lang_lays_ascii_out_the_same(void **state)
{
    (void)state;
    char *dir = test_tmpdir("lang-layout");
    char *plain = test_put(dir, "plain.yaml", MAP_WITH(""));
    char *de = test_put(dir, "de.yaml", MAP_WITH("") "lang: de\n"); /* last: same lines */
    char *a, *b;
    assert_int_equal(test_jmap(&a, NULL, "build --dump-layout '%s'", plain), 0);
    assert_int_equal(test_jmap(&b, NULL, "build --dump-layout '%s'", de), 0);
    assert_true(strlen(a) > 100);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(plain);
    free(de);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_tag_is_loaded_as_written, setup, teardown),
        cmocka_unit_test(tags_of_the_right_form_pass),
        cmocka_unit_test_setup_teardown(a_locale_name_is_refused_with_the_tag_to_write, setup,
                                        teardown),
        cmocka_unit_test(pango_shapes_in_the_maps_language),
        cmocka_unit_test(a_german_lang_lays_ascii_out_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
