#include "json.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/sanitize.h"

typedef struct reader {
    const char *p, *end;
    int depth;
} reader;

static void skip_ws(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

static json *parse_value(reader *r);

static void put_utf8(char **out, size_t *len, size_t *cap, unsigned cp)
{
    *out = jmap_xgrow(*out, cap, *len + 5, 1);
    if (cp < 0x80) {
        (*out)[(*len)++] = (char)cp;
    } else if (cp < 0x800) {
        (*out)[(*len)++] = (char)(0xC0 | (cp >> 6));
        (*out)[(*len)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        (*out)[(*len)++] = (char)(0xE0 | (cp >> 12));
        (*out)[(*len)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        (*out)[(*len)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static char *parse_string(reader *r)
{
    if (r->p >= r->end || *r->p != '"')
        return NULL;
    r->p++;
    char *out = NULL;
    size_t len = 0, cap = 0;
    while (r->p < r->end && *r->p != '"') {
        unsigned char c = (unsigned char)*r->p++;
        if (c < 0x20)
            goto fail;
        if (c >= 0x80) { /* JSON text is UTF-8 (RFC 8259 section 8.1): refuse anything else */
            uint32_t cp;
            size_t n = jmap_utf8_decode(r->p - 1, (size_t)(r->end - r->p) + 1, &cp);
            if (n == 0)
                goto fail;
            out = jmap_xgrow(out, &cap, len + n + 1, 1);
            memcpy(out + len, r->p - 1, n);
            len += n;
            r->p += n - 1;
            continue;
        }
        if (c != '\\') {
            out = jmap_xgrow(out, &cap, len + 2, 1);
            out[len++] = (char)c;
            continue;
        }
        if (r->p >= r->end)
            goto fail;
        char e = *r->p++;
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char map[] = "\"\\/\b\f\n\r\t";
            put_utf8(&out, &len, &cap, (unsigned char)map[simple - "\"\\/bfnrt"]);
        } else if (e == 'u' && r->end - r->p >= 4) {
            unsigned cp = 0;
            for (int i = 0; i < 4; i++) {
                char h = *r->p++;
                cp <<= 4;
                if (h >= '0' && h <= '9')
                    cp |= (unsigned)(h - '0');
                else if (h >= 'a' && h <= 'f')
                    cp |= (unsigned)(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                    cp |= (unsigned)(h - 'A' + 10);
                else
                    goto fail;
            }
            put_utf8(&out, &len, &cap, cp);
        } else {
            goto fail;
        }
    }
    if (r->p >= r->end)
        goto fail;
    r->p++;
    out = jmap_xgrow(out, &cap, len + 1, 1);
    out[len] = '\0';
    return out;
fail:
    free(out);
    return NULL;
}

static json *new_json(json_kind k)
{
    json *j = jmap_xcalloc(1, sizeof(json));
    j->kind = k;
    return j;
}

static json *parse_container(reader *r, bool object)
{
    json *j = new_json(object ? JSON_OBJECT : JSON_ARRAY);
    size_t cap = 0, kcap = 0;
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == (object ? '}' : ']')) {
        r->p++;
        return j;
    }
    for (;;) {
        skip_ws(r);
        char *key = NULL;
        if (object) {
            key = parse_string(r);
            skip_ws(r);
            if (!key || r->p >= r->end || *r->p != ':') {
                free(key);
                goto fail;
            }
            r->p++;
        }
        json *v = parse_value(r);
        if (!v) {
            free(key);
            goto fail;
        }
        j->items = jmap_xgrow(j->items, &cap, j->n_items + 1, sizeof(json *));
        if (object) {
            j->keys = jmap_xgrow(j->keys, &kcap, j->n_items + 1, sizeof(char *));
            j->keys[j->n_items] = key;
        }
        j->items[j->n_items++] = v;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == (object ? '}' : ']')) {
            r->p++;
            return j;
        }
        goto fail;
    }
fail:
    json_free(j);
    return NULL;
}

static json *parse_value(reader *r)
{
    skip_ws(r);
    if (r->p >= r->end || ++r->depth > 200)
        return NULL;
    json *j = NULL;
    char c = *r->p;
    if (c == '{' || c == '[') {
        j = parse_container(r, c == '{');
    } else if (c == '"') {
        char *s = parse_string(r);
        if (s) {
            j = new_json(JSON_STRING);
            j->string = s;
        }
    } else if (r->end - r->p >= 4 && strncmp(r->p, "true", 4) == 0) {
        j = new_json(JSON_BOOL);
        j->boolean = true;
        r->p += 4;
    } else if (r->end - r->p >= 5 && strncmp(r->p, "false", 5) == 0) {
        j = new_json(JSON_BOOL);
        r->p += 5;
    } else if (r->end - r->p >= 4 && strncmp(r->p, "null", 4) == 0) {
        j = new_json(JSON_NULL);
        r->p += 4;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        char *end;
        char *copy = jmap_xstrndup(r->p, (size_t)(r->end - r->p > 64 ? 64 : r->end - r->p));
        double v = strtod(copy, &end);
        size_t used = (size_t)(end - copy);
        free(copy);
        if (used) {
            j = new_json(JSON_NUMBER);
            j->number = v;
            r->p += used;
        }
    }
    r->depth--;
    return j;
}

json *json_parse(const char *text, size_t len)
{
    reader r = {text, text + len, 0};
    json *j = parse_value(&r);
    skip_ws(&r);
    if (j && r.p != r.end) {
        json_free(j);
        return NULL;
    }
    return j;
}

void json_free(json *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n_items; i++) {
        json_free(j->items[i]);
        if (j->keys)
            free(j->keys[i]);
    }
    free(j->items);
    free(j->keys);
    free(j->string);
    free(j);
}

const json *json_get(const json *obj, const char *key)
{
    if (!obj || obj->kind != JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < obj->n_items; i++) {
        if (strcmp(obj->keys[i], key) == 0)
            return obj->items[i];
    }
    return NULL;
}

const json *json_at(const json *arr, size_t i)
{
    return arr && arr->kind == JSON_ARRAY && i < arr->n_items ? arr->items[i] : NULL;
}

const char *json_str(const json *obj, const char *key)
{
    const json *v = json_get(obj, key);
    return v && v->kind == JSON_STRING ? v->string : NULL;
}
