/* efi-relocs: PE base relocations for a gnu-efi .so (build tool, host only).
 *
 * gnu-efi ships the ELF dynamic relocations in the .efi and has crt0 apply
 * them (_relocate): 24 bytes per pointer on x64 (8 on ia32). A PE base
 * relocation table says the same in 2 bytes per pointer and the firmware's
 * loader applies it. This tool reads IN.so, writes the table to RELOC.bin
 * (objcopy puts it in the .reloc section) and writes OUT.so with the ELF
 * relocation size (DT_RELASZ / DT_RELSZ) set to 0, so that _relocate, which
 * crt0 still calls, finds nothing to do and the .rela/.rel section need not
 * be copied into the .efi.
 *
 * Only R_*_RELATIVE relocations can be expressed this way; anything else is
 * an error naming the file. The image is linked at 0, so "add the load
 * address" (PE DIR64/HIGHLOW) and "base + addend" (ELF RELATIVE) agree once
 * the word holds the addend, which the tool checks (and writes for RELA).
 *
 * Usage: efi-relocs IN.so OUT.so RELOC.bin
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct image {
    const char *path;
    unsigned char *buf;
    size_t len;
    int is64;
};

struct sect {
    uint32_t name, type;
    uint64_t flags, addr, offset, size;
};

static const char *in_path;

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "efi-relocs: %s: ", in_path);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(1);
}

/* Bounds-checked little-endian reads: the .so is our own link output, but
 * a truncated file must give a message, not a crash. */
static uint64_t rd(const struct image *im, uint64_t off, unsigned n)
{
    if (off > im->len || n > im->len - off)
        die("%s", "truncated or malformed ELF file");
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)im->buf[off + i] << (8 * i);
    return v;
}

static void wr(struct image *im, uint64_t off, unsigned n, uint64_t v)
{
    rd(im, off, n);
    for (unsigned i = 0; i < n; i++)
        im->buf[off + i] = (unsigned char)(v >> (8 * i));
}

static void load(struct image *im, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open: %s", strerror(errno));
    im->path = path;
    im->buf = NULL;
    im->len = 0;
    size_t cap = 0, n;
    do {
        if (im->len == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            im->buf = realloc(im->buf, cap);
            if (!im->buf)
                die("%s", "out of memory");
        }
        n = fread(im->buf + im->len, 1, cap - im->len, f);
        im->len += n;
    } while (n);
    if (ferror(f))
        die("read error: %s", strerror(errno));
    fclose(f);
    if (im->len < EI_NIDENT || memcmp(im->buf, ELFMAG, SELFMAG))
        die("%s", "not an ELF file");
    if (im->buf[EI_DATA] != ELFDATA2LSB)
        die("%s", "not a little-endian ELF file");
    im->is64 = im->buf[EI_CLASS] == ELFCLASS64;
    unsigned machine = (unsigned)rd(im, 18, 2);
    if (machine != (im->is64 ? EM_X86_64 : EM_386))
        die("%s", "neither an x86_64 nor an i386 ELF file");
}

static unsigned sect_count(const struct image *im)
{
    return (unsigned)rd(im, im->is64 ? 60 : 48, 2);
}

static struct sect sect_get(const struct image *im, unsigned i)
{
    struct sect s;
    if (im->is64) {
        uint64_t sh = rd(im, 40, 8) + (uint64_t)i * rd(im, 58, 2);
        s.name = (uint32_t)rd(im, sh, 4);
        s.type = (uint32_t)rd(im, sh + 4, 4);
        s.flags = rd(im, sh + 8, 8);
        s.addr = rd(im, sh + 16, 8);
        s.offset = rd(im, sh + 24, 8);
        s.size = rd(im, sh + 32, 8);
    } else {
        uint64_t sh = rd(im, 32, 4) + (uint64_t)i * rd(im, 46, 2);
        s.name = (uint32_t)rd(im, sh, 4);
        s.type = (uint32_t)rd(im, sh + 4, 4);
        s.flags = rd(im, sh + 8, 4);
        s.addr = rd(im, sh + 12, 4);
        s.offset = rd(im, sh + 16, 4);
        s.size = rd(im, sh + 20, 4);
    }
    return s;
}

static const char *sect_name(const struct image *im, const struct sect *s)
{
    struct sect strtab = sect_get(im, (unsigned)rd(im, im->is64 ? 62 : 50, 2));
    uint64_t off = strtab.offset + s->name;
    rd(im, off, 1);
    if (!memchr(im->buf + off, 0, im->len - off))
        die("%s", "unterminated section name");
    return (const char *)im->buf + off;
}

/* The file offset of a loaded address: relocations name addresses. */
static uint64_t addr_to_off(const struct image *im, uint64_t addr, unsigned n)
{
    for (unsigned i = 0; i < sect_count(im); i++) {
        struct sect s = sect_get(im, i);
        if ((s.flags & SHF_ALLOC) && s.type != SHT_NOBITS && addr >= s.addr &&
            addr - s.addr + n <= s.size)
            return s.offset + (addr - s.addr);
    }
    die("%s", "a relocation points outside the loaded sections");
    return 0;
}

struct dyn {
    uint64_t rel_addr, size_off, size, ent;
    int found;
};

/* Finds DT_RELA/DT_RELASZ/DT_RELAENT (or DT_REL...) and where the size is
 * stored, so it can be zeroed. */
static struct dyn read_dynamic(const struct image *im)
{
    struct dyn d = { 0, 0, 0, 0, 0 };
    long t_rel = im->is64 ? DT_RELA : DT_REL;
    long t_sz = im->is64 ? DT_RELASZ : DT_RELSZ;
    long t_ent = im->is64 ? DT_RELAENT : DT_RELENT;
    unsigned w = im->is64 ? 8 : 4;
    for (unsigned i = 0; i < sect_count(im); i++) {
        struct sect s = sect_get(im, i);
        if (s.type != SHT_DYNAMIC)
            continue;
        for (uint64_t o = s.offset; o + 2 * w <= s.offset + s.size; o += 2 * w) {
            long tag = (long)rd(im, o, w);
            uint64_t val = rd(im, o + w, w);
            if (tag == DT_NULL)
                break;
            if (tag == (im->is64 ? DT_REL : DT_RELA))
                die("%s", "unexpected relocation format in .dynamic");
            if (tag == t_rel)
                d.rel_addr = val, d.found |= 1;
            else if (tag == t_sz)
                d.size = val, d.size_off = o + w, d.found |= 2;
            else if (tag == t_ent)
                d.ent = val, d.found |= 4;
        }
    }
    return d;
}

/* ld names the dynamic relocation sections after their input sections; one
 * the linker script does not gather into .rela/.rel would lie outside the
 * range .dynamic gives, and its pointers would silently stay unrelocated. */
static void check_reloc_sections(const struct image *im, const struct dyn *d)
{
    uint32_t type = im->is64 ? SHT_RELA : SHT_REL;
    uint64_t total = 0;

    for (unsigned i = 0; i < sect_count(im); i++) {
        struct sect s = sect_get(im, i);
        if (s.type != type || !(s.flags & SHF_ALLOC) || !s.size)
            continue;
        if (s.addr < d->rel_addr || s.addr + s.size > d->rel_addr + d->size)
            die("relocation section %s lies outside the range in .dynamic", sect_name(im, &s));
        total += s.size;
    }
    if (total != d->size)
        die("%s", "the relocation sections do not add up to the size in .dynamic");
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Collects the target addresses; for RELA the word is set to the addend
 * (what the PE loader will add the load address to). */
static uint64_t *collect(struct image *im, const struct dyn *d, size_t *count)
{
    unsigned w = im->is64 ? 8 : 4;
    unsigned ent = im->is64 ? sizeof(Elf64_Rela) : sizeof(Elf32_Rel);
    unsigned relative = im->is64 ? R_X86_64_RELATIVE : R_386_RELATIVE;
    if (d->ent != ent || d->size % ent)
        die("%s", "unexpected relocation entry size in .dynamic");
    size_t n = d->size / ent, kept = 0;
    uint64_t *addrs = calloc(n ? n : 1, sizeof *addrs);
    if (!addrs)
        die("%s", "out of memory");
    uint64_t base = addr_to_off(im, d->rel_addr, (unsigned)(d->size ? ent : 0));
    for (size_t i = 0; i < n; i++) {
        uint64_t r = base + i * ent;
        uint64_t where = rd(im, r, w), info = rd(im, r + w, w);
        unsigned type = im->is64 ? (unsigned)ELF64_R_TYPE(info) : ELF32_R_TYPE(info);
        if (type == 0) /* R_*_NONE: left by ld for dropped references */
            continue;
        if (type != relative) {
            char t[16];
            snprintf(t, sizeof t, "%u", type);
            die("relocation type %s is not RELATIVE; a PE base relocation cannot express it", t);
        }
        uint64_t off = addr_to_off(im, where, w);
        if (im->is64)
            wr(im, off, w, rd(im, r + 2 * w, w));
        addrs[kept++] = where;
    }
    qsort(addrs, kept, sizeof *addrs, cmp_u64);
    *count = kept;
    return addrs;
}

static void put16(FILE *f, unsigned v)
{
    fputc(v & 0xff, f);
    fputc(v >> 8 & 0xff, f);
}

static void put32(FILE *f, uint32_t v)
{
    put16(f, v & 0xffff);
    put16(f, v >> 16);
}

/* PE base relocation blocks: one per 4 KiB page, 2-byte entries
 * (type << 12 | offset), each block padded to 4 bytes with an ABSOLUTE
 * (no-op) entry. Returns the table's size. */
static uint64_t write_table(const char *path, const uint64_t *a, size_t n, int is64)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot write the relocation table: %s", strerror(errno));
    unsigned type = is64 ? 10 /* DIR64 */ : 3 /* HIGHLOW */;
    uint64_t total = 0;
    for (size_t i = 0; i < n;) {
        uint64_t page = a[i] & ~(uint64_t)0xfff;
        size_t j = i;
        while (j < n && (a[j] & ~(uint64_t)0xfff) == page)
            j++;
        size_t entries = (j - i + 1) & ~(size_t)1;
        if (page > UINT32_MAX)
            die("%s", "image larger than 4 GiB");
        put32(f, (uint32_t)page);
        put32(f, (uint32_t)(8 + 2 * entries));
        for (size_t k = i; k < j; k++)
            put16(f, type << 12 | (unsigned)(a[k] & 0xfff));
        if (entries > j - i)
            put16(f, 0);
        total += 8 + 2 * entries;
        i = j;
    }
    if (n == 0) { /* an empty directory still needs a well-formed block */
        put32(f, 0);
        put32(f, 12);
        put32(f, 0);
        total = 12;
    }
    if (fclose(f))
        die("cannot write the relocation table: %s", strerror(errno));
    return total;
}

/* objcopy --update-section grows .reloc in place: nothing loaded may sit
 * after it within the new size (the linker script puts .reloc last). */
static void check_room(const struct image *im, uint64_t size)
{
    struct sect r = { 0, 0, 0, 0, 0, 0 };
    int found = 0;
    for (unsigned i = 0; i < sect_count(im); i++) {
        struct sect s = sect_get(im, i);
        if (!strcmp(sect_name(im, &s), ".reloc"))
            r = s, found = 1;
    }
    if (!found)
        die("%s", "no .reloc section (gnu-efi's crt0 supplies one)");
    for (unsigned i = 0; i < sect_count(im); i++) {
        struct sect s = sect_get(im, i);
        if ((s.flags & SHF_ALLOC) && s.size && s.addr > r.addr && s.addr < r.addr + size)
            die("section %s follows .reloc too closely for the relocation table",
                sect_name(im, &s));
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: efi-relocs IN.so OUT.so RELOC.bin\n");
        return 2;
    }
    in_path = argv[1];
    struct image im;
    load(&im, argv[1]);
    struct dyn d = read_dynamic(&im);
    if (d.found != 7)
        die("%s", "no relocation entries in .dynamic (not a gnu-efi -shared link?)");
    check_reloc_sections(&im, &d);
    size_t n;
    uint64_t *addrs = collect(&im, &d, &n);
    uint64_t size = write_table(argv[3], addrs, n, im.is64);
    check_room(&im, size);
    wr(&im, d.size_off, im.is64 ? 8 : 4, 0);
    FILE *f = fopen(argv[2], "wb");
    if (!f || fwrite(im.buf, 1, im.len, f) != im.len || fclose(f))
        die("cannot write the output file: %s", strerror(errno));
    free(addrs);
    free(im.buf);
    return 0;
}
