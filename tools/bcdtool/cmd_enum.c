/* /enum and --check. */
#include <stdio.h>
#include <string.h>

#include "bcdtool.h"
#include "bcd/check.h"
#include "bcd/render.h"

static void count_problem(void *arg, const char *msg)
{
    size_t *n = arg;

    (*n)++;
    bcdtool_error("%s", msg);
}

int bcdtool_cmd_enum(struct bcdtool *bt)
{
    struct wr_text t = { 0 };
    struct wr_err err = { 0 };
    size_t problems = 0;
    struct wr_bcd_render_opts opts = { bt->verbose, bt->compat, count_problem, &problems };
    const char *what = NULL;

    if (bt->n_args > 1)
        return bcdtool_error("/enum takes one type or {id}; '%s' is extra", bt->args[1]);
    if (bt->n_args == 1)
        what = bt->args[0];
    if (!bcdtool_open(bt))
        return 1;
    if (wr_bcd_render_enum(&t, &bt->store, what, &opts, &err) != WR_OK) {
        wr_text_free(&t);
        return bcdtool_error("%s", err.msg);
    }
    if (t.len)
        fwrite(t.data, 1, t.len, stdout);
    wr_text_free(&t);
    if (fflush(stdout) != 0)
        return bcdtool_error("writing the output failed");
    if (problems)
        return bcdtool_error("%zu element(s) of %s could not be decoded (shown as "
                             "<cannot decode: ...>)", problems, bt->store_path);
    return 0;
}

static bool print_finding(void *arg, const struct wr_regf_finding *f)
{
    size_t *errors = arg;

    if (!wr_regf_finding_is_warning(f->code))
        (*errors)++;
    printf("%s: hive %s at 0x%llx: %s\n", wr_regf_finding_is_warning(f->code) ? "warning"
                                                                             : "error",
           wr_regf_finding_name(f->code), (unsigned long long)f->offset, f->message);
    return true;
}

static void print_check(void *arg, enum wr_bcd_severity sev, const char *msg)
{
    static const char *const names[] = { "error", "warning", "info" };

    (void)arg;
    printf("%s: %s\n", names[sev], msg);
}

int bcdtool_cmd_check(struct bcdtool *bt)
{
    struct wr_err err = { 0 };
    struct wr_bcd_check_counts counts;
    size_t hive_findings = 0, n = 0;

    if (!bcdtool_open(bt))
        return 1;
    if (wr_regf_validate(bt->hive, print_finding, &hive_findings, &n, &err) != WR_OK)
        return bcdtool_error("%s: validation failed: %s", bt->store_path, err.msg);
    wr_bcd_check(&bt->store, print_check, NULL, &counts);
    printf("%s: %zu object(s); hive: %zu error(s); BCD: %zu error(s), %zu warning(s), "
           "%zu note(s)\n", bt->store_path, bt->store.n_objects, hive_findings, counts.errors,
           counts.warnings, counts.infos);
    return hive_findings || counts.errors ? 1 : 0;
}
