#!/usr/bin/env bash
# Makes sure the Debian packages a make target needs are installed.
# As root it installs what is missing with apt-get; otherwise it prints the
# exact command and fails, so nothing is half-done silently.
# Usage: mk/deps.sh build|run|check|bench|fuzz
set -u

build_pkgs="gcc make binutils gnu-efi mtools gdisk dosfstools fdisk gcc-multilib"
run_pkgs="$build_pkgs python3 ovmf qemu-system-x86 ntfs-3g"
check_pkgs="$run_pkgs ovmf-ia32 lib32asan8 lib32ubsan1 python3 clang exfatprogs libclang-rt-14-dev ntfs-3g-dev libhivex-bin libhivex-dev python3-hivex libregf-utils swtpm swtpm-tools sbsigntool openssl xxd wimtools libwim-dev"
bench_pkgs="$check_pkgs valgrind systemd-boot-efi refind"
fuzz_pkgs="$build_pkgs clang libclang-rt-14-dev"

case "${1:-}" in
    build) want=$build_pkgs ;;
    run) want=$run_pkgs ;;
    check) want=$check_pkgs ;;
    bench) want=$bench_pkgs ;;
    fuzz) want=$fuzz_pkgs ;;
    *) echo "usage: $0 build|run|check|bench|fuzz" >&2; exit 2 ;;
esac

missing=()
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # refind's postinst would offer to install itself onto this machine's ESP.
    echo "refind refind/install_to_esp boolean false" | debconf-set-selections 2>/dev/null
    if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/wr-apt.log 2>&1; then
        apt-get update -q >>/tmp/wr-apt.log 2>&1
        if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/wr-apt.log 2>&1; then
            echo "deps: apt-get install failed; see /tmp/wr-apt.log" >&2
            tail -n 20 /tmp/wr-apt.log >&2
            exit 1
        fi
    fi
    exit 0
fi
echo "deps: missing Debian packages: ${missing[*]}" >&2
echo "deps: run: sudo apt-get install ${missing[*]}" >&2
exit 1
