/* G13 detection: signature lists, the PE certificate table and
 * Authenticode hash, and the verdict for one ESP's boot manager. */
#include "rescue/secureboot.h"

#include "base/bytes.h"
#include "base/fmt.h"

const struct wr_guid wr_sb_image_security_guid = { { 0xcb, 0xb2, 0x19, 0xd7, 0x3a, 0x3d, 0x96,
                                                     0x45, 0xa3, 0xbc, 0xda, 0xd0, 0x0e, 0x67,
                                                     0x65, 0x6f } };
const struct wr_guid wr_sb_cert_sha256_guid = { { 0x26, 0x16, 0xc4, 0xc1, 0x4c, 0x50, 0x92, 0x40,
                                                  0xac, 0xa9, 0x41, 0xf9, 0x36, 0x93, 0x43,
                                                  0x28 } };
const struct wr_guid wr_sb_cert_x509_guid = { { 0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a,
                                                0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0,
                                                0x72 } };

#define LIST_HDR 28u       /* SignatureType, ListSize, HeaderSize, SignatureSize */
#define SIG_OWNER 16u      /* EFI_SIGNATURE_DATA starts with the owner's GUID */
#define WIN_CERT_PKCS 0x0002u
#define MAX_PE (64u << 20) /* bootmgfw is ~2.5 MiB; anything near this is not it */

static wr_status walk_list(const uint8_t *d, size_t len, size_t off, size_t *list_size,
                           wr_sb_sig_visit visit, void *arg, struct wr_err *err)
{
    struct wr_guid type;
    uint32_t ls, hs, ss;
    size_t body;
    wr_status st;

    if (!wr_span_ok(off, LIST_HDR, len))
        return wr_fail(err, WR_E_CORRUPT, "signature list at %zu: header past the end", off);
    memcpy(type.b, d + off, 16);
    ls = wr_le32(d + off + 16);
    hs = wr_le32(d + off + 20);
    ss = wr_le32(d + off + 24);
    /* ListSize covers the header: below it the walk would never advance. */
    if (ls < LIST_HDR || !wr_span_ok(off, ls, len))
        return wr_fail(err, WR_E_CORRUPT, "signature list at %zu: ListSize %u does not fit",
                       off, ls);
    if (hs > ls - LIST_HDR)
        return wr_fail(err, WR_E_CORRUPT, "signature list at %zu: HeaderSize %u too big", off,
                       hs);
    body = ls - LIST_HDR - hs;
    if (ss < SIG_OWNER || body % ss)
        return wr_fail(err, WR_E_CORRUPT,
                       "signature list at %zu: SignatureSize %u does not divide %zu bytes", off,
                       ss, body);
    for (size_t p = off + LIST_HDR + hs; p < off + ls; p += ss)
        if ((st = visit(arg, &type, d + p + SIG_OWNER, ss - SIG_OWNER)))
            return st;
    *list_size = ls;
    return WR_OK;
}

wr_status wr_sb_siglist_walk(const uint8_t *d, size_t len, wr_sb_sig_visit visit, void *arg,
                             struct wr_err *err)
{
    size_t off = 0, ls = 0;
    wr_status st;

    while (off < len) {
        if ((st = walk_list(d, len, off, &ls, visit, arg, err)))
            return st;
        off += ls;
    }
    return WR_OK;
}

static bool contains(const uint8_t *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);

    for (size_t i = 0; k && i + k <= n; i++)
        if (hay[i] == (uint8_t)needle[0] && !memcmp(hay + i, needle, k))
            return true;
    return false;
}

struct match {
    const struct wr_guid *type;
    const uint8_t *hash;
    const char *name;
};

/* WR_E_EXISTS stops the walk on the first match. */
static wr_status match_visit(void *arg, const struct wr_guid *type, const uint8_t *data,
                             size_t len)
{
    const struct match *m = arg;

    if (!wr_guid_equal(type, m->type))
        return WR_OK;
    if (m->hash)
        return len == WR_SHA256_LEN && !memcmp(data, m->hash, len) ? WR_E_EXISTS : WR_OK;
    return contains(data, len, m->name) ? WR_E_EXISTS : WR_OK;
}

static wr_status find(const uint8_t *d, size_t len, const struct match *m, bool *found,
                      struct wr_err *err)
{
    wr_status st = wr_sb_siglist_walk(d, len, match_visit, (void *)m, err);

    *found = st == WR_E_EXISTS;
    return *found ? WR_OK : st;
}

wr_status wr_sb_list_has_hash(const uint8_t *d, size_t len, const uint8_t hash[WR_SHA256_LEN],
                              bool *found, struct wr_err *err)
{
    struct match m = { &wr_sb_cert_sha256_guid, hash, NULL };
    return find(d, len, &m, found, err);
}

wr_status wr_sb_list_has_cert_name(const uint8_t *d, size_t len, const char *name, bool *found,
                                   struct wr_err *err)
{
    struct match m = { &wr_sb_cert_x509_guid, NULL, name };
    return find(d, len, &m, found, err);
}

/* The file offsets of the CheckSum field and of data directory 4 (the
 * security directory: its "RVA" is a file offset), 0 when absent. */
static wr_status pe_fields(const uint8_t *pe, size_t len, size_t *cks, size_t *dd4,
                           struct wr_err *err)
{
    size_t lfanew, opt, opt_size, dirs, n_dirs;
    uint16_t magic;

    if (len < 64 || pe[0] != 'M' || pe[1] != 'Z')
        return wr_fail(err, WR_E_CORRUPT, "PE: no MZ header");
    lfanew = wr_le32(pe + 0x3c);
    if (!wr_span_ok(lfanew, 24, len) || memcmp(pe + lfanew, "PE\0\0", 4))
        return wr_fail(err, WR_E_CORRUPT, "PE: e_lfanew 0x%zx points at no PE header", lfanew);
    opt = lfanew + 24;
    opt_size = wr_le16(pe + lfanew + 20);
    if (opt_size < 2 || !wr_span_ok(opt, opt_size, len))
        return wr_fail(err, WR_E_CORRUPT, "PE: optional header (%zu bytes) past the end",
                       opt_size);
    magic = wr_le16(pe + opt);
    if (magic != 0x10b && magic != 0x20b)
        return wr_fail(err, WR_E_CORRUPT, "PE: optional header magic 0x%x", magic);
    dirs = magic == 0x20b ? 112 : 96;
    if (opt_size < dirs)
        return wr_fail(err, WR_E_CORRUPT, "PE: optional header too short (%zu)", opt_size);
    *cks = opt + 64;
    n_dirs = wr_le32(pe + opt + dirs - 4);
    /* Both the count and the header's size must cover entry 4. */
    *dd4 = n_dirs > 4 && dirs + 5 * 8 <= opt_size ? opt + dirs + 4 * 8 : 0;
    return WR_OK;
}

/* Entries of the certificate table: 8-byte aligned WIN_CERTIFICATEs. */
static wr_status cert_entries(const uint8_t *t, size_t n, bool *pkcs, struct wr_err *err)
{
    size_t off = 0;

    *pkcs = false;
    while (n - off >= 8) {
        uint32_t l = wr_le32(t + off);
        if (l < 8 || l > n - off)
            return wr_fail(err, WR_E_CORRUPT, "PE: certificate entry at +%zu, length %u", off,
                           l);
        *pkcs |= wr_le16(t + off + 6) == WIN_CERT_PKCS;
        off += ((size_t)l + 7) & ~(size_t)7;
        if (off > n)
            break;
    }
    return WR_OK;
}

/* Authenticode SHA-256 in the whole-file form sbsign/pesign produce for
 * contiguous images: every byte except the CheckSum field, the security
 * directory entry and the certificate table. For an image whose sections
 * follow the headers without gaps (bootmgfw, anything a linker emits) it
 * equals the spec's headers-then-sorted-sections form. */
static void pe_hash(const uint8_t *pe, size_t len, size_t cks, size_t dd4, size_t coff,
                    size_t clen, uint8_t out[WR_SHA256_LEN])
{
    struct wr_sha256 s;
    size_t end = clen ? coff : len;

    wr_sha256_init(&s);
    wr_sha256_update(&s, pe, cks);
    if (dd4) {
        wr_sha256_update(&s, pe + cks + 4, dd4 - cks - 4);
        wr_sha256_update(&s, pe + dd4 + 8, end - dd4 - 8);
    } else {
        wr_sha256_update(&s, pe + cks + 4, end - cks - 4);
    }
    if (clen)
        wr_sha256_update(&s, pe + coff + clen, len - coff - clen);
    wr_sha256_final(&s, out);
}

wr_status wr_sb_pe_parse(const uint8_t *pe, size_t len, struct wr_sb_pe *out, struct wr_err *err)
{
    size_t cks = 0, dd4 = 0, min;
    uint32_t off = 0, n = 0;
    wr_status st;

    memset(out, 0, sizeof *out);
    if ((st = pe_fields(pe, len, &cks, &dd4, err)))
        return st;
    if (dd4) {
        off = wr_le32(pe + dd4);
        n = wr_le32(pe + dd4 + 4);
    }
    /* The table may not overlap the headers we skip fields of. */
    min = (dd4 ? dd4 : cks) + 8;
    if (n && (off < min || !wr_span_ok(off, n, len)))
        return wr_fail(err, WR_E_CORRUPT, "PE: security directory 0x%x+%u outside the file",
                       off, n);
    if (n && (st = cert_entries(pe + off, n, &out->signed_, err)))
        return st;
    out->cert_off = n ? off : 0;
    out->cert_len = n;
    out->ca_2011 = n && contains(pe + off, n, WR_SB_CA_2011);
    out->ca_2023 = n && contains(pe + off, n, WR_SB_CA_2023);
    pe_hash(pe, len, cks, dd4, out->cert_off, out->cert_len, out->hash);
    return WR_OK;
}

/* A variable's bytes, or false when absent/unreadable. */
static bool get_var(const struct wr_nvram *nv, const char *name, const struct wr_guid *g,
                    uint8_t **d, size_t *len)
{
    *d = NULL;
    *len = 0;
    return wr_nvram_get(nv, name, g, NULL, d, len, NULL) == WR_OK;
}

static bool var_is_one(const struct wr_nvram *nv, const char *name)
{
    uint8_t *d;
    size_t len;
    bool one = get_var(nv, name, &wr_efivar_global_guid, &d, &len) && len >= 1 && d[0] == 1;

    wr_free(d);
    return one;
}

/* Enforcing: SecureBoot = 1 and not in setup mode (no PK: anything runs). */
static bool enforcing(const struct wr_nvram *nv)
{
    return var_is_one(nv, "SecureBoot") && !var_is_one(nv, "SetupMode");
}

static void hex(const uint8_t *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = 0;
}

static void say(struct wr_sb_verdict *v, const char *title, const char *fix)
{
    wr_format(v->title, sizeof v->title, "%s", title);
    wr_format(v->fix, sizeof v->fix, "%s", fix);
}

/* true: a db/dbx list answered yes; a missing or corrupt list answers no
 * (we only report what the firmware's own lists prove). */
static bool db_has(const struct wr_nvram *nv, const char *var, const uint8_t *hash,
                   const char *name)
{
    uint8_t *d;
    size_t len;
    bool found = false;

    if (get_var(nv, var, &wr_sb_image_security_guid, &d, &len)) {
        if (hash)
            wr_sb_list_has_hash(d, len, hash, &found, NULL);
        else
            wr_sb_list_has_cert_name(d, len, name, &found, NULL);
    }
    wr_free(d);
    return found;
}

static wr_status no_visit(void *arg, const struct wr_guid *type, const uint8_t *data,
                         size_t len)
{
    (void)arg, (void)type, (void)data, (void)len;
    return WR_OK;
}

/* db is there and every list in it parses: only then does a missing CA
 * name mean something. */
static bool db_usable(const struct wr_nvram *nv)
{
    uint8_t *d;
    size_t len;
    bool ok = get_var(nv, "db", &wr_sb_image_security_guid, &d, &len) &&
              wr_sb_siglist_walk(d, len, no_visit, NULL, NULL) == WR_OK;

    wr_free(d);
    return ok;
}

/* Judges a parsed boot manager against the firmware's lists. */
static bool judge(const struct wr_nvram *nv, const struct wr_sb_pe *pe, struct wr_sb_verdict *v)
{
    const char *ca = pe->ca_2023 ? WR_SB_CA_2023 : pe->ca_2011 ? WR_SB_CA_2011 : "unknown CA";
    char h[65];

    hex(pe->hash, sizeof pe->hash, h);
    if (!pe->signed_) {
        say(v, "Secure Boot is on and the boot manager is unsigned",
            "the firmware refuses it (\"Secure Boot Violation\", no bootmgr error): restore a "
            "signed bootmgfw.efi (bcdboot) or turn Secure Boot off");
        wr_format(v->evidence, sizeof v->evidence, "%s: no Authenticode signature (sha256 %s)",
                  WR_EFIVAR_BOOTMGFW_PATH, h);
        return true;
    }
    if (db_has(nv, "dbx", pe->hash, NULL)) {
        say(v, "revoked boot manager (BlackLotus/CVE-2023-24932 mitigations)",
            "its hash is in dbx: install a boot manager signed under Windows UEFI CA 2023 "
            "(bcdboot from updated Windows or media)");
        wr_format(v->evidence, sizeof v->evidence, "%s: Authenticode sha256 %s is in dbx (%s)",
                  WR_EFIVAR_BOOTMGFW_PATH, h, ca);
        return true;
    }
    if (!(pe->ca_2011 || pe->ca_2023) || !db_usable(nv) || db_has(nv, "db", pe->hash, NULL) ||
        (pe->ca_2011 && db_has(nv, "db", NULL, WR_SB_CA_2011)) ||
        (pe->ca_2023 && db_has(nv, "db", NULL, WR_SB_CA_2023)))
        return false;
    say(v, "this firmware does not trust the boot manager's CA",
        "2011 vs 2023 CA transition: a boot manager signed under Windows UEFI CA 2023 needs "
        "that CA in db (firmware/Windows update); else use one signed under PCA 2011");
    wr_format(v->evidence, sizeof v->evidence,
              "%s: signed under \"%s\" (name match), which names no db X.509 certificate; "
              "sha256 %s",
              WR_EFIVAR_BOOTMGFW_PATH, ca, h);
    return true;
}

bool wr_sb_check_esp(const struct wr_rescue_model *m, int esp, struct wr_sb_verdict *out)
{
    const struct wr_rescue_part *p;
    struct wr_sb_pe pe;
    uint8_t *d = NULL;
    size_t len = 0;
    bool bad;

    memset(out, 0, sizeof *out);
    if (!m->nvram || !m->nvram_read || esp < 0 || (size_t)esp >= m->n_parts)
        return false;
    p = &m->parts[esp];
    if (!p->has_fat || !p->esp.has_bootmgfw || !enforcing(m->nvram))
        return false;
    /* An unreadable or malformed PE is G5's business, not a Secure Boot verdict. */
    if (wr_volume_read_file(&p->fat, WR_EFIVAR_BOOTMGFW_PATH, MAX_PE, &d, &len, NULL) ||
        wr_sb_pe_parse(d, len, &pe, NULL)) {
        wr_free(d);
        return false;
    }
    wr_free(d);
    bad = judge(m->nvram, &pe, out);
    return bad;
}
