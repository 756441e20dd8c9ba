#ifndef JMAP_TEXT_H
#define JMAP_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/*
 * What layout needs to know about fonts: how big a piece of text is when wrapped to a width.
 * Two measurers implement it: a deterministic fixed-width one (text_fixed.c) for tests,
 * golden scene dumps and fuzzing, and the Pango one (text_pango.c) for real output, which
 * the renderer then paints with exactly the same settings.
 */

typedef struct jmap_font {
    const char *family;    /* "Inter"; a comma-separated fallback list is allowed */
    double size;           /* points */
    int weight;            /* 400 regular, 600 semibold, 700 bold */
    bool italic;
    double letter_spacing; /* points added between characters */
    bool tabular;          /* tabular figures (OpenType tnum) */
    bool uppercase;        /* hint only: the caller has already upper-cased the text */
} jmap_font;

typedef struct jmap_text_size {
    double w, h;          /* the ink-independent logical extents, in points */
    unsigned lines;       /* lines after wrapping */
    double baseline;      /* of the first line, from the top */
    unsigned missing;     /* characters no installed font can draw (0 for the fixed measurer) */
    uint32_t first_missing; /* the first such code point, for the warning */
} jmap_text_size;

typedef enum jmap_align { JMAP_ALIGN_LEFT, JMAP_ALIGN_CENTER, JMAP_ALIGN_RIGHT } jmap_align;

typedef struct jmap_text_measurer {
    void *ctx;
    /* Size of `utf8` set in `f`, wrapped at word boundaries (and inside words longer than the
     * width) to `wrap_w` points; wrap_w <= 0 means no wrapping. */
    jmap_text_size (*measure)(void *ctx, const char *utf8, const jmap_font *f, double wrap_w);
} jmap_text_measurer;

/** The fixed-width measurer: 0.55 em per code point (wide East Asian ones 1 em), line height
 * 1.3 em, wrapping at spaces and inside over-long words. Needs no fonts. */
jmap_text_measurer jmap_text_fixed(void);

#endif
