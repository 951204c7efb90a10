/* hangar-machine-history.c: a machine's recent figures
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The model behind a row's sparkline: for each HangarSparklineMetric the last
 * HANGAR_MACHINE_HISTORY_LENGTH samples, oldest first, and the latest sample of
 * every HangarMachineStat. HangarConnection hands it each machine's part of the
 * engine's batched Host1.Statistics signal (add_statistics), which carries disk
 * and NIC byte counters: the rates are worked out here, from the previous
 * counters. Widgets only read it and redraw on ::changed; the Performance tab
 * also appends each new sample (::sample-added) to an hour-long HangarStatsSeries
 * of its own. One history per machine proxy (hangar_machine_history_get_for()), so
 * every view of a machine shares it; it empties when the machine stops running.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hangar-machine-history.h"

struct _HangarMachineHistory
{
  GObject  parent_instance;

  double   samples[HANGAR_SPARKLINE_METRIC_N][HANGAR_MACHINE_HISTORY_LENGTH];
  guint    n_samples;
  gint64   last_timestamp;
  double   last[HANGAR_MACHINE_STAT_N];
  char    *nics_unavailable;

  /* The counters of the last Statistics signal, for rates; negative: none yet. */
  gint64   counters_timestamp;
  double   counters[4];   /* disk read, disk written, NIC received, NIC sent */
};

G_DEFINE_FINAL_TYPE (HangarMachineHistory, hangar_machine_history, G_TYPE_OBJECT)

/* The nicks are the GSettings key sparkline-metric's. */
G_DEFINE_ENUM_TYPE (HangarSparklineMetric, hangar_sparkline_metric,
  G_DEFINE_ENUM_VALUE (HANGAR_SPARKLINE_METRIC_CPU, "cpu"),
  G_DEFINE_ENUM_VALUE (HANGAR_SPARKLINE_METRIC_MEMORY, "memory"),
  G_DEFINE_ENUM_VALUE (HANGAR_SPARKLINE_METRIC_DISK, "disk"),
  G_DEFINE_ENUM_VALUE (HANGAR_SPARKLINE_METRIC_NETWORK, "network"))

enum {
  PROP_0,
  PROP_CPU,
  PROP_MEMORY_RSS,
  PROP_N_SAMPLES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  SAMPLE_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
notify_all (HangarMachineHistory *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CPU]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_RSS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SAMPLES]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
hangar_machine_history_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HangarMachineHistory *self = HANGAR_MACHINE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CPU:
      g_value_set_double (value, hangar_machine_history_get_cpu (self));
      break;

    case PROP_MEMORY_RSS:
      g_value_set_uint64 (value, hangar_machine_history_get_memory_rss (self));
      break;

    case PROP_N_SAMPLES:
      g_value_set_uint (value, self->n_samples);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_machine_history_finalize (GObject *object)
{
  HangarMachineHistory *self = HANGAR_MACHINE_HISTORY (object);

  g_clear_pointer (&self->nics_unavailable, g_free);

  G_OBJECT_CLASS (hangar_machine_history_parent_class)->finalize (object);
}

static void
hangar_machine_history_class_init (HangarMachineHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hangar_machine_history_finalize;
  object_class->get_property = hangar_machine_history_get_property;

  /**
   * HangarMachineHistory:cpu:
   *
   * The latest CPU use in percent of one host CPU; -1 when there is none.
   */
  properties[PROP_CPU] =
    g_param_spec_double ("cpu", NULL, NULL,
                         -1, G_MAXDOUBLE, -1,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MEMORY_RSS] =
    g_param_spec_uint64 ("memory-rss", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_N_SAMPLES] =
    g_param_spec_uint ("n-samples", NULL, NULL,
                       0, HANGAR_MACHINE_HISTORY_LENGTH, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarMachineHistory::changed:
   *
   * A sample came, or the history emptied.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * HangarMachineHistory::sample-added:
   * @timestamp: the new sample's, in µs
   *
   * A new sample came (after ::changed); read it with get_last_values().
   */
  signals[SAMPLE_ADDED] =
    g_signal_new ("sample-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
reset_last (HangarMachineHistory *self)
{
  for (guint i = 0; i < HANGAR_MACHINE_STAT_N; i++)
    self->last[i] = NAN;
  self->counters_timestamp = -1;
}

static void
hangar_machine_history_init (HangarMachineHistory *self)
{
  reset_last (self);
}

HangarMachineHistory *
hangar_machine_history_new (void)
{
  return g_object_new (HANGAR_TYPE_MACHINE_HISTORY, NULL);
}

static void
on_machine_state_changed (HangarDBusMachine1   *machine,
                          GParamSpec           *pspec,
                          HangarMachineHistory *self)
{
  const char *state = hangar_dbus_machine1_get_state (machine);

  /* A paused machine keeps its graph; one that stopped has no figures. */
  if (g_strcmp0 (state, "running") != 0 && g_strcmp0 (state, "paused") != 0)
    hangar_machine_history_clear (self);
}

/**
 * hangar_machine_history_get_for:
 *
 * Returns: (transfer none): @machine's history, made on the first call
 */
HangarMachineHistory *
hangar_machine_history_get_for (HangarDBusMachine1 *machine)
{
  static GQuark quark;
  HangarMachineHistory *history;

  g_return_val_if_fail (HANGAR_DBUS_IS_MACHINE1 (machine), NULL);

  if (quark == 0)
    quark = g_quark_from_static_string ("hangar-machine-history");

  history = g_object_get_qdata (G_OBJECT (machine), quark);
  if (history == NULL)
    {
      history = hangar_machine_history_new ();
      g_object_set_qdata_full (G_OBJECT (machine), quark, history, g_object_unref);
      g_signal_connect_object (machine, "notify::state",
                               G_CALLBACK (on_machine_state_changed), history, 0);
    }
  return history;
}

static double
zero_if_unknown (double value)
{
  return isnan (value) || value < 0 ? 0 : value;
}

/**
 * hangar_machine_history_add_values:
 * @timestamp_us: when the sample was taken; a sample older than the last is ignored
 * @values: (array fixed-size=8): one a HangarMachineStat, NaN where not measured
 */
void
hangar_machine_history_add_values (HangarMachineHistory *self,
                                   gint64                timestamp_us,
                                   const double         *values)
{
  double metric[HANGAR_SPARKLINE_METRIC_N];

  g_return_if_fail (HANGAR_IS_MACHINE_HISTORY (self));

  if (timestamp_us != 0 && timestamp_us < self->last_timestamp)
    return;
  self->last_timestamp = timestamp_us;
  memcpy (self->last, values, sizeof self->last);

  metric[HANGAR_SPARKLINE_METRIC_CPU] = zero_if_unknown (values[HANGAR_MACHINE_STAT_CPU]);
  metric[HANGAR_SPARKLINE_METRIC_MEMORY] = zero_if_unknown (values[HANGAR_MACHINE_STAT_MEMORY_RSS]);
  metric[HANGAR_SPARKLINE_METRIC_DISK] = zero_if_unknown (values[HANGAR_MACHINE_STAT_DISK_READ]) +
                                         zero_if_unknown (values[HANGAR_MACHINE_STAT_DISK_WRITE]);
  metric[HANGAR_SPARKLINE_METRIC_NETWORK] = zero_if_unknown (values[HANGAR_MACHINE_STAT_NET_RX]) +
                                            zero_if_unknown (values[HANGAR_MACHINE_STAT_NET_TX]);

  if (self->n_samples == HANGAR_MACHINE_HISTORY_LENGTH)
    {
      for (guint m = 0; m < HANGAR_SPARKLINE_METRIC_N; m++)
        memmove (self->samples[m], self->samples[m] + 1,
                 (HANGAR_MACHINE_HISTORY_LENGTH - 1) * sizeof (double));
      self->n_samples--;
    }
  for (guint m = 0; m < HANGAR_SPARKLINE_METRIC_N; m++)
    self->samples[m][self->n_samples] = metric[m];
  self->n_samples++;

  notify_all (self);
  g_signal_emit (self, signals[SAMPLE_ADDED], 0, timestamp_us);
}

/**
 * hangar_machine_history_add:
 * @timestamp_us: when the sample was taken; a sample older than the last is ignored
 * @cpu: percent of one host CPU
 * @memory_rss: resident memory of the machine's QEMU, in bytes
 *
 * A sample of CPU and memory only.
 */
void
hangar_machine_history_add (HangarMachineHistory *self,
                            gint64                timestamp_us,
                            double                cpu,
                            guint64               memory_rss)
{
  double values[HANGAR_MACHINE_STAT_N];

  for (guint i = 0; i < HANGAR_MACHINE_STAT_N; i++)
    values[i] = NAN;
  values[HANGAR_MACHINE_STAT_CPU] = zero_if_unknown (cpu);
  values[HANGAR_MACHINE_STAT_MEMORY_RSS] = memory_rss;
  hangar_machine_history_add_values (self, timestamp_us, values);
}

/* Bytes per second from two readings of a counter; NaN when there is no earlier one
 * or the counter went back (a new QEMU, a NIC gone). */
static double
rate (double  now,
      double  before,
      double  seconds)
{
  if (isnan (now) || isnan (before) || now < before || seconds <= 0)
    return NAN;
  return (now - before) / seconds;
}

/**
 * hangar_machine_history_add_statistics:
 * @timestamp_us: the Statistics signal's timestamp
 * @values: the machine's values in that signal (a{sv}: "cpu", "cpu-overhead",
 *   "memory-rss", "memory-guest", "disks" a(stttt), "nics" a(stt) or
 *   "nics-unavailable")
 *
 * Adds a sample; disk and NIC counters become bytes per second since the last one.
 */
void
hangar_machine_history_add_statistics (HangarMachineHistory *self,
                                       gint64                timestamp_us,
                                       GVariant             *values)
{
  double sample[HANGAR_MACHINE_STAT_N];
  double counters[4] = { NAN, NAN, NAN, NAN };
  g_autoptr(GVariantIter) disks = NULL;
  g_autoptr(GVariantIter) nics = NULL;
  const char *unavailable = NULL;
  guint64 number;
  double seconds;

  g_return_if_fail (HANGAR_IS_MACHINE_HISTORY (self));
  g_return_if_fail (g_variant_is_of_type (values, G_VARIANT_TYPE_VARDICT));

  if (timestamp_us < self->last_timestamp)
    return;

  for (guint i = 0; i < HANGAR_MACHINE_STAT_N; i++)
    sample[i] = NAN;
  g_variant_lookup (values, "cpu", "d", &sample[HANGAR_MACHINE_STAT_CPU]);
  g_variant_lookup (values, "cpu-overhead", "d", &sample[HANGAR_MACHINE_STAT_CPU_OVERHEAD]);
  if (g_variant_lookup (values, "memory-rss", "t", &number))
    sample[HANGAR_MACHINE_STAT_MEMORY_RSS] = number;
  if (g_variant_lookup (values, "memory-guest", "t", &number))
    sample[HANGAR_MACHINE_STAT_MEMORY_GUEST] = number;

  if (g_variant_lookup (values, "disks", "a(stttt)", &disks))
    {
      guint64 read, written, reads, writes;

      counters[0] = counters[1] = 0;
      while (g_variant_iter_next (disks, "(&stttt)", NULL, &read, &written, &reads, &writes))
        {
          counters[0] += read;
          counters[1] += written;
        }
    }
  if (g_variant_lookup (values, "nics", "a(stt)", &nics))
    {
      guint64 rx, tx;

      counters[2] = counters[3] = 0;
      while (g_variant_iter_next (nics, "(&stt)", NULL, &rx, &tx))
        {
          counters[2] += rx;
          counters[3] += tx;
        }
    }
  /* Neither NICs nor a reason: the machine has no network device (""). */
  if (!g_variant_lookup (values, "nics-unavailable", "&s", &unavailable) && nics == NULL)
    unavailable = "";

  seconds = self->counters_timestamp < 0 ? 0
            : (timestamp_us - self->counters_timestamp) / (double) G_USEC_PER_SEC;
  sample[HANGAR_MACHINE_STAT_DISK_READ] = rate (counters[0], self->counters[0], seconds);
  sample[HANGAR_MACHINE_STAT_DISK_WRITE] = rate (counters[1], self->counters[1], seconds);
  sample[HANGAR_MACHINE_STAT_NET_RX] = rate (counters[2], self->counters[2], seconds);
  sample[HANGAR_MACHINE_STAT_NET_TX] = rate (counters[3], self->counters[3], seconds);
  memcpy (self->counters, counters, sizeof counters);
  self->counters_timestamp = timestamp_us;

  if (g_strcmp0 (self->nics_unavailable, unavailable) != 0)
    {
      g_free (self->nics_unavailable);
      self->nics_unavailable = g_strdup (unavailable);
    }

  hangar_machine_history_add_values (self, timestamp_us, sample);
}

/**
 * hangar_machine_history_add_history:
 * @columns: the machine's entry of GetStatisticsHistory's reply (a{sv} of columns)
 *
 * Replaces the samples with the newest of @columns.
 */
void
hangar_machine_history_add_history (HangarMachineHistory *self,
                                    GVariant             *columns)
{
  g_autoptr(HangarStatsSeries) series = hangar_stats_series_new (hangar_machine_stat_names);
  guint n;

  g_return_if_fail (HANGAR_IS_MACHINE_HISTORY (self));

  hangar_stats_series_merge_history (series, columns);
  n = hangar_stats_series_get_n_samples (series);
  hangar_machine_history_clear (self);
  for (guint i = n > HANGAR_MACHINE_HISTORY_LENGTH ? n - HANGAR_MACHINE_HISTORY_LENGTH : 0;
       i < n; i++)
    {
      double values[HANGAR_MACHINE_STAT_N];

      /* A sample without CPU is one taken while the machine was not running. */
      if (isnan (hangar_stats_series_get_value (series, i, HANGAR_MACHINE_STAT_CPU)))
        continue;
      for (guint c = 0; c < HANGAR_MACHINE_STAT_N; c++)
        values[c] = hangar_stats_series_get_value (series, i, c);
      hangar_machine_history_add_values (self, hangar_stats_series_get_timestamp (series, i),
                                         values);
    }
}

void
hangar_machine_history_clear (HangarMachineHistory *self)
{
  g_return_if_fail (HANGAR_IS_MACHINE_HISTORY (self));

  self->counters_timestamp = -1;
  if (self->n_samples == 0 && isnan (self->last[HANGAR_MACHINE_STAT_MEMORY_RSS]))
    return;
  self->n_samples = 0;
  self->last_timestamp = 0;
  reset_last (self);
  notify_all (self);
}

double
hangar_machine_history_get_cpu (HangarMachineHistory *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_HISTORY (self), -1);

  return self->n_samples > 0 ? self->samples[HANGAR_SPARKLINE_METRIC_CPU][self->n_samples - 1]
                             : -1;
}

guint64
hangar_machine_history_get_memory_rss (HangarMachineHistory *self)
{
  double rss;

  g_return_val_if_fail (HANGAR_IS_MACHINE_HISTORY (self), 0);

  rss = self->last[HANGAR_MACHINE_STAT_MEMORY_RSS];
  return isnan (rss) || rss < 0 ? 0 : (guint64) rss;
}

/**
 * hangar_machine_history_get_samples:
 * @n_samples: (out): how many there are
 *
 * Returns: (transfer none) (array length=n_samples): @metric's samples, oldest first
 *   (0 where not measured)
 */
const double *
hangar_machine_history_get_samples (HangarMachineHistory  *self,
                                    HangarSparklineMetric  metric,
                                    guint                 *n_samples)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_HISTORY (self), NULL);
  g_return_val_if_fail (metric < HANGAR_SPARKLINE_METRIC_N, NULL);

  *n_samples = self->n_samples;
  return self->samples[metric];
}

/**
 * hangar_machine_history_get_cpu_samples:
 * @n_samples: (out): how many there are
 *
 * Returns: (transfer none) (array length=n_samples): the CPU samples, oldest first
 */
const double *
hangar_machine_history_get_cpu_samples (HangarMachineHistory *self,
                                        guint                *n_samples)
{
  return hangar_machine_history_get_samples (self, HANGAR_SPARKLINE_METRIC_CPU, n_samples);
}

/**
 * hangar_machine_history_get_last_values:
 * @timestamp_us: (out) (optional): the newest sample's timestamp
 *
 * Returns: (transfer none) (array fixed-size=8): the newest sample, one value a
 *   HangarMachineStat, NaN where not measured (all NaN when there is none)
 */
const double *
hangar_machine_history_get_last_values (HangarMachineHistory *self,
                                        gint64               *timestamp_us)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_HISTORY (self), NULL);

  if (timestamp_us != NULL)
    *timestamp_us = self->last_timestamp;
  return self->last;
}

/**
 * hangar_machine_history_get_nics_unavailable:
 *
 * Returns: (nullable): why the last sample had no network figures, in the engine's
 *   words ("no guest agent channel"), "" when the machine has no network device,
 *   %NULL when it had them
 */
const char *
hangar_machine_history_get_nics_unavailable (HangarMachineHistory *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_HISTORY (self), NULL);

  return self->nics_unavailable;
}
