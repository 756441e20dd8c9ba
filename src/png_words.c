#include "jmap/png_words.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "jmap/arena.h"
#include "jmap/sanitize.h"

static void be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* `text` as Latin-1 bytes into `out` (room for strlen(text) bytes), or false when a code point
 * is past U+00FF or the UTF-8 is not valid. */
static bool to_latin1(const char *text, unsigned char *out, size_t *n_out)
{
    size_t n = strlen(text), k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t step = jmap_utf8_decode(text + i, n - i, &cp);
        if (step == 0 || cp > 0xFF)
            return false;
        out[k++] = (unsigned char)cp;
        i += step;
    }
    *n_out = k;
    return true;
}

unsigned char *jmap_png_words_chunk(const char *keyword, const char *text, const char *lang,
                                    size_t *len)
{
    size_t nk = strlen(keyword), nt = strlen(text), nl = lang ? strlen(lang) : 0;
    /* the largest: iTXt's keyword, NUL, flag, method, language, NUL, NUL (no translated
     * keyword), text */
    unsigned char *c = jmap_xmalloc(12 + nk + 5 + nl + nt);
    unsigned char *d = c + 8;
    memcpy(d, keyword, nk + 1);
    size_t n_lat, data;
    if (to_latin1(text, d + nk + 1, &n_lat)) {
        memcpy(c + 4, "tEXt", 4);
        data = nk + 1 + n_lat;
    } else {
        memcpy(c + 4, "iTXt", 4);
        size_t k = nk + 1;
        d[k++] = 0; /* not compressed */
        d[k++] = 0; /* compression method */
        if (nl)
            memcpy(d + k, lang, nl);
        k += nl;
        d[k++] = 0;
        d[k++] = 0; /* no translated keyword */
        memcpy(d + k, text, nt);
        data = k + nt;
    }
    be32(c, (uint32_t)data);
    /* The CRC covers the type and the data, not the length. */
    be32(c + 8 + data, (uint32_t)crc32(0, c + 4, (uInt)(4 + data)));
    *len = 12 + data;
    return c;
}
