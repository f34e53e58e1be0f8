/* wtg-rescue.conf `mode`: menu by default; only an explicit `repair`
 * lets the unattended run write. */
#include <string.h>

#include "check.h"
#include "conf/conf.h"

static enum wr_conf_mode mode_of(const char *text, uint32_t *warnings)
{
    struct wr_conf c;
    struct wr_err err;
    enum wr_conf_mode m;

    wr_conf_init(&c);
    if (wr_conf_parse(&c, text, strlen(text), &err) != WR_OK)
        return (enum wr_conf_mode)-1;
    m = c.mode;
    *warnings = c.warning_count;
    wr_conf_free(&c);
    return m;
}

static void mode_is_menu_unless_set(void)
{
    uint32_t w = 99;

    CHECK_INT(mode_of("", &w), WR_CONF_MODE_MENU);
    CHECK_INT(w, 0);
    CHECK_INT(mode_of("timeout 3\n", &w), WR_CONF_MODE_MENU);
}

static void mode_values_and_case(void)
{
    uint32_t w = 99;

    CHECK_INT(mode_of("mode diagnose\n", &w), WR_CONF_MODE_DIAGNOSE);
    CHECK_INT(w, 0);
    CHECK_INT(mode_of("MODE Repair  # for the row of PCs\n", &w), WR_CONF_MODE_REPAIR);
    CHECK_INT(w, 0);
    CHECK_INT(mode_of("mode repair\nmode menu\n", &w), WR_CONF_MODE_MENU);
    CHECK(!strcmp(wr_conf_mode_name(WR_CONF_MODE_REPAIR), "repair"));
    CHECK(!strcmp(wr_conf_mode_name(WR_CONF_MODE_DIAGNOSE), "diagnose"));
}

static void bad_mode_warns_and_never_means_repair(void)
{
    struct wr_conf c;
    struct wr_err err;
    const char *t = "mode fix-everything\nmode\n";

    wr_conf_init(&c);
    CHECK_INT(wr_conf_parse(&c, t, strlen(t), &err), WR_OK);
    CHECK_INT(c.mode, WR_CONF_MODE_MENU);
    CHECK_INT(c.warning_count, 2);
    CHECK_MSG(strstr(c.warnings.data, "line 1: mode wants menu, diagnose or repair") != NULL,
              "%s", c.warnings.data);
    CHECK_MSG(strstr(c.warnings.data, "line 2: no value after") != NULL, "%s", c.warnings.data);
    wr_conf_free(&c);
}

static void default_saved_parses(void)
{
    struct wr_conf c;
    struct wr_err err;
    const char *t = "default @saved\n";

    wr_conf_init(&c);
    CHECK_INT(wr_conf_parse(&c, t, strlen(t), &err), WR_OK);
    CHECK_INT(c.default_entry, WR_CONF_DEFAULT_SAVED);
    CHECK_INT(c.warning_count, 0);
    CHECK(!strcmp(wr_conf_default_name(c.default_entry), "@saved"));
    CHECK(c.saved_title[0] == '\0');
    wr_conf_free(&c);
}

int main(void)
{
    RUN(mode_is_menu_unless_set);
    RUN(mode_values_and_case);
    RUN(bad_mode_warns_and_never_means_repair);
    RUN(default_saved_parses);
    return check_done();
}
