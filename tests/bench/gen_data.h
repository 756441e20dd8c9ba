#ifndef JMAP_BENCH_GEN_DATA_H
#define JMAP_BENCH_GEN_DATA_H

#include <stdbool.h>
#include <stddef.h>

/* The data-join benchmark's inputs (docs/data.md): a map of `n_kpis` KPIs with ids (five
 * stages), and a CSV file of `n_rows` rows spread evenly over them, one row a day per KPI from
 * 2000-01-01, the rows of each day together (as an export orders them), a target on every
 * tenth, and a `source` column jmap ignores, as exports carry. About 51 bytes a row.
 * Deterministic. */
bool gen_data_map(const char *path, size_t n_kpis);
bool gen_data_csv(const char *path, size_t n_rows, size_t n_kpis);

#endif
