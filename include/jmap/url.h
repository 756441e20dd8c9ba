#ifndef JMAP_URL_H
#define JMAP_URL_H

#include <stdbool.h>

/*
 * Links as jmap writes them into its output. A map's url is text from a possibly hostile
 * author; before any writer sees it, it is normalised to RFC 3986's characters, so it can only
 * be a link: it cannot close the string it is written in (a PDF string, Cairo's attribute
 * string, an SVG attribute) and add anything of its own.
 */

/** True for a byte that jmap_url_normalize leaves as it is: RFC 3986's unreserved characters,
 * gen-delims and sub-delims, except '(', ')' and '\''; '%' only begins an escape. */
bool jmap_url_char_kept(unsigned char c);

/**
 * A copy of `url` in which every byte outside jmap_url_char_kept, and every '%' that does not
 * start a valid escape ("%" and two hex digits), is percent-encoded ("%28", "%C3%A9"). An
 * existing escape is kept as written. Normalising twice gives the same text as normalising
 * once. The caller frees the result.
 */
char *jmap_url_normalize(const char *url);

/**
 * A file path as the path of a URI: every byte but RFC 3986's unreserved characters and '/'
 * is percent-encoded, '%' included ("a b#1%.yaml" -> "a%20b%231%25.yaml"; a byte that is not
 * UTF-8, "\xff", -> "%FF"), so any name, however hostile, is one path that decodes to the
 * same bytes and holds no control character. The caller frees the result.
 */
char *jmap_url_encode_path(const char *path);

#endif
