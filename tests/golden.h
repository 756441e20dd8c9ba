#ifndef JMAP_TEST_GOLDEN_H
#define JMAP_TEST_GOLDEN_H

#include <stddef.h>

/*
 * Golden cases: every DIR/<case><ext> prints exactly the text in DIR/<case>.diag, one cmocka
 * test per case, plus one test that every .diag still has its source (a renamed case must not
 * leave its old expectation behind). JMAP_UPDATE_GOLDEN=1 rewrites the .diag files instead;
 * review them by eye before committing.
 */
typedef struct golden_set {
    const char *group; /* cmocka's group name */
    const char *dir;   /* relative to the source tree */
    const char *ext;   /* of the sources: ".yaml", ".csv" */
    size_t min_cases;  /* fewer found means the folder was not found or emptied */
    /* what jmap prints for the source at `path` (relative to the source tree); caller frees */
    char *(*diagnose)(const char *path);
} golden_set;

/** Run the set's cases from the source tree; returns cmocka's count of failures, or 1 when
 * the folder holds fewer than min_cases. */
int golden_run(const golden_set *set);

/** golden_run with expected files ending in `expect_ext` (".yaml") instead of ".diag". */
int golden_run_expecting(const golden_set *set, const char *expect_ext);

#endif
