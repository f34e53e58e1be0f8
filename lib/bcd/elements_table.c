/* Element names and value names, transcribed from bcd.md §3.2 (itself from
 * Chappell's survey, the WMI enumerations and ReactOS). Codes bcdedit has no
 * name for are left out: they print as custom:XXXXXXXX. */
#include "bcd/elements_table.h"

#define VALUES(v) v, WR_ARRAY_LEN(v)

static const char *const v_firstmegabytepolicy[] = { "UseNone", "UseAll", "UsePrivate" };
static const char *const v_debugtype[] = { "Serial", "1394", "USB", "NET", "Local" };
static const char *const v_debugstart[] = { "Active", "AutoEnable", "Disable" };
static const char *const v_configaccesspolicy[] = { "Default", "DisallowMmConfig" };
static const char *const v_integrityservices[] = { "Default", "Enable", "Disable" };
static const char *const v_graphicsresolution[] = { "1024x768", "800x600", "1024x600" };
static const char *const v_displaymessage[] = {
    "Default", "Resume", "HyperV", "Recovery", "StartupRepair", "SystemImageRecovery",
    "CommandPrompt", "SystemRestore", "PushButtonReset",
};
static const char *const v_booterrorux[] = { "Legacy", "Standard", "Simple" };
static const char *const v_measuredbootlogformat[] = { "Default", "Sha1" };
static const char *const v_displayrotation[] = { "0", "90", "180", "270" };
static const char *const v_linearaddress57[] = { "default", "optout", "optin" };
static const char *const v_nx[] = { "OptIn", "OptOut", "AlwaysOff", "AlwaysOn" };
static const char *const v_pae[] = { "Default", "ForceEnable", "ForceDisable" };
static const char *const v_x2apicpolicy[] = { "Default", "Disable", "Enable" };
static const char *const v_msi[] = { "Default", "ForceDisable" };
static const char *const v_safeboot[] = { "Minimal", "Network", "DsRepair" };
static const char *const v_tscsyncpolicy[] = { "Default", "Legacy", "Enhanced" };
static const char *const v_driverloadfailurepolicy[] = { "Fatal", "UseErrorControl" };
static const char *const v_bootmenupolicy[] = { "Legacy", "Standard" };
static const char *const v_bootstatuspolicy[] = {
    "DisplayAllFailures", "IgnoreAllFailures", "IgnoreShutdownFailures", "IgnoreBootFailures",
    "IgnoreCheckpointFailures", "DisplayShutdownFailures", "DisplayBootFailures",
    "DisplayCheckpointFailures", "AlwaysDisplayStartupFailures",
};
static const char *const v_hypervisorlaunchtype[] = { "Off", "Auto" };
static const char *const v_hypervisordebugtype[] = { "Serial", "1394", "None", "Net" };
static const char *const v_bootux[] = { "Disabled", "Basic", "Standard" };
static const char *const v_tpmbootentropy[] = { "Default", "ForceDisable", "ForceEnable" };
static const char *const v_hypervisormsrfilterpolicy[] = { "Disable", "Enable" };
static const char *const v_hypervisorschedulertype[] = { "Classic", "Core", "Root" };
static const char *const v_hypervisorperfmon[] = { "System", "Hypervisor" };
static const char *const v_kerneldebugtype[] = { "Serial", "1394", "USB", "NET" };
static const char *const v_hypervisorenforcedcodeintegrity[] = {
    "Disable", "Enable", "Strict",
};
static const char *const v_testmix[] = { "Basic", "Extended" };
static const char *const v_testtofail[] = {
    "Stride", "Mats", "InverseCoupling", "RandomPattern", "Checkerboard",
};

const struct wr_bcd_element_def wr_bcd_tab_lib[] = {
    { 0x11000001, "device", NULL, 0 },
    { 0x12000002, "path", NULL, 0 },
    { 0x12000004, "description", NULL, 0 },
    { 0x12000005, "locale", NULL, 0 },
    { 0x14000006, "inherit", NULL, 0 },
    { 0x15000007, "truncatememory", NULL, 0 },
    { 0x14000008, "recoverysequence", NULL, 0 },
    { 0x16000009, "recoveryenabled", NULL, 0 },
    { 0x1700000a, "badmemorylist", NULL, 0 },
    { 0x1600000b, "badmemoryaccess", NULL, 0 },
    { 0x1500000c, "firstmegabytepolicy", VALUES(v_firstmegabytepolicy) },
    { 0x1500000d, "relocatephysical", NULL, 0 },
    { 0x1500000e, "avoidlowmemory", NULL, 0 },
    { 0x1600000f, "traditionalkseg", NULL, 0 },
    { 0x16000010, "bootdebug", NULL, 0 },
    { 0x15000011, "debugtype", VALUES(v_debugtype) },
    { 0x15000012, "debugaddress", NULL, 0 },
    { 0x15000013, "debugport", NULL, 0 },
    { 0x15000014, "baudrate", NULL, 0 },
    { 0x15000015, "channel", NULL, 0 },
    { 0x12000016, "targetname", NULL, 0 },
    { 0x16000017, "noumex", NULL, 0 },
    { 0x15000018, "debugstart", VALUES(v_debugstart) },
    { 0x12000019, "busparams", NULL, 0 },
    { 0x1500001a, "hostip", NULL, 0 },
    { 0x1500001b, "port", NULL, 0 },
    { 0x1600001c, "dhcp", NULL, 0 },
    { 0x1200001d, "key", NULL, 0 },
    { 0x1600001e, "vm", NULL, 0 },
    { 0x1200001f, "hostipv6", NULL, 0 },
    { 0x16000020, "bootems", NULL, 0 },
    { 0x15000022, "emsport", NULL, 0 },
    { 0x15000023, "emsbaudrate", NULL, 0 },
    { 0x12000030, "loadoptions", NULL, 0 },
    { 0x16000040, "advancedoptions", NULL, 0 },
    { 0x16000041, "optionsedit", NULL, 0 },
    { 0x15000042, "keyringaddress", NULL, 0 },
    { 0x11000043, "bootstatdevice", NULL, 0 },
    { 0x12000044, "bootstatfilepath", NULL, 0 },
    { 0x16000045, "preservebootstat", NULL, 0 },
    { 0x16000046, "graphicsmodedisabled", NULL, 0 },
    { 0x15000047, "configaccesspolicy", VALUES(v_configaccesspolicy) },
    { 0x16000048, "nointegritychecks", NULL, 0 },
    { 0x16000049, "testsigning", NULL, 0 },
    { 0x1200004a, "fontpath", NULL, 0 },
    { 0x1500004b, "integrityservices", VALUES(v_integrityservices) },
    { 0x1500004c, "volumebandid", NULL, 0 },
    { 0x16000050, "extendedinput", NULL, 0 },
    { 0x15000051, "initialconsoleinput", NULL, 0 },
    { 0x15000052, "graphicsresolution", VALUES(v_graphicsresolution) },
    { 0x16000053, "restartonfailure", NULL, 0 },
    { 0x16000054, "highestmode", NULL, 0 },
    { 0x16000060, "isolatedcontext", NULL, 0 },
    { 0x15000065, "displaymessage", VALUES(v_displaymessage) },
    { 0x15000066, "displaymessageoverride", VALUES(v_displaymessage) },
    { 0x16000068, "nobootuxtext", NULL, 0 },
    { 0x16000069, "nobootuxprogress", NULL, 0 },
    { 0x1600006a, "nobootuxfade", NULL, 0 },
    { 0x1600006c, "bootuxdisabled", NULL, 0 },
    { 0x16000072, "nokeyboard", NULL, 0 },
    { 0x16000074, "bootshutdowndisabled", NULL, 0 },
    { 0x17000077, "allowedinmemorysettings", NULL, 0 },
    { 0x15000079, "bootuxtransitiontime", NULL, 0 },
    { 0x1600007a, "mobilegraphics", NULL, 0 },
    { 0x1600007b, "forcefipscrypto", NULL, 0 },
    { 0x1500007d, "booterrorux", VALUES(v_booterrorux) },
    { 0x1600007e, "flightsigning", NULL, 0 },
    { 0x1500007f, "measuredbootlogformat", VALUES(v_measuredbootlogformat) },
    { 0x15000080, "displayrotation", VALUES(v_displayrotation) },
    { 0x15000081, "logcontrol", NULL, 0 },
    { 0x16000082, "nofirmwaresync", NULL, 0 },
    { 0x11000084, "windowssyspart", NULL, 0 },
    { 0x16000087, "numlock", NULL, 0 },
    { 0x12000088, "additionalcipolicy", NULL, 0 },
    { 0x15000088, "linearaddress57", VALUES(v_linearaddress57) },
};
const size_t wr_bcd_tab_lib_len = WR_ARRAY_LEN(wr_bcd_tab_lib);

const struct wr_bcd_element_def wr_bcd_tab_allapp[] = {
    { 0x26000202, "skipffumode", NULL, 0 },
    { 0x26000203, "forceffumode", NULL, 0 },
    { 0x25000510, "chargethreshold", NULL, 0 },
    { 0x26000512, "offmodecharging", NULL, 0 },
    { 0x25000aaa, "bootflow", NULL, 0 },
};
const size_t wr_bcd_tab_allapp_len = WR_ARRAY_LEN(wr_bcd_tab_allapp);

const struct wr_bcd_element_def wr_bcd_tab_template[] = {
    { 0x47000006, "elementstomigrate", NULL, 0 },
};
const size_t wr_bcd_tab_template_len = WR_ARRAY_LEN(wr_bcd_tab_template);

const struct wr_bcd_element_def wr_bcd_tab_bootmgr[] = {
    { 0x24000001, "displayorder", NULL, 0 },
    { 0x24000002, "bootsequence", NULL, 0 },
    { 0x23000003, "default", NULL, 0 },
    { 0x25000004, "timeout", NULL, 0 },
    { 0x26000005, "resume", NULL, 0 },
    { 0x23000006, "resumeobject", NULL, 0 },
    { 0x24000007, "startupsequence", NULL, 0 },
    { 0x24000010, "toolsdisplayorder", NULL, 0 },
    { 0x26000020, "displaybootmenu", NULL, 0 },
    { 0x26000021, "noerrordisplay", NULL, 0 },
    { 0x21000022, "bcddevice", NULL, 0 },
    { 0x22000023, "bcdfilepath", NULL, 0 },
    { 0x26000025, "hiberboot", NULL, 0 },
    { 0x26000028, "processcustomactionsfirst", NULL, 0 },
    { 0x27000030, "customactions", NULL, 0 },
    { 0x26000031, "persistbootsequence", NULL, 0 },
    { 0x26000032, "skipstartupsequence", NULL, 0 },
    { 0x22000040, "fverecoveryurl", NULL, 0 },
    { 0x22000041, "fverecoverymessage", NULL, 0 },
    { 0x26000042, "flightedbootmgr", NULL, 0 },
};
const size_t wr_bcd_tab_bootmgr_len = WR_ARRAY_LEN(wr_bcd_tab_bootmgr);

const struct wr_bcd_element_def wr_bcd_tab_osloader[] = {
    { 0x21000001, "osdevice", NULL, 0 },
    { 0x22000002, "systemroot", NULL, 0 },
    { 0x23000003, "resumeobject", NULL, 0 },
    { 0x26000004, "stampdisks", NULL, 0 },
    { 0x26000010, "detecthal", NULL, 0 },
    { 0x22000011, "kernel", NULL, 0 },
    { 0x22000012, "hal", NULL, 0 },
    { 0x22000013, "dbgtransport", NULL, 0 },
    { 0x25000020, "nx", VALUES(v_nx) },
    { 0x25000021, "pae", VALUES(v_pae) },
    { 0x26000022, "winpe", NULL, 0 },
    { 0x26000024, "nocrashautoreboot", NULL, 0 },
    { 0x26000025, "lastknowngood", NULL, 0 },
    { 0x26000026, "oslnointegritychecks", NULL, 0 },
    { 0x26000027, "osltestsigning", NULL, 0 },
    { 0x26000030, "nolowmem", NULL, 0 },
    { 0x25000031, "removememory", NULL, 0 },
    { 0x25000032, "increaseuserva", NULL, 0 },
    { 0x25000033, "perfmem", NULL, 0 },
    { 0x26000040, "vga", NULL, 0 },
    { 0x26000041, "quietboot", NULL, 0 },
    { 0x26000042, "novesa", NULL, 0 },
    { 0x26000043, "novga", NULL, 0 },
    { 0x25000050, "clustermodeaddressing", NULL, 0 },
    { 0x26000051, "usephysicaldestination", NULL, 0 },
    { 0x25000052, "restrictapiccluster", NULL, 0 },
    { 0x22000053, "evstore", NULL, 0 },
    { 0x26000054, "uselegacyapicmode", NULL, 0 },
    { 0x25000055, "x2apicpolicy", VALUES(v_x2apicpolicy) },
    { 0x26000060, "onecpu", NULL, 0 },
    { 0x25000061, "numproc", NULL, 0 },
    { 0x26000062, "maxproc", NULL, 0 },
    { 0x25000063, "configflags", NULL, 0 },
    { 0x26000064, "maxgroup", NULL, 0 },
    { 0x26000065, "groupaware", NULL, 0 },
    { 0x25000066, "groupsize", NULL, 0 },
    { 0x26000070, "usefirmwarepcisettings", NULL, 0 },
    { 0x25000071, "msi", VALUES(v_msi) },
    { 0x25000072, "pciexpress", VALUES(v_msi) },
    { 0x25000080, "safeboot", VALUES(v_safeboot) },
    { 0x26000081, "safebootalternateshell", NULL, 0 },
    { 0x26000090, "bootlog", NULL, 0 },
    { 0x26000091, "sos", NULL, 0 },
    { 0x260000a0, "debug", NULL, 0 },
    { 0x260000a1, "halbreakpoint", NULL, 0 },
    { 0x260000a2, "useplatformclock", NULL, 0 },
    { 0x260000a3, "forcelegacyplatform", NULL, 0 },
    { 0x260000a4, "useplatformtick", NULL, 0 },
    { 0x260000a5, "disabledynamictick", NULL, 0 },
    { 0x250000a6, "tscsyncpolicy", VALUES(v_tscsyncpolicy) },
    { 0x260000b0, "ems", NULL, 0 },
    { 0x250000c1, "driverloadfailurepolicy", VALUES(v_driverloadfailurepolicy) },
    { 0x250000c2, "bootmenupolicy", VALUES(v_bootmenupolicy) },
    { 0x260000c3, "onetimeadvancedoptions", NULL, 0 },
    { 0x260000c4, "onetimeoptionsedit", NULL, 0 },
    { 0x250000e0, "bootstatuspolicy", VALUES(v_bootstatuspolicy) },
    { 0x260000e1, "disableelamdrivers", NULL, 0 },
    { 0x250000f0, "hypervisorlaunchtype", VALUES(v_hypervisorlaunchtype) },
    { 0x220000f1, "hypervisorpath", NULL, 0 },
    { 0x260000f2, "hypervisordebug", NULL, 0 },
    { 0x250000f3, "hypervisordebugtype", VALUES(v_hypervisordebugtype) },
    { 0x250000f4, "hypervisordebugport", NULL, 0 },
    { 0x250000f5, "hypervisorbaudrate", NULL, 0 },
    { 0x250000f6, "hypervisorchannel", NULL, 0 },
    { 0x250000f7, "bootux", VALUES(v_bootux) },
    { 0x260000f8, "hypervisordisableslat", NULL, 0 },
    { 0x220000f9, "hypervisorbusparams", NULL, 0 },
    { 0x250000fa, "hypervisornumproc", NULL, 0 },
    { 0x250000fb, "hypervisorrootprocpernode", NULL, 0 },
    { 0x260000fc, "hypervisoruselargevtlb", NULL, 0 },
    { 0x250000fd, "hypervisorhostip", NULL, 0 },
    { 0x250000fe, "hypervisorhostport", NULL, 0 },
    { 0x250000ff, "hypervisordebugpages", NULL, 0 },
    { 0x25000100, "tpmbootentropy", VALUES(v_tpmbootentropy) },
    { 0x22000110, "hypervisorusekey", NULL, 0 },
    { 0x25000113, "hypervisorrootproc", NULL, 0 },
    { 0x26000114, "hypervisordhcp", NULL, 0 },
    { 0x25000115, "hypervisoriommupolicy", VALUES(v_integrityservices) },
    { 0x26000116, "hypervisorusevapic", NULL, 0 },
    { 0x22000117, "hypervisorloadoptions", NULL, 0 },
    { 0x25000118, "hypervisormsrfilterpolicy", VALUES(v_hypervisormsrfilterpolicy) },
    { 0x25000119, "hypervisormmionxpolicy", VALUES(v_hypervisormsrfilterpolicy) },
    { 0x2500011a, "hypervisorschedulertype", VALUES(v_hypervisorschedulertype) },
    { 0x2200011b, "hypervisorrootprocnumanodes", NULL, 0 },
    { 0x2500011c, "hypervisorperfmon", VALUES(v_hypervisorperfmon) },
    { 0x2500011d, "hypervisorrootprocpercore", NULL, 0 },
    { 0x2200011e, "hypervisorrootprocnumanodelps", NULL, 0 },
    { 0x25000120, "xsavepolicy", NULL, 0 },
    { 0x25000121, "xsaveaddfeature0", NULL, 0 },
    { 0x25000122, "xsaveaddfeature1", NULL, 0 },
    { 0x25000123, "xsaveaddfeature2", NULL, 0 },
    { 0x25000124, "xsaveaddfeature3", NULL, 0 },
    { 0x25000125, "xsaveaddfeature4", NULL, 0 },
    { 0x25000126, "xsaveaddfeature5", NULL, 0 },
    { 0x25000127, "xsaveaddfeature6", NULL, 0 },
    { 0x25000128, "xsaveaddfeature7", NULL, 0 },
    { 0x25000129, "xsaveremovefeature", NULL, 0 },
    { 0x2500012a, "xsaveprocessorsmask", NULL, 0 },
    { 0x2500012b, "xsavedisable", NULL, 0 },
    { 0x2500012c, "kerneldebugtype", VALUES(v_kerneldebugtype) },
    { 0x2200012d, "kernelbusparams", NULL, 0 },
    { 0x2500012e, "kerneldebugaddress", NULL, 0 },
    { 0x2500012f, "kerneldebugport", NULL, 0 },
    { 0x25000130, "claimedtpmcounter", NULL, 0 },
    { 0x25000131, "kernelchannel", NULL, 0 },
    { 0x22000132, "kerneltargetname", NULL, 0 },
    { 0x25000133, "kernelhostip", NULL, 0 },
    { 0x25000134, "kernelport", NULL, 0 },
    { 0x26000135, "kerneldhcp", NULL, 0 },
    { 0x22000136, "kernelkey", NULL, 0 },
    { 0x22000137, "imchivename", NULL, 0 },
    { 0x21000138, "imcdevice", NULL, 0 },
    { 0x25000139, "kernelbaudrate", NULL, 0 },
    { 0x22000140, "mfgmode", NULL, 0 },
    { 0x26000141, "event", NULL, 0 },
    { 0x25000142, "vsmlaunchtype", VALUES(v_hypervisorlaunchtype) },
    { 0x25000144, "hypervisorenforcedcodeintegrity", VALUES(v_hypervisorenforcedcodeintegrity) },
    { 0x26000145, "dtrace", NULL, 0 },
    { 0x21000150, "systemdatadevice", NULL, 0 },
    { 0x21000151, "osarcdevice", NULL, 0 },
    { 0x21000153, "osdatadevice", NULL, 0 },
    { 0x21000154, "bspdevice", NULL, 0 },
    { 0x21000155, "bspfilepath", NULL, 0 },
    { 0x22000156, "kernelhostipv6", NULL, 0 },
    { 0x22000161, "hypervisorhostipv6", NULL, 0 },
};
const size_t wr_bcd_tab_osloader_len = WR_ARRAY_LEN(wr_bcd_tab_osloader);

const struct wr_bcd_element_def wr_bcd_tab_resume[] = {
    { 0x21000001, "filedevice", NULL, 0 },
    { 0x22000002, "filepath", NULL, 0 },
    { 0x26000003, "customsettings", NULL, 0 },
    { 0x26000004, "pae", NULL, 0 },
    { 0x21000005, "associatedosdevice", NULL, 0 },
    { 0x26000006, "debugoptionenabled", NULL, 0 },
    { 0x25000007, "bootux", VALUES(v_bootux) },
    { 0x25000008, "bootmenupolicy", VALUES(v_bootmenupolicy) },
};
const size_t wr_bcd_tab_resume_len = WR_ARRAY_LEN(wr_bcd_tab_resume);

const struct wr_bcd_element_def wr_bcd_tab_memdiag[] = {
    { 0x25000001, "passcount", NULL, 0 },
    { 0x25000002, "testmix", VALUES(v_testmix) },
    { 0x25000003, "failurecount", NULL, 0 },
    { 0x26000003, "cacheenable", NULL, 0 },
    { 0x25000004, "testtofail", VALUES(v_testtofail) },
    { 0x26000004, "failuresenabled", NULL, 0 },
    { 0x26000005, "cacheenable", NULL, 0 },
    { 0x25000005, "stridefailcount", NULL, 0 },
    { 0x25000006, "invcfailcount", NULL, 0 },
    { 0x25000007, "matsfailcount", NULL, 0 },
    { 0x25000008, "randfailcount", NULL, 0 },
    { 0x25000009, "chckrfailcount", NULL, 0 },
};
const size_t wr_bcd_tab_memdiag_len = WR_ARRAY_LEN(wr_bcd_tab_memdiag);

const struct wr_bcd_element_def wr_bcd_tab_legacy[] = {
    { 0x22000001, "bpbstring", NULL, 0 },
};
const size_t wr_bcd_tab_legacy_len = WR_ARRAY_LEN(wr_bcd_tab_legacy);

const struct wr_bcd_element_def wr_bcd_tab_startup[] = {
    { 0x26000001, "pxesoftreboot", NULL, 0 },
    { 0x22000002, "applicationname", NULL, 0 },
};
const size_t wr_bcd_tab_startup_len = WR_ARRAY_LEN(wr_bcd_tab_startup);

const struct wr_bcd_element_def wr_bcd_tab_bootapp[] = {
    { 0x26000145, "enablebootdebugpolicy", NULL, 0 },
    { 0x26000146, "enablebootorderclean", NULL, 0 },
    { 0x26000147, "enabledeviceid", NULL, 0 },
    { 0x26000148, "enableffuloader", NULL, 0 },
    { 0x26000149, "enableiuloader", NULL, 0 },
    { 0x2600014a, "enablemassstorage", NULL, 0 },
    { 0x2600014b, "enablerpmbprovisioning", NULL, 0 },
    { 0x2600014c, "enablesecurebootpolicy", NULL, 0 },
    { 0x2600014d, "enablestartcharge", NULL, 0 },
    { 0x2600014e, "enableresettpm", NULL, 0 },
};
const size_t wr_bcd_tab_bootapp_len = WR_ARRAY_LEN(wr_bcd_tab_bootapp);

const struct wr_bcd_element_def wr_bcd_tab_device[] = {
    { 0x35000001, "ramdiskimageoffset", NULL, 0 },
    { 0x35000002, "ramdisktftpclientport", NULL, 0 },
    { 0x31000003, "ramdisksdidevice", NULL, 0 },
    { 0x32000004, "ramdisksdipath", NULL, 0 },
    { 0x35000005, "ramdiskimagelength", NULL, 0 },
    { 0x36000006, "exportascd", NULL, 0 },
    { 0x35000007, "ramdisktftpblocksize", NULL, 0 },
    { 0x35000008, "ramdisktftpwindowsize", NULL, 0 },
    { 0x36000009, "ramdiskmcenabled", NULL, 0 },
    { 0x3600000a, "ramdiskmctftpfallback", NULL, 0 },
    { 0x3600000b, "ramdisktftpvarwindow", NULL, 0 },
    { 0x3600000c, "vhdramdiskboot", NULL, 0 },
};
const size_t wr_bcd_tab_device_len = WR_ARRAY_LEN(wr_bcd_tab_device);
