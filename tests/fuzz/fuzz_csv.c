/*
 * libFuzzer: any bytes as a CSV data file, through jmap_data_read, then its diagnostics printed.
 * Aborts when a kept row breaks what the reader promises (a KPI name, a real date, finite
 * numbers, at most max_rows rows, in file order), when a row's cell position does not point at
 * the cell's first character (or its opening quote) in the text, or when the printed
 * diagnostics hold a byte that is not UTF-8 or a control character other than newlines.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../safe_text.h"
#include "jmap/data.h"
#include "jmap/sanitize.h"

#define MAX_ROWS 1000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The byte at 1-based line:col of the text (lines broken at LF, CR, CR LF; columns counted in
 * code points, a byte that is not UTF-8 as one), or -1 past the end. */
static int byte_at(const char *t, size_t len, unsigned line, unsigned col)
{
    size_t i = 0;
    for (unsigned l = 1; l < line; l++) {
        while (i < len && t[i] != '\n' && t[i] != '\r')
            i++;
        if (i == len)
            return -1;
        i += t[i] == '\r' && i + 1 < len && t[i + 1] == '\n' ? 2 : 1;
    }
    size_t end = i;
    while (end < len && t[end] != '\n' && t[end] != '\r')
        end++;
    i += jmap_utf8_advance(t + i, end - i, col - 1);
    return i < len ? (unsigned char)t[i] : -1;
}

static void check_cell(const char *t, size_t len, jmap_data_pos at, int first)
{
    if (at.line == 0 || at.col == 0)
        abort();
    int c = byte_at(t, len, at.line, at.col);
    if (c != '"' && c != first)
        abort();
}

static bool real_date(jmap_date d)
{
    static const unsigned char days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 &&
           d.day <= days[d.month - 1];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    jmap_data_file *f = jmap_data_read("fuzz.csv", text, size, MAX_ROWS);
    size_t skip = size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (f->n_rows > MAX_ROWS)
        abort();
    for (size_t i = 0; i < f->n_rows; i++) {
        const jmap_data_row *r = &f->rows[i];
        if (!r->kpi || r->kpi_len == 0 || r->kpi[r->kpi_len] != '\0' || !real_date(r->date) ||
            !isfinite(r->actual) || (r->has_target && !isfinite(r->target)))
            abort();
        check_cell(text + skip, size - skip, r->kpi_at, (unsigned char)r->kpi[0]);
        char d[11];
        check_cell(text + skip, size - skip, r->date_at, jmap_date_format(r->date, d)[0]);
        if (i > 0 && (r->kpi_at.line < f->rows[i - 1].kpi_at.line))
            abort();
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        abort();
    jmap_diags_print(&f->diags, out, &(jmap_diag_print_opts){.color = false, .excerpt = true});
    fclose(out);
    if (test_first_unsafe(buf, len) < len)
        abort();
    free(buf);
    jmap_data_file_free(f);
    return 0;
}
