/* Remediation plans: the aws CLI's names for every operation and member of
 * the two models (tests/data/cli-names.tsv, from botocore), and what
 * ecp_plan_complete accepts, refuses (naming the field) and fills in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "remediate/plan.h"

static void cli_names(void)
{
    FILE *f = fopen("tests/data/cli-names.tsv", "r");
    char line[512];
    int n = 0, wrong = 0;

    CHECK(f != NULL, "tests/data/cli-names.tsv opens");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');
        if (line[0] == '#' || !tab)
            continue;
        *tab = '\0';
        if (nl)
            *nl = '\0';
        char *got = ecp_cli_name(line);
        if (strcmp(got, tab + 1) != 0 && wrong++ < 5)
            CHECK_STR(got, tab + 1, "cli name of %s", line);
        free(got);
        n++;
    }
    fclose(f);
    CHECK(n > 1500 && wrong == 0, "%d of %d names as botocore makes them",
          n - wrong, n);
}

/* Complete the plan in text; return the message, or "" when it passed
 * (and then *out holds the completed plan). */
static const char *complete(const char *text, cJSON **out)
{
    static char why[400];
    cJSON *plan = cJSON_Parse(text);

    why[0] = '\0';
    CHECK(plan != NULL, "test plan parses: %s", text);
    if (ecp_plan_complete(plan, "eu-west-1", why, sizeof why) != 0) {
        cJSON_Delete(plan);
        plan = NULL;
    }
    if (out)
        *out = plan;
    else
        cJSON_Delete(plan);
    return why;
}

#define STEP_API "{\"title\":\"t\",\"service\":\"elasticache\"," \
    "\"action\":\"ModifyReplicationGroup\",\"effect\":\"in_place\"," \
    "\"params\":{\"TransitEncryptionMode\":\"required\"," \
    "\"ReplicationGroupId\":\"rg 1\",\"ApplyImmediately\":true," \
    "\"SecurityGroupIds\":[\"sg-1\",\"sg-2\"],\"RemoveUserGroups\":false," \
    "\"LogDeliveryConfigurations\":[{\"LogType\":\"slow-log\"}]," \
    "\"SnapshotRetentionLimit\":7}"

static void completes(void)
{
    cJSON *plan;
    const char *why = complete("{\"summary\":\"s\",\"steps\":[" STEP_API
        ",\"wait\":{\"waiter\":\"ReplicationGroupAvailable\",\"params\":"
        "{\"ReplicationGroupId\":\"rg 1\"}},\"no_backout\":\"n\"},"
        "{\"title\":\"m\",\"instructions\":\"do it\",\"backout\":"
        "{\"title\":\"b\",\"instructions\":\"undo\"}}],"
        "\"preconditions\":[\"p\",{\"text\":\"q\",\"met\":false}],"
        "\"warnings\":[\"w\"]}", &plan);

    CHECK_STR(why, "", "a whole plan is accepted");
    if (!plan)
        return;
    const cJSON *step = cJSON_GetArrayItem(cJSON_GetObjectItem(plan,
                                                               "steps"), 0);
    char *cli = cJSON_PrintUnformatted(cJSON_GetObjectItem(step, "cli"));
    CHECK_STR(cli, "[\"aws\",\"elasticache\",\"modify-replication-group\","
              "\"--replication-group-id\",\"rg 1\",\"--apply-immediately\","
              "\"--log-delivery-configurations\",\"[{\\\"LogType\\\":"
              "\\\"slow-log\\\"}]\",\"--no-remove-user-groups\","
              "\"--security-group-ids\",\"sg-1\",\"sg-2\","
              "\"--snapshot-retention-limit\",\"7\","
              "\"--transit-encryption-mode\",\"required\",\"--region\","
              "\"eu-west-1\"]",
              "the command: identifier first, flags for booleans, one word "
              "per list item, JSON for structures, the region");
    free(cli);
    cli = cJSON_PrintUnformatted(cJSON_GetObjectItem(
        cJSON_GetObjectItem(step, "wait"), "cli"));
    CHECK_STR(cli, "[\"aws\",\"elasticache\",\"wait\",\"replication-group-"
              "available\",\"--replication-group-id\",\"rg 1\","
              "\"--region\",\"eu-west-1\"]", "the wait's command");
    free(cli);
    CHECK_STR(cJSON_GetObjectItem(step, "region")->valuestring, "eu-west-1",
              "the step gets the resource's region");
    CHECK_STR(cJSON_GetObjectItem(plan, "kind")->valuestring, "in_place",
              "no migration step: in place");
    const cJSON *pre = cJSON_GetArrayItem(cJSON_GetObjectItem(plan,
                                          "preconditions"), 0);
    CHECK(cJSON_IsObject(pre) && strcmp(cJSON_GetObjectItem(pre, "text")
          ->valuestring, "p") == 0, "a precondition string becomes "
          "{ text }");
    cJSON_Delete(plan);

    why = complete("{\"summary\":\"s\",\"steps\":[{\"title\":\"t\","
                   "\"service\":\"ec2\",\"action\":\"CreateSecurityGroup\","
                   "\"effect\":\"migration\",\"params\":{},\"backout\":"
                   "{\"title\":\"b\",\"service\":\"ec2\",\"action\":"
                   "\"DeleteSecurityGroup\",\"params\":{\"GroupId\":"
                   "\"sg-1\"}}}]}", &plan);
    CHECK_STR(why, "", "a migration step with an API backout");
    if (plan) {
        CHECK_STR(cJSON_GetObjectItem(plan, "kind")->valuestring,
                  "migration", "a migration step makes a migration");
        cJSON_Delete(plan);
    }
}

/* The CLI's own renames: there is no --no-egress, it is --ingress. */
static void renames(void)
{
    cJSON *plan;
    const char *why = complete("{\"summary\":\"s\",\"steps\":[{\"title\":"
        "\"t\",\"service\":\"ec2\",\"action\":\"CreateNetworkAclEntry\","
        "\"effect\":\"in_place\",\"params\":{\"NetworkAclId\":\"acl-1\","
        "\"Egress\":false},\"no_backout\":\"n\"}]}", &plan);

    CHECK_STR(why, "", "an ACL entry plan");
    if (!plan)
        return;
    char *cli = cJSON_PrintUnformatted(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(plan, "steps"), 0), "cli"));
    CHECK_STR(cli, "[\"aws\",\"ec2\",\"create-network-acl-entry\","
              "\"--network-acl-id\",\"acl-1\",\"--ingress\",\"--region\","
              "\"eu-west-1\"]", "Egress false is --ingress");
    free(cli);
    cJSON_Delete(plan);
}

static void refuses(void)
{
    static const struct { const char *plan, *why; } cases[] = {
        { "[]", "remediate returned a list, not a plan table" },
        { "{\"steps\":[]}", "summary: is required" },
        { "{\"summary\":\"s\"}", "steps: is required" },
        { "{\"summary\":\"s\",\"steps\":{}}",
          "steps: expected a list of at least one step" },
        { "{\"summary\":\"s\",\"step\":[]}", "unknown field 'step' (it may "
          "have: summary, steps, preconditions, warnings, kind)" },
        { "{\"summary\":\"s\",\"steps\":[{\"title\":\"t\"}]}",
          "steps[1]: a step needs action (an API call) or instructions "
          "(a manual step)" },
        { "{\"summary\":\"s\",\"steps\":[{\"title\":\"t\",\"instructions\":"
          "\"i\"}]}", "steps[1]: needs a backout (the step that undoes it) "
          "or no_backout (why nothing needs undoing)" },
        { "{\"summary\":\"s\",\"steps\":[{\"title\":\"t\",\"instructions\":"
          "\"i\",\"no_backout\":\"n\",\"backout\":{\"title\":\"b\","
          "\"instructions\":\"u\"}}]}",
          "steps[1]: has both backout and no_backout; give one" },
        { "{\"summary\":\"s\",\"steps\":[{\"title\":\"t\",\"service\":"
          "\"rds\",\"action\":\"X\",\"effect\":\"in_place\",\"params\":{},"
          "\"no_backout\":\"n\"}]}", "steps[1].service: 'rds' is not a "
          "service plans may call (elasticache, ec2)" },
        { "{\"summary\":\"s\",\"steps\":[{\"title\":\"t\",\"service\":"
          "\"ec2\",\"action\":\"revoke-security-group-ingress\",\"effect\":"
          "\"in_place\",\"params\":{},\"no_backout\":\"n\"}]}",
          "steps[1].action: 'revoke-security-group-ingress' is not an API "
          "action name (\"ModifyReplicationGroup\")" },
        { "{\"summary\":\"s\",\"steps\":[{\"title\":\"t\",\"service\":"
          "\"ec2\",\"action\":\"X\",\"effect\":\"maybe\",\"params\":{},"
          "\"no_backout\":\"n\"}]}",
          "steps[1].effect: 'maybe' is neither in_place nor migration" },
        { "{\"summary\":\"s\",\"steps\":[{\"title\":\"t\",\"service\":"
          "\"ec2\",\"action\":\"X\",\"effect\":\"in_place\",\"params\":"
          "{\"groupId\":\"x\"},\"no_backout\":\"n\"}]}",
          "steps[1].params: 'groupId' is not an API member name "
          "(PascalCase, as AWS names it)" },
        { "{\"summary\":\"s\",\"steps\":[{\"title\":\"t\",\"service\":"
          "\"ec2\",\"action\":\"X\",\"effect\":\"in_place\",\"params\":{},"
          "\"cli\":[],\"no_backout\":\"n\"}]}",
          "steps[1]: unknown field 'cli' (it may have: title, service, "
          "action, params, effect, wait, backout, no_backout)" },
        { "{\"summary\":\"s\",\"steps\":[{\"title\":\"t\",\"instructions\":"
          "\"i\",\"backout\":{\"title\":\"b\",\"instructions\":\"u\","
          "\"no_backout\":\"x\"}}]}",
          "steps[1].backout: a backout has no backout of its own" },
        { "{\"summary\":\"s\",\"kind\":\"in_place\",\"steps\":[{\"title\":"
          "\"t\",\"service\":\"ec2\",\"action\":\"X\",\"effect\":"
          "\"migration\",\"params\":{},\"no_backout\":\"n\"}]}",
          "kind: the plan says 'in_place', but its steps make it "
          "migration" },
        { "{\"summary\":\"s\",\"steps\":[{\"title\":\"t\",\"instructions\":"
          "\"i\",\"no_backout\":\"n\"}],\"preconditions\":[{\"text\":\"x\","
          "\"met\":\"yes\"}]}",
          "preconditions[1].met: expected true or false, got a string" },
        { "{\"summary\":\"s\",\"steps\":[{\"title\":\"t\",\"instructions\":"
          "\"i\",\"no_backout\":\"n\"}],\"warnings\":[1]}",
          "warnings[1]: expected a string, got a number" },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_STR(complete(cases[i].plan, NULL), cases[i].why, "refused: %s",
                  cases[i].why);
}

int main(void)
{
    cli_names();
    completes();
    renames();
    refuses();
    return harness_done();
}
