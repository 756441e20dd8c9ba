#include "jmap/data.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data_internal.h"
#include "jmap/sanitize.h"

/*
 * The CSV reader: libcsv splits the text into fields (RFC 4180 quoting, strict), this file
 * says where each field starts and what its value means.
 *
 * Where a field starts. libcsv's callbacks give a field's bytes but not their place, and they
 * fire only at a delimiter, a CR or an LF outside quotes (the byte that ends a field or a row).
 * So the text is fed to libcsv in pieces that each end just after one delimiter, quote, CR or LF:
 * a callback during a piece happened at its last byte, whose line and column the loop below
 * knows, as it walks every byte once counting lines (LF, CR, CR LF) and code points. After a
 * callback the next field starts at the first byte libcsv does not skip: spaces and tabs that
 * are not the delimiter (and blank lines before a row). A quoted field starts at its quote.
 *
 * Memory: the rows are one array grown by doubling (no allocation per row); a KPI's name is
 * kept once however many rows name it (a hash table of the names seen); libcsv's field buffer
 * grows by doubling too (field_buffer_grow).
 */

#define BOM "\xEF\xBB\xBF"

/* A byte's class in the walk. */
enum { CLS_PLAIN, CLS_HIGH, CLS_NUL, CLS_STRUCT };

typedef struct intern_slot {
    const char *s; /* NULL: free */
    uint32_t len, hash;
} intern_slot;

/* A cell of the row being read: where it is, and what is wrong with it. */
typedef struct cell {
    jmap_loc at;
    data_problem problem;
} cell;

typedef struct reader {
    jmap_data_file *f;
    const unsigned char *text;
    size_t len, max_rows;
    struct csv_parser csv;
    unsigned char delim;
    bool stop;      /* read no further */
    bool bad_bytes; /* data-encoding reported */

    /* the byte fed last: a callback happens there */
    size_t at_off;
    unsigned at_line, at_col;

    /* the start of the field being read */
    bool want_start, row_start;
    size_t start_off;
    unsigned start_line, start_col;

    /* the row being read */
    size_t field;
    bool blank; /* every field so far is empty */
    jmap_loc row_at;
    cell cells[DATA_N_ROLES];
    jmap_data_row row;
    size_t n_records; /* rows after the header that are not blank */

    /* the header */
    bool have_header;
    unsigned header_line;
    data_column *cols;
    size_t n_cols, cap_cols;
    signed char *roles;
    long col_of[DATA_N_ROLES];

    intern_slot *slots;
    size_t n_slots, n_interned;
    size_t cap_rows;
} reader;

static jmap_loc loc_at(const reader *r, unsigned line, unsigned col)
{
    return (jmap_loc){r->f->path, line, col, 0, 0};
}

/* ---- KPI names, each kept once ---- */

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void intern_grow(reader *r)
{
    size_t n = r->n_slots ? r->n_slots * 2 : 256;
    intern_slot *slots = jmap_xcalloc(n, sizeof *slots);
    for (size_t i = 0; i < r->n_slots; i++) {
        if (!r->slots[i].s)
            continue;
        size_t j = r->slots[i].hash & (n - 1);
        while (slots[j].s)
            j = (j + 1) & (n - 1);
        slots[j] = r->slots[i];
    }
    free(r->slots);
    r->slots = slots;
    r->n_slots = n;
}

static const char *intern(reader *r, const char *s, uint32_t len)
{
    if (2 * (r->n_interned + 1) > r->n_slots)
        intern_grow(r);
    uint32_t h = hash_bytes(s, len);
    size_t j = h & (r->n_slots - 1);
    for (; r->slots[j].s; j = (j + 1) & (r->n_slots - 1)) {
        intern_slot *e = &r->slots[j];
        if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0)
            return e->s;
    }
    r->slots[j] = (intern_slot){jmap_arena_strndup(r->f->arena, s, len), len, h};
    r->n_interned++;
    return r->slots[j].s;
}

/* ---- fields and rows (libcsv's callbacks) ---- */

static bool is_blank(const reader *r, unsigned char c)
{
    return (c == ' ' || c == '\t') && c != r->delim;
}

/* Where the field that ends at the byte fed last starts, and where its value ends on that line
 * (white space libcsv drops left out). */
static jmap_loc field_loc(const reader *r)
{
    jmap_loc at = loc_at(r, r->start_line, r->start_col);
    size_t last = r->at_off;
    while (last > r->start_off && is_blank(r, r->text[last - 1]))
        last--;
    if (last > r->start_off + 1) {
        /* only ASCII blanks lie between the value's last byte and the byte fed last */
        at.end_line = r->at_line;
        at.end_col = r->at_col - (unsigned)(r->at_off - last) - 1;
    }
    return at;
}

static void header_field(reader *r, const char *s, size_t len, jmap_loc at)
{
    /* libcsv drops the white space around an unquoted field; a quoted one keeps it */
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    r->cols = jmap_xgrow(r->cols, &r->cap_cols, r->n_cols + 1, sizeof *r->cols);
    r->cols[r->n_cols++] = (data_column){jmap_arena_strndup(r->f->arena, s, len), len, at};
}

static void read_cell(reader *r, data_role role, const char *s, size_t len, jmap_loc at)
{
    cell *c = &r->cells[role];
    c->at = at;
    c->problem.code = NULL;
    jmap_data_pos pos = {at.line, at.col};
    if (len == 0 && role != DATA_TARGET) {
        data_cell_diag(&c->problem, "data-empty-value",
                       role == DATA_ACTUAL ? "leave the row out when there is no value" : NULL,
                       "'%s' is empty", data_role_names[role]);
        return;
    }
    switch (role) {
    case DATA_KPI:
        if (len > UINT32_MAX) {
            data_cell_diag(&c->problem, "data-empty-value", NULL, "'kpi' is too long");
            return;
        }
        r->row.kpi = intern(r, s, (uint32_t)len);
        r->row.kpi_len = (uint32_t)len;
        r->row.kpi_at = pos;
        break;
    case DATA_DATE:
        data_date_read(s, len, &r->row.date, &c->problem);
        r->row.date_at = pos;
        break;
    case DATA_ACTUAL:
        data_number_read(s, len, "actual", &r->row.actual, &c->problem);
        r->row.actual_at = pos;
        break;
    case DATA_TARGET:
        r->row.has_target =
            len > 0 && data_number_read(s, len, "target", &r->row.target, &c->problem);
        r->row.target_at = pos;
        break;
    default:
        break;
    }
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->stop)
        return;
    size_t k = r->field++;
    jmap_loc at = field_loc(r);
    r->want_start = true;
    r->row_start = false;
    if (len)
        r->blank = false;
    if (k == 0)
        r->row_at = loc_at(r, at.line, at.col);
    if (!r->have_header) {
        header_field(r, s, len, at);
        return;
    }
    if (k < r->n_cols && r->roles[k] != DATA_NO_ROLE)
        read_cell(r, (data_role)r->roles[k], s, len, at);
}

static void end_header(reader *r)
{
    r->have_header = true;
    r->header_line = r->row_at.line;
    r->roles = jmap_arena_calloc(r->f->arena, r->n_cols ? r->n_cols : 1, 1);
    if (!data_header_read(r->f, r->cols, r->n_cols, r->header_line, r->roles, r->col_of))
        r->stop = true;
}

/* The row's cell problems, in the order of the columns. */
static bool report_cells(reader *r)
{
    bool ok = true;
    for (size_t k = 0; k < r->n_cols; k++) {
        if (r->roles[k] == DATA_NO_ROLE)
            continue;
        cell *c = &r->cells[r->roles[k]];
        if (!c->problem.code)
            continue;
        ok = false;
        jmap_diag_add(&r->f->diags, JMAP_SEV_ERROR, c->problem.code, c->at, "%s", c->problem.msg);
        if (c->problem.hint[0])
            jmap_diag_hint(&r->f->diags, "%s", c->problem.hint);
    }
    return ok;
}

static void on_row(int c, void *data)
{
    (void)c;
    reader *r = data;
    size_t n = r->field;
    bool blank = r->blank;
    r->field = 0;
    r->blank = true;
    r->want_start = r->row_start = true;
    if (r->stop)
        return;
    if (!r->have_header) {
        end_header(r);
        return;
    }
    jmap_data_row row = r->row;
    memset(&r->row, 0, sizeof r->row);
    if (blank)
        return; /* spreadsheets write ",,," for formatted empty rows */
    if (r->max_rows && ++r->n_records > r->max_rows) {
        jmap_diag_add(&r->f->diags, JMAP_SEV_ERROR, "data-too-many-rows", r->row_at,
                      "more than %zu rows (the limit): the rest of the file is not read",
                      r->max_rows);
        r->stop = true;
        return;
    }
    if (n != r->n_cols) {
        jmap_diag_add(&r->f->diags, JMAP_SEV_ERROR, "data-field-count", r->row_at,
                      "row has %zu field%s, the header has %zu", n, n == 1 ? "" : "s", r->n_cols);
        if (n > r->n_cols && r->delim == ',')
            jmap_diag_hint(&r->f->diags, "quote a value that holds ',' (\"a, b\"), and write "
                                         "numbers with '.' (12.5, not 12,5)");
        else
            jmap_diag_hint(&r->f->diags, "every row has one field for each column of the "
                                         "header, empty or not");
        return;
    }
    if (!report_cells(r))
        return;
    r->f->rows = jmap_xgrow(r->f->rows, &r->cap_rows, r->f->n_rows + 1, sizeof row);
    r->f->rows[r->f->n_rows++] = row;
}

/* ---- the walk ---- */

/* The delimiter: whichever of ',', ';' and tab the header line holds most outside quotes
 * (on a tie ',' before ';' before tab; ',' when it holds none). */
static unsigned char detect_delim(const unsigned char *t, size_t i, size_t len)
{
    while (i < len && (t[i] == '\r' || t[i] == '\n' || t[i] == ' '))
        i++;
    size_t comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (; i < len; i++) {
        unsigned char c = t[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '\r' || c == '\n')
            break;
        else
            comma += c == ',', semi += c == ';', tab += c == '\t';
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

static void bad_byte(reader *r, size_t i, unsigned line, unsigned col)
{
    if (r->bad_bytes)
        return;
    r->bad_bytes = true;
    jmap_loc at = loc_at(r, line, col);
    if (r->text[i] == 0) {
        jmap_diag_add(&r->f->diags, JMAP_SEV_ERROR, "data-encoding", at,
                      "NUL byte in the file: a CSV file is text");
        jmap_diag_hint(&r->f->diags, "export the data as CSV (UTF-8)");
    } else {
        jmap_diag_add(&r->f->diags, JMAP_SEV_ERROR, "data-encoding", at,
                      "byte 0x%02X is not UTF-8 text", r->text[i]);
        jmap_diag_hint(&r->f->diags, "save the file as UTF-8 (Excel: \"CSV UTF-8\"); "
                                     "it may be in Latin-1 or Windows-1252");
    }
}

/* A file that is no CSV text at all: UTF-16 (Excel's "Unicode Text") or a zip (.xlsx). */
static bool foreign_file(reader *r)
{
    const unsigned char *t = r->text;
    const char *what = NULL;
    if (r->len >= 2 && ((t[0] == 0xFF && t[1] == 0xFE) || (t[0] == 0xFE && t[1] == 0xFF) ||
                        t[0] == 0 || t[1] == 0))
        what = "the file is UTF-16 text, not UTF-8";
    else if (r->len >= 4 && memcmp(t, "PK\x03\x04", 4) == 0)
        what = "the file is a zip archive (an .xlsx workbook?), not CSV text";
    if (!what)
        return false;
    jmap_diag_add(&r->f->diags, JMAP_SEV_ERROR, "data-encoding", loc_at(r, 1, 1), "%s", what);
    jmap_diag_hint(&r->f->diags, "export the data as CSV (UTF-8)");
    return true;
}

/* libcsv stopped at byte `off` (strict mode): a quote where a field is not quoted, or something
 * other than a delimiter or a line break after a closing quote. Reported at the field's start,
 * the excerpt running to the byte. */
static void syntax_error(reader *r, size_t off, unsigned line, unsigned col)
{
    jmap_loc at = loc_at(r, r->start_line, r->start_col);
    if (line == at.line) {
        at.end_line = line;
        at.end_col = col;
    }
    if (!r->csv.quoted) {
        jmap_diag_add(&r->f->diags, JMAP_SEV_ERROR, "data-syntax", at,
                      "'\"' inside a field that does not start with one");
        jmap_diag_hint(&r->f->diags, "quote the whole field and write each '\"' in it twice: "
                                     "\"5\"\" screen\"");
        return;
    }
    char shown[8];
    size_t n = jmap_utf8_advance((const char *)r->text + off, r->len - off, 1);
    data_quote(shown, sizeof shown, (const char *)r->text + off, n < 4 ? n : 4);
    jmap_diag_add(&r->f->diags, JMAP_SEV_ERROR, "data-syntax", at,
                  "'%s' after the closing quote of a field", shown);
    jmap_diag_hint(&r->f->diags,
                   "a '\"' inside a quoted field is written twice: \"say \"\"hi\"\"\"");
}

/* libcsv grows its field buffer 128 bytes at a time, each step a realloc: quadratic for a long
 * field. Its realloc is this one, which keeps the capacity before the buffer and doubles it, so
 * most steps cost nothing. */
static void *field_buffer_grow(void *p, size_t size)
{
    size_t *h = p ? (size_t *)p - 2 : NULL; /* two words keep the buffer aligned */
    if (h && h[0] >= size)
        return p;
    size_t cap = h && h[0] > 256 ? h[0] : 256;
    while (cap < size) {
        if (cap > SIZE_MAX / 4)
            cap = size;
        else
            cap *= 2;
    }
    if (cap > SIZE_MAX - 2 * sizeof(size_t))
        return NULL; /* libcsv reports CSV_ETOOBIG */
    h = jmap_xrealloc(h, 2 * sizeof(size_t) + cap);
    h[0] = cap;
    return h + 2;
}

static void field_buffer_free(void *p)
{
    if (p)
        free((size_t *)p - 2);
}

/* Feed libcsv the bytes [from, to): false when it stopped at a syntax error. */
static bool feed(reader *r, size_t from, size_t to, unsigned from_line, unsigned from_col)
{
    size_t n = csv_parse(&r->csv, r->text + from, to - from, on_field, on_row, r);
    if (n == to - from)
        return true;
    if (csv_error(&r->csv) != CSV_EPARSE)
        abort(); /* CSV_ETOOBIG: a field past SIZE_MAX, which no text in memory holds */
    size_t off = from + n;
    if (off == r->at_off) {
        syntax_error(r, off, r->at_line, r->at_col);
    } else {
        /* only the piece's last byte can break a line */
        size_t k = (size_t)(off - from);
        unsigned col = from_col;
        for (size_t i = 0; i < k;) {
            i += jmap_utf8_advance((const char *)r->text + from + i, k - i, 1);
            col++;
        }
        syntax_error(r, off, from_line, col);
    }
    return false;
}

/* Excel's first line "sep=;" names the delimiter: the offset after it (and *delim set), or i
 * when the file has none. */
static size_t sep_line(const unsigned char *t, size_t i, size_t len, unsigned char *delim)
{
    if (len - i < 5 || memcmp(t + i, "sep=", 4) != 0 ||
        (t[i + 4] != ',' && t[i + 4] != ';' && t[i + 4] != '\t'))
        return i;
    size_t j = i + 5;
    if (j < len && t[j] == '\r')
        j++;
    if (j < len && t[j] == '\n')
        j++;
    if (j != len && t[j - 1] != '\r' && t[j - 1] != '\n')
        return i; /* more on the line: a header that starts with "sep=" */
    *delim = t[i + 4];
    return j;
}

/* Walk the text from byte i, which starts line `line`. */
static void walk(reader *r, size_t i, unsigned line)
{
    unsigned char cls[256] = {0};
    for (int c = 0x80; c < 256; c++)
        cls[c] = CLS_HIGH;
    cls[0] = CLS_NUL;
    cls['"'] = cls['\r'] = cls['\n'] = cls[r->delim] = CLS_STRUCT;

    const unsigned char *t = r->text;
    size_t len = r->len, fed = i;
    unsigned col = 1, fed_line = line, fed_col = 1;
    while (i < len && !r->stop) {
        unsigned char c = t[i];
        if (r->want_start && !is_blank(r, c) && !(r->row_start && (c == '\r' || c == '\n'))) {
            r->want_start = false;
            r->start_off = i;
            r->start_line = line;
            r->start_col = col;
        }
        switch (cls[c]) {
        case CLS_PLAIN: {
            /* the run of plain bytes up to the next byte that needs a look (a blank before a
             * field's start is looked at one by one) */
            size_t j = i + 1;
            while (!r->want_start && j < len && cls[t[j]] == CLS_PLAIN)
                j++;
            col += (unsigned)(j - i);
            i = j;
            break;
        }
        case CLS_HIGH: {
            uint32_t cp;
            size_t n = jmap_utf8_decode((const char *)t + i, len - i, &cp);
            if (n == 0) {
                bad_byte(r, i, line, col);
                n = 1;
            }
            i += n;
            col++;
            break;
        }
        case CLS_NUL:
            bad_byte(r, i, line, col);
            i++;
            col++;
            break;
        default: /* CLS_STRUCT */
            r->at_off = i;
            r->at_line = line;
            r->at_col = col;
            if (!feed(r, fed, i + 1, fed_line, fed_col))
                return;
            if (c == '\n' || (c == '\r' && !(i + 1 < len && t[i + 1] == '\n'))) {
                line++;
                col = 1;
            } else {
                col++;
            }
            fed = ++i;
            fed_line = line;
            fed_col = col;
            break;
        }
    }
    if (r->stop)
        return;
    r->at_off = len;
    r->at_line = line;
    r->at_col = col;
    if (!feed(r, fed, len, fed_line, fed_col))
        return;
    if (csv_fini(&r->csv, on_field, on_row, r) != 0) {
        jmap_loc at = loc_at(r, r->start_line, r->start_col);
        jmap_diag_add(&r->f->diags, JMAP_SEV_ERROR, "data-syntax", at,
                      "the quote that opens this field is never closed");
        jmap_diag_hint(&r->f->diags, "close it after the field's last character; a '\"' inside "
                                     "a quoted field is written twice (\"\")");
    }
}

jmap_data_file *jmap_data_read(const char *path, const char *text, size_t len, size_t max_rows)
{
    if (!text)
        text = ""; /* an empty file may come as no buffer at all */
    jmap_data_file *f = jmap_xcalloc(1, sizeof *f);
    f->path = path;
    f->arena = jmap_arena_new();
    jmap_diags_init(&f->diags);

    reader r = {.f = f, .text = (const unsigned char *)text, .len = len, .max_rows = max_rows};
    r.want_start = r.row_start = r.blank = true;
    size_t begin = len >= 3 && memcmp(text, BOM, 3) == 0 ? 3 : 0;
    if (len > UINT32_MAX) {
        jmap_diag_add(&f->diags, JMAP_SEV_ERROR, "too-large", loc_at(&r, 0, 0),
                      "data file larger than 4 GiB");
    } else if (!foreign_file(&r)) {
        size_t body = sep_line(r.text, begin, len, &r.delim);
        if (body == begin)
            r.delim = detect_delim(r.text, begin, len);
        csv_init(&r.csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
        csv_set_delim(&r.csv, r.delim);
        csv_set_realloc_func(&r.csv, field_buffer_grow);
        csv_set_free_func(&r.csv, field_buffer_free);
        walk(&r, body, body == begin ? 1 : 2);
        csv_free(&r.csv);
        if (!r.have_header && !r.stop && !jmap_diags_failed(&f->diags)) {
            jmap_diag_add(&f->diags, JMAP_SEV_ERROR, "data-empty-file", loc_at(&r, 1, 1),
                          "the data file is empty");
            jmap_diag_hint(&f->diags, "a data file starts with a header line: kpi,date,actual");
        }
    }
    free(r.cols);
    free(r.slots);
    if (f->n_rows && f->n_rows < r.cap_rows)
        f->rows = jmap_xrealloc(f->rows, f->n_rows * sizeof *f->rows);
    if (f->diags.n_items) {
        /* the lines to quote, the byte-order mark left out: it takes no column */
        jmap_diags_keep_source_csv(&f->diags, path, text + begin, len - begin);
        jmap_diags_sort(&f->diags);
    }
    return f;
}

void jmap_data_file_free(jmap_data_file *f)
{
    if (!f)
        return;
    jmap_diags_release(&f->diags);
    jmap_arena_free(f->arena);
    free(f->rows);
    free(f);
}
