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
#include "jmap/resolve.h"

/* The resolve pass on maps loaded by the real loader; the check pass is not run, so every
 * diagnostic seen here comes from load or resolve. */

typedef struct fixture {
    jmap_arena *a;
    jmap_diags d;
    bool ok;
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

/* Load `yaml` as `file` (which must outlive the fixture's arena), expecting no load error,
 * then resolve it. */
static jmap_map *resolve_as(fixture *f, const char *file, const char *yaml)
{
    jmap_limits lim = jmap_limits_default();
    jmap_map *map = jmap_load_map(f->a, file, yaml, strlen(yaml), &lim, &f->d);
    assert_non_null(map);
    if (jmap_diags_failed(&f->d)) {
        char *text = test_diags_text(&f->d);
        fail_msg("load failed:\n%s", text);
    }
    f->ok = jmap_resolve(f->a, map, &lim, &f->d);
    return map;
}

static jmap_map *resolve(fixture *f, const char *yaml)
{
    return resolve_as(f, "test.yaml", yaml);
}

static void assert_no_diags(const jmap_diags *d)
{
    if (d->n_items) {
        char *text = test_diags_text(d);
        fail_msg("unexpected diagnostics:\n%s", text);
    }
}

static void model_stages_come_in_model_order_with_the_map_detail_merged(void **state)
{
    fixture *f = *state;
    jmap_map *m = resolve(f, "title: T\n"
                             "model: classic\n"
                             "personas: [{id: p, name: P}]\n"
                             "stages:\n"
                             "  - id: decision\n"
                             "    name: Buy\n"
                             "    goal: Close the sale\n"
                             "    kpis: [{name: Conversion rate, target: 3}]\n"
                             "  - id: awareness\n"
                             "    description: Our own words\n");
    assert_true(f->ok);
    assert_no_diags(&f->d);
    assert_non_null(m->stage_model);
    assert_string_equal(m->stage_model->id.s, "classic");
    assert_int_equal(m->n_stages, 4);
    const char *ids[] = {"awareness", "consideration", "decision", "retention"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(m->stages[i].id.s, ids[i]);

    const jmap_stage *awareness = &m->stages[0], *consideration = &m->stages[1],
                     *decision = &m->stages[2];
    assert_string_equal(awareness->name.s, "Awareness");
    assert_string_equal(awareness->description.s, "Our own words");
    assert_null(awareness->goal.s);
    assert_int_equal(awareness->n_kpis, 0);

    assert_string_equal(consideration->name.s, "Consideration");
    assert_non_null(consideration->description.s);
    assert_true(consideration->n_suggested_kpis >= 3);

    assert_string_equal(decision->name.s, "Buy");
    assert_int_equal(decision->name.loc.line, 6);
    assert_string_equal(decision->goal.s, "Close the sale");
    assert_int_equal(decision->n_kpis, 1);
    assert_string_equal(decision->kpis[0].name.s, "Conversion rate");
    assert_true(decision->n_suggested_kpis >= 3);
    /* A stage the map writes is placed where the map writes it. */
    assert_int_equal(decision->id.loc.line, 5);
}

static void a_map_stage_the_model_lacks_is_an_error_with_a_suggestion(void **state)
{
    fixture *f = *state;
    jmap_map *m = resolve(f, "title: T\n"
                             "model: classic\n"
                             "personas: [{id: p, name: P}]\n"
                             "stages:\n"
                             "  - id: awarenes\n"
                             "  - id: zzzzzzzzzz\n");
    assert_false(f->ok);
    assert_diag_at(&f->d, "unknown-model-stage", 5, 9);
    assert_diag_at(&f->d, "unknown-model-stage", 6, 9);
    const jmap_diag *g = test_diag_find(&f->d, "unknown-model-stage");
    assert_int_equal(g->sev, JMAP_SEV_ERROR);
    assert_string_equal(g->msg, "unknown stage 'awarenes' in stage model 'classic'");
    assert_string_equal(g->hint, "did you mean 'awareness'?");
    assert_string_equal(f->d.items[1].hint, "run 'jmap stages classic' to list its stages");
    /* The model's stages are still there for the later passes. */
    assert_int_equal(m->n_stages, 4);
}

static void an_unknown_model_id_is_an_error_with_a_suggestion(void **state)
{
    fixture *f = *state;
    jmap_map *m = resolve(f, "title: T\n"
                             "model: clasic\n"
                             "personas: [{id: p, name: P}]\n");
    assert_false(f->ok);
    assert_null(m->stage_model);
    assert_diag_at(&f->d, "unknown-model", 2, 8);
    const jmap_diag *g = test_diag_find(&f->d, "unknown-model");
    assert_string_equal(g->msg, "unknown stage model 'clasic'");
    assert_string_equal(g->hint, "did you mean 'classic'?");
}

static void an_unknown_model_with_nothing_close_points_to_the_list(void **state)
{
    fixture *f = *state;
    resolve(f, "title: T\nmodel: nothing-like-it\npersonas: [{id: p, name: P}]\n");
    assert_false(f->ok);
    const jmap_diag *g = test_diag_find(&f->d, "unknown-model");
    assert_non_null(g);
    assert_string_equal(g->hint, "run 'jmap stages' to list them");
}

static const char own_model[] = "id: mine\n"
                                "name: My model\n"
                                "stages:\n"
                                "  - id: first-step\n"
                                "    kpis: [Sign-ups, Visits, Calls]\n"
                                "  - id: second\n"
                                "    name: The second\n";

static void a_model_file_is_read_relative_to_the_map(void **state)
{
    fixture *f = *state;
    char *dir = test_tmpdir("resolve-model-file");
    char *sub = jmap_xprintf("mkdir -p '%s/models'", dir);
    assert_int_equal(system(sub), 0);
    char *model_path = jmap_xprintf("%s/models/mine.yaml", dir);
    test_write_file(model_path, own_model, strlen(own_model));
    char *map_path = jmap_xprintf("%s/map.yaml", dir);

    jmap_map *m = resolve_as(f, map_path,
                             "title: T\n"
                             "model: models/mine.yaml\n"
                             "personas: [{id: p, name: P}]\n"
                             "stages: [{id: second, goal: Get there}]\n");
    assert_true(f->ok);
    assert_no_diags(&f->d);
    assert_non_null(m->stage_model);
    assert_string_equal(m->stage_model->loc.file, model_path);
    assert_int_equal(m->n_stages, 2);
    assert_string_equal(m->stages[0].id.s, "first-step");
    assert_string_equal(m->stages[0].name.s, "First Step");
    assert_int_equal(m->stages[0].n_suggested_kpis, 3);
    assert_string_equal(m->stages[0].suggested_kpis[1].s, "Visits");
    assert_string_equal(m->stages[1].name.s, "The second");
    assert_string_equal(m->stages[1].goal.s, "Get there");

    /* A bare file name ending in .yaml is a path too, beside the map. */
    char *beside = jmap_xprintf("%s/mine.yaml", dir);
    test_write_file(beside, own_model, strlen(own_model));
    m = resolve_as(f, map_path, "title: T\nmodel: mine.yaml\npersonas: [{id: p, name: P}]\n");
    assert_true(f->ok);
    assert_string_equal(m->stage_model->loc.file, beside);
    assert_int_equal(m->n_stages, 2);

    free(beside);
    free(map_path);
    free(model_path);
    free(sub);
    free(dir);
}

static void a_missing_model_file_is_reported_at_the_model_value(void **state)
{
    fixture *f = *state;
    char *dir = test_tmpdir("resolve-missing-model");
    char *map_path = jmap_xprintf("%s/map.yaml", dir);
    jmap_map *m = resolve_as(f, map_path,
                             "title: T\n"
                             "model: ./nowhere.yaml\n"
                             "personas: [{id: p, name: P}]\n");
    assert_false(f->ok);
    assert_null(m->stage_model);
    assert_int_equal(f->d.n_items, 1); /* no io-error from reading the file as well */
    assert_diag_at(&f->d, "model-not-found", 2, 8);
    assert_string_equal(f->d.items[0].msg,
                        "cannot read stage model './nowhere.yaml': No such file or directory");
    free(map_path);
    free(dir);
}

static void a_broken_model_file_is_reported_without_a_crash(void **state)
{
    fixture *f = *state;
    char *dir = test_tmpdir("resolve-broken-model");
    char *model_path = jmap_xprintf("%s/broken.yaml", dir);
    const char *broken = "id: broken\n"
                         "name: Broken\n"
                         "stages:\n"
                         "  - name: No id\n"
                         "  - id: ok\n"
                         "  - id: [not, a, string]\n";
    test_write_file(model_path, broken, strlen(broken));
    char *map_path = jmap_xprintf("%s/map.yaml", dir);
    jmap_map *m = resolve_as(f, map_path,
                             "title: T\n"
                             "model: broken.yaml\n"
                             "personas: [{id: p, name: P}]\n"
                             "touchpoints: [{stage: ok, name: N}]\n");
    assert_false(f->ok);
    for (size_t i = 0; i < m->n_stages; i++)
        assert_non_null(m->stages[i].id.s);
    free(map_path);
    free(model_path);
    free(dir);
}

static void without_a_model_the_map_stages_are_used_with_default_names(void **state)
{
    fixture *f = *state;
    jmap_map *m = resolve(f, "title: T\n"
                             "personas: [{id: p, name: P}]\n"
                             "stages:\n"
                             "  - id: problem-identification\n"
                             "  - id: snake_case_id\n"
                             "  - id: named\n"
                             "    name: A name\n");
    assert_true(f->ok);
    assert_no_diags(&f->d);
    assert_null(m->stage_model);
    assert_int_equal(m->n_stages, 3);
    assert_string_equal(m->stages[0].name.s, "Problem Identification");
    assert_string_equal(m->stages[1].name.s, "Snake Case Id");
    assert_string_equal(m->stages[2].name.s, "A name");
    assert_int_equal(m->stages[0].loc.line, 4);
}

static void touchpoints_point_at_their_stage_and_personas(void **state)
{
    fixture *f = *state;
    jmap_map *m = resolve(f, "title: T\n"
                             "personas: [{id: a, name: A}, {id: b, name: B}, {id: c, name: C}]\n"
                             "stages: [{id: one}, {id: two}]\n"
                             "touchpoints:\n"
                             "  - {stage: two, persona: b, name: N1}\n"
                             "  - {stage: one, personas: [c, nobody, a], name: N2}\n"
                             "  - {stage: one, name: N3}\n"
                             "  - {stage: three, personas: [], name: N4}\n");
    assert_true(f->ok);
    assert_int_equal(m->n_touchpoints, 4);
    const jmap_touchpoint *t = m->touchpoints;

    assert_int_equal(t[0].stage_ix, 1);
    assert_int_equal(t[0].n_persona_ix, 1);
    assert_int_equal(t[0].persona_ix[0], 1);

    assert_int_equal(t[1].stage_ix, 0);
    assert_int_equal(t[1].n_persona_ix, 2); /* 'nobody' is left out, for check to report */
    assert_int_equal(t[1].persona_ix[0], 2);
    assert_int_equal(t[1].persona_ix[1], 0);

    assert_int_equal(t[2].n_persona_ix, 3); /* neither key: every persona */
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(t[2].persona_ix[i], i);

    assert_int_equal(t[3].stage_ix, JMAP_NONE);
    assert_int_equal(t[3].n_persona_ix, 0); /* an empty list is not "every persona" */
}

static void touchpoints_find_stages_the_model_adds(void **state)
{
    fixture *f = *state;
    jmap_map *m = resolve(f, "title: T\n"
                             "model: aarrr\n"
                             "personas: [{id: a, name: A}]\n"
                             "touchpoints:\n"
                             "  - {stage: revenue, name: N1}\n"
                             "  - {stage: acquisition, name: N2}\n"
                             "  - {stage: awareness, name: N3}\n");
    assert_true(f->ok);
    assert_int_equal(m->touchpoints[0].stage_ix, 4);
    assert_int_equal(m->touchpoints[1].stage_ix, 0);
    assert_int_equal(m->touchpoints[2].stage_ix, JMAP_NONE);
}

static void many_stages_and_personas_resolve_to_the_right_index(void **state)
{
    fixture *f = *state;
    size_t n = 1000;
    char *yaml = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&yaml, &len);
    fprintf(out, "title: T\npersonas:\n");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  - {id: p%zu, name: P}\n", i);
    fprintf(out, "stages:\n");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  - {id: s%zu}\n", i);
    fprintf(out, "touchpoints:\n");
    for (size_t i = 0; i < 5 * n; i++)
        fprintf(out, "  - {stage: s%zu, personas: [p%zu, p%zu], name: N}\n", (i * 7) % n,
                (i * 13) % n, (i * 3 + 1) % n);
    fclose(out);
    jmap_map *m = resolve(f, yaml);
    assert_true(f->ok);
    for (size_t i = 0; i < 5 * n; i++) {
        const jmap_touchpoint *t = &m->touchpoints[i];
        assert_int_equal(t->stage_ix, (i * 7) % n);
        size_t want = (i * 13) % n == (i * 3 + 1) % n ? 1 : 2;
        assert_int_equal(t->n_persona_ix, want);
        assert_int_equal(t->persona_ix[0], (i * 13) % n);
    }
    free(yaml);
}

static void lanes_keep_the_written_order_once_each(void **state)
{
    fixture *f = *state;
    jmap_map *m = resolve(f, "title: T\n"
                             "personas: [{id: a, name: A}]\n"
                             "stages: [{id: one}]\n"
                             "lanes: [kpis, pains, bogus, kpis, stages]\n");
    assert_true(f->ok);
    assert_true(m->lanes_chosen);
    assert_int_equal(m->n_lane_order, 3);
    assert_int_equal(m->lane_order[0], JMAP_LANE_KPIS);
    assert_int_equal(m->lane_order[1], JMAP_LANE_PAINS);
    assert_int_equal(m->lane_order[2], JMAP_LANE_STAGES);
}

static void without_lanes_every_lane_is_in_the_default_order(void **state)
{
    fixture *f = *state;
    jmap_map *m = resolve(f, "title: T\npersonas: [{id: a, name: A}]\nstages: [{id: one}]\n");
    assert_true(f->ok);
    assert_false(m->lanes_chosen);
    assert_int_equal(m->n_lane_order, JMAP_LANE_COUNT);
    for (size_t i = 0; i < JMAP_LANE_COUNT; i++)
        assert_int_equal(m->lane_order[i], i);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(model_stages_come_in_model_order_with_the_map_detail_merged),
        T(a_map_stage_the_model_lacks_is_an_error_with_a_suggestion),
        T(an_unknown_model_id_is_an_error_with_a_suggestion),
        T(an_unknown_model_with_nothing_close_points_to_the_list),
        T(a_model_file_is_read_relative_to_the_map),
        T(a_missing_model_file_is_reported_at_the_model_value),
        T(a_broken_model_file_is_reported_without_a_crash),
        T(without_a_model_the_map_stages_are_used_with_default_names),
        T(touchpoints_point_at_their_stage_and_personas),
        T(touchpoints_find_stages_the_model_adds),
        T(many_stages_and_personas_resolve_to_the_right_index),
        T(lanes_keep_the_written_order_once_each),
        T(without_lanes_every_lane_is_in_the_default_order),
    };
    return cmocka_run_group_tests_name("resolve", tests, NULL, NULL);
}
