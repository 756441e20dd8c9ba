#define _GNU_SOURCE /* dladdr, RTLD_NEXT */
/*
 * libjmap_memsplit.so: who holds the heap at its peak, for docs/performance.md ("Where the
 * memory goes"). Loaded with LD_PRELOAD into an unchanged `jmap build`, it needs no hook in the
 * product: it wraps malloc and friends, and marks the phases of a build by the library calls
 * jmap makes anyway.
 *
 * Every block gets a 16-byte header with its size and its class: the phase it was allocated in
 * (start-up, loading, layout, painting, Cairo's finish) times the library that asked for it,
 * which is the first caller on the stack outside libc, GLib and this file (so a g_new in Pango
 * is Pango's). When the bytes in use reach a new peak the live bytes of each class are copied;
 * at exit that copy is written to the file named by JMAP_MEMSPLIT_OUT, with the bytes in use
 * when Cairo's finish began and ended. Bench only: never linked into jmap.
 */
#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>

#include "memsplit.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);
/* Wrapped too; declared in <malloc.h>, which would also declare the hooks of old glibcs. */
void *memalign(size_t align, size_t n);
size_t malloc_usable_size(void *p);

typedef struct header {
    size_t size;
    uint32_t cls;    /* phase * MS_LIBS + lib */
    uint32_t offset; /* from the start of what libc gave to this header (aligned blocks) */
} header;

#define DEPTH 16 /* frames looked through for the first caller that is not libc or GLib */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long long live[MS_CLASSES], at_peak[MS_CLASSES], total, peak, finish_in, finish_out;
static int phase; /* MS_PHASE_* */
static __thread __attribute__((tls_model(
    "initial-exec"))) int busy; /* inside backtrace/dladdr: do not classify (they may allocate) */

/* The class of a library by its file name. */
static int lib_of(const char *path)
{
    static const struct {
        const char *part;
        int lib;
    } libs[] = {
        {"libyaml", MS_LIB_YAML},        {"libpango-1.0", MS_LIB_PANGO},
        {"libpangocairo", MS_LIB_FONTS}, {"libpangoft2", MS_LIB_FONTS},
        {"libharfbuzz", MS_LIB_FONTS},   {"libfontconfig", MS_LIB_FONTS},
        {"libfreetype", MS_LIB_FONTS},   {"libexpat", MS_LIB_FONTS},
        {"libcairo", MS_LIB_CAIRO},      {"libpixman", MS_LIB_CAIRO},
        {"libz.", MS_LIB_CAIRO},         {"libpng", MS_LIB_CAIRO},
    };
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        if (strstr(path, libs[i].part))
            return libs[i].lib;
    }
    return MS_LIB_OTHER;
}

static bool skipped(const char *path)
{
    return strstr(path, "libc.so") || strstr(path, "libglib-2.0") ||
           strstr(path, "libgobject-2.0") || strstr(path, "ld-linux");
}

static int classify(void)
{
    if (busy)
        return MS_LIB_OTHER;
    busy = 1;
    void *frames[DEPTH];
    int n = backtrace(frames, DEPTH);
    int lib = MS_LIB_GLIB;
    static void *exe_base, *own_base;
    if (!exe_base) {
        Dl_info main_info, own_info; /* the executable (its program headers), and this file */
        if (dladdr((void *)getauxval(AT_PHDR), &main_info))
            exe_base = main_info.dli_fbase;
        if (dladdr((void *)&lock, &own_info))
            own_base = own_info.dli_fbase;
    }
    for (int i = 0; i < n; i++) {
        Dl_info info;
        if (!dladdr(frames[i], &info) || !info.dli_fname)
            continue;
        if (info.dli_fbase == own_base)
            continue;
        if (info.dli_fbase == exe_base) {
            lib = MS_LIB_JMAP; /* jmap links its core statically */
            break;
        }
        if (skipped(info.dli_fname))
            continue;
        lib = lib_of(info.dli_fname);
        break;
    }
    busy = 0;
    return lib;
}

static void count(int cls, long long n)
{
    live[cls] += n;
    total += n;
    if (total > peak) {
        peak = total;
        memcpy(at_peak, live, sizeof live);
    }
}

static void *track(void *base, size_t size, size_t offset)
{
    if (!base)
        return NULL;
    int lib = classify();
    header *h = (header *)((char *)base + offset);
    pthread_mutex_lock(&lock);
    *h = (header){size, (uint32_t)(phase * MS_LIBS + lib), (uint32_t)offset};
    count((int)h->cls, (long long)size);
    pthread_mutex_unlock(&lock);
    return h + 1;
}

static void *untrack(void *p)
{
    header *h = (header *)p - 1;
    pthread_mutex_lock(&lock);
    count((int)h->cls, -(long long)h->size);
    pthread_mutex_unlock(&lock);
    return (char *)h - h->offset;
}

void *malloc(size_t n)
{
    return track(__libc_malloc(n + sizeof(header)), n, 0);
}

void *calloc(size_t k, size_t n)
{
    if (n && k > (SIZE_MAX - sizeof(header)) / n)
        return NULL;
    return track(__libc_calloc(1, k * n + sizeof(header)), k * n, 0);
}

void free(void *p)
{
    if (p)
        __libc_free(untrack(p));
}

void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    header *h = (header *)p - 1;
    if (h->offset != 0) { /* an aligned block: move it */
        void *q = malloc(n);
        if (q) {
            memcpy(q, p, h->size < n ? h->size : n);
            free(p);
        }
        return q;
    }
    void *base = untrack(p);
    void *q = __libc_realloc(base, n + sizeof(header));
    if (!q) { /* the old block stays: count it again */
        header *old = base;
        pthread_mutex_lock(&lock);
        count((int)old->cls, (long long)old->size);
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    return track(q, n, 0);
}

void *memalign(size_t align, size_t n)
{
    if (align <= sizeof(header))
        return malloc(n);
    char *base = __libc_malloc(n + align + sizeof(header));
    if (!base)
        return NULL;
    uintptr_t user = ((uintptr_t)base + sizeof(header) + align - 1) & ~(uintptr_t)(align - 1);
    return track(base, n, (size_t)(user - sizeof(header) - (uintptr_t)base));
}

int posix_memalign(void **out, size_t align, size_t n)
{
    void *p = memalign(align, n);
    if (!p)
        return 12; /* ENOMEM */
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

void *valloc(size_t n)
{
    return memalign(4096, n);
}

size_t malloc_usable_size(void *p)
{
    return p ? ((header *)p - 1)->size : 0;
}

/* ---- phases, from the calls jmap makes ----------------------------------------------------- */

static void enter(int p)
{
    pthread_mutex_lock(&lock);
    if (p > phase)
        phase = p;
    pthread_mutex_unlock(&lock);
}

/* The wrapped function itself, the next definition after this library (POSIX's idiom for
 * turning dlsym's pointer into a function pointer). */
#define NEXT(fn, name) (*(void **)&(fn) = dlsym(RTLD_NEXT, name))

typedef struct yaml_parser_s yaml_parser_t;
int yaml_parser_initialize(yaml_parser_t *parser);
int yaml_parser_initialize(yaml_parser_t *parser)
{
    int (*real)(yaml_parser_t *);
    NEXT(real, "yaml_parser_initialize");
    enter(MS_PHASE_LOAD);
    return real(parser);
}

typedef struct _PangoLayout PangoLayout;
void pango_layout_set_text(PangoLayout *layout, const char *text, int length);
void pango_layout_set_text(PangoLayout *layout, const char *text, int length)
{
    if (phase == MS_PHASE_LOAD)
        enter(MS_PHASE_LAYOUT); /* the first text measured */
    void (*real)(PangoLayout *, const char *, int);
    NEXT(real, "pango_layout_set_text");
    real(layout, text, length);
}

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
cairo_t *cairo_create(cairo_surface_t *target);
cairo_t *cairo_create(cairo_surface_t *target)
{
    if (phase == MS_PHASE_LAYOUT)
        enter(MS_PHASE_PAINT);
    cairo_t *(*real)(cairo_surface_t *);
    NEXT(real, "cairo_create");
    return real(target);
}

void cairo_surface_finish(cairo_surface_t *surface);
void cairo_surface_finish(cairo_surface_t *surface)
{
    bool first = phase == MS_PHASE_PAINT;
    if (first) {
        finish_in = total;
        enter(MS_PHASE_FINISH);
    }
    void (*real)(cairo_surface_t *);
    NEXT(real, "cairo_surface_finish");
    real(surface);
    if (first)
        finish_out = total;
}

__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("JMAP_MEMSPLIT_OUT");
    if (!path || phase == MS_PHASE_START)
        return; /* not a build (a wrapper such as time(1) inherits the preload too) */
    busy = 1;
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(f, "peak %lld\nfinish_in %lld\nfinish_out %lld\nrss_kb %ld\n", peak, finish_in,
            finish_out, ru.ru_maxrss);
    for (int c = 0; c < MS_CLASSES; c++)
        fprintf(f, "class %d %d %lld\n", c / MS_LIBS, c % MS_LIBS, at_peak[c]);
    fclose(f);
}
