#ifndef JMAP_LOAD_TREE_H
#define JMAP_LOAD_TREE_H

/*
 * Internal to the load pass: YAML text -> a small generic node tree (scalar, sequence,
 * mapping), read from libyaml's event stream under jmap_limits. load.c turns the tree into the
 * model; load_tree.c is the only file that includes <yaml.h>.
 *
 * An alias is not a node of its own: the parent holds a pointer to the anchored node, so a
 * tree is a DAG. The parser guarantees that it has no cycles, that its size after alias
 * expansion is at most lim->max_nodes, and that aliases do not take the bytes of its scalars
 * past lim->max_input_bytes. Tags are not kept: each one is an error ("yaml-tag"),
 * and the node is read as if it had none.
 */

#include <stdbool.h>
#include <stddef.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/load.h"

typedef enum jmap_node_kind { JMAP_NODE_SCALAR, JMAP_NODE_SEQ, JMAP_NODE_MAP } jmap_node_kind;

typedef struct jmap_node jmap_node;
struct jmap_node {
    jmap_node_kind kind;
    bool quoted;        /* scalar: written quoted or as a block scalar (| or >), not plain */
    bool open;          /* collection: its end has not been read yet (parser-internal) */
    unsigned line, col; /* 1-based, columns in code points */
    unsigned end_line, end_col; /* the last character */
    const char *s;     /* scalar: NUL-terminated value */
    size_t len;        /* scalar: bytes */
    jmap_node **items; /* sequence: items; mapping: key, value, key, value, ... */
    size_t n_items;
    size_t expanded; /* nodes in this subtree after alias expansion, itself included */
    size_t bytes;    /* bytes of the scalars in this subtree after alias expansion */
    const char *kept; /* scalar: load.c's copy in the model's arena, shared by every alias */
};

/**
 * Parse `len` bytes of `text` into a tree allocated in `a`. Returns the root (the single
 * document's root node), or NULL after adding an error diagnostic to `d`: YAML syntax,
 * invalid encoding, an empty file, several documents, or a limit exceeded.
 */
jmap_node *jmap_tree_parse(jmap_arena *a, const char *file, const char *text, size_t len,
                           const jmap_limits *lim, jmap_diags *d);

/** True for a plain null scalar: empty, "~", "null", "Null", "NULL". */
bool jmap_node_is_null(const jmap_node *n);

/** The node's location in `file`. */
jmap_loc jmap_node_loc(const jmap_node *n, const char *file);

#endif
