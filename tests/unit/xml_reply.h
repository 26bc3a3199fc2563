#ifndef ECP_TESTS_XML_REPLY_H
#define ECP_TESTS_XML_REPLY_H

/*
 * For the tests of the XML reader (test_xml.c, test_xml_errors.c): reading
 * a fixture of tests/data/xml/, a string member of a parsed reply,
 * parsing a string as a reply, and CC(), a DescribeCacheClusters reply
 * around one CacheCluster's elements.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "util/fs.h"

#define DATA "tests/data/xml/"

/* A fixture's text (fresh, *len its length), or NULL with the reason
 * printed as a comment line. */
static char *slurp(const char *name, size_t *len)
{
    struct ecp_err err = { { 0 } };
    char *path = ecp_path_join(DATA, name), *text = NULL;

    if (ecp_read_file(path, 1 << 26, &text, len, &err) != 0)
        printf("# %s\n", err.msg);
    free(path);
    return text;
}

/* The string member name of an object, or NULL. */
static const char *member_string(const cJSON *o, const char *name)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
}

/* Parse a string as service's operation reply: the message on failure,
 * NULL on success (*out, if given, gets the tree). */
static const char *reply_error(const char *service, const char *op,
                               const char *xml, cJSON **out)
{
    static struct ecp_err err;
    cJSON *got = NULL;
    int rc = ecp_xml_reply(service, op, xml, strlen(xml), &got, &err);

    if (rc != 0) {
        if (got)
            return "test bug: a tree came with a failure";
        return err.msg;
    }
    if (out)
        *out = got;
    else
        cJSON_Delete(got);
    return NULL;
}

/* A DescribeCacheClusters reply around one CacheCluster's elements, and
 * the path of that CacheCluster in messages. */
#define CC_OPEN "<DescribeCacheClustersResponse><DescribeCacheClustersResult>" \
                "<CacheClusters><CacheCluster>"
#define CC_CLOSE "</CacheCluster></CacheClusters>" \
                 "</DescribeCacheClustersResult></DescribeCacheClustersResponse>"
#define CC(inner) CC_OPEN inner CC_CLOSE
#define CC_PATH "/DescribeCacheClustersResponse/DescribeCacheClustersResult/" \
                "CacheClusters/CacheCluster[1]"

#endif
