#include "text_words.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"

/*
 * Filling lines with shaped words, as PangoLayout 1.50 fills them with PANGO_WRAP_WORD_CHAR
 * (pango-layout.c, process_item), so that a text breaks where it always broke:
 *
 *  - a line ends at the last break opportunity whose text fits the width, not counting the
 *    last space before it (which a wrapped line shows with no width) and counting the hyphen
 *    a soft hyphen or a broken word shows there;
 *  - within Pango's margin of the width (three average characters) widths are exact: the
 *    hyphenated word, the piece of a broken word, are shaped as they will be painted;
 *  - a word wider than an empty line is broken at the last grapheme boundary that fits (at
 *    least one grapheme), with the hyphen Pango adds there.
 *
 * Unlike PangoLayout, nothing is shaped twice but those pieces: the rest of a paragraph is
 * never shaped again at each line, so a text costs time and memory linear in its length.
 */

typedef struct seg {
    int a, b; /* characters of the text */
    jmap_word *w;
} seg;

typedef struct filler {
    jmap_words *words;
    size_t style;
    PangoAttrList *attrs;
    const char *text;
    int n;     /* characters */
    int *boff; /* byte of each character, n + 1 of them */
    PangoLogAttr *la;
    seg *segs;
    size_t n_segs;
    int wrap, lh;
    unsigned max_lines;
    jmap_word_lines *out;
    size_t cap_lines, cap_pieces;
    int y; /* top of the next line */
} filler;

bool jmap_words_can_fill(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    if (!*p)
        return false;
    for (; *p; p++) {
        if (*p < 0x80) {
            if (*p < 0x20 || *p == 0x7f)
                return false; /* newlines, tabs and other controls: PangoLayout's */
            /* A hyphen inside a word is a break opportunity that fonts kern across ("-T"):
             * words shaped apart would lose it, so PangoLayout shapes such a text whole. */
            if (*p == '-' && p[1] && p[1] != ' ')
                return false;
            continue;
        }
        const char *at = (const char *)p;
        const char *end = at;
        while (((const unsigned char *)end)[1] >= 0x80 && ((const unsigned char *)end)[1] < 0xc0)
            end++;
        if (!g_utf8_validate(at, end - at + 1, NULL))
            return false;
        gunichar c = g_utf8_get_char(at);
        /* Right-to-left scripts and bidi controls: PangoLayout reorders them. NEL, LS, PS:
         * line breaks. */
        if ((c >= 0x0590 && c <= 0x08ff) || (c >= 0xfb1d && c <= 0xfdff) ||
            (c >= 0xfe70 && c <= 0xfeff) || (c >= 0x10800 && c <= 0x10fff) ||
            (c >= 0x1e800 && c <= 0x1efff) || c == 0x0085 || c == 0x061c || c == 0x200e ||
            c == 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
            return false;
        p = (const unsigned char *)end;
    }
    /* Pango keeps the width of a paragraph's final space in some cases and not others. */
    return p[-1] != ' ' && !(p[-1] == 0xa0 && p - (const unsigned char *)text >= 2 && p[-2] == 0xc2);
}

static int lw(const seg *s, int pos)
{
    return s->w->log_widths[pos - s->a];
}

static bool needs_hyphen(const filler *f, int pos)
{
    return pos < f->n && (f->la[pos].break_inserts_hyphen || f->la[pos].break_removes_preceding);
}

/* What breaking before character `pos` (inside or at the end of `s`) adds to the width of
 * the text before it, as Pango estimates it: a hyphen, less a space. */
static int break_extra(const filler *f, const seg *s, int pos)
{
    if (pos >= f->n || pos <= s->a)
        return 0;
    const PangoLogAttr *a = &f->la[pos];
    if (a->break_inserts_hyphen)
        return s->w->hyphen - (a->break_removes_preceding ? lw(s, pos - 1) : 0);
    if (f->la[pos - 1].is_white)
        return -lw(s, pos - 1);
    return 0;
}

/* The same once the text before it is shaped with its hyphen: less a space. */
static int shaped_extra(const filler *f, const seg *s, int pos)
{
    if (pos >= f->n || pos <= s->a || !f->la[pos - 1].is_white)
        return 0;
    return -lw(s, pos - 1);
}

/* Characters [from, to) of segment `s`, shaped on their own (a piece of a broken word), with
 * the hyphen Pango shows there when it ends a line. */
static jmap_word *piece(const filler *f, const seg *s, int from, int to, bool ends_line)
{
    int b0 = f->boff[from], b1 = f->boff[to];
    bool hyphen = ends_line && needs_hyphen(f, to);
    if (from == s->a && to == s->b && !hyphen) {
        s->w->refs++;
        return s->w;
    }
    return jmap_words_shape(f->words, f->attrs, f->text + b0, b1 - b0, hyphen);
}

static void add_piece(filler *f, jmap_word *w)
{
    jmap_word_lines *o = f->out;
    o->pieces = jmap_xgrow(o->pieces, &f->cap_pieces, o->n_pieces + 1, sizeof *o->pieces);
    o->pieces[o->n_pieces++] = (jmap_word_piece){.word = w};
}

/* Pango zeroes a wrapped line's final space (zero_line_final_trailing_whitespace). */
static void zero_final_space(filler *f, size_t first)
{
    jmap_word_lines *o = f->out;
    if (o->n_pieces <= first)
        return;
    jmap_word_piece *p = &o->pieces[o->n_pieces - 1];
    if (p->word->n_runs < 1)
        return;
    PangoGlyphString *g = p->word->runs[p->word->n_runs - 1].glyphs;
    int last = g->num_glyphs - 1;
    if (last < 0 || (last >= 1 && g->log_clusters[last] == g->log_clusters[last - 1]))
        return;
    p->tail = pango_glyph_string_copy(g);
    p->tail->glyphs[last].geometry.width = 0;
    p->tail->glyphs[last].glyph = PANGO_GLYPH_EMPTY;
}

/* Close the line of pieces [first, n_pieces) that holds characters [c0, c1). */
static void end_line(filler *f, size_t first, int c0, int c1, bool wrapped)
{
    jmap_word_lines *o = f->out;
    if (wrapped && c1 > 0 && f->la[c1 - 1].is_white)
        zero_final_space(f, first);
    /* Extents as pango_layout_line_get_extents: each run's logical box, made line-height tall
     * around its middle, all united with the baseline's origin. */
    int top = 0, height = 0, width = 0, byte = f->boff[c0];
    for (size_t i = first; i < o->n_pieces; i++) {
        const jmap_word_piece *p = &o->pieces[i];
        for (int r = 0; r < p->word->n_runs; r++) {
            const PangoGlyphItem *run = &p->word->runs[r];
            PangoGlyphString *g = run->glyphs;
            PangoRectangle box = p->word->boxes[r];
            if (p->tail && r == p->word->n_runs - 1) {
                g = p->tail;
                pango_glyph_string_extents(g, run->item->analysis.font, NULL, &box);
            }
            int leading = f->lh - box.height;
            int y = box.y - leading / 2, h = box.height + leading;
            int new_top = top < y ? top : y;
            int bottom = top + height > y + h ? top + height : y + h;
            top = new_top;
            height = bottom - new_top;
            width += pango_glyph_string_get_width(g);
            for (int k = 0; k < g->num_glyphs; k++) {
                if (!(g->glyphs[k].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
                    continue;
                int at = byte + run->item->offset + g->log_clusters[k];
                if (o->missing++ == 0 || at < o->first_missing)
                    o->first_missing = at;
            }
        }
        byte += p->word->len;
    }
    o->lines = jmap_xgrow(o->lines, &f->cap_lines, o->n_lines + 1, sizeof *o->lines);
    o->lines[o->n_lines++] = (jmap_word_line){.from = f->boff[c0],
                                              .len = f->boff[c1] - f->boff[c0],
                                              .width = width,
                                              .baseline = f->y - top,
                                              .first = first,
                                              .n = o->n_pieces - first};
    f->y += height;
    if (width > o->width)
        o->width = width;
    o->height = f->y;
}

/*
 * A word too wide for an empty line, from its character c0: the last grapheme boundary that
 * fits, by the word's logical widths while far from the width and shaped near it, as Pango
 * retries with PANGO_WRAP_CHAR. Returns where the line ends; *out gets the piece.
 */
static int break_word(const filler *f, const seg *s, int c0, jmap_word **out)
{
    const jmap_word *w = s->w;
    int width = 0, best = -1, best_w = 0;
    jmap_word *best_piece = NULL;
    for (int q = c0; q <= s->b; q++) {
        int ext = q > c0 ? break_extra(f, s, q) : 0;
        int lo = width + ext < width ? width + ext : width;
        if (best >= 0 && lo > f->wrap + w->safe)
            break;
        if (q > c0 && (q == f->n || f->la[q].is_char_break)) {
            if (width + ext < f->wrap - w->safe) {
                best = q;
                best_w = width + ext;
                jmap_word_unref(best_piece);
                best_piece = NULL;
            } else {
                jmap_word *p = piece(f, s, c0, q, true);
                int pw = p->width + shaped_extra(f, s, q);
                if (best < 0 || pw <= f->wrap || pw < best_w) {
                    best = q;
                    best_w = pw;
                    jmap_word_unref(best_piece);
                    best_piece = p;
                } else {
                    jmap_word_unref(p);
                }
            }
        }
        if (q < s->b)
            width += lw(s, q);
    }
    if (best < 0)
        best = s->b; /* no grapheme boundary inside: the whole word */
    *out = best_piece ? best_piece : piece(f, s, c0, best, true);
    return best;
}

/* One line from segment *k, character *c (inside it when a word was broken): false when only
 * PangoLayout can break it exactly. */
static bool fill_line(filler *f, size_t *k_io, int *c_io, int *rest_io)
{
    size_t k0 = *k_io, first = f->out->n_pieces;
    int c0 = *c_io;
    if (f->wrap < 0) {
        for (size_t k = k0; k < f->n_segs; k++)
            add_piece(f, piece(f, &f->segs[k], k == k0 ? c0 : f->segs[k].a, f->segs[k].b, false));
        end_line(f, first, c0, f->n, false);
        *k_io = f->n_segs;
        return true;
    }
    /* The candidates: the end of each word from here. */
    int acc = 0, best_w = 0;
    long best = -1;
    jmap_word *head = NULL; /* the rest of a broken word, shaped when it matters */
    for (size_t k = k0; k < f->n_segs; k++) {
        const seg *s = &f->segs[k];
        int sw = k == k0 ? *rest_io : s->w->width;
        acc += sw;
        int ext = break_extra(f, s, s->b), cw = acc + ext;
        if (best >= 0 && (cw < acc ? cw : acc) > f->wrap + s->w->safe)
            break;
        if (cw >= f->wrap - s->w->safe && cw <= f->wrap + s->w->safe) {
            /* Near the width: as shaped, as Pango shapes the line again here. (Far past it
             * no shaping can make it fit: the rest of a long word is not shaped again.) */
            if (k == k0 && c0 > s->a) {
                jmap_word_unref(head);
                head = piece(f, s, c0, s->b, true);
                cw = acc - sw + head->width + shaped_extra(f, s, s->b);
            } else if (needs_hyphen(f, s->b)) {
                jmap_word *h = jmap_words_get(f->words, f->style, f->attrs, f->text + f->boff[s->a],
                                              f->boff[s->b] - f->boff[s->a], true);
                cw = acc - sw + h->width + shaped_extra(f, s, s->b);
                jmap_word_unref(h);
            }
        }
        if (best < 0 || cw <= f->wrap || cw < best_w) {
            best = (long)k;
            best_w = cw;
        }
    }
    const seg *s0 = &f->segs[k0];
    if (best_w > f->wrap) {
        /* Nothing fits: break the first word between graphemes. */
        jmap_word_unref(head);
        if (s0->w->n_runs != 1)
            return false; /* several fonts in a word: PangoLayout's item by item retries */
        jmap_word *p = NULL;
        int q = break_word(f, s0, c0, &p);
        add_piece(f, p);
        end_line(f, first, c0, q, q < f->n);
        if (q == s0->b) {
            *k_io = k0 + 1;
            *c_io = q;
            *rest_io = k0 + 1 < f->n_segs ? f->segs[k0 + 1].w->width : 0;
        } else {
            int placed = 0;
            for (int i = c0; i < q; i++)
                placed += lw(s0, i);
            *c_io = q;
            *rest_io -= placed;
        }
        return true;
    }
    size_t last = (size_t)best;
    bool wrapped = last + 1 < f->n_segs;
    for (size_t k = k0; k <= last; k++) {
        const seg *s = &f->segs[k];
        bool hyphen = wrapped && k == last && needs_hyphen(f, s->b);
        if (k == k0 && c0 > s->a) {
            if (!head || hyphen != needs_hyphen(f, s->b)) {
                jmap_word_unref(head);
                head = piece(f, s, c0, s->b, hyphen);
            }
            add_piece(f, head);
            head = NULL;
        } else if (hyphen) {
            add_piece(f, jmap_words_get(f->words, f->style, f->attrs, f->text + f->boff[s->a],
                                        f->boff[s->b] - f->boff[s->a], true));
        } else {
            s->w->refs++;
            add_piece(f, s->w);
        }
    }
    jmap_word_unref(head);
    end_line(f, first, c0, f->segs[last].b, wrapped);
    *k_io = last + 1;
    *c_io = f->segs[last].b;
    *rest_io = wrapped ? f->segs[last + 1].w->width : 0;
    return true;
}

/* Append the glyphs of `w` as (font, glyph, advance, x offset, y offset). */
static void glyphs_of(const jmap_word *w, GArray *out)
{
    for (int r = 0; r < w->n_runs; r++) {
        const PangoGlyphString *g = w->runs[r].glyphs;
        for (int i = 0; i < g->num_glyphs; i++) {
            const PangoGlyphInfo *gi = &g->glyphs[i];
            intptr_t v[5] = {(intptr_t)w->runs[r].item->analysis.font, (intptr_t)gi->glyph,
                             gi->geometry.width, gi->geometry.x_offset, gi->geometry.y_offset};
            g_array_append_vals(out, v, 5);
        }
    }
}

/*
 * A word of symbols (no letter, no digit) is shaped the same alone as between its neighbours.
 * Fonts' contextual alternates can look across a space: Inter raises "•" before a capital, so
 * "• Book" shaped as one text has another bullet than "• " and "Book" shaped apart. Such
 * words are few ("⚠ ", "★ ", "• " before a text): shaping them with their neighbours costs
 * little and tells.
 */
static bool alone_as_in_context(const filler *f, size_t i)
{
    size_t from = i > 0 ? i - 1 : i, to = i + 1 < f->n_segs ? i + 1 : i;
    int b0 = f->boff[f->segs[from].a], b1 = f->boff[f->segs[to].b];
    jmap_word *ctx = jmap_words_shape(f->words, f->attrs, f->text + b0, b1 - b0, false);
    GArray *whole = g_array_new(FALSE, FALSE, sizeof(intptr_t));
    GArray *apart = g_array_new(FALSE, FALSE, sizeof(intptr_t));
    glyphs_of(ctx, whole);
    for (size_t k = from; k <= to; k++)
        glyphs_of(f->segs[k].w, apart);
    bool same = whole->len == apart->len &&
                (whole->len == 0 ||
                 memcmp(whole->data, apart->data, whole->len * sizeof(intptr_t)) == 0);
    g_array_free(whole, TRUE);
    g_array_free(apart, TRUE);
    jmap_word_unref(ctx);
    return same;
}

void jmap_word_lines_free(jmap_word_lines *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n_pieces; i++) {
        jmap_word_unref(l->pieces[i].word);
        if (l->pieces[i].tail)
            pango_glyph_string_free(l->pieces[i].tail);
    }
    free(l->pieces);
    free(l->lines);
    *l = (jmap_word_lines){.first_missing = -1};
}

bool jmap_words_fill(jmap_words *w, size_t style, PangoAttrList *attrs, PangoLanguage *lang,
                     const char *text, int wrap, int line_height, unsigned max_lines,
                     jmap_word_lines *out)
{
    *out = (jmap_word_lines){.first_missing = -1};
    int len = (int)strlen(text);
    int n = (int)g_utf8_strlen(text, len);
    if (n == 0)
        return false;
    filler f = {.words = w,
                .style = style,
                .attrs = attrs,
                .text = text,
                .n = n,
                .wrap = wrap,
                .lh = line_height,
                .max_lines = max_lines,
                .out = out};
    f.la = jmap_xcalloc((size_t)n + 1, sizeof *f.la);
    pango_get_log_attrs(text, len, 0, lang, f.la, n + 1);
    f.boff = jmap_xmalloc(((size_t)n + 1) * sizeof *f.boff);
    int c = 0;
    for (const char *p = text; *p; p = g_utf8_next_char(p))
        f.boff[c++] = (int)(p - text);
    f.boff[n] = len;
    /* The words: from one line-break opportunity to the next. */
    size_t cap = 0;
    int from = 0;
    for (int i = 1; i <= n; i++) {
        if (i < n && !f.la[i].is_line_break)
            continue;
        f.segs = jmap_xgrow(f.segs, &cap, f.n_segs + 1, sizeof *f.segs);
        jmap_word *wd = jmap_words_get(w, style, attrs, text + f.boff[from],
                                       f.boff[i] - f.boff[from], false);
        f.segs[f.n_segs++] = (seg){.a = from, .b = i, .w = wd};
        from = i;
    }
    /* Hex boxes (a script no installed font has) are measured by PangoLayout, whose line
     * heights around them jmap does not reproduce; jmap warns about them anyway. A word of
     * symbols alone ("• ", "⚠ ") may be shaped otherwise beside its neighbours: checked. */
    bool ok = true;
    for (size_t i = 0; ok && i < f.n_segs; i++) {
        const jmap_word *wd = f.segs[i].w;
        ok = wd->alnum || alone_as_in_context(&f, i);
        for (int r = 0; ok && r < wd->n_runs; r++) {
            const PangoGlyphString *g = wd->runs[r].glyphs;
            for (int k = 0; ok && k < g->num_glyphs; k++)
                ok = !(g->glyphs[k].glyph & PANGO_GLYPH_UNKNOWN_FLAG);
        }
    }
    size_t k = 0;
    int at = 0, rest = f.segs[0].w->width;
    while (ok && k < f.n_segs) {
        if (out->n_lines >= max_lines) {
            ok = false; /* PangoLayout ellipsizes the last line: its own */
            break;
        }
        ok = fill_line(&f, &k, &at, &rest);
    }
    for (size_t i = 0; i < f.n_segs; i++)
        jmap_word_unref(f.segs[i].w);
    free(f.segs);
    free(f.boff);
    free(f.la);
    if (!ok)
        jmap_word_lines_free(out);
    return ok;
}
