#include "jmap/load.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/number.h"
#include "jmap/suggest.h"
#include "load_schema.h"
#include "load_hint.h"
#include "load_tree.h"

/*
 * The load pass, second half: the generic node tree (load_tree.c) -> the model. Each kind of
 * mapping (map, persona, stage, touchpoint, KPI, stage model) is described by a schema, a
 * table of its keys (load_schema.h); one function walks any mapping against its schema, so the
 * rules (unknown keys with a did-you-mean, "x-" keys ignored, duplicates of any key, "x-" keys
 * too, missing required keys, types) are the same everywhere. It keeps going after an error so
 * that one run reports them all. The same tables are written out as the JSON Schema (schema.c).
 */

#define NO_OFF SIZE_MAX
#define MAX_FIELDS 16

typedef struct loader loader;

struct loader {
    jmap_arena *a; /* the model's */
    const char *file;
    const jmap_limits *lim;
    jmap_diags *d;
    unsigned *unread;    /* the mapping being read: its `unread`, or NULL */
    unsigned unread_bit; /* the bit of the value being read, or 0 */
};

/* clang-format off */
#define STR(T, k, req, rule, doc) \
    {#k, F_STR, req, offsetof(T, k), NO_OFF, NO_OFF, NULL, LIM_NONE, &jmap_rule_##rule, 0, doc}
#define NUM(T, k, rule, doc) \
    {#k, F_NUM, false, offsetof(T, k), NO_OFF, NO_OFF, NULL, LIM_NONE, rule, 0, doc}
#define LIST(T, k, member, req, items, limit, min, doc) \
    {#k, F_LIST, req, offsetof(T, member), offsetof(T, n_##member), offsetof(T, k##_loc), \
     items, limit, NULL, min, doc}
#define STRS(T, k, member, loc, rule, min, doc) \
    {#k, F_STRS, false, offsetof(T, member), offsetof(T, n_##member), loc, NULL, LIM_NONE, \
     &jmap_rule_##rule, min, doc}
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
    STR(jmap_kpi, id, false, kpi_id,
        "How data files name the KPI (docs/data.md): lowercase letters, digits, '.', '-' and "
        "'_'; unique in the map."),
    STR(jmap_kpi, name, true, nonblank, "The KPI's name: \"Cart abandonment\", \"NPS\"."),
    NUM(jmap_kpi, target, NULL, "The goal, a plain number (no thousands separators or units)."),
    NUM(jmap_kpi, actual, NULL, "The measured value, a plain number."),
    STR(jmap_kpi, unit, false, text,
        "Shown after the figures: \"%\" (quoted), EUR, days, per month."),
    STR(jmap_kpi, better, false, better,
        "Which direction is good: higher (default) or lower (for churn, cost, waiting time)."),
};
static const schema kpi_schema = {"KPI",
                                  sizeof(jmap_kpi),
                                  offsetof(jmap_kpi, loc),
                                  kpi_fields,
                                  sizeof(kpi_fields) / sizeof(field),
                                  finish_kpi,
                                  "A key performance indicator. With both target and actual it "
                                  "is drawn on track or off track.",
                                  NO_OFF};

static const field persona_fields[] = {
    STR(jmap_persona, id, true, id,
        "How touchpoints refer to the persona: lowercase letters, digits, '-' and '_'."),
    STR(jmap_persona, name, true, nonblank, "Shown in the legend; keep it short (a first name)."),
    STR(jmap_persona, role, false, text, "One line under the name: \"Busy parent of two\"."),
    {"goals", F_STRS, false, offsetof(jmap_persona, goals), offsetof(jmap_persona, n_goals), NO_OFF,
     NULL, LIM_NONE, &jmap_rule_text, 0, "What the persona wants from the journey."},
    STR(jmap_persona, color, false, color,
        "\"#rgb\" or \"#rrggbb\", quoted. Default: the theme's colour-blind-safe palette."),
};
static const schema persona_schema = {"persona",
                                      sizeof(jmap_persona),
                                      offsetof(jmap_persona, loc),
                                      persona_fields,
                                      sizeof(persona_fields) / sizeof(field),
                                      NULL,
                                      "Who travels the journey: a colour, a row in the legend "
                                      "and a curve in the emotions lane.",
                                      NO_OFF};

static const field stage_fields[] = {
    STR(jmap_stage, id, true, id,
        "How touchpoints refer to the stage; with a model, one of the model's stage ids."),
    STR(jmap_stage, name, false, nonblank,
        "The column header. Default: the model's name, or the id title-cased."),
    STR(jmap_stage, goal, false, text,
        "What the customer wants to get done in this stage; drawn under the name."),
    STR(jmap_stage, description, false, text,
        "What the stage covers. Default: the model's description."),
    LIST(jmap_stage, kpis, kpis, false, &kpi_schema, LIM_NONE, 0,
         "How the stage is measured; drawn in the KPIs lane."),
};
static const schema stage_schema = {"stage",
                                    sizeof(jmap_stage),
                                    offsetof(jmap_stage, loc),
                                    stage_fields,
                                    sizeof(stage_fields) / sizeof(field),
                                    NULL,
                                    "A column of the map. With a model, adds detail to one of the "
                                    "model's stages; without, defines a stage.",
                                    offsetof(jmap_stage, unread)};

static const field touchpoint_fields[] = {
    STR(jmap_touchpoint, stage, true, ref, "The id of the stage this happens in."),
    STR(jmap_touchpoint, persona, false, ref,
        "The one persona this touchpoint belongs to (an id). Without persona and personas, it is "
        "every persona's."),
    STRS(jmap_touchpoint, personas, personas, offsetof(jmap_touchpoint, personas_loc), ref, 1,
         "Several personas share this touchpoint (ids); not together with persona."),
    STR(jmap_touchpoint, name, true, nonblank, "A short name, 2-5 words: \"Pick a delivery slot\"."),
    STR(jmap_touchpoint, channel, false, text, "Free text: web, app, email, phone, in person..."),
    STR(jmap_touchpoint, action, false, text, "What the persona does."),
    STR(jmap_touchpoint, thought, false, text, "What they think, in their own words."),
    NUM(jmap_touchpoint, emotion, &jmap_rule_emotion,
        "How it feels, from -2 (very negative) to 2 (very positive); decimals allowed."),
    STR(jmap_touchpoint, pain, false, text, "What goes wrong or hurts."),
    STR(jmap_touchpoint, opportunity, false, text, "An idea to improve it."),
    STR(jmap_touchpoint, backstage, false, text,
        "What the organisation does out of the customer's sight."),
    STR(jmap_touchpoint, owner, false, text, "The team that owns it."),
    STR(jmap_touchpoint, url, false, url,
        "A link (http, https or mailto); the card links to it where the output format allows."),
    {"kpis", F_LIST, false, offsetof(jmap_touchpoint, kpis), offsetof(jmap_touchpoint, n_kpis),
     NO_OFF, &kpi_schema, LIM_NONE, NULL, 0, "KPIs of this touchpoint, drawn under its step."},
};
static const schema touchpoint_schema = {"touchpoint",
                                         sizeof(jmap_touchpoint),
                                         offsetof(jmap_touchpoint, loc),
                                         touchpoint_fields,
                                         sizeof(touchpoint_fields) / sizeof(field),
                                         finish_touchpoint,
                                         "One interaction between a persona and the organisation; "
                                         "a step column inside its stage, in the order written.",
                                         offsetof(jmap_touchpoint, unread)};

static const field map_fields[] = {
    {"jmap", F_INT, false, offsetof(jmap_map, version), NO_OFF, NO_OFF, NULL, LIM_NONE,
     &jmap_rule_version, 0, "The format version (default 1)."},
    STR(jmap_map, title, true, nonblank, "The map's title, top left."),
    STR(jmap_map, subtitle, false, text, "A second line under the title."),
    STR(jmap_map, state, false, state,
        "current (how it is) or future (how it should be); drawn as a badge."),
    STR(jmap_map, lang, false, lang,
        "The map's language, a BCP 47 tag (en, de-CH, pt-BR): for screen readers, search and "
        "line breaking."),
    STR(jmap_map, model, false, text,
        "A built-in stage model's id (jmap stages lists them), an id in the model path, or a "
        "path to a stage-model file inside the map's folder."),
    LIST(jmap_map, personas, personas, true, &persona_schema, LIM_PERSONAS, 1,
         "Who travels the journey; at least one."),
    {"stages", F_LIST, false, offsetof(jmap_map, map_stages), offsetof(jmap_map, n_map_stages),
     offsetof(jmap_map, stages_loc), &stage_schema, LIM_STAGES, NULL, 0,
     "Without model: the stages, in order (at least one). With model: detail for the model's "
     "stages."},
    LIST(jmap_map, touchpoints, touchpoints, false, &touchpoint_schema, LIM_TOUCHPOINTS, 0,
         "The interactions, in the order they are drawn."),
    STRS(jmap_map, data, data, offsetof(jmap_map, data_loc), text, 0,
         "CSV files of KPI data (docs/data.md), relative to the map's folder and inside it."),
    STRS(jmap_map, lanes, lanes, offsetof(jmap_map, lanes_loc), lane, 0,
         "Which rows to draw, in which order (default: every lane that has data)."),
    STR(jmap_map, theme, false, theme,
        "light (default), dark or print; jmap build --theme overrides it."),
};
const schema jmap_load_map_schema = {"map",
                                     sizeof(jmap_map),
                                     offsetof(jmap_map, loc),
                                     map_fields,
                                     sizeof(map_fields) / sizeof(field),
                                     finish_map,
                                     "A customer-journey map for jmap (format version 1). Keys "
                                     "beginning with x- are extensions, accepted and ignored.",
                                     offsetof(jmap_map, unread)};

static const field model_stage_fields[] = {
    STR(jmap_stage, id, true, id, "The stage id maps use; unique in the model."),
    STR(jmap_stage, name, false, nonblank, "The column header (default: the id title-cased)."),
    STR(jmap_stage, description, false, text, "What the stage covers."),
    {"kpis", F_STRS, false, offsetof(jmap_stage, suggested_kpis),
     offsetof(jmap_stage, n_suggested_kpis), NO_OFF, NULL, LIM_NONE, &jmap_rule_text, 0,
     "Names of KPIs worth tracking in the stage (shown by jmap stages, used by jmap new)."},
};
static const schema model_stage_schema = {"stage",
                                          sizeof(jmap_stage),
                                          offsetof(jmap_stage, loc),
                                          model_stage_fields,
                                          sizeof(model_stage_fields) / sizeof(field),
                                          NULL,
                                          "One stage of the model.",
                                          NO_OFF};

static const field model_fields[] = {
    STR(jmap_stage_model, id, true, id, "The model's id."),
    STR(jmap_stage_model, name, true, nonblank, "Its full name."),
    STR(jmap_stage_model, description, false, text,
        "One or two sentences on what the model is for."),
    {"source", F_SOURCE, false, NO_OFF, NO_OFF, NO_OFF, NULL, LIM_NONE, &jmap_rule_text, 0,
     "Where it comes from: addresses, books, studies."},
    {"stages", F_LIST, true, offsetof(jmap_stage_model, stages),
     offsetof(jmap_stage_model, n_stages), offsetof(jmap_stage_model, stages_loc),
     &model_stage_schema, LIM_STAGES, NULL, 1,
     "The stages, in order; at least one."},
};
const schema jmap_load_model_schema = {"stage model",
                                       sizeof(jmap_stage_model),
                                       offsetof(jmap_stage_model, loc),
                                       model_fields,
                                       sizeof(model_fields) / sizeof(field),
                                       NULL,
                                       "A jmap stage-model file: a named, reusable list of "
                                       "stages that maps name with model:. Keys beginning with "
                                       "x- are extensions, accepted and ignored.",
                                       NO_OFF};

/* ---- values ----------------------------------------------------------------------------- */

#define AT(obj, off, T) ((T *)(void *)((char *)(obj) + (off)))

static jmap_loc loc_of(const loader *l, const jmap_node *n)
{
    return jmap_node_loc(n, l->file);
}

/* How a wrong value is named in "found ...". */
static const char *kind_name(const jmap_node *n)
{
    if (n->kind == JMAP_NODE_MAP)
        return "a mapping";
    if (n->kind == JMAP_NODE_SEQ)
        return "a sequence";
    if (jmap_node_is_null(n))
        return "null";
    return !n->quoted && jmap_number_syntax(n->s, n->len, false) ? "a number" : "a string";
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
        !jmap_number_syntax(n->s, n->len, f->kind == F_INT)) {
        wrong_type(l, n, expected, f->key, true);
        return;
    }
    leading_zero(l, n);
    double v = jmap_number_value(n->s, n->len);
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

/* Null counts as absent: true for a null value, which is an error for a required key. */
static bool absent(loader *l, const field *f, const jmap_node *n)
{
    if (!jmap_node_is_null(n))
        return false;
    if (f->required) {
        mark_unread(l);
        jmap_diag_add(l->d, JMAP_SEV_ERROR, "missing-key", loc_of(l, n),
                      "missing value for required key '%s'", f->key);
    }
    return true;
}

static void load_string(loader *l, const field *f, const jmap_node *n, void *obj)
{
    if (absent(l, f, n))
        return;
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
    if (absent(l, f, n))
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
    jmap_map *m = load_document(a, file, text, len, lim, d, &jmap_load_map_schema);
    if (m)
        m->file = file;
    return m;
}

jmap_stage_model *jmap_load_stage_model(jmap_arena *a, const char *file, const char *text,
                                        size_t len, const jmap_limits *lim, jmap_diags *d)
{
    return load_document(a, file, text, len, lim, d, &jmap_load_model_schema);
}
