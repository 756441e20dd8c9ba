#include "load_tree.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "load_hint.h"

/*
 * The event loop that turns libyaml's events into a jmap_node tree. It never calls
 * yaml_parser_load: the limits are enforced event by event, so a hostile file stops at the
 * first event past a limit. In particular the depth limit stops libyaml 0.2.5's quadratic
 * scanner on `[[[[...` long before it gets slow, and the node budget counts alias expansion
 * arithmetically (an alias adds its target's size), so nothing ever walks an alias bomb.
 */

/* An open collection: its node, where its items start in `pending`, and the node count when
 * it started (its expanded size is the growth of the count until it ends). */
typedef struct frame {
    jmap_node *node;
    size_t first;
    size_t total_at_start;
    size_t bytes_at_start;
    bool flow;
    unsigned last_line, last_col; /* end of the last item read */
} frame;

typedef struct anchor {
    const char *name; /* NULL: free slot */
    jmap_node *node;
} anchor;

typedef struct tree_parser {
    jmap_arena *a;
    const char *file;
    const unsigned char *text;
    size_t len;
    size_t skipped; /* bytes of a UTF-8 byte order mark not given to libyaml */
    const jmap_limits *lim;
    jmap_diags *d;

    frame *stack;
    size_t n_stack, cap_stack;
    jmap_node **pending; /* items of the open collections, innermost last */
    size_t n_pending, cap_pending;
    anchor *anchors; /* open addressing, size a power of two, at most half full */
    size_t n_anchors, cap_anchors;
    size_t *line_starts; /* byte offsets of lines, built when a block scalar needs them */
    size_t n_lines;
    size_t cur_line, cur_col, cur_off; /* mark_offset's cursor: 0-based line and column */

    size_t total; /* nodes so far, aliases expanded */
    size_t bytes; /* scalar bytes so far, aliases expanded */
    size_t n_docs;
    jmap_node *root;
    char last_quote; /* the last scalar read, for load_hint.c: '"' or '\'' when quoted */
    yaml_mark_t last_start, last_end;
} tree_parser;

jmap_loc jmap_node_loc(const jmap_node *n, const char *file)
{
    jmap_loc l = {file, n->line, n->col, n->end_line, n->end_col};
    return l;
}

bool jmap_node_is_null(const jmap_node *n)
{
    if (n->kind != JMAP_NODE_SCALAR || n->quoted)
        return false;
    return n->len == 0 || strcmp(n->s, "~") == 0 || strcmp(n->s, "null") == 0 ||
           strcmp(n->s, "Null") == 0 || strcmp(n->s, "NULL") == 0;
}

static jmap_loc mark_loc(const tree_parser *tp, yaml_mark_t m)
{
    jmap_loc l = {tp->file, (unsigned)m.line + 1, (unsigned)m.column + 1, 0, 0};
    return l;
}

/* ---- positions ---------------------------------------------------------------------------- */

/* libyaml's line breaks: LF, CR, CR LF, and NEL, LS, PS. Returns the bytes of the break at p,
 * or 0. */
static size_t break_len(const unsigned char *p, const unsigned char *end)
{
    if (p[0] == '\n')
        return 1;
    if (p[0] == '\r')
        return (p + 1 < end && p[1] == '\n') ? 2 : 1;
    if (p[0] == 0xC2 && p + 1 < end && p[1] == 0x85)
        return 2;
    if (p[0] == 0xE2 && p + 2 < end && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
        return 3;
    return 0;
}

/* A reader error comes with a byte offset and no usable mark: count lines and code points up
 * to it ourselves. */
static jmap_loc offset_loc(const tree_parser *tp, size_t offset)
{
    const unsigned char *p = tp->text, *end = tp->text + (offset < tp->len ? offset : tp->len);
    jmap_loc l = {tp->file, 1, 1, 0, 0};
    p += tp->skipped;
    while (p < end) {
        size_t b = break_len(p, end);
        if (b) {
            l.line++;
            l.col = 1;
            p += b;
            continue;
        }
        if ((*p & 0xC0) != 0x80)
            l.col++;
        p++;
    }
    /* a continuation byte at the offset belongs to the character already counted */
    if (offset < tp->len && (tp->text[offset] & 0xC0) == 0x80 && l.col > 1)
        l.col--;
    return l;
}

/* Code points on 0-based line `line` (without its break); for the end of block scalars, whose
 * end mark is the start of the next line. */
static unsigned line_width(tree_parser *tp, size_t line)
{
    const unsigned char *end = tp->text + tp->len;
    if (!tp->line_starts) {
        size_t cap = 0;
        tp->line_starts = jmap_xgrow(NULL, &cap, 64, sizeof(size_t));
        tp->line_starts[tp->n_lines++] = tp->skipped;
        for (const unsigned char *p = tp->text + tp->skipped; p < end;) {
            size_t b = break_len(p, end);
            p += b ? b : 1;
            if (b) {
                tp->line_starts =
                    jmap_xgrow(tp->line_starts, &cap, tp->n_lines + 1, sizeof(size_t));
                tp->line_starts[tp->n_lines++] = (size_t)(p - tp->text);
            }
        }
    }
    if (line >= tp->n_lines)
        return 0;
    unsigned w = 0;
    for (const unsigned char *p = tp->text + tp->line_starts[line]; p < end && !break_len(p, end);
         p++) {
        if ((*p & 0xC0) != 0x80)
            w++;
    }
    return w;
}

/* The byte offset of a mark (libyaml counts columns in characters). Marks are asked for in
 * file order, so a cursor walks forward from the last one: linear in all, and no table. */
static size_t mark_offset(tree_parser *tp, yaml_mark_t m)
{
    if (m.line < tp->cur_line || (m.line == tp->cur_line && m.column < tp->cur_col)) {
        tp->cur_line = tp->cur_col = 0;
        tp->cur_off = tp->skipped;
    }
    if (tp->cur_off < tp->skipped)
        tp->cur_off = tp->skipped;
    const unsigned char *end = tp->text + tp->len;
    while (tp->cur_off < tp->len && (tp->cur_line < m.line || tp->cur_col < m.column)) {
        size_t b = break_len(tp->text + tp->cur_off, end);
        if (b && tp->cur_line == m.line)
            break; /* a column past the end of its line */
        if (b) {
            tp->cur_off += b;
            tp->cur_line++;
            tp->cur_col = 0;
            continue;
        }
        tp->cur_off++;
        while (tp->cur_off < tp->len && (tp->text[tp->cur_off] & 0xC0) == 0x80)
            tp->cur_off++;
        tp->cur_col++;
    }
    return tp->cur_off;
}

/* True when a line break ends just before byte `off`. */
static bool break_before(const tree_parser *tp, size_t off)
{
    const unsigned char *t = tp->text;
    if (off <= tp->skipped)
        return true;
    if (t[off - 1] == '\n' || t[off - 1] == '\r')
        return true;
    if (off >= tp->skipped + 2 && t[off - 2] == 0xC2 && t[off - 1] == 0x85)
        return true; /* NEL */
    return off >= tp->skipped + 3 && t[off - 3] == 0xE2 && t[off - 2] == 0x80 &&
           (t[off - 1] == 0xA8 || t[off - 1] == 0xA9); /* LS, PS */
}

/* The last character of a scalar from its marks: end_mark is just past it. */
static void scalar_end(tree_parser *tp, jmap_node *n, yaml_mark_t start, yaml_mark_t end)
{
    if (end.column > 0) {
        n->end_line = (unsigned)end.line + 1;
        n->end_col = (unsigned)end.column;
    } else if (end.line > start.line) {
        n->end_line = (unsigned)end.line;
        n->end_col = line_width(tp, end.line - 1);
        if (n->end_col == 0) {
            n->end_col = 1;
        }
    } else {
        n->end_line = n->line;
        n->end_col = n->col;
    }
}

/* ---- anchors ------------------------------------------------------------------------------ */

static size_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

static anchor *anchor_slot(anchor *tab, size_t cap, const char *name)
{
    size_t i = hash_str(name) & (cap - 1);
    while (tab[i].name && strcmp(tab[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

/* A later anchor of the same name replaces the earlier one, as YAML says. */
static void anchor_set(tree_parser *tp, const char *name, jmap_node *node)
{
    if ((tp->n_anchors + 1) * 2 > tp->cap_anchors) {
        size_t cap = tp->cap_anchors ? tp->cap_anchors * 2 : 16;
        anchor *tab = jmap_xcalloc(cap, sizeof(anchor));
        for (size_t i = 0; i < tp->cap_anchors; i++) {
            if (tp->anchors[i].name)
                *anchor_slot(tab, cap, tp->anchors[i].name) = tp->anchors[i];
        }
        free(tp->anchors);
        tp->anchors = tab;
        tp->cap_anchors = cap;
    }
    anchor *s = anchor_slot(tp->anchors, tp->cap_anchors, name);
    if (!s->name) {
        s->name = jmap_arena_strdup(tp->a, name);
        tp->n_anchors++;
    }
    s->node = node;
}

static jmap_node *anchor_get(const tree_parser *tp, const char *name)
{
    if (!tp->cap_anchors)
        return NULL;
    return anchor_slot(tp->anchors, tp->cap_anchors, name)->node;
}

/* ---- building ----------------------------------------------------------------------------- */

/* Count `n` more nodes; false (with a diagnostic) past the budget. */
static bool count_nodes(tree_parser *tp, size_t n, bool alias, jmap_loc at)
{
    size_t max = tp->lim->max_nodes;
    if (n <= max && tp->total <= max - n) { /* never wraps, whatever the limit */
        tp->total += n;
        return true;
    }
    if (alias)
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "alias-budget", at,
                      "aliases expand the document to more than %zu nodes", tp->lim->max_nodes);
    else
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "too-many-nodes", at,
                      "the document has more than %zu nodes", tp->lim->max_nodes);
    return false;
}

/*
 * Count the scalar bytes an alias adds. Each use of a scalar becomes its own copy of the text
 * for the later passes (a title, a goal, a label measured and drawn), so an alias of a long
 * value costs what writing the value out again would. The bound is the input-size limit: aliases
 * cannot make a document larger than a map may be written out. Like the node budget it is
 * arithmetic on the target's total, so an alias bomb is never walked.
 */
static bool count_bytes(tree_parser *tp, const jmap_node *target, jmap_loc at)
{
    size_t max = tp->lim->max_input_bytes;
    if (target->bytes <= max && tp->bytes <= max - target->bytes) {
        tp->bytes += target->bytes;
        return true;
    }
    jmap_diag_add(tp->d, JMAP_SEV_ERROR, "alias-budget", at,
                  "aliases expand the document to more than %zu bytes of text", max);
    jmap_diag_hint(tp->d, "the limit is the input-size limit (--max-input-size); an alias of a "
                          "long value counts its length at every use");
    return false;
}

/* Add a finished node (or an alias's target) to the open collection, or make it the root. */
static void attach(tree_parser *tp, jmap_node *n, unsigned end_line, unsigned end_col)
{
    if (!tp->n_stack) {
        tp->root = n;
        return;
    }
    frame *f = &tp->stack[tp->n_stack - 1];
    tp->pending = jmap_xgrow(tp->pending, &tp->cap_pending, tp->n_pending + 1, sizeof(jmap_node *));
    tp->pending[tp->n_pending++] = n;
    f->last_line = end_line;
    f->last_col = end_col;
}

/* A tag for a message: "!!str" for YAML's own, at most 60 bytes of any other. */
static char *tag_shown(const char *tag)
{
    static const char yaml_prefix[] = "tag:yaml.org,2002:";
    if (strncmp(tag, yaml_prefix, sizeof yaml_prefix - 1) == 0)
        return jmap_xprintf("!!%.60s", tag + sizeof yaml_prefix - 1);
    size_t n = strlen(tag);
    if (n <= 60)
        return jmap_xstrdup(tag);
    n = 60;
    while (n > 0 && ((unsigned char)tag[n] & 0xC0) == 0x80)
        n--;
    return jmap_xprintf("%.*s...", (int)n, tag);
}

/*
 * Tags (!!str, !!binary, !Ref ...) are not part of the format: a value's type comes from its
 * key. A tag is an error at the tag itself; the node is then read as if it had none, so the
 * rest of the file is still checked. The node starts at its first property, which is the
 * anchor in "&a !tag": then the tag is after the anchor, spaces, line breaks and comments.
 */
static void reject_tag(tree_parser *tp, yaml_mark_t start, const char *anchor_name, const char *tag)
{
    jmap_loc at = mark_loc(tp, start);
    size_t off = mark_offset(tp, start);
    const unsigned char *end = tp->text + tp->len;
    if (anchor_name && off < tp->len && tp->text[off] == '&') {
        size_t p = off + 1 + strlen(anchor_name);
        unsigned line = at.line, col = at.col + 1 + (unsigned)strlen(anchor_name);
        while (p < tp->len && tp->text[p] != '!') {
            size_t b = break_len(tp->text + p, end);
            if (b) {
                p += b;
                line++;
                col = 1;
            } else if (tp->text[p] == ' ' || tp->text[p] == '\t') {
                p++;
                col++;
            } else if (tp->text[p] == '#') {
                while (p < tp->len && !break_len(tp->text + p, end))
                    p++;
            } else {
                break;
            }
        }
        if (p < tp->len && tp->text[p] == '!') {
            at.line = line;
            at.col = col;
        }
    }
    char *shown = tag_shown(tag);
    jmap_diag_add(tp->d, JMAP_SEV_ERROR, "yaml-tag", at, "YAML tag '%s' is not supported", shown);
    jmap_diag_hint(tp->d, "remove it: a value's type comes from its key; quote a value to keep "
                          "it as text");
    free(shown);
}

static jmap_node *new_node(tree_parser *tp, jmap_node_kind kind, yaml_mark_t start,
                           const yaml_char_t *anchor_name, const yaml_char_t *tag)
{
    jmap_node *n = jmap_arena_alloc(tp->a, sizeof(*n));
    n->kind = kind;
    n->line = (unsigned)start.line + 1;
    n->col = (unsigned)start.column + 1;
    n->end_line = n->line;
    n->end_col = n->col;
    if (tag)
        reject_tag(tp, start, (const char *)anchor_name, (const char *)tag);
    if (anchor_name)
        anchor_set(tp, (const char *)anchor_name, n);
    return n;
}

static bool on_scalar(tree_parser *tp, const yaml_event_t *ev)
{
    jmap_loc at = mark_loc(tp, ev->start_mark);
    if (ev->data.scalar.length > tp->lim->max_string_bytes) {
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "string-too-long", at,
                      "a value of %zu bytes is longer than the limit of %zu",
                      ev->data.scalar.length, tp->lim->max_string_bytes);
        return false;
    }
    if (!count_nodes(tp, 1, false, at))
        return false;
    jmap_node *n =
        new_node(tp, JMAP_NODE_SCALAR, ev->start_mark, ev->data.scalar.anchor, ev->data.scalar.tag);
    n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    tp->last_quote = ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE   ? '"'
                     : ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ? '\''
                                                                                : 0;
    tp->last_start = ev->start_mark;
    tp->last_end = ev->end_mark;
    n->s = jmap_arena_strndup(tp->a, (const char *)ev->data.scalar.value, ev->data.scalar.length);
    n->len = ev->data.scalar.length;
    n->expanded = 1;
    /* Not checked: written text is already bounded by the input size (an escape such as \L
     * can make a value at most 1.5 times its source); only aliases are held to the bound. */
    n->bytes = n->len;
    tp->bytes += n->len;
    scalar_end(tp, n, ev->start_mark, ev->end_mark);
    attach(tp, n, n->end_line, n->end_col);
    return true;
}

static bool on_start(tree_parser *tp, const yaml_event_t *ev, jmap_node_kind kind)
{
    jmap_loc at = mark_loc(tp, ev->start_mark);
    if (tp->n_stack + 1 > tp->lim->max_depth) {
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "too-deep", at,
                      "collections are nested deeper than the limit of %u", tp->lim->max_depth);
        return false;
    }
    if (!count_nodes(tp, 1, false, at))
        return false;
    bool seq = kind == JMAP_NODE_SEQ;
    jmap_node *n = new_node(tp, kind, ev->start_mark,
                            seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor,
                            seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag);
    n->open = true;
    tp->stack = jmap_xgrow(tp->stack, &tp->cap_stack, tp->n_stack + 1, sizeof(frame));
    frame *f = &tp->stack[tp->n_stack++];
    f->node = n;
    f->first = tp->n_pending;
    f->total_at_start = tp->total - 1;
    f->bytes_at_start = tp->bytes;
    f->flow = seq ? ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                  : ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
    f->last_line = n->line;
    f->last_col = n->col;
    return true;
}

/* ---- merge keys ---------------------------------------------------------------------------- */

/* `<<` written plain: YAML's merge key. Quoted, it is an ordinary key. (A tag, such as
 * !!merge, is an error of its own.) */
static bool is_merge_key(const jmap_node *k)
{
    if (k->kind != JMAP_NODE_SCALAR)
        return false;
    return !k->quoted && strcmp(k->s, "<<") == 0;
}

/* True when `key` (a scalar) is already among the n_pairs key/value pairs at `pairs`, none of
 * which is a merge key. */
static bool has_key(jmap_node *const *pairs, size_t n_pairs, const jmap_node *key)
{
    if (key->kind != JMAP_NODE_SCALAR)
        return false;
    for (size_t i = 0; i < n_pairs; i++) {
        const jmap_node *k = pairs[2 * i];
        if (k->kind == JMAP_NODE_SCALAR && k->len == key->len &&
            memcmp(k->s, key->s, key->len) == 0)
            return true;
    }
    return false;
}

/* Append the pairs of `from` (itself already merged: it has no merge key left) whose keys are
 * neither among the mapping's `own` pairs nor merged before. */
static void merge_from(jmap_node ***out, size_t *n_out, size_t *cap, jmap_node *const *own,
                       size_t n_own, const jmap_node *from)
{
    for (size_t i = 0; i + 1 < from->n_items; i += 2) {
        jmap_node *k = from->items[i];
        if (has_key(own, n_own, k) || has_key(*out, *n_out, k))
            continue; /* the mapping's own keys, and earlier merged ones, win */
        *out = jmap_xgrow(*out, cap, 2 * (*n_out + 1), sizeof(jmap_node *));
        (*out)[2 * *n_out] = k;
        (*out)[2 * *n_out + 1] = from->items[i + 1];
        ++*n_out;
    }
}

/*
 * YAML 1.1's merge key, which teams use to share KPI sets: `<<: *base` (or a list of aliases)
 * copies the pairs of the mappings it names into this one, except keys it already has; with a
 * list, earlier mappings win. The merged pairs keep the places where they were written. Their
 * nodes were counted when the aliases were read, so the node budget already covers them.
 */
static bool merge_keys(tree_parser *tp, size_t first)
{
    if (tp->n_pending == first)
        return true; /* an empty mapping; `pending` may not even exist yet */
    jmap_node **pairs = tp->pending + first;
    size_t n_pairs = (tp->n_pending - first) / 2;
    bool any = false;
    for (size_t i = 0; i < n_pairs && !any; i++)
        any = is_merge_key(pairs[2 * i]);
    if (!any)
        return true;

    jmap_node **own = NULL, **merged = NULL;
    size_t n_own = 0, cap_own = 0, n_merged = 0, cap_merged = 0;
    for (size_t i = 0; i < n_pairs; i++) {
        if (is_merge_key(pairs[2 * i]))
            continue;
        own = jmap_xgrow(own, &cap_own, 2 * (n_own + 1), sizeof(jmap_node *));
        own[2 * n_own] = pairs[2 * i];
        own[2 * n_own + 1] = pairs[2 * i + 1];
        n_own++;
    }
    bool ok = true;
    for (size_t i = 0; i < n_pairs && ok; i++) {
        if (!is_merge_key(pairs[2 * i]))
            continue;
        const jmap_node *key = pairs[2 * i], *v = pairs[2 * i + 1];
        bool list = v->kind == JMAP_NODE_SEQ;
        for (size_t j = 0; ok && j < (list ? v->n_items : 1); j++) {
            const jmap_node *from = list ? v->items[j] : v;
            if (from->kind != JMAP_NODE_MAP) {
                /* At the key: the value is often an alias, written far away. */
                jmap_diag_add(tp->d, JMAP_SEV_ERROR, "merge-not-mapping",
                              jmap_node_loc(key, tp->file),
                              "the merge key '<<' takes a mapping or a list of mappings");
                if (from->line != key->line)
                    jmap_diag_hint(tp->d, "what it is given starts at %u:%u", from->line,
                                   from->col);
                else
                    jmap_diag_hint(tp->d, "write '<<: *name' where '&name' anchors a mapping");
                ok = false;
                break;
            }
            merge_from(&merged, &n_merged, &cap_merged, own, n_own, from);
        }
    }
    if (ok) {
        /* The own pairs keep their order; the merged ones follow. */
        tp->n_pending = first;
        size_t need = first + 2 * (n_own + n_merged);
        tp->pending = jmap_xgrow(tp->pending, &tp->cap_pending, need, sizeof(jmap_node *));
        if (n_own)
            memcpy(tp->pending + first, own, 2 * n_own * sizeof(jmap_node *));
        if (n_merged)
            memcpy(tp->pending + first + 2 * n_own, merged, 2 * n_merged * sizeof(jmap_node *));
        tp->n_pending = need;
    }
    free(own);
    free(merged);
    return ok;
}

/* A collection ends: its items move from `pending` into the arena at their exact number. */
static bool on_end(tree_parser *tp, const yaml_event_t *ev)
{
    if (tp->stack[tp->n_stack - 1].node->kind == JMAP_NODE_MAP &&
        !merge_keys(tp, tp->stack[tp->n_stack - 1].first))
        return false;
    frame f = tp->stack[--tp->n_stack];
    jmap_node *n = f.node;
    n->n_items = tp->n_pending - f.first;
    if (n->n_items) {
        n->items = jmap_arena_calloc(tp->a, n->n_items, sizeof(jmap_node *));
        memcpy(n->items, tp->pending + f.first, n->n_items * sizeof(jmap_node *));
    }
    tp->n_pending = f.first;
    n->open = false;
    n->expanded = tp->total - f.total_at_start;
    n->bytes = tp->bytes - f.bytes_at_start;
    if (f.flow && ev->end_mark.column > 0) {
        n->end_line = (unsigned)ev->end_mark.line + 1; /* the closing bracket */
        n->end_col = (unsigned)ev->end_mark.column;
    } else {
        n->end_line = f.last_line;
        n->end_col = f.last_col;
    }
    attach(tp, n, n->end_line, n->end_col);
    return true;
}

static bool on_alias(tree_parser *tp, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    jmap_loc at = mark_loc(tp, ev->start_mark);
    jmap_node *target = anchor_get(tp, name);
    if (!target) {
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "undefined-alias", at, "undefined alias '%s'", name);
        return false;
    }
    if (target->open) {
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "alias-cycle", at,
                      "alias '%s' refers to a collection that contains it", name);
        jmap_diag_hint(tp->d, "anchor '%s' is at %u:%u", name, target->line, target->col);
        return false;
    }
    if (!count_nodes(tp, target->expanded, true, at) || !count_bytes(tp, target, at))
        return false;
    attach(tp, target, (unsigned)ev->end_mark.line + 1,
           ev->end_mark.column ? (unsigned)ev->end_mark.column : at.col);
    return true;
}

/* ---- errors ------------------------------------------------------------------------------- */

static void reader_error(tree_parser *tp, const yaml_parser_t *yp)
{
    size_t off = yp->problem_offset + tp->skipped;
    jmap_loc at = offset_loc(tp, off);
    const char *problem = yp->problem ? yp->problem : "cannot read the input";
    int value = yp->problem_value;
    unsigned byte = off < tp->len ? tp->text[off] : 0;
    if (strstr(problem, "incomplete UTF-8") || strstr(problem, "invalid length"))
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "invalid-encoding", at,
                      "invalid UTF-8 sequence starting with byte 0x%02x", byte);
    else if (strstr(problem, "UTF-8") && value >= 0)
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "invalid-encoding", at, "invalid UTF-8 byte 0x%02x",
                      (unsigned)value);
    else if (strstr(problem, "control characters") && value >= 0)
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "invalid-encoding", at,
                      "control character U+%04X is not allowed", (unsigned)value);
    else if (strstr(problem, "invalid Unicode") && value >= 0)
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "invalid-encoding", at,
                      "invalid Unicode character U+%04X", (unsigned)value);
    else
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "invalid-encoding", at, "%s", problem);
    jmap_diag_hint(tp->d, "a map file must be UTF-8 text");
}

/* libyaml's limit on a key written without '?' (a "simple key"): YAML 1.2 says 1024. */
#define MAX_SIMPLE_KEY 1024

/*
 * libyaml gives up on a key that runs on for more than 1024 characters, and says only "could
 * not find expected ':'" (when a key was required there) or, at the ':' that comes too late,
 * "mapping values are not allowed in this context" or "did not find expected ',' or '}'".
 * Find the key: the first case names where it starts; in the others it is the text before
 * the ':' on its line, back to the indentation (and any "- "), or to a '{', '[' or ','. When
 * a ": " comes first, the text is a value, and the error is about something else.
 */
static bool long_key(tree_parser *tp, const yaml_parser_t *yp, yaml_mark_t *key)
{
    yaml_mark_t pm = yp->problem_mark, cm = yp->context_mark;
    if (yp->context && strcmp(yp->context, "while scanning a simple key") == 0) {
        if (cm.line != pm.line || pm.index - cm.index <= MAX_SIMPLE_KEY)
            return false;
        *key = cm;
        return true;
    }
    if (!yp->problem || (strcmp(yp->problem, "mapping values are not allowed in this context") &&
                         strncmp(yp->problem, "did not find expected ','", 25)))
        return false;
    if (pm.column <= MAX_SIMPLE_KEY)
        return false;
    size_t colon = mark_offset(tp, pm);
    if (colon >= tp->len || tp->text[colon] != ':')
        return false;
    size_t start = colon;
    while (!break_before(tp, start)) {
        unsigned char c = tp->text[start - 1];
        if (c == '{' || c == '[' || c == ',')
            break;
        if (c == ':' && (tp->text[start] == ' ' || tp->text[start] == '\t'))
            return false;
        start--;
    }
    /* spaces, and at the start of the line the "- " of list items */
    bool line_start = break_before(tp, start);
    for (;;) {
        while (start < colon && (tp->text[start] == ' ' || tp->text[start] == '\t'))
            start++;
        if (!line_start || tp->text[start] != '-' || start + 1 >= colon ||
            (tp->text[start + 1] != ' ' && tp->text[start + 1] != '\t'))
            break;
        start++;
    }
    size_t chars = 0;
    for (size_t i = start; i < colon; i++)
        chars += (tp->text[i] & 0xC0) != 0x80;
    if (chars <= MAX_SIMPLE_KEY)
        return false;
    /* the mark of `start`: same line, its column counted back from the colon's */
    *key = pm;
    key->column = pm.column - chars;
    key->index = pm.index - chars;
    return true;
}

static void parse_error(tree_parser *tp, const yaml_parser_t *yp)
{
    switch (yp->error) {
    case YAML_MEMORY_ERROR:
        fputs("jmap: out of memory\n", stderr);
        abort();
    case YAML_READER_ERROR:
        reader_error(tp, yp);
        return;
    default:
        break;
    }
    yaml_mark_t key;
    if (long_key(tp, yp, &key)) {
        jmap_diag_add(tp->d, JMAP_SEV_ERROR, "key-too-long", mark_loc(tp, key),
                      "a key longer than %d characters cannot be read", MAX_SIMPLE_KEY);
        jmap_diag_hint(tp->d,
                       "YAML limits a key written as 'key: value' to %d characters; "
                       "is a ':' missing, or a value written where a key belongs?",
                       MAX_SIMPLE_KEY);
        return;
    }
    jmap_yaml_error e = {
        yp->problem,
        {yp->problem_mark.line, yp->problem_mark.column},
        yp->context,
        {yp->context_mark.line, yp->context_mark.column},
        tp->last_quote,
        {tp->last_start.line, tp->last_start.column},
        {tp->last_end.line, tp->last_end.column},
    };
    if (jmap_load_hint(tp->file, (const char *)tp->text, tp->len, tp->skipped, &e, tp->d))
        return;
    jmap_diag_add(tp->d, JMAP_SEV_ERROR, "yaml-syntax", mark_loc(tp, yp->problem_mark), "%s",
                  yp->problem ? yp->problem : "invalid YAML");
    if (yp->context)
        jmap_diag_hint(tp->d, "%s at %u:%u", yp->context, (unsigned)yp->context_mark.line + 1,
                       (unsigned)yp->context_mark.column + 1);
}

/* ---- the loop ----------------------------------------------------------------------------- */

/* Handle one event. Returns 1 to go on, 0 at the end of the stream, -1 after an error. */
static int on_event(tree_parser *tp, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++tp->n_docs > 1) {
            jmap_diag_add(tp->d, JMAP_SEV_ERROR, "multiple-documents", mark_loc(tp, ev->start_mark),
                          "a second YAML document starts here; a file holds one document");
            return -1;
        }
        return 1;
    case YAML_STREAM_END_EVENT:
        return 0;
    case YAML_SCALAR_EVENT:
        return on_scalar(tp, ev) ? 1 : -1;
    case YAML_SEQUENCE_START_EVENT:
        return on_start(tp, ev, JMAP_NODE_SEQ) ? 1 : -1;
    case YAML_MAPPING_START_EVENT:
        return on_start(tp, ev, JMAP_NODE_MAP) ? 1 : -1;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_end(tp, ev) ? 1 : -1;
    case YAML_ALIAS_EVENT:
        return on_alias(tp, ev) ? 1 : -1;
    default: /* stream start, document end, no event */
        return 1;
    }
}

/* Length of the valid UTF-8 sequence at p (at most `left` bytes), or 0 when it is invalid:
 * a stray continuation byte, a bad lead byte, a truncated or overlong sequence, a surrogate,
 * or a code point past U+10FFFF. */
static size_t utf8_sequence(const unsigned char *p, size_t left)
{
    unsigned char c = p[0];
    size_t n;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1Fu;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0Fu;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07u;
    else
        return 0;
    if (left < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

/* libyaml reports a bad UTF-8 sequence at the byte after its lead byte; checking first puts
 * the error where the sequence starts and says what is wrong with it. */
static bool check_utf8(tree_parser *tp)
{
    for (size_t off = tp->skipped; off < tp->len;) {
        size_t n = utf8_sequence(tp->text + off, tp->len - off);
        if (n) {
            off += n;
            continue;
        }
        unsigned char c = tp->text[off];
        jmap_loc at = offset_loc(tp, off);
        if (c >= 0x80 && c < 0xC0)
            jmap_diag_add(tp->d, JMAP_SEV_ERROR, "invalid-encoding", at,
                          "invalid UTF-8 byte 0x%02x (a continuation byte with no lead byte)", c);
        else if (c >= 0xC2 && c <= 0xF4)
            jmap_diag_add(tp->d, JMAP_SEV_ERROR, "invalid-encoding", at,
                          "invalid UTF-8 sequence starting with byte 0x%02x", c);
        else
            jmap_diag_add(tp->d, JMAP_SEV_ERROR, "invalid-encoding", at,
                          "invalid UTF-8 byte 0x%02x", c);
        jmap_diag_hint(tp->d, "a map file must be UTF-8 text");
        return false;
    }
    return true;
}

jmap_node *jmap_tree_parse(jmap_arena *a, const char *file, const char *text, size_t len,
                           const jmap_limits *lim, jmap_diags *d)
{
    if (!jmap_load_check_encoding(file, text, len, d))
        return NULL;
    tree_parser tp = {
        .a = a, .file = file, .text = (const unsigned char *)text, .len = len, .lim = lim, .d = d};
    /* The format is UTF-8 only; a BOM is skipped here so that columns on line 1 are right. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        tp.skipped = 3;
    if (!check_utf8(&tp)) {
        free(tp.line_starts);
        return NULL;
    }

    yaml_parser_t yp;
    if (!yaml_parser_initialize(&yp)) {
        fputs("jmap: out of memory\n", stderr);
        abort();
    }
    yaml_parser_set_input_string(&yp, tp.text + tp.skipped, len - tp.skipped);
    yaml_parser_set_encoding(&yp, YAML_UTF8_ENCODING);

    int state = 1;
    while (state > 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&yp, &ev)) {
            parse_error(&tp, &yp);
            state = -1;
            break;
        }
        state = on_event(&tp, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&yp);
    free(tp.stack);
    free(tp.pending);
    free(tp.anchors);
    free(tp.line_starts);

    if (state < 0)
        return NULL;
    if (!tp.root || jmap_node_is_null(tp.root)) {
        jmap_loc at = {file, 1, 1, 0, 0};
        jmap_diag_add(d, JMAP_SEV_ERROR, "empty-file", at, "the file has no content");
        return NULL;
    }
    return tp.root;
}
