#ifndef JMAP_ARENA_H
#define JMAP_ARENA_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Memory. Everything derived from one input document (its model, the resolved stage list, the
 * layout scene) lives in one arena and is freed in one call; nodes have no free of their own.
 *
 * Out of memory is not an error jmap recovers from: the x-functions and the arena print
 * "jmap: out of memory" and abort(), as cmark and jq do, so callers never check for NULL.
 */

typedef struct jmap_arena jmap_arena;

/** A new, empty arena. Free it with jmap_arena_free(). */
jmap_arena *jmap_arena_new(void);

/** Free the arena and everything allocated in it. NULL is a no-op. */
void jmap_arena_free(jmap_arena *a);

/** Zeroed memory for one object of `size` bytes, aligned for any type; lives as long as `a`. */
void *jmap_arena_alloc(jmap_arena *a, size_t size);

/** Zeroed memory for an array of `n` objects of `size` bytes; aborts on overflow. */
void *jmap_arena_calloc(jmap_arena *a, size_t n, size_t size);

/** Copy of the first `n` bytes of `s`, NUL-terminated. */
char *jmap_arena_strndup(jmap_arena *a, const char *s, size_t n);

/** Copy of the NUL-terminated string `s`; NULL gives NULL. */
char *jmap_arena_strdup(jmap_arena *a, const char *s);

/** A formatted string in the arena (printf rules, C locale for numbers as jmap never sets one). */
char *jmap_arena_printf(jmap_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Bytes in use, for benchmarks and limits. */
size_t jmap_arena_used(const jmap_arena *a);

/* Heap helpers that abort on exhaustion. The caller frees the result with free(). */
void *jmap_xmalloc(size_t size);
void *jmap_xcalloc(size_t n, size_t size);
void *jmap_xrealloc(void *p, size_t size);
/** Grow an array to hold at least `need` items of `size` bytes, doubling; updates *cap. */
void *jmap_xgrow(void *p, size_t *cap, size_t need, size_t size);
char *jmap_xstrdup(const char *s);
char *jmap_xstrndup(const char *s, size_t n);
char *jmap_xvprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
char *jmap_xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growing NUL-terminated string on the heap: zero-initialise, put, then free(b.s). */
typedef struct jmap_strbuf {
    char *s; /* NULL until something is put (an empty put makes it "") */
    size_t len, cap;
} jmap_strbuf;

/** Append `n` bytes of `s`. */
void jmap_strbuf_put(jmap_strbuf *b, const char *s, size_t n);
/** Append a NUL-terminated string. */
void jmap_strbuf_puts(jmap_strbuf *b, const char *s);

#endif
