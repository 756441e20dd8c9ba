#ifndef JMAP_LAYOUT_INTERNAL_H
#define JMAP_LAYOUT_INTERNAL_H

/* Shared by the layout files (layout*.c); not a contract with any other pass. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jmap/layout.h"

/* Prims of a grid row are made with y relative to the row's top, before the row heights are
 * known; lay_finish() moves them into place. A prim with `grow` also gets the row's height
 * added to its box.h (a cell that fills its row has h = 0 and grow). */
typedef struct lay_meta {
    size_t row; /* JMAP_NONE: absolute already */
    bool grow;
} lay_meta;

typedef struct lay {
    jmap_arena *a;
    const jmap_map *m;
    const jmap_theme *t;
    const jmap_text_measurer *tm;
    jmap_diags *d;
    jmap_scene *s;

    size_t cap_prims;
    lay_meta *meta;
    size_t row; /* row being built, JMAP_NONE for the header */

    bool *tp_visible;        /* per touchpoint */
    bool *persona_visible;   /* per persona */
    jmap_color *persona_col; /* per persona */
    size_t *stage_first_col; /* per stage: its first step column */
    size_t *stage_n_cols;    /* per stage: how many step columns */

    double grid_x, grid_right; /* the step columns span [grid_x, grid_right] */
    double content_right;      /* page width minus the margin */

    uint64_t *warned; /* open-addressing set of locations warned about */
    size_t cap_warned, n_warned;
} lay;

/* Scene building (layout_scene.c) */
jmap_prim *lay_push(lay *L, jmap_prim_kind kind, const char *role);
size_t lay_rect(lay *L, const char *role, jmap_rect box, jmap_color fill, jmap_color stroke,
                double stroke_w, double radius);
/* Fit `text` (lay_fit: cut to the lines its role shows) wrapped to w, add a TEXT prim at (x, y)
 * inside RECT `cell`; returns its height. Warns once per value about glyphs no font has. */
double lay_text(lay *L, const char *role, const char *text, const jmap_font *f, jmap_color color,
                double x, double y, double w, jmap_align align, jmap_loc src, size_t cell);
jmap_text_size lay_measure(lay *L, const char *text, const jmap_font *f, double w);
/* lay_text for a text already fitted by lay_fit, of size `ts`. */
double lay_put_text(lay *L, const char *role, const char *text, const jmap_text_size *ts,
                    const jmap_font *f, jmap_color color, double x, double y, double w,
                    jmap_align align, jmap_loc src, size_t cell);
/* True the first time (`at`, `what`) is seen: one warning of a kind per value. */
enum { LAY_ONCE_MISSING_GLYPH, LAY_ONCE_TRUNCATED };
bool lay_once(lay *L, jmap_loc at, unsigned what);

/* Long texts (layout_truncate.c). The most lines a text of `role` shows. */
unsigned lay_max_lines(const char *role);
/* `pre` + `text` + `post` as drawn in `f` wrapped to `w`: itself when it fits in the lines its
 * role shows, else with `text` cut at a cluster boundary and ended in "…" (and one
 * text-truncated warning per value at `src`). Only a bounded prefix of `text` is ever
 * measured. *size gets the size of the result, which is what must be drawn. */
const char *lay_fit(lay *L, const char *role, const char *pre, const char *text,
                    const char *post, const jmap_font *f, double w, jmap_loc src,
                    jmap_text_size *size);
/* Where the grapheme cluster (approximately; layout_grapheme.c) starting at byte `at` of the
 * NUL-terminated `text` ends; *cps gets its number of code points (0 at the end). */
size_t lay_cluster_end(const char *text, size_t at, size_t *cps);
/* The font of one of the theme's six text styles: no text picks a size or weight itself. */
jmap_font lay_font(const lay *L, jmap_text_style style);
/* The label style upper-cased and letter-spaced: lane labels and badges. */
jmap_font lay_caps(const lay *L);
jmap_point *lay_points(lay *L, size_t n);
void lay_marker(lay *L, const char *role, jmap_point c, double size, int shape, jmap_color fill,
                jmap_color stroke, double stroke_w);
double lay_col_center(const lay *L, size_t col);

/* Lanes: each builds one row with y relative to the row top and returns the content height.
 */
double lay_lane_emotions(lay *L, double label_h, size_t band);
double lay_lane_kpis(lay *L);

/* A KPI's trend (layout_trend.c): "as of" when stale, the change since the previous period,
 * the sparkline with its latest value's dot in `dot`; returns the height, 0 without history. */
double lay_kpi_trend(lay *L, const jmap_kpi *k, double x, double y, double w, size_t cell,
                     jmap_color dot);
/* The KPI's latest period ends before the map's latest period (map->data_as_of). */
bool lay_kpi_stale(const lay *L, const jmap_kpi *k);
/* "2026-10", "2026-10-31". */
const char *lay_date(lay *L, jmap_date d);

/* Header (layout_header.c): title, subtitle, badge, legend at the top; returns its bottom. */
double lay_header(lay *L, double y);
/* The least width the header needs, to widen a narrow grid. */
double lay_header_min_width(const lay *L);

/* "42,000 people", "3.1%"; NULL when `n` is not set. */
char *lay_quantity(lay *L, const jmap_num *n, const jmap_str *unit);
bool lay_unit_glued(const char *unit);

#endif
