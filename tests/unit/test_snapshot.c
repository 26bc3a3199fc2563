/* ecpolicy snapshot files: reading, writing, the lossless round trip, and
 * every way a file can be wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/inventory.h"
#include "harness.h"
#include "util/fs.h"
#include "util/mem.h"

#define DATA "tests/data/input/"

static char tmpdir[] = "/tmp/ecp-snapshot-XXXXXX";

static char *slurp(const char *path)
{
    struct ecp_err err;
    char *data = NULL;

    if (ecp_read_file(path, 1 << 30, &data, NULL, &err) != 0)
        return NULL;
    return data;
}

static const struct ecp_collection *coll(const struct ecp_inventory *inv,
                                         const char *region, enum ecp_coll c)
{
    for (size_t i = 0; i < inv->nregions; i++)
        if (strcmp(inv->regions[i].name, region) == 0)
            return &inv->regions[i].coll[c];
    return NULL;
}

static int same_str(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Everything the model sees is the same in both inventories. */
static int same_inventory(const struct ecp_inventory *a,
                          const struct ecp_inventory *b)
{
    if (a->nregions != b->nregions || !same_str(a->collected_at,
                                                b->collected_at))
        return 0;
    if (!(a->account ? b->account && cJSON_Compare(a->account, b->account, 1)
                     : !b->account))
        return 0;
    for (size_t i = 0; i < a->nregions; i++) {
        if (strcmp(a->regions[i].name, b->regions[i].name) != 0)
            return 0;
        for (int c = 0; c < ECP_COLL_COUNT; c++) {
            const struct ecp_collection *x = &a->regions[i].coll[c];
            const struct ecp_collection *y = &b->regions[i].coll[c];

            if (x->status != y->status || !same_str(x->message, y->message) ||
                !same_str(x->source, y->source))
                return 0;
            if (x->items ? !y->items || !cJSON_Compare(x->items, y->items, 1)
                         : y->items != NULL)
                return 0;
        }
    }
    return 1;
}

/* AWS CLI directory -> snapshot -> inventory -> snapshot: same bytes. */
static void round_trip(const char *dir)
{
    struct ecp_inventory first = { 0 }, second = { 0 };
    struct ecp_err err = { { 0 } };
    char *file = ecp_path_join(tmpdir, "round-trip.json");
    char *text1 = NULL, *text2 = NULL, *on_disk = NULL;
    int load_rc = ecp_inventory_load(dir, &first, &err);

    CHECK(load_rc == 0, "%s loads (%s)", dir, load_rc ? err.msg : "");
    int write_rc = ecp_snapshot_write(&first, file, &err);
    CHECK(write_rc == 0, "%s: the snapshot is written (%s)", dir,
          write_rc ? err.msg : "");
    text1 = ecp_snapshot_text(&first);
    on_disk = slurp(file);
    CHECK(text1 && on_disk && strcmp(text1, on_disk) == 0,
          "%s: the file holds the snapshot text", dir);
    int read_rc = ecp_inventory_load(file, &second, &err);
    CHECK(read_rc == 0, "%s: the snapshot reads back (%s)", dir,
          read_rc ? err.msg : "");
    CHECK_STR(second.source_kind, "snapshot", "%s: now from a snapshot",
              dir);
    CHECK_STR(second.source_path, file, "%s: that file", dir);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(second.origin,
                                                       "kind")),
              "awscli", "%s: which remembers where its data came from", dir);
    CHECK(same_inventory(&first, &second), "%s: the same inventory", dir);
    text2 = ecp_snapshot_text(&second);
    CHECK(text1 && text2 && strcmp(text1, text2) == 0,
          "%s: written again, the same bytes", dir);
    unlink(file);
    free(file);
    free(text1);
    free(text2);
    free(on_disk);
    ecp_inventory_free(&first);
    ecp_inventory_free(&second);
}

static void reads_a_hand_written_snapshot(void)
{
    struct ecp_inventory inv = { 0 };
    struct ecp_err err;
    int rc = ecp_inventory_load(DATA "snapshot/good.json", &inv, &err);
    const struct ecp_collection *c;

    CHECK(rc == 0, "good.json reads (%s)", rc ? err.msg : "");
    CHECK_STR(inv.source_kind, "snapshot", "source kind");
    CHECK_STR(inv.collected_at, "2026-12-01T10:00:00.250Z",
              "collected_at is normalized");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(inv.origin,
                                                       "profile")),
              "audit", "the recorded source is kept as it was");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(inv.account,
                                                       "Account")),
              "111122223333", "the account");
    CHECK(inv.nregions == 2, "two regions");
    CHECK_STR(inv.nregions ? inv.regions[0].name : NULL, "ap-south-1",
              "sorted, whatever the file's order");

    c = coll(&inv, "us-east-1", ECP_COLL_CACHE_CLUSTERS);
    CHECK(c && c->status == ECP_ST_OK, "cache clusters ok");
    cJSON *item = c ? cJSON_GetArrayItem(c->items, 0) : NULL;
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(
                  item, "CacheClusterCreateTime")),
              "2015-02-02T01:21:46.607Z", "epoch seconds are normalized");
    CHECK(cJSON_HasObjectItem(item, "FutureMember"), "unknown members kept");
    CHECK_STR(c ? c->source : NULL,
              "https://elasticache.us-east-1.amazonaws.com/", "its source");

    c = coll(&inv, "us-east-1", ECP_COLL_VPCS);
    CHECK(c && c->status == ECP_ST_ACCESS_DENIED && !c->items,
          "vpcs: access denied, no items");
    CHECK_HAS(c ? c->message : NULL, "ec2:DescribeVpcs", "with its message");
    c = coll(&inv, "us-east-1", ECP_COLL_SUBNETS);
    CHECK(c && c->status == ECP_ST_PARTIAL && cJSON_GetArraySize(c->items) == 1,
          "subnets: partial, with what it has");
    CHECK(!cJSON_HasObjectItem(cJSON_GetArrayItem(c->items, 0), "VpcId"),
          "a null member is absent");
    c = coll(&inv, "us-east-1", ECP_COLL_ROUTE_TABLES);
    CHECK(c && c->status == ECP_ST_MISSING, "an absent collection is missing");
    CHECK_STR(c ? c->message : NULL, "not in the snapshot", "and says so");

    char *text = ecp_snapshot_text(&inv);
    CHECK_HAS(text, "\"source\":\t{\n\t\t\"kind\":\t\"aws\",\n\t\t\"profile\":"
              "\t\"audit\"\n\t}", "rewriting keeps the original source");
    free(text);
    ecp_inventory_free(&inv);
}

/* Regions sorted, collections in catalog order, whatever order they were
 * added in; and nothing that is not data (warnings) is written. */
static void writes_deterministically(void)
{
    struct ecp_inventory inv = { 0 };
    struct ecp_region *r;
    char *text, *prev = NULL;
    int in_order = 1;

    inv.source_kind = ecp_strdup("aws");
    r = ecp_inventory_region(&inv, "us-west-2");
    r->coll[ECP_COLL_VPCS].status = ECP_ST_THROTTLED;
    r->coll[ECP_COLL_VPCS].message = ecp_strdup("Throttling after 5 attempts");
    r = ecp_inventory_region(&inv, "ap-south-1");
    r->coll[ECP_COLL_SUBNETS].status = ECP_ST_OK;
    r->coll[ECP_COLL_SUBNETS].items = cJSON_CreateArray();
    ecp_inventory_warn(&inv, "a stray file; ignored");
    text = ecp_snapshot_text(&inv);

    CHECK(text && strncmp(text, "{\n\t\"schema\":\t\"ecpolicy.snapshot/1\",\n"
                                "\t\"ecpolicy_version\":\t\"", 52) == 0,
          "the schema comes first");
    CHECK_HAS(text, "\"collected_at\":\tnull", "an unknown time is null");
    CHECK_HAS(text, "\"source\":\t{\n\t\t\"kind\":\t\"aws\"\n\t}",
              "the source without a path");
    CHECK_HAS(text, "\"account\":\tnull", "no account: null");
    CHECK(text && strstr(text, "ap-south-1") < strstr(text, "us-west-2"),
          "regions sorted");
    for (int c = 0; c < ECP_COLL_COUNT && text; c++) {
        char key[64];
        char *at;

        snprintf(key, sizeof key, "\"%s\":", ecp_coll_info(c)->name);
        at = strstr(text, key);
        in_order = in_order && at && (!prev || at > prev);
        prev = at;
    }
    CHECK(in_order, "collections in catalog order");
    CHECK_HAS(text, "\"vpcs\":\t{\n\t\t\t\t\"status\":\t\"throttled\",\n"
              "\t\t\t\t\"message\":\t\"Throttling after 5 attempts\"\n"
              "\t\t\t}", "a failed collection: status and message");
    CHECK(text && !strstr(text, "stray"), "warnings are not written");
    char *again = ecp_snapshot_text(&inv);
    CHECK(text && again && strcmp(text, again) == 0, "the same text twice");
    free(again);
    free(text);
    ecp_inventory_free(&inv);
}

static void fails_with(const char *file, const char *want)
{
    struct ecp_inventory inv = { 0 };
    struct ecp_err err = { { 0 } };
    int rc = ecp_inventory_load(file, &inv, &err);

    CHECK(rc == -1, "%s is refused", file);
    CHECK_STR(err.msg, want, "%s: the message", file);
    CHECK(inv.nregions == 0 && !inv.source_kind && !inv.origin &&
          !inv.account, "%s: the inventory is left empty", file);
    ecp_inventory_free(&inv);
}

static void errors(void)
{
    fails_with(DATA "snapshot/wrong-schema.json",
               DATA "snapshot/wrong-schema.json: $.schema: "
               "\"ecpolicy.snapshot/2\" is not a snapshot schema this build "
               "reads (it reads ecpolicy.snapshot/1)");
    fails_with(DATA "snapshot/no-schema.json",
               DATA "snapshot/no-schema.json: no \"schema\" member, so not "
               "an ecpolicy snapshot; --snapshot takes an ecpolicy snapshot "
               "file (docs/snapshot.md) or a directory of saved AWS CLI "
               "output (docs/input.md)");
    fails_with(DATA "snapshot/top-array.json",
               DATA "snapshot/top-array.json: expected a JSON object, got an "
               "array; --snapshot takes an ecpolicy snapshot file "
               "(docs/snapshot.md) or a directory of saved AWS CLI output "
               "(docs/input.md)");
    fails_with(DATA "snapshot/bad-status.json",
               DATA "snapshot/bad-status.json: $.regions.us-east-1.vpcs."
               "status: \"denied\" is not a status (expected one of missing, "
               "ok, partial, access_denied, throttled, timeout, malformed, "
               "error)");
    fails_with(DATA "snapshot/bad-item.json",
               DATA "snapshot/bad-item.json: $.regions.us-east-1."
               "security_groups.items[3].GroupId: expected a string, got a "
               "number (5)");
    fails_with(DATA "snapshot/unknown-member.json",
               DATA "snapshot/unknown-member.json: $: unknown member "
               "\"regoins\" (an ecpolicy.snapshot/1 file has schema, "
               "ecpolicy_version, collected_at, source, account, regions)");
    fails_with(DATA "snapshot/items-not-ok.json",
               DATA "snapshot/items-not-ok.json: $.regions.us-east-1.vpcs."
               "items: only a collection that is ok or partial has items, "
               "and this one is access_denied");
    fails_with(DATA "snapshot/no-items.json",
               DATA "snapshot/no-items.json: $.regions.us-east-1.vpcs: items "
               "is missing (a collection that is ok has its items)");
    fails_with(DATA "snapshot/bad-region.json",
               DATA "snapshot/bad-region.json: $.regions.global: not an AWS "
               "region name (like us-east-1)");
    fails_with(DATA "snapshot/unknown-collection.json",
               DATA "snapshot/unknown-collection.json: $.regions.us-east-1."
               "cache_cluster: not a collection (docs/inventory-model.md "
               "lists them)");
    fails_with(DATA "snapshot/twice.json",
               DATA "snapshot/twice.json: $.regions.us-east-1.vpcs: the "
               "collection appears twice");
    fails_with(DATA "snapshot/bad-collected-at.json",
               DATA "snapshot/bad-collected-at.json: $.collected_at: expected "
               "a timestamp, got \"2026-13-01T00:00:00Z\": no such month");
    fails_with(DATA "bad-json/us-east-1/describe-vpcs.json",
               DATA "bad-json/us-east-1/describe-vpcs.json:3:28: invalid JSON");
}

/* Every prefix of a good file, and bytes changed at random: each load
 * either works or fails with a message naming the file; none crashes (the
 * sanitizer build is the judge of that). */
static void damaged_files_never_crash(void)
{
    char *good = slurp(DATA "snapshot/good.json");
    char *file = ecp_path_join(tmpdir, "damaged.json");
    size_t len = good ? strlen(good) : 0;
    static const char junk[] = " \"{}[],:0a\\-.nte";
    unsigned seed = 12345;
    int loads = 0, bad = 0;
    struct ecp_err err;

    for (size_t round = 0; good && round < len + 400; round++) {
        char *copy = ecp_strdup(good);
        size_t n = len;
        struct ecp_inventory inv = { 0 };

        if (round < len) {
            n = round;   /* cut short */
        } else {
            for (int k = 0; k < 3; k++) {
                seed = seed * 1103515245u + 12345u;
                copy[(seed >> 8) % len] =
                    junk[(seed >> 20) % (sizeof junk - 1)];
            }
        }
        if (ecp_write_file(file, copy, n, &err) == 0) {
            int rc = ecp_inventory_load(file, &inv, &err);

            loads++;
            if (!(rc == 0 || (rc == -1 && strstr(err.msg, file))))
                bad++;
            ecp_inventory_free(&inv);
        }
        free(copy);
    }
    CHECK(loads > 1000 && bad == 0, "%d damaged files: each loads or fails "
          "naming the file (%d did not)", loads, bad);
    unlink(file);
    free(file);
    free(good);
}

/* Load text written to a temporary file: the error message, or "" if it
 * loaded. */
static const char *load_text(const char *text, size_t len, char *file_out,
                             size_t file_size)
{
    static struct ecp_err err;
    struct ecp_inventory inv = { 0 };
    char *file = ecp_path_join(tmpdir, "text.json");
    int rc;

    snprintf(file_out, file_size, "%s", file);
    ecp_write_file(file, text, len, &err);
    rc = ecp_inventory_load(file, &inv, &err);
    ecp_inventory_free(&inv);
    unlink(file);
    free(file);
    return rc == 0 ? "" : err.msg;
}

static void text_problems(void)
{
    static const char good[] = "{\"schema\": \"ecpolicy.snapshot/1\", "
                               "\"regions\": {}}";
    char file[256], want[512];
    const char *msg;

    msg = load_text("\xef\xbb\xbf{\"schema\": \"ecpolicy.snapshot/1\", "
                    "\"regions\": {}}", sizeof good - 1 + 3, file, sizeof file);
    CHECK_STR(msg, "", "a UTF-8 byte order mark is skipped");
    msg = load_text("\xff\xfe{\0\"\0", 6, file, sizeof file);
    snprintf(want, sizeof want, "%s: the file is UTF-16 text; save it as "
             "UTF-8 (PowerShell: add '| Out-File -Encoding utf8')", file);
    CHECK_STR(msg, want, "UTF-16 is named");
    msg = load_text("{\"schema\"\0}", 12, file, sizeof file);
    snprintf(want, sizeof want, "%s: a NUL byte at offset 9; not JSON text",
             file);
    CHECK_STR(msg, want, "a NUL byte is named");
    static const char after[] = "{\"schema\": \"ecpolicy.snapshot/1\",\n"
                                " \"regions\": {}}\n  x\n";
    static const char cut[] = "{\"schema\": \"ecpolicy.snapshot/1\",\n"
                              " \"regions\": {";
    msg = load_text(after, strlen(after), file, sizeof file);
    snprintf(want, sizeof want, "%s:3:3: invalid JSON", file);
    CHECK_STR(msg, want, "text after the value: line and column");
    msg = load_text(cut, strlen(cut), file, sizeof file);
    snprintf(want, sizeof want, "%s:2:14: invalid JSON (the file ends too "
             "early)", file);
    CHECK_STR(msg, want, "a cut-off file says so");
    msg = load_text(" \n\t\n", 4, file, sizeof file);
    CHECK_HAS(msg, "the file is empty", "white space only is empty");
}

static void write_errors(void)
{
    struct ecp_inventory inv = { 0 };
    struct ecp_err err = { { 0 } };
    int rc = ecp_snapshot_write(&inv, "/nonexistent-dir/snap.json", &err);

    CHECK(rc == -1, "writing into a missing folder fails");
    CHECK_HAS(err.msg, "/nonexistent-dir/snap.json: No such file or "
              "directory", "naming the file");
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    round_trip(DATA "two-regions");
    round_trip(DATA "moto-cli-v1");
    round_trip(DATA "partial");
    reads_a_hand_written_snapshot();
    writes_deterministically();
    errors();
    damaged_files_never_crash();
    text_problems();
    write_errors();
    rmdir(tmpdir);
    return harness_done();
}
