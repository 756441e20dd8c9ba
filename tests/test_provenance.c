/* What draws an output (src/provenance.c): the library versions and font files, the stamp in
 * every output (read back with libxml2, qpdf --json and a PNG chunk walker that checks every
 * CRC), the font-fallback warning and the --font check without Inter installed, and the reason
 * --check gives for a stale output. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <hb.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pango/pango.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>
#include <zlib.h>

#include "jmap/fonts.h"
#include "jmap/model.h"
#include "jmap/provenance.h"
#include "jmap/sanitize.h"
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

/* The short version in a font file's name table, read here with HarfBuzz on its own. */
static char *name_table_version(const char *file)
{
    hb_blob_t *blob = hb_blob_create_from_file(file);
    hb_face_t *face = hb_face_create(blob, 0);
    char name[128];
    unsigned n = sizeof name;
    hb_ot_name_get_utf8(face, HB_OT_NAME_ID_VERSION_STRING, HB_LANGUAGE_INVALID, &n, name);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    assert_true(n > 0);
    const char *p = strncmp(name, "Version ", 8) == 0 ? name + 8 : name;
    return jmap_xstrndup(p, strcspn(p, "; "));
}

/* The stamp this jmap writes, from the libraries asked here directly. */
static char *expected_stamp(const char *family, const char *version)
{
    int fc = FcGetVersion();
    return jmap_xprintf("jmap %s; map format %d; font %s %s; cairo %s; pango %s; harfbuzz %s; "
                        "fontconfig %d.%d.%d; libyaml %s",
                        JMAP_VERSION, JMAP_FORMAT_VERSION, family, version, cairo_version_string(),
                        pango_version_string(), hb_version_string(), fc / 10000, fc / 100 % 100,
                        fc % 100, yaml_get_version_string());
}

/* The tests' font set: Inter with DejaVu Sans as the fallback. */
static void inter_is_drawn_with_its_four_faces_and_dejavu_falls_back(void **state)
{
    (void)state;
    jmap_provenance *p = jmap_provenance_new(fonts, "Inter");
    assert_string_equal(p->family, "Inter");
    assert_false(p->fallback);
    assert_int_equal(p->n_faces, 5);
    static const char *const styles[] = {"regular", "italic", "semibold", "bold", "fallback"};
    for (size_t i = 0; i < 5; i++) {
        jmap_font_face *f = &p->faces[i];
        assert_string_equal(f->style, styles[i]);
        assert_string_equal(f->family, i < 4 ? "Inter" : "DejaVu Sans");
        struct stat st;
        assert_int_equal(stat(f->file, &st), 0);
        char *v = name_table_version(f->file);
        assert_string_equal(f->version, v);
        free(v);
    }
    /* Four different files: regular, italic, semibold and bold are each Inter's own. */
    for (size_t i = 0; i < 4; i++) {
        for (size_t j = i + 1; j < 4; j++)
            assert_string_not_equal(p->faces[i].file, p->faces[j].file);
    }
    assert_string_equal(p->version, p->faces[0].version);
    char *want = expected_stamp("Inter", p->version);
    assert_string_equal(p->stamp, want);
    free(want);
    jmap_provenance_free(p);
}

static void a_family_not_installed_is_drawn_with_dejavu_sans(void **state)
{
    (void)state;
    jmap_provenance *p = jmap_provenance_new(fonts, "No Such Font");
    assert_true(p->fallback);
    assert_string_equal(p->family, "DejaVu Sans");
    assert_string_equal(p->faces[0].family, "DejaVu Sans");
    /* DejaVu is the family itself now: it is not listed again as the fallback. */
    assert_int_equal(p->n_faces, 4);
    jmap_provenance_free(p);

    /* No fonts at all: the libraries still, and no face. */
    p = jmap_provenance_new(NULL, NULL);
    assert_string_equal(p->asked, "DejaVu Sans");
    assert_string_equal(p->family, "none");
    assert_int_equal(p->n_faces, 0);
    char *want = expected_stamp("none", "0");
    assert_string_equal(p->stamp, want);
    free(want);
    jmap_provenance_free(p);
}

static void installed_families_are_compared_as_fontconfig_does(void **state)
{
    (void)state;
    assert_true(jmap_provenance_family_installed(fonts, "Inter"));
    assert_true(jmap_provenance_family_installed(fonts, " inter "));
    assert_true(jmap_provenance_family_installed(fonts, "DEJAVUSANS"));
    assert_true(jmap_provenance_family_installed(fonts, "Inter Thin")); /* a second name */
    assert_true(jmap_provenance_family_installed(fonts, "sans-serif"));
    assert_true(jmap_provenance_family_installed(fonts, "Monospace"));
    assert_false(jmap_provenance_family_installed(fonts, "No Such Font"));
    assert_false(jmap_provenance_family_installed(fonts, "Liberation Serif"));
    assert_false(jmap_provenance_family_installed(fonts, ""));
    assert_false(jmap_provenance_family_installed(fonts, "   "));
    assert_true(jmap_provenance_any_installed(fonts, "No Such Font, DejaVu Sans"));
    assert_true(jmap_provenance_any_installed(fonts, "Inter,"));
    assert_false(jmap_provenance_any_installed(fonts, "No Such Font, Nor This"));
    assert_false(jmap_provenance_any_installed(fonts, ","));
    assert_string_equal(jmap_provenance_package("inter"), "fonts-inter");
    assert_string_equal(jmap_provenance_package("DejaVu Sans"), "fonts-dejavu-core");
    assert_null(jmap_provenance_package("Comic Sans MS"));
}

static void name_table_versions_are_cut_to_their_number(void **state)
{
    (void)state;
    static const struct {
        const char *name, *want;
    } cases[] = {
        {"Version 3.019;git-0a5106e0b", "3.019"},
        {"Version 2.37", "2.37"},
        {"  version  1.10 build 7", "1.10"},
        {"4.000", "4.000"},
        {"Version\t5.1", NULL},
        {"Version", NULL},
        {"Release A", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = jmap_provenance_short_version(cases[i].name);
        if (cases[i].want ? !got || strcmp(got, cases[i].want) != 0 : got != NULL)
            fail_msg("'%s': got '%s', want '%s'", cases[i].name, got ? got : "(null)",
                     cases[i].want ? cases[i].want : "(null)");
        free(got);
    }
}

/* A font's name goes into the stamp so that it cannot end the SVG comment, the PDF string or
 * the stamp's field: every other byte becomes %XX, and "--" never appears. */
static void stamp_fields_are_escaped(void **state)
{
    (void)state;
    char *s = jmap_stamp_make("Bad--Font (x); <y> & \"z\" 100% \\ \xc3\xa9\n", "1.0-->");
    assert_null(strstr(s, "--"));
    for (const char *p = s; *p; p++) {
        assert_true(*p >= 0x20 && *p < 0x7f);
        assert_null(strchr("()\\<>&\"'", *p));
    }
    assert_non_null(strstr(s, "; font Bad-%2DFont %28x%29%3B %3Cy%3E %26 %22z%22 100%25 %5C "
                              "%C3%A9%0A 1.0-%2D%3E; cairo "));
    free(s);
    /* Long names are cut, so a stamp stays short. */
    char big[300];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    s = jmap_stamp_make(big, big);
    assert_true(strlen(s) < 400);
    free(s);
}

/* ---- the stamper ------------------------------------------------------------------------ */

typedef struct sinkbuf {
    unsigned char *data;
    size_t len, cap;
    size_t fail_after; /* refuse writes once this many bytes are in (0: never) */
} sinkbuf;

static bool sink_put(void *closure, const unsigned char *data, size_t len)
{
    sinkbuf *b = closure;
    if (b->fail_after && b->len + len > b->fail_after)
        return false;
    b->data = jmap_xgrow(b->data, &b->cap, b->len + len + 1, 1);
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = 0;
    return true;
}

/* `in` through a stamper in pieces of `step` bytes (0: all at once). */
static sinkbuf stamp_through(jmap_format f, const char *stamp, const unsigned char *in, size_t n,
                             size_t step)
{
    sinkbuf b = {0};
    jmap_stamper s;
    jmap_stamper_init(&s, f, stamp, sink_put, &b);
    for (size_t off = 0; off < n;) {
        size_t k = step && n - off > step ? step : n - off;
        assert_true(jmap_stamper_put(&s, in + off, k));
        off += k;
    }
    assert_true(jmap_stamper_end(&s));
    if (!b.data)
        b.data = jmap_xcalloc(1, 1);
    return b;
}

static const char svg_in[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg width=\"1pt\"/>\n";

static void the_svg_stamp_follows_the_xml_declaration_however_the_bytes_come(void **state)
{
    (void)state;
    const char *want = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Generator: jmap X -->\n"
                       "<svg width=\"1pt\"/>\n";
    size_t n = strlen(svg_in);
    for (size_t step = 0; step < 8; step++) {
        sinkbuf b = stamp_through(JMAP_FORMAT_SVG, "jmap X", (const unsigned char *)svg_in, n,
                                  step);
        assert_string_equal((char *)b.data, want);
        char *found = jmap_stamp_find(JMAP_FORMAT_SVG, b.data, b.len);
        assert_string_equal(found, "jmap X");
        free(found);
        free(b.data);
    }
    /* No stamp asked for, no declaration, or a declaration that never ends: no stamp. */
    sinkbuf b = stamp_through(JMAP_FORMAT_SVG, NULL, (const unsigned char *)svg_in, n, 3);
    assert_string_equal((char *)b.data, svg_in);
    free(b.data);
    const char *bare = "<svg/>\n";
    b = stamp_through(JMAP_FORMAT_SVG, "jmap X", (const unsigned char *)bare, strlen(bare), 0);
    assert_string_equal((char *)b.data, bare);
    free(b.data);
    char open[600] = "<?xml ";
    memset(open + 6, 'a', sizeof open - 7);
    open[sizeof open - 1] = '\0';
    b = stamp_through(JMAP_FORMAT_SVG, "jmap X", (const unsigned char *)open, strlen(open), 7);
    assert_string_equal((char *)b.data, open);
    free(b.data);
    /* A document shorter than the declaration passes as it came. */
    b = stamp_through(JMAP_FORMAT_SVG, "jmap X", (const unsigned char *)"<?x", 3, 1);
    assert_string_equal((char *)b.data, "<?x");
    free(b.data);
    /* PDF bytes pass unchanged: the Creator carries its stamp. */
    b = stamp_through(JMAP_FORMAT_PDF, "jmap X", (const unsigned char *)svg_in, n, 5);
    assert_string_equal((char *)b.data, svg_in);
    free(b.data);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Walk a PNG's chunks, checking each CRC; the types in order, as "IHDR tEXt IDAT IEND". */
static char *png_chunks(const unsigned char *d, size_t len, char **text)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assert_true(len >= 8);
    assert_memory_equal(d, sig, 8);
    char *types = jmap_xstrdup("");
    *text = NULL;
    for (size_t off = 8; off < len;) {
        assert_true(len - off >= 12);
        uint32_t n = be32(d + off);
        assert_true(n <= len - off - 12);
        uint32_t crc = (uint32_t)crc32(0, d + off + 4, 4 + n);
        if (crc != be32(d + off + 8 + n))
            fail_msg("chunk %.4s at %zu: bad CRC", (const char *)d + off + 4, off);
        char *more = jmap_xprintf("%s%s%.4s", types, *types ? " " : "", (const char *)d + off + 4);
        free(types);
        types = more;
        if (memcmp(d + off + 4, "tEXt", 4) == 0 && !*text)
            *text = jmap_xstrndup((const char *)d + off + 8, n); /* keyword NUL value */
        off += 12 + n;
    }
    return types;
}

static cairo_status_t png_put(void *closure, const unsigned char *data, unsigned int len)
{
    return sink_put(closure, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* A small PNG from Cairo itself. */
static sinkbuf cairo_png(void)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 3, 2);
    sinkbuf png = {0};
    assert_int_equal(cairo_surface_write_to_png_stream(img, png_put, &png), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(img);
    return png;
}

static void the_png_stamp_is_a_text_chunk_after_ihdr_with_its_crc(void **state)
{
    (void)state;
    sinkbuf png = cairo_png();
    char *text;
    char *plain = png_chunks(png.data, png.len, &text);
    assert_null(text); /* Cairo writes no text chunk */
    for (size_t step = 0; step < 40; step += 3) {
        sinkbuf b = stamp_through(JMAP_FORMAT_PNG, "jmap X", png.data, png.len, step);
        char *types = png_chunks(b.data, b.len, &text);
        char *want = jmap_xprintf("IHDR tEXt %s", plain + 5);
        assert_string_equal(types, want);
        assert_memory_equal(text, "Software\0jmap X", 16);
        char *found = jmap_stamp_find(JMAP_FORMAT_PNG, b.data, b.len);
        assert_string_equal(found, "jmap X");
        free(found);
        free(want);
        free(types);
        free(text);
        free(b.data);
    }
    free(plain);
    /* Too short, or not a PNG: passed on unchanged. */
    sinkbuf b = stamp_through(JMAP_FORMAT_PNG, "jmap X", png.data, 20, 6);
    assert_int_equal(b.len, 20);
    assert_memory_equal(b.data, png.data, 20);
    free(b.data);
    unsigned char junk[64] = "not a png at all, but long enough to be looked at";
    b = stamp_through(JMAP_FORMAT_PNG, "jmap X", junk, sizeof junk, 0);
    assert_int_equal(b.len, sizeof junk);
    assert_memory_equal(b.data, junk, sizeof junk);
    free(b.data);
    free(png.data);
}

static void a_failed_write_is_reported_by_the_stamper(void **state)
{
    (void)state;
    sinkbuf png = cairo_png();
    for (size_t after = 1; after < png.len; after += 7) {
        sinkbuf b = {.fail_after = after};
        jmap_stamper s;
        jmap_stamper_init(&s, JMAP_FORMAT_PNG, "jmap X", sink_put, &b);
        bool ok = true;
        for (size_t off = 0; off < png.len; off += 10)
            ok &= jmap_stamper_put(&s, png.data + off, png.len - off < 10 ? png.len - off : 10);
        ok &= jmap_stamper_end(&s);
        assert_false(ok);
        assert_true(b.len <= after);
        free(b.data);
    }
    free(png.data);
}

/* A PNG made of these chunks (type, data), each with a right CRC unless `bad_crc`. */
static size_t make_png(unsigned char *out, const char *const *chunks, size_t n, bool bad_crc)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memcpy(out, sig, 8);
    size_t len = 8;
    for (size_t i = 0; i < n; i += 2) {
        size_t k;
        const char *data = chunks[i + 1];
        size_t dn = strlen(data) + (strncmp(data, "Software", 8) == 0 ? 0 : 0);
        unsigned char *c;
        if (strcmp(chunks[i], "tEXt") == 0) {
            const char *nul = strchr(data, '|'); /* "keyword|value" */
            char *kw = jmap_xstrndup(data, (size_t)(nul - data));
            c = jmap_png_text_chunk(kw, nul + 1, &k);
            free(kw);
        } else {
            k = 12 + dn;
            c = jmap_xmalloc(k);
            c[0] = (unsigned char)(dn >> 24);
            c[1] = (unsigned char)(dn >> 16);
            c[2] = (unsigned char)(dn >> 8);
            c[3] = (unsigned char)dn;
            memcpy(c + 4, chunks[i], 4);
            memcpy(c + 8, data, dn);
            uint32_t crc = (uint32_t)crc32(0, c + 4, (uInt)(4 + dn));
            c[8 + dn] = (unsigned char)(crc >> 24);
            c[9 + dn] = (unsigned char)(crc >> 16);
            c[10 + dn] = (unsigned char)(crc >> 8);
            c[11 + dn] = (unsigned char)crc;
        }
        if (bad_crc)
            c[k - 1] ^= 1;
        memcpy(out + len, c, k);
        len += k;
        free(c);
    }
    return len;
}

static void stamps_are_found_only_where_jmap_writes_them(void **state)
{
    (void)state;
    unsigned char png[512];
    const char *text_first[] = {"IHDR", "0123456789abc", "tEXt", "Author|Ana",
                                "tEXt", "Software|jmap 1", "IDAT", "x"};
    size_t n = make_png(png, text_first, 8, false);
    char *s = jmap_stamp_find(JMAP_FORMAT_PNG, png, n);
    assert_string_equal(s, "jmap 1");
    free(s);
    assert_null(jmap_stamp_find(JMAP_FORMAT_PNG, png, n - 20)); /* the chunk is cut */
    n = make_png(png, text_first, 8, true);
    assert_null(jmap_stamp_find(JMAP_FORMAT_PNG, png, n)); /* a bad CRC */
    const char *after_idat[] = {"IHDR", "0123456789abc", "IDAT", "x", "tEXt", "Software|jmap 1"};
    n = make_png(png, after_idat, 6, false);
    assert_null(jmap_stamp_find(JMAP_FORMAT_PNG, png, n));
    const char *empty[] = {"IHDR", "0123456789abc", "tEXt", "Software|"};
    n = make_png(png, empty, 4, false);
    assert_null(jmap_stamp_find(JMAP_FORMAT_PNG, png, n));
    assert_null(jmap_stamp_find(JMAP_FORMAT_PNG, (const unsigned char *)"GIF89a", 6));

    const char *pdf = "%PDF-1.5\n1 0 obj << /Creator (jmap 0) >>\n"
                      "9 0 obj << /Producer (cairo) /Creator (jmap 2; font A 1) >>\ntrailer\n";
    s = jmap_stamp_find(JMAP_FORMAT_PDF, (const unsigned char *)pdf, strlen(pdf));
    assert_string_equal(s, "jmap 2; font A 1");
    free(s);
    const char *escaped = "<< /Creator (a\\) b) >>";
    assert_null(jmap_stamp_find(JMAP_FORMAT_PDF, (const unsigned char *)escaped, strlen(escaped)));
    const char *none = "<< /Producer (cairo) >>";
    assert_null(jmap_stamp_find(JMAP_FORMAT_PDF, (const unsigned char *)none, strlen(none)));
    assert_null(jmap_stamp_find(JMAP_FORMAT_PDF, (const unsigned char *)"", 0));

    const char *open = "<?xml?>\n<!-- Generator: jmap 3 <svg/>";
    assert_null(jmap_stamp_find(JMAP_FORMAT_SVG, (const unsigned char *)open, strlen(open)));
    const char *svg = "<?xml?>\n<!-- Generator: jmap 3 -->\n<svg/>";
    s = jmap_stamp_find(JMAP_FORMAT_SVG, (const unsigned char *)svg, strlen(svg));
    assert_string_equal(s, "jmap 3");
    free(s);
    /* A "stamp" too long to be jmap's, or holding a NUL, is none. */
    char big[3000];
    int k = snprintf(big, sizeof big, "<!-- Generator: ");
    memset(big + k, 'x', 2000);
    strcpy(big + k + 2000, " -->");
    assert_null(jmap_stamp_find(JMAP_FORMAT_SVG, (const unsigned char *)big, strlen(big)));
    const unsigned char nul[] = "<!-- Generator: a\0b -->";
    assert_null(jmap_stamp_find(JMAP_FORMAT_SVG, nul, sizeof nul - 1));
}

static void stale_outputs_are_explained_from_their_stamps(void **state)
{
    (void)state;
    jmap_provenance *now = jmap_provenance_new(fonts, "Inter");
    assert_null(jmap_stamp_explain(now->stamp, now));

    char *why = jmap_stamp_explain(NULL, now);
    char *want = jmap_xprintf("it carries no jmap stamp (an older jmap or another program drew "
                              "it); this jmap %s draws with Inter %s",
                              JMAP_VERSION, now->version);
    assert_string_equal(why, want);
    free(why);
    free(want);

    why = jmap_stamp_explain("Inkscape 1.2 (https://inkscape.org)", now);
    want = jmap_xprintf("drawn by 'Inkscape 1.2 (https://inkscape.org)'; this jmap %s draws "
                        "with Inter %s",
                        JMAP_VERSION, now->version);
    assert_string_equal(why, want);
    free(why);
    free(want);

    /* Another font, another jmap and another Cairo: each named, on both sides. */
    char *old = jmap_xprintf("jmap 0.0.9; map format %d; font DejaVu Sans 2.37; cairo 0.9.9; "
                             "pango %s; harfbuzz %s",
                             JMAP_FORMAT_VERSION, pango_version_string(), hb_version_string());
    why = jmap_stamp_explain(old, now);
    int fc = FcGetVersion();
    want = jmap_xprintf("drawn with DejaVu Sans 2.37 by jmap 0.0.9 and cairo 0.9.9; this jmap %s "
                        "draws with Inter %s and cairo %s, fontconfig %d.%d.%d, libyaml %s",
                        JMAP_VERSION, now->version, cairo_version_string(), fc / 10000,
                        fc / 100 % 100, fc % 100, yaml_get_version_string());
    assert_string_equal(why, want);
    free(why);
    free(want);
    free(old);

    /* The same jmap and font, drawn with other libraries. */
    old = jmap_xprintf("jmap %s; font Inter %s; cairo 9.0", JMAP_VERSION, now->version);
    why = jmap_stamp_explain(old, now);
    assert_non_null(strstr(why, "by jmap " JMAP_VERSION " and cairo 9.0; this jmap draws with"));
    free(why);
    free(old);

    /* A hostile stamp: quoted escaped and cut short. */
    char hostile[2000];
    int k = snprintf(hostile, sizeof hostile, "jmap 1\x1b]52;c;aGk=\x07; font Evil\r\n\xe2\x80\xae ");
    memset(hostile + k, 'x', sizeof hostile - (size_t)k - 1);
    hostile[sizeof hostile - 1] = '\0';
    why = jmap_stamp_explain(hostile, now);
    assert_true(jmap_sanitize_clean(why, strlen(why)));
    assert_non_null(strstr(why, "jmap 1\\x1b]52"));
    assert_true(strlen(why) < 600);
    free(why);
    why = jmap_stamp_explain(hostile + 5, now); /* not a jmap stamp */
    assert_true(jmap_sanitize_clean(why, strlen(why)));
    assert_non_null(strstr(why, "…'"));
    assert_true(strlen(why) < 600);
    free(why);
    jmap_provenance_free(now);
}

/* A PDF jmap writes keeps its information in a compressed object stream (src/render_pdf_pack.c):
 * no byte search finds the stamp there, libqpdf does; a cut file gives none. */
static void the_stamp_of_a_packed_pdf_is_read_through_its_objects(void **state)
{
    (void)state;
    char *dir = test_tmpdir("provenance-packed");
    char *map = test_put(dir, "map.yaml", "title: Packed\n" TEST_VALID_MAP_BODY);
    char *pdf = jmap_xprintf("%s/map.pdf", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", map, pdf), 0);
    size_t n;
    char *bytes = test_read_file(pdf, &n);
    assert_non_null(bytes);
    bool raw = false;
    for (size_t i = 0; i + 8 <= n && !raw; i++)
        raw = memcmp(bytes + i, "/Creator", 8) == 0;
    assert_false(raw);
    char *s = jmap_stamp_read(pdf, JMAP_FORMAT_PDF);
    assert_non_null(s);
    assert_memory_equal(s, "jmap ", 5);
    free(s);
    s = jmap_stamp_find(JMAP_FORMAT_PDF, (const unsigned char *)bytes, n);
    assert_non_null(s);
    free(s);
    assert_null(jmap_stamp_find(JMAP_FORMAT_PDF, (const unsigned char *)bytes, n / 2));
    free(bytes);
    free(pdf);
    free(map);
    free(dir);
}

static void stamps_are_read_from_regular_files_only_and_bounded(void **state)
{
    (void)state;
    char *dir = test_tmpdir("provenance-read");
    char *svg = test_put(dir, "a.svg", "<?xml?>\n<!-- Generator: jmap 4 -->\n<svg/>\n");
    char *s = jmap_stamp_read(svg, JMAP_FORMAT_SVG);
    assert_string_equal(s, "jmap 4");
    free(s);
    /* A PDF's information is at its end, past the first 64 KiB. */
    size_t n = 200000;
    char *pdf = jmap_xmalloc(n + 64);
    memset(pdf, ' ', n);
    strcpy(pdf + n, "<< /Creator (jmap 5) >>\n%%EOF\n");
    char *pdf_path = jmap_xprintf("%s/a.pdf", dir);
    test_write_file(pdf_path, pdf, strlen(pdf));
    s = jmap_stamp_read(pdf_path, JMAP_FORMAT_PDF);
    assert_string_equal(s, "jmap 5");
    free(s);
    /* A stamp past the first 64 KiB of an SVG is not looked for. */
    char *late = jmap_xmalloc(n + 64);
    memset(late, ' ', n);
    strcpy(late + n, "<!-- Generator: jmap 6 -->");
    char *late_path = jmap_xprintf("%s/late.svg", dir);
    test_write_file(late_path, late, strlen(late));
    assert_null(jmap_stamp_read(late_path, JMAP_FORMAT_SVG));
    /* Never through a link, never a pipe, and nothing for a missing file. */
    char *link = jmap_xprintf("%s/link.svg", dir);
    assert_int_equal(symlink(svg, link), 0);
    assert_null(jmap_stamp_read(link, JMAP_FORMAT_SVG));
    char *fifo = jmap_xprintf("%s/fifo.svg", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_null(jmap_stamp_read(fifo, JMAP_FORMAT_SVG));
    char *gone = jmap_xprintf("%s/gone.svg", dir);
    assert_null(jmap_stamp_read(gone, JMAP_FORMAT_SVG));
    free(gone);
    free(fifo);
    free(link);
    free(late_path);
    free(late);
    free(pdf_path);
    free(pdf);
    free(svg);
    free(dir);
}

/* ---- the binary ------------------------------------------------------------------------- */

/* A font config with DejaVu only: a machine without Inter. The tests' font cache already
 * holds the DejaVu folder (the fontcache fixture). */
static char *no_inter_env(const char *dir)
{
    char *conf = jmap_xprintf(
        "<?xml version=\"1.0\"?>\n<fontconfig>\n  <dir>/usr/share/fonts/truetype/dejavu</dir>\n"
        "  <cachedir>%s/tests/fontcache</cachedir>\n"
        "  <config><rescan><int>0</int></rescan></config>\n</fontconfig>\n",
        JMAP_BUILD_DIR);
    char *path = test_put(dir, "no-inter.conf", conf);
    char *env = jmap_xprintf("env FONTCONFIG_FILE='%s' ", path);
    free(path);
    free(conf);
    return env;
}

static char *map_in(const char *dir)
{
    return test_put(dir, "map.yaml", "title: Provenance\n" TEST_VALID_MAP_BODY);
}

static const char *const formats[] = {"svg", "pdf", "png"};

/* The stamp of the output at `path`, read back with a real reader of each format. */
static char *svg_comment(const char *path)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
    assert_non_null(doc);
    xmlNodePtr first = doc->children;
    assert_non_null(first);
    assert_int_equal(first->type, XML_COMMENT_NODE); /* before the root element */
    assert_non_null(first->next);
    assert_int_equal(first->next->type, XML_ELEMENT_NODE);
    const char *c = (const char *)first->content;
    assert_true(strncmp(c, " Generator: ", 12) == 0);
    size_t n = strlen(c);
    assert_true(n > 13 && c[n - 1] == ' ');
    char *s = jmap_xstrndup(c + 12, n - 13);
    xmlFreeDoc(doc);
    return s;
}

/* The PDF's document information dictionary, through qpdf --json. */
static json *pdf_info(const char *path, json **root)
{
    char *cmd = jmap_xprintf("qpdf --json=2 --json-key=qpdf '%s'", path);
    char *out;
    assert_int_equal(test_run(cmd, &out, NULL), 0);
    free(cmd);
    *root = json_parse(out, strlen(out));
    free(out);
    assert_non_null(*root);
    const json *objs = json_at(json_get(*root, "qpdf"), 1);
    const char *ref = json_str(json_get(json_get(objs, "trailer"), "value"), "/Info");
    assert_non_null(ref);
    char *key = jmap_xprintf("obj:%s", ref);
    const json *info = json_get(json_get(objs, key), "value");
    free(key);
    assert_non_null(info);
    return (json *)info;
}

static char *read_stamp(const char *path, const char *fmt)
{
    if (strcmp(fmt, "svg") == 0)
        return svg_comment(path);
    if (strcmp(fmt, "pdf") == 0) {
        json *root;
        json *info = pdf_info(path, &root);
        const char *creator = json_str(info, "/Creator");
        assert_non_null(creator);
        assert_true(strncmp(creator, "u:", 2) == 0);
        const char *producer = json_str(info, "/Producer");
        assert_non_null(producer); /* Cairo's own: Cairo 1.16 cannot set it */
        assert_true(strncmp(producer, "u:cairo ", 8) == 0);
        char *s = jmap_xstrdup(creator + 2);
        json_free(root);
        return s;
    }
    size_t n;
    char *png = test_read_file(path, &n);
    char *text;
    char *types = png_chunks((unsigned char *)png, n, &text);
    assert_true(strncmp(types, "IHDR tEXt ", 10) == 0);
    assert_true(strncmp(text, "Software", 9) == 0);
    char *s = jmap_xstrdup(text + 9);
    free(types);
    free(text);
    free(png);
    return s;
}

static void every_output_carries_the_stamp_and_two_builds_are_identical(void **state)
{
    (void)state;
    test_need_tool("qpdf", "qpdf");
    char *dir = test_tmpdir("provenance-stamp");
    char *map = map_in(dir);
    jmap_provenance *p = jmap_provenance_new(fonts, "Inter");
    for (size_t i = 0; i < 3; i++) {
        char *a = jmap_xprintf("%s/a.%s", dir, formats[i]);
        char *b = jmap_xprintf("%s/b.%s", dir, formats[i]);
        char *err;
        assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s'", map, a), 0);
        assert_string_equal(err, "");
        free(err);
        assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", map, b), 0);
        size_t na, nb;
        char *x = test_read_file(a, &na), *y = test_read_file(b, &nb);
        assert_int_equal(na, nb);
        assert_memory_equal(x, y, na);
        free(x);
        free(y);
        char *s = read_stamp(a, formats[i]);
        assert_string_equal(s, p->stamp);
        free(s);
        free(a);
        free(b);
    }
    jmap_provenance_free(p);
    free(map);
    free(dir);
}

static void version_lists_the_libraries_and_the_font_files(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_jmap(&out, &err, "--version"), 0);
    assert_string_equal(err, "");
    int fc = FcGetVersion();
    char *want = jmap_xprintf("jmap %s (map format version %d)\ncairo %s\npango %s\nharfbuzz %s\n"
                              "fontconfig %d.%d.%d\nlibyaml %s\nfont Inter ",
                              JMAP_VERSION, JMAP_FORMAT_VERSION, cairo_version_string(),
                              pango_version_string(), hb_version_string(), fc / 10000,
                              fc / 100 % 100, fc % 100, yaml_get_version_string());
    assert_true(strncmp(out, want, strlen(want)) == 0);
    free(want);
    jmap_provenance *p = jmap_provenance_new(fonts, "Inter");
    for (size_t i = 0; i < p->n_faces; i++) {
        char *line = jmap_xprintf("  %-9s %-8s%s", p->faces[i].style, p->faces[i].version,
                                  p->faces[i].file);
        if (!strstr(out, line))
            fail_msg("no '%s' in:\n%s", line, out);
        free(line);
    }
    char *stamp = jmap_xprintf("\nstamp %s\n", p->stamp);
    assert_non_null(strstr(out, stamp));
    free(stamp);
    jmap_provenance_free(p);
    free(out);
    free(err);
}

/* A font file whose name holds control characters is listed escaped. */
static void version_sanitises_font_file_names(void **state)
{
    (void)state;
    char *dir = test_tmpdir("provenance-evil-font");
    char *evil = jmap_xprintf("%s/Deja\x1b[31mVu\x07.ttf", dir);
    char *cmd = jmap_xprintf("cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf '%s'", evil);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    char *conf = jmap_xprintf("<?xml version=\"1.0\"?>\n<fontconfig><dir>%s</dir>"
                              "<cachedir>%s/cache</cachedir></fontconfig>\n",
                              dir, dir);
    char *conf_path = test_put(dir, "evil.conf", conf);
    char *env = jmap_xprintf("env -u SOURCE_DATE_EPOCH FONTCONFIG_FILE='%s' ", conf_path);
    char *out, *err;
    assert_int_equal(test_jmap_as(env, &out, &err, "--version"), 0);
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\x07'));
    assert_non_null(strstr(out, "/Deja\\x1b[31mVu\\x07.ttf\n"));
    assert_non_null(strstr(out, "standing in for 'Inter', which is not installed: install "
                                "fonts-inter"));
    free(out);
    free(err);
    free(env);
    free(conf_path);
    free(conf);
    free(evil);
    free(dir);
}

static void without_inter_build_warns_and_werror_writes_nothing(void **state)
{
    (void)state;
    char *dir = test_tmpdir("provenance-no-inter");
    char *env = no_inter_env(dir);
    char *map = map_in(dir);
    char *svg = jmap_xprintf("%s/map.svg", dir);
    char *err;
    assert_int_equal(test_jmap_as(env, NULL, &err, "build '%s' -o '%s'", map, svg), 0);
    char *want = jmap_xprintf("%s: warning: font 'Inter' is not installed; drawing with 'DejaVu "
                              "Sans' ",
                              map);
    assert_non_null(strstr(err, want));
    assert_non_null(strstr(err, " instead; install fonts-inter [font-fallback]\n"));
    free(want);
    free(err);
    char *s = svg_comment(svg);
    assert_non_null(strstr(s, "; font DejaVu Sans "));
    free(s);
    /* Under --werror the warning fails the map: nothing drawn, status 1. */
    char *svg2 = jmap_xprintf("%s/strict.svg", dir);
    assert_int_equal(test_jmap_as(env, NULL, &err, "build --werror '%s' -o '%s'", map, svg2), 1);
    assert_non_null(strstr(err, "error: font 'Inter' is not installed"));
    assert_int_equal(access(svg2, F_OK), -1);
    free(err);
    /* The layout dump measures with the fonts too. */
    assert_int_equal(test_jmap_as(env, NULL, &err, "build --dump-layout '%s'", map), 0);
    assert_non_null(strstr(err, "[font-fallback]"));
    free(err);
    /* With Inter, no warning. */
    assert_int_equal(test_jmap(NULL, &err, "build '%s' -o '%s'", map, svg2), 0);
    assert_string_equal(err, "");
    free(err);
    free(svg2);
    free(svg);
    free(map);
    free(env);
    free(dir);
}

static void a_font_option_no_installed_font_provides_is_a_usage_error(void **state)
{
    (void)state;
    char *dir = test_tmpdir("provenance-font-option");
    char *env = no_inter_env(dir);
    char *map = map_in(dir);
    char *svg = jmap_xprintf("%s/map.svg", dir);
    char *out, *err;
    for (int with_inter = 0; with_inter < 2; with_inter++) {
        const char *pre = with_inter ? "" : env;
        assert_int_equal(test_jmap_as(pre, &out, &err, "build --font 'No Such Font' '%s' -o '%s'",
                                      map, svg),
                         2);
        assert_string_equal(out, "");
        assert_non_null(strstr(err, "jmap: build: no installed font provides the family 'No Such "
                                    "Font' (--font); jmap would draw with 'DejaVu Sans' instead"));
        assert_non_null(strstr(err, "try 'jmap help build'"));
        assert_int_equal(access(svg, F_OK), -1);
        free(out);
        free(err);
    }
    /* The family is quoted escaped. */
    assert_int_equal(test_jmap(NULL, &err, "build --font \"$(printf 'Evil\\033]0;x\\007')\" '%s' "
                                           "-o '%s'",
                               map, svg),
                     2);
    assert_non_null(strstr(err, "the family 'Evil\\x1b]0;x\\x07'"));
    assert_null(strchr(err, '\x1b'));
    free(err);
    /* Without Inter, --font inter is refused too; with it, any spelling fontconfig accepts. */
    assert_int_equal(test_jmap_as(env, NULL, NULL, "build --font inter '%s' -o '%s'", map, svg), 2);
    assert_int_equal(test_jmap(NULL, &err, "build --font ' INTER' '%s' -o '%s'", map, svg), 0);
    assert_string_equal(err, "");
    free(err);
    /* Installed families, generic names and a list with one installed family pass, with no
     * font-fallback warning: the user chose. */
    static const char *const fine[] = {"DejaVu Sans", "dejavusans", "sans-serif",
                                       "No Such Font, DejaVu Sans"};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        assert_int_equal(test_jmap_as(env, NULL, &err, "build --font '%s' '%s' -o '%s'", fine[i],
                                      map, svg),
                         0);
        assert_string_equal(err, "");
        free(err);
    }
    free(svg);
    free(map);
    free(env);
    free(dir);
}

static void check_says_why_an_output_is_stale(void **state)
{
    (void)state;
    char *dir = test_tmpdir("provenance-check");
    char *env = no_inter_env(dir);
    char *map = map_in(dir);
    char *out_dir = jmap_xprintf("%s/out", dir);
    char *err;
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -O '%s' -f svg -f pdf -f png", map,
                               out_dir),
                     0);
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -O '%s' -f svg -f pdf -f png", map,
                               out_dir),
                     0);
    assert_string_equal(err, "");
    free(err);

    /* Without Inter: each output names the font it was drawn with and the one it would be. */
    jmap_provenance *inter = jmap_provenance_new(fonts, "Inter");
    jmap_provenance *dejavu = jmap_provenance_new(fonts, "DejaVu Sans");
    assert_int_equal(test_jmap_as(env, NULL, &err, "build --check '%s' -O '%s' -f svg -f pdf -f "
                                                   "png",
                                  map, out_dir),
                     4);
    for (size_t i = 0; i < 3; i++) {
        char *want = jmap_xprintf("%s/map.%s: error: '%s/map.%s' is stale: drawn with Inter %s by "
                                  "jmap %s; this jmap draws with DejaVu Sans %s; install "
                                  "fonts-inter [stale-output]\n",
                                  out_dir, formats[i], out_dir, formats[i], inter->version,
                                  JMAP_VERSION, dejavu->version);
        if (!strstr(err, want))
            fail_msg("no '%s' in:\n%s", want, err);
        free(want);
    }
    assert_non_null(strstr(err, "[font-fallback]"));
    free(err);

    /* The same fonts, another map: the message as it always was. */
    char *map2 = test_put(dir, "map.yaml", "title: Provenance, again\n" TEST_VALID_MAP_BODY);
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -O '%s' -f svg -f pdf -f png", map,
                               out_dir),
                     4);
    for (size_t i = 0; i < 3; i++) {
        char *want = jmap_xprintf("'%s/map.%s' is stale [stale-output]\n", out_dir, formats[i]);
        assert_non_null(strstr(err, want));
        free(want);
    }
    free(err);

    /* An output another program drew, or one with a hostile stamp: quoted escaped. */
    char *svg = jmap_xprintf("%s/map.svg", out_dir);
    test_write_file(svg, "<svg/>", 6);
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -O '%s'", map, out_dir), 4);
    assert_non_null(strstr(err, "is stale: it carries no jmap stamp (an older jmap or another "
                                "program drew it); this jmap"));
    assert_non_null(strstr(err, "; rebuild it with these fonts and this jmap (the same command "
                                "without --check) and commit the result [stale-output]"));
    free(err);
    const char *hostile = "<?xml version=\"1.0\"?>\n<!-- Generator: jmap 6.6\x1b]52;c;aGk=\x07; "
                          "font Evil\r\xe2\x80\xae 1 -->\n<svg/>\n";
    test_write_file(svg, hostile, strlen(hostile));
    assert_int_equal(test_jmap(NULL, &err, "build --check '%s' -O '%s'", map, out_dir), 4);
    assert_null(strchr(err, '\x1b'));
    assert_null(strchr(err, '\x07'));
    assert_null(strchr(err, '\r'));
    assert_non_null(strstr(err, "drawn with Evil\\x0d\\u202e 1 by jmap 6.6\\x1b]52; this jmap"));
    free(err);
    free(svg);
    free(map2);
    jmap_provenance_free(inter);
    jmap_provenance_free(dejavu);
    free(out_dir);
    free(map);
    free(env);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inter_is_drawn_with_its_four_faces_and_dejavu_falls_back),
        cmocka_unit_test(a_family_not_installed_is_drawn_with_dejavu_sans),
        cmocka_unit_test(installed_families_are_compared_as_fontconfig_does),
        cmocka_unit_test(name_table_versions_are_cut_to_their_number),
        cmocka_unit_test(stamp_fields_are_escaped),
        cmocka_unit_test(the_svg_stamp_follows_the_xml_declaration_however_the_bytes_come),
        cmocka_unit_test(the_png_stamp_is_a_text_chunk_after_ihdr_with_its_crc),
        cmocka_unit_test(a_failed_write_is_reported_by_the_stamper),
        cmocka_unit_test(stamps_are_found_only_where_jmap_writes_them),
        cmocka_unit_test(stale_outputs_are_explained_from_their_stamps),
        cmocka_unit_test(stamps_are_read_from_regular_files_only_and_bounded),
        cmocka_unit_test(the_stamp_of_a_packed_pdf_is_read_through_its_objects),
        cmocka_unit_test(every_output_carries_the_stamp_and_two_builds_are_identical),
        cmocka_unit_test(version_lists_the_libraries_and_the_font_files),
        cmocka_unit_test(version_sanitises_font_file_names),
        cmocka_unit_test(without_inter_build_warns_and_werror_writes_nothing),
        cmocka_unit_test(a_font_option_no_installed_font_provides_is_a_usage_error),
        cmocka_unit_test(check_says_why_an_output_is_stale),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
