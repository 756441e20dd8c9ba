#define _GNU_SOURCE /* O_TMPFILE, O_PATH */
#include "jmap/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "jmap/sanitize.h"

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

/*
 * Temporary files. Where the file system supports O_TMPFILE the drawing goes into a file with
 * no name, linked in under a temporary name and renamed over the output only at the commit,
 * with the signals blocked: a build killed even by SIGKILL leaves nothing behind. Elsewhere it
 * goes into a named temporary file,
 *     .NAME.jmap-tmp-HASH.XXXXXX
 * (NAME cut to fit NAME_MAX, HASH the full name's), which a killed build leaves behind and the
 * next build of the same output removes. A writer holds a lock on its temporary file, so a
 * build never removes one that another build is still writing.
 */
#define TMP_TAG ".jmap-tmp-"
#define TMP_RANDOM 6
#define TMP_FIXED (1 + sizeof(TMP_TAG) - 1 + 16 + 1 + TMP_RANDOM)

/* The named temporary file, for the signal handler: plain statics, since a signal handler
 * may only do what is async-signal-safe (unlinkat is). */
static int tmp_dir_fd = -1;
static char tmp_name[NAME_MAX + 1];
static volatile sig_atomic_t tmp_active;
static bool temporary_open; /* one output with a temporary file at a time: it uses the above */

static void on_signal(int sig)
{
    if (tmp_active)
        unlinkat(tmp_dir_fd, tmp_name, 0);
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

/* File names reach the diagnostics sanitised: a name may hold any byte but '/' and NUL. */
static void io_error_msg(jmap_diags *d, const char *path, const char *what, const char *why)
{
    char *shown = jmap_sanitize(path);
    jmap_loc at = {.file = shown};
    jmap_diag_add(d, JMAP_SEV_ERROR, "io-error", at, "cannot %s '%s': %s", what, shown, why);
    free(shown);
}

static void io_error(jmap_diags *d, const char *path, const char *what, int err)
{
    io_error_msg(d, path, what, strerror(err));
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

/* Open an existing output to read it, never through a symbolic link and never blocking on a
 * pipe: -1 unless it is a regular file. */
static int open_regular(int dir_fd, const char *name)
{
    int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* The open regular file `fd` holds exactly these bytes (read from where it stands). */
static bool fd_holds(int fd, const void *data, size_t len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size != len)
        return false;
    const unsigned char *want = data;
    unsigned char buf[65536];
    size_t off = 0;
    for (;;) {
        ssize_t n = read_full(fd, buf, sizeof buf);
        if (n < 0 || (size_t)n > len - off || memcmp(buf, want + off, (size_t)n) != 0)
            return false;
        off += (size_t)n;
        if (n == 0)
            return off == len;
    }
}

bool jmap_output_same(const char *path, const void *data, size_t len)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
        return false;
    int fd = open_regular(AT_FDCWD, path);
    if (fd < 0)
        return false;
    bool same = fd_holds(fd, data, len);
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

/* ---- temporary names ---------------------------------------------------------------------- */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* ".NAME.jmap-tmp-HASH." for the output called `base`; its length. The random part follows. */
static size_t temp_prefix(char out[NAME_MAX + 1], const char *base)
{
    size_t keep = strlen(base);
    if (keep > NAME_MAX - TMP_FIXED) {
        keep = NAME_MAX - TMP_FIXED;
        while (keep > 0 && ((unsigned char)base[keep] & 0xC0) == 0x80)
            keep--; /* cut between characters, not inside one */
    }
    return (size_t)snprintf(out, NAME_MAX + 1, ".%.*s" TMP_TAG "%016llx.", (int)keep, base,
                            (unsigned long long)fnv1a(base));
}

/* Fill the random part: TMP_RANDOM letters and digits after the prefix. */
static void temp_random(char *name, size_t prefix_len)
{
    static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static unsigned counter;
    unsigned char r[TMP_RANDOM];
    if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        unsigned long x = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16) ^ ++counter;
        for (size_t i = 0; i < sizeof r; i++, x = x * 6364136223846793005ul + 1442695040888963407ul)
            r[i] = (unsigned char)(x >> 33);
    }
    for (size_t i = 0; i < TMP_RANDOM; i++)
        name[prefix_len + i] = set[r[i] % (sizeof set - 1)];
    name[prefix_len + TMP_RANDOM] = '\0';
}

/* Remove the temporary files that killed builds of this output left behind: those with its
 * prefix that no living writer holds locked. */
static void remove_stale(int dir_fd, const char *prefix, size_t prefix_len)
{
    int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dir) {
        if (fd >= 0)
            close(fd);
        return;
    }
    for (struct dirent *e; (e = readdir(dir));) {
        if (strlen(e->d_name) != prefix_len + TMP_RANDOM ||
            memcmp(e->d_name, prefix, prefix_len) != 0)
            continue;
        int t = open_regular(dir_fd, e->d_name);
        if (t < 0)
            continue;
        if (flock(t, LOCK_EX | LOCK_NB) == 0)
            unlinkat(dir_fd, e->d_name, 0);
        close(t);
    }
    closedir(dir);
}

/* Whether a file with no name can be linked in by an unprivileged process: through
 * /proc/self/fd (linkat with AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH). */
static bool named_only;

void jmap_output_use_named_temporaries(bool on)
{
    named_only = on;
}

static bool can_link_unnamed(void)
{
    static int known = -1;
    if (known < 0)
        known = access("/proc/self/fd", X_OK) == 0;
    return known && !named_only;
}

/* ---- outputs ------------------------------------------------------------------------------ */

struct jmap_output {
    char *path;   /* as given; "standard output" for "-" */
    int fd;       /* the temporary file, or -1 when the bytes gather in `buf` */
    int place_fd; /* when written in place: a standard stream, or -1 to open `path` at the end */
    bool follow;  /* in place under /dev: follow the links there (/dev/fd/N), append */
    int dir_fd;   /* the output's directory, or -1 */
    char *base;   /* the output's name in that directory */
    bool unnamed; /* fd is an O_TMPFILE, linked in at the commit */
    jmap_buf buf;
    int no_temp_err; /* the temporary file could not be made beside an existing file: the
                        bytes gather in memory, and are fine only if the file already has them */
    bool existed;    /* a regular file was there: compare with it at the end */
    int err;         /* the first failed write's errno, reported at the end */
};

/* The signal handler stops knowing the named temporary file; `remove` it first (else it was
 * renamed into place). */
static void forget_temporary(bool remove)
{
    sigset_t old;
    set_signals_blocked(true, &old);
    if (remove)
        unlinkat(tmp_dir_fd, tmp_name, 0);
    tmp_active = 0;
    tmp_dir_fd = -1;
    set_signals_blocked(false, &old);
}

static jmap_output *in_memory(const char *path, int place_fd)
{
    jmap_output *o = jmap_xcalloc(1, sizeof *o);
    o->path = jmap_xstrdup(path);
    o->fd = -1;
    o->place_fd = place_fd;
    o->dir_fd = -1;
    return o;
}

/* "dir/name" -> "dir" and "name"; "name" -> "." and "name"; "/name" -> "/" and "name". */
static char *split_dir(const char *path, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (!slash)
        return jmap_xstrdup(".");
    return jmap_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* Create the named temporary file with a fresh random part; -1 and errno on failure. */
static int create_named(jmap_output *o, const char *prefix, size_t prefix_len)
{
    sigset_t old;
    int fd = -1;
    /* Block the signals while the file comes into being, so the handler never misses it. */
    set_signals_blocked(true, &old);
    memcpy(tmp_name, prefix, prefix_len);
    for (int tries = 0; tries < 100 && fd < 0; tries++) {
        temp_random(tmp_name, prefix_len);
        fd = openat(o->dir_fd, tmp_name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    0600);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    int err = errno;
    if (fd >= 0) {
        tmp_dir_fd = o->dir_fd;
        tmp_active = 1;
    }
    set_signals_blocked(false, &old);
    errno = err;
    return fd;
}

/* The temporary file beside the output: one with no name when the file system has them. */
static int create_temporary(jmap_output *o)
{
    char prefix[NAME_MAX + 1];
    size_t prefix_len = temp_prefix(prefix, o->base);
    remove_stale(o->dir_fd, prefix, prefix_len);
    int fd = -1;
#ifdef O_TMPFILE
    if (can_link_unnamed()) {
        fd = openat(o->dir_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        o->unnamed = fd >= 0;
    }
#endif
    if (fd >= 0) {
        flock(fd, LOCK_EX); /* ours: no other build removes it as stale once it has a name */
        return fd;
    }
    for (int tries = 0; tries < 100; tries++) {
        fd = create_named(o, prefix, prefix_len);
        if (fd < 0)
            return -1;
        /* Another build's clean-up may have removed it before it was locked: then the name no
         * longer leads to this file, and we try another. */
        struct stat mine, named;
        flock(fd, LOCK_EX);
        if (fstat(fd, &mine) == 0 &&
            fstatat(o->dir_fd, tmp_name, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
            mine.st_ino == named.st_ino && mine.st_dev == named.st_dev)
            return fd;
        close(fd);
        forget_temporary(false);
    }
    errno = EEXIST;
    return -1;
}

jmap_output *jmap_output_begin(const char *path, jmap_diags *d)
{
    if (strcmp(path, "-") == 0)
        return in_memory("standard output", STDOUT_FILENO);
    /* These are links to descriptors; renaming over them would replace the links. */
    if (strcmp(path, "/dev/stdout") == 0)
        return in_memory(path, STDOUT_FILENO);
    if (strcmp(path, "/dev/stderr") == 0)
        return in_memory(path, STDERR_FILENO);

    /* An output that is a symbolic link is replaced, never followed: a link committed to a
     * repository must not steer where a build writes. Only the system's own links under /dev
     * (/dev/fd/3) are followed, and what they lead to is written in place. */
    struct stat st;
    bool exists = lstat(path, &st) == 0;
    bool follow = exists && S_ISLNK(st.st_mode) && strncmp(path, "/dev/", 5) == 0;
    if (follow)
        exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        io_error(d, path, "write", EISDIR);
        return NULL;
    }
    if (exists && (follow || (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)))) {
        jmap_output *o = in_memory(path, -1); /* a device, pipe or socket: written at the end */
        o->follow = follow;
        return o;
    }
    if (temporary_open) { /* one at a time: the signal handler knows one temporary file */
        io_error(d, path, "write", EBUSY);
        return NULL;
    }
    jmap_output *o = in_memory(path, -1);
    const char *base;
    char *dir = split_dir(path, &base);
    o->base = jmap_xstrdup(base);
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        free(dir);
        io_error(d, path, "write", EISDIR);
        jmap_output_abort(o);
        return NULL;
    }
    o->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (o->dir_fd < 0 && errno == EACCES)
        o->dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC); /* searchable, not readable */
    int err = errno;
    free(dir);
    int fd = o->dir_fd >= 0 ? create_temporary(o) : -1;
    if (fd < 0 && o->dir_fd >= 0)
        err = errno;
    bool regular = exists && S_ISREG(st.st_mode);
    if (fd < 0 && regular) {
        o->no_temp_err = err;
        return o;
    }
    if (fd < 0) {
        io_error(d, path, "write", err);
        jmap_output_abort(o);
        return NULL;
    }
    o->fd = fd;
    temporary_open = true;
    o->existed = regular;
    /* The temporary file is 0600; give it the mode a new file would get (or the old one's). A
     * symbolic link's mode says nothing: its replacement is a new file. */
    mode_t mode;
    if (regular) {
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

/* Devices, pipes and standard output get the gathered bytes in one go. A pipe is opened
 * without blocking, so a pipe that nothing reads is an error at once, not a hang. */
static jmap_write_result write_in_place(jmap_output *o, jmap_diags *d)
{
    int fd = o->place_fd;
    if (fd < 0) {
        int flags = O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
        flags |= o->follow ? O_APPEND : O_NOFOLLOW | O_TRUNC;
        fd = open(o->path, flags);
        if (fd < 0 && errno == ENXIO) {
            io_error_msg(d, o->path, "write", "no process is reading from it");
            return JMAP_WRITE_FAILED;
        }
        if (fd < 0) {
            io_error(d, o->path, "open", errno);
            return JMAP_WRITE_FAILED;
        }
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK); /* a slow reader is waited for */
    }
    bool ok = write_all(fd, o->buf.data, o->buf.len);
    int err = errno;
    if (fd != o->place_fd && close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        io_error(d, o->path, "write", err);
        return JMAP_WRITE_FAILED;
    }
    return JMAP_WRITE_DONE;
}

/* The output, opened (never through a link), when it holds exactly what the temporary file
 * holds; else -1. */
static int open_if_unchanged(jmap_output *o)
{
    int old = open_regular(o->dir_fd, o->base);
    if (old >= 0 && !(lseek(o->fd, 0, SEEK_SET) == 0 && same_files(o->fd, old))) {
        close(old);
        old = -1;
    }
    return old;
}

/* An unchanged output, open as `old`, is kept as `same` asks: its modification time set to
 * now through the descriptor its bytes were compared on (the file compared is the file
 * touched), or left as it is. Closes `old`; false, errno set, when the touch failed. */
static bool keep_unchanged(int old, jmap_if_same same)
{
    bool ok = same == JMAP_SAME_KEEP || futimens(old, NULL) == 0;
    int err = errno;
    close(old);
    errno = err;
    return ok;
}

/* Give the file with no name a temporary name, with the signals blocked. */
static bool link_unnamed(jmap_output *o)
{
    char prefix[NAME_MAX + 1], proc[64];
    size_t prefix_len = temp_prefix(prefix, o->base);
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
    memcpy(tmp_name, prefix, prefix_len);
    for (int tries = 0; tries < 100; tries++) {
        temp_random(tmp_name, prefix_len);
        if (linkat(AT_FDCWD, proc, o->dir_fd, tmp_name, AT_SYMLINK_FOLLOW) == 0) {
            tmp_dir_fd = o->dir_fd;
            tmp_active = 1;
            return true;
        }
        if (errno != EEXIST)
            return false;
    }
    return false;
}

/* Name the temporary file and rename it over the output, the signals blocked throughout so
 * that an interrupt either leaves the old output or the new one, and no temporary. */
static bool put_in_place(jmap_output *o, int *err)
{
    sigset_t old;
    set_signals_blocked(true, &old);
    bool ok = !o->unnamed || link_unnamed(o);
    *err = errno;
    int fd = o->fd;
    o->fd = -1;
    temporary_open = false;
    /* close() reports a failed write-back (NFS); the duplicate keeps the lock until the
     * rename, so no other build takes the named file for a stale one. */
    int lock = dup(fd);
    if (close(fd) != 0 && ok) {
        ok = false;
        *err = errno;
    }
    if (ok && renameat(o->dir_fd, tmp_name, o->dir_fd, o->base) != 0) {
        ok = false;
        *err = errno;
    }
    if (lock >= 0)
        close(lock);
    set_signals_blocked(false, &old);
    if (tmp_active)
        forget_temporary(!ok);
    return ok;
}

jmap_write_result jmap_output_commit(jmap_output *o, jmap_if_same same, jmap_diags *d)
{
    jmap_write_result r = JMAP_WRITE_DONE;
    int err, old = -1;
    if (o->no_temp_err) {
        /* No temporary file could be made beside it (a folder we may not write): fine only
         * when the output already holds these bytes. It is touched when asked and allowed;
         * one we may not touch either is left as it is: a read-only checkout is checked, not
         * rebuilt by Make. */
        if (same != JMAP_SAME_REWRITE)
            old = o->dir_fd >= 0 ? open_regular(o->dir_fd, o->base)
                                 : open_regular(AT_FDCWD, o->path);
        if (old >= 0 && !fd_holds(old, o->buf.data, o->buf.len)) {
            close(old);
            old = -1;
        }
        if (old < 0) {
            io_error(d, o->path, "write", o->no_temp_err);
            r = JMAP_WRITE_FAILED;
        } else {
            keep_unchanged(old, same);
            r = JMAP_WRITE_UNCHANGED;
        }
    } else if (o->fd < 0) {
        r = write_in_place(o, d);
    } else if (o->err) {
        io_error(d, o->path, "write", o->err);
        r = JMAP_WRITE_FAILED;
    } else if (o->existed && same != JMAP_SAME_REWRITE && (old = open_if_unchanged(o)) >= 0 &&
               keep_unchanged(old, same)) {
        r = JMAP_WRITE_UNCHANGED;
    } else if (!put_in_place(o, &err)) {
        /* (An unchanged file we may not touch, another user's, is replaced: the rename
         * makes it new as well.) */
        io_error(d, o->path, "write", err);
        r = JMAP_WRITE_FAILED;
    }
    jmap_output_abort(o);
    return r;
}

void jmap_output_abort(jmap_output *o)
{
    if (!o)
        return;
    if (o->fd >= 0) {
        temporary_open = false;
        close(o->fd); /* a file with no name goes with it */
        if (!o->unnamed)
            forget_temporary(true);
    }
    if (o->dir_fd >= 0)
        close(o->dir_fd);
    jmap_buf_release(&o->buf);
    free(o->base);
    free(o->path);
    free(o);
}

jmap_write_result jmap_output_write(const char *path, const void *data, size_t len,
                                    jmap_if_same same, jmap_diags *d)
{
    /* The bytes are known: an unchanged file needs no temporary one at all. */
    struct stat st;
    int old = -1;
    if (same != JMAP_SAME_REWRITE && strcmp(path, "-") != 0 && lstat(path, &st) == 0 &&
        S_ISREG(st.st_mode) && (size_t)st.st_size == len)
        old = open_regular(AT_FDCWD, path);
    if (old >= 0 && !fd_holds(old, data, len)) {
        close(old);
        old = -1;
    }
    if (old >= 0 && keep_unchanged(old, same))
        return JMAP_WRITE_UNCHANGED;
    /* Changed, or not ours to touch: written anew (the commit tries the touch once more,
     * then renames the new file over it). */
    jmap_output *o = jmap_output_begin(path, d);
    if (!o)
        return JMAP_WRITE_FAILED;
    jmap_output_put(o, data, len);
    return jmap_output_commit(o, same, d);
}
