/*
 * Golden diagnostics of the data join: each tests/golden/join/<case>.yaml, checked by the real
 * binary with the data files it names, prints exactly the text in <case>.diag. One test per
 * case (tests/golden.h; JMAP_UPDATE_GOLDEN=1 rewrites the .diag files).
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <stdlib.h>

#include "golden.h"
#include "jmap/arena.h"
#include "support.h"

/* What `jmap check` prints for the map, run from the source tree. Caller frees. */
static char *diagnose(const char *path)
{
    char *cmd = jmap_xprintf("'%s' check --color never '%s'", JMAP_BINARY, path);
    char *err = NULL;
    int status = test_run(cmd, NULL, &err);
    free(cmd);
    assert_true(status == 0 || status == 1);
    return err;
}

int main(void)
{
    static const golden_set set = {"golden_join", "tests/golden/join", ".yaml", 2, diagnose};
    return golden_run(&set);
}
