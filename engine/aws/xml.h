#ifndef ECP_AWS_XML_H
#define ECP_AWS_XML_H

#include <stddef.h>

#include <cJSON.h>

#include "collect/shapes.h"
#include "util/err.h"

/*
 * The XML replies of the AWS Query protocol (ElastiCache, STS) and the EC2
 * protocol, read into the JSON the AWS CLI prints for them, so that live
 * collection and saved CLI output give the policies one model.  The reading
 * is driven by the shape table (collect/shapes.h) and follows botocore's
 * parser:
 *
 *   - element names are matched by local name: the namespace (and its
 *     version) is ignored;
 *   - a structure is an object of the members it has; elements the model
 *     does not know (ResponseMetadata, requestId, newer members) are
 *     skipped with everything inside them;
 *   - every child of a list wrapper is one item, whatever it is called
 *     (member, item, CacheCluster, ClusterId...); a flattened list repeats
 *     the member element itself; an empty element is an empty list,
 *     object or string;
 *   - strings keep their text exactly, whitespace included; integers,
 *     longs, booleans (true/false), doubles and timestamps are trimmed,
 *     and timestamps come out in ecp_timestamp_normalize's canonical form;
 *   - the body is read as UTF-8 whatever its XML declaration says (as
 *     botocore does; AWS sends nothing else).
 *
 * Replies are hostile input.  A body larger than ECP_XML_MAX_BYTES, an
 * element nested deeper than ECP_XML_MAX_DEPTH, the text of one element
 * longer than ECP_XML_MAX_TEXT, and any DOCTYPE (so no entity tricks) are
 * refused.  Work is linear in the size of the body.
 *
 * Error messages name the reply, the place and the problem:
 *   "ec2 DescribeSecurityGroups reply: line 14, column 21: /DescribeSecurity
 *    GroupsResponse/securityGroupInfo/item[1]/ipPermissions/item[2]/
 *    fromPort: expected an integer (Integer)"
 * (columns count from 1; [N] counts list items from 1; the shape's name
 * closes a type error).  They never quote
 * the text of an element, so no secret a reply carries (STS credentials)
 * can leak into one.
 */

#define ECP_XML_MAX_BYTES ((size_t)64 << 20)
#define ECP_XML_MAX_DEPTH 64
#define ECP_XML_MAX_TEXT ((size_t)1 << 20)

/*
 * Parse the reply of service's operation ("elasticache",
 * "DescribeCacheClusters"; "ec2", "DescribeSecurityGroups"; "sts",
 * "GetCallerIdentity" / "AssumeRole") into the JSON object the AWS CLI
 * prints for it, e.g. {"CacheClusters": [...], "Marker": "abc"} or
 * {"SecurityGroups": [...], "NextToken": "x"}.  The root element must be
 * "<Operation>Response"; an AWS error envelope is an error here (read it
 * with ecp_xml_error).  Returns 0 and the tree in *out (the caller owns it:
 * cJSON_Delete), or -1 with *out NULL and err set.
 */
int ecp_xml_reply(const char *service, const char *operation,
                  const char *body, size_t len, cJSON **out,
                  struct ecp_err *err);

/* The same for an operation given by its row (ecp_shape_op_find's result,
 * or a row a test builds).  op and its shapes are only read. */
int ecp_xml_reply_op(const struct ecp_shape_op *op, const char *body,
                     size_t len, cJSON **out, struct ecp_err *err);

/*
 * One AWS error, as the reply's envelope gave it.  Each field is trimmed,
 * control characters become spaces, and text too long for a field is cut
 * at a character boundary.  Fields the envelope lacks are empty: EC2
 * errors have no type ("Sender" / "Receiver").
 */
struct ecp_aws_error {
    char code[128];
    char message[1024];
    char request_id[128];
    char type[16];
};

/*
 * The error envelope of either protocol: Query <ErrorResponse><Error>
 * <Type/><Code/><Message/></Error><RequestId/></ErrorResponse> and EC2
 * <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>
 * </Response> (the first Error only).  Returns 0 and fills *out when body
 * is well-formed XML of either form with a non-empty Code, -1 otherwise
 * (*out is then zeroed).  Same limits as ecp_xml_reply.
 */
int ecp_xml_error(const char *body, size_t len, struct ecp_aws_error *out);

#endif
