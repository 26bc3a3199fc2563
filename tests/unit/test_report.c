/* Results: names, counts and the exit-code rules. */
#include "harness.h"
#include "report/results.h"

static struct ecp_report fresh(void)
{
    struct ecp_report r = { 0 };
    r.fail_on = ECP_SEV_LOW;
    ecp_report_add_control(&r, "A", "a", "a.lua", "cache", ECP_SEV_HIGH);
    ecp_report_add_control(&r, "B", "b", "b.lua", "cache", ECP_SEV_INFO);
    ecp_report_add_resource(&r, "cache_cluster", "c1", NULL, "us-east-1");
    return r;
}

int main(void)
{
    struct ecp_report r;
    struct ecp_counts per[2], total;

    for (int s = 0; s < ECP_SEV_COUNT; s++)
        CHECK(ecp_severity_by_name(ecp_severity_name(s)) == s,
              "severity %s round-trips", ecp_severity_name(s));
    for (int o = 0; o < ECP_OUTCOME_COUNT; o++)
        CHECK(ecp_outcome_by_name(ecp_outcome_name(o)) == o,
              "outcome %s round-trips", ecp_outcome_name(o));
    CHECK(ecp_severity_by_name("severe") == -1, "an unknown severity is -1");
    CHECK(ecp_outcome_by_name("passed") == -1, "an unknown outcome is -1");

    r = fresh();
    CHECK(ecp_report_exit_code(&r) == 0, "no results: exit 0");
    ecp_report_add_result(&r, 0, 0, ECP_PASS, "ok", NULL);
    ecp_report_add_result(&r, 1, 0, ECP_NOT_APPLICABLE, "n/a", NULL);
    CHECK(ecp_report_exit_code(&r) == 0, "passes and n/a: exit 0");
    ecp_report_add_result(&r, 1, 0, ECP_FAIL, "info finding", NULL);
    CHECK(ecp_report_exit_code(&r) == 0, "an info fail under fail_on low: exit 0");
    r.fail_on = ECP_SEV_INFO;
    CHECK(ecp_report_exit_code(&r) == 1, "an info fail under fail_on info: exit 1");
    r.fail_on_none = 1;
    CHECK(ecp_report_exit_code(&r) == 0, "fail_on none: exit 0");
    r.fail_on_none = 0;
    r.fail_on = ECP_SEV_CRITICAL;
    ecp_report_add_result(&r, 0, 0, ECP_FAIL, "high finding", cJSON_CreateObject());
    CHECK(ecp_report_exit_code(&r) == 0, "a high fail under fail_on critical: exit 0");
    r.fail_on = ECP_SEV_HIGH;
    CHECK(ecp_report_exit_code(&r) == 1, "a high fail under fail_on high: exit 1");
    ecp_report_add_result(&r, 0, 0, ECP_UNKNOWN, "not collected", NULL);
    CHECK(ecp_report_exit_code(&r) == 3, "unknown wins over fail: exit 3");
    r.fail_on_none = 1;
    CHECK(ecp_report_exit_code(&r) == 3, "unknown gives 3 even with fail_on none");

    ecp_report_count(&r, per, &total);
    CHECK(total.total == 5, "five results counted");
    CHECK(total.by_outcome[ECP_FAIL] == 2, "two fails");
    CHECK(total.fail_by_severity[ECP_SEV_HIGH] == 1 &&
          total.fail_by_severity[ECP_SEV_INFO] == 1, "fails by severity");
    CHECK(per[0].total == 3 && per[1].total == 2, "per-control totals");
    CHECK(per[1].by_outcome[ECP_NOT_APPLICABLE] == 1, "per-control outcomes");
    ecp_report_free(&r);

    r = fresh();
    ecp_report_add_result(&r, 0, 0, ECP_ERROR, "policy broke", NULL);
    CHECK(ecp_report_exit_code(&r) == 3, "an error result: exit 3");
    ecp_report_free(&r);
    CHECK(r.nresults == 0 && r.results == NULL, "free empties the report");
    return harness_done();
}
