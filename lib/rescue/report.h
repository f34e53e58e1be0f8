/* The report: what the machine holds, the findings, the plan and what
 * happened, as text a person reads at a glance and as JSON; saved on the
 * stick under \wtg-rescue\reports\. */
#ifndef WR_RESCUE_REPORT_H
#define WR_RESCUE_REPORT_H

#include "rescue/judge.h"
#include "rescue/plan.h"

struct wr_rescue_report {
    const struct wr_rescue_model *m;
    const struct wr_rescue_findings *findings;
    const struct wr_rescue_plan *plan;      /* may be NULL */
    bool applied;                           /* the plan ran (else: dry run) */
    const char *backup_dir;                 /* may be NULL or "" */
    const struct wr_rescue_verdict *verdict; /* may be NULL */
    const char *stamp;
};

void wr_rescue_report_text(const struct wr_rescue_report *r, struct wr_text *t);
void wr_rescue_report_json(const struct wr_rescue_report *r, struct wr_text *t);

/* report-<stamp>.txt and .json under \wtg-rescue\reports\ on the stick. */
wr_status wr_rescue_report_save(const struct wr_volume *stick, const struct wr_rescue_report *r,
                                char path[WR_NAME_MAX], struct wr_err *err);

#endif
