#include "jmap/layout.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "jmap/sanitize.h"

/*
 * The scene as text, one line per row, column and primitive, every number "%.2f" (with -0.00
 * printed as 0.00), so golden files are stable and diffs show what moved.
 */

static void num(FILE *out, double v)
{
    if (fabs(v) < 0.005)
        v = 0;
    fprintf(out, " %.2f", v);
}

static void color(FILE *out, const char *key, jmap_color c)
{
    fprintf(out, " %s=#%02x%02x%02x%02x", key, c.r, c.g, c.b, c.a);
}

/* A text in quotes, with what the sanitiser escapes shown the same way (the `[` of GitHub's
 * legacy `##[command]` too): the dump goes to a terminal or a CI log as often as to a file. */
static void quoted(FILE *out, const char *s)
{
    fputc('"', out);
    const char *p = s ? s : "";
    size_t len = strlen(p);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)p[i];
        uint32_t cp = 0;
        size_t n = jmap_utf8_decode(p + i, len - i, &cp);
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (n == 0 || (cp < 0x80 && jmap_sanitize_escapes(cp)) ||
                 (c == '[' && i >= 2 && p[i - 1] == '#' && p[i - 2] == '#'))
            fprintf(out, "\\x%02x", c);
        else if (jmap_sanitize_escapes(cp))
            fprintf(out, "\\u%04x", (unsigned)cp);
        else
            fwrite(p + i, 1, n, out);
        i += n ? n : 1;
    }
    fputc('"', out);
}

static const char *kind_name(jmap_prim_kind k)
{
    switch (k) {
    case JMAP_PRIM_RECT:
        return "rect";
    case JMAP_PRIM_TEXT:
        return "text";
    case JMAP_PRIM_LINE:
        return "line";
    case JMAP_PRIM_CURVE:
        return "curve";
    case JMAP_PRIM_MARKER:
        return "marker";
    case JMAP_PRIM_LINK:
        return "link";
    }
    return "?";
}

static void prim(FILE *out, size_t i, const jmap_prim *p)
{
    static const char *const shapes[] = {"circle", "square", "triangle", "diamond"};
    static const char *const aligns[] = {"left", "center", "right"};
    fprintf(out, "%zu %s %s", i, kind_name(p->kind), p->role ? p->role : "-");
    num(out, p->box.x);
    num(out, p->box.y);
    num(out, p->box.w);
    num(out, p->box.h);
    switch (p->kind) {
    case JMAP_PRIM_RECT:
    case JMAP_PRIM_MARKER:
        color(out, "fill", p->fill);
        color(out, "stroke", p->stroke);
        fputs(" sw", out);
        num(out, p->stroke_width);
        if (p->kind == JMAP_PRIM_RECT) {
            fputs(" r", out);
            num(out, p->radius);
        } else {
            fprintf(out, " %s", shapes[(unsigned)p->marker % 4]);
        }
        break;
    case JMAP_PRIM_TEXT:
        fprintf(out, " font=");
        quoted(out, p->font.family);
        num(out, p->font.size);
        fprintf(out, " w%d%s%s%s", p->font.weight, p->font.italic ? " italic" : "",
                p->font.tabular ? " tnum" : "", p->font.uppercase ? " caps" : "");
        if (p->font.letter_spacing != 0) {
            fputs(" ls", out);
            num(out, p->font.letter_spacing);
        }
        color(out, "color", p->color);
        fprintf(out, " %s", aligns[(unsigned)p->align % 3]);
        if (p->cell == JMAP_NONE)
            fputs(" cell=-", out);
        else
            fprintf(out, " cell=%zu", p->cell);
        if (p->src.line)
            fprintf(out, " at=%u:%u", p->src.line, p->src.col);
        fputc(' ', out);
        quoted(out, p->text);
        break;
    case JMAP_PRIM_LINE:
    case JMAP_PRIM_CURVE:
        color(out, "stroke", p->stroke);
        fputs(" sw", out);
        num(out, p->stroke_width);
        if (p->dash_on != 0 || p->dash_off != 0) {
            fputs(" dash", out);
            num(out, p->dash_on);
            num(out, p->dash_off);
        }
        fputs(" pts", out);
        for (size_t k = 0; k < p->n_pts; k++) {
            num(out, p->pts[k].x);
            num(out, p->pts[k].y);
        }
        break;
    case JMAP_PRIM_LINK:
        fputc(' ', out);
        quoted(out, p->url);
        break;
    }
    fputc('\n', out);
}

void jmap_layout_dump(const jmap_scene *s, FILE *out)
{
    fputs("scene", out);
    num(out, s->width);
    num(out, s->height);
    color(out, "background", s->background);
    fputc(' ', out);
    quoted(out, s->title);
    fputc('\n', out);
    for (size_t r = 0; r < s->n_rows; r++) {
        const char *name = jmap_lane_name(s->rows[r].lane);
        fprintf(out, "row %s", name ? name : "?");
        num(out, s->rows[r].y);
        num(out, s->rows[r].h);
        fputc('\n', out);
    }
    for (size_t c = 0; c < s->n_cols; c++) {
        fprintf(out, "col stage=%zu", s->cols[c].stage_ix);
        if (s->cols[c].touchpoint_ix == JMAP_NONE)
            fputs(" touchpoint=-", out);
        else
            fprintf(out, " touchpoint=%zu", s->cols[c].touchpoint_ix);
        num(out, s->cols[c].x);
        num(out, s->cols[c].w);
        fputc('\n', out);
    }
    for (size_t i = 0; i < s->n_prims; i++)
        prim(out, i, &s->prims[i]);
}
