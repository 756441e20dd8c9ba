/* A drawn map's SVG opened in a real browser, headless Chromium (docs/accessibility.md): the
 * text layer changes no pixel, find and copy work on it, a linked card's link is where the card
 * is, and the accessibility tree names and describes the map. One browser start for all tests,
 * driven by tests/svg_browser.py over the DevTools protocol. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "jmap/url.h"
#include "json.h"
#include "support.h"

#define CHROMIUM "/usr/bin/chromium"
#define MAP "clinic-booking.yaml"
/* In the map: a word drawn once in a touchpoint's thought, a touchpoint's name (one line, with
 * an apostrophe to escape), and the url and name of the one linked card. */
#define WORD "Fourteen"
#define LINE "GP's recommendation"
#define URL "https://example.com/insurers/provider-feed"
#define CARD "Insurer's provider list" /* the linked card's touchpoint */

typedef struct browsed {
    char *dir, *svg;
    json *found; /* what svg_browser.py reports */
} browsed;

static browsed b;

/* The box of the scene's first link (the linked card's box), from `jmap build --dump-layout`. */
static void card_box(const char *map, double box[4])
{
    char *out = NULL, *err = NULL;
    assert_int_equal(test_jmap(&out, &err, "build --dump-layout '%s'", map), 0);
    bool got = false;
    for (const char *l = out; l && *l && !got; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        got = sscanf(l, "%*u link %*s %lf %lf %lf %lf", &box[0], &box[1], &box[2], &box[3]) == 4;
    assert_true(got);
    free(out), free(err);
}

/* The SVG without its text layer and links, and with its text layer painted, for the pixel
 * comparison: written with libxml2 beside the SVG. */
static void write_variants(const char *svg, const char *without, const char *shown)
{
    xmlDocPtr doc = xmlReadFile(svg, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlNodePtr layer = NULL, links = NULL;
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        char *id =
            n->type == XML_ELEMENT_NODE ? (char *)xmlGetProp(n, (const xmlChar *)"id") : NULL;
        if (id && strcmp(id, "jmap-text") == 0)
            layer = n;
        if (id && strcmp(id, "jmap-links") == 0)
            links = n;
        xmlFree(id);
    }
    assert_non_null(layer);
    assert_non_null(links);
    xmlSetProp(layer, (const xmlChar *)"fill-opacity", (const xmlChar *)"1");
    assert_true(xmlSaveFile(shown, doc) > 0);
    xmlUnlinkNode(layer);
    xmlFreeNode(layer);
    xmlUnlinkNode(links);
    xmlFreeNode(links);
    assert_true(xmlSaveFile(without, doc) > 0);
    xmlFreeDoc(doc);
}

/* Draw the map and open it in Chromium, once: every test reads the same findings. */
static const json *browse(void)
{
    test_need_tool("chromium", "chromium");
    test_need_tool("python3", "python3");
    if (b.found)
        return b.found;
    assert_null(b.dir); /* a first run that failed fails every test, without another start */
    b.dir = test_tmpdir("svg-browser");
    b.svg = jmap_xprintf("%s/map.svg", b.dir);
    char *map = jmap_xprintf("%s/examples/%s", JMAP_SOURCE_DIR, MAP);
    char *out = NULL, *err = NULL;
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o '%s'", map, b.svg), 0);
    free(out), free(err);
    double box[4];
    card_box(map, box);
    char *without = jmap_xprintf("%s/without.svg", b.dir),
         *shown = jmap_xprintf("%s/shown.svg", b.dir);
    write_variants(b.svg, without, shown);
    char *spec = jmap_xprintf("%s/spec.json", b.dir);
    char *text = jmap_xprintf("{\"without\": \"%s\", \"shown\": \"%s\", \"word\": \"%s\", "
                              "\"line\": \"%s\", \"card\": [%.2f, %.2f, %.2f, %.2f]}",
                              without, shown, WORD, LINE, box[0], box[1], box[2], box[3]);
    free(without), free(shown);
    test_write_file(spec, text, strlen(text));
    free(text);
    /* The script kills the browser after 45 s; timeout(1) is the second guard. */
    char *cmd = jmap_xprintf("timeout -k 5 60 python3 '%s/svg_browser.py' '%s' '%s' '%s' '%s'",
                             JMAP_TEST_DIR, CHROMIUM, b.svg, b.dir, spec);
    int rc = test_run(cmd, &out, &err);
    if (rc != 0)
        fprintf(stderr, "%s\n%s", cmd, err ? err : "");
    assert_int_equal(rc, 0);
    b.found = json_parse(out, strlen(out));
    assert_non_null(b.found);
    free(out), free(err), free(cmd), free(spec), free(map);
    return b.found;
}

static int teardown(void **state)
{
    (void)state;
    json_free(b.found);
    free(b.dir), free(b.svg);
    return 0;
}

static const char *str_at(const json *j, const char *path1, const char *path2)
{
    const json *o = path2 ? json_get(j, path1) : j;
    const char *v = json_str(o, path2 ? path2 : path1);
    assert_non_null(v);
    return v;
}

static bool truth(const json *j, const char *key)
{
    const json *v = json_get(j, key);
    assert_non_null(v);
    return v->kind == JSON_BOOL && v->boolean;
}

/* ---- the SVG as jmap wrote it, read with libxml2 ---- */

static xmlDocPtr parse_svg(void)
{
    xmlDocPtr doc = xmlReadFile(b.svg, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    return doc;
}

static xmlNodePtr child_with_id(xmlDocPtr doc, const char *id)
{
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        char *v = n->type == XML_ELEMENT_NODE ? (char *)xmlGetProp(n, (const xmlChar *)"id") : NULL;
        bool hit = v && strcmp(v, id) == 0;
        xmlFree(v);
        if (hit)
            return n;
    }
    return NULL;
}

static char *content_of(xmlDocPtr doc, const char *id)
{
    xmlNodePtr n = child_with_id(doc, id);
    assert_non_null(n);
    return (char *)xmlNodeGetContent(n);
}

/* ---- pixels ---- */

static cairo_surface_t *png(const char *name)
{
    char *path = jmap_xprintf("%s/%s", b.dir, name);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    free(path);
    return s;
}

static size_t pixels_differing(cairo_surface_t *x, cairo_surface_t *y)
{
    int w = cairo_image_surface_get_width(x), h = cairo_image_surface_get_height(x);
    assert_int_equal(w, cairo_image_surface_get_width(y));
    assert_int_equal(h, cairo_image_surface_get_height(y));
    int sx = cairo_image_surface_get_stride(x), sy = cairo_image_surface_get_stride(y);
    const unsigned char *px = cairo_image_surface_get_data(x),
                        *py = cairo_image_surface_get_data(y);
    size_t n = 0;
    for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++)
            n += memcmp(px + r * sx + 4 * c, py + r * sy + 4 * c, 4) != 0;
    return n;
}

static void the_layer_and_links_change_no_pixel_in_chromium(void **st)
{
    (void)st;
    const json *f = browse();
    /* Opened as an SVG document, at the map's own size. */
    assert_string_equal(str_at(f, "content_type", NULL), "image/svg+xml");
    cairo_surface_t *with = png("with.png"), *without = png("without.png"),
                    *shown = png("shown.png");
    assert_true(cairo_image_surface_get_width(with) > 500);
    assert_int_equal(pixels_differing(with, without), 0);
    /* The comparison sees the layer once it is painted. */
    assert_true(pixels_differing(with, shown) > 1000);
    cairo_surface_destroy(with), cairo_surface_destroy(without), cairo_surface_destroy(shown);
}

/* ---- find, select, copy ---- */

static void find_in_page_finds_and_selects_a_touchpoints_word(void **st)
{
    (void)st;
    const json *f = browse();
    assert_true(truth(f, "find"));
    assert_string_equal(str_at(f, "find_selection", NULL), WORD);
    assert_true(truth(f, "find_in_layer"));
}

static void a_selected_line_copies_as_its_exact_text(void **st)
{
    (void)st;
    const json *f = browse();
    assert_true(truth(f, "line_found"));
    assert_string_equal(str_at(f, "line_selection", NULL), LINE);
    /* Through the browser's copy command and its clipboard. */
    assert_string_equal(str_at(f, "clipboard", NULL), LINE);
}

/* ---- links ---- */

static void the_centre_of_the_linked_card_is_its_link(void **st)
{
    (void)st;
    const json *f = browse();
    char *want = jmap_url_normalize(URL);
    assert_string_equal(str_at(f, "link", "href"), want);
    assert_string_equal(str_at(f, "link", "resolved"), want);
    free(want);
}

/* ---- what a screen reader gets ---- */

static void the_accessibility_tree_has_an_image_named_and_described(void **st)
{
    (void)st;
    const json *f = browse();
    xmlDocPtr doc = parse_svg();
    char *title = content_of(doc, "jmap-title"), *desc = content_of(doc, "jmap-desc");
    assert_non_null(strstr(title, "Booking a physio appointment"));
    assert_true(strlen(desc) > 100);
    assert_string_equal(str_at(f, "ax", "root_role"), "image");
    assert_string_equal(str_at(f, "ax", "root_name"), title);
    assert_string_equal(str_at(f, "ax", "root_description"), desc);
    xmlFree(title), xmlFree(desc);
    xmlFreeDoc(doc);
}

/* The card's link is named after its touchpoint, or a screen reader would say only "link". */
static void the_links_name_is_its_touchpoints_name(void **st)
{
    (void)st;
    const json *f = browse();
    const json *links = json_get(json_get(f, "ax"), "links");
    assert_non_null(links);
    assert_int_equal(links->n_items, 1);
    assert_int_equal(links->items[0]->kind, JSON_STRING);
    assert_string_equal(links->items[0]->string, CARD);
}

/* Chromium 156 does not make the image's children presentational in an SVG document: the text
 * layer is in the tree under the image, line by line, in the layer's (reading) order. */
static void the_layer_is_read_under_the_image_in_reading_order(void **st)
{
    (void)st;
    const json *f = browse();
    const json *texts = json_get(json_get(f, "ax"), "root_texts");
    assert_non_null(texts);
    xmlDocPtr doc = parse_svg();
    xmlNodePtr layer = child_with_id(doc, "jmap-text");
    assert_non_null(layer);
    size_t i = 0;
    for (xmlNodePtr t = layer->children; t; t = t->next) {
        if (t->type != XML_ELEMENT_NODE)
            continue;
        char *line = (char *)xmlNodeGetContent(t);
        const json *got = json_at(texts, i++);
        assert_non_null(got);
        assert_int_equal(got->kind, JSON_STRING);
        assert_string_equal(got->string, line);
        xmlFree(line);
    }
    assert_true(i > 50);
    xmlFreeDoc(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_layer_and_links_change_no_pixel_in_chromium),
        cmocka_unit_test(find_in_page_finds_and_selects_a_touchpoints_word),
        cmocka_unit_test(a_selected_line_copies_as_its_exact_text),
        cmocka_unit_test(the_centre_of_the_linked_card_is_its_link),
        cmocka_unit_test(the_accessibility_tree_has_an_image_named_and_described),
        cmocka_unit_test(the_links_name_is_its_touchpoints_name),
        cmocka_unit_test(the_layer_is_read_under_the_image_in_reading_order),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
