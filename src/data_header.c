#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "data_internal.h"
#include "jmap/suggest.h"

/*
 * The header line of a data file: which column is which. Names match whatever their case and
 * the white space around them, as spreadsheets write `KPI` or ` Date `; a column jmap does not
 * know is ignored, so an export may carry more. A missing column is reported at the column
 * most likely meant for it (a near-miss such as `dat`, or what other tools call it: `value`,
 * `period`), with the rename as the hint.
 */

const char *const data_role_names[DATA_N_ROLES] = {"kpi", "date", "actual", "target"};

/* What exports from other tools call the columns. */
static const char *const aliases[DATA_N_ROLES][8] = {
    {"metric", "kpi_id", "kpi-id", "kpi id", "id", "indicator", "measure", NULL},
    {"period", "month", "day", "time", "timestamp", "week", NULL},
    {"value", "actuals", "measured", "result", "val", NULL},
    {"goal", "targets", NULL},
};

static bool same(const char *s, size_t len, const char *name)
{
    return strlen(name) == len && strncasecmp(s, name, len) == 0;
}

/* The column that was probably meant for a missing role, or -1. */
static long likely_column(const data_column *cols, size_t n, const signed char *roles,
                          data_role role)
{
    for (size_t i = 0; i < n; i++) {
        for (const char *const *a = aliases[role]; *a; a++) {
            if (roles[i] == DATA_NO_ROLE && same(cols[i].name, cols[i].len, *a))
                return (long)i;
        }
    }
    /* A near miss ("dat", "actaul"): the suggester ignores case. At most a few hundred names
     * are compared: a header of thousands of columns is no spreadsheet export. */
    size_t m = n < 256 ? n : 256;
    const char *names[256];
    for (size_t i = 0; i < m; i++)
        names[i] = roles[i] == DATA_NO_ROLE ? cols[i].name : NULL;
    const char *best = jmap_suggest(data_role_names[role], names, m);
    for (size_t i = 0; best && i < m; i++) {
        if (names[i] == best)
            return (long)i;
    }
    return -1;
}

/* "the header has 'a', 'b' and 'c'" into out, at most six names, each cut short. */
static void list_names(char *out, size_t cap, const data_column *cols, size_t n)
{
    size_t k = (size_t)snprintf(out, cap, "the header has ");
    size_t shown = n < 6 ? n : 6;
    for (size_t i = 0; i < shown && k < cap; i++) {
        char name[DATA_QUOTE_CAP];
        data_quote(name, sizeof name, cols[i].name, cols[i].len < 20 ? cols[i].len : 20);
        const char *sep = i == 0 ? "" : i + 1 == n ? " and " : ", ";
        k += (size_t)snprintf(out + k, cap - k, "%s'%s'%s", sep, name,
                              cols[i].len > 20 ? "..." : "");
    }
    if (k < cap && n > shown)
        snprintf(out + k, cap - k, " and %zu more", n - shown);
}

bool data_header_read(jmap_data_file *f, const data_column *cols, size_t n, unsigned line,
                      signed char *roles, long col_of[DATA_N_ROLES])
{
    for (int r = 0; r < DATA_N_ROLES; r++)
        col_of[r] = -1;
    for (size_t i = 0; i < n; i++) {
        roles[i] = DATA_NO_ROLE;
        for (int r = 0; r < DATA_N_ROLES; r++) {
            if (!same(cols[i].name, cols[i].len, data_role_names[r]))
                continue;
            if (col_of[r] < 0) {
                col_of[r] = (long)i;
                roles[i] = (signed char)r;
            } else {
                jmap_diag_add(&f->diags, JMAP_SEV_ERROR, "data-duplicate-column", cols[i].at,
                              "column '%s' appears twice in the header", data_role_names[r]);
                jmap_diag_hint(&f->diags, "the first is column %ld; rename or remove one",
                               col_of[r] + 1);
            }
        }
    }
    /* A column that is probably the missing one gets its own diagnostic there, with the rename;
     * the others one together at the header line. */
    const char *lost[DATA_N_ROLES];
    size_t n_lost = 0;
    for (int r = 0; r < DATA_N_ROLES; r++) {
        if (col_of[r] >= 0 || r == DATA_TARGET)
            continue;
        long likely = likely_column(cols, n, roles, (data_role)r);
        if (likely < 0) {
            lost[n_lost++] = data_role_names[r];
            continue;
        }
        jmap_diag_add(&f->diags, JMAP_SEV_ERROR, "data-missing-column", cols[likely].at,
                      "the header has no '%s' column", data_role_names[r]);
        char name[DATA_QUOTE_CAP];
        data_quote(name, sizeof name, cols[likely].name, cols[likely].len);
        jmap_diag_hint(&f->diags, "rename '%s' to '%s'", name, data_role_names[r]);
    }
    bool ok = col_of[DATA_KPI] >= 0 && col_of[DATA_DATE] >= 0 && col_of[DATA_ACTUAL] >= 0;
    if (n_lost == 0)
        return ok;
    jmap_loc at = {f->path, line, 1, 0, 0};
    if (n_lost == 1)
        jmap_diag_add(&f->diags, JMAP_SEV_ERROR, "data-missing-column", at,
                      "the header has no '%s' column", lost[0]);
    else if (n_lost == 2)
        jmap_diag_add(&f->diags, JMAP_SEV_ERROR, "data-missing-column", at,
                      "the header has no '%s' and '%s' columns", lost[0], lost[1]);
    else
        jmap_diag_add(&f->diags, JMAP_SEV_ERROR, "data-missing-column", at,
                      "the header has no '%s', '%s' and '%s' columns", lost[0], lost[1], lost[2]);
    if (n == 1) {
        jmap_diag_hint(&f->diags, "the header reads as one column: columns are separated by "
                                  "',', ';' or a tab");
    } else {
        char names[256];
        list_names(names, sizeof names, cols, n);
        jmap_diag_hint(&f->diags, "%s", names);
    }
    return ok;
}
