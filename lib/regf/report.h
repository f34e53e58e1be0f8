/* Collecting validator findings: each goes to the caller's callback and is
 * counted; the first error (not warning) is kept for the open message. */
#ifndef WR_REGF_REPORT_H
#define WR_REGF_REPORT_H

#include "regf/regf.h"

struct regf_report {
    wr_regf_finding_fn fn;
    void *arg;
    const char *name;          /* file name, prefixed to messages */
    size_t count;
    size_t errors;
    bool stopped;              /* the callback asked to stop */
    struct wr_regf_finding first_error;
};

void wr_regf_report_init(struct regf_report *r, const char *name, wr_regf_finding_fn fn, void *arg);
void wr_regf_report(struct regf_report *r, enum wr_regf_finding_code code, uint64_t offset,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
