#include "jmap/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A chunk list with bump allocation. Under JMAP_ARENA_MALLOC_EACH (set by the sanitizer build)
 * every allocation is its own malloc(), so AddressSanitizer sees overflows between objects.
 */

#define ALIGN 16u
#define CHUNK_MIN (64u * 1024u)

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} chunk;

struct jmap_arena {
    chunk *head;
    size_t used;
};

static void die_oom(void)
{
    fputs("jmap: out of memory\n", stderr);
    abort();
}

void *jmap_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        die_oom();
    return p;
}

void *jmap_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die_oom();
    return p;
}

void *jmap_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        die_oom();
    return q;
}

void *jmap_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            die_oom();
        n *= 2;
    }
    if (size && n > SIZE_MAX / size)
        die_oom();
    *cap = n;
    return jmap_xrealloc(p, n * size);
}

char *jmap_xstrndup(const char *s, size_t n)
{
    char *d = jmap_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *jmap_xstrdup(const char *s)
{
    return jmap_xstrndup(s, strlen(s));
}

char *jmap_xvprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        die_oom();
    char *s = jmap_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *jmap_xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = jmap_xvprintf(fmt, ap);
    va_end(ap);
    return s;
}

jmap_arena *jmap_arena_new(void)
{
    return jmap_xcalloc(1, sizeof(jmap_arena));
}

void jmap_arena_free(jmap_arena *a)
{
    if (!a)
        return;
    chunk *c = a->head;
    while (c) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

void *jmap_arena_alloc(jmap_arena *a, size_t size)
{
    size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < size)
        die_oom();
    a->used += need;
#ifdef JMAP_ARENA_MALLOC_EACH
    chunk *c = jmap_xcalloc(1, sizeof(chunk) + need);
    c->size = c->used = need;
    c->next = a->head;
    a->head = c;
    return c->data;
#else
    chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t sz = need > CHUNK_MIN / 2 ? need : CHUNK_MIN;
        chunk *n = jmap_xmalloc(sizeof(chunk) + sz);
        n->size = sz;
        n->used = 0;
        if (c && need > CHUNK_MIN / 2) {
            /* A big object gets its own chunk behind the current one, which keeps its free tail. */
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->head = n;
        }
        c = n;
    }
    void *p = c->data + c->used;
    c->used += need;
    memset(p, 0, need);
    return p;
#endif
}

void *jmap_arena_calloc(jmap_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        die_oom();
    return jmap_arena_alloc(a, n * size);
}

char *jmap_arena_strndup(jmap_arena *a, const char *s, size_t n)
{
    char *d = jmap_arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *jmap_arena_strdup(jmap_arena *a, const char *s)
{
    return s ? jmap_arena_strndup(a, s, strlen(s)) : NULL;
}

char *jmap_arena_printf(jmap_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *tmp = jmap_xvprintf(fmt, ap);
    va_end(ap);
    char *s = jmap_arena_strdup(a, tmp);
    free(tmp);
    return s;
}

size_t jmap_arena_used(const jmap_arena *a)
{
    return a->used;
}

void jmap_strbuf_put(jmap_strbuf *b, const char *s, size_t n)
{
    b->s = jmap_xgrow(b->s, &b->cap, b->len + n + 1, 1);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void jmap_strbuf_puts(jmap_strbuf *b, const char *s)
{
    jmap_strbuf_put(b, s, strlen(s));
}
