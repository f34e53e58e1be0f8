/* What sits at an ESP's fallback path (\EFI\Boot\bootx64.efi): Microsoft's
 * boot manager (its UTF-16 names), the rescue app (its marker), or another
 * OS's loader (G8). The running app loaded from that very file is known to
 * be ours without reading it. */
#include <stdio.h>

#include "machine/version.h"
#include "rescue/diagnose.h"
#include "rescue_fx.h"

struct self {
    bool here;
    unsigned asked;
};

static bool loaded_from(void *arg, uint32_t disk, uint32_t part, const char *path)
{
    struct self *s = arg;

    s->asked++;
    return s->here && disk == 0 && part == 0 && !strcmp(path, WR_RESCUE_FALLBACK_PATH);
}

static void put_fallback(struct rescue_fx *f, const void *data, size_t len)
{
    struct wr_err err = { 0 };

    CHECK_OK(wr_memvol_put(f->esp, WR_RESCUE_FALLBACK_PATH, (const uint8_t *)data, len, &err),
             &err);
}

static bool has_g8(struct rescue_fx *f)
{
    struct wr_rescue_findings fs = { 0 };
    struct wr_err err = { 0 };
    bool g8;

    if (wr_rescue_diagnose(&f->m, &fs, &err) != WR_OK) {
        check_failed(__FILE__, __LINE__, "diagnose: %s", err.msg);
        return false;
    }
    g8 = wr_rescue_findings_has(&fs, "G8");
    wr_rescue_findings_free(&fs);
    return g8;
}

static void kinds_of_fallback(void)
{
    static const uint8_t ms[] = "MZ..\0\0W\0i\0n\0d\0o\0w\0s\0 \0B\0o\0o\0t\0 \0M\0a\0n\0a\0g\0e\0r\0";
    static const uint8_t other[] = "MZ GRUB loader";
    char ours[96];
    struct rescue_fx f;

    rescue_fx_init(&f, rescue_fx_esp(false));
    put_fallback(&f, ms, sizeof ms);
    wr_rescue_scan_esp(&f.m, &f.m.parts[0]);
    CHECK(f.m.parts[0].esp.has_fallback && f.m.parts[0].esp.fallback_is_ms);
    CHECK(!f.m.parts[0].esp.fallback_is_ours);
    CHECK(!has_g8(&f));

    snprintf(ours, sizeof ours, "MZ%s...", WR_APP_MARKER);
    put_fallback(&f, ours, strlen(ours));
    wr_rescue_scan_esp(&f.m, &f.m.parts[0]);
    CHECK(f.m.parts[0].esp.fallback_is_ours && !f.m.parts[0].esp.fallback_is_ms);
    CHECK(!has_g8(&f));

    put_fallback(&f, other, sizeof other);
    wr_rescue_scan_esp(&f.m, &f.m.parts[0]);
    CHECK(f.m.parts[0].esp.has_fallback);
    CHECK(!f.m.parts[0].esp.fallback_is_ours && !f.m.parts[0].esp.fallback_is_ms);
    CHECK(has_g8(&f));
    rescue_fx_free(&f, false);
}

static void the_running_app_is_not_read(void)
{
    static const uint8_t other[] = "MZ no marker in these bytes";
    struct self self = { .here = true };
    struct wr_rescue_host host = { .is_self = loaded_from, .arg = &self };
    struct rescue_fx f;

    rescue_fx_init(&f, rescue_fx_esp(false));
    put_fallback(&f, other, sizeof other);
    f.m.host = &host;
    wr_rescue_scan_esp(&f.m, &f.m.parts[0]);
    CHECK(self.asked > 0);
    CHECK(f.m.parts[0].esp.has_fallback && f.m.parts[0].esp.fallback_is_ours);
    CHECK(!has_g8(&f));

    self.here = false; /* loaded from elsewhere: the file is judged by its bytes */
    wr_rescue_scan_esp(&f.m, &f.m.parts[0]);
    CHECK(!f.m.parts[0].esp.fallback_is_ours);
    CHECK(has_g8(&f));
    f.m.host = NULL;
    rescue_fx_free(&f, false);
}

int main(void)
{
    RUN(kinds_of_fallback);
    RUN(the_running_app_is_not_read);
    return check_done();
}
