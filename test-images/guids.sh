# The fixed identifiers of every scenario disk, so markers are predictable.
# Sourced by the image scripts and by the e2e tests that check markers.
# shellcheck shell=bash disable=SC2034

# The test stick (GPT): ESP 1, NTFS "Windows To Go" 2.
STICK_DISK_GUID=5717c0de-0000-4000-8000-000000000000
STICK_ESP_GUID=5717c0de-0000-4000-8000-000000000001
STICK_WTG_GUID=5717c0de-0000-4000-8000-000000000002

# A host disk (GPT) N = 1, 2 (second internal disk), 3 (a bootmgfw.efi that
# is not an image), 4 (the 4Kn variant):
# ESP 1, MSR 2, Windows 3, recovery 4.
host_guid() { printf '4057d15c-000%d-4000-8000-00000000000%d\n' "$1" "$2"; }
HOST1_ESP_GUID=$(host_guid 1 1)
HOST2_ESP_GUID=$(host_guid 2 1)
HOST4K_ESP_GUID=$(host_guid 4 1)

# The MBR host: disk signature, and the ESP's first sector.
HOSTMBR_SIGNATURE=1234abcd
HOSTMBR_ESP_START=2048

# The disk without Windows.
LINUX_DISK_GUID=11e0c0de-0000-4000-8000-000000000000
