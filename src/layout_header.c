#include "jmap/layout.h"

#include "layout_internal.h"

/*
 * The header: title and subtitle at the left with the CURRENT / FUTURE STATE badge, and the
 * persona legend at the right (chip, name, role, a few goals); "Data as of DATE" under the
 * title when KPI data was joined. Everything here is placed in
 * absolute coordinates above the grid, inside one "header" rectangle that ends before it.
 */

#define TITLE_MIN_W 300.0
#define LEGEND_PAD 12.0
#define LEGEND_GAP 16.0
#define HEADER_GAP 24.0
#define MAX_GOALS 3

static size_t visible_personas(const lay *L)
{
    size_t n = 0;
    for (size_t i = 0; i < L->m->n_personas; i++)
        n += L->persona_visible[i];
    return n;
}

double lay_header_min_width(const lay *L)
{
    if (!visible_personas(L))
        return TITLE_MIN_W;
    return TITLE_MIN_W + HEADER_GAP + L->t->sp.legend_entry_w + 2 * LEGEND_PAD;
}

/* The pill badge; returns its size, drawing it only when `draw`. */
static void badge(lay *L, double x, double y, size_t *out_rect, bool draw, double *w, double *h)
{
    const jmap_theme *t = L->t;
    bool future = L->m->state_v == JMAP_STATE_FUTURE;
    const char *label = future ? "FUTURE STATE" : "CURRENT STATE";
    jmap_font f = lay_caps(L);
    jmap_text_size ts = lay_measure(L, label, &f, 0);
    *w = ts.w + 20;
    *h = ts.h + 8;
    if (!draw)
        return;
    jmap_color fill = future ? t->c.badge_future_fill : t->c.badge_current_fill;
    jmap_color ink = future ? t->c.badge_future_text : t->c.badge_current_text;
    *out_rect = lay_rect(L, "badge", (jmap_rect){x, y, *w, *h}, fill, (jmap_color){0}, 0, *h / 2);
    lay_text(L, "badge-text", label, &f, ink, x + 10, y + 4, ts.w + 1, JMAP_ALIGN_LEFT,
             L->m->state.loc, *out_rect);
}

/* One legend entry at (x, y), `w` wide; returns its height. */
static double legend_entry(lay *L, size_t p, double x, double y, double w, size_t cell)
{
    const jmap_theme *t = L->t;
    const jmap_persona *ps = &L->m->personas[p];
    double on, off;
    int shape;
    jmap_theme_persona_style(t, p, &on, &off, &shape);
    jmap_font nf = lay_font(L, JMAP_STYLE_STRONG);
    double name_h = lay_measure(L, "Ag", &nf, 0).h;
    double key_w = 14;
    double cy = y + name_h / 2;
    if (t->persona_patterns) {
        /* a short sample of the curve, so a greyscale copy still tells personas apart */
        key_w = 26;
        jmap_prim *ln = lay_push(L, JMAP_PRIM_LINE, "legend-line");
        jmap_point *pts = lay_points(L, 2);
        pts[0] = (jmap_point){x, cy};
        pts[1] = (jmap_point){x + 20, cy};
        ln->pts = pts;
        ln->n_pts = 2;
        ln->box = (jmap_rect){x, cy, 20, 0};
        ln->stroke = L->persona_col[p];
        ln->stroke_width = t->sp.curve_w;
        ln->dash_on = on;
        ln->dash_off = off;
        lay_marker(L, "legend-chip", (jmap_point){x + 10, cy}, t->sp.marker, shape,
                   t->c.marker_fill, L->persona_col[p], 2);
    } else {
        lay_marker(L, "legend-chip", (jmap_point){x + 5, cy}, 10, shape, L->persona_col[p],
                   (jmap_color){0}, 0);
    }
    double tx = x + key_w, tw = w - key_w;
    double yy = y;
    yy += lay_text(L, "legend-name", ps->name.s ? ps->name.s : ps->id.s, &nf, t->c.text, tx, yy, tw,
                   JMAP_ALIGN_LEFT, ps->name.loc, cell);
    jmap_font cf = lay_font(L, JMAP_STYLE_BODY);
    if (ps->role.s && ps->role.s[0])
        yy += lay_text(L, "legend-role", ps->role.s, &cf, t->c.text_secondary, tx, yy, tw,
                       JMAP_ALIGN_LEFT, ps->role.loc, cell);
    size_t shown = ps->n_goals < MAX_GOALS ? ps->n_goals : MAX_GOALS;
    if (shown)
        yy += 3;
    for (size_t g = 0; g < shown; g++) {
        const char *text = jmap_arena_printf(L->a, "• %s", ps->goals[g].s ? ps->goals[g].s : "");
        yy += lay_text(L, "legend-goal", text, &cf, t->c.text, tx, yy, tw, JMAP_ALIGN_LEFT,
                       ps->goals[g].loc, cell);
    }
    if (ps->n_goals > shown) {
        const char *more = jmap_arena_printf(L->a, "+%zu more", ps->n_goals - shown);
        yy += lay_text(L, "legend-goal", more, &cf, t->c.text_secondary, tx, yy, tw,
                       JMAP_ALIGN_LEFT, (jmap_loc){0}, cell);
    }
    return yy - y;
}

double lay_header(lay *L, double y0)
{
    const jmap_theme *t = L->t;
    const jmap_theme_space *sp = &t->sp;
    double left = sp->margin, right = L->content_right;
    size_t header = lay_rect(L, "header", (jmap_rect){left, y0, right - left, 0}, t->c.background,
                             (jmap_color){0}, 0, 0);

    /* the legend's size decides how much room the title has */
    size_t np = visible_personas(L);
    double ew = sp->legend_entry_w;
    size_t ncols = 0;
    double legend_w = 0, legend_x = right;
    if (np) {
        double room = right - left - TITLE_MIN_W - HEADER_GAP - 2 * LEGEND_PAD + LEGEND_GAP;
        ncols = room > ew + LEGEND_GAP ? (size_t)(room / (ew + LEGEND_GAP)) : 1;
        if (ncols > np)
            ncols = np;
        legend_w = 2 * LEGEND_PAD + ncols * ew + (ncols - 1) * LEGEND_GAP;
        legend_x = right - legend_w;
    }
    double title_w = (np ? legend_x - HEADER_GAP : right) - left;

    double y = y0;
    jmap_font tf = lay_font(L, JMAP_STYLE_TITLE);
    jmap_text_size ts;
    const char *title = lay_fit(L, "title", NULL, L->m->title.s, NULL, &tf, title_w,
                                L->m->title.loc, &ts);
    lay_put_text(L, "title", title, &ts, &tf, t->c.text, left, y, title_w, JMAP_ALIGN_LEFT,
                 L->m->title.loc, header);
    bool has_badge = L->m->state_v != JMAP_STATE_NONE;
    double bw = 0, bh = 0;
    size_t br = 0;
    bool badge_done = false;
    if (has_badge) {
        badge(L, 0, 0, &br, false, &bw, &bh);
        if (ts.lines == 1 && ts.w + 14 + bw <= title_w) {
            double first_line = ts.h;
            badge(L, left + ts.w + 14, y + (first_line - bh) / 2, &br, true, &bw, &bh);
            badge_done = true;
        }
    }
    y += ts.h;
    if (L->m->subtitle.s && L->m->subtitle.s[0]) {
        jmap_font sf = lay_font(L, JMAP_STYLE_HEADING);
        y += 4;
        y += lay_text(L, "subtitle", L->m->subtitle.s, &sf, t->c.text_secondary, left, y, title_w,
                      JMAP_ALIGN_LEFT, L->m->subtitle.loc, header);
    }
    if (has_badge && !badge_done) {
        y += 8;
        badge(L, left, y, &br, true, &bw, &bh);
        y += bh;
    }
    if (L->m->data_as_of.year) {
        /* the latest period of the joined data: how fresh the numbers below are */
        jmap_font df = lay_font(L, JMAP_STYLE_BODY);
        const char *text = jmap_arena_printf(L->a, "Data as of %s", lay_date(L, L->m->data_as_of));
        y += 6;
        y += lay_text(L, "data-as-of", text, &df, t->c.text_secondary, left, y, title_w,
                      JMAP_ALIGN_LEFT, (jmap_loc){0}, header);
    }
    double bottom = y;

    if (np) {
        size_t legend = lay_rect(L, "legend", (jmap_rect){legend_x, y0, legend_w, 0},
                                 t->c.legend_fill, (jmap_color){0}, 0, sp->radius + 2);
        double row_top = y0 + LEGEND_PAD, row_h = 0;
        size_t k = 0;
        for (size_t p = 0; p < L->m->n_personas; p++) {
            if (!L->persona_visible[p])
                continue;
            size_t c = k % ncols;
            if (c == 0 && k > 0) {
                row_top += row_h + 10;
                row_h = 0;
            }
            double h = legend_entry(L, p, legend_x + LEGEND_PAD + c * (ew + LEGEND_GAP), row_top,
                                    ew, legend);
            if (h > row_h)
                row_h = h;
            k++;
        }
        double lb = row_top + row_h + LEGEND_PAD;
        L->s->prims[legend].box.h = lb - y0;
        if (lb > bottom)
            bottom = lb;
    }
    L->s->prims[header].box.h = bottom - y0;
    return bottom;
}
