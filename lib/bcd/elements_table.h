/* The element tables of elements_table.c, one per name space (bcd.md §3.2). */
#ifndef WR_BCD_ELEMENTS_TABLE_H
#define WR_BCD_ELEMENTS_TABLE_H

#include "bcd/elements.h"

extern const struct wr_bcd_element_def wr_bcd_tab_lib[];
extern const size_t wr_bcd_tab_lib_len;
extern const struct wr_bcd_element_def wr_bcd_tab_allapp[];
extern const size_t wr_bcd_tab_allapp_len;
extern const struct wr_bcd_element_def wr_bcd_tab_template[];
extern const size_t wr_bcd_tab_template_len;
extern const struct wr_bcd_element_def wr_bcd_tab_bootmgr[];
extern const size_t wr_bcd_tab_bootmgr_len;
extern const struct wr_bcd_element_def wr_bcd_tab_osloader[];
extern const size_t wr_bcd_tab_osloader_len;
extern const struct wr_bcd_element_def wr_bcd_tab_resume[];
extern const size_t wr_bcd_tab_resume_len;
extern const struct wr_bcd_element_def wr_bcd_tab_memdiag[];
extern const size_t wr_bcd_tab_memdiag_len;
extern const struct wr_bcd_element_def wr_bcd_tab_legacy[];
extern const size_t wr_bcd_tab_legacy_len;
extern const struct wr_bcd_element_def wr_bcd_tab_startup[];
extern const size_t wr_bcd_tab_startup_len;
extern const struct wr_bcd_element_def wr_bcd_tab_bootapp[];
extern const size_t wr_bcd_tab_bootapp_len;
extern const struct wr_bcd_element_def wr_bcd_tab_device[];
extern const size_t wr_bcd_tab_device_len;

#endif
