#ifndef JMAP_MODEL_H
#define JMAP_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/diag.h"

/*
 * The journey-map model: what the loader builds from a map file (format version 1, see
 * docs/format.md) and what every later pass reads. Every value that came from the file keeps
 * its place. All memory belongs to the document's arena.
 *
 * Absent values: a jmap_str with s == NULL, a jmap_num with set == false, a list with
 * loc.line == 0. The loader stores what was written; resolve fills the fields marked
 * "resolved", check reports what is wrong.
 */

#define JMAP_FORMAT_VERSION 1
#define JMAP_NONE ((size_t)-1) /* an index that resolves to nothing */

/* What the loader could not read, and reported: bits of the `unread` fields below. A later
 * pass cannot tell what such a value meant, so it does not warn about what it may have named
 * (a stage without touchpoints, an unused persona). */
#define JMAP_UNREAD_STAGE 1u       /* touchpoint: `stage` */
#define JMAP_UNREAD_PERSONAS 2u    /* touchpoint: `persona`, `personas` or one of its items;
                                      map: an item of `personas` */
#define JMAP_UNREAD_KPIS 4u        /* touchpoint, stage: `kpis` or one of its items */
#define JMAP_UNREAD_TOUCHPOINTS 8u /* map: an item of `touchpoints` */
#define JMAP_UNREAD_STAGES 16u     /* map: an item of `stages` */

typedef struct jmap_str {
    const char *s; /* UTF-8, NUL-terminated; NULL when absent */
    size_t len;    /* bytes, without the NUL */
    jmap_loc loc;  /* of the value */
} jmap_str;

typedef struct jmap_num {
    double v;
    bool set;
    jmap_loc loc;
} jmap_num;

typedef enum jmap_better { JMAP_BETTER_HIGHER, JMAP_BETTER_LOWER } jmap_better;
typedef enum jmap_state { JMAP_STATE_NONE, JMAP_STATE_CURRENT, JMAP_STATE_FUTURE } jmap_state;
typedef enum jmap_theme_id { JMAP_THEME_LIGHT, JMAP_THEME_DARK, JMAP_THEME_PRINT } jmap_theme_id;

/* Lanes in their default order. */
typedef enum jmap_lane {
    JMAP_LANE_STAGES,
    JMAP_LANE_TOUCHPOINTS,
    JMAP_LANE_ACTIONS,
    JMAP_LANE_THOUGHTS,
    JMAP_LANE_EMOTIONS,
    JMAP_LANE_PAINS,
    JMAP_LANE_OPPORTUNITIES,
    JMAP_LANE_BACKSTAGE,
    JMAP_LANE_KPIS,
    JMAP_LANE_COUNT
} jmap_lane;

#define JMAP_KPI_HISTORY 12 /* values of a KPI's data kept for its trend */

/* A period of KPI data: `YYYY-MM-DD`, or `YYYY-MM` (day 0, a whole month). A month sorts
 * before its first day (jmap_date_cmp in jmap/data.h). year 0: no date. */
typedef struct jmap_date {
    unsigned short year;
    unsigned char month; /* 1-12 */
    unsigned char day;   /* 1-31, or 0 for a whole month */
} jmap_date;

/* One period of a KPI's data (src/data_join.c). */
typedef struct jmap_kpi_point {
    jmap_date date;
    bool has_target;
    double actual, target;
} jmap_kpi_point;

typedef struct jmap_kpi {
    jmap_loc loc; /* the KPI's mapping */
    jmap_str id;  /* optional; how data files name the KPI; unique in the map */
    jmap_str name, unit;
    jmap_num target, actual; /* as written, or, after the data join, from the latest row */
    jmap_str better;     /* as written; NULL = higher */
    jmap_better better_v; /* from `better`, set by the loader when the word is known */

    /* joined from data files: up to JMAP_KPI_HISTORY periods, oldest first, the latest last
     * (its values are also in `actual`/`target`); n_history == 0 without data */
    jmap_kpi_point *history;
    size_t n_history;
} jmap_kpi;

typedef struct jmap_stage {
    jmap_loc loc;
    jmap_str id, name, goal, description;
    jmap_kpi *kpis;
    size_t n_kpis;
    jmap_loc kpis_loc;
    jmap_str *suggested_kpis; /* stage-model files only: names of KPIs worth tracking */
    size_t n_suggested_kpis;
    unsigned unread; /* JMAP_UNREAD_KPIS */
} jmap_stage;

typedef struct jmap_persona {
    jmap_loc loc;
    jmap_str id, name, role, color;
    jmap_str *goals;
    size_t n_goals;
} jmap_persona;

typedef struct jmap_touchpoint {
    jmap_loc loc;
    jmap_str stage;
    jmap_str persona;    /* `persona: id` */
    jmap_str *personas;  /* `personas: [ids]` */
    size_t n_personas;
    jmap_loc personas_loc; /* line 0 when `personas` is absent */
    jmap_str name, channel, action, thought, pain, opportunity, backstage, owner, url;
    jmap_num emotion;
    jmap_kpi *kpis;
    size_t n_kpis;
    unsigned unread; /* JMAP_UNREAD_STAGE, _PERSONAS, _KPIS */

    /* resolved */
    size_t stage_ix;       /* index into jmap_map.stages, JMAP_NONE if unknown */
    size_t *persona_ix;    /* indices into jmap_map.personas, in written order; unknown ones
                              are left out. When neither key is given: every persona. */
    size_t n_persona_ix;
} jmap_touchpoint;

/* A stage model: a built-in one (a file in stages/) or a file named by `model:`. */
typedef struct jmap_stage_model {
    jmap_loc loc;
    jmap_str id, name, description;
    jmap_stage *stages;
    size_t n_stages;
    jmap_loc stages_loc; /* of the `stages:` list */
} jmap_stage_model;

typedef struct jmap_map {
    const char *file; /* as given to the loader */
    jmap_loc loc;     /* the top-level mapping */
    jmap_num version; /* `jmap:`; absent means 1 */
    jmap_str title, subtitle, state, model, theme;
    jmap_str lang; /* `lang:`, a BCP 47 tag ("en", "de-CH"); absent: none is claimed */
    jmap_state state_v;    /* from `state` when the word is known */
    jmap_theme_id theme_v; /* from `theme` when the word is known; light otherwise */

    jmap_persona *personas;
    size_t n_personas;
    jmap_loc personas_loc;

    jmap_stage *map_stages; /* `stages:` as written in the map */
    size_t n_map_stages;
    jmap_loc stages_loc;

    jmap_touchpoint *touchpoints;
    size_t n_touchpoints;
    jmap_loc touchpoints_loc;

    jmap_str *data; /* `data:` as written: CSV files, relative to the map's folder */
    size_t n_data;
    jmap_loc data_loc;

    jmap_str *lanes; /* `lanes:` as written */
    size_t n_lanes;
    jmap_loc lanes_loc;
    unsigned unread; /* JMAP_UNREAD_TOUCHPOINTS, _PERSONAS, _STAGES */

    /* resolved */
    const jmap_stage_model *stage_model; /* NULL without `model:` or when it was not found */
    const char *stage_model_file; /* the file `model:` names as resolve found it, set even when
                                     it cannot be read or loaded (--watch watches it); NULL for
                                     a built-in model or none */
    jmap_stage *stages; /* the map's stages in order: the model's, with the map's detail merged in;
                           without a model, map_stages */
    size_t n_stages;
    jmap_lane *lane_order; /* the lanes to draw, in order; from `lanes:` or the default */
    size_t n_lane_order;
    bool lanes_chosen; /* `lanes:` was given: draw these even when empty */

    /* joined (src/data_join.c) */
    jmap_date data_as_of; /* the latest period among all rows joined; year 0 without data */
} jmap_map;

/** The lanes' names as the format spells them, in the default order. */
extern const char *const jmap_lane_names[JMAP_LANE_COUNT];

/** The lane's name as the format spells it ("pains"), or NULL for an out-of-range value. */
const char *jmap_lane_name(jmap_lane lane);

/** The lane for a name, or false when there is none. */
bool jmap_lane_from_name(const char *name, jmap_lane *out);

#endif
