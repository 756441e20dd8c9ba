#include "render_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "jmap/arena.h"
#include "jmap/url.h"
#include "render_pdf_tags.h"
#include "render_svg_layer.h"
#include "text_pango.h"

/* Painting the primitives: one routine for every format. No geometric decisions here. */

#define PI 3.14159265358979323846

static void set_color(cairo_t *cr, jmap_color c)
{
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a / 255.0);
}

static void set_dash(cairo_t *cr, const jmap_prim *p)
{
    if (p->dash_on > 0 && p->dash_off > 0) {
        double dash[2] = {p->dash_on, p->dash_off};
        cairo_set_dash(cr, dash, 2, 0);
    } else {
        cairo_set_dash(cr, NULL, 0, 0);
    }
}

static bool strokes(const jmap_prim *p)
{
    return p->stroke.a > 0 && p->stroke_width > 0;
}

/* Fill the current path, then stroke it, as the primitive asks. */
static void fill_and_stroke(cairo_t *cr, const jmap_prim *p)
{
    if (p->fill.a > 0) {
        set_color(cr, p->fill);
        cairo_fill_preserve(cr);
    }
    if (strokes(p)) {
        set_color(cr, p->stroke);
        cairo_set_line_width(cr, p->stroke_width);
        set_dash(cr, p);
        cairo_stroke_preserve(cr);
    }
    cairo_new_path(cr);
}

static void rect_path(cairo_t *cr, jmap_rect b, double r)
{
    r = fmin(r, fmin(b.w, b.h) / 2);
    if (r <= 0) {
        cairo_rectangle(cr, b.x, b.y, b.w, b.h);
        return;
    }
    cairo_new_sub_path(cr);
    cairo_arc(cr, b.x + b.w - r, b.y + r, r, -PI / 2, 0);
    cairo_arc(cr, b.x + b.w - r, b.y + b.h - r, r, 0, PI / 2);
    cairo_arc(cr, b.x + r, b.y + b.h - r, r, PI / 2, PI);
    cairo_arc(cr, b.x + r, b.y + r, r, PI, 3 * PI / 2);
    cairo_close_path(cr);
}

static void marker_path(cairo_t *cr, jmap_rect b, jmap_marker_shape shape)
{
    double cx = b.x + b.w / 2, cy = b.y + b.h / 2;
    switch (shape) {
    case JMAP_MARKER_SQUARE:
        cairo_rectangle(cr, b.x, b.y, b.w, b.h);
        break;
    case JMAP_MARKER_TRIANGLE:
        cairo_move_to(cr, cx, b.y);
        cairo_line_to(cr, b.x + b.w, b.y + b.h);
        cairo_line_to(cr, b.x, b.y + b.h);
        cairo_close_path(cr);
        break;
    case JMAP_MARKER_DIAMOND:
        cairo_move_to(cr, cx, b.y);
        cairo_line_to(cr, b.x + b.w, cy);
        cairo_line_to(cr, cx, b.y + b.h);
        cairo_line_to(cr, b.x, cy);
        cairo_close_path(cr);
        break;
    case JMAP_MARKER_CIRCLE:
    default:
        cairo_new_sub_path(cr);
        cairo_arc(cr, cx, cy, fmin(b.w, b.h) / 2, 0, 2 * PI);
        cairo_close_path(cr);
        break;
    }
}

static void stroke_open_path(cairo_t *cr, const jmap_prim *p)
{
    if (!strokes(p)) {
        cairo_new_path(cr);
        return;
    }
    set_color(cr, p->stroke);
    cairo_set_line_width(cr, p->stroke_width);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    set_dash(cr, p);
    cairo_stroke(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
}

static void paint_line(cairo_t *cr, const jmap_prim *p)
{
    if (!p->pts || p->n_pts < 2)
        return;
    cairo_move_to(cr, p->pts[0].x, p->pts[0].y);
    for (size_t i = 1; i < p->n_pts; i++)
        cairo_line_to(cr, p->pts[i].x, p->pts[i].y);
    stroke_open_path(cr, p);
}

static void paint_curve(cairo_t *cr, const jmap_prim *p)
{
    if (!p->pts || p->n_pts < 4)
        return;
    cairo_move_to(cr, p->pts[0].x, p->pts[0].y);
    for (size_t i = 1; i + 2 < p->n_pts; i += 3) {
        const jmap_point *c = &p->pts[i];
        cairo_curve_to(cr, c[0].x, c[0].y, c[1].x, c[1].y, c[2].x, c[2].y);
    }
    stroke_open_path(cr, p);
}

static void paint_text(cairo_t *cr, const jmap_prim *p, jmap_fonts *fonts, jmap_svg_layer *layer)
{
    if (!p->text || !*p->text || p->color.a == 0)
        return;
    set_color(cr, p->color);
    jmap_text_line *lines = NULL;
    size_t n = jmap_fonts_paint(fonts, cr, p->text, &p->font, p->box.w, p->align, p->box.x,
                                p->box.y, layer ? &lines : NULL);
    cairo_new_path(cr);
    if (layer)
        jmap_svg_layer_add_text(layer, p, lines, n);
    jmap_text_lines_free(lines, n);
}

/* A whole number for a Cairo attribute string. Cairo 1.16 parses a link's rect once when the
 * tag begins and again, with the process's LC_NUMERIC, when the PDF is finished, so "20.5"
 * fails in a locale with a decimal comma: whole points, rounded outwards, parse alike in both. */
static void put_whole(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%lld", (long long)v);
}

static void paint_link(cairo_t *cr, const jmap_prim *p)
{
    /* Normalised (url.c), the url holds no quote, backslash or parenthesis: it can close
     * neither Cairo's attribute string uri='...' nor the PDF string "/URI (...)" that Cairo
     * 1.16 copies it into without escaping. Cairo's own escapes are still written, for
     * safety's sake: a quote or backslash would be preceded by a backslash. */
    char *url = jmap_url_normalize(p->url);
    size_t n = 0;
    for (const char *s = url; *s; s++)
        n += (*s == '\'' || *s == '\\') ? 2 : 1;
    /* Cairo 1.16 takes the rect in device space, ignoring the page scale: convert it here and
     * draw the tag under the identity matrix, so a Cairo that does apply it agrees. */
    double x0 = p->box.x, y0 = p->box.y, x1 = p->box.x + p->box.w, y1 = p->box.y + p->box.h;
    cairo_user_to_device(cr, &x0, &y0);
    cairo_user_to_device(cr, &x1, &y1);
    double left = floor(fmin(x0, x1)), top = floor(fmin(y0, y1));
    char num[4][32];
    put_whole(num[0], sizeof num[0], left);
    put_whole(num[1], sizeof num[1], top);
    put_whole(num[2], sizeof num[2], ceil(fmax(x0, x1)) - left);
    put_whole(num[3], sizeof num[3], ceil(fmax(y0, y1)) - top);
    size_t cap = n + 4 * sizeof num[0] + 32;
    char *attr = jmap_xmalloc(cap);
    size_t k =
        (size_t)snprintf(attr, cap, "rect=[%s %s %s %s] uri='", num[0], num[1], num[2], num[3]);
    for (const char *s = url; *s; s++) {
        if (*s == '\'' || *s == '\\')
            attr[k++] = '\\';
        attr[k++] = *s;
    }
    attr[k++] = '\'';
    attr[k] = '\0';
    free(url);
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_tag_begin(cr, CAIRO_TAG_LINK, attr);
    cairo_tag_end(cr, CAIRO_TAG_LINK);
    cairo_restore(cr);
    free(attr);
}

/*
 * Links are annotations, not paint, so they go last. Cairo 1.16 writes a damaged PDF (a link
 * pointing at a structure element it never writes) unless links sit inside a structure
 * element, and fails at finish if that element also holds paint covering the page: so a
 * structure element that holds the links alone.
 */
static void paint_links(cairo_t *cr, const jmap_scene *s)
{
    bool open = false;
    for (size_t i = 0; i < s->n_prims; i++) {
        const jmap_prim *p = &s->prims[i];
        if (p->kind != JMAP_PRIM_LINK || !p->url || !*p->url)
            continue;
        if (!open)
            cairo_tag_begin(cr, "Document", "");
        open = true;
        paint_link(cr, p);
    }
    if (open)
        cairo_tag_end(cr, "Document");
}

void jmap_render_prim(cairo_t *cr, const jmap_prim *p, jmap_fonts *fonts,
                      jmap_svg_layer *layer)
{
    switch (p->kind) {
    case JMAP_PRIM_RECT:
        rect_path(cr, p->box, p->radius);
        fill_and_stroke(cr, p);
        break;
    case JMAP_PRIM_TEXT:
        paint_text(cr, p, fonts, layer);
        break;
    case JMAP_PRIM_LINE:
        paint_line(cr, p);
        break;
    case JMAP_PRIM_CURVE:
        paint_curve(cr, p);
        break;
    case JMAP_PRIM_MARKER:
        marker_path(cr, p->box, p->marker);
        fill_and_stroke(cr, p);
        break;
    case JMAP_PRIM_LINK:
        break;
    }
}

void jmap_render_background(cairo_t *cr, const jmap_scene *s)
{
    if (s->background.a > 0) {
        set_color(cr, s->background);
        cairo_rectangle(cr, 0, 0, s->width, s->height);
        cairo_fill(cr);
    }
}

void jmap_render_paint(cairo_t *cr, const jmap_scene *s, jmap_fonts *fonts, bool links,
                       bool tags, jmap_svg_layer *layer)
{
    if (tags)
        jmap_pdf_tags_paint(cr, s, fonts);
    else {
        jmap_render_background(cr, s);
        for (size_t i = 0; i < s->n_prims; i++)
            jmap_render_prim(cr, &s->prims[i], fonts, layer);
    }
    if (links)
        paint_links(cr, s);
}
