#include "jmap/url.h"

#include <string.h>

#include "jmap/arena.h"

/*
 * RFC 3986, section 2: unreserved = ALPHA DIGIT - . _ ~; gen-delims = : / ? # [ ] @;
 * sub-delims = ! $ & ' ( ) * + , ; =. '(' and ')' and '\'' are sub-delims and legal in a URI,
 * but they are encoded here anyway: Cairo 1.16 writes a link's URI into a PDF string,
 * "/URI (...)", without escaping, so a ')' would end the string and let the rest of the url
 * write PDF objects (a /JavaScript action); and '\'' is the quote of Cairo's own attribute
 * syntax. Encoded, each means the same to a web server.
 */
bool jmap_url_char_kept(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("-._~:/?#[]@!$&*+,;=", c) != NULL;
}

static bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("-._~", c) != NULL);
}

/* Percent-encode every byte of `s` that `kept` does not keep; an existing escape ("%2F") is
 * kept when `keep_escapes`. */
static char *percent_encode(const char *s, bool (*kept)(unsigned char), bool keep_escapes)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = jmap_xmalloc(3 * n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool escape = keep_escapes && c == '%' && is_hex((unsigned char)s[i + 1]) &&
                      is_hex((unsigned char)s[i + 2]);
        if (kept(c) || escape) {
            out[k++] = (char)c;
            continue;
        }
        out[k++] = '%';
        out[k++] = hex[c >> 4];
        out[k++] = hex[c & 15];
    }
    out[k] = '\0';
    return out;
}

char *jmap_url_normalize(const char *url)
{
    return percent_encode(url, jmap_url_char_kept, true);
}

static bool path_char_kept(unsigned char c)
{
    return is_unreserved(c) || c == '/';
}

char *jmap_url_encode_path(const char *path)
{
    return percent_encode(path, path_char_kept, false);
}
