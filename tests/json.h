#ifndef JMAP_TEST_JSON_H
#define JMAP_TEST_JSON_H

/* A small, strict JSON reader for tests that check jmap's JSON and SARIF output. */

#include <stdbool.h>
#include <stddef.h>

typedef enum json_kind { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_kind;

typedef struct json {
    json_kind kind;
    double number;
    bool boolean;
    char *string;       /* JSON_STRING (decoded) */
    struct json **items; /* JSON_ARRAY values, JSON_OBJECT values */
    char **keys;        /* JSON_OBJECT keys */
    size_t n_items;
} json;

/** Parse a whole text; NULL when it is not exactly one valid JSON value (strings must be
 * valid UTF-8, without raw control characters). */
json *json_parse(const char *text, size_t len);
void json_free(json *j);

/** The member `key` of an object, or NULL. */
const json *json_get(const json *obj, const char *key);
/** Item i of an array, or NULL. */
const json *json_at(const json *arr, size_t i);
/** The string member `key`, or NULL. */
const char *json_str(const json *obj, const char *key);

#endif
