/*
 * The floor for "ecpolicy inventory": read every *.json file of a saved
 * AWS CLI folder (DIR/account.json and DIR/REGION/NAME.json) and parse it with
 * cJSON, the way engine/collect/jsonfile.c does (whole file in memory,
 * cJSON_ParseWithLengthOpts), then free it.  No validation, no model, no
 * Lua.  Files are parsed one at a time, so peak memory is that of the
 * largest file's text plus its tree.
 *
 *   parse_only DIR        prints "files N bytes B nodes K"
 *
 * Built by bench/run.sh:  cc -O2 parse_only.c $(pkg-config --cflags --libs libcjson)
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>

static unsigned long long files, bytes, nodes;

static void count(const cJSON *v)
{
    for (; v; v = v->next) {
        nodes++;
        if (v->child)
            count(v->child);
    }
}

static int parse_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *text;
    size_t n;
    cJSON *root;

    if (!f || fstat(fileno(f), &st) != 0) {
        perror(path);
        if (f)
            fclose(f);
        return -1;
    }
    text = malloc((size_t)st.st_size + 1);
    if (!text) {
        fclose(f);
        return -1;
    }
    n = fread(text, 1, (size_t)st.st_size, f);
    fclose(f);
    text[n] = '\0';
    root = cJSON_ParseWithLengthOpts(text, n + 1, NULL, 1);
    free(text);
    if (!root) {
        fprintf(stderr, "%s: invalid JSON\n", path);
        return -1;
    }
    count(root);
    cJSON_Delete(root);
    files++;
    bytes += n;
    return 0;
}

static int ends_with_json(const char *name)
{
    size_t n = strlen(name);

    return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static int walk(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = 0;

    if (!d) {
        perror(dir);
        return -1;
    }
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth == 0)
            rc = walk(path, 1);
        else if (S_ISREG(st.st_mode) && ends_with_json(e->d_name))
            rc = parse_file(path);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: parse_only DIR\n");
        return 2;
    }
    if (walk(argv[1], 0) != 0)
        return 1;
    printf("files %llu bytes %llu nodes %llu\n", files, bytes, nodes);
    return 0;
}
