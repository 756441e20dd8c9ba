#ifndef JMAP_PNG_WORDS_H
#define JMAP_PNG_WORDS_H

#include <stddef.h>

/*
 * A PNG text chunk for words about the map (its Title, its Description), whatever their
 * script. PNG's tEXt holds Latin-1 only, so text that Latin-1 can spell goes into tEXt (as
 * Latin-1 bytes: every reader shows it), and any other text into iTXt, uncompressed UTF-8
 * with the map's language tag. The same text always gives the same bytes.
 */

/** The chunk (length, type, data, CRC) holding `keyword` (Latin-1 letters, 1-79 bytes) and the
 * UTF-8 `text`; `lang` (BCP 47, may be NULL) is the iTXt language tag. Caller frees. */
unsigned char *jmap_png_words_chunk(const char *keyword, const char *text, const char *lang,
                                    size_t *len);

#endif
