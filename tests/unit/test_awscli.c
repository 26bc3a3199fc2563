/* Reading directories of saved AWS CLI output (tests/data/input/, see its
 * README.md): statuses, items, messages, warnings and every error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collect/inventory.h"
#include "harness.h"
#include "util/fs.h"

#define DATA "tests/data/input/"

static const struct ecp_collection *coll(const struct ecp_inventory *inv,
                                         const char *region, enum ecp_coll c)
{
    for (size_t i = 0; i < inv->nregions; i++)
        if (strcmp(inv->regions[i].name, region) == 0)
            return &inv->regions[i].coll[c];
    return NULL;
}

static int nitems(const struct ecp_collection *c)
{
    return c && c->items ? cJSON_GetArraySize(c->items) : -1;
}

static const char *item_string(const struct ecp_collection *c, int i,
                               const char *member)
{
    cJSON *item = c && c->items ? cJSON_GetArrayItem(c->items, i) : NULL;

    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item,
                                                                 member));
}

/* Loading dir fails with exactly want, and leaves the inventory empty. */
static void fails_with(const char *dir, const char *want)
{
    struct ecp_inventory inv = { 0 };
    struct ecp_err err = { { 0 } };
    int rc = ecp_inventory_load(dir, &inv, &err);

    CHECK(rc == -1, "%s is refused", dir);
    CHECK_STR(err.msg, want, "%s: the message", dir);
    CHECK(inv.nregions == 0 && !inv.regions && !inv.source_kind &&
          !inv.account && !inv.warnings, "%s: the inventory is left empty",
          dir);
    ecp_inventory_free(&inv);
}

static void two_regions(void)
{
    struct ecp_inventory inv = { 0 };
    struct ecp_err err = { { 0 } };
    int rc = ecp_inventory_load(DATA "two-regions", &inv, &err);
    const struct ecp_collection *c;

    CHECK(rc == 0, "two-regions loads (%s)", rc ? err.msg : "");
    CHECK_STR(inv.source_kind, "awscli", "source kind");
    CHECK_STR(inv.source_path, DATA "two-regions", "source path");
    CHECK(inv.collected_at == NULL, "no collection time is known");
    CHECK(inv.nwarnings == 0, "no warnings");
    CHECK(inv.nregions == 2, "two regions");
    CHECK_STR(inv.nregions > 1 ? inv.regions[0].name : NULL, "eu-west-1",
              "sorted: eu-west-1 first");
    CHECK_STR(inv.nregions > 1 ? inv.regions[1].name : NULL, "us-east-1",
              "then us-east-1");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(inv.account,
                                                       "Account")),
              "111122223333", "account.json is the account");

    c = coll(&inv, "us-east-1", ECP_COLL_CACHE_CLUSTERS);
    CHECK(c && c->status == ECP_ST_OK && c->message == NULL,
          "us-east-1 cache clusters are ok");
    CHECK(nitems(c) == 2, "with two items");
    CHECK_STR(c ? c->source : NULL,
              DATA "two-regions/us-east-1/describe-cache-clusters.json",
              "from their file");
    CHECK_STR(item_string(c, 0, "CacheClusterCreateTime"),
              "2015-02-02T01:21:46.607Z", "a v1 timestamp stays as it is");
    CHECK_STR(item_string(c, 1, "CacheClusterCreateTime"),
              "2023-06-01T10:00:00Z", "one without a fraction too");

    c = coll(&inv, "us-east-1", ECP_COLL_SNAPSHOTS);
    CHECK(c && c->status == ECP_ST_MISSING && c->items == NULL,
          "absent describe-snapshots.json: missing");
    CHECK_STR(c ? c->message : NULL, "describe-snapshots.json is absent",
              "the message names the file");
    CHECK_STR(c ? c->source : NULL,
              DATA "two-regions/us-east-1/describe-snapshots.json",
              "the source is where it would be");

    c = coll(&inv, "eu-west-1", ECP_COLL_CACHE_CLUSTERS);
    CHECK_STR(item_string(c, 0, "CacheClusterCreateTime"),
              "2015-02-02T01:21:46.607Z", "a v2 timestamp is normalized");
    CHECK_STR(item_string(c, 0, "AuthTokenLastModifiedDate"),
              "2015-02-02T01:21:46.607Z", "an offset one too (truncated)");
    cJSON *node = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetArrayItem(c ? c->items : NULL, 0),
                            "CacheNodes"), 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(node,
                                                       "CacheNodeCreateTime")),
              "2015-02-02T01:21:46Z", "and nested ones");
    c = coll(&inv, "eu-west-1", ECP_COLL_VPCS);
    CHECK(c && c->status == ECP_ST_MISSING, "eu-west-1 vpcs are missing");

    c = coll(&inv, "us-east-1", ECP_COLL_PREFIX_LIST_ENTRIES);
    CHECK(c && c->status == ECP_ST_OK, "prefix list entries are ok");
    CHECK(nitems(c) == 2, "one item per entries file");
    CHECK_STR(item_string(c, 0, "PrefixListId"), "pl-00aa11bb",
              "named by the file, in file order");
    CHECK_STR(item_string(c, 1, "PrefixListId"), "pl-0a1b2c3d4e5f60718",
              "the second");
    cJSON *entries = cJSON_GetObjectItem(cJSON_GetArrayItem(c->items, 1),
                                         "Entries");
    CHECK(cJSON_GetArraySize(entries) == 2, "with the file's Entries");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(
                  cJSON_GetArrayItem(entries, 1), "Cidr")),
              "198.51.100.7/32", "as they were");
    c = coll(&inv, "eu-west-1", ECP_COLL_PREFIX_LIST_ENTRIES);
    CHECK(c && c->status == ECP_ST_OK && nitems(c) == 0,
          "no entries files: ok, no items (the model judges lookups)");
    ecp_inventory_free(&inv);
    CHECK(inv.regions == NULL && inv.nregions == 0, "free zeroes it");
    ecp_inventory_free(&inv);
}

static void partial_pages(void)
{
    struct ecp_inventory inv = { 0 };
    struct ecp_err err;
    int rc = ecp_inventory_load(DATA "partial", &inv, &err);
    const struct ecp_collection *c;

    CHECK(rc == 0, "partial loads");
    c = coll(&inv, "us-east-1", ECP_COLL_CACHE_CLUSTERS);
    CHECK(c && c->status == ECP_ST_PARTIAL, "a Marker left over: partial");
    CHECK(nitems(c) == 1, "the items it has are kept");
    CHECK_STR(c ? c->message : NULL,
              "describe-cache-clusters.json holds only some pages (it ends "
              "with a Marker, as output saved with --no-paginate or "
              "--max-items does); save it again without those options and "
              "the AWS CLI fetches every page", "the message says why and "
              "what to do");
    c = coll(&inv, "us-east-1", ECP_COLL_SECURITY_GROUPS);
    CHECK(c && c->status == ECP_ST_OK, "an empty NextToken: ok");
    c = coll(&inv, "us-east-1", ECP_COLL_PREFIX_LIST_ENTRIES);
    CHECK(c && c->status == ECP_ST_PARTIAL && nitems(c) == 2,
          "entries files with a NextToken: partial, kept");
    CHECK_HAS(c ? c->message : NULL,
              "get-managed-prefix-list-entries-pl-0123abcd.json (and 1 more "
              "like it) holds only some pages", "naming the first file");
    ecp_inventory_free(&inv);
}

static void strays_are_warnings(void)
{
    static const char *const want[] = {
        DATA "strays/describe-subnets.json: belongs in a region folder ("
             DATA "strays/<region>/describe-subnets.json); ignored",
        DATA "strays/notes.txt: not an input file ecpolicy reads "
             "(docs/input.md); ignored",
        DATA "strays/old: not a region folder (they are named like "
             "us-east-1); ignored",
        DATA "strays/us-east-1/describe-vpcs.json.bak: not an AWS CLI output "
             "file that ecpolicy reads (docs/input.md); ignored",
        DATA "strays/us-east-1/get-managed-prefix-list-entries-office.json: "
             "not an AWS CLI output file that ecpolicy reads (docs/input.md);"
             " ignored",
        DATA "strays/us-east-1/get-managed-prefix-list-entries.json: not an "
             "AWS CLI output file that ecpolicy reads (docs/input.md); "
             "ignored",
        DATA "strays/us-east-1/sub: a folder inside a region folder; ignored",
    };
    struct ecp_inventory inv = { 0 };
    struct ecp_err err;
    int rc = ecp_inventory_load(DATA "strays", &inv, &err);
    size_t n = sizeof want / sizeof want[0];

    CHECK(rc == 0, "strays loads");
    CHECK(inv.nwarnings == n, "%zu warnings (got %zu)", n, inv.nwarnings);
    for (size_t i = 0; i < n && i < inv.nwarnings; i++)
        CHECK_STR(inv.warnings[i], want[i], "warning %zu", i);
    for (size_t i = 0; i < inv.nwarnings; i++)
        CHECK(!strstr(inv.warnings[i], ".DS_Store") &&
              !strstr(inv.warnings[i], "README"),
              "hidden files and READMEs are not worth a warning");
    CHECK(inv.nregions == 1, "old/ is no region");
    CHECK(nitems(coll(&inv, "us-east-1", ECP_COLL_VPCS)) == 1,
          "the real file is read");
    ecp_inventory_free(&inv);
}

static void real_aws_cli_v1_output(void)
{
    struct ecp_inventory inv = { 0 };
    struct ecp_err err;
    int rc = ecp_inventory_load(DATA "moto-cli-v1", &inv, &err);
    int ok = 0;

    CHECK(rc == 0, "aws-cli 1.45 output loads (%s)", rc ? err.msg : "");
    for (int c = 0; c < ECP_COLL_COUNT && rc == 0; c++)
        ok += coll(&inv, "us-east-1", c)->status == ECP_ST_OK;
    CHECK(ok == ECP_COLL_COUNT - 3, "all but serverless caches and user "
          "groups (moto has neither) and tags (not saved) are ok (%d)", ok);
    CHECK_STR(item_string(coll(&inv, "us-east-1", ECP_COLL_CACHE_CLUSTERS), 0,
                          "CacheClusterCreateTime"),
              "2026-12-01T19:21:43.353Z", "microseconds are cut to ms");
    CHECK_STR(item_string(coll(&inv, "us-east-1",
                               ECP_COLL_PREFIX_LIST_ENTRIES), 0,
                          "PrefixListId"),
              "pl-c24c4c2322434c6c1", "its prefix list entries");
    ecp_inventory_free(&inv);
}

static void errors(void)
{
    fails_with(DATA "bad-json",
               DATA "bad-json/us-east-1/describe-vpcs.json:3:28: invalid JSON");
    fails_with(DATA "wrong-type",
               DATA "wrong-type/us-east-1/describe-security-groups.json: "
               "$.SecurityGroups[2].IpPermissions[0].FromPort: expected an "
               "integer, got a string (\"6379\")");
    fails_with(DATA "no-list",
               DATA "no-list/us-east-1/describe-vpcs.json: $.Vpcs is missing; "
               "expected the output of 'aws ec2 describe-vpcs --output json' "
               "(without --query)");
    fails_with(DATA "empty-file",
               DATA "empty-file/us-east-1/describe-vpcs.json: the file is "
               "empty; expected JSON as 'aws ... --output json' prints it "
               "(if the command failed, delete the file: an absent file "
               "counts as not collected)");
    fails_with(DATA "top-array",
               DATA "top-array/us-east-1/describe-vpcs.json: expected a JSON "
               "object ({\"Vpcs\": [...]}) as 'aws ec2 describe-vpcs --output "
               "json' prints it, got an array");
    fails_with(DATA "bad-account",
               DATA "bad-account/account.json: $.Account: expected a string, "
               "got a number (111122223333)");
    fails_with(DATA "missing-id",
               DATA "missing-id/us-east-1/describe-subnets.json: $.Subnets[1]: "
               "SubnetId is missing (every item needs its id)");
    fails_with(DATA "bad-timestamp",
               DATA "bad-timestamp/us-east-1/describe-snapshots.json: "
               "$.Snapshots[0].NodeSnapshots[0].SnapshotCreateTime: expected "
               "a timestamp, got a string (\"2023-02-29T10:00:00Z\"): no such "
               "day in that month");
    fails_with(DATA "no-regions",
               "no region folders in " DATA "no-regions; expected " DATA
               "no-regions/<region>/describe-cache-clusters.json and the "
               "other files in docs/input.md");
    fails_with(DATA "no-such-dir",
               DATA "no-such-dir: No such file or directory");
}

static void region_names(void)
{
    static const char *const good[] = {
        "us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1",
        "cn-northwest-1", "ap-southeast-7", "il-central-1", "us-isob-east-1",
        "eusc-de-east-1", "mx-central-1", "ca-west-1",
    };
    static const char *const bad[] = {
        "", "us", "us-east", "us-east-", "us-east-01", "us-east-1a",
        "US-EAST-1", "old-snap-1", "snapshots", "us-east-123", "us--east-1",
        "global", "x-east-1", "abcde-east-1", "us-gov-iso-west-1",
    };

    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(ecp_region_name_valid(good[i]), "%s is a region name", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!ecp_region_name_valid(bad[i]), "\"%s\" is not", bad[i]);
}

static void regions_stay_sorted(void)
{
    struct ecp_inventory inv = { 0 };
    struct ecp_region *a = ecp_inventory_region(&inv, "us-west-2");

    ecp_inventory_region(&inv, "ap-south-1");
    ecp_inventory_region(&inv, "eu-west-1");
    a = ecp_inventory_region(&inv, "us-west-2");
    CHECK(inv.nregions == 3, "finding a region does not add it again");
    CHECK(a == &inv.regions[2], "and finds it in its place");
    CHECK_STR(inv.regions[0].name, "ap-south-1", "sorted by name");
    CHECK_STR(inv.regions[1].name, "eu-west-1", "sorted by name");
    CHECK(inv.regions[1].coll[ECP_COLL_VPCS].status == ECP_ST_MISSING,
          "a new region has nothing yet: missing");
    ecp_inventory_warn(&inv, "%s and %d", "text", 2);
    CHECK(inv.nwarnings == 1, "a warning is added");
    CHECK_STR(inv.warnings[0], "text and 2", "formatted");
    CHECK_STR(ecp_status_name(ECP_ST_ACCESS_DENIED), "access_denied",
              "status names");
    CHECK(ecp_status_by_name("throttled") == ECP_ST_THROTTLED, "and back");
    CHECK(ecp_status_by_name("denied") == -1, "unknown: -1");
    ecp_inventory_free(&inv);
}

/* 100k security groups in one file: read once, no per-item rescans.  A
 * quadratic step would take minutes here; the bound is generous so that a
 * slow sanitizer build passes. */
static void scale(void)
{
    char dir[] = "/tmp/ecp-awscli-XXXXXX";
    char *region, *file;
    FILE *f;
    int n = 100000;

    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return;
    }
    region = ecp_path_join(dir, "us-east-1");
    file = ecp_path_join(region, "describe-security-groups.json");
    mkdir(region, 0700);
    f = fopen(file, "w");
    fputs("{\"SecurityGroups\": [", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "%s{\"GroupId\": \"sg-%08x\", \"IpPermissions\": "
                "[{\"IpProtocol\": \"tcp\", \"FromPort\": 6379, \"ToPort\": "
                "6379, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}]}",
                i ? ", " : "", i);
    fputs("]}\n", f);
    fclose(f);

    struct ecp_inventory inv = { 0 };
    struct ecp_err err;
    clock_t t0 = clock();
    int rc = ecp_inventory_load(dir, &inv, &err);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;

    CHECK(rc == 0 && nitems(coll(&inv, "us-east-1",
                                 ECP_COLL_SECURITY_GROUPS)) == n,
          "%d security groups load", n);
    CHECK(secs < 30, "in %.2f s of CPU", secs);
    ecp_inventory_free(&inv);
    unlink(file);
    rmdir(region);
    rmdir(dir);
    free(file);
    free(region);
}

int main(void)
{
    two_regions();
    partial_pages();
    strays_are_warnings();
    real_aws_cli_v1_output();
    errors();
    region_names();
    regions_stay_sorted();
    scale();
    return harness_done();
}
