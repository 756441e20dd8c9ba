#ifndef JMAP_RENDER_INTERNAL_H
#define JMAP_RENDER_INTERNAL_H

#include <stdbool.h>

#include <cairo.h>

#include "jmap/fonts.h"
#include "jmap/layout.h"
#include "render_svg_layer.h"

/** Paint the background and every primitive of `s` on `cr`, in scene units (points). Links are
 * tagged only when `links` (PDF). Each drawn text's lines go to `layer` unless it is NULL. */
void jmap_render_paint(cairo_t *cr, const jmap_scene *s, jmap_fonts *fonts, bool links,
                       jmap_svg_layer *layer);

#endif
