#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "conf/conf.h"

static struct wr_conf parsed;

/* Parses text (strlen) into the shared conf; callers wr_conf_free it. */
static int parse(const char *text, size_t len)
{
    struct wr_err err;

    wr_conf_init(&parsed);
    return wr_conf_parse(&parsed, text, len, &err);
}

static const char *warnings(void)
{
    return parsed.warnings.data ? parsed.warnings.data : "";
}

static void empty_file_gives_defaults(void)
{
    CHECK_INT(parse("", 0), WR_OK);
    CHECK_INT(parsed.timeout, 5);
    CHECK_INT(parsed.default_entry, WR_CONF_DEFAULT_AUTO);
    CHECK_INT(parsed.warning_count, 0);
    wr_conf_free(&parsed);
}

static void reads_keys_comments_and_blank_lines(void)
{
    const char *t = "# wtg-rescue settings\n\n  timeout   12  \n\tdefault internal\n#default menu\n";

    CHECK_INT(parse(t, strlen(t)), WR_OK);
    CHECK_INT(parsed.timeout, 12);
    CHECK_INT(parsed.default_entry, WR_CONF_DEFAULT_INTERNAL);
    CHECK_INT(parsed.warning_count, 0);
    wr_conf_free(&parsed);
}

static void tolerates_crlf_bom_tabs_and_trailing_comments(void)
{
    const char *t = "\xEF\xBB\xBFtimeout\t0\r\ndefault MENU   # wait for me\r\n\r\n";

    CHECK_INT(parse(t, strlen(t)), WR_OK);
    CHECK_INT(parsed.timeout, 0);
    CHECK_INT(parsed.default_entry, WR_CONF_DEFAULT_MENU);
    CHECK_INT(parsed.warning_count, 0);
    wr_conf_free(&parsed);
}

static void last_line_without_newline_counts(void)
{
    const char *t = "timeout 3\ndefault togo";

    CHECK_INT(parse(t, strlen(t)), WR_OK);
    CHECK_INT(parsed.timeout, 3);
    CHECK_INT(parsed.default_entry, WR_CONF_DEFAULT_TOGO);
    wr_conf_free(&parsed);
}

static void minus_one_waits_forever(void)
{
    const char *t = "timeout -1\n";

    CHECK_INT(parse(t, strlen(t)), WR_OK);
    CHECK_INT(parsed.timeout, WR_CONF_TIMEOUT_FOREVER);
    CHECK_INT(parsed.warning_count, 0);
    wr_conf_free(&parsed);
}

static void unknown_keys_and_bad_values_warn_with_line_numbers(void)
{
    const char *t = "timeout 7\n"
                    "editor no\n"
                    "timeout soon\n"
                    "default windows\n"
                    "timeout -5\n"
                    "default\n";

    CHECK_INT(parse(t, strlen(t)), WR_OK);
    CHECK_INT(parsed.timeout, 7); /* the bad lines changed nothing */
    CHECK_INT(parsed.default_entry, WR_CONF_DEFAULT_AUTO);
    CHECK_INT(parsed.warning_count, 5);
    CHECK_STR(warnings(),
              "wtg-rescue.conf line 2: unknown key ignored: \"editor\"\n"
              "wtg-rescue.conf line 3: timeout wants a number of seconds (or -1), not \"soon\"\n"
              "wtg-rescue.conf line 4: default wants togo, internal or menu, not \"windows\"\n"
              "wtg-rescue.conf line 5: timeout below -1 ignored: \"-5\"\n"
              "wtg-rescue.conf line 6: no value after \"default\"\n");
    wr_conf_free(&parsed);
}

static void huge_numbers_are_refused_without_overflow(void)
{
    const char *t = "timeout 99999999999999999999999999999999\n"
                    "timeout -99999999999999999999999999999\n"
                    "timeout 86401\n"
                    "timeout 86400\n";

    CHECK_INT(parse(t, strlen(t)), WR_OK);
    CHECK_INT(parsed.timeout, 86400);
    CHECK_INT(parsed.warning_count, 3);
    CHECK(strstr(warnings(), "line 1: timeout above 86400") != NULL);
    CHECK(strstr(warnings(), "line 2: timeout below -1") != NULL);
    CHECK(strstr(warnings(), "line 3: timeout above 86400") != NULL);
    wr_conf_free(&parsed);
}

static void numbers_with_junk_are_refused(void)
{
    const char *t = "timeout 5s\ntimeout 0x10\ntimeout -\ntimeout 1 2\n";

    CHECK_INT(parse(t, strlen(t)), WR_OK);
    CHECK_INT(parsed.timeout, 5);
    CHECK_INT(parsed.warning_count, 4);
    wr_conf_free(&parsed);
}

static void long_line_is_ignored_and_parsing_goes_on(void)
{
    size_t n = 10 * 1024;
    char *t = malloc(n + 32);

    CHECK(t != NULL);
    memcpy(t, "timeout ", 8);
    memset(t + 8, '9', n);
    strcpy(t + 8 + n, "\ntimeout 2\n");
    CHECK_INT(parse(t, strlen(t)), WR_OK);
    free(t);
    CHECK_INT(parsed.timeout, 2);
    CHECK_INT(parsed.warning_count, 1);
    CHECK_STR(warnings(), "wtg-rescue.conf line 1: line too long, ignored\n");
    wr_conf_free(&parsed);
}

static void nul_bytes_do_not_end_the_file(void)
{
    static const char t[] = "timeout\0 9\ndefault menu\n\0\0\0\ntimeout 4";

    CHECK_INT(parse(t, sizeof t - 1), WR_OK);
    CHECK_INT(parsed.timeout, 4);
    CHECK_INT(parsed.default_entry, WR_CONF_DEFAULT_MENU);
    CHECK_INT(parsed.warning_count, 2);
    CHECK(strstr(warnings(), "line 1: line contains a NUL byte") != NULL);
    CHECK(strstr(warnings(), "line 3: line contains a NUL byte") != NULL);
    wr_conf_free(&parsed);
}

static void warnings_quote_only_printable_ascii(void)
{
    const char *t = "\x1b[2Jfoo\x01 bar\ndefault \x1b]0;pwned\x07\n";

    CHECK_INT(parse(t, strlen(t)), WR_OK);
    CHECK_INT(parsed.warning_count, 2);
    CHECK(strchr(warnings(), 0x1b) == NULL);
    CHECK(strchr(warnings(), 0x07) == NULL);
    CHECK(strstr(warnings(), "line 1: unknown key ignored: \"?[2Jfoo?\"") != NULL);
    wr_conf_free(&parsed);
}

static void warnings_are_capped(void)
{
    char t[4096];
    size_t n = 0;

    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(t + n, sizeof t - n, "bogus%d 1\n", i);
    CHECK_INT(parse(t, n), WR_OK);
    CHECK_INT(parsed.warning_count, 100);
    CHECK(strstr(warnings(), "line 20: unknown key") != NULL);
    CHECK(strstr(warnings(), "(further warnings not shown)") != NULL);
    CHECK(strstr(warnings(), "line 21:") == NULL);
    wr_conf_free(&parsed);
}

static void long_values_are_quoted_shortened(void)
{
    const char *t = "default abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\n";

    CHECK_INT(parse(t, strlen(t)), WR_OK);
    CHECK(strstr(warnings(), "\"abcdefghijklmnopqrstuvwxyzabcdefghijklmn...\"") != NULL);
    wr_conf_free(&parsed);
}

static void every_byte_value_is_survivable(void)
{
    char t[512];

    for (int i = 0; i < 256; i++) {
        t[2 * i] = (char)i;
        t[2 * i + 1] = (char)(255 - i);
    }
    CHECK_INT(parse(t, sizeof t), WR_OK);
    CHECK(parsed.warning_count >= 1);
    CHECK_INT(parsed.timeout, 5);
    wr_conf_free(&parsed);
}

int main(void)
{
    RUN(empty_file_gives_defaults);
    RUN(reads_keys_comments_and_blank_lines);
    RUN(tolerates_crlf_bom_tabs_and_trailing_comments);
    RUN(last_line_without_newline_counts);
    RUN(minus_one_waits_forever);
    RUN(unknown_keys_and_bad_values_warn_with_line_numbers);
    RUN(huge_numbers_are_refused_without_overflow);
    RUN(numbers_with_junk_are_refused);
    RUN(long_line_is_ignored_and_parsing_goes_on);
    RUN(nul_bytes_do_not_end_the_file);
    RUN(warnings_quote_only_printable_ascii);
    RUN(warnings_are_capped);
    RUN(long_values_are_quoted_shortened);
    RUN(every_byte_value_is_survivable);
    return check_done();
}
