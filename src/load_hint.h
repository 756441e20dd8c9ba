#ifndef JMAP_LOAD_HINT_H
#define JMAP_LOAD_HINT_H

/*
 * Internal to the load pass: jmap's own words for libyaml's commonest syntax errors. load_tree.c
 * hands over what libyaml said (its problem and context, with their marks) and the last scalar
 * it read; this module looks at the source text around those marks and, when it recognises the
 * slip, reports it with its own code and a hint:
 *
 *   yaml-tab             a tab in the indentation
 *   yaml-unquoted-colon  a plain value holding ": "
 *   yaml-indent          a key or list item not lined up with the one before it
 *   yaml-unclosed        a quote or a bracket that is never closed (reported where it opens)
 *
 * and a few more get a hint under the generic yaml-syntax code. No libyaml type appears here:
 * marks are 0-based lines and columns in code points, as libyaml counts them. Every scan is
 * linear in the text and runs once, as a parse stops at its first syntax error.
 */

#include <stdbool.h>
#include <stddef.h>

#include "jmap/diag.h"

typedef struct jmap_yaml_mark {
    size_t line, col; /* 0-based; columns in code points */
} jmap_yaml_mark;

typedef struct jmap_yaml_error {
    const char *problem; /* libyaml's text, or NULL */
    jmap_yaml_mark problem_mark;
    const char *context; /* NULL when libyaml gave none */
    jmap_yaml_mark context_mark;
    /* The last scalar read before the error, when it was quoted: '"' or '\'', else 0. */
    char last_quote;
    jmap_yaml_mark last_start, last_end; /* its opening quote; just past its closing quote */
} jmap_yaml_error;

/**
 * Report a syntax error the way jmap words it: true after adding one error (and its hint) to
 * `d`; false when the slip is not one this module knows, and the caller reports libyaml's text.
 * `text` is the whole file; its first `skipped` bytes (a byte-order mark) are not YAML.
 */
bool jmap_load_hint(const char *file, const char *text, size_t len, size_t skipped,
                    const jmap_yaml_error *e, jmap_diags *d);

/*
 * Hints for values of the wrong shape, the loader's [wrong-type] errors (load_hint_shape.c):
 * each adds a hint with a short example to the diagnostic reported just before. `key` is the
 * key the value is under, `what` the kind of its items ("persona").
 */

typedef struct jmap_node jmap_node;

/** A list of mappings (`personas:`) was given `n`, which is not a list. */
void jmap_load_hint_list(jmap_diags *d, const char *key, const char *what, const jmap_node *n);

/** An item of such a list is not a mapping: `- - x`, or a lone `- text`. */
void jmap_load_hint_item(jmap_diags *d, const char *what, const jmap_node *item);

/** A list of strings (`goals:`, `lanes:`) was given `n`, which is not a list. */
void jmap_load_hint_strings(jmap_diags *d, const char *key, const jmap_node *n);

/** An item of a list of strings is not a string: a mapping made by an unquoted ": ". */
void jmap_load_hint_string_item(jmap_diags *d, const jmap_node *item);

#endif
