#ifndef JMAP_DATA_H
#define JMAP_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/model.h"

/*
 * Live KPI data: CSV exports joined to a map's KPIs by their `id` (docs/data.md).
 *
 *   bytes of a .csv ──jmap_data_read──▶ jmap_data_file ──jmap_data_join──▶ the map's KPIs
 *                                       (one per file,     (per map: latest actual/target,
 *                                        shared by every    history, dates; diagnostics at
 *                                        map of a batch)    file.csv:line:col)
 *
 * A data file belongs to no map: it is read once and may be joined to many maps, so it owns
 * its memory (its own arena) and its diagnostics name the CSV file, never a map.
 */

/** <0, 0, >0 as a is earlier than, the same period as, or later than b. */
int jmap_date_cmp(jmap_date a, jmap_date b);

/** Write "2026-10" or "2026-10-31" into buf (at least 11 bytes); returns buf. */
char *jmap_date_format(jmap_date d, char *buf);

/* Where a field starts in a data file: 1-based line and column (code points, as maps). */
typedef struct jmap_data_pos {
    uint32_t line, col;
} jmap_data_pos;

/* One record of a data file, its values already read and checked by the reader. */
typedef struct jmap_data_row {
    const char *kpi; /* the `kpi` field, NUL-terminated, owned by the file */
    uint32_t kpi_len;
    jmap_date date;
    bool has_target;
    double actual, target;
    jmap_data_pos kpi_at, date_at, actual_at, target_at;
} jmap_data_row;

typedef struct jmap_data_file {
    const char *path;    /* as given; names the file in diagnostics */
    jmap_arena *arena;   /* the kpi strings and the header's names */
    jmap_data_row *rows; /* in file order, one heap array; rows with an error are left out */
    size_t n_rows;
    jmap_diags diags;    /* what the reader found wrong, at file:line:col */
} jmap_data_file;

/** Read `len` bytes of CSV text named `path` (which must outlive the result). Never fails as a
 * whole: problems are diagnostics in the result's `diags` (jmap_diags_failed tells), with the
 * rows that could be read kept. `max_rows` bounds the rows kept (0 = no bound). */
jmap_data_file *jmap_data_read(const char *path, const char *text, size_t len, size_t max_rows);
void jmap_data_file_free(jmap_data_file *f);

/** Join data files to a map's KPIs by id (after resolve, before layout): for each KPI with an
 * `id`, the latest row gives `actual` (and `target` when the row has one) and the last
 * JMAP_KPI_HISTORY rows its history; sets map->data_as_of. Problems of the join (an id no KPI
 * has, two rows for one KPI and date, a KPI without data, a YAML `actual` replaced) go to
 * `d`, at the CSV cell or the map's KPI. Values written into the map are allocated in `a`. */
void jmap_data_join(jmap_map *map, jmap_arena *a, jmap_data_file *const *files, size_t n_files,
                    jmap_diags *d);

#endif
