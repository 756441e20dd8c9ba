/*
 * Golden diagnostics of the CSV reader: each tests/golden/data/<case>.csv reads to exactly the
 * text in <case>.diag, printed as the CLI prints diagnostics (no colour, with excerpts). Each
 * file is read with a limit of GOLDEN_MAX_ROWS rows. One test per case
 * (tests/golden.h; JMAP_UPDATE_GOLDEN=1 rewrites the .diag files).
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

#include "golden.h"
#include "jmap/arena.h"
#include "jmap/data.h"
#include "support.h"

#define GOLDEN_MAX_ROWS 5

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

int main(void)
{
    static const golden_set set = {"golden_data", "tests/golden/data", ".csv", 12, diagnose};
    return golden_run(&set);
}
