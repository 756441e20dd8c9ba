#define _DEFAULT_SOURCE /* wait4() */
/* Every limit of docs/limits.md, through the API and through the jmap program: just under it a
 * map works, just over it the documented diagnostic names the documented place. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "jmap/load.h"
#include "support.h"

/* The smallest valid map; limit tests add to it. */
#define BASE "title: T\nstages: [{id: a}]\npersonas: [{id: p, name: P}]\n"

/* A growing text: a memstream, closed by text_end. */
typedef struct text {
    FILE *f;
    char *s;
    size_t len;
} text;

static void text_begin(text *t)
{
    t->s = NULL;
    t->len = 0;
    t->f = open_memstream(&t->s, &t->len);
    assert_non_null(t->f);
}

static char *text_end(text *t)
{
    assert_int_equal(fclose(t->f), 0);
    return t->s;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* Asserts that `err` holds "file:line:col: error: ... [code]" on one line. */
static void assert_error_at(const char *err, const char *file, unsigned line, unsigned col,
                            const char *code)
{
    char *head = jmap_xprintf("%s:%u:%u: error: ", file, line, col);
    char *tail = jmap_xprintf("[%s]", code);
    const char *at = strstr(err, head);
    const char *eol = at ? strchr(at, '\n') : NULL;
    const char *c = at ? strstr(at, tail) : NULL;
    if (!at || !c || (eol && c > eol))
        fail_msg("no '%s...%s' in:\n%s", head, tail, err);
    free(head);
    free(tail);
}

/* ---- input size ------------------------------------------------------------------------- */

static void read_file_takes_a_file_of_exactly_the_limit(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-read");
    char *path = test_put(dir, "map.yaml", BASE);
    jmap_limits lim = jmap_limits_default();
    lim.max_input_bytes = strlen(BASE);
    jmap_diags d;
    jmap_diags_init(&d);
    size_t len = 0;
    bool io = true;
    char *t = jmap_read_file(path, &len, &lim, &d, &io);
    assert_non_null(t);
    assert_int_equal(len, strlen(BASE));
    assert_false(io);
    assert_int_equal(d.n_items, 0);
    free(t);
    lim.max_input_bytes--;
    assert_null(jmap_read_file(path, &len, &lim, &d, &io));
    assert_false(io);
    assert_non_null(test_diag_find(&d, "too-large"));
    jmap_diags_release(&d);
    free(path);
    free(dir);
}

static void max_input_size_refuses_one_byte_more_from_a_file_or_stdin(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-input");
    char *path = test_put(dir, "map.yaml", BASE);
    size_t n = strlen(BASE);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "check --max-input-size %zu '%s'", n, path), 0);
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check --max-input-size %zu '%s'", n - 1, path), 1);
    char *want = jmap_xprintf("%s: error: '%s' is %zu bytes, more than the limit of %zu "
                              "[too-large]\n",
                              path, path, n, n - 1);
    assert_string_equal(err, want);
    free(want);
    free(err);

    /* Standard input: a regular file is measured, a pipe is read up to the limit. */
    assert_int_equal(test_jmap(NULL, NULL, "check --max-input-size %zu - <'%s'", n, path), 0);
    assert_int_equal(test_jmap(NULL, &err, "check --max-input-size %zu - <'%s'", n - 1, path), 1);
    assert_non_null(strstr(err, "'<stdin>' is"));
    assert_non_null(strstr(err, "[too-large]"));
    free(err);
    char *cmd = jmap_xprintf("cat '%s' | '%s' check --max-input-size %zu -", path, JMAP_BINARY, n);
    assert_int_equal(test_run(cmd, NULL, NULL), 0);
    free(cmd);
    cmd = jmap_xprintf("cat '%s' | '%s' check --max-input-size %zu -", path, JMAP_BINARY, n - 1);
    assert_int_equal(test_run(cmd, NULL, &err), 1);
    want = jmap_xprintf("<stdin>: error: '<stdin>' is more than the limit of %zu bytes "
                        "[too-large]\n",
                        n - 1);
    assert_string_equal(err, want);
    free(want);
    free(err);
    free(cmd);
    /* An endless pipe ends at the default limit, not in a hang. */
    cmd = jmap_xprintf("yes 'x-a: b' | '%s' check -", JMAP_BINARY);
    assert_int_equal(test_run(cmd, NULL, &err), 1);
    assert_non_null(strstr(err, "more than the limit of 33554432 bytes [too-large]"));
    free(err);
    free(cmd);
    free(path);
    free(dir);
}

static void a_fifty_megabyte_file_is_refused_without_being_read(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-50mb");
    char *path = jmap_xprintf("%s/big.yaml", dir);
    test_sparse_file(path, 50 * 1024 * 1024);
    char *errpath = jmap_xprintf("%s/stderr", dir);
    /* A forked child's peak RSS counts what it shared with this process before exec: under
     * Valgrind that alone is over the bound, and the child's own peak cannot be told apart. */
    struct rusage self;
    assert_int_equal(getrusage(RUSAGE_SELF, &self), 0);
    bool can_measure = self.ru_maxrss < 32 * 1024;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int e = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null = open("/dev/null", O_RDWR);
        if (e < 0 || null < 0)
            _exit(126);
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(e, STDERR_FILENO);
        execl(JMAP_BINARY, "jmap", "check", path, (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    assert_int_equal(wait4(pid, &status, 0, &ru), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    /* Reading 50 MB would make the peak at least that; the sanitizers' own cost is less. */
    if (can_measure)
        assert_true(ru.ru_maxrss < 64 * 1024);
    else
        print_message("this process already peaked at %ld KB: the child's peak is not checked\n",
                      self.ru_maxrss);
    char *err = test_read_file(errpath, NULL);
    char *want = jmap_xprintf("%s: error: '%s' is 52428800 bytes, more than the limit of "
                              "33554432 [too-large]\n",
                              path, path);
    assert_string_equal(err, want);
    free(want);
    free(err);
    unlink(path);
    free(errpath);
    free(path);
    free(dir);
}

/* ---- nesting depth ---------------------------------------------------------------------- */

/* BASE plus "x-deep: " and `n` nested flow sequences: the document nests n + 1 deep. */
static char *deep_flow(unsigned n)
{
    text t;
    text_begin(&t);
    fputs(BASE "x-deep: ", t.f);
    for (unsigned i = 0; i < n; i++)
        fputc('[', t.f);
    fputc('1', t.f);
    for (unsigned i = 0; i < n; i++)
        fputc(']', t.f);
    fputc('\n', t.f);
    return text_end(&t);
}

/* BASE plus a block mapping nested n deep under "x-deep:" (n + 1 with the top level). */
static char *deep_block(unsigned n)
{
    text t;
    text_begin(&t);
    fputs(BASE "x-deep:\n", t.f);
    for (unsigned i = 1; i <= n; i++)
        fprintf(t.f, "%*sk:%s\n", (int)i, "", i == n ? " 1" : "");
    return text_end(&t);
}

static void depth_sixty_four_loads_and_sixty_five_is_refused(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    for (int block = 0; block < 2; block++) {
        for (unsigned depth = 64; depth <= 65; depth++) {
            char *y = block ? deep_block(depth - 1) : deep_flow(depth - 1);
            jmap_diags d;
            jmap_diags_init(&d);
            jmap_map *m = jmap_load_map(a, "deep.yaml", y, strlen(y), &lim, &d);
            if (depth == 64) {
                assert_non_null(m);
                assert_int_equal(d.n_errors, 0);
            } else {
                assert_null(m);
                assert_int_equal(d.n_errors, 1);
                /* The 65th collection: flow, the 64th '[' after "x-deep: " on line 4; block,
                 * the mapping on line 4 + 64 at its indentation + 1. */
                if (block)
                    assert_diag_at(&d, "too-deep", 4 + 64, 65);
                else
                    assert_diag_at(&d, "too-deep", 4, 8 + 64);
            }
            jmap_diags_release(&d);
            free(y);
        }
    }
    jmap_arena_free(a);
}

static void max_depth_moves_the_limit_on_the_command_line(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-depth");
    char *y = deep_flow(9);
    char *path = test_put(dir, "deep.yaml", y);
    char *err;
    assert_int_equal(test_jmap(NULL, NULL, "check --max-depth 10 '%s'", path), 0);
    assert_int_equal(test_jmap(NULL, &err, "check --max-depth 9 '%s'", path), 1);
    assert_error_at(err, path, 4, 8 + 9, "too-deep");
    assert_non_null(strstr(err, "nested deeper than the limit of 9"));
    free(err);
    /* The default admits 64. */
    free(y);
    y = deep_flow(64);
    free(path);
    path = test_put(dir, "deeper.yaml", y);
    assert_int_equal(test_jmap(NULL, &err, "check '%s'", path), 1);
    assert_error_at(err, path, 4, 8 + 64, "too-deep");
    free(err);
    assert_int_equal(test_jmap(NULL, NULL, "check --max-depth 65 '%s'", path), 0);
    free(y);
    free(path);
    free(dir);
}

/* ---- nodes after alias expansion -------------------------------------------------------- */

/* 25 nodes: 15 in BASE, 5 in x-k and its list, 1 for x-l and 4 more where *k expands. */
#define NODES BASE "x-k: &k [1, 2, 3]\nx-l: *k\n"

static void max_nodes_counts_alias_expansion_to_the_node(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-nodes");
    char *path = test_put(dir, "nodes.yaml", NODES);
    char *err;
    assert_int_equal(test_jmap(NULL, NULL, "check --max-nodes 25 '%s'", path), 0);
    /* The alias crosses the budget... */
    assert_int_equal(test_jmap(NULL, &err, "check --max-nodes 24 '%s'", path), 1);
    assert_error_at(err, path, 5, 6, "alias-budget");
    free(err);
    /* ... or, with a smaller one, a plain node does: the third item of the list. */
    assert_int_equal(test_jmap(NULL, &err, "check --max-nodes 19 '%s'", path), 1);
    assert_error_at(err, path, 4, 16, "too-many-nodes");
    assert_int_equal(count(err, ": error: "), 1);
    free(err);

    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    for (size_t max = 24; max <= 25; max++) {
        jmap_diags d;
        jmap_diags_init(&d);
        lim.max_nodes = max;
        jmap_map *m = jmap_load_map(a, "nodes.yaml", NODES, strlen(NODES), &lim, &d);
        if (max == 25) {
            assert_non_null(m);
            assert_int_equal(d.n_errors, 0);
        } else {
            assert_null(m);
            assert_diag_at(&d, "alias-budget", 5, 6);
        }
        jmap_diags_release(&d);
    }
    jmap_arena_free(a);
    free(path);
    free(dir);
}

/* ---- length of one value ---------------------------------------------------------------- */

static void max_string_counts_bytes_not_characters(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-string");
    text t;
    text_begin(&t);
    fputs("title: ", t.f);
    for (int i = 0; i < 10; i++)
        fputs("\xc3\xa9", t.f); /* é: 20 bytes in 10 characters */
    fputs("\nstages: [{id: a}]\npersonas: [{id: p, name: P}]\n", t.f);
    char *y = text_end(&t);
    char *path = test_put(dir, "long.yaml", y);
    char *err;
    assert_int_equal(test_jmap(NULL, NULL, "check --max-string 20 '%s'", path), 0);
    assert_int_equal(test_jmap(NULL, &err, "check --max-string 19 '%s'", path), 1);
    assert_error_at(err, path, 1, 8, "string-too-long");
    assert_non_null(strstr(err, "a value of 20 bytes is longer than the limit of 19"));
    free(err);
    free(path);
    free(y);

    /* The default: 65,536 bytes of a block scalar load, one more does not. */
    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    for (size_t n = 65536; n <= 65537; n++) {
        text_begin(&t);
        fputs(BASE "x-long: ", t.f);
        for (size_t i = 0; i < n; i++)
            fputc('x', t.f);
        fputc('\n', t.f);
        y = text_end(&t);
        jmap_diags d;
        jmap_diags_init(&d);
        jmap_map *m = jmap_load_map(a, "long.yaml", y, strlen(y), &lim, &d);
        if (n == 65536) {
            assert_non_null(m);
            assert_int_equal(d.n_errors, 0);
        } else {
            assert_null(m);
            assert_diag_at(&d, "string-too-long", 4, 9);
        }
        jmap_diags_release(&d);
        free(y);
    }
    jmap_arena_free(a);
    free(dir);
}

/* ---- touchpoints, personas, stages ------------------------------------------------------ */

/* A map with `n` of one kind of list item (0 touchpoints, 1 personas, 2 stages), each on its
 * own line; the first item is on line 5. */
static char *many(int kind, size_t n)
{
    text t;
    text_begin(&t);
    fputs("title: T\n", t.f);
    if (kind != 1)
        fputs("personas: [{id: p, name: P}]\n", t.f);
    if (kind != 2)
        fputs("stages: [{id: a}]\n", t.f);
    if (kind != 0)
        fputs("x-pad: 1\n", t.f);
    fputs(kind == 0 ? "touchpoints:\n" : kind == 1 ? "personas:\n" : "stages:\n", t.f);
    for (size_t i = 0; i < n; i++) {
        if (kind == 0)
            fprintf(t.f, "  - {stage: a, name: t%zu}\n", i);
        else if (kind == 1)
            fprintf(t.f, "  - {id: p%zu, name: P}\n", i);
        else
            fprintf(t.f, "  - {id: s%zu}\n", i);
    }
    if (kind == 2)
        fputs("touchpoints: [{stage: s0, name: t}]\n", t.f);
    return text_end(&t);
}

static void each_list_limit_admits_its_count_and_refuses_the_next_item(void **state)
{
    (void)state;
    static const char *const opts[] = {"--max-touchpoints", "--max-personas", "--max-stages"};
    char *dir = test_tmpdir("limits-lists");
    for (int kind = 0; kind < 3; kind++) {
        char *y = many(kind, 7);
        char *path = test_put(dir, "list.yaml", y);
        char *err;
        assert_int_equal(test_jmap(NULL, NULL, "check %s 7 '%s'", opts[kind], path), 0);
        assert_int_equal(test_jmap(NULL, &err, "check %s 6 '%s'", opts[kind], path), 1);
        /* The seventh item, on line 5 + 6, at its '{'. */
        assert_error_at(err, path, 11, 5, "too-many");
        free(err);
        free(path);
        free(y);
    }
    free(dir);
}

static void load_map_applies_the_default_list_limits(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    for (int kind = 1; kind < 3; kind++) {
        for (size_t n = 1000; n <= 1001; n++) {
            char *y = many(kind, n);
            jmap_diags d;
            jmap_diags_init(&d);
            jmap_map *m = jmap_load_map(a, "list.yaml", y, strlen(y), &lim, &d);
            assert_non_null(m);
            assert_int_equal(kind == 1 ? m->n_personas : m->n_map_stages, 1000);
            if (n == 1000) {
                assert_int_equal(d.n_errors, 0);
            } else {
                assert_int_equal(d.n_errors, 1);
                assert_diag_at(&d, "too-many", 5 + 1000, 5);
            }
            jmap_diags_release(&d);
            free(y);
        }
    }
    /* And a smaller one given by the caller. */
    lim.max_touchpoints = 3;
    char *y = many(0, 4);
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_map *m = jmap_load_map(a, "list.yaml", y, strlen(y), &lim, &d);
    assert_int_equal(m->n_touchpoints, 3);
    assert_diag_at(&d, "too-many", 8, 5);
    jmap_diags_release(&d);
    free(y);
    jmap_arena_free(a);
}

static void a_stage_model_file_has_the_stage_limit_too(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-model");
    text t;
    text_begin(&t);
    fputs("id: big\nname: Big\nstages:\n", t.f);
    for (int i = 0; i < 5; i++)
        fprintf(t.f, "  - {id: s%d, name: S%d}\n", i, i);
    char *model = text_end(&t);
    char *model_path = test_put(dir, "big-model.yaml", model);
    char *path = test_put(dir, "map.yaml",
                     "title: T\nmodel: big-model.yaml\n"
                     "personas: [{id: p, name: P}]\n"
                     "touchpoints: [{stage: s0, name: t}]\n");
    char *err;
    assert_int_equal(test_jmap(NULL, NULL, "check --max-stages 5 '%s'", path), 0);
    assert_int_equal(test_jmap(NULL, &err, "check --max-stages 4 '%s'", path), 1);
    assert_error_at(err, model_path, 8, 5, "too-many");
    free(err);

    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    lim.max_stages = 4;
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_stage_model *m = jmap_load_stage_model(a, "m.yaml", model, strlen(model), &lim, &d);
    assert_non_null(m);
    assert_int_equal(m->n_stages, 4);
    assert_int_equal(d.n_errors, 1);
    assert_diag_at(&d, "too-many", 8, 5);
    jmap_diags_release(&d);
    jmap_arena_free(a);
    free(path);
    free(model_path);
    free(model);
    free(dir);
}

/* ---- diagnostics printed per file ------------------------------------------------------- */

/* A map with `n` unknown stages: n errors, one per touchpoint. */
static char *n_errors(int n)
{
    text t;
    text_begin(&t);
    fputs(BASE "touchpoints:\n", t.f);
    for (int i = 0; i < n; i++)
        fprintf(t.f, "  - {stage: nowhere%d, name: T}\n", i);
    return text_end(&t);
}

static void max_errors_applies_to_each_file_and_says_exactly_how_many_more(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-errors");
    char *y = n_errors(4);
    char *one = test_put(dir, "one.yaml", y);
    char *two = test_put(dir, "two.yaml", y);
    char *err;
    /* Exactly the cap: every error, and no closing line. */
    assert_int_equal(test_jmap(NULL, &err, "check --max-errors 4 '%s'", one), 1);
    assert_int_equal(count(err, ": error: "), 4);
    assert_null(strstr(err, "not shown"));
    free(err);
    /* One over, in each of two files: three errors and one closing line per file. */
    assert_int_equal(test_jmap(NULL, &err, "check --max-errors 3 '%s' '%s'", one, two), 1);
    assert_int_equal(count(err, ": error: "), 6);
    assert_int_equal(count(err, "one.yaml: note: 1 more diagnostic not shown"), 1);
    assert_int_equal(count(err, "two.yaml: note: 1 more diagnostic not shown"), 1);
    assert_int_equal(count(err, "not shown"), 2);
    free(err);
    free(y);
    /* The default is 50; 0 shows all. */
    y = n_errors(51);
    free(test_put(dir, "one.yaml", y));
    assert_int_equal(test_jmap(NULL, &err, "check '%s'", one), 1);
    assert_int_equal(count(err, ": error: "), 50);
    assert_int_equal(count(err, "not shown"), 1);
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check --max-errors 0 '%s'", one), 1);
    assert_int_equal(count(err, ": error: "), 51);
    assert_null(strstr(err, "not shown"));
    free(err);
    free(y);
    free(one);
    free(two);
    free(dir);
}

/* ---- PNG size --------------------------------------------------------------------------- */

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static void a_png_too_wide_is_refused_and_the_suggested_dpi_works(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-png");
    text t;
    text_begin(&t);
    fputs("title: Wide\nmodel: classic\npersonas: [{id: p, name: P}]\ntouchpoints:\n", t.f);
    static const char *const stages[] = {"awareness", "consideration", "decision", "retention"};
    for (int i = 0; i < 100; i++)
        fprintf(t.f, "  - {stage: %s, name: Step %d, emotion: %d}\n", stages[i / 25], i, i % 5 - 2);
    char *y = text_end(&t);
    char *map = test_put(dir, "wide.yaml", y);
    char *png = jmap_xprintf("%s/wide.png", dir);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s'", map, png), 1);
    assert_non_null(strstr(err, "pixels is too large"));
    assert_non_null(strstr(err, "[render-error]"));
    const char *hint = strstr(err, "use --dpi ");
    assert_non_null(hint);
    unsigned dpi = (unsigned)strtoul(hint + strlen("use --dpi "), NULL, 10);
    assert_true(dpi >= 9 && dpi < 144);
    free(err);
    struct stat st;
    assert_int_equal(stat(png, &st), -1);

    assert_int_equal(test_jmap(NULL, &err, "build --dpi %u '%s' -o '%s'", dpi + 1, map, png), 1);
    assert_non_null(strstr(err, "[render-error]"));
    free(err);
    assert_int_equal(test_jmap(NULL, NULL, "build --dpi %u '%s' -o '%s'", dpi, map, png), 0);
    size_t len;
    unsigned char *bytes = (unsigned char *)test_read_file(png, &len);
    assert_true(len > 24);
    assert_memory_equal(bytes, "\x89PNG\r\n\x1a\n", 8);
    unsigned long w = be32(bytes + 16), h = be32(bytes + 20);
    assert_true(w <= 32767 && w > 32767 * dpi / (dpi + 1) - 1);
    assert_true(h > 0 && w * h <= 400000000);
    free(bytes);
    free(png);
    free(map);
    free(y);
    free(dir);
}

/* ---- the defaults admit a large map ----------------------------------------------------- */

static void the_defaults_admit_a_hundred_thousand_touchpoints(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-100k");
    char *path = jmap_xprintf("%s/huge.yaml", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    static const char *const stages[] = {"awareness", "consideration", "decision", "retention"};
    fputs("title: A hundred thousand touchpoints\nmodel: classic\nstages:\n", f);
    for (int s = 0; s < 4; s++)
        fprintf(f, "  - {id: %s, kpis: [{name: Reach, target: 10, actual: 12}]}\n", stages[s]);
    fputs("personas:\n  - {id: ana, name: Ana}\n  - {id: bo, name: Bo}\ntouchpoints:\n", f);
    for (int i = 0; i < 100000; i++)
        fprintf(f,
                "  - stage: %s\n    persona: %s\n    name: Touchpoint number %d\n"
                "    channel: web\n    action: Does step %d of the journey on the site\n"
                "    emotion: %d\n",
                stages[i / 25000], i % 2 ? "ana" : "bo", i, i, i % 5 - 2);
    assert_int_equal(fclose(f), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 10 * 1000 * 1000);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "check --werror '%s'", path), 0);
    assert_string_equal(err, "");
    free(err);
    unlink(path);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(read_file_takes_a_file_of_exactly_the_limit),
        cmocka_unit_test(max_input_size_refuses_one_byte_more_from_a_file_or_stdin),
        cmocka_unit_test(a_fifty_megabyte_file_is_refused_without_being_read),
        cmocka_unit_test(depth_sixty_four_loads_and_sixty_five_is_refused),
        cmocka_unit_test(max_depth_moves_the_limit_on_the_command_line),
        cmocka_unit_test(max_nodes_counts_alias_expansion_to_the_node),
        cmocka_unit_test(max_string_counts_bytes_not_characters),
        cmocka_unit_test(each_list_limit_admits_its_count_and_refuses_the_next_item),
        cmocka_unit_test(load_map_applies_the_default_list_limits),
        cmocka_unit_test(a_stage_model_file_has_the_stage_limit_too),
        cmocka_unit_test(max_errors_applies_to_each_file_and_says_exactly_how_many_more),
        cmocka_unit_test(a_png_too_wide_is_refused_and_the_suggested_dpi_works),
        cmocka_unit_test(the_defaults_admit_a_hundred_thousand_touchpoints),
    };
    return cmocka_run_group_tests_name("limits", tests, NULL, NULL);
}
