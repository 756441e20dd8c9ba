#ifndef JMAP_BENCH_GEN_MAP_H
#define JMAP_BENCH_GEN_MAP_H

#include <stddef.h>
#include <stdio.h>

#include <stdbool.h>

/* Write a valid map with `n` touchpoints spread over the stages of the classic model, three
 * personas, realistic text lengths, emotions and KPIs. Deterministic for a given n. `light`
 * keeps only each touchpoint's name, action and emotion (two texts, like the prototype's one
 * text per card), to show how much of the cost is the amount of text. */
void gen_map(FILE *out, size_t n, bool light);

#endif
