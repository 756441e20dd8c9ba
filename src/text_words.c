#include "text_words.h"

#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "jmap/arena.h"

/*
 * The shaped words of the process: each distinct word of a style and language is shaped once,
 * whatever map, text or width it appears in (most words of a map repeat: channels, owners,
 * "the", "customer"...). Keyed by style, language, hyphen and text. Bounded by the memory the
 * words hold: past the budget every word is dropped from the cache (those still on a measured
 * line live on by their reference) and it fills again.
 */

#define DEFAULT_BUDGET ((size_t)32 << 20)

typedef struct entry {
    uint64_t hash; /* 0: empty */
    size_t style;
    PangoLanguage *lang;
    bool hyphen;
    jmap_word *word;
} entry;

struct jmap_words {
    PangoContext *ctx;
    entry *slots; /* open addressing, a power of two long */
    size_t cap, n;
    size_t bytes, budget;
    uint64_t hits, misses, evictions;
};

jmap_words *jmap_words_new(PangoContext *ctx)
{
    jmap_words *w = jmap_xcalloc(1, sizeof *w);
    w->ctx = ctx;
    w->budget = DEFAULT_BUDGET;
    return w;
}

static void evict_all(jmap_words *w)
{
    for (size_t i = 0; i < w->cap; i++) {
        if (w->slots[i].word)
            jmap_word_unref(w->slots[i].word);
    }
    free(w->slots);
    w->slots = NULL;
    w->cap = w->n = w->bytes = 0;
}

void jmap_words_free(jmap_words *w)
{
    if (!w)
        return;
    evict_all(w);
    free(w);
}

void jmap_words_set_budget(jmap_words *w, size_t bytes)
{
    w->budget = bytes;
    if (w->bytes > w->budget) {
        evict_all(w);
        w->evictions++;
    }
}

jmap_words_stats jmap_words_get_stats(const jmap_words *w)
{
    jmap_words_stats s = {.hits = w->hits,
                          .misses = w->misses,
                          .evictions = w->evictions,
                          .bytes = w->bytes,
                          .count = w->n,
                          .budget = w->budget};
    return s;
}

void jmap_word_unref(jmap_word *word)
{
    if (!word || --word->refs > 0)
        return;
    for (int i = 0; i < word->n_runs; i++) {
        pango_item_free(word->runs[i].item);
        pango_glyph_string_free(word->runs[i].glyphs);
    }
    free(word->runs);
    free(word->boxes);
    free(word->log_widths);
    free(word->text);
    free(word);
}

/* The advance of the hyphen Pango inserts at a break in this font (U+2010, else '-'). */
static int hyphen_width(PangoFont *font)
{
    if (!font)
        return 0;
    hb_font_t *hb = pango_font_get_hb_font(font);
    hb_codepoint_t glyph;
    if (hb_font_get_nominal_glyph(hb, 0x2010, &glyph) || hb_font_get_nominal_glyph(hb, '-', &glyph))
        return hb_font_get_glyph_h_advance(hb, glyph);
    return 0;
}

jmap_word *jmap_words_shape(jmap_words *w, PangoAttrList *attrs, const char *text, int len,
                            bool hyphen)
{
    jmap_word *wd = jmap_xcalloc(1, sizeof *wd);
    wd->refs = 1;
    wd->text = jmap_xstrndup(text, (size_t)len);
    wd->len = len;
    wd->n_chars = (int)g_utf8_strlen(wd->text, len);
    for (const char *p = wd->text; *p && !wd->alnum; p = g_utf8_next_char(p))
        wd->alnum = g_unichar_isalnum(g_utf8_get_char(p));
    GList *items = pango_itemize(w->ctx, wd->text, 0, len, attrs, NULL);
    int n = (int)g_list_length(items);
    wd->runs = jmap_xcalloc(n > 0 ? (size_t)n : 1, sizeof *wd->runs);
    wd->boxes = jmap_xcalloc(n > 0 ? (size_t)n : 1, sizeof *wd->boxes);
    wd->log_widths = jmap_xcalloc(wd->n_chars > 0 ? (size_t)wd->n_chars : 1, sizeof(int));
    wd->bytes = sizeof *wd + (size_t)len + 1 + (size_t)wd->n_chars * sizeof(int);
    int chars = 0;
    for (GList *l = items; l; l = l->next) {
        PangoItem *item = l->data;
        if (hyphen && !l->next)
            item->analysis.flags |= PANGO_ANALYSIS_FLAG_NEED_HYPHEN;
        PangoGlyphString *g = pango_glyph_string_new();
        pango_shape_item(item, wd->text, len, NULL, g, PANGO_SHAPE_NONE);
        PangoGlyphItem run = {.item = item, .glyphs = g};
        pango_glyph_item_get_logical_widths(&run, wd->text, wd->log_widths + chars);
        pango_glyph_string_extents(g, item->analysis.font, NULL, &wd->boxes[wd->n_runs]);
        wd->runs[wd->n_runs++] = run;
        wd->width += pango_glyph_string_get_width(g);
        chars += item->num_chars;
        wd->bytes += sizeof(PangoItem) + sizeof *g + sizeof run + sizeof(PangoRectangle) + 64 +
                     (size_t)g->num_glyphs * (sizeof(PangoGlyphInfo) + sizeof(int));
    }
    g_list_free(items);
    if (wd->n_runs > 0) {
        PangoItem *first = wd->runs[0].item;
        PangoFontMetrics *m = pango_font_get_metrics(first->analysis.font, first->analysis.language);
        wd->safe = 3 * pango_font_metrics_get_approximate_char_width(m);
        pango_font_metrics_unref(m);
        wd->hyphen = hyphen_width(wd->runs[wd->n_runs - 1].item->analysis.font);
    }
    return wd;
}

static uint64_t key_hash(size_t style, PangoLanguage *lang, bool hyphen, const char *text,
                         int len)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (int i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 0x100000001b3ull;
    h ^= ((uint64_t)style << 33) ^ ((uint64_t)(uintptr_t)lang << 1) ^ (uint64_t)hyphen;
    h *= 0x9e3779b97f4a7c15ull;
    return h ? h : 1;
}

static entry *slot_of(const jmap_words *w, uint64_t h, size_t style, PangoLanguage *lang,
                      bool hyphen, const char *text, int len)
{
    size_t mask = w->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        entry *e = &w->slots[i];
        if (!e->hash)
            return e;
        if (e->hash == h && e->style == style && e->lang == lang && e->hyphen == hyphen &&
            e->word->len == len && memcmp(e->word->text, text, (size_t)len) == 0)
            return e;
    }
}

static void grow(jmap_words *w)
{
    entry *old = w->slots;
    size_t n = w->cap;
    w->cap = n ? n * 2 : 1024;
    w->slots = jmap_xcalloc(w->cap, sizeof *w->slots);
    for (size_t i = 0; i < n; i++) {
        if (!old[i].hash)
            continue;
        const entry *e = &old[i];
        *slot_of(w, e->hash, e->style, e->lang, e->hyphen, e->word->text, e->word->len) = *e;
    }
    free(old);
}

jmap_word *jmap_words_get(jmap_words *w, size_t style, PangoAttrList *attrs, const char *text,
                          int len, bool hyphen)
{
    PangoLanguage *lang = pango_context_get_language(w->ctx);
    uint64_t h = key_hash(style, lang, hyphen, text, len);
    if (w->cap > 0) {
        entry *e = slot_of(w, h, style, lang, hyphen, text, len);
        if (e->hash) {
            w->hits++;
            e->word->refs++;
            return e->word;
        }
    }
    w->misses++;
    jmap_word *wd = jmap_words_shape(w, attrs, text, len, hyphen);
    if (wd->bytes > w->budget)
        return wd; /* larger than the whole cache: not kept */
    if (w->bytes + wd->bytes > w->budget) {
        evict_all(w);
        w->evictions++;
    }
    if (2 * (w->n + 1) > w->cap)
        grow(w);
    *slot_of(w, h, style, lang, hyphen, text, len) =
        (entry){.hash = h, .style = style, .lang = lang, .hyphen = hyphen, .word = wd};
    w->n++;
    w->bytes += wd->bytes;
    wd->refs++;
    return wd;
}
