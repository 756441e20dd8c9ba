/* `jmap build`'s command line (src/cli/cmd_build.c): every refusal is status 2 with the one
 * line that says what is wrong, before anything is read or written; --help is success. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void every_usage_error_is_status_2_with_its_reason_and_writes_nothing(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cmd-build-usage");
    char *map = test_put(dir, "m.yaml", "title: T\n" TEST_VALID_MAP_BODY);
    static const struct {
        const char *args, *err;
    } cases[] = {
        {"m.yaml -o x.svg -f bmp", "jmap: unknown output format 'bmp'; use svg, pdf, png, mermaid or markdown\n"},
        {"m.yaml -o x.svg --theme sepia", "jmap: unknown theme 'sepia'; use light, dark or print\n"},
        {"m.yaml -o x.pdf --page a5", "jmap: unknown page size 'a5'; use fit, a4, a3 or letter\n"},
        {"m.yaml -o x.png --dpi 8", "jmap: --dpi takes a number from 9 to 2400, not '8'\n"},
        {"m.yaml -o x.png --dpi 2401", "jmap: --dpi takes a number from 9 to 2400, not '2401'\n"},
        {"m.yaml -o x.svg --frob", "jmap: build: unknown option '--frob'\n"},
        {"m.yaml -o x.svg --color sometimes",
         "jmap: --color takes auto, always or never, not 'sometimes'\n"},
        {"-o x.svg", "jmap: build: no map given\n"},
        {"m.yaml -o x.svg -O out", "jmap: build: give either -o or -O, not both\n"},
        {"m.yaml", "jmap: build: no output given; use -o FILE or -O DIR\n"},
        {"m.yaml m.yaml -o x.svg", "jmap: build: -o takes one map; use -O DIR for several\n"},
        {"m.yaml -o x.svg --watch --check", "jmap: build: --watch takes one map and no --check\n"},
        {"m.yaml m.yaml -O o --watch", "jmap: build: --watch takes one map and no --check\n"},
        {"- -o x.svg --watch", "jmap: build: --watch needs a map file, not standard input\n"},
        {"- -O out", "jmap: build: a map from standard input needs -o FILE, not -O\n"},
        {"m.yaml - -O out", "jmap: build: a map from standard input needs -o FILE, not -O\n"},
        {"- -o x.svg --depfile x.d", "jmap: build: --depfile needs map files, not standard input\n"},
        {"m.yaml -o x.svg -f svg -f pdf", "jmap: build: -o writes one format; use -O DIR for several\n"},
        {"m.yaml -o -", "jmap: build: writing to standard output needs -f svg|pdf|png|mermaid|markdown\n"},
        {"m.yaml -o x.bmp",
         "jmap: build: cannot tell the format of 'x.bmp'; use a .svg, .pdf, .png, .mmd or .md name or -f\n"},
        {"m.yaml -o - -f svg --split-personas",
         "jmap: build: --split-personas needs a file or -O, not '-o -'\n"},
        /* a value from the command line is quoted through the sanitiser */
        {"m.yaml -o \"$(printf 'x\\033[2J.bmp')\"",
         "jmap: build: cannot tell the format of 'x\\x1b[2J.bmp'; use a .svg, .pdf, .png, .mmd or .md name "
         "or -f\n"},
    };
    char *in_dir = jmap_xprintf("cd '%s' && ", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out, *err;
        int status = test_jmap_as(in_dir, &out, &err, "build %s", cases[i].args);
        char *want = jmap_xprintf("%stry 'jmap help build'\n", cases[i].err);
        if (status != 2 || strcmp(err, want) != 0 || *out)
            fail_msg("jmap build %s: status %d\nstderr: %s\nwant: %s", cases[i].args, status,
                     err, want);
        free(want);
        free(out);
        free(err);
        if (test_count_entries(dir) != 1)
            fail_msg("jmap build %s wrote something", cases[i].args);
    }
    free(in_dir);
    free(map);
    free(dir);
}

static void help_is_success_and_says_how_to_call_build(void **state)
{
    (void)state;
    char *whole;
    assert_int_equal(test_jmap(&whole, NULL, "help build"), 0);
    static const char *const spellings[] = {"-h", "--help", "m.yaml -o x.svg --help"};
    for (size_t i = 0; i < 3; i++) {
        char *out, *err;
        assert_int_equal(test_jmap(&out, &err, "build %s", spellings[i]), 0);
        assert_string_equal(out, whole);
        assert_string_equal(err, "");
        free(out);
        free(err);
    }
    assert_true(strncmp(whole,
                        "usage: jmap build [options] MAP -o OUT\n"
                        "       jmap build [options] MAP... -O DIR [-f FORMAT]...\n",
                        96) == 0);
    free(whole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_usage_error_is_status_2_with_its_reason_and_writes_nothing),
        cmocka_unit_test(help_is_success_and_says_how_to_call_build),
    };
    return cmocka_run_group_tests_name("cmd_build", tests, NULL, NULL);
}
