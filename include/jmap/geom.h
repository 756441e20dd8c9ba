#ifndef JMAP_GEOM_H
#define JMAP_GEOM_H

#include <stdint.h>

/* Plain geometry and colour shared by the theme, the layout and the renderer. Units are points
 * (1/72 inch), origin top-left, y down. */

typedef struct jmap_color {
    uint8_t r, g, b, a; /* a == 0: nothing is painted */
} jmap_color;

typedef struct jmap_point {
    double x, y;
} jmap_point;

typedef struct jmap_rect {
    double x, y, w, h;
} jmap_rect;

#endif
