#include "jmap/sanitize.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"

bool jmap_is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

bool jmap_sanitize_escapes(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || jmap_is_bidi_control(cp) ||
           (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0x2028 ||
           cp == 0x2029;
}

size_t jmap_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len;
    uint32_t c, min;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    } else if ((p[0] & 0xE0) == 0xC0) {
        len = 2, c = p[0] & 0x1F, min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        len = 3, c = p[0] & 0x0F, min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        len = 4, c = p[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Walk the bytes, calling emit for clean runs and escapes; returns the columns. */
static size_t walk(const char *s, size_t len, FILE *out)
{
    size_t cols = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t n = jmap_utf8_decode(s + i, len - i, &cp);
        char esc[16];
        if (n == 0) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned char)s[i]);
            n = 1;
        } else if (cp < 0x80 && jmap_sanitize_escapes(cp)) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
        } else if (jmap_sanitize_escapes(cp)) {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
        } else {
            if (out)
                fwrite(s + i, 1, n, out);
            cols++;
            i += n;
            continue;
        }
        if (out)
            fputs(esc, out);
        cols += strlen(esc);
        i += n;
    }
    return cols;
}

size_t jmap_sanitize_write(FILE *out, const char *s, size_t len)
{
    return walk(s, len, out);
}

size_t jmap_sanitize_width(const char *s, size_t len)
{
    return walk(s, len, NULL);
}

bool jmap_sanitize_clean(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t n = jmap_utf8_decode(s + i, len - i, &cp);
        if (n == 0 || jmap_sanitize_escapes(cp))
            return false;
        i += n;
    }
    return true;
}

char *jmap_sanitize(const char *s)
{
    if (!s)
        return NULL;
    size_t len = strlen(s);
    if (jmap_sanitize_clean(s, len))
        return jmap_xstrdup(s);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        abort();
    walk(s, len, f);
    fclose(f);
    char *copy = jmap_xstrdup(buf); /* free()-able like every jmap_x string */
    free(buf);
    return copy;
}
