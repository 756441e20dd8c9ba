/*
 * libFuzzer: any bytes, as a map under a hostile file name, compiled, then its diagnostics
 * printed in every format. Aborts when the output holds a byte that is not UTF-8 or a control,
 * bidi or invisible character other than the newlines that end lines, when a JSON line is
 * not one line per diagnostic, or when GitHub output has a line that is not one of jmap's
 * annotations.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/diag_format.h"
#include "jmap/jmap.h"
#include "jmap/sanitize.h"
#include "../safe_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void assert_safe(const char *s, size_t len)
{
    if (test_first_unsafe(s, len) < len)
        abort();
}

static size_t lines(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    return n;
}

static void print_text(const jmap_diags *d, FILE *f)
{
    jmap_diag_print_opts o = {.color = false, .excerpt = true};
    jmap_diags_print(d, f, &o);
}

/* The output of one printer, checked; returns its line count. */
static size_t check_output(void (*print)(const jmap_diags *, FILE *), const jmap_diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        abort();
    print(d, f);
    fclose(f);
    assert_safe(buf, len);
    if (print == jmap_diags_print_github) {
        for (const char *line = buf; line < buf + len;) {
            if (strncmp(line, "::error file=", 13) != 0 &&
                strncmp(line, "::warning file=", 15) != 0 &&
                strncmp(line, "::notice file=", 14) != 0)
                abort();
            const char *nl = memchr(line, '\n', (size_t)(buf + len - line));
            if (!nl)
                abort(); /* every command ends its line */
            line = nl + 1;
        }
    }
    size_t n = lines(buf, len);
    free(buf);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first bytes, up to a NUL, name the file; the rest is the map. */
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size < 64 ? size : 64);
    char *name = nul ? strndup(text, (size_t)(nul - text)) : strdup("fuzz.yaml");
    if (nul) {
        size -= (size_t)(nul - text) + 1;
        text = nul + 1;
    }
    jmap_limits lim = jmap_limits_default();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_arena *a = jmap_arena_new();
    jmap_compile(a, name, text, size, &lim, &d);
    jmap_arena_free(a);
    jmap_diags_sort(&d);

    check_output(print_text, &d);
    /* One line per diagnostic, and a closing note when --max-errors cut the list. */
    size_t want = d.n_items + (d.n_dropped ? 1 : 0);
    if (check_output(jmap_diags_print_json, &d) != want)
        abort();
    if (check_output(jmap_diags_print_github, &d) != want)
        abort();
    jmap_sarif *s = jmap_sarif_new();
    jmap_sarif_add(s, &d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        abort();
    jmap_sarif_write(s, f);
    fclose(f);
    assert_safe(buf, len);
    free(buf);
    jmap_sarif_free(s);

    jmap_diags_release(&d);
    free(name);
    return 0;
}
