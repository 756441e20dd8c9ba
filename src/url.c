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

char *jmap_url_normalize(const char *url)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(url);
    char *out = jmap_xmalloc(3 * n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)url[i];
        bool escape = c == '%' && is_hex((unsigned char)url[i + 1]) &&
                      is_hex((unsigned char)url[i + 2]);
        if (jmap_url_char_kept(c) || escape) {
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

char *jmap_url_encode_path(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *out = jmap_xmalloc(3 * n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)path[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            (c != '\0' && strchr("-._~/", c))) {
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
