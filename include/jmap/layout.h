#ifndef JMAP_LAYOUT_H
#define JMAP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/geom.h"
#include "jmap/model.h"
#include "jmap/text.h"
#include "jmap/theme.h"

/*
 * The layout pass: a valid, resolved model + a theme + a text measurer -> a scene of
 * primitives in points (origin top-left, y down). Pure geometry: no Cairo, no files.
 * Ownership: everything returned lives in the arena given; never free it yourself.
 */

typedef enum jmap_prim_kind {
    JMAP_PRIM_RECT,   /* box filled and/or stroked, corners rounded by `radius` */
    JMAP_PRIM_TEXT,   /* `text` in `font`, wrapped to box.w, drawn from box.x, box.y */
    JMAP_PRIM_LINE,   /* a polyline through pts */
    JMAP_PRIM_CURVE,  /* cubic Béziers: pts[0], then three points (c1, c2, end) per segment */
    JMAP_PRIM_MARKER, /* a `marker` shape filling box, filled and stroked */
    JMAP_PRIM_LINK    /* a clickable area over box, pointing at `url` (PDF) */
} jmap_prim_kind;

typedef enum jmap_marker_shape {
    JMAP_MARKER_CIRCLE,
    JMAP_MARKER_SQUARE,
    JMAP_MARKER_TRIANGLE,
    JMAP_MARKER_DIAMOND
} jmap_marker_shape;

typedef struct jmap_prim {
    jmap_prim_kind kind;
    const char *role; /* what it is, for dumps and tests: "card", "cell.pain", "lane-label" … */
    jmap_rect box;
    jmap_color fill, stroke;
    double stroke_width, radius;
    double dash_on, dash_off; /* both 0: solid */

    /* JMAP_PRIM_TEXT */
    const char *text;
    jmap_font font;
    jmap_color color;
    jmap_align align;
    jmap_loc src; /* where the text came from in the map (line 0 for labels jmap made) */
    size_t cell;  /* index of the RECT prim whose box holds this text, or JMAP_NONE */

    /* JMAP_PRIM_LINE and JMAP_PRIM_CURVE */
    const jmap_point *pts;
    size_t n_pts;

    jmap_marker_shape marker; /* JMAP_PRIM_MARKER */
    const char *url;          /* JMAP_PRIM_LINK */
} jmap_prim;

/* The grid, kept beside the primitives so tests can check it. */
typedef struct jmap_scene_row {
    jmap_lane lane;
    double y, h;
} jmap_scene_row;

typedef struct jmap_scene_col {
    size_t stage_ix;      /* index into map->stages */
    size_t touchpoint_ix; /* index into map->touchpoints, JMAP_NONE for an empty stage */
    double x, w;
} jmap_scene_col;

typedef struct jmap_scene {
    double width, height; /* the page, points */
    jmap_color background;
    const char *title; /* for PDF metadata */
    jmap_prim *prims;  /* in painting order */
    size_t n_prims;
    jmap_scene_row *rows;
    size_t n_rows;
    jmap_scene_col *cols; /* step columns, left to right */
    size_t n_cols;
} jmap_scene;

typedef struct jmap_layout_opts {
    const jmap_theme *theme;
    const char *only_persona; /* NULL, or a persona id: draw only that persona's touchpoints */
} jmap_layout_opts;

/**
 * Lay out a model that passed resolve and check. Adds warnings (text no installed font can
 * draw, at the value's line and column) to `d`. Returns NULL only if the scene cannot be made.
 */
jmap_scene *jmap_layout_build(jmap_arena *a, const jmap_map *m, const jmap_layout_opts *o,
                              const jmap_text_measurer *tm, jmap_diags *d);

/** Write `v` as maps show numbers, the same in every locale: 42000 -> "42,000",
 * 0.031 -> "0.031", -1234.5 -> "-1,234.5", 1.5e-7 -> "1.5e-7": the shortest decimal that
 * reads back as `v`, grouped. Returns `buf`; 32 bytes are always enough. */
char *jmap_format_number(char *buf, size_t size, double v);

/** A stable, line-oriented dump of the scene (fixed "%.2f"), for golden tests and debugging. */
void jmap_layout_dump(const jmap_scene *s, FILE *out);

#endif
