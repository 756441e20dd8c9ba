#include "jmap/output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jmap/arena.h"

void jmap_buf_release(jmap_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

bool jmap_buf_write(void *buf, const unsigned char *data, size_t len)
{
    jmap_buf *b = buf;
    b->data = jmap_xgrow(b->data, &b->cap, b->len + len, 1);
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return true;
}

/* The temporary file being written, for the signal handler. A plain static array: a signal
 * handler may only touch what is async-signal-safe. */
static char tmp_path[4096];
static volatile sig_atomic_t tmp_active;

static void on_signal(int sig)
{
    if (tmp_active)
        unlink(tmp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

void jmap_output_install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static bool write_all(int fd, const unsigned char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static void io_error(jmap_diags *d, const char *path, const char *what, int err)
{
    jmap_loc at = {.file = path};
    jmap_diag_add(d, JMAP_SEV_ERROR, "io-error", at, "cannot %s '%s': %s", what, path,
                  strerror(err));
}

bool jmap_output_make_dirs(const char *dir, jmap_diags *d)
{
    char *path = jmap_xstrdup(dir);
    bool ok = true;
    /* Each prefix ending before a '/', then the whole path: like `mkdir -p`. */
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char end = *p;
        *p = '\0';
        struct stat st;
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            io_error(d, dir, "create directory", errno);
            ok = false;
        } else if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
            io_error(d, dir, "create directory", ENOTDIR);
            ok = false;
        }
        *p = end;
        if (!ok || end == '\0')
            break;
    }
    free(path);
    return ok;
}

/* Read up to `n` bytes, stopping early only at the end of the file; -1 on error. */
static ssize_t read_full(int fd, unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t m = read(fd, buf + got, n - got);
        if (m < 0 && errno == EINTR)
            continue;
        if (m < 0)
            return -1;
        if (m == 0)
            break;
        got += (size_t)m;
    }
    return (ssize_t)got;
}

bool jmap_output_same(const char *path, const void *data, size_t len)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const unsigned char *want = data;
    unsigned char buf[65536];
    size_t off = 0;
    bool same = true;
    for (;;) {
        ssize_t n = read_full(fd, buf, sizeof buf);
        if (n < 0 || (size_t)n > len - off || memcmp(buf, want + off, (size_t)n) != 0) {
            same = false;
            break;
        }
        off += (size_t)n;
        if (n == 0) {
            same = off == len;
            break;
        }
    }
    close(fd);
    return same;
}

/* Two open files, read from where they stand, hold the same bytes (sizes checked first). */
static bool same_files(int a, int b)
{
    struct stat sa, sb;
    if (fstat(a, &sa) != 0 || fstat(b, &sb) != 0 || sa.st_size != sb.st_size)
        return false;
    unsigned char x[65536], y[65536];
    for (;;) {
        ssize_t n = read_full(a, x, sizeof x), m = read_full(b, y, sizeof y);
        if (n < 0 || n != m || memcmp(x, y, (size_t)n) != 0)
            return false;
        if (n == 0)
            return true;
    }
}

struct jmap_output {
    char *path;   /* as given; "standard output" for "-" */
    int fd;       /* the temporary file, or -1 when the bytes gather in `buf` */
    int place_fd; /* when written in place: STDOUT_FILENO, or -1 to open `path` at the end */
    jmap_buf buf;
    int no_temp_err; /* the temporary file could not be made beside an existing file: the
                        bytes gather in memory, and are fine only if the file already has them */
    bool existed;    /* a regular file was there: compare with it at the end */
    int err; /* the first failed write's errno, reported at the end */
};

static void set_signals_blocked(bool on, sigset_t *old)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    if (on)
        sigprocmask(SIG_BLOCK, &block, old);
    else
        sigprocmask(SIG_SETMASK, old, NULL);
}

/* The signal handler stops knowing the temporary file; `remove` it first (else it was renamed
 * into place). */
static void forget_temporary(bool remove)
{
    sigset_t old;
    set_signals_blocked(true, &old);
    if (remove)
        unlink(tmp_path);
    tmp_active = 0;
    set_signals_blocked(false, &old);
}

static jmap_output *in_memory(const char *path, int place_fd)
{
    jmap_output *o = jmap_xcalloc(1, sizeof *o);
    o->path = jmap_xstrdup(path);
    o->fd = -1;
    o->place_fd = place_fd;
    return o;
}

jmap_output *jmap_output_begin(const char *path, jmap_diags *d)
{
    if (strcmp(path, "-") == 0)
        return in_memory("standard output", STDOUT_FILENO);
    /* When standard output is a regular file, /dev/stdout looks like one, but renaming over it
     * would replace the /dev/stdout link itself: write to the descriptor. */
    if (strcmp(path, "/dev/stdout") == 0)
        return in_memory(path, STDOUT_FILENO);

    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        io_error(d, path, "write", EISDIR);
        return NULL;
    }
    if (exists && !S_ISREG(st.st_mode))
        return in_memory(path, -1); /* a device, pipe or socket: written in place at the end */

    if (tmp_active) { /* one output at a time: the signal handler knows one temporary file */
        io_error(d, path, "write", EBUSY);
        return NULL;
    }
    int n = snprintf(tmp_path, sizeof(tmp_path), "%s.jmap-XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof(tmp_path)) {
        io_error(d, path, "write", ENAMETOOLONG);
        return NULL;
    }
    /* Block the signals while the temporary file comes into being, so the handler never sees
     * a file it does not know about. */
    sigset_t old;
    set_signals_blocked(true, &old);
    int fd = mkstemp(tmp_path);
    int err = errno;
    if (fd >= 0)
        tmp_active = 1;
    set_signals_blocked(false, &old);
    if (fd < 0 && exists) {
        jmap_output *o = in_memory(path, -1);
        o->no_temp_err = err;
        return o;
    }
    if (fd < 0) {
        io_error(d, path, "write", err);
        return NULL;
    }
    jmap_output *o = in_memory(path, -1);
    o->fd = fd;
    o->existed = exists;
    /* mkstemp makes the file 0600; give it the mode a new file would get (or the old one's). */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0)
        o->err = errno;
    return o;
}

bool jmap_output_put(void *output, const unsigned char *data, size_t len)
{
    jmap_output *o = output;
    if (o->err)
        return true; /* reported at the end; the rest is not worth writing */
    if (o->fd < 0)
        return jmap_buf_write(&o->buf, data, len);
    if (!write_all(o->fd, data, len))
        o->err = errno;
    return true;
}

/* Devices, pipes and standard output get the gathered bytes in one go. */
static jmap_write_result write_in_place(jmap_output *o, jmap_diags *d)
{
    int fd = o->place_fd;
    if (fd < 0 && (fd = open(o->path, O_WRONLY | O_CLOEXEC)) < 0) {
        io_error(d, o->path, "open", errno);
        return JMAP_WRITE_FAILED;
    }
    bool ok = write_all(fd, o->buf.data, o->buf.len);
    int err = errno;
    if (fd != STDOUT_FILENO && close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        io_error(d, o->path, "write", err);
        return JMAP_WRITE_FAILED;
    }
    return JMAP_WRITE_DONE;
}

/* The temporary file holds exactly what `path` holds. */
static bool temporary_is_unchanged(jmap_output *o)
{
    int old = open(o->path, O_RDONLY | O_CLOEXEC);
    if (old < 0)
        return false;
    bool same = lseek(o->fd, 0, SEEK_SET) == 0 && same_files(o->fd, old);
    close(old);
    return same;
}

jmap_write_result jmap_output_commit(jmap_output *o, bool skip_unchanged, jmap_diags *d)
{
    jmap_write_result r = JMAP_WRITE_DONE;
    if (o->no_temp_err) {
        if (skip_unchanged && jmap_output_same(o->path, o->buf.data, o->buf.len)) {
            r = JMAP_WRITE_UNCHANGED;
        } else {
            io_error(d, o->path, "write", o->no_temp_err);
            r = JMAP_WRITE_FAILED;
        }
    } else if (o->fd < 0) {
        r = write_in_place(o, d);
    } else if (o->err) {
        io_error(d, o->path, "write", o->err);
        r = JMAP_WRITE_FAILED;
    } else if (o->existed && skip_unchanged && temporary_is_unchanged(o)) {
        r = JMAP_WRITE_UNCHANGED;
    } else {
        int fd = o->fd;
        o->fd = -1;
        bool ok = close(fd) == 0;
        int err = errno;
        if (ok && rename(tmp_path, o->path) != 0) {
            ok = false;
            err = errno;
        }
        forget_temporary(!ok);
        if (!ok) {
            io_error(d, o->path, "write", err);
            r = JMAP_WRITE_FAILED;
        }
    }
    jmap_output_abort(o);
    return r;
}

void jmap_output_abort(jmap_output *o)
{
    if (!o)
        return;
    if (o->fd >= 0) {
        close(o->fd);
        forget_temporary(true);
    }
    jmap_buf_release(&o->buf);
    free(o->path);
    free(o);
}

jmap_write_result jmap_output_write(const char *path, const void *data, size_t len,
                                    bool skip_unchanged, jmap_diags *d)
{
    /* The bytes are known: an unchanged file needs no temporary one at all. */
    if (skip_unchanged && jmap_output_same(path, data, len))
        return JMAP_WRITE_UNCHANGED;
    jmap_output *o = jmap_output_begin(path, d);
    if (!o)
        return JMAP_WRITE_FAILED;
    jmap_output_put(o, data, len);
    return jmap_output_commit(o, skip_unchanged, d);
}
