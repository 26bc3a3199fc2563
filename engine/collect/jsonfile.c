#include <stdlib.h>
#include <string.h>

#include "collect/jsonfile.h"
#include "util/fs.h"

static int only_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

static int syntax_error(const char *path, const char *text, size_t len,
                        const char *at, struct ecp_err *err)
{
    size_t off = at && at >= text ? (size_t)(at - text) : 0;
    size_t line = 1, col = 1;

    /* cJSON points at the terminating NUL when it ran out of text */
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    return ecp_err_set(err, "%s:%zu:%zu: invalid JSON%s", path, line, col,
                       off >= len ? " (the file ends too early)" : "");
}

cJSON *ecp_json_read_file(const char *path, struct ecp_err *err)
{
    char *data, *text;
    size_t len;
    const char *end = NULL;
    cJSON *root;

    if (ecp_read_file(path, ECP_INPUT_MAX_BYTES, &data, &len, err) != 0)
        return NULL;
    text = data;
    if (len >= 2 && ((unsigned char)text[0] == 0xff ||
                     (unsigned char)text[0] == 0xfe) &&
        ((unsigned char)text[1] == 0xff || (unsigned char)text[1] == 0xfe)) {
        ecp_err_set(err, "%s: the file is UTF-16 text; save it as UTF-8 "
                    "(PowerShell: add '| Out-File -Encoding utf8')", path);
        free(data);
        return NULL;
    }
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    if (only_space(text, len)) {
        ecp_err_set(err, "%s: the file is empty; expected JSON as "
                    "'aws ... --output json' prints it (if the command "
                    "failed, delete the file: an absent file counts as not "
                    "collected)", path);
        free(data);
        return NULL;
    }
    if (memchr(text, '\0', len)) {
        ecp_err_set(err, "%s: a NUL byte at offset %zu; not JSON text", path,
                    (size_t)((char *)memchr(text, '\0', len) - data));
        free(data);
        return NULL;
    }
    /* The length includes the NUL, which is how cJSON wants it when it is
     * told to reject text after the value. */
    root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (!root)
        syntax_error(path, text, len, end, err);
    free(data);
    return root;
}

const char *ecp_json_kind(const cJSON *v)
{
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsTrue(v))
        return "true";
    if (cJSON_IsFalse(v))
        return "false";
    if (cJSON_IsNull(v))
        return "null";
    return "an invalid value";
}
