#include "jmap/sanitize.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "jmap/arena.h"

bool jmap_is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

bool jmap_sanitize_escapes(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || jmap_is_bidi_control(cp) ||
           (cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0x180E ||
           cp == 0xFEFF || cp == 0x2028 || cp == 0x2029 || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
           (cp >= 0xE0000 && cp <= 0xE007F);
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

/* Terminal columns of a code point that is shown as itself, as wcwidth() gives them in a UTF-8
 * locale: none for combining marks, two for East Asian wide and fullwidth characters and emoji,
 * one for the rest. GLib's tables (already linked through Pango) rather than wcwidth(), which
 * depends on the locale jmap happens to run in. */
static size_t cp_width(uint32_t cp)
{
    if (cp < 0x300)
        return 1;
    if (g_unichar_iszerowidth((gunichar)cp))
        return 0;
    return g_unichar_iswide((gunichar)cp) ? 2 : 1;
}

/* Walk the bytes, writing clean characters as they are and the rest as escapes (when out is
 * not NULL); returns the columns. An escape is all ASCII, so it is as wide as it is long. */
static size_t walk(const char *s, size_t len, FILE *out)
{
    size_t cols = 0;
    size_t i = 0, run = 0; /* s[run, i) is clean and not written yet */
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
            cols += cp_width(cp);
            i += n;
            continue;
        }
        /* Clean runs are written whole: stderr is unbuffered, one call is one write. */
        if (out && i > run)
            fwrite(s + run, 1, i - run, out);
        if (out)
            fputs(esc, out);
        cols += strlen(esc);
        i += n;
        run = i;
    }
    if (out && i > run)
        fwrite(s + run, 1, i - run, out);
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

size_t jmap_utf8_advance(const char *s, size_t len, size_t n_points)
{
    size_t i = 0;
    while (i < len && n_points > 0) {
        uint32_t cp;
        size_t n = jmap_utf8_decode(s + i, len - i, &cp);
        i += n ? n : 1;
        n_points--;
    }
    return i;
}

char *jmap_sanitize(const char *s)
{
    if (!s)
        return NULL;
    return jmap_sanitize_n(s, strlen(s));
}

char *jmap_sanitize_n(const char *s, size_t len)
{
    if (jmap_sanitize_clean(s, len))
        return jmap_xstrndup(s, len);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        abort();
    walk(s, len, f);
    if (fclose(f) != 0)
        abort();
    char *copy = jmap_xstrndup(buf, n); /* free()-able like every jmap_x string */
    free(buf);
    return copy;
}
