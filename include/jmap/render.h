#ifndef JMAP_RENDER_H
#define JMAP_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/diag.h"
#include "jmap/fonts.h"
#include "jmap/layout.h"

/*
 * The render pass: paints a scene on a Cairo surface and streams the bytes out. It makes no
 * geometric decisions. Only render.c and text_pango.c include Cairo and Pango.
 */

/* The drawn formats first; MERMAID and MARKDOWN are text written by jmap/export_mermaid.h, never
 * by jmap_render. */
typedef enum jmap_format {
    JMAP_FORMAT_SVG,
    JMAP_FORMAT_PDF,
    JMAP_FORMAT_PNG,
    JMAP_FORMAT_MERMAID,  /* .mmd */
    JMAP_FORMAT_MARKDOWN, /* .md: the Mermaid text in a ```mermaid block */
    JMAP_FORMAT_COUNT
} jmap_format;

/** True for the formats jmap_render draws (svg, pdf, png). */
#define JMAP_FORMAT_DRAWN(f) ((f) <= JMAP_FORMAT_PNG)

typedef enum jmap_page { JMAP_PAGE_FIT, JMAP_PAGE_A4, JMAP_PAGE_A3, JMAP_PAGE_LETTER } jmap_page;

typedef struct jmap_render_opts {
    jmap_format format;
    jmap_page page;        /* PDF only: fit-to-content, or a landscape sheet scaled to fit */
    double dpi;            /* PNG only; 72 = one pixel per point. Default 144. */
    long long source_date; /* PDF dates: SOURCE_DATE_EPOCH, or -1 for none */
    const char *stamp;     /* the generator stamp (jmap/provenance.h), or NULL for none */
    /* What the map says in words (jmap/summary.h), each NULL for none: the SVG's <title> and
     * <desc>, the PDF's Title, Subject and Keywords, the PNG's Title and Description. */
    const char *title, *summary, *keywords;
    const char *lang; /* the map's `lang` (BCP 47): xml:lang, the PDF's /Lang; NULL for none */
} jmap_render_opts;

/** Receives the output bytes; returns false on a write error. */
typedef bool (*jmap_write_fn)(void *closure, const unsigned char *data, size_t len);

/** Paint `s` with `fonts` and write it through `write`, with the stamp in it when one is given
 * (an SVG comment, the PDF Creator, a PNG tEXt chunk). Returns false on failure, with an
 * error in `d` (code "render-error" or "write-error"). */
bool jmap_render(const jmap_scene *s, jmap_fonts *fonts, const jmap_render_opts *o,
                 jmap_write_fn write, void *closure, jmap_diags *d);

/** The format for a file name's suffix (.svg, .pdf, .png, .mmd, .md), or false. */
bool jmap_format_from_path(const char *path, jmap_format *out);
/** The format for a -f name (svg, pdf, png, mermaid, markdown), or false. */
bool jmap_format_from_name(const char *name, jmap_format *out);
const char *jmap_format_suffix(jmap_format f); /* "svg", "mmd", "md" */

#endif
