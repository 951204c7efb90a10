/* test-history.c: a machine's recent figures, as the sparkline draws them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * HangarMachineHistory without a display or an engine.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <math.h>

#include "hangar-machine-history.h"
#include "hangar-stats-series.h"

static void
on_changed (HangarMachineHistory *history,
            guint                *count)
{
  (*count)++;
}

static void
test_ring (void)
{
  g_autoptr(HangarMachineHistory) history = hangar_machine_history_new ();
  const double *samples;
  guint n_samples = 99;
  guint changes = 0;

  g_signal_connect (history, "changed", G_CALLBACK (on_changed), &changes);

  /* Nothing yet: no figure, nothing to draw. */
  g_assert_cmpfloat (hangar_machine_history_get_cpu (history), ==, -1);
  samples = hangar_machine_history_get_cpu_samples (history, &n_samples);
  g_assert_nonnull (samples);
  g_assert_cmpuint (n_samples, ==, 0);

  for (guint i = 0; i < HANGAR_MACHINE_HISTORY_LENGTH + 10; i++)
    hangar_machine_history_add (history, 1000 * (i + 1), i, 4096 * i);
  g_assert_cmpuint (changes, ==, HANGAR_MACHINE_HISTORY_LENGTH + 10);

  /* The last LENGTH samples, oldest first. */
  samples = hangar_machine_history_get_cpu_samples (history, &n_samples);
  g_assert_cmpuint (n_samples, ==, HANGAR_MACHINE_HISTORY_LENGTH);
  for (guint i = 0; i < n_samples; i++)
    g_assert_cmpfloat (samples[i], ==, i + 10);
  g_assert_cmpfloat (hangar_machine_history_get_cpu (history), ==,
                     HANGAR_MACHINE_HISTORY_LENGTH + 9);
  g_assert_cmpuint (hangar_machine_history_get_memory_rss (history), ==,
                    4096 * (HANGAR_MACHINE_HISTORY_LENGTH + 9));

  /* A late sample (older than the last) is dropped; a bad figure reads as 0. */
  hangar_machine_history_add (history, 5, 77, 1);
  g_assert_cmpfloat (hangar_machine_history_get_cpu (history), ==,
                     HANGAR_MACHINE_HISTORY_LENGTH + 9);
  hangar_machine_history_add (history, 1000000, -3, 1);
  g_assert_cmpfloat (hangar_machine_history_get_cpu (history), ==, 0);

  hangar_machine_history_clear (history);
  g_assert_cmpfloat (hangar_machine_history_get_cpu (history), ==, -1);
  hangar_machine_history_get_cpu_samples (history, &n_samples);
  g_assert_cmpuint (n_samples, ==, 0);
  g_assert_cmpuint (hangar_machine_history_get_memory_rss (history), ==, 0);

  /* Clearing an empty history changes nothing. */
  changes = 0;
  hangar_machine_history_clear (history);
  g_assert_cmpuint (changes, ==, 0);
}

/* A machine's part of a Statistics signal, as the engine sends it. */
static GVariant *
statistics_values (double  cpu,
                   guint64 disk_read,
                   guint64 disk_written,
                   gboolean with_nics,
                   guint64 rx)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "cpu", g_variant_new_double (cpu));
  g_variant_builder_add (&builder, "{sv}", "cpu-overhead", g_variant_new_double (2.5));
  g_variant_builder_add (&builder, "{sv}", "memory-rss", g_variant_new_uint64 (100 << 20));
  g_variant_builder_add (&builder, "{sv}", "disks",
                         g_variant_new_parsed ("[('vda', %t, %t, @t 1, @t 2),"
                                               " ('vdb', @t 1000, @t 0, @t 1, @t 0)]",
                                               disk_read, disk_written));
  if (with_nics)
    g_variant_builder_add (&builder, "{sv}", "nics",
                           g_variant_new_parsed ("[('52:54:00:00:00:01', %t, @t 0)]", rx));
  else
    g_variant_builder_add (&builder, "{sv}", "nics-unavailable",
                           g_variant_new_string ("no guest agent channel"));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/* Counters become rates; the first sample has none; a counter that goes back too. */
static void
test_statistics (void)
{
  g_autoptr(HangarMachineHistory) history = hangar_machine_history_new ();
  g_autoptr(GVariant) first = statistics_values (50, 0, 0, FALSE, 0);
  g_autoptr(GVariant) second = statistics_values (75, 2048, 4096, TRUE, 500);
  g_autoptr(GVariant) third = statistics_values (80, 1024, 4096, TRUE, 1500);
  const double *last;
  const double *disk;
  guint n = 0;
  gint64 t = 0;

  hangar_machine_history_add_statistics (history, 1000000, first);
  last = hangar_machine_history_get_last_values (history, &t);
  g_assert_cmpint (t, ==, 1000000);
  g_assert_cmpfloat (last[HANGAR_MACHINE_STAT_CPU], ==, 50);
  g_assert_cmpfloat (last[HANGAR_MACHINE_STAT_CPU_OVERHEAD], ==, 2.5);
  g_assert_cmpfloat (last[HANGAR_MACHINE_STAT_MEMORY_RSS], ==, 100 << 20);
  g_assert_true (isnan (last[HANGAR_MACHINE_STAT_MEMORY_GUEST]));
  g_assert_true (isnan (last[HANGAR_MACHINE_STAT_DISK_READ]));
  g_assert_cmpstr (hangar_machine_history_get_nics_unavailable (history), ==,
                   "no guest agent channel");

  /* Two seconds later: (2048 + 1000 - 1000) / 2 read, 4096 / 2 written. */
  hangar_machine_history_add_statistics (history, 3000000, second);
  last = hangar_machine_history_get_last_values (history, NULL);
  g_assert_cmpfloat (last[HANGAR_MACHINE_STAT_DISK_READ], ==, 1024);
  g_assert_cmpfloat (last[HANGAR_MACHINE_STAT_DISK_WRITE], ==, 2048);
  g_assert_true (isnan (last[HANGAR_MACHINE_STAT_NET_RX]));
  g_assert_null (hangar_machine_history_get_nics_unavailable (history));
  disk = hangar_machine_history_get_samples (history, HANGAR_SPARKLINE_METRIC_DISK, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (disk[0], ==, 0);
  g_assert_cmpfloat (disk[1], ==, 3072);

  /* The read counter went back (a new QEMU): no rate, not a negative one. */
  hangar_machine_history_add_statistics (history, 4000000, third);
  last = hangar_machine_history_get_last_values (history, NULL);
  g_assert_true (isnan (last[HANGAR_MACHINE_STAT_DISK_READ]));
  g_assert_cmpfloat (last[HANGAR_MACHINE_STAT_DISK_WRITE], ==, 0);
  g_assert_cmpfloat (last[HANGAR_MACHINE_STAT_NET_RX], ==, 1000);
}

/* GetStatisticsHistory's columns for @n samples from @t0, one a second. */
static GVariant *
history_columns (gint64 t0,
                 guint  n)
{
  g_autofree gint64 *times = g_new (gint64, n);
  g_autofree double *cpu = g_new (double, n);
  GVariantBuilder builder;

  for (guint i = 0; i < n; i++)
    {
      times[i] = t0 + (gint64) i * G_USEC_PER_SEC;
      cpu[i] = i;
    }
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "timestamp",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, times, n,
                                                    sizeof (gint64)));
  g_variant_builder_add (&builder, "{sv}", "cpu",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, cpu, n,
                                                    sizeof (double)));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/* The hour-long series: appends, history merged before what came meanwhile, an hour kept. */
static void
test_series (void)
{
  g_autoptr(HangarStatsSeries) series = hangar_stats_series_new (hangar_machine_stat_names);
  g_autoptr(GVariant) history = history_columns (G_USEC_PER_SEC, 100);
  g_autoptr(GVariant) long_history = history_columns (G_USEC_PER_SEC, 4000);
  double values[HANGAR_MACHINE_STAT_N];

  for (guint i = 0; i < HANGAR_MACHINE_STAT_N; i++)
    values[i] = i;
  g_assert_cmpuint (hangar_stats_series_get_n_columns (series), ==, HANGAR_MACHINE_STAT_N);
  g_assert_true (isnan (hangar_stats_series_get_last (series, 0)));

  /* Two samples came while GetStatisticsHistory was out; the history overlaps them. */
  hangar_stats_series_append (series, 99 * G_USEC_PER_SEC, values);
  hangar_stats_series_append (series, 101 * G_USEC_PER_SEC, values);
  hangar_stats_series_append (series, 100 * G_USEC_PER_SEC, values);   /* late: dropped */
  g_assert_cmpuint (hangar_stats_series_get_n_samples (series), ==, 2);
  g_assert_cmpuint (hangar_stats_series_merge_history (series, history), ==, 98);
  g_assert_cmpuint (hangar_stats_series_get_n_samples (series), ==, 100);
  g_assert_cmpint (hangar_stats_series_get_timestamp (series, 0), ==, G_USEC_PER_SEC);
  g_assert_cmpfloat (hangar_stats_series_get_value (series, 97, HANGAR_MACHINE_STAT_CPU), ==, 97);
  g_assert_true (isnan (hangar_stats_series_get_value (series, 0, HANGAR_MACHINE_STAT_NET_TX)));
  g_assert_cmpfloat (hangar_stats_series_get_last (series, HANGAR_MACHINE_STAT_NET_TX), ==, 7);
  g_assert_cmpint (hangar_stats_series_get_interval (series), ==, G_USEC_PER_SEC);
  g_assert_cmpuint (hangar_stats_series_find (series, 50 * G_USEC_PER_SEC + 1), ==, 50);

  /* More than an hour: only the last hour stays. */
  hangar_stats_series_clear (series);
  hangar_stats_series_merge_history (series, long_history);
  g_assert_cmpuint (hangar_stats_series_get_n_samples (series), ==, 3601);
  for (guint i = 0; i < 5000; i++)
    hangar_stats_series_append (series, (gint64) (5000 + i) * G_USEC_PER_SEC, values);
  g_assert_cmpuint (hangar_stats_series_get_n_samples (series), ==, 3601);
  g_assert_cmpint (hangar_stats_series_get_timestamp (series, 0), ==, (gint64) 6399 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/ui/history/ring", test_ring);
  g_test_add_func ("/hangar/ui/history/statistics", test_statistics);
  g_test_add_func ("/hangar/ui/history/series", test_series);

  return g_test_run ();
}
