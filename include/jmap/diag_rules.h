#ifndef JMAP_DIAG_RULES_H
#define JMAP_DIAG_RULES_H

#include <stddef.h>

#include "jmap/diag.h"

/*
 * What each diagnostic code means: one entry per code, in src/diag_rules.c, written from its
 * section of docs/diagnostics.md. The SARIF log describes its rules from this table (short and
 * full description, help, default level, a link to the section). tests/test_diag_rules.c
 * holds the table, the document and the codes the sources emit to one another, and prints the
 * entry to add when a code is documented or emitted without one. It finds a code in the sources where
 * it is written as the argument after a severity (`JMAP_SEV_WARNING, "font-fallback"`), as
 * the second argument of a helper whose name ends in `_diag` (`output_diag(d,
 * "stale-output", ...)`), or in `#define SOMETHING_CODE "code"`: write a new code one of
 * these ways.
 */

/* Where docs/diagnostics.md and its neighbours are read on the web; the SARIF log's helpUri
 * is JMAP_DOCS_URL "diagnostics.md#" and the code (GitHub's anchor of the "### code" heading). */
#define JMAP_DOCS_URL "https://github.com/jmap/jmap/blob/main/docs/"

typedef struct jmap_diag_rule {
    const char *code;        /* "unknown-stage": the diagnostic code, the SARIF rule id */
    jmap_severity level;     /* the severity it is reported with (before --werror) */
    const char *description; /* Markdown: the section's first paragraph, after "**error.**" */
    const char *fix;         /* Markdown: the section's "**Fix:**" paragraph, after "**Fix:**" */
} jmap_diag_rule;

/** The whole table, in the order of docs/diagnostics.md; *n is its length. */
const jmap_diag_rule *jmap_diag_rules(size_t *n);

/** The entry for `code`, or NULL when there is none. */
const jmap_diag_rule *jmap_diag_rule_find(const char *code);

/** The first sentence of the rule's description as plain text: the SARIF shortDescription.
 * Caller frees. */
char *jmap_diag_rule_summary(const jmap_diag_rule *r);

/** Markdown from the table as plain text: `code` and **bold** lose their marks, a link
 * [text](target) becomes its text. Caller frees. */
char *jmap_markdown_plain(const char *md);

/** Markdown from the table made readable away from docs/: a relative link "(#code)" or
 * "(format.md#x)" becomes an absolute one under JMAP_DOCS_URL. Caller frees. */
char *jmap_markdown_absolute(const char *md);

/** "unknown-stage" -> "UnknownStage", "not-a-mapping" -> "NotaMapping": the rule's friendly
 * name in SARIF, a Pascal identifier. Caller frees. */
char *jmap_diag_rule_name(const char *code);

#endif
