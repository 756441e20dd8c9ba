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
    while (same) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            same = n == 0 && off == len;
            break;
        }
        if (off + (size_t)n > len || memcmp(buf, want + off, (size_t)n) != 0)
            same = false;
        off += (size_t)n;
    }
    close(fd);
    return same;
}

/* Devices, pipes and sockets are written in place. */
static jmap_write_result write_in_place(const char *path, int fd, const void *data, size_t len,
                                        jmap_diags *d)
{
    bool ok = write_all(fd, data, len);
    int err = errno;
    if (fd != STDOUT_FILENO) {
        if (close(fd) != 0 && ok) {
            ok = false;
            err = errno;
        }
    }
    if (!ok) {
        io_error(d, path, "write", err);
        return JMAP_WRITE_FAILED;
    }
    return JMAP_WRITE_DONE;
}

jmap_write_result jmap_output_write(const char *path, const void *data, size_t len,
                                    bool skip_unchanged, jmap_diags *d)
{
    if (strcmp(path, "-") == 0)
        return write_in_place("standard output", STDOUT_FILENO, data, len, d);
    /* When standard output is a regular file, /dev/stdout looks like one, but renaming over it
     * would replace the /dev/stdout link itself: write to the descriptor. */
    if (strcmp(path, "/dev/stdout") == 0)
        return write_in_place(path, STDOUT_FILENO, data, len, d);

    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        io_error(d, path, "write", EISDIR);
        return JMAP_WRITE_FAILED;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            io_error(d, path, "open", errno);
            return JMAP_WRITE_FAILED;
        }
        return write_in_place(path, fd, data, len, d);
    }
    if (exists && skip_unchanged && jmap_output_same(path, data, len))
        return JMAP_WRITE_UNCHANGED;

    int n = snprintf(tmp_path, sizeof(tmp_path), "%s.jmap-XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof(tmp_path)) {
        io_error(d, path, "write", ENAMETOOLONG);
        return JMAP_WRITE_FAILED;
    }
    /* Block the signals while the temporary file comes into being, so the handler never sees
     * a file it does not know about. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(tmp_path);
    int err = errno;
    if (fd >= 0)
        tmp_active = 1;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        io_error(d, path, "write", err);
        return JMAP_WRITE_FAILED;
    }
    /* mkstemp makes the file 0600; give it the mode a new file would get (or the old one's). */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    bool ok = fchmod(fd, mode) == 0 && write_all(fd, data, len);
    err = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (ok && rename(tmp_path, path) != 0) {
        ok = false;
        err = errno;
    }
    sigprocmask(SIG_BLOCK, &block, &old);
    if (!ok)
        unlink(tmp_path);
    tmp_active = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (!ok) {
        io_error(d, path, "write", err);
        return JMAP_WRITE_FAILED;
    }
    return JMAP_WRITE_DONE;
}
