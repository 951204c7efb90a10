/* hangar-os-defaults.h: what a new machine for an OS gets, from the catalogue
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 memory_kib, minimum_memory_kib;
  guint64 disk_bytes, minimum_disk_bytes;
  guint   vcpus;
  const char *machine;    /* "q35" or "pc" */
  const char *firmware;   /* "bios", "uefi" or "uefi-secure" */
  const char *disk_bus;   /* "virtio", "sata" or "ide" */
  const char *nic_model;  /* "virtio", "e1000e", "e1000" or "rtl8139" */
} HangarOsDefaults;

void      hangar_os_defaults_compute    (OsinfoOs               *os,
                                         guint64                 host_memory_kib,
                                         guint                   host_cpus,
                                         HangarOsDefaults       *out);
GVariant *hangar_os_defaults_to_variant (const HangarOsDefaults *defaults,
                                         const char             *os_id,
                                         const char             *os_name,
                                         const char             *short_id,
                                         const char             *name);

G_END_DECLS
