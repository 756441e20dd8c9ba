#include "text_words.h"

#include <pango/pangocairo.h>

/*
 * Painting lines filled by text_lines.c: the glyph strings measured, each run where Pango's
 * renderer would put it if it drew the same line of a PangoLayout.
 */

int jmap_word_line_x(const jmap_word_lines *l, size_t i, int wrap, jmap_align align)
{
    /* As pango-layout.c's get_x_offset; without a width, lines align in the widest. */
    int box = wrap >= 0 ? wrap : l->width, w = l->lines[i].width;
    if (box == 0 || align == JMAP_ALIGN_LEFT)
        return 0;
    if (align == JMAP_ALIGN_RIGHT)
        return box - w;
    int x = (box - w) / 2;
    if (((box | w) & (PANGO_SCALE - 1)) == 0)
        x = PANGO_UNITS_ROUND(x);
    return x;
}

/* Draw `g` of `run` with its origin `dx`, `dy` units from the current point. PangoCairo draws a
 * glyph string at the current point; its offsets carry the rest, as the renderer adds a run's
 * place to each glyph's. */
static void show_run(cairo_t *cr, const char *text, const PangoGlyphItem *run,
                     PangoGlyphString *g, int dx, int dy)
{
    for (int i = 0; i < g->num_glyphs; i++) {
        g->glyphs[i].geometry.x_offset += dx;
        g->glyphs[i].geometry.y_offset += dy;
    }
    PangoGlyphItem item = {.item = run->item, .glyphs = g};
    pango_cairo_show_glyph_item(cr, text, &item);
    for (int i = 0; i < g->num_glyphs; i++) {
        g->glyphs[i].geometry.x_offset -= dx;
        g->glyphs[i].geometry.y_offset -= dy;
    }
}

void jmap_word_lines_paint(cairo_t *cr, const jmap_word_lines *l, int wrap, jmap_align align,
                           double x, double y)
{
    cairo_move_to(cr, x, y);
    for (size_t i = 0; i < l->n_lines; i++) {
        const jmap_word_line *ln = &l->lines[i];
        int at = jmap_word_line_x(l, i, wrap, align);
        for (size_t k = ln->first; k < ln->first + ln->n; k++) {
            const jmap_word_piece *p = &l->pieces[k];
            for (int r = 0; r < p->word->n_runs; r++) {
                const PangoGlyphItem *run = &p->word->runs[r];
                PangoGlyphString *g =
                    p->tail && r == p->word->n_runs - 1 ? p->tail : run->glyphs;
                show_run(cr, p->word->text, run, g, at, ln->baseline);
                at += pango_glyph_string_get_width(g);
            }
        }
    }
    cairo_new_path(cr);
}
