#ifndef ECP_AWS_PROFILE_H
#define ECP_AWS_PROFILE_H

#include <stddef.h>

#include "util/err.h"

/*
 * The AWS shared config file (~/.aws/config) and credentials file
 * (~/.aws/credentials), read the way botocore reads them (Python's
 * configparser plus botocore's configloader.py):
 *
 *   - "#" or ";" starts a comment only at the start of a line (after
 *     blanks).  After a value it is part of the value: "region = x # y"
 *     is "x # y".  A section header may be followed by anything after its
 *     closing "]".
 *   - "key = value" or "key: value"; keys are case-insensitive (stored in
 *     lower case), surrounding blanks are dropped.
 *   - A line indented deeper than its key's line continues the value
 *     (joined with "\n"); a key whose value starts on the next line holds
 *     sub-properties instead ("elasticache =" then "  endpoint_url = ...").
 *   - Config file: [default], [profile NAME], [sso-session NAME],
 *     [services NAME] (NAME split like shell words, so it may be quoted).
 *     Credentials file: [NAME] is profile NAME.
 *   - Lines end in LF, CRLF or CR; a UTF-8 byte order mark is skipped.
 *
 * Where botocore refuses a file that repeats a section or a key, ecpolicy
 * reads it as the other AWS SDKs do: the later value wins, key by key.
 * A missing file is not an error: it has no sections.
 *
 * Parse errors name the file and line and never quote the line, which may
 * hold a secret key.
 */

enum ecp_profile_kind {
    ECP_PROFILE_CONFIG,         /* ~/.aws/config */
    ECP_PROFILE_CREDENTIALS     /* ~/.aws/credentials */
};

enum ecp_section_kind {
    ECP_SECTION_PROFILE,        /* [default], [profile x]; any [x] in the
                                 * credentials file */
    ECP_SECTION_SSO_SESSION,    /* [sso-session x] */
    ECP_SECTION_SERVICES,       /* [services x] */
    ECP_SECTION_OTHER           /* anything else: ignored, as botocore does */
};

struct ecp_profile_prop {
    char *key;          /* lower case; sub-property keys as written */
    char *value;        /* never NULL; "" for a block of sub-properties */
    struct ecp_profile_prop *subs;
    size_t nsubs;
    int line;
};

struct ecp_profile_section {
    enum ecp_section_kind kind;
    char *name;         /* profile, sso-session or services name */
    int line;
    struct ecp_profile_prop *props;
    size_t nprops;
};

struct ecp_profile_file {
    char *path;         /* as read; NULL when no path was given */
    int found;          /* 0: the file does not exist */
    struct ecp_profile_section *sections;   /* in file order */
    size_t nsections;
};

/* Both files.  A zeroed struct is two empty files. */
struct ecp_aws_files {
    struct ecp_profile_file config;
    struct ecp_profile_file credentials;
};

/* Where a value was found, for messages. */
struct ecp_profile_where {
    const char *path;   /* points into the ecp_profile_file */
    int line;
};

/*
 * Parse text (len bytes, NUL bytes refused) as a file of that kind into
 * *out, which the caller then owns (ecp_profile_file_free).  path is only
 * used in messages and kept in out->path.  Returns 0, or -1 with "PATH:LINE:
 * why" in err and *out left empty.
 */
int ecp_profile_parse(struct ecp_profile_file *out, enum ecp_profile_kind kind,
                      const char *path, const char *text, size_t len,
                      struct ecp_err *err);

/*
 * Read and parse the file at path.  A path that does not exist (or is
 * NULL) gives an empty file with found = 0 and returns 0; a file that
 * cannot be read, is not a regular file, or is larger than 4 MiB is an
 * error naming it.
 */
int ecp_profile_load(struct ecp_profile_file *out, enum ecp_profile_kind kind,
                     const char *path, struct ecp_err *err);

/* Free everything the file holds; *f becomes an empty file. */
void ecp_profile_file_free(struct ecp_profile_file *f);

/* Load both files (either path may be NULL: no such file).  On error both
 * are left empty. */
int ecp_aws_files_load(struct ecp_aws_files *f, const char *config_path,
                       const char *credentials_path, struct ecp_err *err);

/* Free both files; *f becomes two empty files. */
void ecp_aws_files_free(struct ecp_aws_files *f);

/*
 * The property key of section (kind, name) in one file, the last one
 * written if the section or the key repeats; NULL if none.  Fills *where
 * when where is not NULL.  The result points into the file.
 */
const struct ecp_profile_prop *
ecp_profile_file_prop(const struct ecp_profile_file *file,
                      enum ecp_section_kind kind, const char *name,
                      const char *key, struct ecp_profile_where *where);

/* The file has a section (kind, name). */
int ecp_profile_file_has(const struct ecp_profile_file *file,
                         enum ecp_section_kind kind, const char *name);

/*
 * The value of key in profile name: the credentials file wins over the
 * config file, key by key (botocore merges the two that way).  NULL when
 * neither file sets it.  The result points into f.
 */
const char *ecp_profile_get(const struct ecp_aws_files *f, const char *name,
                            const char *key, struct ecp_profile_where *where);

/* Either file has the profile. */
int ecp_profile_exists(const struct ecp_aws_files *f, const char *name);

/* A sub-property of a property, the last one if it repeats; NULL if none. */
const struct ecp_profile_prop *
ecp_profile_sub(const struct ecp_profile_prop *prop, const char *key);

/*
 * Split s into words as a POSIX shell would, without expanding anything
 * (Python's shlex.split, which botocore uses for credential_process and
 * [profile NAME] headers): blanks separate words, '...' is literal, "..."
 * keeps backslash-escaped " and \, and a backslash outside quotes escapes
 * any character.  *argv is a NULL-terminated array the caller frees with
 * ecp_words_free; *argc (if not NULL) counts the words.  Returns 0, or -1
 * with err set for an unclosed quote or a trailing backslash.
 */
int ecp_shell_split(const char *s, char ***argv, size_t *argc,
                    struct ecp_err *err);

/* Free the words of ecp_shell_split (NULL is fine). */
void ecp_words_free(char **argv);

#endif
