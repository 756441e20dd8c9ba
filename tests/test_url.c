/* Links: urls are normalised to RFC 3986 characters before Cairo sees them, so a hostile url
 * cannot add anything to the PDF but a link. The PDFs are read back with qpdf. */
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

#include "jmap/render.h"
#include "jmap/url.h"
#include "json.h"
#include "support.h"

/* The url that, written raw into "/URI (...)" by Cairo 1.16, closes the string and chains a
 * JavaScript action to the link. */
#define HOSTILE "https://e.com/)/Next<</S/JavaScript/JS(app.alert(1))>>/X("
#define HOSTILE_NORMAL                                                                         \
    "https://e.com/%29/Next%3C%3C/S/JavaScript/JS%28app.alert%281%29%29%3E%3E/X%28"

/* The characters the normaliser may leave, written out independently of url.c. */
static bool allowed(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("-._~:/?#[]@!$&*+,;=%", c));
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* Only allowed characters, and every '%' starts an escape. */
static void assert_normal(const char *s)
{
    for (size_t i = 0; s[i]; i++) {
        if (!allowed((unsigned char)s[i]) ||
            (s[i] == '%' && !(is_hex(s[i + 1]) && is_hex(s[i + 2])))) {
            print_error("not normal at byte %zu: %s\n", i, s);
            fail();
        }
    }
}

static void assert_normalizes_to(const char *url, const char *want)
{
    char *got = jmap_url_normalize(url);
    assert_string_equal(got, want);
    assert_normal(got);
    char *again = jmap_url_normalize(got);
    assert_string_equal(again, got);
    free(again);
    free(got);
}

/* ---- the normaliser ---------------------------------------------------------------------- */

static void ordinary_urls_are_left_as_they_are(void **state)
{
    (void)state;
    assert_normalizes_to("https://example.com/a/b?q=1&r=two#top",
                         "https://example.com/a/b?q=1&r=two#top");
    assert_normalizes_to("https://user@[::1]:8080/~me/a_b-c.d!$*+,;=",
                         "https://user@[::1]:8080/~me/a_b-c.d!$*+,;=");
    assert_normalizes_to("mailto:cx@example.com?subject=Hi%20there",
                         "mailto:cx@example.com?subject=Hi%20there");
    assert_normalizes_to("", "");
}

static void pdf_and_cairo_syntax_characters_are_encoded(void **state)
{
    (void)state;
    assert_normalizes_to(HOSTILE, HOSTILE_NORMAL);
    assert_normalizes_to("https://e.com/a\\", "https://e.com/a%5C");
    assert_normalizes_to("https://e.com/it's", "https://e.com/it%27s");
    assert_normalizes_to("https://e.com/(x)", "https://e.com/%28x%29");
    assert_normalizes_to("https://e.com/<a b=\"c\">", "https://e.com/%3Ca%20b=%22c%22%3E");
    assert_normalizes_to("https://e.com/{|}^`", "https://e.com/%7B%7C%7D%5E%60");
}

static void controls_and_non_ascii_bytes_are_encoded(void **state)
{
    (void)state;
    assert_normalizes_to("https://e.com/\x01\t\r\n\x7f", "https://e.com/%01%09%0D%0A%7F");
    assert_normalizes_to("https://e.com/caf\xc3\xa9", "https://e.com/caf%C3%A9");
    assert_normalizes_to("https://e.com/\xff\x80", "https://e.com/%FF%80");
}

static void a_percent_is_kept_only_where_it_starts_an_escape(void **state)
{
    (void)state;
    assert_normalizes_to("https://e.com/%41%4a%zz%4", "https://e.com/%41%4a%25zz%254");
    assert_normalizes_to("https://e.com/100%", "https://e.com/100%25");
    assert_normalizes_to("%%%", "%25%25%25");
}

static void every_byte_comes_out_allowed_and_stable(void **state)
{
    (void)state;
    for (int c = 1; c < 256; c++) {
        char in[4] = {(char)c, (char)c, 'x', '\0'};
        char *out = jmap_url_normalize(in);
        assert_normal(out);
        char *again = jmap_url_normalize(out);
        assert_string_equal(again, out);
        /* a byte is kept exactly when it is allowed and not a bare '%' */
        bool kept = strcmp(out, in) == 0;
        assert_int_equal(kept, allowed((unsigned char)c) && c != '%');
        assert_int_equal(jmap_url_char_kept((unsigned char)c), kept);
        free(again);
        free(out);
    }
}

/* ---- in check ------------------------------------------------------------------------- */

/* YAML's "\0" puts a NUL inside the value; check reads the whole value, not up to it. */
static void check_rejects_a_url_with_a_nul_inside(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    const char *yaml = "title: T\n" TEST_VALID_MAP_BODY
                       "  - {stage: purchase, name: N, url: \"https://e.com/\\0<x>\"}\n";
    assert_null(test_compile(a, yaml, &d));
    const jmap_diag *g = test_diag_find(&d, "invalid-url");
    assert_non_null(g);
    assert_int_equal(g->loc.line, 16);
    assert_int_equal(d.n_errors, 1);
    jmap_diags_release(&d);
    jmap_arena_free(a);
}

/* ---- in the PDF ------------------------------------------------------------------------- */

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

static const json *object(const json *objects, const char *ref)
{
    char *key = jmap_xprintf("obj:%s", ref);
    const json *o = json_get(json_get(objects, key), "value");
    free(key);
    return o;
}

/* True when any object of the file has this key in a dictionary, at any depth. */
static bool has_key_anywhere(const json *j, const char *key)
{
    if (j->kind != JSON_OBJECT && j->kind != JSON_ARRAY)
        return false;
    for (size_t i = 0; i < j->n_items; i++) {
        if (j->kind == JSON_OBJECT && strcmp(j->keys[i], key) == 0)
            return true;
        if (has_key_anywhere(j->items[i], key))
            return true;
    }
    return false;
}

/* True when an object other than an outline item (the stages' bookmarks: /Title, /Parent)
 * chains a /Next: an action that runs another. */
static bool has_next_action(const json *objects)
{
    for (size_t i = 0; i < objects->n_items; i++) {
        const json *o = json_get(objects->items[i], "value");
        if (!o || o->kind != JSON_OBJECT)
            continue;
        bool outline_item = json_get(o, "/Title") && json_get(o, "/Parent");
        if (!outline_item && has_key_anywhere(o, "/Next"))
            return true;
    }
    return false;
}

/* True when any string in the file, at any depth, is `s` (a name such as "/JavaScript"). */
static bool has_string_anywhere(const json *j, const char *s)
{
    if (j->kind == JSON_STRING)
        return strcmp(j->string, s) == 0;
    for (size_t i = 0; (j->kind == JSON_OBJECT || j->kind == JSON_ARRAY) && i < j->n_items; i++) {
        if (has_string_anywhere(j->items[i], s))
            return true;
    }
    return false;
}

/*
 * The PDF at `path` passes `qpdf --check`, and its first page has exactly `n` link
 * annotations, the i-th with a single /URI action to want[i] and nothing else: no /JS, /Next,
 * /Launch or JavaScript anywhere in the file.
 */
static void assert_pdf_links(const char *path, const char *const *want, size_t n)
{
    test_qpdf_check(path);

    char *out = NULL;
    char *cmd = jmap_xprintf("qpdf --json '%s'", path);
    assert_int_equal(test_run(cmd, &out, NULL), 0);
    free(cmd);
    json *j = json_parse(out, strlen(out));
    assert_non_null(j);
    const json *qpdf = json_get(j, "qpdf");
    const json *objects = json_at(qpdf, 1);
    assert_non_null(objects);
    const char *page_ref = json_str(json_at(json_get(j, "pages"), 0), "object");
    assert_non_null(page_ref);
    const json *annots = json_get(object(objects, page_ref), "/Annots");
    assert_non_null(annots);
    assert_int_equal(annots->kind, JSON_ARRAY);

    size_t links = 0;
    for (size_t i = 0; i < annots->n_items; i++) {
        const json *ref = json_at(annots, i);
        const json *a = ref->kind == JSON_STRING ? object(objects, ref->string) : ref;
        assert_non_null(a);
        if (!json_str(a, "/Subtype") || strcmp(json_str(a, "/Subtype"), "/Link") != 0)
            continue;
        assert_true(links < n);
        const json *action = json_get(a, "/A");
        assert_non_null(action);
        assert_int_equal(action->kind, JSON_OBJECT);
        assert_string_equal(json_str(action, "/S"), "/URI");
        char *uri = jmap_xprintf("u:%s", want[links]);
        assert_string_equal(json_str(action, "/URI"), uri);
        free(uri);
        /* the action holds its type, its kind and its URI, nothing else */
        for (size_t k = 0; k < action->n_items; k++)
            assert_true(strcmp(action->keys[k], "/S") == 0 ||
                        strcmp(action->keys[k], "/Type") == 0 ||
                        strcmp(action->keys[k], "/URI") == 0);
        assert_null(json_get(a, "/JS"));
        assert_null(json_get(a, "/Next"));
        assert_null(json_get(a, "/Launch"));
        links++;
    }
    assert_int_equal(links, n);
    assert_false(has_key_anywhere(objects, "/JS"));
    assert_false(has_next_action(objects));
    assert_false(has_key_anywhere(objects, "/Launch"));
    assert_false(has_string_anywhere(objects, "/JavaScript"));
    json_free(j);
    free(out);
}

static void a_link_in_the_pdf_is_one_uri_action_whatever_its_url(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    /* Control characters and a quote cannot get past `check`; render must be safe alone. */
    static const char *const urls[] = {
        HOSTILE,
        "https://e.com/end\\",
        "https://e.com/a)b",
        "https://e.com/\x01\x1b]52;c;x\x07",
        "https://e.com/it's \"q\"",
        "https://e.com/caf\xc3\xa9/\xe2\x80\xae",
        "https://e.com/(((",
    };
    static const char *const want[] = {
        HOSTILE_NORMAL,
        "https://e.com/end%5C",
        "https://e.com/a%29b",
        "https://e.com/%01%1B]52;c;x%07",
        "https://e.com/it%27s%20%22q%22",
        "https://e.com/caf%C3%A9/%E2%80%AE",
        "https://e.com/%28%28%28",
    };
    enum { N = sizeof urls / sizeof urls[0] };
    jmap_prim prims[N];
    for (size_t i = 0; i < N; i++)
        prims[i] = (jmap_prim){.kind = JMAP_PRIM_LINK,
                               .role = "link",
                               .box = {10, 10 + 30.0 * (double)i, 100, 20},
                               .url = urls[i]};
    jmap_scene s = {.width = 200,
                    .height = 240,
                    .background = {255, 255, 255, 255},
                    .prims = prims,
                    .n_prims = N};
    jmap_fonts *fonts = jmap_fonts_new();
    assert_non_null(fonts);
    jmap_render_opts o = {.format = JMAP_FORMAT_PDF, .page = JMAP_PAGE_FIT, .source_date = -1};
    mem m = {0};
    jmap_diags d;
    jmap_diags_init(&d);
    assert_true(jmap_render(&s, fonts, &o, mem_write, &m, &d));
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    jmap_fonts_free(fonts);

    char *dir = test_tmpdir("url-render");
    char *path = jmap_xprintf("%s/links.pdf", dir);
    test_write_file(path, m.data, m.len);
    assert_pdf_links(path, want, N);
    free(path);
    free(dir);
    free(m.data);
}

/* The whole way: the url passes `jmap check` (it is a valid https url) and the PDF that
 * `jmap build` writes links to it, encoded, and does nothing else. */
static void a_hostile_url_in_a_map_builds_to_a_plain_link(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    char *dir = test_tmpdir("url-build");
    char *yaml = jmap_xprintf(
        "title: Links\n" TEST_VALID_MAP_BODY
        "  - {stage: purchase, name: Evil, url: \"%s\"}\n"
        "  - {stage: purchase, name: Slash, url: \"https://e.com/a\\\\\"}\n"
        "  - {stage: purchase, name: Quote, url: \"https://e.com/it's/\\u00e9\"}\n",
        HOSTILE);
    char *map = test_put(dir, "map.yaml", yaml);
    char *pdf = jmap_xprintf("%s/map.pdf", dir);
    char *err = NULL;
    assert_int_equal(test_jmap(NULL, &err, "check '%s'", map), 0);
    assert_string_equal(err, "");
    free(err);
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s'", map, pdf), 0);
    assert_string_equal(err, "");
    free(err);
    static const char *const want[] = {HOSTILE_NORMAL, "https://e.com/a%5C",
                                       "https://e.com/it%27s/%C3%A9"};
    assert_pdf_links(pdf, want, 3);
    free(pdf);
    free(map);
    free(yaml);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ordinary_urls_are_left_as_they_are),
        cmocka_unit_test(pdf_and_cairo_syntax_characters_are_encoded),
        cmocka_unit_test(controls_and_non_ascii_bytes_are_encoded),
        cmocka_unit_test(a_percent_is_kept_only_where_it_starts_an_escape),
        cmocka_unit_test(every_byte_comes_out_allowed_and_stable),
        cmocka_unit_test(check_rejects_a_url_with_a_nul_inside),
        cmocka_unit_test(a_link_in_the_pdf_is_one_uri_action_whatever_its_url),
        cmocka_unit_test(a_hostile_url_in_a_map_builds_to_a_plain_link),
    };
    return cmocka_run_group_tests_name("url", tests, NULL, NULL);
}
