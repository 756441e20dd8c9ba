/*
 * Warnings about what a map lacks (check_use.c), and the rule that a touchpoint in error does
 * not cause them: one test per cascade that used to follow an error, each with a control that
 * the warning still comes when nothing explains it.
 */
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
#include "jmap/jmap.h"

typedef struct fx {
    jmap_arena *a;
    jmap_diags d;
} fx;

static int setup(void **state)
{
    fx *f = jmap_xcalloc(1, sizeof(fx));
    f->a = jmap_arena_new();
    jmap_diags_init(&f->d);
    f->d.max_items = 0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    jmap_diags_release(&f->d);
    jmap_arena_free(f->a);
    free(f);
    return 0;
}

static fx *compile(void **state, const char *yaml)
{
    fx *f = *state;
    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    f->d.max_items = 0;
    test_compile(f->a, yaml, &f->d);
    return f;
}

/* Whether a diagnostic with this code names `subject` ("'find'") in its message. */
static bool has(const fx *f, const char *code, const char *subject)
{
    for (size_t i = 0; i < f->d.n_items; i++) {
        if (strcmp(f->d.items[i].code, code) == 0 && strstr(f->d.items[i].msg, subject))
            return true;
    }
    return false;
}

static size_t count(const fx *f, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < f->d.n_items; i++)
        n += strcmp(f->d.items[i].code, code) == 0;
    return n;
}

/* Two personas and three stages, each stage measured; `find` and `maya` are used only by the
 * touchpoint the test appends, `buy` and `tom` by the one here, `keep` by none. */
#define HEAD                                                                                       \
    "title: T\n"                                                                                   \
    "personas: [{id: maya, name: Maya}, {id: tom, name: Tom}]\n"                                   \
    "stages:\n"                                                                                    \
    "  - {id: find, kpis: [{name: Reach}]}\n"                                                      \
    "  - {id: buy, kpis: [{name: Sales}]}\n"                                                       \
    "  - {id: keep, kpis: [{name: Churn}]}\n"                                                      \
    "touchpoints:\n"                                                                               \
    "  - {stage: buy, persona: tom, name: Pays}\n"

static void the_warnings_come_when_no_error_explains_them(void **state)
{
    fx *f = compile(state, HEAD "  - {stage: buy, persona: tom, name: Again}\n");
    assert_true(has(f, "stage-without-touchpoints", "'find'"));
    assert_true(has(f, "stage-without-touchpoints", "'keep'"));
    assert_true(has(f, "unused-persona", "'maya'"));
}

/* The cascade of issue 10: "unknown stage 'fnd'" and "stage 'find' has no touchpoint". */
static void a_misspelt_stage_counts_for_the_stage_it_is_close_to(void **state)
{
    fx *f = compile(state, HEAD "  - {stage: fnd, persona: maya, name: Ad}\n");
    assert_int_equal(count(f, "unknown-stage"), 1);
    assert_false(has(f, "stage-without-touchpoints", "'find'"));
    assert_true(has(f, "stage-without-touchpoints", "'keep'")); /* not in doubt */
}

/* Nothing is close: it may be meant for any stage, so no stage is said to lack touchpoints. */
static void an_unknown_stage_far_from_every_id_keeps_every_stage_warning_back(void **state)
{
    fx *f = compile(state, HEAD "  - {stage: checkout, persona: maya, name: Ad}\n");
    assert_int_equal(count(f, "unknown-stage"), 1);
    assert_int_equal(count(f, "stage-without-touchpoints"), 0);
}

/* The touchpoint's KPIs measure the stage it was meant for. */
static void a_misspelt_stage_with_kpis_counts_as_measuring_its_stage(void **state)
{
    fx *f = compile(state, "title: T\npersonas: [{id: maya, name: Maya}]\n"
                           "stages: [{id: find}, {id: buy}]\n"
                           "touchpoints:\n  - {stage: buy, name: Pays, kpis: [{name: Sales}]}\n"
                           "  - {stage: fnd, name: Ad, kpis: [{name: Reach}]}\n");
    assert_false(has(f, "stage-without-kpis", "'find'"));
    assert_false(has(f, "stage-without-touchpoints", "'find'"));
}

static void a_stage_that_cannot_be_read_keeps_every_stage_warning_back(void **state)
{
    fx *f = compile(state, HEAD "  - {stage: [find], persona: maya, name: Ad}\n");
    assert_int_equal(count(f, "wrong-type"), 1);
    assert_int_equal(count(f, "stage-without-touchpoints"), 0);

    f = compile(state, HEAD "  - {persona: maya, name: Ad}\n"); /* no stage at all */
    assert_int_equal(count(f, "missing-key"), 1);
    assert_int_equal(count(f, "stage-without-touchpoints"), 0);
}

/* `- - stage: find`: the item is not a touchpoint, and what it meant is anyone's guess. */
static void a_touchpoint_that_is_not_a_mapping_keeps_stage_and_persona_warnings_back(void **state)
{
    fx *f = compile(state, HEAD "  - - {stage: find, persona: maya, name: Ad}\n");
    assert_int_equal(count(f, "wrong-type"), 1);
    assert_int_equal(count(f, "stage-without-touchpoints"), 0);
    assert_int_equal(count(f, "unused-persona"), 0);
}

static void a_misspelt_persona_counts_for_the_persona_it_is_close_to(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: Maya}, {id: tom, name: Tom}, "
                           "{id: ana, name: Ana}]\n"
                           "stages: [{id: find, kpis: [{name: R}]}]\n"
                           "touchpoints:\n  - {stage: find, persona: tom, name: A}\n"
                           "  - {stage: find, personas: [mya], name: B}\n");
    assert_int_equal(count(f, "unknown-persona"), 1);
    assert_false(has(f, "unused-persona", "'maya'"));
    assert_true(has(f, "unused-persona", "'ana'")); /* not in doubt */
}

static void an_unknown_persona_far_from_every_id_keeps_persona_warnings_back(void **state)
{
    fx *f = compile(state, HEAD "  - {stage: find, persona: jordan, name: Ad}\n");
    assert_int_equal(count(f, "unknown-persona"), 1);
    assert_int_equal(count(f, "unused-persona"), 0);
    assert_true(has(f, "stage-without-touchpoints", "'keep'")); /* the stage is known */
}

static void a_persona_that_cannot_be_read_keeps_persona_warnings_back(void **state)
{
    fx *f = compile(state, HEAD "  - {stage: find, personas: [tom, [maya]], name: Ad}\n");
    assert_int_equal(count(f, "wrong-type"), 1);
    assert_int_equal(count(f, "unused-persona"), 0);
}

/* KPIs written as a mapping, not a list: the stage is measured, as the author meant. */
static void kpis_that_cannot_be_read_count_as_measuring(void **state)
{
    fx *f = compile(state, "title: T\npersonas: [{id: maya, name: Maya}]\n"
                           "stages:\n  - id: find\n    kpis: {name: Reach}\n  - id: buy\n"
                           "touchpoints:\n  - {stage: find, name: Ad}\n"
                           "  - {stage: buy, name: Pays, kpis: [Sales]}\n");
    assert_int_equal(count(f, "wrong-type"), 2);
    assert_int_equal(count(f, "stage-without-kpis"), 0);

    f = compile(state, "title: T\npersonas: [{id: maya, name: Maya}]\n"
                       "stages: [{id: find}, {id: buy}]\n"
                       "touchpoints:\n  - {stage: find, name: Ad}\n  - {stage: buy, name: Pays}\n");
    assert_int_equal(count(f, "stage-without-kpis"), 2); /* the control */
}

/* A map stage the model lacks is an error at the stage; its touchpoints do not repeat it. */
static void a_stage_the_model_lacks_is_reported_once(void **state)
{
    fx *f = compile(state, "title: T\nmodel: classic\npersonas: [{id: maya, name: Maya}]\n"
                           "stages: [{id: onboarding}]\n"
                           "touchpoints:\n  - {stage: onboarding, name: A}\n"
                           "  - {stage: onboarding, name: B}\n");
    assert_int_equal(count(f, "unknown-model-stage"), 1);
    assert_int_equal(count(f, "unknown-stage"), 0);
    assert_int_equal(count(f, "stage-without-touchpoints"), 0);
}

/* A word misspelt the same way many times is one guess; past 64 different words, every
 * reference in doubt keeps the warnings back, so the pass stays linear and says nothing false. */
static void many_references_in_doubt_stay_quiet_and_linear(void **state)
{
    const char *head = "title: T\npersonas: [{id: maya, name: Maya}]\n"
                       "stages: [{id: awareness-stage, kpis: [{name: R}]}, "
                       "{id: keep, kpis: [{name: K}]}]\ntouchpoints:\n";
    char *same = jmap_xstrdup(head), *different = jmap_xstrdup(head);
    for (int i = 0; i < 100; i++) {
        char *more = jmap_xprintf("%s  - {stage: awareness-stge, name: T%d}\n", same, i);
        free(same);
        same = more;
        more = jmap_xprintf("%s  - {stage: awareness-st%02d, name: T%d}\n", different, i, i);
        free(different);
        different = more;
    }
    fx *f = compile(state, same);
    assert_int_equal(count(f, "unknown-stage"), 100);
    assert_true(has(f, "stage-without-touchpoints", "'keep'"));
    assert_false(has(f, "stage-without-touchpoints", "'awareness-stage'"));
    f = compile(state, different);
    assert_int_equal(count(f, "unknown-stage"), 100);
    assert_int_equal(count(f, "stage-without-touchpoints"), 0);
    free(same);
    free(different);
}

/* A list whose every item is in error is not also reported as empty. */
static void a_list_of_unreadable_items_is_not_also_empty(void **state)
{
    fx *f = compile(state, "title: T\npersonas: [[maya]]\nstages: [[{id: a}]]\n");
    assert_int_equal(count(f, "wrong-type"), 2);
    assert_int_equal(count(f, "no-stages"), 0);
    assert_int_equal(count(f, "no-personas"), 0);
    f = compile(state, "title: T\npersonas: []\nstages: []\n"); /* the control */
    assert_int_equal(count(f, "no-stages"), 1);
    assert_int_equal(count(f, "no-personas"), 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(the_warnings_come_when_no_error_explains_them),
        T(a_misspelt_stage_counts_for_the_stage_it_is_close_to),
        T(an_unknown_stage_far_from_every_id_keeps_every_stage_warning_back),
        T(a_misspelt_stage_with_kpis_counts_as_measuring_its_stage),
        T(a_stage_that_cannot_be_read_keeps_every_stage_warning_back),
        T(a_touchpoint_that_is_not_a_mapping_keeps_stage_and_persona_warnings_back),
        T(a_misspelt_persona_counts_for_the_persona_it_is_close_to),
        T(an_unknown_persona_far_from_every_id_keeps_persona_warnings_back),
        T(a_persona_that_cannot_be_read_keeps_persona_warnings_back),
        T(kpis_that_cannot_be_read_count_as_measuring),
        T(a_stage_the_model_lacks_is_reported_once),
        T(many_references_in_doubt_stay_quiet_and_linear),
        T(a_list_of_unreadable_items_is_not_also_empty),
    };
    return cmocka_run_group_tests_name("check_use", tests, NULL, NULL);
}
