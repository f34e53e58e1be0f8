# issue 7: signing the app for Secure Boot.
#   make sign KEY=db.key CERT=db.pem  ->  build/wtg-rescue.signed.efi
# The e2e test signs with Debian's OVMF snakeoil key, decrypted at test time
# into build/ (uefi.md §7); keys never go into the repository.
.PHONY: sign
sign: $(B)/wtg-rescue.efi
	@[ -n "$(KEY)" ] && [ -n "$(CERT)" ] || { echo "usage: make sign KEY=key.pem CERT=cert.pem" >&2; exit 2; }
	sbsign --key "$(KEY)" --cert "$(CERT)" --output $(B)/wtg-rescue.signed.efi $(B)/wtg-rescue.efi
	sbverify --cert "$(CERT)" $(B)/wtg-rescue.signed.efi

# The grown-up stub boot manager (issue 7): the usual marker, then the
# engine's judge prints BOOTMGR-STUB OK|FAIL and ends QEMU with 71|73.
STUB_JUDGE_SRCS := test-images/app/stub-judge/judge.c test-images/stub-bootmgr/origin.c \
	test-images/stub-bootmgr/finish.c $(EFI_GLUE_SRCS) $(LIB_PORTABLE)
$(eval $(call efi_app,stub-judge,$(STUB_JUDGE_SRCS)))
TEST_ASSETS += $(B)/stub-judge.efi
