/*
 * The Mermaid journey parser. Mermaid's lexer for `journey` works line by line (only an
 * `accDescr { … }` block and an `%%{init}%%` directive span lines), so this reads lines:
 * front matter first, then comments and directives anywhere, the `journey` header, and
 * statements: title, accTitle, accDescr, section, and tasks `name: score[: actor, actor]`.
 * As in Mermaid, keywords are case-insensitive, `#` starts a comment unless it starts an entity
 * code (`#35;`), and `;` ends a title, section or task and is an error after it.
 */
#include "jmap/import_mermaid.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "jmap/load.h"
#include "jmap/sanitize.h"
#include "jmap/suggest.h"

typedef struct parser {
    jmap_arena *a;
    const char *file;
    jmap_diags *d;
    jmap_mermaid_journey *j;
    size_t cap_sections, cap_tasks;
    bool failed;
    char *descr;        /* an accDescr block being read, its lines joined by spaces */
    jmap_limits lim;    /* the default limits of a map: the import must load as one */
    const char **actors; /* the distinct actors so far, at most lim.max_personas */
    size_t n_actors;
    unsigned descr_line, descr_col;
} parser;

/* 1-based column of s + at in a line starting at s, in code points. */
static unsigned column(const char *s, size_t at)
{
    unsigned col = 1;
    for (size_t i = 0; i < at; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            col++;
    }
    return col;
}

static jmap_loc loc_at(const parser *p, unsigned line, const char *s, size_t at)
{
    return (jmap_loc){.file = p->file, .line = line, .col = column(s, at)};
}

static void error_at(parser *p, const char *code, jmap_loc at, const char *what)
{
    jmap_diag_add(p->d, JMAP_SEV_ERROR, code, at, "%s", what);
    p->failed = true;
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Length of the entity code `#name;` / `#123;` at s[0] == '#', or 0 when there is none. */
static size_t entity_len(const char *s, size_t n)
{
    size_t i = 1;
    while (i < n && word_char(s[i]))
        i++;
    return i > 1 && i < n && s[i] == ';' ? i + 1 : 0;
}

/* Where a title, a section, a task name (stop_colon) or a task's data ends: at a `#` that is no
 * entity code (a comment), at a `;`, at a ':' when asked, or at the end of the line. */
static size_t text_end(const char *s, size_t n, bool stop_colon)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == '#') {
            size_t e = entity_len(s + i, n - i);
            if (!e)
                return i;
            i += e;
            continue;
        }
        if (s[i] == ';' || (stop_colon && s[i] == ':'))
            return i;
        i++;
    }
    return n;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Case-insensitive keyword at s; true when it is there (and, if `space`, a blank follows). */
static bool keyword(const char *s, size_t n, const char *kw, bool space)
{
    size_t k = strlen(kw);
    if (n < k || strncasecmp(s, kw, k) != 0)
        return false;
    return !space || (n > k && blank(s[k]));
}

/* After a title, a section or a task: a ';' is an error (Mermaid has no token for it). */
static void check_end(parser *p, unsigned line, const char *s, size_t n, size_t end)
{
    if (end < n && s[end] == ';')
        error_at(p, "mermaid-syntax", loc_at(p, line, s, end),
                 "unexpected ';'; write it as '#59;' inside a name");
}

/* Clean text, with a warning at the first entity code that is not known. */
static const char *clean(parser *p, unsigned line, const char *ls, const char *s, size_t n)
{
    const char *unknown = NULL;
    const char *t = jmap_mermaid_text(p->a, s, n, &unknown);
    if (strlen(t) > p->lim.max_string_bytes && !p->failed) {
        jmap_diag_add(p->d, JMAP_SEV_ERROR, "string-too-long",
                      loc_at(p, line, ls, (size_t)(s - ls)),
                      "text longer than %zu bytes, the longest a map's string may be",
                      p->lim.max_string_bytes);
        p->failed = true;
    }
    if (unknown) {
        size_t e = entity_len(unknown, (size_t)(s + n - unknown));
        jmap_diag_add(p->d, JMAP_SEV_WARNING, "mermaid-entity",
                      loc_at(p, line, ls, (size_t)(unknown - ls)),
                      "unknown entity code '%.*s' kept as written", (int)e, unknown);
    }
    return t;
}

static void add_section(parser *p, const char *name, unsigned line)
{
    jmap_mermaid_journey *j = p->j;
    if (j->n_sections == p->lim.max_stages) {
        error_at(p, "too-many", (jmap_loc){.file = p->file, .line = line, .col = 1},
                 "more sections than a map may have stages");
        return;
    }
    if (j->n_sections == p->cap_sections) {
        size_t cap = p->cap_sections ? 2 * p->cap_sections : 8;
        jmap_mermaid_section *s = jmap_arena_calloc(p->a, cap, sizeof(*s));
        if (j->n_sections)
            memcpy(s, j->sections, j->n_sections * sizeof(*s));
        j->sections = s;
        p->cap_sections = cap;
    }
    j->sections[j->n_sections++] = (jmap_mermaid_section){name, line};
}

/* A score: a decimal number, as Mermaid's Number() reads one; false when it is not. */
static bool read_score(const char *s, size_t n, double *out)
{
    while (n && blank(*s))
        s++, n--;
    while (n && blank(s[n - 1]))
        n--;
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < n && isdigit((unsigned char)s[i]))
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && isdigit((unsigned char)s[i]))
            i++, digits++;
    }
    if (!digits || i != n || n > 32)
        return false;
    char buf[40];
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = strtod(buf, NULL);
    return true;
}

/* Count a new distinct actor; false, with an error, past the persona limit. */
static bool known_actor(parser *p, const char *name)
{
    for (size_t i = 0; i < p->n_actors; i++) {
        if (strcmp(p->actors[i], name) == 0)
            return true;
    }
    if (p->n_actors == p->lim.max_personas) {
        error_at(p, "too-many", (jmap_loc){.file = p->file, .line = p->j->tasks[p->j->n_tasks - 1].line},
                 "more distinct actors than a map may have personas");
        return false;
    }
    p->actors = jmap_xrealloc(p->actors, (p->n_actors + 1) * sizeof(*p->actors));
    p->actors[p->n_actors++] = name;
    return true;
}

/* The actors after a task's second ':', trimmed, empty ones and repeats left out. */
static void read_actors(parser *p, jmap_mermaid_task *t, unsigned line, const char *ls,
                        const char *s, size_t n)
{
    size_t cap = 0;
    while (n) {
        const char *comma = memchr(s, ',', n);
        size_t len = comma ? (size_t)(comma - s) : n;
        const char *name = clean(p, line, ls, s, len);
        bool seen = !*name;
        for (size_t i = 0; !seen && i < t->n_actors; i++)
            seen = strcmp(t->actors[i], name) == 0;
        if (!seen && !known_actor(p, name))
            break;
        if (!seen) {
            if (t->n_actors == cap) {
                cap = cap ? 2 * cap : 4;
                const char **a = jmap_arena_calloc(p->a, cap, sizeof(*a));
                if (t->n_actors)
                    memcpy(a, t->actors, t->n_actors * sizeof(*a));
                t->actors = a;
            }
            t->actors[t->n_actors++] = name;
        }
        if (!comma)
            break;
        s = comma + 1;
        n -= len + 1;
    }
}

static void task(parser *p, unsigned line, const char *ls, const char *s, size_t n)
{
    size_t name_end = text_end(s, n, true);
    const char *name = clean(p, line, ls, s, name_end);
    size_t at = (size_t)(s - ls);
    if (!*name) {
        error_at(p, "mermaid-syntax", loc_at(p, line, ls, at + name_end),
                 name_end < n && s[name_end] == ':' ? "a task needs a name before ':'"
                                                    : "expected a task 'name: score'");
        return;
    }
    if (name_end < n && s[name_end] == ';') {
        check_end(p, line, ls, at + n, at + name_end);
        return;
    }
    if (name_end == n || s[name_end] != ':') {
        jmap_diag_add(p->d, JMAP_SEV_ERROR, "mermaid-score", loc_at(p, line, ls, at + name_end),
                      "task '%s' has no score", name);
        jmap_diag_hint(p->d, "write 'name: score', a score from 1 (worst) to 5 (best)");
        p->failed = true;
        return;
    }
    const char *data = s + name_end + 1;
    size_t data_n = text_end(data, n - name_end - 1, false);
    check_end(p, line, ls, (size_t)(data - ls) + (n - name_end - 1), (size_t)(data - ls) + data_n);
    const char *colon = memchr(data, ':', data_n);
    size_t score_n = colon ? (size_t)(colon - data) : data_n;
    double score;
    size_t first = 0;
    while (first < score_n && blank(data[first]))
        first++;
    jmap_loc score_at = loc_at(p, line, ls, (size_t)(data - ls) + first);
    if (first == score_n) {
        jmap_diag_add(p->d, JMAP_SEV_ERROR, "mermaid-score", score_at, "task '%s' has no score",
                      name);
        jmap_diag_hint(p->d, "write 'name: score', a score from 1 (worst) to 5 (best)");
        p->failed = true;
        return;
    }
    if (!read_score(data, score_n, &score)) {
        jmap_diag_add(p->d, JMAP_SEV_ERROR, "mermaid-score", score_at,
                      "score '%.*s' of task '%s' is not a number", (int)(score_n - first),
                      data + first, name);
        jmap_diag_hint(p->d, "a score is a whole number from 1 (worst) to 5 (best)");
        p->failed = true;
        return;
    }
    if (score < 1 || score > 5) {
        double to = score < 1 ? 1 : 5;
        jmap_diag_add(p->d, JMAP_SEV_WARNING, "mermaid-score-clamped", score_at,
                      "score %g of task '%s' is outside 1..5; %g is used", score, name, to);
        score = to;
    }
    jmap_mermaid_journey *j = p->j;
    if (j->n_tasks == p->lim.max_touchpoints) {
        error_at(p, "too-many", loc_at(p, line, ls, at),
                 "more tasks than a map may have touchpoints");
        return;
    }
    if (j->n_tasks == p->cap_tasks) {
        size_t cap = p->cap_tasks ? 2 * p->cap_tasks : 16;
        jmap_mermaid_task *t = jmap_arena_calloc(p->a, cap, sizeof(*t));
        if (j->n_tasks)
            memcpy(t, j->tasks, j->n_tasks * sizeof(*t));
        j->tasks = t;
        p->cap_tasks = cap;
    }
    if (!j->n_sections)
        add_section(p, "", line); /* Mermaid keeps tasks before any section in an unnamed one */
    jmap_mermaid_task *t = &j->tasks[j->n_tasks++];
    *t = (jmap_mermaid_task){.name = name, .score = score, .section = j->n_sections - 1,
                             .line = line, .col = column(ls, at)};
    if (colon) {
        /* Mermaid reads the actors up to a third ':' and ignores what follows it */
        const char *end = data + data_n, *third = memchr(colon + 1, ':', (size_t)(end - colon - 1));
        read_actors(p, t, line, ls, colon + 1, (size_t)((third ? third : end) - colon - 1));
    }
}


static char *append(char *acc, const char *s, size_t n)
{
    size_t have = acc ? strlen(acc) : 0;
    char *out = jmap_xrealloc(acc, have + n + 2);
    if (have)
        out[have++] = ' ';
    memcpy(out + have, s, n);
    out[have + n] = '\0';
    return out;
}

/* Inside an `accDescr { … }` block: everything up to '}' is text. Returns where the line goes
 * on after the block's end, or n while it is still open. */
static size_t descr_block(parser *p, unsigned line, const char *ls, const char *s, size_t n)
{
    const char *close = memchr(s, '}', n);
    size_t len = close ? (size_t)(close - s) : n;
    p->descr = append(p->descr, s, len);
    (void)clean(p, line, ls, s, len); /* for the warnings, at their place in this line */
    if (!close)
        return n;
    p->j->acc_descr = jmap_mermaid_text(p->a, p->descr, strlen(p->descr), NULL);
    free(p->descr);
    p->descr = NULL;
    return len + 1;
}

/* One statement after the header: s (n bytes, no leading blanks) in the line ls. */
static void statement(parser *p, unsigned line, const char *ls, const char *s, size_t n)
{
    jmap_mermaid_journey *j = p->j;
    size_t at = (size_t)(s - ls);
    if (keyword(s, n, "title", true)) {
        size_t e = text_end(s, n, false);
        j->title = clean(p, line, ls, s + 6, e - 6);
        check_end(p, line, ls, at + n, at + e);
        return;
    }
    if (keyword(s, n, "section", true)) {
        size_t e = text_end(s, n, true);
        if (e < n && s[e] == ':') {
            error_at(p, "mermaid-syntax", loc_at(p, line, ls, at + e),
                     "a section name cannot hold ':'; write it as '#58;'");
            return;
        }
        add_section(p, clean(p, line, ls, s + 8, e - 8), line);
        check_end(p, line, ls, at + n, at + e);
        return;
    }
    bool acc_title = keyword(s, n, "accTitle", false), acc_descr = keyword(s, n, "accDescr", false);
    if (acc_title || acc_descr) {
        size_t i = 8; /* both keywords are 8 letters long */
        while (i < n && blank(s[i]))
            i++;
        if (i < n && s[i] == ':') {
            i++;
            while (i < n && blank(s[i]))
                i++;
            const char *v = clean(p, line, ls, s + i, n - i);
            if (acc_title)
                j->acc_title = v;
            else
                j->acc_descr = v;
            return;
        }
        if (acc_descr && i < n && s[i] == '{') {
            p->descr = jmap_xstrdup("");
            p->descr_line = line;
            p->descr_col = column(ls, at);
            size_t used = descr_block(p, line, ls, s + i + 1, n - i - 1);
            size_t rest = i + 1 + used;
            while (rest < n && blank(s[rest]))
                rest++;
            if (!p->descr && rest < n)
                statement(p, line, ls, s + rest, n - rest);
            return;
        }
    }
    task(p, line, ls, s, n);
}

/* The Mermaid diagram types, for an error that names the one found. */
static const char *const diagram_types[] = {
    "graph", "flowchart", "flowchart-elk", "sequenceDiagram", "classDiagram", "classDiagram-v2",
    "stateDiagram", "stateDiagram-v2", "erDiagram", "gantt", "pie", "quadrantChart",
    "requirementDiagram", "gitGraph", "C4Context", "C4Container", "C4Component", "C4Dynamic",
    "C4Deployment", "mindmap", "timeline", "zenuml", "sankey-beta", "xychart-beta",
    "block-beta", "packet-beta", "kanban", "architecture-beta", "radar-beta", "info",
    "treemap-beta"};

/* The first line after the comments: `journey`, or an error naming what is there instead. */
static bool header(parser *p, unsigned line, const char *ls, const char *s, size_t n,
                   size_t *rest)
{
    size_t w = 0;
    while (w < n && (word_char(s[w]) || s[w] == '-'))
        w++;
    if (w == 7 && strncasecmp(s, "journey", 7) == 0) {
        *rest = w;
        return true;
    }
    jmap_loc at = loc_at(p, line, ls, (size_t)(s - ls));
    for (size_t i = 0; w && i < sizeof(diagram_types) / sizeof(diagram_types[0]); i++) {
        if (strlen(diagram_types[i]) == w && strncasecmp(s, diagram_types[i], w) == 0) {
            jmap_diag_add(p->d, JMAP_SEV_ERROR, "mermaid-not-journey", at,
                          "this is a Mermaid '%s' diagram, not a 'journey'", diagram_types[i]);
            jmap_diag_hint(p->d, "only journey diagrams can be imported");
            p->failed = true;
            return false;
        }
    }
    size_t shown = w ? w : text_end(s, n, false);
    jmap_diag_add(p->d, JMAP_SEV_ERROR, "mermaid-not-journey", at,
                  "expected 'journey' to start the diagram, found '%.*s'", (int)shown, s);
    static const char *const journey[] = {"journey"};
    char *word = jmap_xstrndup(s, w);
    if (w && jmap_suggest(word, journey, 1))
        jmap_diag_hint(p->d, "did you mean 'journey'?");
    free(word);
    p->failed = true;
    return false;
}

/* YAML front matter: its title is the journey's; every other key is ignored with a note. */
static void front_matter(parser *p, const char *s, size_t n, unsigned first_line)
{
    yaml_parser_t yp;
    yaml_document_t doc;
    yaml_parser_initialize(&yp);
    yaml_parser_set_input_string(&yp, (const unsigned char *)s, n);
    if (!yaml_parser_load(&yp, &doc)) {
        jmap_loc at = {.file = p->file, .line = first_line + (unsigned)yp.problem_mark.line,
                       .col = (unsigned)yp.problem_mark.column + 1};
        error_at(p, "mermaid-syntax", at, "the front matter is not valid YAML");
        yaml_parser_delete(&yp);
        return;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root && root->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
             pr < root->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
            yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
            if (!k || k->type != YAML_SCALAR_NODE)
                continue;
            const char *key = (const char *)k->data.scalar.value;
            jmap_loc at = {.file = p->file, .line = first_line + (unsigned)k->start_mark.line,
                           .col = (unsigned)k->start_mark.column + 1};
            if (strcmp(key, "title") == 0 && v && v->type == YAML_SCALAR_NODE) {
                if (!p->j->title)
                    p->j->title = jmap_mermaid_text(p->a, (const char *)v->data.scalar.value,
                                                    v->data.scalar.length, NULL);
                continue;
            }
            jmap_diag_add(p->d, JMAP_SEV_NOTE, "mermaid-ignored", at,
                          "front matter key '%s' ignored", key);
        }
    } else if (root) {
        error_at(p, "mermaid-syntax", (jmap_loc){.file = p->file, .line = first_line},
                 "the front matter is not a mapping of keys");
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&yp);
}

/* Next line at text[*at]: its start and length without the line break. */
static bool next_line(const char *text, size_t len, size_t *at, const char **ls, size_t *n)
{
    if (*at >= len)
        return false;
    *ls = text + *at;
    size_t i = *at;
    while (i < len && text[i] != '\n' && text[i] != '\r')
        i++;
    *n = i - *at;
    if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
        i++;
    *at = i + 1;
    return true;
}

static bool dashes(const char *s, size_t n)
{
    while (n && blank(s[n - 1]))
        n--;
    return n == 3 && memcmp(s, "---", 3) == 0;
}

/* Bytes that are not UTF-8, or a NUL: an error at the first. */
static bool check_utf8(parser *p, const char *text, size_t len)
{
    unsigned line = 1;
    size_t ls = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = text[i] ? jmap_utf8_decode(text + i, len - i, &cp) : 0;
        if (!k) {
            error_at(p, "invalid-encoding", loc_at(p, line, text + ls, i - ls),
                     text[i] ? "the file is not valid UTF-8" : "the file holds a NUL byte");
            return false;
        }
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            line++;
            ls = i + 1;
        }
        i += k;
    }
    return true;
}

bool jmap_mermaid_parse(jmap_arena *a, const char *file, const char *text, size_t len,
                        jmap_mermaid_journey *j, jmap_diags *d)
{
    memset(j, 0, sizeof(*j));
    parser p = {.a = a, .file = file, .d = d, .j = j, .lim = jmap_limits_default()};
    if (!jmap_load_check_encoding(file, text, len, d) || !check_utf8(&p, text, len))
        return false;
    size_t at = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        at = 3;
    const char *ls;
    size_t n;
    unsigned line = 0;
    /* front matter: `---` on the first line, up to the next `---` line */
    size_t save = at;
    if (next_line(text, len, &at, &ls, &n) && dashes(ls, n)) {
        line = 1;
        size_t body = at;
        bool closed = false;
        while (next_line(text, len, &at, &ls, &n)) {
            line++;
            if (dashes(ls, n)) {
                closed = true;
                break;
            }
        }
        if (!closed) {
            error_at(&p, "mermaid-syntax", (jmap_loc){.file = file, .line = 1, .col = 1},
                     "the front matter's '---' is never closed");
            return false;
        }
        front_matter(&p, text + body, (size_t)(ls - text) - body, 2);
    } else {
        at = save;
    }
    bool seen_header = false, in_directive = false;
    unsigned dir_line = 0, dir_col = 0;
    while (!p.failed && next_line(text, len, &at, &ls, &n)) {
        line++;
        size_t i = 0;
        if (p.descr) {
            i = descr_block(&p, line, ls, ls, n);
            if (p.descr)
                continue;
        }
        if (in_directive) {
            for (; i + 2 < n + 0 && !(ls[i] == '}' && ls[i + 1] == '%' && ls[i + 2] == '%'); i++)
                ;
            if (i + 2 >= n)
                continue;
            in_directive = false;
            i += 3;
        }
        while (i < n && blank(ls[i]))
            i++;
        if (i == n)
            continue;
        const char *s = ls + i;
        size_t rest = n - i;
        if (rest >= 3 && memcmp(s, "%%{", 3) == 0) {
            dir_line = line;
            dir_col = column(ls, i);
            jmap_diag_add(d, JMAP_SEV_NOTE, "mermaid-ignored",
                          (jmap_loc){.file = file, .line = line, .col = dir_col},
                          "directive ignored: jmap draws with its own theme");
            const char *end = NULL;
            for (size_t k = 3; k + 2 < rest + 0 && !end; k++)
                if (s[k] == '}' && s[k + 1] == '%' && s[k + 2] == '%')
                    end = s + k;
            in_directive = end == NULL;
            continue;
        }
        if ((rest >= 2 && s[0] == '%' && s[1] == '%') || (s[0] == '#' && !entity_len(s, rest)))
            continue;
        if (!seen_header) {
            size_t after;
            if (!header(&p, line, ls, s, rest, &after))
                break;
            seen_header = true;
            while (after < rest && blank(s[after]))
                after++;
            if (after == rest)
                continue;
            s += after;
            rest -= after;
            if ((rest >= 2 && s[0] == '%' && s[1] == '%') ||
                (s[0] == '#' && !entity_len(s, rest)))
                continue;
        }
        statement(&p, line, ls, s, rest);
    }
    if (!p.failed && in_directive)
        error_at(&p, "mermaid-syntax", (jmap_loc){.file = file, .line = dir_line, .col = dir_col},
                 "the directive '%%{' is never closed with '}%%'");
    if (!p.failed && p.descr)
        error_at(&p, "mermaid-syntax",
                 (jmap_loc){.file = file, .line = p.descr_line, .col = p.descr_col},
                 "the 'accDescr {' block is never closed with '}'");
    free(p.descr);
    free(p.actors);
    if (!p.failed && !seen_header) {
        jmap_diag_add(d, JMAP_SEV_ERROR, "mermaid-not-journey", (jmap_loc){.file = file},
                      "no diagram found; expected 'journey'");
        p.failed = true;
    }
    if (!p.failed && !j->n_sections) {
        jmap_diag_add(d, JMAP_SEV_ERROR, "mermaid-empty", (jmap_loc){.file = file},
                      "the journey has no sections and no tasks");
        jmap_diag_hint(d, "a map needs at least one stage: add a 'section' with its tasks");
        p.failed = true;
    }
    return !p.failed && !jmap_diags_failed(d);
}
