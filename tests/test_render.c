/* The render pass on hand-made scenes: real Cairo, real fonts, real files. */
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

#include <cairo.h>

#include "../src/text_pango.h"
#include "jmap/render.h"
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

/* ---- output in memory ---- */

typedef struct mem {
    unsigned char *data;
    size_t len, cap;
    size_t fail_after; /* 0: never fail; else fail once this many bytes were written */
} mem;

static bool mem_write(void *closure, const unsigned char *data, size_t len)
{
    mem *m = closure;
    if (m->fail_after && m->len + len > m->fail_after)
        return false;
    m->data = jmap_xgrow(m->data, &m->cap, m->len + len + 1, 1);
    memcpy(m->data + m->len, data, len);
    m->len += len;
    m->data[m->len] = '\0';
    return true;
}

static bool find(const mem *m, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= m->len; i++) {
        if (memcmp(m->data + i, needle, n) == 0)
            return true;
    }
    return false;
}

static jmap_render_opts opts(jmap_format f)
{
    jmap_render_opts o = {.format = f, .page = JMAP_PAGE_FIT, .dpi = 144, .source_date = -1};
    return o;
}

/* Render or fail the test. */
static mem render(const jmap_scene *s, const jmap_render_opts *o)
{
    mem m = {0};
    jmap_diags d;
    jmap_diags_init(&d);
    bool ok = jmap_render(s, fonts, o, mem_write, &m, &d);
    if (!ok) {
        char *t = test_diags_text(&d);
        print_error("%s", t);
        free(t);
    }
    assert_true(ok);
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    return m;
}

static char *save(const char *dir, const char *name, const mem *m)
{
    char *path = jmap_xprintf("%s/%s", dir, name);
    test_write_file(path, (const char *)m->data, m->len);
    return path;
}

/* ---- scenes ---- */

static const jmap_color white = {255, 255, 255, 255};
static const jmap_color ink = {31, 36, 48, 255};
static const jmap_color blue = {0, 114, 178, 255};
static const jmap_color tint = {238, 242, 255, 255};

static const char *const paragraph =
    "Checks ratings, delivery fee and minimum order before installing the app";

static jmap_font inter(double size, int weight)
{
    jmap_font f = {.family = "Inter", .size = size, .weight = weight};
    return f;
}

static const jmap_point line_pts[] = {{20, 200}, {100, 215}, {180, 200}, {380, 200}};
static const jmap_point curve_pts[] = {{20, 260},  {60, 230},  {100, 290}, {140, 260},
                                       {180, 230}, {220, 290}, {260, 260}};

/* Every kind of primitive on a 400 x 300 page. */
static jmap_scene every_kind(jmap_prim prims[16])
{
    size_t n = 0;
    prims[n++] = (jmap_prim){.kind = JMAP_PRIM_RECT,
                             .role = "card",
                             .box = {20, 20, 160, 80},
                             .fill = tint,
                             .stroke = blue,
                             .stroke_width = 1,
                             .radius = 6};
    prims[n++] = (jmap_prim){.kind = JMAP_PRIM_RECT,
                             .role = "cell",
                             .box = {200, 20, 180, 80},
                             .stroke = ink,
                             .stroke_width = 0.75,
                             .dash_on = 3,
                             .dash_off = 2};
    prims[n++] = (jmap_prim){.kind = JMAP_PRIM_TEXT,
                             .role = "card.name",
                             .box = {28, 28, 144, 60},
                             .text = "Pricing page · Café ★",
                             .font = inter(12, 600),
                             .color = ink,
                             .align = JMAP_ALIGN_LEFT};
    prims[n++] = (jmap_prim){.kind = JMAP_PRIM_TEXT,
                             .role = "cell.text",
                             .box = {208, 28, 164, 60},
                             .text = paragraph,
                             .font = inter(9, 400),
                             .color = ink,
                             .align = JMAP_ALIGN_CENTER};
    prims[n++] = (jmap_prim){.kind = JMAP_PRIM_LINE,
                             .role = "visibility",
                             .stroke = ink,
                             .stroke_width = 1,
                             .dash_on = 4,
                             .dash_off = 3,
                             .pts = line_pts,
                             .n_pts = 4};
    prims[n++] = (jmap_prim){.kind = JMAP_PRIM_CURVE,
                             .role = "emotion.curve",
                             .stroke = blue,
                             .stroke_width = 2.25,
                             .pts = curve_pts,
                             .n_pts = 7};
    for (int k = 0; k < 4; k++)
        prims[n++] = (jmap_prim){.kind = JMAP_PRIM_MARKER,
                                 .role = "emotion.marker",
                                 .box = {36 + 40.0 * k, 120, 10, 10},
                                 .fill = white,
                                 .stroke = blue,
                                 .stroke_width = 1.5,
                                 .marker = (jmap_marker_shape)k};
    prims[n++] = (jmap_prim){.kind = JMAP_PRIM_LINK,
                             .role = "link",
                             .box = {20, 20, 160, 80},
                             .url = "https://example.com/it's?a=1&b=(2)"};
    jmap_scene s = {.width = 400,
                    .height = 300,
                    .background = white,
                    .title = "Render test – Café",
                    .prims = prims,
                    .n_prims = n};
    return s;
}

/* One paragraph, black on white, wrapped to `w`. */
static jmap_scene one_text(jmap_prim *p, jmap_rect box, jmap_align align)
{
    *p = (jmap_prim){.kind = JMAP_PRIM_TEXT,
                     .role = "text",
                     .box = box,
                     .text = paragraph,
                     .font = inter(10, 400),
                     .color = {0, 0, 0, 255},
                     .align = align};
    jmap_scene s = {.width = 300,
                    .height = 200,
                    .background = white,
                    .title = "Text",
                    .prims = p,
                    .n_prims = 1};
    return s;
}

static jmap_text_size measure_prim(const jmap_prim *p)
{
    jmap_text_measurer tm = jmap_fonts_measurer(fonts);
    return tm.measure(tm.ctx, p->text, &p->font, p->box.w);
}

/* ---- PNG helpers ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

typedef struct reader {
    const mem *m;
    size_t at;
} reader;

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int len)
{
    reader *r = closure;
    if (r->at + len > r->m->len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->m->data + r->at, len);
    r->at += len;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *decode_png(const mem *m)
{
    reader r = {m, 0};
    cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_mem, &r);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    cairo_format_t f = cairo_image_surface_get_format(img);
    assert_true(f == CAIRO_FORMAT_ARGB32 || f == CAIRO_FORMAT_RGB24);
    return img;
}

static bool dark(cairo_surface_t *img, int x, int y)
{
    const unsigned char *row =
        cairo_image_surface_get_data(img) + (size_t)y * (size_t)cairo_image_surface_get_stride(img);
    uint32_t px;
    memcpy(&px, row + 4 * (size_t)x, 4);
    return (px & 0xff) < 160 || ((px >> 8) & 0xff) < 160 || ((px >> 16) & 0xff) < 160;
}

/* ---- tests ---- */

static void svg_is_well_formed_xml_with_the_scene_size(void **state)
{
    (void)state;
    test_need_tool("xmllint", "libxml2-utils");
    jmap_prim prims[16];
    jmap_scene s = every_kind(prims);
    jmap_render_opts o = opts(JMAP_FORMAT_SVG);
    mem m = render(&s, &o);
    assert_true(m.len > 1000);
    assert_true(find(&m, "<svg"));
    assert_true(find(&m, "width=\"400pt\" height=\"300pt\" viewBox=\"0 0 400 300\""));
    assert_true(find(&m, "id=\"surface1\""));
    assert_true(find(&m, "stroke-dasharray"));
    char *dir = test_tmpdir("render-svg");
    char *path = save(dir, "map.svg", &m);
    char *cmd = jmap_xprintf("xmllint --noout - < '%s'", path);
    char *err = NULL;
    int rc = test_run(cmd, NULL, &err);
    if (rc != 0)
        print_error("%s", err);
    assert_int_equal(rc, 0);
    free(err);
    free(cmd);
    free(path);
    free(dir);
    free(m.data);
}

static void png_has_the_pixel_size_the_dpi_implies(void **state)
{
    (void)state;
    jmap_prim prims[16];
    jmap_scene s = every_kind(prims);
    static const struct {
        double dpi;
        uint32_t w, h;
    } cases[] = {{144, 800, 600}, {72, 400, 300}, {100, 556, 417}, {9, 50, 38}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jmap_render_opts o = opts(JMAP_FORMAT_PNG);
        o.dpi = cases[i].dpi;
        mem m = render(&s, &o);
        assert_true(m.len > 33);
        assert_memory_equal(m.data, "\x89PNG\r\n\x1a\n", 8);
        assert_memory_equal(m.data + 12, "IHDR", 4);
        assert_int_equal(be32(m.data + 16), cases[i].w);
        assert_int_equal(be32(m.data + 20), cases[i].h);
        free(m.data);
    }
}

static char *pdfinfo(const mem *m, const char *name)
{
    char *dir = test_tmpdir(name);
    char *path = save(dir, "map.pdf", m);
    char *cmd = jmap_xprintf("pdfinfo '%s'", path);
    char *out = NULL, *err = NULL;
    assert_int_equal(test_run(cmd, &out, &err), 0);
    /* poppler complains on stderr about a broken page tree or xref */
    assert_string_equal(err, "");
    free(err);
    free(cmd);
    free(path);
    free(dir);
    return out;
}

/* The PDF is structurally sound (cairo 1.16 can write damaged xrefs when tagging). The test
 * calls test_need_tool("qpdf", "qpdf") first. */
static void qpdf_check(const mem *m)
{
    char *dir = test_tmpdir("render-qpdf");
    char *path = save(dir, "map.pdf", m);
    test_qpdf_check(path);
    free(path);
    free(dir);
}

/* The PDF with its object streams opened by qpdf, so its dictionaries can be searched as text
 * (jmap packs them: src/render_pdf_pack.c). */
static void unpack(mem *m)
{
    char *dir = test_tmpdir("render-unpack");
    char *path = save(dir, "packed.pdf", m);
    char *plain = jmap_xprintf("%s/plain.pdf", dir);
    char *cmd = jmap_xprintf("qpdf --object-streams=disable '%s' '%s'", path, plain);
    assert_int_equal(test_run(cmd, NULL, NULL), 0);
    free(m->data);
    size_t n;
    m->data = (unsigned char *)test_read_file(plain, &n);
    assert_non_null(m->data);
    m->len = n;
    free(cmd);
    free(plain);
    free(path);
    free(dir);
}

static void pdf_is_one_page_of_the_scene_size_with_title_creator_and_dates(void **state)
{
    (void)state;
    test_need_tool("pdfinfo", "poppler-utils");
    jmap_prim prims[16];
    jmap_scene s = every_kind(prims);
    jmap_render_opts o = opts(JMAP_FORMAT_PDF);
    o.source_date = 1700000000;
    mem m = render(&s, &o);
    assert_memory_equal(m.data, "%PDF-", 5);
    char *info = pdfinfo(&m, "render-pdf");
    assert_non_null(strstr(info, "Pages:           1\n"));
    assert_non_null(strstr(info, "Page size:       400 x 300 pts"));
    assert_non_null(strstr(info, "Title:           Render test – Café\n"));
    assert_non_null(strstr(info, "Creator:         jmap " JMAP_VERSION "\n"));
    assert_non_null(strstr(info, "CreationDate:    Tue Nov 14 22:13:20 2023 UTC"));
    assert_non_null(strstr(info, "ModDate:         Tue Nov 14 22:13:20 2023 UTC"));
    free(info);
    free(m.data);

    /* No SOURCE_DATE_EPOCH: no date, never the clock's. */
    o.source_date = -1;
    m = render(&s, &o);
    info = pdfinfo(&m, "render-pdf-fixed");
    assert_null(strstr(info, "CreationDate:"));
    assert_null(strstr(info, "ModDate:"));
    assert_non_null(strstr(info, "Creator:         jmap " JMAP_VERSION "\n"));
    free(info);
    free(m.data);
}

static void pdf_sheets_are_landscape_with_the_map_scaled_to_fit(void **state)
{
    (void)state;
    test_need_tool("pdfinfo", "poppler-utils");
    jmap_prim prims[16];
    jmap_scene s = every_kind(prims);
    static const struct {
        jmap_page page;
        const char *size;
    } cases[] = {{JMAP_PAGE_A4, "Page size:       841.89 x 595.28 pts (A4)"},
                 {JMAP_PAGE_A3, "Page size:       1190.55 x 841.89 pts (A3)"},
                 {JMAP_PAGE_LETTER, "Page size:       792 x 612 pts (letter)"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jmap_render_opts o = opts(JMAP_FORMAT_PDF);
        o.page = cases[i].page;
        mem m = render(&s, &o);
        char *info = pdfinfo(&m, "render-pdf-sheet");
        if (!strstr(info, cases[i].size))
            print_error("%s", info);
        assert_non_null(strstr(info, cases[i].size));
        free(info);
        free(m.data);
    }
}

static void a_link_becomes_a_pdf_uri_annotation_over_its_box(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    jmap_prim prims[16];
    jmap_scene s = every_kind(prims);
    jmap_render_opts o = opts(JMAP_FORMAT_PDF);
    mem m = render(&s, &o);
    qpdf_check(&m);
    unpack(&m);
    assert_true(find(&m, "/Subtype /Link"));
    assert_true(find(&m, "/URI (https://example.com/it%27s?a=1&b=%282%29)"));
    /* The box, y flipped into PDF space: 20 20 160 80 on a 300 pt page. */
    assert_true(find(&m, "/Rect [ 20 200 180 280 ]"));
    qpdf_check(&m);
    free(m.data);

    /* On a sheet the link follows the map as it is scaled and centred. */
    o.page = JMAP_PAGE_LETTER;
    m = render(&s, &o);
    qpdf_check(&m);
    unpack(&m);
    /* 400 x 300 on 792 x 612: scale 1.98, centred 9 pt from the top and bottom; the box's
     * bottom edge is at 612 - 9 - 100 * 1.98 = 405, its top at 405 + 80 * 1.98 = 563.4, its
     * sides at 39.6 and 356.4: the link covers it, in whole points rounded outwards. */
    assert_true(find(&m, "/QuadPoints [ 39 564 357 564 357 405 39 405 ]"));
    assert_true(find(&m, "/Rect [ 39 405 357 564 ]"));
    qpdf_check(&m);
    free(m.data);

    /* In SVG the link is an <a> over the same box with the same normalised URL, escaped as
     * an XML attribute (tests/test_render_svg_layer.c checks it with a parser). */
    o = opts(JMAP_FORMAT_SVG);
    m = render(&s, &o);
    assert_true(find(&m, "href=\"https://example.com/it%27s?a=1&amp;b=%282%29\""));
    assert_false(find(&m, "it's"));
    free(m.data);
}

static void every_format_is_byte_identical_whatever_was_drawn_before(void **state)
{
    (void)state;
    jmap_prim prims[16], other[1];
    jmap_scene s = every_kind(prims);
    jmap_scene t = one_text(other, (jmap_rect){10, 10, 100, 100}, JMAP_ALIGN_RIGHT);
    for (int f = 0; f < 3; f++) {
        jmap_render_opts o = opts((jmap_format)f);
        mem a = render(&s, &o);
        /* Other surfaces and another map in between move Cairo's global surface counter and
         * its font subsets. */
        cairo_surface_destroy(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4));
        jmap_render_opts so = opts(JMAP_FORMAT_SVG);
        mem between = render(&t, &so);
        mem b = render(&s, &o);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        free(a.data);
        free(b.data);
        free(between.data);
    }
}

/* Cairo and Pango print coordinates, sizes and dates with printf-like code. */
static void every_format_is_byte_identical_in_a_decimal_comma_locale(void **state)
{
    (void)state;
    jmap_prim prims[16];
    jmap_scene s = every_kind(prims);
    test_need_comma_locale();
    test_use_c_locale();
    for (int f = 0; f < 3; f++) {
        jmap_render_opts o = opts((jmap_format)f);
        mem a = render(&s, &o);
        test_need_comma_locale();
        mem b = render(&s, &o);
        test_use_c_locale();
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        free(a.data);
        free(b.data);
    }
}

static void a_failing_write_is_a_write_error(void **state)
{
    (void)state;
    jmap_prim prims[16];
    jmap_scene s = every_kind(prims);
    static const size_t fail_after[] = {1, 2000};
    for (int f = 0; f < 3; f++) {
        for (size_t i = 0; i < 2; i++) {
            jmap_render_opts o = opts((jmap_format)f);
            mem m = {.fail_after = fail_after[i]};
            jmap_diags d;
            jmap_diags_init(&d);
            assert_false(jmap_render(&s, fonts, &o, mem_write, &m, &d));
            assert_non_null(test_diag_find(&d, "write-error"));
            assert_int_equal(d.n_errors, 1);
            jmap_diags_release(&d);
            free(m.data);
        }
    }
}

static void an_oversized_png_is_refused_with_a_lower_dpi_suggested(void **state)
{
    (void)state;
    jmap_prim prims[16];
    jmap_scene s = every_kind(prims);
    s.width = 20000;
    s.height = 1000;
    jmap_render_opts o = opts(JMAP_FORMAT_PNG);
    mem m = {0};
    jmap_diags d;
    jmap_diags_init(&d);
    assert_false(jmap_render(&s, fonts, &o, mem_write, &m, &d));
    const jmap_diag *g = test_diag_find(&d, "render-error");
    assert_non_null(g);
    assert_non_null(strstr(g->msg, "40000 x 2000 pixels"));
    assert_non_null(g->hint);
    /* 32767 px over 20000 pt is 117.9 dpi */
    assert_string_equal(g->hint, "use --dpi 117 or lower, or write PDF or SVG");
    assert_int_equal(m.len, 0);
    jmap_diags_release(&d);

    /* ... and that dpi works. */
    s.width = 2000;
    s.height = 100;
    o.dpi = 117;
    m = render(&s, &o);
    assert_int_equal(be32(m.data + 16), 3250);
    free(m.data);

    /* Too many pixels in all, though each side would fit. */
    s.width = 14000;
    s.height = 14000;
    o.dpi = 144;
    jmap_diags_init(&d);
    assert_false(jmap_render(&s, fonts, &o, mem_write, &m, &d));
    assert_non_null(test_diag_find(&d, "render-error"));
    jmap_diags_release(&d);
}

static void a_pdf_page_over_acrobats_limit_is_drawn_with_a_warning(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    jmap_prim prims[16];
    jmap_scene s = every_kind(prims);
    s.width = 14401;
    jmap_render_opts o = opts(JMAP_FORMAT_PDF);
    mem m = {0};
    jmap_diags d;
    jmap_diags_init(&d);
    assert_true(jmap_render(&s, fonts, &o, mem_write, &m, &d));
    assert_int_equal(d.n_items, 1);
    assert_int_equal(d.n_errors, 0);
    assert_string_equal(d.items[0].code, "pdf-page-too-large");
    assert_string_equal(d.items[0].msg, "the PDF page is 14401 x 300 points; Adobe Acrobat opens "
                                        "pages of at most 14400 points a side");
    qpdf_check(&m);
    free(m.data);
    jmap_diags_release(&d);

    /* Exactly at the limit, or scaled onto a sheet, or another format: no warning. */
    s.width = 14400;
    m = render(&s, &o);
    free(m.data);
    s.width = 30000;
    o.page = JMAP_PAGE_A3;
    m = render(&s, &o);
    free(m.data);
    o = opts(JMAP_FORMAT_SVG);
    m = render(&s, &o);
    free(m.data);
}

static void a_scene_with_no_size_is_a_render_error(void **state)
{
    (void)state;
    jmap_scene s = {.width = 0, .height = 100, .background = white};
    jmap_render_opts o = opts(JMAP_FORMAT_SVG);
    mem m = {0};
    jmap_diags d;
    jmap_diags_init(&d);
    assert_false(jmap_render(&s, fonts, &o, mem_write, &m, &d));
    assert_non_null(test_diag_find(&d, "render-error"));
    jmap_diags_release(&d);
    free(m.data);
}

/* Painted text stays inside the box the measurer gave, and has as many lines. */
static void painted_text_lands_inside_its_measured_box(void **state)
{
    (void)state;
    static const jmap_align aligns[] = {JMAP_ALIGN_LEFT, JMAP_ALIGN_CENTER, JMAP_ALIGN_RIGHT};
    for (size_t a = 0; a < 3; a++) {
        jmap_prim p;
        jmap_scene s = one_text(&p, (jmap_rect){50, 40, 120, 0}, aligns[a]);
        jmap_text_size ts = measure_prim(&p);
        p.box.h = ts.h;
        assert_true(ts.lines >= 3);
        jmap_render_opts o = opts(JMAP_FORMAT_PNG);
        mem m = render(&s, &o);
        cairo_surface_t *img = decode_png(&m);
        int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
        double k = 144.0 / 72;
        int x0 = (int)floor(p.box.x * k) - 1, x1 = (int)ceil((p.box.x + p.box.w) * k) + 1;
        int y0 = (int)floor(p.box.y * k) - 1, y1 = (int)ceil((p.box.y + p.box.h) * k) + 1;
        int n_dark = 0, left = w, right = 0;
        unsigned bands = 0;
        bool in_band = false;
        for (int y = 0; y < h; y++) {
            bool row_dark = false;
            for (int x = 0; x < w; x++) {
                if (!dark(img, x, y))
                    continue;
                assert_true(x >= x0 && x <= x1 && y >= y0 && y <= y1);
                n_dark++;
                row_dark = true;
                left = x < left ? x : left;
                right = x > right ? x : right;
            }
            if (row_dark && !in_band)
                bands++;
            in_band = row_dark;
        }
        assert_true(n_dark > 200);
        assert_int_equal(bands, ts.lines);
        /* Alignment: left text starts at the box, right text ends at it. */
        if (aligns[a] == JMAP_ALIGN_LEFT)
            assert_true(left <= x0 + 4);
        if (aligns[a] == JMAP_ALIGN_RIGHT)
            assert_true(right >= x1 - 4);
        cairo_surface_destroy(img);
        free(m.data);
    }
}

/* Count the distinct baselines of the glyphs in a cairo SVG. */
static unsigned svg_glyph_rows(const mem *m)
{
    double ys[64];
    unsigned n = 0;
    const char *p = (const char *)m->data;
    while ((p = strstr(p, "<use xlink:href=\"#glyph"))) {
        const char *y = strstr(p, " y=\"");
        assert_non_null(y);
        double v = strtod(y + 4, NULL);
        bool seen = false;
        for (unsigned i = 0; i < n; i++)
            seen = seen || fabs(ys[i] - v) < 0.01;
        if (!seen && n < 64)
            ys[n++] = v;
        p = y;
    }
    return n;
}

static void svg_pdf_and_png_break_lines_where_the_measurer_did(void **state)
{
    (void)state;
    test_need_tool("pdftotext", "poppler-utils");
    jmap_prim p;
    jmap_scene s = one_text(&p, (jmap_rect){20, 20, 150, 0}, JMAP_ALIGN_LEFT);
    jmap_text_size before = measure_prim(&p);
    assert_true(before.lines >= 3);

    jmap_render_opts o = opts(JMAP_FORMAT_SVG);
    mem svg = render(&s, &o);
    assert_int_equal(svg_glyph_rows(&svg), before.lines);

    o = opts(JMAP_FORMAT_PDF);
    mem pdf = render(&s, &o);
    char *dir = test_tmpdir("render-breaks");
    char *path = save(dir, "text.pdf", &pdf);
    char *cmd = jmap_xprintf("pdftotext -raw '%s' -", path);
    char *out = NULL;
    assert_int_equal(test_run(cmd, &out, NULL), 0);
    unsigned lines = 0;
    for (char *q = out; *q; q++)
        lines += *q == '\n';
    assert_int_equal(lines, before.lines);
    /* The words are all there, in order, with the breaks at spaces. */
    char *joined = jmap_xstrdup(out);
    for (char *q = joined; *q; q++)
        *q = *q == '\n' ? ' ' : *q;
    assert_non_null(strstr(joined, "Checks ratings, delivery fee"));

    /* Drawing on PNG surfaces at other resolutions changes nothing either. */
    for (int dpi = 36; dpi <= 288; dpi *= 2) {
        o = opts(JMAP_FORMAT_PNG);
        o.dpi = dpi;
        mem png = render(&s, &o);
        free(png.data);
    }
    jmap_text_size after = measure_prim(&p);
    assert_int_equal(after.lines, before.lines);
    assert_true(after.w == before.w && after.h == before.h);

    free(joined);
    free(out);
    free(cmd);
    free(path);
    free(dir);
    free(svg.data);
    free(pdf.data);
}

/* ---- long texts ---- */

/* `unit` repeated to at most `bytes` bytes. Caller frees. */
/* Pango 1.50 shapes the rest of a paragraph again at every line break: a long word broken at
 * each line cost n² (64 KB: 51 s). The measurer stops at 32 lines, whatever it is given, and
 * the renderer paints that same layout. */
static void the_pango_measurer_stops_a_long_paragraph_at_32_lines(void **state)
{
    (void)state;
    char *word = test_repeat("a", 8000); /* about 400 lines of 150 pt */
    jmap_font f = inter(10, 400);
    jmap_text_measurer tm = jmap_fonts_measurer(fonts);
    jmap_text_size ts = tm.measure(tm.ctx, word, &f, 150);
    assert_int_equal(ts.lines, 32);
    static const jmap_align aligns[] = {JMAP_ALIGN_LEFT, JMAP_ALIGN_CENTER};
    for (size_t a = 0; a < 2; a++) {
        /* the measured layout (left), and one shaped again for painting (centred) */
        PangoLayout *l = jmap_fonts_layout(fonts, word, &f, 150, aligns[a]);
        assert_int_equal(pango_layout_get_line_count(l), 32);
        PangoRectangle r;
        pango_layout_get_extents(l, NULL, &r);
        assert_float_equal((double)r.height / PANGO_SCALE, ts.h, 1e-9);
        g_object_unref(l);
    }
    jmap_fonts_release(fonts);
    free(word);
}

/* The texts of a map drawn with the Pango measurer: each painted layout is the measured one. */
static void long_values_are_painted_as_measured(void **state)
{
    (void)state;
    char *word = test_repeat("\xe6\xbc\xa2", 60000);
    char *yaml = jmap_xprintf("title: \"%s\"\npersonas: [{id: p, name: P}]\nstages: [{id: a}]\n"
                              "touchpoints:\n  - {stage: a, name: N, thought: \"%s\"}\n",
                              word, word);
    jmap_arena *a = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_map *m = test_compile(a, yaml, &d);
    assert_non_null(m);
    jmap_text_measurer tm = jmap_fonts_measurer(fonts);
    jmap_scene *s = jmap_layout_build(a, m, NULL, &tm, &d);
    assert_non_null(s);
    size_t cut = 0;
    for (size_t i = 0; i < s->n_prims; i++) {
        const jmap_prim *p = &s->prims[i];
        if (p->kind != JMAP_PRIM_TEXT)
            continue;
        bool ellipsis = strstr(p->text, "…") != NULL;
        cut += ellipsis;
        assert_true(strlen(p->text) < 4000);
        PangoLayout *l = jmap_fonts_layout(fonts, p->text, &p->font, p->box.w, p->align);
        PangoRectangle r;
        pango_layout_get_extents(l, NULL, &r);
        assert_float_equal((double)r.height / PANGO_SCALE, p->box.h, 1e-9);
        assert_false(pango_layout_is_ellipsized(l)); /* cut by layout, not by Pango */
        g_object_unref(l);
    }
    assert_int_equal(cut, 2);
    size_t warned = 0;
    for (size_t i = 0; i < d.n_items; i++)
        warned += strcmp(d.items[i].code, "text-truncated") == 0;
    assert_int_equal(warned, 2);
    assert_diag_at(&d, "text-truncated", 1, 8);
    assert_diag_at(&d, "text-truncated", 5, 34);
    jmap_fonts_release(fonts);
    jmap_diags_release(&d);
    jmap_arena_free(a);
    free(yaml);
    free(word);
}

/* Four values of 64 KiB (just under the default --max-string) of each kind of text that broke
 * Pango's line filling, drawn by the real binary. Not a timing test: before, each map took
 * minutes; a hang is killed after 60 s. */
static void four_64k_values_of_any_script_draw_in_linear_time(void **state)
{
    (void)state;
    static const struct {
        const char *name, *unit;
    } kinds[] = {
        {"latin", "a"},
        {"cjk", "\xe6\xbc\xa2"},
        {"marks", "e\xcc\x81\xcc\xa3"},
        {"emoji", "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb"},
    };
    static const char *const formats[] = {"svg", "pdf", "png"};
    char *dir = test_tmpdir("render-long-values");
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        char *v = test_repeat(kinds[k].unit, 65535);
        char *yaml = jmap_xprintf("title: Long values\npersonas: [{id: p, name: P}]\n"
                                  "stages: [{id: a}]\ntouchpoints:\n"
                                  "  - stage: a\n"
                                  "    name: N\n"
                                  "    action: \"%s\"\n"
                                  "    thought: \"%s\"\n"
                                  "    pain: \"%s\"\n"
                                  "    opportunity: \"%s\"\n",
                                  v, v, v, v);
        char *name = jmap_xprintf("%s.yaml", kinds[k].name);
        char *path = test_put(dir, name, yaml);
        for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
            char *err = NULL;
            int status = test_jmap_as("timeout -s KILL 60 ", NULL, &err, "build '%s' -o '%s/%s.%s'",
                                      path, dir, kinds[k].name, formats[f]);
            if (status != 0)
                print_error("%s to %s: status %d\n%s\n", kinds[k].name, formats[f], status, err);
            assert_int_equal(status, 0);
            static const char *const at[] = {":7:13: warning: ", ":8:14: warning: ",
                                             ":9:11: warning: ", ":10:18: warning: "};
            size_t n = 0;
            for (const char *q = err; (q = strstr(q, "[text-truncated]")); q++)
                n++;
            assert_int_equal(n, 4);
            for (size_t i = 0; i < 4; i++)
                assert_non_null(strstr(err, at[i]));
            free(err);
        }
        free(path);
        free(name);
        free(yaml);
        free(v);
    }
    free(dir);
}

static void formats_come_from_names_and_suffixes(void **state)
{
    (void)state;
    jmap_format f = JMAP_FORMAT_SVG;
    assert_true(jmap_format_from_path("out/map.pdf", &f));
    assert_int_equal(f, JMAP_FORMAT_PDF);
    assert_true(jmap_format_from_path("MAP.PNG", &f));
    assert_int_equal(f, JMAP_FORMAT_PNG);
    assert_true(jmap_format_from_path("a.b/map.svg", &f));
    assert_int_equal(f, JMAP_FORMAT_SVG);
    assert_false(jmap_format_from_path("a.svg/map", &f));
    assert_false(jmap_format_from_path("map.jpeg", &f));
    assert_false(jmap_format_from_path("map", &f));
    assert_true(jmap_format_from_name("pdf", &f));
    assert_int_equal(f, JMAP_FORMAT_PDF);
    assert_false(jmap_format_from_name("eps", &f));
    assert_string_equal(jmap_format_suffix(JMAP_FORMAT_SVG), "svg");
    assert_string_equal(jmap_format_suffix(JMAP_FORMAT_PDF), "pdf");
    assert_string_equal(jmap_format_suffix(JMAP_FORMAT_PNG), "png");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(svg_is_well_formed_xml_with_the_scene_size),
        cmocka_unit_test(png_has_the_pixel_size_the_dpi_implies),
        cmocka_unit_test(pdf_is_one_page_of_the_scene_size_with_title_creator_and_dates),
        cmocka_unit_test(pdf_sheets_are_landscape_with_the_map_scaled_to_fit),
        cmocka_unit_test(a_link_becomes_a_pdf_uri_annotation_over_its_box),
        cmocka_unit_test(every_format_is_byte_identical_whatever_was_drawn_before),
        cmocka_unit_test(every_format_is_byte_identical_in_a_decimal_comma_locale),
        cmocka_unit_test(a_failing_write_is_a_write_error),
        cmocka_unit_test(an_oversized_png_is_refused_with_a_lower_dpi_suggested),
        cmocka_unit_test(a_pdf_page_over_acrobats_limit_is_drawn_with_a_warning),
        cmocka_unit_test(a_scene_with_no_size_is_a_render_error),
        cmocka_unit_test(painted_text_lands_inside_its_measured_box),
        cmocka_unit_test(svg_pdf_and_png_break_lines_where_the_measurer_did),
        cmocka_unit_test(formats_come_from_names_and_suffixes),
        cmocka_unit_test(the_pango_measurer_stops_a_long_paragraph_at_32_lines),
        cmocka_unit_test(long_values_are_painted_as_measured),
        cmocka_unit_test(four_64k_values_of_any_script_draw_in_linear_time),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
