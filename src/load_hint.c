#include "load_hint.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"

/*
 * Each diagnosis reads the line of a mark and, at most, walks back line by line to the line
 * of content before it; a flow bracket is followed forward to the end of the file once. Marks
 * are turned into byte offsets by one walk from the start. So the work is linear in the file
 * whatever it holds (one huge line, thousands of nested levels), and it happens once per file.
 * Quoted text (a key, a value) is cut to QUOTE_MAX code points; the printer sanitises it.
 */

#define QUOTE_MAX 60

typedef struct src {
    const unsigned char *t;
    size_t len, skipped;
} src;

/* A line without its break: [start, end), 1-based number. */
typedef struct line {
    size_t start, end;
    unsigned number;
} line;

/* libyaml's line breaks: LF, CR, CR LF, NEL, LS, PS. The bytes of the break at `p`, or 0. */
static size_t break_at(const src *s, size_t p)
{
    const unsigned char *t = s->t;
    if (p >= s->len)
        return 0;
    if (t[p] == '\n')
        return 1;
    if (t[p] == '\r')
        return (p + 1 < s->len && t[p + 1] == '\n') ? 2 : 1;
    if (t[p] == 0xC2 && p + 1 < s->len && t[p + 1] == 0x85)
        return 2;
    if (t[p] == 0xE2 && p + 2 < s->len && t[p + 1] == 0x80 &&
        (t[p + 2] == 0xA8 || t[p + 2] == 0xA9))
        return 3;
    return 0;
}

/* The bytes of a break that ends just before `p`, or 0. */
static size_t break_before(const src *s, size_t p)
{
    const unsigned char *t = s->t;
    if (p <= s->skipped)
        return 0;
    if (t[p - 1] == '\n')
        return (p >= s->skipped + 2 && t[p - 2] == '\r') ? 2 : 1;
    if (t[p - 1] == '\r')
        return 1;
    if (p >= s->skipped + 2 && t[p - 2] == 0xC2 && t[p - 1] == 0x85)
        return 2;
    if (p >= s->skipped + 3 && t[p - 3] == 0xE2 && t[p - 2] == 0x80 &&
        (t[p - 1] == 0xA8 || t[p - 1] == 0xA9))
        return 3;
    return 0;
}

static size_t line_end(const src *s, size_t p)
{
    while (p < s->len && !break_at(s, p))
        p++;
    return p;
}

/* The line a mark is on and the byte offset of the mark (clamped to the line's end). */
static line mark_line(const src *s, jmap_yaml_mark m, size_t *off)
{
    size_t p = s->skipped, n = 0;
    while (n < m.line && p < s->len) {
        size_t b = break_at(s, p);
        if (b) {
            n++;
            p += b;
        } else {
            p++;
        }
    }
    line l = {p, line_end(s, p), (unsigned)n + 1};
    size_t q = l.start;
    for (size_t c = 0; c < m.col && q < l.end; c++) {
        q++;
        while (q < l.end && (s->t[q] & 0xC0) == 0x80)
            q++;
    }
    *off = q;
    return l;
}

static bool line_prev(const src *s, const line *l, line *out)
{
    size_t b = break_before(s, l->start);
    if (!b)
        return false;
    size_t end = l->start - b, start = end;
    while (start > s->skipped && !break_before(s, start))
        start--;
    *out = (line){start, end, l->number - 1};
    return true;
}

/* 1-based column of byte `off` on its line: code points from the line's start. */
static unsigned col_of(const src *s, const line *l, size_t off)
{
    unsigned c = 1;
    for (size_t p = l->start; p < off && p < l->end; p++)
        c += (s->t[p] & 0xC0) != 0x80;
    return c;
}

static bool blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static size_t skip_blank(const src *s, const line *l, size_t p)
{
    while (p < l->end && blank(s->t[p]))
        p++;
    return p;
}

/* The first character after the indentation and any "- " list markers. */
static size_t key_start(const src *s, const line *l)
{
    size_t p = skip_blank(s, l, l->start);
    while (p < l->end && s->t[p] == '-' && (p + 1 == l->end || blank(s->t[p + 1])))
        p = skip_blank(s, l, p + 1);
    return p;
}

static bool is_content(const src *s, const line *l)
{
    size_t p = skip_blank(s, l, l->start);
    return p < l->end && s->t[p] != '#';
}

/* The nearest line of content (not blank, not only a comment) before `l`. */
static bool prev_content(const src *s, const line *l, line *out)
{
    line cur = *l;
    while (line_prev(s, &cur, out)) {
        if (is_content(s, out))
            return true;
        cur = *out;
    }
    return false;
}

/* A ':' at p that YAML reads as a key's end: followed by a blank or the end of the line. */
static bool key_colon(const src *s, const line *l, size_t p)
{
    return s->t[p] == ':' && (p + 1 == l->end || blank(s->t[p + 1]));
}

/* The end of the plain key that starts at `p` (its ':'), or `p` when the line holds none. */
static size_t key_end(const src *s, const line *l, size_t p)
{
    if (p < l->end && (s->t[p] == '"' || s->t[p] == '\'' || s->t[p] == '[' || s->t[p] == '{'))
        return p;
    for (size_t q = p; q < l->end; q++) {
        if (key_colon(s, l, q))
            return q;
        if (s->t[q] == '#' && q > p && blank(s->t[q - 1]))
            break;
    }
    return p;
}

/* Bytes of [p, end) to quote: at most QUOTE_MAX code points. Sets *cut when it is shorter. */
static int shown(const src *s, size_t p, size_t end, bool *cut)
{
    size_t q = p, n = 0;
    while (q < end && n < QUOTE_MAX) {
        q++;
        while (q < end && (s->t[q] & 0xC0) == 0x80)
            q++;
        n++;
    }
    *cut = q < end;
    return (int)(q - p);
}

/* "'name'" for the key at p, "the list item" for a "- ", "this line" otherwise: caller frees. */
static char *what_at(const src *s, const line *l, size_t p)
{
    if (s->t[p] == '-' && (p + 1 == l->end || blank(s->t[p + 1])))
        return jmap_xstrdup("the list item");
    size_t k = key_end(s, l, p);
    if (k == p)
        return jmap_xstrdup("this line");
    bool cut;
    int n = shown(s, p, k, &cut);
    return jmap_xprintf("'%.*s%s'", n, (const char *)s->t + p, cut ? "..." : "");
}

/* ---- tabs ------------------------------------------------------------------------------- */

static bool tab_indent(const src *s, const jmap_yaml_error *e, const char *file, jmap_diags *d)
{
    size_t off;
    line l = mark_line(s, e->problem_mark, &off);
    size_t first = skip_blank(s, &l, l.start);
    bool says_tab = strstr(e->problem, "tab character") != NULL;
    if (!says_tab && !(off < l.end && s->t[off] == '\t' && off <= first))
        return false;
    size_t tab = l.start;
    while (tab < first && s->t[tab] != '\t')
        tab++;
    if (tab == first) /* no tab in the indentation: libyaml's mark is the place */
        tab = off;
    jmap_loc at = {file, l.number, col_of(s, &l, tab), 0, 0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-tab", at,
                  "tab in the indentation: YAML indents with spaces only");
    line p;
    if (prev_content(s, &l, &p))
        jmap_diag_hint(d, "replace the tab with spaces (on line %u, the text starts at column %u)",
                       p.number, col_of(s, &p, key_start(s, &p)));
    else
        jmap_diag_hint(d, "replace the tab with spaces");
    return true;
}

/* ---- quotes ----------------------------------------------------------------------------- */

static const char *close_hint(char quote)
{
    return quote == '"' ? "a double quote ends it; write \\\" for one inside it"
                        : "a single quote ends it; write two ('') for one inside it";
}

/* libyaml reached the end of the file (or a "---") inside a quoted value. */
static bool unclosed_quote(const src *s, const jmap_yaml_error *e, const char *file, jmap_diags *d)
{
    if (!e->context || strcmp(e->context, "while scanning a quoted scalar") != 0 ||
        (!strstr(e->problem, "end of stream") && !strstr(e->problem, "document indicator")))
        return false;
    size_t off;
    line l = mark_line(s, e->context_mark, &off);
    if (off >= l.end || (s->t[off] != '"' && s->t[off] != '\''))
        return false;
    jmap_loc at = {file, l.number, col_of(s, &l, off), 0, 0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-unclosed", at,
                  "this quote is never closed: the value runs on to the end of the file");
    jmap_diag_hint(d, "close it where the value ends; %s", close_hint((char)s->t[off]));
    return true;
}

/*
 * The parser stopped right after a quoted value: either its closing quote is missing, so it
 * ran on over lines until a later quote closed it, or text follows the closing quote
 * (`name: 'Maya's phone'`).
 */
static bool after_quote(const src *s, const jmap_yaml_error *e, const char *file, jmap_diags *d)
{
    if (!e->last_quote || e->problem_mark.line != e->last_end.line ||
        e->problem_mark.col < e->last_end.col || e->context == NULL ||
        strncmp(e->context, "while parsing a block", 21) != 0)
        return false;
    size_t end, at_off, open;
    line l = mark_line(s, e->problem_mark, &at_off);
    mark_line(s, e->last_end, &end);
    if (skip_blank(s, &l, end) != at_off || at_off >= l.end)
        return false;
    line ol = mark_line(s, e->last_start, &open);
    jmap_loc open_at = {file, ol.number, col_of(s, &ol, open), 0, 0};
    if (e->last_start.line != e->last_end.line) {
        jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-unclosed", open_at,
                      "this quote is not closed on its line: the value runs on to line %u",
                      l.number);
        jmap_diag_hint(d, "close it where the value ends (the quote at %u:%u closes it now); %s",
                       l.number, col_of(s, &l, end) - 1, close_hint(e->last_quote));
        return true;
    }
    jmap_loc at = {file, l.number, col_of(s, &l, at_off), 0, 0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-syntax", at,
                  "text after the quoted value that starts at %u:%u", open_at.line, open_at.col);
    jmap_diag_hint(d, "put the whole value inside the quotes; %s", close_hint(e->last_quote));
    return true;
}

static bool bad_escape(const src *s, const jmap_yaml_error *e, const char *file, jmap_diags *d)
{
    if (strcmp(e->problem, "found unknown escape character") != 0 &&
        strcmp(e->problem, "did not find expected hexdecimal number") != 0)
        return false;
    size_t off;
    line l = mark_line(s, e->problem_mark, &off);
    /* the backslash: at the mark, or before the \x, \u or \U digits that went wrong */
    size_t bs = off;
    while (bs > l.start && off - bs < 10 && (bs >= l.end || s->t[bs] != '\\'))
        bs--;
    if (bs >= l.end || s->t[bs] != '\\')
        bs = off;
    jmap_loc at = {file, l.number, col_of(s, &l, bs), 0, 0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-syntax", at, "unknown escape in a double-quoted value");
    jmap_diag_hint(d, "inside \"...\" a backslash starts an escape such as \\n: write \\\\ for a "
                      "backslash, or use single quotes, where it is only a backslash");
    return true;
}

/* `name: @maya`: YAML reserves '@' and '`' to start a plain value. */
static bool reserved_start(const src *s, const jmap_yaml_error *e, const char *file, jmap_diags *d)
{
    if (strcmp(e->problem, "found character that cannot start any token") != 0)
        return false;
    size_t off;
    line l = mark_line(s, e->problem_mark, &off);
    if (off >= l.end || (s->t[off] != '@' && s->t[off] != '`'))
        return false;
    jmap_loc at = {file, l.number, col_of(s, &l, off), 0, 0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-syntax", at, "a value cannot start with '%c'",
                  s->t[off]);
    jmap_diag_hint(d, "YAML reserves it: quote the whole value (\"%c...\")", s->t[off]);
    return true;
}

static bool is_word(unsigned char c)
{
    return c == '-' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* `name Maya`: a line of a mapping with no ':' after its key. */
static bool missing_colon(const src *s, const jmap_yaml_error *e, const char *file, jmap_diags *d)
{
    if (strcmp(e->problem, "could not find expected ':'") != 0 || !e->context ||
        strcmp(e->context, "while scanning a simple key") != 0)
        return false;
    size_t off;
    line l = mark_line(s, e->context_mark, &off);
    if (off >= l.end)
        return false;
    size_t word = off;
    while (word < l.end && is_word(s->t[word]))
        word++;
    size_t end = l.end;
    while (end > word && blank(s->t[end - 1]))
        end--;
    jmap_loc at = {file, l.number, col_of(s, &l, off), 0, 0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-syntax", at, "no ':' after the key on this line");
    bool cut;
    int n = shown(s, word, end, &cut);
    if (word > off && word == end)
        jmap_diag_hint(d, "write '%.*s:'", (int)(word - off), (const char *)s->t + off);
    else if (word > off && blank(s->t[word]) && !cut)
        jmap_diag_hint(d, "write '%.*s:%.*s'", (int)(word - off), (const char *)s->t + off, n,
                       (const char *)s->t + word);
    else
        jmap_diag_hint(d, "write 'key: value'; text that goes on from the line above is "
                          "indented deeper than its key");
    return true;
}

/* ---- brackets --------------------------------------------------------------------------- */

/* A quote at p opens a quoted value (in "it's" it does not). */
static bool quote_starts(const src *s, size_t p)
{
    if (p == s->skipped || break_before(s, p))
        return true;
    unsigned char c = s->t[p - 1];
    return blank(c) || c == '[' || c == '{' || c == ',' || c == ':';
}

/* From the bracket at `open`, the end of the file is reached before it is closed, or it is
 * "closed" by the other kind of bracket. Quoted text and comments are skipped. */
static bool never_closed(const src *s, size_t open)
{
    size_t depth = 0;
    unsigned char closer = s->t[open] == '[' ? ']' : '}';
    for (size_t p = open; p < s->len; p++) {
        unsigned char c = s->t[p];
        if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            if (--depth == 0)
                return c != closer;
        } else if ((c == '"' || c == '\'') && quote_starts(s, p)) {
            for (p++; p < s->len && s->t[p] != c; p++) {
                if (c == '"' && s->t[p] == '\\')
                    p++;
            }
        } else if (c == '#' && p > open && (blank(s->t[p - 1]) || break_before(s, p))) {
            while (p < s->len && !break_at(s, p))
                p++;
        }
    }
    return true;
}

static bool unclosed_bracket(const src *s, const jmap_yaml_error *e, const char *file,
                             jmap_diags *d)
{
    if (!e->context || strncmp(e->context, "while parsing a flow ", 21) != 0)
        return false;
    size_t off;
    line l = mark_line(s, e->context_mark, &off);
    if (off >= l.end || (s->t[off] != '[' && s->t[off] != '{'))
        return false;
    bool list = s->t[off] == '[';
    jmap_loc at = {file, l.number, col_of(s, &l, off), 0, 0};
    if (!never_closed(s, off)) {
        size_t p;
        line pl = mark_line(s, e->problem_mark, &p);
        jmap_loc pat = {file, pl.number, col_of(s, &pl, p), 0, 0};
        jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-syntax", pat, "%s", e->problem);
        jmap_diag_hint(d, "is a ',' missing between two items of the %s that opens at %u:%u?",
                       list ? "list" : "mapping", at.line, at.col);
        return true;
    }
    jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-unclosed", at, "this '%c' is never closed",
                  list ? '[' : '{');
    jmap_diag_hint(d, "end the %s with '%c' after its last %s", list ? "list" : "mapping",
                   list ? ']' : '}', list ? "item" : "key");
    return true;
}

/* ---- colons and indentation ------------------------------------------------------------- */

/*
 * A key at column `col` left of the key above it (at *want on *prev) belongs to one of the
 * levels still open above it: walking up, each line further left than all below it opens one.
 * The nearest level right of `col` is the one it was meant for (`name` under `goals:` and its
 * list, meant for the column of `goals`). The walk stops at the first line at or left of `col`.
 */
static void deeper_level(const src *s, unsigned col, line *prev, size_t *pp, unsigned *want)
{
    line cur = *prev, up;
    unsigned level = *want;
    while (prev_content(s, &cur, &up)) {
        cur = up;
        size_t k = key_start(s, &up);
        unsigned kc = col_of(s, &up, k);
        if (kc <= col)
            return;
        if (kc < level) {
            level = kc;
            *prev = up;
            *pp = k;
            *want = kc;
        }
    }
}

/* An item or a key at `p` of line `l` is not lined up with the line of content above it (for
 * an item: the nearest line above that starts with "- "). */
static bool misaligned(const src *s, const line *l, size_t p, const jmap_yaml_error *e,
                       const char *file, jmap_diags *d)
{
    bool item = s->t[p] == '-' && (p + 1 == l->end || blank(s->t[p + 1]));
    line prev = *l, cur = *l;
    size_t pp;
    do {
        if (!prev_content(s, &cur, &prev))
            return false;
        cur = prev;
        pp = item ? skip_blank(s, &prev, prev.start) : key_start(s, &prev);
    } while (item && s->t[pp] != '-');
    unsigned want = col_of(s, &prev, pp), col = col_of(s, l, p);
    if (!item && want > col)
        deeper_level(s, col, &prev, &pp, &want);
    if (want == col)
        return false;
    char *what = what_at(s, l, p), *other = what_at(s, &prev, pp);
    if (strcmp(other, "this line") == 0) {
        free(other);
        other = jmap_xstrdup(
            key_start(s, &prev) > skip_blank(s, &prev, prev.start) ? "the list item" : "the text");
    }
    jmap_loc at = {file, l->number, col, 0, 0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-indent", at,
                  "%s is not lined up with %s on line %u, at column %u", what, other, prev.number,
                  want);
    /* a key at the column of the enclosing list's "- " may be a new item without its dash */
    bool new_item = !item && e->context && strstr(e->context, "block collection") &&
                    e->context_mark.col + 1 == col;
    jmap_diag_hint(d, "move it to column %u: the %s of one %s start in the same column%s", want,
                   item ? "items" : "keys", item ? "list" : "mapping",
                   new_item ? "; or start a new list item with '- '" : "");
    free(what);
    free(other);
    return true;
}

/* The ": " at `colon` is inside a plain value that starts at `value` on the same line. */
static void unquoted_colon(const src *s, const line *l, size_t key, size_t value, size_t colon,
                           const char *file, jmap_diags *d)
{
    size_t end = value;
    for (size_t q = value; q < l->end; q++) {
        if (s->t[q] == '#' && blank(s->t[q - 1]))
            break;
        if (!blank(s->t[q]))
            end = q + 1;
    }
    size_t key_stop = key_end(s, l, key);
    bool kcut, vcut;
    int kn = shown(s, key, key_stop, &kcut), vn = shown(s, value, end, &vcut);
    jmap_loc at = {file, l->number, col_of(s, l, colon), 0, 0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-unquoted-colon", at,
                  "the value of '%.*s%s' holds ': ', which YAML reads as a key", kn,
                  (const char *)s->t + key, kcut ? "..." : "");
    bool dq = memchr(s->t + value, '"', end - value) || memchr(s->t + value, '\\', end - value);
    if (vcut || (dq && memchr(s->t + value, '\'', end - value)))
        jmap_diag_hint(d, "quote the whole value: \"...\"");
    else if (!dq)
        jmap_diag_hint(d, "quote the whole value: %.*s: \"%.*s\"", kn, (const char *)s->t + key, vn,
                       (const char *)s->t + value);
    else
        jmap_diag_hint(d, "quote the whole value: %.*s: '%.*s'", kn, (const char *)s->t + key, vn,
                       (const char *)s->t + value);
}

/*
 * "mapping values are not allowed in this context", at a ':'. When a "key: " comes before it
 * on its line, the ':' is inside that key's value. Otherwise the line continues a plain value
 * from the line above: a lone word before the ':' is a key indented deeper than its siblings;
 * text with spaces is a value that goes on over lines and holds ": ".
 */
static bool colon_here(const src *s, const jmap_yaml_error *e, const char *file, jmap_diags *d)
{
    if (strcmp(e->problem, "mapping values are not allowed in this context") != 0)
        return false;
    size_t colon;
    line l = mark_line(s, e->problem_mark, &colon);
    if (colon >= l.end || s->t[colon] != ':')
        return false;
    size_t key = key_start(s, &l), k = key_end(s, &l, key);
    if (k < colon) {
        size_t value = skip_blank(s, &l, k + 1);
        if (value >= colon || strchr("\"'[{", s->t[value]))
            return false; /* quoted, or a flow collection: not a plain value */
        unquoted_colon(s, &l, key, value, colon, file, d);
        return true;
    }
    for (size_t q = key; q < colon; q++) {
        if (blank(s->t[q])) {
            jmap_loc at = {file, l.number, col_of(s, &l, colon), 0, 0};
            jmap_diag_add(d, JMAP_SEV_ERROR, "yaml-unquoted-colon", at,
                          "a value that goes on from the line above holds ': ', which YAML "
                          "reads as a key");
            jmap_diag_hint(d, "quote the whole value: \"...\"");
            return true;
        }
    }
    return misaligned(s, &l, key, e, file, d);
}

/* "did not find expected key", "... '-' indicator": a line that starts less indented than
 * the block it is in, but more than the block around that. */
static bool dedent(const src *s, const jmap_yaml_error *e, const char *file, jmap_diags *d)
{
    if (strcmp(e->problem, "did not find expected key") != 0 &&
        strcmp(e->problem, "did not find expected '-' indicator") != 0)
        return false;
    size_t off;
    line l = mark_line(s, e->problem_mark, &off);
    if (off >= l.end || off != skip_blank(s, &l, l.start))
        return false;
    return misaligned(s, &l, off, e, file, d);
}

bool jmap_load_hint(const char *file, const char *text, size_t len, size_t skipped,
                    const jmap_yaml_error *e, jmap_diags *d)
{
    if (!e->problem)
        return false;
    src s = {(const unsigned char *)text, len, skipped};
    return tab_indent(&s, e, file, d) || unclosed_quote(&s, e, file, d) ||
           after_quote(&s, e, file, d) || bad_escape(&s, e, file, d) ||
           reserved_start(&s, e, file, d) || missing_colon(&s, e, file, d) ||
           unclosed_bracket(&s, e, file, d) || colon_here(&s, e, file, d) || dedent(&s, e, file, d);
}
