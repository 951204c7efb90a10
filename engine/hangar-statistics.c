/* hangar-statistics.c: sampling every running machine at one interval
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One timer for all machines and one batched "sample" signal per tick, never one per
 * machine: a client drawing a thousand rows gets one message a second, not a thousand.
 * CPU use is the change in QEMU's user+system time (/proc/PID/stat) over the change
 * in wall-clock time; memory is QEMU's resident set (/proc/PID/statm). Reading two
 * small /proc files per running machine is all a tick costs.
 *
 * Signals:
 *   sample (gint64 timestamp_us, GVariant *samples): samples is a(sa{sv}), see the
 *   Host1.Statistics signal in data/io.github.hangarvm.Hangar.Engine.xml.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-machine.h"
#include "hangar-statistics.h"

typedef struct
{
  GPid    pid;
  guint64 ticks;
  gint64  time_us;
} Previous;

struct _HangarStatistics
{
  GObject     parent_instance;

  GPtrArray  *machines;    /* owned by the engine; HangarMachine */
  GHashTable *previous;    /* uuid → Previous */
  guint       interval_ms;
  guint       timeout_id;
  long        ticks_per_second;
  long        page_size;
};

enum {
  SIGNAL_SAMPLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarStatistics, hangar_statistics, G_TYPE_OBJECT)

/**
 * hangar_statistics_read_process:
 * @cpu_ticks: (out): user + system time in clock ticks
 * @rss_bytes: (out): resident memory
 *
 * Returns: FALSE when the process is gone.
 */
gboolean
hangar_statistics_read_process (GPid     pid,
                                guint64 *cpu_ticks,
                                guint64 *rss_bytes)
{
  char path[64];
  g_autofree char *stat = NULL;
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;
  guint64 resident = 0;

  g_snprintf (path, sizeof path, "/proc/%d/stat", pid);
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  /* The command name may hold spaces and parentheses: count fields after the last ')'. */
  after_name = strrchr (stat, ')');
  if (after_name == NULL)
    return FALSE;
  fields = g_strsplit (after_name + 2, " ", 0);
  /* Fields from "state" (3) on: utime is field 14, stime 15, so indexes 11 and 12. */
  if (g_strv_length (fields) < 13)
    return FALSE;
  *cpu_ticks = g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);

  g_snprintf (path, sizeof path, "/proc/%d/statm", pid);
  if (g_file_get_contents (path, &statm, NULL, NULL))
    {
      const char *space = strchr (statm, ' ');
      resident = space ? g_ascii_strtoull (space + 1, NULL, 10) : 0;
    }
  *rss_bytes = resident * (guint64) sysconf (_SC_PAGESIZE);
  return TRUE;
}

static gboolean
on_tick (gpointer user_data)
{
  HangarStatistics *self = user_data;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GVariantBuilder samples;
  gint64 now_us = g_get_monotonic_time ();
  gboolean any = FALSE;
  GHashTableIter iter;
  gpointer key;

  g_variant_builder_init (&samples, G_VARIANT_TYPE ("a(sa{sv})"));
  for (guint i = 0; i < self->machines->len; i++)
    {
      HangarMachine *machine = g_ptr_array_index (self->machines, i);
      const char *uuid = hangar_machine_get_uuid (machine);
      GPid pid = hangar_machine_get_pid (machine);
      Previous *previous;
      guint64 ticks, rss;
      double cpu = 0.0;
      GVariantBuilder values;

      if (pid <= 0 || !hangar_statistics_read_process (pid, &ticks, &rss))
        continue;
      g_hash_table_add (seen, (gpointer) uuid);

      previous = g_hash_table_lookup (self->previous, uuid);
      if (previous == NULL || previous->pid != pid || ticks < previous->ticks)
        {
          /* A first sample has nothing to compare with: remember it, report from the next. */
          previous = g_new0 (Previous, 1);
          g_hash_table_replace (self->previous, g_strdup (uuid), previous);
          previous->pid = pid;
          previous->ticks = ticks;
          previous->time_us = now_us;
          continue;
        }
      if (now_us > previous->time_us)
        cpu = 100.0 * ((double) (ticks - previous->ticks) / self->ticks_per_second) /
              ((double) (now_us - previous->time_us) / G_USEC_PER_SEC);
      previous->ticks = ticks;
      previous->time_us = now_us;

      g_variant_builder_init (&values, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&values, "{sv}", "cpu", g_variant_new_double (cpu));
      g_variant_builder_add (&values, "{sv}", "memory-rss", g_variant_new_uint64 (rss));
      g_variant_builder_add (&samples, "(sa{sv})", uuid, &values);
      any = TRUE;
    }

  /* Forget machines that stopped. */
  g_hash_table_iter_init (&iter, self->previous);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (seen, key))
      g_hash_table_iter_remove (&iter);

  if (any)
    {
      g_autoptr(GVariant) batch = g_variant_ref_sink (g_variant_builder_end (&samples));
      g_signal_emit (self, signals[SIGNAL_SAMPLE], 0, g_get_real_time (), batch);
    }
  else
    g_variant_builder_clear (&samples);
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (HangarStatistics *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (self->interval_ms, on_tick, self);
}

static void
hangar_statistics_finalize (GObject *object)
{
  HangarStatistics *self = HANGAR_STATISTICS (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_pointer (&self->previous, g_hash_table_unref);
  g_clear_pointer (&self->machines, g_ptr_array_unref);
  G_OBJECT_CLASS (hangar_statistics_parent_class)->finalize (object);
}

static void
hangar_statistics_class_init (HangarStatisticsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_statistics_finalize;

  signals[SIGNAL_SAMPLE] =
    g_signal_new ("sample", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_VARIANT);
}

static void
hangar_statistics_init (HangarStatistics *self)
{
  self->previous = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->interval_ms = 1000;
  self->ticks_per_second = sysconf (_SC_CLK_TCK);
}

/**
 * hangar_statistics_new:
 * @machines: the engine's machines; the array is shared, not copied
 */
HangarStatistics *
hangar_statistics_new (GPtrArray *machines)
{
  HangarStatistics *self = g_object_new (HANGAR_TYPE_STATISTICS, NULL);

  self->machines = g_ptr_array_ref (machines);
  restart_timer (self);
  return self;
}

guint
hangar_statistics_get_interval (HangarStatistics *self)
{
  g_return_val_if_fail (HANGAR_IS_STATISTICS (self), 0);

  return self->interval_ms;
}

gboolean
hangar_statistics_set_interval (HangarStatistics  *self,
                                guint              interval_ms,
                                GError           **error)
{
  g_return_val_if_fail (HANGAR_IS_STATISTICS (self), FALSE);

  if (interval_ms < HANGAR_STATISTICS_MIN_INTERVAL || interval_ms > HANGAR_STATISTICS_MAX_INTERVAL)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("The statistics interval must be from %u to %u milliseconds, not %u."),
                   HANGAR_STATISTICS_MIN_INTERVAL, HANGAR_STATISTICS_MAX_INTERVAL, interval_ms);
      return FALSE;
    }
  if (interval_ms != self->interval_ms)
    {
      self->interval_ms = interval_ms;
      restart_timer (self);
    }
  return TRUE;
}
