#ifndef JMAP_IMPORT_MERMAID_H
#define JMAP_IMPORT_MERMAID_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/arena.h"
#include "jmap/diag.h"

/*
 * Importing a Mermaid `journey` diagram as a jmap map (docs/mermaid.md). Two steps: the parser
 * reads the text as Mermaid's journey grammar does, into a jmap_mermaid_journey, reporting at
 * the Mermaid file's line and column; the writer maps it to a jmap map and writes it as YAML.
 */

typedef struct jmap_mermaid_task {
    const char *name;     /* entities decoded, <br> made a space, white space run together */
    double score;         /* clamped to 1..5 */
    const char **actors;  /* distinct, in the order written */
    size_t n_actors;
    size_t section;       /* index into sections */
    unsigned line, col;
} jmap_mermaid_task;

typedef struct jmap_mermaid_section {
    const char *name; /* "" for tasks written before any section */
    unsigned line;
} jmap_mermaid_section;

typedef struct jmap_mermaid_journey {
    const char *title;       /* the last `title` line, or the front matter's title; NULL: none */
    const char *acc_title;   /* NULL when absent */
    const char *acc_descr;   /* NULL when absent; a block's lines joined by spaces */
    jmap_mermaid_section *sections;
    size_t n_sections;
    jmap_mermaid_task *tasks;
    size_t n_tasks;
} jmap_mermaid_journey;

/** Parse `text` (the file named `file` in diagnostics). The journey lives in arena `a`. False
 * when an error was reported. */
bool jmap_mermaid_parse(jmap_arena *a, const char *file, const char *text, size_t len,
                        jmap_mermaid_journey *j, jmap_diags *d);

/** The map for `j` as YAML (malloc'ed, NUL-terminated; *len its length), starting with a
 * comment that names `source` (NULL: standard input); notes name `file`. Notes what it had to invent or drop. */
char *jmap_mermaid_to_yaml(const jmap_mermaid_journey *j, const char *file, const char *source,
                           size_t *len, jmap_diags *d);

/** Both steps: NULL when the text has errors (they are in `d`, with the source kept). */
char *jmap_import_mermaid(const char *file, const char *source, const char *text, size_t len,
                          size_t *out_len, jmap_diags *d);

/** Mermaid's entity codes and line breaks in a name: `#35;`, `#quot;`, `#9829;` decoded,
 * `<br>`, `<br/>`, `</br />` made a space, white space run together and trimmed. A code it
 * does not know is kept as written; *unknown (if not NULL) points at the first such one.
 * Returns a string in `a`. */
const char *jmap_mermaid_text(jmap_arena *a, const char *s, size_t n, const char **unknown);

/** An id from a name: ASCII letters and digits, lowercased, the Latin letters of U+00C0..U+017F
 * without their marks ("Zoë" -> "zoe"), other runs made one '-', at most 40 bytes; `fallback`
 * when nothing is left. Returns a string in `a` (or `fallback` itself). */
const char *jmap_mermaid_slug(jmap_arena *a, const char *name, const char *fallback);

#endif
