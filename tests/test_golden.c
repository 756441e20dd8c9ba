/*
 * Golden diagnostics: each tests/golden/diag/<case>.yaml compiles to exactly the text in
 * <case>.diag, printed as the CLI prints it (no colour, with excerpts). One test per case.
 * JMAP_UPDATE_GOLDEN=1 rewrites the .diag files instead; review them by eye before committing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "jmap/jmap.h"

#define GOLDEN_DIR "tests/golden/diag"
#define MIN_CASES 32

static bool updating(void)
{
    const char *v = getenv("JMAP_UPDATE_GOLDEN");
    return v && strcmp(v, "1") == 0;
}

static bool file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* What `jmap check` would print for the file. Caller frees. */
static char *diagnose(const char *path)
{
    size_t len;
    char *text = test_read_file(path, &len);
    jmap_arena *a = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_limits lim = jmap_limits_default();
    jmap_map *map = jmap_compile(a, path, text, len, &lim, &d);
    /* A golden case is an invalid map: it must fail, or at least warn. */
    assert_true(map == NULL || d.n_warnings > 0);

    char *out = NULL;
    size_t out_len = 0;
    FILE *f = open_memstream(&out, &out_len);
    jmap_diags_print(&d, f, &(jmap_diag_print_opts){.color = false, .excerpt = true});
    fclose(f);
    jmap_diags_release(&d);
    jmap_arena_free(a);
    free(text);
    return out;
}

/* The first line where two texts differ, for a readable failure. */
static void show_difference(const char *name, const char *want, const char *got)
{
    unsigned line = 1;
    const char *w = want, *g = got;
    while (*w && *w == *g) {
        if (*w == '\n')
            line++;
        w++;
        g++;
    }
    print_error("%s: output differs from %s.diag at line %u\n--- expected:\n%s--- got:\n%s"
                "(run with JMAP_UPDATE_GOLDEN=1 to rewrite, then review the diff)\n",
                name, name, line, want, got);
}

static void golden_case(void **state)
{
    const char *name = *state;
    char *yaml = jmap_xprintf("%s/%s.yaml", GOLDEN_DIR, name);
    char *diag = jmap_xprintf("%s/%s.diag", GOLDEN_DIR, name);
    char *got = diagnose(yaml);
    bool same = true, missing = false;
    if (updating()) {
        test_write_file(diag, got, strlen(got));
    } else if (!file_exists(diag)) {
        missing = true;
        print_error("%s has no %s (run with JMAP_UPDATE_GOLDEN=1)\n", yaml, diag);
    } else {
        char *want = test_read_file(diag, NULL);
        same = strcmp(want, got) == 0;
        if (!same)
            show_difference(name, want, got);
        free(want);
    }
    bool printed = strlen(got) > 0;
    /* Free before failing: cmocka's fail() does not return. */
    free(got);
    free(diag);
    free(yaml);
    assert_true(printed);
    assert_false(missing);
    assert_true(same);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The case names (file names without ".yaml"), sorted. */
static char **list_cases(size_t *n)
{
    DIR *dir = opendir(GOLDEN_DIR);
    if (!dir) {
        perror(GOLDEN_DIR);
        exit(1);
    }
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        names = jmap_xgrow(names, &cap, *n + 1, sizeof(char *));
        names[(*n)++] = jmap_xstrndup(e->d_name, len - 5);
    }
    closedir(dir);
    if (*n)
        qsort(names, *n, sizeof(char *), cmp_name);
    return names;
}

/* Every .diag belongs to a case: a renamed case must not leave its old expectation behind. */
static void every_diag_file_has_a_map(void **state)
{
    (void)state;
    DIR *dir = opendir(GOLDEN_DIR);
    assert_non_null(dir);
    struct dirent *e;
    while ((e = readdir(dir))) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".diag") != 0)
            continue;
        char *yaml = jmap_xprintf("%s/%.*s.yaml", GOLDEN_DIR, (int)(len - 5), e->d_name);
        bool ok = file_exists(yaml);
        if (!ok)
            print_error("%s/%s has no map %s\n", GOLDEN_DIR, e->d_name, yaml);
        free(yaml);
        assert_true(ok);
    }
    closedir(dir);
}

int main(void)
{
    if (chdir(JMAP_SOURCE_DIR) != 0) {
        perror(JMAP_SOURCE_DIR);
        return 1;
    }
    size_t n;
    char **names = list_cases(&n);
    if (n < MIN_CASES) {
        fprintf(stderr, "%s: %zu cases, expected at least %d\n", GOLDEN_DIR, n, MIN_CASES);
        return 1;
    }
    struct CMUnitTest *tests = jmap_xcalloc(n + 1, sizeof(struct CMUnitTest));
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){names[i], golden_case, NULL, NULL, names[i]};
    tests[n] = (struct CMUnitTest)cmocka_unit_test(every_diag_file_has_a_map);
    int failed = _cmocka_run_group_tests("golden", tests, n + 1, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(tests);
    return failed;
}
