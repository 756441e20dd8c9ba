#include "jmap/layout.h"

#include <math.h>

#include "layout_internal.h"

/*
 * The emotion lane: a band from +2 (top) to -2 (bottom) with a faint green-to-red wash, a
 * dashed neutral line, and one curve per persona through the scores of its touchpoints at the
 * centres of their step columns. The curve is a monotone cubic (Fritsch–Carlson), so between two
 * scores it never leaves the range they span: it cannot overshoot past ±2 or invent a dip. A
 * touchpoint of the persona without a score breaks the curve.
 */

#define WASH_STRIPES 8

static jmap_color mix(jmap_color a, jmap_color b, double t)
{
    jmap_color c = {
        (uint8_t)lround(a.r + (b.r - a.r) * t),
        (uint8_t)lround(a.g + (b.g - a.g) * t),
        (uint8_t)lround(a.b + (b.b - a.b) * t),
        255,
    };
    return c;
}

static bool has_persona(const jmap_touchpoint *tp, size_t p)
{
    for (size_t k = 0; k < tp->n_persona_ix; k++) {
        if (tp->persona_ix[k] == p)
            return true;
    }
    return false;
}

/*
 * Fritsch–Carlson: tangents are the mean of the neighbouring secants, zero at a local extremum,
 * then scaled down where alpha² + beta² > 9. With alpha, beta in [0, 3] the Bézier control
 * points y0 + m0·h/3 and y1 − m1·h/3 stay between y0 and y1.
 */
static void monotone_curve(lay *L, const jmap_point *p, size_t n, jmap_color color, double on,
                           double off)
{
    double *m = jmap_arena_calloc(L->a, n, sizeof *m);
    double *dk = jmap_arena_calloc(L->a, n, sizeof *dk);
    for (size_t i = 0; i + 1 < n; i++)
        dk[i] = (p[i + 1].y - p[i].y) / (p[i + 1].x - p[i].x);
    m[0] = dk[0];
    m[n - 1] = dk[n - 2];
    for (size_t i = 1; i + 1 < n; i++)
        m[i] = dk[i - 1] * dk[i] <= 0 ? 0 : (dk[i - 1] + dk[i]) / 2;
    for (size_t i = 0; i + 1 < n; i++) {
        if (dk[i] == 0) {
            m[i] = m[i + 1] = 0;
            continue;
        }
        double al = m[i] / dk[i], be = m[i + 1] / dk[i];
        double s = al * al + be * be;
        if (s > 9) {
            double tau = 3 / sqrt(s);
            m[i] = tau * al * dk[i];
            m[i + 1] = tau * be * dk[i];
        }
    }
    jmap_point *pts = lay_points(L, 1 + 3 * (n - 1));
    pts[0] = p[0];
    double x0 = p[0].x, x1 = p[0].x, y0 = p[0].y, y1 = p[0].y;
    for (size_t i = 0; i + 1 < n; i++) {
        double h = p[i + 1].x - p[i].x;
        jmap_point *q = &pts[1 + 3 * i];
        q[0] = (jmap_point){p[i].x + h / 3, p[i].y + m[i] * h / 3};
        q[1] = (jmap_point){p[i + 1].x - h / 3, p[i + 1].y - m[i + 1] * h / 3};
        q[2] = p[i + 1];
        for (int k = 0; k < 3; k++) {
            x0 = fmin(x0, q[k].x);
            x1 = fmax(x1, q[k].x);
            y0 = fmin(y0, q[k].y);
            y1 = fmax(y1, q[k].y);
        }
    }
    jmap_prim *c = lay_push(L, JMAP_PRIM_CURVE, "emotion-curve");
    c->pts = pts;
    c->n_pts = 1 + 3 * (n - 1);
    c->box = (jmap_rect){x0, y0, x1 - x0, y1 - y0};
    c->stroke = color;
    c->stroke_width = L->t->sp.curve_w;
    c->dash_on = on;
    c->dash_off = off;
}

static double score_y(double top, double band_h, double score)
{
    if (score > 2)
        score = 2;
    if (score < -2)
        score = -2;
    return top + (2 - score) / 4 * band_h;
}

/* Walk the columns for persona `p`: curves for each run of scores (draw_markers false), or the
 * markers (true). */
static void persona_pass(lay *L, size_t p, double top, double band_h, jmap_point *run,
                         bool draw_markers)
{
    const jmap_theme *t = L->t;
    double on, off;
    int shape;
    jmap_theme_persona_style(t, p, &on, &off, &shape);
    size_t n = 0;
    for (size_t c = 0; c <= L->s->n_cols; c++) {
        const jmap_touchpoint *tp = NULL;
        if (c < L->s->n_cols) {
            size_t ti = L->s->cols[c].touchpoint_ix;
            if (ti == JMAP_NONE || !has_persona(&L->m->touchpoints[ti], p))
                continue;
            tp = &L->m->touchpoints[ti];
        }
        if (tp && tp->emotion.set) {
            jmap_point pt = {lay_col_center(L, c), score_y(top, band_h, tp->emotion.v)};
            if (draw_markers)
                lay_marker(L, "emotion-marker", pt, t->sp.marker, shape, t->c.marker_fill,
                           L->persona_col[p], 2);
            else
                run[n++] = pt;
            continue;
        }
        /* no score here (or the end): the run ends */
        if (n >= 2)
            monotone_curve(L, run, n, L->persona_col[p], on, off);
        n = 0;
    }
}

double lay_lane_emotions(lay *L, double label_h, size_t band)
{
    const jmap_theme *t = L->t;
    const jmap_theme_space *sp = &t->sp;
    jmap_font af = lay_font(L, JMAP_STYLE_LABEL);
    double ah = lay_measure(L, "+2 delighted", &af, 0).h;
    double top = label_h - sp->pad + 4 + ah / 2;
    if (top < sp->pad + sp->marker)
        top = sp->pad + sp->marker;
    double band_h = 4 * sp->emotion_unit;

    size_t cell =
        lay_rect(L, "cell.emotions", (jmap_rect){L->grid_x, 0, L->grid_right - L->grid_x, 0},
                 t->c.emotion_fill, (jmap_color){0}, 0, sp->radius);
    L->meta[cell].grow = true;
    (void)cell;
    for (int i = 0; i < WASH_STRIPES; i++) {
        int half = WASH_STRIPES / 2;
        bool pos = i < half;
        /* strongest at ±2, fading to nothing at 0 */
        double strength = pos ? (double)(half - i) / half : (double)(i - half + 1) / half;
        jmap_color c = mix(t->c.emotion_fill, pos ? t->c.emotion_pos : t->c.emotion_neg, strength);
        double sh = band_h / WASH_STRIPES;
        lay_rect(L, "emotion-wash",
                 (jmap_rect){L->grid_x, top + i * sh, L->grid_right - L->grid_x, sh}, c,
                 (jmap_color){0}, 0, 0);
    }
    jmap_prim *zero = lay_push(L, JMAP_PRIM_LINE, "emotion-zero");
    jmap_point *zp = lay_points(L, 2);
    zp[0] = (jmap_point){L->grid_x, top + band_h / 2};
    zp[1] = (jmap_point){L->grid_right, top + band_h / 2};
    zero->pts = zp;
    zero->n_pts = 2;
    zero->box = (jmap_rect){zp[0].x, zp[0].y, zp[1].x - zp[0].x, 0};
    zero->stroke = t->c.emotion_zero;
    zero->stroke_width = 1;
    zero->dash_on = 3;
    zero->dash_off = 3;

    static const char *const axis[3] = {"+2 delighted", "0 neutral", "−2 frustrated"};
    for (int i = 0; i < 3; i++) {
        double y = top + i * band_h / 2 - ah / 2;
        lay_text(L, "emotion-axis", axis[i], &af, t->c.text_secondary, sp->margin + sp->pad, y,
                 sp->label_w - 2 * sp->pad, JMAP_ALIGN_RIGHT, (jmap_loc){0}, band);
    }

    jmap_point *run = lay_points(L, L->s->n_cols);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t p = 0; p < L->m->n_personas; p++) {
            if (L->persona_visible[p])
                persona_pass(L, p, top, band_h, run, pass == 1);
        }
    }
    double bottom = top + band_h + ah / 2 + sp->pad;
    return bottom;
}
