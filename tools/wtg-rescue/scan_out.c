/* Text and JSON rendering of the scan. */
#include "scan_out.h"

static void jstr(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static const char *table_name(const struct wr_partition_table *pt)
{
    return !pt ? "unreadable" : pt->kind == WR_TABLE_GPT ? "gpt"
           : pt->kind == WR_TABLE_MBR ? "mbr" : "none";
}

void scan_out_begin(struct scan_out *o)
{
    if (o->json)
        printf("{\"disks\":[");
}

void scan_out_disk(struct scan_out *o, const char *name, const struct wr_blockdev *dev,
                   const struct wr_partition_table *pt, const char *error)
{
    uint64_t bytes = wr_blockdev_size_bytes(dev);

    o->parts = 0;
    if (!o->json) {
        printf("disk %s: %llu sectors of %u bytes (%llu MiB), %s\n", name,
               (unsigned long long)dev->sector_count, dev->sector_size,
               (unsigned long long)(bytes >> 20),
               !pt ? "partition table unreadable" : pt->kind == WR_TABLE_GPT ? "GPT"
               : pt->kind == WR_TABLE_MBR ? "MBR" : "no partition table (whole disk is one volume)");
        if (error)
            printf("  error: %s\n", error);
        return;
    }
    printf("%s{\"path\":", o->disks++ ? "," : "");
    jstr(name);
    printf(",\"sector_size\":%u,\"sectors\":%llu,\"table\":\"%s\"", dev->sector_size,
           (unsigned long long)dev->sector_count, table_name(pt));
    if (error) {
        printf(",\"error\":");
        jstr(error);
    }
    printf(",\"partitions\":[");
}

void scan_out_disk_error(struct scan_out *o, const char *name, const char *error)
{
    if (!o->json) {
        printf("disk %s: %s\n", name, error);
        return;
    }
    printf("%s{\"path\":", o->disks++ ? "," : "");
    jstr(name);
    printf(",\"error\":");
    jstr(error);
    printf(",\"partitions\":[]}");
}

void scan_out_partition(struct scan_out *o, const struct wr_partition *p, const char *type,
                        const char *unsupported)
{
    o->in_part = true;
    if (!o->json) {
        printf("  partition %u: %s, %llu MiB at LBA %llu%s%s%s%s\n", p->number, type,
               (unsigned long long)(p->sector_count * 512 >> 20),
               (unsigned long long)p->first_lba, p->name[0] ? " \"" : "", p->name,
               p->name[0] ? "\"" : "", unsupported ? "" : "");
        if (unsupported)
            printf("    %s\n", unsupported);
        return;
    }
    printf("%s{\"number\":%u,\"first_lba\":%llu,\"sectors\":%llu,\"type\":", o->parts++ ? "," : "",
           p->number, (unsigned long long)p->first_lba, (unsigned long long)p->sector_count);
    jstr(type);
    printf(",\"name\":");
    jstr(p->name);
    if (unsupported) {
        printf(",\"volume\":\"unsupported\",\"note\":");
        jstr(unsupported);
    }
}

void scan_out_whole(struct scan_out *o)
{
    o->in_part = true;
    if (o->json)
        printf("%s{\"number\":0,\"whole_disk\":true", o->parts++ ? "," : "");
}

static const char *volume_name(enum wr_windows_volume v)
{
    switch (v) {
    case WR_WINDOWS_VOL_NTFS: return "ntfs";
    case WR_WINDOWS_VOL_BITLOCKER: return "bitlocker";
    case WR_WINDOWS_VOL_REFS: return "refs";
    case WR_WINDOWS_VOL_UNREADABLE: return "ntfs-unreadable";
    default: return "other";
    }
}

static void text_windows(const struct wr_windows_info *w)
{
    printf("    Windows: %s%s%s%s%s%s%s%s, %s%s\n",
           w->product_name[0] ? w->product_name : "(product unknown)",
           w->display_version[0] ? " " : "", w->display_version,
           w->build[0] ? " build " : "", w->build, w->edition[0] ? " (" : "", w->edition,
           w->edition[0] ? ")" : "", w->arch ? w->arch : "architecture unknown",
           w->to_go ? ", Windows To Go" : "");
    printf("      winload.efi: %s, winload.exe: %s, bootmgfw.efi: ",
           w->has_winload_efi ? "yes" : "no", w->has_winload_exe ? "yes" : "no");
    if (w->has_bootmgfw)
        printf("%llu bytes\n", (unsigned long long)w->bootmgfw_size);
    else
        printf("missing\n");
}

void scan_out_volume(struct scan_out *o, const struct wr_windows_info *w, const char *fs)
{
    if (!o->json) {
        if (w->volume == WR_WINDOWS_VOL_NTFS)
            printf("    NTFS \"%s\": %s, %s\n", w->label, w->dirty ? "dirty" : "clean",
                   wr_ntfs_hiber_name(w->hibernation));
        else if (w->volume == WR_WINDOWS_VOL_OTHER)
            printf("    %s\n", fs ? fs : "no filesystem recognised");
        else
            printf("    %s\n", w->note[0] ? w->note : volume_name(w->volume));
        if (w->is_windows)
            text_windows(w);
        if (w->note[0] && w->volume == WR_WINDOWS_VOL_NTFS)
            printf("    note: %s\n", w->note);
        return;
    }
    printf(",\"volume\":\"%s\"", volume_name(w->volume));
    if (fs) {
        printf(",\"filesystem\":");
        jstr(fs);
    }
    if (w->volume == WR_WINDOWS_VOL_NTFS) {
        printf(",\"label\":");
        jstr(w->label);
        printf(",\"dirty\":%s,\"hibernation\":", w->dirty ? "true" : "false");
        jstr(wr_ntfs_hiber_name(w->hibernation));
    }
    if (w->note[0]) {
        printf(",\"note\":");
        jstr(w->note);
    }
    if (!w->is_windows) {
        printf(",\"windows\":null");
        return;
    }
    printf(",\"windows\":{\"product_name\":");
    jstr(w->product_name);
    printf(",\"display_version\":");
    jstr(w->display_version);
    printf(",\"build\":");
    jstr(w->build);
    printf(",\"edition\":");
    jstr(w->edition);
    printf(",\"architecture\":");
    if (w->arch)
        jstr(w->arch);
    else
        printf("null");
    printf(",\"to_go\":%s,\"winload_efi\":%s,\"winload_exe\":%s,\"bootmgfw_efi\":",
           !w->to_go_known ? "null" : w->to_go ? "true" : "false",
           w->has_winload_efi ? "true" : "false", w->has_winload_exe ? "true" : "false");
    if (w->has_bootmgfw)
        printf("{\"size\":%llu}", (unsigned long long)w->bootmgfw_size);
    else
        printf("null");
    printf("}");
}

void scan_out_error(struct scan_out *o, const char *msg)
{
    if (!o->json)
        printf("    error: %s\n", msg);
    else {
        printf(",\"error\":");
        jstr(msg);
    }
}

void scan_out_partition_end(struct scan_out *o)
{
    if (o->json)
        printf("}");
    o->in_part = false;
}

void scan_out_disk_end(struct scan_out *o)
{
    if (o->json)
        printf("]}");
}

void scan_out_end(struct scan_out *o, unsigned found)
{
    if (o->json)
        printf("],\"windows_found\":%u}\n", found);
    else
        printf("Windows installations found: %u\n", found);
}
