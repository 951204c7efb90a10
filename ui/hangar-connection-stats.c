/* hangar-connection-stats.c: a connection's statistics: subscription, signal, histories
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The engine sends statistics only to subscribers, in one batched signal an interval.
 * Each machine's values go to its HangarMachineHistory, found by object path; the
 * host's to the host series, made when someone first asks for it. On each connect the
 * last hour comes with GetStatisticsHistory, so graphs draw the past at once.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <string.h>
#include <math.h>

#include "hangar-connection-private.h"
#include "hangar-machine-history.h"
#include "hangar-stats-series.h"

static void
on_statistics_interval_set (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Not the person's business: the engine keeps its own interval. */
  if (!hangar_dbus_host1_call_set_statistics_interval_finish (HANGAR_DBUS_HOST1 (source), result,
                                                              &error))
    g_debug ("Could not set the statistics interval: %s", error->message);
}

void
_hangar_connection_send_statistics_interval (HangarConnection *self)
{
  if (self->host == NULL || self->statistics_interval == 0 ||
      hangar_dbus_host1_get_statistics_interval (self->host) == self->statistics_interval)
    return;

  hangar_dbus_host1_call_set_statistics_interval (self->host, self->statistics_interval,
                                                  self->cancellable,
                                                  on_statistics_interval_set, NULL);
}

static HangarMachineHistory *
history_for_uuid (HangarConnection *self,
                  const char       *uuid)
{
  g_autofree char *path = g_strconcat (MACHINE_OBJECT_PATH_PREFIX, uuid, NULL);
  g_autoptr(GDBusInterface) machine = NULL;

  g_strdelimit (path + strlen (MACHINE_OBJECT_PATH_PREFIX), "-", '_');
  machine = g_dbus_object_manager_get_interface (self->manager, path,
                                                 "io.github.hangarvm.Hangar.Machine1");
  if (machine == NULL || !HANGAR_DBUS_IS_MACHINE1 (machine))
    return NULL;
  return hangar_machine_history_get_for (HANGAR_DBUS_MACHINE1 (machine));
}

/* The host's part of a Statistics signal, in the columns of GetStatisticsHistory. */
static void
add_host_sample (HangarConnection *self,
                 gint64            timestamp,
                 GVariant         *host_values)
{
  double values[HANGAR_HOST_STAT_N];
  guint64 total = 0, available = 0, machines_memory = 0;

  for (guint i = 0; i < HANGAR_HOST_STAT_N; i++)
    values[i] = NAN;
  g_variant_lookup (host_values, "cpu", "d", &values[HANGAR_HOST_STAT_CPU]);
  g_variant_lookup (host_values, "load", "d", &values[HANGAR_HOST_STAT_LOAD]);
  g_variant_lookup (host_values, "machines-cpu", "d", &values[HANGAR_HOST_STAT_MACHINES_CPU]);
  if (g_variant_lookup (host_values, "memory-total", "t", &total) &&
      g_variant_lookup (host_values, "memory-available", "t", &available) && total >= available)
    values[HANGAR_HOST_STAT_MEMORY_USED] = total - available;
  if (g_variant_lookup (host_values, "machines-memory", "t", &machines_memory))
    values[HANGAR_HOST_STAT_MACHINES_MEMORY] = machines_memory;
  if (total != 0 && total != self->host_memory_total)
    {
      self->host_memory_total = total;
      _hangar_connection_notify_host_memory_total (self);
    }
  hangar_stats_series_append (self->host_series, timestamp, values);
}

/* One batched signal for every running machine: each machine's values go to its
 * history, found by object path (a hash look-up in the manager), never by a scan;
 * the host's go to the host series when someone looks at it. */
void
_hangar_connection_on_statistics (HangarConnection *self,
                                  gint64            timestamp,
                                  GVariant         *host_values,
                                  GVariant         *samples,
                                  HangarDBusHost1  *host)
{
  GVariantIter iter;
  const char *uuid;
  GVariant *values;

  if (self->manager == NULL || !g_variant_is_of_type (samples, G_VARIANT_TYPE ("a(sa{sv})")) ||
      !g_variant_is_of_type (host_values, G_VARIANT_TYPE_VARDICT))
    return;

  if (self->host_series != NULL)
    add_host_sample (self, timestamp, host_values);

  g_variant_iter_init (&iter, samples);
  while (g_variant_iter_loop (&iter, "(&s@a{sv})", &uuid, &values))
    {
      HangarMachineHistory *history = history_for_uuid (self, uuid);

      if (history != NULL)
        hangar_machine_history_add_statistics (history, timestamp, values);
    }
}

/* The engine's recent past: the sparklines draw it at once, not from the next sample. */
static void
on_history (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HangarConnection) self = user_data;
  g_autoptr(GVariant) history = NULL;
  g_autoptr(GError) error = NULL;
  GVariantIter iter;
  const char *uuid;
  GVariant *columns;

  if (!hangar_dbus_host1_call_get_statistics_history_finish (HANGAR_DBUS_HOST1 (source), &history,
                                                             result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the statistics history: %s", error->message);
      return;
    }
  if (self->manager == NULL)
    return;
  g_variant_iter_init (&iter, history);
  while (g_variant_iter_loop (&iter, "(&s@a{sv})", &uuid, &columns))
    {
      HangarMachineHistory *machine_history = *uuid ? history_for_uuid (self, uuid) : NULL;

      if (machine_history != NULL)
        hangar_machine_history_add_history (machine_history, columns);
    }
}

static void
on_host_history (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HangarConnection) self = user_data;
  g_autoptr(GVariant) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) columns = NULL;

  if (!hangar_dbus_host1_call_get_statistics_history_finish (HANGAR_DBUS_HOST1 (source), &history,
                                                             result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the host's statistics history: %s", error->message);
      return;
    }
  if (self->host_series != NULL && g_variant_n_children (history) > 0)
    {
      g_variant_get_child (history, 0, "(&s@a{sv})", NULL, &columns);
      hangar_stats_series_merge_history (self->host_series, columns);
    }
}

/* The host's hour, asked for once the host series is wanted and on each connect. */
void
_hangar_connection_fetch_host_history (HangarConnection *self)
{
  static const char * const host_only[] = { "", NULL };

  if (self->host == NULL || self->host_series == NULL)
    return;
  hangar_dbus_host1_call_get_statistics_history (self->host, host_only, 0, self->cancellable,
                                                 on_host_history, g_object_ref (self));
}

static void
on_subscribed (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  static const char * const all[] = { NULL };
  g_autoptr(HangarConnection) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hangar_dbus_host1_call_subscribe_statistics_finish (HANGAR_DBUS_HOST1 (source), result,
                                                           &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not subscribe to statistics: %s", error->message);
      return;
    }
  hangar_dbus_host1_call_get_statistics_history (HANGAR_DBUS_HOST1 (source), all,
                                                 HANGAR_MACHINE_HISTORY_LENGTH, self->cancellable,
                                                 on_history, g_object_ref (self));
  _hangar_connection_fetch_host_history (self);
}

/* Statistics come only to subscribers; the engine forgets us when we leave the bus. */
void
_hangar_connection_subscribe_statistics (HangarConnection *self)
{
  hangar_dbus_host1_call_subscribe_statistics (self->host, self->cancellable, on_subscribed,
                                               g_object_ref (self));
}

/**
 * hangar_connection_get_host_series:
 *
 * The host's statistics (columns hangar_host_stat_names) over the last hour. Made on
 * the first call, filled from the engine's history, then from each Statistics
 * signal; until then the connection keeps nothing of the host.
 *
 * Returns: (transfer none): the host's series
 */
HangarStatsSeries *
hangar_connection_get_host_series (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);

  if (self->host_series == NULL)
    {
      self->host_series = hangar_stats_series_new (hangar_host_stat_names);
      _hangar_connection_fetch_host_history (self);
    }
  return self->host_series;
}

guint64
hangar_connection_get_host_memory_total (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), 0);

  return self->host_memory_total;
}
