#ifndef JMAP_FONTS_H
#define JMAP_FONTS_H

#include <stdint.h>

#include "jmap/text.h"

/*
 * Real fonts, through Pango: one font map and one measuring context per process, independent
 * of any output surface (72 dpi, hint metrics off, glyph positions unrounded), so that what is
 * measured is what is painted, and SVG, PDF and PNG break lines at the same places.
 * Implemented in text_pango.c.
 */

typedef struct jmap_fonts jmap_fonts;

/** Set up Pango. Returns NULL (with a message on stderr) when no font can be loaded. */
jmap_fonts *jmap_fonts_new(void);
void jmap_fonts_free(jmap_fonts *f);

/** Shape and break lines for the language `lang` (a BCP 47 tag, the map's `lang`; NULL: the
 * default, from the locale as Pango reads it) from now on: what follows is measured and painted
 * in it. Changing it drops what was measured. */
void jmap_fonts_set_language(jmap_fonts *f, const char *lang);

/** The language texts are shaped for now, as Pango spells it ("de-ch"), or NULL when none is
 * set (Pango then takes the locale's). Owned by Pango. */
const char *jmap_fonts_language(jmap_fonts *f);

/** The measurer for layout; valid as long as `f`. */
jmap_text_measurer jmap_fonts_measurer(jmap_fonts *f);

/** The family fontconfig actually uses for `family` (for a warning when they differ). The
 * result is owned by `f`. */
const char *jmap_fonts_resolve_family(jmap_fonts *f, const char *family);

/** The Debian package that supplies a glyph for code point `cp` ("fonts-noto-cjk", …). */
const char *jmap_fonts_package_for(uint32_t cp);

#endif
