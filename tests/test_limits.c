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
#include "jmap/jmap.h"
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

/* ---- bytes that aliases add ------------------------------------------------------------- */

/* A 40-byte value used three times. Its scalars: title 5, T 1, x-v 3, the value 40, stages 6,
 * id 2, a 1, personas 8, id 2, p 1, name 4, P 1, goals 5 = 79 bytes as written, and 120 more
 * through the aliases: 199 in all, from a file of 126 bytes. */
#define VALUE "abcdefghijabcdefghijabcdefghijabcdefghij"
#define ALIASED                                                                                    \
    "title: T\nx-v: &v " VALUE "\nstages: [{id: a}]\n"                                             \
    "personas: [{id: p, name: P, goals: [*v, *v, *v]}]\n"

static void aliases_may_not_expand_the_text_past_the_input_size(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-alias-bytes");
    char *path = test_put(dir, "aliased.yaml", ALIASED);
    char *err;
    assert_int_equal(test_jmap(NULL, NULL, "check --max-input-size 199 '%s'", path), 0);
    /* One byte less: the third alias crosses it, and the message counts bytes. */
    assert_int_equal(test_jmap(NULL, &err, "check --max-input-size 198 '%s'", path), 1);
    assert_error_at(err, path, 4, 45, "alias-budget");
    assert_non_null(strstr(err, "more than 198 bytes"));
    assert_int_equal(count(err, ": error: "), 1);
    free(err);

    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    lim.max_input_bytes = 198;
    jmap_diags d;
    jmap_diags_init(&d);
    assert_null(jmap_load_map(a, "aliased.yaml", ALIASED, strlen(ALIASED), &lim, &d));
    assert_diag_at(&d, "alias-budget", 4, 45);
    jmap_diags_release(&d);
    jmap_arena_free(a);
    free(path);
    free(dir);
}

/* The security review's file: 185 KB whose 40,000 aliases of a 65,000-byte value made 2.6 GB of
 * text (12.7 s, 3.1 GB of memory). It now stops at the 516th alias, where 65,041 bytes written
 * and 516 x 65,000 pass 32 MiB: column 37 + 3 x 515 of line 4. */
static void an_alias_of_a_long_value_cannot_fill_the_memory(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-alias-long");
    text t;
    text_begin(&t);
    fputs("title: t\nx-big: &b \"", t.f);
    for (int i = 0; i < 65000; i++)
        fputc('a', t.f);
    fputs("\"\nstages: [{id: s}]\npersonas: [{id: p, name: P, goals: [*b", t.f);
    for (int i = 1; i < 40000; i++)
        fputs(",*b", t.f);
    fputs("]}]\n", t.f);
    char *y = text_end(&t);
    char *path = test_put(dir, "goals.yaml", y);
    char *err;
    assert_int_equal(test_jmap_as("timeout -s KILL 60 ", NULL, &err, "check '%s'", path), 1);
    assert_error_at(err, path, 4, 37 + 3 * 515, "alias-budget");
    free(err);
    free(path);
    free(y);
    free(dir);
}

/* A value is copied into the model once, whatever number of aliases use it. */
static void the_uses_of_an_aliased_value_share_one_copy(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_map *m = jmap_load_map(a, "aliased.yaml", ALIASED, strlen(ALIASED), &lim, &d);
    assert_non_null(m);
    assert_int_equal(m->n_personas, 1);
    assert_int_equal(m->personas[0].n_goals, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(m->personas[0].goals[i].s, VALUE);
        assert_ptr_equal(m->personas[0].goals[i].s, m->personas[0].goals[0].s);
    }
    jmap_diags_release(&d);
    jmap_arena_free(a);
}

/* ---- persona appearances ---------------------------------------------------------------- */

/* Three personas; the touchpoints belong to all three, to one and to two: 6 appearances. */
#define APPEARANCES                                                                                \
    "title: T\nstages: [{id: a}]\n"                                                                \
    "personas: [{id: p, name: P}, {id: q, name: Q}, {id: r, name: R}]\n"                           \
    "touchpoints:\n"                                                                               \
    "  - {stage: a, name: Everyone}\n"                                                             \
    "  - {stage: a, name: One, persona: p}\n"                                                      \
    "  - {stage: a, name: Two, personas: [p, q]}\n"

static void max_appearances_counts_each_persona_of_each_touchpoint(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-appearances");
    char *path = test_put(dir, "appear.yaml", APPEARANCES);
    char *err;
    assert_int_equal(test_jmap(NULL, NULL, "check --max-appearances 6 '%s'", path), 0);
    assert_int_equal(test_jmap(NULL, &err, "check --max-appearances 5 '%s'", path), 1);
    assert_error_at(err, path, 7, 5, "too-many");
    assert_non_null(strstr(err, "touchpoint 3 takes"));
    assert_int_equal(count(err, ": error: "), 1);
    free(err);
    /* A touchpoint with no persona counts all three. */
    assert_int_equal(test_jmap(NULL, &err, "check --max-appearances 2 '%s'", path), 1);
    assert_error_at(err, path, 5, 5, "too-many");
    assert_int_equal(count(err, ": error: "), 1);
    free(err);
    /* build refuses it before laying anything out */
    char *svg = jmap_xprintf("%s/appear.svg", dir);
    assert_int_equal(test_jmap(NULL, &err, "build --max-appearances 5 '%s' -o '%s'", path, svg),
                     1);
    assert_error_at(err, path, 7, 5, "too-many");
    free(err);
    struct stat st;
    assert_int_equal(stat(svg, &st), -1);
    assert_int_equal(test_jmap(NULL, &err, "check --max-appearances 0 '%s'", path), 2);
    free(err);

    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    for (size_t max = 5; max <= 6; max++) {
        jmap_diags d;
        jmap_diags_init(&d);
        lim.max_appearances = max;
        jmap_map *m = jmap_compile(a, "appear.yaml", APPEARANCES, strlen(APPEARANCES), &lim, &d);
        if (max == 6) {
            assert_non_null(m);
        } else {
            assert_null(m);
            assert_diag_at(&d, "too-many", 7, 5);
        }
        jmap_diags_release(&d);
    }
    jmap_arena_free(a);
    free(svg);
    free(path);
    free(dir);
}

/* The review's file: 1,000 personas and 2,000 aliased touchpoints that name none, 27 KB, were
 * two million appearances (--dump-layout 24 s and 3 GB; SVG killed after 60 s). The 101st
 * touchpoint, written as the anchor on line 2, passes 100,000. */
static void a_thousand_personas_times_every_touchpoint_is_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-appear-many");
    text t;
    text_begin(&t);
    fputs("title: t\nx-t: &t {stage: s, name: n, emotion: 1}\n"
          "x-u: &u {stage: s, name: n, emotion: -2}\n"
          "stages: [{id: s, kpis: [{name: k, target: 1, actual: 1}]}]\npersonas: [",
          t.f);
    for (int i = 0; i < 1000; i++)
        fprintf(t.f, "%s{id: p%d, name: P}", i ? ", " : "", i);
    fputs("]\ntouchpoints: [*t,*u", t.f);
    for (int i = 1; i < 1000; i++)
        fputs(",*t,*u", t.f);
    fputs("]\n", t.f);
    char *y = text_end(&t);
    char *path = test_put(dir, "many.yaml", y);
    char *svg = jmap_xprintf("%s/many.svg", dir);
    char *err;
    assert_int_equal(test_jmap_as("timeout -s KILL 60 ", NULL, &err, "build --dump-layout '%s'",
                                  path),
                     1);
    assert_error_at(err, path, 2, 6, "too-many");
    assert_non_null(strstr(err, "touchpoint 101 takes"));
    free(err);
    assert_int_equal(
        test_jmap_as("timeout -s KILL 60 ", NULL, &err, "build '%s' -o '%s'", path, svg), 1);
    assert_error_at(err, path, 2, 6, "too-many");
    free(err);
    free(svg);
    free(path);
    free(y);
    free(dir);
}

/* --split-personas draws every stage and stage KPI once per persona: 3 personas x (2 stages + 1
 * KPI) = 9 copies of the skeleton, counted against --max-appearances (the touchpoints' own 3
 * appearances are counted apart). */
#define SPLIT                                                                                      \
    "title: T\nstages: [{id: a, kpis: [{name: k, target: 1, actual: 1}]}, {id: b}]\n"              \
    "personas: [{id: p, name: P}, {id: q, name: Q}, {id: r, name: R}]\n"                           \
    "touchpoints:\n"                                                                               \
    "  - {stage: a, name: One, persona: p}\n"                                                      \
    "  - {stage: b, name: Two, persona: q}\n"                                                      \
    "  - {stage: b, name: Three, persona: r}\n"

static void split_personas_counts_the_stages_drawn_for_each_persona(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-split");
    char *path = test_put(dir, "split.yaml", SPLIT);
    char *svg = jmap_xprintf("%s/split.svg", dir);
    char *err;
    assert_int_equal(test_jmap(NULL, &err, "build --split-personas --max-appearances 8 '%s' -o '%s'",
                               path, svg),
                     1);
    char *head = jmap_xprintf("%s: error: --split-personas would draw 3 personas x 3 stages", path);
    assert_non_null(strstr(err, head));
    assert_non_null(strstr(err, "[too-many]"));
    free(head);
    free(err);
    struct stat st;
    assert_int_equal(stat(svg, &st), -1);
    /* without --split-personas the same limit is far enough */
    assert_int_equal(test_jmap(NULL, NULL, "build --max-appearances 8 '%s' -o '%s'", path, svg), 0);
    assert_int_equal(test_jmap(NULL, NULL, "build --split-personas --max-appearances 9 '%s' -o '%s'",
                               path, svg),
                     0);
    static const char *const ids[] = {"p", "q", "r"};
    for (size_t i = 0; i < 3; i++) {
        char *one = jmap_xprintf("%s/split.%s.svg", dir, ids[i]);
        assert_int_equal(stat(one, &st), 0);
        free(one);
    }
    free(svg);
    free(path);
    free(dir);
}

/* 1,000 personas and 1,000 stages with a KPI each, 94 KB: split, that was 1,000 SVGs of 3.2 MB,
 * 133 s and 3.7 GB of memory. Now refused at once, and nothing is written. */
static void split_personas_of_a_thousand_personas_and_stages_is_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-split-many");
    text t;
    text_begin(&t);
    fputs("title: t\nx-k: &k [{name: k, target: 1, actual: 1}]\nstages: [", t.f);
    for (int i = 0; i < 1000; i++)
        fprintf(t.f, "%s{id: s%d, kpis: *k}", i ? ", " : "", i);
    fputs("]\npersonas: [", t.f);
    for (int i = 0; i < 1000; i++)
        fprintf(t.f, "%s{id: p%d, name: P}", i ? ", " : "", i);
    fputs("]\ntouchpoints: [", t.f);
    for (int i = 0; i < 1000; i++)
        fprintf(t.f, "%s{stage: s%d, name: n, persona: p%d, emotion: 1}", i ? ", " : "", i, i);
    fputs("]\n", t.f);
    char *y = text_end(&t);
    char *path = test_put(dir, "many.yaml", y);
    char *out = jmap_xprintf("%s/out", dir);
    char *err;
    assert_int_equal(test_jmap_as("timeout -s KILL 60 ", NULL, &err,
                                  "build --split-personas '%s' --out-dir '%s'", path, out),
                     1);
    assert_non_null(strstr(err, "--split-personas would draw 1000 personas x 2000 stages"));
    assert_non_null(strstr(err, "[too-many]"));
    free(err);
    char *cmd = jmap_xprintf("test ! -e '%s' || test -z \"$(ls -A '%s')\"", out, out);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(out);
    free(path);
    free(y);
    free(dir);
}

/* ---- KPIs ------------------------------------------------------------------------------ */

/* Two KPIs on a stage and one on a touchpoint: 3. */
#define KPIS                                                                                       \
    "title: T\n"                                                                                   \
    "stages: [{id: a, kpis: [{name: k, target: 1, actual: 1}, {name: l, target: 1, actual: 1}]}]\n" \
    "personas: [{id: p, name: P}]\n"                                                               \
    "touchpoints:\n"                                                                               \
    "  - {stage: a, name: One, kpis: [{name: m, target: 1, actual: 1}]}\n"

static void max_kpis_counts_the_kpis_of_stages_and_touchpoints(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-kpis");
    char *path = test_put(dir, "kpis.yaml", KPIS);
    char *err;
    assert_int_equal(test_jmap(NULL, NULL, "check --max-kpis 3 '%s'", path), 0);
    assert_int_equal(test_jmap(NULL, &err, "check --max-kpis 2 '%s'", path), 1);
    assert_error_at(err, path, 5, 34, "too-many");
    assert_non_null(strstr(err, "more than 2 KPIs"));
    assert_int_equal(count(err, ": error: "), 1);
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "check --max-kpis 1 '%s'", path), 1);
    assert_error_at(err, path, 2, 58, "too-many");
    assert_int_equal(count(err, ": error: "), 1);
    free(err);
    free(path);
    free(dir);
}

/* 20,000 aliased touchpoints sharing an aliased list of 30 KPIs: 61 KB, 600,000 KPI boxes (11 s
 * and 1.6 GB only to lay out). Refused when the 100,001st KPI is counted. */
static void an_aliased_kpi_list_on_every_touchpoint_is_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-kpis-many");
    text t;
    text_begin(&t);
    fputs("title: t\nx-k: &k [", t.f);
    for (int i = 0; i < 30; i++)
        fprintf(t.f, "%s{name: k%d, target: 1, actual: 1}", i ? ", " : "", i);
    fputs("]\nx-t: &t {stage: s, persona: p, name: n, emotion: 1, kpis: *k}\n"
          "stages: [{id: s}]\npersonas: [{id: p, name: P}]\ntouchpoints: [*t",
          t.f);
    for (int i = 1; i < 20000; i++)
        fputs(",*t", t.f);
    fputs("]\n", t.f);
    char *y = text_end(&t);
    char *path = test_put(dir, "kpis.yaml", y);
    char *err;
    assert_int_equal(test_jmap_as("timeout -s KILL 60 ", NULL, &err, "build --dump-layout '%s'",
                                  path),
                     1);
    assert_non_null(strstr(err, "more than 100000 KPIs"));
    assert_non_null(strstr(err, "[too-many]"));
    assert_int_equal(count(err, ": error: "), 1);
    free(err);
    free(path);
    free(y);
    free(dir);
}

/* ---- size of a drawing ------------------------------------------------------------------ */

/* Cairo addresses +-2^23 units: a page 8,428,176 pt wide (49,000 touchpoints in one row, from
 * a 147 KB file) never finished as SVG or PDF. It is refused before drawing, and an earlier
 * output is kept. */
static void a_drawing_wider_than_cairo_can_address_is_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-extent");
    text t;
    text_begin(&t);
    fputs("title: t\nx-t: &t {stage: s, persona: p, name: n, emotion: 2}\n"
          "x-u: &u {stage: s, persona: p, name: n, emotion: -2}\n"
          "stages: [{id: s, kpis: [{name: k, target: 1, actual: 1}]}]\n"
          "personas: [{id: p, name: P}]\ntouchpoints: [*t,*u",
          t.f);
    for (int i = 1; i < 24500; i++)
        fputs(",*t,*u", t.f);
    fputs("]\n", t.f);
    char *y = text_end(&t);
    char *path = test_put(dir, "wide.yaml", y);
    static const char *const formats[] = {"svg", "pdf"};
    for (size_t i = 0; i < 2; i++) {
        char *out = jmap_xprintf("%s/wide.%s", dir, formats[i]);
        test_write_file(out, "old", 3);
        char *err;
        assert_int_equal(
            test_jmap_as("timeout -s KILL 60 ", NULL, &err, "build '%s' -o '%s'", path, out), 1);
        char *head = jmap_xprintf("%s: error: a drawing of ", out);
        assert_non_null(strstr(err, head));
        assert_non_null(strstr(err, "points is too large (at most 4000000 per side)"));
        assert_non_null(strstr(err, "[render-error]"));
        size_t len;
        char *kept = test_read_file(out, &len);
        assert_int_equal(len, 3);
        assert_memory_equal(kept, "old", 3);
        free(kept);
        free(head);
        free(err);
        free(out);
    }
    free(path);
    free(y);
    free(dir);
}

/* The tall way: one touchpoint with 260,000 aliased KPIs, a page 8,684,336 pt tall. With the
 * KPI limit raised (a map may raise it) the size of the drawing stops it. */
static void a_drawing_taller_than_cairo_can_address_is_refused(void **state)
{
    (void)state;
    char *dir = test_tmpdir("limits-extent-tall");
    text t;
    text_begin(&t);
    fputs("title: t\nx-k: &k {name: k, target: 1, actual: 1}\nstages: [{id: s}]\n"
          "personas: [{id: p, name: P}]\n"
          "touchpoints: [{stage: s, persona: p, name: n, kpis: [*k",
          t.f);
    for (int i = 1; i < 260000; i++)
        fputs(",*k", t.f);
    fputs("]}]\n", t.f);
    char *y = text_end(&t);
    char *path = test_put(dir, "tall.yaml", y);
    char *out = jmap_xprintf("%s/tall.pdf", dir);
    char *err;
    assert_int_equal(
        test_jmap_as("timeout -s KILL 60 ", NULL, &err, "build --max-kpis 300000 '%s' -o '%s'",
                     path, out),
        1);
    assert_non_null(strstr(err, "points is too large (at most 4000000 per side)"));
    assert_non_null(strstr(err, "[render-error]"));
    struct stat st;
    assert_int_equal(stat(out, &st), -1);
    free(err);
    free(out);
    free(path);
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
        cmocka_unit_test(aliases_may_not_expand_the_text_past_the_input_size),
        cmocka_unit_test(an_alias_of_a_long_value_cannot_fill_the_memory),
        cmocka_unit_test(the_uses_of_an_aliased_value_share_one_copy),
        cmocka_unit_test(max_appearances_counts_each_persona_of_each_touchpoint),
        cmocka_unit_test(a_thousand_personas_times_every_touchpoint_is_refused),
        cmocka_unit_test(split_personas_counts_the_stages_drawn_for_each_persona),
        cmocka_unit_test(split_personas_of_a_thousand_personas_and_stages_is_refused),
        cmocka_unit_test(max_kpis_counts_the_kpis_of_stages_and_touchpoints),
        cmocka_unit_test(an_aliased_kpi_list_on_every_touchpoint_is_refused),
        cmocka_unit_test(a_drawing_wider_than_cairo_can_address_is_refused),
        cmocka_unit_test(a_drawing_taller_than_cairo_can_address_is_refused),
    };
    return cmocka_run_group_tests_name("limits", tests, NULL, NULL);
}
