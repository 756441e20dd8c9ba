#include "check_internal.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/sanitize.h"

/*
 * Text values (titles, names, notes, KPI names...) are drawn and quoted in diagnostics, so a
 * control character in one is an error: it draws as nothing or as a box, and a terminal or a
 * CI log that shows it raw can be made to move the cursor, set the clipboard or forge lines.
 * Tab and newline are text (a block scalar under `action: |` holds them). A bidi control is
 * only a warning: right-to-left text may need one, but it can also make a value read
 * differently from what it holds.
 */

/* C0 other than tab and newline, DEL, C1. */
static bool is_control(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F);
}

/* The code point a double-quoted escape stands for (after the backslash, at p, n bytes left),
 * and the escape's length after the backslash; 0 for one this walk does not follow. */
static size_t escape_len(const char *p, size_t n, uint32_t *cp)
{
    static const char simple[] = "0abt\tnvfre \"/\\N_LP";
    static const uint32_t values[] = {0,  7,   8,   9,   9,    10,   11,   12,     13,
                                      27, ' ', '"', '/', '\\', 0x85, 0xA0, 0x2028, 0x2029};
    if (n == 0)
        return 0;
    const char *hit = memchr(simple, p[0], sizeof simple - 1);
    if (hit) {
        *cp = values[hit - simple];
        return 1;
    }
    size_t digits = p[0] == 'x' ? 2 : p[0] == 'u' ? 4 : p[0] == 'U' ? 8 : 0;
    if (digits == 0 || n < 1 + digits)
        return 0;
    uint32_t v = 0;
    for (size_t i = 1; i <= digits; i++) {
        char ch = p[i];
        unsigned d = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
                     : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
                     : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
                                              : 16;
        if (d == 16)
            return 0;
        v = v * 16 + d;
    }
    *cp = v;
    return 1 + digits;
}

/* Bytes of the UTF-8 encoding libyaml writes for a code point. */
static size_t utf8_len(uint32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* Take n bytes of reading from the pass's budget; false when it is spent. */
static bool spend(checker *c, size_t n)
{
    if (n > c->scan_budget)
        return false;
    c->scan_budget -= n;
    return true;
}

/* Code points in the first n bytes of s. */
static unsigned points_in(const char *s, size_t n)
{
    unsigned points = 0;
    for (size_t k = 0; k < n; k += jmap_utf8_advance(s + k, n - k, 1))
        points++;
    return points;
}

/*
 * A character that is in the source as it is in the value (a scalar that is not double-quoted
 * has no escapes that make one): the value's k-th such character is the k-th in the source,
 * from the scalar's start (line `line`, byte `i`) to its last line.
 */
static bool find_literal(checker *c, const jmap_str *v, size_t at, unsigned line, size_t i,
                         jmap_loc *out)
{
    uint32_t cp;
    size_t n = jmap_utf8_decode(v->s + at, v->len - at, &cp);
    if (n == 0)
        return false;
    size_t before = 0; /* the same character earlier in the value */
    if (!spend(c, at))
        return false;
    for (size_t k = 0; k + n <= at; k++)
        before += memcmp(v->s + k, v->s + at, n) == 0;
    unsigned last = v->loc.end_line >= line ? v->loc.end_line : line;
    for (; line <= last; line++, i = 0) {
        const char *text;
        size_t len;
        if (!jmap_diags_source_line(c->d, v->loc.file, line, &text, &len) || !spend(c, len))
            return false;
        for (; i + n <= len; i++) {
            if (memcmp(text + i, v->s + at, n) != 0)
                continue;
            if (before-- == 0) {
                unsigned col = points_in(text, i) + 1;
                *out = (jmap_loc){v->loc.file, line, col, line, col};
                return true;
            }
        }
    }
    return false;
}

/*
 * Where the value's byte `at` is in the source. The value is read again from its first line
 * as libyaml read it: a quoted or plain scalar on that line byte by byte (a double-quoted one
 * through its escapes, so "\e" is found and underlined whole), and must give the same bytes;
 * past that line, or in a block scalar, the character is looked for as it is written. False
 * when it cannot be told (an escape on a later line): the value's place is used then.
 */
static bool source_loc(checker *c, const jmap_str *v, size_t at, jmap_loc *out)
{
    const char *line;
    size_t len;
    if (v->loc.col == 0 || !jmap_diags_source_line(c->d, v->loc.file, v->loc.line, &line, &len) ||
        !spend(c, len))
        return false;
    size_t i = jmap_utf8_advance(line, len, v->loc.col - 1);
    /* An anchor or a tag before the value: `&name "text"`. */
    while (i < len && (line[i] == '&' || line[i] == '!')) {
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
    }
    if (i >= len)
        return false;
    if (line[i] == '|' || line[i] == '>')
        return find_literal(c, v, at, v->loc.line + 1, 0, out);
    char quote = line[i] == '"' || line[i] == '\'' ? line[i] : 0;
    size_t start = i;
    if (quote)
        i++;
    size_t done = 0; /* bytes of the value read so far */
    while (i < len && done <= at) {
        uint32_t cp;
        size_t n, produced;
        if (quote == '"' && line[i] == '\\') {
            n = 1 + escape_len(line + i + 1, len - i - 1, &cp);
            if (n == 1)
                return false;
            produced = utf8_len(cp);
        } else if (quote && line[i] == quote) {
            if (quote == '"' || i + 1 >= len || line[i + 1] != '\'')
                return false; /* the scalar ends on this line before the character */
            n = 2, produced = 1;
        } else {
            n = jmap_utf8_decode(line + i, len - i, &cp);
            if (n == 0 || done + n > v->len || memcmp(line + i, v->s + done, n) != 0)
                break; /* a line break folded or a comment: leave this line */
            produced = n;
        }
        if (done == at) {
            unsigned col = points_in(line, i) + 1;
            *out = (jmap_loc){v->loc.file, v->loc.line, col, v->loc.line,
                              col + points_in(line + i, n) - 1};
            return true;
        }
        i += n;
        done += produced;
    }
    return quote != '"' && find_literal(c, v, at, v->loc.line, start, out);
}

/* The value's place, narrowed to the character at byte `at` when the source says where. */
static jmap_loc char_loc(checker *c, const jmap_str *v, size_t at)
{
    jmap_loc l;
    return source_loc(c, v, at, &l) ? l : v->loc;
}

static void check_text(checker *c, const jmap_str *v, const char *key)
{
    if (!v->s)
        return;
    bool bidi = false;
    for (size_t i = 0; i < v->len;) {
        uint32_t cp;
        size_t n = jmap_utf8_decode(v->s + i, v->len - i, &cp);
        if (n == 0) { /* the loader reported the file as not UTF-8 */
            i++;
            continue;
        }
        if (is_control(cp)) {
            char *shown = jmap_sanitize_n(v->s + i, n);
            check_report(c, JMAP_SEV_ERROR, "control-character", char_loc(c, v, i),
                         "control character '%s' in '%s'", shown, key);
            check_hint(c, "text may hold tabs and line breaks, but no other control character");
            free(shown);
            return; /* one per value; its bidi controls would be noise */
        }
        if (!bidi && jmap_is_bidi_control(cp)) {
            char *shown = jmap_sanitize_n(v->s + i, n);
            check_report(c, JMAP_SEV_WARNING, "bidi-control", char_loc(c, v, i),
                         "bidi control character '%s' in '%s'", shown, key);
            check_hint(c, "it changes the order the text is shown in; keep it only if "
                          "right-to-left text needs it");
            free(shown);
            bidi = true;
        }
        i += n;
    }
}

/* Any C0 (tab and newline too), DEL, C1. */
static bool is_any_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* The byte offset of the first control character in the value, or its length. */
static size_t first_control(const jmap_str *v)
{
    size_t i = 0;
    while (i < v->len) {
        uint32_t cp;
        size_t n = jmap_utf8_decode(v->s + i, v->len - i, &cp);
        if (n != 0 && is_any_control(cp))
            break;
        i += n ? n : 1;
    }
    return i;
}

bool check_has_control(const jmap_str *v)
{
    return v->s && first_control(v) < v->len;
}

bool check_no_control(checker *c, const jmap_str *v, const char *key)
{
    if (!v->s)
        return true;
    size_t i = first_control(v);
    if (i == v->len)
        return true;
    char *shown = jmap_sanitize_n(v->s + i, jmap_utf8_advance(v->s + i, v->len - i, 1));
    check_report(c, JMAP_SEV_ERROR, "control-character", char_loc(c, v, i),
                 "control character '%s' in '%s'", shown, key);
    check_hint(c, "the value is not text: it may hold no control character at all");
    free(shown);
    return false;
}

static void check_texts(checker *c, const jmap_str *v, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        check_text(c, &v[i], key);
}

static void check_kpi_texts(checker *c, const jmap_kpi *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        check_text(c, &k[i].name, "name");
        check_text(c, &k[i].unit, "unit");
    }
}

static void check_stage_texts(checker *c, const jmap_stage *st, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        check_text(c, &st[i].name, "name");
        check_text(c, &st[i].goal, "goal");
        check_text(c, &st[i].description, "description");
        check_kpi_texts(c, st[i].kpis, st[i].n_kpis);
        check_texts(c, st[i].suggested_kpis, st[i].n_suggested_kpis, "suggested_kpis");
    }
}

void check_text_values(checker *c, const jmap_map *m)
{
    check_text(c, &m->title, "title");
    check_text(c, &m->subtitle, "subtitle");
    for (size_t i = 0; i < m->n_personas; i++) {
        const jmap_persona *p = &m->personas[i];
        check_text(c, &p->name, "name");
        check_text(c, &p->role, "role");
        check_texts(c, p->goals, p->n_goals, "goals");
    }
    check_stage_texts(c, m->map_stages, m->n_map_stages);
    if (m->stage_model) {
        check_text(c, &m->stage_model->name, "name");
        check_text(c, &m->stage_model->description, "description");
        check_stage_texts(c, m->stage_model->stages, m->stage_model->n_stages);
    }
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jmap_touchpoint *t = &m->touchpoints[i];
        const struct {
            const jmap_str *v;
            const char *key;
        } texts[] = {
            {&t->name, "name"},           {&t->channel, "channel"},
            {&t->action, "action"},       {&t->thought, "thought"},
            {&t->pain, "pain"},           {&t->opportunity, "opportunity"},
            {&t->backstage, "backstage"}, {&t->owner, "owner"},
        };
        for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
            check_text(c, texts[k].v, texts[k].key);
        check_kpi_texts(c, t->kpis, t->n_kpis);
    }
}
