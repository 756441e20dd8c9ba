#include "jmap/load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reading a map file within the limits, and the limits themselves. Only regular files are
 * read by name; the text must be UTF-8, and UTF-16 and UTF-32 are named when they are met. */

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
        .max_appearances = 100000,
        .max_kpis = 100000,
        .max_data_bytes = (size_t)256 * 1024 * 1024,
        .max_data_rows = 5000000,
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

/* What a file that is not a regular one is, for the message. */
static const char *kind_of(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "not a regular file (a named pipe)";
    if (S_ISSOCK(mode))
        return "not a regular file (a socket)";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "not a regular file (a device)";
    return "not a regular file";
}

static void not_regular(jmap_diags *d, const char *name, mode_t mode)
{
    if (S_ISDIR(mode)) {
        io_error(d, name, EISDIR);
        return;
    }
    jmap_loc at = {name, 0, 0, 0, 0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "io-error", at, "cannot read '%s': %s", name, kind_of(mode));
}

/*
 * Open a named file for reading only if it is a regular file. Opening a FIFO would block until
 * a writer comes, and reading a device may never end, so the type is checked before open; the
 * open is non-blocking in case the path is swapped for a FIFO in between, and the file opened
 * must be the one checked. Symlinks are followed: a map may be one.
 */
static int open_regular(const char *path, jmap_diags *d)
{
    struct stat before, after;
    if (stat(path, &before) != 0) {
        io_error(d, path, errno);
        return -1;
    }
    if (!S_ISREG(before.st_mode)) {
        not_regular(d, path, before.st_mode);
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        io_error(d, path, errno);
        return -1;
    }
    if (fstat(fd, &after) != 0) {
        io_error(d, path, errno);
    } else if (!S_ISREG(after.st_mode)) {
        not_regular(d, path, after.st_mode);
    } else if (after.st_dev != before.st_dev || after.st_ino != before.st_ino) {
        jmap_loc at = {path, 0, 0, 0, 0};
        jmap_diag_add(d, JMAP_SEV_ERROR, "io-error", at,
                      "cannot read '%s': it was replaced while being opened", path);
    } else {
        int flags = fcntl(fd, F_GETFL);
        if (flags >= 0)
            fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        return fd;
    }
    close(fd);
    return -1;
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

    /* Standard input may be a pipe: that is how it is meant to be used. */
    int fd = is_stdin ? STDIN_FILENO : open_regular(path, d);
    if (fd < 0)
        return NULL;
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

/* The encodings YAML allows besides UTF-8, by byte-order mark, or by the pattern of zero bytes
 * an ASCII first character leaves without one (YAML 1.2, section 5.2). Longest marks first:
 * UTF-32LE's mark begins with UTF-16LE's. */
static const struct {
    const char *bytes;
    size_t len;
    const char *name;
} encodings[] = {
    {"\x00\x00\xFE\xFF", 4, "UTF-32 (big-endian)"},
    {"\xFF\xFE\x00\x00", 4, "UTF-32 (little-endian)"},
    {"\xFE\xFF", 2, "UTF-16 (big-endian)"},
    {"\xFF\xFE", 2, "UTF-16 (little-endian)"},
};

static const char *wide_encoding(const unsigned char *t, size_t len)
{
    for (size_t i = 0; i < sizeof(encodings) / sizeof(encodings[0]); i++) {
        if (len >= encodings[i].len && memcmp(t, encodings[i].bytes, encodings[i].len) == 0)
            return encodings[i].name;
    }
    if (len >= 4 && !t[0] && !t[1] && !t[2] && t[3])
        return "UTF-32 (big-endian)";
    if (len >= 4 && t[0] && !t[1] && !t[2] && !t[3])
        return "UTF-32 (little-endian)";
    if (len >= 2 && !t[0] && t[1])
        return "UTF-16 (big-endian)";
    if (len >= 2 && t[0] && !t[1])
        return "UTF-16 (little-endian)";
    return NULL;
}

bool jmap_load_check_encoding(const char *file, const char *text, size_t len, jmap_diags *d)
{
    const char *enc = wide_encoding((const unsigned char *)text, len);
    if (!enc)
        return true;
    /* No line and column: quoting a line of UTF-16 as UTF-8 would show nothing useful. */
    jmap_loc at = {file, 0, 0, 0, 0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "invalid-encoding", at, "'%s' is %s; save it as UTF-8", file,
                  enc);
    return false;
}
