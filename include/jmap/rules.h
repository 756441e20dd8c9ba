#ifndef JMAP_RULES_H
#define JMAP_RULES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The rules a single value of the format obeys: the words `state`, `theme`, `better` and
 * `lanes` accept, the range of `emotion` and `jmap`, the shape of ids and colours. One table,
 * read by the check pass (which reports a value that breaks its rule) and by the JSON Schema
 * generator (schema.c, which writes the same rule for editors), so the two cannot drift.
 * The loader's key tables (load.c) point at these rules; docs/format.md explains them.
 */

typedef struct jmap_value_rule {
    const char *const *words; /* the value is one of these words; NULL: any */
    size_t n_words;
    const char *expected; /* the words as a message names them: "'current' or 'future'" */
    bool ranged;          /* a number in [min, max] */
    double min, max;
    bool integer;        /* a whole number */
    bool nonblank;       /* not empty and not only whitespace */
    const char *pattern; /* a regular expression the whole value matches (ECMA-262 and POSIX
                            ERE alike); the check pass tests it in C (check_value.c) */
} jmap_value_rule;

extern const jmap_value_rule jmap_rule_text;     /* free text: no rule */
extern const jmap_value_rule jmap_rule_nonblank; /* text that says something: title, names */
extern const jmap_value_rule jmap_rule_id;       /* persona, stage and stage-model ids */
extern const jmap_value_rule jmap_rule_kpi_id;   /* KPI ids: ids that may hold '.' too */
extern const jmap_value_rule jmap_rule_ref;      /* a reference to an id: touchpoint stage */
extern const jmap_value_rule jmap_rule_color;    /* `color` */
extern const jmap_value_rule jmap_rule_url;      /* `url` (the schema's pattern is a guide;
                                                    check_url is the authority) */
extern const jmap_value_rule jmap_rule_lang;     /* `lang`: a BCP 47 tag's form */
extern const jmap_value_rule jmap_rule_state;    /* `state` */
extern const jmap_value_rule jmap_rule_theme;    /* `theme` */
extern const jmap_value_rule jmap_rule_better;   /* `better` */
extern const jmap_value_rule jmap_rule_lane;     /* each item of `lanes` */
extern const jmap_value_rule jmap_rule_emotion;  /* `emotion` */
extern const jmap_value_rule jmap_rule_version;  /* `jmap` */

#endif
