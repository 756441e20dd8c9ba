#ifndef JMAP_TEXT_PANGO_H
#define JMAP_TEXT_PANGO_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>
#include <pango/pango.h>

#include "jmap/fonts.h"
#include "text_words.h"

/*
 * Internal to the text measurer and the renderer: the layout the measurer measures, made on the
 * measuring context, so the renderer paints exactly what layout measured.
 */

/** Lines per em of every layout, as the fixed measurer uses. */
#define JMAP_FONTS_LINE_HEIGHT 1.3

/** A line of text as painted: its bytes (a copy, and where they start in the text painted),
 * where its baseline starts from the text's top-left corner, and its width, points. */
typedef struct jmap_text_line {
    char *text;
    size_t from;
    double x, baseline, w;
} jmap_text_line;

/** Paint `text` in `font` with the current source, wrapped to `wrap_w` points (<= 0: no
 * wrapping) and aligned inside that width, its top-left corner at (x, y): the glyphs the
 * measurer shaped when it measured the same text, style and width. When `lines` is not NULL it
 * gets the painted lines (free them with jmap_text_lines_free); returns how many. */
size_t jmap_fonts_paint(jmap_fonts *f, cairo_t *cr, const char *text, const jmap_font *font,
                        double wrap_w, jmap_align align, double x, double y,
                        jmap_text_line **lines);
void jmap_text_lines_free(jmap_text_line *lines, size_t n);

/** The PangoLayout of `text` in `font`, wrapped to `wrap_w` points and aligned inside that
 * width: the one the measurer shaped when it measured the same text, style and width
 * (left-aligned) through a layout, else a new one (as PangoLayout fills lines, whichever way
 * the measurer did). The caller unrefs it with g_object_unref. Painting a text hands its
 * measured layout over, so each measurement is painted from its own shaping once. */
PangoLayout *jmap_fonts_layout(jmap_fonts *f, const char *text, const jmap_font *font,
                               double wrap_w, jmap_align align);

/** The font Pango picks for `font` with the same description the measurer uses (the family
 * list with DejaVu Sans appended), or NULL; the caller unrefs it. For provenance.c. */
PangoFont *jmap_fonts_load(jmap_fonts *f, const jmap_font *font);

/** The font map of `f` (its fontconfig configuration tells which families are installed). */
PangoFontMap *jmap_fonts_font_map(jmap_fonts *f);

/** Drop every measurement and kept layout or lines (the renderer calls it when a scene is
 * drawn). The shaped words stay, for the next map. */
void jmap_fonts_release(jmap_fonts *f);

/** Whether jmap fills `text` itself (from shaped words) rather than through a PangoLayout. */
bool jmap_fonts_fills_words(jmap_fonts *f, const char *text, const jmap_font *font,
                            double wrap_w);
/** The lines jmap filled when it measured `text` (NULL: not measured, or through a layout). */
const jmap_word_lines *jmap_fonts_measured_words(jmap_fonts *f, const char *text,
                                                 const jmap_font *font, double wrap_w);
/** The cache of shaped words: its counters, and its bound in bytes (for tests). */
jmap_words_stats jmap_fonts_word_stats(jmap_fonts *f);
void jmap_fonts_set_word_budget(jmap_fonts *f, size_t bytes);

#endif
