/* The arena: zeroed, aligned memory freed all at once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jmap/arena.h"

static void allocations_are_zeroed_and_aligned(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    for (size_t size = 1; size < 300; size += 7) {
        unsigned char *p = jmap_arena_alloc(a, size);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (size_t i = 0; i < size; i++)
            assert_int_equal(p[i], 0);
        memset(p, 0xAB, size);
    }
    jmap_arena_free(a);
}

static void big_and_many_allocations_survive_until_free(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    char *small = jmap_arena_strdup(a, "kept");
    char *big = jmap_arena_alloc(a, 1 << 20);
    big[(1 << 20) - 1] = 'z';
    char *more[1000];
    for (int i = 0; i < 1000; i++)
        more[i] = jmap_arena_printf(a, "item %d", i);
    assert_string_equal(small, "kept");
    assert_string_equal(more[999], "item 999");
    assert_int_equal(big[(1 << 20) - 1], 'z');
    assert_true(jmap_arena_used(a) >= (1 << 20));
    jmap_arena_free(a);
    jmap_arena_free(NULL);
}

static void strings_are_copied_with_their_length(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    assert_string_equal(jmap_arena_strndup(a, "abcdef", 3), "abc");
    assert_null(jmap_arena_strdup(a, NULL));
    int *v = jmap_arena_calloc(a, 100, sizeof(int));
    assert_int_equal(v[99], 0);
    jmap_arena_free(a);
}

static void grow_doubles_and_keeps_contents(void **state)
{
    (void)state;
    int *v = NULL;
    size_t cap = 0;
    for (int i = 0; i < 1000; i++) {
        v = jmap_xgrow(v, &cap, (size_t)i + 1, sizeof(int));
        v[i] = i;
    }
    assert_true(cap >= 1000);
    assert_int_equal(v[500], 500);
    free(v);
}

/* ---- sizes that would wrap size_t end the process, never a short allocation ------------- */

enum overflow { GROW_COUNT, GROW_BYTES, ALLOC_ROUNDED, CALLOC_PRODUCT };

/* The child's status when abort() was called: the handler exits, rather than dying of the
 * signal, so that a coverage build still writes the child's counts. */
#define ABORTED 86

static jmap_arena *child_arena; /* freed before that exit, so LeakSanitizer stays quiet */

static void exit_on_abort(int sig)
{
    (void)sig;
    jmap_arena_free(child_arena);
    exit(ABORTED);
}

/* Runs one overflowing request in a child; returns true when it called abort(), and what it
 * wrote to stderr. */
static bool overflow_in_child(enum overflow which, char *err, size_t errsize)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        signal(SIGABRT, exit_on_abort);
        jmap_arena *a = child_arena = jmap_arena_new();
        size_t cap = 0;
        void *p = NULL;
        switch (which) {
        case GROW_COUNT: /* the doubled capacity would pass SIZE_MAX */
            p = jmap_xgrow(NULL, &cap, SIZE_MAX / 2 + 2, 1);
            break;
        case GROW_BYTES: /* the count fits, count * size does not */
            p = jmap_xgrow(NULL, &cap, SIZE_MAX / 16 + 1, 16);
            break;
        case ALLOC_ROUNDED: /* rounding up to the alignment would wrap to a tiny size */
            p = jmap_arena_alloc(a, SIZE_MAX - 3);
            break;
        case CALLOC_PRODUCT: /* n * size wraps to 8 */
            p = jmap_arena_calloc(a, SIZE_MAX / 4 + 3, 4);
            break;
        }
        (void)p;
        _exit(0);
    }
    close(fds[1]);
    size_t len = 0;
    ssize_t got;
    while (len + 1 < errsize && (got = read(fds[0], err + len, errsize - 1 - len)) > 0)
        len += (size_t)got;
    err[len] = '\0';
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == ABORTED;
}

static void sizes_that_would_wrap_abort_with_one_line(void **state)
{
    (void)state;
    static const enum overflow cases[] = {GROW_COUNT, GROW_BYTES, ALLOC_ROUNDED, CALLOC_PRODUCT};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256];
        bool aborted = overflow_in_child(cases[i], err, sizeof err);
        /* what comes after that line can only be a coverage build's own notes at exit */
        if (!aborted || strncmp(err, "jmap: out of memory\n", 20) != 0)
            fail_msg("case %zu: %s, stderr '%s'", i, aborted ? "aborted" : "returned", err);
    }
}

static void calloc_and_grow_at_the_limit_still_work(void **state)
{
    (void)state;
    /* The overflow checks must not refuse what fits: 0 elements, and exact powers of two. */
    jmap_arena *a = jmap_arena_new();
    assert_non_null(jmap_arena_calloc(a, 0, SIZE_MAX));
    assert_non_null(jmap_arena_calloc(a, 1000, 0));
    unsigned *p = jmap_arena_calloc(a, 64, sizeof *p);
    for (int i = 0; i < 64; i++)
        assert_int_equal(p[i], 0);
    assert_int_equal(jmap_arena_used(a), 256);
    jmap_arena_free(a);
    size_t cap = 0;
    char *g = jmap_xgrow(NULL, &cap, 1024, 1);
    assert_int_equal(cap, 1024);
    free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocations_are_zeroed_and_aligned),
        cmocka_unit_test(big_and_many_allocations_survive_until_free),
        cmocka_unit_test(strings_are_copied_with_their_length),
        cmocka_unit_test(grow_doubles_and_keeps_contents),
        cmocka_unit_test(sizes_that_would_wrap_abort_with_one_line),
        cmocka_unit_test(calloc_and_grow_at_the_limit_still_work),
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
