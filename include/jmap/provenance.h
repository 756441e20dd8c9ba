#ifndef JMAP_PROVENANCE_H
#define JMAP_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "jmap/fonts.h"
#include "jmap/render.h"

/*
 * What draws an output: this jmap and its map format, the libraries (libyaml, Cairo, Pango,
 * HarfBuzz, fontconfig) and the font family actually used, with its files and their versions.
 * `jmap --version` prints it; every output carries it as a one-line generator stamp (an SVG
 * comment after the XML declaration, the PDF Creator, a PNG tEXt "Software" chunk after IHDR);
 * `build --check` reads the stamp of a stale output back to say what drew it.
 *
 * The stamp holds no time and no path, only names and versions, so two builds on one machine
 * give the same bytes:
 *   jmap 0.1.0; map format 1; font Inter 3.019; cairo 1.16.0; pango 1.50.12; harfbuzz 6.0.0;
 *   fontconfig 2.14.1; libyaml 0.2.5
 * It is ASCII without ( ) \ < > & " ' ; and never holds "--", so it goes into an XML comment, a
 * PDF literal string and a Latin-1 PNG text chunk as it is; those bytes of a font's name or
 * version, any other byte that is not printable ASCII, and % itself are written as %XX.
 *
 * Ownership: returned `char *` are the caller's to free; a jmap_provenance owns its strings.
 */

/** One face of the family drawn with: which of jmap's styles it serves, and its file. */
typedef struct jmap_font_face {
    const char *style; /* "regular", "italic", "semibold", "bold", "fallback" */
    char *family;      /* the face's family name, as fontconfig reports it */
    char *file;        /* the font file (a path: sanitise it before printing) */
    char *version;     /* the short version from the name table ("3.019"), else fontconfig's */
} jmap_font_face;

#define JMAP_FONT_FACES 5

#define JMAP_STAMP_MAX 1024  /* longer is not a stamp jmap wrote */
#define JMAP_STAMP_FIELD 64  /* bytes of a font's name or version kept in a stamp */

typedef struct jmap_provenance {
    char *asked;      /* the family (or comma-separated list) asked for: "Inter" */
    char *family;     /* the family drawn with (of the regular face) */
    char *version;    /* that face's short version */
    bool fallback;    /* the asked family is not installed: `family` stands in for it */
    jmap_font_face faces[JMAP_FONT_FACES];
    size_t n_faces;
    char *stamp;      /* the one-line generator stamp */
} jmap_provenance;

/** What `fonts` draws `family` with. NULL `fonts` (none can be loaded) gives a provenance with
 * the library versions and no face, its family "none". Never NULL. */
jmap_provenance *jmap_provenance_new(jmap_fonts *fonts, const char *family);
void jmap_provenance_free(jmap_provenance *p);

/** True when an installed font provides `family` (one family name, compared as fontconfig
 * does: case and blanks ignored), or `family` is a generic name (sans-serif, serif, monospace,
 * system-ui...) that fontconfig always resolves. Fontconfig itself substitutes silently. */
bool jmap_provenance_family_installed(jmap_fonts *fonts, const char *family);

/** True when one family of the comma-separated list `families` is installed. */
bool jmap_provenance_any_installed(jmap_fonts *fonts, const char *families);

/** The short version in a font's name-table version string: "Version 3.019;git-0a5106e0b" ->
 * "3.019"; NULL when it does not start with a number (then fontconfig's fontversion is used). */
char *jmap_provenance_short_version(const char *name);

/** The Debian package that provides `family` ("fonts-inter"), or NULL when jmap knows none. */
const char *jmap_provenance_package(const char *family);

/** The stamp of a drawing made with the font `family` at `version` by this jmap and the
 * libraries it runs with. */
char *jmap_stamp_make(const char *family, const char *version);

/** The library versions, one "name version" a line ("cairo 1.16.0"), then the font family and
 * its faces, each face's version and file (sanitised), then the stamp. For `jmap --version`. */
void jmap_provenance_print(const jmap_provenance *p, FILE *out);

/*
 * Writing the stamp into an output as Cairo streams it: a jmap_write_fn that passes the bytes
 * on, inserting the stamp where the format keeps it. PDF bytes pass unchanged (the renderer
 * sets the Creator).
 */
typedef struct jmap_stamper {
    jmap_write_fn write;
    void *closure;
    jmap_format format;
    const char *stamp; /* NULL: pass everything unchanged */
    /* PNG only: the Title and Description chunks beside the stamp (jmap/png_words.h), each
     * NULL for none; lang is their iTXt language tag */
    const char *title, *description, *lang;
    unsigned char held[256];
    size_t n_held;
    bool done;   /* the stamp is written, or will not be */
    bool failed; /* a write failed */
} jmap_stamper;

void jmap_stamper_init(jmap_stamper *s, jmap_format f, const char *stamp, jmap_write_fn write,
                       void *closure);
/** Also write a PNG's Title and Description chunks (each may be NULL) after the stamp. */
void jmap_stamper_words(jmap_stamper *s, const char *title, const char *description,
                        const char *lang);
/** A jmap_write_fn with the stamper as closure. */
bool jmap_stamper_put(void *stamper, const unsigned char *data, size_t len);
/** The end of the output: passes on what is still held. False when a write failed. */
bool jmap_stamper_end(jmap_stamper *s);

/** The PNG tEXt chunk holding `keyword` and `value` (Latin-1, as the caller makes sure), with
 * its length, type and CRC; its size in *len. */
unsigned char *jmap_png_text_chunk(const char *keyword, const char *value, size_t *len);

/** The stamp found in `len` bytes of an output (SVG and PNG: its beginning; PDF: its end), or
 * NULL. At most JMAP_STAMP_MAX bytes long and without NUL; the bytes are untrusted: sanitise
 * before quoting. */
char *jmap_stamp_find(jmap_format f, const unsigned char *data, size_t len);

/** The stamp of the output file at `path`, read bounded (the first or last 64 KiB), never
 * through a symbolic link and never blocking on a pipe; NULL when there is none. */
char *jmap_stamp_read(const char *path, jmap_format f);

/** Why an output stamped `old` differs from one this jmap stamps `now->stamp`: "drawn with
 * Inter 3.019 by jmap 0.1.0; this jmap draws with DejaVu Sans 2.37", naming every library
 * whose version differs too; sanitised. NULL when the stamps are the same (the map changed).
 * `old` NULL (no stamp) gives "it carries no jmap stamp (drawn by an older jmap)". */
char *jmap_stamp_explain(const char *old, const jmap_provenance *now);

#endif
