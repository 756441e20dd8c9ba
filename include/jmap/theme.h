#ifndef JMAP_THEME_H
#define JMAP_THEME_H

#include "jmap/geom.h"
#include "jmap/model.h"
#include "jmap/text.h"

/*
 * Themes: every visual choice (colours, type, spacing) in one place, as data. The layout reads
 * a theme; the renderer never does (it paints the colours the scene carries).
 * PLACEHOLDER: the layout engineer owns this file and will complete it.
 */

typedef struct jmap_theme {
    const char *name;
    const char *font_family; /* "Inter, DejaVu Sans" */
} jmap_theme;

/** The built-in theme; never NULL for a valid id. */
const jmap_theme *jmap_theme_get(jmap_theme_id id);

#endif
