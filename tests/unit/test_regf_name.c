/* Name rules of lib/regf (regf-format.md §5, §6): Windows' 1:1 upcase, the
 * lh hash and lf hint of stored names (Latin-1 and UTF-16), ordering with
 * ties broken by length, and UTF-8 input checks. */
#include <string.h>

#include "check.h"
#include "regf/name.h"
#include "regf/upcase.h"

static void upcase_is_simple_and_one_to_one(void)
{
    CHECK_INT(wr_regf_upcase('a'), 'A');
    CHECK_INT(wr_regf_upcase('z'), 'Z');
    CHECK_INT(wr_regf_upcase('{'), '{');
    CHECK_INT(wr_regf_upcase(0x00E9), 0x00C9); /* é */
    CHECK_INT(wr_regf_upcase(0x00FF), 0x0178); /* ÿ -> Ÿ */
    CHECK_INT(wr_regf_upcase(0x00DF), 0x00DF); /* ß stays */
    CHECK_INT(wr_regf_upcase(0x00F7), 0x00F7); /* ÷ is not a letter */
    CHECK_INT(wr_regf_upcase(0x0101), 0x0100); /* Latin Extended-A pairs */
    CHECK_INT(wr_regf_upcase(0x0100), 0x0100);
    CHECK_INT(wr_regf_upcase(0x043A), 0x041A); /* к */
    CHECK_INT(wr_regf_upcase(0x0451), 0x0401); /* ё */
    CHECK_INT(wr_regf_upcase(0x03C2), 0x03A3); /* final sigma */
    CHECK_INT(wr_regf_upcase(0xFF41), 0xFF21); /* fullwidth a */
    CHECK_INT(wr_regf_upcase(0xD83D), 0xD83D); /* surrogates map to themselves */
    CHECK_INT(wr_regf_upcase(0x10D0), 0x10D0); /* Georgian: not in Windows' table */
    for (uint32_t c = 0; c < 0x10000; c++) {
        uint16_t u = wr_regf_upcase((uint16_t)c);
        CHECK_MSG(wr_regf_upcase(u) == u, "upcase(upcase(0x%04x)) != upcase", c);
    }
}

static struct regf_name latin1(const char *s)
{
    struct regf_name n = { (const uint8_t *)s, (uint32_t)strlen(s), true };
    return n;
}

static void hashes_and_hints(void)
{
    struct regf_name a = latin1("Objects");
    uint32_t h = 0;
    for (const char *p = "OBJECTS"; *p; p++)
        h = h * 37 + (uint8_t)*p;
    CHECK_INT(wr_regf_name_hash(&a), h);
    CHECK_INT(wr_regf_name_hint(&a), 'O' | 'b' << 8 | 'j' << 16 | 'e' << 24);
    struct regf_name short_name = latin1("ab");
    CHECK_INT(wr_regf_name_hint(&short_name), 'a' | 'b' << 8);
    /* the same name stored as UTF-16 hashes the same */
    static const uint8_t u16[] = { 'O', 0, 'b', 0, 'j', 0, 'e', 0, 'c', 0, 't', 0, 's', 0 };
    struct regf_name w = { u16, 7, false };
    CHECK_INT(wr_regf_name_hash(&w), h);
    CHECK_INT(wr_regf_name_hint(&w), wr_regf_name_hint(&a));
    CHECK_INT(wr_regf_name_cmp(&w, &a), 0);
    /* a unit >= 0x100 zeroes the hint; the hash upcases it */
    static const uint8_t cyr[] = { 0x3A, 0x04, 'x', 0 }; /* "кx" */
    struct regf_name c = { cyr, 2, false };
    CHECK_INT(wr_regf_name_hint(&c), 0);
    CHECK_INT(wr_regf_name_hash(&c), 0x041Au * 37 + 'X');
    CHECK(!wr_regf_name_fits_latin1(&c));
    CHECK(wr_regf_name_fits_latin1(&w));
}

static void ordering(void)
{
    struct regf_name a = latin1("abc"), b = latin1("ABCD"), c = latin1("abd"), d = latin1("ABC");
    CHECK(wr_regf_name_cmp(&a, &b) < 0); /* tie on the prefix: shorter first */
    CHECK(wr_regf_name_cmp(&b, &c) < 0);
    CHECK_INT(wr_regf_name_cmp(&a, &d), 0);
    /* '_' (0x5F) sorts after upcased letters: "A_" > "AB" */
    struct regf_name u = latin1("a_"), v = latin1("ab");
    CHECK(wr_regf_name_cmp(&u, &v) > 0);
}

static void utf8_input(void)
{
    struct regf_owned_name n;
    struct wr_err err;

    CHECK_OK(wr_regf_name_from_utf8("Größe", 255, true, &n, &err), &err);
    CHECK(n.compressed);
    CHECK_INT(n.stored_len, 5);
    wr_regf_owned_name_free(&n);
    CHECK_OK(wr_regf_name_from_utf8("\xF0\x9F\x98\x80", 255, true, &n, &err), &err);
    CHECK(!n.compressed);
    CHECK_INT(n.units, 2);
    CHECK_INT(n.stored_len, 4);
    wr_regf_owned_name_free(&n);
    CHECK_INT(wr_regf_name_from_utf8("a\\b", 255, true, &n, &err), WR_E_INVALID);
    CHECK_OK(wr_regf_name_from_utf8("a\\b", 255, false, &n, &err), &err); /* values may */
    wr_regf_owned_name_free(&n);
    CHECK_INT(wr_regf_name_from_utf8("\xFF", 255, true, &n, &err), WR_E_INVALID);
    CHECK_INT(wr_regf_name_from_utf8("", 255, true, &n, &err), WR_E_INVALID);
    CHECK_OK(wr_regf_name_from_utf8("", 255, false, &n, &err), &err); /* default value */
    wr_regf_owned_name_free(&n);
}

int main(void)
{
    RUN(upcase_is_simple_and_one_to_one);
    RUN(hashes_and_hints);
    RUN(ordering);
    RUN(utf8_input);
    return check_done();
}
