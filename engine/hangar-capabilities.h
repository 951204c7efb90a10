/* hangar-capabilities.h: what this host and its QEMU can do
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char    *hostname;
  char    *qemu_binary;       /* absolute path, NULL when QEMU is missing */
  char    *qemu_version;      /* "7.2.22" */
  GStrv    accelerators;      /* usable, best first */
  char    *default_accel;
  GStrv    machine_types;
  guint    host_cpus;
  guint64  host_memory_kib;
  GStrv    firmwares;         /* "bios", and "uefi", "uefi-secure" when OVMF is there */
} HangarCapabilities;

HangarCapabilities *hangar_capabilities_probe (GError             **error);
void                hangar_capabilities_free  (HangarCapabilities  *caps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarCapabilities, hangar_capabilities_free)

G_END_DECLS
