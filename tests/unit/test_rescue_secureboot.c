/* G13 (Secure Boot) detection on PE files and signature lists built in
 * memory, hostile lists and headers, the Authenticode hash against
 * sbsign + osslsigncode when installed, and W6 (two BCD stores). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/memvol.h"
#include "check.h"
#include "rescue_fx.h"
#include "rescue/diagnose.h"
#include "rescue/secureboot.h"

#define BOOTMGFW "\\EFI\\Microsoft\\Boot\\bootmgfw.efi"
#define OPT 0x58                /* optional header: e_lfanew 0x40 + 24 */
#define DD4 (OPT + 112 + 4 * 8) /* PE32+ security directory entry */
#define CERT_OFF 0x400

/* ---- builders ---- */

struct buf {
    uint8_t b[8192];
    size_t n;
};

/* One EFI_SIGNATURE_LIST of count entries of sig_size bytes (owner GUID
 * then data), each entry's data taken from `data` (data_len bytes). */
static void add_list(struct buf *o, const struct wr_guid *type, uint32_t hdr, uint32_t sig_size,
                     uint32_t count, const void *data, size_t data_len)
{
    uint8_t *p = o->b + o->n;
    uint32_t ls = 28 + hdr + sig_size * count;

    memcpy(p, type->b, 16);
    wr_put_le32(p + 16, ls);
    wr_put_le32(p + 20, hdr);
    wr_put_le32(p + 24, sig_size);
    memset(p + 28, 0, ls - 28);
    for (uint32_t i = 0; i < count; i++)
        memcpy(p + 28 + hdr + i * sig_size + 16, data, data_len);
    o->n += ls;
}

/* A fake DER certificate: only the name's bytes matter to us. */
static void add_cert(struct buf *o, const char *name)
{
    uint8_t der[96] = { 0x30, 0x82 };

    memcpy(der + 20, name, strlen(name));
    add_list(o, &wr_sb_cert_x509_guid, 0, 16 + sizeof der, 1, der, sizeof der);
}

/* A minimal PE32+: headers, one section of 0x200 bytes, and (when ca is
 * not NULL) a certificate table with one PKCS entry naming ca. */
static size_t make_pe(uint8_t *pe, const char *ca, uint8_t fill)
{
    size_t len = CERT_OFF;

    memset(pe, 0, CERT_OFF + 256);
    pe[0] = 'M';
    pe[1] = 'Z';
    wr_put_le32(pe + 0x3c, 0x40);
    memcpy(pe + 0x40, "PE\0\0", 4);
    wr_put_le16(pe + 0x44, 0x8664);
    wr_put_le16(pe + 0x46, 1);
    wr_put_le16(pe + 0x54, 240);
    wr_put_le16(pe + OPT, 0x20b);
    wr_put_le32(pe + OPT + 60, 0x200);
    wr_put_le32(pe + OPT + 64, 0x1234); /* CheckSum: outside the hash */
    wr_put_le32(pe + OPT + 108, 16);
    memcpy(pe + OPT + 240, ".text", 5);
    wr_put_le32(pe + OPT + 240 + 16, 0x200);
    wr_put_le32(pe + OPT + 240 + 20, 0x200);
    memset(pe + 0x200, fill, 0x200);
    if (ca) {
        uint32_t l = 8 + 120;
        wr_put_le32(pe + CERT_OFF, l);
        wr_put_le16(pe + CERT_OFF + 4, 0x0200);
        wr_put_le16(pe + CERT_OFF + 6, 2);
        memcpy(pe + CERT_OFF + 8 + 30, ca, strlen(ca));
        wr_put_le32(pe + DD4, CERT_OFF);
        wr_put_le32(pe + DD4 + 4, l);
        len += l;
    }
    return len;
}

/* ---- a one-disk machine: ESP (part 0) and Windows (part 1) ---- */

struct fx {
    struct rescue_fx r;
    struct wr_rescue_findings fs;
};

/* The shared in-memory machine with `pe` (or nothing) as the ESP's
 * bootmgfw.efi. */
static bool fx_init(struct fx *f, const uint8_t *pe, size_t pe_len)
{
    struct wr_memvol *esp = NULL;

    memset(f, 0, sizeof *f);
    if (wr_memvol_new(&esp, NULL) || !esp)
        return false;
    if (pe)
        wr_memvol_put(esp, BOOTMGFW, pe, pe_len, NULL);
    rescue_fx_init(&f->r, esp);
    return true;
}

static void fx_free(struct fx *f)
{
    wr_rescue_findings_free(&f->fs);
    rescue_fx_free(&f->r, false);
}

static void set_var(struct fx *f, const char *name, const struct wr_guid *g, const void *d,
                    size_t len)
{
    wr_nvram_set(&f->r.nvram, name, g, WR_EFIVAR_ATTR_NV_BS_RT, d, len, NULL);
}

static void set_sb(struct fx *f, uint8_t sb, uint8_t setup)
{
    set_var(f, "SecureBoot", &wr_efivar_global_guid, &sb, 1);
    set_var(f, "SetupMode", &wr_efivar_global_guid, &setup, 1);
}

static const struct wr_rescue_finding *diagnose(struct fx *f)
{
    wr_rescue_scan_esp(&f->r.m, &f->r.m.parts[0]);
    if (wr_rescue_diagnose(&f->r.m, &f->fs, NULL))
        return NULL;
    for (size_t i = 0; i < f->fs.n; i++)
        if (!strcmp(f->fs.v[i].id, "G13"))
            return &f->fs.v[i];
    return NULL;
}

/* db with Microsoft's third-party CA and `ca`. */
static void set_db(struct fx *f, const char *ca)
{
    struct buf db = { .n = 0 };
    add_cert(&db, "Microsoft Corporation UEFI CA 2011");
    add_cert(&db, ca);
    set_var(f, "db", &wr_sb_image_security_guid, db.b, db.n);
}

/* ---- tests ---- */

static void siglists_parse(void)
{
    struct buf l = { .n = 0 };
    uint8_t h[32], other[32];
    bool found;
    struct wr_err err = { 0 };

    memset(h, 0xab, sizeof h);
    memset(other, 0x11, sizeof other);
    add_list(&l, &wr_sb_cert_sha256_guid, 0, 48, 3, other, 32);
    add_cert(&l, WR_SB_CA_2023);
    add_list(&l, &wr_sb_cert_sha256_guid, 0, 48, 1, h, 32);
    CHECK_OK(wr_sb_list_has_hash(l.b, l.n, h, &found, &err), &err);
    CHECK(found);
    CHECK_OK(wr_sb_list_has_cert_name(l.b, l.n, WR_SB_CA_2023, &found, &err), &err);
    CHECK(found);
    CHECK_OK(wr_sb_list_has_cert_name(l.b, l.n, WR_SB_CA_2011, &found, &err), &err);
    CHECK(!found);
    /* A hash list's bytes are not searched for names, nor certs for hashes. */
    CHECK_OK(wr_sb_list_has_cert_name(l.b, l.n, "\x11\x11\x11\x11", &found, &err), &err);
    CHECK(!found);
    CHECK_OK(wr_sb_list_has_hash(l.b, 0, h, &found, &err), &err);
    CHECK(!found);
}

static void siglists_hostile(void)
{
    struct buf l = { .n = 0 };
    uint8_t h[32] = { 0 };
    bool found = true;
    struct wr_err err = { 0 };

    add_list(&l, &wr_sb_cert_sha256_guid, 0, 48, 1, h, 32);
    wr_put_le32(l.b + 16, 0); /* ListSize 0: would never advance */
    CHECK_INT(wr_sb_list_has_hash(l.b, l.n, h, &found, &err), WR_E_CORRUPT);
    CHECK(!found && strstr(err.msg, "ListSize 0"));
    wr_put_le32(l.b + 16, 28 + 48 + 1); /* past the end */
    CHECK_INT(wr_sb_list_has_hash(l.b, l.n, h, &found, &err), WR_E_CORRUPT);
    wr_put_le32(l.b + 16, 28 + 48);
    wr_put_le32(l.b + 24, 0); /* SignatureSize 0 */
    CHECK_INT(wr_sb_list_has_hash(l.b, l.n, h, &found, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "SignatureSize 0"));
    wr_put_le32(l.b + 24, 48);
    wr_put_le32(l.b + 20, 0xfffffff0u); /* HeaderSize huge */
    CHECK_INT(wr_sb_list_has_hash(l.b, l.n, h, &found, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "HeaderSize"));
    wr_put_le32(l.b + 20, 0);
    CHECK_INT(wr_sb_list_has_hash(l.b, 27, h, &found, &err), WR_E_CORRUPT); /* short header */
    CHECK_OK(wr_sb_list_has_hash(l.b, l.n, h, &found, &err), &err);
    CHECK(found);
}

static void pe_parse_and_hash(void)
{
    static uint8_t pe[CERT_OFF + 256], plain[CERT_OFF + 256];
    size_t n = make_pe(pe, WR_SB_CA_2011, 0x5a), m = make_pe(plain, NULL, 0x5a);
    struct wr_sb_pe a, b;
    struct wr_err err = { 0 };

    CHECK_OK(wr_sb_pe_parse(pe, n, &a, &err), &err);
    CHECK(a.signed_ && a.ca_2011 && !a.ca_2023);
    CHECK_INT(a.cert_off, CERT_OFF);
    CHECK_INT(a.cert_len, n - CERT_OFF);
    /* Authenticode: signing does not change the hash (the CheckSum, the
     * directory entry and the table are all outside it). */
    wr_put_le32(plain + OPT + 64, 0x9999);
    CHECK_OK(wr_sb_pe_parse(plain, m, &b, &err), &err);
    CHECK(!b.signed_ && b.cert_len == 0);
    CHECK(!memcmp(a.hash, b.hash, 32));
    plain[0x300] ^= 1; /* section bytes are inside it */
    CHECK_OK(wr_sb_pe_parse(plain, m, &b, &err), &err);
    CHECK(memcmp(a.hash, b.hash, 32));
}

static void pe_hostile(void)
{
    static uint8_t pe[CERT_OFF + 256];
    size_t n = make_pe(pe, WR_SB_CA_2011, 1);
    struct wr_sb_pe a;
    struct wr_err err = { 0 };

    wr_put_le32(pe + DD4, (uint32_t)n - 4); /* table runs past the end */
    CHECK_INT(wr_sb_pe_parse(pe, n, &a, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "security directory"));
    wr_put_le32(pe + DD4, 0xfffffff8u);
    CHECK_INT(wr_sb_pe_parse(pe, n, &a, &err), WR_E_CORRUPT);
    wr_put_le32(pe + DD4, 0x10); /* inside the headers */
    CHECK_INT(wr_sb_pe_parse(pe, n, &a, &err), WR_E_CORRUPT);
    wr_put_le32(pe + DD4, CERT_OFF);
    wr_put_le32(pe + CERT_OFF, 4); /* WIN_CERTIFICATE shorter than its header */
    CHECK_INT(wr_sb_pe_parse(pe, n, &a, &err), WR_E_CORRUPT);
    wr_put_le32(pe + CERT_OFF, 0x7fffffff);
    CHECK_INT(wr_sb_pe_parse(pe, n, &a, &err), WR_E_CORRUPT);
    wr_put_le32(pe + CERT_OFF, (uint32_t)(n - CERT_OFF));
    CHECK_OK(wr_sb_pe_parse(pe, n, &a, &err), &err);
    wr_put_le32(pe + 0x3c, (uint32_t)n - 8); /* e_lfanew out of bounds */
    CHECK_INT(wr_sb_pe_parse(pe, n, &a, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "e_lfanew"));
    wr_put_le32(pe + 0x3c, 0xffffffffu);
    CHECK_INT(wr_sb_pe_parse(pe, n, &a, &err), WR_E_CORRUPT);
    wr_put_le32(pe + 0x3c, 0x40);
    wr_put_le16(pe + 0x54, 0xffff); /* optional header past the end */
    CHECK_INT(wr_sb_pe_parse(pe, n, &a, &err), WR_E_CORRUPT);
    CHECK_INT(wr_sb_pe_parse(pe, 10, &a, &err), WR_E_CORRUPT);
}

static void g13_unsigned(void)
{
    static uint8_t pe[CERT_OFF + 256];
    struct fx f;
    const struct wr_rescue_finding *x;

    CHECK(fx_init(&f, pe, make_pe(pe, NULL, 2)));
    set_sb(&f, 1, 0);
    x = diagnose(&f);
    CHECK_MSG(x && x->severity == WR_RESCUE_ERROR, "no G13 error");
    CHECK(strstr(x->fix, "Secure Boot Violation") && strstr(x->evidence, "bootmgfw.efi"));
    fx_free(&f);
    /* Secure Boot off, or setup mode, or no SecureBoot variable: no G13. */
    for (int k = 0; k < 3; k++) {
        CHECK(fx_init(&f, pe, make_pe(pe, NULL, 2)));
        if (k < 2)
            set_sb(&f, k == 0 ? 0 : 1, k == 0 ? 0 : 1);
        x = diagnose(&f);
        CHECK_MSG(!x && f.fs.n > 0, "case %d: G13 %s", k, x ? x->title : "(diagnose failed)");
        fx_free(&f);
    }
}

static void g13_revoked(void)
{
    static uint8_t pe[CERT_OFF + 256];
    size_t n = make_pe(pe, WR_SB_CA_2011, 3);
    struct wr_sb_pe a;
    struct buf dbx = { .n = 0 };
    struct fx f;
    const struct wr_rescue_finding *x;
    char hex[65];

    CHECK(wr_sb_pe_parse(pe, n, &a, NULL) == WR_OK);
    add_list(&dbx, &wr_sb_cert_sha256_guid, 0, 48, 1, a.hash, 32);
    CHECK(fx_init(&f, pe, n));
    set_sb(&f, 1, 0);
    set_db(&f, WR_SB_CA_2011);
    x = diagnose(&f);
    CHECK_MSG(!x, "trusted and not revoked, yet G13: %s", x->title);
    wr_rescue_findings_free(&f.fs);
    set_var(&f, "dbx", &wr_sb_image_security_guid, dbx.b, dbx.n);
    x = diagnose(&f);
    CHECK(x && strstr(x->title, "BlackLotus/CVE-2023-24932"));
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", a.hash[i]);
    CHECK_MSG(strstr(x->evidence, hex) && strstr(x->evidence, WR_SB_CA_2011), "%s",
              x->evidence);
    wr_rescue_findings_free(&f.fs);
    /* A corrupt dbx proves nothing: no finding, no crash. */
    wr_put_le32(dbx.b + 16, 0);
    set_var(&f, "dbx", &wr_sb_image_security_guid, dbx.b, dbx.n);
    CHECK(!diagnose(&f));
    fx_free(&f);
}

static void g13_ca_not_in_db(void)
{
    static uint8_t pe[CERT_OFF + 256];
    size_t n = make_pe(pe, WR_SB_CA_2023, 4);
    struct buf bad = { .n = 0 };
    struct fx f;
    const struct wr_rescue_finding *x;

    CHECK(fx_init(&f, pe, n));
    set_sb(&f, 1, 0);
    set_db(&f, WR_SB_CA_2011);
    x = diagnose(&f);
    CHECK(x && strstr(x->title, "does not trust the boot manager's CA"));
    CHECK(strstr(x->fix, "2011") && strstr(x->fix, "2023"));
    CHECK_MSG(strstr(x->evidence, WR_SB_CA_2023) && strstr(x->evidence, "bootmgfw.efi"), "%s",
              x->evidence);
    wr_rescue_findings_free(&f.fs);
    set_db(&f, WR_SB_CA_2023); /* the firmware got the 2023 CA */
    CHECK(!diagnose(&f));
    wr_rescue_findings_free(&f.fs);
    /* A hostile db (HeaderSize huge) proves nothing either. */
    add_cert(&bad, "x");
    wr_put_le32(bad.b + 20, 0xffffff00u);
    set_var(&f, "db", &wr_sb_image_security_guid, bad.b, bad.n);
    CHECK(!diagnose(&f));
    fx_free(&f);
}

static void g13_hostile_pe(void)
{
    static uint8_t pe[CERT_OFF + 256];
    size_t n = make_pe(pe, WR_SB_CA_2011, 5);
    struct fx f;

    wr_put_le32(pe + DD4 + 4, 0x7fffffff);
    CHECK(fx_init(&f, pe, n));
    set_sb(&f, 1, 0);
    CHECK(!diagnose(&f) && f.fs.n > 0);
    fx_free(&f);
}

/* Our hash against osslsigncode's on an sbsign-signed stub (an image
 * with gaps between sections: the whole-file form still matches). */
static void hash_matches_sbsign(void)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char cmd[2048], dir[256], cwd[512], line[256], want[65] = "", got[65];
    size_t len;
    uint8_t *d;
    struct wr_sb_pe a;
    struct wr_err err = { 0 };
    FILE *p;

    if (system("command -v sbsign >/dev/null && command -v osslsigncode >/dev/null && "
               "command -v openssl >/dev/null && test -f build/stub-bootmgr.efi"))
        SKIP("sbsign, osslsigncode, openssl or build/stub-bootmgr.efi missing");
    if (!getcwd(cwd, sizeof cwd))
        SKIP("no working directory");
    snprintf(dir, sizeof dir, "%s/wr-sb-%d", tmp, (int)getpid());
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s && cd %s && openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=test "
             "-days 1 -keyout k.pem -out c.pem >/dev/null 2>&1 && sbsign --key k.pem --cert c.pem "
             "--output s.efi %s/build/stub-bootmgr.efi >/dev/null 2>&1",
             dir, dir, cwd);
    CHECK_MSG(system(cmd) == 0, "%s failed", cmd);
    snprintf(cmd, sizeof cmd, "osslsigncode verify -in %s/s.efi 2>/dev/null", dir);
    p = popen(cmd, "r");
    while (p && fgets(line, sizeof line, p))
        if (sscanf(line, "Calculated message digest : %64s", want) == 1)
            break;
    if (p)
        pclose(p);
    snprintf(cmd, sizeof cmd, "%s/s.efi", dir);
    d = check_read_file(cmd, &len);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd))
        fprintf(stderr, "could not remove %s\n", dir);
    CHECK_MSG(d && strlen(want) == 64, "no signed file or digest (%s)", want);
    CHECK_OK(wr_sb_pe_parse(d, len, &a, &err), &err);
    free(d);
    CHECK(a.signed_ && a.cert_len > 0 && !a.ca_2011 && !a.ca_2023);
    for (int i = 0; i < 32; i++)
        snprintf(got + 2 * i, 3, "%02X", a.hash[i]);
    CHECK_STR(got, want);
}

/* W6: \Boot\BCD beside \EFI\Microsoft\Boot\BCD; a finding only when they differ. */
static void w6_two_stores(void)
{
    static const uint8_t a[64] = { 'r', 'e', 'g', 'f', 1 }, b[64] = { 'r', 'e', 'g', 'f', 2 };
    struct fx f;

    CHECK(fx_init(&f, (const uint8_t *)"MZ", 2));
    wr_memvol_put(f.r.esp, "\\EFI\\Microsoft\\Boot\\BCD", a, sizeof a, NULL);
    wr_memvol_put(f.r.esp, "\\Boot\\BCD", a, sizeof a, NULL);
    diagnose(&f);
    CHECK(f.fs.n > 0 && !wr_rescue_findings_has(&f.fs, "W6"));
    wr_rescue_findings_free(&f.fs);
    wr_memvol_put(f.r.esp, "\\Boot\\BCD", b, sizeof b, NULL);
    diagnose(&f);
    CHECK(wr_rescue_findings_has(&f.fs, "W6"));
    for (size_t i = 0; i < f.fs.n; i++)
        if (!strcmp(f.fs.v[i].id, "W6"))
            CHECK(f.fs.v[i].esp == 0 && strstr(f.fs.v[i].evidence, "\\Boot\\BCD"));
    fx_free(&f);
}

int main(void)
{
    RUN(siglists_parse);
    RUN(siglists_hostile);
    RUN(pe_parse_and_hash);
    RUN(pe_hostile);
    RUN(g13_unsigned);
    RUN(g13_revoked);
    RUN(g13_ca_not_in_db);
    RUN(g13_hostile_pe);
    RUN(hash_matches_sbsign);
    RUN(w6_two_stores);
    return check_done();
}
