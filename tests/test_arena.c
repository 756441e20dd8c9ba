/* The arena: zeroed, aligned memory freed all at once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocations_are_zeroed_and_aligned),
        cmocka_unit_test(big_and_many_allocations_survive_until_free),
        cmocka_unit_test(strings_are_copied_with_their_length),
        cmocka_unit_test(grow_doubles_and_keeps_contents),
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
