/* The scene builder's text placement (src/layout_scene.c): a glyph no font has is warned about
 * once per value, with the glyph quoted whole, however many values and however often each is
 * drawn. The fonts are stood in for by a measurer that calls some characters missing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/jmap.h"
#include "jmap/layout.h"
#include "jmap/text.h"
#include "support.h"

/* Characters "no font has": one of each UTF-8 length. */
static const char *const missing[] = {"~", "\xcf\x89" /* ω */, "\xe5\xad\x97" /* 字 */,
                                      "\xf0\x9d\x84\x9e" /* 𝄞 */};
static const uint32_t missing_cp[] = {0x7e, 0x3c9, 0x5b57, 0x1d11e};

/* The fixed measurer, with the first of `missing` found in the text reported missing. */
static jmap_text_size picky_measure(void *ctx, const char *utf8, const jmap_font *f, double w)
{
    (void)ctx;
    jmap_text_measurer fixed = jmap_text_fixed();
    jmap_text_size ts = fixed.measure(fixed.ctx, utf8, f, w);
    const char *first = NULL;
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        const char *hit = strstr(utf8, missing[i]);
        if (hit && (!first || hit < first)) {
            first = hit;
            ts.first_missing = missing_cp[i];
        }
    }
    ts.missing = first != NULL;
    return ts;
}

/* Compile and lay out `yaml` with the picky measurer; the diagnostics stay in `d`. */
static void lay_out_picky(const char *yaml, jmap_diags *d)
{
    jmap_arena *a = jmap_arena_new();
    jmap_diags_init(d);
    d->max_items = 0;
    jmap_map *m = test_compile(a, yaml, d);
    if (!m) {
        char *text = test_diags_text(d);
        fail_msg("the map does not compile:\n%s", text);
    }
    jmap_text_measurer tm = {.ctx = NULL, .measure = picky_measure};
    jmap_layout_opts o = {.theme = jmap_theme_get(JMAP_THEME_LIGHT)};
    assert_non_null(jmap_layout_build(a, m, &o, &tm, d));
    jmap_arena_free(a);
}

static size_t count_code(const jmap_diags *d, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_items; i++)
        n += strcmp(d->items[i].code, code) == 0;
    return n;
}

static void the_missing_glyph_is_quoted_whole_at_every_utf8_length(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        char *yaml = jmap_xprintf("title: T\npersonas: [{id: p, name: P}]\nstages: [{id: a}]\n"
                                  "touchpoints:\n  - {stage: a, name: \"x %s y\"}\n",
                                  missing[i]);
        jmap_diags d;
        lay_out_picky(yaml, &d);
        char *want = jmap_xprintf("no installed font can draw '%s' in 'x %s y'", missing[i],
                                  missing[i]);
        const jmap_diag *g = test_diag_find(&d, "missing-glyph");
        if (count_code(&d, "missing-glyph") != 1 || strcmp(g->msg, want) != 0) {
            char *all = test_diags_text(&d);
            fail_msg("'%s': want one warning \"%s\", got:\n%s", missing[i], want, all);
        }
        assert_int_equal(g->loc.line, 5);
        free(want);
        free(yaml);
        jmap_diags_release(&d);
    }
}

/* Forty touchpoints, each with its own name missing a glyph, and forty more that reuse those
 * names through YAML aliases (the same value, at the same place, drawn twice): forty warnings,
 * one per value, past the point where the table of values already warned about grows. */
static void each_value_is_warned_about_once_however_many_and_however_often_drawn(void **state)
{
    (void)state;
    enum { N = 40 };
    size_t cap = 4096, len = 0;
    char *yaml = malloc(cap);
    len += (size_t)snprintf(yaml, cap, "title: T\npersonas: [{id: p, name: P}]\n"
                                       "stages: [{id: a}, {id: b}]\ntouchpoints:\n");
    for (int i = 0; i < N; i++) {
        char line[128];
        int n = snprintf(line, sizeof line, "  - {stage: a, name: &n%d \"card %d \xe5\xad\x97\"}\n"
                                            "  - {stage: b, name: *n%d}\n",
                         i, i, i);
        if (len + (size_t)n + 1 > cap)
            yaml = realloc(yaml, cap *= 2);
        memcpy(yaml + len, line, (size_t)n + 1);
        len += (size_t)n;
    }
    jmap_diags d;
    lay_out_picky(yaml, &d);
    if (count_code(&d, "missing-glyph") != N) {
        char *all = test_diags_text(&d);
        fail_msg("want %d missing-glyph warnings, got %zu:\n%s", N, count_code(&d, "missing-glyph"),
                 all);
    }
    /* one per anchored value, at the anchor's line: 5, 7, 9... */
    for (int i = 0; i < N; i++)
        assert_diag_at(&d, "missing-glyph", (unsigned)(5 + 2 * i), 0);
    jmap_diags_release(&d);
    free(yaml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_missing_glyph_is_quoted_whole_at_every_utf8_length),
        cmocka_unit_test(each_value_is_warned_about_once_however_many_and_however_often_drawn),
    };
    return cmocka_run_group_tests_name("layout_scene", tests, NULL, NULL);
}
