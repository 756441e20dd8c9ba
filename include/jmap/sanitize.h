#ifndef JMAP_SANITIZE_H
#define JMAP_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The one sanitiser. Every string that came from a map or a file name (values, ids, model
 * names, file names, hints, source excerpts) passes through it on its way to a terminal, a
 * log, a CI annotation or a machine-readable report, so a hostile map cannot move the cursor,
 * set the clipboard (OSC 52), forge lines, or reorder what a reader sees.
 *
 * Shown as visible escapes: bytes that are not UTF-8 (overlong forms, surrogates, past
 * U+10FFFF, cut sequences) and the C0 controls and DEL as `\xNN` (tab and newline too: a
 * diagnostic is one line); as `\uNNNN` (lowercase hex) the C1 controls, the line and paragraph
 * separators U+2028 and U+2029, the interlinear annotations U+FFF9-FFFB, and every character
 * Unicode calls Default_Ignorable_Code_Point (zero-width characters, the bidi controls U+202A-202E,
 * U+2066-2069, U+200E, U+200F, U+061C, variation selectors, Hangul fillers, the tag characters
 * U+E0000-E0FFF that can smuggle invisible ASCII...), Prepended_Concatenation_Mark (U+0600-0605
 * and the like) or a noncharacter (U+FDD0-FDEF, U+xxFFFE, U+xxFFFF).
 * Two sequences CI runners read as commands are broken up: the `[` of `##[` (GitHub's legacy
 * `##[command]`, found anywhere in a line) is shown as `\x5b`, and jmap_sanitize_write_lead()
 * shows a `:` that starts the text (after white space only) as `\x3a`, so no line can start
 * with a `::command` that came from a map or a file name.
 * A backslash stays a backslash: the output is for reading, not for decoding. The result is
 * always valid UTF-8 with no control character, so it is also safe inside JSON.
 */

/** True when the code point is shown escaped. */
bool jmap_sanitize_escapes(uint32_t cp);

/** True for the bidi controls listed above. */
bool jmap_is_bidi_control(uint32_t cp);

/** Decode one UTF-8 sequence at s (n bytes available, n > 0). Returns its length, or 0 when
 * s does not start a valid, shortest-form sequence; *cp is set only on success. */
size_t jmap_utf8_decode(const char *s, size_t n, uint32_t *cp);

/** Encode code point `cp` (at most U+10FFFF) as UTF-8 into out[0..3]; returns its length. No
 * NUL is written. */
size_t jmap_utf8_encode(uint32_t cp, char out[4]);

/** Write the first `len` bytes of `s`, sanitised. Returns the terminal columns written (an
 * escape as many as its characters; a character as many as a terminal gives it: two for East
 * Asian wide characters and most emoji, none for combining marks, one for the rest), so a caret
 * can be placed under it. */
size_t jmap_sanitize_write(FILE *out, const char *s, size_t len);

/** jmap_sanitize_write for text that starts a line (a diagnostic's file name): a `:` before
 * anything but white space is shown as `\x3a`, as the GitHub Actions runner trims white space
 * and reads a line that starts with `::` as a workflow command. */
size_t jmap_sanitize_write_lead(FILE *out, const char *s, size_t len);

/** The columns jmap_sanitize_write would write for these bytes. */
size_t jmap_sanitize_width(const char *s, size_t len);

/** A sanitised, NUL-terminated copy of `s` (NULL gives NULL); the caller frees it. */
char *jmap_sanitize(const char *s);

/** The same for the first `len` bytes of `s` (a NUL among them is shown as `\x00`). */
char *jmap_sanitize_n(const char *s, size_t len);

/** The byte offset after `n_points` code points of `s` (at most `len`), counting each byte
 * that is not UTF-8 as one, as the sanitiser shows it. */
size_t jmap_utf8_advance(const char *s, size_t len, size_t n_points);

/** True when `s` would pass the sanitiser unchanged. */
bool jmap_sanitize_clean(const char *s, size_t len);

#endif
