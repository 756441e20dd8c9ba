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

/* Runs of one line joined while their font and analysis stay the same, as PangoLayout's line
 * has one run per item: one glyph string, one Cairo call (and one SVG group) for each. */
typedef struct joined {
    const char *text;
    PangoItem item;
    PangoGlyphString *g;
    int x; /* where it starts on the line */
} joined;

static void flush(cairo_t *cr, joined *j, int dy)
{
    if (j->g->num_glyphs == 0)
        return;
    for (int i = 0; i < j->g->num_glyphs; i++) {
        /* PangoCairo draws a glyph string at the current point; the offsets carry the rest, as
         * Pango's renderer adds a run's place to each glyph's. */
        j->g->glyphs[i].geometry.x_offset += j->x;
        j->g->glyphs[i].geometry.y_offset += dy;
    }
    PangoGlyphItem gi = {.item = &j->item, .glyphs = j->g};
    pango_cairo_show_glyph_item(cr, j->text, &gi);
    j->x += pango_glyph_string_get_width(j->g);
    pango_glyph_string_set_size(j->g, 0);
}

/* Drawing needs only the font (and direction, always left to right here): a word of digits
 * or punctuation, itemized alone, has another script but draws in the same font. */
static bool same_run(const PangoAnalysis *a, const PangoAnalysis *b)
{
    return a->font == b->font && a->level == b->level && a->gravity == b->gravity;
}

/* Add glyphs `g` of `run`, whose text starts at byte `at` of the paragraph. */
static void join(cairo_t *cr, joined *j, const PangoItem *run, const PangoGlyphString *g, int at,
                 int dy)
{
    if (j->g->num_glyphs > 0 && !same_run(&j->item.analysis, &run->analysis))
        flush(cr, j, dy);
    if (j->g->num_glyphs == 0) {
        j->item = *run;
        j->item.offset = at + run->offset;
        j->item.length = j->item.num_chars = 0;
        j->item.analysis.extra_attrs = NULL;
    }
    int n = j->g->num_glyphs;
    pango_glyph_string_set_size(j->g, n + g->num_glyphs);
    for (int i = 0; i < g->num_glyphs; i++) {
        j->g->glyphs[n + i] = g->glyphs[i];
        j->g->log_clusters[n + i] = at + run->offset + g->log_clusters[i] - j->item.offset;
    }
    j->item.length += run->length;
    j->item.num_chars += run->num_chars;
}

void jmap_word_lines_paint(cairo_t *cr, const jmap_word_lines *l, const char *text, int wrap,
                           jmap_align align, double x, double y)
{
    cairo_move_to(cr, x, y);
    joined j = {.text = text, .g = pango_glyph_string_new()};
    for (size_t i = 0; i < l->n_lines; i++) {
        const jmap_word_line *ln = &l->lines[i];
        j.x = jmap_word_line_x(l, i, wrap, align);
        int at = ln->from;
        for (size_t k = ln->first; k < ln->first + ln->n; k++) {
            const jmap_word_piece *p = &l->pieces[k];
            for (int r = 0; r < p->word->n_runs; r++) {
                const PangoGlyphItem *run = &p->word->runs[r];
                const PangoGlyphString *g =
                    p->tail && r == p->word->n_runs - 1 ? p->tail : run->glyphs;
                join(cr, &j, run->item, g, at, ln->baseline);
            }
            at += p->word->len;
        }
        flush(cr, &j, ln->baseline);
    }
    pango_glyph_string_free(j.g);
    cairo_new_path(cr);
}
