/* libFuzzer: any bytes as a url. The normalised url holds only the characters it may
 * (jmap_url_char_kept, and '%' only before two hex digits), normalising it again changes
 * nothing, and it means what the input meant: percent-decoding both gives the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode in place; a '%' that starts no escape stays as it is. Returns the length. */
static size_t decode(char *s)
{
    size_t k = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '%' && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            s[k++] = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            s[k++] = s[i];
        }
    }
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = jmap_xmalloc(size + 1);
    memcpy(in, data, size);
    in[size] = '\0'; /* a url is a C string: it ends at the first NUL */

    char *out = jmap_url_normalize(in);
    for (size_t i = 0; out[i]; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c == '%') {
            if (hex_value(out[i + 1]) < 0 || hex_value(out[i + 2]) < 0)
                abort();
        } else if (!jmap_url_char_kept(c) || c <= 0x20 || c >= 0x7f || strchr("()'\\\"<>", c)) {
            abort();
        }
    }
    char *again = jmap_url_normalize(out);
    if (strcmp(again, out) != 0)
        abort();

    size_t n_in = decode(in), n_out = decode(out);
    if (n_in != n_out || memcmp(in, out, n_in) != 0)
        abort();

    free(again);
    free(out);
    free(in);
    return 0;
}
