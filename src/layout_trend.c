#include "jmap/layout.h"

#include <math.h>
#include <string.h>

#include "jmap/data.h"
#include "layout_internal.h"

/*
 * A KPI's trend, drawn under its figures when data files gave it a history (src/data_join.c):
 *
 *   as of 2026-09                     only when its data stopped before the map's latest period
 *   +3.2 pts since 2026-10 · better   the change against the previous period
 *   ╱╲__╱‾‾╲_╱● - - - - - -           the last (up to) twelve values, the target dashed
 *
 * The change says its direction with its sign and whether that is good in a word ("better",
 * "worse", from the KPI's `better`), so it reads without colour; colour only repeats the word.
 * The sparkline spaces the periods evenly in date order (a sparkline shows a shape, not a time
 * axis), the latest at the right end (a single period is a dot there), and scales y to the least
 * and greatest of the values and targets drawn; with no spread at all, it runs along the middle.
 * The target line goes through each period's target; a period without one keeps the one before it
 * (a target holds until it is changed), the latest takes the target the card shows, and periods
 * before the first target take that one; with the same target throughout it is one flat line
 * across.
 */

#define SPARK_INSET 3.0 /* from the sparkline's box to its outermost points: room for the dot */
#define SPARK_DOT 4.5   /* the latest value's dot */
#define TARGET_W 0.75
#define TARGET_DASH_ON 2.0
#define TARGET_DASH_OFF 2.0

typedef enum trend { TREND_SAME, TREND_BETTER, TREND_WORSE } trend;

const char *lay_date(lay *L, jmap_date d)
{
    char buf[16];
    return jmap_arena_strdup(L->a, jmap_date_format(d, buf));
}

/* True when period `a` ends before period `b` does: a month is not older than a day in it. */
static bool period_before(jmap_date a, jmap_date b)
{
    if (a.year != b.year)
        return a.year < b.year;
    if (a.month != b.month)
        return a.month < b.month;
    return a.day && b.day && a.day < b.day;
}

bool lay_kpi_stale(const lay *L, const jmap_kpi *k)
{
    return k->n_history > 0 && k->history && L->m->data_as_of.year != 0 &&
           period_before(k->history[k->n_history - 1].date, L->m->data_as_of);
}

/* Decimals in the shortest text of `v` ("3.25" has 2), or -1 when it takes an exponent. */
static int decimals(double v)
{
    char buf[64];
    jmap_format_number(buf, sizeof buf, v);
    if (!isfinite(v) || strchr(buf, 'e'))
        return -1;
    const char *dot = strchr(buf, '.');
    return dot ? (int)strlen(dot + 1) : 0;
}

/* a - b to the decimals a and b were given with: 3.4 - 3.1 is 0.3, not 0.2999999999999998. */
static double difference(double a, double b)
{
    double d = a - b;
    int da = decimals(a), db = decimals(b);
    int n = da > db ? da : db;
    if (da < 0 || db < 0 || n > 15 || !isfinite(d))
        return d;
    double p = pow(10, n);
    double r = round(d * p) / p;
    return isfinite(r) ? r : d;
}

/* "%" and "% of orders" are percentages: their changes are percentage points. */
static bool is_percent(const char *unit)
{
    return unit && unit[0] == '%';
}

/* "+3.2 pts since 2026-10 · better", "−120 ms since 2026-10-31 · better", "no change since …" */
static const char *delta_text(lay *L, const jmap_kpi *k, double delta, const char *since, trend tr)
{
    if (tr == TREND_SAME)
        return jmap_arena_printf(L->a, "no change since %s", since);
    char num[64];
    jmap_format_number(num, sizeof num, fabs(delta));
    const char *sign = delta > 0 ? "+" : "\u2212"; /* a minus sign, not a hyphen */
    const char *unit = k->unit.s && k->unit.s[0] ? k->unit.s : NULL;
    const char *word = tr == TREND_BETTER ? "better" : "worse";
    if (is_percent(unit))
        return jmap_arena_printf(L->a, "%s%s pts since %s · %s", sign, num, since, word);
    if (unit)
        return jmap_arena_printf(
            L->a, lay_unit_glued(unit) ? "%s%s%s since %s · %s" : "%s%s %s since %s · %s", sign,
            num, unit, since, word);
    return jmap_arena_printf(L->a, "%s%s since %s · %s", sign, num, since, word);
}

/* The target of each period as the line draws it (see above); false when there is none. */
static bool targets_of(const jmap_kpi *k, const jmap_kpi_point *h, size_t n, double *t)
{
    bool known[JMAP_KPI_HISTORY] = {false};
    for (size_t i = 0; i < n; i++) {
        known[i] = h[i].has_target;
        t[i] = h[i].target;
    }
    if (!known[n - 1] && k->target.set) {
        known[n - 1] = true;
        t[n - 1] = k->target.v;
    }
    size_t first = n;
    for (size_t i = 0; i < n && first == n; i++)
        first = known[i] ? i : n;
    if (first == n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (i < first)
            t[i] = t[first];
        else if (!known[i] && i > 0)
            t[i] = t[i - 1];
    }
    return true;
}

static jmap_prim *spark_line(lay *L, const char *role, const jmap_point *pts, size_t n,
                             jmap_color stroke, double width)
{
    jmap_prim *ln = lay_push(L, JMAP_PRIM_LINE, role);
    jmap_point *own = lay_points(L, n);
    double x0 = pts[0].x, y0 = pts[0].y, x1 = x0, y1 = y0;
    for (size_t i = 0; i < n; i++) {
        own[i] = pts[i];
        x0 = fmin(x0, pts[i].x);
        x1 = fmax(x1, pts[i].x);
        y0 = fmin(y0, pts[i].y);
        y1 = fmax(y1, pts[i].y);
    }
    ln->pts = own;
    ln->n_pts = n;
    ln->box = (jmap_rect){x0, y0, x1 - x0, y1 - y0};
    ln->stroke = stroke;
    ln->stroke_width = width;
    return ln;
}

/* The sparkline in the box (x, y, w, h). */
static void sparkline(lay *L, const jmap_kpi *k, const jmap_kpi_point *hist, size_t n, double x,
                      double y, double w, double h, jmap_color dot)
{
    const jmap_theme *t = L->t;
    double tg[JMAP_KPI_HISTORY];
    bool has_target = targets_of(k, hist, n, tg);
    bool flat_target = has_target;
    double lo = hist[0].actual, hi = lo;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(hist[i].actual) || (has_target && !isfinite(tg[i])))
            return; /* the reader lets no such value through; draw nothing rather than junk */
        lo = fmin(lo, hist[i].actual);
        hi = fmax(hi, hist[i].actual);
        if (has_target) {
            lo = fmin(lo, tg[i]);
            hi = fmax(hi, tg[i]);
            flat_target = flat_target && tg[i] == tg[0];
        }
    }
    /* the sparkline's box, painting nothing: what its points are placed in, for dumps and tests */
    lay_rect(L, "kpi-spark-area", (jmap_rect){x, y, w, h}, (jmap_color){0}, (jmap_color){0}, 0, 0);
    double left = x + SPARK_INSET, right = x + w - SPARK_INSET;
    double top = y + SPARK_INSET, bottom = y + h - SPARK_INSET;
    /* no spread (one value, or all alike): everything on the middle line */
    double span = hi - lo;
    bool level = !(span > 1e-12 * fmax(1, fmax(fabs(lo), fabs(hi))));
    jmap_point pts[JMAP_KPI_HISTORY];
#define SPARK_Y(v) (level ? (top + bottom) / 2 : bottom - ((v)-lo) / span * (bottom - top))
#define SPARK_X(i) (n == 1 ? right : left + (double)(i) * (right - left) / (n - 1))
    if (has_target) {
        size_t m = flat_target ? 2 : n;
        for (size_t i = 0; i < m; i++)
            pts[i] = flat_target ? (jmap_point){i ? right : left, SPARK_Y(tg[0])}
                                 : (jmap_point){SPARK_X(i), SPARK_Y(tg[i])};
        jmap_prim *tl = spark_line(L, "kpi-spark-target", pts, m, t->c.spark_target, TARGET_W);
        tl->dash_on = TARGET_DASH_ON;
        tl->dash_off = TARGET_DASH_OFF;
    }
    for (size_t i = 0; i < n; i++)
        pts[i] = (jmap_point){SPARK_X(i), SPARK_Y(hist[i].actual)};
    if (n > 1)
        spark_line(L, "kpi-spark", pts, n, t->c.spark, t->sp.spark_w);
    lay_marker(L, "kpi-spark-dot", pts[n - 1], SPARK_DOT, JMAP_MARKER_CIRCLE, dot, (jmap_color){0},
               0);
#undef SPARK_X
#undef SPARK_Y
}

double lay_kpi_trend(lay *L, const jmap_kpi *k, double x, double y, double w, size_t cell,
                     jmap_color dot)
{
    if (!k->n_history || !k->history)
        return 0;
    /* the contract keeps at most JMAP_KPI_HISTORY; should there be more, the latest of them */
    size_t n = k->n_history < JMAP_KPI_HISTORY ? k->n_history : JMAP_KPI_HISTORY;
    const jmap_kpi_point *hist = k->history + (k->n_history - n);
    const jmap_theme *t = L->t;
    double y0 = y;
    jmap_font cf = lay_font(L, JMAP_STYLE_LABEL);
    if (lay_kpi_stale(L, k)) {
        y += 2;
        const char *text = jmap_arena_printf(L->a, "as of %s", lay_date(L, hist[n - 1].date));
        y += lay_text(L, "kpi-as-of", text, &cf, t->c.text_secondary, x, y, w, JMAP_ALIGN_LEFT,
                      (jmap_loc){0}, cell);
    }
    const jmap_kpi_point *now = &hist[n - 1], *before = n >= 2 ? &hist[n - 2] : NULL;
    double delta = before ? difference(now->actual, before->actual) : NAN;
    if (isfinite(delta)) {
        bool lower = k->better_v == JMAP_BETTER_LOWER;
        trend tr = delta == 0 ? TREND_SAME : (delta > 0) != lower ? TREND_BETTER : TREND_WORSE;
        jmap_color c = tr == TREND_BETTER  ? t->c.on_track
                       : tr == TREND_WORSE ? t->c.off_track
                                           : t->c.text_secondary;
        const char *text = delta_text(L, k, delta, lay_date(L, before->date), tr);
        y += 2;
        y += lay_text(L, "kpi-delta", text, &cf, c, x, y, w, JMAP_ALIGN_LEFT, (jmap_loc){0}, cell);
    }
    y += 4;
    sparkline(L, k, hist, n, x, y, w, t->sp.spark_h, dot);
    y += t->sp.spark_h;
    return y - y0;
}
