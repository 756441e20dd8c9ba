#include "render_pdf_pack.h"

#include <string.h>

#include <qpdf/qpdf-c.h>

#include "jmap/arena.h"

enum { MAX_DEPTH = 64 }; /* Cairo nests Document > Sect > P > Figure: far less */

/* Give every Figure under `elem` (a structure element, or an array of kids) the /Alt. */
static void put_alt(qpdf_data q, qpdf_oh elem, const char *alt, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    if (qpdf_oh_is_array(q, elem)) {
        int n = qpdf_oh_get_array_n_items(q, elem);
        for (int i = 0; i < n; i++)
            put_alt(q, qpdf_oh_get_array_item(q, elem, i), alt, depth + 1);
        return;
    }
    /* Marked-content ids (integers) and references to them (/MCR, /OBJR) end the walk. */
    if (!qpdf_oh_is_dictionary(q, elem) || !qpdf_oh_has_key(q, elem, "/S"))
        return;
    if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, elem, "/S"), "/Figure"))
        qpdf_oh_replace_key(q, elem, "/Alt", qpdf_oh_new_unicode_string(q, alt));
    put_alt(q, qpdf_oh_get_key(q, elem, "/K"), alt, depth + 1);
}

static void write_options(qpdf_data q)
{
    qpdf_set_object_stream_mode(q, qpdf_o_generate);
    qpdf_set_compress_streams(q, QPDF_TRUE);
    /* Cairo's streams are compressed already: copied as they are, not inflated and deflated. */
    qpdf_set_decode_level(q, qpdf_dl_none);
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    qpdf_set_qdf_mode(q, QPDF_FALSE);
}

bool jmap_pdf_pack(const char *pdf, size_t len, const char *lang, const char *alt,
                   jmap_strbuf *out, char **why)
{
    qpdf_data q = qpdf_init();
    /* Errors are told by the caller as jmap's own diagnostic; warnings are not told. */
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    bool ok = !(qpdf_read_memory(q, "the PDF Cairo drew", pdf, (unsigned long long)len, NULL) &
                QPDF_ERRORS);
    if (ok) {
        qpdf_oh root = qpdf_get_root(q);
        qpdf_oh mark = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, mark, "/Marked", qpdf_oh_new_bool(q, QPDF_TRUE));
        qpdf_oh_replace_key(q, root, "/MarkInfo", mark);
        if (lang && *lang)
            qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, lang));
        if (alt && *alt)
            put_alt(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, root, "/StructTreeRoot"), "/K"),
                    alt, 0);
        ok = !qpdf_has_error(q);
    }
    if (ok) {
        ok = !(qpdf_init_write_memory(q) & QPDF_ERRORS);
        if (ok) {
            write_options(q);
            ok = !(qpdf_write(q) & QPDF_ERRORS);
        }
    }
    if (ok) {
        size_t n = qpdf_get_buffer_length(q);
        const unsigned char *b = qpdf_get_buffer(q);
        ok = b && n > 0;
        if (ok)
            jmap_strbuf_put(out, (const char *)b, n);
    }
    if (!ok && why) {
        qpdf_error e = qpdf_has_error(q) ? qpdf_get_error(q) : NULL;
        const char *text = e ? qpdf_get_error_full_text(q, e) : NULL;
        *why = jmap_xstrdup(text && *text ? text : "libqpdf wrote nothing");
    }
    qpdf_cleanup(&q);
    return ok;
}
