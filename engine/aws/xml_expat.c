#include <string.h>

#include "aws/xml_expat.h"

/* A DOCTYPE is where entities are declared (the "billion laughs" and
 * external entities); AWS replies never carry one, so any is refused. */
static void XMLCALL on_doctype(void *user, const XML_Char *name,
                               const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal_subset)
{
    struct ecp_xml_guard *g = user;

    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal_subset;
    g->doctype = 1;
    XML_StopParser(g->parser, XML_FALSE);
}

XML_Parser ecp_xml_parser_new(struct ecp_xml_guard *g)
{
    XML_Parser p = XML_ParserCreateNS("UTF-8", ECP_XML_NS_SEP);

    g->parser = p;
    g->doctype = 0;
    if (!p)
        return NULL;
    XML_SetUserData(p, g);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    return p;
}

const char *ecp_xml_local(const char *name)
{
    const char *sep = strrchr(name, ECP_XML_NS_SEP);

    return sep ? sep + 1 : name;
}

int ecp_xml_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void ecp_xml_copy_utf8(char *out, size_t size, const char *s, size_t n)
{
    if (n > size - 1) {
        n = size - 1;
        /* Back off continuation bytes (10xxxxxx) to the lead byte of the
         * character that would be cut, and drop that character too. */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}
