#include "jmap/rules.h"

#include "jmap/model.h"

/* See include/jmap/rules.h. Patterns use only what ECMA-262 (JSON Schema) and POSIX ERE
 * (the tests compare them with the C checks) read alike. */

static const char *const state_words[] = {"current", "future"};
static const char *const theme_words[] = {"light", "dark", "print"};
static const char *const better_words[] = {"higher", "lower"};

#define NONE NULL, 0, NULL
/* clang-format off */
const jmap_value_rule jmap_rule_text = {NONE, false, 0, 0, false, false, NULL};
const jmap_value_rule jmap_rule_nonblank = {NONE, false, 0, 0, false, true, NULL};
const jmap_value_rule jmap_rule_id = {NONE, false, 0, 0, false, true, "^[a-z0-9][a-z0-9_-]*$"};
/* KPI ids name rows of exported data ("checkout.conversion"), so '.' is allowed too. */
const jmap_value_rule jmap_rule_kpi_id = {NONE, false, 0, 0, false, true,
                                          "^[a-z0-9][a-z0-9_.-]*$"};
const jmap_value_rule jmap_rule_ref = {NONE, false, 0, 0, false, true, NULL};
const jmap_value_rule jmap_rule_color = {NONE, false, 0, 0, false, false,
                                         "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"};
const jmap_value_rule jmap_rule_url = {NONE, false, 0, 0, false, false,
    "^([hH][tT][tT][pP][sS]?://([^/?#@ ]*@)?[^/?#@: ]|[mM][aA][iI][lL][tT][oO]:[^ ])[^ ]*$"};
/* BCP 47's form (RFC 5646 langtag): a language of 2-8 letters, then optionally a script (4
 * letters), a region (2 letters or 3 digits) and variants (5-8 letters or digits, or a digit
 * and 3 more); any case. Extensions and private use are not taken: jmap only passes the tag on
 * (xml:lang, the PDF's /Lang, Pango) and these are what those use. */
const jmap_value_rule jmap_rule_lang = {NONE, false, 0, 0, false, false,
    "^[A-Za-z]{2,8}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?"
    "(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$"};
const jmap_value_rule jmap_rule_state = {state_words, 2, "'current' or 'future'",
                                         false, 0, 0, false, false, NULL};
const jmap_value_rule jmap_rule_theme = {theme_words, 3, "'light', 'dark' or 'print'",
                                         false, 0, 0, false, false, NULL};
const jmap_value_rule jmap_rule_better = {better_words, 2, "'higher' or 'lower'",
                                          false, 0, 0, false, false, NULL};
const jmap_value_rule jmap_rule_lane = {jmap_lane_names, JMAP_LANE_COUNT, NULL,
                                        false, 0, 0, false, false, NULL};
const jmap_value_rule jmap_rule_emotion = {NULL, 0, NULL, true, -2, 2, false, false, NULL};
const jmap_value_rule jmap_rule_version = {NULL, 0, NULL, true, 1, JMAP_FORMAT_VERSION, true,
                                           false, NULL};
/* clang-format on */
