/*
 * Text in a Mermaid journey: the entity codes Mermaid's renderer decodes (`#35;` by number,
 * `#quot;` by HTML name), the `<br>` line breaks it draws, and the ids jmap needs for names.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/import_mermaid.h"
#include "jmap/sanitize.h"

/* The HTML names export and hand-written journeys use; others are kept as written. */
static const struct {
    const char *name;
    uint32_t cp;
} entities[] = {
    {"amp", '&'},       {"apos", '\''},     {"bull", 0x2022},  {"colon", ':'},
    {"comma", ','},     {"copy", 0xA9},     {"darr", 0x2193},  {"deg", 0xB0},
    {"divide", 0xF7},   {"euro", 0x20AC},   {"gt", '>'},       {"hearts", 0x2665},
    {"hellip", 0x2026}, {"larr", 0x2190},   {"laquo", 0xAB},   {"lpar", '('},
    {"lt", '<'},        {"mdash", 0x2014},  {"middot", 0xB7},  {"nbsp", ' '},
    {"ndash", 0x2013},  {"num", '#'},       {"quot", '"'},     {"raquo", 0xBB},
    {"rarr", 0x2192},   {"reg", 0xAE},      {"rpar", ')'},     {"semi", ';'},
    {"star", 0x2606},   {"times", 0xD7},    {"trade", 0x2122}, {"uarr", 0x2191},
};

static bool word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The code point of the entity named s[0..n) (no '#', no ';'); false when unknown. */
static bool entity(const char *s, size_t n, uint32_t *cp)
{
    bool digits = true;
    for (size_t i = 0; i < n; i++)
        digits = digits && s[i] >= '0' && s[i] <= '9';
    if (digits) {
        uint32_t v = 0;
        for (size_t i = 0; i < n && v <= 0x10FFFF; i++)
            v = v * 10 + (uint32_t)(s[i] - '0');
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return false;
        /* a control character would break the line it is in: a space instead */
        *cp = v < 0x20 || (v >= 0x7F && v < 0xA0) ? ' ' : v;
        return true;
    }
    for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++) {
        if (strlen(entities[i].name) == n && memcmp(entities[i].name, s, n) == 0) {
            *cp = entities[i].cp;
            return true;
        }
    }
    return false;
}

/* Length of a `<br>` at s ("<br>", "<br/>", "</br />", "<BR\t/>"), or 0. */
static size_t line_break(const char *s, size_t n)
{
    size_t i = 1;
    if (i < n && s[i] == '/')
        i++;
    if (i + 2 > n || (s[i] | 0x20) != 'b' || (s[i + 1] | 0x20) != 'r')
        return 0;
    i += 2;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < n && s[i] == '/')
        i++;
    return i < n && s[i] == '>' ? i + 1 : 0;
}

const char *jmap_mermaid_text(jmap_arena *a, const char *s, size_t n, const char **unknown)
{
    if (unknown)
        *unknown = NULL;
    /* an entity's UTF-8 is never longer than its code (#N; is at least 3 bytes for 1..4) */
    char *out = jmap_arena_alloc(a, n + 1);
    size_t o = 0;
    bool space = true; /* the last byte written was a space (or nothing was written yet) */
    for (size_t i = 0; i < n;) {
        char c = s[i];
        size_t k = 0;
        if (c == '#') {
            size_t e = 1;
            while (i + e < n && word(s[i + e]))
                e++;
            uint32_t cp;
            if (e > 1 && i + e < n && s[i + e] == ';') {
                if (entity(s + i + 1, e - 1, &cp)) {
                    if (cp == ' ') {
                        c = ' ';
                        k = e + 1;
                    } else {
                        o += jmap_utf8_encode(cp, out + o);
                        space = false;
                        i += e + 1;
                        continue;
                    }
                } else if (unknown && !*unknown) {
                    *unknown = s + i;
                }
            }
        } else if (c == '<') {
            if ((k = line_break(s + i, n - i)) != 0)
                c = ' ';
        } else if ((unsigned char)c < 0x20 || c == 0x7F) {
            c = ' ';
        }
        if (c == ' ') {
            if (!space)
                out[o++] = ' ';
            space = true;
        } else {
            out[o++] = c;
            space = false;
        }
        i += k ? k : 1;
    }
    if (o && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

/* The Latin letters U+00C0..U+017F without their marks, two bytes each ("ae" for U+00C6, a
 * space for none): ids read "zoe" for "Zoë", not "zo". */
static const char latin[] =
    "a a a a a a aec e e e e i i i i d n o o o o o   o u u u u y thss"
    "a a a a a a aec e e e e i i i i d n o o o o o   o u u u u y thy "
    "a a a a a a c c c c c c c c d d d d e e e e e e e e e e g g g g "
    "g g g g h h h h i i i i i i i i i i ijijj j k k k l l l l l l l "
    "l l l n n n n n n n n n o o o o o o oeoer r r r r r s s s s s s "
    "s s t t t t t t u u u u u u u u u u u u w w y y y z z z z z z s ";

const char *jmap_mermaid_slug(jmap_arena *a, const char *name, const char *fallback)
{
    enum { MAX_SLUG = 40 };
    char *out = jmap_arena_alloc(a, MAX_SLUG + 1);
    size_t o = 0, n = strlen(name);
    bool dash = false;
    for (size_t i = 0; i < n && o < MAX_SLUG;) {
        char base[3] = {name[i], 0, 0};
        uint32_t cp;
        size_t k = jmap_utf8_decode(name + i, n - i, &cp);
        if (k > 1 && cp >= 0xC0 && cp < 0x180) {
            base[0] = latin[2 * (cp - 0xC0)];
            base[1] = latin[2 * (cp - 0xC0) + 1] == ' ' ? '\0' : latin[2 * (cp - 0xC0) + 1];
        }
        i += k ? k : 1;
        for (const char *c = base; *c && o < MAX_SLUG; c++) {
            char ch = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                if (dash && o)
                    out[o++] = '-';
                if (o < MAX_SLUG)
                    out[o++] = ch;
                dash = false;
            } else {
                dash = true;
            }
        }
    }
    while (o && out[o - 1] == '-')
        o--;
    out[o] = '\0';
    return o ? out : fallback;
}
