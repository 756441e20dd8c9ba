#include "render_svg_layer.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/url.h"

/*
 * The SVG's text layer, summary and links, added to Cairo's stream. The root tag is held until
 * its '>' to add the attributes and the <title>/<desc> after it; the last bytes are always held
 * back so the layer can go before the closing </svg>. Texts are untrusted: every one goes
 * through xml_put, which escapes markup and drops what XML 1.0 cannot hold.
 */

#define ROOT_MAX 4096 /* bytes looked through for the root tag before giving up */
#define TAIL 16       /* bytes held back for the closing "</svg>\n" */
#define TITLE_ID "jmap-title"
#define DESC_ID "jmap-desc"

typedef struct line {
    size_t prim, no; /* the text prim and the line's number in it */
    int group;       /* reading order: see order_key */
    size_t a, b, c;  /* ... and the keys inside the group */
    double x, y, w;  /* start of the baseline and the measured width, points */
    char *text;
} line;

struct jmap_svg_layer {
    const jmap_scene *s;
    const jmap_render_opts *o;
    jmap_write_fn write;
    void *closure;
    bool failed, root_done;
    jmap_strbuf held; /* the document's head until the root tag ends, then the tail */
    line *lines;
    size_t n_lines, cap_lines;
};

static void out(jmap_svg_layer *y, const void *p, size_t n)
{
    if (n > 0 && !y->failed && !y->write(y->closure, p, n))
        y->failed = true;
}

jmap_svg_layer *jmap_svg_layer_new(const jmap_scene *s, const jmap_render_opts *o,
                                   jmap_write_fn write, void *closure)
{
    jmap_svg_layer *y = jmap_xmalloc(sizeof *y);
    *y = (jmap_svg_layer){.s = s, .o = o, .write = write, .closure = closure};
    return y;
}

void jmap_svg_layer_free(jmap_svg_layer *y)
{
    if (!y)
        return;
    for (size_t i = 0; i < y->n_lines; i++)
        free(y->lines[i].text);
    free(y->lines);
    free(y->held.s);
    free(y);
}

/* ---- escaping and numbers ---------------------------------------------------------------- */

/* Length of the UTF-8 sequence at p by its lead byte; 1 for a byte that leads nothing. */
static size_t seq_len(const unsigned char *p)
{
    if (p[0] >= 0xf0 && p[0] < 0xf8)
        return 4;
    if (p[0] >= 0xe0 && p[0] < 0xf0)
        return 3;
    if (p[0] >= 0xc0 && p[0] < 0xe0)
        return 2;
    return 1;
}

/* Append `s` as XML character data or attribute value: markup escaped; C0 controls (but tab,
 * newline and carriage return, written as references), U+FFFE, U+FFFF and broken bytes, which
 * XML 1.0 cannot hold, become U+FFFD. */
static void xml_put(jmap_strbuf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = seq_len(p);
        const char *rep = NULL;
        bool bad = false;
        if (n == 1) {
            switch (*p) {
            case '&':
                rep = "&amp;";
                break;
            case '<':
                rep = "&lt;";
                break;
            case '>':
                rep = "&gt;";
                break;
            case '"':
                rep = "&quot;";
                break;
            case '\'':
                rep = "&apos;";
                break;
            case '\t':
                rep = "&#9;";
                break;
            case '\n':
                rep = "&#10;";
                break;
            case '\r':
                rep = "&#13;";
                break;
            default:
                bad = *p < 0x20 || *p >= 0x80;
                break;
            }
        } else if (n == 3 && p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
            bad = true;
        } else {
            for (size_t k = 1; k < n; k++)
                bad = bad || (p[k] & 0xc0) != 0x80;
            if (bad)
                n = 1;
        }
        if (bad)
            rep = "\xef\xbf\xbd";
        if (rep)
            jmap_strbuf_puts(b, rep);
        else
            jmap_strbuf_put(b, (const char *)p, n);
        p += n;
    }
}

/* A number as SVG wants it, the same in every locale: at most two decimals, no trailing 0. */
static void num_put(jmap_strbuf *b, double v)
{
    char buf[48];
    long long c = isfinite(v) ? llround(v * 100) : 0;
    unsigned long long m = c < 0 ? (unsigned long long)-(c + 1) + 1 : (unsigned long long)c;
    int n = snprintf(buf, sizeof buf, "%s%llu", c < 0 ? "-" : "", m / 100);
    if (m % 100)
        snprintf(buf + n, sizeof buf - (size_t)n, m % 10 ? ".%02llu" : ".%llu",
                 m % 10 ? m % 100 : m % 100 / 10);
    jmap_strbuf_puts(b, buf);
}

static void attr_num(jmap_strbuf *b, const char *name, double v)
{
    jmap_strbuf_puts(b, name);
    jmap_strbuf_puts(b, "=\"");
    num_put(b, v);
    jmap_strbuf_puts(b, "\"");
}

static void attr_str(jmap_strbuf *b, const char *name, const char *v)
{
    jmap_strbuf_puts(b, name);
    jmap_strbuf_puts(b, "=\"");
    xml_put(b, v);
    jmap_strbuf_puts(b, "\"");
}

/* ---- reading order ----------------------------------------------------------------------- */

static bool starts(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static size_t find_row(const jmap_scene *s, double y)
{
    for (size_t i = 0; i < s->n_rows; i++) {
        if (y >= s->rows[i].y && y < s->rows[i].y + s->rows[i].h)
            return i;
    }
    return SIZE_MAX;
}

static size_t find_col(const jmap_scene *s, double x)
{
    for (size_t i = 0; i < s->n_cols; i++) {
        if (x >= s->cols[i].x && x < s->cols[i].x + s->cols[i].w)
            return i;
    }
    return SIZE_MAX;
}

/*
 * Title and header (above the grid, top to bottom, left to right), the legend (in drawing
 * order: persona by persona), the lane labels (top to bottom), then the grid stage by stage,
 * lane by lane, touchpoint by touchpoint, and last what is left (top to bottom). A text belongs
 * to the row and column its top-left corner (nudged a point inside) falls in.
 */
static void order_key(const jmap_scene *s, const jmap_prim *p, line *l)
{
    double x = p->box.x + 1, y = p->box.y + 1;
    size_t row = find_row(s, y), col = find_col(s, x);
    double top = s->n_rows > 0 ? s->rows[0].y : 0;
    l->a = l->b = l->c = 0;
    if (starts(p->role, "legend")) {
        l->group = 1;
    } else if (row == SIZE_MAX && y < top) {
        l->group = 0;
        l->a = (size_t)fmax(0, y * 100);
        l->b = (size_t)fmax(0, x * 100);
    } else if (row != SIZE_MAX && col == SIZE_MAX && s->n_cols > 0 && x < s->cols[0].x) {
        l->group = 2;
        l->a = row;
    } else if (row != SIZE_MAX && col != SIZE_MAX) {
        l->group = 3;
        l->a = s->cols[col].stage_ix;
        l->b = row;
        l->c = col;
    } else {
        l->group = 4;
        l->a = (size_t)fmax(0, y * 100);
        l->b = (size_t)fmax(0, x * 100);
    }
}

static int cmp_size(size_t a, size_t b)
{
    return a < b ? -1 : a > b;
}

static int line_cmp(const void *pa, const void *pb)
{
    const line *a = pa, *b = pb;
    int r = a->group - b->group;
    if (!r)
        r = cmp_size(a->a, b->a);
    if (!r)
        r = cmp_size(a->b, b->b);
    if (!r)
        r = cmp_size(a->c, b->c);
    if (!r)
        r = cmp_size(a->prim, b->prim);
    return r ? r : cmp_size(a->no, b->no);
}

/* ---- collecting the lines ---------------------------------------------------------------- */

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void jmap_svg_layer_add_text(jmap_svg_layer *y, const jmap_prim *p, const jmap_text_line *lines,
                             size_t n_lines)
{
    size_t no = 0;
    for (size_t i = 0; i < n_lines; i++) {
        const char *text = lines[i].text;
        size_t from = 0, n = strlen(text);
        while (n > 0 && is_space((unsigned char)text[from + n - 1]))
            n--;
        while (n > 0 && is_space((unsigned char)text[from])) {
            from++;
            n--;
        }
        if (n == 0)
            continue;
        line li = {
            .prim = (size_t)(p - y->s->prims),
            .no = no++,
            .x = p->box.x + lines[i].x,
            .y = p->box.y + lines[i].baseline,
            .w = lines[i].w,
            .text = jmap_xstrndup(text + from, n),
        };
        order_key(y->s, p, &li);
        y->lines = jmap_xgrow(y->lines, &y->cap_lines, y->n_lines + 1, sizeof *y->lines);
        y->lines[y->n_lines++] = li;
    }
}

/* ---- writing ----------------------------------------------------------------------------- */

static const char *title_of(const jmap_svg_layer *y)
{
    return y->o->title && *y->o->title ? y->o->title : y->s->title;
}

static void root_attrs(const jmap_svg_layer *y, jmap_strbuf *b)
{
    jmap_strbuf_puts(b, " role=\"img\"");
    if (title_of(y) && *title_of(y))
        jmap_strbuf_puts(b, " aria-labelledby=\"" TITLE_ID "\"");
    if (y->o->summary && *y->o->summary)
        jmap_strbuf_puts(b, " aria-describedby=\"" DESC_ID "\"");
    /* xml:lang for SVG 1.1 and XML tools, lang for SVG 2 and an SVG inlined in HTML. */
    if (y->o->lang && *y->o->lang) {
        attr_str(b, " xml:lang", y->o->lang);
        attr_str(b, " lang", y->o->lang);
    }
}

/* A BCP 47 tag whose primary language is English: "en", "EN-gb". */
static bool english(const char *lang)
{
    return (lang[0] == 'e' || lang[0] == 'E') && (lang[1] == 'n' || lang[1] == 'N') &&
           (lang[2] == '\0' || lang[2] == '-');
}

static void head_elements(const jmap_svg_layer *y, jmap_strbuf *b)
{
    if (title_of(y) && *title_of(y)) {
        jmap_strbuf_puts(b, "<title id=\"" TITLE_ID "\">");
        xml_put(b, title_of(y));
        jmap_strbuf_puts(b, "</title>\n");
    }
    if (y->o->summary && *y->o->summary) {
        /* jmap writes the summary in English whatever the map's texts are in (format.md). */
        jmap_strbuf_puts(b, "<desc id=\"" DESC_ID "\"");
        if (y->o->lang && *y->o->lang && !english(y->o->lang))
            jmap_strbuf_puts(b, " xml:lang=\"en\" lang=\"en\"");
        jmap_strbuf_puts(b, ">");
        xml_put(b, y->o->summary);
        jmap_strbuf_puts(b, "</desc>\n");
    }
}

static void font_attrs(jmap_strbuf *b, const jmap_font *f)
{
    if (f->family)
        attr_str(b, " font-family", f->family);
    attr_num(b, " font-size", f->size);
    if (f->weight && f->weight != 400) {
        jmap_strbuf_puts(b, " ");
        attr_num(b, "font-weight", f->weight);
    }
    if (f->italic)
        jmap_strbuf_puts(b, " font-style=\"italic\"");
}

static void text_layer(jmap_svg_layer *y, jmap_strbuf *b)
{
    if (y->n_lines == 0)
        return;
    qsort(y->lines, y->n_lines, sizeof *y->lines, line_cmp);
    /* fill-opacity 0, not visibility or display: hidden text cannot be found or selected. */
    jmap_strbuf_puts(b, "<g id=\"jmap-text\" fill=\"#000\" fill-opacity=\"0\" stroke=\"none\" "
                        "xml:space=\"preserve\">\n");
    for (size_t i = 0; i < y->n_lines; i++) {
        const line *l = &y->lines[i];
        const jmap_prim *p = &y->s->prims[l->prim];
        jmap_strbuf_puts(b, "<text");
        attr_num(b, " x", l->x);
        attr_num(b, " y", l->y);
        font_attrs(b, &p->font);
        if (l->w > 0) {
            attr_num(b, " textLength", l->w);
            jmap_strbuf_puts(b, " lengthAdjust=\"spacingAndGlyphs\"");
        }
        jmap_strbuf_puts(b, ">");
        xml_put(b, l->text);
        jmap_strbuf_puts(b, "</text>\n");
    }
    jmap_strbuf_puts(b, "</g>\n");
}

/* The name of the touchpoint whose card has the box `box`: what a screen reader says for the
 * card's link, which holds only a transparent rectangle. NULL when there is none. */
static const char *card_name(const jmap_scene *s, jmap_rect box)
{
    for (size_t i = 0; i < s->n_prims; i++) {
        const jmap_prim *p = &s->prims[i];
        if (p->kind != JMAP_PRIM_TEXT || !p->text || p->cell >= s->n_prims ||
            strcmp(p->role ? p->role : "", "card-name") != 0)
            continue;
        jmap_rect c = s->prims[p->cell].box;
        if (c.x == box.x && c.y == box.y && c.w == box.w)
            return p->text;
    }
    return NULL;
}

/* The same area and URL as the PDF's link annotation (render_paint.c), in scene units. */
static void links(const jmap_svg_layer *y, jmap_strbuf *b)
{
    bool open = false;
    for (size_t i = 0; i < y->s->n_prims; i++) {
        const jmap_prim *p = &y->s->prims[i];
        if (p->kind != JMAP_PRIM_LINK || !p->url || !*p->url)
            continue;
        if (!open)
            jmap_strbuf_puts(b, "<g id=\"jmap-links\" fill=\"#000\" fill-opacity=\"0\" "
                                "stroke=\"none\">\n");
        open = true;
        char *url = jmap_url_normalize(p->url);
        jmap_strbuf_puts(b, "<a");
        attr_str(b, " href", url);
        attr_str(b, " xlink:href", url);
        const char *name = card_name(y->s, p->box);
        if (name && *name)
            attr_str(b, " aria-label", name);
        jmap_strbuf_puts(b, "><rect");
        attr_num(b, " x", p->box.x);
        attr_num(b, " y", p->box.y);
        attr_num(b, " width", p->box.w);
        attr_num(b, " height", p->box.h);
        jmap_strbuf_puts(b, "/></a>\n");
        free(url);
    }
    if (open)
        jmap_strbuf_puts(b, "</g>\n");
}

/* Pass on all but the last TAIL bytes held. */
static void flush_tail(jmap_svg_layer *y)
{
    if (y->held.len <= TAIL)
        return;
    size_t n = y->held.len - TAIL;
    out(y, y->held.s, n);
    memmove(y->held.s, y->held.s + n, TAIL + 1);
    y->held.len = TAIL;
}

/* The root tag is whole in `held`: add to it, pass it on, and hold the tail from now on. */
static void finish_root(jmap_svg_layer *y)
{
    y->root_done = true;
    jmap_strbuf h = y->held;
    y->held = (jmap_strbuf){0};
    char *svg = h.s ? strstr(h.s, "<svg") : NULL;
    char *gt = svg ? strchr(svg, '>') : NULL;
    if (!gt || gt[-1] == '/') {
        /* Not Cairo's document: passed on untouched. */
        jmap_strbuf_put(&y->held, h.s ? h.s : "", h.len);
    } else {
        jmap_strbuf_put(&y->held, h.s, (size_t)(gt - h.s));
        root_attrs(y, &y->held);
        jmap_strbuf_puts(&y->held, ">\n");
        head_elements(y, &y->held);
        const char *rest = gt + 1;
        if (*rest == '\n')
            rest++;
        jmap_strbuf_puts(&y->held, rest);
    }
    free(h.s);
    flush_tail(y);
}

bool jmap_svg_layer_put(void *layer, const unsigned char *data, size_t len)
{
    jmap_svg_layer *y = layer;
    if (len == 0)
        return !y->failed;
    if (y->root_done && len > TAIL) {
        /* Cairo writes its page in one piece as large as the document (tens of MB for a large
         * map): pass it on from where it is, holding back only its last TAIL bytes. */
        out(y, y->held.s, y->held.len);
        out(y, data, len - TAIL);
        y->held.len = 0;
        jmap_strbuf_put(&y->held, (const char *)data + len - TAIL, TAIL);
        return !y->failed;
    }
    jmap_strbuf_put(&y->held, (const char *)data, len);
    if (!y->root_done) {
        /* The root tag and the byte after it, to replace its newline. */
        char *svg = strstr(y->held.s, "<svg");
        char *gt = svg ? strchr(svg, '>') : NULL;
        if ((gt && gt[1]) || y->held.len > ROOT_MAX)
            finish_root(y);
    } else if (y->held.len > 2 * TAIL) {
        flush_tail(y);
    }
    return !y->failed;
}

bool jmap_svg_layer_end(jmap_svg_layer *y)
{
    if (!y->root_done)
        finish_root(y);
    const char *h = y->held.s ? y->held.s : "";
    const char *end = NULL;
    for (const char *p = strstr(h, "</svg>"); p; p = strstr(p + 1, "</svg>"))
        end = p;
    if (!end) {
        out(y, h, y->held.len);
        y->held.len = 0;
        return !y->failed;
    }
    jmap_strbuf b = {0};
    jmap_strbuf_put(&b, h, (size_t)(end - h));
    text_layer(y, &b);
    links(y, &b);
    jmap_strbuf_puts(&b, end);
    out(y, b.s, b.len);
    free(b.s);
    y->held.len = 0;
    return !y->failed;
}
