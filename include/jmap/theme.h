#ifndef JMAP_THEME_H
#define JMAP_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/geom.h"
#include "jmap/model.h"
#include "jmap/text.h"

/*
 * Themes: every visual choice (colours, type, spacing) in one place, as data (src/theme.c).
 * The layout reads a theme; the renderer never does (it paints the colours the scene carries).
 * Sizes are in points.
 */

#define JMAP_THEME_STAGE_TINTS 6
#define JMAP_THEME_PERSONAS 8

typedef struct jmap_theme_colors {
    jmap_color background, text, text_secondary, grid, label_band;
    jmap_color card_fill, card_stroke;
    jmap_color cell_fill;  /* actions, thoughts */
    jmap_color empty_fill; /* a cell with nothing in it, so the grid still reads */
    jmap_color pain_fill, pain_accent;
    jmap_color opportunity_fill, opportunity_accent;
    jmap_color backstage_fill, visibility_line;
    jmap_color kpi_fill, on_track, off_track;
    jmap_color spark, spark_target; /* a KPI's trend line and its target reference line */
    jmap_color emotion_fill, emotion_pos, emotion_neg, emotion_zero, marker_fill;
    jmap_color legend_fill;
    jmap_color badge_current_fill, badge_current_text, badge_future_fill, badge_future_text;
    jmap_color stage_fill[JMAP_THEME_STAGE_TINTS];   /* soft tint of a stage header */
    jmap_color stage_accent[JMAP_THEME_STAGE_TINTS]; /* its accent bar */
    jmap_color persona[JMAP_THEME_PERSONAS];         /* palette, in order */
} jmap_theme_colors;

/* The six text styles of VISUAL.md's type scale; every text of a map is set in one of them.
 * Colour, case and letter spacing tell captions apart within a style, never another size. */
typedef enum jmap_text_style {
    JMAP_STYLE_TITLE,   /* the map's title */
    JMAP_STYLE_HEADING, /* stage names; the subtitle */
    JMAP_STYLE_STRONG,  /* touchpoint and persona names, KPI figures */
    JMAP_STYLE_BODY,    /* actions, pains, opportunities, backstage, goals, roles */
    JMAP_STYLE_QUOTE,   /* thoughts */
    JMAP_STYLE_LABEL,   /* lane labels, badges, channel, owner, KPI names and status, axes */
    JMAP_STYLE_COUNT
} jmap_text_style;

typedef struct jmap_theme_font {
    double size; /* points */
    int weight;  /* 400 regular, 600 semibold, 700 bold */
    bool italic;
} jmap_theme_font;

/* Every style shares one line height, JMAP_FONTS_LINE_HEIGHT (1.3 em), set by the measurer. */
typedef struct jmap_theme_type {
    jmap_theme_font style[JMAP_STYLE_COUNT];
    double caps_spacing; /* letter spacing of upper-case labels: lane labels and badges */
} jmap_theme_type;

typedef struct jmap_theme_space {
    double margin, label_w, step_w, step_gap, stage_gap, row_gap, visibility_gap, header_gap;
    double pad, radius, accent_w, chip, marker, curve_w, emotion_unit, legend_entry_w;
    double spark_h, spark_w; /* a KPI's sparkline: height, line width */
} jmap_theme_space;

typedef struct jmap_theme {
    const char *name;
    const char *font_family; /* "Inter"; the renderer falls back to DejaVu Sans */
    jmap_theme_colors c;
    jmap_theme_type type;
    jmap_theme_space sp;
    bool persona_patterns; /* personas told apart by dash pattern and marker shape too */
    bool persona_override; /* a persona's own `color` is used */
} jmap_theme;

/** The built-in theme; never NULL for a valid id. */
const jmap_theme *jmap_theme_get(jmap_theme_id id);

/** Parse "#rgb" or "#rrggbb" (case-insensitive) into an opaque colour. */
bool jmap_color_parse(const char *s, jmap_color *out);

/** WCAG 2 contrast ratio of two opaque colours, 1 to 21. */
double jmap_color_contrast(jmap_color a, jmap_color b);

/** The colour of persona `ix` of `m` (its own `color` when the theme allows, else the
 * palette, cycling). */
jmap_color jmap_theme_persona_color(const jmap_theme *t, const jmap_map *m, size_t ix);

/** How persona `ix` draws its curve: dash lengths (both 0: solid) and marker shape index
 * (0 circle, 1 square, 2 triangle, 3 diamond). Solid circles unless persona_patterns. */
void jmap_theme_persona_style(const jmap_theme *t, size_t ix, double *dash_on, double *dash_off,
                              int *shape);

#endif
