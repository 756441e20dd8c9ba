#ifndef JMAP_SUMMARY_H
#define JMAP_SUMMARY_H

#include "jmap/model.h"

/*
 * What a map says, in words, for the people and tools that cannot look at it: screen readers
 * (the SVG's <title>/<desc>), search (the PDF's Title, Subject and Keywords; the PNG's Title and
 * Description chunks). Built from a resolved (and data-joined) model; plain UTF-8 text, no
 * markup, deterministic. Each result is on the heap: the caller frees it.
 */

/** The map's title and state: "First online grocery order (current state)". */
char *jmap_summary_title(const jmap_map *map);

/** A plain-language summary: the stage model and its stages in order, the personas, how many
 * touchpoints, each persona's lowest and highest moments (touchpoint and stage), the number of
 * pain points, and which KPIs are off track. */
char *jmap_summary(const jmap_map *map);

/** The stages' and personas' names, comma-separated, for the PDF's Keywords. */
char *jmap_summary_keywords(const jmap_map *map);

/** A persona as the summary names it: "Maya (Busy parent)". For a one-persona view. */
char *jmap_summary_persona(const jmap_persona *p);

#endif
