/* TEMPORARY stand-in for the CSV reader of branch wip-data-csv (src/data_csv*.c), so that the
 * CLI and its tests can be built before it lands: comma-separated, no quoting, the header names
 * the columns. Deleted when wip-data-csv is merged. */
#include "jmap/data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int jmap_date_cmp(jmap_date a, jmap_date b)
{
    long ka = (long)a.year << 16 | a.month << 8 | a.day,
         kb = (long)b.year << 16 | b.month << 8 | b.day;
    return (ka > kb) - (ka < kb);
}

char *jmap_date_format(jmap_date d, char *buf)
{
    if (d.day)
        snprintf(buf, 11, "%04u-%02u-%02u", d.year % 10000u, d.month % 100u, d.day % 100u);
    else
        snprintf(buf, 11, "%04u-%02u", d.year % 10000u, d.month % 100u);
    return buf;
}

jmap_data_file *jmap_data_read(const char *path, const char *text, size_t len, size_t max_rows)
{
    jmap_arena *a = jmap_arena_new();
    jmap_data_file *f = jmap_arena_calloc(a, 1, sizeof(*f));
    f->path = path;
    f->arena = a;
    jmap_diags_init(&f->diags);
    char *copy = jmap_arena_strndup(a, text, len);
    size_t cap = 0;
    int col_of[4] = {-1, -1, -1, -1}; /* kpi date actual target */
    uint32_t line = 0;
    for (char *save = NULL, *ln = strtok_r(copy, "\n", &save); ln;
         ln = strtok_r(NULL, "\n", &save)) {
        line++;
        size_t l = strlen(ln);
        if (l && ln[l - 1] == '\r')
            ln[l - 1] = '\0';
        char *field[16];
        uint32_t at[16];
        int nf = 0;
        for (char *p = ln, *start = ln; nf < 16; p++) {
            if (*p == ',' || !*p) {
                bool end = !*p;
                *p = '\0';
                at[nf] = (uint32_t)(start - ln) + 1;
                field[nf++] = start;
                start = p + 1;
                if (end)
                    break;
            }
        }
        if (line == 1) {
            static const char *names[] = {"kpi", "date", "actual", "target"};
            for (int i = 0; i < nf; i++)
                for (int k = 0; k < 4; k++)
                    if (strcmp(field[i], names[k]) == 0)
                        col_of[k] = i;
            continue;
        }
        if (col_of[0] < 0 || col_of[1] < 0 || col_of[2] < 0 || col_of[0] >= nf || col_of[1] >= nf ||
            col_of[2] >= nf || (max_rows && f->n_rows >= max_rows))
            continue;
        if (f->n_rows == cap) {
            size_t ncap = cap ? 2 * cap : 64;
            jmap_data_row *rows = jmap_arena_calloc(a, ncap, sizeof(*rows));
            if (f->n_rows)
                memcpy(rows, f->rows, f->n_rows * sizeof(*rows));
            f->rows = rows;
            cap = ncap;
        }
        jmap_data_row *r = &f->rows[f->n_rows++];
        r->kpi = field[col_of[0]];
        r->kpi_len = (uint32_t)strlen(r->kpi);
        unsigned y = 0, m = 0, d = 0;
        int n = sscanf(field[col_of[1]], "%u-%u-%u", &y, &m, &d);
        r->date = (jmap_date){(unsigned short)y, (unsigned char)m, (unsigned char)(n == 3 ? d : 0)};
        r->actual = strtod(field[col_of[2]], NULL);
        r->has_target = col_of[3] >= 0 && col_of[3] < nf && *field[col_of[3]];
        r->target = r->has_target ? strtod(field[col_of[3]], NULL) : 0;
        r->kpi_at = (jmap_data_pos){line, at[col_of[0]]};
        r->date_at = (jmap_data_pos){line, at[col_of[1]]};
        r->actual_at = (jmap_data_pos){line, at[col_of[2]]};
        if (r->has_target)
            r->target_at = (jmap_data_pos){line, at[col_of[3]]};
    }
    return f;
}

void jmap_data_file_free(jmap_data_file *f)
{
    if (!f)
        return;
    jmap_diags_release(&f->diags);
    jmap_arena_free(f->arena);
}
