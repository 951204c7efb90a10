/* hangar-machine-history.h: a machine's recent CPU and memory figures
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-dbus.h"

#include "hangar-types.h"

G_BEGIN_DECLS

/* How many samples a history keeps: half a minute at the default interval. */
#define HANGAR_MACHINE_HISTORY_LENGTH 30

#define HANGAR_TYPE_MACHINE_HISTORY (hangar_machine_history_get_type ())
G_DECLARE_FINAL_TYPE (HangarMachineHistory, hangar_machine_history, HANGAR, MACHINE_HISTORY, GObject)

HangarMachineHistory *hangar_machine_history_new        (void);
HangarMachineHistory *hangar_machine_history_get_for    (HangarDBusMachine1   *machine);
void                  hangar_machine_history_add        (HangarMachineHistory *self,
                                                         gint64                timestamp_us,
                                                         double                cpu,
                                                         guint64               memory_rss);
void                  hangar_machine_history_clear      (HangarMachineHistory *self);
double                hangar_machine_history_get_cpu    (HangarMachineHistory *self);
guint64               hangar_machine_history_get_memory_rss (HangarMachineHistory *self);
const double         *hangar_machine_history_get_cpu_samples (HangarMachineHistory *self,
                                                              guint                *n_samples);

G_END_DECLS
