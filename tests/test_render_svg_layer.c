/* The SVG's text layer, summary and links (src/render_svg_layer.c), read back with libxml2 and
 * rasterised with rsvg-convert: real maps, real fonts, real Cairo. */
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
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "../src/render_svg_layer.h"
#include "../src/text_pango.h"
#include "jmap/render.h"
#include "jmap/summary.h"
#include "jmap/url.h"
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

typedef struct mem {
    char *data;
    size_t len, cap;
} mem;

static bool mem_write(void *closure, const unsigned char *data, size_t len)
{
    mem *m = closure;
    m->data = jmap_xgrow(m->data, &m->cap, m->len + len + 1, 1);
    memcpy(m->data + m->len, data, len);
    m->len += len;
    m->data[m->len] = '\0';
    return true;
}

static jmap_render_opts svg_opts(void)
{
    return (jmap_render_opts){.format = JMAP_FORMAT_SVG, .source_date = -1};
}

/* A map and its scene, laid out with the real fonts. */
typedef struct built {
    jmap_arena *a;
    jmap_scene *s;
} built;

static built build(const char *yaml)
{
    built b = {.a = jmap_arena_new()};
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_map *m = test_compile(b.a, yaml, &d);
    assert_non_null(m);
    jmap_text_measurer tm = jmap_fonts_measurer(fonts);
    b.s = jmap_layout_build(b.a, m, NULL, &tm, &d);
    assert_non_null(b.s);
    jmap_diags_release(&d);
    return b;
}

static built build_file(const char *name)
{
    char *path = jmap_xprintf("%s/examples/%s", JMAP_SOURCE_DIR, name);
    char *yaml = test_read_file(path, NULL);
    built b = build(yaml);
    free(yaml);
    free(path);
    return b;
}

static mem render(const jmap_scene *s, const jmap_render_opts *o)
{
    mem m = {0};
    jmap_diags d;
    jmap_diags_init(&d);
    assert_true(jmap_render(s, fonts, o, mem_write, &m, &d));
    jmap_diags_release(&d);
    return m;
}

static xmlDocPtr parse(const mem *m)
{
    xmlDocPtr doc = xmlReadMemory(m->data, (int)m->len, "map.svg", NULL,
                                  XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR);
    assert_non_null(doc);
    return doc;
}

static bool named(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static char *prop(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static double prop_num(xmlNodePtr n, const char *name)
{
    char *v = prop(n, name);
    assert_non_null(v);
    double x = strtod(v, NULL);
    xmlFree(v);
    return x;
}

/* The child of the root with this id, or NULL. */
static xmlNodePtr by_id(xmlDocPtr doc, const char *id)
{
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        char *v = prop(n, "id");
        bool hit = v && strcmp(v, id) == 0;
        xmlFree(v);
        if (hit)
            return n;
    }
    return NULL;
}

/* `s` without its white space, for comparing a text with its wrapped lines. */
static char *squeeze(const char *s)
{
    char *o = jmap_xstrdup(s), *w = o;
    for (; *s; s++) {
        if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
            *w++ = *s;
    }
    *w = '\0';
    return o;
}

static bool drawn_text(const jmap_prim *p)
{
    return p->kind == JMAP_PRIM_TEXT && p->text && *p->text && p->color.a > 0;
}

/* Which drawn text of the scene each <text> of the layer is a line of: the one whose box holds
 * its baseline's start and whose text, squeezed, continues with it. -1 when none. */
static long owner(const jmap_scene *s, xmlNodePtr t, const char *const *rest)
{
    double x = prop_num(t, "x"), y = prop_num(t, "y");
    char *content = (char *)xmlNodeGetContent(t);
    char *line = squeeze(content);
    xmlFree(content);
    long hit = -1;
    for (size_t i = 0; i < s->n_prims && hit < 0; i++) {
        const jmap_prim *p = &s->prims[i];
        if (!drawn_text(p) || !rest[i])
            continue;
        if (x >= p->box.x - 1 && x <= p->box.x + p->box.w + 1 && y >= p->box.y &&
            y <= p->box.y + p->box.h + 1 && strncmp(rest[i], line, strlen(line)) == 0)
            hit = (long)i;
    }
    free(line);
    return hit;
}

static size_t stage_of(const jmap_scene *s, const jmap_prim *p)
{
    for (size_t c = 0; c < s->n_cols; c++) {
        if (p->box.x + 1 >= s->cols[c].x && p->box.x + 1 < s->cols[c].x + s->cols[c].w)
            return s->cols[c].stage_ix;
    }
    return SIZE_MAX;
}

static void the_layer_holds_every_drawn_text_once_in_reading_order_where_it_is_drawn(void **st)
{
    (void)st;
    built b = build_file("clinic-booking.yaml");
    const jmap_scene *s = b.s;
    jmap_render_opts o = svg_opts();
    mem m = render(s, &o);
    xmlDocPtr doc = parse(&m);
    xmlNodePtr layer = by_id(doc, "jmap-text");
    assert_non_null(layer);

    /* What is left to find of each drawn text, squeezed. */
    char **whole = calloc(s->n_prims, sizeof *whole);
    const char **rest = calloc(s->n_prims, sizeof *rest);
    size_t *first_seen = calloc(s->n_prims, sizeof *first_seen);
    size_t n_texts = 0;
    for (size_t i = 0; i < s->n_prims; i++) {
        if (drawn_text(&s->prims[i])) {
            rest[i] = whole[i] = squeeze(s->prims[i].text);
            n_texts++;
        }
    }
    assert_true(n_texts > 50);
    size_t order = 0;
    long last = -1;
    for (xmlNodePtr t = layer->children; t; t = t->next) {
        if (!named(t, "text"))
            continue;
        long i = owner(s, t, rest);
        assert_true(i >= 0);
        const jmap_prim *p = &s->prims[i];
        /* A text's lines are together: once another began, this one does not come back. */
        if (i != last) {
            assert_ptr_equal(rest[i], whole[i]);
            first_seen[i] = ++order;
            /* The first line's baseline where Pango drew it, within a point. */
            PangoLayout *l = jmap_fonts_layout(fonts, p->text, &p->font, p->box.w, p->align);
            double base = p->box.y + (double)pango_layout_get_baseline(l) / PANGO_SCALE;
            PangoRectangle r;
            PangoLayoutIter *it = pango_layout_get_iter(l);
            pango_layout_iter_get_line_extents(it, NULL, &r);
            pango_layout_iter_free(it);
            assert_float_equal(prop_num(t, "y"), base, 1.0);
            assert_float_equal(prop_num(t, "x"), p->box.x + (double)r.x / PANGO_SCALE, 1.0);
            assert_float_equal(prop_num(t, "textLength"), (double)r.width / PANGO_SCALE, 1.0);
            g_object_unref(l);
            /* In the map's font. */
            char *family = prop(t, "font-family");
            assert_string_equal(family, p->font.family);
            xmlFree(family);
            assert_float_equal(prop_num(t, "font-size"), p->font.size, 0.01);
            char *adjust = prop(t, "lengthAdjust");
            assert_string_equal(adjust, "spacingAndGlyphs");
            xmlFree(adjust);
        }
        char *content = (char *)xmlNodeGetContent(t);
        char *line = squeeze(content);
        rest[i] += strlen(line);
        free(line);
        xmlFree(content);
        last = i;
    }
    /* Every drawn text whole, exactly once. */
    for (size_t i = 0; i < s->n_prims; i++) {
        if (whole[i]) {
            assert_string_equal(rest[i], "");
            assert_true(first_seen[i] > 0);
        }
    }
    /* Reading order: the title first; the legend before the grid; the grid stage by stage, a
     * stage's name before its cards, and the cards of a stage left to right. */
    size_t title = 0, legend_last = 0, grid_first = SIZE_MAX;
    size_t prev_stage = 0, prev_card_x_order = 0;
    double prev_card_x = -1;
    for (size_t i = 0; i < s->n_prims; i++) {
        const jmap_prim *p = &s->prims[i];
        if (!whole[i])
            continue;
        if (strcmp(p->role, "title") == 0)
            title = first_seen[i];
        if (strncmp(p->role, "legend", 6) == 0 && first_seen[i] > legend_last)
            legend_last = first_seen[i];
        if ((strcmp(p->role, "stage-name") == 0 || strcmp(p->role, "card-name") == 0) &&
            first_seen[i] < grid_first)
            grid_first = first_seen[i];
    }
    assert_int_equal(title, 1);
    assert_true(legend_last < grid_first);
    /* Walk the grid texts in the layer's order. */
    for (size_t k = 1; k <= order; k++) {
        for (size_t i = 0; i < s->n_prims; i++) {
            const jmap_prim *p = &s->prims[i];
            if (!whole[i] || first_seen[i] != k)
                continue;
            size_t stage = stage_of(s, p);
            if (stage == SIZE_MAX || p->box.y < s->rows[0].y)
                continue;
            assert_true(stage >= prev_stage); /* stage by stage */
            if (stage != prev_stage) {
                prev_card_x = -1;
                assert_string_equal(p->role, "stage-name"); /* a stage opens with its name */
            }
            prev_stage = stage;
            if (strcmp(p->role, "card-name") == 0) {
                assert_true(p->box.x > prev_card_x); /* touchpoint by touchpoint */
                prev_card_x = p->box.x;
                prev_card_x_order = k;
            }
        }
    }
    assert_true(prev_stage > 0 && prev_card_x_order > 0);
    for (size_t i = 0; i < s->n_prims; i++)
        free(whole[i]);
    free(whole);
    free(rest);
    free(first_seen);
    xmlFreeDoc(doc);
    free(m.data);
    jmap_arena_free(b.a);
}

static char *root_prop(xmlDocPtr doc, const char *name)
{
    return prop(xmlDocGetRootElement(doc), name);
}

static void the_root_is_an_image_labelled_by_its_title_and_described_by_its_summary(void **st)
{
    (void)st;
    built b = build_file("clinic-booking.yaml");
    jmap_render_opts o = svg_opts();
    o.title = "Booking a physio appointment (current state)";
    o.summary = "A journey in 5 stages & 10 touchpoints <with> \"quotes\"";
    o.lang = "en-GB";
    mem m = render(b.s, &o);
    xmlDocPtr doc = parse(&m);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    char *role = root_prop(doc, "role"), *by = root_prop(doc, "aria-labelledby"),
         *desc_by = root_prop(doc, "aria-describedby");
    assert_string_equal(role, "img");
    xmlNodePtr title = by_id(doc, by), desc = by_id(doc, desc_by);
    assert_non_null(title);
    assert_non_null(desc);
    assert_true(named(title, "title") && named(desc, "desc"));
    /* The title is the root's first element, as SVG wants for its accessible name. */
    xmlNodePtr first = root->children;
    while (first && first->type != XML_ELEMENT_NODE)
        first = first->next;
    assert_ptr_equal(first, title);
    char *tt = (char *)xmlNodeGetContent(title), *dt = (char *)xmlNodeGetContent(desc);
    assert_string_equal(tt, o.title);
    assert_string_equal(dt, o.summary);
    char *lang = (char *)xmlGetNsProp(root, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    assert_string_equal(lang, "en-GB");
    xmlFree(lang);
    lang = root_prop(doc, "lang");
    assert_string_equal(lang, "en-GB");
    assert_null(xmlGetNsProp(desc, (const xmlChar *)"lang", XML_XML_NAMESPACE));
    xmlFree(role), xmlFree(by), xmlFree(desc_by), xmlFree(tt), xmlFree(dt), xmlFree(lang);
    xmlFreeDoc(doc);
    free(m.data);

    /* Without words: the scene's title still names it; no desc, no language claimed. */
    o = svg_opts();
    m = render(b.s, &o);
    doc = parse(&m);
    root = xmlDocGetRootElement(doc);
    by = root_prop(doc, "aria-labelledby");
    assert_non_null(by);
    tt = (char *)xmlNodeGetContent(by_id(doc, by));
    assert_string_equal(tt, b.s->title);
    assert_null(root_prop(doc, "aria-describedby"));
    assert_null(by_id(doc, "jmap-desc"));
    assert_null(xmlGetNsProp(root, (const xmlChar *)"lang", XML_XML_NAMESPACE));
    xmlFree(by), xmlFree(tt);
    xmlFreeDoc(doc);
    free(m.data);
    jmap_arena_free(b.a);
}

static void a_linked_card_is_covered_by_an_a_href_with_the_normalised_url(void **st)
{
    (void)st;
    built b = build("title: Links\n" TEST_VALID_MAP_BODY);
    /* Links of the scene, with a URL that needs normalising and escaping. */
    const char *raw = "https://example.com/it's a?x=1&y=<2>";
    size_t n_links = 0;
    jmap_prim *prims = jmap_xmalloc((b.s->n_prims + 2) * sizeof *prims);
    memcpy(prims, b.s->prims, b.s->n_prims * sizeof *prims);
    jmap_prim link = {.kind = JMAP_PRIM_LINK,
                      .role = "link",
                      .url = raw,
                      .box = {.x = 20.25, .y = 30.5, .w = 100, .h = 40.75}};
    prims[b.s->n_prims] = link;
    link.url = "";
    prims[b.s->n_prims + 1] = link; /* an empty url links nowhere */
    jmap_scene s = *b.s;
    s.prims = prims;
    s.n_prims += 2;
    jmap_render_opts o = svg_opts();
    mem m = render(&s, &o);
    xmlDocPtr doc = parse(&m);
    xmlNodePtr links = by_id(doc, "jmap-links");
    assert_non_null(links);
    char *want = jmap_url_normalize(raw);
    for (xmlNodePtr a = links->children; a; a = a->next) {
        if (!named(a, "a"))
            continue;
        n_links++;
        char *href = prop(a, "href");
        char *xhref = (char *)xmlGetNsProp(a, (const xmlChar *)"href",
                                           (const xmlChar *)"http://www.w3.org/1999/xlink");
        assert_string_equal(href, want);
        assert_string_equal(xhref, want);
        xmlNodePtr r = a->children;
        assert_true(named(r, "rect"));
        assert_float_equal(prop_num(r, "x"), 20.25, 0.005);
        assert_float_equal(prop_num(r, "y"), 30.5, 0.005);
        assert_float_equal(prop_num(r, "width"), 100, 0.005);
        assert_float_equal(prop_num(r, "height"), 40.75, 0.005);
        assert_null(xmlHasProp(a, (const xmlChar *)"aria-label")); /* over no card: no name */
        xmlFree(href), xmlFree(xhref);
    }
    assert_int_equal(n_links, 1);
    free(want);
    xmlFreeDoc(doc);
    free(m.data);
    free(prims);

    /* A real map: each card with a url gets one, over the card's box, named after the card's
     * touchpoint (the map's one linked card), for a screen reader. */
    jmap_arena_free(b.a);
    b = build_file("clinic-booking.yaml");
    m = render(b.s, &o);
    doc = parse(&m);
    links = by_id(doc, "jmap-links");
    assert_non_null(links);
    xmlNodePtr a = links->children;
    for (size_t i = 0; i < b.s->n_prims; i++) {
        const jmap_prim *p = &b.s->prims[i];
        if (p->kind != JMAP_PRIM_LINK)
            continue;
        while (a && !named(a, "a"))
            a = a->next;
        assert_non_null(a);
        char *href = prop(a, "href");
        char *norm = jmap_url_normalize(p->url);
        assert_string_equal(href, norm);
        assert_float_equal(prop_num(a->children, "x"), p->box.x, 0.005);
        assert_float_equal(prop_num(a->children, "width"), p->box.w, 0.005);
        char *label = prop(a, "aria-label");
        assert_non_null(label);
        assert_string_equal(label, "Insurer's provider list");
        xmlFree(label);
        xmlFree(href);
        free(norm);
        a = a->next;
    }
    xmlFreeDoc(doc);
    free(m.data);
    jmap_arena_free(b.a);
}

static void hostile_texts_stay_well_formed_xml(void **st)
{
    (void)st;
    test_need_tool("xmllint", "libxml2-utils");
    built b = build("title: \"a <b> & c ]]> d \\u202Eevil\\u202C '\\\"\"\n"
                    "personas: [{id: p, name: \"<script>alert(1)</script>\"}]\n"
                    "stages: [{id: s, name: \"]]><!-- &amp; -->\"}]\n"
                    "touchpoints:\n  - {stage: s, name: \"x\\ty & \\u05D0\\u05D1 z\"}\n");
    jmap_render_opts o = svg_opts();
    /* The options are not checked by anyone: controls and non-characters too. */
    o.title = "t\x01i\x1bt<l>e\xef\xbf\xbe&\xff";
    o.summary = "]]></desc><script/>";
    o.lang = "en\"><x";
    mem m = render(b.s, &o);
    xmlDocPtr doc = parse(&m);
    char *tt = (char *)xmlNodeGetContent(by_id(doc, "jmap-title"));
    assert_string_equal(tt, "t\xef\xbf\xbdi\xef\xbf\xbdt<l>e\xef\xbf\xbd&\xef\xbf\xbd");
    char *dt = (char *)xmlNodeGetContent(by_id(doc, "jmap-desc"));
    assert_string_equal(dt, o.summary);
    /* The map's own texts come back as they were written. */
    xmlNodePtr layer = by_id(doc, "jmap-text");
    bool script = false, bidi = false;
    for (xmlNodePtr t = layer->children; t; t = t->next) {
        char *c = (char *)xmlNodeGetContent(t);
        script = script || (c && strcmp(c, "<script>alert(1)</script>") == 0);
        bidi = bidi || (c && strstr(c, "\xe2\x80\xae"
                                       "evil"));
        xmlFree(c);
    }
    assert_true(script && bidi);
    xmlFree(tt), xmlFree(dt);
    xmlFreeDoc(doc);
    char *dir = test_tmpdir("svg-layer-hostile");
    char *path = jmap_xprintf("%s/h.svg", dir);
    test_write_file(path, m.data, m.len);
    char *cmd = jmap_xprintf("xmllint --noout '%s'", path);
    char *out = NULL, *err = NULL;
    assert_int_equal(test_run(cmd, &out, &err), 0);
    assert_string_equal(err, "");
    free(out), free(err), free(cmd), free(path), free(dir);
    free(m.data);
    jmap_arena_free(b.a);
}

/* ---- pixels ---- */

static cairo_surface_t *rasterise(const char *svg)
{
    char *png = jmap_xprintf("%s.png", svg);
    char *cmd = jmap_xprintf("rsvg-convert -o '%s' '%s'", png, svg);
    char *out = NULL, *err = NULL;
    assert_int_equal(test_run(cmd, &out, &err), 0);
    cairo_surface_t *img = cairo_image_surface_create_from_png(png);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    free(out), free(err), free(cmd), free(png);
    return img;
}

static bool same_pixels(cairo_surface_t *a, cairo_surface_t *b)
{
    int h = cairo_image_surface_get_height(a), stride = cairo_image_surface_get_stride(a);
    if (h != cairo_image_surface_get_height(b) || stride != cairo_image_surface_get_stride(b) ||
        cairo_image_surface_get_width(a) != cairo_image_surface_get_width(b))
        return false;
    return memcmp(cairo_image_surface_get_data(a), cairo_image_surface_get_data(b),
                  (size_t)h * (size_t)stride) == 0;
}

static void the_layer_and_links_do_not_change_a_pixel(void **st)
{
    (void)st;
    test_need_tool("rsvg-convert", "librsvg2-bin");
    built b = build_file("clinic-booking.yaml");
    jmap_render_opts o = svg_opts();
    o.title = "T";
    o.summary = "S";
    o.lang = "en";
    mem m = render(b.s, &o);
    char *dir = test_tmpdir("svg-layer-pixels");
    char *with = jmap_xprintf("%s/with.svg", dir), *without = jmap_xprintf("%s/without.svg", dir),
         *shown = jmap_xprintf("%s/shown.svg", dir);
    test_write_file(with, m.data, m.len);
    xmlDocPtr doc = parse(&m);
    xmlNodePtr layer = by_id(doc, "jmap-text"), links = by_id(doc, "jmap-links");
    assert_non_null(layer);
    assert_non_null(links);
    /* The same document with the layer painted: shows that the comparison can see it. */
    xmlSetProp(layer, (const xmlChar *)"fill-opacity", (const xmlChar *)"1");
    assert_true(xmlSaveFile(shown, doc) > 0);
    xmlUnlinkNode(layer);
    xmlFreeNode(layer);
    xmlUnlinkNode(links);
    xmlFreeNode(links);
    assert_true(xmlSaveFile(without, doc) > 0);
    xmlFreeDoc(doc);
    cairo_surface_t *a = rasterise(with), *z = rasterise(without), *v = rasterise(shown);
    assert_true(same_pixels(a, z));
    assert_false(same_pixels(a, v));
    cairo_surface_destroy(a), cairo_surface_destroy(z), cairo_surface_destroy(v);
    free(with), free(without), free(shown), free(dir);
    free(m.data);
    jmap_arena_free(b.a);
}

/* Some `attr` value in `svg` is a number with a fractional part. */
static bool has_fraction(const char *svg, const char *attr)
{
    for (const char *at = strstr(svg, attr); at; at = strstr(at + 1, attr)) {
        const char *v = at + strlen(attr);
        size_t n = strspn(v, "-0123456789");
        if (v[n] == '.' && v[n + 1] >= '0' && v[n + 1] <= '9')
            return true;
    }
    return false;
}

static void the_svg_is_byte_identical_across_runs_and_locales(void **st)
{
    (void)st;
    built b = build_file("clinic-booking.yaml");
    jmap_render_opts o = svg_opts();
    o.title = "T";
    o.summary = "S 1.5";
    o.lang = "de-DE";
    mem one = render(b.s, &o), two = render(b.s, &o);
    assert_int_equal(one.len, two.len);
    assert_memory_equal(one.data, two.data, one.len);
    test_need_comma_locale();
    mem comma = render(b.s, &o);
    test_use_c_locale();
    assert_int_equal(one.len, comma.len);
    assert_memory_equal(one.data, comma.data, one.len);
    /* Fractions are written with a point (the type scale's sizes are whole; lengths are not). */
    assert_true(has_fraction(one.data, " textLength=\""));
    free(one.data), free(two.data), free(comma.data);
    jmap_arena_free(b.a);
}

/* ---- a hand-made grid: reading order, not drawing order ---- */

static jmap_prim text_at(const char *role, const char *text, double x, double y)
{
    jmap_font f = {.family = "DejaVu Sans", .size = 10, .weight = 400};
    return (jmap_prim){.kind = JMAP_PRIM_TEXT,
                       .role = role,
                       .text = text,
                       .font = f,
                       .color = {0, 0, 0, 255},
                       .box = {x, y, 80, 40},
                       .cell = JMAP_NONE};
}

static void lines_come_in_reading_order_whatever_the_drawing_order(void **st)
{
    (void)st;
    jmap_scene_row rows[2] = {{.y = 100, .h = 50}, {.y = 150, .h = 50}};
    jmap_scene_col cols[2] = {{.stage_ix = 0, .x = 100, .w = 100},
                              {.stage_ix = 1, .x = 200, .w = 100}};
    jmap_prim p[12];
    size_t n = 0;
    p[n++] = text_at("cell", "S1 bottom", 210, 155);
    p[n++] = text_at("cell", "S0 top", 110, 105);
    p[n++] = text_at("lane-label", "Lane two", 10, 155);
    p[n++] = text_at("cell", "Right", 400, 105);
    p[n++] = text_at("title", "  Head\r", -2.5, 10);
    p[n++] = text_at("note", "Foot\n\nnote", 10, 300);
    p[n++] = text_at("lane-label", "Lane one", 10, 105);
    p[n++] = text_at("cell", "S1 top", 210, 105);
    p[n++] = text_at("cell", "S0 bottom", 110, 155);
    p[n++] = text_at("legend-name", "Legend", 500, 10);
    p[n++] = text_at("cell", "unseen", 110, 110);
    p[n - 1].color.a = 0; /* not drawn, so not in the layer */
    p[n++] = text_at("cell", " \n ", 110, 120);
    p[4].font.weight = 700;
    p[4].font.italic = true;
    jmap_scene s = {.width = 600,
                    .height = 400,
                    .title = "Grid",
                    .prims = p,
                    .n_prims = n,
                    .rows = rows,
                    .n_rows = 2,
                    .cols = cols,
                    .n_cols = 2};
    jmap_render_opts o = svg_opts();
    mem m = render(&s, &o);
    xmlDocPtr doc = parse(&m);
    const char *want[] = {"Head",   "Legend",    "Lane one", "Lane two", "S0 top", "S0 bottom",
                          "S1 top", "S1 bottom", "Right",    "Foot",     "note"};
    size_t k = 0;
    for (xmlNodePtr t = by_id(doc, "jmap-text")->children; t; t = t->next) {
        if (!named(t, "text"))
            continue;
        assert_true(k < sizeof want / sizeof *want);
        char *c = (char *)xmlNodeGetContent(t);
        assert_string_equal(c, want[k]);
        if (k == 0) {
            char *x = prop(t, "x"), *w = prop(t, "font-weight"), *i = prop(t, "font-style");
            assert_string_equal(x, "-2.5");
            assert_string_equal(w, "700");
            assert_string_equal(i, "italic");
            xmlFree(x), xmlFree(w), xmlFree(i);
        }
        xmlFree(c);
        k++;
    }
    assert_int_equal(k, sizeof want / sizeof *want);
    assert_null(by_id(doc, "jmap-links")); /* no link, no group */
    xmlFreeDoc(doc);
    free(m.data);
}

/* ---- the stream filter alone ---- */

static mem filter(const char *in, size_t chunk, const jmap_scene *s, const jmap_render_opts *o)
{
    mem m = {0};
    jmap_svg_layer *y = jmap_svg_layer_new(s, o, mem_write, &m);
    size_t n = strlen(in);
    for (size_t i = 0; i < n; i += chunk)
        assert_true(
            jmap_svg_layer_put(y, (const unsigned char *)in + i, n - i < chunk ? n - i : chunk));
    assert_true(jmap_svg_layer_put(y, (const unsigned char *)"", 0));
    assert_true(jmap_svg_layer_end(y));
    jmap_svg_layer_free(y);
    if (!m.data)
        m.data = jmap_xstrdup("");
    return m;
}

static bool refuse(void *closure, const unsigned char *data, size_t len)
{
    (void)closure, (void)data, (void)len;
    return false;
}

static void what_is_not_cairos_svg_passes_untouched(void **st)
{
    (void)st;
    jmap_scene s = {.width = 10, .height = 10};
    jmap_render_opts o = svg_opts();
    o.title = "T\r\n\xc3(\xf0\x9f\x98\x80\xc3\xa9\xe2\x82";
    char *big = calloc(6000, 1);
    memset(big, 'x', 5999);
    const char *same[] = {"", "<?xml?>\n<svg/>\n", "<svg width=\"1\"><g/>", big,
                          "<?xml?>\n<p>no root here</p>"};
    for (size_t c = 1; c <= 7; c += 6) {
        for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
            mem m = filter(same[i], c, &s, &o);
            if (i == 2) /* a root: words added, but no end tag for a layer */
                assert_non_null(strstr(m.data, "<g/>"));
            else
                assert_string_equal(m.data, same[i]);
            free(m.data);
        }
    }
    /* Cairo's shape, split anywhere: the title escaped, U+FFFD for what XML cannot hold. */
    for (size_t c = 1; c <= 64; c *= 4) {
        mem m = filter("<?xml?>\n<svg a=\"1\">\n<g/>\n</svg>\n", c, &s, &o);
        assert_string_equal(m.data,
                            "<?xml?>\n<svg a=\"1\" role=\"img\" aria-labelledby=\"jmap-title\">\n"
                            "<title id=\"jmap-title\">T&#13;&#10;\xef\xbf\xbd(\xf0\x9f\x98\x80"
                            "\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd</title>\n<g/>\n</svg>\n");
        free(m.data);
    }
    /* A write that fails is reported, at once and at the end. */
    jmap_svg_layer *y = jmap_svg_layer_new(&s, &o, refuse, NULL);
    assert_false(jmap_svg_layer_put(y, (const unsigned char *)big, 5999));
    assert_false(jmap_svg_layer_end(y));
    jmap_svg_layer_free(y);
    jmap_svg_layer_free(NULL);
    free(big);
}

/* Cairo writes its page in one piece as large as the document: passed on from where it is, the
 * bytes are the same as when the same document comes a byte at a time, and the links still go
 * before the closing tag. */
static void a_page_written_in_one_piece_comes_out_as_written_byte_by_byte(void **st)
{
    (void)st;
    jmap_prim link = {.kind = JMAP_PRIM_LINK, .box = {1, 2, 3, 4}, .url = "https://example.com/"};
    jmap_scene s = {.width = 10, .height = 10, .prims = &link, .n_prims = 1};
    jmap_render_opts o = svg_opts();
    o.title = "T";
    const char *head = "<?xml?>\n<svg a=\"1\">\n";
    jmap_strbuf doc = {0};
    jmap_strbuf_puts(&doc, head);
    for (int i = 0; i < 20000; i++)
        jmap_strbuf_puts(&doc, "<use x=\"1\"/>\n");
    jmap_strbuf_puts(&doc, "</svg>\n");
    mem bytewise = filter(doc.s, 1, &s, &o);
    for (size_t tail = 0; tail <= 40; tail += 8) {
        /* The head, then the page and the last `tail` bytes as separate writes. */
        mem m = {0};
        jmap_svg_layer *y = jmap_svg_layer_new(&s, &o, mem_write, &m);
        size_t nh = strlen(head), page = doc.len - nh - tail;
        assert_true(jmap_svg_layer_put(y, (const unsigned char *)doc.s, nh));
        assert_true(jmap_svg_layer_put(y, (const unsigned char *)doc.s + nh, page));
        assert_true(m.len >= nh + page - 32); /* passed on before the end */
        assert_true(jmap_svg_layer_put(y, (const unsigned char *)doc.s + nh + page, tail));
        assert_true(jmap_svg_layer_end(y));
        jmap_svg_layer_free(y);
        assert_int_equal(m.len, bytewise.len);
        assert_memory_equal(m.data, bytewise.data, m.len);
        free(m.data);
    }
    assert_non_null(strstr(bytewise.data, "<g id=\"jmap-links\""));
    assert_non_null(strstr(bytewise.data, "</g>\n</svg>\n"));
    free(bytewise.data);
    free(doc.s);
}

static void the_binary_writes_the_layer_and_the_models_words(void **st)
{
    (void)st;
    char *dir = test_tmpdir("svg-layer-cli");
    char *svg = jmap_xprintf("%s/m.svg", dir);
    char *out = NULL, *err = NULL;
    assert_int_equal(test_jmap(&out, &err, "build '%s/examples/clinic-booking.yaml' -o '%s'",
                               JMAP_SOURCE_DIR, svg),
                     0);
    size_t len;
    char *data = test_read_file(svg, &len);
    mem m = {.data = data, .len = len};
    xmlDocPtr doc = parse(&m);
    assert_non_null(by_id(doc, "jmap-text"));
    assert_non_null(by_id(doc, "jmap-links"));
    char *role = root_prop(doc, "role");
    assert_string_equal(role, "img");
    /* The words are the model's, as jmap/summary.h puts them. */
    char *path = jmap_xprintf("%s/examples/clinic-booking.yaml", JMAP_SOURCE_DIR);
    char *yaml = test_read_file(path, NULL);
    jmap_arena *a = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_map *map = test_compile(a, yaml, &d);
    assert_non_null(map);
    char *want_title = jmap_summary_title(map), *want_desc = jmap_summary(map);
    char *by = root_prop(doc, "aria-labelledby"), *desc_by = root_prop(doc, "aria-describedby");
    char *tt = (char *)xmlNodeGetContent(by_id(doc, by));
    char *dt = (char *)xmlNodeGetContent(by_id(doc, desc_by));
    assert_string_equal(tt, want_title);
    assert_string_equal(dt, want_desc);
    xmlFree(role), xmlFree(by), xmlFree(desc_by), xmlFree(tt), xmlFree(dt);
    free(want_title), free(want_desc), free(yaml), free(path);
    jmap_diags_release(&d);
    jmap_arena_free(a);
    xmlFreeDoc(doc);
    free(data), free(out), free(err), free(svg), free(dir);
}

static void the_maps_lang_reaches_the_root_through_the_binary(void **st)
{
    (void)st;
    char *dir = test_tmpdir("svg-layer-lang");
    char *map = test_put(dir, "m.yaml", "title: Carte\nlang: fr-CA\n" TEST_VALID_MAP_BODY);
    char *svg = jmap_xprintf("%s/m.svg", dir);
    char *out = NULL, *err = NULL;
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o '%s'", map, svg), 0);
    size_t len;
    char *data = test_read_file(svg, &len);
    mem m = {.data = data, .len = len};
    xmlDocPtr doc = parse(&m);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    char *lang = (char *)xmlGetNsProp(root, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    assert_string_equal(lang, "fr-CA");
    xmlFree(lang);
    /* The summary is English whatever the map is in, and says so. */
    lang =
        (char *)xmlGetNsProp(by_id(doc, "jmap-desc"), (const xmlChar *)"lang", XML_XML_NAMESPACE);
    assert_string_equal(lang, "en");
    xmlFree(lang);
    xmlFreeDoc(doc);
    free(data), free(out), free(err), free(svg), free(map), free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_layer_holds_every_drawn_text_once_in_reading_order_where_it_is_drawn),
        cmocka_unit_test(the_root_is_an_image_labelled_by_its_title_and_described_by_its_summary),
        cmocka_unit_test(a_linked_card_is_covered_by_an_a_href_with_the_normalised_url),
        cmocka_unit_test(hostile_texts_stay_well_formed_xml),
        cmocka_unit_test(the_layer_and_links_do_not_change_a_pixel),
        cmocka_unit_test(the_svg_is_byte_identical_across_runs_and_locales),
        cmocka_unit_test(lines_come_in_reading_order_whatever_the_drawing_order),
        cmocka_unit_test(what_is_not_cairos_svg_passes_untouched),
        cmocka_unit_test(a_page_written_in_one_piece_comes_out_as_written_byte_by_byte),
        cmocka_unit_test(the_binary_writes_the_layer_and_the_models_words),
        cmocka_unit_test(the_maps_lang_reaches_the_root_through_the_binary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
