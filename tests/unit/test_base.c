#include <string.h>

#include "check.h"
#include "base/blockdev.h"
#include "base/fmt.h"
#include "base/guid.h"
#include "base/sha256.h"
#include "base/utf16.h"

static void format_matches_printf_subset(void)
{
    char buf[64];

    wr_format(buf, sizeof buf, "%d|%5u|%-4s|%04x|%llX|%zu|%c|%%", -42, 7u, "ab", 0xbeefu,
              0x1234567890abcdefULL, (size_t)9, 'z');
    CHECK_STR(buf, "-42|    7|ab  |beef|1234567890ABCDEF|9|z|%");
    wr_format(buf, sizeof buf, "%.3s|%*d|%05d", "abcdef", 4, 12, -12);
    CHECK_STR(buf, "abc|  12|-0012");
}

static void format_truncates_and_reports_full_length(void)
{
    char buf[5];

    CHECK_INT(wr_format(buf, sizeof buf, "%s", "hello world"), 11);
    CHECK_STR(buf, "hell");
    CHECK_INT(wr_format(NULL, 0, "%d", 12345), 5);
}

static void text_buffer_grows(void)
{
    struct wr_text t = { 0 };

    for (int i = 0; i < 1000; i++)
        wr_text_printf(&t, "%d,", i);
    CHECK(!t.failed);
    CHECK(t.len > 3000);
    CHECK(strncmp(t.data, "0,1,2,", 6) == 0);
    wr_text_free(&t);
}

static void errors_carry_code_and_context(void)
{
    struct wr_err err;

    CHECK_INT(wr_fail(&err, WR_E_CORRUPT, "header CRC 0x%08x", 0xdeadbeefu), WR_E_CORRUPT);
    CHECK_INT(wr_err_prefix(&err, WR_E_CORRUPT, "%s: ", "disk.img"), WR_E_CORRUPT);
    CHECK_STR(err.msg, "disk.img: header CRC 0xdeadbeef");
    CHECK_INT(err.code, WR_E_CORRUPT);
    /* without a message buffer the failure must still come back */
    CHECK_INT(wr_err_prefix(NULL, WR_E_IO, "%s: ", "disk.img"), WR_E_IO);
    CHECK_STR(wr_status_name(WR_E_NOT_FOUND), "not found");
}

static void guid_round_trips_in_mixed_endian(void)
{
    /* The ESP type GUID as it sits on disk. */
    static const uint8_t esp[16] = { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
                                     0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b };
    struct wr_guid g, back;
    struct wr_err err;
    char text[37];

    memcpy(g.b, esp, 16);
    wr_guid_format(&g, text, false);
    CHECK_STR(text, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
    CHECK_OK(wr_guid_parse("{C12A7328-F81F-11D2-BA4B-00A0C93EC93B}", &back, &err), &err);
    CHECK(wr_guid_equal(&g, &back));
    CHECK_INT(wr_guid_parse("c12a7328-f81f-11d2-ba4b-00a0c93ec93", &back, &err), WR_E_INVALID);
    CHECK_INT(wr_guid_parse("c12a7328+f81f-11d2-ba4b-00a0c93ec93b", &back, &err), WR_E_INVALID);
}

static void utf16_handles_pairs_and_lone_surrogates(void)
{
    /* "A", U+1F600 as a pair, a lone high surrogate, "é" */
    static const uint8_t src[] = { 'A', 0, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xD8, 0xE9, 0x00 };
    char out[32];
    uint8_t back[20];
    size_t units;
    struct wr_err err;

    CHECK_INT(wr_utf16le_to_utf8(src, 5, out, sizeof out, 0), 1 + 4 + 3 + 2);
    CHECK(memcmp(out, "A\xF0\x9F\x98\x80\xED\xA0\x80\xC3\xA9", 10) == 0);
    CHECK_OK(wr_utf8_to_utf16le(out, strlen(out), back, 10, &units, &err), &err);
    CHECK_INT(units, 5);
    CHECK(memcmp(back, src, sizeof src) == 0);
    wr_utf16le_to_utf8(src, 5, out, sizeof out, WR_UTF16_REPLACE);
    CHECK(memcmp(out + 5, "\xEF\xBF\xBD", 3) == 0);
    CHECK_INT(wr_utf8_to_utf16le("\xC3", 1, back, 10, &units, &err), WR_E_INVALID);
}

static void blockdev_reads_unaligned_and_bounds_slices(void)
{
    static uint8_t disk[4096];
    struct wr_memdev m;
    struct wr_blockdev_slice s;
    struct wr_err err;
    uint8_t buf[700];

    for (size_t i = 0; i < sizeof disk; i++)
        disk[i] = (uint8_t)(i * 7);
    CHECK_OK(wr_memdev_init(&m, disk, sizeof disk, 512, false, "mem", &err), &err);
    CHECK_OK(wr_blockdev_read_bytes(&m.dev, 300, sizeof buf, buf, &err), &err);
    CHECK(memcmp(buf, disk + 300, sizeof buf) == 0);
    CHECK_INT(wr_blockdev_read_bytes(&m.dev, 4000, 200, buf, &err), WR_E_INVALID);
    CHECK_INT(wr_blockdev_write(&m.dev, 0, 1, buf, &err), WR_E_REFUSED);
    CHECK_OK(wr_blockdev_slice_init(&s, &m.dev, 2, 4, "part", &err), &err);
    CHECK_OK(wr_blockdev_read(&s.dev, 3, 1, buf, &err), &err);
    CHECK(memcmp(buf, disk + 5 * 512, 512) == 0);
    CHECK_INT(wr_blockdev_read(&s.dev, 3, 2, buf, &err), WR_E_INVALID);
    CHECK_INT(wr_blockdev_slice_init(&s, &m.dev, 6, 4, "part", &err), WR_E_CORRUPT);
}

static void sha256_matches_fips_vectors(void)
{
    static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    struct wr_sha256 s;
    uint8_t digest[WR_SHA256_LEN];
    char hex[65];

    wr_sha256_hex("", 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    wr_sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    wr_sha256_hex(two_blocks, strlen(two_blocks), hex);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* A million 'a' fed in uneven pieces crosses the block edge every way. */
    wr_sha256_init(&s);
    for (size_t done = 0, step = 1; done < 1000000; step = step % 200 + 7) {
        static char as[256];
        memset(as, 'a', sizeof as);
        size_t n = 1000000 - done < step ? 1000000 - done : step;
        wr_sha256_update(&s, as, n);
        done += n;
    }
    wr_sha256_final(&s, digest);
    CHECK_INT(digest[0], 0xcd);
    CHECK_INT(digest[1], 0xc7);
    CHECK_INT(digest[31], 0xd0);
}

int main(void)
{
    RUN(format_matches_printf_subset);
    RUN(format_truncates_and_reports_full_length);
    RUN(text_buffer_grows);
    RUN(errors_carry_code_and_context);
    RUN(guid_round_trips_in_mixed_endian);
    RUN(utf16_handles_pairs_and_lone_surrogates);
    RUN(blockdev_reads_unaligned_and_bounds_slices);
    RUN(sha256_matches_fips_vectors);
    return check_done();
}
