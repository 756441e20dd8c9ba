#include "jmap/text.h"

#include <stddef.h>

/*
 * The deterministic measurer: every code point is 0.55 em wide (wide East Asian ones and emoji
 * 1 em), lines are 1.3 em apart. Wrapping is greedy at spaces; a word longer than the width is
 * broken between code points; a newline always breaks. It needs no fonts, so tests, goldens and
 * fuzzing give the same numbers everywhere.
 */

#define FIXED_ADVANCE 0.55
#define FIXED_WIDE 1.0
#define FIXED_LINE 1.3
#define FIXED_BASELINE 0.95

/* Decode one code point; invalid bytes count as one U+FFFD each. */
static uint32_t next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int n = 0;
    if (c < 0x80) {
        *p = s + 1;
        return c;
    }
    if ((c & 0xe0) == 0xc0) {
        c &= 0x1f;
        n = 1;
    } else if ((c & 0xf0) == 0xe0) {
        c &= 0x0f;
        n = 2;
    } else if ((c & 0xf8) == 0xf0) {
        c &= 0x07;
        n = 3;
    } else {
        *p = s + 1;
        return 0xfffd;
    }
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *p = s + i;
            return 0xfffd;
        }
        c = (c << 6) | (s[i] & 0x3f);
    }
    *p = s + n + 1;
    return c;
}

static bool is_wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f) ||
           (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
           (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
           (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
           (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd);
}

typedef struct wrap_state {
    double wrap, line_w, max_w;
    unsigned lines;
} wrap_state;

static void end_line(wrap_state *w)
{
    if (w->line_w > w->max_w)
        w->max_w = w->line_w;
    w->line_w = 0;
    w->lines++;
}

/* Place one word (no spaces) of `word_w`, made of code points whose widths are `adv`, after
 * `space_w` of pending spaces. */
static void place_word(wrap_state *w, const double *adv, size_t n, double word_w, double space_w)
{
    if (w->wrap <= 0 || w->line_w + space_w + word_w <= w->wrap + 1e-9) {
        w->line_w += space_w + word_w;
        return;
    }
    if (w->line_w > 0)
        end_line(w);
    if (word_w <= w->wrap + 1e-9) {
        w->line_w = word_w;
        return;
    }
    /* A word longer than the line: break it between code points. */
    for (size_t i = 0; i < n; i++) {
        if (w->line_w > 0 && w->line_w + adv[i] > w->wrap + 1e-9)
            end_line(w);
        w->line_w += adv[i];
    }
}

static jmap_text_size fixed_measure(void *ctx, const char *utf8, const jmap_font *f, double wrap_w)
{
    (void)ctx;
    double em = f->size;
    wrap_state w = {.wrap = wrap_w};
    double adv[64];
    size_t n = 0;
    double word_w = 0, space_w = 0;
    const unsigned char *p = (const unsigned char *)(utf8 ? utf8 : "");
    for (;;) {
        uint32_t c = *p ? next_cp(&p) : 0;
        if (c == 0 || c == ' ' || c == '\n' || n == sizeof adv / sizeof adv[0]) {
            if (n > 0)
                place_word(&w, adv, n, word_w, space_w);
            if (n > 0 || c == '\n')
                space_w = 0;
            n = 0;
            word_w = 0;
            if (c == 0)
                break;
            if (c == '\n') {
                end_line(&w);
                continue;
            }
            if (c == ' ') {
                space_w += FIXED_ADVANCE * em + f->letter_spacing;
                continue;
            }
            /* a chunk of a very long word: carry on with the same word */
            space_w = 0;
        }
        double a = (is_wide(c) ? FIXED_WIDE : FIXED_ADVANCE) * em + f->letter_spacing;
        adv[n++] = a;
        word_w += a;
    }
    end_line(&w);
    jmap_text_size r = {
        .w = w.max_w,
        .h = w.lines * FIXED_LINE * em,
        .lines = w.lines,
        .baseline = FIXED_BASELINE * em,
    };
    return r;
}

jmap_text_measurer jmap_text_fixed(void)
{
    jmap_text_measurer m = {.ctx = NULL, .measure = fixed_measure};
    return m;
}
