#ifndef ECP_REMEDIATE_PLAN_H
#define ECP_REMEDIATE_PLAN_H

#include <stddef.h>

#include <cJSON.h>

/*
 * Remediation plans (docs/remediation.md): what a policy's remediate
 * returned, as JSON, checked field by field and completed by the engine:
 * the plan's kind from its steps, and for every API call, wait and backout
 * the region and the equivalent aws CLI command, so that the command
 * shown can never disagree with the call.
 */

/* Check plan and complete it in place.  region is the resource's.
 * Returns 0, or -1 with why naming the field ("steps[2].backout: ..."). */
int ecp_plan_complete(cJSON *plan, const char *region, char *why,
                      size_t size);

/* The AWS CLI's name for an API action or member, as botocore's
 * xform_name(name, "-") makes it: "ModifyReplicationGroup" ->
 * "modify-replication-group", "MultiAZEnabled" -> "multi-az-enabled".
 * Freshly allocated. */
char *ecp_cli_name(const char *name);

#endif
