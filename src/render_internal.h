#ifndef JMAP_RENDER_INTERNAL_H
#define JMAP_RENDER_INTERNAL_H

#include <stdbool.h>

#include <cairo.h>

#include "jmap/fonts.h"
#include "jmap/layout.h"
#include "render_svg_layer.h"

/** Paint the background and every primitive of `s` on `cr`, in scene units (points). Links are
 * tagged only when `links` (PDF); with `tags` (PDF) the page is a tagged structure, outlined
 * (render_pdf_tags.h). Each drawn text's lines go to `layer` (SVG) unless it is NULL. */
void jmap_render_paint(cairo_t *cr, const jmap_scene *s, jmap_fonts *fonts, bool links,
                       bool tags, jmap_svg_layer *layer);
/** Paint one primitive (a link paints nothing); a text's lines go to `layer` unless NULL. */
void jmap_render_prim(cairo_t *cr, const jmap_prim *p, jmap_fonts *fonts,
                      jmap_svg_layer *layer);
/** Fill the page with the scene's background colour, if it has one. */
void jmap_render_background(cairo_t *cr, const jmap_scene *s);

#endif
