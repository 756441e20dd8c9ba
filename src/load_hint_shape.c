#include "load_hint.h"

#include <string.h>

#include "load_tree.h"

/*
 * Hints for the loader's [wrong-type] errors about a value's shape: a list where a mapping
 * belongs, or the other way round. Each gives a short example of the shape meant. What a hint
 * quotes from the map is short and plain (`showable`), and the printer sanitises it anyway.
 */

/* The first line of an item of each kind of list, as an example. */
static const char *item_example(const char *what)
{
    if (strcmp(what, "persona") == 0)
        return "- id: maya";
    if (strcmp(what, "touchpoint") == 0)
        return "- stage: awareness";
    if (strcmp(what, "KPI") == 0)
        return "- name: Sign-ups";
    return "- id: awareness"; /* a stage */
}

/* A scalar short and plain enough to show inside [...] or "..." as it is. */
static bool showable(const jmap_node *n, const char *also_not)
{
    if (n->kind != JMAP_NODE_SCALAR || n->len == 0 || n->len > 40)
        return false;
    for (size_t i = 0; i < n->len; i++) {
        unsigned char c = (unsigned char)n->s[i];
        if (c < 0x20 || c == 0x7f || strchr("\"'\\", c) || strchr(also_not, c))
            return false;
    }
    return true;
}

void jmap_load_hint_list(jmap_diags *d, const char *key, const char *what, const jmap_node *n)
{
    (void)n;
    jmap_diag_hint(d,
                   "'%s' is a list: start each %s with '- ' on its own line under it, as in "
                   "'%s', its other keys lined up under the first",
                   key, what, item_example(what));
}

void jmap_load_hint_item(jmap_diags *d, const char *what, const jmap_node *item)
{
    if (item->kind == JMAP_NODE_SEQ)
        jmap_diag_hint(d,
                       "remove the extra '- ': the keys of one %s go under a single '- ', as in "
                       "'%s'",
                       what, item_example(what));
    else
        jmap_diag_hint(d,
                       "a %s is a mapping of keys: write it as '%s' with its other keys "
                       "lined up under the first",
                       what, item_example(what));
}

void jmap_load_hint_strings(jmap_diags *d, const char *key, const jmap_node *n)
{
    if (showable(n, "[]{}#:&*!|>%@`")) /* "a, b" is fine: [a, b] is the list meant */
        jmap_diag_hint(d, "write it as a list: %s: [%s]", key, n->s);
    else
        jmap_diag_hint(d, "write a list: %s: [first, second], or one '- ' item per line", key);
}

void jmap_load_hint_string_item(jmap_diags *d, const jmap_node *item)
{
    if (item->kind != JMAP_NODE_MAP)
        return;
    /* `- Note: she is busy` is a mapping of one key; the text is the key, ": ", the value */
    if (item->n_items == 2 && showable(item->items[0], "") && showable(item->items[1], "") &&
        !item->items[0]->quoted && !item->items[1]->quoted)
        jmap_diag_hint(d, "a ': ' in the text made it a key and a value; quote it: \"%s: %s\"",
                       item->items[0]->s, item->items[1]->s);
    else
        jmap_diag_hint(d, "a ': ' in the text makes it a key and a value; quote it: \"...\"");
}
