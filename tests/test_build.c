/* `jmap build` as CI pipelines and designers use it: batches, --check, depfiles, machine
 * diagnostics, views per persona, and faults that must leave nothing behind (watch mode is in
 * test_watch.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "jmap/theme.h"
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

/* Unchanged outputs are touched, so they end newer than the map (Make stops rebuilding them);
 * --keep-mtime leaves their time alone (Ninja's restat = 1). */
static void unchanged_outputs_are_touched_or_kept_with_keep_mtime(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-unchanged");
    char *a = good(dir, "a.yaml", 1);
    char *png = jmap_xprintf("%s/a.png", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", a, png), 0);
    backdate(png);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s' --keep-mtime", a, png), 0);
    assert_int_equal(mtime_of(png), 1000000000);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", a, png), 0);
    assert_true(mtime_of(png) > 1000000000 && mtime_of(png) >= mtime_of(a));
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
    /* then an empty rule for the model file, so that Make does not stop when it goes */
    char *want = jmap_xprintf("%s/map.svg: %s %s/my\\ model.yaml\n%s/my\\ model.yaml:\n", dir,
                              map, dir, dir);
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
    /* the hint names the map's personas, or the close one */
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s/x.svg' --persona nobody", a, dir), 1);
    assert_non_null(strstr(err, "the map's personas are 'ana', 'bo'"));
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s/x.svg' --persona anna", a, dir), 1);
    assert_non_null(strstr(err, "did you mean 'ana'?"));
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
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s/map.yaml/x.svg'", map, dir), 3);
    assert_non_null(strstr(err, "map.yaml"));
    assert_non_null(strstr(err, "Not a directory"));
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

/* A map that draws with one warning: a persona in no touchpoint. */
static char *warned(const char *dir, const char *name)
{
    char *text = jmap_xprintf(good_map, 1);
    char *more = jmap_xprintf("%s  - {stage: purchase, persona: ana, name: Pay}\n", text);
    free(text);
    /* "bo" is in two touchpoints; a third persona is in none. */
    char *pos = strstr(more, "  - {id: bo, name: Bo}\n");
    assert_non_null(pos);
    pos += strlen("  - {id: bo, name: Bo}\n");
    char *with = jmap_xprintf("%.*s  - {id: cy, name: Cy}\n%s", (int)(pos - more), more, pos);
    free(more);
    char *path = test_put(dir, name, with);
    free(with);
    return path;
}

static void standard_output_takes_the_map_and_stderr_the_diagnostics(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-stdout");
    char *map = warned(dir, "map.yaml");
    char *out, *err;
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o - -f svg", map), 0);
    /* Standard output is the drawing and nothing else... */
    assert_memory_equal(out, "<?xml", 5);
    size_t n = strlen(out);
    assert_true(n > 7 && strcmp(out + n - 7, "</svg>\n") == 0);
    assert_null(strstr(out, "warning"));
    assert_null(strstr(out, "'cy'"));
    /* ...the same bytes a build into a file gives, */
    char *file = jmap_xprintf("%s/map.svg", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", map, file), 0);
    char *bytes = test_read_file(file, NULL);
    assert_string_equal(out, bytes);
    free(bytes);
    free(file);
    /* ...and the diagnostics are on standard error. */
    char *want = jmap_xprintf("%s:", map);
    assert_non_null(strstr(err, want));
    free(want);
    assert_non_null(strstr(err, "warning:"));
    assert_non_null(strstr(err, "'cy'"));
    assert_null(strstr(err, "<svg"));
    free(out);
    free(err);

    /* Machine-readable diagnostics move to standard error too, not into the drawing. */
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o - -f svg --diagnostics json", map), 0);
    assert_memory_equal(out, "<?xml", 5);
    assert_null(strstr(out, "\"severity\""));
    json *j = json_parse(err, strchr(err, '\n') ? (size_t)(strchr(err, '\n') - err) : strlen(err));
    assert_non_null(j);
    json_free(j);
    assert_non_null(strstr(err, "'cy'"));
    free(out);
    free(err);
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

/* ---- the exit status of a batch -------------------------------------------------------- */

/* The worst status wins, ranked I/O error (3) > error in a map (1) > stale output (4): a job
 * that could not read a map must not look like one that only found a typo. */
static void a_batch_exits_with_its_worst_status_io_above_map_above_stale(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-worst");
    char *out = jmap_xprintf("%s/out", dir);
    char *a = good(dir, "a.yaml", 1);
    char *bad = test_put(dir, "bad.yaml", two_errors_map);
    char *missing = jmap_xprintf("%s/missing.yaml", dir);
    char *folder = jmap_xprintf("%s/folder.yaml", dir);
    assert_int_equal(mkdir(folder, 0777), 0);
    char *err;

    /* Each alone. */
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -O '%s'", a, out), 0);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -O '%s'", bad, out), 1);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -O '%s'", missing, out), 3);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -O '%s'", folder, out), 3);

    /* A bad map with an unreadable one, in either order: the I/O error wins, and both are
     * reported. */
    const char *unreadable[] = {missing, folder};
    for (size_t u = 0; u < 2; u++) {
        for (size_t o = 0; o < 2; o++) {
            char *maps = o == 0 ? jmap_xprintf("'%s' '%s'", bad, unreadable[u])
                                : jmap_xprintf("'%s' '%s'", unreadable[u], bad);
            assert_int_equal(test_jmap(NULL, &err, "build %s '%s' -O '%s'", maps, a, out), 3);
            assert_non_null(strstr(err, "bad.yaml:7:"));
            assert_non_null(strstr(err, u == 0 ? "missing.yaml" : "folder.yaml"));
            free(err);
            free(maps);
        }
    }

    /* Under --check: a stale output (4) ranks below a bad map (1) and an unreadable one (3). */
    free(good(dir, "a.yaml", 2)); /* a.svg is now stale */
    assert_int_equal(test_jmap(NULL, NULL, "build --check '%s' -O '%s'", a, out), 4);
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' '%s' -O '%s'", a, bad, out), 1);
    assert_non_null(strstr(err, "a.svg' is stale"));
    free(err);
    assert_int_equal(test_jmap(NULL, NULL, "build --check '%s' '%s' -O '%s'", bad, a, out), 1);
    assert_int_equal(test_jmap(NULL, NULL, "build --check '%s' '%s' -O '%s'", a, missing, out),
                     3);
    assert_int_equal(
        test_jmap(NULL, NULL, "build --check '%s' '%s' '%s' -O '%s'", missing, bad, a, out), 3);
    free(folder);
    free(missing);
    free(bad);
    free(a);
    free(out);
    free(dir);
}

/* ---- drawing options through the binary ------------------------------------------------- */

static char *hex(jmap_color c)
{
    return jmap_xprintf("#%02x%02x%02x%02x", c.r, c.g, c.b, c.a);
}

/* The layout dump of `jmap build MAP --dump-layout EXTRA`, which must succeed silently. */
static char *dump(const char *map, const char *extra)
{
    char *out, *err;
    assert_int_equal(test_jmap(&out, &err, "build '%s' --dump-layout %s", map, extra), 0);
    assert_string_equal(err, "");
    free(err);
    return out;
}

/* The dump's scene background and title colour are the theme's. */
static void assert_theme(const char *dump_text, jmap_theme_id id)
{
    const jmap_theme *t = jmap_theme_get(id);
    char *bg = hex(t->c.background), *text = hex(t->c.text);
    char *scene = jmap_xprintf("background=%s ", bg);
    const char *first_nl = strchr(dump_text, '\n');
    const char *found = strstr(dump_text, scene);
    if (!found || found > first_nl)
        fail_msg("want theme %s (%s), the scene line is: %.*s", t->name, scene,
                 (int)(first_nl - dump_text), dump_text);
    const char *title = strstr(dump_text, " text title ");
    assert_non_null(title);
    char *color = jmap_xprintf("color=%s ", text);
    found = strstr(title, color);
    assert_true(found && found < strchr(title, '\n'));
    free(color);
    free(scene);
    free(bg);
    free(text);
}

/* The colour of the top-left pixel of a PNG file. */
static jmap_color png_corner(const char *path)
{
    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_format(img), CAIRO_FORMAT_ARGB32);
    uint32_t px;
    memcpy(&px, cairo_image_surface_get_data(img), sizeof px);
    cairo_surface_destroy(img);
    /* Opaque, so premultiplying changed nothing. */
    return (jmap_color){(uint8_t)(px >> 16), (uint8_t)(px >> 8), (uint8_t)px,
                        (uint8_t)(px >> 24)};
}

/* --theme picks the colours, over the map's own `theme:`; without it the map's theme holds. */
static void the_theme_option_wins_over_the_maps_theme(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-theme");
    char *plain = good(dir, "plain.yaml", 1);
    char *text = jmap_xprintf(good_map, 2);
    char *with = jmap_xprintf("theme: dark\n%s", text);
    char *dark = test_put(dir, "dark.yaml", with);
    free(with);
    free(text);
    static const struct {
        const char *name;
        jmap_theme_id id;
    } themes[] = {{"light", JMAP_THEME_LIGHT}, {"dark", JMAP_THEME_DARK},
                  {"print", JMAP_THEME_PRINT}};
    char *d;
    for (size_t i = 0; i < 3; i++) {
        char *opt = jmap_xprintf("--theme %s", themes[i].name);
        d = dump(plain, opt);
        assert_theme(d, themes[i].id);
        free(d);
        d = dump(dark, opt);
        assert_theme(d, themes[i].id);
        free(d);
        free(opt);
    }
    d = dump(plain, "");
    assert_theme(d, JMAP_THEME_LIGHT);
    free(d);
    d = dump(dark, "");
    assert_theme(d, JMAP_THEME_DARK);
    free(d);

    /* And in the drawing itself: the background of a PNG. */
    static const struct {
        const char *map_name, *opt;
        jmap_theme_id id;
    } drawn[] = {{"plain", "--theme dark", JMAP_THEME_DARK},
                 {"dark", "--theme light", JMAP_THEME_LIGHT},
                 {"dark", "", JMAP_THEME_DARK}};
    for (size_t i = 0; i < 3; i++) {
        char *png = jmap_xprintf("%s/%s%zu.png", dir, drawn[i].map_name, i);
        assert_int_equal(test_jmap(NULL, NULL, "build '%s/%s.yaml' -o '%s' --dpi 36 %s", dir,
                                   drawn[i].map_name, png, drawn[i].opt),
                         0);
        jmap_color got = png_corner(png), want = jmap_theme_get(drawn[i].id)->c.background;
        assert_memory_equal(&got, &want, sizeof got);
        free(png);
    }
    free(plain);
    free(dark);
    free(dir);
}

/* --font sets the family of every text, in the dump and in the drawing. */
static void the_font_option_sets_every_family(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-font");
    char *map = good(dir, "map.yaml", 1);
    const char *theirs = jmap_theme_get(JMAP_THEME_LIGHT)->font_family;
    assert_string_not_equal(theirs, "DejaVu Sans");
    char *usual = jmap_xprintf("font=\"%s\"", theirs);
    char *d = dump(map, "");
    assert_non_null(strstr(d, usual));
    assert_null(strstr(d, "font=\"DejaVu Sans\""));
    free(d);
    d = dump(map, "--font 'DejaVu Sans'");
    assert_non_null(strstr(d, "font=\"DejaVu Sans\""));
    assert_null(strstr(d, usual));
    free(d);
    free(usual);

    char *a = jmap_xprintf("%s/inter.svg", dir), *b = jmap_xprintf("%s/dejavu.svg", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", map, a), 0);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s' --font 'DejaVu Sans'", map, b), 0);
    char *sa = test_read_file(a, NULL), *sb = test_read_file(b, NULL);
    assert_string_not_equal(sa, sb); /* other glyph outlines */
    free(sa);
    free(sb);
    free(a);
    free(b);
    free(map);
    free(dir);
}

/* --dump-layout prints the scene to standard output, or writes it to -o's file. */
static void the_layout_dump_goes_to_standard_output_or_to_the_file(void **state)
{
    (void)state;
    char *dir = test_tmpdir("build-dump");
    char *map = good(dir, "map.yaml", 1);
    char *to_stdout = dump(map, "");
    assert_memory_equal(to_stdout, "scene ", 6);
    assert_non_null(strstr(to_stdout, "\"Good journey 1\""));
    assert_non_null(strstr(to_stdout, "\"Checkout\""));
    assert_null(strstr(to_stdout, "<svg"));

    char *file = jmap_xprintf("%s/layout.txt", dir);
    char *out, *err;
    assert_int_equal(test_jmap(&out, &err, "build '%s' --dump-layout -o '%s'", map, file), 0);
    assert_string_equal(out, "");
    assert_string_equal(err, "");
    char *written = test_read_file(file, NULL);
    assert_string_equal(written, to_stdout);
    free(written);
    free(out);
    free(err);
    /* Only the dump: no drawing beside it. */
    assert_int_equal(test_count_entries(dir), 2);

    /* A map with errors dumps nothing and fails like a build. */
    char *bad = test_put(dir, "bad.yaml", two_errors_map);
    assert_int_equal(test_jmap(&out, &err, "build '%s' --dump-layout", bad), 1);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "bad.yaml:7:"));
    free(out);
    free(err);
    free(bad);
    free(file);
    free(to_stdout);
    free(map);
    free(dir);
}

/* The CreationDate and ModDate pdfinfo reads from a PDF jmap writes with `env`'s settings
 * ("none" for one the PDF does not have). */
static char *pdf_dates(const char *env, const char *map, const char *pdf)
{
    char *err;
    assert_int_equal(test_jmap_as(env, NULL, &err, "build '%s' -o '%s'", map, pdf), 0);
    assert_string_equal(err, "");
    free(err);
    char *cmd = jmap_xprintf("pdfinfo -isodates '%s'", pdf);
    char *info;
    assert_int_equal(test_run(cmd, &info, NULL), 0);
    free(cmd);
    const char *c = strstr(info, "CreationDate:"), *m = strstr(info, "ModDate:");
    c = c ? c + strspn(c + 13, " ") + 13 : "none";
    m = m ? m + strspn(m + 8, " ") + 8 : "none";
    char *dates = jmap_xprintf("%.*s %.*s", (int)strcspn(c, "\n"), c, (int)strcspn(m, "\n"), m);
    free(info);
    return dates;
}

static char *iso_pair(time_t t)
{
    struct tm tm;
    char one[32];
    assert_non_null(gmtime_r(&t, &tm));
    strftime(one, sizeof one, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return jmap_xprintf("%s %s", one, one);
}

/* The PDF's dates are SOURCE_DATE_EPOCH's; without it (or with a value that is not a number of
 * seconds) the PDF has no date at all (docs/jmap.1), never the clock's. */
static void pdf_dates_follow_source_date_epoch(void **state)
{
    (void)state;
    test_need_tool("pdfinfo", "poppler-utils");
    char *dir = test_tmpdir("build-sde");
    char *map = good(dir, "map.yaml", 1);
    char *pdf = jmap_xprintf("%s/map.pdf", dir);
    static const long long epochs[] = {0, 1700000000, 1234567890};
    for (size_t i = 0; i < sizeof epochs / sizeof epochs[0]; i++) {
        char *env = jmap_xprintf("env SOURCE_DATE_EPOCH=%lld ", epochs[i]);
        char *got = pdf_dates(env, map, pdf), *want = iso_pair((time_t)epochs[i]);
        assert_string_equal(got, want);
        free(got);
        free(want);
        free(env);
    }
    const char *fixed = "none none";
    static const char *const none[] = {"env -u SOURCE_DATE_EPOCH ", "env SOURCE_DATE_EPOCH= ",
                                       "env SOURCE_DATE_EPOCH=soon ",
                                       "env SOURCE_DATE_EPOCH=-5 "};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        char *got = pdf_dates(none[i], map, pdf);
        if (strcmp(got, fixed) != 0)
            fail_msg("%s: dates %s, want %s", none[i], got, fixed);
        free(got);
    }
    free(pdf);
    free(map);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_batch_writes_the_good_maps_and_reports_the_bad_one),
        cmocka_unit_test(check_mode_reports_fresh_stale_and_missing_and_writes_nothing),
        cmocka_unit_test(unchanged_outputs_are_touched_or_kept_with_keep_mtime),
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
        cmocka_unit_test(a_batch_exits_with_its_worst_status_io_above_map_above_stale),
        cmocka_unit_test(the_theme_option_wins_over_the_maps_theme),
        cmocka_unit_test(the_font_option_sets_every_family),
        cmocka_unit_test(the_layout_dump_goes_to_standard_output_or_to_the_file),
        cmocka_unit_test(pdf_dates_follow_source_date_epoch),
    };
    return cmocka_run_group_tests_name("build", tests, NULL, NULL);
}
