#ifndef ECP_COLLECT_JSONFILE_H
#define ECP_COLLECT_JSONFILE_H

#include <cJSON.h>

#include "util/err.h"

/* The largest input file read: inventories of 100k caches run to hundreds
 * of megabytes, and anything far beyond is more likely a mistake. */
#define ECP_INPUT_MAX_BYTES ((size_t)4 << 30)

/*
 * Read and parse one JSON input file.  Returns the tree (the caller owns
 * it: cJSON_Delete), or NULL with a message naming the file: syntax errors
 * as "FILE:LINE:COLUMN: invalid JSON" (columns count bytes), and plain
 * words for an empty file, a NUL byte or UTF-16 text.
 */
cJSON *ecp_json_read_file(const char *path, struct ecp_err *err);

/* What a value is, for messages: "an object", "an array", "a string",
 * "a number", "true", "false", "null". */
const char *ecp_json_kind(const cJSON *v);

#endif
