#ifndef JMAP_CHECK_INTERNAL_H
#define JMAP_CHECK_INTERNAL_H

/*
 * Internal to the check pass. check.c walks the model; check_report.c collects what it finds
 * and hands it to the jmap_diags sorted by place, so the output follows the file whatever
 * order the rules ran in; check_value.c knows the shapes of single values (ids, colours, URLs,
 * numbers).
 */

#include <stdbool.h>
#include <stddef.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/model.h"

/* The word lists a did-you-mean can draw from. The hint is computed only for diagnostics that
 * are kept, so a map with 200,000 misspelt references costs no 200,000 searches. */
typedef enum check_words {
    WORDS_NONE,
    WORDS_STAGES,
    WORDS_PERSONAS,
    WORDS_LANES,
    WORDS_STATE,
    WORDS_THEME,
    WORDS_BETTER
} check_words;

typedef struct check_item {
    jmap_severity sev;
    const char *code;
    jmap_loc loc;
    char *msg;
    char *hint;       /* NULL, or a hint known when the item was added */
    const char *word; /* with `words`: the misspelt word to suggest for */
    check_words words;
    int rank;   /* 0: the map's file; 1: another file */
    size_t seq; /* the order the item was added: ties keep it */
} check_item;

typedef struct checker {
    const jmap_map *map;
    jmap_diags *d;
    check_item *items;
    size_t n_items, cap;
    size_t scan_budget;   /* source bytes check_text.c may still read to place a character */
    jmap_arena *builtins; /* check_refs.c: the built-in stage models, parsed when first asked */
    const jmap_stage_model **builtin_models;
} checker;

/* Enough to place every character a person would fix by hand; a hostile map past it gets the
 * value's place instead, so the pass stays linear. */
#define CHECK_SCAN_BUDGET ((size_t)16 << 20)

/** Collect a diagnostic. */
void check_report(checker *c, jmap_severity sev, const char *code, jmap_loc at, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));

/** Give the item collected last a hint. */
void check_hint(checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Give the item collected last a did-you-mean for `word`, chosen from `words` when printed. */
void check_suggest(checker *c, const char *word, check_words words);

/** The hint for an unknown stage or persona `word` (words is WORDS_STAGES or WORDS_PERSONAS):
 * a did-you-mean, or the valid ids and, for a stage, the built-in models that have it. NULL
 * when there is nothing to say; the caller frees it. */
char *check_refs_hint(checker *c, check_words words, const char *word);

/** Hand every collected item to c->d, in file order, and free them. */
void check_flush(checker *c);

/** is_first[i] is false for the second and later items with the same id, and for items without
 * one. With `what`, each later item is reported as a duplicate of the first. O(n log n); the
 * caller frees the array. */
bool *check_unique_ids(checker *c, const void *base, size_t n, size_t stride, size_t offset,
                       const char *what);

/** Stage references are only checked against a stage list that exists: with a model that
 * could not be loaded, or no stages at all, the error that explains why was reported already. */
bool check_stages_known(const jmap_map *m);

/* ---- warnings about what the map lacks (check_use.c) --------------------------------------- */

/** [stage-without-touchpoints], [stage-without-kpis]: none about a stage that a touchpoint in
 * error may have meant. */
void check_stage_use(checker *c, const jmap_map *m);

/** [unused-persona]: none about a persona that a touchpoint in error may have meant. */
void check_persona_use(checker *c, const jmap_map *m);

/* ---- values ----------------------------------------------------------------------------- */

/** `[a-z0-9][a-z0-9_-]*` */
bool check_id_valid(const char *s);

/** `[a-z0-9][a-z0-9_.-]*`: a KPI id. */
bool check_kpi_id_valid(const char *s);

/** `#rgb` or `#rrggbb`, hexadecimal digits in either case. */
bool check_color_valid(const char *s);

/** A BCP 47 tag's form (jmap_rule_lang): "en", "de-CH", "zh-Hant-TW", "sl-rozaj". */
bool check_lang_valid(const char *s);

/** True when the string is empty or only whitespace. */
bool check_blank(const char *s);

/** Report what is wrong with a url, as [invalid-url]; nothing when it is fine. */
void check_url(checker *c, const jmap_str *url);

/** A value as it can be quoted in a message: sanitised (jmap_sanitize: a control character
 * shows as `\x1b`), and past 40 code points it is cut with "...". `buf` needs CHECK_QUOTE_SIZE
 * bytes. */
const char *check_quote(const char *s, char *buf, size_t size);

/** The same for the first `len` bytes of `s`, a NUL among them shown as `\x00`. */
const char *check_quote_n(const char *s, size_t len, char *buf, size_t size);

/* 40 code points, each at worst four bytes that are not UTF-8, each shown as `\xNN`. */
#define CHECK_QUOTE_SIZE (40 * 16 + 8)

/* ---- text values (check_text.c) ----------------------------------------------------------- */

/** Report control characters ([control-character], an error) and bidi controls
 * ([bidi-control], a warning) in the map's text values and its stage model's. */
void check_text_values(checker *c, const jmap_map *m);

/** For a value that is not text (an id, a reference, a word such as `state`, a color,
 * `model`; a url has its own check, which reads it whole): true when it holds no control
 * character, not even a tab, a line break or a NUL (which the C string would silently end at);
 * otherwise reports [control-character] at the first one and returns false, and the caller
 * checks the value no further. */
bool check_no_control(checker *c, const jmap_str *v, const char *key);

/** True when the value holds a control character (any C0, DEL, C1): an id that does is
 * reported by check_no_control and left out of the checks that compare ids. */
bool check_has_control(const jmap_str *v);

/** The shortest text that reads back as `v` ("3", "-2.5", "1e+20"), with '.' whatever the
 * locale. `buf` needs at least 32 bytes. */
const char *check_number(double v, char *buf, size_t size);

#define CHECK_NUMBER_SIZE 32

#endif
