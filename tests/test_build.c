/* `jmap build` as CI pipelines and designers use it: batches, --check, depfiles, machine
 * diagnostics, views per persona, and faults that must leave nothing behind (watch mode is in
 * test_watch.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "json.h"
#include "support.h"

static const char good_map[] =
    "title: Good journey %d\n"
    "model: three-stage\n"
    "personas:\n"
    "  - {id: ana, name: Ana}\n"
    "  - {id: bo, name: Bo}\n"
    "stages:\n"
    "  - {id: pre-purchase, kpis: [{name: Visits, target: 100, actual: 120}]}\n"
    "  - {id: purchase, kpis: [{name: Orders, target: 10, actual: 8}]}\n"
    "  - {id: post-purchase, kpis: [{name: Returns, target: 2, actual: 1, better: lower}]}\n"
    "touchpoints:\n"
    "  - {stage: pre-purchase, persona: ana, name: Search, emotion: 1}\n"
    "  - {stage: purchase, personas: [ana, bo], name: Checkout, emotion: -1}\n"
    "  - {stage: post-purchase, persona: bo, name: Delivery, emotion: 2}\n";

/* Two errors (unknown stage, emotion out of range) and a warning (a persona in no touchpoint). */
static const char two_errors_map[] =
    "title: Broken\n"
    "model: three-stage\n"
    "personas:\n"
    "  - {id: ana, name: Ana}\n"
    "  - {id: bo, name: Bo}\n"
    "touchpoints:\n"
    "  - {stage: purchse, persona: ana, name: Checkout}\n"
    "  - {stage: purchase, persona: ana, name: Pay, emotion: 5}\n";

static char *good(const char *dir, const char *name, int n)
{
    char *text = jmap_xprintf(good_map, n);
    char *path = test_put(dir, name, text);
    free(text);
    return path;
}

static bool exists(const char *dir, const char *name)
{
    char *p = jmap_xprintf("%s/%s", dir, name);
    struct stat st;
    bool ok = stat(p, &st) == 0;
    free(p);
    return ok;
}

static time_t mtime_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mtime;
}

static void backdate(const char *path)
{
    struct timespec t[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

static int link_file(const char *from, const char *to)
{
    return link(from, to);
}

static void a_batch_writes_the_good_maps_and_reports_the_bad_one(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-batch");
    char *out = jmap_xprintf("%s/out", dir);
    assert_int_equal(mkdir(out, 0777), 0);
    char *a = good(dir, "a.yaml", 1), *b = good(dir, "b.yaml", 2);
    char *bad = test_put(dir, "bad.yaml", two_errors_map);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' '%s' '%s' -O '%s' -f svg -f pdf", a, bad, b, out),
                     1);
    assert_non_null(strstr(err, "bad.yaml:7:"));
    free(err);
    assert_true(exists(out, "a.svg") && exists(out, "a.pdf"));
    assert_true(exists(out, "b.svg") && exists(out, "b.pdf"));
    assert_false(exists(out, "bad.svg") || exists(out, "bad.pdf"));
    assert_int_equal(test_count_entries(out), 4);

    /* Each output is exactly what a build of that map alone gives. */
    char *alone = jmap_xprintf("%s/b-alone.svg", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", b, alone), 0);
    size_t n1, n2;
    char *batch_path = jmap_xprintf("%s/b.svg", out);
    char *batch_bytes = test_read_file(batch_path, &n1);
    free(batch_path);
    char *alone_bytes = test_read_file(alone, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(batch_bytes, alone_bytes, n1);
    free(batch_bytes);
    free(alone_bytes);
    free(alone);
    free(a);
    free(b);
    free(bad);
    free(out);
    free(dir);
}

static void check_mode_reports_fresh_stale_and_missing_and_writes_nothing(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-check");
    char *out = jmap_xprintf("%s/out", dir);
    assert_int_equal(mkdir(out, 0777), 0);
    char *a = good(dir, "a.yaml", 1);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -O '%s'", a, out), 0);
    char *svg = jmap_xprintf("%s/a.svg", out);
    backdate(svg);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -O '%s'", a, out), 0);
    assert_string_equal(err, "");
    free(err);

    free(good(dir, "a.yaml", 99)); /* the map changes; the drawing is now stale */
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -O '%s'", a, out), 4);
    assert_non_null(strstr(err, "a.svg' is stale"));
    free(err);
    assert_int_equal(mtime_of(svg), 1000000000);

    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -O '%s' -f pdf", a, out), 4);
    assert_non_null(strstr(err, "a.pdf' is missing"));
    free(err);
    assert_int_equal(test_count_entries(out), 1);
    free(svg);
    free(a);
    free(out);
    free(dir);
}

static void unchanged_outputs_keep_their_modification_time(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-unchanged");
    char *a = good(dir, "a.yaml", 1);
    char *png = jmap_xprintf("%s/a.png", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", a, png), 0);
    backdate(png);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", a, png), 0);
    assert_int_equal(mtime_of(png), 1000000000);
    free(png);
    free(a);
    free(dir);
}

static void the_depfile_names_the_map_and_its_stage_model_file(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-depfile");
    free(test_put(dir, "my model.yaml",
             "id: mine\nname: Mine\nstages:\n  - {id: one, name: One}\n  - {id: two, name: Two}\n"));
    char *map = test_put(dir, "map.yaml",
                    "title: Own model\nmodel: my model.yaml\npersonas: [{id: a, name: A}]\n"
                    "stages:\n  - {id: one, kpis: [{name: K}]}\n  - {id: two, kpis: [{name: K}]}\n"
                    "touchpoints:\n  - {stage: one, name: T}\n  - {stage: two, name: U}\n");
    char *dep = jmap_xprintf("%s/map.d", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s/map.svg' --depfile '%s'", map, dir, dep),
                     0);
    char *text = test_read_file(dep, NULL);
    char *want = jmap_xprintf("%s/map.svg: %s %s/my\\ model.yaml\n", dir, map, dir);
    assert_string_equal(text, want);
    free(want);
    free(text);
    free(dep);
    free(map);
    free(dir);
}

static void each_diagnostics_format_carries_two_errors_and_a_warning(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-formats");
    char *bad = test_put(dir, "bad.yaml", two_errors_map);
    char *out;

    assert_int_equal(test_jmap(&out, NULL, "check --diagnostics=json '%s'", bad), 1);
    size_t lines = 0, errors = 0, warnings = 0;
    for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1, lines++) {
        json *j = json_parse(line, (size_t)(nl - line));
        assert_non_null(j);
        errors += strcmp(json_str(j, "severity"), "error") == 0;
        warnings += strcmp(json_str(j, "severity"), "warning") == 0;
        json_free(j);
    }
    assert_int_equal(errors, 2);
    assert_true(warnings >= 1);
    free(out);

    assert_int_equal(test_jmap(&out, NULL, "check --diagnostics=sarif '%s'", bad), 1);
    json *j = json_parse(out, strlen(out));
    assert_non_null(j);
    assert_string_equal(json_str(j, "version"), "2.1.0");
    const json *results = json_get(json_at(json_get(j, "runs"), 0), "results");
    assert_int_equal(results->n_items, lines);
    const json *unknown = NULL;
    for (size_t i = 0; i < results->n_items; i++) {
        if (strcmp(json_str(json_at(results, i), "ruleId"), "unknown-stage") == 0)
            unknown = json_at(results, i);
    }
    assert_non_null(unknown);
    const json *region = json_get(
        json_get(json_at(json_get(unknown, "locations"), 0), "physicalLocation"), "region");
    assert_int_equal(json_get(region, "startLine")->number, 7);
    assert_int_equal(json_get(region, "startColumn")->number, 13);
    json_free(j);
    free(out);

    assert_int_equal(test_jmap(&out, NULL, "check --diagnostics=github '%s'", bad), 1);
    size_t gh = 0;
    for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1, gh++) {
        assert_true(strncmp(line, "::error file=", 13) == 0 ||
                    strncmp(line, "::warning file=", 15) == 0);
        assert_non_null(strstr(line, ",line="));
        assert_non_null(strstr(line, ",col="));
    }
    assert_int_equal(gh, lines);
    free(out);
    free(bad);
    free(dir);
}

static void persona_views_draw_one_persona_each(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-personas");
    char *a = good(dir, "a.yaml", 1);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s/a.svg' --split-personas", a, dir), 0);
    assert_true(exists(dir, "a.svg") && exists(dir, "a.ana.svg") && exists(dir, "a.bo.svg"));
    size_t n_all, n_ana;
    char *all_path = jmap_xprintf("%s/a.svg", dir), *ana_path = jmap_xprintf("%s/a.ana.svg", dir);
    char *all = test_read_file(all_path, &n_all);
    char *ana = test_read_file(ana_path, &n_ana);
    free(all_path);
    free(ana_path);
    assert_true(n_all != n_ana || memcmp(all, ana, n_all) != 0);
    free(all);
    free(ana);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s/x.svg' --persona nobody", a, dir), 1);
    assert_non_null(strstr(err, "nobody"));
    free(err);
    free(a);
    free(dir);
}

static void a_failed_build_leaves_the_old_output_byte_for_byte(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-failed");
    char *map = good(dir, "map.yaml", 1);
    char *pdf = jmap_xprintf("%s/map.pdf", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", map, pdf), 0);
    size_t n_before, n_after;
    char *before = test_read_file(pdf, &n_before);
    free(test_put(dir, "map.yaml", two_errors_map));
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", map, pdf), 1);
    char *after = test_read_file(pdf, &n_after);
    assert_int_equal(n_before, n_after);
    assert_memory_equal(before, after, n_before);
    assert_int_equal(test_count_entries(dir), 2);
    free(before);
    free(after);
    free(pdf);
    free(map);
    free(dir);
}

static void output_faults_are_io_errors_that_name_the_path(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-faults");
    char *map = good(dir, "map.yaml", 1);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o /dev/full -f svg", map), 3);
    assert_non_null(strstr(err, "/dev/full"));
    assert_non_null(strstr(err, "No space left on device"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s/missing/x.svg'", map, dir), 3);
    assert_non_null(strstr(err, "missing/x.svg"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s/x.svg'", dir, dir), 3);
    assert_non_null(strstr(err, "Is a directory"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "build '%s/nope.yaml' -o '%s/x.svg'", dir, dir), 3);
    assert_non_null(strstr(err, "nope.yaml"));
    free(err);
    assert_int_equal(test_count_entries(dir), 1);
    free(map);
    free(dir);
}

static void the_output_directory_is_created_except_when_checking(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-out-dir");
    char *a = good(dir, "a.yaml", 1);
    char *out = jmap_xprintf("%s/public/maps", dir);
    char *err;
    /* --check writes nothing, not even the directory: everything is missing. */
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -O '%s'", a, out), 4);
    assert_non_null(strstr(err, "a.svg' is missing"));
    free(err);
    assert_false(exists(dir, "public"));

    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -O '%s/' -f svg -f png", a, out), 0);
    assert_true(exists(out, "a.svg") && exists(out, "a.png"));
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -O '%s'", a, out), 0); /* exists: fine */

    /* A file in the way is one I/O error naming the directory, and nothing is drawn. */
    char *blocked = jmap_xprintf("%s/a.yaml/sub", dir);
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -O '%s'", a, blocked), 3);
    char *want = jmap_xprintf("%s: error: cannot create directory '%s': Not a directory "
                              "[io-error]\n",
                              blocked, blocked);
    assert_string_equal(err, want);
    free(want);
    free(err);
    free(blocked);
    free(out);
    free(a);
    free(dir);
}

/* A map free of warnings with `steps` more touchpoints: wide enough for the size limits. */
static char *wide_map(const char *dir, const char *name, int steps)
{
    char *text = jmap_xstrdup("title: Wide\n" TEST_VALID_MAP_BODY);
    for (int i = 0; i < steps; i++) {
        char *more = jmap_xprintf("%s  - {stage: purchase, name: Step %d}\n", text, i);
        free(text);
        text = more;
    }
    char *path = test_put(dir, name, text);
    free(text);
    return path;
}

static void a_pdf_page_too_large_for_acrobat_is_a_warning(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-pdf-too-large");
    char *a = wide_map(dir, "a.yaml", 120); /* over 14,400 pt wide */
    char *pdf = jmap_xprintf("%s/a.pdf", dir);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s'", a, pdf), 0);
    char *head = jmap_xprintf("%s: warning: the PDF page is ", pdf);
    assert_non_null(strstr(err, head));
    assert_non_null(strstr(err, "[pdf-page-too-large]"));
    free(err);
    assert_true(exists(dir, "a.pdf"));
    /* Scaled onto a sheet, the page is small. */
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s' --page a3", a, pdf), 0);
    assert_null(strstr(err, "pdf-page-too-large"));
    free(err);
    /* Under --werror the warning fails the map, and the old drawing stays. */
    size_t n1, n2;
    char *before = test_read_file(pdf, &n1);
    assert_int_equal(test_jmap(NULL, &err, "build --werror '%s' -o '%s'", a, pdf), 1);
    char *as_error = jmap_xprintf("%s: error: the PDF page is ", pdf);
    assert_non_null(strstr(err, as_error));
    free(as_error);
    free(err);
    char *after = test_read_file(pdf, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    assert_int_equal(test_count_entries(dir), 2);
    free(before);
    free(after);
    free(head);
    free(pdf);
    free(a);
    free(dir);
}

static void a_map_too_large_for_png_is_an_error_naming_the_output(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-png-too-large");
    /* 40 steps of at least 100 pt each: over 4,000 pt, 133,000 pixels wide at 2,400 dpi. */
    char *a = wide_map(dir, "a.yaml", 40);
    char *png = jmap_xprintf("%s/a.png", dir);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s' --dpi 2400", a, png), 1);
    char *head = jmap_xprintf("%s: error: a PNG of ", png);
    assert_non_null(strstr(err, head));
    assert_non_null(strstr(err, "is too large"));
    assert_non_null(strstr(err, "use --dpi"));
    free(head);
    free(err);
    assert_false(exists(dir, "a.png"));
    free(png);
    free(a);
    free(dir);
}

static void standard_output_takes_the_map_and_stderr_the_diagnostics(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-stdout");
    char *map = good(dir, "map.yaml", 1);
    char *out;
    assert_int_equal(test_jmap(&out, NULL, "build '%s' -o - -f svg", map), 0);
    assert_non_null(strstr(out, "<svg"));
    free(out);
    free(map);
    free(dir);
}


/* ---- outputs that must not be written ----------------------------------------------------- */

/* Runs jmap and asserts status 2 with `code` in the errors; returns them. */
static char *refused(const char *code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *refused(const char *code, const char *fmt, ...)
{
    char *err;
    va_list ap;
    va_start(ap, fmt);
    char *args = jmap_xvprintf(fmt, ap);
    va_end(ap);
    int status = test_jmap(NULL, &err, "%s", args);
    if (status != 2 || !strstr(err, code))
        fail_msg("jmap %s: status %d, want 2 and [%s]:\n%s", args, status, code, err);
    free(args);
    return err;
}

static void outputs_that_would_overwrite_an_input_are_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-overwrite");
    char *map = good(dir, "m.yaml", 1);
    size_t n_before;
    char *before = test_read_file(map, &n_before);
    char *hard = jmap_xprintf("%s/hard.svg", dir), *link = jmap_xprintf("%s/link.svg", dir);
    assert_int_equal(link_file(map, hard), 0);
    assert_int_equal(symlink("m.yaml", link), 0);
    char *err;
    err = refused("[output-overwrites-input]", "build '%s' -o '%s' -f svg", map, map);
    char *want = jmap_xprintf("output '%s' would overwrite the input '%s'", map, map);
    assert_non_null(strstr(err, want));
    free(want);
    free(err);
    free(refused("[output-overwrites-input]", "build '%s' -o '%s/m.svg' --depfile '%s'", map,
                 dir, map));
    free(refused("[output-overwrites-input]", "build '%s' -o '%s'", map, hard));
    free(refused("[output-overwrites-input]", "build '%s' -o '%s'", map, link));
    free(refused("[output-overwrites-input]", "build - -o '%s' -f svg < '%s'", map, map));

    /* The stage-model file is an input too; here a persona's view would replace it. */
    free(test_put(dir, "view.ana.svg",
                  "id: mine\nname: Mine\nstages:\n  - {id: one, name: One}\n"));
    char *own = test_put(dir, "own.yaml",
                         "title: Own\nmodel: ./view.ana.svg\npersonas: [{id: ana, name: Ana}]\n"
                         "stages:\n  - {id: one, kpis: [{name: K}]}\n"
                         "touchpoints:\n  - {stage: one, name: T}\n");
    free(refused("[output-overwrites-input]", "build '%s' -o '%s/view.svg' --split-personas", own,
                 dir));

    /* Nothing was written: the map is intact and no drawing appeared. */
    size_t n_after;
    char *after = test_read_file(map, &n_after);
    assert_int_equal(n_before, n_after);
    assert_memory_equal(before, after, n_before);
    assert_int_equal(test_count_entries(dir), 5); /* m.yaml, hard.svg, link.svg, view.ana.svg, own */
    free(before);
    free(after);
    free(own);
    free(hard);
    free(link);
    free(map);
    free(dir);
}

static void two_maps_that_would_write_one_output_are_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-same-output");
    char *a = jmap_xprintf("%s/a", dir), *b = jmap_xprintf("%s/b", dir);
    assert_int_equal(mkdir(a, 0777), 0);
    assert_int_equal(mkdir(b, 0777), 0);
    char *ax = good(a, "x.yaml", 1), *bx = good(b, "x.yaml", 2);
    char *err = refused("[duplicate-output]", "build '%s' '%s' -O '%s/out'", ax, bx, dir);
    char *want = jmap_xprintf("'%s' and '%s' would both write '%s/out/x.svg'", ax, bx, dir);
    assert_non_null(strstr(err, want));
    free(want);
    free(err);
    assert_false(exists(dir, "out")); /* not even the directory */

    /* A persona's view of one map is another map's drawing. */
    char *view = good(a, "x.ana.yaml", 3);
    free(refused("[duplicate-output]", "build '%s' '%s' -O '%s/out' --split-personas", ax, view,
                 dir));
    /* The depfile is an output too. */
    free(refused("[duplicate-output]", "build '%s' -O '%s/out' --depfile '%s/out/x.svg'", ax, dir,
                 dir));
    assert_false(exists(dir, "out"));
    free(view);
    free(ax);
    free(bx);
    free(a);
    free(b);
    free(dir);
}

/* ---- outputs that are not regular files --------------------------------------------------- */

static void a_pipe_as_output_never_hangs(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-pipe");
    char *map = good(dir, "map.yaml", 1);
    char *fifo = jmap_xprintf("%s/pipe.svg", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    char *err;
    /* `timeout` turns a hang into status 124 after 30 s instead of blocking the suite. */
    assert_int_equal(test_jmap_as("timeout 30 ", NULL, &err, "build --check '%s' -o '%s'", map,
                                  fifo),
                     3);
    assert_non_null(strstr(err, "pipe.svg': not a regular file [io-error]"));
    free(err);
    assert_int_equal(test_jmap_as("timeout 30 ", NULL, &err, "build '%s' -o '%s'", map, fifo), 3);
    assert_non_null(strstr(err, "pipe.svg': no process is reading from it [io-error]"));
    free(err);
    /* A pipe with a reader is written: standard output through /dev/fd. */
    char *out;
    assert_int_equal(test_jmap(&out, NULL, "build '%s' -o /dev/fd/1 -f svg", map), 0);
    assert_non_null(strstr(out, "<svg"));
    free(out);
    free(fifo);
    free(map);
    free(dir);
}

static void a_symbolic_link_as_output_is_replaced_not_followed(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-symlink");
    char *map = good(dir, "map.yaml", 1);
    char *victim = test_put(dir, "victim", "precious\n");
    char *link = jmap_xprintf("%s/map.svg", dir);
    assert_int_equal(symlink("victim", link), 0);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -o '%s'", map, link), 4);
    assert_non_null(strstr(err, "map.svg' is stale: a build replaces the symbolic link"));
    free(err);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", map, link), 0);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    char *text = test_read_file(victim, NULL);
    assert_string_equal(text, "precious\n");
    free(text);
    assert_int_equal(test_jmap(NULL, NULL, "build --check '%s' -o '%s'", map, link), 0);
    free(link);
    free(victim);
    free(map);
    free(dir);
}

static void an_output_name_of_255_bytes_is_written(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-long-name");
    char *map = good(dir, "map.yaml", 1);
    char name[256];
    memset(name, 'n', 251);
    memcpy(name + 251, ".svg", 5);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s/%s'", map, dir, name), 0);
    assert_string_equal(err, "");
    free(err);
    assert_true(exists(dir, name));
    assert_int_equal(test_count_entries(dir), 2);
    free(map);
    free(dir);
}

/* A stale or missing output is a diagnostic like any other: one line, the name sanitised, and
 * safe as a GitHub workflow command. */
static void stale_and_missing_outputs_are_sanitised_diagnostics(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-stale-names");
    char *map = good(dir, "a\n::warning::forged.yaml", 1);
    char *err, *out;
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -O '%s/out'", map, dir), 4);
    char *want = jmap_xprintf("'%s/out/a\\x0a::warning::forged.svg' is missing [missing-output]",
                              dir);
    assert_non_null(strstr(err, want));
    free(want);
    assert_null(strstr(err, "\n::warning"));
    free(err);
    assert_int_equal(
        test_jmap(&out, NULL, "build --check --diagnostics github '%s' -O '%s/out'", map, dir),
        4);
    size_t lines = 0;
    for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1, lines++)
        assert_true(strncmp(line, "::error file=", 13) == 0);
    assert_int_equal(lines, 1);
    assert_non_null(strstr(out, ",title=missing-output::"));
    free(out);
    free(map);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_batch_writes_the_good_maps_and_reports_the_bad_one),
        cmocka_unit_test(check_mode_reports_fresh_stale_and_missing_and_writes_nothing),
        cmocka_unit_test(unchanged_outputs_keep_their_modification_time),
        cmocka_unit_test(the_depfile_names_the_map_and_its_stage_model_file),
        cmocka_unit_test(each_diagnostics_format_carries_two_errors_and_a_warning),
        cmocka_unit_test(persona_views_draw_one_persona_each),
        cmocka_unit_test(a_failed_build_leaves_the_old_output_byte_for_byte),
        cmocka_unit_test(output_faults_are_io_errors_that_name_the_path),
        cmocka_unit_test(the_output_directory_is_created_except_when_checking),
        cmocka_unit_test(a_map_too_large_for_png_is_an_error_naming_the_output),
        cmocka_unit_test(a_pdf_page_too_large_for_acrobat_is_a_warning),
        cmocka_unit_test(standard_output_takes_the_map_and_stderr_the_diagnostics),
        cmocka_unit_test(outputs_that_would_overwrite_an_input_are_refused),
        cmocka_unit_test(two_maps_that_would_write_one_output_are_refused),
        cmocka_unit_test(a_pipe_as_output_never_hangs),
        cmocka_unit_test(a_symbolic_link_as_output_is_replaced_not_followed),
        cmocka_unit_test(an_output_name_of_255_bytes_is_written),
        cmocka_unit_test(stale_and_missing_outputs_are_sanitised_diagnostics),
    };
    return cmocka_run_group_tests_name("build", tests, NULL, NULL);
}
