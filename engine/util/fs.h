#ifndef ECP_UTIL_FS_H
#define ECP_UTIL_FS_H

#include <stddef.h>

#include "util/err.h"

/* Read a whole file into a fresh NUL-terminated buffer (free() it).  Files
 * larger than max bytes are refused rather than read. */
int ecp_read_file(const char *path, size_t max, char **out, size_t *len,
                  struct ecp_err *err);

/* Write a whole file through a temporary beside it and rename(2), so a
 * reader never sees half a file.  "-" writes to stdout; a path that is
 * not a regular file (/dev/null, a FIFO) is written to directly. */
int ecp_write_file(const char *path, const char *data, size_t len,
                   struct ecp_err *err);

/* The path exists and is not a regular file (a device, a FIFO, a
 * directory). */
int ecp_is_special(const char *path);

int ecp_is_dir(const char *path);

/* Could ecp_write_file write path: a writable device or FIFO, or a file
 * (new or not) in a writable folder? */
int ecp_can_write(const char *path);
int ecp_is_file(const char *path);

/* The names in a directory (no "." or ".."), sorted bytewise, as a
 * NULL-terminated array; free with ecp_free_names. */
int ecp_list_dir(const char *path, char ***names, size_t *count,
                 struct ecp_err *err);
void ecp_free_names(char **names);

/* "dir/name", freshly allocated. */
char *ecp_path_join(const char *dir, const char *name);

/* The directory holding the running executable (from /proc/self/exe),
 * freshly allocated, or NULL. */
char *ecp_exe_dir(void);

#endif
