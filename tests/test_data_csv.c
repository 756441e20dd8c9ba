/* The CSV reader (src/data_csv.c and friends) with the real libcsv: columns, quoting, line
 * breaks, delimiters, dates, numbers, and every diagnostic at its line:column. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jmap/data.h"
#include "support.h"

static jmap_data_file *read_n(const char *text, size_t len, size_t max_rows)
{
    return jmap_data_read("k.csv", text, len, max_rows);
}

static jmap_data_file *read_csv(const char *text)
{
    return read_n(text, strlen(text), 0);
}

/* No diagnostic at all; prints them when there are. */
static void assert_clean(const jmap_data_file *f)
{
    if (f->diags.n_items) {
        char *t = test_diags_text(&f->diags);
        print_error("unexpected diagnostics:\n%s", t);
        free(t);
    }
    assert_int_equal(f->diags.n_items, 0);
}

static void assert_pos(jmap_data_pos p, unsigned line, unsigned col)
{
    if (p.line != line || p.col != col)
        print_error("at %u:%u, expected %u:%u\n", p.line, p.col, line, col);
    assert_int_equal(p.line, line);
    assert_int_equal(p.col, col);
}

static jmap_date day(unsigned y, unsigned m, unsigned d)
{
    return (jmap_date){(unsigned short)y, (unsigned char)m, (unsigned char)d};
}

static void assert_date(jmap_date got, unsigned y, unsigned m, unsigned d)
{
    assert_int_equal(got.year, y);
    assert_int_equal(got.month, m);
    assert_int_equal(got.day, d);
}

/* The diagnostics printed as the CLI prints them (with excerpts, no colour). Caller frees. */
static char *printed(const jmap_data_file *f)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    jmap_diags_print(&f->diags, fp, &(jmap_diag_print_opts){.excerpt = true});
    fclose(fp);
    return out;
}

static void columns_in_any_order_and_unknown_ones_ignored(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("note,actual,target,date,kpi,extra\n"
                                 "hello,12.5,20,2026-10,signup,x\n"
                                 "bye,3,,2026-11-30,churn,y\n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 2);
    jmap_data_row *r = &f->rows[0];
    assert_string_equal(r->kpi, "signup");
    assert_int_equal(r->kpi_len, 6);
    assert_date(r->date, 2026, 10, 0);
    assert_float_equal(r->actual, 12.5, 0);
    assert_true(r->has_target);
    assert_float_equal(r->target, 20, 0);
    assert_pos(r->actual_at, 2, 7);
    assert_pos(r->target_at, 2, 12);
    assert_pos(r->date_at, 2, 15);
    assert_pos(r->kpi_at, 2, 23);
    r = &f->rows[1];
    assert_string_equal(r->kpi, "churn");
    assert_date(r->date, 2026, 11, 30);
    assert_false(r->has_target); /* an empty target cell: no target for that period */
    jmap_data_file_free(f);
}

static void header_names_ignore_case_and_white_space(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("KPI, Date ,\" Actual \",TARGET\nsignup,2026-10,1,2\n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 1);
    assert_float_equal(f->rows[0].actual, 1, 0);
    assert_float_equal(f->rows[0].target, 2, 0);
    jmap_data_file_free(f);
}

static void target_column_is_optional(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi,date,actual\na,2026-01,1\n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 1);
    assert_false(f->rows[0].has_target);
    jmap_data_file_free(f);
}

static void byte_order_mark_is_skipped_and_takes_no_column(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("\xEF\xBB\xBFkpi,date,actual\na,2026-01,1\n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 1);
    assert_string_equal(f->rows[0].kpi, "a");
    jmap_data_file_free(f);
    /* the header's first name is still 'kpi', and its columns start at 1 */
    f = read_csv("\xEF\xBB\xBF"
                 "kpi,date,actual\na,2026-13,1\n");
    assert_diag_at(&f->diags, "data-bad-date", 2, 3);
    char *out = printed(f);
    assert_non_null(strstr(out, "    2 | a,2026-13,1\n      |   ^~~~~~~\n"));
    free(out);
    jmap_data_file_free(f);
    /* in the header line itself, the caret is under the column too */
    f = read_csv("\xEF\xBB\xBF"
                 "kpi,dat,actual\n");
    assert_diag_at(&f->diags, "data-missing-column", 1, 5);
    out = printed(f);
    assert_non_null(strstr(out, "    1 | kpi,dat,actual\n      |     ^~~\n"));
    free(out);
    jmap_data_file_free(f);
}

static void crlf_lf_and_cr_line_breaks_count_alike(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "kpi,date,actual\r\na,2026-01,1\r\nb,2026-02,x\r\n",
        "kpi,date,actual\na,2026-01,1\nb,2026-02,x\n",
        "kpi,date,actual\ra,2026-01,1\rb,2026-02,x\r",
        "kpi,date,actual\r\na,2026-01,1\nb,2026-02,x", /* mixed, no final break */
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        jmap_data_file *f = read_csv(texts[i]);
        assert_int_equal(f->n_rows, 1);
        assert_pos(f->rows[0].actual_at, 2, 11);
        assert_int_equal(f->diags.n_errors, 1);
        assert_diag_at(&f->diags, "data-not-a-number", 3, 11);
        /* the excerpt quotes line 3 as the file has it */
        char *out = printed(f);
        assert_non_null(strstr(out, "    3 | b,2026-02,x\n"));
        free(out);
        jmap_data_file_free(f);
    }
}

static void semicolon_and_tab_delimiters_are_detected(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi;date;actual;note\nsignup;2026-10;12.5;\"a, b; c\"\n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 1);
    assert_float_equal(f->rows[0].actual, 12.5, 0);
    assert_pos(f->rows[0].actual_at, 2, 16);
    jmap_data_file_free(f);

    f = read_csv("kpi\tdate\tactual\n a b \t2026-10\t 7 \n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 1);
    assert_string_equal(f->rows[0].kpi, "a b"); /* spaces around an unquoted field dropped */
    assert_pos(f->rows[0].kpi_at, 2, 2);
    assert_pos(f->rows[0].actual_at, 2, 16);
    jmap_data_file_free(f);

    /* delimiters inside a quoted header name do not count */
    f = read_csv("\"k;p;i;x\",kpi,date,actual\nq,a,2026-10,1\n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 1);
    assert_string_equal(f->rows[0].kpi, "a");
    jmap_data_file_free(f);

    /* Excel's "sep=" line names the delimiter, and counts as a line */
    f = read_csv("sep=;\r\nkpi;date;actual;note\r\na;2026-01;1;x,y,z\r\nb;2026-01;x;\r\n");
    assert_int_equal(f->n_rows, 1);
    assert_string_equal(f->rows[0].kpi, "a");
    assert_pos(f->rows[0].actual_at, 3, 11);
    assert_int_equal(f->diags.n_errors, 1);
    assert_diag_at(&f->diags, "data-not-a-number", 4, 11);
    char *out = printed(f);
    assert_non_null(strstr(out, "    4 | b;2026-01;x;\n"));
    free(out);
    jmap_data_file_free(f);
    f = read_csv("\xEF\xBB\xBFsep=\t\nkpi\tdate\tactual\na\t2026-01\t1\n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 1);
    assert_pos(f->rows[0].kpi_at, 3, 1);
    jmap_data_file_free(f);
    /* a header that merely starts with "sep=" is a header */
    f = read_csv("sep=,kpi,date,actual\nx,a,2026-01,1\n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 1);
    jmap_data_file_free(f);

    /* a decimal comma under ';' is one field, and its own error */
    f = read_csv("kpi;date;actual\nsignup;2026-10;12,5\n");
    assert_int_equal(f->n_rows, 0);
    assert_diag_at(&f->diags, "data-decimal-comma", 2, 16);
    const jmap_diag *g = test_diag_find(&f->diags, "data-decimal-comma");
    assert_non_null(strstr(g->hint, "'12.5'"));
    jmap_data_file_free(f);
}

static void quoted_fields_hold_delimiters_quotes_and_line_breaks(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi,note,date,actual\n"
                                 "\"a,b\",\"say \"\"hi\"\"\",2026-01,1\n"
                                 "c,\"two\nlines, \"\"quoted\"\"\r\nthree\",2026-02,2\n"
                                 "d,x,2026-03,bad\n");
    assert_int_equal(f->n_rows, 2);
    assert_string_equal(f->rows[0].kpi, "a,b");
    assert_pos(f->rows[0].date_at, 2, 20);
    assert_pos(f->rows[0].actual_at, 2, 28);
    assert_string_equal(f->rows[1].kpi, "c");
    assert_pos(f->rows[1].kpi_at, 3, 1);
    /* the fields after a quoted line break are on its last line */
    assert_pos(f->rows[1].date_at, 5, 8);
    assert_pos(f->rows[1].actual_at, 5, 16);
    /* and the rows after it are counted across its line breaks (CR LF is one) */
    assert_diag_at(&f->diags, "data-not-a-number", 6, 13);
    jmap_data_file_free(f);

    /* a quoted kpi keeps its line break and spaces */
    f = read_csv("kpi,date,actual\n\" a\nb \",2026-01,1\n");
    assert_clean(f);
    assert_string_equal(f->rows[0].kpi, " a\nb ");
    jmap_data_file_free(f);
}

static void rows_keep_file_order_whatever_their_dates(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi,date,actual\na,2026-03,3\na,2026-01,1\nb,2025-12-31,0\n"
                                 "a,2026-02,2\n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 4);
    assert_date(f->rows[0].date, 2026, 3, 0);
    assert_date(f->rows[1].date, 2026, 1, 0);
    assert_date(f->rows[2].date, 2025, 12, 31);
    assert_date(f->rows[3].date, 2026, 2, 0);
    for (size_t i = 0; i < 4; i++)
        assert_pos(f->rows[i].kpi_at, (unsigned)i + 2, 1);
    jmap_data_file_free(f);
}

static void kpi_names_are_kept_once(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi,date,actual\nsignup,2026-01,1\nchurn,2026-01,1\n"
                                 "signup,2026-02,2\n\"signup\",2026-03,3\n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 4);
    assert_ptr_equal(f->rows[0].kpi, f->rows[2].kpi);
    assert_ptr_equal(f->rows[0].kpi, f->rows[3].kpi);
    assert_ptr_not_equal(f->rows[0].kpi, f->rows[1].kpi);
    jmap_data_file_free(f);

    /* many names: the table grows and still finds each */
    size_t cap = 1 << 20, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text, cap, "kpi,date,actual\n");
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 2000; i++)
            len += (size_t)snprintf(text + len, cap - len, "k%d,2026-01,%d\n", i, i);
    }
    f = read_n(text, len, 0);
    assert_clean(f);
    assert_int_equal(f->n_rows, 4000);
    for (int i = 0; i < 2000; i++) {
        assert_ptr_equal(f->rows[i].kpi, f->rows[2000 + i].kpi);
        char want[16];
        snprintf(want, sizeof want, "k%d", i);
        assert_string_equal(f->rows[i].kpi, want);
    }
    jmap_data_file_free(f);
    free(text);
}

static void blank_rows_are_skipped(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("\n\nkpi,date,actual\n\n,,\n   \na,2026-01,1\r\n\r\n , , \n");
    assert_clean(f);
    assert_int_equal(f->n_rows, 1);
    assert_pos(f->rows[0].kpi_at, 7, 1);
    jmap_data_file_free(f);
}

static void months_and_days_read_with_the_real_calendar(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        unsigned y, m, d; /* y 0: an error */
    } cases[] = {
        {"2026-10", 2026, 10, 0},     {"2026-10-31", 2026, 10, 31},  {"2024-02-29", 2024, 2, 29},
        {"2000-02-29", 2000, 2, 29},  {"2026-02-29", 0, 0, 0},       {"1900-02-29", 0, 0, 0},
        {"2026-04-31", 0, 0, 0},      {"2026-02-30", 0, 0, 0},       {"2026-13", 0, 0, 0},
        {"2026-00", 0, 0, 0},         {"2026-01-00", 0, 0, 0},       {"0000-01", 0, 0, 0},
        {"2026-1-5", 0, 0, 0},        {"26-01-05", 0, 0, 0},         {"31/12/2026", 0, 0, 0},
        {"2026/01/05", 0, 0, 0},      {"2026-01-05T00:00", 0, 0, 0}, {"2026-01-05 10:00", 0, 0, 0},
        {"20260105", 0, 0, 0},        {"2026-01-5x", 0, 0, 0},       {"２０２６-01", 0, 0, 0},
        {"9999-12-31", 9999, 12, 31}, {"0001-01", 1, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[128];
        snprintf(text, sizeof text, "kpi,date,actual\na,%s,1\n", cases[i].date);
        jmap_data_file *f = read_csv(text);
        if (cases[i].y) {
            assert_clean(f);
            assert_int_equal(f->n_rows, 1);
            assert_date(f->rows[0].date, cases[i].y, cases[i].m, cases[i].d);
        } else {
            if (f->n_rows)
                print_error("'%s' was read as a date\n", cases[i].date);
            assert_int_equal(f->n_rows, 0);
            assert_diag_at(&f->diags, "data-bad-date", 2, 3);
        }
        jmap_data_file_free(f);
    }
}

static void date_messages_say_what_is_wrong(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi,date,actual\na,2026-02-30,1\na,2026-1-5,1\n"
                                 "a,2026-10-31T08:00:00Z,1\na,2026-31-12,1\n");
    char *out = test_diags_text(&f->diags);
    assert_non_null(strstr(out, "February 2026 has 28 days"));
    assert_non_null(strstr(out, "write '2026-01-05'"));
    assert_non_null(strstr(out, "write '2026-10-31'"));
    assert_non_null(strstr(out, "there is no month 31"));
    assert_non_null(strstr(out, "'2026-12-31'"));
    free(out);
    jmap_data_file_free(f);
}

static void date_cmp_puts_a_month_before_its_first_day(void **state)
{
    (void)state;
    assert_true(jmap_date_cmp(day(2026, 10, 0), day(2026, 10, 1)) < 0);
    assert_true(jmap_date_cmp(day(2026, 10, 1), day(2026, 10, 0)) > 0);
    assert_true(jmap_date_cmp(day(2026, 9, 30), day(2026, 10, 0)) < 0);
    assert_true(jmap_date_cmp(day(2026, 10, 31), day(2026, 11, 0)) < 0);
    assert_true(jmap_date_cmp(day(2025, 12, 31), day(2026, 1, 0)) < 0);
    assert_true(jmap_date_cmp(day(2027, 1, 1), day(2026, 12, 31)) > 0);
    assert_int_equal(jmap_date_cmp(day(2026, 10, 0), day(2026, 10, 0)), 0);
    assert_int_equal(jmap_date_cmp(day(2026, 10, 5), day(2026, 10, 5)), 0);
    assert_true(jmap_date_cmp(day(0, 0, 0), day(1, 1, 0)) < 0); /* no date: before any */
}

static void date_format_writes_iso_8601(void **state)
{
    (void)state;
    char buf[11];
    assert_string_equal(jmap_date_format(day(2026, 10, 0), buf), "2026-10");
    assert_string_equal(jmap_date_format(day(2026, 1, 5), buf), "2026-01-05");
    assert_string_equal(jmap_date_format(day(33, 2, 0), buf), "0033-02");
    assert_ptr_equal(jmap_date_format(day(9999, 12, 31), buf), buf);
    assert_string_equal(buf, "9999-12-31");
    /* values no reader makes still fit the 11 bytes */
    assert_string_equal(jmap_date_format(day(65535, 255, 255), buf), "5535-55-55");
}

static void numbers_accept_signs_and_exponents_only(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double v;
        const char *code; /* NULL: read as v */
    } cases[] = {
        {"12.5", 12.5, NULL},
        {"+3", 3, NULL},
        {"-0.031", -0.031, NULL},
        {".5", 0.5, NULL},
        {"5.", 5, NULL},
        {"1e3", 1000, NULL},
        {"2.5E-2", 0.025, NULL},
        {"-1.5e+10", -1.5e10, NULL},
        {"007", 7, NULL},
        {"123456789012345678901234567890", 123456789012345678901234567890.0, NULL},
        {"0.1234567890123456789012", 0.1234567890123456789012, NULL},
        {"NaN", 0, "data-not-a-number"},
        {"inf", 0, "data-not-a-number"},
        {"-Infinity", 0, "data-not-a-number"},
        {"0x1A", 0, "data-not-a-number"},
        {"12abc", 0, "data-not-a-number"},
        {"abc12", 0, "data-not-a-number"},
        {"1e", 0, "data-not-a-number"},
        {"--1", 0, "data-not-a-number"},
        {"1 000", 0, "data-not-a-number"},
        {"12%", 0, "data-not-a-number"},
        {"$12", 0, "data-not-a-number"},
        {"1e999", 0, "data-not-a-number"},
        {"\"1,234,567\"", 0, "data-not-a-number"},
        {"\"12,5\"", 0, "data-decimal-comma"},
        {"\"1.234,5\"", 0, "data-decimal-comma"},
        {"\"1,234\"", 0, "data-decimal-comma"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[128];
        snprintf(text, sizeof text, "kpi,date,actual\na,2026-01,%s\n", cases[i].text);
        jmap_data_file *f = read_csv(text);
        if (!cases[i].code) {
            assert_clean(f);
            assert_int_equal(f->n_rows, 1);
            assert_true(f->rows[0].actual == cases[i].v);
        } else {
            if (f->n_rows)
                print_error("'%s' was read as a number\n", cases[i].text);
            assert_int_equal(f->n_rows, 0);
            assert_diag_at(&f->diags, cases[i].code, 2, 11);
        }
        jmap_data_file_free(f);
    }
}

static void number_hints_give_the_fix(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi,date,actual\na,2026-01,\"1,234\"\na,2026-02,\"1,234,567.5\"\n"
                                 "a,2026-03,12%\na,2026-04,\"1.234,5\"\n");
    char *out = test_diags_text(&f->diags);
    assert_non_null(strstr(out, "write '1.234', or '1234' if the comma groups thousands"));
    assert_non_null(strstr(out, "without thousands separators: '1234567.5'"));
    assert_non_null(strstr(out, "without '%'"));
    assert_non_null(strstr(out, "write '1234.5'"));
    free(out);
    jmap_data_file_free(f);
}

static void numbers_read_alike_in_a_decimal_comma_locale(void **state)
{
    (void)state;
    test_need_comma_locale();
    jmap_data_file *f = read_csv("kpi;date;actual;target\na;2026-01;12.5;0.1234567890123456789012\n"
                                 "b;2026-01;12,5;1\n");
    test_use_c_locale();
    assert_int_equal(f->n_rows, 1);
    assert_true(f->rows[0].actual == 12.5);
    assert_true(f->rows[0].target == 0.1234567890123456789012);
    assert_diag_at(&f->diags, "data-decimal-comma", 3, 11);
    jmap_data_file_free(f);
}

/* Each reader error at its line and column, the field's first character. */
static void each_error_is_at_its_cell(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *code;
        unsigned line, col;
    } cases[] = {
        {"kpi,actual\na,1\n", "data-missing-column", 1, 1},
        {"kpi,dat,actual\n", "data-missing-column", 1, 5},
        {"kpi,date,value\n", "data-missing-column", 1, 10},
        {"kpi,date,actual,Actual\n", "data-duplicate-column", 1, 17},
        {"kpi,date,actual\na,2026-01\n", "data-field-count", 2, 1},
        {"kpi,date,actual\n  a,2026-01,1,2\n", "data-field-count", 2, 3},
        {"kpi,date,actual\n,2026-01,1\n", "data-empty-value", 2, 1},
        {"kpi,date,actual\na,,1\n", "data-empty-value", 2, 3},
        {"kpi,date,actual\na,2026-01,\n", "data-empty-value", 2, 11},
        {"kpi,date,actual\na,2026-01, \"\"\n", "data-empty-value", 2, 12},
        {"kpi,date,actual\na,2026-01,x\n", "data-not-a-number", 2, 11},
        {"kpi,date,actual,target\na,2026-01,1,x\n", "data-not-a-number", 2, 13},
        {"kpi;date;actual\na;2026-01;  0,5\n", "data-decimal-comma", 2, 13},
        {"kpi,date,actual\na,2026-1,1\n", "data-bad-date", 2, 3},
        {"kpi,date,actual\n\"a\nb\",\"x\",1\n", "data-bad-date", 3, 4},
        {"kpi,date,actual\na,2026-01,\"1\n", "data-syntax", 2, 11},
        {"kpi,date,actual\na,2026-01,\"1\nb,2026-02,2\n", "data-syntax", 2, 11},
        {"kpi,date,actual\na,2026-01,5\"\n", "data-syntax", 2, 11},
        {"kpi,date,actual\na,2026-01,\"5\"x\n", "data-syntax", 2, 11},
        {"kpi,date,actual\nab,\"2026-01\" \"\n", "data-syntax", 2, 4},
        {"\"kpi,date,actual\n", "data-syntax", 1, 1},
        {"", "data-empty-file", 1, 1},
        {"\xEF\xBB\xBF", "data-empty-file", 1, 1},
        {"\n\r\n  \n", "data-empty-file", 1, 1},
        {"kpi,date,actual\ncaf\xE9,2026-01,1\n", "data-encoding", 2, 4},
        {"kpi,date,actual\n\xC3\xA9\xC3\xA9,\xFF,1\n", "data-encoding", 2, 4},
        {"\xFF\xFEk\0p\0i\0", "data-encoding", 1, 1},
        {"PK\x03\x04rest", "data-encoding", 1, 1},
        {"kpi,date,actual\na,2026-01,1\nb,2026-01,2\nc,2026-01,3\n", "data-too-many-rows", 4, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = strlen(cases[i].text);
        if (strncmp(cases[i].text, "\xFF\xFE", 2) == 0)
            len = 8;
        jmap_data_file *f = read_n(cases[i].text, len, 2);
        assert_true(jmap_diags_failed(&f->diags));
        assert_diag_at(&f->diags, cases[i].code, cases[i].line, cases[i].col);
        jmap_data_file_free(f);
    }
}

static void a_nul_byte_is_an_error_not_a_crash(void **state)
{
    (void)state;
    static const char text[] = "kpi,date,actual\na\0b,2026-01,1\nc,2026-01,\0\n";
    jmap_data_file *f = read_n(text, sizeof text - 1, 0);
    assert_diag_at(&f->diags, "data-encoding", 2, 2);
    assert_int_equal(test_diag_find(&f->diags, "data-encoding") - f->diags.items, 0);
    assert_diag_at(&f->diags, "data-not-a-number", 3, 11); /* and reading went on */
    char *out = printed(f);
    assert_null(memchr(out, '\0', strlen(out)));
    assert_non_null(strstr(out, "\\x00"));
    free(out);
    jmap_data_file_free(f);
}

static void encoding_is_reported_once(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi,date,actual\ncaf\xE9,2026-01,1\nna\xEFve,2026-01,1\n");
    size_t n = 0;
    for (size_t i = 0; i < f->diags.n_items; i++)
        n += strcmp(f->diags.items[i].code, "data-encoding") == 0;
    assert_int_equal(n, 1);
    jmap_data_file_free(f);
}

static void columns_count_code_points(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi,note,date,actual\n"
                                 "a,caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80,2026-01,x\n");
    assert_diag_at(&f->diags, "data-not-a-number", 2, 20);
    jmap_data_file_free(f);
}

static void unicode_line_separators_inside_a_field_break_no_line(void **state)
{
    (void)state;
    /* U+2028 and NEL are line breaks to YAML, not to CSV: the excerpt must quote line 2 */
    jmap_data_file *f = read_csv("kpi,note,date,actual\na,x\xE2\x80\xA8y\xC2\x85z,2026-01,bad\n");
    assert_diag_at(&f->diags, "data-not-a-number", 2, 17);
    char *out = printed(f);
    assert_non_null(strstr(out, "    2 | a,x\\u2028y\\u0085z,2026-01,bad\n"));
    assert_non_null(strstr(out, "^~~\n"));
    free(out);
    jmap_data_file_free(f);
}

static void long_values_are_cut_in_messages(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = malloc(n + 64);
    size_t len = (size_t)sprintf(text, "kpi,date,actual\na,2026-01,");
    memset(text + len, '7', n);
    len += n;
    text[len++] = 'x';
    jmap_data_file *f = read_n(text, len, 0);
    const jmap_diag *g = test_diag_find(&f->diags, "data-not-a-number");
    assert_non_null(g);
    assert_true(strlen(g->msg) < 200);
    assert_non_null(strstr(g->msg, "..."));
    jmap_data_file_free(f);
    free(text);
}

static void huge_fields_are_read(void **state)
{
    (void)state;
    /* libcsv grows its field buffer 128 bytes a step: read that way, these 16 MB fields took
     * minutes under AddressSanitizer. A bound against a hang, not a timing: it takes well under
     * a second. */
    alarm(30);
    size_t n = 16 << 20;
    char *text = malloc(2 * n + 128);
    size_t len = (size_t)sprintf(text, "kpi,date,actual,note\n");
    memset(text + len, 'k', n);
    len += n;
    len += (size_t)sprintf(text + len, ",2026-01,1,\"");
    memset(text + len, 'n', n);
    len += n;
    len += (size_t)sprintf(text + len, "\"\nb,2026-01,x,\n");
    jmap_data_file *f = read_n(text, len, 0);
    assert_int_equal(f->n_rows, 1);
    assert_int_equal(f->rows[0].kpi_len, n);
    assert_int_equal(strlen(f->rows[0].kpi), n);
    assert_pos(f->rows[0].date_at, 2, (unsigned)n + 2);
    assert_diag_at(&f->diags, "data-not-a-number", 3, 11);
    jmap_data_file_free(f);
    free(text);
    alarm(0);
}

static void empty_file_and_header_only(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("");
    assert_int_equal(f->n_rows, 0);
    assert_int_equal(f->diags.n_errors, 1);
    assert_diag_at(&f->diags, "data-empty-file", 1, 1);
    jmap_data_file_free(f);
    f = read_n(NULL, 0, 0);
    assert_diag_at(&f->diags, "data-empty-file", 1, 1);
    jmap_data_file_free(f);
    /* a header and no rows is a valid export of nothing yet */
    static const char *const header_only[] = {"kpi,date,actual", "kpi,date,actual\n",
                                              "\xEF\xBB\xBFkpi;date;actual\r\n\r\n"};
    for (size_t i = 0; i < 3; i++) {
        f = read_csv(header_only[i]);
        assert_clean(f);
        assert_int_equal(f->n_rows, 0);
        jmap_data_file_free(f);
    }
}

static void max_rows_bounds_the_rows_read(void **state)
{
    (void)state;
    const char *text = "kpi,date,actual\na,2026-01,1\n\nb,2026-01,2\n,,\nc,2026-01,3\n";
    jmap_data_file *f = read_n(text, strlen(text), 3);
    assert_clean(f);
    assert_int_equal(f->n_rows, 3);
    jmap_data_file_free(f);
    f = read_n(text, strlen(text), 2);
    assert_int_equal(f->n_rows, 2);
    assert_int_equal(f->diags.n_errors, 1);
    assert_diag_at(&f->diags, "data-too-many-rows", 6, 1);
    jmap_data_file_free(f);
}

static void rows_with_errors_are_left_out_and_the_rest_kept(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi,date,actual\na,2026-01,1\nb,2026-13,2\nc,2026-01,3\n"
                                 "d,2026-01\ne,2026-01,5\n");
    assert_int_equal(f->n_rows, 3);
    assert_string_equal(f->rows[0].kpi, "a");
    assert_string_equal(f->rows[1].kpi, "c");
    assert_string_equal(f->rows[2].kpi, "e");
    assert_int_equal(f->diags.n_errors, 2);
    jmap_data_file_free(f);
}

static void a_syntax_error_stops_reading_and_keeps_the_rows_before(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi,date,actual\na,2026-01,1\nb,2026-01,2\"\nc,2026-01,x\n");
    assert_int_equal(f->n_rows, 1);
    assert_int_equal(f->diags.n_errors, 1);
    assert_diag_at(&f->diags, "data-syntax", 3, 11);
    jmap_data_file_free(f);
}

static void a_syntax_error_underlines_up_to_the_bad_character(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("kpi,date,actual\na,2026-01,\"5\"  x\n");
    assert_diag_at(&f->diags, "data-syntax", 2, 11);
    const jmap_diag *g = test_diag_find(&f->diags, "data-syntax");
    assert_int_equal(g->loc.end_line, 2);
    assert_int_equal(g->loc.end_col, 16);
    jmap_data_file_free(f);
    /* at the end of a file without a final line break too */
    f = read_csv("kpi,date,actual\na,2026-01,\"\xC3\xA9\" x");
    assert_diag_at(&f->diags, "data-syntax", 2, 11);
    g = test_diag_find(&f->diags, "data-syntax");
    assert_int_equal(g->loc.end_col, 15);
    jmap_data_file_free(f);
}

static void missing_columns_name_the_likely_one(void **state)
{
    (void)state;
    jmap_data_file *f = read_csv("metric,period,value\n");
    assert_int_equal(f->diags.n_errors, 3);
    assert_diag_at(&f->diags, "data-missing-column", 1, 1);
    assert_diag_at(&f->diags, "data-missing-column", 1, 8);
    assert_diag_at(&f->diags, "data-missing-column", 1, 15);
    char *out = test_diags_text(&f->diags);
    assert_non_null(strstr(out, "rename 'metric' to 'kpi'"));
    assert_non_null(strstr(out, "rename 'period' to 'date'"));
    assert_non_null(strstr(out, "rename 'value' to 'actual'"));
    free(out);
    jmap_data_file_free(f);
    f = read_csv("kpi date actual\n");
    assert_int_equal(f->diags.n_errors, 1);
    out = test_diags_text(&f->diags);
    assert_non_null(strstr(out, "no 'kpi', 'date' and 'actual' columns"));
    assert_non_null(strstr(out, "one column"));
    free(out);
    jmap_data_file_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(columns_in_any_order_and_unknown_ones_ignored),
        cmocka_unit_test(header_names_ignore_case_and_white_space),
        cmocka_unit_test(target_column_is_optional),
        cmocka_unit_test(byte_order_mark_is_skipped_and_takes_no_column),
        cmocka_unit_test(crlf_lf_and_cr_line_breaks_count_alike),
        cmocka_unit_test(semicolon_and_tab_delimiters_are_detected),
        cmocka_unit_test(quoted_fields_hold_delimiters_quotes_and_line_breaks),
        cmocka_unit_test(rows_keep_file_order_whatever_their_dates),
        cmocka_unit_test(kpi_names_are_kept_once),
        cmocka_unit_test(blank_rows_are_skipped),
        cmocka_unit_test(months_and_days_read_with_the_real_calendar),
        cmocka_unit_test(date_messages_say_what_is_wrong),
        cmocka_unit_test(date_cmp_puts_a_month_before_its_first_day),
        cmocka_unit_test(date_format_writes_iso_8601),
        cmocka_unit_test(numbers_accept_signs_and_exponents_only),
        cmocka_unit_test(number_hints_give_the_fix),
        cmocka_unit_test(numbers_read_alike_in_a_decimal_comma_locale),
        cmocka_unit_test(each_error_is_at_its_cell),
        cmocka_unit_test(a_nul_byte_is_an_error_not_a_crash),
        cmocka_unit_test(encoding_is_reported_once),
        cmocka_unit_test(columns_count_code_points),
        cmocka_unit_test(unicode_line_separators_inside_a_field_break_no_line),
        cmocka_unit_test(long_values_are_cut_in_messages),
        cmocka_unit_test(huge_fields_are_read),
        cmocka_unit_test(empty_file_and_header_only),
        cmocka_unit_test(max_rows_bounds_the_rows_read),
        cmocka_unit_test(rows_with_errors_are_left_out_and_the_rest_kept),
        cmocka_unit_test(a_syntax_error_stops_reading_and_keeps_the_rows_before),
        cmocka_unit_test(a_syntax_error_underlines_up_to_the_bad_character),
        cmocka_unit_test(missing_columns_name_the_likely_one),
    };
    return cmocka_run_group_tests_name("data_csv", tests, NULL, NULL);
}
