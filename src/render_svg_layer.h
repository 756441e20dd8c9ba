#ifndef JMAP_RENDER_SVG_LAYER_H
#define JMAP_RENDER_SVG_LAYER_H

#include <stdbool.h>
#include <stddef.h>

#include <pango/pango.h>

#include "jmap/layout.h"
#include "jmap/render.h"
#include "text_pango.h"

/*
 * Internal to the renderer: what Cairo 1.16 cannot write into an SVG, added to Cairo's own
 * stream as it passes (docs/accessibility.md). The root <svg> gains role="img", aria-labelledby
 * and aria-describedby to a <title> and a <desc>, and xml:lang; before </svg> go an invisible
 * text layer (every drawn line as a <text>, in reading order) and <a href> areas over the cards
 * that have a url. Nothing it adds paints a pixel.
 */

typedef struct jmap_svg_layer jmap_svg_layer;

/** A layer for scene `s` (which must outlive it), passing the bytes on to `write`. */
jmap_svg_layer *jmap_svg_layer_new(const jmap_scene *s, const jmap_render_opts *o,
                                   jmap_write_fn write, void *closure);
/** Record the `n` lines of text prim `p` as they were painted from p->box.x, y. */
void jmap_svg_layer_add_text(jmap_svg_layer *y, const jmap_prim *p, const jmap_text_line *lines,
                             size_t n);
/** A jmap_write_fn: the next bytes of Cairo's SVG. */
bool jmap_svg_layer_put(void *layer, const unsigned char *data, size_t len);
/** The end of the document: writes the layer before </svg> and what is held. */
bool jmap_svg_layer_end(jmap_svg_layer *y);
void jmap_svg_layer_free(jmap_svg_layer *y);

#endif
