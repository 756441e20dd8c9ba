#include "jmap/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_schema.h"

/*
 * Writes load_schema.h's tables as a JSON Schema. Each key becomes a property with its
 * description, type and rule; each kind of mapping a definition with `additionalProperties:
 * false` (an unknown key is an error) and `^x-` allowed (extensions). What the tables cannot
 * say, the rules that tie two keys together, is written at the end of this file, next to the
 * check-pass diagnostics they mirror.
 *
 * Types follow how jmap reads YAML, not JSON: where jmap wants text it takes any scalar (a
 * plain 2026 or true is the text "2026" or "true"), and an optional key with a null value is
 * absent, so such keys also allow null. A required key must not be null (jmap: missing).
 */

#define MAX_DEPTH 16

static void out_of_memory(void)
{
    fputs("jmap: out of memory\n", stderr);
    abort();
}

typedef struct writer {
    FILE *f;
    int depth;
    bool first[MAX_DEPTH];
} writer;

static void sep(writer *w)
{
    if (!w->first[w->depth])
        fputc(',', w->f);
    w->first[w->depth] = false;
    if (w->depth == 0)
        return; /* the document's own brace */
    fputc('\n', w->f);
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->f);
}

static void put_string(writer *w, const char *s)
{
    fputc('"', w->f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(w->f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(w->f, "\\u%04x", *p);
        else
            fputc(*p, w->f);
    }
    fputc('"', w->f);
}

static void put_key(writer *w, const char *key)
{
    sep(w);
    if (key) {
        put_string(w, key);
        fputs(": ", w->f);
    }
}

static void open_obj(writer *w, const char *key)
{
    put_key(w, key);
    fputc('{', w->f);
    w->first[++w->depth] = true;
}

static void close_obj(writer *w)
{
    bool empty = w->first[w->depth--];
    if (!empty) {
        fputc('\n', w->f);
        for (int i = 0; i < w->depth; i++)
            fputs("  ", w->f);
    }
    fputc('}', w->f);
}

static void str(writer *w, const char *key, const char *value)
{
    put_key(w, key);
    put_string(w, value);
}

static void num(writer *w, const char *key, double value)
{
    put_key(w, key);
    fprintf(w->f, "%lld", (long long)value); /* every number in the rules is whole */
}

static void raw(writer *w, const char *key, const char *json)
{
    put_key(w, key);
    fputs(json, w->f);
}

/* ["a", "b"] on one line, with null last when `with_null`. */
static void words(writer *w, const char *key, const char *const *list, size_t n, bool with_null)
{
    put_key(w, key);
    fputc('[', w->f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", w->f);
        put_string(w, list[i]);
    }
    fputs(with_null ? (n ? ", null]" : "null]") : "]", w->f);
}

/* The definition name of a kind of mapping: "KPI" -> "kpi". */
static const char *def_name(const schema *sc)
{
    return strcmp(sc->what, "KPI") == 0 ? "kpi" : sc->what;
}

/* A scalar value under its rule: the type (and null when it may be absent), then the rule. */
static void scalar(writer *w, const jmap_value_rule *rule, bool number, bool nullable)
{
    if (rule && rule->words) {
        raw(w, "type", nullable ? "[\"string\", \"null\"]" : "\"string\"");
        words(w, "enum", rule->words, rule->n_words, nullable);
        return;
    }
    if (number) {
        const char *t = rule && rule->integer ? "integer" : "number";
        char buf[64];
        snprintf(buf, sizeof(buf), nullable ? "[\"%s\", \"null\"]" : "\"%s\"", t);
        raw(w, "type", buf);
        if (rule && rule->ranged) {
            num(w, "minimum", rule->min);
            num(w, "maximum", rule->max);
        }
        return;
    }
    if (rule == &jmap_rule_kpi_id) /* a plain 2026 or 1.5 is the id "2026" or "1.5" */
        raw(w, "type",
            nullable ? "[\"string\", \"number\", \"boolean\", \"null\"]"
                     : "[\"string\", \"number\", \"boolean\"]");
    else if (rule == &jmap_rule_id) /* a plain 2026 or true is the id "2026" or "true"; -1 and 1.5
                                  are not ids */
        raw(w, "type",
            nullable ? "[\"string\", \"integer\", \"boolean\", \"null\"]"
                     : "[\"string\", \"integer\", \"boolean\"]");
    else if (rule && rule->pattern) /* a colour, a url: no number is one */
        raw(w, "type", nullable ? "[\"string\", \"null\"]" : "\"string\"");
    else
        raw(w, "type",
            nullable ? "[\"string\", \"number\", \"boolean\", \"null\"]"
                     : "[\"string\", \"number\", \"boolean\"]");
    if (rule == &jmap_rule_id || rule == &jmap_rule_kpi_id)
        num(w, "minimum", 0);
    if (rule && rule->pattern)
        str(w, "pattern", rule->pattern);
    else if (rule && rule->nonblank)
        str(w, "pattern", "[^ \\t\\n\\r]"); /* something besides whitespace */
}

static void property(writer *w, const field *f)
{
    open_obj(w, f->key);
    str(w, "description", f->doc);
    bool nullable = !f->required;
    switch (f->kind) {
    case F_STR:
        scalar(w, f->rule, false, nullable);
        break;
    case F_NUM:
    case F_INT:
        scalar(w, f->rule, true, nullable);
        break;
    case F_STRS:
    case F_LIST:
        raw(w, "type", nullable ? "[\"array\", \"null\"]" : "\"array\"");
        if (f->min_items)
            num(w, "minItems", (double)f->min_items);
        open_obj(w, "items");
        if (f->kind == F_LIST) {
            char ref[64];
            snprintf(ref, sizeof(ref), "#/definitions/%s", def_name(f->items));
            str(w, "$ref", ref);
        } else {
            scalar(w, f->rule, false, false); /* a null item is an error */
        }
        close_obj(w);
        break;
    case F_SOURCE:
        raw(w, "type", "[\"string\", \"number\", \"boolean\", \"array\", \"null\"]");
        open_obj(w, "items");
        scalar(w, f->rule, false, false);
        close_obj(w);
        break;
    }
    close_obj(w);
}

static void cross_rules(writer *w, const schema *sc);

/* The body of one kind of mapping: its keys, the required ones, extensions, nothing else. */
static void mapping(writer *w, const schema *sc)
{
    raw(w, "type", "\"object\"");
    open_obj(w, "properties");
    for (size_t i = 0; i < sc->n_fields; i++)
        property(w, &sc->fields[i]);
    close_obj(w);
    size_t n_required = 0;
    const char *required[16];
    for (size_t i = 0; i < sc->n_fields && n_required < 16; i++) {
        if (sc->fields[i].required)
            required[n_required++] = sc->fields[i].key;
    }
    if (n_required)
        words(w, "required", required, n_required, false);
    open_obj(w, "patternProperties");
    open_obj(w, "^x-");
    str(w, "description", "An extension: accepted anywhere and ignored by jmap.");
    close_obj(w);
    close_obj(w);
    raw(w, "additionalProperties", "false");
    cross_rules(w, sc);
}

/* Each kind of mapping reachable from `sc`, once, as a definition. */
static void definitions(writer *w, const schema *sc, const schema **done, size_t *n_done)
{
    for (size_t i = 0; i < sc->n_fields; i++) {
        const schema *items = sc->fields[i].items;
        if (!items)
            continue;
        bool seen = false;
        for (size_t k = 0; k < *n_done; k++)
            seen = seen || done[k] == items;
        if (seen)
            continue;
        done[(*n_done)++] = items;
        open_obj(w, def_name(items));
        str(w, "description", items->doc);
        mapping(w, items);
        close_obj(w);
        definitions(w, items, done, n_done);
    }
}

char *jmap_schema_json(jmap_schema_kind kind)
{
    const schema *top = kind == JMAP_SCHEMA_MAP ? &jmap_load_map_schema : &jmap_load_model_schema;
    char *text = NULL;
    size_t len = 0;
    writer w = {open_memstream(&text, &len), 0, {true}};
    if (!w.f)
        out_of_memory();
    open_obj(&w, NULL);
    str(&w, "$schema", "http://json-schema.org/draft-07/schema#");
    str(&w, "title", kind == JMAP_SCHEMA_MAP ? "jmap map" : "jmap stage model");
    str(&w, "description", top->doc);
    mapping(&w, top);
    open_obj(&w, "definitions");
    const schema *done[16];
    size_t n_done = 0;
    definitions(&w, top, done, &n_done);
    close_obj(&w);
    close_obj(&w);
    fputc('\n', w.f);
    if (fclose(w.f) != 0)
        out_of_memory();
    return text;
}

bool jmap_schema_kind_from_name(const char *name, jmap_schema_kind *out)
{
    if (strcmp(name, "map") == 0)
        *out = JMAP_SCHEMA_MAP;
    else if (strcmp(name, "model") == 0 || strcmp(name, "stage-model") == 0)
        *out = JMAP_SCHEMA_MODEL;
    else
        return false;
    return true;
}

const char *jmap_schema_file_name(jmap_schema_kind kind)
{
    return kind == JMAP_SCHEMA_MAP ? "jmap-map.schema.json" : "jmap-stage-model.schema.json";
}

/* ---- rules that tie two keys together ---------------------------------------------------- */

static void cross_rules(writer *w, const schema *sc)
{
    if (sc == &jmap_load_map_schema) {
        /* check.c: [missing-stages] without model and stages, [no-stages] for an empty list
         * without a model. A null value is absent. */
        put_key(w, "anyOf");
        fputs("[\n", w->f);
        fputs("    {\"required\": [\"model\"], \"properties\": {\"model\": {\"not\": "
              "{\"type\": \"null\"}}}},\n",
              w->f);
        fputs("    {\"required\": [\"stages\"], \"properties\": {\"stages\": {\"type\": "
              "\"array\", \"minItems\": 1}}}\n",
              w->f);
        fputs("  ]", w->f);
    } else if (strcmp(sc->what, "touchpoint") == 0) {
        /* check.c: [persona-conflict], 'persona' and 'personas' both given */
        open_obj(w, "not");
        str(w, "description", "persona and personas are both given; use one of them");
        words(w, "required", (const char *const[]){"persona", "personas"}, 2, false);
        raw(w, "properties",
            "{\"persona\": {\"not\": {\"type\": \"null\"}}, \"personas\": {\"type\": \"array\"}}");
        close_obj(w);
    }
}
