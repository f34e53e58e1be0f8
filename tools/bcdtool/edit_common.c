/* What every edit shares: resolving ids against the store, new GUIDs, the
 * security warnings, and "validate, then commit crash-safely, then read
 * back" so a failed edit never reaches the disk. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "edit.h"
#include "../common/dirvol.h"
#include "bcd/check.h"
#include "bcd/elements.h"
#include "bcd/hive.h"
#include "bcd/ids.h"
#include "bcd/security.h"
#include "regf/commit.h"

wr_status bcdtool_resolve_id(void *arg, const char *text, struct wr_guid *out,
                             struct wr_err *err)
{
    const struct bcdtool *bt = arg;

    return wr_bcd_resolve_id(&bt->store, text, out, err);
}

struct wr_bcd_object *bcdtool_object(struct bcdtool *bt, const char *text)
{
    struct wr_guid g;
    struct wr_err err = { 0 };
    struct wr_bcd_object *o;

    if (wr_bcd_resolve_id(&bt->store, text, &g, &err) != WR_OK) {
        bcdtool_error("%s", err.msg);
        return NULL;
    }
    o = wr_bcd_store_find(&bt->store, &g);
    if (!o)
        bcdtool_error("the specified entry identifier %s was not found in %s", text,
                      bt->store_path);
    return o;
}

bool bcdtool_new_guid(struct wr_guid *g)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && read(fd, g->b, 16) == 16;

    if (fd >= 0)
        close(fd);
    if (!ok)
        return bcdtool_error("cannot read /dev/urandom for a new GUID"), false;
    g->b[7] = (uint8_t)((g->b[7] & 0x0F) | 0x40);  /* version 4 (Data3 is little-endian) */
    g->b[8] = (uint8_t)((g->b[8] & 0x3F) | 0x80);  /* RFC 4122 variant */
    return true;
}

void bcdtool_warn_element(const struct wr_bcd_object *o, uint32_t code, uint64_t value)
{
    struct wr_bcd_risk r;
    char buf[16];
    uint32_t type = o->has_type ? o->type : 0;

    if (!wr_bcd_security_risk(code, type, value, &r))
        return;
    fprintf(stderr, "bcdtool: warning: %s on %s weakens boot security: %s.\n",
            wr_bcd_element_name(code, type, buf), o->key, r.risk);
    fprintf(stderr, "bcdtool: note: BitLocker will ask for the recovery key on the next boot "
            "when it validates this element (%s).\n",
            r.bitlocker_checked ? "it is in BitLocker's default validation profile"
                                : "not in BitLocker's default profile, so only with a custom "
                                  "profile");
}

/* FILETIME now, for the keys an edit touches. */
static uint64_t filetime_now(void)
{
    return ((uint64_t)time(NULL) + 11644473600ull) * 10000000ull;
}

void bcdtool_stamp(struct bcdtool *bt)
{
    wr_regf_set_time(bt->hive, filetime_now());
}

static bool count_error(void *arg, const struct wr_regf_finding *f)
{
    if (!wr_regf_finding_is_warning(f->code)) {
        bcdtool_error("the edited hive fails validation: %s", f->message);
        ++*(size_t *)arg;
    }
    return true;
}

static void bcd_error(void *arg, enum wr_bcd_severity sev, const char *msg)
{
    if (sev == WR_BCD_ERROR) {
        bcdtool_error("the edited store fails BCD checks: %s", msg);
        ++*(size_t *)arg;
    }
}

/* The edited hive must pass regf validation and load as a BCD store with
 * no more BCD errors than it had before. */
static bool revalidate(struct bcdtool *bt)
{
    struct wr_bcd_store after;
    struct wr_bcd_check_counts before, now;
    struct wr_err err = { 0 };
    size_t hive_errors = 0, n = 0, bcd_errors = 0;

    wr_bcd_check(&bt->store, NULL, NULL, &before);
    if (wr_regf_validate(bt->hive, count_error, &hive_errors, &n, &err) != WR_OK)
        return bcdtool_error("validating the edited hive failed: %s", err.msg), false;
    if (hive_errors)
        return false;
    if (wr_bcd_store_load(bt->hive, &after, &err) != WR_OK)
        return bcdtool_error("the edited store cannot be read back: %s", err.msg), false;
    wr_bcd_check(&after, before.errors ? NULL : bcd_error, &bcd_errors, &now);
    wr_bcd_store_free(&after);
    /* a damaged store is only written when the edit repairs some of it */
    if (before.errors && now.errors >= before.errors)
        return bcdtool_error("the store has %zu BCD error(s) (see --check); only an edit "
                             "that removes one is written", before.errors), false;
    return now.errors == 0 || now.errors < before.errors;
}

int bcdtool_commit_hive(struct wr_regf_hive *h, const char *path, bool in_place)
{
    struct wr_dirvol *dv = NULL;
    struct wr_volume vol;
    char vpath[WR_NAME_MAX];
    struct wr_regf_commit_report rep;
    struct wr_err err = { 0 };
    wr_status st;

    if (wr_dirvol_for_file(path, &dv, vpath, sizeof vpath, &err) != WR_OK)
        return bcdtool_error("%s: %s", path, err.msg);
    wr_dirvol_volume(dv, &vol);
    st = wr_regf_commit(h, &vol, vpath,
                        (in_place ? WR_REGF_COMMIT_IN_PLACE : WR_REGF_COMMIT_REPLACE) |
                            WR_REGF_COMMIT_VALIDATE, &rep, &err);
    wr_dirvol_close(dv);
    if (st != WR_OK)
        return bcdtool_error("%s: writing the store failed, the file is unchanged: %s", path,
                             err.msg);
    return 0;
}

/* Reads the committed file back as a store, so what is on disk is what we
 * meant. */
static int read_back(const char *path)
{
    struct bcdtool again = { .store_path = path };
    bool ok = bcdtool_open(&again);

    bcdtool_close(&again);
    return ok ? 0 : bcdtool_error("%s: the written store does not read back", path);
}

int bcdtool_finish(struct bcdtool *bt)
{
    int rc;

    if (!revalidate(bt))
        return bcdtool_error("nothing was written to %s", bt->store_path);
    rc = bcdtool_commit_hive(bt->hive, bt->store_path, bt->in_place);
    if (!rc)
        rc = read_back(bt->store_path);
    if (!rc)
        puts("The operation completed successfully.");
    return rc;
}

int bcdtool_fail_edit(struct bcdtool *bt, const struct wr_err *err)
{
    if (err->msg[0])  /* empty when the failing step printed its own reason */
        bcdtool_error("%s", err->msg);
    return bcdtool_error("nothing was written to %s", bt->store_path);
}
