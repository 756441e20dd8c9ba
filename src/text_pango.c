#include "jmap/fonts.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pango/pangocairo.h>

#include "jmap/arena.h"
#include "text_pango.h"
#include "text_words.h"

/*
 * The Pango measurer. One font map and one context for the whole process, independent of any
 * surface: 72 dpi (1 pt = 1 unit), hint metrics off, unrounded glyph positions. The renderer
 * paints what was measured here, so every format breaks lines where the measurer said.
 *
 * Most texts are filled by jmap itself from words shaped once per process (text_words.h), as
 * PangoLayout would fill them; the others (right to left, several paragraphs, letter spacing)
 * go through a PangoLayout, kept for painting.
 */

#define FALLBACK_FAMILY "DejaVu Sans"

/* A font style with its description and attributes. */
typedef struct style {
    char *family; /* as asked, before the fallback is appended */
    double size, letter_spacing;
    int weight;
    bool italic, tabular;
    PangoFontDescription *desc;
    PangoAttrList *attrs;
    PangoAttrList *word_attrs; /* attrs and desc, for itemizing words on the context */
    int line_height;           /* units */
} style;

typedef struct resolved {
    char *asked, *got;
} resolved;

/*
 * A text measured for layout: its size, and the lines (or the layout) that were shaped to find
 * it, kept for the renderer to paint so no text is shaped twice. `uses` counts the measurements
 * still to be painted; the last paint takes the layout. Lines stay until the scene is released.
 * Identical (text, style, width) are measured once.
 */
typedef struct measured {
    uint64_t hash; /* 0: empty slot */
    char *text;
    size_t style;
    int wrap;
    unsigned uses;
    PangoLayout *layout; /* NULL once painted (or dropped) */
    jmap_word_lines *words; /* filled by jmap, or NULL */
    jmap_text_size size;
} measured;

/* Layouts kept at most (about 2 KB each): texts measured past it are shaped again when painted.
 * Measurements kept at most: past it they are all dropped (many maps laid out, none drawn). */
#define MAX_KEPT 100000
#define MAX_MEMO 1000000

struct jmap_fonts {
    PangoFontMap *map;
    PangoContext *ctx;
    PangoLanguage *default_lang; /* the context's language when no map names one (NULL: the
                                    locale's, as Pango reads it) */
    style *styles;
    size_t n_styles, cap_styles;
    resolved *resolved;
    size_t n_resolved, cap_resolved;
    measured *memo; /* open addressing, a power of two long */
    size_t n_memo, cap_memo, n_kept;
    jmap_words *words; /* shaped words, for every map of the process */
    bool layouts_only; /* JMAP_BENCH_LAYOUT_ONLY_PANGO: the benchmark's "before" */
};

/* True when the comma-separated list `families` already names DejaVu Sans. */
static bool names_fallback(const char *families)
{
    const char *p = families;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        size_t m = n;
        while (m > 0 && p[m - 1] == ' ')
            m--;
        if (m == strlen(FALLBACK_FAMILY) && strncasecmp(p, FALLBACK_FAMILY, m) == 0)
            return true;
        p += n;
    }
    return false;
}

static PangoFontDescription *make_desc(const char *family, double size, int weight, bool italic)
{
    PangoFontDescription *desc = pango_font_description_new();
    char *list;
    if (!family || !*family)
        list = jmap_xstrdup(FALLBACK_FAMILY);
    else if (names_fallback(family))
        list = jmap_xstrdup(family);
    else
        list = jmap_xprintf("%s, %s", family, FALLBACK_FAMILY);
    pango_font_description_set_family(desc, list);
    free(list);
    /* At 72 dpi a size in points is a size in units. */
    pango_font_description_set_size(desc, (gint)lround((size > 0 ? size : 1) * PANGO_SCALE));
    pango_font_description_set_weight(desc, (PangoWeight)(weight > 0 ? weight : 400));
    pango_font_description_set_style(desc, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return desc;
}

static bool same_style(const style *s, const jmap_font *f)
{
    const char *fam = f->family ? f->family : "";
    return s->size == f->size && s->weight == f->weight && s->italic == f->italic &&
           s->letter_spacing == f->letter_spacing && s->tabular == f->tabular &&
           strcmp(s->family, fam) == 0;
}

static size_t find_style(jmap_fonts *fs, const jmap_font *f)
{
    for (size_t i = 0; i < fs->n_styles; i++) {
        if (same_style(&fs->styles[i], f))
            return i;
    }
    fs->styles = jmap_xgrow(fs->styles, &fs->cap_styles, fs->n_styles + 1, sizeof(style));
    style *s = &fs->styles[fs->n_styles++];
    s->family = jmap_xstrdup(f->family ? f->family : "");
    s->size = f->size;
    s->weight = f->weight;
    s->italic = f->italic;
    s->letter_spacing = f->letter_spacing;
    s->tabular = f->tabular;
    s->desc = make_desc(f->family, f->size, f->weight, f->italic);
    /* Attributes without an end apply to any text set later. */
    s->attrs = pango_attr_list_new();
    double em = f->size > 0 ? f->size : 1;
    pango_attr_list_insert(s->attrs, pango_attr_line_height_new_absolute(
                                         (int)lround(JMAP_FONTS_LINE_HEIGHT * em * PANGO_SCALE)));
    if (f->letter_spacing != 0)
        pango_attr_list_insert(
            s->attrs, pango_attr_letter_spacing_new((int)lround(f->letter_spacing * PANGO_SCALE)));
    if (f->tabular)
        pango_attr_list_insert(s->attrs, pango_attr_font_features_new("tnum 1"));
    s->line_height = (int)lround(JMAP_FONTS_LINE_HEIGHT * em * PANGO_SCALE);
    s->word_attrs = pango_attr_list_copy(s->attrs);
    pango_attr_list_insert(s->word_attrs, pango_attr_font_desc_new(s->desc));
    return fs->n_styles - 1;
}

/*
 * Pango 1.50 shapes the rest of a paragraph again at each line it breaks, so a paragraph of n
 * characters over k lines costs n × k, and n² when nothing stops k from growing with n (a long
 * word broken at every line). Layout never asks for more than a dozen lines per text (it cuts
 * longer ones first: layout_truncate.c), so every layout stops at MAX_LINES lines per
 * paragraph, the last one ellipsized: whatever text it is given, the measurer (and the painter,
 * which paints these same layouts) costs at most MAX_LINES × n.
 */
#define MAX_LINES 32

static PangoLayout *new_layout(jmap_fonts *fs, const style *s)
{
    PangoLayout *l = pango_layout_new(fs->ctx);
    pango_layout_set_font_description(l, s->desc);
    pango_layout_set_attributes(l, s->attrs);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_height(l, -MAX_LINES);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    return l;
}

/* The same points -> units rounding for measuring and painting, so a box exactly as wide as
 * its text does not wrap when painted. */
static int wrap_units(double wrap_w)
{
    if (!(wrap_w > 0))
        return -1;
    /* Pango widths are ints: a box wider than 2^31 units (2,097,151 pt, a stage over thousands
     * of steps) is measured at the widest Pango knows, never converted out of range. */
    double units = ceil(wrap_w * PANGO_SCALE);
    return units < (double)INT_MAX ? (int)units : INT_MAX;
}

static void set_text(PangoLayout *l, const char *text)
{
    if (!text)
        text = "";
    if (g_utf8_validate(text, -1, NULL)) {
        pango_layout_set_text(l, text, -1);
        return;
    }
    char *valid = g_utf8_make_valid(text, -1);
    pango_layout_set_text(l, valid, -1);
    g_free(valid);
}

/* The first code point in the text that was shaped to an unknown glyph (a hex box). */
static uint32_t first_unknown(PangoLayout *l)
{
    const char *text = pango_layout_get_text(l);
    int best = -1;
    for (GSList *ln = pango_layout_get_lines_readonly(l); ln; ln = ln->next) {
        const PangoLayoutLine *line = ln->data;
        for (GSList *r = line->runs; r; r = r->next) {
            const PangoGlyphItem *run = r->data;
            const PangoGlyphString *g = run->glyphs;
            for (int i = 0; i < g->num_glyphs; i++) {
                if (!(g->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
                    continue;
                int at = run->item->offset + g->log_clusters[i];
                if (best < 0 || at < best)
                    best = at;
            }
        }
    }
    return best < 0 ? 0 : (uint32_t)g_utf8_get_char(text + best);
}

static uint64_t memo_hash(const char *text, size_t st, int wrap)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    h ^= ((uint64_t)st << 40) ^ (uint64_t)(unsigned)wrap;
    h *= 0x9e3779b97f4a7c15ull;
    return h ? h : 1;
}

/* The slot of (text, style, wrap): the entry, or the empty slot where it belongs. */
static measured *memo_slot(const jmap_fonts *f, uint64_t h, const char *text, size_t st, int wrap)
{
    size_t mask = f->cap_memo - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        measured *m = &f->memo[i];
        if (!m->hash ||
            (m->hash == h && m->style == st && m->wrap == wrap && strcmp(m->text, text) == 0))
            return m;
    }
}

static void memo_grow(jmap_fonts *f)
{
    measured *old = f->memo;
    size_t n = f->cap_memo;
    f->cap_memo = n ? n * 2 : 1024;
    f->memo = jmap_xcalloc(f->cap_memo, sizeof *f->memo);
    for (size_t i = 0; i < n; i++) {
        if (old[i].hash)
            *memo_slot(f, old[i].hash, old[i].text, old[i].style, old[i].wrap) = old[i];
    }
    free(old);
}

void jmap_fonts_release(jmap_fonts *f)
{
    for (size_t i = 0; i < f->cap_memo; i++) {
        if (f->memo[i].layout)
            g_object_unref(f->memo[i].layout);
        if (f->memo[i].words) {
            jmap_word_lines_free(f->memo[i].words);
            free(f->memo[i].words);
        }
        free(f->memo[i].text);
    }
    free(f->memo);
    f->memo = NULL;
    f->n_memo = f->cap_memo = f->n_kept = 0;
}

static PangoLayout *shape(jmap_fonts *f, size_t st, const char *text, int wrap)
{
    PangoLayout *l = new_layout(f, &f->styles[st]);
    pango_layout_set_width(l, wrap);
    set_text(l, text);
    return l;
}

PangoLayout *jmap_fonts_layout(jmap_fonts *f, const char *text, const jmap_font *font,
                               double wrap_w, jmap_align align)
{
    if (!text)
        text = "";
    size_t st = find_style(f, font);
    int wrap = wrap_units(wrap_w);
    /* Layouts were measured left-aligned; changing the alignment would lay them out again. */
    if (align == JMAP_ALIGN_LEFT && f->n_memo > 0) {
        measured *m = memo_slot(f, memo_hash(text, st, wrap), text, st, wrap);
        if (m->hash && m->layout) {
            PangoLayout *l = m->layout;
            if (m->uses > 1) {
                m->uses--;
                return g_object_ref(l);
            }
            m->uses = 0;
            m->layout = NULL;
            f->n_kept--;
            return l; /* the last paint takes the memo's reference */
        }
    }
    PangoLayout *l = shape(f, st, text, wrap);
    pango_layout_set_alignment(l, align == JMAP_ALIGN_CENTER  ? PANGO_ALIGN_CENTER
                                  : align == JMAP_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                                              : PANGO_ALIGN_LEFT);
    return l;
}

static jmap_text_size size_of(PangoLayout *l)
{
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    jmap_text_size r = {
        .w = (double)logical.width / PANGO_SCALE,
        .h = (double)logical.height / PANGO_SCALE,
        .lines = (unsigned)pango_layout_get_line_count(l),
        .baseline = (double)pango_layout_get_baseline(l) / PANGO_SCALE,
    };
    int unknown = pango_layout_get_unknown_glyphs_count(l);
    if (unknown > 0) {
        r.missing = (unsigned)unknown;
        r.first_missing = first_unknown(l);
    }
    return r;
}

/* The size of lines jmap filled, as size_of finds it for a PangoLayout. */
static jmap_text_size size_of_words(const jmap_fonts *f, const jmap_word_lines *wl,
                                    const char *text)
{
    (void)f;
    jmap_text_size r = {
        .w = (double)wl->width / PANGO_SCALE,
        .h = (double)wl->height / PANGO_SCALE,
        .lines = (unsigned)wl->n_lines,
        .baseline = wl->n_lines ? (double)wl->lines[0].baseline / PANGO_SCALE : 0,
    };
    if (wl->missing > 0) {
        r.missing = wl->missing;
        r.first_missing = (uint32_t)g_utf8_get_char(text + wl->first_missing);
    }
    return r;
}

/* Fill `text` from shaped words, when jmap can do it as PangoLayout would. */
static bool fill_words(jmap_fonts *f, size_t st, const char *text, int wrap, jmap_word_lines *wl)
{
    const style *s = &f->styles[st];
    if (f->layouts_only || s->letter_spacing != 0 || !jmap_words_can_fill(text))
        return false;
    return jmap_words_fill(f->words, st, s->word_attrs, pango_context_get_language(f->ctx), text,
                           wrap, s->line_height, MAX_LINES, wl);
}

static jmap_text_size pango_measure(void *ctx, const char *utf8, const jmap_font *font,
                                    double wrap_w)
{
    jmap_fonts *f = ctx;
    if (!utf8)
        utf8 = "";
    size_t st = find_style(f, font);
    int wrap = wrap_units(wrap_w);
    if (f->n_memo >= MAX_MEMO)
        jmap_fonts_release(f); /* many maps laid out and none drawn: start again */
    if (2 * (f->n_memo + 1) > f->cap_memo)
        memo_grow(f);
    uint64_t h = memo_hash(utf8, st, wrap);
    measured *m = memo_slot(f, h, utf8, st, wrap);
    if (m->hash) {
        m->uses += m->layout != NULL;
        return m->size;
    }
    *m = (measured){.hash = h, .text = jmap_xstrdup(utf8), .style = st, .wrap = wrap};
    f->n_memo++;
    jmap_word_lines wl;
    if (fill_words(f, st, utf8, wrap, &wl)) {
        m->size = size_of_words(f, &wl, utf8);
        if (f->n_kept < MAX_KEPT) {
            m->words = jmap_xmalloc(sizeof wl);
            *m->words = wl;
            f->n_kept++;
        } else {
            jmap_word_lines_free(&wl); /* past the bound: painting will fill it again */
        }
        return m->size;
    }
    PangoLayout *l = shape(f, st, utf8, wrap);
    m->size = size_of(l);
    if (f->n_kept < MAX_KEPT) {
        m->layout = l;
        m->uses = 1;
        f->n_kept++;
    } else {
        g_object_unref(l); /* past the bound: painting will shape this text again */
    }
    return m->size;
}

static void add_line(jmap_text_line **lines, size_t *n, size_t *cap, const char *text,
                     size_t from, size_t len, double x, double baseline, double w)
{
    *lines = jmap_xgrow(*lines, cap, *n + 1, sizeof **lines);
    (*lines)[(*n)++] = (jmap_text_line){.text = jmap_xstrndup(text + from, len),
                                        .from = from,
                                        .x = x,
                                        .baseline = baseline,
                                        .w = w};
}

/* The lines of a PangoLayout, as the renderer drew them. */
static size_t layout_lines(PangoLayout *l, jmap_text_line **lines)
{
    const char *text = pango_layout_get_text(l);
    size_t len = strlen(text), n = 0, cap = 0;
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoLayoutLine *ln = pango_layout_iter_get_line_readonly(it);
        size_t from = (size_t)ln->start_index, k = (size_t)ln->length;
        if (from > len)
            from = len;
        if (k > len - from)
            k = len - from;
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        add_line(lines, &n, &cap, text, from, k, (double)logical.x / PANGO_SCALE,
                 (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE,
                 (double)logical.width / PANGO_SCALE);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return n;
}

static size_t word_lines(const jmap_word_lines *wl, const char *text, int wrap, jmap_align align,
                         jmap_text_line **lines)
{
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < wl->n_lines; i++) {
        const jmap_word_line *ln = &wl->lines[i];
        add_line(lines, &n, &cap, text, (size_t)ln->from, (size_t)ln->len,
                 (double)jmap_word_line_x(wl, i, wrap, align) / PANGO_SCALE,
                 (double)ln->baseline / PANGO_SCALE, (double)ln->width / PANGO_SCALE);
    }
    return n;
}

size_t jmap_fonts_paint(jmap_fonts *f, cairo_t *cr, const char *text, const jmap_font *font,
                        double wrap_w, jmap_align align, double x, double y,
                        jmap_text_line **lines)
{
    if (!text)
        text = "";
    if (lines)
        *lines = NULL;
    size_t st = find_style(f, font);
    int wrap = wrap_units(wrap_w);
    const jmap_word_lines *wl = NULL;
    jmap_word_lines again;
    bool own = false;
    bool layout = false; /* measured through a PangoLayout */
    if (f->n_memo > 0) {
        measured *m = memo_slot(f, memo_hash(text, st, wrap), text, st, wrap);
        wl = m->hash ? m->words : NULL;
        layout = m->hash && m->layout;
    }
    if (!wl && !layout && fill_words(f, st, text, wrap, &again)) {
        wl = &again; /* not measured, or not kept: filled again, the same way */
        own = true;
    }
    size_t n = 0;
    if (wl) {
        jmap_word_lines_paint(cr, wl, text, wrap, align, x, y);
        if (lines)
            n = word_lines(wl, text, wrap, align, lines);
        if (own)
            jmap_word_lines_free(&again);
        return n;
    }
    PangoLayout *l = jmap_fonts_layout(f, text, font, wrap_w, align);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    cairo_new_path(cr);
    if (lines)
        n = layout_lines(l, lines);
    g_object_unref(l);
    return n;
}

void jmap_text_lines_free(jmap_text_line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i].text);
    free(lines);
}

bool jmap_fonts_fills_words(jmap_fonts *f, const char *text, const jmap_font *font,
                            double wrap_w)
{
    jmap_word_lines wl;
    if (!fill_words(f, find_style(f, font), text ? text : "", wrap_units(wrap_w), &wl))
        return false;
    jmap_word_lines_free(&wl);
    return true;
}

const jmap_word_lines *jmap_fonts_measured_words(jmap_fonts *f, const char *text,
                                                 const jmap_font *font, double wrap_w)
{
    if (!text || f->n_memo == 0)
        return NULL;
    size_t st = find_style(f, font);
    int wrap = wrap_units(wrap_w);
    measured *m = memo_slot(f, memo_hash(text, st, wrap), text, st, wrap);
    return m->hash ? m->words : NULL;
}

jmap_words_stats jmap_fonts_word_stats(jmap_fonts *f)
{
    return jmap_words_get_stats(f->words);
}

void jmap_fonts_set_word_budget(jmap_fonts *f, size_t bytes)
{
    jmap_words_set_budget(f->words, bytes);
}

jmap_fonts *jmap_fonts_new(void)
{
    PangoFontMap *map = pango_cairo_font_map_new();
    PangoContext *ctx = pango_font_map_create_context(map);
    pango_cairo_context_set_resolution(ctx, 72);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);

    /* Without any font Pango would go on with criticals and empty layouts. */
    PangoFontDescription *desc = make_desc(FALLBACK_FAMILY, 10, 400, false);
    PangoFont *font = pango_font_map_load_font(map, ctx, desc);
    pango_font_description_free(desc);
    if (!font) {
        fprintf(stderr, "jmap: no font can be loaded; install fonts-dejavu-core\n");
        g_object_unref(ctx);
        g_object_unref(map);
        return NULL;
    }
    g_object_unref(font);
    jmap_fonts *f = jmap_xcalloc(1, sizeof *f);
    f->map = map;
    f->ctx = ctx;
    f->default_lang = pango_context_get_language(ctx);
    f->words = jmap_words_new(ctx);
    /* For tests/bench only: measure and paint every text through a PangoLayout, as before
     * jmap filled lines itself, to compare the two in one run. */
    const char *only = getenv("JMAP_BENCH_LAYOUT_ONLY_PANGO");
    f->layouts_only = only && strcmp(only, "1") == 0;
    return f;
}

void jmap_fonts_free(jmap_fonts *f)
{
    if (!f)
        return;
    jmap_fonts_release(f);
    for (size_t i = 0; i < f->n_styles; i++) {
        style *s = &f->styles[i];
        pango_attr_list_unref(s->attrs);
        pango_attr_list_unref(s->word_attrs);
        pango_font_description_free(s->desc);
        free(s->family);
    }
    free(f->styles);
    for (size_t i = 0; i < f->n_resolved; i++) {
        free(f->resolved[i].asked);
        free(f->resolved[i].got);
    }
    free(f->resolved);
    jmap_words_free(f->words);
    g_object_unref(f->ctx);
    g_object_unref(f->map);
    free(f);
}

void jmap_fonts_set_language(jmap_fonts *f, const char *lang)
{
    PangoLanguage *want = lang ? pango_language_from_string(lang) : f->default_lang;
    if (want == pango_context_get_language(f->ctx))
        return; /* PangoLanguage pointers are interned: equal tags, equal pointers */
    /* What was measured in another language might break or shape differently: measure again,
     * so that what is painted is what was measured. */
    jmap_fonts_release(f);
    pango_context_set_language(f->ctx, want);
}

const char *jmap_fonts_language(jmap_fonts *f)
{
    PangoLanguage *l = pango_context_get_language(f->ctx);
    return l ? pango_language_to_string(l) : NULL;
}

jmap_text_measurer jmap_fonts_measurer(jmap_fonts *f)
{
    jmap_text_measurer m = {.ctx = f, .measure = pango_measure};
    return m;
}

PangoFont *jmap_fonts_load(jmap_fonts *f, const jmap_font *font)
{
    PangoFontDescription *desc = make_desc(font->family, font->size, font->weight, font->italic);
    PangoFont *got = pango_font_map_load_font(f->map, f->ctx, desc);
    pango_font_description_free(desc);
    return got;
}

PangoFontMap *jmap_fonts_font_map(jmap_fonts *f)
{
    return f->map;
}

const char *jmap_fonts_resolve_family(jmap_fonts *f, const char *family)
{
    if (!family)
        family = "";
    for (size_t i = 0; i < f->n_resolved; i++) {
        if (strcmp(f->resolved[i].asked, family) == 0)
            return f->resolved[i].got;
    }
    /* Ask for the family alone: with the fallback appended a missing one would look found. */
    PangoFontDescription *desc = pango_font_description_new();
    pango_font_description_set_family(desc, family);
    pango_font_description_set_size(desc, 10 * PANGO_SCALE);
    PangoFont *font = pango_font_map_load_font(f->map, f->ctx, desc);
    pango_font_description_free(desc);
    char *got = NULL;
    if (font) {
        PangoFontDescription *d = pango_font_describe(font);
        const char *name = pango_font_description_get_family(d);
        got = jmap_xstrdup(name ? name : "");
        pango_font_description_free(d);
        g_object_unref(font);
    } else {
        got = jmap_xstrdup("");
    }
    f->resolved = jmap_xgrow(f->resolved, &f->cap_resolved, f->n_resolved + 1, sizeof(resolved));
    f->resolved[f->n_resolved++] = (resolved){jmap_xstrdup(family), got};
    return got;
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

/* Han, Kana, Hangul, Bopomofo and the CJK symbol and compatibility blocks. */
static const cp_range cjk[] = {
    {0x1100, 0x11ff}, {0x2e80, 0x2fdf}, {0x2ff0, 0x31ff},   {0x3200, 0x4dbf},
    {0x4e00, 0x9fff}, {0xa960, 0xa97f}, {0xac00, 0xd7ff},   {0xf900, 0xfaff},
    {0xfe30, 0xfe4f}, {0xff00, 0xffef}, {0x1aff0, 0x1b16f}, {0x20000, 0x3ffff},
};

/* Pictographs, emoticons, transport, supplemental symbols, flags, and the joiners and
 * modifiers emoji sequences are made of. */
static const cp_range emoji[] = {
    {0x200d, 0x200d},   {0x20e3, 0x20e3},   {0xfe0f, 0xfe0f},   {0x1f000, 0x1f2ff},
    {0x1f300, 0x1f6ff}, {0x1f7e0, 0x1f7ff}, {0x1f900, 0x1faff}, {0xe0020, 0xe007f},
};

const char *jmap_fonts_package_for(uint32_t cp)
{
    if (cp == 0)
        return NULL;
    if (in_ranges(cp, cjk, sizeof cjk / sizeof cjk[0]))
        return "fonts-noto-cjk";
    if (in_ranges(cp, emoji, sizeof emoji / sizeof emoji[0]))
        return "fonts-noto-color-emoji";
    /* Every other script and symbol block has a Noto face in fonts-noto-core. */
    return "fonts-noto-core";
}
