/* The load pass on its own: values and their places, the strict schema, YAML errors, limits
 * and hostile input. cmocka needs its includes first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "support.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "jmap/load.h"
#include "jmap/stages.h"

typedef struct fixture {
    jmap_arena *a;
    jmap_diags d;
    jmap_limits lim;
} fixture;

static int setup(void **state)
{
    fixture *f = jmap_xcalloc(1, sizeof(*f));
    f->a = jmap_arena_new();
    jmap_diags_init(&f->d);
    f->d.max_items = 0;
    f->lim = jmap_limits_default();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    jmap_arena_free(f->a);
    jmap_diags_release(&f->d);
    free(f);
    return 0;
}

static jmap_map *load_n(fixture *f, const char *yaml, size_t len)
{
    return jmap_load_map(f->a, "test.yaml", yaml, len, &f->lim, &f->d);
}

static jmap_map *load(fixture *f, const char *yaml)
{
    return load_n(f, yaml, strlen(yaml));
}

static jmap_stage_model *load_model(fixture *f, const char *yaml)
{
    return jmap_load_stage_model(f->a, "model.yaml", yaml, strlen(yaml), &f->lim, &f->d);
}

/* The one kept diagnostic with `code`; fails unless there is exactly one. */
static const jmap_diag *only(const fixture *f, const char *code)
{
    const jmap_diag *g = NULL;
    size_t n = 0;
    for (size_t i = 0; i < f->d.n_items; i++) {
        if (strcmp(f->d.items[i].code, code) == 0) {
            g = &f->d.items[i];
            n++;
        }
    }
    if (n != 1) {
        char *all = test_diags_text(&f->d);
        print_error("expected one [%s], found %zu among:\n%s", code, n, all);
        free(all);
        fail();
    }
    return g;
}

static void assert_clean(const fixture *f)
{
    if (f->d.n_items) {
        char *all = test_diags_text(&f->d);
        print_error("unexpected diagnostics:\n%s", all);
        free(all);
        fail();
    }
}

static void assert_loc(jmap_loc l, unsigned line, unsigned col, unsigned end_line, unsigned end_col)
{
    assert_int_equal(l.line, line);
    assert_int_equal(l.col, col);
    assert_int_equal(l.end_line, end_line);
    assert_int_equal(l.end_col, end_col);
}

static char *repeat(const char *unit, size_t n, const char *tail)
{
    size_t u = strlen(unit), t = strlen(tail);
    char *s = jmap_xmalloc(u * n + t + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    memcpy(s + u * n, tail, t + 1);
    return s;
}

#define HEAD "title: T\npersonas:\n  - id: p\n    name: P\n"

/* ---- values and places ------------------------------------------------------------------ */

static void load_reads_every_value_at_its_line_and_column(void **state)
{
    fixture *f = *state;
    const char *y = "jmap: 1\n"
                    "title: First online grocery order\n"
                    "subtitle: \"Current state\"\n"
                    "state: future\n"
                    "model: classic\n"
                    "theme: dark\n"
                    "personas:\n"
                    "  - id: maya\n"
                    "    name: Maya\n"
                    "    role: Busy parent\n"
                    "    goals: [Save time, Eat well]\n"
                    "    color: \"#e76f51\"\n"
                    "stages:\n"
                    "  - id: awareness\n"
                    "    goal: Learn\n"
                    "    kpis:\n"
                    "      - name: Reach\n"
                    "        target: 50000\n"
                    "        actual: 42000\n"
                    "        unit: people\n"
                    "        better: lower\n"
                    "touchpoints:\n"
                    "  - stage: awareness\n"
                    "    personas: [maya, tom]\n"
                    "    name: Post\n"
                    "    emotion: -1.5\n"
                    "    url: https://example.com\n"
                    "    kpis:\n"
                    "      - {name: CTR, target: 0.02}\n"
                    "lanes: [pains, kpis]\n";
    jmap_map *m = load(f, y);
    assert_clean(f);
    assert_non_null(m);
    assert_string_equal(m->file, "test.yaml");
    assert_loc(m->loc, 1, 1, 30, 20);
    assert_true(m->version.set);
    assert_float_equal(m->version.v, 1, 0);
    assert_string_equal(m->title.s, "First online grocery order");
    assert_int_equal(m->title.len, 26);
    assert_string_equal(m->title.loc.file, "test.yaml");
    assert_loc(m->title.loc, 2, 8, 2, 33);
    assert_string_equal(m->subtitle.s, "Current state");
    assert_loc(m->subtitle.loc, 3, 11, 3, 25); /* the quotes belong to the value */
    assert_int_equal(m->state_v, JMAP_STATE_FUTURE);
    assert_int_equal(m->theme_v, JMAP_THEME_DARK);
    assert_string_equal(m->model.s, "classic");

    assert_int_equal(m->n_personas, 1);
    assert_loc(m->personas_loc, 8, 3, 12, 20);
    const jmap_persona *p = &m->personas[0];
    assert_int_equal(p->loc.line, 8);
    assert_int_equal(p->loc.col, 5);
    assert_string_equal(p->id.s, "maya");
    assert_string_equal(p->role.s, "Busy parent");
    assert_int_equal(p->n_goals, 2);
    assert_string_equal(p->goals[1].s, "Eat well");
    assert_loc(p->goals[1].loc, 11, 24, 11, 31);
    assert_string_equal(p->color.s, "#e76f51");

    assert_int_equal(m->n_map_stages, 1);
    assert_int_equal(m->stages_loc.line, 14);
    const jmap_stage *s = &m->map_stages[0];
    assert_string_equal(s->goal.s, "Learn");
    assert_null(s->name.s);
    assert_int_equal(s->n_kpis, 1);
    assert_int_equal(s->kpis_loc.line, 17);
    assert_int_equal(s->kpis_loc.col, 7);
    const jmap_kpi *k = &s->kpis[0];
    assert_int_equal(k->loc.line, 17);
    assert_int_equal(k->loc.col, 9);
    assert_true(k->target.set);
    assert_float_equal(k->target.v, 50000, 0);
    assert_loc(k->target.loc, 18, 17, 18, 21);
    assert_float_equal(k->actual.v, 42000, 0);
    assert_string_equal(k->unit.s, "people");
    assert_int_equal(k->better_v, JMAP_BETTER_LOWER);

    assert_int_equal(m->n_touchpoints, 1);
    assert_int_equal(m->touchpoints_loc.line, 23);
    const jmap_touchpoint *t = &m->touchpoints[0];
    assert_string_equal(t->stage.s, "awareness");
    assert_null(t->persona.s);
    assert_int_equal(t->n_personas, 2);
    assert_string_equal(t->personas[1].s, "tom");
    assert_loc(t->personas_loc, 24, 15, 24, 25);
    assert_true(t->emotion.set);
    assert_float_equal(t->emotion.v, -1.5, 0);
    assert_loc(t->emotion.loc, 26, 14, 26, 17);
    assert_string_equal(t->url.s, "https://example.com");
    assert_int_equal(t->n_kpis, 1);
    assert_string_equal(t->kpis[0].name.s, "CTR");
    assert_float_equal(t->kpis[0].target.v, 0.02, 1e-12);
    assert_int_equal(t->kpis[0].better_v, JMAP_BETTER_HIGHER);
    assert_false(t->kpis[0].actual.set);
    assert_int_equal(t->stage_ix, JMAP_NONE);
    assert_int_equal(t->n_persona_ix, 0);

    assert_int_equal(m->n_lanes, 2);
    assert_string_equal(m->lanes[0].s, "pains");
    assert_loc(m->lanes_loc, 30, 8, 30, 20);

    /* resolve fills these */
    assert_null(m->stages);
    assert_null(m->stage_model);
    /* the text is kept for quoting */
    assert_non_null(f->d.sources);
}

static void load_counts_columns_in_code_points_on_multibyte_lines(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, "title: T\n"
                          "personas:\n"
                          "  - {id: ü, name: Jürgen Müßig, role: Chef}\n");
    assert_clean(f);
    const jmap_persona *p = &m->personas[0];
    assert_string_equal(p->name.s, "Jürgen Müßig");
    assert_int_equal(p->name.len, strlen("Jürgen Müßig"));
    assert_loc(p->name.loc, 3, 19, 3, 30);
    assert_loc(p->role.loc, 3, 39, 3, 42);
}

static void load_ends_block_scalars_on_their_last_character(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, HEAD "    goals:\n"
                               "      - |\n"
                               "        one\n"
                               "        three\n"
                               "      - >-\n"
                               "        folded\n"
                               "        text\n"
                               "      - plain\n"
                               "        wrapped\n");
    assert_clean(f);
    const jmap_persona *p = &m->personas[0];
    assert_int_equal(p->n_goals, 3);
    assert_string_equal(p->goals[0].s, "one\nthree\n");
    assert_loc(p->goals[0].loc, 6, 9, 8, 13);
    assert_string_equal(p->goals[1].s, "folded text");
    assert_loc(p->goals[1].loc, 9, 9, 11, 12);
    assert_string_equal(p->goals[2].s, "plain wrapped");
    assert_loc(p->goals[2].loc, 12, 9, 13, 15);
}

static void load_takes_any_non_null_scalar_as_a_string(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, "title: 2026\nsubtitle: true\npersonas:\n  - {id: 7, name: 'null'}\n");
    assert_clean(f);
    assert_string_equal(m->title.s, "2026");
    assert_string_equal(m->subtitle.s, "true");
    assert_string_equal(m->personas[0].id.s, "7");
    assert_string_equal(m->personas[0].name.s, "null");
}

static void load_treats_null_optional_values_as_absent(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, "title: T\nsubtitle: ~\nstate:\ntheme: null\nlanes: NULL\n"
                          "personas:\n  - {id: p, name: P, goals: ~, role: Null}\n"
                          "touchpoints:\n  - {stage: s, name: n, emotion: ~, kpis: }\n");
    assert_clean(f);
    assert_null(m->subtitle.s);
    assert_null(m->state.s);
    assert_int_equal(m->state_v, JMAP_STATE_NONE);
    assert_int_equal(m->theme_v, JMAP_THEME_LIGHT);
    assert_int_equal(m->lanes_loc.line, 0);
    assert_null(m->personas[0].role.s);
    assert_int_equal(m->personas[0].n_goals, 0);
    assert_false(m->touchpoints[0].emotion.set);
    assert_int_equal(m->touchpoints[0].n_kpis, 0);
    assert_int_equal(m->touchpoints[0].personas_loc.line, 0);
}

static void load_keeps_unknown_enum_words_for_check_to_report(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, HEAD "state: past\ntheme: neon\n"
                               "stages:\n  - id: s\n    kpis: [{name: k, better: sideways}]\n");
    assert_clean(f);
    assert_string_equal(m->state.s, "past");
    assert_int_equal(m->state_v, JMAP_STATE_NONE);
    assert_string_equal(m->theme.s, "neon");
    assert_int_equal(m->theme_v, JMAP_THEME_LIGHT);
    assert_string_equal(m->map_stages[0].kpis[0].better.s, "sideways");
    assert_int_equal(m->map_stages[0].kpis[0].better_v, JMAP_BETTER_HIGHER);
}

/* ---- numbers ---------------------------------------------------------------------------- */

static void load_accepts_strict_number_forms(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *text;
        double v;
    } ok[] = {{"1", 1},  {"-0.5", -0.5}, {".5", 0.5},        {"1e3", 1000}, {"42000", 42000},
              {"+2", 2}, {"1.", 1},      {"-2.5E-1", -0.25}, {"0", 0},      {"007", 7}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char *y =
            jmap_xprintf(HEAD "touchpoints:\n  - {stage: s, name: n, emotion: %s}\n", ok[i].text);
        jmap_map *m = load(f, y);
        free(y);
        assert_clean(f);
        assert_true(m->touchpoints[0].emotion.set);
        assert_float_equal(m->touchpoints[0].emotion.v, ok[i].v, 1e-12);
        assert_int_equal(m->touchpoints[0].emotion.loc.col, 34);
    }
}

/* strtod follows LC_NUMERIC; the loader must not. */
static void numbers_load_the_same_in_a_decimal_comma_locale(void **state)
{
    fixture *f = *state;
    test_need_comma_locale();
    jmap_map *m = load(f, HEAD "touchpoints:\n  - {stage: s, name: n, emotion: -1.5}\n"
                               "  - {stage: s, name: o, emotion: '1,5'}\n");
    test_use_c_locale();
    assert_true(m->touchpoints[0].emotion.set);
    assert_float_equal(m->touchpoints[0].emotion.v, -1.5, 1e-12);
    /* "1,5" is text, not a number, in every locale */
    assert_false(m->touchpoints[1].emotion.set);
    assert_diag_at(&f->d, "wrong-type", 7, 34);
}

static void load_rejects_other_number_forms_as_wrong_type(void **state)
{
    fixture *f = *state;
    static const char *const bad[] = {".inf", "-.inf", ".nan",    "0x1F",  "1_000", "\"1\"",
                                      "'2'",  "1e",    "e3",      "-",     "1.2.3", "0o17",
                                      "1 5",  "high",  "1e999",   "[1]",   "{a: 1}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        jmap_diags_release(&f->d);
        jmap_diags_init(&f->d);
        char *y = jmap_xprintf(HEAD "touchpoints:\n  - {stage: s, name: n, emotion: %s}\n", bad[i]);
        jmap_map *m = load(f, y);
        free(y);
        assert_non_null(m);
        assert_false(m->touchpoints[0].emotion.set);
        const jmap_diag *g = only(f, "wrong-type");
        assert_int_equal(g->loc.line, 6);
        assert_int_equal(g->loc.col, 34);
    }
}

static void load_names_the_value_and_the_key_in_number_errors(void **state)
{
    fixture *f = *state;
    load(f, HEAD "stages:\n  - id: s\n    kpis:\n      - {name: k, target: \"1\", actual: low}\n");
    assert_int_equal(f->d.n_errors, 2);
    assert_string_equal(f->d.items[0].msg,
                        "expected a number for 'target', found the quoted string '1'");
    assert_string_equal(f->d.items[1].msg, "expected a number for 'actual', found 'low'");
    assert_diag_at(&f->d, "wrong-type", 8, 27);
}

static void load_requires_an_integer_format_version(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, "jmap: 1.5\n" HEAD);
    assert_false(m->version.set);
    const jmap_diag *g = only(f, "wrong-type");
    assert_string_equal(g->msg, "expected an integer for 'jmap', found '1.5'");
    assert_int_equal(g->loc.line, 1);
    assert_int_equal(g->loc.col, 7);

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    m = load(f, "jmap: 2\n" HEAD);
    assert_clean(f);
    assert_float_equal(m->version.v, 2, 0);
    assert_int_equal(m->version.loc.line, 1);
}

/* ---- issue 9: leading zeros, tags, extension duplicates, long keys ------------------------ */

static void load_warns_about_an_integer_with_a_leading_zero(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, HEAD "stages:\n  - id: s\n    kpis: [{name: k, target: 010, actual: 2}]\n"
                               "touchpoints:\n  - {stage: s, name: n, emotion: -09}\n");
    assert_non_null(m);
    assert_int_equal(f->d.n_errors, 0);
    assert_int_equal(f->d.n_warnings, 2);
    /* jmap reads YAML 1.2: ten, not octal 8 */
    assert_float_equal(m->map_stages[0].kpis[0].target.v, 10, 0);
    assert_diag_at(&f->d, "leading-zero", 7, 30);
    assert_string_equal(f->d.items[0].msg, "number '010' has a leading zero: jmap reads it as 10 "
                                           "(YAML 1.2), YAML 1.1 tools as octal 8");
    assert_string_equal(f->d.items[0].hint, "write '10', or quote it if it is text");
    assert_diag_at(&f->d, "leading-zero", 9, 34);
    assert_string_equal(f->d.items[1].msg, "number '-09' has a leading zero: jmap reads it as -9 "
                                           "(YAML 1.2), YAML 1.1 tools as text");
    assert_float_equal(m->touchpoints[0].emotion.v, -9, 0);

    /* the same number in both versions, or not an integer: nothing to say */
    static const char *const fine[] = {"0", "007", "00", "-0", "0.5", "010.5", "1e3", "10"};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        jmap_diags_release(&f->d);
        jmap_diags_init(&f->d);
        char *y = jmap_xprintf(HEAD "touchpoints:\n  - {stage: s, name: n, emotion: %s}\n", fine[i]);
        load(f, y);
        free(y);
        assert_clean(f);
    }

    /* the format version too, and a very long number is cut in the message */
    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    char *y = repeat("0", 60, "19");
    char *doc = jmap_xprintf("jmap: 0012\n" HEAD "touchpoints:\n  - {stage: s, name: n, emotion: "
                             "%s}\n",
                             y);
    load(f, doc);
    assert_int_equal(f->d.n_warnings, 2);
    assert_diag_at(&f->d, "leading-zero", 1, 7);
    assert_string_equal(f->d.items[1].msg,
                        "number '0000000000000000000000000000000000000000...' has a leading zero: "
                        "jmap reads it as 19 (YAML 1.2), YAML 1.1 tools as text");
    free(doc);
    free(y);
}

static void load_rejects_yaml_tags_at_the_tag(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, "title: !!str T\n"                                 /* 1 */
                          "x-\xc3\xa9: &a  !custom x\n"                      /* 2 */
                          "subtitle: &b\n"                                   /* 3 */
                          "  # a comment between\n"                          /* 4 */
                          "  !!binary aGk=\n"                                /* 5 */
                          "personas: !!seq\n"                                /* 6 */
                          "  - !!map {id: p, name: !<tag:x.org,2026:n> P}\n" /* 7 */
                          "stages:\n"                                        /* 8 */
                          "  - id: s\n"                                      /* 9 */
                          "    kpis: [{name: k, target: !!int 3}]\n"         /* 10 */
                          "touchpoints:\n"                                   /* 11 */
                          "  - {stage: s, name: n, emotion: ! 1}\n"          /* 12 */
                          "  - {stage: s, name: n, !!merge <<: {}}\n");      /* 13 */
    /* reported, then read as if untagged, so the rest of the map is still checked */
    assert_non_null(m);
    assert_int_equal(f->d.n_errors, 9);
    for (size_t i = 0; i < f->d.n_items; i++)
        assert_string_equal(f->d.items[i].code, "yaml-tag");
    assert_diag_at(&f->d, "yaml-tag", 1, 8);
    assert_string_equal(f->d.items[0].msg, "YAML tag '!!str' is not supported");
    assert_string_equal(f->d.items[0].hint,
                        "remove it: a value's type comes from its key; quote a value to keep it "
                        "as text");
    assert_diag_at(&f->d, "yaml-tag", 2, 10); /* after the anchor, columns in characters */
    assert_string_equal(f->d.items[1].msg, "YAML tag '!custom' is not supported");
    assert_diag_at(&f->d, "yaml-tag", 5, 3); /* after the anchor, a line break and a comment */
    assert_string_equal(f->d.items[2].msg, "YAML tag '!!binary' is not supported");
    assert_diag_at(&f->d, "yaml-tag", 6, 11);
    assert_diag_at(&f->d, "yaml-tag", 7, 5);
    assert_diag_at(&f->d, "yaml-tag", 7, 25);
    assert_string_equal(f->d.items[5].msg, "YAML tag 'tag:x.org,2026:n' is not supported");
    assert_diag_at(&f->d, "yaml-tag", 10, 30);
    assert_diag_at(&f->d, "yaml-tag", 12, 34);
    assert_string_equal(f->d.items[7].msg, "YAML tag '!' is not supported");
    assert_diag_at(&f->d, "yaml-tag", 13, 25);
    assert_string_equal(m->subtitle.s, "aGk=");
    assert_string_equal(m->title.s, "T");
    assert_float_equal(m->map_stages[0].kpis[0].target.v, 3, 0);
    assert_float_equal(m->touchpoints[0].emotion.v, 1, 0);
}

static void load_reports_duplicate_extension_keys(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, "x-owner: team\n" HEAD "    x-n: 1\n    x-n: 2\n    x-m: 3\n"
                          "x-owner: twice\nx-other: 1\n");
    assert_non_null(m);
    assert_int_equal(f->d.n_errors, 2);
    assert_diag_at(&f->d, "duplicate-key", 7, 5);
    assert_string_equal(f->d.items[0].msg, "duplicate key 'x-n' in persona");
    assert_string_equal(f->d.items[0].hint, "first defined at 6:5");
    assert_diag_at(&f->d, "duplicate-key", 9, 1);
    assert_string_equal(f->d.items[1].hint, "first defined at 1:1");

    /* many of them, and one repeated at the end, far from the first */
    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    size_t n = 5000;
    char *y = jmap_xstrdup(HEAD);
    for (size_t i = 0; i < n; i++) {
        char *next = jmap_xprintf("%sx-k%zu: %zu\n", y, i, i);
        free(y);
        y = next;
    }
    char *doc = jmap_xprintf("%sx-k17: again\n", y);
    load(f, doc);
    assert_int_equal(f->d.n_errors, 1);
    assert_diag_at(&f->d, "duplicate-key", 5 + (unsigned)n, 1);
    assert_string_equal(f->d.items[0].hint, "first defined at 22:1");
    free(doc);
    free(y);
}

static void load_explains_a_key_longer_than_1024_characters(void **state)
{
    fixture *f = *state;
    /* each: text before a 1030-character key, text after it, where the key starts */
    static const struct {
        const char *before, *after;
        unsigned line, col;
    } cases[] = {
        {"", ": v\n", 1, 1},                          /* the first key of the file */
        {"title: T\n", ": v\n", 2, 1},               /* a later key of a block mapping */
        {"title: T\n\"", "\": v\n", 2, 1},           /* quoted */
        {"title:\n  ", ": v\n", 2, 3},               /* a nested mapping */
        {"title:\n  - ", ": v\n", 2, 5},             /* in a list item */
        {"title: T\nx: {a: b, \xc3\xa9", ": v}\n", 2, 11}, /* in a flow mapping */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jmap_diags_release(&f->d);
        jmap_diags_init(&f->d);
        char *key = repeat("k", 1030, cases[i].after);
        char *y = jmap_xprintf("%s%s", cases[i].before, key);
        assert_null(load(f, y));
        const jmap_diag *g = only(f, "key-too-long");
        assert_int_equal(f->d.n_errors, 1);
        assert_int_equal(g->loc.line, cases[i].line);
        assert_int_equal(g->loc.col, cases[i].col);
        assert_string_equal(g->msg, "a key longer than 1024 characters cannot be read");
        free(y);
        free(key);
    }

    /* 1000 characters of two bytes each are fine: the limit counts characters */
    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    char *key = repeat("\xc3\xa9", 1000, ": v\n");
    load(f, key);
    only(f, "unknown-key");
    free(key);

    /* a long value with ": " in it is another mistake, with its own message */
    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    char *value = repeat("v", 1030, ": w\n");
    char *y = jmap_xprintf("title: %s", value);
    assert_null(load(f, y));
    only(f, "yaml-unquoted-colon");
    free(y);
    free(value);
}

/* ---- schema errors ---------------------------------------------------------------------- */

static void load_reports_wrong_types_at_the_value_and_keeps_going(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, "title: [a, b]\n"          /* 1 */
                          "subtitle: {x: 1}\n"       /* 2 */
                          "personas:\n"              /* 3 */
                          "  - id: p\n"              /* 4 */
                          "    name: P\n"            /* 5 */
                          "    goals: {a: 1}\n"      /* 6 */
                          "  - just a string\n"      /* 7 */
                          "stages: a string\n"       /* 8 */
                          "lanes: [pains, {x: 1}]\n" /* 9 */
                          "touchpoints:\n"           /* 10 */
                          "  - stage: s\n"           /* 11 */
                          "    name: n\n"            /* 12 */
                          "    personas: maya\n"     /* 13 */
                          "    kpis: [[1]]\n"        /* 14 */
                          "    ? [complex]\n"        /* 15 */
                          "    : key\n");
    assert_non_null(m);
    assert_int_equal(f->d.n_errors, 9);
    assert_int_equal(f->d.n_items, 9);
    for (size_t i = 0; i < f->d.n_items; i++)
        assert_string_equal(f->d.items[i].code, "wrong-type");
    assert_string_equal(f->d.items[0].msg, "expected a string for 'title', found a sequence");
    assert_diag_at(&f->d, "wrong-type", 1, 8);
    assert_diag_at(&f->d, "wrong-type", 2, 11);
    assert_diag_at(&f->d, "wrong-type", 6, 12);
    assert_diag_at(&f->d, "wrong-type", 7, 5);
    assert_diag_at(&f->d, "wrong-type", 8, 9);
    assert_diag_at(&f->d, "wrong-type", 9, 16);
    assert_diag_at(&f->d, "wrong-type", 13, 15);
    assert_diag_at(&f->d, "wrong-type", 14, 12);
    assert_diag_at(&f->d, "wrong-type", 15, 7);
    assert_string_equal(f->d.items[4].msg, "expected a list for 'stages', found a string");
    /* what could be read is there */
    assert_int_equal(m->n_personas, 1);
    assert_int_equal(m->n_lanes, 1);
    assert_int_equal(m->n_touchpoints, 1);
    assert_null(m->title.s);
}

static void load_reports_duplicate_keys_at_the_second_key(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, HEAD "touchpoints:\n"
                               "  - stage: s\n"
                               "    name: first\n"
                               "    emotion: 1\n"
                               "    name: second\n"
                               "title: again\n");
    const jmap_diag *g = NULL;
    assert_int_equal(f->d.n_errors, 2);
    assert_diag_at(&f->d, "duplicate-key", 9, 5);
    assert_diag_at(&f->d, "duplicate-key", 10, 1);
    g = &f->d.items[0];
    assert_string_equal(g->msg, "duplicate key 'name' in touchpoint");
    assert_string_equal(g->hint, "first defined at 7:5");
    assert_string_equal(f->d.items[1].hint, "first defined at 1:1");
    /* the first value stays */
    assert_string_equal(m->touchpoints[0].name.s, "first");
    assert_string_equal(m->title.s, "T");
}

static void load_reports_unknown_keys_with_a_suggestion_when_close(void **state)
{
    fixture *f = *state;
    load(f, HEAD "touchpoints:\n"
                 "  - stage: s\n"
                 "    name: n\n"
                 "    chanel: web\n"
                 "    zzzzzz: 1\n"
                 "titel: x\n");
    assert_int_equal(f->d.n_errors, 3);
    assert_diag_at(&f->d, "unknown-key", 8, 5);
    assert_diag_at(&f->d, "unknown-key", 9, 5);
    assert_diag_at(&f->d, "unknown-key", 10, 1);
    assert_string_equal(f->d.items[0].msg, "unknown key 'chanel' in touchpoint");
    assert_string_equal(f->d.items[0].hint, "did you mean 'channel'?");
    assert_string_equal(f->d.items[1].msg, "unknown key 'zzzzzz' in touchpoint");
    assert_null(f->d.items[1].hint);
    assert_string_equal(f->d.items[2].hint, "did you mean 'title'?");
}

static void load_shortens_a_long_unknown_key_in_its_message(void **state)
{
    fixture *f = *state;
    char *key = repeat("\xc3\xa9", 100, ""); /* 100 x U+00E9, 200 bytes */
    char *y = jmap_xprintf(HEAD "%s: 1\n", key);
    load(f, y);
    char *want = jmap_xprintf("unknown key '%.60s...' in map", key);
    assert_string_equal(only(f, "unknown-key")->msg, want);
    free(want);
    free(y);
    free(key);
}

static void load_ignores_extension_keys_everywhere(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, "x-owner: team\n"
                          "x-tree: {a: [1, {b: 2}], c: *undefined-is-not-allowed}\n" HEAD);
    /* an extension's value must still be valid YAML */
    only(f, "undefined-alias");
    assert_null(m);

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    m = load(f, "x-owner: team\nx-tree: {a: [1, {b: 2}]}\n" HEAD "    x-note: hi\n"
                "stages:\n  - id: s\n    x-1: 1\n    kpis: [{name: k, x-src: db}]\n"
                "touchpoints:\n  - {stage: s, name: n, x-y: [z]}\n");
    assert_clean(f);
    assert_int_equal(m->n_personas, 1);
    assert_int_equal(m->map_stages[0].n_kpis, 1);
}

static void load_reports_missing_required_keys_at_the_mapping(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, "subtitle: s\n"
                          "stages:\n"
                          "  - name: no id\n"
                          "    kpis:\n"
                          "      - target: 1\n"
                          "touchpoints:\n"
                          "  - persona: p\n");
    assert_non_null(m);
    assert_int_equal(f->d.n_errors, 6);
    assert_diag_at(&f->d, "missing-key", 1, 1); /* title, personas */
    assert_diag_at(&f->d, "missing-key", 3, 5); /* stage id */
    assert_diag_at(&f->d, "missing-key", 5, 9); /* KPI name */
    assert_diag_at(&f->d, "missing-key", 7, 5); /* touchpoint stage, name */
    /* children are read before their parent's missing keys are known */
    assert_string_equal(f->d.items[0].msg, "missing required key 'name' in KPI");
    assert_string_equal(f->d.items[5].msg, "missing required key 'personas' in map");

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    load(f, "title: T\npersonas:\n  - {id: p}\n  - name: P\n");
    assert_int_equal(f->d.n_errors, 2);
    assert_string_equal(f->d.items[0].msg, "missing required key 'name' in persona");
    assert_diag_at(&f->d, "missing-key", 3, 5);
    assert_diag_at(&f->d, "missing-key", 4, 5);
}

static void load_reports_a_null_required_value_at_the_value(void **state)
{
    fixture *f = *state;
    load(f, "title: ~\npersonas:\n  - id: p\n    name:\n");
    assert_int_equal(f->d.n_errors, 2);
    assert_diag_at(&f->d, "missing-key", 1, 8);
    assert_diag_at(&f->d, "missing-key", 4, 10);
    assert_string_equal(f->d.items[0].msg, "missing value for required key 'title'");
}

/* A required list written with no value is missing too, as docs/format.md says of every key:
 * `personas:` alone used to load as a map without personas, and no check reported it. */
static void load_reports_a_null_required_list(void **state)
{
    fixture *f = *state;
    load(f, "title: T\nmodel: classic\npersonas:\n");
    assert_int_equal(f->d.n_errors, 1);
    assert_diag_at(&f->d, "missing-key", 3, 10);
    assert_string_equal(f->d.items[0].msg, "missing value for required key 'personas'");

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    assert_non_null(load_model(f, "id: m\nname: M\nstages: ~\n"));
    assert_int_equal(f->d.n_errors, 1);
    assert_diag_at(&f->d, "missing-key", 3, 9);
}

static void load_stops_lists_at_their_limits(void **state)
{
    fixture *f = *state;
    f->lim.max_personas = 2;
    f->lim.max_touchpoints = 1;
    jmap_map *m = load(f, "title: T\npersonas: [{id: a, name: A}, {id: b, name: B}, {id: c},"
                          " {id: d}]\ntouchpoints:\n  - {stage: s, name: a}\n  - {stage: s}\n");
    assert_int_equal(f->d.n_errors, 2);
    assert_diag_at(&f->d, "too-many", 2, 48);
    assert_diag_at(&f->d, "too-many", 5, 5);
    assert_int_equal(m->n_personas, 2);
    assert_int_equal(m->n_touchpoints, 1);
}

/* ---- aliases ---------------------------------------------------------------------------- */

static void load_shares_an_anchored_kpi_list(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, HEAD "x-kpis: &funnel\n"
                               "  - {name: Reach, target: 10}\n"
                               "  - {name: Visits}\n"
                               "stages:\n"
                               "  - id: a\n    kpis: *funnel\n"
                               "  - id: &b b\n    kpis: *funnel\n"
                               "touchpoints:\n  - {stage: *b, name: n, kpis: *funnel}\n");
    assert_clean(f);
    assert_int_equal(m->n_map_stages, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(m->map_stages[i].n_kpis, 2);
        assert_string_equal(m->map_stages[i].kpis[1].name.s, "Visits");
        assert_float_equal(m->map_stages[i].kpis[0].target.v, 10, 0);
    }
    assert_string_equal(m->touchpoints[0].stage.s, "b");
    assert_int_equal(m->touchpoints[0].n_kpis, 2);
}

static void load_merges_shared_kpi_fields_with_the_merge_key(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, HEAD "x-reach: &reach {name: Reach, unit: people, target: 100}\n"
                               "x-rate: &rate {unit: '%', better: lower, target: 9}\n"
                               "stages:\n"
                               "  - id: a\n"
                               "    kpis:\n"
                               "      - <<: *reach\n"
                               "        actual: 120\n"
                               "      - {<<: *reach, target: 200}\n"
                               "      - {name: Bounce, <<: [*rate, *reach]}\n"
                               "      - {'<<': *reach}\n");
    /* The quoted '<<' is an ordinary (unknown) key: the fourth KPI has no name. */
    assert_diag_at(&f->d, "unknown-key", 14, 10);
    assert_diag_at(&f->d, "missing-key", 14, 9);
    assert_int_equal(f->d.n_errors, 2);
    const jmap_kpi *k = m->map_stages[0].kpis;
    assert_string_equal(k[0].name.s, "Reach");
    assert_string_equal(k[0].unit.s, "people");
    assert_float_equal(k[0].target.v, 100, 0);
    assert_float_equal(k[0].actual.v, 120, 0);
    /* A merged value keeps the place it was written, under its anchor. */
    assert_int_equal(k[0].name.loc.line, 5);
    assert_int_equal(k[0].name.loc.col, 24);
    assert_int_equal(k[0].actual.loc.line, 11);
    /* The mapping's own keys win over merged ones... */
    assert_float_equal(k[1].target.v, 200, 0);
    assert_string_equal(k[1].name.s, "Reach");
    /* ...and in a list, earlier mappings win over later ones. */
    assert_string_equal(k[2].name.s, "Bounce");
    assert_string_equal(k[2].unit.s, "%");
    assert_float_equal(k[2].target.v, 9, 0);
    assert_int_equal(k[2].better_v, JMAP_BETTER_LOWER);
}

/* Found by fuzz_render: an empty mapping before any other collection has no pending items
 * at all, and the merge-key pass must not do pointer arithmetic on nothing. */
static void load_takes_an_empty_mapping_as_the_whole_document(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, "{}\n");
    assert_non_null(m);
    assert_int_equal(m->n_personas, 0);
    assert_diag_at(&f->d, "missing-key", 1, 1);
}

static void load_rejects_a_merge_of_something_not_a_mapping(void **state)
{
    fixture *f = *state;
    assert_null(load(f, HEAD "x-list: &list [1, 2]\n"
                              "stages:\n"
                              "  - {id: a, <<: *list}\n"));
    const jmap_diag *g = only(f, "merge-not-mapping");
    assert_string_equal(g->msg, "the merge key '<<' takes a mapping or a list of mappings");
    assert_int_equal(g->loc.line, 7); /* the key; the hint says where the sequence is */
    assert_int_equal(g->loc.col, 13);
    assert_string_equal(g->hint, "what it is given starts at 5:16");

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    assert_null(load(f, HEAD "stages:\n  - {id: a, <<: [{name: x}, plain]}\n"));
    g = only(f, "merge-not-mapping");
    assert_int_equal(g->loc.line, 6);
    assert_int_equal(g->loc.col, 13);
    assert_string_equal(g->hint, "write '<<: *name' where '&name' anchors a mapping");
}

static void load_rejects_an_alias_inside_its_own_anchor(void **state)
{
    fixture *f = *state;
    assert_null(load(f, HEAD "x-a: &x [1, *x]\n"));
    assert_diag_at(&f->d, "alias-cycle", 5, 13);
    assert_string_equal(only(f, "alias-cycle")->hint, "anchor 'x' is at 5:6");

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    assert_null(load(f, "&m {self: *m}\n"));
    assert_diag_at(&f->d, "alias-cycle", 1, 11);
}

static void load_rejects_an_undefined_alias(void **state)
{
    fixture *f = *state;
    assert_null(load(f, HEAD "subtitle: *nowhere\n"));
    const jmap_diag *g = only(f, "undefined-alias");
    assert_string_equal(g->msg, "undefined alias 'nowhere'");
    assert_int_equal(g->loc.line, 5);
    assert_int_equal(g->loc.col, 11);
}

/* ---- documents -------------------------------------------------------------------------- */

static void load_reports_an_empty_document_at_the_start(void **state)
{
    fixture *f = *state;
    static const char *const empty[] = {"",      "\n\n",    "# just\n# comments\n",
                                        "---\n", "--- ~\n", "null\n"};
    for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
        jmap_diags_release(&f->d);
        jmap_diags_init(&f->d);
        assert_null(load(f, empty[i]));
        assert_int_equal(f->d.n_errors, 1);
        assert_diag_at(&f->d, "empty-file", 1, 1);
    }
}

static void load_requires_a_mapping_at_the_top(void **state)
{
    fixture *f = *state;
    assert_null(load(f, "# a list\n- title: T\n"));
    const jmap_diag *g = only(f, "not-a-mapping");
    assert_int_equal(g->loc.line, 2);
    assert_int_equal(g->loc.col, 1);
    assert_string_equal(g->msg, "expected a mapping of keys at the top level, found a sequence");

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    assert_null(load(f, "just words\n"));
    only(f, "not-a-mapping");
}

static void load_refuses_a_second_document(void **state)
{
    fixture *f = *state;
    assert_null(load(f, HEAD "---\n" HEAD));
    assert_int_equal(f->d.n_errors, 1);
    assert_diag_at(&f->d, "multiple-documents", 5, 1);
}

static void load_reports_yaml_syntax_errors_with_their_context(void **state)
{
    fixture *f = *state;
    assert_null(load(f, "title: T\npersonas: [a, b]]\n"));
    const jmap_diag *g = only(f, "yaml-syntax");
    assert_int_equal(g->loc.line, 2);
    assert_int_equal(g->loc.col, 17);
    assert_string_equal(g->msg, "did not find expected key");
    assert_string_equal(g->hint, "while parsing a block mapping at 1:1");

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    assert_null(load(f, "title: T\n\tpersonas: []\n"));
    assert_int_equal(f->d.n_errors, 1);
    assert_diag_at(&f->d, "yaml-tab", 2, 1);
}

static void load_reports_invalid_utf8_at_its_line_and_column(void **state)
{
    fixture *f = *state;
    const char y[] = "title: T\npersonas: []\nsubtitle: \xc3\xa9t\xc3\xa9 \xff!\n";
    assert_null(load_n(f, y, sizeof(y) - 1));
    const jmap_diag *g = only(f, "invalid-encoding");
    assert_int_equal(g->loc.line, 3);
    assert_int_equal(g->loc.col, 15);
    assert_string_equal(g->msg, "invalid UTF-8 byte 0xff");

    /* a truncated sequence at the end of the text, and a control character */
    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    const char cut[] = "title: \xe2\x82";
    assert_null(load_n(f, cut, sizeof(cut) - 1));
    assert_diag_at(&f->d, "invalid-encoding", 1, 8);

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    const char ctl[] = "title: T\r\npersonas: [\"a\x01\"]\n";
    assert_null(load_n(f, ctl, sizeof(ctl) - 1));
    assert_diag_at(&f->d, "invalid-encoding", 2, 14);
    assert_string_equal(f->d.items[0].msg, "control character U+0001 is not allowed");
}

static void load_skips_a_byte_order_mark(void **state)
{
    fixture *f = *state;
    jmap_map *m = load(f, "\xef\xbb\xbf" HEAD);
    assert_clean(f);
    assert_loc(m->title.loc, 1, 8, 1, 8);
}

/* ---- limits and hostile input ----------------------------------------------------------- */

static void load_refuses_values_and_documents_over_the_limits(void **state)
{
    fixture *f = *state;
    f->lim.max_string_bytes = 8;
    assert_null(load(f, "title: 123456789\n"));
    assert_diag_at(&f->d, "string-too-long", 1, 8);

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    f->lim = jmap_limits_default();
    f->lim.max_nodes = 10;
    assert_null(load(f, "title: T\nlanes: [a, b, c, d, e, f, g]\n"));
    assert_diag_at(&f->d, "too-many-nodes", 2, 0);

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    f->lim = jmap_limits_default();
    f->lim.max_depth = 3;
    assert_non_null(load(f, "title: T\nx-a: [[1]]\npersonas: []\n"));
    assert_null(load(f, "title: T\nx-a: [[[1]]]\n"));
    assert_diag_at(&f->d, "too-deep", 2, 8);
}

/* Level k holds 9 aliases to level k-1: 9^9 nodes after expansion in under 500 bytes. */
static void load_refuses_a_billion_laughs_by_counting(void **state)
{
    fixture *f = *state;
    char *y = jmap_xstrdup("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int k = 1; k <= 9; k++) {
        char *line =
            jmap_xprintf("%sa%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, "
                         "*a%d]\n",
                         y, k, k, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1);
        free(y);
        y = line;
    }
    assert_true(strlen(y) < 600);
    assert_null(load(f, y));
    free(y);
    const jmap_diag *g = only(f, "alias-budget");
    assert_int_equal(g->loc.line, 7); /* level 6 expands to 5,380,840 nodes */
    assert_int_equal(f->d.n_errors, 1);
}

static void load_refuses_deep_flow_nesting_at_the_limit(void **state)
{
    fixture *f = *state;
    char *open = repeat("[", 100000, "");
    char *y = jmap_xprintf("title: %s", open);
    free(open);
    assert_null(load(f, y));
    free(y);
    assert_int_equal(f->d.n_errors, 1);
    assert_diag_at(&f->d, "too-deep", 1, 8 + 63);
}

static void load_refuses_deep_block_nesting_at_the_limit(void **state)
{
    fixture *f = *state;
    char *y = repeat("- ", 100000, "x\n");
    assert_null(load(f, y));
    free(y);
    assert_int_equal(f->d.n_errors, 1);
    assert_diag_at(&f->d, "too-deep", 1, 129);

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    y = repeat("k:\n", 1, "");
    size_t cap = 0, n = 0;
    y = jmap_xgrow(y, &cap, 200 * 200, 1);
    for (unsigned i = 0; i < 199; i++) {
        n = strlen(y);
        memset(y + n, ' ', i + 1);
        memcpy(y + n + i + 1, "k:\n", 4);
    }
    assert_null(load(f, y));
    free(y);
    assert_diag_at(&f->d, "too-deep", 65, 65);
}

/* xorshift64: the same garbage every run. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void load_ends_binary_garbage_in_a_diagnostic(void **state)
{
    fixture *f = *state;
    size_t len = 1 << 20;
    char *buf = jmap_xmalloc(len);
    uint64_t seed = 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)(next_random(&seed) >> 56);
    assert_null(load_n(f, buf, len));
    assert_true(jmap_diags_failed(&f->d));
    assert_int_equal(f->d.n_errors, 1);

    /* YAML punctuation soup reaches the parser itself; whatever it makes of it is reported */
    static const char alphabet[] = "[]{}:,-?&*!|>'\"#% \n\tab1~.";
    for (int round = 0; round < 50; round++) {
        jmap_diags_release(&f->d);
        jmap_diags_init(&f->d);
        size_t n = 1 + (size_t)(next_random(&seed) % 2000);
        for (size_t i = 0; i < n; i++)
            buf[i] = alphabet[next_random(&seed) % (sizeof(alphabet) - 1)];
        jmap_map *m = load_n(f, buf, n);
        if (!m)
            assert_true(jmap_diags_failed(&f->d));
    }
    free(buf);
}

/* ---- files ------------------------------------------------------------------------------ */

static void read_file_refuses_a_file_over_the_limit_before_reading_it(void **state)
{
    fixture *f = *state;
    char *dir = test_tmpdir("load-large");
    char *path = jmap_xprintf("%s/big.yaml", dir);
    test_sparse_file(path, 50 * 1024 * 1024);
    size_t len = 99;
    bool io = true;
    assert_null(jmap_read_file(path, &len, &f->lim, &f->d, &io));
    assert_false(io);
    const jmap_diag *g = only(f, "too-large");
    assert_int_equal(g->loc.line, 0);
    char *want = jmap_xprintf("'%s' is 52428800 bytes, more than the limit of 33554432", path);
    assert_string_equal(g->msg, want);
    free(want);
    unlink(path);
    free(path);
    free(dir);
}

static void read_file_reads_a_file_and_reports_io_errors(void **state)
{
    fixture *f = *state;
    char *dir = test_tmpdir("load-read");
    char *path = jmap_xprintf("%s/map.yaml", dir);
    test_write_file(path, HEAD, strlen(HEAD));
    size_t len = 0;
    bool io = true;
    char *text = jmap_read_file(path, &len, &f->lim, &f->d, &io);
    assert_non_null(text);
    assert_false(io);
    assert_int_equal(len, strlen(HEAD));
    assert_string_equal(text, HEAD);
    free(text);
    assert_clean(f);

    /* one byte over a small limit */
    f->lim.max_input_bytes = strlen(HEAD) - 1;
    assert_null(jmap_read_file(path, &len, &f->lim, &f->d, &io));
    assert_false(io);
    only(f, "too-large");
    f->lim = jmap_limits_default();

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    assert_null(jmap_read_file(dir, &len, &f->lim, &f->d, &io));
    assert_true(io);
    char *want = jmap_xprintf("cannot read '%s': Is a directory", dir);
    assert_string_equal(only(f, "io-error")->msg, want);
    free(want);

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    char *missing = jmap_xprintf("%s/missing.yaml", dir);
    assert_null(jmap_read_file(missing, &len, &f->lim, &f->d, &io));
    assert_true(io);
    want = jmap_xprintf("cannot read '%s': No such file or directory", missing);
    assert_string_equal(only(f, "io-error")->msg, want);
    free(want);
    free(missing);
    unlink(path);
    free(path);
    free(dir);
}

static void limits_default_to_the_documented_values(void **state)
{
    (void)state;
    jmap_limits l = jmap_limits_default();
    assert_int_equal(l.max_input_bytes, 32u * 1024 * 1024);
    assert_int_equal(l.max_depth, 64);
    assert_int_equal(l.max_nodes, 5000000);
    assert_int_equal(l.max_string_bytes, 65536);
    assert_int_equal(l.max_touchpoints, 200000);
    assert_int_equal(l.max_personas, 1000);
    assert_int_equal(l.max_stages, 1000);
}

/* ---- stage models ----------------------------------------------------------------------- */

static void load_reads_a_stage_model_file(void **state)
{
    fixture *f = *state;
    jmap_stage_model *m = load_model(f, "id: classic\n"
                                        "name: Classic\n"
                                        "description: Four stages.\n"
                                        "source: [Someone 2004, A Book]\n"
                                        "x-note: ignored\n"
                                        "stages:\n"
                                        "  - id: awareness\n"
                                        "    name: Awareness\n"
                                        "    description: They learn.\n"
                                        "    kpis: [Reach, Impressions]\n"
                                        "  - id: decision\n");
    assert_clean(f);
    assert_non_null(m);
    assert_string_equal(m->id.s, "classic");
    assert_string_equal(m->description.s, "Four stages.");
    assert_int_equal(m->loc.line, 1);
    assert_int_equal(m->n_stages, 2);
    assert_string_equal(m->stages[0].name.s, "Awareness");
    assert_int_equal(m->stages[0].n_suggested_kpis, 2);
    assert_string_equal(m->stages[0].suggested_kpis[1].s, "Impressions");
    assert_loc(m->stages[0].suggested_kpis[1].loc, 10, 19, 10, 29);
    assert_int_equal(m->stages[0].n_kpis, 0);
    assert_int_equal(m->stages[1].loc.line, 11);
    assert_string_equal(m->stages[1].loc.file, "model.yaml");
}

static void load_checks_stage_model_files_strictly(void **state)
{
    fixture *f = *state;
    jmap_stage_model *m = load_model(f, "id: m\n"
                                        "source: {a: 1}\n"
                                        "stages:\n"
                                        "  - id: a\n"
                                        "    goal: not here\n"
                                        "    kpis: [{name: x}]\n"
                                        "  - name: no id\n");
    assert_non_null(m);
    assert_int_equal(f->d.n_errors, 5);
    assert_diag_at(&f->d, "missing-key", 1, 1); /* name */
    assert_diag_at(&f->d, "wrong-type", 2, 9);  /* source */
    assert_diag_at(&f->d, "unknown-key", 5, 5); /* goal is for maps */
    assert_diag_at(&f->d, "wrong-type", 6, 12); /* kpis are names here */
    assert_diag_at(&f->d, "missing-key", 7, 5); /* id */

    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    assert_non_null(load_model(f, "id: m\nname: M\nsource: One paper\nstages: [{id: a}]\n"));
    assert_clean(f);
}

static void every_builtin_stage_model_loads_cleanly(void **state)
{
    fixture *f = *state;
    size_t n = 0;
    const jmap_builtin_stage_model *b = jmap_builtin_stage_models(&n);
    for (size_t i = 0; i < n; i++) {
        jmap_stage_model *m =
            jmap_load_stage_model(f->a, b[i].file, b[i].text, b[i].len, &f->lim, &f->d);
        assert_clean(f);
        assert_non_null(m);
        assert_string_equal(m->id.s, b[i].id);
        assert_true(m->n_stages > 0);
    }
}

/* ---- files that are not what they seem, and standard input ------------------------------ */

static void read_file_names_a_socket_as_not_a_regular_file(void **state)
{
    fixture *f = *state;
    char *dir = test_tmpdir("load-socket");
    char *path = jmap_xprintf("%s/map.yaml", dir);
    int sock = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(sock >= 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    assert_true(strlen(path) < sizeof addr.sun_path);
    strcpy(addr.sun_path, path);
    assert_int_equal(bind(sock, (struct sockaddr *)&addr, sizeof addr), 0);
    size_t len = 99;
    bool io = false;
    assert_null(jmap_read_file(path, &len, &f->lim, &f->d, &io));
    assert_true(io);
    char *want = jmap_xprintf("cannot read '%s': not a regular file (a socket)", path);
    assert_string_equal(only(f, "io-error")->msg, want);
    free(want);
    close(sock);
    unlink(path);
    free(path);
    free(dir);
}

/* jmap_read_file("-") with standard input replaced by `fd` (closed when -1) for the call. */
static char *read_stdin_from(fixture *f, int fd, bool *io)
{
    int saved = dup(STDIN_FILENO);
    assert_true(saved >= 0);
    if (fd >= 0)
        assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    else
        close(STDIN_FILENO);
    size_t len = 99;
    char *text = jmap_read_file("-", &len, &f->lim, &f->d, io);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    return text;
}

static void read_file_reports_standard_input_it_cannot_read(void **state)
{
    fixture *f = *state;
    char *dir = test_tmpdir("load-stdin");
    char *file = jmap_xprintf("%s/written.yaml", dir);
    static const struct {
        const char *what;
        const char *reason;
    } cases[] = {
        {"a directory", "Is a directory"},
        {"a file open for writing only", "Bad file descriptor"},
        {"closed", "Bad file descriptor"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int fd = -1;
        if (i == 0)
            fd = open(dir, O_RDONLY | O_DIRECTORY);
        else if (i == 1)
            fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (i < 2)
            assert_true(fd >= 0);
        bool io = false;
        assert_null(read_stdin_from(f, fd, &io));
        if (!io)
            fail_msg("standard input %s: not an I/O error", cases[i].what);
        char *want = jmap_xprintf("cannot read '<stdin>': %s", cases[i].reason);
        const char *got = only(f, "io-error")->msg;
        if (strcmp(got, want) != 0)
            fail_msg("standard input %s: '%s', want '%s'", cases[i].what, got, want);
        free(want);
        if (fd >= 0)
            close(fd);
        jmap_diags_release(&f->d);
        jmap_diags_init(&f->d);
    }
    free(file);
    free(dir);
}

static void a_wide_encoding_is_told_by_its_zero_bytes_without_a_mark(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *bytes;
        size_t len;
        const char *name; /* NULL: taken as UTF-8 */
    } cases[] = {
        {"t\0\0\0i\0\0\0", 8, "UTF-32 (little-endian)"},
        {"\0\0\0t\0\0\0i", 8, "UTF-32 (big-endian)"},
        {"\0t\0i", 4, "UTF-16 (big-endian)"},
        {"t\0i\0", 4, "UTF-16 (little-endian)"},
        {"t", 1, NULL},
        {"ti", 2, NULL},
        {"", 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ok = jmap_load_check_encoding("w.yaml", cases[i].bytes, cases[i].len, &f->d);
        if (!cases[i].name) {
            if (!ok || f->d.n_items != 0)
                fail_msg("case %zu: refused as a wide encoding", i);
            continue;
        }
        assert_false(ok);
        char *want = jmap_xprintf("'w.yaml' is %s; save it as UTF-8", cases[i].name);
        const char *got = only(f, "invalid-encoding")->msg;
        if (strcmp(got, want) != 0)
            fail_msg("case %zu: '%s', want '%s'", i, got, want);
        free(want);
        jmap_diags_release(&f->d);
        jmap_diags_init(&f->d);
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(load_reads_every_value_at_its_line_and_column),
        T(load_counts_columns_in_code_points_on_multibyte_lines),
        T(load_ends_block_scalars_on_their_last_character),
        T(load_takes_any_non_null_scalar_as_a_string),
        T(load_treats_null_optional_values_as_absent),
        T(load_keeps_unknown_enum_words_for_check_to_report),
        T(load_accepts_strict_number_forms),
        T(numbers_load_the_same_in_a_decimal_comma_locale),
        T(load_rejects_other_number_forms_as_wrong_type),
        T(load_names_the_value_and_the_key_in_number_errors),
        T(load_requires_an_integer_format_version),
        T(load_reports_wrong_types_at_the_value_and_keeps_going),
        T(load_reports_duplicate_keys_at_the_second_key),
        T(load_reports_unknown_keys_with_a_suggestion_when_close),
        T(load_shortens_a_long_unknown_key_in_its_message),
        T(load_ignores_extension_keys_everywhere),
        T(load_reports_missing_required_keys_at_the_mapping),
        T(load_reports_a_null_required_list),
        T(load_reports_a_null_required_value_at_the_value),
        T(load_stops_lists_at_their_limits),
        T(load_shares_an_anchored_kpi_list),
        T(load_merges_shared_kpi_fields_with_the_merge_key),
        T(load_rejects_a_merge_of_something_not_a_mapping),
        T(load_takes_an_empty_mapping_as_the_whole_document),
        T(load_rejects_an_alias_inside_its_own_anchor),
        T(load_rejects_an_undefined_alias),
        T(load_reports_an_empty_document_at_the_start),
        T(load_requires_a_mapping_at_the_top),
        T(load_refuses_a_second_document),
        T(load_reports_yaml_syntax_errors_with_their_context),
        T(load_reports_invalid_utf8_at_its_line_and_column),
        T(load_skips_a_byte_order_mark),
        T(load_refuses_values_and_documents_over_the_limits),
        T(load_refuses_a_billion_laughs_by_counting),
        T(load_refuses_deep_flow_nesting_at_the_limit),
        T(load_refuses_deep_block_nesting_at_the_limit),
        T(load_ends_binary_garbage_in_a_diagnostic),
        T(read_file_refuses_a_file_over_the_limit_before_reading_it),
        T(read_file_reads_a_file_and_reports_io_errors),
        T(limits_default_to_the_documented_values),
        T(load_reads_a_stage_model_file),
        T(load_checks_stage_model_files_strictly),
        T(every_builtin_stage_model_loads_cleanly),
        T(load_warns_about_an_integer_with_a_leading_zero),
        T(load_rejects_yaml_tags_at_the_tag),
        T(load_reports_duplicate_extension_keys),
        T(load_explains_a_key_longer_than_1024_characters),
        T(read_file_names_a_socket_as_not_a_regular_file),
        T(read_file_reports_standard_input_it_cannot_read),
        T(a_wide_encoding_is_told_by_its_zero_bytes_without_a_mark),
    };
    return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
