#include "gen_data.h"

#include <stdio.h>

bool gen_data_map(const char *path, size_t n_kpis)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "title: Live KPIs\npersonas: [{id: ana, name: Ana}]\nstages:\n");
    for (size_t s = 0; s < 5; s++) {
        fprintf(f, "  - id: stage-%zu\n    kpis:\n", s);
        for (size_t k = s; k < n_kpis; k += 5)
            fprintf(f, "      - {id: kpi.metric-%03zu, name: Metric %zu, target: 100}\n", k, k);
    }
    fprintf(f, "touchpoints:\n");
    for (size_t s = 0; s < 5; s++)
        fprintf(f, "  - {stage: stage-%zu, name: Step %zu}\n", s, s);
    return fclose(f) == 0;
}

/* Day `n` after 2000-01-01, as YYYY-MM-DD (a proleptic Gregorian calendar). */
static void day_text(size_t n, char out[48])
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 2000, m = 0;
    for (;;) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        size_t in_year = leap ? 366 : 365;
        if (n < in_year)
            break;
        n -= in_year;
        y++;
    }
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    for (;; m++) {
        size_t in_month = (size_t)days[m] + (m == 1 && leap);
        if (n < in_month)
            break;
        n -= in_month;
    }
    snprintf(out, 48, "%04d-%02d-%02zu", y, m + 1, n + 1);
}

bool gen_data_csv(const char *path, size_t n_rows, size_t n_kpis)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "kpi,date,actual,target,source\n");
    char day[48] = "";
    for (size_t i = 0; i < n_rows; i++) {
        size_t k = i % n_kpis;
        if (k == 0)
            day_text(i / n_kpis, day);
        if (i % 10 == 0)
            fprintf(f, "kpi.metric-%03zu,%s,%zu.%02zu,100,analytics-export\n", k, day, 50 + i % 97,
                    i % 100);
        else
            fprintf(f, "kpi.metric-%03zu,%s,%zu.%02zu,,analytics-export\n", k, day, 50 + i % 97,
                    i % 100);
    }
    return fclose(f) == 0;
}
