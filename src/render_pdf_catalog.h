#ifndef JMAP_RENDER_PDF_CATALOG_H
#define JMAP_RENDER_PDF_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/arena.h"

/*
 * What Cairo 1.16 cannot write into a PDF's catalog: /MarkInfo << /Marked true >> (the file is a
 * tagged PDF), /Lang (the map's language), and a structure element's /Alt. Added by an incremental update appended to
 * Cairo's finished file: a copy of the catalog with them, one xref section and a trailer whose
 * /Prev points at Cairo's. Cairo's bytes are left as they are.
 */

/** Append to `out` the update for the finished PDF `pdf` (`len` bytes, as Cairo 1.16 writes
 * it): /MarkInfo, and /Lang when `lang` is not NULL or empty; with `alt` (UTF-8), a copy of each
 * Figure structure element with it as /Alt. False, with nothing appended, when the file's end
 * is not Cairo's (no trailer, startxref or catalog found). */
bool jmap_pdf_catalog_update(const char *pdf, size_t len, const char *lang, const char *alt,
                             jmap_strbuf *out);

#endif
