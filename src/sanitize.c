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

typedef struct cp_range {
    uint32_t lo, hi;
} cp_range;

static bool in_ranges(uint32_t cp, const cp_range *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (cp >= r[i].lo && cp <= r[i].hi)
            return true;
    }
    return false;
}

/* Terminal columns of a code point that is shown as itself, as wcwidth() gives them in a UTF-8
 * locale (jmap runs in whatever locale it is given, so it cannot ask wcwidth): combining marks
 * take none, East Asian wide and fullwidth characters and emoji two, the rest one. Only the
 * common blocks; a rare character counted one column off moves a caret, nothing worse. */
static size_t cp_width(uint32_t cp)
{
    static const cp_range combining[] = {
        {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},   {0x064B, 0x065F},
        {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF},   {0x1DC0, 0x1DFF},
        {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xE0100, 0xE01EF},
    };
    static const cp_range wide[] = {
        {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
        {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
        {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
        {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
        {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
        {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
        {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
        {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
        {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
        {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
        {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
        {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4},
        {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
        {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F320},
        {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA},
        {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E},
        {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E},
        {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4},
        {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2},
        {0x1F6D5, 0x1F6D7}, {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB},
        {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF},
        {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };
    if (cp < 0x300)
        return 1;
    if (in_ranges(cp, combining, sizeof combining / sizeof combining[0]))
        return 0;
    return in_ranges(cp, wide, sizeof wide / sizeof wide[0]) ? 2 : 1;
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
