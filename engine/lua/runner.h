#ifndef ECP_LUA_RUNNER_H
#define ECP_LUA_RUNNER_H

#include "lua/host.h"
#include "lua/policy.h"
#include "report/results.h"

/*
 * Evaluating policies: every policy's check on every resource it names,
 * each call under the limits, each outcome recorded in the report.  A
 * Lua error becomes an error result for that resource; a policy that
 * breaks its time or memory limit is stopped, and its remaining resources
 * get error results; regions where the policy's data is incomplete get an
 * unknown result.  Nothing a policy does stops the run.
 */

struct ecp_run_options {
    struct ecp_limits limits;
    double now;             /* seconds since the epoch, for ctx.now */
    int plans;              /* call remediate for every fail result */
};

void ecp_run(struct ecp_host *h, const struct ecp_policies *policies,
             int model_ref, const struct ecp_run_options *opts,
             struct ecp_report *report);

#endif
