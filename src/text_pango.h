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

/** A new layout of `text` in `font`, wrapped to `wrap_w` points (<= 0: no wrapping) and
 * aligned inside that width. The caller unrefs it with g_object_unref. */
PangoLayout *jmap_fonts_layout(jmap_fonts *f, const char *text, const jmap_font *font,
                               double wrap_w, jmap_align align);

#endif
