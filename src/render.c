#include "jmap/render.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include "jmap/arena.h"
#include "jmap/provenance.h"
#include "jmap/sanitize.h"
#include "render_internal.h"
#include "render_pdf_pack.h"
#include "render_pdf_tags.h"
#include "text_pango.h"

/*
 * The render pass: one surface per format, the same painting on each, and the bytes streamed
 * out. Output is reproducible: PDF dates only from SOURCE_DATE_EPOCH, SVG surface ids
 * independent of what the process drew before, and a stamp of names and versions only.
 */

#define PNG_MAX_SIDE 32767
#define PNG_MAX_PIXELS 400e6
#define PDF_MAX_PAGE 14400.0 /* points (200 inches): the largest page Adobe Acrobat opens */
/*
 * Cairo holds coordinates as 24.8 fixed point, so it can address only +-2^23 (8,388,608)
 * units; past that its clipping and region code (pixman_region32_union under
 * cairo_surface_finish) no longer ends, and just below it already takes seconds. A scene whose
 * side is over half of that is refused before anything is drawn: the margin covers strokes,
 * text extents and shadows that reach past the scene's edge. A real map is a few thousand
 * points a side; 4,000,000 points is 1.4 km of paper.
 */
#define VECTOR_MAX_SIDE 4000000.0

/*
 * Cairo numbers SVG surfaces from a process-wide counter (<g id="surface5">), so the same scene
 * would give different bytes after other surfaces were made. The SVG is renumbered from 1 in
 * order of appearance, in ids and in references to them, as it streams through: no copy of the
 * document is made. A few bytes that may begin a name are held back until the next write.
 */
#define SURFACE_WORD "surface"
#define HOLD 32 /* longer than "surface" and any number Cairo writes */

typedef struct renumber {
    unsigned long *seen;
    size_t n_seen, cap_seen;
    unsigned char back[4];        /* the last input bytes passed on, for the look-behind */
    unsigned char held[4 * HOLD]; /* input not yet scanned */
    size_t n_held;
} renumber;

/* Where Cairo's bytes go: to the caller, renumbered on the way when `svg`. */
typedef struct sink {
    jmap_write_fn write;
    void *closure;
    bool failed; /* the caller's write failed */
    bool svg;
    renumber r;
    bool hold;        /* PDF: kept whole to be tagged and packed (render_pdf_pack.h) */
    jmap_strbuf held; /* what Cairo wrote, when `hold` */
} sink;

static void pass(sink *k, const void *p, size_t n)
{
    if (n > 0 && !k->failed && !k->write(k->closure, p, n))
        k->failed = true;
}

/* Byte i of buf, where negative i reach back into what was passed on before. */
static unsigned char byte_at(const renumber *r, const unsigned char *buf, ptrdiff_t i)
{
    return i >= 0 ? buf[i] : r->back[4 + i];
}

static bool after_id(const renumber *r, const unsigned char *buf, ptrdiff_t i)
{
    return byte_at(r, buf, i - 4) == 'i' && byte_at(r, buf, i - 3) == 'd' &&
           byte_at(r, buf, i - 2) == '=' && byte_at(r, buf, i - 1) == '"';
}

/* Pass on buf[0..n), renaming surfaces that start before `limit`; returns how far it went
 * (at least `limit`: a name that starts before it is finished). */
static size_t renumber_scan(sink *k, const unsigned char *buf, size_t n, size_t limit)
{
    renumber *r = &k->r;
    const size_t wn = sizeof SURFACE_WORD - 1;
    size_t i = 0, from = 0;
    while (i < limit) {
        const unsigned char *hit = memchr(buf + i, 's', limit - i);
        if (!hit)
            break;
        i = (size_t)(hit - buf);
        ptrdiff_t at = (ptrdiff_t)i;
        if (!(i + wn < n && (byte_at(r, buf, at - 1) == '#' || after_id(r, buf, at)) &&
              memcmp(buf + i, SURFACE_WORD, wn) == 0 && buf[i + wn] >= '0' && buf[i + wn] <= '9')) {
            i++;
            continue;
        }
        size_t j = i + wn;
        unsigned long old = 0;
        for (; j < n && buf[j] >= '0' && buf[j] <= '9'; j++) {
            if (old < 100000000ul)
                old = old * 10 + (unsigned long)(buf[j] - '0');
        }
        size_t x = 0;
        while (x < r->n_seen && r->seen[x] != old)
            x++;
        if (x == r->n_seen) {
            r->seen = jmap_xgrow(r->seen, &r->cap_seen, r->n_seen + 1, sizeof *r->seen);
            r->seen[r->n_seen++] = old;
        }
        char num[32];
        int nn = snprintf(num, sizeof num, "surface%zu", x + 1);
        pass(k, buf + from, i - from);
        pass(k, num, (size_t)nn);
        i = from = j;
    }
    if (i < limit)
        i = limit;
    pass(k, buf + from, i - from);
    unsigned char back[4];
    for (int b = 0; b < 4; b++)
        back[b] = byte_at(r, buf, (ptrdiff_t)i - 4 + b);
    memcpy(r->back, back, 4);
    return i;
}

/* Renumber and pass on n more bytes of the SVG; `last` when there are no more. Every name is
 * scanned with at least HOLD bytes after its start, or with the end of the document. */
static void renumber_feed(sink *k, const unsigned char *data, size_t n, bool last)
{
    static const unsigned char none[1];
    renumber *r = &k->r;
    if (!data)
        data = none;
    if (!last && n < 2 * HOLD) {
        /* Small writes gather in `held` until there is enough to scan. */
        memcpy(r->held + r->n_held, data, n);
        r->n_held += n;
        if (r->n_held > 3 * HOLD) {
            size_t done = renumber_scan(k, r->held, r->n_held, r->n_held - HOLD);
            r->n_held -= done;
            memmove(r->held, r->held + done, r->n_held);
        }
        return;
    }
    size_t off = 0;
    if (r->n_held > 0) {
        /* The held bytes and enough of the new ones to finish a name begun in them. */
        unsigned char joint[6 * HOLD];
        size_t m = n < 2 * HOLD ? n : 2 * HOLD;
        memcpy(joint, r->held, r->n_held);
        memcpy(joint + r->n_held, data, m);
        size_t held = r->n_held;
        r->n_held = 0;
        off = renumber_scan(k, joint, held + m, held) - held;
    }
    size_t rest = n - off;
    size_t limit = last ? rest : rest > HOLD ? rest - HOLD : 0;
    size_t done = renumber_scan(k, data + off, rest, limit);
    r->n_held = rest - done;
    memcpy(r->held, data + off + done, r->n_held);
}

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    sink *k = closure;
    if (k->svg)
        renumber_feed(k, data, length, false);
    else if (k->hold)
        jmap_strbuf_put(&k->held, (const char *)data, length);
    else
        pass(k, data, length);
    return k->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void page_size(jmap_page page, double *w, double *h)
{
    /* Landscape: maps are wide. ISO sizes rounded to 1/100 pt, as most PDF tools write them. */
    switch (page) {
    case JMAP_PAGE_A4:
        *w = 841.89;
        *h = 595.28;
        break;
    case JMAP_PAGE_A3:
        *w = 1190.55;
        *h = 841.89;
        break;
    case JMAP_PAGE_LETTER:
        *w = 792;
        *h = 612;
        break;
    case JMAP_PAGE_FIT:
        break;
    }
}

static void pdf_metadata(cairo_surface_t *surf, const jmap_scene *s, const jmap_render_opts *o)
{
    /* The words about the map (jmap/summary.h), the scene's title when the caller gave none. */
    const char *title = o->title ? o->title : s->title;
    if (title)
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    if (o->summary)
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_SUBJECT, o->summary);
    if (o->keywords)
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_KEYWORDS, o->keywords);
    /* Cairo 1.16 has no way to set the Producer: it stays "cairo 1.16.0 (https://...)". */
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR,
                                   o->stamp ? o->stamp : "jmap " JMAP_VERSION);
    /* Cairo stamps the clock's time unless told otherwise; "" leaves the date out. */
    char date[64] = "";
    struct tm tm;
    time_t t = (time_t)o->source_date;
    if (o->source_date >= 0 && (long long)t == o->source_date && gmtime_r(&t, &tm) &&
        tm.tm_year + 1900 <= 9999)
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, date);
    if (*date)
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, date);
}

/* Pixels for `pt` points at `dpi`; the tiny slack keeps 100 pt at 72 dpi from becoming 101. */
static double pixels(double pt, double dpi)
{
    return ceil(pt * dpi / 72 - 1e-6);
}

static bool png_too_big(const jmap_scene *s, double dpi, jmap_diags *d)
{
    double pw = pixels(s->width, dpi), ph = pixels(s->height, dpi);
    if (pw <= PNG_MAX_SIDE && ph <= PNG_MAX_SIDE && pw * ph <= PNG_MAX_PIXELS)
        return false;
    double most = fmin(PNG_MAX_SIDE * 72.0 / s->width, PNG_MAX_SIDE * 72.0 / s->height);
    most = floor(fmin(most, 72.0 * sqrt(PNG_MAX_PIXELS / (s->width * s->height))));
    jmap_loc none = {0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "render-error", none,
                  "a PNG of %.0f x %.0f pixels is too large (at most %d per side and %.0f million "
                  "in all)",
                  pw, ph, PNG_MAX_SIDE, PNG_MAX_PIXELS / 1e6);
    if (most >= 9)
        jmap_diag_hint(d, "use --dpi %.0f or lower, or write PDF or SVG", most);
    else
        jmap_diag_hint(d, "write PDF or SVG instead");
    return true;
}

static bool vector_too_big(const jmap_scene *s, jmap_diags *d)
{
    if (s->width <= VECTOR_MAX_SIDE && s->height <= VECTOR_MAX_SIDE)
        return false;
    jmap_loc none = {0};
    jmap_diag_add(d, JMAP_SEV_ERROR, "render-error", none,
                  "a drawing of %.0f x %.0f points is too large (at most %.0f per side)",
                  ceil(s->width), ceil(s->height), VECTOR_MAX_SIDE);
    jmap_diag_hint(d, "split it into smaller maps: fewer touchpoints, or fewer KPIs on one");
    return true;
}

static cairo_surface_t *make_surface(const jmap_scene *s, const jmap_render_opts *o, double dpi,
                                     sink *k, cairo_matrix_t *to_page)
{
    cairo_matrix_init_identity(to_page);
    switch (o->format) {
    case JMAP_FORMAT_SVG: {
        k->svg = true;
        cairo_surface_t *surf =
            cairo_svg_surface_create_for_stream(sink_write, k, s->width, s->height);
        cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PT);
        return surf;
    }
    case JMAP_FORMAT_PDF: {
        double pw = s->width, ph = s->height;
        page_size(o->page, &pw, &ph);
        cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(sink_write, k, pw, ph);
        if (o->page != JMAP_PAGE_FIT) {
            double f = fmin(pw / s->width, ph / s->height);
            cairo_matrix_init_translate(to_page, (pw - s->width * f) / 2, (ph - s->height * f) / 2);
            cairo_matrix_scale(to_page, f, f);
        }
        pdf_metadata(surf, s, o);
        return surf;
    }
    case JMAP_FORMAT_PNG:
        cairo_matrix_init_scale(to_page, dpi / 72, dpi / 72);
        return cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)pixels(s->width, dpi),
                                          (int)pixels(s->height, dpi));
    default: /* text formats are not drawn */
        return NULL;
    }
}

/* Cairo's finished PDF, tagged and packed by libqpdf (render_pdf_pack.h), is passed on whole
 * or not at all: a failure leaves no half-written file. */
static bool pass_pdf(sink *k, const jmap_scene *s, const char *lang, jmap_diags *d)
{
    jmap_strbuf packed = {0};
    char *alt = jmap_pdf_figure_alt(s);
    char *why = NULL;
    bool ok = k->held.s && jmap_pdf_pack(k->held.s, k->held.len, lang, alt, &packed, &why);
    if (ok) {
        pass(k, packed.s, packed.len);
    } else {
        char *shown = jmap_sanitize(why ? why : "Cairo wrote nothing");
        jmap_loc none = {0};
        jmap_diag_add(d, JMAP_SEV_ERROR, "render-error", none, "cannot tag the PDF: %s", shown);
        free(shown);
    }
    free(why);
    free(packed.s);
    free(alt);
    return ok;
}

static bool fail(jmap_diags *d, const sink *k, cairo_status_t st)
{
    jmap_loc none = {0};
    if (k->failed || st == CAIRO_STATUS_WRITE_ERROR)
        jmap_diag_add(d, JMAP_SEV_ERROR, "write-error", none, "cannot write the output");
    else
        jmap_diag_add(d, JMAP_SEV_ERROR, "render-error", none, "cannot draw the map: %s",
                      cairo_status_to_string(st));
    return false;
}

static bool render(const jmap_scene *s, jmap_fonts *fonts, const jmap_render_opts *o,
                   jmap_write_fn write, void *closure, jmap_diags *d)
{
    jmap_stamper stamper;
    jmap_stamper_init(&stamper, o->format, o->stamp, write, closure);
    jmap_stamper_words(&stamper, o->title, o->summary, o->lang);
    sink k = {.write = jmap_stamper_put, .closure = &stamper};
    /* JMAP_BENCH_UNTAGGED: for tests/bench only, to measure what the PDF's tags and the SVG's
     * text layer, title, summary and links cost: drawn as before issue 12. */
    const char *untagged = getenv("JMAP_BENCH_UNTAGGED");
    bool plain = untagged && *untagged;
    /* SVG: Cairo's bytes -> renumbering -> the text layer and links -> the stamp -> out. */
    jmap_svg_layer *layer = NULL;
    if (o->format == JMAP_FORMAT_SVG && !plain) {
        layer = jmap_svg_layer_new(s, o, jmap_stamper_put, &stamper);
        k = (sink){.write = jmap_svg_layer_put, .closure = layer};
    }
    jmap_loc none = {0};
    if (!(s->width > 0 && s->height > 0 && isfinite(s->width) && isfinite(s->height))) {
        jmap_diag_add(d, JMAP_SEV_ERROR, "render-error", none,
                      "the map has no size to draw (%g x %g points)", s->width, s->height);
        jmap_svg_layer_free(layer);
        return false;
    }
    double dpi = o->dpi > 0 ? o->dpi : 144;
    if ((o->format == JMAP_FORMAT_PNG && png_too_big(s, dpi, d)) ||
        (o->format != JMAP_FORMAT_PNG && vector_too_big(s, d))) {
        jmap_svg_layer_free(layer);
        return false;
    }

    if (o->format == JMAP_FORMAT_PDF && o->page == JMAP_PAGE_FIT &&
        (s->width > PDF_MAX_PAGE || s->height > PDF_MAX_PAGE)) {
        jmap_diag_add(d, JMAP_SEV_WARNING, "pdf-page-too-large", none,
                      "the PDF page is %.0f x %.0f points; Adobe Acrobat opens pages of at most "
                      "%.0f points a side",
                      ceil(s->width), ceil(s->height), PDF_MAX_PAGE);
        jmap_diag_hint(d, "other viewers open it; --page a3 scales the map onto one sheet");
    }
    k.hold = o->format == JMAP_FORMAT_PDF && !plain;
    cairo_matrix_t to_page;
    cairo_surface_t *surf = make_surface(s, o, dpi, &k, &to_page);
    cairo_status_t st = cairo_surface_status(surf);
    if (st == CAIRO_STATUS_SUCCESS) {
        cairo_t *cr = cairo_create(surf);
        cairo_set_matrix(cr, &to_page);
        jmap_render_paint(cr, s, fonts, o->format == JMAP_FORMAT_PDF, k.hold, layer);
        st = cairo_status(cr);
        cairo_destroy(cr);
    }
    /* Everything is painted: the layouts measured but never painted (a text tried at several
     * widths) and the measurements go before Cairo's finish, the peak of a large map. */
    jmap_fonts_release(fonts);
    if (st == CAIRO_STATUS_SUCCESS && o->format == JMAP_FORMAT_PNG) {
        cairo_surface_flush(surf);
        st = cairo_surface_write_to_png_stream(surf, sink_write, &k);
    }
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);

    if (st == CAIRO_STATUS_SUCCESS && k.svg)
        renumber_feed(&k, NULL, 0, true);
    bool packed = true;
    if (st == CAIRO_STATUS_SUCCESS && k.hold)
        packed = pass_pdf(&k, s, o->lang, d);
    free(k.held.s);
    if (st == CAIRO_STATUS_SUCCESS && layer && !k.failed && !jmap_svg_layer_end(layer))
        k.failed = true;
    jmap_svg_layer_free(layer);
    if (st == CAIRO_STATUS_SUCCESS && !jmap_stamper_end(&stamper))
        k.failed = true;
    free(k.r.seen);
    if (!packed)
        return false;
    bool ok = st == CAIRO_STATUS_SUCCESS && !k.failed;
    return ok ? true : fail(d, &k, st);
}

bool jmap_render(const jmap_scene *s, jmap_fonts *fonts, const jmap_render_opts *o,
                 jmap_write_fn write, void *closure, jmap_diags *d)
{
    bool ok = render(s, fonts, o, write, closure, d);
    /* The layouts kept from measuring this scene are painted or no longer wanted. */
    jmap_fonts_release(fonts);
    return ok;
}

/* -f names and file suffixes, by format. */
static const char *const format_names[JMAP_FORMAT_COUNT] = {"svg", "pdf", "png", "mermaid",
                                                            "markdown"};
static const char *const format_suffixes[JMAP_FORMAT_COUNT] = {"svg", "pdf", "png", "mmd", "md"};

static bool format_find(const char *const *table, const char *name, jmap_format *out)
{
    for (int i = 0; i < JMAP_FORMAT_COUNT; i++) {
        if (strcasecmp(name, table[i]) == 0) {
            *out = (jmap_format)i;
            return true;
        }
    }
    return false;
}

bool jmap_format_from_name(const char *name, jmap_format *out)
{
    return format_find(format_names, name, out);
}

bool jmap_format_from_path(const char *path, jmap_format *out)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return false;
    return format_find(format_suffixes, dot + 1, out);
}

const char *jmap_format_suffix(jmap_format f)
{
    return f < JMAP_FORMAT_COUNT ? format_suffixes[f] : "svg";
}
