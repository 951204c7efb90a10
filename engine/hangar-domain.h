/* hangar-domain.h: a VM definition, read from and written to libvirt domain XML
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A HangarDomain keeps the parsed XML document as the source of truth, so that
 * elements and attributes Hangar does not know survive a round trip, plus a typed
 * view of what Hangar runs (the fields below). It is immutable once parsed and
 * reference counted, so a running machine can hold the definition it started with.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char    *device;     /* "disk" or "cdrom" */
  char    *source;     /* absolute path, NULL for an empty CD-ROM drive */
  gboolean block;      /* type='block': source is a host device (a CD/DVD drive) */
  char    *format;     /* "raw" or "qcow2" */
  char    *bus;        /* "virtio", "sata", "ide" or "scsi" */
  char    *target;     /* "vda", "sdb", ... */
  guint    index;      /* from the target name, as libvirt: hda 0, hdc 2, sdb 1, vdaa 26 */
  char    *cache;      /* NULL (QEMU's default) or a libvirt cache mode */
  gboolean readonly;
  gboolean shareable;  /* <shareable/>: other machines may write it at the same time */
  char    *discard;    /* <driver discard>: "unmap", "ignore" or NULL (QEMU's default) */
  guint    boot_order; /* <boot order='N'/>, 0 when absent */
  char    *alias;      /* <alias name>: the QEMU id in a running machine's live.xml, else NULL */
} HangarDiskDef;

typedef struct
{
  char *model;         /* "virtio", "e1000", "e1000e" or "rtl8139" */
  char *mac;           /* always set: generated when the XML has none */
  guint boot_order;
  gboolean link_down;  /* <link state='down'/> */
  char *alias;         /* as HangarDiskDef's */
} HangarNetDef;

typedef struct
{
  char *log_path;      /* <source path> of a type='file' serial; NULL: the runtime folder's */
  guint port;          /* <target port>: 0 to 3 */
} HangarSerialDef;

typedef struct
{
  char *type;          /* "tablet", "mouse" or "keyboard" */
  char *bus;           /* "usb", "virtio" or "ps2" */
} HangarInputDef;

/* <hostdev mode='subsystem' type='usb'>: QEMU's usb-host, by ids or by place. */
typedef struct
{
  guint16 vendor_id;
  guint16 product_id;
  guint   bus;           /* <source><address bus device>: 0 when named by ids */
  guint   device;
} HangarUsbHostdevDef;

typedef enum
{
  HANGAR_CHANNEL_GUEST_AGENT, /* virtio port org.qemu.guest_agent.0 */
  HANGAR_CHANNEL_SPICE_AGENT, /* spicevmc, com.redhat.spice.0 */
} HangarChannelKind;

typedef struct
{
  char  *name;
  char  *uuid;               /* lower case, canonical */
  char  *title;
  char  *description;
  guint64 memory_kib;
  guint64 current_memory_kib;
  guint  vcpus;              /* the most the machine can have: <vcpu> */
  guint  vcpus_current;      /* online at start, <vcpu current>: vcpus when absent */
  guint  sockets, dies, cores, threads; /* 0 when no <topology> */

  char  *arch;               /* "x86_64" */
  char  *machine;            /* "pc", "q35", "pc-q35-7.2", ... */
  char  *boot_order;         /* QEMU letters from <os><boot dev>: "c", "dc", ... or NULL */
  gboolean boot_menu;
  char  *kernel;
  char  *initrd;
  char  *cmdline;

  char  *firmware;           /* "bios" or "efi" */
  char  *loader;             /* UEFI: the read-only code (pflash 0); NULL for BIOS */
  char  *nvram;              /* UEFI: the variable store (pflash 1); NULL: the machine's own */
  char  *nvram_template;     /* UEFI: what a new variable store is copied from */
  gboolean secure_boot;

  char  *os_id;              /* <metadata><libosinfo:os id>, or NULL */
  char  *install_phase;      /* NULL, "cdrom" or "kernel": undone at the first guest reboot */

  gboolean acpi;
  gboolean apic;
  char  *cpu_mode;           /* NULL, "host-passthrough", "host-model" or "custom" */
  char  *cpu_model;          /* for "custom" */
  char  *clock_offset;       /* "utc" or "localtime" */
  char  *on_poweroff;        /* "destroy" or "restart" */
  char  *on_reboot;          /* "restart" or "destroy" */
  char  *on_crash;           /* "destroy", "restart" or "preserve" */

  GPtrArray *disks;          /* HangarDiskDef */
  GPtrArray *nets;           /* HangarNetDef */
  GPtrArray *serials;        /* HangarSerialDef */
  GPtrArray *inputs;         /* HangarInputDef */
  GArray    *channels;       /* HangarChannelKind */
  gboolean has_vnc;
  gboolean has_spice;
  char  *video;              /* "virtio", "qxl", "vga", "bochs", "none" or NULL (none given) */
  char  *sound;              /* "ich9", "ich6", "ac97", "es1370" or NULL */
  char  *rng_backend;        /* "/dev/urandom", ... or NULL when no RNG */
  char  *usb_model;          /* "qemu-xhci", ..., or NULL when there is no USB controller */
  gboolean balloon;
  char  *watchdog_model;     /* "i6300esb" or NULL */
  char  *watchdog_action;    /* "reset", "shutdown", "poweroff", "pause", "none", "inject-nmi" */
  GArray *usb_hostdevs;      /* HangarUsbHostdevDef; NULL when none */
  guint   usb_redirdevs;     /* <redirdev bus='usb' type='spicevmc'>: SPICE USB channels */
} HangarDomainDef;

/* Debian's ovmf package. */
#define HANGAR_OVMF_CODE         "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define HANGAR_OVMF_VARS         "/usr/share/OVMF/OVMF_VARS_4M.fd"
#define HANGAR_OVMF_CODE_SECURE  "/usr/share/OVMF/OVMF_CODE_4M.ms.fd"
#define HANGAR_OVMF_VARS_SECURE  "/usr/share/OVMF/OVMF_VARS_4M.ms.fd"

/* <metadata> namespaces: libvirt tools' OS id, and Hangar's own. */
#define HANGAR_LIBOSINFO_NS "http://libosinfo.org/xmlns/libvirt/domain/1.0"
#define HANGAR_METADATA_NS  "https://hangarvm.github.io/xmlns/hangar/1.0"

typedef struct _HangarDomain HangarDomain;

HangarDomain          *hangar_domain_parse      (const char    *xml,
                                                 gssize         length,
                                                 GError       **error);
HangarDomain          *hangar_domain_ref        (HangarDomain  *self);
void                   hangar_domain_unref      (HangarDomain  *self);
const HangarDomainDef *hangar_domain_get_def    (HangarDomain  *self);
const char            *hangar_domain_get_name   (HangarDomain  *self);
const char            *hangar_domain_get_uuid   (HangarDomain  *self);
char                  *hangar_domain_to_xml     (HangarDomain  *self);
gboolean               hangar_domain_check_files (HangarDomain *self,
                                                 GError       **error);
gboolean               hangar_domain_prepare_nvram (HangarDomain *self,
                                                    GError      **error);
gboolean               hangar_domain_check_host (HangarDomain  *self,
                                                 guint64        host_memory_kib,
                                                 GError       **error);

HangarDomain          *hangar_domain_finish_install (HangarDomain *self,
                                                    GError      **error);

char                  *hangar_domain_edit_device        (HangarDomain  *self,
                                                         const char    *device_xml,
                                                         gboolean       remove,
                                                         GError       **error);

/* Running machines' live.xml (hangar-domain-live.c). */
HangarDomain          *hangar_domain_pin_aliases        (HangarDomain  *self,
                                                         GError       **error);
HangarDomain          *hangar_domain_strip_aliases      (HangarDomain  *self,
                                                         GError       **error);
HangarDomain          *hangar_domain_add_device         (HangarDomain  *self,
                                                         HangarDomain  *from,
                                                         const char    *element,
                                                         guint          from_index,
                                                         const char    *alias,
                                                         GError       **error);
HangarDomain          *hangar_domain_remove_device      (HangarDomain  *self,
                                                         const char    *element,
                                                         guint          index,
                                                         GError       **error);
HangarDomain          *hangar_domain_take_state         (HangarDomain  *self,
                                                         const char    *element,
                                                         guint          index,
                                                         HangarDomain  *from,
                                                         guint          from_index,
                                                         GError       **error);
HangarDomain          *hangar_domain_set_vcpus_current  (HangarDomain  *self,
                                                         guint          count,
                                                         GError       **error);
HangarDomain          *hangar_domain_set_current_memory (HangarDomain  *self,
                                                         guint64        kib,
                                                         GError       **error);

gboolean               hangar_domain_name_is_valid (const char  *name,
                                                    GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarDomain, hangar_domain_unref)

G_END_DECLS
