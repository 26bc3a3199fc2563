#ifndef ECP_AWS_XML_EXPAT_H
#define ECP_AWS_XML_EXPAT_H

#include <expat.h>

/*
 * What the two readers of AWS XML (xml.c, xml_error.c) share: an expat
 * parser set up for replies from the network.  Internal to engine/aws.
 */

/* The separator expat puts between a namespace URI and a local name; a
 * control character, so it cannot occur in either. */
#define ECP_XML_NS_SEP '\x01'

/* The first member of each reader's state: the handlers get the state as
 * their user data, and the guard's own handler casts it back. */
struct ecp_xml_guard {
    XML_Parser parser;
    int doctype;        /* a DOCTYPE was seen, and parsing was stopped */
};

/* A parser whose user data is g (the start of the caller's state):
 * namespace-aware, so names arrive as "URI\x01local" or "local"; reading
 * UTF-8 whatever the document declares, as botocore does; stopped by any
 * DOCTYPE, so no entity can be declared.  Sets g->parser and returns it,
 * or NULL when out of memory.  The caller frees it with XML_ParserFree. */
XML_Parser ecp_xml_parser_new(struct ecp_xml_guard *g);

/* The local part of a name the parser reported (a pointer into name). */
const char *ecp_xml_local(const char *name);

/* XML whitespace: what padding around a value may consist of. */
int ecp_xml_is_space(char c);

/* Copy at most size-1 bytes of s (n bytes long) into out, cut back to a
 * UTF-8 character boundary, and NUL-terminate it; size > 0. */
void ecp_xml_copy_utf8(char *out, size_t size, const char *s, size_t n);

#endif
