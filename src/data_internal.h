#ifndef JMAP_DATA_INTERNAL_H
#define JMAP_DATA_INTERNAL_H

/* Shared by the CSV reader's files (data_csv.c, data_date.c, data_value.c). */

#include <stdbool.h>
#include <stddef.h>

#include "jmap/data.h"

/* The longest piece of a value a message quotes: the value is in a hostile file. */
#define DATA_QUOTE_MAX 40
#define DATA_QUOTE_CAP (DATA_QUOTE_MAX * 4 + 4) /* a NUL is quoted as 4 bytes */

/* A cell's problem, worded while its text is at hand (libcsv reuses its buffer for the next
 * field), and reported once the row is known to have the right number of fields. */
typedef struct data_problem {
    const char *code; /* NULL: none */
    char msg[256];
    char hint[256];
} data_problem;

/** Quote at most DATA_QUOTE_MAX bytes of s into out, DATA_QUOTE_CAP bytes (cut at a character,
 * "..." after a cut; a NUL written `\x00`). */
void data_quote(char *out, size_t cap, const char *s, size_t len);

/** Word a cell's problem under `code` (printf rules); the hint may be NULL. */
void data_cell_diag(data_problem *p, const char *code, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** Read an ISO 8601 date, `YYYY-MM-DD` or `YYYY-MM`, of the real calendar (non-empty text):
 * false with the problem worded otherwise. */
bool data_date_read(const char *s, size_t len, jmap_date *out, data_problem *why);

/** Read a number for `column` (non-empty text) in jmap's syntax (jmap/number.h): false with the
 * problem worded otherwise, a decimal comma under its own code. */
bool data_number_read(const char *s, size_t len, const char *column, double *out,
                      data_problem *why);

/* The columns jmap reads, by header name. */
typedef enum data_role { DATA_KPI, DATA_DATE, DATA_ACTUAL, DATA_TARGET, DATA_N_ROLES } data_role;
#define DATA_NO_ROLE (-1)

extern const char *const data_role_names[DATA_N_ROLES];

/* A cell of the header line. */
typedef struct data_column {
    const char *name; /* as written, white space around it left out */
    size_t len;
    jmap_loc at; /* where it starts, and its end on that line */
} data_column;

/** Give each of the header's `n` columns its role (roles[i], DATA_NO_ROLE for a column jmap does
 * not read) and each role its column (col_of[role], -1 without one), reporting duplicate and
 * missing columns in f->diags at header line `line`. False when kpi, date or actual is
 * missing: the file's rows cannot be read. */
bool data_header_read(jmap_data_file *f, const data_column *cols, size_t n, unsigned line,
                      signed char *roles, long col_of[DATA_N_ROLES]);

#endif
