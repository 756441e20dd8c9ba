#ifndef JMAP_RENDER_PDF_TAGS_H
#define JMAP_RENDER_PDF_TAGS_H

#include <cairo.h>

#include "jmap/fonts.h"
#include "jmap/layout.h"

/*
 * The tagged PDF: paints the scene as a structure a screen reader can follow, with Cairo 1.16's
 * structure tags, and adds an outline entry per stage. The texts are told apart by their
 * primitives' roles (the layout's names), never by the model.
 */

/** Paint `s` on `cr` (a PDF surface's context): the decorations first, untagged, in painting
 * order; then every text in reading order under Document: the title as H1, the header's other
 * texts as P (one per box they sit in), then one Sect per stage holding its name as H2, its goal
 * as P, one P per touchpoint holding its texts, and its KPIs as P. The emotion curve and its
 * markers are a Figure. */
void jmap_pdf_tags_paint(cairo_t *cr, const jmap_scene *s, jmap_fonts *fonts);

/** The emotion curve's alternate text, read from the scene's emotion primitives: "Emotion
 * curve, from -2 to 2. Ana: Search at 1, Pay at -2. Bo: ..." (each marker's persona by its colour in
 * the legend, its touchpoint by its column, its score by the axis labels), or NULL when the
 * scene has no curve. The caller frees it. */
char *jmap_pdf_figure_alt(const jmap_scene *s);

#endif
