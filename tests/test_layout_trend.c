/* A KPI's trend (src/layout_trend.c) and the header's data date, with the fixed-width measurer:
 * maps are compiled, their KPIs given a history here as the data join would give it, then laid
 * out. Then the same scenes rendered to SVG, PDF and PNG.
 * cmocka needs its includes first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/fonts.h"
#include "jmap/jmap.h"
#include "jmap/layout.h"
#include "jmap/render.h"
#include "jmap/text.h"
#include "jmap/theme.h"

#define EPS 0.01
#define MINUS "\xe2\x88\x92" /* U+2212 */

typedef struct laid {
    jmap_arena *a;
    jmap_diags d;
    jmap_map *m;
    jmap_scene *s;
} laid;

static void compile(laid *l, const char *yaml)
{
    l->a = jmap_arena_new();
    jmap_diags_init(&l->d);
    l->m = test_compile(l->a, yaml, &l->d);
    if (!l->m) {
        char *text = test_diags_text(&l->d);
        print_error("the map does not compile:\n%s", text);
        free(text);
        fail();
    }
    l->s = NULL;
}

static void build(laid *l, jmap_theme_id th)
{
    jmap_text_measurer tm = jmap_text_fixed();
    jmap_layout_opts o = {.theme = jmap_theme_get(th)};
    l->s = jmap_layout_build(l->a, l->m, &o, &tm, &l->d);
    assert_non_null(l->s);
}

static void release(laid *l)
{
    jmap_arena_free(l->a);
    jmap_diags_release(&l->d);
}

static jmap_kpi *kpi_named(jmap_map *m, const char *name)
{
    for (size_t s = 0; s < m->n_stages; s++) {
        for (size_t k = 0; k < m->stages[s].n_kpis; k++) {
            if (strcmp(m->stages[s].kpis[k].name.s, name) == 0)
                return &m->stages[s].kpis[k];
        }
    }
    for (size_t t = 0; t < m->n_touchpoints; t++) {
        for (size_t k = 0; k < m->touchpoints[t].n_kpis; k++) {
            if (strcmp(m->touchpoints[t].kpis[k].name.s, name) == 0)
                return &m->touchpoints[t].kpis[k];
        }
    }
    fail_msg("no KPI '%s'", name);
    return NULL;
}

static bool later(jmap_date a, jmap_date b)
{
    if (a.year != b.year)
        return a.year > b.year;
    if (a.month != b.month)
        return a.month > b.month;
    return a.day > b.day; /* a month (day 0) sorts before its days */
}

/*
 * Give KPI `name` the history `spec` as the join does: "2026-09=3.1/3.2 2026-10=3.4", periods
 * oldest first, each value with its target after a slash when the row has one. The latest
 * gives `actual` (and `target` when it has one); the map's data_as_of is the latest period of
 * all histories given.
 */
static void history(laid *l, const char *name, const char *spec)
{
    jmap_kpi *k = kpi_named(l->m, name);
    k->history = jmap_arena_calloc(l->a, JMAP_KPI_HISTORY, sizeof *k->history);
    k->n_history = 0;
    const char *p = spec;
    for (;;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        unsigned y = 0, mo = 0, d = 0;
        int used = 0;
        if (sscanf(p, "%u-%u-%u=%n", &y, &mo, &d, &used) != 3 || used == 0) {
            d = 0;
            used = 0;
            sscanf(p, "%u-%u=%n", &y, &mo, &used);
        }
        assert_true(used > 0);
        p += used;
        char *end;
        jmap_kpi_point pt = {.date = {(unsigned short)y, (unsigned char)mo, (unsigned char)d}};
        pt.actual = strtod(p, &end);
        assert_true(end > p);
        p = end;
        if (*p == '/') {
            pt.target = strtod(p + 1, &end);
            pt.has_target = true;
            p = end;
        }
        assert_true(k->n_history < JMAP_KPI_HISTORY);
        k->history[k->n_history++] = pt;
        if (later(pt.date, l->m->data_as_of))
            l->m->data_as_of = pt.date;
    }
    assert_true(k->n_history > 0);
    const jmap_kpi_point *last = &k->history[k->n_history - 1];
    k->actual.v = last->actual;
    k->actual.set = true;
    if (last->has_target) {
        k->target.v = last->target;
        k->target.set = true;
    }
}

static char *dump_of(const jmap_scene *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    jmap_layout_dump(s, f);
    fclose(f);
    return buf;
}

/* The dump's line holding `quoted` (a text in quotes), which must be a TEXT of `role`. */
static void assert_dumped(const char *dump, const char *role, const char *text)
{
    char *q = jmap_xprintf("\"%s\"\n", text);
    const char *at = strstr(dump, q);
    if (!at)
        fail_msg("the dump has no text \"%s\"", text);
    const char *line = at;
    while (line > dump && line[-1] != '\n')
        line--;
    char *want = jmap_xprintf(" text %s ", role);
    if (strncmp(strchr(line, ' '), want, strlen(want)) != 0)
        fail_msg("\"%s\" is not a %s: %.*s", text, role, (int)(at - line), line);
    free(want);
    free(q);
}

static bool starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The index of KPI `name`'s name text; its own prims follow it up to the next KPI's name. */
static size_t kpi_at(const jmap_scene *s, const char *name)
{
    for (size_t i = 0; i < s->n_prims; i++) {
        const jmap_prim *p = &s->prims[i];
        if (p->kind == JMAP_PRIM_TEXT && strcmp(p->role, "kpi-name") == 0 &&
            strcmp(p->text, name) == 0)
            return i;
    }
    fail_msg("no KPI '%s' in the scene", name);
    return 0;
}

/* KPI `name`'s first prim of `role`, or NULL. */
static const jmap_prim *kpi_prim(const jmap_scene *s, const char *name, const char *role)
{
    for (size_t i = kpi_at(s, name) + 1;
         i < s->n_prims && strcmp(s->prims[i].role, "kpi-name") != 0; i++) {
        if (strcmp(s->prims[i].role, role) == 0)
            return &s->prims[i];
    }
    return NULL;
}

static const jmap_prim *need(const jmap_prim *p, const char *name, const char *role)
{
    if (!p)
        fail_msg("KPI '%s' has no %s", name, role);
    return p;
}

/* The cell KPI `name` is drawn in. */
static const jmap_prim *card_of(const jmap_scene *s, const char *name)
{
    const jmap_prim *n = &s->prims[kpi_at(s, name)];
    assert_true(n->cell < s->n_prims);
    return &s->prims[n->cell];
}

static bool inside(jmap_rect in, jmap_rect out)
{
    return in.x >= out.x - EPS && in.y >= out.y - EPS && in.x + in.w <= out.x + out.w + EPS &&
           in.y + in.h <= out.y + out.h + EPS;
}

static bool point_in(jmap_point p, jmap_rect r)
{
    return inside((jmap_rect){p.x, p.y, 0, 0}, r);
}

static bool same_color(jmap_color a, jmap_color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

static bool grey(jmap_color c)
{
    return c.a == 0 || (c.r == c.g && c.g == c.b);
}

/* ------------------------------------------------------------------------------------------ */

static const char *const trend_map =
    "title: Checkout\n"
    "personas: [{id: p, name: P}]\n"
    "stages:\n"
    "  - id: discover\n"
    "    kpis:\n"
    "      - {name: Conversion, target: 3, unit: \"%\"}\n"
    "      - {name: Visits}\n"
    "  - id: buy\n"
    "    kpis:\n"
    "      - {name: Latency, target: 1500, unit: ms, better: lower}\n"
    "touchpoints:\n"
    "  - {stage: discover, name: Ad, kpis: [{name: Tickets, unit: tickets, better: lower}]}\n"
    "  - {stage: buy, name: Pay, kpis: [{name: Fixed}]}\n";

/* Conversion: a year of months; Visits stopped two months early; Latency by day; Tickets
 * unchanged; Fixed has no data at all. */
static void trend_history(laid *l)
{
    history(l, "Conversion",
            "2025-11=2.4/3 2025-12=2.6/3 2026-01=2.5/3 2026-02=2.8/3 2026-03=2.9/3 "
            "2026-04=3.0/3.2 2026-05=3.1/3.2 2026-06=2.9/3.2 2026-07=3.1/3.2 2026-08=3.3/3.2 "
            "2026-09=3.1/3.2 2026-10=3.4/3.2");
    history(l, "Visits", "2026-06=39000 2026-07=41000 2026-08=42204");
    history(l, "Latency", "2026-08-31=1710 2026-09-30=1580 2026-10-31=1460");
    history(l, "Tickets", "2026-09=412 2026-10=412");
}

static void joined_values_changes_and_dates_appear_in_the_dump(void **state)
{
    (void)state;
    laid l;
    compile(&l, trend_map);
    trend_history(&l);
    build(&l, JMAP_THEME_LIGHT);
    char *dump = dump_of(l.s);
    assert_dumped(dump, "data-as-of", "Data as of 2026-10-31");
    assert_dumped(dump, "kpi-value", "3.4% / 3.2%");
    assert_dumped(dump, "kpi-delta", "+0.3 pts since 2026-09 · better");
    assert_dumped(dump, "kpi-value", "42,204");
    assert_dumped(dump, "kpi-as-of", "as of 2026-08");
    assert_dumped(dump, "kpi-delta", "+1,204 since 2026-07 · better");
    assert_dumped(dump, "kpi-value", "1,460 / 1,500 ms");
    assert_dumped(dump, "kpi-delta", MINUS "120 ms since 2026-09-30 · better");
    assert_dumped(dump, "kpi-delta", "no change since 2026-09");
    /* a month is as fresh as any day in it: Conversion's October is not stale on October 31 */
    assert_null(kpi_prim(l.s, "Conversion", "kpi-as-of"));
    assert_null(kpi_prim(l.s, "Latency", "kpi-as-of"));
    /* a KPI without data is drawn as before: no trend */
    assert_null(kpi_prim(l.s, "Fixed", "kpi-delta"));
    assert_null(kpi_prim(l.s, "Fixed", "kpi-spark-area"));
    free(dump);
    release(&l);
}

/* Without data the header and the cards have none of it. */
static void a_map_without_data_has_no_trend_and_no_data_date(void **state)
{
    (void)state;
    laid l;
    compile(&l, trend_map);
    build(&l, JMAP_THEME_LIGHT);
    char *dump = dump_of(l.s);
    assert_null(strstr(dump, "as of"));
    assert_null(strstr(dump, "kpi-delta"));
    assert_null(strstr(dump, "kpi-spark"));
    free(dump);
    release(&l);
}

/* The change is the difference of the figures as written, not of their binary doubles. */
static void the_change_has_the_decimals_of_its_figures(void **state)
{
    (void)state;
    laid l;
    compile(&l, "title: T\npersonas: [{id: p, name: P}]\nstages:\n  - id: a\n    kpis:\n"
                "      - {name: A}\n      - {name: B}\n      - {name: C, unit: \"‰\"}\n"
                "      - {name: D, unit: \"% of orders\", better: lower}\n"
                "      - {name: E, unit: EUR}\n      - {name: F}\n");
    history(&l, "A", "2026-01=0.1 2026-02=0.3");
    history(&l, "B", "2026-01=1.005 2026-02=1.01");
    history(&l, "C", "2026-01=2.5 2026-02=1.25");
    history(&l, "D", "2026-01=3.5 2026-02=4.75");
    history(&l, "E", "2026-01=1250000 2026-02=998000.5");
    history(&l, "F", "2026-01=1e20 2026-02=3e20");
    build(&l, JMAP_THEME_LIGHT);
    char *dump = dump_of(l.s);
    assert_dumped(dump, "kpi-delta", "+0.2 since 2026-01 · better");
    assert_dumped(dump, "kpi-delta", "+0.005 since 2026-01 · better");
    assert_dumped(dump, "kpi-delta", MINUS "1.25‰ since 2026-01 · worse");
    assert_dumped(dump, "kpi-delta", "+1.25 pts since 2026-01 · worse");
    assert_dumped(dump, "kpi-delta", MINUS "251,999.5 EUR since 2026-01 · worse");
    assert_dumped(dump, "kpi-delta", "+2e20 since 2026-01 · better"); /* beyond decimals */
    free(dump);
    release(&l);
}

/* A rise is better when higher is better and worse when lower is; the word says so in every
 * theme, the colour repeats it where there is colour, and print has none. */
static void better_and_worse_follow_the_kpis_direction_in_every_theme(void **state)
{
    (void)state;
    static const char *const map =
        "title: T\npersonas: [{id: p, name: P}]\nstages:\n  - id: a\n    kpis:\n"
        "      - {name: HighUp}\n      - {name: HighDown}\n"
        "      - {name: LowUp, better: lower}\n"
        "      - {name: LowDown, better: lower}\n";
    static const struct {
        const char *name, *spec, *text;
        bool better;
    } want[] = {
        {"HighUp", "2026-01=5 2026-02=7", "+2 since 2026-01 · better", true},
        {"HighDown", "2026-01=7 2026-02=5", MINUS "2 since 2026-01 · worse", false},
        {"LowUp", "2026-01=5 2026-02=7", "+2 since 2026-01 · worse", false},
        {"LowDown", "2026-01=7 2026-02=5", MINUS "2 since 2026-01 · better", true},
    };
    for (int th = JMAP_THEME_LIGHT; th <= JMAP_THEME_PRINT; th++) {
        const jmap_theme *t = jmap_theme_get((jmap_theme_id)th);
        laid l;
        compile(&l, map);
        for (size_t i = 0; i < 4; i++)
            history(&l, want[i].name, want[i].spec);
        build(&l, (jmap_theme_id)th);
        for (size_t i = 0; i < 4; i++) {
            const jmap_prim *d =
                need(kpi_prim(l.s, want[i].name, "kpi-delta"), want[i].name, "kpi-delta");
            assert_string_equal(d->text, want[i].text);
            assert_true(same_color(d->color, want[i].better ? t->c.on_track : t->c.off_track));
            if (th == JMAP_THEME_PRINT)
                assert_true(grey(d->color));
        }
        if (th != JMAP_THEME_PRINT) {
            const jmap_prim *good = kpi_prim(l.s, "HighUp", "kpi-delta");
            const jmap_prim *bad = kpi_prim(l.s, "LowUp", "kpi-delta");
            assert_false(same_color(good->color, bad->color));
        }
        release(&l);
    }
}

/* The sparkline's points, left to right in date order, higher values higher (smaller y), all
 * inside the sparkline's box inside the card, in every theme. */
static void the_sparkline_follows_the_values_inside_the_card(void **state)
{
    (void)state;
    for (int th = JMAP_THEME_LIGHT; th <= JMAP_THEME_PRINT; th++) {
        laid l;
        compile(&l, trend_map);
        trend_history(&l);
        build(&l, (jmap_theme_id)th);
        static const char *const names[] = {"Conversion", "Visits", "Latency", "Tickets"};
        for (size_t n = 0; n < 4; n++) {
            const jmap_kpi *k = kpi_named(l.m, names[n]);
            const jmap_prim *card = card_of(l.s, names[n]);
            const jmap_prim *area =
                need(kpi_prim(l.s, names[n], "kpi-spark-area"), names[n], "kpi-spark-area");
            const jmap_prim *ln = need(kpi_prim(l.s, names[n], "kpi-spark"), names[n], "kpi-spark");
            const jmap_prim *dot =
                need(kpi_prim(l.s, names[n], "kpi-spark-dot"), names[n], "kpi-spark-dot");
            assert_true(inside(area->box, card->box));
            assert_int_equal(area->fill.a, 0); /* the box paints nothing */
            assert_int_equal(area->stroke.a, 0);
            assert_true(area->box.h > 10);
            assert_int_equal(ln->n_pts, k->n_history);
            for (size_t i = 0; i < ln->n_pts; i++) {
                assert_true(point_in(ln->pts[i], area->box));
                assert_true(point_in(ln->pts[i], card->box));
                if (i > 0)
                    assert_true(ln->pts[i].x > ln->pts[i - 1].x);
                for (size_t j = 0; j < ln->n_pts; j++) {
                    double vi = k->history[i].actual, vj = k->history[j].actual;
                    if (vi > vj && !(ln->pts[i].y < ln->pts[j].y))
                        fail_msg("%s: value %g drawn at y %.2f, not above %g at %.2f", names[n], vi,
                                 ln->pts[i].y, vj, ln->pts[j].y);
                    if (vi == vj)
                        assert_float_equal(ln->pts[i].y, ln->pts[j].y, 1e-9);
                }
            }
            /* the extremes reach the box's padding: the series uses its height */
            double top = area->box.y + area->box.h, bottom = area->box.y;
            for (size_t i = 0; i < ln->n_pts; i++) {
                top = fmin(top, ln->pts[i].y);
                bottom = fmax(bottom, ln->pts[i].y);
            }
            if (strcmp(names[n], "Tickets") != 0)
                assert_true(bottom - top > area->box.h / 3);
            /* the latest value's dot sits on the last point, inside the box */
            jmap_point last = ln->pts[ln->n_pts - 1];
            assert_float_equal(dot->box.x + dot->box.w / 2, last.x, EPS);
            assert_float_equal(dot->box.y + dot->box.h / 2, last.y, EPS);
            assert_true(inside(dot->box, area->box));
            /* below the texts of the KPI */
            const jmap_prim *value = kpi_prim(l.s, names[n], "kpi-value");
            assert_true(area->box.y >= value->box.y + value->box.h - EPS);
        }
        release(&l);
    }
}

/* Where a value would be drawn on a sparkline whose lowest point `lo` is at y_lo and highest
 * `hi` at y_hi. */
static double y_of(double v, double lo, double y_lo, double hi, double y_hi)
{
    return y_lo + (v - lo) / (hi - lo) * (y_hi - y_lo);
}

/* One target throughout: a flat dashed line across, at the target's height on the values'
 * scale. Changing targets: a line through each period's, a period without one keeping the one
 * before. No target anywhere: no line. */
static void the_target_is_a_thin_line_on_the_values_scale(void **state)
{
    (void)state;
    laid l;
    compile(&l, "title: T\npersonas: [{id: p, name: P}]\nstages:\n  - id: a\n    kpis:\n"
                "      - {name: Flat}\n      - {name: Steps}\n      - {name: None}\n"
                "      - {name: Yaml, target: 50}\n");
    history(&l, "Flat", "2026-01=10/15 2026-02=20/15 2026-03=12/15");
    history(&l, "Steps", "2026-01=10/12 2026-02=15/14 2026-03=20 2026-04=30/28");
    history(&l, "None", "2026-01=1 2026-02=2");
    history(&l, "Yaml", "2026-01=40 2026-02=60 2026-03=45");
    build(&l, JMAP_THEME_LIGHT);
    const jmap_theme *t = jmap_theme_get(JMAP_THEME_LIGHT);

    const jmap_prim *ln = kpi_prim(l.s, "Flat", "kpi-spark");
    const jmap_prim *tg = need(kpi_prim(l.s, "Flat", "kpi-spark-target"), "Flat", "target");
    const jmap_prim *area = kpi_prim(l.s, "Flat", "kpi-spark-area");
    assert_int_equal(tg->n_pts, 2);
    assert_float_equal(tg->pts[0].y, tg->pts[1].y, 1e-9);
    assert_float_equal(tg->pts[0].y, y_of(15, 10, ln->pts[0].y, 20, ln->pts[1].y), 1e-6);
    assert_float_equal(tg->pts[0].x, ln->pts[0].x, 1e-9); /* across the whole series */
    assert_float_equal(tg->pts[1].x, ln->pts[2].x, 1e-9);
    assert_true(point_in(tg->pts[0], area->box) && point_in(tg->pts[1], area->box));
    assert_true(tg->stroke_width < ln->stroke_width); /* thin */
    assert_true(tg->dash_on > 0 && tg->dash_off > 0); /* dashed */
    assert_true(same_color(tg->stroke, t->c.spark_target));
    assert_true(same_color(ln->stroke, t->c.spark));
    /* painted under the series */
    assert_true(tg < ln);

    ln = kpi_prim(l.s, "Steps", "kpi-spark");
    tg = need(kpi_prim(l.s, "Steps", "kpi-spark-target"), "Steps", "target");
    assert_int_equal(tg->n_pts, 4);
    double y10 = ln->pts[0].y, y30 = ln->pts[3].y;
    assert_float_equal(tg->pts[0].y, y_of(12, 10, y10, 30, y30), 1e-6);
    assert_float_equal(tg->pts[1].y, y_of(14, 10, y10, 30, y30), 1e-6);
    assert_float_equal(tg->pts[2].y, y_of(14, 10, y10, 30, y30), 1e-6); /* February's kept */
    assert_float_equal(tg->pts[3].y, y_of(28, 10, y10, 30, y30), 1e-6);
    for (size_t i = 0; i < 4; i++)
        assert_float_equal(tg->pts[i].x, ln->pts[i].x, 1e-9);

    assert_null(kpi_prim(l.s, "None", "kpi-spark-target"));

    /* the map's own target when the rows have none: the one the card shows */
    assert_string_equal(kpi_prim(l.s, "Yaml", "kpi-value")->text, "45 / 50");
    ln = kpi_prim(l.s, "Yaml", "kpi-spark");
    tg = need(kpi_prim(l.s, "Yaml", "kpi-spark-target"), "Yaml", "target");
    assert_int_equal(tg->n_pts, 2);
    assert_float_equal(tg->pts[0].y, y_of(50, 40, ln->pts[0].y, 60, ln->pts[1].y), 1e-6);
    release(&l);
}

/* One period: a dot at the right end (where the latest always is), no line, no change. All
 * alike: a flat line along the middle. */
static void one_point_is_a_dot_and_a_flat_series_runs_along_the_middle(void **state)
{
    (void)state;
    laid l;
    compile(&l, "title: T\npersonas: [{id: p, name: P}]\nstages:\n  - id: a\n    kpis:\n"
                "      - {name: One}\n      - {name: OneTarget, unit: \"%\"}\n"
                "      - {name: Flat}\n      - {name: FlatTarget}\n");
    history(&l, "One", "2026-03=7");
    history(&l, "OneTarget", "2026-03=7/9");
    history(&l, "Flat", "2026-01=5 2026-02=5 2026-03=5 2026-04=5");
    history(&l, "FlatTarget", "2026-01=5/5 2026-02=5/5");
    build(&l, JMAP_THEME_LIGHT);

    const jmap_prim *area = kpi_prim(l.s, "One", "kpi-spark-area");
    const jmap_prim *dot = need(kpi_prim(l.s, "One", "kpi-spark-dot"), "One", "dot");
    double mid = area->box.y + area->box.h / 2;
    assert_null(kpi_prim(l.s, "One", "kpi-spark"));
    assert_null(kpi_prim(l.s, "One", "kpi-delta"));
    assert_null(kpi_prim(l.s, "One", "kpi-spark-target"));
    assert_float_equal(dot->box.y + dot->box.h / 2, mid, EPS);
    assert_true(dot->box.x > area->box.x + area->box.w / 2);
    assert_true(inside(dot->box, area->box));

    /* a dot and its target at either end of the scale */
    area = kpi_prim(l.s, "OneTarget", "kpi-spark-area");
    dot = kpi_prim(l.s, "OneTarget", "kpi-spark-dot");
    const jmap_prim *tg = need(kpi_prim(l.s, "OneTarget", "kpi-spark-target"), "OneTarget", "t");
    assert_true(tg->pts[0].y < dot->box.y); /* 9 above 7 */
    assert_true(point_in(tg->pts[0], area->box) && point_in(tg->pts[1], area->box));
    assert_true(inside(dot->box, area->box));
    assert_string_equal(kpi_prim(l.s, "OneTarget", "kpi-value")->text, "7% / 9%");

    const char *flats[] = {"Flat", "FlatTarget"};
    for (size_t f = 0; f < 2; f++) {
        area = kpi_prim(l.s, flats[f], "kpi-spark-area");
        const jmap_prim *ln = kpi_prim(l.s, flats[f], "kpi-spark");
        mid = area->box.y + area->box.h / 2;
        for (size_t i = 0; i < ln->n_pts; i++)
            assert_float_equal(ln->pts[i].y, mid, 1e-9);
        assert_float_equal(ln->pts[0].x, area->box.x + 3, EPS);
        assert_float_equal(ln->pts[ln->n_pts - 1].x, area->box.x + area->box.w - 3, EPS);
    }
    tg = kpi_prim(l.s, "FlatTarget", "kpi-spark-target");
    assert_float_equal(tg->pts[0].y, mid, 1e-9);
    release(&l);
}

/* A KPI whose data ends before the map's does shows its own date; a month is not older than a
 * day inside it, and a day not older than the month it is in. */
static void a_kpi_whose_data_stopped_shows_its_own_date(void **state)
{
    (void)state;
    static const struct {
        const char *kpi, *other, *shown; /* shown NULL: not stale */
        const char *header;
    } cases[] = {
        {"2026-10", "2026-10-31", NULL, "Data as of 2026-10-31"},
        {"2026-09", "2026-10-31", "as of 2026-09", "Data as of 2026-10-31"},
        {"2026-10-30", "2026-10-31", "as of 2026-10-30", "Data as of 2026-10-31"},
        /* a month sorts before its days: the day is the latest period */
        {"2026-10-15", "2026-10", NULL, "Data as of 2026-10-15"},
        {"2025-12", "2026-01", "as of 2025-12", "Data as of 2026-01"},
        {"2026-10", "2026-10", NULL, "Data as of 2026-10"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (int th = JMAP_THEME_LIGHT; th <= JMAP_THEME_PRINT; th++) {
            laid l;
            compile(&l, "title: T\npersonas: [{id: p, name: P}]\nstages:\n  - id: a\n    kpis: "
                        "[{name: K}, {name: Other}]\n");
            char *a = jmap_xprintf("%s=1", cases[c].kpi);
            char *b = jmap_xprintf("%s=2", cases[c].other);
            history(&l, "K", a);
            history(&l, "Other", b);
            build(&l, (jmap_theme_id)th);
            const jmap_prim *p = kpi_prim(l.s, "K", "kpi-as-of");
            if (!cases[c].shown) {
                if (p)
                    fail_msg("%s against %s: '%s'", cases[c].kpi, cases[c].other, p->text);
            } else {
                need(p, cases[c].kpi, "kpi-as-of");
                assert_string_equal(p->text, cases[c].shown);
                assert_true(same_color(p->color, jmap_theme_get(th)->c.text_secondary));
                /* under the figures, above the sparkline */
                assert_true(p->box.y >= kpi_prim(l.s, "K", "kpi-value")->box.y);
                assert_true(p->box.y < kpi_prim(l.s, "K", "kpi-spark-area")->box.y);
            }
            assert_null(kpi_prim(l.s, "Other", "kpi-as-of"));
            char *dump = dump_of(l.s);
            assert_dumped(dump, "data-as-of", cases[c].header);
            free(dump);
            free(a);
            free(b);
            release(&l);
        }
    }
}

/* The header's date sits under the title inside the header, clear of the grid. */
static void the_data_date_sits_in_the_header(void **state)
{
    (void)state;
    for (int th = JMAP_THEME_LIGHT; th <= JMAP_THEME_PRINT; th++) {
        laid l;
        compile(&l, "title: T\nsubtitle: S\nstate: future\n"
                    "personas: [{id: p, name: P, role: R, goals: [G]}]\n"
                    "stages:\n  - id: a\n    kpis: [{name: K}]\n");
        history(&l, "K", "2026-01=1 2026-02=2");
        build(&l, (jmap_theme_id)th);
        const jmap_prim *d = NULL, *sub = NULL;
        for (size_t i = 0; i < l.s->n_prims; i++) {
            if (strcmp(l.s->prims[i].role, "data-as-of") == 0)
                d = &l.s->prims[i];
            if (strcmp(l.s->prims[i].role, "subtitle") == 0)
                sub = &l.s->prims[i];
        }
        assert_non_null(d);
        assert_non_null(sub);
        assert_string_equal(d->text, "Data as of 2026-02");
        const jmap_prim *header = &l.s->prims[d->cell];
        assert_string_equal(header->role, "header");
        assert_true(inside(d->box, header->box));
        assert_true(d->box.y >= sub->box.y + sub->box.h);
        assert_true(header->box.y + header->box.h < l.s->rows[0].y);
        assert_true(same_color(d->color, jmap_theme_get(th)->c.text_secondary));
        release(&l);
    }
}

/* Every prim of the trend in the print theme is black, white or grey; texts stay in their
 * cells and readable (WCAG AA) against them in every theme. */
static void trends_are_readable_in_every_theme_and_colourless_in_print(void **state)
{
    (void)state;
    for (int th = JMAP_THEME_LIGHT; th <= JMAP_THEME_PRINT; th++) {
        laid l;
        compile(&l, trend_map);
        trend_history(&l);
        history(&l, "Fixed", "2026-09=9/8 2026-10=7/8"); /* worse and off track */
        build(&l, (jmap_theme_id)th);
        size_t texts = 0, coloured = 0;
        for (size_t i = 0; i < l.s->n_prims; i++) {
            const jmap_prim *p = &l.s->prims[i];
            bool trend = starts_with(p->role, "kpi-") || strcmp(p->role, "data-as-of") == 0;
            if (!trend)
                continue;
            if (th == JMAP_THEME_PRINT && !(grey(p->fill) && grey(p->stroke) && grey(p->color)))
                fail_msg("print: %s has a colour", p->role);
            coloured += !(grey(p->fill) && grey(p->stroke) && grey(p->color));
            if (p->kind != JMAP_PRIM_TEXT)
                continue;
            const jmap_prim *c = &l.s->prims[p->cell];
            if (!inside(p->box, c->box))
                fail_msg("'%s' spills out of its %s", p->text, c->role);
            double ratio = jmap_color_contrast(p->color, c->fill);
            if (ratio < 4.5)
                fail_msg("%s: '%s' on %s: contrast %.2f", jmap_theme_get(th)->name, p->text,
                         c->role, ratio);
            texts++;
        }
        assert_true(texts > 10);
        if (th != JMAP_THEME_PRINT)
            assert_true(coloured > 0);
        /* the off-track KPI's dot has the status's colour */
        const jmap_prim *dot = kpi_prim(l.s, "Fixed", "kpi-spark-dot");
        assert_true(same_color(dot->fill, jmap_theme_get(th)->c.off_track));
        assert_string_equal(kpi_prim(l.s, "Fixed", "kpi-delta")->text,
                            MINUS "2 since 2026-09 · worse");
        release(&l);
    }
}

/* The join keeps twelve periods; given more, the layout draws the latest twelve. A value that is
 * not finite (the reader lets none through) draws neither a change nor a sparkline. */
static void more_than_twelve_draw_the_latest_and_no_number_draws_nothing(void **state)
{
    (void)state;
    laid l;
    compile(&l, "title: T\npersonas: [{id: p, name: P}]\nstages:\n  - id: a\n    kpis:\n"
                "      - {name: Long}\n      - {name: Odd}\n");
    jmap_kpi *k = kpi_named(l.m, "Long");
    k->history = jmap_arena_calloc(l.a, 14, sizeof *k->history);
    for (size_t i = 0; i < 14; i++)
        k->history[i] = (jmap_kpi_point){.date = {2026, (unsigned char)(1 + i % 12), 0},
                                         .actual = i < 2 ? 1000 : (double)i};
    k->history[12].date.year = k->history[13].date.year = 2027;
    k->n_history = 14;
    k->actual = (jmap_num){.v = 13, .set = true};
    l.m->data_as_of = k->history[13].date;
    history(&l, "Odd", "2026-01=1 2026-02=2");
    jmap_kpi *odd = kpi_named(l.m, "Odd");
    odd->history[1].actual = INFINITY;
    odd->actual.v = INFINITY;
    build(&l, JMAP_THEME_LIGHT);
    const jmap_prim *ln = need(kpi_prim(l.s, "Long", "kpi-spark"), "Long", "kpi-spark");
    assert_int_equal(ln->n_pts, JMAP_KPI_HISTORY);
    /* the two oldest (1000) are left out: values 2..13 rise left to right */
    for (size_t i = 1; i < ln->n_pts; i++)
        assert_true(ln->pts[i].y < ln->pts[i - 1].y);
    assert_string_equal(kpi_prim(l.s, "Long", "kpi-delta")->text, "+1 since 2027-01 · better");
    assert_null(kpi_prim(l.s, "Odd", "kpi-delta"));
    assert_null(kpi_prim(l.s, "Odd", "kpi-spark"));
    assert_null(kpi_prim(l.s, "Odd", "kpi-spark-dot"));
    release(&l);
}

/* The changes and figures read the same, and sit in the same places, in a locale whose
 * decimal point is a comma. */
static void trends_are_the_same_in_a_decimal_comma_locale(void **state)
{
    (void)state;
    test_need_comma_locale();
    test_use_c_locale();
    laid l[2];
    for (int i = 0; i < 2; i++) {
        compile(&l[i], trend_map);
        trend_history(&l[i]); /* the test's own figures, read in the C locale */
        if (i == 1)
            test_need_comma_locale(); /* the layout in the comma one */
        build(&l[i], JMAP_THEME_LIGHT);
        test_use_c_locale();
    }
    const jmap_scene *c = l[0].s, *comma = l[1].s;
    assert_int_equal(c->n_prims, comma->n_prims);
    size_t texts = 0;
    for (size_t i = 0; i < c->n_prims; i++) {
        const jmap_prim *p = &c->prims[i], *q = &comma->prims[i];
        assert_string_equal(p->role, q->role);
        assert_memory_equal(&p->box, &q->box, sizeof p->box);
        if (p->kind == JMAP_PRIM_TEXT) {
            assert_string_equal(p->text, q->text);
            texts++;
        }
        for (size_t k = 0; k < p->n_pts; k++)
            assert_memory_equal(&p->pts[k], &q->pts[k], sizeof p->pts[k]);
    }
    assert_true(texts > 10);
    assert_string_equal(kpi_prim(comma, "Conversion", "kpi-delta")->text,
                        "+0.3 pts since 2026-09 · better");
    release(&l[0]);
    release(&l[1]);
}

/* A very long unit cannot make the change line run down the card: it is cut after three
 * lines, as the figures are after two. */
static void a_long_unit_cuts_the_change_after_three_lines(void **state)
{
    (void)state;
    laid l;
    compile(&l, "title: T\npersonas: [{id: p, name: P}]\nstages:\n  - id: a\n    kpis:\n"
                "      - {name: K, unit: orders placed by returning customers who opened the "
                "weekly newsletter in the same week as they ordered their first box}\n");
    history(&l, "K", "2026-01=1 2026-02=2");
    build(&l, JMAP_THEME_LIGHT);
    const jmap_prim *d = need(kpi_prim(l.s, "K", "kpi-delta"), "K", "kpi-delta");
    jmap_text_measurer tm = jmap_text_fixed();
    jmap_text_size one = tm.measure(tm.ctx, "x", &d->font, 0);
    assert_true(d->box.h <= 3 * one.h + EPS);
    assert_true(d->box.h > 2 * one.h);
    const char *end = d->text + strlen(d->text) - strlen("…");
    assert_string_equal(end, "…");
    assert_true(inside(d->box, card_of(l.s, "K")->box));
    release(&l);
}

/* ---- golden scenes of a map with data ---------------------------------------------------- */

#define GOLDEN_DIR JMAP_TEST_DIR "/golden/layout/data"

static void golden_scenes_of_a_map_with_data_match(void **state)
{
    (void)state;
    bool update = getenv("JMAP_UPDATE_GOLDEN") && getenv("JMAP_UPDATE_GOLDEN")[0] == '1';
    size_t bad = 0;
    for (int th = JMAP_THEME_LIGHT; th <= JMAP_THEME_PRINT; th++) {
        laid l;
        compile(&l, trend_map);
        trend_history(&l);
        build(&l, (jmap_theme_id)th);
        char *got = dump_of(l.s);
        char *path = jmap_xprintf("%s/trend-%s.layout", GOLDEN_DIR, jmap_theme_get(th)->name);
        if (update) {
            test_write_file(path, got, strlen(got));
        } else {
            char *want = test_read_file(path, NULL);
            if (strcmp(want, got) != 0) {
                print_error("%s differs from the layout now made (JMAP_UPDATE_GOLDEN=1 "
                            "rewrites it; review the diff)\n",
                            path);
                bad++;
            }
            free(want);
        }
        free(path);
        free(got);
        release(&l);
    }
    assert_int_equal(bad, 0);
}

/* ---- end to end ------------------------------------------------------------------------- */

/* examples/kpi-trends.yaml through the binary: the CLI joins its data file and the layout
 * draws every KPI's trend, its sparkline points inside the KPI row, the NPS survey that stopped
 * in August with its own date, and the header's date. */
static void the_kpi_trends_example_draws_its_data_end_to_end(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    assert_int_equal(test_jmap(&out, &err, "build --werror '%s' --dump-layout",
                               JMAP_SOURCE_DIR "/examples/kpi-trends.yaml"),
                     0);
    assert_string_equal(err, "");
    assert_dumped(out, "data-as-of", "Data as of 2026-10");
    assert_dumped(out, "kpi-value", "3.26% / 3.2%");
    assert_dumped(out, "kpi-delta", "+0.18 pts since 2026-09 · better");
    assert_dumped(out, "kpi-delta", "+90 ms since 2026-09 · worse");
    assert_dumped(out, "kpi-delta", MINUS "0.3 pts since 2026-09 · better");
    assert_dumped(out, "kpi-as-of", "as of 2026-08");
    double row_y = -1, row_h = 0;
    const char *r = strstr(out, "\nrow kpis ");
    assert_non_null(r);
    assert_int_equal(sscanf(r, "\nrow kpis %lf %lf", &row_y, &row_h), 2);
    size_t lines = 0, points = 0;
    for (const char *p = strstr(out, " line kpi-spark "); p;
         p = strstr(p + 1, " line kpi-spark ")) {
        const char *pts = strstr(p, " pts ");
        const char *eol = strchr(p, '\n');
        assert_true(pts && eol && pts < eol);
        double x, y;
        int used;
        for (const char *q = pts + 5; q < eol && sscanf(q, "%lf %lf%n", &x, &y, &used) == 2;
             q += used) {
            assert_true(y >= row_y && y <= row_y + row_h);
            points++;
        }
        lines++;
    }
    assert_int_equal(lines, 6);            /* every KPI of the example has a history */
    assert_int_equal(points, 5 * 12 + 10); /* twelve months, and ten for the NPS survey */
    free(out);
    free(err);
}

/* ---- rendered ---------------------------------------------------------------------------- */

typedef struct mem {
    unsigned char *data;
    size_t len, cap;
} mem;

static bool mem_write(void *closure, const unsigned char *data, size_t len)
{
    mem *m = closure;
    m->data = jmap_xgrow(m->data, &m->cap, m->len + len + 1, 1);
    memcpy(m->data + m->len, data, len);
    m->len += len;
    return true;
}

/* The trend map in `th`, laid out with the real fonts, rendered as `f`. */
static mem render_trend(jmap_fonts *fonts, jmap_theme_id th, jmap_format f)
{
    laid l;
    compile(&l, trend_map);
    trend_history(&l);
    jmap_text_measurer tm = jmap_fonts_measurer(fonts);
    jmap_layout_opts o = {.theme = jmap_theme_get(th)};
    l.s = jmap_layout_build(l.a, l.m, &o, &tm, &l.d);
    assert_non_null(l.s);
    mem m = {0};
    jmap_render_opts ro = {.format = f, .page = JMAP_PAGE_FIT, .dpi = 96, .source_date = -1};
    assert_true(jmap_render(l.s, fonts, &ro, mem_write, &m, &l.d));
    release(&l);
    return m;
}

static void svg_pdf_and_png_of_trends_are_valid_and_the_same_every_time(void **state)
{
    (void)state;
    test_need_tool("xmllint", "libxml2-utils");
    test_need_tool("qpdf", "qpdf");
    jmap_fonts *fonts = jmap_fonts_new();
    assert_non_null(fonts);
    char *dir = test_tmpdir("layout-trend-render");
    for (int th = JMAP_THEME_LIGHT; th <= JMAP_THEME_PRINT; th++) {
        for (int f = JMAP_FORMAT_SVG; f <= JMAP_FORMAT_PNG; f++) {
            mem a = render_trend(fonts, (jmap_theme_id)th, (jmap_format)f);
            mem b = render_trend(fonts, (jmap_theme_id)th, (jmap_format)f);
            assert_true(a.len > 100);
            assert_int_equal(a.len, b.len);
            assert_memory_equal(a.data, b.data, a.len);
            char *name = jmap_xprintf("trend-%d.%s", th, jmap_format_suffix((jmap_format)f));
            char *path = jmap_xprintf("%s/%s", dir, name);
            test_write_file(path, (const char *)a.data, a.len);
            if (f == JMAP_FORMAT_SVG) {
                char *cmd = jmap_xprintf("xmllint --noout '%s'", path);
                char *err = NULL;
                assert_int_equal(test_run(cmd, NULL, &err), 0);
                free(err);
                free(cmd);
            } else if (f == JMAP_FORMAT_PDF) {
                test_qpdf_check(path);
            } else {
                assert_memory_equal(a.data, "\x89PNG\r\n\x1a\n", 8);
            }
            free(path);
            free(name);
            free(a.data);
            free(b.data);
        }
    }
    free(dir);
    jmap_fonts_free(fonts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(joined_values_changes_and_dates_appear_in_the_dump),
        cmocka_unit_test(a_map_without_data_has_no_trend_and_no_data_date),
        cmocka_unit_test(the_change_has_the_decimals_of_its_figures),
        cmocka_unit_test(better_and_worse_follow_the_kpis_direction_in_every_theme),
        cmocka_unit_test(the_sparkline_follows_the_values_inside_the_card),
        cmocka_unit_test(the_target_is_a_thin_line_on_the_values_scale),
        cmocka_unit_test(one_point_is_a_dot_and_a_flat_series_runs_along_the_middle),
        cmocka_unit_test(a_kpi_whose_data_stopped_shows_its_own_date),
        cmocka_unit_test(the_data_date_sits_in_the_header),
        cmocka_unit_test(trends_are_readable_in_every_theme_and_colourless_in_print),
        cmocka_unit_test(more_than_twelve_draw_the_latest_and_no_number_draws_nothing),
        cmocka_unit_test(a_long_unit_cuts_the_change_after_three_lines),
        cmocka_unit_test(trends_are_the_same_in_a_decimal_comma_locale),
        cmocka_unit_test(golden_scenes_of_a_map_with_data_match),
        cmocka_unit_test(the_kpi_trends_example_draws_its_data_end_to_end),
        cmocka_unit_test(svg_pdf_and_png_of_trends_are_valid_and_the_same_every_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
