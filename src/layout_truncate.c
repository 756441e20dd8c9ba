#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

/*
 * Long texts: each kind of text shows at most a set number of lines (docs/format.md, "Long
 * texts"); a text that needs more is cut at a character boundary and ends in "…", with one
 * text-truncated warning per value. The cost is bounded whatever the text: only a prefix that
 * can show is ever measured. That prefix is a budget of characters (grapheme clusters, see
 * layout_grapheme.c) that certainly covers max_lines full lines at the narrowest advance a
 * character plausibly has, and of code points (for clusters of many code points); then, if it
 * still overflows, a binary search over its cut points finds the longest prefix + "…" that fits.
 * Each measure is of at most the budget, so a value costs O(budget × log budget), and what is
 * measured is exactly what goes into the scene, so what is painted.
 */

/* Narrower than any letter of a text face ('i' and 'l' are about 0.25 em, a thin space 0.2 em);
 * zero-width characters are clusters of their own too, so a text made of them is cut early. */
#define MIN_ADVANCE_EM 0.2
/* Code points per cluster the budget allows on average: emoji ZWJ sequences and Indic syllables
 * have several, but are at least 1 em and 0.5 em wide. */
#define CPS_PER_CLUSTER 4
/* Clusters per line when the text is not wrapped. */
#define NOWRAP_CLUSTERS 400
/* Clusters at most, however wide the box: more than any box shows to be read (a 4-line stage
 * goal over a stage of a hundred steps would otherwise allow 40,000), and it bounds each
 * measure, which Pango makes cost length × lines for a long word. */
#define MAX_CLUSTERS 2048
#define ELLIPSIS "…"
#define QUOTED_CLUSTERS 24

typedef struct line_cap {
    const char *role;
    unsigned lines;
} line_cap;

/* What a wall map shows in full (docs/format.md, "Long texts"): a title over two lines, a card
 * name over four, a touchpoint's texts (action, thought, pain, opportunity, backstage) over
 * twelve. Roles not listed (labels jmap writes itself) get DEFAULT_LINES. */
static const line_cap caps[] = {
    {"title", 2},       {"subtitle", 3},     {"stage-name", 2},  {"stage-goal", 4},
    {"card-name", 4},   {"card-channel", 2}, {"action", 12},     {"thought", 12},
    {"pain", 12},       {"opportunity", 12}, {"backstage", 12},  {"backstage-owner", 2},
    {"legend-name", 2}, {"legend-role", 2},  {"legend-goal", 3}, {"kpi-name", 2},
    {"kpi-value", 2},   {"kpi-delta", 3},    {"kpi-as-of", 1},   {"data-as-of", 1},
};

#define DEFAULT_LINES 12

unsigned lay_max_lines(const char *role)
{
    for (size_t i = 0; role && i < sizeof caps / sizeof caps[0]; i++) {
        if (strcmp(caps[i].role, role) == 0)
            return caps[i].lines;
    }
    return DEFAULT_LINES;
}

/* The most clusters max_lines lines of `f` in width `w` can hold. */
static size_t cluster_budget(const jmap_font *f, double w, unsigned max_lines)
{
    double adv = MIN_ADVANCE_EM * (f->size > 0 ? f->size : 1);
    if (f->letter_spacing > 0)
        adv += f->letter_spacing;
    double per_line = w > 0 ? ceil(w / adv) : NOWRAP_CLUSTERS;
    if (per_line < 1)
        per_line = 1;
    double n = per_line * max_lines;
    return n < MAX_CLUSTERS ? (size_t)n : MAX_CLUSTERS;
}

/* A growing scratch string for the candidates. */
typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void candidate(buf *b, const char *pre, const char *text, size_t cut, bool ellipsis,
                      const char *post)
{
    if (ellipsis) {
        /* "word …" reads better as "word…" */
        while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == '\n' || text[cut - 1] == '\t' ||
                           text[cut - 1] == '\r'))
            cut--;
    }
    size_t np = strlen(pre), nq = strlen(post), ne = ellipsis ? strlen(ELLIPSIS) : 0;
    size_t need = np + cut + ne + nq + 1;
    if (need > b->cap) {
        b->cap = need * 2;
        b->s = jmap_xrealloc(b->s, b->cap);
    }
    memcpy(b->s, pre, np);
    memcpy(b->s + np, text, cut);
    memcpy(b->s + np + cut, ELLIPSIS, ne);
    memcpy(b->s + np + cut + ne, post, nq);
    b->len = need - 1;
    b->s[b->len] = '\0';
}

static void warn_cut(lay *L, const char *text, unsigned max_lines, jmap_loc at)
{
    if (at.line == 0 || !lay_once(L, at, LAY_ONCE_TRUNCATED))
        return;
    size_t n = 0, cps;
    for (size_t k = 0; text[n] && k < QUOTED_CLUSTERS; k++)
        n = lay_cluster_end(text, n, &cps);
    jmap_diag_add(L->d, JMAP_SEV_WARNING, "text-truncated", at,
                  "'%.*s%s' does not fit in %u line%s and is cut", (int)n, text, text[n] ? "…" : "",
                  max_lines, max_lines == 1 ? "" : "s");
}

const char *lay_fit(lay *L, const char *role, const char *pre, const char *text, const char *post,
                    const jmap_font *f, double w, jmap_loc src, jmap_text_size *size)
{
    pre = pre ? pre : "";
    post = post ? post : "";
    text = text ? text : "";
    unsigned max_lines = lay_max_lines(role);
    size_t max_clusters = cluster_budget(f, w, max_lines);
    size_t max_cps = max_clusters * CPS_PER_CLUSTER;

    /* The budget: clusters, code points, and no further than the newline that would start
     * line max_lines + 1. One cluster short of it, so that a prefix plus "…" stays inside. */
    size_t end = 0, clusters = 0, cps = 0, newlines = 0;
    while (text[end] && clusters + 1 < max_clusters) {
        if (text[end] == '\n' && ++newlines >= max_lines)
            break;
        size_t n;
        size_t next = lay_cluster_end(text, end, &n);
        if (cps + n > max_cps)
            break;
        cps += n;
        clusters++;
        end = next;
    }
    bool over = text[end] != '\0';
    buf b = {0};
    if (!over) {
        const char *whole = text;
        if (*pre || *post)
            whole = jmap_arena_printf(L->a, "%s%s%s", pre, text, post);
        *size = lay_measure(L, whole, f, w);
        if (size->lines <= max_lines)
            return whole;
    }

    /* Cut points: cluster boundaries up to the end of the budget. */
    size_t *cut = jmap_xmalloc((clusters + 1) * sizeof *cut);
    size_t k = 0;
    cut[0] = 0;
    for (size_t at = 0; at < end;) {
        size_t n;
        at = lay_cluster_end(text, at, &n);
        cut[++k] = at;
    }
    /* Invariant: candidate lo fits (0, a bare "…", is taken to fit), candidate hi does not. */
    size_t lo = 0, hi = k;
    bool have_lo = false;
    jmap_text_size lo_size = {0};
    if (over) {
        /* all the budget: for text cut short by its newlines or by zero-width characters */
        candidate(&b, pre, text, cut[k], true, post);
        jmap_text_size ts = lay_measure(L, b.s, f, w);
        if (ts.lines <= max_lines) {
            lo = k;
            hi = k + 1;
            have_lo = true;
            lo_size = ts;
        }
    }
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        candidate(&b, pre, text, cut[mid], true, post);
        jmap_text_size ts = lay_measure(L, b.s, f, w);
        if (ts.lines <= max_lines) {
            lo = mid;
            have_lo = true;
            lo_size = ts;
        } else {
            hi = mid;
        }
    }
    candidate(&b, pre, text, cut[lo], true, post);
    char *out = jmap_arena_strndup(L->a, b.s, b.len);
    *size = have_lo ? lo_size : lay_measure(L, out, f, w);
    free(b.s);
    free(cut);
    warn_cut(L, text, max_lines, src);
    return out;
}
