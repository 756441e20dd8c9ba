#ifndef JMAP_RENDER_PDF_PACK_H
#define JMAP_RENDER_PDF_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include "jmap/arena.h"

/*
 * What Cairo 1.16 cannot write into a tagged PDF, added with libqpdf: the catalog's
 * /MarkInfo << /Marked true >> and /Lang, and the Figure structure elements' /Alt. The file is
 * then written again whole, its small objects (the structure tree, one object per element as
 * Cairo writes it) packed into compressed object streams, with an /ID computed from the
 * contents, so the same input gives the same bytes.
 */

/** Write to `out` the PDF `pdf` (`len` bytes, as Cairo 1.16 wrote it) with /MarkInfo, /Lang when
 * `lang` is not NULL or empty, and `alt` (UTF-8, may be NULL) as /Alt of each Figure, packed.
 * False when libqpdf cannot read or write it: `out` is then left empty and `why` (when not
 * NULL) gets libqpdf's message, unsanitised, which the caller frees. */
bool jmap_pdf_pack(const char *pdf, size_t len, const char *lang, const char *alt,
                   jmap_strbuf *out, char **why);

#endif
