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

/* Characters that draw as nothing, or change how their neighbours read, where a reader cannot
 * see them: Unicode's Default_Ignorable_Code_Point set (zero-width characters, the bidi
 * controls, variation selectors, the Hangul fillers, the tag characters...) and its
 * Prepended_Concatenation_Mark set (Arabic number signs that swallow the digits after them),
 * as of Unicode 15, sorted; tests/test_sanitize.c checks it against perl's tables. */
static const struct {
    uint32_t lo, hi;
} invisible[] = {
    {0x00AD, 0x00AD},   {0x034F, 0x034F},   {0x0600, 0x0605},   {0x061C, 0x061C},
    {0x06DD, 0x06DD},   {0x070F, 0x070F},   {0x0890, 0x0891},   {0x08E2, 0x08E2},
    {0x115F, 0x1160},   {0x17B4, 0x17B5},   {0x180B, 0x180F},   {0x200B, 0x200F},
    {0x2028, 0x202E},   {0x2060, 0x206F},   {0x3164, 0x3164},   {0xFE00, 0xFE0F},
    {0xFEFF, 0xFEFF},   {0xFFA0, 0xFFA0},   {0xFFF0, 0xFFFB},   {0x110BD, 0x110BD},
    {0x110CD, 0x110CD}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
};

static bool is_invisible(uint32_t cp)
{
    size_t lo = 0, hi = sizeof invisible / sizeof invisible[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < invisible[mid].lo)
            hi = mid;
        else if (cp > invisible[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* The noncharacters: U+FDD0 to U+FDEF and the last two code points of every plane. */
static bool is_noncharacter(uint32_t cp)
{
    return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

bool jmap_sanitize_escapes(uint32_t cp)
{
    /* U+2028 and U+2029 (line and paragraph separators) and the interlinear annotations
     * U+FFF9 to U+FFFB are in the table with their neighbours. */
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || is_invisible(cp) || is_noncharacter(cp);
}

/* The white space the GitHub Actions runner trims before it looks for `::` at the start of a
 * line (.NET's Char.IsWhiteSpace, less what is escaped anyway). */
static bool is_lead_space(uint32_t cp)
{
    return cp == ' ' || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

size_t jmap_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
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

/* The `[` of `##[` at byte i. */
static bool opens_command(const char *s, size_t i)
{
    return s[i] == '[' && i >= 2 && s[i - 1] == '#' && s[i - 2] == '#';
}

/* Walk the bytes, writing clean characters as they are and the rest as escapes (when out is
 * not NULL); returns the columns. An escape is all ASCII, so it is as wide as it is long.
 * Two sequences of clean characters are escaped too, as CI runners read them as commands: the
 * `[` of `##[` anywhere (GitHub's legacy `##[command]`), and with `lead` (the text starts a
 * line) a `:` that comes first but for white space (a workflow command `::error::`). */
static size_t walk(const char *s, size_t len, FILE *out, bool lead)
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
        } else if ((cp < 0x80 && jmap_sanitize_escapes(cp)) || opens_command(s, i) ||
                   (cp == ':' && lead)) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
        } else if (jmap_sanitize_escapes(cp)) {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
        } else {
            lead = lead && is_lead_space(cp);
            cols += cp_width(cp);
            i += n;
            continue;
        }
        lead = false;
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
    return walk(s, len, out, false);
}

size_t jmap_sanitize_write_lead(FILE *out, const char *s, size_t len)
{
    return walk(s, len, out, true);
}

size_t jmap_sanitize_width(const char *s, size_t len)
{
    return walk(s, len, NULL, false);
}

bool jmap_sanitize_clean(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t n = jmap_utf8_decode(s + i, len - i, &cp);
        if (n == 0 || jmap_sanitize_escapes(cp) || opens_command(s, i))
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
    walk(s, len, f, false);
    if (fclose(f) != 0)
        abort();
    char *copy = jmap_xstrndup(buf, n); /* free()-able like every jmap_x string */
    free(buf);
    return copy;
}
