#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "aws/xml_expat.h"

/* The text of one field is read up to this many bytes (the fields are
 * smaller; the rest would be cut anyway). */
#define FIELD_READ 4096

enum envelope {
    NOT_YET,
    QUERY,      /* <ErrorResponse><Error>...</Error><RequestId/> (moto:
                 * <ErrorResponse><Errors><Error>...) */
    EC2         /* <Response><Errors><Error>...</Error></Errors><RequestID/> */
};

struct error_reader {
    struct ecp_xml_guard guard;     /* first: see xml_expat.h */
    struct ecp_aws_error *out;
    enum envelope kind;
    size_t depth;
    int in_errors;                  /* EC2: inside <Errors> */
    int in_error;                   /* inside the first <Error> */
    int error_done;                 /* the first <Error> has been read */
    char *field;                    /* the field being read, or NULL */
    size_t field_size, field_depth;
    char text[FIELD_READ];
    size_t len;
    int failed;
};

static void stop(struct error_reader *r)
{
    r->failed = 1;
    XML_StopParser(r->guard.parser, XML_FALSE);
}

static void open_field(struct error_reader *r, char *field, size_t size)
{
    r->field = field;
    r->field_size = size;
    r->field_depth = r->depth;
    r->len = 0;
}

/* Into the field: control characters (line breaks, tabs, and the C1
 * controls some terminals obey, U+0080 to U+009F) become spaces, and
 * surrounding whitespace goes.  XML itself admits no other C0 control. */
static void close_field(struct error_reader *r)
{
    unsigned char *t = (unsigned char *)r->text;
    size_t a = 0, b = 0;

    for (size_t i = 0; i < r->len; i++) {
        if (t[i] == 0xC2 && i + 1 < r->len && t[i + 1] >= 0x80 &&
            t[i + 1] <= 0x9F) {
            t[b++] = ' ';
            i++;
        } else {
            t[b++] = t[i] < 0x20 || t[i] == 0x7F ? ' ' : t[i];
        }
    }
    while (a < b && t[a] == ' ')
        a++;
    while (b > a && t[b - 1] == ' ')
        b--;
    ecp_xml_copy_utf8(r->field, r->field_size, r->text + a, b - a);
    r->field = NULL;
}

static void XMLCALL on_start(void *user, const XML_Char *name,
                             const XML_Char **atts)
{
    struct error_reader *r = user;
    const char *local = ecp_xml_local(name);
    size_t error_depth;

    (void)atts;
    if (r->failed)
        return;
    if (++r->depth > ECP_XML_MAX_DEPTH) {
        stop(r);
        return;
    }
    if (r->depth == 1) {
        if (strcmp(local, "ErrorResponse") == 0)
            r->kind = QUERY;
        else if (strcmp(local, "Response") == 0)
            r->kind = EC2;
        else
            stop(r);
        return;
    }
    if (r->field)       /* an element inside a field: its text is not ours */
        return;
    /* moto wraps Query errors in <Errors> as EC2 does; accept either. */
    error_depth = r->in_errors ? 3 : 2;
    if (r->depth == 2 && strcmp(local, "Errors") == 0) {
        r->in_errors = 1;
    } else if (r->depth == 2 && (strcmp(local, "RequestId") == 0 ||
                                 (r->kind == EC2 &&
                                  strcmp(local, "RequestID") == 0))) {
        open_field(r, r->out->request_id, sizeof r->out->request_id);
    } else if (r->depth == error_depth && !r->error_done &&
               (r->kind == QUERY || r->in_errors) &&
               strcmp(local, "Error") == 0) {
        r->in_error = 1;
    } else if (r->depth == error_depth + 1 && r->in_error) {
        if (strcmp(local, "Code") == 0)
            open_field(r, r->out->code, sizeof r->out->code);
        else if (strcmp(local, "Message") == 0)
            open_field(r, r->out->message, sizeof r->out->message);
        else if (strcmp(local, "Type") == 0 && r->kind == QUERY)
            open_field(r, r->out->type, sizeof r->out->type);
    }
}

static void XMLCALL on_text(void *user, const XML_Char *s, int len)
{
    struct error_reader *r = user;
    size_t n = (size_t)len;

    if (r->failed || !r->field || r->depth != r->field_depth)
        return;
    if (n > sizeof r->text - r->len)
        n = sizeof r->text - r->len;
    memcpy(r->text + r->len, s, n);
    r->len += n;
}

static void XMLCALL on_end(void *user, const XML_Char *name)
{
    struct error_reader *r = user;

    (void)name;
    if (r->failed)
        return;
    if (r->field && r->depth == r->field_depth)
        close_field(r);
    if (r->in_error && r->depth == (r->in_errors ? 3u : 2u)) {
        r->in_error = 0;
        r->error_done = 1;
    }
    if (r->in_errors && r->depth == 2)
        r->in_errors = 0;
    r->depth--;
}

int ecp_xml_error(const char *body, size_t len, struct ecp_aws_error *out)
{
    struct error_reader *r;
    XML_Parser p;
    int ok;

    memset(out, 0, sizeof *out);
    if (len == 0 || len > ECP_XML_MAX_BYTES)
        return -1;
    r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    r->out = out;
    p = ecp_xml_parser_new(&r->guard);
    if (!p) {
        free(r);
        return -1;
    }
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    ok = XML_Parse(p, body, (int)len, XML_TRUE) == XML_STATUS_OK &&
         !r->failed && !r->guard.doctype && r->kind != NOT_YET &&
         out->code[0] != '\0';
    XML_ParserFree(p);
    free(r);
    if (!ok) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    return 0;
}
