#ifndef JMAP_TEST_SUPPORT_H
#define JMAP_TEST_SUPPORT_H

/* Helpers shared by the test programs. Include after <cmocka.h>. */

#include <stdbool.h>
#include <stddef.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/model.h"

/** The body of a small valid map that draws without a warning: three-stage model, one persona,
 * a KPI and a touchpoint per stage. Put a "title: ...\n" line before it. */
/* clang-format off */
#define TEST_VALID_MAP_BODY \
    "model: three-stage\n" \
    "personas:\n" \
    "  - {id: ana, name: Ana}\n" \
    "stages:\n" \
    "  - id: pre-purchase\n" \
    "    kpis: [{name: Visits, target: 100, actual: 120}]\n" \
    "  - id: purchase\n" \
    "    kpis: [{name: Orders, target: 10, actual: 8}]\n" \
    "  - id: post-purchase\n" \
    "    kpis: [{name: Returns, target: 2, actual: 1, better: lower}]\n" \
    "touchpoints:\n" \
    "  - {stage: pre-purchase, name: Search, emotion: 1}\n" \
    "  - {stage: purchase, name: Checkout, emotion: -1}\n" \
    "  - {stage: post-purchase, name: Delivery, emotion: 2}\n"
/* clang-format on */

/** Create `path` as a sparse file of `size` bytes: a huge input that costs no disk. */
void test_sparse_file(const char *path, long long size);

/** A whole file, NUL-terminated; fails the test when it cannot be read. Caller frees. */
char *test_read_file(const char *path, size_t *len);

/** Write `len` bytes to `path`; fails the test on error. */
void test_write_file(const char *path, const char *data, size_t len);

/** Load, resolve and check YAML text as the file "test.yaml". Returns jmap_compile's result:
 * the model when there were no errors, else NULL. `d` must be initialised. */
jmap_map *test_compile(jmap_arena *a, const char *yaml, jmap_diags *d);

/** Load only (no resolve, no check). */
jmap_map *test_load(jmap_arena *a, const char *yaml, jmap_diags *d);

/** Every kept diagnostic printed one per line without excerpts. Caller frees. */
char *test_diags_text(const jmap_diags *d);

/** The first kept diagnostic with this code, or NULL. */
const jmap_diag *test_diag_find(const jmap_diags *d, const char *code);

/** Assert that a diagnostic with `code` exists at line:col (col 0: any column). Prints all
 * diagnostics when it fails. */
#define assert_diag_at(d, code, line, col) \
    test_assert_diag_at((d), (code), (line), (col), __FILE__, __LINE__)
void test_assert_diag_at(const jmap_diags *d, const char *code, unsigned line, unsigned col,
                         const char *file, int fline);

/** Run a shell command; capture stdout and stderr (either pointer may be NULL). Returns the exit
 * status, or -1 if it did not exit normally. */
int test_run(const char *cmd, char **out, char **err);

/** Run the built jmap with these arguments (a printf format; quote paths yourself) and standard
 * input from /dev/null unless the arguments redirect it ('<'), capturing its output like
 * test_run. Returns the exit status. */
int test_jmap(char **out, char **err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** test_jmap behind a command prefix, such as one that drops privileges ("setpriv ... "). */
int test_jmap_as(const char *prefix, char **out, char **err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** Write `text` to `dir`/`name`; returns the path, which the caller frees. */
char *test_put(const char *dir, const char *name, const char *text);

/* ---- what a test needs from the machine (docs/testing.md, "Tools and skips") ------------- */

/** Return when the program `tool` is on PATH. When it is not, fail the test with a message
 * naming the Debian `package` that installs it, or skip the test when the developer opted out:
 * JMAP_TEST_ALLOW_MISSING is "all" or a comma-separated list naming `tool`. Call it at the start
 * of a test, before anything is allocated (a skip leaves the test at once). */
void test_need_tool(const char *tool, const char *package);

/** The path of a program installed outside PATH at a known place: the environment variable
 * `env` when it is set, else `path`. When nothing executable is there, fail as
 * test_need_tool does, with `how` as the way to install it, or skip when
 * JMAP_TEST_ALLOW_MISSING names `what`. The result lives as long as the process. */
const char *test_need_program(const char *what, const char *env, const char *path,
                              const char *how);

/** test_need_tool for a file another package installs (bash-completion's script): `name` is
 * what JMAP_TEST_ALLOW_MISSING names to skip. */
void test_need_file(const char *path, const char *name, const char *package);

/** Return when Debian's /usr/bin/python3 can `import imports` ("jsonschema, yaml"); otherwise
 * fail naming the Debian `packages`, or skip when JMAP_TEST_ALLOW_MISSING is "all" or names
 * `what`. (`python3` on PATH may be another Python without Debian's modules.) */
void test_need_python_modules(const char *what, const char *imports, const char *packages);

/** Switch the whole process (LC_ALL) to an installed locale whose decimal point is a comma
 * (de_DE, fr_FR, ru_RU...), so a test can show that output does not depend on the locale. When
 * none is installed, fail naming the `locales` package and the localedef command, or skip when
 * JMAP_TEST_ALLOW_MISSING is "all" or names "locale". */
void test_need_comma_locale(void);

/** Back to the C locale. */
void test_use_c_locale(void);

/** A fresh empty directory that an unprivileged user can reach (under /tmp, since the build
 * tree may sit in a folder only its owner can enter, such as /root), for tests that drop root
 * to see file modes apply; caller frees the path. */
char *test_shared_tmpdir(const char *name);

/** The command prefix that runs jmap as uid 65534, so that file modes apply (root ignores
 * them), with the tests' fonts and sanitizer settings copied where that user can read them;
 * "" when not root. Lives as long as the process. */
const char *test_unprivileged_prefix(void);

/** `qpdf --check` passes on the PDF at `path` (the caller has asked test_need_tool for qpdf);
 * qpdf's report is printed when it does not. */
void test_qpdf_check(const char *path);

/** How many entries `dir` holds, besides "." and "..". */
int test_count_entries(const char *dir);

/** A fresh empty directory under the build tree, named after `name`; caller frees the path. */
char *test_tmpdir(const char *name);

/** `unit` written again and again while it fits in `bytes` bytes (no partial unit), for long
 * values. The caller frees it. */
char *test_repeat(const char *unit, size_t bytes);

#endif
