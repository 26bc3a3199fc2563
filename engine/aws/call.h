#ifndef ECP_AWS_CALL_H
#define ECP_AWS_CALL_H

#include <stdio.h>

#include <cJSON.h>

#include "aws/creds.h"
#include "aws/http.h"
#include "aws/retry.h"
#include "aws/xml.h"
#include "util/buf.h"

/*
 * One AWS API call of the Query family (ElastiCache, STS: Query; EC2: the
 * EC2 flavour) or of the JSON protocol (the tagging API), over the HTTP
 * transport: the form body, SigV4 on every
 * attempt, the standard retry mode, a clock-skew correction, and the reply
 * parsed into the JSON the AWS CLI prints.  Callers (the fetch, STS) fill
 * a struct ecp_aws_call, start it, and get it back in finished().
 */

/* AWS throttles each account per region and service, so calls to one
 * endpoint in one region (a lane) run at most ECP_AWS_PER_LANE at a time,
 * as the SDKs' connection pools do, while the HTTP client's max_parallel
 * bounds them all together.  Calls over a lane's share wait in the lane,
 * in the order they were started. */
#define ECP_AWS_PER_LANE 10

struct ecp_aws_call;

struct ecp_aws_lane {
    char *key;                      /* region, a newline, endpoint */
    int running;
    struct ecp_aws_call *head, *tail;
};

struct ecp_aws_client {
    struct ecp_http_client *http;
    const struct ecp_creds *creds;  /* not owned; must outlive the calls;
                                     * NULL: unsigned requests */
    struct ecp_retry retry;
    long clock_skew;                /* seconds to add to the local clock */
    FILE *log;                      /* -v: one line per call; NULL: none */
    int per_lane;                   /* 0: ECP_AWS_PER_LANE */
    struct ecp_aws_lane *lanes;     /* the engine's own */
    size_t nlanes;
};

enum ecp_aws_outcome {
    ECP_AWS_OK,
    ECP_AWS_DENIED,      /* AccessDenied, UnauthorizedOperation... */
    ECP_AWS_REJECTED,    /* the credentials were refused or expired */
    ECP_AWS_THROTTLED,   /* still throttled when the attempts ran out */
    ECP_AWS_TIMEOUT,
    ECP_AWS_MALFORMED,   /* a 200 reply that does not parse */
    ECP_AWS_FAILED       /* anything else: another error code, no reply */
};

struct ecp_aws_call {
    /* Filled by the caller before ecp_aws_call_start. */
    const char *service;        /* "elasticache", "ec2", "sts" */
    const char *operation;      /* "DescribeCacheClusters" */
    const char *version;        /* "2015-02-02" */
    const char *region;         /* the signing region */
    const char *endpoint;       /* "https://elasticache.us-east-1.amazonaws.com" */
    struct ecp_buf params;      /* Query: "Name=value&..." after Action and
                                 * Version, built with ecp_form_add (may be
                                 * empty); JSON protocol: the JSON body */
    const char *target;         /* JSON protocol (awsJson1_1): the
                                 * X-Amz-Target value; NULL: Query */
    const char *signing_name;   /* SigV4 service name; NULL: service */
    void (*finished)(struct ecp_aws_call *call);
    void *ud;

    /* The outcome, valid in finished(). */
    enum ecp_aws_outcome outcome;
    cJSON *reply;               /* ECP_AWS_OK: the parsed reply; finished()
                                 * may take it (set it to NULL) */
    struct ecp_aws_error error; /* the AWS error, when there was one */
    long status;                /* the last HTTP status (0: none) */
    int attempts;
    double seconds;             /* all attempts together */
    char message[1200];         /* for people: "AccessDenied: User ... is
                                 * not authorized ..."; no secrets */

    /* The engine's own. */
    struct ecp_aws_client *client;
    struct ecp_buf body;
    char *url;
    char *headers[7];
    struct ecp_retry_call retry_state;
    int skew_corrected;
    size_t lane;                    /* index in client->lanes */
    struct ecp_aws_call *lane_next; /* waiting in the lane */
};

/* Start the call; finished() runs from inside ecp_http_run.  Returns -1
 * and fills call->message when the call cannot even be started (a bad
 * endpoint URL). */
int ecp_aws_call_start(struct ecp_aws_client *c, struct ecp_aws_call *call);

/* Free the client's lanes (after ecp_http_run; the http client and the
 * creds stay the caller's). */
void ecp_aws_client_clear(struct ecp_aws_client *c);

/* Free what the call holds (params, reply, buffers); the struct itself is
 * the caller's. */
void ecp_aws_call_clear(struct ecp_aws_call *call);

/* "ok", "access denied", ... for messages. */
const char *ecp_aws_outcome_name(enum ecp_aws_outcome o);

#endif
