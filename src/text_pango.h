#ifndef JMAP_TEXT_PANGO_H
#define JMAP_TEXT_PANGO_H

#include <pango/pango.h>

#include "jmap/fonts.h"

/*
 * Internal to the text measurer and the renderer: the layout the measurer measures, made on the
 * measuring context, so the renderer paints exactly what layout measured.
 */

/** Lines per em of every layout, as the fixed measurer uses. */
#define JMAP_FONTS_LINE_HEIGHT 1.3

/** The layout of `text` in `font`, wrapped to `wrap_w` points (<= 0: no wrapping) and aligned
 * inside that width: the one the measurer shaped when it measured the same text, style and width
 * (left-aligned), else a new one. The caller unrefs it with g_object_unref. Painting a text
 * hands its measured layout over, so each measurement is painted from its own shaping once. */
PangoLayout *jmap_fonts_layout(jmap_fonts *f, const char *text, const jmap_font *font,
                               double wrap_w, jmap_align align);

/** The font Pango picks for `font` with the same description the measurer uses (the family
 * list with DejaVu Sans appended), or NULL; the caller unrefs it. For provenance.c. */
PangoFont *jmap_fonts_load(jmap_fonts *f, const jmap_font *font);

/** The font map of `f` (its fontconfig configuration tells which families are installed). */
PangoFontMap *jmap_fonts_font_map(jmap_fonts *f);

/** Drop every measurement and kept layout (the renderer calls it when a scene is drawn). */
void jmap_fonts_release(jmap_fonts *f);

#endif
