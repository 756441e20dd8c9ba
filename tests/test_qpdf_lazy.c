/*
 * src/qpdf_lazy.c: libqpdf is loaded when a PDF is packed, not linked. The jmap binary's
 * dynamic section is read with readelf, the loader's own account (LD_DEBUG) says when the
 * library comes in, and the table the loader fills is checked to come from libqpdf.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/qpdf_lazy.h"
#include "support.h"

/* The NEEDED entries of an ELF file's dynamic section, through readelf, one a line. */
static char *needed_of(const char *path)
{
    char *cmd = jmap_xprintf("readelf -d '%s'", path);
    char *out = NULL, *err = NULL;
    int status = test_run(cmd, &out, &err);
    if (status != 0)
        fail_msg("%s: status %d: %s", cmd, status, err);
    jmap_strbuf b = {0};
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (strstr(line, "(NEEDED)")) {
            jmap_strbuf_puts(&b, line);
            jmap_strbuf_puts(&b, "\n");
        }
    }
    free(cmd);
    free(out);
    free(err);
    return b.s ? b.s : jmap_xstrdup("");
}

static void the_jmap_binary_does_not_need_libqpdf(void **state)
{
    (void)state;
    char *needed = needed_of(JMAP_BINARY);
    /* The dynamic section was read: jmap needs the C library and Cairo, and not libqpdf. */
    assert_non_null(strstr(needed, "[libc.so"));
    assert_non_null(strstr(needed, "[libcairo.so"));
    if (strstr(needed, "qpdf"))
        fail_msg("jmap links libqpdf:\n%s", needed);
#ifndef JMAP_TEST_SANITIZED /* sanitized builds link libstdc++ for ASan (CMakeLists.txt) */
    if (strstr(needed, "libstdc++"))
        fail_msg("jmap links libqpdf's C++ runtime:\n%s", needed);
#endif
    free(needed);
}

/* What the dynamic loader says it loaded while jmap ran (LD_DEBUG=files), as text. */
static char *libraries_loaded_by(const char *dir, const char *args)
{
    char *log = jmap_xprintf("%s/ld", dir);
    char *prefix = jmap_xprintf("LD_DEBUG=files LD_DEBUG_OUTPUT='%s' ", log);
    char *err = NULL;
    int status = test_jmap_as(prefix, NULL, &err, "%s", args);
    if (status != 0)
        fail_msg("jmap %s: status %d: %s", args, status, err);
    /* LD_DEBUG_OUTPUT appends the process id: read every file the run left. */
    char *cmd = jmap_xprintf("cat '%s'.*", log);
    char *out = NULL;
    assert_int_equal(test_run(cmd, &out, NULL), 0);
    char *rm = jmap_xprintf("rm -f '%s'.*", log);
    test_run(rm, NULL, NULL);
    free(rm);
    free(cmd);
    free(err);
    free(prefix);
    free(log);
    return out;
}

static void libqpdf_is_loaded_only_for_a_pdf(void **state)
{
    (void)state;
    char *dir = test_tmpdir("qpdf-lazy");
    const char *map = JMAP_SOURCE_DIR "/examples/clinic-booking.yaml";
    char *svg = jmap_xprintf("build '%s' -o '%s/map.svg'", map, dir);
    char *check = jmap_xprintf("check '%s'", map);
    char *pdf = jmap_xprintf("build '%s' -o '%s/map.pdf'", map, dir);
    const char *const without[] = {svg, check};
    for (size_t i = 0; i < 2; i++) {
        char *log = libraries_loaded_by(dir, without[i]);
        assert_non_null(strstr(log, "file=libcairo.so")); /* the log is the loader's */
        if (strstr(log, jmap_qpdf_soname))
            fail_msg("jmap %s loaded %s", without[i], jmap_qpdf_soname);
        free(log);
    }
    char *log = libraries_loaded_by(dir, pdf);
    char *want = jmap_xprintf("file=%s [", jmap_qpdf_soname);
    const char *at = strstr(log, want);
    if (!at || !strstr(at, "dynamically loaded by"))
        fail_msg("jmap %s did not dlopen %s:\n%.2000s", pdf, jmap_qpdf_soname, log);
    free(want);
    free(log);
    free(pdf);
    free(check);
    free(svg);
    free(dir);
}

static void the_table_is_libqpdf(void **state)
{
    (void)state;
    /* This test program links no libqpdf either: it comes in with the first call. */
    assert_null(dlopen(jmap_qpdf_soname, RTLD_NOW | RTLD_NOLOAD));
    const char *why = "untouched";
    const jmap_qpdf *qp = jmap_qpdf_load(&why);
    assert_non_null(qp);
    assert_string_equal(why, "untouched");
    assert_ptr_equal(jmap_qpdf_load(NULL), qp);
    void *lib = dlopen(jmap_qpdf_soname, RTLD_NOW | RTLD_NOLOAD);
    assert_non_null(lib);
    /* Every entry is the function of that name in that library. */
#define SAME(ret, name, params)                                                                    \
    {                                                                                              \
        void *want = dlsym(lib, "qpdf_" #name), *got;                                              \
        memcpy(&got, &qp->name, sizeof got);                                                       \
        assert_non_null(want);                                                                     \
        assert_ptr_equal(got, want);                                                               \
    }
    JMAP_QPDF_FUNCTIONS(SAME)
#undef SAME
    dlclose(lib);
    qpdf_data q = qp->init();
    assert_non_null(q);
    qp->cleanup(&q);
    assert_null(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_table_is_libqpdf),
        cmocka_unit_test(the_jmap_binary_does_not_need_libqpdf),
        cmocka_unit_test(libqpdf_is_loaded_only_for_a_pdf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
