#ifndef ECP_REPORT_RESULTS_H
#define ECP_REPORT_RESULTS_H

#include <stddef.h>

#include <cJSON.h>

#include "collect/inventory.h"

/*
 * The results of a run, independent of any output format: the controls
 * that ran, the resources they looked at, and one result per (control,
 * resource).  The runner fills it; the writers in report/ read it.  It
 * owns every string and evidence tree in it.
 */

enum ecp_severity {
    ECP_SEV_INFO,
    ECP_SEV_LOW,
    ECP_SEV_MEDIUM,
    ECP_SEV_HIGH,
    ECP_SEV_CRITICAL,
    ECP_SEV_COUNT
};

enum ecp_outcome {
    ECP_PASS,
    ECP_FAIL,
    ECP_NOT_APPLICABLE,
    ECP_UNKNOWN,
    ECP_ERROR,
    ECP_OUTCOME_COUNT
};

/* "info" ... "critical"; "pass", "fail", "not_applicable", "unknown",
 * "error"; and back (-1 if the name is not one). */
const char *ecp_severity_name(enum ecp_severity s);
int ecp_severity_by_name(const char *name);
const char *ecp_outcome_name(enum ecp_outcome o);
int ecp_outcome_by_name(const char *name);

struct ecp_control {
    char *id;
    char *title;
    char *file;
    char *resource;
    enum ecp_severity severity;   /* after overrides */
    size_t evaluated;             /* resources its check was called on */
    double seconds;               /* wall time of its checks and plans */
};

struct ecp_resource {
    char *kind;     /* "replication_group", ..., or "region" */
    char *id;
    char *arn;      /* may be NULL */
    char *region;
};

struct ecp_result {
    size_t control;     /* index into controls */
    size_t resource;    /* index into resources */
    enum ecp_outcome outcome;
    const char *reason; /* in the report's reason pool */
    cJSON *evidence;    /* may be NULL */
    /* ecpolicy plan (and test), for a fail: the completed plan
     * (remediate/plan.h), or why there is none.  Both NULL: not asked
     * for, or the policy has no remediate. */
    cJSON *plan;
    char *plan_error;   /* "remediate offered no plan" is not an error:
                         * plan NULL, plan_error NULL, has_plan_fn 1 */
    int has_plan_fn;    /* the policy has a remediate function */
    char *plan_note;    /* why remediate offered no plan (its second
                         * result), or NULL */
};

/* Reasons repeat ("at-rest encryption is on" for thousands of caches):
 * each distinct text is kept once. */
struct ecp_strpool {
    char **slots;
    size_t cap, count;
};

struct ecp_report {
    struct ecp_control *controls;
    size_t ncontrols;
    struct ecp_resource *resources;
    size_t nresources, resources_cap;
    struct ecp_result *results;
    size_t nresults, results_cap;

    const struct ecp_inventory *inventory;   /* not owned */
    /* The collections the controls read (their "needs"); the report lists
     * only these as not collected. */
    unsigned char needed[ECP_COLL_COUNT];
    char *generated_at;
    enum ecp_severity fail_on;
    int fail_on_none;                         /* --fail-on none */
    struct ecp_strpool reasons;               /* owns every reason */
};

/* Add a control; returns its index.  Strings are copied. */
size_t ecp_report_add_control(struct ecp_report *r, const char *id,
                              const char *title, const char *file,
                              const char *resource, enum ecp_severity sev);

/* Add a resource; returns its index.  Strings are copied (arn may be
 * NULL). */
size_t ecp_report_add_resource(struct ecp_report *r, const char *kind,
                               const char *id, const char *arn,
                               const char *region);

/* Add a result; reason is copied, evidence is taken over. */
void ecp_report_add_result(struct ecp_report *r, size_t control,
                           size_t resource, enum ecp_outcome outcome,
                           const char *reason, cJSON *evidence);

/* Attach what remediate gave to result `index`: plan is taken over (may
 * be NULL), error copied (may be NULL). */
void ecp_report_set_plan(struct ecp_report *r, size_t index, cJSON *plan,
                         const char *error);
/* Why remediate offered no plan for result `index` (copied). */
void ecp_report_set_plan_note(struct ecp_report *r, size_t index,
                              const char *note);

struct ecp_counts {
    size_t by_outcome[ECP_OUTCOME_COUNT];
    size_t fail_by_severity[ECP_SEV_COUNT];
    size_t total;
};

/* Counts in one pass: per_control (ncontrols entries, may be NULL) and
 * the total. */
void ecp_report_count(const struct ecp_report *r,
                      struct ecp_counts *per_control,
                      struct ecp_counts *total);

/*
 * The exit code the results call for: 3 if any result is unknown or
 * error (incomplete data can hide a failure, so 3 wins), else 1 if any
 * fail is at or above fail_on, else 0.
 */
int ecp_report_exit_code(const struct ecp_report *r);

void ecp_report_free(struct ecp_report *r);

#endif
