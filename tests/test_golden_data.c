/*
 * Golden diagnostics of the CSV reader: each tests/golden/data/<case>.csv reads to exactly the
 * text in <case>.diag, printed as the CLI prints diagnostics (no colour, with excerpts). Each
 * file is read with a limit of GOLDEN_MAX_ROWS rows. One test per case.
 * JMAP_UPDATE_GOLDEN=1 rewrites the .diag files instead; review them by eye before committing.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "jmap/data.h"
#include "support.h"

#define GOLDEN_DIR "tests/golden/data"
#define GOLDEN_MAX_ROWS 5
#define MIN_CASES 12

static bool updating(void)
{
    const char *v = getenv("JMAP_UPDATE_GOLDEN");
    return v && strcmp(v, "1") == 0;
}

/* What the reader reports for the file, printed. Caller frees. */
static char *diagnose(const char *path)
{
    size_t len;
    char *text = test_read_file(path, &len);
    jmap_data_file *f = jmap_data_read(path, text, len, GOLDEN_MAX_ROWS);
    /* A golden case is a data file with an error. */
    assert_true(jmap_diags_failed(&f->diags));
    char *out = NULL;
    size_t out_len = 0;
    FILE *fp = open_memstream(&out, &out_len);
    jmap_diags_print(&f->diags, fp, &(jmap_diag_print_opts){.color = false, .excerpt = true});
    fclose(fp);
    jmap_data_file_free(f);
    free(text);
    return out;
}

static void golden_case(void **state)
{
    const char *name = *state;
    char *csv = jmap_xprintf("%s/%s.csv", GOLDEN_DIR, name);
    char *diag = jmap_xprintf("%s/%s.diag", GOLDEN_DIR, name);
    char *got = diagnose(csv);
    bool same = true, missing = false;
    if (updating()) {
        test_write_file(diag, got, strlen(got));
    } else if (access(diag, F_OK) != 0) {
        missing = true;
        print_error("%s has no %s (run with JMAP_UPDATE_GOLDEN=1)\n", csv, diag);
    } else {
        char *want = test_read_file(diag, NULL);
        same = strcmp(want, got) == 0;
        if (!same)
            print_error("%s: output differs from %s\n--- expected:\n%s--- got:\n%s"
                        "(run with JMAP_UPDATE_GOLDEN=1 to rewrite, then review the diff)\n",
                        name, diag, want, got);
        free(want);
    }
    bool printed = strlen(got) > 0;
    free(got);
    free(diag);
    free(csv);
    assert_true(printed);
    assert_false(missing);
    assert_true(same);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the files in GOLDEN_DIR ending in `ext`, without it, sorted. */
static char **list(const char *ext, size_t *n)
{
    DIR *dir = opendir(GOLDEN_DIR);
    if (!dir) {
        perror(GOLDEN_DIR);
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

/* Every .diag belongs to a case: a renamed case must not leave its old expectation behind. */
static void every_diag_file_has_a_data_file(void **state)
{
    (void)state;
    size_t n;
    char **names = list(".diag", &n);
    for (size_t i = 0; i < n; i++) {
        char *csv = jmap_xprintf("%s/%s.csv", GOLDEN_DIR, names[i]);
        bool ok = access(csv, F_OK) == 0;
        if (!ok)
            print_error("%s/%s.diag has no data file %s\n", GOLDEN_DIR, names[i], csv);
        free(csv);
        free(names[i]);
        assert_true(ok);
    }
    free(names);
}

int main(void)
{
    if (chdir(JMAP_SOURCE_DIR) != 0) {
        perror(JMAP_SOURCE_DIR);
        return 1;
    }
    size_t n;
    char **names = list(".csv", &n);
    if (n < MIN_CASES) {
        fprintf(stderr, "%s: %zu cases, expected at least %d\n", GOLDEN_DIR, n, MIN_CASES);
        return 1;
    }
    struct CMUnitTest *tests = jmap_xcalloc(n + 1, sizeof(struct CMUnitTest));
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){names[i], golden_case, NULL, NULL, names[i]};
    tests[n] = (struct CMUnitTest)cmocka_unit_test(every_diag_file_has_a_data_file);
    int failed = _cmocka_run_group_tests("golden_data", tests, n + 1, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(tests);
    return failed;
}
