#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "jmap/arena.h"
#include "jmap/jmap.h"
#include "jmap/png_words.h"
#include "jmap/sanitize.h"
#include "jmap/summary.h"

/* The PNG's Title and Description chunks (src/png_words.c), alone and in the binary's PNGs. */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The chunk at d (len bytes available): its CRC checked, its type and data. */
static size_t chunk_at(const unsigned char *d, size_t len, char type[5], const unsigned char **data,
                       size_t *n)
{
    assert_true(len >= 12);
    *n = be32(d);
    assert_true(*n <= len - 12);
    if ((uint32_t)crc32(0, d + 4, (uInt)(4 + *n)) != be32(d + 8 + *n))
        fail_msg("chunk %.4s: bad CRC", (const char *)d + 4);
    memcpy(type, d + 4, 4);
    type[4] = '\0';
    *data = d + 8;
    return 12 + *n;
}

static void latin1_text_goes_into_text_as_latin1(void **state)
{
    (void)state;
    size_t len, n;
    unsigned char *c = jmap_png_words_chunk("Title", "José's map", "de", &len);
    char type[5];
    const unsigned char *data;
    assert_int_equal(chunk_at(c, len, type, &data, &n), len);
    assert_string_equal(type, "tEXt");
    assert_int_equal(n, 6 + 10);
    assert_memory_equal(data, "Title\0Jos\xe9's map", n);
    free(c);
}

static void other_text_goes_into_itxt_as_utf8_with_the_language(void **state)
{
    (void)state;
    size_t len, n;
    char type[5];
    const unsigned char *data;
    unsigned char *c = jmap_png_words_chunk("Description", "東京 − x", "ja", &len);
    assert_int_equal(chunk_at(c, len, type, &data, &n), len);
    assert_string_equal(type, "iTXt");
    static const char want[] = "Description\0\0\0ja\0\0東京 − x";
    assert_int_equal(n, sizeof want - 1);
    assert_memory_equal(data, want, n);
    free(c);
    c = jmap_png_words_chunk("Title", "Ω", NULL, &len); /* no language: an empty tag */
    assert_int_equal(chunk_at(c, len, type, &data, &n), len);
    assert_string_equal(type, "iTXt");
    assert_int_equal(n, 12);
    assert_memory_equal(data, "Title\0\0\0\0\0Ω", n);
    free(c);
}

/* The text chunks of a PNG file, "keyword=value" (iTXt: the UTF-8 text) one per line, after
 * checking every chunk's CRC and that they all come right after IHDR. */
static char *png_words(const char *path)
{
    size_t len;
    unsigned char *d = (unsigned char *)test_read_file(path, &len);
    assert_true(len > 8);
    jmap_strbuf b = {0};
    bool past_text = false;
    char type[5];
    const unsigned char *data;
    size_t n;
    size_t off = 8 + chunk_at(d + 8, len - 8, type, &data, &n);
    assert_string_equal(type, "IHDR");
    while (off < len) {
        off += chunk_at(d + off, len - off, type, &data, &n);
        bool text = strcmp(type, "tEXt") == 0, itxt = strcmp(type, "iTXt") == 0;
        if (!text && !itxt) {
            past_text = true;
            continue;
        }
        assert_false(past_text);
        const char *kw = (const char *)data;
        size_t nk = strlen(kw);
        jmap_strbuf_puts(&b, kw);
        jmap_strbuf_puts(&b, itxt ? "~" : "=");
        const unsigned char *v = data + nk + 1;
        if (itxt) {
            assert_int_equal(v[0], 0); /* uncompressed */
            const char *lang = (const char *)v + 2;
            jmap_strbuf_puts(&b, lang);
            jmap_strbuf_puts(&b, "~");
            v = (const unsigned char *)lang + strlen(lang) + 1;
            v += strlen((const char *)v) + 1; /* the translated keyword */
            jmap_strbuf_put(&b, (const char *)v, (size_t)(data + n - v));
        } else { /* Latin-1 back to UTF-8, to compare */
            for (; v < data + n; v++) {
                char u[4];
                jmap_strbuf_put(&b, u, jmap_utf8_encode(*v, u));
            }
        }
        jmap_strbuf_puts(&b, "\n");
    }
    free(d);
    return b.s;
}

static void a_built_png_says_its_title_and_summary(void **state)
{
    (void)state;
    const char *map = JMAP_SOURCE_DIR "/examples/grocery-first-order.yaml";
    char *dir = test_tmpdir("png-words");
    char *a = jmap_xprintf("%s/a.png", dir), *b = jmap_xprintf("%s/b.png", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", map, a), 0);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", map, b), 0);
    size_t na, nb;
    char *da = test_read_file(a, &na), *db = test_read_file(b, &nb);
    assert_int_equal(na, nb); /* reproducible */
    assert_memory_equal(da, db, na);

    /* the words are the model's, as jmap_summary says them */
    jmap_arena *ar = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    size_t len;
    char *yaml = test_read_file(map, &len);
    jmap_limits lim = jmap_limits_default();
    const jmap_map *m = jmap_compile(ar, map, yaml, len, &lim, &d);
    assert_non_null(m);
    char *title = jmap_summary_title(m), *summary = jmap_summary(m);
    char *words = png_words(a);
    assert_true(strncmp(words, "Software=jmap ", 14) == 0);
    char *want = jmap_xprintf("\nTitle=%s\nDescription=%s\n", title, summary);
    assert_non_null(strstr(words, want));
    free(want);
    free(words);

    /* one persona's view says so first */
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' --persona maya -o '%s'", map, a), 0);
    words = png_words(a);
    want = jmap_xprintf("\nDescription=The view of one persona: Maya (Busy parent of two). %s\n",
                        summary);
    assert_non_null(strstr(words, want));
    free(want);
    free(words);

    free(title);
    free(summary);
    free(yaml);
    jmap_diags_release(&d);
    jmap_arena_free(ar);
    free(da);
    free(db);
    free(a);
    free(b);
    free(dir);
}

static void a_title_latin1_cannot_spell_is_utf8(void **state)
{
    (void)state;
    char *dir = test_tmpdir("png-words-utf8");
    char *map = test_put(dir, "m.yaml",
                         "jmap: 1\ntitle: 初めての注文\nmodel: classic\n"
                         "personas: [{id: p, name: Pat}]\n"
                         "touchpoints:\n  - {stage: awareness, name: Ad, emotion: 1}\n");
    char *png = jmap_xprintf("%s/m.png", dir);
    assert_int_equal(test_jmap(NULL, NULL, "build '%s' -o '%s'", map, png), 0);
    char *words = png_words(png);
    assert_non_null(strstr(words, "\nTitle~~初めての注文\n"));
    assert_non_null(strstr(words, "\nDescription=A customer-journey map in 4 stages"));
    free(words);
    free(png);
    free(map);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(latin1_text_goes_into_text_as_latin1),
        cmocka_unit_test(other_text_goes_into_itxt_as_utf8_with_the_language),
        cmocka_unit_test(a_built_png_says_its_title_and_summary),
        cmocka_unit_test(a_title_latin1_cannot_spell_is_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
