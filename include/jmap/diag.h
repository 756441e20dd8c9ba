#ifndef JMAP_DIAG_H
#define JMAP_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Diagnostics. Passes collect them and never print; the CLI decides how to print them.
 * A jmap_diags outlives the documents it describes: it keeps its own copies of file names,
 * messages and the source text needed to quote lines, so it can be printed after every arena
 * is gone.
 */

typedef enum jmap_severity { JMAP_SEV_NOTE, JMAP_SEV_WARNING, JMAP_SEV_ERROR } jmap_severity;

/* A place in a file. Lines and columns are 1-based; columns count code points, as libyaml does.
 * line 0 means "the whole file". end_line/end_col, when not 0, mark the last character. */
typedef struct jmap_loc {
    const char *file;
    unsigned line, col;
    unsigned end_line, end_col;
} jmap_loc;

typedef struct jmap_diag {
    jmap_severity sev;
    const char *code; /* stable, kebab-case, static storage: "unknown-stage" */
    jmap_loc loc;     /* loc.file points into the jmap_diags */
    char *msg;        /* lowercase, no trailing full stop, subject in single quotes */
    char *hint;       /* NULL, or a follow-up such as "did you mean 'decision'?" */
} jmap_diag;

typedef struct jmap_diag_source jmap_diag_source;

typedef struct jmap_diags {
    jmap_diag *items;
    size_t n_items, cap;
    size_t n_errors, n_warnings; /* everything reported, kept or not */
    size_t n_notes;
    size_t n_dropped;            /* reported past max_items and not kept */
    size_t max_items;            /* kept per severity; 0: no limit */
    bool last_dropped;           /* the latest one was not kept (it takes no hint) */
    bool werror;                 /* warnings are reported as errors */
    jmap_diag_source *sources;
    char **files; /* interned file names */
    size_t n_files, cap_files;
} jmap_diags;

#define JMAP_DIAGS_DEFAULT_MAX 50

void jmap_diags_init(jmap_diags *d);
void jmap_diags_release(jmap_diags *d);

/** Report a problem. Past max_items it is only counted. */
void jmap_diag_add(jmap_diags *d, jmap_severity sev, const char *code, jmap_loc at,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/** Attach a hint ("did you mean 'x'?") to the diagnostic added last, if it was kept. */
void jmap_diag_hint(jmap_diags *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** True when an error was reported (warnings count under werror, as they are added as errors). */
bool jmap_diags_failed(const jmap_diags *d);

/** Order the kept diagnostics by file (in the order files were first named), line and column,
 * keeping the order of those at the same place: passes report by rule, readers read by line. */
void jmap_diags_sort(jmap_diags *d);

/** Keep a copy of a file's text so that printing can quote its lines. */
void jmap_diags_keep_source(jmap_diags *d, const char *file, const char *text, size_t len);

/** jmap_diags_keep_source for a CSV file, whose lines break only at LF, CR and CR LF (a YAML
 * file's also at NEL, LS and PS, as libyaml counts them). */
void jmap_diags_keep_source_csv(jmap_diags *d, const char *file, const char *text, size_t len);

/** Line `line` of a file kept with jmap_diags_keep_source, without its line break: false when
 * the file was not kept or is shorter. The text stays valid as long as `d`. */
bool jmap_diags_source_line(const jmap_diags *d, const char *file, unsigned line,
                            const char **start, size_t *len);

/** The interned copy of a file name, valid as long as `d`. */
const char *jmap_diags_intern(jmap_diags *d, const char *file);

typedef struct jmap_diag_print_opts {
    bool color;   /* ANSI colours, as gcc prints them on a terminal */
    bool excerpt; /* the source line and a caret under the column */
    bool errors_only; /* --quiet: no warnings or notes; the count of dropped errors only */
} jmap_diag_print_opts;

/**
 * Print every kept diagnostic the way gcc does:
 *   file:line:col: severity: message; hint [code]
 * followed by the quoted source line and a caret, then one line counting the dropped ones
 * (with o->errors_only, only errors and the dropped errors).
 */
void jmap_diags_print(const jmap_diags *d, FILE *out, const jmap_diag_print_opts *o);

/** Print one diagnostic (with its excerpt when o->excerpt). */
void jmap_diag_print(const jmap_diags *d, const jmap_diag *g, FILE *out,
                     const jmap_diag_print_opts *o);

#endif
