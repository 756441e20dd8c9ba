#ifndef JMAP_TEST_SAFE_TEXT_H
#define JMAP_TEST_SAFE_TEXT_H

/*
 * What a terminal or a CI log may safely be given, written out here on its own rather than
 * through the sanitiser's own jmap_sanitize_escapes(), so that a test of the output cannot pass
 * because the sanitiser and the test share a mistake.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jmap/sanitize.h"

/* C0 controls but newline, DEL, C1 controls, bidi controls, zero-width characters and the BOM. */
static inline bool test_unsafe_code_point(uint32_t cp)
{
    return (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 ||
           cp == 0xFEFF || cp == 0x2028 || cp == 0x2029;
}

/* The offset of the first byte that is not valid UTF-8 or starts an unsafe code point, or len
 * when there is none. */
static inline size_t test_first_unsafe(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = jmap_utf8_decode(s + i, len - i, &cp);
        if (n == 0 || test_unsafe_code_point(cp))
            return i;
        i += n;
    }
    return len;
}

#endif
