#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jmap/arena.h"
#include "jmap/data.h"
#include "jmap/data_join.h"
#include "support.h"

/*
 * The join of data files to a map's KPIs (src/data_join.c), on files built here as the CSV
 * reader would leave them: the join's own values and diagnostics, whatever the reader does.
 */

typedef struct fx {
    jmap_arena *a;
    jmap_diags d;
    jmap_map *map;
    jmap_data_file files[3];
    jmap_data_file *fp[3];
    size_t n_files;
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
    for (size_t i = 0; i < f->n_files; i++) {
        jmap_diags_release(&f->files[i].diags);
        jmap_arena_free(f->files[i].arena);
    }
    jmap_diags_release(&f->d);
    jmap_arena_free(f->a);
    free(f);
    return 0;
}

static jmap_date date_of(const char *s)
{
    unsigned y = 0, m = 0, d = 0;
    int n = sscanf(s, "%u-%u-%u", &y, &m, &d);
    assert_true(n >= 2);
    return (jmap_date){(unsigned short)y, (unsigned char)m, (unsigned char)(n == 3 ? d : 0)};
}

/* A data file named `path` from CSV lines "kpi,date,actual[,target]" (no quoting), the header
 * on line 1, as the reader leaves it: each field's line and column. */
static void add_file(fx *f, const char *path, const char *const *lines, size_t n)
{
    jmap_data_file *df = &f->files[f->n_files];
    f->fp[f->n_files++] = df;
    df->path = path;
    df->arena = jmap_arena_new();
    df->rows = jmap_arena_calloc(df->arena, n ? n : 1, sizeof(jmap_data_row));
    df->n_rows = n;
    for (size_t i = 0; i < n; i++) {
        jmap_data_row *r = &df->rows[i];
        char *copy = jmap_arena_strdup(df->arena, lines[i]);
        char *field[4] = {NULL};
        uint32_t col[4] = {0};
        size_t k = 0;
        for (char *p = copy, *start = copy; k < 4; p++) {
            if (*p == ',' || *p == '\0') {
                bool end = *p == '\0';
                *p = '\0';
                field[k] = start;
                col[k++] = (uint32_t)(start - copy) + 1;
                start = p + 1;
                if (end)
                    break;
            }
        }
        uint32_t line = (uint32_t)i + 2;
        r->kpi = field[0];
        r->kpi_len = (uint32_t)strlen(field[0]);
        r->date = date_of(field[1]);
        r->actual = strtod(field[2], NULL);
        r->has_target = field[3] != NULL;
        r->target = field[3] ? strtod(field[3], NULL) : 0;
        r->kpi_at = (jmap_data_pos){line, col[0]};
        r->date_at = (jmap_data_pos){line, col[1]};
        r->actual_at = (jmap_data_pos){line, col[2]};
        r->target_at = (jmap_data_pos){line, col[3]};
    }
    jmap_diags_init(&df->diags);
}

/* A map with KPIs `conv` (stage, target 3, actual 2.5 in YAML), `nps` and `aov` (touchpoint), and
 * `churn` (no id... it has one, and an actual: a YAML value data may replace). */
static const char map_yaml[] = "title: T\n"                                           /* 1 */
                               "personas: [{id: ana, name: Ana}]\n"                   /* 2 */
                               "stages:\n"                                            /* 3 */
                               "  - id: buy\n"                                        /* 4 */
                               "    kpis:\n"                                          /* 5 */
                               "      - {id: checkout.conv, name: Conv, target: 3}\n" /* 6 */
                               "      - {id: churn, name: Churn, actual: 7}\n"        /* 7 */
                               "touchpoints:\n"                                       /* 8 */
                               "  - stage: buy\n"                                     /* 9 */
                               "    name: Pay\n"                                      /* 10 */
                               "    kpis:\n"                                          /* 11 */
                               "      - {id: nps, name: NPS}\n"                       /* 12 */
                               "      - {name: Untracked, actual: 1}\n";              /* 13 */

static jmap_kpi *kpi(fx *f, const char *id)
{
    jmap_map *m = f->map;
    for (size_t s = 0; s < m->n_stages; s++)
        for (size_t k = 0; k < m->stages[s].n_kpis; k++)
            if (m->stages[s].kpis[k].id.s && strcmp(m->stages[s].kpis[k].id.s, id) == 0)
                return &m->stages[s].kpis[k];
    for (size_t t = 0; t < m->n_touchpoints; t++)
        for (size_t k = 0; k < m->touchpoints[t].n_kpis; k++)
            if (m->touchpoints[t].kpis[k].id.s && strcmp(m->touchpoints[t].kpis[k].id.s, id) == 0)
                return &m->touchpoints[t].kpis[k];
    fail_msg("no KPI '%s'", id);
    return NULL;
}

static void join(fx *f)
{
    jmap_diags scratch;
    jmap_diags_init(&scratch);
    f->map = test_compile(f->a, map_yaml, &scratch);
    if (!f->map) {
        char *all = test_diags_text(&scratch);
        fail_msg("the map does not compile:\n%s", all);
    }
    jmap_diags_release(&scratch);
    jmap_data_join(f->map, f->a, f->fp, f->n_files, &f->d);
    jmap_diags_sort(&f->d);
}

static void assert_printed(fx *f, const char *line)
{
    char *all = test_diags_text(&f->d);
    char *want = jmap_xprintf("%s\n", line);
    if (!strstr(all, want))
        fail_msg("no line\n%s\namong:\n%s", line, all);
    free(want);
    free(all);
}

static size_t count(const fx *f, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < f->d.n_items; i++)
        n += strcmp(f->d.items[i].code, code) == 0;
    return n;
}

static void the_latest_row_gives_actual_and_history_is_in_date_order(void **state)
{
    fx *f = *state;
    const char *rows[] = {"nps,2026-03,30,40", "nps,2026-01,10,40", "churn,2026-02,5",
                          "nps,2026-02,20"};
    add_file(f, "k.csv", rows, 4);
    join(f);
    jmap_kpi *k = kpi(f, "nps");
    assert_true(k->actual.set);
    assert_true(k->actual.v == 30);
    assert_true(k->target.set && k->target.v == 40);
    assert_string_equal(k->actual.loc.file, "k.csv");
    assert_int_equal(k->actual.loc.line, 2);
    assert_int_equal(k->actual.loc.col, 13);
    assert_int_equal(k->n_history, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(k->history[i].date.month, i + 1);
        assert_true(k->history[i].actual == 10.0 * (double)(i + 1));
    }
    assert_true(k->history[0].has_target);
    assert_false(k->history[1].has_target);
    char buf[16];
    snprintf(buf, sizeof buf, "%04u-%02u", f->map->data_as_of.year, f->map->data_as_of.month);
    assert_string_equal(buf, "2026-03");
    assert_int_equal(f->map->data_as_of.day, 0);
}

static void history_keeps_the_last_twelve(void **state)
{
    fx *f = *state;
    char *lines[20];
    for (int i = 0; i < 20; i++) /* newest first, as some exports sort */
        lines[i] =
            jmap_xprintf("nps,%04d-%02d,%d", 2025 + (19 - i) / 12, (19 - i) % 12 + 1, 19 - i);
    add_file(f, "k.csv", (const char *const *)lines, 20);
    join(f);
    jmap_kpi *k = kpi(f, "nps");
    assert_int_equal(k->n_history, JMAP_KPI_HISTORY);
    for (size_t i = 0; i < JMAP_KPI_HISTORY; i++)
        assert_true(k->history[i].actual == (double)(20 - JMAP_KPI_HISTORY + i));
    assert_true(k->actual.v == 19);
    for (int i = 0; i < 20; i++)
        free(lines[i]);
}

static void a_month_sorts_before_its_days_and_is_not_a_duplicate_of_them(void **state)
{
    fx *f = *state;
    const char *rows[] = {"nps,2026-10-15,3", "nps,2026-10,1", "nps,2026-10-01,2",
                          "nps,2026-09-30,0"};
    add_file(f, "k.csv", rows, 4);
    join(f);
    jmap_kpi *k = kpi(f, "nps");
    assert_int_equal(count(f, "duplicate-data"), 0);
    assert_int_equal(k->n_history, 4);
    for (size_t i = 0; i < 4; i++)
        assert_true(k->history[i].actual == (double)i);
    assert_int_equal(f->map->data_as_of.day, 15);
}

static void a_row_without_target_keeps_the_yaml_target(void **state)
{
    fx *f = *state;
    const char *rows[] = {"checkout.conv,2026-01,2.5,9", "checkout.conv,2026-02,2.8"};
    add_file(f, "k.csv", rows, 2);
    join(f);
    jmap_kpi *k = kpi(f, "checkout.conv");
    assert_true(k->actual.v == 2.8);
    assert_true(k->target.set && k->target.v == 3); /* the YAML's, not the older row's 9 */
    assert_int_equal(k->target.loc.line, 6);
    assert_string_equal(k->target.loc.file, "test.yaml");
}

static void an_unknown_id_is_an_error_at_its_first_cell_with_a_did_you_mean(void **state)
{
    fx *f = *state;
    const char *rows[] = {"nps,2026-01,1", "checkout.conf,2026-01,1", "checkout.conf,2026-02,1",
                          "zzzzzzzz,2026-01,1"};
    add_file(f, "k.csv", rows, 4);
    join(f);
    assert_int_equal(count(f, "unknown-kpi"), 2);
    assert_printed(f, "k.csv:3:1: error: unknown KPI id 'checkout.conf' (2 rows); did you mean "
                      "'checkout.conv'? [unknown-kpi]");
    assert_printed(f, "k.csv:5:1: error: unknown KPI id 'zzzzzzzz'; the map's KPI ids are "
                      "'checkout.conv', 'churn', 'nps'; a row's 'kpi' names a KPI's 'id' "
                      "[unknown-kpi]");
    /* the unknown rows take no part in the as-of date */
    assert_int_equal(f->map->data_as_of.month, 1);
}

static void two_rows_of_one_kpi_and_date_are_an_error_at_the_second(void **state)
{
    fx *f = *state;
    const char *a[] = {"nps,2026-01,1", "churn,2026-01,1", "nps,2026-01,2"};
    const char *b[] = {"churn,2026-01,3"};
    add_file(f, "a.csv", a, 3);
    add_file(f, "b.csv", b, 1);
    join(f);
    assert_int_equal(count(f, "duplicate-data"), 2);
    assert_printed(f, "a.csv:4:5: error: a second row for KPI 'nps' and date 2026-01; the first "
                      "is on line 2; keep one row per KPI and date [duplicate-data]");
    assert_printed(f, "b.csv:2:7: error: a second row for KPI 'churn' and date 2026-01; the "
                      "first is in 'a.csv' on line 3; keep one row per KPI and date "
                      "[duplicate-data]");
    assert_true(kpi(f, "nps")->actual.v == 1); /* the first is kept */
    assert_int_equal(kpi(f, "nps")->n_history, 1);
}

static void a_kpi_with_an_id_and_no_data_nor_actual_is_a_warning_at_its_id(void **state)
{
    fx *f = *state;
    const char *rows[] = {"nps,2026-01,1"};
    add_file(f, "k.csv", rows, 1);
    join(f);
    assert_int_equal(count(f, "kpi-without-data"), 1); /* not churn: it has an actual */
    assert_printed(f, "test.yaml:6:14: warning: KPI 'checkout.conv' has no data and no 'actual'; "
                      "no row of the data files has kpi 'checkout.conv' [kpi-without-data]");
}

/* A refused row or an unknown id may be the missing data: no follow-on warning then. */
static void rows_in_doubt_hold_back_kpi_without_data(void **state)
{
    fx *f = *state;
    const char *rows[] = {"nps,2026-01,1", "checkout.cnv,2026-01,1"};
    add_file(f, "k.csv", rows, 2);
    join(f);
    assert_int_equal(count(f, "unknown-kpi"), 1);
    assert_int_equal(count(f, "kpi-without-data"), 0);
}

static void a_file_with_reader_errors_holds_back_kpi_without_data(void **state)
{
    fx *f = *state;
    const char *rows[] = {"nps,2026-01,1"};
    add_file(f, "k.csv", rows, 1);
    /* as the reader leaves a file one of whose rows it refused */
    jmap_diag_add(&f->files[0].diags, JMAP_SEV_ERROR, "data-not-a-number",
                  (jmap_loc){"k.csv", 3, 20, 3, 23}, "'1,5' is not a number");
    join(f);
    assert_int_equal(count(f, "kpi-without-data"), 0);
}

static void without_data_files_nothing_is_said_or_changed(void **state)
{
    fx *f = *state;
    join(f);
    assert_int_equal(f->d.n_items, 0);
    assert_int_equal(f->map->data_as_of.year, 0);
    assert_true(kpi(f, "churn")->actual.v == 7);
    assert_int_equal(kpi(f, "churn")->n_history, 0);
}

static void a_yaml_actual_replaced_by_data_is_a_warning_at_it(void **state)
{
    fx *f = *state;
    const char *rows[] = {"churn,2026-01-31,4", "nps,2026-02,1"};
    add_file(f, "k.csv", rows, 2);
    join(f);
    assert_true(kpi(f, "churn")->actual.v == 4);
    assert_int_equal(count(f, "actual-overridden"), 1);
    assert_printed(f, "test.yaml:7:42: warning: 'actual' of KPI 'churn' is replaced by the value "
                      "for 2026-01-31 in 'k.csv'; data files give the KPI its value; remove "
                      "'actual' from the map [actual-overridden]");
    /* the latest period among all rows: a month after a day of the month before */
    assert_int_equal(f->map->data_as_of.month, 2);
    assert_int_equal(f->map->data_as_of.day, 0);
}

/* A long id is quoted cut at 40 code points, control characters escaped. */
static void a_long_unknown_id_is_quoted_short(void **state)
{
    fx *f = *state;
    const char *rows[] = {"\x1b]0;" "ééééééééééééééééééééééééééééééééééééééééééééééééé,2026-01,1"};
    add_file(f, "k.csv", rows, 1);
    join(f);
    const jmap_diag *g = test_diag_find(&f->d, "unknown-kpi");
    assert_non_null(g);
    assert_string_equal(g->msg, "unknown KPI id '\\x1b]0;ééééééééééééééééééééééééééééééééé...'");
}

/* Ids another map of the run has are no error here; one no map has is counted, and reported
 * unless another map reported it already. */
static void ids_of_other_maps_are_not_unknown(void **state)
{
    fx *f = *state;
    const char *rows[] = {"nps,2026-01,1", "other.kpi,2026-01,2", "nope,2026-01,3"};
    add_file(f, "k.csv", rows, 3);
    jmap_diags scratch;
    jmap_diags_init(&scratch);
    f->map = test_compile(f->a, map_yaml, &scratch);
    jmap_diags_release(&scratch);
    assert_non_null(f->map);
    const char *others[] = {"other.kpi", "nps"};
    jmap_data_join_file ctx = {others, 2, false, 0};
    jmap_data_join_with(f->map, f->a, f->fp, 1, &ctx, &f->d);
    assert_int_equal(ctx.n_unknown, 1);
    assert_int_equal(count(f, "unknown-kpi"), 1);
    assert_printed(f, "k.csv:4:1: error: unknown KPI id 'nope'; no map that reads the file has "
                      "it; this map's KPI ids are 'checkout.conv', 'churn', 'nps' [unknown-kpi]");
    /* quiet: counted, not reported */
    jmap_diags_release(&f->d);
    jmap_diags_init(&f->d);
    ctx.quiet = true;
    ctx.n_unknown = 0;
    jmap_data_join_with(f->map, f->a, f->fp, 1, &ctx, &f->d);
    assert_int_equal(ctx.n_unknown, 1);
    assert_int_equal(count(f, "unknown-kpi"), 0);
}

/* Many rows of few KPIs, and many duplicates: the join stays quick (no quadratic pass). */
static void many_rows_join_in_one_pass(void **state)
{
    fx *f = *state;
    size_t n = 200000;
    jmap_data_file *df = &f->files[f->n_files];
    f->fp[f->n_files++] = df;
    df->path = "big.csv";
    df->arena = jmap_arena_new();
    df->rows = jmap_arena_calloc(df->arena, n, sizeof(jmap_data_row));
    df->n_rows = n;
    jmap_diags_init(&df->diags);
    for (size_t i = 0; i < n; i++) {
        jmap_data_row *r = &df->rows[i];
        r->kpi = (i & 1) ? "nps" : "churn";
        r->kpi_len = (uint32_t)strlen(r->kpi);
        r->date =
            (jmap_date){(unsigned short)(1000 + i / 2 / 336), (unsigned char)(i / 2 / 28 % 12 + 1),
                        (unsigned char)(i / 2 % 28 + 1)};
        r->actual = (double)i;
        r->kpi_at = r->date_at = r->actual_at = (jmap_data_pos){(uint32_t)i + 2, 1};
    }
    join(f);
    assert_int_equal(count(f, "duplicate-data"), 0);
    assert_true(kpi(f, "nps")->actual.v == (double)(n - 1));
    assert_true(kpi(f, "churn")->actual.v == (double)(n - 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(the_latest_row_gives_actual_and_history_is_in_date_order),
        T(history_keeps_the_last_twelve),
        T(a_month_sorts_before_its_days_and_is_not_a_duplicate_of_them),
        T(a_row_without_target_keeps_the_yaml_target),
        T(an_unknown_id_is_an_error_at_its_first_cell_with_a_did_you_mean),
        T(two_rows_of_one_kpi_and_date_are_an_error_at_the_second),
        T(a_kpi_with_an_id_and_no_data_nor_actual_is_a_warning_at_its_id),
        T(rows_in_doubt_hold_back_kpi_without_data),
        T(a_file_with_reader_errors_holds_back_kpi_without_data),
        T(without_data_files_nothing_is_said_or_changed),
        T(a_yaml_actual_replaced_by_data_is_a_warning_at_it),
        T(a_long_unknown_id_is_quoted_short),
        T(ids_of_other_maps_are_not_unknown),
        T(many_rows_join_in_one_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
