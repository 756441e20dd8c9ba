/* KPI data through the real binary (docs/data.md): `data:` and `--data`, confinement, the
 * depfile, a file shared by a batch read once, the limits. The join's golden diagnostics are
 * test_golden_join's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "support.h"


static const char map_head[] = "title: Live\n"
                               "personas: [{id: ana, name: Ana}]\n";
static const char map_body[] = "stages:\n"
                               "  - id: buy\n"
                               "    kpis:\n"
                               "      - {id: conv, name: Conversion, target: 3, unit: \"%\"}\n"
                               "      - {id: nps, name: NPS}\n"
                               "touchpoints:\n"
                               "  - {stage: buy, name: Pay}\n";
static const char csv[] = "kpi,date,actual,target\n"
                          "conv,2026-09,2.5,3\n"
                          "conv,2026-10,2.9,\n"
                          "nps,2026-10,31,\n";

static char *put_map(const char *dir, const char *name, const char *data_line)
{
    char *text = jmap_xprintf("%s%s%s", map_head, data_line, map_body);
    char *path = test_put(dir, name, text);
    free(text);
    return path;
}

static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void data_key_and_data_option_draw_the_same_bytes(void **state)
{
    (void)state;
    char *dir = test_tmpdir("data-same");
    free(test_put(dir, "kpis.csv", csv));
    char *a = put_map(dir, "a.yaml", "data: [kpis.csv]\n");
    char *b = put_map(dir, "b.yaml", "");
    char *err = NULL;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s/a.svg'", a, dir), 0);
    assert_string_equal(err, "");
    free(err);
    assert_int_equal(
        test_jmap(NULL, NULL, "build --data '%s/kpis.csv' '%s' -o '%s/b.svg'", dir, b, dir), 0);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s/none.svg'", b, dir), 0);
    char *pa = jmap_xprintf("%s/a.svg", dir), *pb = jmap_xprintf("%s/b.svg", dir),
         *pn = jmap_xprintf("%s/none.svg", dir);
    size_t la, lb, ln;
    char *sa = test_read_file(pa, &la), *sb = test_read_file(pb, &lb),
         *sn = test_read_file(pn, &ln);
    assert_int_equal(la, lb);
    assert_memory_equal(sa, sb, la);
    assert_false(la == ln && memcmp(sa, sn, la) == 0); /* the data did change the drawing */
    free(sa);
    free(sb);
    free(sn);
    free(pa);
    free(pb);
    free(pn);
    /* the joined value is in the scene */
    char *out = NULL;
    assert_int_equal(test_jmap(&out, NULL, "build --dump-layout '%s'", a), 0);
    assert_non_null(strstr(out, "2.9"));
    free(out);
    free(a);
    free(b);
    free(dir);
}

static void a_data_file_outside_the_tree_is_refused_unread(void **state)
{
    (void)state;
    char *dir = test_tmpdir("data-outside");
    char *sub = jmap_xprintf("%s/maps", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    free(test_put(dir, "secret.csv", "kpi,date,actual\nconv,2026-10,99\n"));
    char *link = jmap_xprintf("%s/link.csv", sub);
    assert_int_equal(symlink("../secret.csv", link), 0);
    char *m1 = put_map(sub, "up.yaml", "data: [../secret.csv]\n");
    char *m2 = put_map(sub, "abs.yaml", "data: [/etc/hostname]\n");
    char *m3 = put_map(sub, "link.yaml", "data: [link.csv]\n");
    char *err = NULL;
    assert_int_equal(test_jmap(NULL, &err, "check '%s' '%s' '%s'", m1, m2, m3), 1);
    assert_non_null(strstr(err, "up.yaml:3:8: error: data file '../secret.csv' is outside the "
                                "map's folder"));
    assert_non_null(strstr(err, "abs.yaml:3:8: error: data file '/etc/hostname' is an absolute "
                                "path"));
    assert_non_null(strstr(err, "link.yaml:3:8: error: data file 'link.csv' is outside the map's "
                                "folder"));
    assert_int_equal(occurrences(err, "[path-outside-tree]"), 3);
    assert_null(strstr(err, "99")); /* nothing of the file reached the log */
    free(err);
    /* --data is the job's own choice: the same file given so is read */
    assert_int_equal(test_jmap(NULL, NULL, "check --data '%s/secret.csv' '%s'", dir, m3), 1);
    free(m1);
    free(m2);
    free(m3);
    free(link);
    free(sub);
    free(dir);
}

static void a_missing_data_file_is_an_error_at_its_item_or_an_io_error_for_the_option(void **state)
{
    (void)state;
    char *dir = test_tmpdir("data-missing");
    char *m = put_map(dir, "m.yaml", "data:\n  - gone.csv\n");
    char *err = NULL;
    assert_int_equal(test_jmap(NULL, &err, "check '%s'", m), 1);
    assert_non_null(strstr(err, "m.yaml:4:5: error: cannot read data file 'gone.csv': No such "
                                "file or directory [io-error]"));
    free(err);
    char *n = put_map(dir, "n.yaml", "");
    assert_int_equal(test_jmap(NULL, &err, "check --data '%s/gone.csv' '%s'", dir, n), 3);
    assert_non_null(strstr(err, "gone.csv"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check --data - '%s'", n), 2);
    free(err);
    free(m);
    free(n);
    free(dir);
}

static void the_depfile_lists_the_data_files(void **state)
{
    (void)state;
    char *dir = test_tmpdir("data-depfile");
    free(test_put(dir, "kpis.csv", csv));
    free(test_put(dir, "more.csv", "kpi,date,actual\nnps,2026-11,40\n"));
    char *m = put_map(dir, "m.yaml", "data: [kpis.csv]\n");
    char *cmd = jmap_xprintf("cd '%s' && '%s' build m.yaml --data more.csv -O out --depfile m.d",
                             dir, JMAP_BINARY);
    assert_int_equal(test_run(cmd, NULL, NULL), 0);
    char *dep = jmap_xprintf("%s/m.d", dir);
    char *text = test_read_file(dep, NULL);
    assert_string_equal(text, "out/m.svg: m.yaml kpis.csv more.csv\nkpis.csv:\nmore.csv:\n");
    free(text);
    free(dep);
    free(cmd);
    free(m);
    free(dir);
}

/* build --check: a new export makes the committed drawing stale; the old one does not. */
static void a_new_export_makes_the_output_stale(void **state)
{
    (void)state;
    char *dir = test_tmpdir("data-check");
    free(test_put(dir, "kpis.csv", csv));
    char *m = put_map(dir, "m.yaml", "data: [kpis.csv]\n");
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s/m.svg'", m, dir), 0);
    assert_int_equal(test_jmap(NULL, NULL, "build --check '%s' -o '%s/m.svg'", m, dir), 0);
    free(test_put(dir, "kpis.csv", "kpi,date,actual,target\nconv,2026-11,3.2,\nnps,2026-11,35,\n"));
    char *err = NULL;
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -o '%s/m.svg'", m, dir), 4);
    assert_non_null(strstr(err, "m.svg"));
    free(err);
    free(m);
    free(dir);
}

/* Fifty maps of one -O call share an export: it is read once. What proves it: a file past
 * --max-data-size is reported once (with the first map); every other map says in one line that
 * it fails for that file. */
static void a_file_shared_by_a_batch_is_read_once(void **state)
{
    (void)state;
    char *dir = test_tmpdir("data-once");
    free(test_put(dir, "kpis.csv", csv));
    char *cmd = jmap_xprintf("cd '%s' && '%s' check --max-data-size 10", dir, JMAP_BINARY);
    for (int i = 0; i < 50; i++) {
        char *name = jmap_xprintf("m%02d.yaml", i);
        free(put_map(dir, name, "data: [kpis.csv]\n"));
        char *longer = jmap_xprintf("%s %s", cmd, name);
        free(cmd);
        cmd = longer;
        free(name);
    }
    char *err = NULL;
    assert_int_equal(test_run(cmd, NULL, &err), 1);
    assert_int_equal(occurrences(err, "[too-large]"), 1);
    assert_non_null(strstr(err, "more than the limit of 10"));
    assert_int_equal(occurrences(err, "[data-file-errors]"), 49);
    free(err);
    /* within the limit, all fifty join it */
    char *ok = jmap_xprintf("cd '%s' && '%s' build m*.yaml -O out", dir, JMAP_BINARY);
    assert_int_equal(test_run(ok, NULL, &err), 0);
    assert_string_equal(err, "");
    free(err);
    free(ok);
    free(cmd);
    free(dir);
}

/* The reader's own diagnostic about a shared file, printed once for a batch of maps. */
static void a_reader_diagnostic_of_a_shared_file_is_printed_once(void **state)
{
    (void)state;
    char *dir = test_tmpdir("data-once-reader");
    free(test_put(dir, "kpis.csv", "kpi;date;actual\nconv;2026-10;2,9\nnps;2026-10;31\n"));
    for (int i = 0; i < 3; i++) {
        char *name = jmap_xprintf("m%d.yaml", i);
        free(put_map(dir, name, "data: [kpis.csv]\n"));
        free(name);
    }
    char *cmd =
        jmap_xprintf("cd '%s' && '%s' build m0.yaml m1.yaml m2.yaml -O out", dir, JMAP_BINARY);
    char *err = NULL;
    assert_int_equal(test_run(cmd, NULL, &err), 1);
    assert_int_equal(occurrences(err, "kpis.csv:2:14: error:"), 1);
    assert_int_equal(occurrences(err, "[data-decimal-comma]"), 1);
    assert_int_equal(occurrences(err, "[data-file-errors]"), 2);
    free(err);
    free(cmd);
    free(dir);
}

/* What a spreadsheet in a decimal-comma locale saves (BOM, CRLF, ';', quoted fields, columns in
 * another order, one jmap does not know) joins as the plain file does: the same drawing. */
static void a_spreadsheet_export_draws_as_the_plain_file(void **state)
{
    (void)state;
    char *dir = test_tmpdir("data-spreadsheet");
    free(test_put(dir, "plain.csv", csv));
    free(test_put(dir, "sheet.csv",
                  "\xef\xbb\xbf\"note\";\"target\";\"actual\";\"date\";\"kpi\"\r\n"
                  "\"a; \"\"quoted\"\"\nnote\";;31;2026-10;nps\r\n"
                  "x;;2.9;2026-10;conv\r\n"
                  "y;3;2.5;2026-09;\"conv\"\r\n"));
    char *m = put_map(dir, "m.yaml", "");
    char *err = NULL;
    assert_int_equal(
        test_jmap(NULL, &err, "build --data '%s/plain.csv' '%s' -o '%s/plain.svg'", dir, m, dir),
        0);
    free(err);
    assert_int_equal(
        test_jmap(NULL, &err, "build --data '%s/sheet.csv' '%s' -o '%s/sheet.svg'", dir, m, dir),
        0);
    assert_string_equal(err, "");
    free(err);
    char *pa = jmap_xprintf("%s/plain.svg", dir), *pb = jmap_xprintf("%s/sheet.svg", dir);
    size_t la, lb;
    char *sa = test_read_file(pa, &la), *sb = test_read_file(pb, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(sa, sb, la);
    free(sa);
    free(sb);
    free(pa);
    free(pb);
    free(m);
    free(dir);
}

/* The data limits are the options': --max-data-rows reaches the reader. */
static void the_row_limit_is_an_option(void **state)
{
    (void)state;
    char *dir = test_tmpdir("data-rows");
    free(test_put(dir, "kpis.csv", csv));
    char *m = put_map(dir, "m.yaml", "data: [kpis.csv]\n");
    char *err = NULL;
    assert_int_equal(test_jmap(NULL, &err, "check --max-data-rows 2 '%s'", m), 1);
    assert_non_null(strstr(err, "[data-too-many-rows]"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check --max-data-rows 3 '%s'", m), 0);
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check --max-data-rows 0 '%s'", m), 2);
    free(err);
    free(m);
    free(dir);
}

/* One export for the whole batch: each map takes its own KPIs' rows; a row of another map of the
 * batch is not an error, and an id no map has is reported once, for the file. */
static void one_export_serves_a_batch_of_maps_with_different_kpis(void **state)
{
    (void)state;
    char *dir = test_tmpdir("data-batch");
    free(test_put(dir, "a.yaml",
                  "title: A\npersonas: [{id: ana, name: Ana}]\n"
                  "stages: [{id: s, kpis: [{id: a.conv, name: Conv}]}]\n"
                  "touchpoints: [{stage: s, name: T}]\n"));
    free(test_put(dir, "b.yaml",
                  "title: B\npersonas: [{id: ana, name: Ana}]\n"
                  "stages: [{id: s, kpis: [{id: b.nps, name: NPS}]}]\n"
                  "touchpoints: [{stage: s, name: T}]\n"));
    free(test_put(dir, "all.csv", "kpi,date,actual\na.conv,2026-10,3\nb.nps,2026-10,40\n"));
    char *cmd =
        jmap_xprintf("cd '%s' && '%s' build --data all.csv a.yaml b.yaml -O out", dir, JMAP_BINARY);
    char *err = NULL;
    assert_int_equal(test_run(cmd, NULL, &err), 0);
    assert_string_equal(err, "");
    free(err);
    free(cmd);
    /* check, too; and one map alone does report the other's row: no map of its run has it */
    cmd = jmap_xprintf("cd '%s' && '%s' check --data all.csv a.yaml b.yaml", dir, JMAP_BINARY);
    assert_int_equal(test_run(cmd, NULL, &err), 0);
    free(err);
    free(cmd);
    cmd = jmap_xprintf("cd '%s' && '%s' check --data all.csv a.yaml", dir, JMAP_BINARY);
    assert_int_equal(test_run(cmd, NULL, &err), 1);
    assert_non_null(strstr(err, "all.csv:3:1: error: unknown KPI id 'b.nps'"));
    free(err);
    free(cmd);
    /* a misspelt id no map has: once, for the file, with a did-you-mean from any map */
    free(test_put(dir, "all.csv",
                  "kpi,date,actual\na.conv,2026-10,3\nb.nps,2026-10,40\nb.npz,2026-10,1\n"));
    cmd = jmap_xprintf("cd '%s' && '%s' check --data all.csv a.yaml b.yaml", dir, JMAP_BINARY);
    assert_int_equal(test_run(cmd, NULL, &err), 1);
    assert_int_equal(occurrences(err, "[unknown-kpi]"), 1);
    assert_non_null(strstr(err, "all.csv:4:1: error: unknown KPI id 'b.npz'; did you mean "
                                "'b.nps'? [unknown-kpi]"));
    assert_int_equal(occurrences(err, "[data-file-errors]"), 1);
    free(err);
    free(cmd);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(data_key_and_data_option_draw_the_same_bytes),
        cmocka_unit_test(a_data_file_outside_the_tree_is_refused_unread),
        cmocka_unit_test(a_missing_data_file_is_an_error_at_its_item_or_an_io_error_for_the_option),
        cmocka_unit_test(the_depfile_lists_the_data_files),
        cmocka_unit_test(a_new_export_makes_the_output_stale),
        cmocka_unit_test(a_file_shared_by_a_batch_is_read_once),
        cmocka_unit_test(a_reader_diagnostic_of_a_shared_file_is_printed_once),
        cmocka_unit_test(a_spreadsheet_export_draws_as_the_plain_file),
        cmocka_unit_test(the_row_limit_is_an_option),
        cmocka_unit_test(one_export_serves_a_batch_of_maps_with_different_kpis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
