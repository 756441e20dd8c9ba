/*
 * A parsed Mermaid journey as a jmap map, written with libyaml's emitter (it quotes what needs
 * quoting) in SCHEMA.md's key order: title, subtitle, personas, stages, touchpoints. The same
 * journey always gives the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "jmap/import_mermaid.h"
#include "jmap/output.h"
#include "jmap/sanitize.h"

typedef struct writer {
    yaml_emitter_t e;
    bool ok;
} writer;

static int to_buf(void *data, unsigned char *bytes, size_t size)
{
    return jmap_buf_write(data, bytes, size) ? 1 : 0;
}

static void emit(writer *w, yaml_event_t *ev)
{
    if (w->ok && !yaml_emitter_emit(&w->e, ev))
        w->ok = false;
}

/* Would a plain scalar read back as something other than this string? */
static bool needs_quotes(const char *s)
{
    static const char *const words[] = {"y", "n", "yes", "no", "true", "false", "on", "off",
                                        "null", "~", ""};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcasecmp(s, words[i]) == 0)
            return true;
    }
    char *end;
    (void)strtod(s, &end);
    return end != s || s[0] == '.' || s[0] == '+' || s[0] == '-';
}

static void str(writer *w, const char *s)
{
    yaml_event_t ev;
    yaml_scalar_style_t style = needs_quotes(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                                : YAML_ANY_SCALAR_STYLE;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1, style);
    emit(w, &ev);
}

static void num(writer *w, double v)
{
    char b[32];
    snprintf(b, sizeof(b), "%.6g", v);
    yaml_event_t ev;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)b, (int)strlen(b), 1, 0,
                                 YAML_PLAIN_SCALAR_STYLE);
    emit(w, &ev);
}

static void map_start(writer *w)
{
    yaml_event_t ev;
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    emit(w, &ev);
}

static void map_end(writer *w)
{
    yaml_event_t ev;
    yaml_mapping_end_event_initialize(&ev);
    emit(w, &ev);
}

static void seq_start(writer *w, bool flow)
{
    yaml_event_t ev;
    yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                         flow ? YAML_FLOW_SEQUENCE_STYLE
                                              : YAML_BLOCK_SEQUENCE_STYLE);
    emit(w, &ev);
}

static void seq_end(writer *w)
{
    yaml_event_t ev;
    yaml_sequence_end_event_initialize(&ev);
    emit(w, &ev);
}

static void pair(writer *w, const char *k, const char *v)
{
    str(w, k);
    str(w, v);
}

/* Ids slugged from names, made unique with -2, -3… in the order given. */
static const char **unique_ids(jmap_arena *a, const char *const *names, size_t n,
                               const char *fallback)
{
    const char **ids = jmap_arena_calloc(a, n ? n : 1, sizeof(*ids));
    const char **bases = jmap_arena_calloc(a, n ? n : 1, sizeof(*bases));
    for (size_t i = 0; i < n; i++) {
        const char *base = bases[i] = jmap_mermaid_slug(a, names[i], fallback), *id = base;
        /* the k-th repeat of a base starts at -k, so many repeats stay quick */
        unsigned k = 2;
        for (size_t m = 0; m < i; m++)
            k += strcmp(bases[m], base) == 0;
        if (k > 2)
            id = jmap_arena_printf(a, "%s-%u", base, k - 1);
        for (;; k++) {
            bool taken = false;
            for (size_t m = 0; m < i && !taken; m++)
                taken = strcmp(ids[m], id) == 0;
            if (!taken)
                break;
            id = jmap_arena_printf(a, "%s-%u", base, k);
        }
        ids[i] = id;
    }
    return ids;
}

static size_t find(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i], s) == 0)
            return i;
    }
    return n;
}

char *jmap_mermaid_to_yaml(const jmap_mermaid_journey *j, const char *file, const char *source,
                           size_t *len, jmap_diags *d)
{
    jmap_arena *a = jmap_arena_new();
    /* personas: the distinct actors in the order first seen */
    size_t n_actors = 0, cap = 0;
    const char **actors = NULL;
    for (size_t t = 0; t < j->n_tasks; t++) {
        for (size_t k = 0; k < j->tasks[t].n_actors; k++) {
            const char *name = j->tasks[t].actors[k];
            if (find(actors, n_actors, name) < n_actors)
                continue;
            actors = jmap_xgrow(actors, &cap, n_actors + 1, sizeof(*actors));
            actors[n_actors++] = name;
        }
    }
    bool placeholder = n_actors == 0;
    if (placeholder) {
        jmap_diag_add(d, JMAP_SEV_NOTE, "mermaid-no-actors", (jmap_loc){.file = file},
                      "no task names an actor; the map gets one persona, 'Everyone'");
        actors = jmap_xgrow(actors, &cap, 1, sizeof(*actors));
        actors[n_actors++] = "Everyone";
    }
    const char **persona_ids = unique_ids(a, actors, n_actors, "persona");
    const char **section_names = jmap_arena_calloc(a, j->n_sections + 1, sizeof(char *));
    for (size_t s = 0; s < j->n_sections; s++)
        section_names[s] = *j->sections[s].name ? j->sections[s].name : "Journey";
    const char **stage_ids = unique_ids(a, section_names, j->n_sections, "stage");

    const char *title = j->title && *j->title ? j->title : NULL;
    const char *subtitle = j->acc_descr && *j->acc_descr ? j->acc_descr : NULL;
    if (!title && j->acc_title && *j->acc_title)
        title = j->acc_title;
    else if (j->acc_title && *j->acc_title)
        jmap_diag_add(d, JMAP_SEV_NOTE, "mermaid-ignored", (jmap_loc){.file = file},
                      "accTitle not used: the map's title is the journey's title");
    if (!title)
        title = "Journey";

    jmap_buf buf = {0};
    char *who = source ? jmap_sanitize(source) : jmap_xstrdup("standard input");
    char *head = jmap_xprintf("# Imported by 'jmap import mermaid' from %s\n", who);
    free(who);
    jmap_buf_write(&buf, (const unsigned char *)head, strlen(head));
    free(head);

    writer w = {.ok = true};
    yaml_emitter_initialize(&w.e);
    yaml_emitter_set_output(&w.e, to_buf, &buf);
    yaml_emitter_set_unicode(&w.e, 1);
    yaml_emitter_set_width(&w.e, -1);
    yaml_emitter_set_break(&w.e, YAML_LN_BREAK);
    yaml_event_t ev;
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    emit(&w, &ev);
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    emit(&w, &ev);
    map_start(&w);
    str(&w, "jmap");
    num(&w, 1);
    pair(&w, "title", title);
    if (subtitle)
        pair(&w, "subtitle", subtitle);
    str(&w, "personas");
    seq_start(&w, false);
    for (size_t i = 0; i < n_actors; i++) {
        map_start(&w);
        pair(&w, "id", persona_ids[i]);
        pair(&w, "name", actors[i]);
        map_end(&w);
    }
    seq_end(&w);
    str(&w, "stages");
    seq_start(&w, false);
    for (size_t s = 0; s < j->n_sections; s++) {
        map_start(&w);
        pair(&w, "id", stage_ids[s]);
        pair(&w, "name", section_names[s]);
        map_end(&w);
    }
    seq_end(&w);
    if (j->n_tasks) {
        str(&w, "touchpoints");
        seq_start(&w, false);
    }
    for (size_t t = 0; t < j->n_tasks; t++) {
        const jmap_mermaid_task *tk = &j->tasks[t];
        map_start(&w);
        pair(&w, "stage", stage_ids[tk->section]);
        if (tk->n_actors == 1) {
            pair(&w, "persona", persona_ids[find(actors, n_actors, tk->actors[0])]);
        } else if (tk->n_actors > 1) {
            str(&w, "personas");
            seq_start(&w, true);
            for (size_t k = 0; k < tk->n_actors; k++)
                str(&w, persona_ids[find(actors, n_actors, tk->actors[k])]);
            seq_end(&w);
        }
        pair(&w, "name", tk->name);
        str(&w, "emotion");
        num(&w, tk->score - 3);
        map_end(&w);
    }
    if (j->n_tasks)
        seq_end(&w);
    map_end(&w);
    yaml_document_end_event_initialize(&ev, 1);
    emit(&w, &ev);
    yaml_stream_end_event_initialize(&ev);
    emit(&w, &ev);
    yaml_emitter_flush(&w.e);
    yaml_emitter_delete(&w.e);
    free(actors);
    jmap_arena_free(a);
    if (!w.ok) {
        jmap_diag_add(d, JMAP_SEV_ERROR, "mermaid-syntax", (jmap_loc){.file = file},
                      "the map could not be written as YAML");
        jmap_buf_release(&buf);
        return NULL;
    }
    jmap_buf_write(&buf, (const unsigned char *)"", 1);
    *len = buf.len - 1;
    return (char *)buf.data;
}

char *jmap_import_mermaid(const char *file, const char *source, const char *text, size_t len,
                          size_t *out_len, jmap_diags *d)
{
    jmap_diags_keep_source(d, file, text, len);
    jmap_arena *a = jmap_arena_new();
    jmap_mermaid_journey j;
    char *out = NULL;
    if (jmap_mermaid_parse(a, file, text, len, &j, d))
        out = jmap_mermaid_to_yaml(&j, file, source, out_len, d);
    jmap_arena_free(a);
    return out;
}
