#ifndef JMAP_TEXT_WORDS_H
#define JMAP_TEXT_WORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairo.h>
#include <pango/pango.h>

#include "jmap/text.h"

/*
 * Internal to the Pango measurer (text_pango.c): jmap's own line filling over Pango's break
 * opportunities, for paragraphs that need nothing more (docs/performance.md, "Words").
 *
 *  - text_words.c shapes a "word" (the text between two line-break opportunities, trailing
 *    spaces included) once per style and language, and keeps it for the process, bounded;
 *  - text_lines.c fills lines with words as PangoLayout 1.50 does (PANGO_WRAP_WORD_CHAR);
 *  - text_draw.c paints those lines: the glyphs painted are the glyphs measured.
 *
 * All widths are Pango units (1/1024 pt at the measurer's 72 dpi).
 */

/** A shaped word, or a piece of one. Immutable once made; shared by reference count. */
typedef struct jmap_word {
    unsigned refs;
    char *text; /* its own copy: the runs' items index into it */
    int len, n_chars;
    PangoGlyphItem *runs;   /* in logical order, which is visual order (left to right only) */
    PangoRectangle *boxes;  /* each run's logical extents */
    int n_runs;
    int width;
    int *log_widths;        /* per character, as pango_glyph_item_get_logical_widths says */
    int safe;               /* Pango's margin around the width: 3 × the first font's character */
    int hyphen;             /* the advance of the hyphen its last font would insert */
    bool alnum;             /* it has a letter or a digit */
    size_t bytes;           /* memory it holds, for the cache's bound */
} jmap_word;

typedef struct jmap_words jmap_words;

typedef struct jmap_words_stats {
    uint64_t hits, misses, evictions;
    size_t bytes, count, budget;
} jmap_words_stats;

/** The cache of shaped words; itemizes on `ctx` (the measurer's, so its language). */
jmap_words *jmap_words_new(PangoContext *ctx);
void jmap_words_free(jmap_words *w);

/** The word `text` (`len` bytes) in style `style` (an id of the caller's, whose attributes, a
 * font description among them, are `attrs`), with the hyphen a line ending in it shows when
 * `hyphen`: from the cache, or shaped and cached. A new reference. */
jmap_word *jmap_words_get(jmap_words *w, size_t style, PangoAttrList *attrs, const char *text,
                          int len, bool hyphen);
/** The same, shaped and not cached (a piece of a word broken across lines). */
jmap_word *jmap_words_shape(jmap_words *w, PangoAttrList *attrs, const char *text, int len,
                            bool hyphen);
void jmap_word_unref(jmap_word *word);

/** The most memory the cache keeps; past it, it drops every word and starts again. */
void jmap_words_set_budget(jmap_words *w, size_t bytes);
jmap_words_stats jmap_words_get_stats(const jmap_words *w);

/* ---- lines (text_lines.c) ---------------------------------------------------------------- */

/** A word on a line; `tail` is its last run's glyphs with the final space zeroed, as Pango
 * shows a wrapped line (owned), or NULL. */
typedef struct jmap_word_piece {
    jmap_word *word;
    PangoGlyphString *tail;
} jmap_word_piece;

typedef struct jmap_word_line {
    int from, len;      /* bytes of the text */
    int width, baseline; /* the baseline from the top of the text */
    size_t first, n;    /* its pieces */
} jmap_word_line;

typedef struct jmap_word_lines {
    jmap_word_line *lines;
    size_t n_lines;
    jmap_word_piece *pieces;
    size_t n_pieces;
    int width, height;
    unsigned missing;
    int first_missing; /* byte of the first character shaped to a hex box; -1: none */
} jmap_word_lines;

/** Can jmap fill `text` itself: valid UTF-8, no newline, tab or control, nothing right to
 * left, not ending in a space. A scan of its bytes. */
bool jmap_words_can_fill(const char *text);

/** Fill `text` into lines of at most `wrap` units (-1: one line), `line_height` units apart, in
 * `lang`, as PangoLayout would with PANGO_WRAP_WORD_CHAR. False when only a PangoLayout can
 * do it exactly (more than `max_lines` lines, or a word of several fonts to break). */
bool jmap_words_fill(jmap_words *w, size_t style, PangoAttrList *attrs, PangoLanguage *lang,
                     const char *text, int wrap, int line_height, unsigned max_lines,
                     jmap_word_lines *out);
void jmap_word_lines_free(jmap_word_lines *l);

/* ---- painting (text_draw.c) -------------------------------------------------------------- */

/** Where line `i` starts when aligned inside `wrap` units (-1: the text's own width), as
 * PangoLayout aligns it. */
int jmap_word_line_x(const jmap_word_lines *l, size_t i, int wrap, jmap_align align);

/** Paint the lines of `text` with the current source, its top-left corner at (x, y). */
void jmap_word_lines_paint(cairo_t *cr, const jmap_word_lines *l, const char *text, int wrap,
                           jmap_align align, double x, double y);

#endif
