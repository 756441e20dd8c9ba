#ifndef JMAP_EXPORT_MERMAID_H
#define JMAP_EXPORT_MERMAID_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/diag.h"
#include "jmap/model.h"

/*
 * The Mermaid export: a resolved map written as a Mermaid `journey` diagram (text, no Cairo),
 * for a README that GitHub, GitLab and most wikis draw by themselves. See docs/mermaid.md.
 *
 *   journey
 *     %% jmap export of NAME.yaml
 *     title TITLE
 *     section STAGE            one per stage that has touchpoints, in stage order
 *       TOUCHPOINT: SCORE: A, B  score = round(emotion) + 3, actors = its personas' names
 *
 * Text that Mermaid's journey grammar would misread is written as Mermaid entity codes
 * (`#58;` for `:`), a newline as `<br>`. The bytes depend on the map alone: no time, no path.
 */

typedef struct jmap_mermaid_opts {
    const char *only_persona; /* --persona: only its touchpoints, and it the only actor */
    const char *source;       /* the map's file name for the `%%` comment; NULL: none */
    bool markdown;            /* inside a ```mermaid fenced block */
} jmap_mermaid_opts;

/* Where an escaped string goes: what the grammar reads there decides what must be escaped. */
typedef enum jmap_mermaid_field {
    JMAP_MERMAID_TITLE,   /* after `title ` */
    JMAP_MERMAID_SECTION, /* after `section ` */
    JMAP_MERMAID_TASK,    /* a task's name, first on its line */
    JMAP_MERMAID_ACTOR    /* one of a task's actors, between commas */
} jmap_mermaid_field;

/** The map as Mermaid text (malloc'd, NUL-terminated, length in *len). */
char *jmap_export_mermaid_write(const jmap_map *map, const jmap_mermaid_opts *o, size_t *len);

/** `s` escaped for `field` (malloc'd): `:` `#` `;` `%` `,` `<` `>` `&` and leading or trailing
 * white space as entity codes, a newline as `<br>`, a name that starts like a keyword with its
 * first letter as a code; never empty (an empty name is `#32;`). */
char *jmap_export_mermaid_escape(const char *s, jmap_mermaid_field field);

/** Mermaid's 1..5 score for an emotion of -2..+2: rounded half away from zero (+0.5 -> 4,
 * -0.5 -> 2), plus 3, kept within 1..5; 3 when the emotion is not set. */
int jmap_export_mermaid_score(jmap_num emotion);

/** Add one note "mermaid-lossy" at the map's file, with the counts of what the export cannot
 * show (KPIs, pain points, ...), for the touchpoints it shows; nothing when nothing is lost.
 * Returns how many items are lost. */
size_t jmap_export_mermaid_note(const jmap_map *map, const char *only_persona, jmap_diags *d);

#endif
