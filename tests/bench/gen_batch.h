#ifndef JMAP_BENCH_GEN_BATCH_H
#define JMAP_BENCH_GEN_BATCH_H

#include <stdbool.h>
#include <stddef.h>

/* A batch of distinct realistic maps for the -j rows: each of `n_examples` example maps
 * (paths) written `variants` times into `dir` as NAME-vK.yaml, with the variant's number
 * added to its title and to every text a reader sees (names, actions, thoughts, pains,
 * opportunities, goals, roles, descriptions, backstage notes), so that no two maps of the
 * batch share a text and no measuring cache makes the batch look cheaper than real work. Ids,
 * emotions, numbers and channels are left as they are, so each variant passes `jmap check` as
 * its example does. The paths written are put in paths[0..n_examples * variants), which the
 * caller frees. False, with errno set, when a file cannot be read or written. */
bool gen_batch(const char *const *examples, size_t n_examples, int variants, const char *dir,
               char **paths);

#endif
