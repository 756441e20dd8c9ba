#ifndef JMAP_DIAG_FORMAT_H
#define JMAP_DIAG_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "jmap/diag.h"

/*
 * Diagnostics for machines: JSON lines, SARIF 2.1.0 (GitHub code scanning) and GitHub
 * Actions workflow commands. The text form is jmap_diags_print() in diag.h.
 * Columns are code points, as in the text form; SARIF says so with columnKind.
 * Every file name, message and hint passes jmap_sanitize() first, in every format: a byte that
 * is not UTF-8 becomes the four characters `\xff`, a control `\x1b`, a bidi control `\u202e`.
 */

typedef enum jmap_diag_format {
    JMAP_DIAG_TEXT,
    JMAP_DIAG_JSON,
    JMAP_DIAG_SARIF,
    JMAP_DIAG_GITHUB
} jmap_diag_format;

/** "text", "json", "sarif" or "github". */
bool jmap_diag_format_from_name(const char *name, jmap_diag_format *out);

/** One JSON object per line: file, line, column, end_line, end_column (when known),
 * severity, code, message, hint (when there is one). */
void jmap_diags_print_json(const jmap_diags *d, FILE *out);

/** One workflow command per line: ::error file=…,line=…,col=…,title=code::message */
void jmap_diags_print_github(const jmap_diags *d, FILE *out);

/** A SARIF log gathers the diagnostics of every file of a run, then is written once. Each
 * code used is a rule described from diag_rules.h; a relative path is a URI relative to
 * "%SRCROOT%" (the directory jmap ran in), an absolute one a file:// URI. */
typedef struct jmap_sarif jmap_sarif;
jmap_sarif *jmap_sarif_new(void);
void jmap_sarif_add(jmap_sarif *s, const jmap_diags *d);
void jmap_sarif_write(const jmap_sarif *s, FILE *out);

/** The run's outcome, written as the log's invocation: the exit status, and whether the run
 * did its job (false after a usage or I/O error; a map with errors is a successful run).
 * Without it the invocation says only executionSuccessful: true. */
void jmap_sarif_set_outcome(jmap_sarif *s, int exit_code, bool successful);

/** Add what stopped the run, as a toolExecutionNotification of level error (sanitised when
 * written, as every string of the log). */
void jmap_sarif_notify(jmap_sarif *s, const char *message);
void jmap_sarif_free(jmap_sarif *s);

/** Write `s` as a JSON string literal, quotes included, after jmap_sanitize(): the literal is
 * valid UTF-8 and decodes to text without control, bidi or invisible characters. */
void jmap_json_string(FILE *out, const char *s);

#endif
