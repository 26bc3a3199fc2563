#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fs.h"
#include "util/mem.h"

int ecp_read_file(const char *path, size_t max, char **out, size_t *len,
                  struct ecp_err *err)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *data;
    size_t n;

    if (!f)
        return ecp_err_set(err, "%s: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return ecp_err_set(err, "%s: not a regular file", path);
    }
    if ((unsigned long long)st.st_size > max) {
        fclose(f);
        return ecp_err_set(err, "%s: file is larger than %zu bytes", path,
                           max);
    }
    data = ecp_malloc((size_t)st.st_size + 1);
    n = fread(data, 1, (size_t)st.st_size, f);
    if (ferror(f)) {
        int e = errno;
        fclose(f);
        free(data);
        return ecp_err_set(err, "%s: %s", path, strerror(e));
    }
    fclose(f);
    data[n] = '\0';
    *out = data;
    if (len)
        *len = n;
    return 0;
}

int ecp_is_special(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

int ecp_write_file(const char *path, const char *data, size_t len,
                   struct ecp_err *err)
{
    char *tmp;
    FILE *f;
    int ok;

    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return ecp_err_set(err, "stdout: %s", strerror(errno));
        return 0;
    }
    /* /dev/null, a FIFO, a terminal: write to it; renaming a temporary
     * over it would replace the device with a file. */
    if (ecp_is_special(path)) {
        f = fopen(path, "wb");
        if (!f)
            return ecp_err_set(err, "%s: %s", path, strerror(errno));
        ok = fwrite(data, 1, len, f) == len;
        ok = (fclose(f) == 0) && ok;
        return ok ? 0 : ecp_err_set(err, "%s: %s", path, strerror(errno));
    }
    tmp = ecp_asprintf("%s.tmp.%ld", path, (long)getpid());
    f = fopen(tmp, "wb");
    if (!f) {
        ecp_err_set(err, "%s: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        ecp_err_set(err, "%s: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

int ecp_can_write(const char *path)
{
    const char *slash;
    char *dir;
    int ok;

    /* As ecp_write_file writes: a device or FIFO in place; anything else
     * through a temporary beside it, renamed over it, for which the
     * folder must be writable, whatever the old file's own mode. */
    if (ecp_is_dir(path))
        return 0;
    if (ecp_is_special(path))
        return access(path, W_OK) == 0;
    slash = strrchr(path, '/');
    if (!slash)
        return access(".", W_OK) == 0;
    dir = slash == path ? ecp_strdup("/") : ecp_strndup(path,
                                                        (size_t)(slash - path));
    ok = ecp_is_dir(dir) && access(dir, W_OK) == 0;
    free(dir);
    return ok;
}

int ecp_is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int ecp_is_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int ecp_list_dir(const char *path, char ***names, size_t *count,
                 struct ecp_err *err)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char **v = NULL;
    size_t n = 0, cap = 0;

    if (!d)
        return ecp_err_set(err, "%s: %s", path, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n + 2 > cap) {
            cap = cap ? cap * 2 : 16;
            v = ecp_realloc(v, cap * sizeof *v);
        }
        v[n++] = ecp_strdup(e->d_name);
    }
    closedir(d);
    if (!v)
        v = ecp_calloc(1, sizeof *v);
    qsort(v, n, sizeof *v, cmp_names);
    v[n] = NULL;
    *names = v;
    if (count)
        *count = n;
    return 0;
}

void ecp_free_names(char **names)
{
    if (!names)
        return;
    for (char **p = names; *p; p++)
        free(*p);
    free(names);
}

char *ecp_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir);

    if (n && dir[n - 1] == '/')
        return ecp_asprintf("%s%s", dir, name);
    return ecp_asprintf("%s/%s", dir, name);
}

char *ecp_exe_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    char *slash;

    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    slash = strrchr(buf, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return ecp_strdup(buf[0] ? buf : "/");
}
