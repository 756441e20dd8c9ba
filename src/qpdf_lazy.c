#include "qpdf_lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "jmap/arena.h"

/* Set by CMake from the SONAME of the libqpdf it found, and the Debian package that ships it. */
#ifndef JMAP_QPDF_SONAME
#error "JMAP_QPDF_SONAME must name libqpdf's shared object (CMakeLists.txt sets it)"
#endif
#ifndef JMAP_QPDF_PACKAGE
#error "JMAP_QPDF_PACKAGE must name the package that ships JMAP_QPDF_SONAME"
#endif

const char jmap_qpdf_soname[] = JMAP_QPDF_SONAME;

/* Each entry's type is the prototype's: _Generic does not evaluate qpdf_x, so no reference to
 * the library is made, but a table that no longer matches the header does not compile. */
#define CHECK_PROTOTYPE(ret, name, params)                                                         \
    _Static_assert(_Generic(qpdf_##name, ret(*) params : 1, default : 0),                          \
                   "qpdf_" #name " does not match its prototype in qpdf-c.h");
JMAP_QPDF_FUNCTIONS(CHECK_PROTOTYPE)
#undef CHECK_PROTOTYPE
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "dlsym gives functions as void *");

static pthread_once_t once = PTHREAD_ONCE_INIT;
static jmap_qpdf table;
static const jmap_qpdf *loaded;
static char *failure;

/* dlsym's object pointer as a function pointer: POSIX guarantees the conversion works; memcpy
 * says so without a cast ISO C forbids. */
#define LOOK_UP(ret, name, params)                                                                 \
    if (ok) {                                                                                      \
        void *p = dlsym(lib, "qpdf_" #name);                                                       \
        ok = p != NULL;                                                                            \
        if (ok)                                                                                    \
            memcpy(&table.name, &p, sizeof p);                                                     \
        else                                                                                       \
            missing = "qpdf_" #name;                                                               \
    }

static void load(void)
{
    /* RTLD_LOCAL: libqpdf's symbols (and its C++ runtime's) stay out of the global scope. */
    void *lib = dlopen(jmap_qpdf_soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        failure = jmap_xprintf("%s cannot be loaded (install the package %s): %s", jmap_qpdf_soname,
                               JMAP_QPDF_PACKAGE, e ? e : "no reason given");
        return;
    }
    bool ok = true;
    const char *missing = NULL;
    JMAP_QPDF_FUNCTIONS(LOOK_UP)
    if (!ok) {
        failure = jmap_xprintf("%s has no function %s (install the package %s)", jmap_qpdf_soname,
                               missing, JMAP_QPDF_PACKAGE);
        dlclose(lib);
        return;
    }
    /* Never closed: libqpdf stays for the life of the process, as a linked library would. */
    loaded = &table;
}
#undef LOOK_UP

const jmap_qpdf *jmap_qpdf_load(const char **why)
{
    pthread_once(&once, load);
    if (!loaded && why)
        *why = failure;
    return loaded;
}
