/* VISUAL.md's type scale: six text styles, no more, in every theme and in every text of every
 * example map as `jmap build --dump-layout` lays it out with the real Pango measurer.
 * cmocka needs its includes first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "support.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/theme.h"

/* The table of VISUAL.md ("Type"), written out again so a theme cannot drift from it. */
typedef struct want_style {
    const char *name;
    double size;
    int weight;
    bool italic;
} want_style;

static const want_style VISUAL[JMAP_STYLE_COUNT] = {
    [JMAP_STYLE_TITLE] = {"title", 22, 700, false},
    [JMAP_STYLE_HEADING] = {"heading", 12, 600, false},
    [JMAP_STYLE_STRONG] = {"strong", 10, 600, false},
    [JMAP_STYLE_BODY] = {"body", 9, 400, false},
    [JMAP_STYLE_QUOTE] = {"quote", 9, 400, true},
    [JMAP_STYLE_LABEL] = {"label", 8, 600, false},
};

/* Which style each text jmap draws is in: VISUAL.md's "used for" column. */
static const struct {
    const char *role;
    jmap_text_style style;
} ROLES[] = {
    {"title", JMAP_STYLE_TITLE},
    {"subtitle", JMAP_STYLE_HEADING},
    {"stage-name", JMAP_STYLE_HEADING},
    {"card-name", JMAP_STYLE_STRONG},
    {"legend-name", JMAP_STYLE_STRONG},
    {"kpi-value", JMAP_STYLE_STRONG},
    {"action", JMAP_STYLE_BODY},
    {"pain", JMAP_STYLE_BODY},
    {"opportunity", JMAP_STYLE_BODY},
    {"backstage", JMAP_STYLE_BODY},
    {"stage-goal", JMAP_STYLE_BODY},
    {"legend-goal", JMAP_STYLE_BODY},
    {"legend-role", JMAP_STYLE_BODY},
    {"data-as-of", JMAP_STYLE_BODY},
    {"thought", JMAP_STYLE_QUOTE},
    {"lane-label", JMAP_STYLE_LABEL},
    {"badge-text", JMAP_STYLE_LABEL},
    {"visibility-label", JMAP_STYLE_LABEL},
    {"card-channel", JMAP_STYLE_LABEL},
    {"backstage-owner", JMAP_STYLE_LABEL},
    {"kpi-name", JMAP_STYLE_LABEL},
    {"kpi-status", JMAP_STYLE_LABEL},
    {"kpi-as-of", JMAP_STYLE_LABEL},
    {"kpi-delta", JMAP_STYLE_LABEL},
    {"emotion-axis", JMAP_STYLE_LABEL},
};

static const char *const THEMES[] = {"light", "dark", "print"};

static void every_theme_has_the_six_styles_of_visual_md(void **state)
{
    (void)state;
    const jmap_theme_id ids[] = {JMAP_THEME_LIGHT, JMAP_THEME_DARK, JMAP_THEME_PRINT};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const jmap_theme *t = jmap_theme_get(ids[i]);
        assert_non_null(t);
        for (size_t s = 0; s < JMAP_STYLE_COUNT; s++) {
            const jmap_theme_font *f = &t->type.style[s];
            if (f->size != VISUAL[s].size || f->weight != VISUAL[s].weight ||
                f->italic != VISUAL[s].italic)
                fail_msg("theme %s, style %s: %g w%d%s, VISUAL.md says %g w%d%s", t->name,
                         VISUAL[s].name, f->size, f->weight, f->italic ? " italic" : "",
                         VISUAL[s].size, VISUAL[s].weight, VISUAL[s].italic ? " italic" : "");
        }
        assert_true(t->type.caps_spacing > 0);
    }
}

/* One text line of a dump: `N text ROLE x y w h font="F" SIZE wW[ italic][ tnum][ caps][ ls L]
 * color=...`. False for any other line. */
typedef struct text_font {
    char role[64];
    double size;
    int weight;
    bool italic, tabular, caps;
    double spacing;
} text_font;

static bool parse_text_line(const char *line, text_font *tf)
{
    *tf = (text_font){0};
    int n = 0;
    if (sscanf(line, "%*u text %63s %n", tf->role, &n) != 1 || n == 0)
        return false;
    const char *font = strstr(line, " font=\"");
    if (!font)
        fail_msg("a text without a font: %s", line);
    const char *end = strchr(font + 7, '"');
    assert_non_null(end);
    if (sscanf(end + 1, " %lf w%d", &tf->size, &tf->weight) != 2)
        fail_msg("cannot read the font of: %s", line);
    const char *color = strstr(end, " color=");
    assert_non_null(color);
    size_t len = (size_t)(color - end);
    char flags[128];
    assert_true(len < sizeof flags);
    memcpy(flags, end, len);
    flags[len] = '\0';
    tf->italic = strstr(flags, " italic") != NULL;
    tf->tabular = strstr(flags, " tnum") != NULL;
    tf->caps = strstr(flags, " caps") != NULL;
    const char *ls = strstr(flags, " ls ");
    tf->spacing = ls ? strtod(ls + 4, NULL) : 0;
    return true;
}

static int style_of(const text_font *tf)
{
    for (int s = 0; s < JMAP_STYLE_COUNT; s++) {
        if (tf->size == VISUAL[s].size && tf->weight == VISUAL[s].weight &&
            tf->italic == VISUAL[s].italic)
            return s;
    }
    return -1;
}

/* Every text of `map` laid out in `theme` is in one of the six styles, the one its role calls
 * for; upper case goes with letter spacing in the label style, tabular figures only with KPI
 * figures. Counts into seen[] which styles were used. */
static void check_map(const char *map, const char *theme, bool seen[JMAP_STYLE_COUNT])
{
    char *out = NULL, *err = NULL;
    int rc = test_jmap(&out, &err, "build '%s' --theme %s --dump-layout -o -", map, theme);
    if (rc != 0)
        fail_msg("jmap build --dump-layout %s failed (%d): %s", map, rc, err);
    size_t texts = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        text_font tf;
        if (!parse_text_line(line, &tf))
            continue;
        texts++;
        int s = style_of(&tf);
        if (s < 0)
            fail_msg("%s (%s): '%s' is set in %.2f w%d%s, none of VISUAL.md's six styles", map,
                     theme, tf.role, tf.size, tf.weight, tf.italic ? " italic" : "");
        seen[s] = true;
        for (size_t r = 0; r < sizeof ROLES / sizeof ROLES[0]; r++) {
            if (strcmp(ROLES[r].role, tf.role) == 0 && (int)ROLES[r].style != s)
                fail_msg("%s (%s): '%s' is in the %s style, VISUAL.md says %s", map, theme,
                         tf.role, VISUAL[s].name, VISUAL[ROLES[r].style].name);
        }
        if (tf.caps && (s != JMAP_STYLE_LABEL || tf.spacing <= 0))
            fail_msg("%s: upper-case '%s' is not a letter-spaced label", map, tf.role);
        if (tf.tabular && strcmp(tf.role, "kpi-value") != 0)
            fail_msg("%s: '%s' has tabular figures; only KPI figures do", map, tf.role);
        if (strcmp(tf.role, "kpi-value") == 0 && !tf.tabular)
            fail_msg("%s: a KPI figure without tabular figures", map);
    }
    assert_true(texts > 0);
    free(out);
    free(err);
}

static size_t check_dir(const char *dir, bool seen[JMAP_STYLE_COUNT])
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    size_t maps = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        char *path = jmap_xprintf("%s/%s", dir, e->d_name);
        for (size_t t = 0; t < sizeof THEMES / sizeof THEMES[0]; t++)
            check_map(path, THEMES[t], seen);
        free(path);
        maps++;
    }
    closedir(dp);
    return maps;
}

static void every_text_of_every_example_is_in_its_style(void **state)
{
    (void)state;
    bool seen[JMAP_STYLE_COUNT] = {0};
    assert_true(check_dir(JMAP_SOURCE_DIR "/examples", seen) >= 5);
    assert_true(check_dir(JMAP_TEST_DIR "/golden/layout", seen) >= 3);
    /* and the examples between them show the whole scale */
    for (size_t s = 0; s < JMAP_STYLE_COUNT; s++) {
        if (!seen[s])
            fail_msg("no example map uses the %s style", VISUAL[s].name);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_theme_has_the_six_styles_of_visual_md),
        cmocka_unit_test(every_text_of_every_example_is_in_its_style),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
