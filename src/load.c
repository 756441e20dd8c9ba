#include "jmap/load.h"

#include <assert.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/suggest.h"
#include "load_hint.h"
#include "load_tree.h"

/*
 * The load pass, second half: the generic node tree (load_tree.c) -> the model. Each kind of
 * mapping (map, persona, stage, touchpoint, KPI, stage model) is described by a schema, a
 * table of its keys; one function walks any mapping against its schema, so the rules (unknown
 * keys with a did-you-mean, "x-" keys ignored, duplicates of any key, "x-" keys too, missing
 * required keys, types) are the same everywhere. It keeps going after an error so that one
 * run reports them all.
 */

#define NO_OFF SIZE_MAX
#define MAX_FIELDS 16

typedef enum field_kind {
    F_STR,    /* jmap_str */
    F_NUM,    /* jmap_num */
    F_INT,    /* jmap_num holding an integer */
    F_STRS,   /* list of strings: jmap_str *, size_t count, optional jmap_loc */
    F_LIST,   /* list of mappings of another schema: T *, size_t count, optional jmap_loc */
    F_SOURCE, /* a string or a list of strings, checked and ignored */
} field_kind;

typedef enum limit_id { LIM_NONE, LIM_PERSONAS, LIM_STAGES, LIM_TOUCHPOINTS } limit_id;

typedef struct loader loader;
typedef struct schema schema;

typedef struct field {
    const char *key;
    field_kind kind;
    bool required;
    size_t off;          /* the value, or the list's pointer */
    size_t n_off;        /* lists: the count */
    size_t loc_off;      /* lists: the list's jmap_loc, or NO_OFF */
    const schema *items; /* F_LIST */
    limit_id limit;      /* F_LIST */
} field;

struct schema {
    const char *what; /* in messages: "unknown key 'x' in touchpoint" */
    size_t size;      /* of the struct */
    size_t loc_off;   /* of its jmap_loc */
    const field *fields;
    size_t n_fields;
    void (*finish)(void *obj);
    size_t unread_off; /* its `unsigned unread` (JMAP_UNREAD_*), or NO_OFF */
};

struct loader {
    jmap_arena *a; /* the model's */
    const char *file;
    const jmap_limits *lim;
    jmap_diags *d;
    unsigned *unread;    /* the mapping being read: its `unread`, or NULL */
    unsigned unread_bit; /* the bit of the value being read, or 0 */
};

/* clang-format off */
#define STR(T, k, req) {#k, F_STR, req, offsetof(T, k), NO_OFF, NO_OFF, NULL, LIM_NONE}
#define NUM(T, k) {#k, F_NUM, false, offsetof(T, k), NO_OFF, NO_OFF, NULL, LIM_NONE}
/* clang-format on */

/* ---- enum words ------------------------------------------------------------------------- */

static bool str_is(const jmap_str *s, const char *word)
{
    return s->s && strcmp(s->s, word) == 0;
}

static void finish_kpi(void *obj)
{
    jmap_kpi *k = obj;
    k->better_v = str_is(&k->better, "lower") ? JMAP_BETTER_LOWER : JMAP_BETTER_HIGHER;
}

static void finish_touchpoint(void *obj)
{
    jmap_touchpoint *t = obj;
    t->stage_ix = JMAP_NONE;
}

static void finish_map(void *obj)
{
    jmap_map *m = obj;
    m->state_v = str_is(&m->state, "current")  ? JMAP_STATE_CURRENT
                 : str_is(&m->state, "future") ? JMAP_STATE_FUTURE
                                               : JMAP_STATE_NONE;
    m->theme_v = str_is(&m->theme, "dark")    ? JMAP_THEME_DARK
                 : str_is(&m->theme, "print") ? JMAP_THEME_PRINT
                                              : JMAP_THEME_LIGHT;
}

/* ---- schemas ---------------------------------------------------------------------------- */

static const field kpi_fields[] = {
    STR(jmap_kpi, name, true),  NUM(jmap_kpi, target),        NUM(jmap_kpi, actual),
    STR(jmap_kpi, unit, false), STR(jmap_kpi, better, false),
};
static const schema kpi_schema = {"KPI",
                                  sizeof(jmap_kpi),
                                  offsetof(jmap_kpi, loc),
                                  kpi_fields,
                                  sizeof(kpi_fields) / sizeof(field),
                                  finish_kpi,
                                  NO_OFF};

static const field persona_fields[] = {
    STR(jmap_persona, id, true),
    STR(jmap_persona, name, true),
    STR(jmap_persona, role, false),
    {"goals", F_STRS, false, offsetof(jmap_persona, goals), offsetof(jmap_persona, n_goals), NO_OFF,
     NULL, LIM_NONE},
    STR(jmap_persona, color, false),
};
static const schema persona_schema = {"persona",
                                      sizeof(jmap_persona),
                                      offsetof(jmap_persona, loc),
                                      persona_fields,
                                      sizeof(persona_fields) / sizeof(field),
                                      NULL,
                                      NO_OFF};

static const field stage_fields[] = {
    STR(jmap_stage, id, true),
    STR(jmap_stage, name, false),
    STR(jmap_stage, goal, false),
    STR(jmap_stage, description, false),
    {"kpis", F_LIST, false, offsetof(jmap_stage, kpis), offsetof(jmap_stage, n_kpis),
     offsetof(jmap_stage, kpis_loc), &kpi_schema, LIM_NONE},
};
static const schema stage_schema = {"stage",
                                    sizeof(jmap_stage),
                                    offsetof(jmap_stage, loc),
                                    stage_fields,
                                    sizeof(stage_fields) / sizeof(field),
                                    NULL,
                                    offsetof(jmap_stage, unread)};

static const field touchpoint_fields[] = {
    STR(jmap_touchpoint, stage, true),
    STR(jmap_touchpoint, persona, false),
    {"personas", F_STRS, false, offsetof(jmap_touchpoint, personas),
     offsetof(jmap_touchpoint, n_personas), offsetof(jmap_touchpoint, personas_loc), NULL,
     LIM_NONE},
    STR(jmap_touchpoint, name, true),
    STR(jmap_touchpoint, channel, false),
    STR(jmap_touchpoint, action, false),
    STR(jmap_touchpoint, thought, false),
    NUM(jmap_touchpoint, emotion),
    STR(jmap_touchpoint, pain, false),
    STR(jmap_touchpoint, opportunity, false),
    STR(jmap_touchpoint, backstage, false),
    STR(jmap_touchpoint, owner, false),
    STR(jmap_touchpoint, url, false),
    {"kpis", F_LIST, false, offsetof(jmap_touchpoint, kpis), offsetof(jmap_touchpoint, n_kpis),
     NO_OFF, &kpi_schema, LIM_NONE},
};
static const schema touchpoint_schema = {"touchpoint",
                                         sizeof(jmap_touchpoint),
                                         offsetof(jmap_touchpoint, loc),
                                         touchpoint_fields,
                                         sizeof(touchpoint_fields) / sizeof(field),
                                         finish_touchpoint,
                                         offsetof(jmap_touchpoint, unread)};

static const field map_fields[] = {
    {"jmap", F_INT, false, offsetof(jmap_map, version), NO_OFF, NO_OFF, NULL, LIM_NONE},
    STR(jmap_map, title, true),
    STR(jmap_map, subtitle, false),
    STR(jmap_map, state, false),
    STR(jmap_map, model, false),
    {"personas", F_LIST, true, offsetof(jmap_map, personas), offsetof(jmap_map, n_personas),
     offsetof(jmap_map, personas_loc), &persona_schema, LIM_PERSONAS},
    {"stages", F_LIST, false, offsetof(jmap_map, map_stages), offsetof(jmap_map, n_map_stages),
     offsetof(jmap_map, stages_loc), &stage_schema, LIM_STAGES},
    {"touchpoints", F_LIST, false, offsetof(jmap_map, touchpoints),
     offsetof(jmap_map, n_touchpoints), offsetof(jmap_map, touchpoints_loc), &touchpoint_schema,
     LIM_TOUCHPOINTS},
    {"lanes", F_STRS, false, offsetof(jmap_map, lanes), offsetof(jmap_map, n_lanes),
     offsetof(jmap_map, lanes_loc), NULL, LIM_NONE},
    STR(jmap_map, theme, false),
};
static const schema map_schema = {"map",
                                  sizeof(jmap_map),
                                  offsetof(jmap_map, loc),
                                  map_fields,
                                  sizeof(map_fields) / sizeof(field),
                                  finish_map,
                                  offsetof(jmap_map, unread)};

static const field model_stage_fields[] = {
    STR(jmap_stage, id, true),
    STR(jmap_stage, name, false),
    STR(jmap_stage, description, false),
    {"kpis", F_STRS, false, offsetof(jmap_stage, suggested_kpis),
     offsetof(jmap_stage, n_suggested_kpis), NO_OFF, NULL, LIM_NONE},
};
static const schema model_stage_schema = {"stage",
                                          sizeof(jmap_stage),
                                          offsetof(jmap_stage, loc),
                                          model_stage_fields,
                                          sizeof(model_stage_fields) / sizeof(field),
                                          NULL,
                                          NO_OFF};

static const field model_fields[] = {
    STR(jmap_stage_model, id, true),
    STR(jmap_stage_model, name, true),
    STR(jmap_stage_model, description, false),
    {"source", F_SOURCE, false, NO_OFF, NO_OFF, NO_OFF, NULL, LIM_NONE},
    {"stages", F_LIST, true, offsetof(jmap_stage_model, stages),
     offsetof(jmap_stage_model, n_stages), NO_OFF, &model_stage_schema, LIM_STAGES},
};
static const schema model_schema = {"stage model",
                                    sizeof(jmap_stage_model),
                                    offsetof(jmap_stage_model, loc),
                                    model_fields,
                                    sizeof(model_fields) / sizeof(field),
                                    NULL,
                                    NO_OFF};

/* ---- values ----------------------------------------------------------------------------- */

#define AT(obj, off, T) ((T *)(void *)((char *)(obj) + (off)))

static jmap_loc loc_of(const loader *l, const jmap_node *n)
{
    return jmap_node_loc(n, l->file);
}

/* How a wrong value is named in "found ...". */
static bool number_syntax(const char *s, size_t len, bool integer);

static const char *kind_name(const jmap_node *n)
{
    if (n->kind == JMAP_NODE_MAP)
        return "a mapping";
    if (n->kind == JMAP_NODE_SEQ)
        return "a sequence";
    if (jmap_node_is_null(n))
        return "null";
    return !n->quoted && number_syntax(n->s, n->len, false) ? "a number" : "a string";
}

/* A short scalar can be quoted in a message as it is; a long or multi-line one cannot. */
static bool quotable(const jmap_node *n)
{
    if (n->kind != JMAP_NODE_SCALAR || n->len == 0 || n->len > 40)
        return false;
    for (size_t i = 0; i < n->len; i++) {
        if ((unsigned char)n->s[i] < 0x20 || n->s[i] == '\'')
            return false;
    }
    return true;
}

/* The value being read was not read (the caller reports why): its mapping says so. */
static void mark_unread(loader *l)
{
    if (l->unread)
        *l->unread |= l->unread_bit;
}

/* The JMAP_UNREAD_* bit of a key: what a later pass must not guess about when it is unread. */
static unsigned unread_bit(const char *key)
{
    if (strcmp(key, "stage") == 0)
        return JMAP_UNREAD_STAGE;
    if (strcmp(key, "persona") == 0 || strcmp(key, "personas") == 0)
        return JMAP_UNREAD_PERSONAS;
    if (strcmp(key, "kpis") == 0)
        return JMAP_UNREAD_KPIS;
    if (strcmp(key, "stages") == 0)
        return JMAP_UNREAD_STAGES;
    return strcmp(key, "touchpoints") == 0 ? JMAP_UNREAD_TOUCHPOINTS : 0;
}

/* "expected a number for 'target', found 'high'": a scalar is quoted only where a number was
 * expected, as there its text is the problem; elsewhere its type is. */
static void wrong_type(loader *l, const jmap_node *n, const char *expected, const char *key,
                       bool show_value)
{
    mark_unread(l);
    if (show_value && n->kind == JMAP_NODE_SCALAR && !jmap_node_is_null(n) && quotable(n))
        jmap_diag_add(l->d, JMAP_SEV_ERROR, "wrong-type", loc_of(l, n),
                      "expected %s for '%s', found %s'%s'", expected, key,
                      n->quoted ? "the quoted string " : "", n->s);
    else
        jmap_diag_add(l->d, JMAP_SEV_ERROR, "wrong-type", loc_of(l, n),
                      "expected %s for '%s', found %s", expected, key, kind_name(n));
}

/* A scalar is copied into the model's arena once, however many aliases use it: strings in the
 * model are never written to, so every use can share the copy. */
static jmap_str make_str(loader *l, const jmap_node *n)
{
    jmap_node *cache = (jmap_node *)n; /* the tree is this loader's own, allocated writable */
    if (!cache->kept)
        cache->kept = jmap_arena_strndup(l->a, n->s, n->len);
    jmap_str s = {cache->kept, n->len, loc_of(l, n)};
    return s;
}

/* Strict, locale-independent number syntax (YAML 1.2's core float, no .inf/.nan):
 * [+-]? ( digits ( '.' digits? )? | '.' digits ) ( [eE] [+-]? digits )? */
static bool number_syntax(const char *s, size_t len, bool integer)
{
    const char *p = s, *end = s + len;
    size_t whole = 0, frac = 0;
    if (p < end && (*p == '+' || *p == '-'))
        p++;
    while (p < end && *p >= '0' && *p <= '9') {
        p++;
        whole++;
    }
    if (integer)
        return whole > 0 && p == end;
    if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9') {
            p++;
            frac++;
        }
    }
    if (whole + frac == 0)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        size_t exp = 0;
        while (p < end && *p >= '0' && *p <= '9') {
            p++;
            exp++;
        }
        if (exp == 0)
            return false;
    }
    return p == end;
}

/* strtod on text already checked by number_syntax, in the C locale whatever the process's is. */
static double c_strtod(const char *s)
{
    const char *dp = localeconv()->decimal_point;
    if (dp[0] == '.' && dp[1] == '\0')
        return strtod(s, NULL);
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c)
        return strtod(s, NULL);
    locale_t old = uselocale(c);
    double v = strtod(s, NULL);
    uselocale(old);
    freelocale(c);
    return v;
}

/*
 * An integer written with a leading zero (010) is read differently by the two YAML versions:
 * 1.2, which jmap follows, reads decimal 10; 1.1 (PyYAML, many older tools) reads octal 8, or
 * text when a digit is 8 or 9. A warning, as the map may be read by those tools too; none for
 * 00 to 07, which mean the same in both.
 */
static void leading_zero(loader *l, const jmap_node *n)
{
    const char *p = n->s, *end = n->s + n->len;
    if (p < end && (*p == '+' || *p == '-'))
        p++;
    if (end - p < 2 || p[0] != '0' || p[1] < '0' || p[1] > '9')
        return;
    for (const char *q = p; q < end; q++) {
        if (*q < '0' || *q > '9')
            return; /* a decimal fraction or an exponent: 1.1 reads 010.5 as 10.5 too */
    }
    const char *digits = p; /* the significant digits */
    while (digits + 1 < end && *digits == '0')
        digits++;
    bool is_octal = true;
    for (const char *q = p; q < end; q++)
        is_octal = is_octal && *q <= '7';
    if (is_octal && end - digits == 1)
        return; /* 00 to 07: the same number either way */
    const char *sign = n->s[0] == '-' ? "-" : "";
    /* at most 40 characters of either: the number is in a hostile file */
    int sig = end - digits > 40 ? 40 : (int)(end - digits);
    int shown = n->len > 40 ? 40 : (int)n->len;
    const char *cut = n->len > 40 ? "..." : "";
    if (is_octal && end - digits <= 21) {
        unsigned long long octal = 0;
        for (const char *q = digits; q < end; q++)
            octal = octal * 8 + (unsigned long long)(*q - '0');
        jmap_diag_add(l->d, JMAP_SEV_WARNING, "leading-zero", loc_of(l, n),
                      "number '%.*s%s' has a leading zero: jmap reads it as %s%.*s (YAML 1.2), "
                      "YAML 1.1 tools as octal %s%llu",
                      shown, n->s, cut, sign, sig, digits, sign, octal);
    } else {
        jmap_diag_add(l->d, JMAP_SEV_WARNING, "leading-zero", loc_of(l, n),
                      "number '%.*s%s' has a leading zero: jmap reads it as %s%.*s (YAML 1.2), "
                      "YAML 1.1 tools as %s",
                      shown, n->s, cut, sign, sig, digits, is_octal ? "an octal number" : "text");
    }
    jmap_diag_hint(l->d, "write '%s%.*s', or quote it if it is text", sign, sig, digits);
}

static void load_number(loader *l, const field *f, const jmap_node *n, void *obj)
{
    if (jmap_node_is_null(n))
        return;
    const char *expected = f->kind == F_INT ? "an integer" : "a number";
    if (n->kind != JMAP_NODE_SCALAR || n->quoted ||
        !number_syntax(n->s, n->len, f->kind == F_INT)) {
        wrong_type(l, n, expected, f->key, true);
        return;
    }
    leading_zero(l, n);
    double v = c_strtod(n->s);
    if (!isfinite(v)) {
        mark_unread(l);
        jmap_diag_add(l->d, JMAP_SEV_ERROR, "wrong-type", loc_of(l, n),
                      "the number '%s' for '%s' is too large", n->s, f->key);
        return;
    }
    jmap_num *num = AT(obj, f->off, jmap_num);
    num->v = v;
    num->set = true;
    num->loc = loc_of(l, n);
}

static void load_string(loader *l, const field *f, const jmap_node *n, void *obj)
{
    if (jmap_node_is_null(n)) {
        if (f->required) {
            mark_unread(l);
            jmap_diag_add(l->d, JMAP_SEV_ERROR, "missing-key", loc_of(l, n),
                          "missing value for required key '%s'", f->key);
        }
        return;
    }
    if (n->kind != JMAP_NODE_SCALAR) {
        wrong_type(l, n, "a string", f->key, false);
        return;
    }
    *AT(obj, f->off, jmap_str) = make_str(l, n);
}

/* A list of strings; items of another type are reported and left out. */
static void load_strings(loader *l, const field *f, const jmap_node *n, void *obj, bool keep)
{
    if (jmap_node_is_null(n))
        return;
    if (n->kind != JMAP_NODE_SEQ) {
        if (f->kind == F_SOURCE && n->kind == JMAP_NODE_SCALAR)
            return;
        wrong_type(l, n, f->kind == F_SOURCE ? "a string or a list" : "a list", f->key, false);
        if (f->kind != F_SOURCE)
            jmap_load_hint_strings(l->d, f->key, n);
        return;
    }
    jmap_str *out =
        keep && n->n_items ? jmap_arena_calloc(l->a, n->n_items, sizeof(jmap_str)) : NULL;
    size_t k = 0;
    for (size_t i = 0; i < n->n_items; i++) {
        const jmap_node *it = n->items[i];
        if (it->kind != JMAP_NODE_SCALAR || jmap_node_is_null(it)) {
            mark_unread(l);
            jmap_diag_add(l->d, JMAP_SEV_ERROR, "wrong-type", loc_of(l, it),
                          "expected a string in '%s', found %s", f->key, kind_name(it));
            jmap_load_hint_string_item(l->d, it);
            continue;
        }
        if (out)
            out[k++] = make_str(l, it);
    }
    if (!keep)
        return;
    *AT(obj, f->off, jmap_str *) = out;
    *AT(obj, f->n_off, size_t) = k;
    if (f->loc_off != NO_OFF)
        *AT(obj, f->loc_off, jmap_loc) = loc_of(l, n);
}

static void load_struct(loader *l, const jmap_node *n, const schema *sc, void *obj);

static size_t limit_of(const loader *l, limit_id id)
{
    switch (id) {
    case LIM_PERSONAS:
        return l->lim->max_personas;
    case LIM_STAGES:
        return l->lim->max_stages;
    case LIM_TOUCHPOINTS:
        return l->lim->max_touchpoints;
    default:
        return SIZE_MAX;
    }
}

/* A list of mappings, each loaded against f->items. */
static void load_list(loader *l, const field *f, const jmap_node *n, void *obj)
{
    if (jmap_node_is_null(n))
        return;
    if (n->kind != JMAP_NODE_SEQ) {
        wrong_type(l, n, "a list", f->key, false);
        jmap_load_hint_list(l->d, f->key, f->items->what, n);
        return;
    }
    const schema *sc = f->items;
    size_t max = limit_of(l, f->limit), want = n->n_items < max ? n->n_items : max;
    char *out = want ? jmap_arena_calloc(l->a, want, sc->size) : NULL;
    size_t k = 0;
    for (size_t i = 0; i < n->n_items; i++) {
        const jmap_node *it = n->items[i];
        if (i >= max) {
            mark_unread(l);
            jmap_diag_add(l->d, JMAP_SEV_ERROR, "too-many", loc_of(l, it),
                          "more than %zu items in '%s'", max, f->key);
            break;
        }
        if (it->kind != JMAP_NODE_MAP) {
            mark_unread(l);
            jmap_diag_add(l->d, JMAP_SEV_ERROR, "wrong-type", loc_of(l, it),
                          "expected a mapping for each %s in '%s', found %s", sc->what, f->key,
                          kind_name(it));
            jmap_load_hint_item(l->d, sc->what, it);
            continue;
        }
        load_struct(l, it, sc, out + k * sc->size);
        k++;
    }
    *AT(obj, f->off, void *) = out;
    *AT(obj, f->n_off, size_t) = k;
    if (f->loc_off != NO_OFF)
        *AT(obj, f->loc_off, jmap_loc) = loc_of(l, n);
}

static void load_value(loader *l, const field *f, const jmap_node *n, void *obj)
{
    switch (f->kind) {
    case F_STR:
        load_string(l, f, n, obj);
        break;
    case F_NUM:
    case F_INT:
        load_number(l, f, n, obj);
        break;
    case F_STRS:
        load_strings(l, f, n, obj, true);
        break;
    case F_SOURCE:
        load_strings(l, f, n, obj, false);
        break;
    case F_LIST:
        load_list(l, f, n, obj);
        break;
    }
}

/* ---- mappings --------------------------------------------------------------------------- */

/* Bytes of a key to show in a message: at most 60, cut at a character boundary, up to a
 * control character. Keys are free text in a hostile file. */
static int shown(const jmap_node *key)
{
    size_t n = 0;
    while (n < key->len && n < 60 && (unsigned char)key->s[n] >= 0x20)
        n++;
    while (n > 0 && n < key->len && ((unsigned char)key->s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

static void unknown_key(loader *l, const jmap_node *key, const schema *sc)
{
    jmap_diag_add(l->d, JMAP_SEV_ERROR, "unknown-key", loc_of(l, key), "unknown key '%.*s%s' in %s",
                  shown(key), key->s, (size_t)shown(key) < key->len ? "..." : "", sc->what);
    /* past the cap the diagnostic was only counted: spare the search */
    if (l->d->last_dropped)
        return;
    const char *names[MAX_FIELDS];
    for (size_t i = 0; i < sc->n_fields; i++)
        names[i] = sc->fields[i].key;
    const char *best = jmap_suggest(key->s, names, sc->n_fields);
    if (best)
        jmap_diag_hint(l->d, "did you mean '%s'?", best);
}

/* The "x-" keys of one mapping. A mapping may hold any number of them, so their duplicates
 * are found with a hash set (open addressing, at most half full), not by comparing pairs. */
typedef struct key_set {
    const jmap_node **slots;
    size_t cap, n;
} key_set;

static size_t hash_key(const jmap_node *k)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < k->len; i++)
        h = (h ^ (unsigned char)k->s[i]) * 1099511628211u;
    return (size_t)h;
}

static const jmap_node **key_slot(const jmap_node **slots, size_t cap, const jmap_node *k)
{
    size_t i = hash_key(k) & (cap - 1);
    while (slots[i] && (slots[i]->len != k->len || memcmp(slots[i]->s, k->s, k->len) != 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

/* Add `k`; returns the key already there with the same text, or NULL. */
static const jmap_node *key_set_add(key_set *ks, const jmap_node *k)
{
    if ((ks->n + 1) * 2 > ks->cap) {
        size_t cap = ks->cap ? ks->cap * 2 : 16;
        const jmap_node **slots = jmap_xcalloc(cap, sizeof(*slots));
        for (size_t i = 0; i < ks->cap; i++) {
            if (ks->slots[i])
                *key_slot(slots, cap, ks->slots[i]) = ks->slots[i];
        }
        free(ks->slots);
        ks->slots = slots;
        ks->cap = cap;
    }
    const jmap_node **slot = key_slot(ks->slots, ks->cap, k);
    if (*slot)
        return *slot;
    *slot = k;
    ks->n++;
    return NULL;
}

static void duplicate_key(loader *l, const jmap_node *key, const jmap_node *first, const schema *sc)
{
    jmap_diag_add(l->d, JMAP_SEV_ERROR, "duplicate-key", loc_of(l, key),
                  "duplicate key '%.*s%s' in %s", shown(key), key->s,
                  (size_t)shown(key) < key->len ? "..." : "", sc->what);
    jmap_diag_hint(l->d, "first defined at %u:%u", first->line, first->col);
}

/* Walk one mapping against its schema. Each known key remembers where it was first seen, so
 * duplicates are found in one pass; unknown keys are errors on their own. */
static void load_struct(loader *l, const jmap_node *n, const schema *sc, void *obj)
{
    const jmap_node *seen[MAX_FIELDS] = {NULL};
    key_set extensions = {NULL, 0, 0};
    assert(sc->n_fields <= MAX_FIELDS);
    unsigned *outer = l->unread, outer_bit = l->unread_bit; /* a list's, when this is an item */
    *AT(obj, sc->loc_off, jmap_loc) = loc_of(l, n);
    for (size_t i = 0; i + 1 < n->n_items; i += 2) {
        const jmap_node *key = n->items[i], *val = n->items[i + 1];
        if (key->kind != JMAP_NODE_SCALAR) {
            jmap_diag_add(l->d, JMAP_SEV_ERROR, "wrong-type", loc_of(l, key),
                          "expected a string as a key in %s, found %s", sc->what, kind_name(key));
            continue;
        }
        if (strncmp(key->s, "x-", 2) == 0) {
            /* ignored, but not twice: a duplicate is an error like any other */
            const jmap_node *first = key_set_add(&extensions, key);
            if (first)
                duplicate_key(l, key, first, sc);
            continue;
        }
        size_t ix = 0;
        while (ix < sc->n_fields && (strlen(sc->fields[ix].key) != key->len ||
                                     memcmp(sc->fields[ix].key, key->s, key->len) != 0))
            ix++;
        if (ix == sc->n_fields) {
            unknown_key(l, key, sc);
            continue;
        }
        if (seen[ix]) {
            duplicate_key(l, key, seen[ix], sc);
            continue;
        }
        seen[ix] = key;
        l->unread = sc->unread_off != NO_OFF ? AT(obj, sc->unread_off, unsigned) : NULL;
        l->unread_bit = unread_bit(sc->fields[ix].key);
        load_value(l, &sc->fields[ix], val, obj);
    }
    for (size_t ix = 0; ix < sc->n_fields; ix++) {
        if (sc->fields[ix].required && !seen[ix])
            jmap_diag_add(l->d, JMAP_SEV_ERROR, "missing-key", loc_of(l, n),
                          "missing required key '%s' in %s", sc->fields[ix].key, sc->what);
    }
    l->unread = outer;
    l->unread_bit = outer_bit;
    free(extensions.slots);
    if (sc->finish)
        sc->finish(obj);
}

/* Parse the text and load its top-level mapping against `sc`. NULL when there is no mapping. */
static void *load_document(jmap_arena *a, const char *file, const char *text, size_t len,
                           const jmap_limits *lim, jmap_diags *d, const schema *sc)
{
    jmap_limits def;
    if (!lim) {
        def = jmap_limits_default();
        lim = &def;
    }
    jmap_diags_keep_source(d, file, text, len);
    /* The tree is scaffolding: it lives in its own arena, and only values are copied out. */
    jmap_arena *tree = jmap_arena_new();
    void *obj = NULL;
    jmap_node *root = jmap_tree_parse(tree, file, text, len, lim, d);
    if (!root)
        goto out;
    loader l = {a, file, lim, d, NULL, 0};
    if (root->kind != JMAP_NODE_MAP) {
        jmap_diag_add(d, JMAP_SEV_ERROR, "not-a-mapping", loc_of(&l, root),
                      "expected a mapping of keys at the top level, found %s", kind_name(root));
        if (root->kind == JMAP_NODE_SEQ)
            jmap_diag_hint(d, "remove the '- ' before the first key: a map starts with "
                              "'title:' at the start of a line");
        goto out;
    }
    obj = jmap_arena_alloc(a, sc->size);
    load_struct(&l, root, sc, obj);
out:
    jmap_arena_free(tree);
    return obj;
}

jmap_map *jmap_load_map(jmap_arena *a, const char *file, const char *text, size_t len,
                        const jmap_limits *lim, jmap_diags *d)
{
    jmap_map *m = load_document(a, file, text, len, lim, d, &map_schema);
    if (m)
        m->file = file;
    return m;
}

jmap_stage_model *jmap_load_stage_model(jmap_arena *a, const char *file, const char *text,
                                        size_t len, const jmap_limits *lim, jmap_diags *d)
{
    return load_document(a, file, text, len, lim, d, &model_schema);
}
