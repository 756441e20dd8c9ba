#ifndef JMAP_OUTPUT_H
#define JMAP_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/diag.h"

/*
 * Writing output files so that they are never half-written. A regular file (or a path that
 * does not exist yet) is written to a temporary file beside it and renamed into place only
 * when complete; on any error, or when the process is interrupted by SIGINT or SIGTERM, the
 * temporary file is removed and the old file stays as it was. Where the file system supports
 * O_TMPFILE the temporary file has no name until the commit, so even SIGKILL leaves nothing
 * behind; elsewhere it is called ".NAME.jmap-tmp-HASH.XXXXXX" (fits NAME_MAX whatever the
 * output's name) and the next write of the same output removes one a killed process left.
 *
 * An output that is a symbolic link is replaced by a regular file, never followed, so a link
 * committed to a repository cannot steer a build's writes; only the system's links under
 * /dev/ (/dev/stdout, /dev/fd/3) are followed. An existing output keeps its permission bits,
 * a read-only one included (the rename needs a writable directory, not a writable file).
 *
 * A device, a pipe or "-" (standard output) is written in place: renaming over /dev/full
 * would replace the device. A pipe is opened without waiting: one that no process reads from
 * is an error at once, not a hang.
 */

/** A growable byte buffer; render into one, then write it out in one go. */
typedef struct jmap_buf {
    unsigned char *data;
    size_t len, cap;
} jmap_buf;

void jmap_buf_release(jmap_buf *b);
/** Append bytes; a jmap_write_fn (include/jmap/render.h) with the buffer as closure. */
bool jmap_buf_write(void *buf, const unsigned char *data, size_t len);

/** What to do with an output that already holds exactly the bytes to be written. */
typedef enum jmap_if_same {
    JMAP_SAME_REWRITE = 0, /* write it all the same */
    JMAP_SAME_TOUCH = 1,   /* keep the bytes, set the modification time to now: the output is
                              newer than the inputs it was made from, so Make and Ninja stop
                              rebuilding it after an edit that does not change the drawing */
    JMAP_SAME_KEEP = 2     /* leave it alone, modification time too (Ninja's `restat = 1`) */
} jmap_if_same;

typedef enum jmap_write_result {
    JMAP_WRITE_DONE,      /* written */
    JMAP_WRITE_UNCHANGED, /* the file already held exactly these bytes: not rewritten (touched
                             or kept, as asked) */
    JMAP_WRITE_FAILED     /* an "io-error" diagnostic says why; the old file is intact */
} jmap_write_result;

/** An output being written: to its temporary file as the bytes come, or, for a device, a pipe
 * or standard output, gathered in memory and written at the end, so that a failed render
 * writes nothing there either. One at a time per process. */
typedef struct jmap_output jmap_output;

/** Start writing `path` ("-" = standard output): creates the temporary file beside it. NULL,
 * with an "io-error", when that cannot be done (a directory, an unwritable one). */
jmap_output *jmap_output_begin(const char *path, jmap_diags *d);

/** Append bytes; a jmap_write_fn with the output as closure. A failed write is remembered and
 * reported by jmap_output_commit, so it always returns true. */
bool jmap_output_put(void *output, const unsigned char *data, size_t len);

/** Put the output in place (see jmap_output_write) and free it. */
jmap_write_result jmap_output_commit(jmap_output *o, jmap_if_same same, jmap_diags *d);

/** Give up: remove the temporary file, leave the old file as it was, and free the output. */
void jmap_output_abort(jmap_output *o);

/** Write `len` bytes to `path` ("-" = standard output) as described above. A regular file
 * that already holds these bytes is rewritten, touched or kept as `same` says. A touch goes
 * through the descriptor the bytes were compared on, opened without following a link; when
 * the file cannot be touched (another user's, in a folder we may write) it is rewritten; in a
 * folder we may not write, it is left as it is. */
jmap_write_result jmap_output_write(const char *path, const void *data, size_t len,
                                    jmap_if_same same, jmap_diags *d);

/** Create `dir` and any missing parent, like `mkdir -p`; an "io-error" when one cannot be
 * created or is not a directory. */
bool jmap_output_make_dirs(const char *dir, jmap_diags *d);

/** True when `path` is a regular file holding exactly these bytes. */
bool jmap_output_same(const char *path, const void *data, size_t len);

/** Use named temporary files even where the file system has O_TMPFILE: for tests of the
 * fallback, and for the rare file system that accepts O_TMPFILE but cannot link the file. */
void jmap_output_use_named_temporaries(bool on);

/** Install the SIGINT/SIGTERM handlers that remove a temporary file being written. */
void jmap_output_install_signal_handlers(void);

#endif
