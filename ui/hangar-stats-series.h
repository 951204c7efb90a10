/* hangar-stats-series.h: an hour of one machine's (or the host's) statistics
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-types.h"

G_BEGIN_DECLS

/* How far back a series keeps samples: the engine's own history is an hour too. */
#define HANGAR_STATS_SERIES_SPAN_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

/* The columns of a machine's series, in the engine's GetStatisticsHistory names. */
typedef enum
{
  HANGAR_MACHINE_STAT_CPU,          /* "cpu": percent of one host CPU */
  HANGAR_MACHINE_STAT_CPU_OVERHEAD, /* "cpu-overhead" */
  HANGAR_MACHINE_STAT_MEMORY_RSS,   /* "memory-rss": bytes */
  HANGAR_MACHINE_STAT_MEMORY_GUEST, /* "memory-guest": bytes (balloon) */
  HANGAR_MACHINE_STAT_DISK_READ,    /* "disk-read": bytes per second */
  HANGAR_MACHINE_STAT_DISK_WRITE,   /* "disk-write" */
  HANGAR_MACHINE_STAT_NET_RX,       /* "net-rx": bytes per second */
  HANGAR_MACHINE_STAT_NET_TX,       /* "net-tx" */
  HANGAR_MACHINE_STAT_N
} HangarMachineStat;

/* The host's columns. */
typedef enum
{
  HANGAR_HOST_STAT_CPU,             /* "cpu": percent of all host CPUs */
  HANGAR_HOST_STAT_MEMORY_USED,     /* "memory-used": bytes */
  HANGAR_HOST_STAT_LOAD,            /* "load" */
  HANGAR_HOST_STAT_MACHINES_CPU,    /* "machines-cpu": percent of one host CPU */
  HANGAR_HOST_STAT_MACHINES_MEMORY, /* "machines-memory": bytes */
  HANGAR_HOST_STAT_N
} HangarHostStat;

extern const char * const hangar_machine_stat_names[HANGAR_MACHINE_STAT_N + 1];
extern const char * const hangar_host_stat_names[HANGAR_HOST_STAT_N + 1];

#define HANGAR_TYPE_STATS_SERIES (hangar_stats_series_get_type ())
G_DECLARE_FINAL_TYPE (HangarStatsSeries, hangar_stats_series, HANGAR, STATS_SERIES, GObject)

HangarStatsSeries *hangar_stats_series_new                (const char * const *columns);
guint              hangar_stats_series_get_n_columns      (HangarStatsSeries  *self);
void               hangar_stats_series_append             (HangarStatsSeries  *self,
                                                           gint64              timestamp_us,
                                                           const double       *values);
guint              hangar_stats_series_merge_history      (HangarStatsSeries  *self,
                                                           GVariant           *columns);
void               hangar_stats_series_clear              (HangarStatsSeries  *self);
guint              hangar_stats_series_get_n_samples      (HangarStatsSeries  *self);
gint64             hangar_stats_series_get_timestamp      (HangarStatsSeries  *self,
                                                           guint               index);
double             hangar_stats_series_get_value          (HangarStatsSeries  *self,
                                                           guint               index,
                                                           guint               column);
double             hangar_stats_series_get_last           (HangarStatsSeries  *self,
                                                           guint               column);
gint64             hangar_stats_series_get_last_timestamp (HangarStatsSeries  *self);
gint64             hangar_stats_series_get_interval       (HangarStatsSeries  *self);
guint              hangar_stats_series_find               (HangarStatsSeries  *self,
                                                           gint64              timestamp_us);

G_END_DECLS
