#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/jmap.h"
#include "jmap/resolve.h"
#include "jmap/summary.h"

/* What a map says in words (src/summary.c), on maps compiled by the real passes. */

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

static const jmap_map *compile(fixture *f, const char *yaml)
{
    jmap_map *m = test_compile(f->a, yaml, &f->d);
    if (!m) {
        char *why = test_diags_text(&f->d);
        print_error("%s", why);
        free(why);
        fail();
    }
    return m;
}

/* Load and resolve only: maps that check rejects (no personas) must still be summarised. */
static const jmap_map *resolved(fixture *f, const char *yaml)
{
    jmap_map *m = test_load(f->a, yaml, &f->d);
    assert_non_null(m);
    jmap_limits lim = jmap_limits_default();
    jmap_resolve(f->a, m, &lim, &f->d);
    return m;
}

#define SMALL                                                                                    \
    "jmap: 1\n"                                                                                  \
    "title: First order\n"                                                                       \
    "state: current\n"                                                                           \
    "model: classic\n"                                                                           \
    "personas:\n"                                                                                \
    "  - {id: maya, name: Maya, role: Busy parent}\n"                                            \
    "  - {id: jose, name: José}\n"                                                               \
    "stages:\n"                                                                                  \
    "  - id: decision\n"                                                                         \
    "    kpis:\n"                                                                                \
    "      - {name: Checkout conversion, target: 3.5, actual: 3.1, unit: '%'}\n"                 \
    "      - {name: Orders, target: 100, actual: 100}\n"                                         \
    "  - id: retention\n"                                                                        \
    "    kpis:\n"                                                                                \
    "      - {name: Refund time, target: 2, actual: 5, unit: days, better: lower}\n"             \
    "      - {name: Wait, target: 2, actual: 2, unit: days, better: lower}\n"             \
    "touchpoints:\n"                                                                             \
    "  - {stage: decision, name: Checkout, emotion: 1, pain: Fees, persona: maya}\n"              \
    "  - {stage: consideration, name: Price comparison, emotion: -2, pain: Unclear prices}\n"    \
    "  - {stage: awareness, name: Ad, emotion: 1}\n"                                             \
    "  - {stage: retention, name: Reorder, emotion: 2, persona: jose}\n"

static void the_summary_says_the_facts_in_order(void **state)
{
    fixture *f = *state;
    const jmap_map *m = compile(f, SMALL);
    char *s = jmap_summary(m);
    /* Maya: Ad 1 (awareness), Price comparison -2, Checkout 1: highest is the first in
     * reading order (Ad in Awareness, before Checkout in Decision) though written later.
     * José: Price comparison -2, Ad 1, Reorder 2. */
    assert_string_equal(
        s, "A customer-journey map in 4 stages (stage model: Classic four-stage journey): "
           "Awareness, Consideration, Decision, Retention. Personas: Maya (Busy parent), José. "
           "4 touchpoints. Maya's lowest moment is 'Price comparison' in Consideration (-2), "
           "the highest 'Ad' in Awareness (1). José's lowest moment is 'Price comparison' in "
           "Consideration (-2), the highest 'Reorder' in Retention (2). 2 pain points. "
           "Off track: Checkout conversion (3.1%, target 3.5%); Refund time (5 days, target at "
           "most 2 days).");
    free(s);
}

static void the_title_carries_the_state(void **state)
{
    fixture *f = *state;
    const char *maps[][2] = {
        {"jmap: 1\ntitle: T\nstate: current\n", "T (current state)"},
        {"jmap: 1\ntitle: T\nstate: future\n", "T (future state)"},
        {"jmap: 1\ntitle: \"  T\\n two \"\n", "T two"},
        {"jmap: 1\n", "Journey map"},
    };
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        char *t = jmap_summary_title(resolved(f, maps[i][0]));
        assert_string_equal(t, maps[i][1]);
        free(t);
    }
}

static void keywords_are_the_stages_then_the_personas_once_each(void **state)
{
    fixture *f = *state;
    char *k = jmap_summary_keywords(compile(f, SMALL));
    assert_string_equal(k, "Awareness, Consideration, Decision, Retention, Maya, José");
    free(k);
    k = jmap_summary_keywords(resolved(f, "jmap: 1\ntitle: T\n"));
    assert_string_equal(k, "");
    free(k);
    k = jmap_summary_keywords(resolved(f, "jmap: 1\ntitle: T\nstages: [{id: a, name: Same}, "
                                         "{id: b, name: Same}]\npersonas: [{id: p, name: Same}, "
                                         "{id: q, name: Sam}]\n"));
    assert_string_equal(k, "Same, Sam");
    free(k);
}

static void without_personas_the_map_has_one_lowest_and_highest(void **state)
{
    fixture *f = *state;
    char *s = jmap_summary(resolved(f, "jmap: 1\ntitle: T\nstages: [{id: a, name: A}]\n"
                                      "touchpoints:\n  - {stage: a, name: One, emotion: 0}\n"
                                      "  - {stage: a, name: Two, emotion: 0}\n"));
    assert_string_equal(s, "A customer-journey map in 1 stage: A. 2 touchpoints. The moments all "
                           "score 0, from 'One' in A (0). 0 pain points.");
    free(s);
    s = jmap_summary(resolved(f, "jmap: 1\ntitle: T\nstages: [{id: a, name: A}]\n"
                                "touchpoints:\n  - {stage: a, name: One, emotion: 1.5}\n"));
    assert_string_equal(s, "A customer-journey map in 1 stage: A. 1 touchpoint. The only scored "
                           "moment is 'One' in A (1.5). 0 pain points.");
    free(s);
}

/* Build a map with n personas, n stages and n touchpoints, each touchpoint scored and with an
 * off-track KPI. */
static char *huge_map(size_t n)
{
    jmap_strbuf b = {0};
    jmap_strbuf_puts(&b, "jmap: 1\ntitle: Huge\npersonas:\n");
    char line[256];
    for (size_t i = 0; i < n; i++) {
        snprintf(line, sizeof line, "  - {id: p%zu, name: Persona %zu}\n", i, i);
        jmap_strbuf_puts(&b, line);
    }
    jmap_strbuf_puts(&b, "stages:\n");
    for (size_t i = 0; i < n; i++) {
        snprintf(line, sizeof line, "  - {id: s%zu, name: Stage %zu}\n", i, i);
        jmap_strbuf_puts(&b, line);
    }
    jmap_strbuf_puts(&b, "touchpoints:\n");
    for (size_t i = 0; i < n; i++) {
        snprintf(line, sizeof line,
                 "  - {stage: s%zu, name: T%zu, persona: p%zu, emotion: %d, pain: P,"
                 " kpis: [{name: K%zu, target: 2, actual: 1}]}\n",
                 i, i, i, (int)(i % 5) - 2, i);
        jmap_strbuf_puts(&b, line);
    }
    return b.s;
}

static void a_huge_map_gives_a_bounded_summary(void **state)
{
    fixture *f = *state;
    char *yaml = huge_map(200);
    const jmap_map *m = compile(f, yaml);
    char *s = jmap_summary(m);
    assert_true(strlen(s) < 3000);
    assert_non_null(strstr(s, "Stage 11, and 188 more."));
    assert_null(strstr(s, "Stage 12"));
    assert_non_null(strstr(s, "Persona 7, and 192 more."));
    assert_non_null(strstr(s, "200 touchpoints."));
    assert_non_null(strstr(s, "192 more personas have scored moments."));
    assert_non_null(strstr(s, "200 pain points."));
    assert_non_null(strstr(s, "K7 (1, target 2), and 192 more."));
    free(s);
    char *k = jmap_summary_keywords(m);
    assert_non_null(strstr(k, "Stage 39"));
    assert_null(strstr(k, "Stage 40"));
    free(k);
    free(yaml);
}

static void long_names_are_cut_and_controls_are_spaces(void **state)
{
    fixture *f = *state;
    char yaml[1024];
    char name[201];
    memset(name, 'x', 200);
    name[200] = '\0';
    snprintf(yaml, sizeof yaml, "jmap: 1\ntitle: \"%s\"\n", name);
    char *t = jmap_summary_title(resolved(f, yaml));
    assert_int_equal(strlen(t), 80 + strlen("…"));
    assert_string_equal(t + 80, "…");
    free(t);
    t = jmap_summary_title(resolved(f, "jmap: 1\ntitle: \"a\\tb\\r\\n\\u00e9\\u00e9\"\n"));
    assert_string_equal(t, "a b éé");
    free(t);
}

/* Every fact checked against the model of a real example map. */
static void the_example_maps_facts_are_in_their_summary(void **state)
{
    fixture *f = *state;
    size_t len;
    char *yaml = test_read_file(JMAP_SOURCE_DIR "/examples/grocery-first-order.yaml", &len);
    jmap_limits lim = jmap_limits_default();
    const jmap_map *m = jmap_compile(f->a, JMAP_SOURCE_DIR "/examples/grocery-first-order.yaml",
                                     yaml, len, &lim, &f->d);
    assert_non_null(m);
    char *s = jmap_summary(m);
    const char *at = s;
    for (size_t i = 0; i < m->n_stages; i++) { /* the stages in order */
        const char *p = strstr(at, m->stages[i].name.s);
        assert_non_null(p);
        at = p;
    }
    for (size_t i = 0; i < m->n_personas; i++)
        assert_non_null(strstr(s, m->personas[i].name.s));
    char want[512];
    snprintf(want, sizeof want, " %zu touchpoints.", m->n_touchpoints);
    assert_non_null(strstr(s, want));
    size_t pains = 0;
    for (size_t i = 0; i < m->n_touchpoints; i++)
        pains += m->touchpoints[i].pain.s != NULL;
    snprintf(want, sizeof want, " %zu pain points.", pains);
    assert_non_null(strstr(s, want));
    for (size_t p = 0; p < m->n_personas; p++) { /* each persona's lowest moment */
        size_t lo = JMAP_NONE;
        for (size_t i = 0; i < m->n_touchpoints; i++) {
            const jmap_touchpoint *t = &m->touchpoints[i];
            bool has = false;
            for (size_t k = 0; k < t->n_persona_ix; k++)
                has = has || t->persona_ix[k] == p;
            if (has && t->emotion.set && (lo == JMAP_NONE || t->emotion.v < m->touchpoints[lo].emotion.v))
                lo = i;
        }
        assert_true(lo != JMAP_NONE);
        snprintf(want, sizeof want, "%s's lowest moment is '%s' in %s", m->personas[p].name.s,
                 m->touchpoints[lo].name.s, m->stages[m->touchpoints[lo].stage_ix].name.s);
        if (!strstr(s, want))
            fail_msg("'%s' not in '%s'", want, s);
    }
    /* every off-track stage KPI is named after "Off track:", no on-track one is */
    const char *off = strstr(s, "Off track: ");
    for (size_t i = 0; i < m->n_stages; i++) {
        for (size_t k = 0; k < m->stages[i].n_kpis; k++) {
            const jmap_kpi *kp = &m->stages[i].kpis[k];
            if (!kp->actual.set || !kp->target.set)
                continue;
            bool bad = kp->better_v == JMAP_BETTER_LOWER ? kp->actual.v > kp->target.v
                                                         : kp->actual.v < kp->target.v;
            snprintf(want, sizeof want, "%s (", kp->name.s);
            if (bad) {
                assert_non_null(off);
                assert_non_null(strstr(off, want));
            } else {
                assert_true(!off || !strstr(off, want));
            }
        }
    }
    assert_null(strchr(s, '<'));
    free(s);
    free(yaml);
}

static void numbers_do_not_follow_the_locale(void **state)
{
    fixture *f = *state;
    const char *yaml = "jmap: 1\ntitle: T\nstages:\n  - id: a\n    name: A\n    kpis: "
                       "[{name: Reach, target: 50000.5, actual: 42000.25, unit: people}]\n";
    char *before = jmap_summary(resolved(f, yaml));
    assert_non_null(strstr(before, "Reach (42,000.25 people, target 50,000.5 people)"));
    if (setlocale(LC_ALL, "de_DE.UTF-8") || setlocale(LC_ALL, "fr_FR.UTF-8")) {
        char *after = jmap_summary(resolved(f, yaml));
        assert_string_equal(after, before);
        free(after);
        setlocale(LC_ALL, "C");
    }
    free(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_summary_says_the_facts_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(the_title_carries_the_state, setup, teardown),
        cmocka_unit_test_setup_teardown(keywords_are_the_stages_then_the_personas_once_each, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(without_personas_the_map_has_one_lowest_and_highest, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_huge_map_gives_a_bounded_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(long_names_are_cut_and_controls_are_spaces, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(the_example_maps_facts_are_in_their_summary, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(numbers_do_not_follow_the_locale, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
