/* BCD element types (bcd.md §3): the code's bit fields, the name bcdedit
 * uses for it in a given kind of object, and the names of enumerated values.
 *
 * The same code means different things in different objects (0x25000004 is
 * `timeout` in a boot manager, `testtofail` in memdiag), so every lookup takes
 * the object type; 0 stands for an object without a Type. */
#ifndef WR_BCD_ELEMENTS_H
#define WR_BCD_ELEMENTS_H

#include "base/status.h"

enum wr_bcd_format {
    WR_BCD_FMT_DEVICE = 1,
    WR_BCD_FMT_STRING = 2,
    WR_BCD_FMT_OBJECT = 3,
    WR_BCD_FMT_OBJLIST = 4,
    WR_BCD_FMT_INTEGER = 5,
    WR_BCD_FMT_BOOLEAN = 6,
    WR_BCD_FMT_INTLIST = 7,
};

static inline unsigned wr_bcd_code_format(uint32_t code) { return (code >> 24) & 0xF; }
static inline unsigned wr_bcd_code_class(uint32_t code) { return code >> 28; }

/* Registry value type each format is stored with (bcd.md §1), 0 if unknown. */
uint32_t wr_bcd_format_reg_type(unsigned format);
/* "device", "string", ... or "format N". */
const char *wr_bcd_format_name(unsigned format);

struct wr_bcd_element_def {
    uint32_t code;
    const char *name;
    const char *const *values;  /* value names by number, NULL if a plain integer */
    uint8_t n_values;
};

/* The table entry for code in an object of this type, or NULL (custom:). */
const struct wr_bcd_element_def *wr_bcd_element_find(uint32_t code, uint32_t objtype);

/* The bcdedit name, or "custom:xxxxxxxx" in buf (which needs 16 bytes). */
const char *wr_bcd_element_name(uint32_t code, uint32_t objtype, char buf[16]);

/* Name (case-insensitive) or custom:XXXXXXXX to a code valid in an object of
 * this type. Unknown names fail with a message naming the object type. */
wr_status wr_bcd_element_parse(const char *name, uint32_t objtype, uint32_t *code,
                               struct wr_err *err);

/* Case-insensitive ASCII comparison (names, aliases, keywords). */
bool wr_bcd_eq_ci(const char *a, const char *b);

#endif
