#ifndef JMAP_BENCH_GEN_MAP_H
#define JMAP_BENCH_GEN_MAP_H

#include <stddef.h>
#include <stdio.h>

/* Write a valid map with `n` touchpoints spread over the stages of the classic model, three
 * personas, realistic text lengths, emotions and KPIs. Deterministic for a given n. */
void gen_map(FILE *out, size_t n);

#endif
