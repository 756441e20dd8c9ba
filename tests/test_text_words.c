/* jmap's own line filling from shaped words (text_words.c, text_lines.c, text_draw.c), against
 * PangoLayout, with the tests' own font set: Inter and DejaVu Sans only. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "../src/text_pango.h"
#include "jmap/arena.h"
#include "jmap/fonts.h"
#include "support.h"

static jmap_fonts *fonts;

static int setup(void **state)
{
    (void)state;
    fonts = jmap_fonts_new();
    return fonts ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    jmap_fonts_free(fonts);
    return 0;
}

static jmap_font font_of(const char *family, double size, int weight)
{
    jmap_font f = {.family = family, .size = size, .weight = weight};
    return f;
}

/* ---- the corpus -------------------------------------------------------------------------- */

static const char *const latin[] = {
    "Checks ratings, delivery fee and minimum order before choosing a restaurant for the team "
    "lunch on Friday.",
    "Compares three shops' prices on the bus, step 7 of the trip, then gives up: the app asks "
    "for an account before showing the basket (again).",
    "Wants a refund within 14 days; the form is 3 pages long and times out after 5 minutes.",
    "AVAILABILITY, WAITING TIMES AND OPENING HOURS",
    "Va, Te, To, AV, Wa, Yo, f/, \"quoted\", (parenthesised) [bracketed] {braced} and an ellipsis…",
};

/* Symbols between spaces: Inter's contextual alternates raise "•" before a capital, across
 * the space: jmap shapes such words alone only where that changes nothing. */
static const char *const symbols[] = {
    "• Book a slot without calling the clinic",
    "Price · Quality · Speed · better",
    "( ABC ) [ DEF ] { GHI } A × B → Next",
    "A – B — C / D | E & F + G = H : I ; J ! K ? L",
    "12 : 30 × 4 · 5 • 6 → 7",
    "Va, Te, To, AV, Wa, Yo — dashes – and…",
    "AVAILABILITY, WAITING TIMES & OPENING HOURS",
};

static const char *const german[] = {
    "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen",
    "Die Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz, eine Novelle, betrifft "
    "Kundenzufriedenheitsumfragenauswertungsverantwortliche.",
    "Donau\u00addampf\u00adschiff\u00adfahrts\u00adgesellschaft\u00adkapitän\u00admützen "
    "Kunden\u00adzufriedenheit\u00adsumfrage",
};

static const char *const hyphens[] = {
    "state-of-the-art well-known customer-journey self-service check-in drop-off follow-up "
    "e-mail-based Nord-Ostsee-Kanal",
};

static const char *const cjk[] = {
    "顧客はアプリで注文し、店舗で商品を受け取ります。配送料と最低注文金額を確認します。",
    "客户在应用中下单，然后到门店取货。（配送费）与最低订单金额「确认」。",
    "고객은 앱에서 주문하고 매장에서 상품을 받습니다. 배송비와 최소 주문 금액을 확인합니다.",
    "Checkout 結帳 with WeChat Pay 微信支付 and LINE 決済, step 3 手順",
};

static const char *const thai[] = {
    "ลูกค้าสั่งซื้อผ่านแอปและรับสินค้าที่ร้านค้าใกล้บ้าน ตรวจสอบค่าจัดส่งและยอดสั่งซื้อขั้นต่ำ",
};

static const char *const rtl[] = {
    "العميل يطلب عبر التطبيق ويستلم من المتجر، ثم يقارن الأسعار",
    "הלקוח מזמין באפליקציה ואוסף מהחנות, ואז משווה מחירים",
    "Pays with אשראי card and gets a receipt",
};

/* Scripts Inter lacks and DejaVu Sans has: lines of two fonts, as CJK would be with its fonts
 * (the tests' fonts have none for CJK: PangoLayout fills it, around its hex boxes). */
static const char *const fallback[] = {
    "Checks the ქართული ენა menu, then Հայերեն, then the ქართული receipt",
    "ქართული ენა საქართველოს სახელმწიფო ენაა და ქართველური ენების ოჯახს ეკუთვნის",
};

static const char *const emoji[] = {
    "Team 👩‍💻👨‍👩‍👧‍👦 works 🏳️‍🌈 with 👍🏽 reactions 👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻",
    "1️⃣ 2️⃣ 3️⃣ 🇫🇷🇩🇪🇯🇵🇺🇸🇬🇧 ❤️ ☕ done",
};

static const char *const marks[] = {
    "e\u0301\u0323e\u0301\u0323e\u0301\u0323e\u0301\u0323e\u0301\u0323e\u0301\u0323e\u0301\u0323"
    "e\u0301\u0323e\u0301\u0323e\u0301\u0323e\u0301\u0323e\u0301\u0323e\u0301\u0323e\u0301\u0323",
    "Ṩ̃ à la carte, cafe\u0301, na\u0308ive, Ångström, ǅemal, Ελληνικά και Кириллица",
};

static const double widths[] = {8, 20, 35, 50, 61.5, 80, 100, 140, 172, 300, 0};

/* ---- comparing with PangoLayout ---------------------------------------------------------- */

typedef struct got {
    jmap_text_line *lines;
    size_t n;
} got;

/* The lines jmap paints for `text` (on a recording surface). */
static got painted(const char *text, jmap_font f, double w, jmap_align align)
{
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(s);
    got g = {0};
    g.n = jmap_fonts_paint(fonts, cr, text, &f, w, align, 0, 0, &g.lines);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return g;
}

static size_t mismatches;

/* The glyphs of each line, font and glyph, in order (PANGO_GLYPH_EMPTY left out). */
static GArray *glyphs_of_layout_line(PangoLayoutLine *ln)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(uintptr_t));
    for (GSList *r = ln->runs; r; r = r->next) {
        const PangoGlyphItem *run = r->data;
        for (int i = 0; i < run->glyphs->num_glyphs; i++) {
            uintptr_t v[2] = {(uintptr_t)run->item->analysis.font, run->glyphs->glyphs[i].glyph};
            if (v[1] != PANGO_GLYPH_EMPTY)
                g_array_append_vals(a, v, 2);
        }
    }
    return a;
}

static GArray *glyphs_of_word_line(const jmap_word_lines *wl, size_t i)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(uintptr_t));
    const jmap_word_line *ln = &wl->lines[i];
    for (size_t k = ln->first; k < ln->first + ln->n; k++) {
        const jmap_word_piece *p = &wl->pieces[k];
        for (int r = 0; r < p->word->n_runs; r++) {
            const PangoGlyphString *g =
                p->tail && r == p->word->n_runs - 1 ? p->tail : p->word->runs[r].glyphs;
            for (int j = 0; j < g->num_glyphs; j++) {
                uintptr_t v[2] = {(uintptr_t)p->word->runs[r].item->analysis.font,
                                  g->glyphs[j].glyph};
                if (v[1] != PANGO_GLYPH_EMPTY)
                    g_array_append_vals(a, v, 2);
            }
        }
    }
    return a;
}

/* jmap shaped the same glyphs as PangoLayout, line by line (contextual alternates across a
 * space, say, would differ). */
static bool same_glyphs(PangoLayout *l, const jmap_word_lines *wl)
{
    if (!wl || (size_t)pango_layout_get_line_count(l) != wl->n_lines)
        return false;
    bool same = true;
    for (size_t i = 0; same && i < wl->n_lines; i++) {
        GArray *a = glyphs_of_layout_line(pango_layout_get_line_readonly(l, (int)i));
        GArray *b = glyphs_of_word_line(wl, i);
        same = a->len == b->len &&
               (a->len == 0 || memcmp(a->data, b->data, a->len * sizeof(uintptr_t)) == 0);
        if (!same)
            fprintf(stderr, "line %zu: other glyphs than PangoLayout's (%u, %u)\n", i, a->len / 2,
                    b->len / 2);
        g_array_free(a, TRUE);
        g_array_free(b, TRUE);
    }
    return same;
}

/* The lines of `text` at width `w`, as jmap fills them and as PangoLayout does: the same bytes
 * on each line, widths and positions within 0.5 pt, baselines equal; the same measured size. */
/* Which way a text must go: filled by jmap, through a PangoLayout, or either (a script the
 * tests' fonts lack, drawn as hex boxes: PangoLayout's). */
typedef enum way { WORDS, LAYOUT, EITHER } way;

static void same_as_pango(const char *text, jmap_font f, double w, way want)
{
    jmap_fonts_release(fonts);
    /* Past 32 lines PangoLayout ellipsizes the last one: only it can. */
    PangoLayout *ref = jmap_fonts_layout(fonts, text, &f, w, JMAP_ALIGN_LEFT);
    bool ellipsized = pango_layout_is_ellipsized(ref);
    g_object_unref(ref);
    bool words = jmap_fonts_fills_words(fonts, text, &f, w);
    if (want != EITHER && words != (want == WORDS && !ellipsized)) {
        fprintf(stderr, "%s %.1f %d at %.1f pt: %s by %s\n", f.family, f.size, f.weight, w, text,
                words ? "jmap" : "PangoLayout");
        fail();
    }
    jmap_text_measurer tm = jmap_fonts_measurer(fonts);
    jmap_text_size ts = tm.measure(tm.ctx, text, &f, w);
    for (int a = 0; a < 3; a++) {
        jmap_align align = (jmap_align)a;
        got g = painted(text, f, w, align);
        PangoLayout *l = jmap_fonts_layout(fonts, text, &f, w, align);
        int n = pango_layout_get_line_count(l);
        bool same = (size_t)n == g.n;
        PangoLayoutIter *it = pango_layout_get_iter(l);
        for (size_t i = 0; same && i < g.n; i++) {
            PangoLayoutLine *ln = pango_layout_iter_get_line_readonly(it);
            PangoRectangle r;
            pango_layout_iter_get_line_extents(it, NULL, &r);
            double base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
            same = g.lines[i].from == (size_t)ln->start_index &&
                   strlen(g.lines[i].text) == (size_t)ln->length &&
                   fabs(g.lines[i].w - (double)r.width / PANGO_SCALE) <= 0.5 &&
                   fabs(g.lines[i].x - (double)r.x / PANGO_SCALE) <= 0.5 &&
                   fabs(g.lines[i].baseline - base) <= 1e-6;
            if (!same)
                fprintf(stderr,
                        "line %zu: jmap [%zu +%zu] w %.3f x %.3f base %.3f, pango [%d +%d] w "
                        "%.3f x %.3f base %.3f\n",
                        i, g.lines[i].from, strlen(g.lines[i].text), g.lines[i].w,
                        g.lines[i].x, g.lines[i].baseline, ln->start_index, ln->length,
                        (double)r.width / PANGO_SCALE, (double)r.x / PANGO_SCALE, base);
            pango_layout_iter_next_line(it);
        }
        pango_layout_iter_free(it);
        if (align == JMAP_ALIGN_LEFT && same && words)
            same = same_glyphs(l, jmap_fonts_measured_words(fonts, text, &f, w));
        if (align == JMAP_ALIGN_LEFT && same) {
            PangoRectangle r;
            pango_layout_get_extents(l, NULL, &r);
            same = ts.lines == (unsigned)n && fabs(ts.w - (double)r.width / PANGO_SCALE) <= 0.5 &&
                   fabs(ts.h - (double)r.height / PANGO_SCALE) <= 1e-6 &&
                   fabs(ts.baseline - (double)pango_layout_get_baseline(l) / PANGO_SCALE) <= 1e-6 &&
                   ts.missing == (unsigned)pango_layout_get_unknown_glyphs_count(l);
            if (!same)
                fprintf(stderr, "size: jmap %.3f x %.3f (%u lines, base %.3f, %u missing)\n",
                        ts.w, ts.h, ts.lines, ts.baseline, ts.missing);
        }
        if (!same) {
            mismatches++;
            fprintf(stderr, "MISMATCH %s %.1f %d at %.1f pt, align %d: %.80s (jmap %zu lines, "
                            "pango %d)\n",
                    f.family, f.size, f.weight, w, a, text, g.n, n);
        }
        g_object_unref(l);
        jmap_text_lines_free(g.lines, g.n);
    }
}

static void corpus(const char *const *texts, size_t n, way want)
{
    const jmap_font styles[] = {font_of("Inter", 9, 400), font_of("Inter", 8, 600),
                                font_of("DejaVu Sans", 10, 400), font_of("Inter", 12, 700)};
    mismatches = 0;
    for (size_t t = 0; t < n; t++)
        for (size_t s = 0; s < sizeof styles / sizeof styles[0]; s++)
            for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++)
                same_as_pango(texts[t], styles[s], widths[w], want);
    assert_int_equal(mismatches, 0);
}

#define CORPUS(a, words) corpus(a, sizeof a / sizeof a[0], words)

static void latin_paragraphs_break_where_pango_breaks_them(void **state)
{
    (void)state;
    CORPUS(latin, WORDS);
    CORPUS(symbols, EITHER);
    /* ... which it does for most of them */
    jmap_font f = font_of("Inter", 9, 400);
    assert_false(jmap_fonts_fills_words(fonts, symbols[0], &f, 100));
    assert_true(jmap_fonts_fills_words(fonts, "⚠ the app banner only shown at step 9", &f, 100));
    assert_true(jmap_fonts_fills_words(fonts, "★ Show the delivery fee earlier", &f, 100));
}

static void german_compounds_and_hyphens_break_where_pango_breaks_them(void **state)
{
    (void)state;
    CORPUS(german, WORDS);
    CORPUS(hyphens, LAYOUT);
}

static void cjk_breaks_where_pango_breaks_it(void **state)
{
    (void)state;
    CORPUS(cjk, EITHER);
    /* A word of two fonts too wide for a line is PangoLayout's to break; the rest is jmap's. */
    CORPUS(fallback, EITHER);
    jmap_font f = font_of("Inter", 9, 400);
    for (size_t i = 0; i < sizeof fallback / sizeof fallback[0]; i++)
        assert_true(jmap_fonts_fills_words(fonts, fallback[i], &f, 140));
}

static void thai_breaks_where_pango_breaks_it(void **state)
{
    (void)state;
    CORPUS(thai, EITHER);
}

static void emoji_sequences_and_combining_marks_break_where_pango_breaks_them(void **state)
{
    (void)state;
    CORPUS(emoji, EITHER);
    CORPUS(marks, WORDS);
}

static void right_to_left_paragraphs_go_through_a_pango_layout(void **state)
{
    (void)state;
    CORPUS(rtl, LAYOUT);
}


/* ---- long words -------------------------------------------------------------------------- */

/* A 64 KiB word, broken between graphemes on about 30 lines (within PangoLayout's 32, so it
 * can be compared): jmap shapes the word once and each line's piece once, never the rest of
 * the word again at each line as PangoLayout does. */
static void a_64k_word_breaks_where_pango_breaks_it(void **state)
{
    (void)state;
    const char *units[] = {"a", "e\u0301\u0323"};
    for (size_t u = 0; u < 2; u++) {
        char *word = test_repeat(units[u], 65535);
        jmap_font f = font_of("Inter", 9, 400);
        jmap_text_measurer tm = jmap_fonts_measurer(fonts);
        jmap_fonts_release(fonts);
        double whole = tm.measure(tm.ctx, word, &f, 0).w;
        mismatches = 0;
        same_as_pango(word, f, whole / 29.5, WORDS);
        assert_int_equal(mismatches, 0);
        jmap_text_size ts = tm.measure(tm.ctx, word, &f, whole / 29.5);
        assert_true(ts.lines >= 29 && ts.lines <= 31);
        jmap_fonts_release(fonts);
        free(word);
    }
}

/* ---- painted is measured ----------------------------------------------------------------- */

typedef struct use {
    char href[64];
    double x, y;
} use;

/* The glyphs Cairo wrote into an SVG, in order: which glyph, where. */
static size_t svg_glyphs(const char *svg, use **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (const char *p = strstr(svg, "<use xlink:href=\"#glyph"); p;
         p = strstr(p + 1, "<use xlink:href=\"#glyph")) {
        use u = {0};
        const char *h = p + strlen("<use xlink:href=\"#");
        size_t k = strcspn(h, "\"");
        assert_true(k < sizeof u.href);
        memcpy(u.href, h, k);
        const char *x = strstr(p, " x=\""), *y = strstr(p, " y=\"");
        assert_non_null(x);
        assert_non_null(y);
        u.x = strtod(x + 4, NULL);
        u.y = strtod(y + 4, NULL);
        *out = jmap_xgrow(*out, &cap, n + 1, sizeof **out);
        (*out)[n++] = u;
    }
    return n;
}

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int length)
{
    GString *s = closure;
    g_string_append_len(s, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* What the renderer paints is the glyphs the measurer shaped: the same glyphs, one for one,
 * at the places the measured advances put them, for every alignment. */
static void the_glyphs_painted_are_the_glyphs_measured(void **state)
{
    (void)state;
    const char *texts[] = {latin[0], latin[4], german[0], german[2], marks[1]};
    const double ws[] = {35, 61.5, 140, 0};
    const double x0 = 10.5, y0 = 20.25;
    size_t checked = 0;
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
        for (size_t wi = 0; wi < sizeof ws / sizeof ws[0]; wi++)
            for (int a = 0; a < 3; a++) {
                jmap_font f = font_of("Inter", 9, 400);
                jmap_fonts_release(fonts);
                jmap_text_measurer tm = jmap_fonts_measurer(fonts);
                jmap_text_size ts = tm.measure(tm.ctx, texts[t], &f, ws[wi]);
                const jmap_word_lines *wl =
                    jmap_fonts_measured_words(fonts, texts[t], &f, ws[wi]);
                assert_non_null(wl);
                assert_int_equal(wl->n_lines, ts.lines);
                GString *svg = g_string_new(NULL);
                cairo_surface_t *s = cairo_svg_surface_create_for_stream(collect, svg, 800, 800);
                cairo_t *cr = cairo_create(s);
                jmap_fonts_paint(fonts, cr, texts[t], &f, ws[wi], (jmap_align)a, x0, y0, NULL);
                cairo_destroy(cr);
                cairo_surface_destroy(s);
                use *u;
                size_t n = svg_glyphs(svg->str, &u), k = 0;
                int wrap = ws[wi] > 0 ? (int)ceil(ws[wi] * PANGO_SCALE) : -1;
                GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
                for (size_t i = 0; i < wl->n_lines; i++) {
                    const jmap_word_line *ln = &wl->lines[i];
                    int at = jmap_word_line_x(wl, i, wrap, (jmap_align)a);
                    for (size_t pi = ln->first; pi < ln->first + ln->n; pi++) {
                        const jmap_word_piece *p = &wl->pieces[pi];
                        for (int r = 0; r < p->word->n_runs; r++) {
                            PangoGlyphString *g = p->tail && r == p->word->n_runs - 1
                                                      ? p->tail
                                                      : p->word->runs[r].glyphs;
                            PangoFont *font = p->word->runs[r].item->analysis.font;
                            for (int j = 0; j < g->num_glyphs; j++) {
                                const PangoGlyphInfo *gi = &g->glyphs[j];
                                if (gi->glyph != PANGO_GLYPH_EMPTY) {
                                    assert_true(k < n);
                                    double x = x0 + (double)(at + gi->geometry.x_offset) /
                                                        PANGO_SCALE;
                                    double y = y0 + (double)(ln->baseline +
                                                             gi->geometry.y_offset) /
                                                        PANGO_SCALE;
                                    assert_true(fabs(u[k].x - x) < 0.01);
                                    assert_true(fabs(u[k].y - y) < 0.01);
                                    /* one glyph of one font, one name in the SVG */
                                    char *key = g_strdup_printf("%p/%u", (void *)font,
                                                                gi->glyph);
                                    const char *had = g_hash_table_lookup(names, key);
                                    if (had) {
                                        assert_string_equal(had, u[k].href);
                                        g_free(key);
                                    } else {
                                        g_hash_table_insert(names, key, u[k].href);
                                    }
                                    k++;
                                }
                                at += gi->geometry.width;
                            }
                        }
                    }
                    assert_true(fabs((double)(at - jmap_word_line_x(wl, i, wrap,
                                                                   (jmap_align)a)) -
                                     ln->width) < 1);
                }
                assert_int_equal(k, n);
                checked += n;
                g_hash_table_destroy(names);
                free(u);
                g_string_free(svg, TRUE);
            }
    assert_true(checked > 1000);
    jmap_fonts_release(fonts);
}

/* ---- the cache --------------------------------------------------------------------------- */

/* Each word of a style is shaped once per process: a second map's texts find it. */
static void each_word_is_shaped_once_per_process(void **state)
{
    (void)state;
    jmap_font f = font_of("Inter", 7.25, 500); /* a style no other test uses */
    jmap_text_measurer tm = jmap_fonts_measurer(fonts);
    jmap_words_stats a = jmap_fonts_word_stats(fonts);
    tm.measure(tm.ctx, "alpha beta gamma alpha beta", &f, 60);
    jmap_words_stats b = jmap_fonts_word_stats(fonts);
    /* "alpha ", "beta ", "gamma ", then "alpha " again, and "beta" */
    assert_int_equal(b.misses - a.misses, 4);
    assert_int_equal(b.hits - a.hits, 1);
    jmap_fonts_release(fonts); /* the scene is drawn: the next map */
    tm.measure(tm.ctx, "gamma alpha beta", &f, 200);
    jmap_words_stats c = jmap_fonts_word_stats(fonts);
    assert_int_equal(c.misses, b.misses);
    assert_int_equal(c.hits - b.hits, 3);
    jmap_fonts_release(fonts);
}

/* The cache holds at most its budget; words on measured lines outlive an eviction, and are
 * what is painted. */
static void the_cache_is_bounded_and_measured_lines_outlive_it(void **state)
{
    (void)state;
    jmap_fonts_release(fonts);
    jmap_words_stats before = jmap_fonts_word_stats(fonts);
    jmap_fonts_set_word_budget(fonts, 64 << 10);
    jmap_font f = font_of("Inter", 9, 400);
    jmap_text_measurer tm = jmap_fonts_measurer(fonts);
    const char *text = latin[1];
    jmap_text_size ts = tm.measure(tm.ctx, text, &f, 100);
    for (int i = 0; i < 3000; i++) {
        char word[64];
        snprintf(word, sizeof word, "w%dx y%dz", i, i);
        tm.measure(tm.ctx, word, &f, 100);
        jmap_words_stats s = jmap_fonts_word_stats(fonts);
        assert_true(s.bytes <= 64 << 10);
    }
    jmap_words_stats after = jmap_fonts_word_stats(fonts);
    assert_true(after.evictions > before.evictions);
    assert_true(after.count < 6000);
    got g = painted(text, f, 100, JMAP_ALIGN_LEFT);
    assert_int_equal(g.n, ts.lines);
    jmap_text_lines_free(g.lines, g.n);
    jmap_fonts_set_word_budget(fonts, before.budget);
    jmap_fonts_release(fonts);
}

/* ---- whole maps -------------------------------------------------------------------------- */

/* Every example drawn by the real binary is the same file, byte for byte, whether jmap fills
 * lines itself or (JMAP_BENCH_LAYOUT_ONLY_PANGO, the benchmark's "before") PangoLayout does:
 * same lines, same glyphs, same places, same SVG text layer and PDF tags. */
static void every_example_draws_the_same_bytes_as_with_pango_layouts(void **state)
{
    (void)state;
    char *dir = test_tmpdir("text_words_examples");
    GDir *d = g_dir_open(JMAP_SOURCE_DIR "/examples", 0, NULL);
    assert_non_null(d);
    size_t compared = 0;
    for (const char *name; (name = g_dir_read_name(d));) {
        if (!g_str_has_suffix(name, ".yaml"))
            continue;
        static const char *const formats[] = {"svg", "pdf", "png"};
        for (size_t k = 0; k < 3; k++) {
            char *a = jmap_xprintf("%s/%s.words.%s", dir, name, formats[k]);
            char *b = jmap_xprintf("%s/%s.pango.%s", dir, name, formats[k]);
            assert_int_equal(test_jmap(NULL, NULL, "build '%s/examples/%s' -o '%s'",
                                       JMAP_SOURCE_DIR, name, a),
                             0);
            assert_int_equal(test_jmap_as("JMAP_BENCH_LAYOUT_ONLY_PANGO=1 ", NULL, NULL,
                                          "build '%s/examples/%s' -o '%s'", JMAP_SOURCE_DIR,
                                          name, b),
                             0);
            size_t na, nb;
            char *da = test_read_file(a, &na), *db = test_read_file(b, &nb);
            if (na != nb || memcmp(da, db, na) != 0)
                fail_msg("%s differs from PangoLayout's", a);
            compared++;
            free(da);
            free(db);
            free(a);
            free(b);
        }
    }
    g_dir_close(d);
    assert_true(compared >= 6 * 3);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(latin_paragraphs_break_where_pango_breaks_them),
        cmocka_unit_test(german_compounds_and_hyphens_break_where_pango_breaks_them),
        cmocka_unit_test(cjk_breaks_where_pango_breaks_it),
        cmocka_unit_test(thai_breaks_where_pango_breaks_it),
        cmocka_unit_test(emoji_sequences_and_combining_marks_break_where_pango_breaks_them),
        cmocka_unit_test(right_to_left_paragraphs_go_through_a_pango_layout),
        cmocka_unit_test(a_64k_word_breaks_where_pango_breaks_it),
        cmocka_unit_test(the_glyphs_painted_are_the_glyphs_measured),
        cmocka_unit_test(each_word_is_shaped_once_per_process),
        cmocka_unit_test(the_cache_is_bounded_and_measured_lines_outlive_it),
        cmocka_unit_test(every_example_draws_the_same_bytes_as_with_pango_layouts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
