/* hangar-machine-history.h: a machine's recent figures
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-dbus.h"

#include "hangar-stats-series.h"
#include "hangar-types.h"

G_BEGIN_DECLS

/* How many samples a history keeps: half a minute at the default interval. */
#define HANGAR_MACHINE_HISTORY_LENGTH 30

/* What a list row's sparkline draws (the GSettings key sparkline-metric). */
typedef enum
{
  HANGAR_SPARKLINE_METRIC_CPU,      /* guest vCPUs, percent of one host CPU */
  HANGAR_SPARKLINE_METRIC_MEMORY,   /* QEMU's resident memory, bytes */
  HANGAR_SPARKLINE_METRIC_DISK,     /* read + written, bytes per second */
  HANGAR_SPARKLINE_METRIC_NETWORK,  /* received + sent, bytes per second */
  HANGAR_SPARKLINE_METRIC_N
} HangarSparklineMetric;

#define HANGAR_TYPE_SPARKLINE_METRIC (hangar_sparkline_metric_get_type ())
GType hangar_sparkline_metric_get_type (void);

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
void                  hangar_machine_history_add_values (HangarMachineHistory *self,
                                                         gint64                timestamp_us,
                                                         const double         *values);
void                  hangar_machine_history_add_statistics (HangarMachineHistory *self,
                                                             gint64                timestamp_us,
                                                             GVariant             *values);
void                  hangar_machine_history_add_history (HangarMachineHistory *self,
                                                          GVariant             *columns);
const double         *hangar_machine_history_get_samples (HangarMachineHistory  *self,
                                                          HangarSparklineMetric  metric,
                                                          guint                 *n_samples);
const double         *hangar_machine_history_get_last_values (HangarMachineHistory *self,
                                                              gint64               *timestamp_us);
const char           *hangar_machine_history_get_nics_unavailable (HangarMachineHistory *self);

G_END_DECLS
