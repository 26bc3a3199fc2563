#ifndef ECP_VERSION_H
#define ECP_VERSION_H

#define ECP_VERSION "0.1.0"

/* Versions of the documents ecpolicy writes (docs/snapshot.md,
 * docs/results-json.md). */
#define ECP_RESULTS_SCHEMA "ecpolicy.results/1"

#endif
