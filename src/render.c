#include "jmap/render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include "jmap/arena.h"
#include "render_internal.h"

/*
 * The render pass: one surface per format, the same painting on each, and the bytes streamed
 * out. Output is reproducible: pinned PDF dates, SVG surface ids independent of what the
 * process drew before.
 */

#define PNG_MAX_SIDE 32767
#define PNG_MAX_PIXELS 400e6
#define FIXED_DATE "2000-01-01T00:00:00Z"

/* Where Cairo's bytes go: straight to the caller, or into memory first (SVG). */
typedef struct sink {
    jmap_write_fn write;
    void *closure;
    bool failed; /* the caller's write failed */
    bool buffer;
    unsigned char *data;
    size_t len, cap;
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    sink *k = closure;
    if (k->failed)
        return CAIRO_STATUS_WRITE_ERROR;
    if (k->buffer) {
        k->data = jmap_xgrow(k->data, &k->cap, k->len + length, 1);
        memcpy(k->data + k->len, data, length);
        k->len += length;
        return CAIRO_STATUS_SUCCESS;
    }
    if (length > 0 && !k->write(k->closure, data, length)) {
        k->failed = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

static void append(unsigned char **out, size_t *len, size_t *cap, const void *p, size_t n)
{
    *out = jmap_xgrow(*out, cap, *len + n + 1, 1);
    memcpy(*out + *len, p, n);
    *len += n;
}

/*
 * Cairo numbers SVG surfaces from a process-wide counter (<g id="surface5">), so the same scene
 * would give different bytes after other surfaces were made. Renumber them from 1 in order of
 * appearance, in ids and in references to them.
 */
static void svg_renumber(const unsigned char *in, size_t n, unsigned char **out, size_t *out_len)
{
    static const char word[] = "surface";
    const size_t wn = sizeof word - 1;
    unsigned long *seen = NULL;
    size_t n_seen = 0, cap_seen = 0, cap = 0;
    *out = NULL;
    *out_len = 0;
    size_t i = 0, from = 0;
    while (i + wn < n) {
        bool after_id = i >= 4 && memcmp(in + i - 4, "id=\"", 4) == 0;
        bool after_ref = i >= 1 && in[i - 1] == '#';
        if (!(after_id || after_ref) || memcmp(in + i, word, wn) != 0 ||
            !(in[i + wn] >= '0' && in[i + wn] <= '9')) {
            i++;
            continue;
        }
        size_t j = i + wn;
        unsigned long old = 0;
        for (; j < n && in[j] >= '0' && in[j] <= '9'; j++) {
            if (old < 100000000ul)
                old = old * 10 + (unsigned long)(in[j] - '0');
        }
        size_t k = 0;
        while (k < n_seen && seen[k] != old)
            k++;
        if (k == n_seen) {
            seen = jmap_xgrow(seen, &cap_seen, n_seen + 1, sizeof *seen);
            seen[n_seen++] = old;
        }
        char num[32];
        int nn = snprintf(num, sizeof num, "surface%zu", k + 1);
        append(out, out_len, &cap, in + from, i - from);
        append(out, out_len, &cap, num, (size_t)nn);
        i = from = j;
    }
    append(out, out_len, &cap, in + from, n - from);
    free(seen);
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

static void pdf_metadata(cairo_surface_t *surf, const jmap_scene *s, long long epoch)
{
    if (s->title)
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, s->title);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "jmap " JMAP_VERSION);
    char date[64] = FIXED_DATE;
    struct tm tm;
    time_t t = (time_t)epoch;
    if (epoch >= 0 && (long long)t == epoch && gmtime_r(&t, &tm) && tm.tm_year + 1900 <= 9999)
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, date);
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

static cairo_surface_t *make_surface(const jmap_scene *s, const jmap_render_opts *o, double dpi,
                                     sink *k, cairo_matrix_t *to_page)
{
    cairo_matrix_init_identity(to_page);
    switch (o->format) {
    case JMAP_FORMAT_SVG: {
        k->buffer = true;
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
        pdf_metadata(surf, s, o->source_date);
        return surf;
    }
    case JMAP_FORMAT_PNG:
        cairo_matrix_init_scale(to_page, dpi / 72, dpi / 72);
        return cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)pixels(s->width, dpi),
                                          (int)pixels(s->height, dpi));
    }
    return NULL;
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

bool jmap_render(const jmap_scene *s, jmap_fonts *fonts, const jmap_render_opts *o,
                 jmap_write_fn write, void *closure, jmap_diags *d)
{
    sink k = {.write = write, .closure = closure};
    jmap_loc none = {0};
    if (!(s->width > 0 && s->height > 0 && isfinite(s->width) && isfinite(s->height))) {
        jmap_diag_add(d, JMAP_SEV_ERROR, "render-error", none,
                      "the map has no size to draw (%g x %g points)", s->width, s->height);
        return false;
    }
    double dpi = o->dpi > 0 ? o->dpi : 144;
    if (o->format == JMAP_FORMAT_PNG && png_too_big(s, dpi, d))
        return false;

    cairo_matrix_t to_page;
    cairo_surface_t *surf = make_surface(s, o, dpi, &k, &to_page);
    cairo_status_t st = cairo_surface_status(surf);
    if (st == CAIRO_STATUS_SUCCESS) {
        cairo_t *cr = cairo_create(surf);
        cairo_set_matrix(cr, &to_page);
        jmap_render_paint(cr, s, fonts, o->format == JMAP_FORMAT_PDF);
        st = cairo_status(cr);
        cairo_destroy(cr);
    }
    if (st == CAIRO_STATUS_SUCCESS && o->format == JMAP_FORMAT_PNG) {
        cairo_surface_flush(surf);
        st = cairo_surface_write_to_png_stream(surf, sink_write, &k);
    }
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);

    bool ok = st == CAIRO_STATUS_SUCCESS && !k.failed;
    if (ok && k.buffer) {
        unsigned char *svg;
        size_t len;
        svg_renumber(k.data, k.len, &svg, &len);
        ok = write(closure, svg, len);
        k.failed = !ok;
        free(svg);
    }
    free(k.data);
    return ok ? true : fail(d, &k, st);
}

bool jmap_format_from_name(const char *name, jmap_format *out)
{
    static const char *const names[] = {"svg", "pdf", "png"};
    for (int i = 0; i < 3; i++) {
        if (strcasecmp(name, names[i]) == 0) {
            *out = (jmap_format)i;
            return true;
        }
    }
    return false;
}

bool jmap_format_from_path(const char *path, jmap_format *out)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return false;
    return jmap_format_from_name(dot + 1, out);
}

const char *jmap_format_suffix(jmap_format f)
{
    switch (f) {
    case JMAP_FORMAT_SVG:
        return "svg";
    case JMAP_FORMAT_PDF:
        return "pdf";
    case JMAP_FORMAT_PNG:
        return "png";
    }
    return "svg";
}
