#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <dirent.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jmap/jmap.h"
#include "jmap/load.h"

static char *slurp(FILE *f, size_t *len);

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open '%s'", path);
    char *buf = slurp(f, len);
    fclose(f);
    return buf;
}

void test_write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("cannot create '%s'", path);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

jmap_map *test_compile(jmap_arena *a, const char *yaml, jmap_diags *d)
{
    jmap_limits lim = jmap_limits_default();
    return jmap_compile(a, "test.yaml", yaml, strlen(yaml), &lim, d);
}

jmap_map *test_load(jmap_arena *a, const char *yaml, jmap_diags *d)
{
    jmap_limits lim = jmap_limits_default();
    return jmap_load_map(a, "test.yaml", yaml, strlen(yaml), &lim, d);
}

char *test_diags_text(const jmap_diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    jmap_diag_print_opts o = {.color = false, .excerpt = false};
    jmap_diags_print(d, f, &o);
    fclose(f);
    return buf;
}

const jmap_diag *test_diag_find(const jmap_diags *d, const char *code)
{
    for (size_t i = 0; i < d->n_items; i++) {
        if (d->items[i].code && strcmp(d->items[i].code, code) == 0)
            return &d->items[i];
    }
    return NULL;
}

void test_assert_diag_at(const jmap_diags *d, const char *code, unsigned line, unsigned col,
                         const char *file, int fline)
{
    for (size_t i = 0; i < d->n_items; i++) {
        const jmap_diag *g = &d->items[i];
        if (g->code && strcmp(g->code, code) == 0 && g->loc.line == line &&
            (col == 0 || g->loc.col == col))
            return;
    }
    char *all = test_diags_text(d);
    print_error("%s:%d: no [%s] at %u:%u among:\n%s", file, fline, code, line, col, all);
    free(all);
    fail();
}

/* Everything left in a stream, NUL-terminated (binary data may hold NULs: use *len). */
static char *slurp(FILE *f, size_t *len)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        buf = jmap_xgrow(buf, &cap, n + 65536, 1);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int test_run(const char *cmd, char **out, char **err)
{
    char errpath[] = "/tmp/jmap-test-stderr-XXXXXX";
    int fd = mkstemp(errpath);
    assert_true(fd >= 0);
    close(fd);
    char *full = jmap_xprintf("(%s) 2>%s", cmd, errpath);
    FILE *p = popen(full, "r");
    free(full);
    assert_non_null(p);
    char *o = slurp(p, NULL);
    int status = pclose(p);
    if (out)
        *out = o;
    else
        free(o);
    FILE *ef = fopen(errpath, "rb");
    char *e = ef ? slurp(ef, NULL) : jmap_xstrdup("");
    if (ef)
        fclose(ef);
    unlink(errpath);
    if (err)
        *err = e;
    else
        free(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_jmap(const char *prefix, char **out, char **err, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static int run_jmap(const char *prefix, char **out, char **err, const char *fmt, va_list ap)
{
    char *args = jmap_xvprintf(fmt, ap);
    const char *in = strchr(args, '<') ? "" : " </dev/null";
    char *cmd = jmap_xprintf("%s'%s' %s%s", prefix, JMAP_BINARY, args, in);
    int status = test_run(cmd, out, err);
    free(cmd);
    free(args);
    return status;
}

int test_jmap(char **out, char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int status = run_jmap("", out, err, fmt, ap);
    va_end(ap);
    return status;
}

int test_jmap_as(const char *prefix, char **out, char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int status = run_jmap(prefix, out, err, fmt, ap);
    va_end(ap);
    return status;
}

char *test_put(const char *dir, const char *name, const char *text)
{
    char *path = jmap_xprintf("%s/%s", dir, name);
    test_write_file(path, text, strlen(text));
    return path;
}

char *test_tmpdir(const char *name)
{
    char *path = jmap_xprintf("%s/test-tmp/%s", JMAP_BUILD_DIR, name);
    char *cmd = jmap_xprintf("rm -rf '%s' && mkdir -p '%s'", path, path);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return path;
}

/* ---- what a test needs from the machine ------------------------------------------------- */

/* Whether JMAP_TEST_ALLOW_MISSING ("all", or a list such as "qpdf,locale") names `what`. */
static bool allowed_missing(const char *what)
{
    const char *list = getenv("JMAP_TEST_ALLOW_MISSING");
    if (!list)
        return false;
    size_t n = strlen(what);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ", ");
        if ((len == 3 && strncmp(p, "all", 3) == 0) || (len == n && strncmp(p, what, n) == 0))
            return true;
        p += len;
        p += strspn(p, ", ");
    }
    return false;
}

/* Skip when the developer opted out of `what`, else fail: a test never passes by skipping. */
static void missing(const char *what, const char *why)
{
    if (allowed_missing(what)) {
        print_message("skipped: %s (JMAP_TEST_ALLOW_MISSING names '%s')\n", why, what);
        skip();
    }
    fail_msg("%s; or set JMAP_TEST_ALLOW_MISSING=%s to skip the tests that need it", why, what);
}

void test_need_tool(const char *tool, const char *package)
{
    char *cmd = jmap_xprintf("command -v '%s' >/dev/null", tool);
    int status = test_run(cmd, NULL, NULL);
    free(cmd);
    if (status == 0)
        return;
    char *why = jmap_xprintf("'%s' is not installed: apt-get install %s", tool, package);
    /* fail_msg and skip leave the test: the message must outlive them, so copy it. */
    char msg[256];
    snprintf(msg, sizeof msg, "%s", why);
    free(why);
    missing(tool, msg);
}

const char *test_need_program(const char *what, const char *env, const char *path,
                              const char *how)
{
    const char *set = getenv(env);
    const char *at = set && *set ? set : path;
    if (access(at, X_OK) == 0)
        return at;
    char msg[512];
    if (set && *set)
        snprintf(msg, sizeof msg, "%s is not installed at '%s', which %s names: %s", what, at, env,
                 how);
    else
        snprintf(msg, sizeof msg, "%s is not installed at '%s' (%s can name another path): %s",
                 what, at, env, how);
    missing(what, msg);
    return NULL;
}

void test_need_file(const char *path, const char *name, const char *package)
{
    if (access(path, R_OK) == 0)
        return;
    char msg[256];
    snprintf(msg, sizeof msg, "'%s' is missing: apt-get install %s", path, package);
    missing(name, msg);
}

void test_need_comma_locale(void)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                        "fr_FR.utf8",  "ru_RU.UTF-8", "nl_NL.UTF-8"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (setlocale(LC_ALL, names[i]) && strcmp(localeconv()->decimal_point, ",") == 0)
            return;
    }
    setlocale(LC_ALL, "C");
    missing("locale", "no locale with a decimal comma is installed (tried de_DE, fr_FR, ru_RU, "
                      "nl_NL): apt-get install locales && localedef -i de_DE -f UTF-8 de_DE.UTF-8");
}

void test_use_c_locale(void)
{
    setlocale(LC_ALL, "C");
}

void test_sparse_file(const char *path, long long size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)size), 0);
    close(fd);
}

int test_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* One folder under /tmp per build tree, so the clang and gcc builds of CI never share one. */
static char *shared_base(void)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)JMAP_BUILD_DIR; *p; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    return jmap_xprintf("/tmp/jmap-tests-%016llx", (unsigned long long)h);
}

char *test_shared_tmpdir(const char *name)
{
    char *base = shared_base();
    char *path = jmap_xprintf("%s/%s", base, name);
    char *cmd = jmap_xprintf("mkdir -p '%s' && chmod 0755 '%s' && rm -rf '%s' && mkdir -m 0755 "
                             "'%s'",
                             base, base, path, path);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(base);
    return path;
}

const char *test_unprivileged_prefix(void)
{
    static char *prefix;
    if (geteuid() != 0)
        return "";
    if (prefix)
        return prefix;
    /* The build tree may be out of that user's reach: give it copies of the font cache, a
     * fonts.conf naming that copy, and the leak suppressions. */
    char *env = test_shared_tmpdir("unprivileged-env");
    char *cmd = jmap_xprintf(
        "cp -r '%s/tests/fontcache' '%s/fontcache' && cp '%s/lsan.supp' '%s/' && "
        "sed 's|<cachedir>.*</cachedir>|<cachedir>%s/fontcache</cachedir>|' "
        "'%s/tests/fonts.conf' >'%s/fonts.conf' && chmod -R a+rX '%s'",
        JMAP_BUILD_DIR, env, JMAP_TEST_DIR, env, env, JMAP_BUILD_DIR, env, env);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    prefix = jmap_xprintf("env FONTCONFIG_FILE='%s/fonts.conf' "
                          "LSAN_OPTIONS=suppressions='%s/lsan.supp':print_suppressions=0 "
                          "setpriv --reuid=65534 --regid=65534 --clear-groups ",
                          env, env);
    free(env);
    return prefix;
}

void test_qpdf_check(const char *path)
{
    char *cmd = jmap_xprintf("qpdf --check '%s'", path);
    char *out = NULL;
    int rc = test_run(cmd, &out, NULL);
    if (rc != 0)
        print_error("%s", out);
    assert_int_equal(rc, 0);
    free(out);
    free(cmd);
}

void test_need_python_modules(const char *what, const char *imports, const char *packages)
{
    char *cmd = jmap_xprintf("/usr/bin/python3 -c 'import %s' 2>/dev/null", imports);
    int status = test_run(cmd, NULL, NULL);
    free(cmd);
    if (status == 0)
        return;
    char *why = jmap_xprintf("Debian's /usr/bin/python3 cannot import %s: apt-get install %s",
                             imports, packages);
    char msg[256];
    snprintf(msg, sizeof msg, "%s", why);
    free(why);
    missing(what, msg);
}

char *test_repeat(const char *unit, size_t bytes)
{
    size_t n = strlen(unit), k = 0;
    char *s = jmap_xmalloc(bytes + 1);
    while (k + n <= bytes) {
        memcpy(s + k, unit, n);
        k += n;
    }
    s[k] = '\0';
    return s;
}
