/* The check pass, through load -> resolve -> check as the CLI runs it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "jmap/check.h"
#include "jmap/jmap.h"
#include "jmap/load.h"
#include "jmap/resolve.h"

typedef struct fx {
    jmap_arena *a;
    jmap_diags d;
    jmap_map *map; /* what the last compile returned */
} fx;

static int setup(void **state)
{
    fx *f = jmap_xcalloc(1, sizeof(fx));
    f->a = jmap_arena_new();
    jmap_diags_init(&f->d);
    f->d.max_items = 0; /* keep everything: tests look for diagnostics far down the list */
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
    f->map = test_compile(f->a, yaml, &f->d);
    return f;
}

/* How many kept diagnostics have this code. */
static size_t count(const fx *f, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < f->d.n_items; i++)
        n += strcmp(f->d.items[i].code, code) == 0;
    return n;
}

#define assert_none(f, code) assert_count((f), (code), 0, __FILE__, __LINE__)
#define assert_n(f, code, n) assert_count((f), (code), (n), __FILE__, __LINE__)
static void assert_count(const fx *f, const char *code, size_t want, const char *file, int line)
{
    size_t got = count(f, code);
    if (got == want)
        return;
    char *all = test_diags_text(&f->d);
    print_error("%s:%d: %zu [%s], expected %zu, among:\n%s", file, line, got, code, want, all);
    free(all);
    fail();
}

/* No diagnostic at all. */
#define assert_clean(f) assert_clean_at((f), __FILE__, __LINE__)
static void assert_clean_at(const fx *f, const char *file, int line)
{
    if (f->d.n_items == 0 && f->d.n_errors == 0 && f->d.n_warnings == 0 && f->map)
        return;
    char *all = test_diags_text(&f->d);
    print_error("%s:%d: expected no diagnostics, got:\n%s", file, line, all);
    free(all);
    fail();
}

/* The printed diagnostics contain this exact line. */
#define assert_printed(f, text) assert_printed_at((f), (text), __FILE__, __LINE__)
static void assert_printed_at(const fx *f, const char *text, const char *file, int line)
{
    char *all = test_diags_text(&f->d);
    char *want = jmap_xprintf("%s\n", text);
    bool found = strstr(all, want) != NULL;
    if (!found)
        print_error("%s:%d: no line\n%s\namong:\n%s", file, line, text, all);
    free(want);
    free(all);
    if (!found)
        fail();
}

/* A small complete map that draws no warning; tests change one thing in a copy of it. */
#define HEAD                                                                                       \
    "title: T\n"                  /* 1 */                                                          \
    "personas:\n"                 /* 2 */                                                          \
    "  - id: maya\n"              /* 3 */                                                          \
    "    name: Maya\n"            /* 4 */                                                          \
    "stages:\n"                   /* 5 */                                                          \
    "  - id: find\n"              /* 6 */                                                          \
    "    kpis: [{name: Reach}]\n" /* 7 */                                                          \
    "  - id: buy\n"               /* 8 */                                                          \
    "    kpis: [{name: Sales}]\n" /* 9 */                                                          \
    "touchpoints:\n"              /* 10 */                                                         \
    "  - stage: find\n"           /* 11 */                                                         \
    "    name: Ad\n"              /* 12 */                                                         \
    "  - stage: buy\n"            /* 13 */                                                         \
    "    name: Checkout\n"        /* 14 */

/* ---- complete maps ---------------------------------------------------------------------- */

static const char schema_example[] =
    "jmap: 1\n"
    "title: First online grocery order\n"
    "subtitle: Current state, autumn 2026\n"
    "state: current\n"
    "model: classic\n"
    "\n"
    "personas:\n"
    "  - id: maya\n"
    "    name: Maya\n"
    "    role: Busy parent of two\n"
    "    goals: [Save time on the weekly shop]\n"
    "    color: \"#e76f51\"\n"
    "\n"
    "stages:\n"
    "  - id: awareness\n"
    "    goal: Learn that same-day delivery exists\n"
    "    kpis:\n"
    "      - name: Reach\n"
    "        target: 50000\n"
    "        actual: 42000\n"
    "        unit: people\n"
    "        better: higher\n"
    "\n"
    "touchpoints:\n"
    "  - stage: awareness\n"
    "    persona: maya\n"
    "    name: Friend's Instagram post\n"
    "    channel: social\n"
    "    action: Scrolls past a friend's post about delivery slots\n"
    "    thought: \"Could this free up my Saturday?\"\n"
    "    emotion: 1\n"
    "    pain: Too many look-alike ads\n"
    "    opportunity: Referral code in the post\n"
    "    backstage: Campaign targeted by postcode\n"
    "    owner: Marketing\n"
    "    url: https://example.com/campaign\n"
    "    kpis:\n"
    "      - name: Click-through rate\n"
    "        target: 0.02\n"
    "        actual: 0.031\n";

static void the_schema_example_has_no_errors_only_warnings_for_the_model_stages(void **state)
{
    fx *f = compile(state, schema_example);
    assert_non_null(f->map);
    assert_int_equal(f->d.n_errors, 0);
    /* consideration, decision and retention come from the model alone: no touchpoint, no KPI,
     * each reported at the `model:` value. */
    assert_n(f, "stage-without-touchpoints", 3);
    assert_n(f, "stage-without-kpis", 3);
    assert_int_equal(f->d.n_items, 6);
    for (size_t i = 0; i < f->d.n_items; i++) {
        assert_int_equal(f->d.items[i].loc.line, 5);
        assert_int_equal(f->d.items[i].loc.col, 8);
    }
    assert_printed(f, "test.yaml:5:8: warning: stage 'consideration' has no touchpoint "
                      "[stage-without-touchpoints]");
    assert_printed(f, "test.yaml:5:8: warning: stage 'retention' has no KPI [stage-without-kpis]");
}

static void a_complete_map_has_no_diagnostics(void **state)
{
    char *yaml = jmap_xprintf("%s"
                              "  - stage: consideration\n"
                              "    personas: [maya]\n"
                              "    name: Compares delivery fees\n"
                              "    emotion: -1.5\n"
                              "    url: mailto:cx@example.com\n"
                              "    kpis: [{name: Time on site, better: lower}]\n"
                              "  - stage: decision\n"
                              "    name: Checkout\n"
                              "    emotion: 2\n"
                              "    kpis: [{name: Conversion, target: 0.1}]\n"
                              "  - stage: retention\n"
                              "    name: Second order\n"
                              "    emotion: -2\n"
                              "    url: HTTP://Example.com:8080/x?y#z\n"
                              "    kpis: [{name: Repeat rate, better: higher}]\n"
                              "lanes: [stages, touchpoints, emotions, kpis]\n"
                              "theme: dark\n",
                              schema_example);
    fx *f = compile(state, yaml);
    free(yaml);
    assert_clean(f);
}

static void a_small_map_without_a_model_has_no_diagnostics(void **state)
{
    fx *f = compile(state, HEAD);
    assert_clean(f);
}

static void check_returns_false_only_after_an_error(void **state)
{
    fx *f = *state;
    jmap_limits lim = jmap_limits_default();
    static const char warn[] = "title: T\npersonas: [{id: maya, name: Maya}]\n"
                               "stages: [{id: find}]\n";
    jmap_map *m = jmap_load_map(f->a, "test.yaml", warn, strlen(warn), &lim, &f->d);
    assert_non_null(m);
    assert_true(jmap_resolve(f->a, m, &lim, &f->d));
    assert_true(jmap_check(m, &f->d));
    assert_true(f->d.n_warnings > 0);

    static const char bad[] = "title: T\npersonas: [{id: Maya, name: Maya}]\n"
                              "stages: [{id: find}]\n";
    m = jmap_load_map(f->a, "test.yaml", bad, strlen(bad), &lim, &f->d);
    assert_non_null(m);
    jmap_resolve(f->a, m, &lim, &f->d);
    assert_false(jmap_check(m, &f->d));
}

/* ---- version ---------------------------------------------------------------------------- */

static void a_newer_format_version_is_an_error_that_says_so(void **state)
{
    fx *f = compile(state, "jmap: 2\n" HEAD);
    assert_null(f->map);
    assert_diag_at(&f->d, "unsupported-version", 1, 7);
    assert_printed(f, "test.yaml:1:7: error: format version 2 is newer than this jmap reads "
                      "(version 1) [unsupported-version]");
}

static void a_version_below_one_is_an_error(void **state)
{
    fx *f = compile(state, "jmap: 0\n" HEAD);
    assert_diag_at(&f->d, "unsupported-version", 1, 7);
    assert_non_null(strstr(test_diag_find(&f->d, "unsupported-version")->msg, "must be 1"));
    assert_int_equal(f->d.n_errors, 1);
}

static void version_one_or_none_is_accepted(void **state)
{
    fx *f = compile(state, "jmap: 1\n" HEAD);
    assert_clean(f);
}

/* ---- stages and personas present -------------------------------------------------------- */

static void a_map_without_model_or_stages_is_an_error_at_the_top_mapping(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: Maya}]\n"
                           "touchpoints: [{stage: find, name: Ad}]\n");
    assert_null(f->map);
    assert_diag_at(&f->d, "missing-stages", 1, 1);
    assert_printed(f, "test.yaml:1:1: error: map has neither 'model' nor 'stages' "
                      "[missing-stages]");
    /* Nothing to resolve against: the touchpoint's stage is not reported as well. */
    assert_none(f, "unknown-stage");
}

static void a_model_alone_is_enough(void **state)
{
    fx *f = compile(state, "title: T\nmodel: three-stage\npersonas: [{id: maya, name: Maya}]\n");
    assert_none(f, "missing-stages");
    assert_int_equal(f->d.n_errors, 0);
}

static void an_empty_stage_list_without_a_model_is_an_error(void **state)
{
    fx *f = compile(state, "title: T\npersonas: [{id: maya, name: Maya}]\nstages: []\n");
    assert_diag_at(&f->d, "no-stages", 3, 9);
    assert_none(f, "missing-stages");
}

static void an_empty_persona_list_is_an_error(void **state)
{
    fx *f = compile(state, "title: T\nmodel: classic\npersonas: []\n");
    assert_diag_at(&f->d, "no-personas", 3, 11);
    assert_null(f->map);
}

static void a_missing_persona_list_is_the_loaders_error_only(void **state)
{
    fx *f = compile(state, "title: T\nmodel: classic\n");
    assert_n(f, "missing-key", 1);
    assert_none(f, "no-personas");
}

/* ---- ids -------------------------------------------------------------------------------- */

static void an_uppercase_persona_id_is_invalid(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "model: classic\n"
                           "personas:\n"
                           "  - id: Maya\n"
                           "    name: Maya\n");
    assert_diag_at(&f->d, "invalid-id", 4, 9);
    assert_printed(f, "test.yaml:4:9: error: invalid persona id 'Maya'; ids are lowercase "
                      "letters, digits, '-' and '_' [invalid-id]");
}

static void invalid_stage_ids_are_errors(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: Maya}]\n"
                           "stages:\n"
                           "  - id: post purchase\n"
                           "  - id: -x\n"
                           "  - id: zoë\n"
                           "  - id: _a\n");
    assert_diag_at(&f->d, "invalid-id", 4, 9);
    assert_diag_at(&f->d, "invalid-id", 5, 9);
    assert_diag_at(&f->d, "invalid-id", 6, 9);
    assert_diag_at(&f->d, "invalid-id", 7, 9);
    assert_n(f, "invalid-id", 4);
    assert_non_null(strstr(test_diag_find(&f->d, "invalid-id")->msg, "invalid stage id"));
}

static void ids_of_letters_digits_dashes_and_underscores_are_valid(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: M}, {id: 2fa, name: Z}]\n"
                           "stages: [{id: follow-up}, {id: step_2}, {id: a1-b_c}]\n");
    assert_none(f, "invalid-id");
    assert_int_equal(f->d.n_errors, 0);
}

static void a_duplicate_persona_id_names_the_first(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "model: classic\n"
                           "personas:\n"
                           "  - id: maya\n"
                           "    name: Maya\n"
                           "  - id: tom\n"
                           "    name: Tom\n"
                           "  - id: maya\n"
                           "    name: Maya again\n");
    assert_diag_at(&f->d, "duplicate-id", 8, 9);
    assert_n(f, "duplicate-id", 1);
    assert_printed(f, "test.yaml:8:9: error: duplicate persona id 'maya'; first defined at 4:9 "
                      "[duplicate-id]");
}

static void kpi_ids_allow_dots_and_are_unique_across_stages_and_touchpoints(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: M}]\n"
                           "stages:\n"
                           "  - id: find\n"
                           "    kpis: [{id: checkout.conv-rate_2, name: A}, {id: nps, name: B}]\n"
                           "touchpoints:\n"
                           "  - stage: find\n"
                           "    name: Search\n"
                           "    kpis:\n"
                           "      - {id: Bad.Id, name: C}\n"
                           "      - {id: nps, name: D}\n"
                           "      - {id: .x, name: E}\n");
    assert_n(f, "invalid-id", 2);
    assert_printed(f, "test.yaml:10:14: error: invalid KPI id 'Bad.Id'; KPI ids are lowercase "
                      "letters, digits, '.', '-' and '_' [invalid-id]");
    assert_n(f, "duplicate-id", 1);
    assert_printed(f, "test.yaml:11:14: error: duplicate KPI id 'nps'; first defined at 5:54 "
                      "[duplicate-id]");
}

static void a_data_path_with_a_control_character_is_an_error(void **state)
{
    fx *f = compile(state, HEAD "data: [\"a\\tb.csv\", kpis.csv]\n");
    assert_n(f, "control-character", 1);
}

static void a_duplicate_stage_id_is_an_error_each_time(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: Maya}]\n"
                           "stages:\n"
                           "  - id: find\n"
                           "  - id: find\n"
                           "  - id: buy\n"
                           "  - id: find\n");
    assert_diag_at(&f->d, "duplicate-id", 5, 9);
    assert_diag_at(&f->d, "duplicate-id", 7, 9);
    assert_n(f, "duplicate-id", 2);
    assert_string_equal(test_diag_find(&f->d, "duplicate-id")->hint, "first defined at 4:9");
    /* The copies get no warnings of their own: only the first 'find' and 'buy' do. */
    assert_n(f, "stage-without-touchpoints", 2);
}

static void a_stage_and_a_persona_may_share_an_id(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: shop, name: Shop}]\n"
                           "stages: [{id: shop, kpis: [{name: Sales}]}]\n"
                           "touchpoints: [{stage: shop, name: Ad}]\n");
    assert_clean(f);
}

/* ---- references ------------------------------------------------------------------------- */

static void an_unknown_stage_gets_a_did_you_mean(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "model: classic\n"
                           "personas: [{id: maya, name: Maya}]\n"
                           "touchpoints:\n"
                           "  - stage: awareness\n"
                           "    name: Ad\n"
                           "  - name: Reviews\n"
                           "    persona: maya\n"
                           "    stage: considration\n");
    assert_null(f->map);
    assert_diag_at(&f->d, "unknown-stage", 9, 12);
    assert_n(f, "unknown-stage", 1);
    const jmap_diag *g = test_diag_find(&f->d, "unknown-stage");
    assert_string_equal(g->msg, "unknown stage 'considration'");
    assert_string_equal(g->hint, "did you mean 'consideration'?");
    assert_printed(f, "test.yaml:9:12: error: unknown stage 'considration'; did you mean "
                      "'consideration'? [unknown-stage]");
}

static void an_unknown_stage_far_from_every_id_lists_the_stages(void **state)
{
    fx *f = compile(state, HEAD "  - stage: checkout\n    name: X\n");
    assert_diag_at(&f->d, "unknown-stage", 15, 12);
    assert_string_equal(test_diag_find(&f->d, "unknown-stage")->hint,
                        "the map's stages are 'find', 'buy'");
}

/* A stage of another built-in model says which one has it: the map lacks `model:`. */
static void an_unknown_stage_of_a_builtin_model_names_the_model(void **state)
{
    fx *f = compile(state, HEAD "  - stage: interest\n    name: X\n");
    assert_string_equal(test_diag_find(&f->d, "unknown-stage")->hint,
                        "'interest' is a stage of the built-in model 'aida': name it with "
                        "'model:', or add the stage to 'stages'");
}

/* With a model: the models that have it, this model's stages (the first six, then "…") and
 * the command that lists them. */
static void an_unknown_stage_of_another_model_lists_this_models_stages(void **state)
{
    fx *f = compile(state, "title: T\nmodel: b2b-buying\npersonas: [{id: maya, name: Maya}]\n"
                           "touchpoints:\n  - stage: interest\n    name: X\n"
                           "  - stage: nowhere-at-all\n    name: Y\n");
    assert_string_equal(test_diag_find(&f->d, "unknown-stage")->hint,
                        "'interest' is a stage of the model 'aida', not of 'b2b-buying', whose "
                        "stages are 'problem-identification', 'solution-exploration', "
                        "'requirements-building', 'supplier-selection', 'validation', "
                        "'consensus-creation'; see 'jmap stages b2b-buying'");
    assert_printed(f, "test.yaml:7:12: error: unknown stage 'nowhere-at-all'; the stages of model "
                      "'b2b-buying' are 'problem-identification', 'solution-exploration', "
                      "'requirements-building', 'supplier-selection', 'validation', "
                      "'consensus-creation'; see 'jmap stages b2b-buying' [unknown-stage]");
}

/* Past six ids the list ends with "…"; ids are quoted through the sanitiser. */
static void an_unknown_persona_lists_six_ids_leaving_out_ids_with_controls(void **state)
{
    fx *f = compile(state, "title: T\npersonas:\n"
                           "  - {id: a1, name: A}\n  - {id: a2, name: A}\n  - {id: a3, name: A}\n"
                           "  - {id: a4, name: A}\n  - {id: \"a5\\e[2J\", name: A}\n"
                           "  - {id: a6, name: A}\n  - {id: a7, name: A}\n  - {id: a8, name: A}\n"
                           "stages: [{id: s}]\n"
                           "touchpoints: [{stage: s, name: X, persona: zz-top}]\n");
    assert_string_equal(test_diag_find(&f->d, "unknown-persona")->hint,
                        "the map's personas are 'a1', 'a2', 'a3', 'a4', 'a6', 'a7', \xe2\x80\xa6 "
                        "(use a persona's 'id')");
}

static void a_stage_of_the_model_is_known_without_a_map_stage_entry(void **state)
{
    fx *f = compile(state, "title: T\nmodel: classic\npersonas: [{id: maya, name: Maya}]\n"
                           "touchpoints: [{stage: retention, name: X}]\n");
    assert_none(f, "unknown-stage");
    assert_int_equal(f->d.n_errors, 0);
}

static void no_unknown_stage_is_reported_when_the_model_cannot_be_found(void **state)
{
    fx *f = compile(state, "title: T\nmodel: clasic\npersonas: [{id: maya, name: Maya}]\n"
                           "touchpoints: [{stage: awareness, name: X}]\n");
    assert_diag_at(&f->d, "unknown-model", 2, 8);
    assert_none(f, "unknown-stage");
    assert_none(f, "stage-without-touchpoints");
}

static void unknown_personas_are_reported_in_persona_and_in_personas(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "model: three-stage\n"
                           "personas:\n"
                           "  - id: maya\n"
                           "    name: Maya\n"
                           "  - id: tom\n"
                           "    name: Tom\n"
                           "touchpoints:\n"
                           "  - stage: pre-purchase\n"
                           "    persona: mya\n"
                           "    name: A\n"
                           "  - stage: pre-purchase\n"
                           "    personas: [tom, tim, zebedee]\n"
                           "    name: B\n");
    assert_diag_at(&f->d, "unknown-persona", 10, 14);
    assert_diag_at(&f->d, "unknown-persona", 13, 21);
    assert_diag_at(&f->d, "unknown-persona", 13, 26);
    assert_n(f, "unknown-persona", 3);
    assert_printed(f, "test.yaml:10:14: error: unknown persona 'mya'; did you mean 'maya'? "
                      "[unknown-persona]");
    assert_printed(f, "test.yaml:13:21: error: unknown persona 'tim'; did you mean 'tom'? "
                      "[unknown-persona]");
    assert_printed(f, "test.yaml:13:26: error: unknown persona 'zebedee'; the map's personas are "
                      "'maya', 'tom' (use a persona's 'id') [unknown-persona]");
}

static void known_persona_references_are_fine(void **state)
{
    fx *f = compile(state, HEAD "  - stage: find\n    persona: maya\n    name: X\n"
                                "  - stage: buy\n    personas: [maya]\n    name: Y\n");
    assert_clean(f);
}

static void persona_and_personas_together_conflict_at_the_list(void **state)
{
    fx *f = compile(state, HEAD "  - stage: find\n"
                                "    persona: maya\n"
                                "    personas: [maya]\n"
                                "    name: X\n");
    assert_diag_at(&f->d, "persona-conflict", 17, 15);
    assert_n(f, "persona-conflict", 1);
    assert_null(f->map);
}

static void an_empty_personas_list_is_an_error_at_the_list(void **state)
{
    fx *f = compile(state, HEAD "  - stage: find\n"
                                "    personas: []\n"
                                "    name: X\n");
    assert_diag_at(&f->d, "empty-value", 16, 15);
    assert_n(f, "empty-value", 1);
    assert_null(f->map);
}

/* ---- values ----------------------------------------------------------------------------- */

static void an_emotion_outside_the_scale_is_an_error(void **state)
{
    fx *f = compile(state, HEAD "  - stage: find\n    name: X\n    emotion: 3\n"
                                "  - stage: find\n    name: Y\n    emotion: -2.5\n"
                                "  - stage: find\n    name: Z\n    emotion: 2.0001\n");
    assert_diag_at(&f->d, "emotion-range", 17, 14);
    assert_diag_at(&f->d, "emotion-range", 20, 14);
    assert_diag_at(&f->d, "emotion-range", 23, 14);
    assert_printed(f, "test.yaml:17:14: error: emotion 3 is outside -2 .. 2 [emotion-range]");
    assert_printed(f, "test.yaml:20:14: error: emotion -2.5 is outside -2 .. 2 [emotion-range]");
    assert_printed(f, "test.yaml:23:14: error: emotion 2.0001 is outside -2 .. 2 "
                      "[emotion-range]");
}

static void emotions_on_the_scale_are_fine(void **state)
{
    fx *f = compile(state, HEAD "  - {stage: find, name: A, emotion: -2}\n"
                                "  - {stage: find, name: B, emotion: 2}\n"
                                "  - {stage: find, name: C, emotion: 0.5}\n"
                                "  - {stage: find, name: D, emotion: -1e0}\n");
    assert_clean(f);
}

static void colours_must_be_hex_with_three_or_six_digits(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "model: classic\n"
                           "personas:\n"
                           "  - {id: a, name: A, color: red}\n"
                           "  - {id: b, name: B, color: \"#12345\"}\n"
                           "  - {id: c, name: C, color: \"#e76f51aa\"}\n"
                           "  - {id: d, name: D, color: \"#ggg\"}\n"
                           "  - {id: e, name: E, color: \"e76f51\"}\n"
                           "  - {id: f, name: F, color: \"#0af\"}\n"
                           "  - {id: g, name: G, color: \"#E76F51\"}\n");
    for (unsigned line = 4; line <= 8; line++)
        assert_diag_at(&f->d, "invalid-color", line, 29);
    assert_n(f, "invalid-color", 5);
    assert_printed(f, "test.yaml:4:29: error: invalid color 'red'; expected '#rgb' or '#rrggbb' "
                      "in hexadecimal [invalid-color]");
}

static fx *compile_url(void **state, const char *url)
{
    fx *f = *state;
    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    f->d.max_items = 0;
    char *yaml = jmap_xprintf(HEAD "  - stage: find\n    name: X\n    url: %s\n", url);
    compile(state, yaml);
    free(yaml);
    return f;
}

static void only_http_https_and_mailto_urls_are_allowed(void **state)
{
    static const char *const bad[] = {
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "\"data:text/html,<b>x</b>\"",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "example.com/page",
        "https://",
        "http:example.com",
        "\"https:// example.com\"",
        "\" javascript:alert(1)\"",
        "\"mailto:\"",
        "\"java\\tscript:alert(1)\"",
        "https://user@:80/x",
        "\"https://example.com/\\x9b\"",        /* C1 control */
        "\"https://example.com/\\u202egpj.exe\"", /* right-to-left override */
        "\"https://exa\\u200bmple.com/\"",        /* zero-width space */
        "\"https://example.com/\\0\"",            /* NUL: the string would end early */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fx *f = compile_url(state, bad[i]);
        assert_diag_at(&f->d, "invalid-url", 17, 10);
        assert_n(f, "invalid-url", 1);
    }
    static const char *const good[] = {
        "https://example.com",   "http://example.com/a?b=c#d",     "HTTPS://EXAMPLE.COM",
        "mailto:cx@example.com", "https://user@example.com:8443/", "https://[::1]:80/",
        "https://例え.jp/パス",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        fx *f = compile_url(state, good[i]);
        assert_clean(f);
    }
}

static void a_javascript_url_says_why_it_is_refused(void **state)
{
    fx *f = compile_url(state, "javascript:alert(1)");
    assert_non_null(strstr(test_diag_find(&f->d, "invalid-url")->msg, "opened in browsers"));
    f = compile_url(state, "example.com/page");
    assert_string_equal(test_diag_find(&f->d, "invalid-url")->hint,
                        "write it as 'https://example.com/page'");
}

static void state_must_be_current_or_future(void **state)
{
    fx *f = compile(state, "state: draft\n" HEAD);
    assert_diag_at(&f->d, "invalid-value", 1, 8);
    assert_printed(f, "test.yaml:1:8: error: invalid state 'draft'; expected 'current' or "
                      "'future' [invalid-value]");
    f = compile(state, "state: curent\n" HEAD);
    assert_printed(f, "test.yaml:1:8: error: invalid state 'curent'; expected 'current' or "
                      "'future'; did you mean 'current'? [invalid-value]");
}

static void theme_must_be_light_dark_or_print(void **state)
{
    fx *f = compile(state, HEAD "theme: drak\n");
    assert_diag_at(&f->d, "invalid-value", 15, 8);
    assert_string_equal(test_diag_find(&f->d, "invalid-value")->hint, "did you mean 'dark'?");
}

static void the_listed_words_are_accepted(void **state)
{
    fx *f = compile(state, "state: future\ntheme: print\n" HEAD);
    assert_clean(f);
}

static void kpi_better_must_be_higher_or_lower(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: Maya}]\n"
                           "stages:\n"
                           "  - id: find\n"
                           "    kpis:\n"
                           "      - {name: Reach, better: more}\n"
                           "      - {name: Cost, better: lowr}\n"
                           "      - {name: Sales, better: lower}\n"
                           "      - {name: Visits, better: higher}\n"
                           "touchpoints:\n"
                           "  - stage: find\n"
                           "    name: Ad\n"
                           "    kpis: [{name: CTR, better: up}]\n");
    assert_diag_at(&f->d, "invalid-value", 6, 31);
    assert_diag_at(&f->d, "invalid-value", 7, 30);
    assert_diag_at(&f->d, "invalid-value", 13, 32);
    assert_n(f, "invalid-value", 3);
    assert_printed(f, "test.yaml:7:30: error: invalid 'better' value 'lowr'; expected 'higher' "
                      "or 'lower'; did you mean 'lower'? [invalid-value]");
}

static void a_kpi_with_better_and_no_numbers_is_fine(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: Maya}]\n"
                           "stages:\n"
                           "  - id: find\n"
                           "    kpis: [{name: Reach, better: lower}, {name: NPS, target: 40}]\n"
                           "touchpoints: [{stage: find, name: Ad}]\n");
    assert_clean(f);
}

static void unknown_lanes_are_errors_with_a_did_you_mean(void **state)
{
    fx *f = compile(state, HEAD "lanes: [stages, pain, emotions, swimlane]\n");
    assert_diag_at(&f->d, "unknown-lane", 15, 17);
    assert_diag_at(&f->d, "unknown-lane", 15, 33);
    assert_n(f, "unknown-lane", 2);
    assert_printed(f, "test.yaml:15:17: error: unknown lane 'pain'; did you mean 'pains'? "
                      "[unknown-lane]");
    assert_printed(f, "test.yaml:15:33: error: unknown lane 'swimlane' [unknown-lane]");
}

static void a_lane_listed_twice_is_a_warning(void **state)
{
    fx *f = compile(state, HEAD "lanes: [stages, pains, stages]\n");
    assert_non_null(f->map);
    assert_diag_at(&f->d, "duplicate-lane", 15, 24);
    assert_n(f, "duplicate-lane", 1);
    const jmap_diag *g = test_diag_find(&f->d, "duplicate-lane");
    assert_int_equal(g->sev, JMAP_SEV_WARNING);
    assert_string_equal(g->hint, "first listed at 15:9");
}

static void every_lane_once_is_fine(void **state)
{
    fx *f = compile(state, HEAD "lanes: [kpis, backstage, opportunities, pains, emotions, "
                                "thoughts, actions, touchpoints, stages]\n");
    assert_clean(f);
}

static void empty_required_strings_are_errors(void **state)
{
    fx *f = compile(state, "title: \"\"\n"
                           "personas:\n"
                           "  - id: \"\"\n"
                           "    name: ''\n"
                           "  - id: maya\n"
                           "    name: \" \"\n"
                           "stages:\n"
                           "  - id: find\n"
                           "    name: \"\"\n"
                           "    kpis: [{name: \"\"}]\n"
                           "touchpoints:\n"
                           "  - stage: \"\"\n"
                           "    name: \"\"\n"
                           "    persona: \"\"\n");
    assert_diag_at(&f->d, "empty-value", 1, 8);
    assert_diag_at(&f->d, "empty-value", 3, 9);
    assert_diag_at(&f->d, "empty-value", 4, 11);
    assert_diag_at(&f->d, "empty-value", 6, 11);
    assert_diag_at(&f->d, "empty-value", 9, 11);
    assert_diag_at(&f->d, "empty-value", 10, 19);
    assert_diag_at(&f->d, "empty-value", 12, 12);
    assert_diag_at(&f->d, "empty-value", 13, 11);
    assert_diag_at(&f->d, "empty-value", 14, 14);
    assert_n(f, "empty-value", 9);
    /* An empty id or reference is empty, not also invalid or unknown. */
    assert_none(f, "invalid-id");
    assert_none(f, "unknown-stage");
    assert_none(f, "unknown-persona");
    assert_printed(f, "test.yaml:1:8: error: empty value for 'title' [empty-value]");
}

/* ---- warnings --------------------------------------------------------------------------- */

static void a_stage_without_touchpoints_is_a_warning_at_its_entry(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: Maya}]\n"
                           "stages:\n"
                           "  - id: find\n"
                           "    kpis: [{name: Reach}]\n"
                           "  - name: Pay\n"
                           "    id: buy\n"
                           "    kpis: [{name: Sales}]\n"
                           "touchpoints: [{stage: find, name: Ad}]\n");
    assert_non_null(f->map);
    assert_diag_at(&f->d, "stage-without-touchpoints", 6, 5);
    assert_n(f, "stage-without-touchpoints", 1);
    assert_none(f, "stage-without-kpis");
    assert_printed(f, "test.yaml:6:5: warning: stage 'buy' has no touchpoint "
                      "[stage-without-touchpoints]");
}

static void a_model_stage_the_map_does_not_mention_warns_at_the_model(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "model: three-stage\n"
                           "personas: [{id: maya, name: Maya}]\n"
                           "stages:\n"
                           "  - id: pre-purchase\n"
                           "    kpis: [{name: Reach}]\n"
                           "touchpoints:\n"
                           "  - {stage: pre-purchase, name: Ad}\n"
                           "  - {stage: purchase, name: Buy, kpis: [{name: Time}]}\n");
    assert_non_null(f->map);
    assert_diag_at(&f->d, "stage-without-touchpoints", 2, 8);
    assert_diag_at(&f->d, "stage-without-kpis", 2, 8);
    assert_n(f, "stage-without-touchpoints", 1);
    assert_n(f, "stage-without-kpis", 1);
    assert_printed(f, "test.yaml:2:8: warning: stage 'post-purchase' has no touchpoint "
                      "[stage-without-touchpoints]");
}

static void a_stage_without_kpis_is_a_warning_unless_a_touchpoint_has_one(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: Maya}]\n"
                           "stages:\n"
                           "  - id: find\n"
                           "  - id: buy\n"
                           "touchpoints:\n"
                           "  - {stage: find, name: Ad}\n"
                           "  - {stage: buy, name: Pay, kpis: [{name: Sales}]}\n");
    assert_non_null(f->map);
    assert_diag_at(&f->d, "stage-without-kpis", 4, 5);
    assert_n(f, "stage-without-kpis", 1);
    assert_printed(f, "test.yaml:4:5: warning: stage 'find' has no KPI [stage-without-kpis]");
}

static void a_persona_in_no_touchpoint_is_a_warning_at_its_id(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas:\n"
                           "  - id: maya\n"
                           "    name: Maya\n"
                           "  - id: tom\n"
                           "    name: Tom\n"
                           "  - id: ann\n"
                           "    name: Ann\n"
                           "stages: [{id: find, kpis: [{name: Reach}]}]\n"
                           "touchpoints:\n"
                           "  - {stage: find, name: A, persona: maya}\n"
                           "  - {stage: find, name: B, personas: [ann]}\n");
    assert_non_null(f->map);
    assert_diag_at(&f->d, "unused-persona", 5, 9);
    assert_n(f, "unused-persona", 1);
    assert_printed(f, "test.yaml:5:9: warning: persona 'tom' appears in no touchpoint "
                      "[unused-persona]");
}

static void a_touchpoint_without_personas_uses_every_persona(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: Maya}, {id: tom, name: Tom}]\n"
                           "stages: [{id: find, kpis: [{name: Reach}]}]\n"
                           "touchpoints: [{stage: find, name: A}]\n");
    assert_clean(f);
}

static void a_map_without_touchpoints_warns_about_every_stage_and_persona(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas: [{id: maya, name: Maya}]\n"
                           "stages: [{id: find}, {id: buy}]\n");
    assert_non_null(f->map);
    assert_int_equal(f->d.n_errors, 0);
    assert_n(f, "stage-without-touchpoints", 2);
    assert_n(f, "stage-without-kpis", 2);
    assert_n(f, "unused-persona", 1);
    assert_int_equal(f->d.n_warnings, 5);
}

static void warnings_become_errors_under_werror(void **state)
{
    fx *f = *state;
    f->d.werror = true;
    compile(state, "title: T\npersonas: [{id: maya, name: Maya}]\nstages: [{id: find}]\n");
    assert_null(f->map);
    assert_int_equal(f->d.n_warnings, 0);
    assert_int_equal(f->d.n_errors, 3);
    const jmap_diag *g = test_diag_find(&f->d, "unused-persona");
    assert_non_null(g);
    assert_int_equal(g->sev, JMAP_SEV_ERROR);
}

/* ---- order, partial models, scale ------------------------------------------------------- */

static void diagnostics_follow_the_file(void **state)
{
    fx *f = compile(state, "title: T\n"
                           "personas:\n"
                           "  - {id: maya, name: Maya, color: blue}\n"
                           "  - {id: Tom, name: Tom}\n"
                           "stages: [{id: find}, {id: buy}]\n"
                           "touchpoints:\n"
                           "  - {stage: fnd, name: A, emotion: 5, url: \"ftp://x\"}\n"
                           "lanes: [pain]\n"
                           "state: old\n");
    assert_true(f->d.n_items >= 8);
    for (size_t i = 1; i < f->d.n_items; i++) {
        const jmap_loc *a = &f->d.items[i - 1].loc, *b = &f->d.items[i].loc;
        assert_true(a->line < b->line || (a->line == b->line && a->col <= b->col));
    }
}

static void values_the_loader_refused_are_not_reported_again(void **state)
{
    fx *f = compile(state, "title: [T]\n"
                           "personas:\n"
                           "  - name: Maya\n"
                           "  - id: tom\n"
                           "    name: {x: 1}\n"
                           "    color: [1]\n"
                           "stages: [{id: find}, 7]\n"
                           "touchpoints:\n"
                           "  - stage: [find]\n"
                           "    emotion: high\n"
                           "    url: [3]\n"
                           "  - 5\n"
                           "  - name: B\n"
                           "    stage: find\n"
                           "    personas: [tom, [3], {a: b}]\n"
                           "lanes: [stages, [x]]\n"
                           "jmap: one\n");
    assert_null(f->map);
    /* Only the loader's diagnostics, plus warnings about what is really there. */
    for (size_t i = 0; i < f->d.n_items; i++) {
        const char *code = f->d.items[i].code;
        bool ok = strcmp(code, "wrong-type") == 0 || strcmp(code, "missing-key") == 0 ||
                  strcmp(code, "stage-without-kpis") == 0;
        if (!ok) {
            char *all = test_diags_text(&f->d);
            print_error("unexpected [%s] among:\n%s", code, all);
            free(all);
            fail();
        }
    }
}

/* A stage-model file with `stages: []` gave a map with no column and no error. */
static void a_stage_model_file_without_stages_is_an_error(void **state)
{
    fx *f = *state;
    char *dir = test_tmpdir("check-model-empty");
    free(test_put(dir, "empty.yaml", "id: empty\nname: Empty\nstages: []\n"));
    char *map_path = jmap_xprintf("%s/map.yaml", dir);
    static const char map[] = "title: T\n"
                              "model: empty.yaml\n"
                              "personas: [{id: maya, name: Maya}]\n";
    jmap_limits lim = jmap_limits_default();
    f->map = jmap_compile(f->a, map_path, map, strlen(map), &lim, &f->d);
    assert_null(f->map);
    assert_diag_at(&f->d, "no-stages", 3, 9);
    const jmap_diag *g = test_diag_find(&f->d, "no-stages");
    assert_non_null(strstr(g->loc.file, "empty.yaml"));
    assert_string_equal(g->msg, "'stages' is empty; a stage model needs at least one stage");
    free(map_path);
    free(dir);
}

static void a_broken_stage_model_file_is_checked_too(void **state)
{
    fx *f = *state;
    char *dir = test_tmpdir("check-model");
    char *path = jmap_xprintf("%s/my-model.yaml", dir);
    static const char model[] = "id: mine\n"
                                "name: Mine\n"
                                "stages:\n"
                                "  - id: Look\n"
                                "  - id: pay\n"
                                "  - id: pay\n";
    test_write_file(path, model, strlen(model));
    char *map_path = jmap_xprintf("%s/map.yaml", dir);
    static const char map[] = "title: T\n"
                              "model: my-model.yaml\n"
                              "personas: [{id: maya, name: Maya}]\n"
                              "touchpoints: [{stage: pay, name: A, kpis: [{name: K}]}]\n";
    jmap_limits lim = jmap_limits_default();
    f->map = jmap_compile(f->a, map_path, map, strlen(map), &lim, &f->d);
    assert_null(f->map);
    assert_diag_at(&f->d, "invalid-id", 4, 9);
    assert_diag_at(&f->d, "duplicate-id", 6, 9);
    const jmap_diag *g = test_diag_find(&f->d, "duplicate-id");
    assert_non_null(strstr(g->loc.file, "my-model.yaml"));
    assert_string_equal(g->hint, "first defined at 5:9");
    free(map_path);
    free(path);
    free(dir);
}

static void every_unknown_reference_is_counted_in_a_large_map(void **state)
{
    fx *f = *state;
    f->d.max_items = JMAP_DIAGS_DEFAULT_MAX;
    enum { N = 20000 };
    char *yaml = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&yaml, &len);
    fputs("title: T\npersonas: [{id: maya, name: Maya}]\n"
          "stages: [{id: find, kpis: [{name: K}]}, {id: buy, kpis: [{name: K}]}]\n"
          "touchpoints:\n",
          out);
    for (int i = 0; i < N; i++)
        fprintf(out, "  - {stage: %s, name: t%d, persona: %s}\n", i % 2 ? "find" : "fnd", i,
                i % 4 == 1 ? "maia" : "maya");
    fclose(out);
    compile(state, yaml);
    free(yaml);
    /* Half the stages and a quarter of the personas are misspelt: all are counted, the first
     * ones kept, in file order, with their hints. */
    assert_int_equal(f->d.n_errors, N / 2 + N / 4);
    assert_int_equal(f->d.n_warnings, 1); /* 'buy' has no touchpoint */
    assert_int_equal(f->d.n_items, JMAP_DIAGS_DEFAULT_MAX + 1);
    assert_int_equal(f->d.n_dropped, N / 2 + N / 4 - JMAP_DIAGS_DEFAULT_MAX);
    assert_string_equal(f->d.items[0].code, "stage-without-touchpoints"); /* 'buy', line 3 */
    assert_diag_at(&f->d, "unknown-stage", 5, 13);
    assert_string_equal(f->d.items[1].hint, "did you mean 'find'?");
    assert_string_equal(f->d.items[2].code, "unknown-persona");
    assert_int_equal(f->d.items[2].loc.line, 6);
    assert_string_equal(f->d.items[2].hint, "did you mean 'maya'?");
}

/* ---- where a control character is underlined -------------------------------------------- */

/* The body after a title that may take more than one line: HEAD from its second line on. */
#define AFTER_TITLE                                                                                \
    "personas:\n  - id: maya\n    name: Maya\n"                                                    \
    "stages:\n  - id: find\n    kpis: [{name: Reach}]\n  - id: buy\n    kpis: [{name: Sales}]\n" \
    "touchpoints:\n  - stage: find\n    name: Ad\n  - stage: buy\n    name: Checkout\n"

static void a_control_character_is_underlined_where_the_source_has_it(void **state)
{
    (void)state;
    /* "\u202e" in C is the raw character in the YAML (a bidi control, a warning); "\\x01" is a
     * YAML escape (a control character, an error). */
    static const struct {
        const char *title; /* the lines from "title:" on */
        const char *code;
        unsigned line, col, end_col; /* end_col 0: not checked */
    } cases[] = {
        /* an anchor before the value is skipped; the escape is underlined whole */
        {"title: &t \"Hi\\x01\"\n", "control-character", 1, 14, 17},
        /* '' in a single-quoted scalar is one character of the value */
        {"title: 'it''s \u202e x'\n", "bidi-control", 1, 15, 15},
        {"title: 'a\u202eb'\n", "bidi-control", 1, 10, 10},
        /* a plain scalar folded over two lines: found on its second line */
        {"title: first line\n  second \u202e x\n", "bidi-control", 2, 10, 0},
        /* a block scalar: looked for from the line after the indicator */
        {"title: |\n  one \u202e\n  two \u202e\n", "bidi-control", 2, 7, 0},
        /* an escape on a later line of a double-quoted scalar cannot be placed: the value */
        {"title: \"a\n  b\\x01\"\n", "control-character", 1, 8, 0},
        /* the anchor is all there is on the key's line: the value */
        {"title: &t\n  \"Hi\\x01\"\n", "control-character", 1, 8, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jmap_arena *a = jmap_arena_new();
        jmap_diags d;
        jmap_diags_init(&d);
        char *yaml = jmap_xprintf("%s%s", cases[i].title, AFTER_TITLE);
        test_compile(a, yaml, &d);
        const jmap_diag *got = test_diag_find(&d, cases[i].code);
        if (!got || d.n_items != 1 || got->loc.line != cases[i].line ||
            got->loc.col != cases[i].col ||
            (cases[i].end_col && got->loc.end_col != cases[i].end_col)) {
            char *all = test_diags_text(&d);
            fail_msg("case %zu: want [%s] at %u:%u-%u, got:\n%s", i, cases[i].code, cases[i].line,
                     cases[i].col, cases[i].end_col, all);
        }
        free(yaml);
        jmap_diags_release(&d);
        jmap_arena_free(a);
    }
}

/* HEAD with `from` replaced by `to` (once). */
static char *head_with(const char *from, const char *to)
{
    const char *head = HEAD;
    const char *at = strstr(head, from);
    assert_non_null(at);
    return jmap_xprintf("%.*s%s%s", (int)(at - head), head, to, at + strlen(from));
}

/* A value that is not text holding a NUL or another control character (a tab too) is a
 * control-character error at the character, and nothing else about it is reported: before,
 * the NUL silently cut `"maya\0x"` to the valid id `maya`. */
static void a_control_character_in_a_value_that_is_not_text_is_an_error(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to;
        unsigned line, col, line2, col2; /* line2 0: one diagnostic */
    } cases[] = {
        {"title: T\n", "title: T\nstate: \"current\\0x\"\n", 2, 16, 0, 0},
        {"title: T\n", "title: T\ntheme: \"dark\\x07\"\n", 2, 13, 0, 0},
        {"title: T\n", "title: T\nlanes: [\"stages\\0\"]\n", 2, 16, 0, 0},
        {"  - id: maya\n", "  - id: \"maya\\0x\"\n", 3, 14, 0, 0},
        {"  - id: maya\n", "  - id: \"maya\\tx\"\n", 3, 14, 0, 0},
        /* "p\0x" and "p\0y" are not reported as the same id "p" */
        {"  - id: maya\n    name: Maya\n",
         "  - id: \"p\\0x\"\n    name: P\n  - id: \"p\\0y\"\n    name: Q\n", 3, 11, 5, 11},
        {"    name: Maya\n", "    name: Maya\n    color: \"#fff\\0zz\"\n", 5, 17, 0, 0},
        {"  - id: find\n", "  - id: \"find\\0\"\n", 6, 14, 0, 0},
        {"    kpis: [{name: Reach}]\n", "    kpis: [{name: Reach, better: \"lower\\0\"}]\n", 7, 40,
         0, 0},
        {"  - stage: find\n", "  - stage: \"find\\0x\"\n", 11, 17, 0, 0},
        {"    name: Ad\n", "    name: Ad\n    persona: \"maya\\0\"\n", 13, 19, 0, 0},
        {"    name: Ad\n", "    name: Ad\n    personas: [\"maya\\tx\"]\n", 13, 21, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jmap_arena *a = jmap_arena_new();
        jmap_diags d;
        jmap_diags_init(&d);
        char *yaml = head_with(cases[i].from, cases[i].to);
        test_compile(a, yaml, &d);
        size_t want = cases[i].line2 ? 2 : 1;
        bool ok = d.n_items == want && d.n_errors == want;
        for (size_t k = 0; ok && k < want; k++) {
            const jmap_diag *g = &d.items[k];
            ok = strcmp(g->code, "control-character") == 0 &&
                 g->loc.line == (k ? cases[i].line2 : cases[i].line) &&
                 g->loc.col == (k ? cases[i].col2 : cases[i].col);
        }
        if (!ok) {
            char *all = test_diags_text(&d);
            fail_msg("case %zu: want [control-character] at %u:%u (and %u:%u), got:\n%s", i,
                     cases[i].line, cases[i].col, cases[i].line2, cases[i].col2, all);
        }
        free(yaml);
        jmap_diags_release(&d);
        jmap_arena_free(a);
    }
}

/* A url reads whole already (a control character is an invalid-url); its message now shows the
 * whole value, NUL and all, instead of what a C string would stop at. */
static void a_url_with_a_nul_is_quoted_whole(void **state)
{
    fx *f = compile(state, HEAD "    url: \"https://example.com\\0evil\"\n");
    assert_n(f, "invalid-url", 1);
    assert_none(f, "control-character");
    assert_non_null(
        strstr(test_diag_find(&f->d, "invalid-url")->msg, "'https://example.com\\x00evil'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(the_schema_example_has_no_errors_only_warnings_for_the_model_stages),
        T(a_complete_map_has_no_diagnostics),
        T(a_small_map_without_a_model_has_no_diagnostics),
        T(check_returns_false_only_after_an_error),
        T(a_newer_format_version_is_an_error_that_says_so),
        T(a_version_below_one_is_an_error),
        T(version_one_or_none_is_accepted),
        T(a_map_without_model_or_stages_is_an_error_at_the_top_mapping),
        T(a_model_alone_is_enough),
        T(an_empty_stage_list_without_a_model_is_an_error),
        T(an_empty_persona_list_is_an_error),
        T(a_missing_persona_list_is_the_loaders_error_only),
        T(an_uppercase_persona_id_is_invalid),
        T(invalid_stage_ids_are_errors),
        T(ids_of_letters_digits_dashes_and_underscores_are_valid),
        T(a_duplicate_persona_id_names_the_first),
        T(kpi_ids_allow_dots_and_are_unique_across_stages_and_touchpoints),
        T(a_data_path_with_a_control_character_is_an_error),
        T(a_duplicate_stage_id_is_an_error_each_time),
        T(a_stage_and_a_persona_may_share_an_id),
        T(an_unknown_stage_gets_a_did_you_mean),
        T(an_unknown_stage_far_from_every_id_lists_the_stages),
        T(an_unknown_stage_of_a_builtin_model_names_the_model),
        T(an_unknown_stage_of_another_model_lists_this_models_stages),
        T(an_unknown_persona_lists_six_ids_leaving_out_ids_with_controls),
        T(a_stage_of_the_model_is_known_without_a_map_stage_entry),
        T(no_unknown_stage_is_reported_when_the_model_cannot_be_found),
        T(unknown_personas_are_reported_in_persona_and_in_personas),
        T(known_persona_references_are_fine),
        T(persona_and_personas_together_conflict_at_the_list),
        T(an_empty_personas_list_is_an_error_at_the_list),
        T(an_emotion_outside_the_scale_is_an_error),
        T(emotions_on_the_scale_are_fine),
        T(colours_must_be_hex_with_three_or_six_digits),
        T(only_http_https_and_mailto_urls_are_allowed),
        T(a_javascript_url_says_why_it_is_refused),
        T(state_must_be_current_or_future),
        T(theme_must_be_light_dark_or_print),
        T(the_listed_words_are_accepted),
        T(kpi_better_must_be_higher_or_lower),
        T(a_kpi_with_better_and_no_numbers_is_fine),
        T(unknown_lanes_are_errors_with_a_did_you_mean),
        T(a_lane_listed_twice_is_a_warning),
        T(every_lane_once_is_fine),
        T(empty_required_strings_are_errors),
        T(a_stage_without_touchpoints_is_a_warning_at_its_entry),
        T(a_model_stage_the_map_does_not_mention_warns_at_the_model),
        T(a_stage_without_kpis_is_a_warning_unless_a_touchpoint_has_one),
        T(a_persona_in_no_touchpoint_is_a_warning_at_its_id),
        T(a_touchpoint_without_personas_uses_every_persona),
        T(a_map_without_touchpoints_warns_about_every_stage_and_persona),
        T(warnings_become_errors_under_werror),
        T(diagnostics_follow_the_file),
        T(values_the_loader_refused_are_not_reported_again),
        T(a_broken_stage_model_file_is_checked_too),
        T(a_stage_model_file_without_stages_is_an_error),
        T(every_unknown_reference_is_counted_in_a_large_map),
        T(a_control_character_is_underlined_where_the_source_has_it),
        T(a_control_character_in_a_value_that_is_not_text_is_an_error),
        T(a_url_with_a_nul_is_quoted_whole),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
