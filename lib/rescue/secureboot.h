/* Secure Boot checks for G13, decidable offline and pre-OS: the firmware's
 * SecureBoot/SetupMode state, its db/dbx signature lists, and the boot
 * manager's Authenticode hash and signing CA. Detection only; keys and
 * dbx updates are the firmware's and Windows' business.
 *
 * The CA check is a NAME MATCH, not a verification: we look for the CA's
 * name bytes in the PE's certificate table and in db's X.509 entries. It
 * tells "signed under the 2011 CA, firmware only knows the 2023 one" (or
 * the reverse) apart from a chain the firmware knows; it proves nothing
 * about the signature itself. */
#ifndef WR_RESCUE_SECUREBOOT_H
#define WR_RESCUE_SECUREBOOT_H

#include "base/sha256.h"
#include "rescue/model.h"

#define WR_SB_CA_2011 "Microsoft Windows Production PCA 2011"
#define WR_SB_CA_2023 "Windows UEFI CA 2023"

/* d719b2cb-3d3a-4596-a3bc-dad00e67656f: where db and dbx live. */
extern const struct wr_guid wr_sb_image_security_guid;
extern const struct wr_guid wr_sb_cert_sha256_guid;   /* c1c41626-... */
extern const struct wr_guid wr_sb_cert_x509_guid;     /* a5c059a1-... */

/* One EFI_SIGNATURE_DATA: its list's type and SignatureData (owner GUID
 * skipped). Return non-WR_OK to stop the walk with that status. */
typedef wr_status (*wr_sb_sig_visit)(void *arg, const struct wr_guid *type,
                                     const uint8_t *data, size_t len);

/* Walks an EFI_SIGNATURE_LIST chain (a db/dbx variable's bytes). Every
 * ListSize, HeaderSize and SignatureSize is checked against what holds
 * it; WR_E_CORRUPT names the list and field that does not fit. */
wr_status wr_sb_siglist_walk(const uint8_t *d, size_t len, wr_sb_sig_visit visit, void *arg,
                             struct wr_err *err);

/* A SHA-256 entry equal to hash / an X.509 entry containing name's bytes. */
wr_status wr_sb_list_has_hash(const uint8_t *d, size_t len, const uint8_t hash[WR_SHA256_LEN],
                              bool *found, struct wr_err *err);
wr_status wr_sb_list_has_cert_name(const uint8_t *d, size_t len, const char *name, bool *found,
                                   struct wr_err *err);

/* What the PE tells: its certificate table (the security data directory)
 * and Authenticode SHA-256. */
struct wr_sb_pe {
    bool signed_;                 /* a WIN_CERT_TYPE_PKCS_SIGNED_DATA entry is present */
    uint32_t cert_off, cert_len;  /* the certificate table; 0/0 when none */
    bool ca_2011, ca_2023;        /* the CA names appear in the table (name match) */
    uint8_t hash[WR_SHA256_LEN];
};

/* Parses a PE32/PE32+ image; WR_E_CORRUPT when a header field points
 * outside the file. */
wr_status wr_sb_pe_parse(const uint8_t *pe, size_t len, struct wr_sb_pe *out, struct wr_err *err);

/* G13 on one ESP of the model: true when the firmware (Secure Boot on,
 * user mode) would refuse that ESP's bootmgfw.efi; title/fix/evidence
 * say why. False when Secure Boot is off, in setup mode, unknown, or the
 * boot manager passes what we can check. */
struct wr_sb_verdict {
    char title[128];
    char fix[192];
    char evidence[384];
};
bool wr_sb_check_esp(const struct wr_rescue_model *m, int esp, struct wr_sb_verdict *out);

#endif
