/* hangar-qemu-argv.h: a definition in, a QEMU command line out
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "hangar-domain.h"

G_BEGIN_DECLS

typedef struct
{
  const char *qemu_binary;   /* "qemu-system-x86_64" or an absolute path */
  const char *accel;         /* "kvm" or "tcg" */
  const char *runtime_dir;   /* the machine's folder under $XDG_RUNTIME_DIR/hangar */
  int         monitor_fd;    /* the listening QMP socket QEMU inherits */
  const char *nvram_path;    /* a UEFI machine's own variable store, when <nvram> names none */
} HangarQemuContext;

/* File names inside the runtime folder. */
#define HANGAR_RUNTIME_QMP_SOCKET    "qmp.sock"
#define HANGAR_RUNTIME_VNC_SOCKET    "vnc.sock"
#define HANGAR_RUNTIME_SPICE_SOCKET  "spice.sock"
#define HANGAR_RUNTIME_SERIAL_SOCKET "serial%u.sock"
#define HANGAR_RUNTIME_SERIAL_LOG    "serial%u.log"
#define HANGAR_RUNTIME_AGENT_SOCKET  "agent.sock"

GStrv hangar_qemu_build_argv   (const HangarDomainDef   *def,
                                const HangarQemuContext *ctx,
                                GError                 **error);

char *hangar_qemu_escape_opt   (const char              *value);

/* q35 machines get this many free PCIe root ports, "hangar-port0"…, to plug into. */
#define HANGAR_QEMU_HOTPLUG_PORTS 4

void     hangar_qemu_disk_names   (const HangarDiskDef *disk,
                                   guint                index,
                                   char               **id,
                                   char               **file_node,
                                   char               **format_node);
void     hangar_qemu_net_names    (const HangarNetDef  *net,
                                   guint                index,
                                   char               **id,
                                   char               **netdev);
gboolean hangar_qemu_hotplug_disk (const HangarDiskDef *disk,
                                   guint                index,
                                   const char          *bus,
                                   JsonObject         **out_file,
                                   JsonObject         **out_format,
                                   JsonObject         **out_device);
void     hangar_qemu_hotplug_net  (const HangarNetDef  *net,
                                   guint                index,
                                   const char          *bus,
                                   JsonObject         **out_netdev,
                                   JsonObject         **out_device);

G_END_DECLS
