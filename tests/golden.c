/* The golden-case runner that test_golden and test_golden_data share (golden.h). */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "golden.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "support.h"

static const golden_set *the_set; /* one set at a time */
static const char *the_expect_ext; /* what its expected files end in; NULL: ".diag" */

static bool updating(void)
{
    const char *v = getenv("JMAP_UPDATE_GOLDEN");
    return v && strcmp(v, "1") == 0;
}

/* The first line where two texts differ, for a readable failure. */
static void show_difference(const char *diag, const char *want, const char *got)
{
    unsigned line = 1;
    for (const char *w = want, *g = got; *w && *w == *g; w++, g++) {
        if (*w == '\n')
            line++;
    }
    print_error("output differs from %s at line %u\n--- expected:\n%s--- got:\n%s"
                "(run with JMAP_UPDATE_GOLDEN=1 to rewrite, then review the diff)\n",
                diag, line, want, got);
}

/* What the expected files end in: ".diag" unless the set says otherwise. */
static const char *expected_ext(void)
{
    return the_expect_ext ? the_expect_ext : ".diag";
}

static void golden_case(void **state)
{
    const char *name = *state;
    char *source = jmap_xprintf("%s/%s%s", the_set->dir, name, the_set->ext);
    char *diag = jmap_xprintf("%s/%s%s", the_set->dir, name, expected_ext());
    char *got = the_set->diagnose(source);
    bool same = true, missing = false;
    if (updating()) {
        test_write_file(diag, got, strlen(got));
    } else if (access(diag, F_OK) != 0) {
        missing = true;
        print_error("%s has no %s (run with JMAP_UPDATE_GOLDEN=1)\n", source, diag);
    } else {
        char *want = test_read_file(diag, NULL);
        same = strcmp(want, got) == 0;
        if (!same)
            show_difference(diag, want, got);
        free(want);
    }
    bool printed = strlen(got) > 0;
    /* Free before failing: cmocka's fail() does not return. */
    free(got);
    free(diag);
    free(source);
    assert_true(printed);
    assert_false(missing);
    assert_true(same);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the set's files ending in `ext`, without it, sorted. */
static char **list(const char *ext, size_t *n)
{
    DIR *dir = opendir(the_set->dir);
    if (!dir) {
        perror(the_set->dir);
        exit(1);
    }
    char **names = NULL;
    size_t cap = 0, el = strlen(ext);
    *n = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        size_t len = strlen(e->d_name);
        if (len <= el || strcmp(e->d_name + len - el, ext) != 0)
            continue;
        names = jmap_xgrow(names, &cap, *n + 1, sizeof(char *));
        names[(*n)++] = jmap_xstrndup(e->d_name, len - el);
    }
    closedir(dir);
    if (*n)
        qsort(names, *n, sizeof(char *), cmp_name);
    return names;
}

static void every_diag_file_has_its_source(void **state)
{
    (void)state;
    size_t n;
    char **names = list(expected_ext(), &n);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        char *source = jmap_xprintf("%s/%s%s", the_set->dir, names[i], the_set->ext);
        if (access(source, F_OK) != 0) {
            print_error("%s/%s%s has no %s\n", the_set->dir, names[i], expected_ext(), source);
            ok = false;
        }
        free(source);
        free(names[i]);
    }
    free(names);
    assert_true(ok);
}

int golden_run_expecting(const golden_set *set, const char *expect_ext)
{
    the_expect_ext = expect_ext;
    int failed = golden_run(set);
    the_expect_ext = NULL;
    return failed;
}

int golden_run(const golden_set *set)
{
    if (chdir(JMAP_SOURCE_DIR) != 0) {
        perror(JMAP_SOURCE_DIR);
        return 1;
    }
    the_set = set;
    size_t n;
    char **names = list(set->ext, &n);
    if (n < set->min_cases) {
        fprintf(stderr, "%s: %zu cases, expected at least %zu\n", set->dir, n, set->min_cases);
        return 1;
    }
    struct CMUnitTest *tests = jmap_xcalloc(n + 1, sizeof(struct CMUnitTest));
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){names[i], golden_case, NULL, NULL, names[i]};
    tests[n] = (struct CMUnitTest)cmocka_unit_test(every_diag_file_has_its_source);
    int failed = _cmocka_run_group_tests(set->group, tests, n + 1, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(tests);
    return failed;
}
