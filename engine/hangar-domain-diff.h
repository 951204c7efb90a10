/* hangar-domain-diff.h: what differs between two definitions, and how it can apply
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A pure function: the definition a machine runs and the one it has now in, the
 * list of changes out, each with the way it can reach the running QEMU (or not)
 * and a short sentence for people.
 */
#pragma once

#include "hangar-domain.h"

G_BEGIN_DECLS

typedef enum
{
  HANGAR_CHANGE_RESTART,      /* waits for the next start */
  HANGAR_CHANGE_BALLOON,      /* <currentMemory>: the balloon's target */
  HANGAR_CHANGE_LINK,         /* a NIC's link state */
  HANGAR_CHANGE_MEDIA,        /* a CD-ROM's medium: inserted, changed or ejected */
  HANGAR_CHANGE_DISK_ADD,     /* a virtio disk to plug in */
  HANGAR_CHANGE_DISK_REMOVE,  /* a virtio disk to unplug */
  HANGAR_CHANGE_NET_ADD,
  HANGAR_CHANGE_NET_REMOVE,
  HANGAR_CHANGE_VCPUS,        /* more vCPUs online, up to the maximum QEMU started with */
} HangarChangeKind;

typedef struct
{
  HangarChangeKind kind;
  char            *summary;    /* "Memory: 512 MiB to 1 GiB" */
  guint            old_index;  /* the device in the old definition, or G_MAXUINT */
  guint            new_index;  /* the device in the new definition, or G_MAXUINT */
  char            *key;        /* a device's target (disk) or MAC address (NIC), or NULL */
} HangarChange;

GPtrArray *hangar_domain_diff          (const HangarDomainDef *old_def,
                                        const HangarDomainDef *new_def);
GStrv      hangar_domain_diff_summaries (GPtrArray            *changes);
char      *hangar_format_kib            (guint64               kib);

G_END_DECLS
