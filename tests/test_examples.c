/* Every example map, drawn by the real binary to SVG, PDF and PNG, opens in real viewers
 * (xmllint, rsvg-convert, pdfinfo, pdftoppm) and comes out byte-identical from run to run. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "support.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The example maps' paths, sorted; NULL-terminated. */
static char **examples(size_t *n)
{
    const char *dir = JMAP_SOURCE_DIR "/examples";
    DIR *d = opendir(dir);
    assert_non_null(d);
    char **list = NULL;
    size_t cap = 0;
    *n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        list = jmap_xgrow(list, &cap, *n + 2, sizeof(char *));
        list[(*n)++] = jmap_xprintf("%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(list, *n, sizeof(char *), cmp_str);
    list[*n] = NULL;
    return list;
}

static void free_list(char **list)
{
    for (char **p = list; *p; p++)
        free(*p);
    free(list);
}

static bool same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *x = test_read_file(a, &na), *y = test_read_file(b, &nb);
    bool same = na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

/* The SVG's width="…pt" and height="…pt". */
static void svg_size(const char *path, double *w, double *h)
{
    char *svg = test_read_file(path, NULL);
    const char *pw = strstr(svg, "width=\""), *ph = strstr(svg, "height=\"");
    assert_non_null(pw);
    assert_non_null(ph);
    *w = strtod(pw + 7, NULL);
    *h = strtod(ph + 8, NULL);
    free(svg);
}

/* A PNG's pixel size from its IHDR chunk. */
static void png_size(const char *path, unsigned *w, unsigned *h)
{
    size_t n;
    unsigned char *png = (unsigned char *)test_read_file(path, &n);
    assert_true(n > 24);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    *w = (unsigned)png[16] << 24 | (unsigned)png[17] << 16 | (unsigned)png[18] << 8 | png[19];
    *h = (unsigned)png[20] << 24 | (unsigned)png[21] << 16 | (unsigned)png[22] << 8 | png[23];
    free(png);
}

static void every_example_draws_and_opens_in_real_viewers(void **state)
{
    (void)state;
    test_need_tool("xmllint", "libxml2-utils");
    test_need_tool("rsvg-convert", "librsvg2-bin");
    test_need_tool("pdftoppm", "poppler-utils");
    test_need_tool("pdfinfo", "poppler-utils");
    size_t n;
    char **maps = examples(&n);
    assert_true(n >= 4);
    char *dir = test_tmpdir("examples");
    for (size_t i = 0; i < n; i++) {
        const char *name = strrchr(maps[i], '/') + 1;
        int len = (int)(strlen(name) - 5);
        char *base = jmap_xprintf("%s/%.*s", dir, len, name);
        char *err;
        assert_int_equal(test_jmap(NULL, &err, "build --werror '%s' -o '%s.svg'", maps[i], base), 0);
        assert_string_equal(err, "");
        free(err);
        assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s.pdf'", maps[i], base), 0);
        assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s.png' --dpi 72", maps[i], base),
                         0);

        char *cmd = jmap_xprintf("xmllint --noout '%s.svg'", base);
        assert_int_equal(test_run(cmd, NULL, NULL), 0);
        free(cmd);
        cmd = jmap_xprintf("rsvg-convert -o '%s.rsvg.png' '%s.svg'", base, base);
        assert_int_equal(test_run(cmd, NULL, NULL), 0);
        free(cmd);
        cmd = jmap_xprintf("pdftoppm -r 20 -png -singlefile '%s.pdf' '%s.poppler'", base, base);
        assert_int_equal(test_run(cmd, NULL, NULL), 0);
        free(cmd);
        char *out;
        cmd = jmap_xprintf("pdfinfo '%s.pdf'", base);
        assert_int_equal(test_run(cmd, &out, NULL), 0);
        assert_non_null(strstr(out, "Pages:           1"));
        free(out);
        free(cmd);

        /* One geometry, three formats: the PNG at 72 dpi is the SVG's size in pixels. */
        double sw, sh;
        unsigned pw, ph;
        char *path = jmap_xprintf("%s.svg", base);
        svg_size(path, &sw, &sh);
        free(path);
        path = jmap_xprintf("%s.png", base);
        png_size(path, &pw, &ph);
        free(path);
        assert_true(sw > 500 && sh > 300);
        assert_int_equal(pw, (unsigned)(sw + 0.999));
        assert_int_equal(ph, (unsigned)(sh + 0.999));
        free(base);
    }
    free(dir);
    free_list(maps);
}

static void two_runs_give_identical_bytes_in_every_format(void **state)
{
    (void)state;
    size_t n;
    char **maps = examples(&n);
    char *dir = test_tmpdir("examples-repro");
    static const char *const formats[] = {"svg", "pdf", "png"};
    for (size_t i = 0; i < n; i++) {
        for (int f = 0; f < 3; f++) {
            char *a = jmap_xprintf("%s/a.%s", dir, formats[f]);
            char *b = jmap_xprintf("%s/b.%s", dir, formats[f]);
            assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", maps[i], a), 0);
            assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", maps[i], b), 0);
            if (!same_file(a, b))
                fail_msg("%s: two runs differ in %s", maps[i], formats[f]);
            free(a);
            free(b);
        }
    }
    free(dir);
    free_list(maps);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_example_draws_and_opens_in_real_viewers),
        cmocka_unit_test(two_runs_give_identical_bytes_in_every_format),
    };
    return cmocka_run_group_tests_name("examples", tests, NULL, NULL);
}
