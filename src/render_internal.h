#ifndef JMAP_RENDER_INTERNAL_H
#define JMAP_RENDER_INTERNAL_H

#include <stdbool.h>

#include <cairo.h>

#include "jmap/fonts.h"
#include "jmap/layout.h"

/** Paint the background and every primitive of `s` on `cr`, in scene units (points). Links are
 * tagged only when `links` (PDF); with `tags` (PDF) the page is a tagged structure, outlined
 * (render_pdf_tags.h). */
void jmap_render_paint(cairo_t *cr, const jmap_scene *s, jmap_fonts *fonts, bool links,
                       bool tags);
/** Paint one primitive (a link paints nothing). */
void jmap_render_prim(cairo_t *cr, const jmap_prim *p, jmap_fonts *fonts);
/** Fill the page with the scene's background colour, if it has one. */
void jmap_render_background(cairo_t *cr, const jmap_scene *s);

#endif
