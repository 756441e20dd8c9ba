#define _GNU_SOURCE /* nftw, memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "support.h"

/*
 * The hostile-CI test: a folder of hostile maps with hostile file names is built the way a CI
 * job on a pull request builds it (build -O in every format, --check, --depfile, every
 * diagnostics format, check), and after every run we assert what docs/security.md promises:
 * nothing outside the output folder changed, no control byte but newline was printed, no byte
 * of a secret outside the tree reached any output, every PDF link is a plain /URI action, and
 * the run ended within a bound.
 */

#define SECRET "JMAPSECRET-5e1f0c"
#define RUN_BOUND_S 120 /* a hang, not a slow machine: the whole folder takes about a second */

static const char body[] = "model: three-stage\n"
                           "personas:\n"
                           "  - {id: ana, name: Ana}\n"
                           "touchpoints:\n"
                           "  - {stage: pre-purchase, name: Search, emotion: 1}\n"
                           "  - {stage: purchase, name: Checkout, emotion: -1, url: \"%s\"}\n"
                           "  - {stage: post-purchase, name: Delivery, emotion: 2}\n";

typedef struct fixture {
    char *root; /* holds secret/ and repo/ */
    char *repo; /* the checkout: maps/, lib/, out/ */
} fixture;

static void put_map(const char *dir, const char *name, const char *title, const char *model,
                    const char *url)
{
    char *text = jmap_xprintf("title: %s\n", title);
    char *rest = jmap_xprintf(body, url ? url : "https://example.com/");
    char *all = model ? jmap_xprintf("%smodel: %s\n%s", text, model, strchr(rest, '\n') + 1)
                      : jmap_xprintf("%s%s", text, rest);
    free(test_put(dir, name, all));
    free(all);
    free(rest);
    free(text);
}

/* Four values of just under the 64 KiB string limit, each of a kind Pango breaks differently. */
static void put_long_text_map(const char *dir)
{
    static const char *const units[] = {"a", "\xe6\x97\xa5", "e\xcc\x81\xcc\xa3",
                                        "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb"};
    static const char *const keys[] = {"action", "thought", "pain", "opportunity"};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fputs("title: Long text\nmodel: three-stage\npersonas:\n  - {id: ana, name: Ana}\n"
          "touchpoints:\n  - stage: purchase\n    name: Checkout\n",
          f);
    for (int k = 0; k < 4; k++) {
        fprintf(f, "    %s: \"", keys[k]);
        size_t unit = strlen(units[k]);
        for (size_t n = 0; n + unit < 65000; n += unit)
            fputs(units[k], f);
        fputs("\"\n", f);
    }
    fclose(f);
    char *path = jmap_xprintf("%s/long-text.yaml", dir);
    test_write_file(path, buf, len);
    free(path);
    free(buf);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->root = test_tmpdir("hostile-ci");
    fx->repo = jmap_xprintf("%s/repo", fx->root);
    char *cmd = jmap_xprintf("mkdir -p '%s/secret' '%s/maps/lib' '%s/out'", fx->root, fx->repo,
                             fx->repo);
    assert_int_equal(system(cmd), 0);
    free(cmd);

    /* The secret: a credentials file next to the checkout, as on a CI runner. */
    char *secret_dir = jmap_xprintf("%s/secret", fx->root);
    char *secret = test_put(secret_dir, "credentials.yaml",
                            "aws_secret_access_key: " SECRET "\n" SECRET ": x\n- " SECRET "\n");
    char *maps = jmap_xprintf("%s/maps", fx->repo);

    /* Paths that leave the tree: absolute, '..', and a symlink inside the tree. */
    put_map(maps, "abs-model.yaml", "Absolute model", secret, NULL);
    put_map(maps, "dotdot-model.yaml", "Dotdot model", "../../secret/credentials.yaml", NULL);
    char *link = jmap_xprintf("%s/lib/sneaky.yaml", maps);
    assert_int_equal(symlink(secret, link), 0);
    put_map(maps, "link-model.yaml", "Link model", "lib/sneaky.yaml", NULL);
    put_map(maps, "proc-model.yaml", "Proc model", "/proc/self/environ", NULL);
    /* A map that is itself a link out, which a glob over maps/ picks up. */
    char *creds = jmap_xprintf("%s/creds.yaml", maps);
    assert_int_equal(symlink("../../secret/credentials.yaml", creds), 0);
    free(creds);

    /* Links that try to be more than links. */
    put_map(maps, "url-js.yaml", "Javascript link", NULL,
            "https://e.com/)/Next<</S/JavaScript/JS(app.alert(1))>>/X(");
    put_map(maps, "url-backslash.yaml", "Backslash link", NULL, "https://e.com/a\\\\");
    put_map(maps, "url-quotes.yaml", "Quote link", NULL, "https://e.com/a'b\\\"c<d>e");

    /* Values that try to drive the terminal: ESC, OSC 52, C1, bidi. */
    put_map(maps, "controls.yaml", "\"Esc \\e[31mred\\e[0m osc \\e]52;c;aGk=\\a c1 \\x9b2J\"",
            NULL, NULL);
    put_map(maps, "bidi.yaml", "\"Bidi \\u202eevil\\u202c text\"", NULL, NULL);

    /* File names that try to forge lines, annotations and depfile rules. */
    put_map(maps, "evil\n::error file=forged.yaml,line=1::forged.yaml", "Newline name", NULL,
            NULL);
    put_map(maps, "osc\x1b]52;c;aGk=\x07.yaml", "Osc name", NULL, NULL);
    put_map(maps, "space #$:%.yaml", "Odd name", NULL, NULL);
    put_map(maps, "tab\there\x9b.yaml", "Tab name", NULL, NULL);
    put_map(maps, "not-utf8-\xff\xfe.yaml", "Not UTF-8 name", NULL, NULL);
    put_long_text_map(maps);

    /* Not a regular file: reading it must not block. */
    char *fifo = jmap_xprintf("%s/fifo.yaml", maps);
    assert_int_equal(mkfifo(fifo, 0644), 0);

    free(fifo);
    free(link);
    free(maps);
    free(secret);
    free(secret_dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    free(fx->root);
    free(fx->repo);
    free(fx);
    return 0;
}

/* --- a snapshot of everything outside the output folder --- */

static FILE *snap_out;
static const char *snap_skip;

static uint64_t hash_file(const char *path)
{
    uint64_t h = 0xcbf29ce484222325ull;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0)
        return 0;
    unsigned char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            h = (h ^ buf[i]) * 0x100000001b3ull;
    }
    close(fd);
    return h;
}

static int snap_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)type;
    (void)ftw;
    size_t skip = strlen(snap_skip);
    if (strncmp(path, snap_skip, skip) == 0 && (path[skip] == '\0' || path[skip] == '/'))
        return 0;
    uint64_t h = S_ISREG(st->st_mode) ? hash_file(path) : 0;
    fprintf(snap_out, "%s\t%o\t%lld\t%lld.%09ld\t%016llx\n", path, (unsigned)st->st_mode,
            (long long)st->st_size, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
            (unsigned long long)h);
    return 0;
}

/* One line per file and folder under root, except the output folder: its path, mode, size,
 * modification time and a hash of its bytes. */
static char *snapshot(const fixture *fx)
{
    char *buf = NULL;
    size_t len = 0;
    snap_out = open_memstream(&buf, &len);
    char *out = jmap_xprintf("%s/out", fx->repo);
    snap_skip = out;
    assert_int_equal(nftw(fx->root, snap_entry, 16, FTW_PHYS), 0);
    fclose(snap_out);
    free(out);
    return buf;
}

/* --- what every run must respect --- */

static void assert_no_control_bytes(const char *what, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool c1 = p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
        bool bidi = p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE;
        if ((*p < 0x20 && *p != '\n') || *p == 0x7F || c1 || bidi)
            fail_msg("%s holds control byte 0x%02x at offset %zu", what, *p,
                     (size_t)(p - (const unsigned char *)s));
    }
}

static void assert_no_secret(const char *what, const char *s, size_t len)
{
    if (memmem(s, len, SECRET, strlen(SECRET)))
        fail_msg("%s holds the secret", what);
}

/* A GitHub annotation line is jmap's own only when it starts one of jmap's commands; a file
 * name must never start a line of its own. */
static void assert_no_forged_lines(const char *what, const char *s)
{
    for (const char *line = s; *line;) {
        if (strncmp(line, "forged", 6) == 0 || strncmp(line, "::error file=forged", 19) == 0)
            fail_msg("%s has a forged line: %.60s", what, line);
        const char *nl = strchr(line, '\n');
        if (!nl)
            break;
        line = nl + 1;
    }
}

/* Every link annotation holds exactly one action, a /URI, and nothing that runs. */
static void assert_pdf_links_only_link(const char *pdf)
{
    char *cmd = jmap_xprintf("qpdf --json '%s'", pdf);
    char *out = NULL;
    assert_int_equal(test_run(cmd, &out, NULL), 0);
    free(cmd);
    /* As PDF names, not as text inside the URI string ("u:https://...JavaScript..."). */
    assert_null(strstr(out, "\"/JavaScript\""));
    assert_null(strstr(out, "\"/JS\""));
    assert_null(strstr(out, "\"/Launch\""));
    /* /Next chains actions; the stages' bookmarks (outline items: /Title, /Parent) chain too. */
    json *j = json_parse(out, strlen(out));
    assert_non_null(j);
    const json *objects = json_at(json_get(j, "qpdf"), 1);
    assert_non_null(objects);
    for (size_t i = 0; i < objects->n_items; i++) {
        const json *v = json_get(objects->items[i], "value");
        if (v && v->kind == JSON_OBJECT && json_get(v, "/Next") &&
            !(json_get(v, "/Title") && json_get(v, "/Parent")))
            fail_msg("%s: an object other than an outline item has /Next", pdf);
        if (!v || v->kind != JSON_OBJECT || !json_str(v, "/Subtype") ||
            strcmp(json_str(v, "/Subtype"), "/Link") != 0)
            continue;
        const json *a = json_get(v, "/A");
        assert_non_null(a);
        if (a->kind == JSON_STRING) { /* an indirect reference "N 0 R" */
            char *key = jmap_xprintf("obj:%s", a->string);
            a = json_get(json_get(objects, key), "value");
            free(key);
        }
        assert_non_null(a);
        assert_int_equal(a->kind, JSON_OBJECT);
        assert_string_equal(json_str(a, "/S"), "/URI");
        assert_non_null(json_str(a, "/URI"));
        for (size_t k = 0; k < a->n_items; k++) {
            const char *key = a->keys[k];
            if (strcmp(key, "/S") != 0 && strcmp(key, "/URI") != 0 && strcmp(key, "/Type") != 0)
                fail_msg("%s: a link action has '%s'", pdf, key);
        }
    }
    json_free(j);
    free(out);
}

static void check_outputs(const fixture *fx, size_t *n_pdfs, size_t *n_svgs)
{
    char *dir = jmap_xprintf("%s/out", fx->repo);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *path = jmap_xprintf("%s/%s", dir, e->d_name);
        size_t len;
        char *bytes = test_read_file(path, &len);
        assert_no_secret(path, bytes, len);
        free(bytes);
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".pdf") == 0) {
            assert_pdf_links_only_link(path);
            (*n_pdfs)++;
        } else if (n > 4 && strcmp(e->d_name + n - 4, ".svg") == 0) {
            /* xmllint reads the name from its argument: give it a plain copy. */
            char *plain = jmap_xprintf("%s/plain.svg", fx->root);
            size_t n_svg;
            char *svg = test_read_file(path, &n_svg);
            test_write_file(plain, svg, n_svg);
            char *cmd = jmap_xprintf("xmllint --noout '%s'", plain);
            assert_int_equal(test_run(cmd, NULL, NULL), 0);
            free(cmd);
            free(svg);
            free(plain);
            (*n_svgs)++;
        }
        free(path);
    }
    closedir(d);
    free(dir);
}

/* Run jmap from the checkout with a shell glob for the maps; assert the promises. */
static int run_ci_step(const fixture *fx, const char *args)
{
    char *before = snapshot(fx);
    char *cmd = jmap_xprintf("cd '%s' && timeout -s KILL %d '%s' %s </dev/null", fx->repo,
                             RUN_BOUND_S, JMAP_BINARY, args);
    char *out = NULL, *err = NULL;
    int status = test_run(cmd, &out, &err);
    if (status < 0 || status > 4) {
        print_error("jmap %s\nexit status %d\nstderr:\n%s\n", args, status, err);
        fail_msg("jmap ended with status %d (137: killed after %d s)", status, RUN_BOUND_S);
    }
    assert_no_control_bytes("stdout", out);
    assert_no_control_bytes("stderr", err);
    assert_no_secret("stdout", out, strlen(out));
    assert_no_secret("stderr", err, strlen(err));
    assert_no_forged_lines("stdout", out);
    assert_no_forged_lines("stderr", err);
    char *after = snapshot(fx);
    if (strcmp(before, after) != 0) {
        print_error("before:\n%s\nafter:\n%s\n", before, after);
        fail_msg("jmap %s changed files outside the output folder", args);
    }
    free(before);
    free(after);
    free(out);
    free(err);
    free(cmd);
    return status;
}

static void a_ci_job_on_hostile_maps_keeps_every_promise(void **state)
{
    const fixture *fx = *state;
    test_need_tool("qpdf", "qpdf");
    test_need_tool("xmllint", "libxml2-utils");
    static const char *const formats[] = {"text", "json", "sarif", "github"};
    for (int i = 0; i < 4; i++) {
        char *args = jmap_xprintf("build maps/*.yaml -O out -f svg -f pdf -f png "
                                  "--diagnostics %s",
                                  formats[i]);
        int status = run_ci_step(fx, args);
        assert_true(status == 1 || status == 3); /* some maps are bad; the others are drawn */
        free(args);
        args = jmap_xprintf("check maps/*.yaml --diagnostics %s", formats[i]);
        assert_true(run_ci_step(fx, args) >= 1);
        free(args);
        args = jmap_xprintf("build --check maps/*.yaml -O out -f svg -f pdf --diagnostics %s",
                            formats[i]);
        run_ci_step(fx, args);
        free(args);
    }
    /* An output folder committed as a link out of the checkout is refused, nothing written. */
    char *link = jmap_xprintf("%s/public", fx->repo);
    assert_int_equal(symlink("../secret", link), 0);
    assert_int_equal(run_ci_step(fx, "build maps/url-js.yaml -O public -f svg"), 2);
    assert_int_equal(run_ci_step(fx, "build maps/url-js.yaml -o public/x.pdf"), 2);
    assert_int_equal(unlink(link), 0);
    free(link);

    /* A depfile cannot name a file with a newline or a tab: refused, not forged. */
    run_ci_step(fx, "build maps/*.yaml -O out -f pdf --depfile out/maps.d");

    size_t n_pdfs = 0, n_svgs = 0;
    check_outputs(fx, &n_pdfs, &n_svgs);
    /* The good maps were drawn: the three link maps, the odd names, the long text. */
    assert_true(n_pdfs >= 6);
    assert_true(n_svgs >= 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_ci_job_on_hostile_maps_keeps_every_promise, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
