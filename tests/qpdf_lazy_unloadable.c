/*
 * When libqpdf cannot be loaded: this program and a whole jmap (JMAP_UNLOADABLE_BINARY) are
 * built with src/qpdf_lazy.c compiled for a library that does not exist, or for one that lacks
 * libqpdf's functions (tests/CMakeLists.txt). A PDF is then refused with render-error naming
 * the package, and no file; the other formats are drawn; a PDF's stamp is simply not found.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/qpdf_lazy.h"
#include "../src/render_pdf_pack.h"
#include "jmap/provenance.h"
#include "support.h"

static void the_loader_names_the_library_and_its_package(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_null(jmap_qpdf_load(&why));
    assert_non_null(why);
    assert_non_null(strstr(why, JMAP_QPDF_SONAME));
    assert_non_null(strstr(why, "install the package " JMAP_QPDF_PACKAGE));
    assert_non_null(strstr(why, JMAP_UNLOADABLE_REASON));
    const char *again = NULL;
    assert_null(jmap_qpdf_load(&again)); /* tried once; the same answer after */
    assert_ptr_equal(again, why);
}

static void packing_fails_with_that_reason(void **state)
{
    (void)state;
    const char *pdf = "%PDF-1.5\n%%EOF\n";
    jmap_strbuf out = {0};
    char *why = NULL;
    assert_false(jmap_pdf_pack(pdf, strlen(pdf), "en", "alt", &out, &why));
    assert_int_equal(out.len, 0);
    assert_non_null(why);
    assert_non_null(strstr(why, "install the package " JMAP_QPDF_PACKAGE));
    free(why);
    free(out.s);
}

static int run_unloadable(const char *dir, const char *out, char **err)
{
    char *cmd = jmap_xprintf("'%s' build '%s/examples/clinic-booking.yaml' -o '%s/%s'",
                             JMAP_UNLOADABLE_BINARY, JMAP_SOURCE_DIR, dir, out);
    int status = test_run(cmd, NULL, err);
    free(cmd);
    return status;
}

static void a_pdf_is_refused_and_no_file_is_left(void **state)
{
    (void)state;
    char *dir = test_tmpdir("qpdf-unloadable");
    char *err = NULL;
    assert_int_equal(run_unloadable(dir, "map.pdf", &err), 1);
    assert_non_null(strstr(err, "render-error"));
    assert_non_null(strstr(err, "install the package " JMAP_QPDF_PACKAGE));
    assert_int_equal(test_count_entries(dir), 0);
    free(err);
    /* The same jmap draws the other formats. */
    err = NULL;
    assert_int_equal(run_unloadable(dir, "map.svg", &err), 0);
    assert_int_equal(test_count_entries(dir), 1);
    free(err);
    free(dir);
}

static void a_packed_pdf_has_no_stamp_without_libqpdf(void **state)
{
    (void)state;
    /* Written by the jmap that loads libqpdf: its /Creator is in an object stream. */
    char *dir = test_tmpdir("qpdf-unloadable-stamp");
    char *pdf = jmap_xprintf("%s/map.pdf", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s/examples/clinic-booking.yaml' -o '%s'",
                               JMAP_SOURCE_DIR, pdf),
                     0);
    assert_null(jmap_stamp_read(pdf, JMAP_FORMAT_PDF));
    free(pdf);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_loader_names_the_library_and_its_package),
        cmocka_unit_test(packing_fails_with_that_reason),
        cmocka_unit_test(a_pdf_is_refused_and_no_file_is_left),
        cmocka_unit_test(a_packed_pdf_has_no_stamp_without_libqpdf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
