#ifndef JMAP_QPDF_LAZY_H
#define JMAP_QPDF_LAZY_H

#include <qpdf/qpdf-c.h>

/*
 * libqpdf's C API, loaded with dlopen the first time a PDF is packed or read, not linked: a
 * linked libqpdf (and the C++ runtime it brings) costs every jmap process its relocation, SVG,
 * PNG and `jmap check` included (docs/performance.md, issue 12). The header still gives the
 * types; each entry of the table below is checked against its prototype at compile time.
 *
 * X(return type, name without the qpdf_ prefix, parameters) for each function jmap calls.
 */
#define JMAP_QPDF_FUNCTIONS(X)                                                                     \
    X(qpdf_data, init, (void))                                                                     \
    X(void, cleanup, (qpdf_data *))                                                                \
    X(void, silence_errors, (qpdf_data))                                                           \
    X(void, set_suppress_warnings, (qpdf_data, QPDF_BOOL))                                         \
    X(void, set_attempt_recovery, (qpdf_data, QPDF_BOOL))                                          \
    X(QPDF_ERROR_CODE, read_memory,                                                                \
      (qpdf_data, char const *, char const *, unsigned long long, char const *))                   \
    X(QPDF_BOOL, has_error, (qpdf_data))                                                           \
    X(qpdf_error, get_error, (qpdf_data))                                                          \
    X(char const *, get_error_full_text, (qpdf_data, qpdf_error))                                  \
    X(qpdf_oh, get_root, (qpdf_data))                                                              \
    X(qpdf_oh, get_trailer, (qpdf_data))                                                           \
    X(qpdf_oh, oh_new_dictionary, (qpdf_data))                                                     \
    X(qpdf_oh, oh_new_bool, (qpdf_data, QPDF_BOOL))                                                \
    X(qpdf_oh, oh_new_unicode_string, (qpdf_data, char const *))                                   \
    X(QPDF_BOOL, oh_is_array, (qpdf_data, qpdf_oh))                                                \
    X(QPDF_BOOL, oh_is_dictionary, (qpdf_data, qpdf_oh))                                           \
    X(QPDF_BOOL, oh_is_string, (qpdf_data, qpdf_oh))                                               \
    X(QPDF_BOOL, oh_is_name_and_equals, (qpdf_data, qpdf_oh, char const *))                        \
    X(int, oh_get_array_n_items, (qpdf_data, qpdf_oh))                                             \
    X(qpdf_oh, oh_get_array_item, (qpdf_data, qpdf_oh, int))                                       \
    X(QPDF_BOOL, oh_has_key, (qpdf_data, qpdf_oh, char const *))                                   \
    X(qpdf_oh, oh_get_key, (qpdf_data, qpdf_oh, char const *))                                     \
    X(void, oh_replace_key, (qpdf_data, qpdf_oh, char const *, qpdf_oh))                           \
    X(QPDF_BOOL, oh_get_value_as_utf8, (qpdf_data, qpdf_oh, char const **, size_t *))              \
    X(QPDF_ERROR_CODE, init_write_memory, (qpdf_data))                                             \
    X(void, set_object_stream_mode, (qpdf_data, enum qpdf_object_stream_e))                        \
    X(void, set_compress_streams, (qpdf_data, QPDF_BOOL))                                          \
    X(void, set_decode_level, (qpdf_data, enum qpdf_stream_decode_level_e))                        \
    X(void, set_deterministic_ID, (qpdf_data, QPDF_BOOL))                                          \
    X(void, set_qdf_mode, (qpdf_data, QPDF_BOOL))                                                  \
    X(QPDF_ERROR_CODE, write, (qpdf_data))                                                         \
    X(size_t, get_buffer_length, (qpdf_data))                                                      \
    X(unsigned char const *, get_buffer, (qpdf_data))

#define JMAP_QPDF_MEMBER(ret, name, params) ret(*name) params;
/** The functions, each named as in libqpdf without its qpdf_ prefix: `qp->init()`. */
typedef struct jmap_qpdf {
    JMAP_QPDF_FUNCTIONS(JMAP_QPDF_MEMBER)
} jmap_qpdf;
#undef JMAP_QPDF_MEMBER

/** The library's name as jmap loads it (its SONAME, found when jmap was configured). */
extern const char jmap_qpdf_soname[];

/** libqpdf's functions, loaded on the first call (thread-safe; later calls are a load of a
 * pointer). NULL when the library or one of its functions cannot be found: `why` (when not
 * NULL) then gets a message that names the library, its package and the loader's reason; it
 * stays valid for the life of the process. */
const jmap_qpdf *jmap_qpdf_load(const char **why);

#endif
