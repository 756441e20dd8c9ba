#include "jmap/layout.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/fonts.h"
#include "jmap/sanitize.h"
#include "layout_internal.h"

/* Growing the scene and measuring text: the helpers every lane uses. */

jmap_prim *lay_push(lay *L, jmap_prim_kind kind, const char *role)
{
    jmap_scene *s = L->s;
    if (s->n_prims == L->cap_prims) {
        /* Geometric growth inside the arena: the old arrays are left behind, at most as much
         * again as the final ones. */
        size_t cap = L->cap_prims ? L->cap_prims * 2 : 256;
        jmap_prim *p = jmap_arena_calloc(L->a, cap, sizeof *p);
        lay_meta *m = jmap_arena_calloc(L->a, cap, sizeof *m);
        if (s->n_prims) {
            memcpy(p, s->prims, s->n_prims * sizeof *p);
            memcpy(m, L->meta, s->n_prims * sizeof *m);
        }
        s->prims = p;
        L->meta = m;
        L->cap_prims = cap;
    }
    jmap_prim *p = &s->prims[s->n_prims];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->role = role;
    p->cell = JMAP_NONE;
    L->meta[s->n_prims] = (lay_meta){.row = L->row, .grow = false};
    s->n_prims++;
    return p;
}

size_t lay_rect(lay *L, const char *role, jmap_rect box, jmap_color fill, jmap_color stroke,
                double stroke_w, double radius)
{
    jmap_prim *p = lay_push(L, JMAP_PRIM_RECT, role);
    p->box = box;
    p->fill = fill;
    p->stroke = stroke;
    p->stroke_width = stroke.a ? stroke_w : 0;
    p->radius = radius;
    return L->s->n_prims - 1;
}

jmap_font lay_font(const lay *L, jmap_text_style style)
{
    const jmap_theme_font *tf = &L->t->type.style[style];
    jmap_font f = {
        .family = L->t->font_family, .size = tf->size, .weight = tf->weight, .italic = tf->italic};
    return f;
}

jmap_font lay_caps(const lay *L)
{
    jmap_font f = lay_font(L, JMAP_STYLE_LABEL);
    f.letter_spacing = L->t->type.caps_spacing;
    f.uppercase = true;
    return f;
}

jmap_text_size lay_measure(lay *L, const char *text, const jmap_font *f, double w)
{
    return L->tm->measure(L->tm->ctx, text, f, w);
}

/* True the first time a location is seen: one warning per value, however often it is drawn. */
static bool first_time(lay *L, jmap_loc at)
{
    return lay_once(L, at, LAY_ONCE_MISSING_GLYPH);
}

bool lay_once(lay *L, jmap_loc at, unsigned what)
{
    uint64_t key = ((uint64_t)at.line << 32) ^ at.col ^ ((uint64_t)(uintptr_t)at.file << 12);
    key ^= (uint64_t)what * 0x9e3779b97f4a7c15ull;
    if (key == 0)
        key = 1;
    if (2 * (L->n_warned + 1) > L->cap_warned) {
        size_t cap = L->cap_warned ? L->cap_warned * 2 : 64;
        uint64_t *t = jmap_arena_calloc(L->a, cap, sizeof *t);
        for (size_t i = 0; i < L->cap_warned; i++) {
            uint64_t k = L->warned[i];
            if (!k)
                continue;
            size_t j = (size_t)(k * 0x9e3779b97f4a7c15ull) & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = k;
        }
        L->warned = t;
        L->cap_warned = cap;
    }
    size_t j = (size_t)(key * 0x9e3779b97f4a7c15ull) & (L->cap_warned - 1);
    while (L->warned[j]) {
        if (L->warned[j] == key)
            return false;
        j = (j + 1) & (L->cap_warned - 1);
    }
    L->warned[j] = key;
    L->n_warned++;
    return true;
}

static void warn_missing(lay *L, const char *text, const jmap_text_size *ts, jmap_loc at)
{
    /* A control or invisible character has no glyph in any font: installing one would not
     * help, and the check pass reports control characters as errors already. */
    if (at.line == 0 || jmap_sanitize_escapes(ts->first_missing) || !first_time(L, at))
        return;
    char glyph[5];
    glyph[jmap_utf8_encode(ts->first_missing, glyph)] = '\0';
    /* quote at most 24 code points of the text, sanitised like everything jmap prints */
    size_t n = jmap_utf8_advance(text, strlen(text), 24);
    char *quoted = jmap_sanitize_n(text, n);
    jmap_diag_add(L->d, JMAP_SEV_WARNING, "missing-glyph", at,
                  "no installed font can draw '%s' in '%s%s'", glyph, quoted, text[n] ? "…" : "");
    free(quoted);
    const char *pkg = jmap_fonts_package_for(ts->first_missing);
    if (pkg)
        jmap_diag_hint(L->d, "install %s", pkg);
}

double lay_text(lay *L, const char *role, const char *text, const jmap_font *f, jmap_color color,
                double x, double y, double w, jmap_align align, jmap_loc src, size_t cell)
{
    jmap_text_size ts;
    text = lay_fit(L, role, NULL, text, NULL, f, w, src, &ts);
    return lay_put_text(L, role, text, &ts, f, color, x, y, w, align, src, cell);
}

double lay_put_text(lay *L, const char *role, const char *text, const jmap_text_size *size,
                    const jmap_font *f, jmap_color color, double x, double y, double w,
                    jmap_align align, jmap_loc src, size_t cell)
{
    jmap_text_size ts = *size;
    if (ts.missing > 0)
        warn_missing(L, text, &ts, src);
    jmap_prim *p = lay_push(L, JMAP_PRIM_TEXT, role);
    p->box = (jmap_rect){x, y, w, ts.h};
    p->text = text;
    p->font = *f;
    p->color = color;
    p->align = align;
    p->src = src;
    p->cell = cell;
    return ts.h;
}

jmap_point *lay_points(lay *L, size_t n)
{
    return jmap_arena_calloc(L->a, n ? n : 1, sizeof(jmap_point));
}

void lay_marker(lay *L, const char *role, jmap_point c, double size, int shape, jmap_color fill,
                jmap_color stroke, double stroke_w)
{
    jmap_prim *p = lay_push(L, JMAP_PRIM_MARKER, role);
    p->box = (jmap_rect){c.x - size / 2, c.y - size / 2, size, size};
    p->marker = (jmap_marker_shape)shape;
    p->fill = fill;
    p->stroke = stroke;
    p->stroke_width = stroke_w;
}

double lay_col_center(const lay *L, size_t col)
{
    return L->s->cols[col].x + L->s->cols[col].w / 2;
}
