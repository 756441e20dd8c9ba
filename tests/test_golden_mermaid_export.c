/*
 * Golden Mermaid exports: each tests/golden/mermaid-export/<case>.yaml, built with
 * `jmap build -f mermaid -o -`, prints exactly the text in <case>.diag: the Mermaid journey,
 * then the mermaid-lossy note when there is one. The escaping of every character Mermaid's
 * journey grammar would misread has its case (escape.yaml). One test per case (tests/golden.h;
 * JMAP_UPDATE_GOLDEN=1 rewrites the .diag files).
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "jmap/arena.h"
#include "support.h"

/* The export on standard output, then the note's line from standard error. Caller frees. */
static char *diagnose(const char *path)
{
    char *out = NULL, *err = NULL;
    int status = test_jmap(&out, &err, "build '%s' -o - -f mermaid", path);
    assert_int_equal(status, 0);
    const char *note = strstr(err, ": note: mermaid cannot show");
    char *text;
    if (note) {
        while (note > err && note[-1] != '\n')
            note--;
        const char *end = strchr(note, '\n');
        text = jmap_xprintf("%s%.*s\n", out, (int)(end ? end - note : (long)strlen(note)), note);
    } else {
        text = jmap_xstrdup(out);
    }
    free(out);
    free(err);
    return text;
}

int main(void)
{
    static const golden_set set = {"golden_mermaid_export", "tests/golden/mermaid-export", ".yaml",
                                   3, diagnose};
    return golden_run(&set);
}
