#define _GNU_SOURCE /* memmem */
/* The tagged PDF (src/render_pdf_tags.c, src/render_pdf_pack.c): its structure tree,
 * outline, metadata, /Lang, reading order and packing, read back with qpdf and pdftotext. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "../src/render_pdf_pack.h"
#include "jmap/arena.h"
#include "jmap/render.h"
#include "json.h"
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

/* Three stages, two touchpoints in the first, a link, an emotion curve. */
static const char MAP[] = "title: Tea order\n"
                          "personas:\n"
                          "  - {id: ana, name: Ana}\n"
                          "stages:\n"
                          "  - {id: find, name: Finding}\n"
                          "  - {id: buy, name: Buying}\n"
                          "  - {id: get, name: Getting}\n"
                          "touchpoints:\n"
                          "  - {stage: find, name: Search shop, action: Types green tea, "
                          "emotion: 1}\n"
                          "  - {stage: find, name: Read reviews, action: Reads three reviews, "
                          "emotion: 2}\n"
                          "  - {stage: buy, name: Pay, action: Pays by card, emotion: -2, "
                          "url: \"https://e.com/pay\"}\n"
                          "  - {stage: get, name: Unbox, action: Opens the parcel, emotion: 2}\n";

static const char *const STAGES[] = {"Finding", "Buying", "Getting"};

static bool mem_write(void *closure, const unsigned char *data, size_t len)
{
    jmap_strbuf_put(closure, (const char *)data, len);
    return true;
}

/* MAP drawn to a PDF with these options, written to a file in `dir`; returns its path. */
static char *draw(const char *dir, const char *name, jmap_render_opts o)
{
    jmap_arena *a = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_map *m = test_compile(a, MAP, &d);
    assert_non_null(m);
    jmap_text_measurer tm = jmap_fonts_measurer(fonts);
    jmap_scene *s = jmap_layout_build(a, m, NULL, &tm, &d);
    assert_non_null(s);
    o.format = JMAP_FORMAT_PDF;
    jmap_strbuf b = {0};
    assert_true(jmap_render(s, fonts, &o, mem_write, &b, &d));
    jmap_diags_release(&d);
    jmap_arena_free(a);
    char *path = jmap_xprintf("%s/%s", dir, name);
    test_write_file(path, b.s, b.len);
    free(b.s);
    return path;
}

static json *qpdf_json(const char *path)
{
    char *out = NULL;
    char *cmd = jmap_xprintf("qpdf --json '%s'", path);
    assert_int_equal(test_run(cmd, &out, NULL), 0);
    free(cmd);
    json *j = json_parse(out, strlen(out));
    assert_non_null(j);
    free(out);
    return j;
}

static const json *object(const json *j, const char *ref)
{
    char *key = jmap_xprintf("obj:%s", ref);
    const json *o = json_get(json_get(json_at(json_get(j, "qpdf"), 1), key), "value");
    free(key);
    return o;
}

/* A string of qpdf's JSON without its "u:" (text) prefix. */
static const char *text(const json *o, const char *key)
{
    const char *s = json_str(o, key);
    return s && strncmp(s, "u:", 2) == 0 ? s + 2 : s;
}

/* The structure types below `ref`, depth first, each as "/S" indented by depth. */
static void walk(const json *j, const char *ref, int depth, jmap_strbuf *out)
{
    const json *e = object(j, ref);
    if (!e || !json_str(e, "/S"))
        return;
    for (int i = 0; i < depth; i++)
        jmap_strbuf_puts(out, " ");
    jmap_strbuf_puts(out, json_str(e, "/S"));
    jmap_strbuf_puts(out, "\n");
    const json *k = json_get(e, "/K");
    for (size_t i = 0; k && k->kind == JSON_ARRAY && i < k->n_items; i++)
        if (k->items[i]->kind == JSON_STRING)
            walk(j, k->items[i]->string, depth + 1, out);
    if (k && k->kind == JSON_STRING)
        walk(j, k->string, depth + 1, out);
}

static const json *catalog(const json *j)
{
    const json *trailer = json_get(json_get(json_at(json_get(j, "qpdf"), 1), "trailer"), "value");
    return object(j, json_str(trailer, "/Root"));
}

static char *tree(const json *j)
{
    const json *root = object(j, json_str(catalog(j), "/StructTreeRoot"));
    assert_non_null(root);
    assert_string_equal(json_str(root, "/Type"), "/StructTreeRoot");
    jmap_strbuf out = {0};
    const json *k = json_get(root, "/K");
    for (size_t i = 0; k && i < k->n_items; i++)
        walk(j, k->items[i]->string, 0, &out);
    return out.s;
}

static void the_structure_is_title_then_a_section_per_stage(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    char *dir = test_tmpdir("pdf-tags-tree");
    char *pdf = draw(dir, "m.pdf", (jmap_render_opts){.source_date = -1});
    test_qpdf_check(pdf);
    json *j = qpdf_json(pdf);
    char *t = tree(j);
    /* The Document: H1 first, then the header's texts, then three Sects, each opening with its
     * H2 followed by paragraphs only. */
    const char *doc = strstr(t, "/Document\n");
    assert_non_null(doc);
    assert_memory_equal(doc, "/Document\n /H1\n", strlen("/Document\n /H1\n"));
    size_t sects = 0;
    for (const char *p = strstr(doc, " /Sect\n"); p; p = strstr(p + 1, " /Sect\n")) {
        sects++;
        const char *body = p + strlen(" /Sect\n");
        assert_memory_equal(body, "  /H2\n  /P\n", strlen("  /H2\n  /P\n"));
        /* Touchpoints' texts are P: one H2 per section. */
        const char *next = strstr(body, " /Sect\n");
        const char *h2 = strstr(body + strlen("  /H2"), "/H2");
        assert_true(!h2 || (next && h2 > next));
    }
    assert_int_equal(sects, 3);
    /* One P per touchpoint: "Finding" has two, each holding its name and action. */
    const char *first = strstr(doc, " /Sect\n") + strlen(" /Sect\n");
    const char *second = strstr(first, " /Sect\n");
    size_t paras = 0;
    for (const char *p = strstr(first, "  /P\n"); p && p < second; p = strstr(p + 1, "  /P\n"))
        paras++;
    assert_int_equal(paras, 2);
    /* The emotion curve is a Figure; links are in the tree (Cairo 1.16 wants them there). */
    assert_non_null(strstr(t, "/Figure\n"));
    assert_non_null(strstr(t, "/Link\n"));
    /* A tagged PDF says so. */
    const json *marked = json_get(json_get(catalog(j), "/MarkInfo"), "/Marked");
    assert_non_null(marked);
    assert_true(marked->kind == JSON_BOOL && marked->boolean);
    free(t);
    json_free(j);
    free(pdf);
    free(dir);
}

static void the_catalog_says_marked_and_the_language(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    char *dir = test_tmpdir("pdf-tags-lang");
    char *pdf = draw(dir, "m.pdf", (jmap_render_opts){.source_date = -1, .lang = "pt-BR"});
    test_qpdf_check(pdf);
    json *j = qpdf_json(pdf);
    const json *cat = catalog(j);
    const json *mark = json_get(json_get(cat, "/MarkInfo"), "/Marked");
    assert_non_null(mark);
    assert_int_equal(mark->kind, JSON_BOOL);
    assert_true(mark->boolean);
    assert_string_equal(text(cat, "/Lang"), "pt-BR");
    /* Cairo's own objects are all still there after the packing. */
    assert_non_null(json_str(cat, "/StructTreeRoot"));
    assert_non_null(json_str(cat, "/Outlines"));
    json_free(j);
    free(pdf);

    pdf = draw(dir, "none.pdf", (jmap_render_opts){.source_date = -1});
    j = qpdf_json(pdf);
    assert_null(json_get(catalog(j), "/Lang"));
    json_free(j);
    free(pdf);
    free(dir);
}

static void the_outline_has_one_entry_per_stage(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    char *dir = test_tmpdir("pdf-tags-outline");
    char *pdf = draw(dir, "m.pdf", (jmap_render_opts){.source_date = -1});
    json *j = qpdf_json(pdf);
    const json *outlines = json_get(j, "outlines");
    assert_non_null(outlines);
    assert_int_equal(outlines->n_items, 3);
    double x = -1;
    for (size_t i = 0; i < 3; i++) {
        const json *e = json_at(outlines, i);
        assert_string_equal(json_str(e, "title"), STAGES[i]);
        assert_int_equal((int)json_get(e, "destpageposfrom1")->number, 1);
        /* Each points at its own column, left to right. */
        double ex = json_at(json_get(e, "dest"), 2)->number;
        assert_true(ex > x);
        x = ex;
    }
    json_free(j);
    free(pdf);
    free(dir);
}

static void the_info_has_title_subject_keywords_and_creator(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    char *dir = test_tmpdir("pdf-tags-info");
    char *pdf = draw(dir, "m.pdf",
                     (jmap_render_opts){.source_date = -1,
                                        .stamp = "jmap test",
                                        .title = "Tea order (current state)",
                                        .summary = "A journey in three stages.",
                                        .keywords = "Finding, Buying, Getting, Ana"});
    json *j = qpdf_json(pdf);
    const json *trailer = json_get(json_get(json_at(json_get(j, "qpdf"), 1), "trailer"), "value");
    const json *info = object(j, json_str(trailer, "/Info"));
    assert_string_equal(text(info, "/Title"), "Tea order (current state)");
    assert_string_equal(text(info, "/Subject"), "A journey in three stages.");
    assert_string_equal(text(info, "/Keywords"), "Finding, Buying, Getting, Ana");
    assert_string_equal(text(info, "/Creator"), "jmap test");
    json_free(j);
    free(pdf);

    /* Without a title in the options, the scene's. */
    pdf = draw(dir, "plain.pdf", (jmap_render_opts){.source_date = -1});
    j = qpdf_json(pdf);
    trailer = json_get(json_get(json_at(json_get(j, "qpdf"), 1), "trailer"), "value");
    info = object(j, json_str(trailer, "/Info"));
    assert_string_equal(text(info, "/Title"), "Tea order");
    assert_null(json_get(info, "/Subject"));
    assert_null(json_get(info, "/Keywords"));
    json_free(j);
    free(pdf);
    free(dir);
}

/* Each of `want` appears in `text`, in this order. */
static void assert_in_order(const char *text, const char *const *want, size_t n)
{
    const char *at = text;
    for (size_t i = 0; i < n; i++) {
        const char *hit = strstr(at, want[i]);
        if (!hit)
            fail_msg("'%s' missing or out of order in:\n%s", want[i], text);
        at = hit + strlen(want[i]);
    }
}

static void pdftotext_reads_title_then_stage_by_stage(void **state)
{
    (void)state;
    test_need_tool("pdftotext", "poppler-utils");
    char *dir = test_tmpdir("pdf-tags-order");
    char *pdf = draw(dir, "m.pdf", (jmap_render_opts){.source_date = -1});
    char *cmd = jmap_xprintf("pdftotext -raw '%s' -", pdf);
    char *out = NULL;
    assert_int_equal(test_run(cmd, &out, NULL), 0);
    /* Drawn lane by lane, read stage by stage: a touchpoint's texts together. */
    static const char *const want[] = {"Tea order",       "Finding",      "Search shop",
                                       "Types green tea", "Read reviews", "Reads three reviews",
                                       "Buying",          "Pay",          "Pays by card",
                                       "Getting",         "Unbox",        "Opens the parcel"};
    assert_in_order(out, want, sizeof want / sizeof want[0]);
    free(out);
    free(cmd);
    free(pdf);
    free(dir);
}

static char *slurp(const char *path, size_t *len)
{
    char *s = test_read_file(path, len);
    assert_non_null(s);
    return s;
}

static void the_pdf_is_the_same_from_run_to_run_and_in_any_locale(void **state)
{
    (void)state;
    char *dir = test_tmpdir("pdf-tags-repro");
    jmap_render_opts o = {.source_date = 1700000000, .lang = "de", .title = "T", .summary = "S"};
    char *p1 = draw(dir, "1.pdf", o), *p2 = draw(dir, "2.pdf", o);
    test_need_comma_locale();
    char *p3 = draw(dir, "3.pdf", o);
    test_use_c_locale();
    size_t n1, n2, n3;
    char *a = slurp(p1, &n1), *b = slurp(p2, &n2), *c = slurp(p3, &n3);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    assert_int_equal(n1, n3);
    assert_memory_equal(a, c, n1);
    free(a);
    free(b);
    free(c);
    free(p1);
    free(p2);
    free(p3);
    free(dir);
}

static void hostile_words_keep_the_pdf_valid(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    char *dir = test_tmpdir("pdf-tags-hostile");
    static const char hostile[] = "a) (b \\ c\\) \xce\xb1\xce\xb2 \xe6\xbc\xa2 \x01\x1b[31m\x7f "
                                  "endobj trailer %%EOF >> <<";
    char *pdf = draw(dir, "m.pdf",
                     (jmap_render_opts){.source_date = -1,
                                        .title = hostile,
                                        .summary = hostile,
                                        .keywords = hostile,
                                        .lang = "en) /Lang (x\\"});
    test_qpdf_check(pdf);
    json *j = qpdf_json(pdf);
    const json *trailer = json_get(json_get(json_at(json_get(j, "qpdf"), 1), "trailer"), "value");
    const json *info = object(j, json_str(trailer, "/Info"));
    /* The words come back as they went in, and nothing else came with them. */
    assert_string_equal(text(info, "/Subject"), hostile);
    assert_string_equal(text(catalog(j), "/Lang"), "en) /Lang (x\\");
    assert_non_null(json_str(catalog(j), "/StructTreeRoot"));
    assert_int_equal(json_get(j, "outlines")->n_items, 3);
    json_free(j);
    free(pdf);
    free(dir);
}

/* The whole way: `jmap build` fills the options from the map (its lang, title, summary and
 * keywords) and the PDF carries them. */
static void jmap_build_writes_the_maps_words_and_language(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    char *dir = test_tmpdir("pdf-tags-build");
    char *yaml = jmap_xprintf("lang: pt-BR\n%s", MAP);
    char *map = test_put(dir, "map.yaml", yaml);
    char *pdf = jmap_xprintf("%s/map.pdf", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", map, pdf), 0);
    test_qpdf_check(pdf);
    json *j = qpdf_json(pdf);
    assert_string_equal(text(catalog(j), "/Lang"), "pt-BR");
    const json *trailer = json_get(json_get(json_at(json_get(j, "qpdf"), 1), "trailer"), "value");
    const json *info = object(j, json_str(trailer, "/Info"));
    assert_non_null(strstr(text(info, "/Title"), "Tea order"));
    assert_non_null(strstr(text(info, "/Subject"), "Finding, Buying, Getting"));
    assert_non_null(strstr(text(info, "/Keywords"), "Ana"));
    assert_non_null(strstr(text(info, "/Creator"), "jmap "));
    assert_int_equal(json_get(j, "outlines")->n_items, 3);
    json_free(j);
    free(pdf);
    free(map);
    free(yaml);
    free(dir);
}

/* The packing alone: what libqpdf cannot read gives nothing and says why. */
static void packing_refuses_a_file_it_cannot_read(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "%PDF-1.5\nno trailer here\n",
        "%PDF-1.5\ntrailer\n<< /Size 3 /Root 2 0 R >>\nstartxref\n9\n%%EOF\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jmap_strbuf out = {0};
        char *why = NULL;
        if (jmap_pdf_pack(bad[i], strlen(bad[i]), "en", "alt", &out, &why))
            fail_msg("case %zu packed", i);
        assert_int_equal(out.len, 0);
        assert_non_null(why);
        assert_true(*why != 0);
        free(why);
        free(out.s);
    }
}

/* The structure tree sits in compressed object streams, and the file is smaller for it. */
static void the_pdf_packs_its_objects_into_object_streams(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    char *dir = test_tmpdir("pdf-tags-pack");
    char *pdf = draw(dir, "m.pdf", (jmap_render_opts){.source_date = -1});
    test_qpdf_check(pdf);
    char *cmd = jmap_xprintf("qpdf --show-xref '%s'", pdf);
    char *out = NULL;
    assert_int_equal(test_run(cmd, &out, NULL), 0);
    /* qpdf says "compressed; stream = N, index = M" for an object in an object stream. */
    size_t packed = 0;
    for (const char *p = strstr(out, "compressed"); p; p = strstr(p + 1, "compressed"))
        packed++;
    assert_true(packed >= 20);
    free(out);
    free(cmd);
    /* Raw bytes: no structure element is left in the clear. */
    size_t n;
    char *bytes = slurp(pdf, &n);
    assert_null(memmem(bytes, n, "/StructElem", strlen("/StructElem")));
    assert_non_null(memmem(bytes, n, "/ObjStm", strlen("/ObjStm")));
    /* Its /ID comes from its contents, not the clock: qpdf, asked for a deterministic /ID,
     * writes the same bytes again. */
    char *again = jmap_xprintf("%s/again.pdf", dir);
    cmd = jmap_xprintf("qpdf --deterministic-id --object-streams=generate --decode-level=none "
                       "'%s' '%s'",
                       pdf, again);
    assert_int_equal(test_run(cmd, NULL, NULL), 0);
    size_t n2;
    char *bytes2 = slurp(again, &n2);
    assert_int_equal(n, n2);
    assert_memory_equal(bytes, bytes2, n);
    free(bytes2);
    free(cmd);
    free(again);
    free(bytes);
    free(pdf);
    free(dir);
}

/* The Figure's alternate text: each persona's scores, touchpoint by touchpoint. */
static void the_figure_says_the_scores_in_words(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    char *dir = test_tmpdir("pdf-tags-alt");
    char *pdf = draw(dir, "m.pdf", (jmap_render_opts){.source_date = -1});
    test_qpdf_check(pdf);
    json *j = qpdf_json(pdf);
    const json *objects = json_at(json_get(j, "qpdf"), 1);
    size_t figures = 0;
    for (size_t i = 0; i < objects->n_items; i++) {
        const json *v = json_get(objects->items[i], "value");
        if (!v || v->kind != JSON_OBJECT || !json_str(v, "/S") ||
            strcmp(json_str(v, "/S"), "/Figure") != 0)
            continue;
        figures++;
        assert_string_equal(text(v, "/Alt"), "Emotion curve, from -2 to 2. Ana: Search shop at 1, "
                                             "Read reviews at 2, Pay at -2, Unbox at 2.");
    }
    assert_int_equal(figures, 1);
    json_free(j);
    free(pdf);
    free(dir);
}

/* Cairo's bytes for a tagged page with a Figure near the root and one nested deeper than the
 * packer walks (it stops at 64 levels: a hostile or broken tree cannot run it out of stack). */
static cairo_status_t buf_write(void *closure, const unsigned char *data, unsigned int len)
{
    jmap_strbuf_put(closure, (const char *)data, len);
    return CAIRO_STATUS_SUCCESS;
}

static void deep_tagged_pdf(jmap_strbuf *pdf)
{
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(buf_write, pdf, 100, 100);
    cairo_t *cr = cairo_create(surf);
    cairo_tag_begin(cr, "Figure", "");
    cairo_rectangle(cr, 10, 10, 5, 5);
    cairo_fill(cr);
    cairo_tag_end(cr, "Figure");
    enum { DEEP = 80 };
    for (int i = 0; i < DEEP; i++)
        cairo_tag_begin(cr, "Sect", "");
    cairo_tag_begin(cr, "Figure", "");
    cairo_rectangle(cr, 50, 50, 5, 5);
    cairo_fill(cr);
    cairo_tag_end(cr, "Figure");
    for (int i = 0; i < DEEP; i++)
        cairo_tag_end(cr, "Sect");
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    assert_int_equal(cairo_surface_status(surf), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(surf);
}

/* How many Figures of the packed `pdf` have the alternate text `alt` (NULL: have none). */
static size_t figures_with_alt(const char *dir, const jmap_strbuf *pdf, const char *alt,
                               size_t *figures, bool *has_lang)
{
    char *path = jmap_xprintf("%s/packed.pdf", dir);
    test_write_file(path, pdf->s, pdf->len);
    test_qpdf_check(path);
    json *j = qpdf_json(path);
    *has_lang = text(catalog(j), "/Lang") != NULL;
    assert_non_null(json_get(catalog(j), "/MarkInfo"));
    const json *objects = json_at(json_get(j, "qpdf"), 1);
    size_t with = 0;
    *figures = 0;
    for (size_t i = 0; i < objects->n_items; i++) {
        const json *v = json_get(objects->items[i], "value");
        if (!v || v->kind != JSON_OBJECT || !json_str(v, "/S") ||
            strcmp(json_str(v, "/S"), "/Figure") != 0)
            continue;
        (*figures)++;
        const char *got = text(v, "/Alt");
        if (alt ? got && strcmp(got, alt) == 0 : got == NULL)
            with++;
    }
    json_free(j);
    free(path);
    return with;
}

/* No language and no alternate text add nothing; the walk for Figures stops at its depth limit
 * without failing the file; a caller that wants no reason gets none. */
static void packing_adds_only_what_it_is_given(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    char *dir = test_tmpdir("pdf-pack-edges");
    jmap_strbuf raw = {0};
    deep_tagged_pdf(&raw);
    size_t figures = 0;
    bool lang = true;

    jmap_strbuf out = {0};
    assert_true(jmap_pdf_pack(raw.s, raw.len, NULL, NULL, &out, NULL));
    assert_int_equal(figures_with_alt(dir, &out, NULL, &figures, &lang), 2);
    assert_int_equal(figures, 2);
    assert_false(lang);
    out.len = 0;

    assert_true(jmap_pdf_pack(raw.s, raw.len, "", "", &out, NULL));
    assert_int_equal(figures_with_alt(dir, &out, NULL, &figures, &lang), 2);
    assert_false(lang);
    out.len = 0;

    /* The near Figure gets the text; the one past the depth limit is left as it was. */
    assert_true(jmap_pdf_pack(raw.s, raw.len, "de", "Kurve", &out, NULL));
    assert_int_equal(figures_with_alt(dir, &out, "Kurve", &figures, &lang), 1);
    assert_int_equal(figures, 2);
    assert_true(lang);
    out.len = 0;

    assert_false(jmap_pdf_pack("%PDF-1.5\n", 9, "en", "alt", &out, NULL));
    assert_int_equal(out.len, 0);
    free(out.s);
    free(raw.s);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_structure_is_title_then_a_section_per_stage),
        cmocka_unit_test(the_catalog_says_marked_and_the_language),
        cmocka_unit_test(the_outline_has_one_entry_per_stage),
        cmocka_unit_test(the_info_has_title_subject_keywords_and_creator),
        cmocka_unit_test(pdftotext_reads_title_then_stage_by_stage),
        cmocka_unit_test(the_pdf_is_the_same_from_run_to_run_and_in_any_locale),
        cmocka_unit_test(hostile_words_keep_the_pdf_valid),
        cmocka_unit_test(jmap_build_writes_the_maps_words_and_language),
        cmocka_unit_test(packing_refuses_a_file_it_cannot_read),
        cmocka_unit_test(packing_adds_only_what_it_is_given),
        cmocka_unit_test(the_pdf_packs_its_objects_into_object_streams),
        cmocka_unit_test(the_figure_says_the_scores_in_words),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
