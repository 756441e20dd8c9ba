#include "jmap/theme.h"

#include <math.h>
#include <string.h>

/* Every colour, size and gap of the drawn map. VISUAL.md explains the choices; the contrast of
 * every text against its fill is checked by test_layout for each theme. */

#define RGB(hex)                                                                                   \
    {                                                                                              \
        (uint8_t)((hex) >> 16), (uint8_t)(((hex) >> 8) & 0xff), (uint8_t)((hex)&0xff), 255         \
    }

/* VISUAL.md's type scale: six styles, no more (each new size or weight costs Pango and
 * fontconfig about a millisecond of set-up on every map). */
#define TYPE_DEFAULT                                                                               \
    {                                                                                              \
        .style =                                                                                   \
            {                                                                                      \
                [JMAP_STYLE_TITLE] = {22, 700, false},                                             \
                [JMAP_STYLE_HEADING] = {12, 600, false},                                           \
                [JMAP_STYLE_STRONG] = {10, 600, false},                                            \
                [JMAP_STYLE_BODY] = {9, 400, false},                                               \
                [JMAP_STYLE_QUOTE] = {9, 400, true},                                               \
                [JMAP_STYLE_LABEL] = {8, 600, false},                                              \
            },                                                                                     \
        .caps_spacing = 0.5,                                                                       \
    }

#define SPACE_DEFAULT                                                                              \
    {                                                                                              \
        .margin = 32, .label_w = 104, .step_w = 168, .step_gap = 4, .stage_gap = 12, .row_gap = 4, \
        .visibility_gap = 26, .header_gap = 28, .pad = 8, .radius = 6, .accent_w = 3, .chip = 8,   \
        .marker = 9, .curve_w = 2.25, .emotion_unit = 26, .legend_entry_w = 168,                   \
        .spark_h = 24, .spark_w = 1.5,                                                             \
    }

static const jmap_theme light = {
    .name = "light",
    .type = TYPE_DEFAULT,
    .sp = SPACE_DEFAULT,
    .font_family = "Inter",
    .c =
        {
            .background = RGB(0xFFFFFF),
            .text = RGB(0x1F2430),
            .text_secondary = RGB(0x5B6475),
            .grid = RGB(0xE3E6EC),
            .label_band = RGB(0xF5F6F8),
            .card_fill = RGB(0xFFFFFF),
            .card_stroke = RGB(0xD5DAE1),
            .cell_fill = RGB(0xF7F8FA),
            .empty_fill = RGB(0xFBFBFC),
            .pain_fill = RGB(0xFFF1EB),
            .pain_accent = RGB(0xD55E00),
            .opportunity_fill = RGB(0xEAF7F1),
            .opportunity_accent = RGB(0x009E73),
            .backstage_fill = RGB(0xEEF0F3),
            .visibility_line = RGB(0x8A93A3),
            .kpi_fill = RGB(0xFFFFFF),
            .on_track = RGB(0x0F7B55),
            .off_track = RGB(0xB23C00),
            .spark = RGB(0x4F5B93),
            .spark_target = RGB(0x9AA3B2),
            .emotion_fill = RGB(0xFFFFFF),
            .emotion_pos = RGB(0xE3F4EA),
            .emotion_neg = RGB(0xFBE6E4),
            .emotion_zero = RGB(0x9AA3B2),
            .marker_fill = RGB(0xFFFFFF),
            .legend_fill = RGB(0xF5F6F8),
            .badge_current_fill = RGB(0xE9EBEF),
            .badge_current_text = RGB(0x3D4452),
            .badge_future_fill = RGB(0xEFE7FB),
            .badge_future_text = RGB(0x5B2A9E),
            /* indigo, emerald, amber, rose, sky, lime */
            .stage_fill = {RGB(0xEEF2FF), RGB(0xECFDF5), RGB(0xFEF6DC), RGB(0xFFF1F2),
                           RGB(0xF0F9FF), RGB(0xF7FEE7)},
            .stage_accent = {RGB(0x6366F1), RGB(0x10B981), RGB(0xF59E0B), RGB(0xF43F5E),
                             RGB(0x0EA5E9), RGB(0x84CC16)},
            /* Okabe–Ito, yellow last */
            .persona = {RGB(0x0072B2), RGB(0xD55E00), RGB(0x009E73), RGB(0xCC79A7), RGB(0xE69F00),
                        RGB(0x56B4E9), RGB(0x000000), RGB(0xF0E442)},
        },
    .persona_override = true,
};

static const jmap_theme dark = {
    .name = "dark",
    .type = TYPE_DEFAULT,
    .sp = SPACE_DEFAULT,
    .font_family = "Inter",
    .c =
        {
            .background = RGB(0x15171C),
            .text = RGB(0xE6E8EE),
            .text_secondary = RGB(0x9AA3B2),
            .grid = RGB(0x2C3039),
            .label_band = RGB(0x1E2128),
            .card_fill = RGB(0x23262E),
            .card_stroke = RGB(0x353A45),
            .cell_fill = RGB(0x1E2128),
            .empty_fill = RGB(0x1A1C22),
            .pain_fill = RGB(0x2E2220),
            .pain_accent = RGB(0xF08A4B),
            .opportunity_fill = RGB(0x1C2B26),
            .opportunity_accent = RGB(0x3CC49A),
            .backstage_fill = RGB(0x1B1E24),
            .visibility_line = RGB(0x6B7384),
            .kpi_fill = RGB(0x1E2128),
            .on_track = RGB(0x5CD6A0),
            .off_track = RGB(0xFF8A65),
            .spark = RGB(0xA5B4FC),
            .spark_target = RGB(0x6B7384),
            .emotion_fill = RGB(0x1A1C22),
            .emotion_pos = RGB(0x1D2B25),
            .emotion_neg = RGB(0x2F2023),
            .emotion_zero = RGB(0x6B7384),
            .marker_fill = RGB(0xFFFFFF),
            .legend_fill = RGB(0x1E2128),
            .badge_current_fill = RGB(0x2C3039),
            .badge_current_text = RGB(0xD5D9E1),
            .badge_future_fill = RGB(0x3A2A5A),
            .badge_future_text = RGB(0xDCCBFF),
            .stage_fill = {RGB(0x252A45), RGB(0x1B3129), RGB(0x352C17), RGB(0x3A2129),
                           RGB(0x1A2E3D), RGB(0x27321A)},
            .stage_accent = {RGB(0x818CF8), RGB(0x34D399), RGB(0xFBBF24), RGB(0xFB7185),
                             RGB(0x38BDF8), RGB(0xA3E635)},
            /* Okabe–Ito lightened for a dark ground; black becomes a light grey */
            .persona = {RGB(0x4FA3E0), RGB(0xF08A4B), RGB(0x3CC49A), RGB(0xE29BC4), RGB(0xF4B942),
                        RGB(0x8ACFF5), RGB(0xD0D4DC), RGB(0xF5EA78)},
        },
    .persona_override = true,
};

static const jmap_theme print = {
    .name = "print",
    .type = TYPE_DEFAULT,
    .sp = SPACE_DEFAULT,
    .font_family = "Inter",
    .c =
        {
            .background = RGB(0xFFFFFF),
            .text = RGB(0x000000),
            .text_secondary = RGB(0x404040),
            .grid = RGB(0xCCCCCC),
            .label_band = RGB(0xEEEEEE),
            .card_fill = RGB(0xFFFFFF),
            .card_stroke = RGB(0x808080),
            .cell_fill = RGB(0xF5F5F5),
            .empty_fill = RGB(0xFAFAFA),
            .pain_fill = RGB(0xEBEBEB),
            .pain_accent = RGB(0x000000),
            .opportunity_fill = RGB(0xF5F5F5),
            .opportunity_accent = RGB(0x606060),
            .backstage_fill = RGB(0xE6E6E6),
            .visibility_line = RGB(0x404040),
            .kpi_fill = RGB(0xFFFFFF),
            .on_track = RGB(0x000000),
            .off_track = RGB(0x000000),
            .spark = RGB(0x000000),
            .spark_target = RGB(0x808080),
            .emotion_fill = RGB(0xFFFFFF),
            .emotion_pos = RGB(0xF2F2F2),
            .emotion_neg = RGB(0xE0E0E0),
            .emotion_zero = RGB(0x808080),
            .marker_fill = RGB(0xFFFFFF),
            .legend_fill = RGB(0xF2F2F2),
            .badge_current_fill = RGB(0xE6E6E6),
            .badge_current_text = RGB(0x000000),
            .badge_future_fill = RGB(0x000000),
            .badge_future_text = RGB(0xFFFFFF),
            .stage_fill = {RGB(0xF0F0F0), RGB(0xE4E4E4), RGB(0xF0F0F0), RGB(0xE4E4E4),
                           RGB(0xF0F0F0), RGB(0xE4E4E4)},
            .stage_accent = {RGB(0x000000), RGB(0x606060), RGB(0x000000), RGB(0x606060),
                             RGB(0x000000), RGB(0x606060)},
            .persona = {RGB(0x000000), RGB(0x404040), RGB(0x000000), RGB(0x404040), RGB(0x606060),
                        RGB(0x202020), RGB(0x606060), RGB(0x202020)},
        },
    .persona_patterns = true,
};

const jmap_theme *jmap_theme_get(jmap_theme_id id)
{
    switch (id) {
    case JMAP_THEME_LIGHT:
        return &light;
    case JMAP_THEME_DARK:
        return &dark;
    case JMAP_THEME_PRINT:
        return &print;
    }
    return NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool jmap_color_parse(const char *s, jmap_color *out)
{
    if (!s || s[0] != '#')
        return false;
    size_t n = strlen(s + 1);
    if (n != 3 && n != 6)
        return false;
    int v[6];
    for (size_t i = 0; i < n; i++) {
        if ((v[i] = hexval(s[1 + i])) < 0)
            return false;
    }
    if (n == 3) {
        *out = (jmap_color){(uint8_t)(v[0] * 17), (uint8_t)(v[1] * 17), (uint8_t)(v[2] * 17), 255};
    } else {
        *out = (jmap_color){(uint8_t)(v[0] * 16 + v[1]), (uint8_t)(v[2] * 16 + v[3]),
                            (uint8_t)(v[4] * 16 + v[5]), 255};
    }
    return true;
}

static double channel(uint8_t c)
{
    double x = c / 255.0;
    return x <= 0.03928 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4);
}

static double luminance(jmap_color c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double jmap_color_contrast(jmap_color a, jmap_color b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

jmap_color jmap_theme_persona_color(const jmap_theme *t, const jmap_map *m, size_t ix)
{
    jmap_color c;
    if (t->persona_override && m && ix < m->n_personas &&
        jmap_color_parse(m->personas[ix].color.s, &c))
        return c;
    return t->c.persona[ix % JMAP_THEME_PERSONAS];
}

void jmap_theme_persona_style(const jmap_theme *t, size_t ix, double *dash_on, double *dash_off,
                              int *shape)
{
    static const double dashes[4][2] = {{0, 0}, {6, 3}, {2, 2.5}, {9, 3}};
    if (!t->persona_patterns) {
        *dash_on = *dash_off = 0;
        *shape = 0;
        return;
    }
    *dash_on = dashes[ix % 4][0];
    *dash_off = dashes[ix % 4][1];
    *shape = (int)(ix % 4);
}
