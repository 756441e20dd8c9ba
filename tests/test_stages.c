#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/load.h"
#include "jmap/stages.h"

/* The built-in stage models in stages/, as embedded in the binary and read by the real loader. */

typedef struct expected_model {
    const char *id;
    const char *stages[7]; /* NULL-terminated */
} expected_model;

static const expected_model expected[] = {
    {"classic", {"awareness", "consideration", "decision", "retention"}},
    {"three-stage", {"pre-purchase", "purchase", "post-purchase"}},
    {"classic-5", {"awareness", "consideration", "purchase", "retention", "advocacy"}},
    {"five-phase", {"awareness", "favorability", "consideration", "intent", "conversion"}},
    {"hubspot", {"awareness", "consideration", "decision", "delight"}},
    {"aida", {"attention", "interest", "desire", "action"}},
    {"mckinsey-cdj", {"consider", "evaluate", "buy", "experience", "advocate", "bond"}},
    {"see-think-do-care", {"see", "think", "do", "care"}},
    {"five-a", {"aware", "appeal", "ask", "act", "advocate"}},
    {"aarrr", {"acquisition", "activation", "retention", "referral", "revenue"}},
    {"b2b-buying",
     {"problem-identification", "solution-exploration", "requirements-building",
      "supplier-selection", "validation", "consensus-creation"}},
};
#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

static jmap_stage_model *load_builtin(jmap_arena *a, const jmap_builtin_stage_model *b,
                                      jmap_diags *d)
{
    jmap_limits lim = jmap_limits_default();
    return jmap_load_stage_model(a, b->file, b->text, b->len, &lim, d);
}

static void exactly_the_listed_models_are_built_in(void **state)
{
    (void)state;
    size_t n;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n);
    assert_int_equal(n, N_EXPECTED);
    for (size_t i = 0; i < N_EXPECTED; i++) {
        bool found = false;
        for (size_t j = 0; j < n; j++)
            found = found || strcmp(all[j].id, expected[i].id) == 0;
        if (!found)
            fail_msg("built-in model '%s' is missing", expected[i].id);
    }
}

static void every_built_in_model_loads_without_a_diagnostic(void **state)
{
    (void)state;
    size_t n;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n);
    for (size_t i = 0; i < n; i++) {
        jmap_arena *a = jmap_arena_new();
        jmap_diags d;
        jmap_diags_init(&d);
        d.werror = true;
        jmap_stage_model *m = load_builtin(a, &all[i], &d);
        if (d.n_items != 0) {
            char *text = test_diags_text(&d);
            fail_msg("%s:\n%s", all[i].file, text);
        }
        assert_non_null(m);
        assert_string_equal(m->id.s, all[i].id);
        assert_non_null(m->name.s);
        assert_non_null(m->description.s);
        assert_true(strlen(m->description.s) > 10);
        jmap_diags_release(&d);
        jmap_arena_free(a);
    }
}

static void every_model_has_its_stages_in_order(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_EXPECTED; i++) {
        const jmap_builtin_stage_model *b = jmap_builtin_stage_model_find(expected[i].id);
        assert_non_null(b);
        jmap_arena *a = jmap_arena_new();
        jmap_diags d;
        jmap_diags_init(&d);
        jmap_stage_model *m = load_builtin(a, b, &d);
        assert_non_null(m);
        size_t k = 0;
        while (expected[i].stages[k])
            k++;
        assert_int_equal(m->n_stages, k);
        for (size_t s = 0; s < k; s++)
            assert_string_equal(m->stages[s].id.s, expected[i].stages[s]);
        jmap_diags_release(&d);
        jmap_arena_free(a);
    }
}

static void every_stage_has_a_name_a_description_and_three_to_six_kpis(void **state)
{
    (void)state;
    size_t n;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n);
    for (size_t i = 0; i < n; i++) {
        jmap_arena *a = jmap_arena_new();
        jmap_diags d;
        jmap_diags_init(&d);
        jmap_stage_model *m = load_builtin(a, &all[i], &d);
        assert_non_null(m);
        for (size_t s = 0; s < m->n_stages; s++) {
            const jmap_stage *st = &m->stages[s];
            assert_non_null(st->name.s);
            assert_non_null(st->description.s);
            assert_true(strlen(st->description.s) > 10);
            if (st->n_suggested_kpis < 3 || st->n_suggested_kpis > 6)
                fail_msg("%s: stage '%s' suggests %zu KPIs", all[i].id, st->id.s,
                         st->n_suggested_kpis);
            for (size_t k = 0; k < st->n_suggested_kpis; k++) {
                assert_non_null(st->suggested_kpis[k].s);
                assert_true(st->suggested_kpis[k].len > 0);
            }
        }
        jmap_diags_release(&d);
        jmap_arena_free(a);
    }
}

static void built_in_models_are_sorted_by_id_and_named_after_their_file(void **state)
{
    (void)state;
    size_t n;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n);
    for (size_t i = 0; i < n; i++) {
        char *file = jmap_xprintf("stages/%s.yaml", all[i].id);
        assert_string_equal(all[i].file, file);
        free(file);
        assert_int_equal(strlen(all[i].text), all[i].len);
        if (i > 0 && strcmp(all[i - 1].id, all[i].id) >= 0)
            fail_msg("'%s' comes before '%s'", all[i - 1].id, all[i].id);
    }
}

static void find_returns_the_model_with_that_id_or_null(void **state)
{
    (void)state;
    const jmap_builtin_stage_model *b = jmap_builtin_stage_model_find("classic-5");
    assert_non_null(b);
    assert_string_equal(b->id, "classic-5");
    assert_non_null(strstr(b->text, "advocacy"));
    b = jmap_builtin_stage_model_find("classic");
    assert_non_null(b);
    assert_string_equal(b->id, "classic");
    assert_null(jmap_builtin_stage_model_find("clasic"));
    assert_null(jmap_builtin_stage_model_find(""));
    assert_null(jmap_builtin_stage_model_find("classic.yaml"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exactly_the_listed_models_are_built_in),
        cmocka_unit_test(every_built_in_model_loads_without_a_diagnostic),
        cmocka_unit_test(every_model_has_its_stages_in_order),
        cmocka_unit_test(every_stage_has_a_name_a_description_and_three_to_six_kpis),
        cmocka_unit_test(built_in_models_are_sorted_by_id_and_named_after_their_file),
        cmocka_unit_test(find_returns_the_model_with_that_id_or_null),
    };
    return cmocka_run_group_tests_name("stages", tests, NULL, NULL);
}
