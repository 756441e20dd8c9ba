#ifndef JMAP_LOAD_SCHEMA_H
#define JMAP_LOAD_SCHEMA_H

/*
 * Internal to the load pass and the JSON Schema generator: the tables that describe each kind
 * of mapping in a map or a stage-model file (its keys, their types, which are required, the
 * rule each value obeys and what it means). load.c reads documents with them; schema.c writes
 * them out as a JSON Schema, so the schema an editor uses is the one the loader enforces.
 */

#include <stdbool.h>
#include <stddef.h>

#include "jmap/rules.h"

typedef enum field_kind {
    F_STR,    /* jmap_str */
    F_NUM,    /* jmap_num */
    F_INT,    /* jmap_num holding an integer */
    F_STRS,   /* list of strings: jmap_str *, size_t count, optional jmap_loc */
    F_LIST,   /* list of mappings of another schema: T *, size_t count, optional jmap_loc */
    F_SOURCE, /* a string or a list of strings, checked and ignored */
} field_kind;

typedef enum limit_id { LIM_NONE, LIM_PERSONAS, LIM_STAGES, LIM_TOUCHPOINTS } limit_id;

typedef struct schema schema;

typedef struct field {
    const char *key;
    field_kind kind;
    bool required;
    size_t off;                  /* the value, or the list's pointer */
    size_t n_off;                /* lists: the count */
    size_t loc_off;              /* lists: the list's jmap_loc, or NO_OFF */
    const schema *items;         /* F_LIST */
    limit_id limit;              /* F_LIST */
    const jmap_value_rule *rule; /* the value's rule, or each item's in a list of strings;
                                    the check pass enforces it */
    size_t min_items;            /* lists: fewer is an error of the check pass */
    const char *doc;             /* one line for editors, as docs/format.md says it */
} field;

struct schema {
    const char *what; /* in messages: "unknown key 'x' in touchpoint" */
    size_t size;      /* of the struct */
    size_t loc_off;   /* of its jmap_loc */
    const field *fields;
    size_t n_fields;
    void (*finish)(void *obj);
    const char *doc; /* what the mapping is, for editors */
    size_t unread_off; /* its `unsigned unread` (JMAP_UNREAD_*), or NO_OFF */
};

/** The top level of a map, and of a stage-model file. */
extern const schema jmap_load_map_schema, jmap_load_model_schema;

#endif
