#include "jmap/load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reading a map file within the limits, and the limits themselves. */

jmap_limits jmap_limits_default(void)
{
    jmap_limits lim = {
        .max_input_bytes = (size_t)32 * 1024 * 1024,
        .max_depth = 64,
        .max_nodes = 5000000,
        .max_string_bytes = 65536,
        .max_touchpoints = 200000,
        .max_personas = 1000,
        .max_stages = 1000,
    };
    return lim;
}

static void io_error(jmap_diags *d, const char *name, int err)
{
    jmap_loc at = {name, 0, 0, 0, 0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "io-error", at, "cannot read '%s': %s", name, strerror(err));
}

static void too_large(jmap_diags *d, const char *name, size_t size, bool exact, size_t max)
{
    jmap_loc at = {name, 0, 0, 0, 0};
    if (exact)
        jmap_diag_add(d, JMAP_SEV_ERROR, "too-large", at,
                      "'%s' is %zu bytes, more than the limit of %zu", name, size, max);
    else
        jmap_diag_add(d, JMAP_SEV_ERROR, "too-large", at,
                      "'%s' is more than the limit of %zu bytes", name, max);
}

/* Read at most max + 1 bytes from fd: one byte more than allowed is enough to refuse, and a
 * pipe or a file that grows after fstat cannot make us read more. */
static char *read_fd(int fd, size_t max, size_t *len, int *err)
{
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        size_t want = n + 65536 < max + 1 ? n + 65536 : max + 1;
        buf = jmap_xgrow(buf, &cap, want + 1, 1);
        if (n >= max + 1)
            break;
        ssize_t got = read(fd, buf + n, want - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            *err = errno;
            free(buf);
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

char *jmap_read_file(const char *path, size_t *len, const jmap_limits *lim, jmap_diags *d,
                     bool *err_is_io)
{
    jmap_limits def = jmap_limits_default();
    if (!lim)
        lim = &def;
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    *err_is_io = true;
    *len = 0;

    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        io_error(d, name, errno);
        return NULL;
    }
    char *buf = NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        io_error(d, name, errno);
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        io_error(d, name, EISDIR);
        goto out;
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0 && (uintmax_t)st.st_size > lim->max_input_bytes) {
        too_large(d, name, (size_t)st.st_size, true, lim->max_input_bytes);
        *err_is_io = false;
        goto out;
    }
    int err = 0;
    size_t n = 0;
    buf = read_fd(fd, lim->max_input_bytes, &n, &err);
    if (!buf) {
        io_error(d, name, err);
        goto out;
    }
    if (n > lim->max_input_bytes) {
        too_large(d, name, 0, false, lim->max_input_bytes);
        *err_is_io = false;
        free(buf);
        buf = NULL;
        goto out;
    }
    *len = n;
    *err_is_io = false;
out:
    if (!is_stdin)
        close(fd);
    return buf;
}
