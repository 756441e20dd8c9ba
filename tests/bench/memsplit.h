#ifndef JMAP_BENCH_MEMSPLIT_H
#define JMAP_BENCH_MEMSPLIT_H

/* The classes libjmap_memsplit.so counts heap bytes in (memsplit.c): phase x library. */

enum {
    MS_PHASE_START,  /* before the map is read: fonts set up, options */
    MS_PHASE_LOAD,   /* from the first YAML parser: loading, resolving, checking */
    MS_PHASE_LAYOUT, /* from the first text measured */
    MS_PHASE_PAINT,  /* from cairo_create: painting the scene on the surface */
    MS_PHASE_FINISH, /* from cairo_surface_finish: Cairo replays its recording as the file */
    MS_PHASES
};

enum {
    MS_LIB_JMAP,  /* jmap's own code: model, scene, measurements, output buffers */
    MS_LIB_YAML,  /* libyaml */
    MS_LIB_PANGO, /* libpango: layouts, lines, glyph strings, items */
    MS_LIB_FONTS, /* fontconfig, FreeType, HarfBuzz, PangoFT2/PangoCairo font caches */
    MS_LIB_CAIRO, /* Cairo, pixman, zlib, libpng */
    MS_LIB_GLIB,  /* GLib's own (no other caller within the frames looked at) */
    MS_LIB_OTHER,
    MS_LIBS
};

#define MS_CLASSES (MS_PHASES * MS_LIBS)

#endif
