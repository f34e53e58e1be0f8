# issue 7: signing the app for Secure Boot.
#   make sign KEY=db.key CERT=db.pem  ->  build/wtg-rescue.signed.efi
# The e2e test signs with Debian's OVMF snakeoil key, decrypted at test time
# into build/ (uefi.md §7); keys never go into the repository.
.PHONY: sign
sign: $(B)/wtg-rescue.efi
	@[ -n "$(KEY)" ] && [ -n "$(CERT)" ] || { echo "usage: make sign KEY=key.pem CERT=cert.pem" >&2; exit 2; }
	sbsign --key "$(KEY)" --cert "$(CERT)" --output $(B)/wtg-rescue.signed.efi $(B)/wtg-rescue.efi
	sbverify --cert "$(CERT)" $(B)/wtg-rescue.signed.efi
