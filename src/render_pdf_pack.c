#include "render_pdf_pack.h"

#include <string.h>

#include "jmap/arena.h"
#include "qpdf_lazy.h"

enum { MAX_DEPTH = 64 }; /* Cairo nests Document > Sect > P > Figure: far less */

/* Give every Figure under `elem` (a structure element, or an array of kids) the /Alt. */
static void put_alt(const jmap_qpdf *qp, qpdf_data q, qpdf_oh elem, const char *alt, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    if (qp->oh_is_array(q, elem)) {
        int n = qp->oh_get_array_n_items(q, elem);
        for (int i = 0; i < n; i++)
            put_alt(qp, q, qp->oh_get_array_item(q, elem, i), alt, depth + 1);
        return;
    }
    /* Marked-content ids (integers) and references to them (/MCR, /OBJR) end the walk. */
    if (!qp->oh_is_dictionary(q, elem) || !qp->oh_has_key(q, elem, "/S"))
        return;
    if (qp->oh_is_name_and_equals(q, qp->oh_get_key(q, elem, "/S"), "/Figure"))
        qp->oh_replace_key(q, elem, "/Alt", qp->oh_new_unicode_string(q, alt));
    put_alt(qp, q, qp->oh_get_key(q, elem, "/K"), alt, depth + 1);
}

static void write_options(const jmap_qpdf *qp, qpdf_data q)
{
    qp->set_object_stream_mode(q, qpdf_o_generate);
    qp->set_compress_streams(q, QPDF_TRUE);
    /* Cairo's streams are compressed already: copied as they are, not inflated and deflated. */
    qp->set_decode_level(q, qpdf_dl_none);
    qp->set_deterministic_ID(q, QPDF_TRUE);
    qp->set_qdf_mode(q, QPDF_FALSE);
}

bool jmap_pdf_pack(const char *pdf, size_t len, const char *lang, const char *alt, jmap_strbuf *out,
                   char **why)
{
    const char *unloaded = NULL;
    const jmap_qpdf *qp = jmap_qpdf_load(&unloaded);
    if (!qp) {
        if (why)
            *why = jmap_xstrdup(unloaded);
        return false;
    }
    qpdf_data q = qp->init();
    /* Errors are told by the caller as jmap's own diagnostic; warnings are not told. */
    qp->silence_errors(q);
    qp->set_suppress_warnings(q, QPDF_TRUE);
    bool ok = !(qp->read_memory(q, "the PDF Cairo drew", pdf, (unsigned long long)len, NULL) &
                QPDF_ERRORS);
    if (ok) {
        qpdf_oh root = qp->get_root(q);
        qpdf_oh mark = qp->oh_new_dictionary(q);
        qp->oh_replace_key(q, mark, "/Marked", qp->oh_new_bool(q, QPDF_TRUE));
        qp->oh_replace_key(q, root, "/MarkInfo", mark);
        if (lang && *lang)
            qp->oh_replace_key(q, root, "/Lang", qp->oh_new_unicode_string(q, lang));
        if (alt && *alt)
            put_alt(qp, q, qp->oh_get_key(q, qp->oh_get_key(q, root, "/StructTreeRoot"), "/K"), alt,
                    0);
        ok = !qp->has_error(q);
    }
    if (ok) {
        ok = !(qp->init_write_memory(q) & QPDF_ERRORS);
        if (ok) {
            write_options(qp, q);
            ok = !(qp->write(q) & QPDF_ERRORS);
        }
    }
    if (ok) {
        size_t n = qp->get_buffer_length(q);
        const unsigned char *b = qp->get_buffer(q);
        ok = b && n > 0;
        if (ok)
            jmap_strbuf_put(out, (const char *)b, n);
    }
    if (!ok && why) {
        qpdf_error e = qp->has_error(q) ? qp->get_error(q) : NULL;
        const char *text = e ? qp->get_error_full_text(q, e) : NULL;
        *why = jmap_xstrdup(text && *text ? text : "libqpdf wrote nothing");
    }
    qp->cleanup(&q);
    return ok;
}
