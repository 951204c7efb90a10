/* hangar-stats-series.c: an hour of one machine's (or the host's) statistics
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The model behind the Performance tab's and the host overview's graphs: samples
 * (a timestamp and one double per column, NaN where nothing was measured), oldest
 * first, at most an hour back from the newest. A view makes one when it opens,
 * fills it with one GetStatisticsHistory reply (merge_history: only what is older
 * than what it has, so samples that came while the call was out stay) and appends
 * from the Statistics signal. Nothing in the list rows uses it: a row needs only
 * HangarMachineHistory's half minute, so a thousand rows keep no hour each.
 *
 * Bounded: at 0.5 s, the shortest interval, an hour is 7,200 samples; 8 machine
 * columns make 72 bytes a sample, ~520 KB for the worst case, ~260 KB at 1 s.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hangar-stats-series.h"

const char * const hangar_machine_stat_names[HANGAR_MACHINE_STAT_N + 1] = {
  "cpu", "cpu-overhead", "memory-rss", "memory-guest",
  "disk-read", "disk-write", "net-rx", "net-tx", NULL
};

const char * const hangar_host_stat_names[HANGAR_HOST_STAT_N + 1] = {
  "cpu", "memory-used", "load", "machines-cpu", "machines-memory", NULL
};

struct _HangarStatsSeries
{
  GObject             parent_instance;

  const char * const *columns;
  guint               n_columns;
  GArray             *times;     /* gint64 */
  GArray             *values;    /* double, n_columns a sample */
  guint               start;     /* the first sample kept; compacted now and then */
};

G_DEFINE_FINAL_TYPE (HangarStatsSeries, hangar_stats_series, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
hangar_stats_series_finalize (GObject *object)
{
  HangarStatsSeries *self = HANGAR_STATS_SERIES (object);

  g_clear_pointer (&self->times, g_array_unref);
  g_clear_pointer (&self->values, g_array_unref);

  G_OBJECT_CLASS (hangar_stats_series_parent_class)->finalize (object);
}

static void
hangar_stats_series_class_init (HangarStatsSeriesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hangar_stats_series_finalize;

  /**
   * HangarStatsSeries::changed:
   *
   * Samples came (appended or merged from the history), or the series emptied.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
hangar_stats_series_init (HangarStatsSeries *self)
{
  self->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
}

/**
 * hangar_stats_series_new:
 * @columns: the columns' names, %NULL-terminated, static (hangar_machine_stat_names,
 *   hangar_host_stat_names)
 */
HangarStatsSeries *
hangar_stats_series_new (const char * const *columns)
{
  HangarStatsSeries *self;

  g_return_val_if_fail (columns != NULL, NULL);

  self = g_object_new (HANGAR_TYPE_STATS_SERIES, NULL);
  self->columns = columns;
  self->n_columns = g_strv_length ((char **) columns);
  return self;
}

guint
hangar_stats_series_get_n_columns (HangarStatsSeries *self)
{
  g_return_val_if_fail (HANGAR_IS_STATS_SERIES (self), 0);

  return self->n_columns;
}

static const gint64 *
times_of (HangarStatsSeries *self)
{
  return &g_array_index (self->times, gint64, self->start);
}

/* Drops what is more than an hour older than the newest sample. The array moves only
 * when the dropped part is large, so an append costs O(1) amortised. */
static void
forget_old (HangarStatsSeries *self)
{
  guint n = self->times->len;
  gint64 oldest_kept;

  if (n == self->start)
    return;
  oldest_kept = g_array_index (self->times, gint64, n - 1) - HANGAR_STATS_SERIES_SPAN_US;
  while (self->start < n && g_array_index (self->times, gint64, self->start) < oldest_kept)
    self->start++;

  if (self->start > 256 && self->start > n / 2)
    {
      g_array_remove_range (self->times, 0, self->start);
      g_array_remove_range (self->values, 0, self->start * self->n_columns);
      self->start = 0;
    }
}

/**
 * hangar_stats_series_append:
 * @timestamp_us: CLOCK_REALTIME of the sample; one not newer than the last is ignored
 * @values: one a column, NaN where not measured
 */
void
hangar_stats_series_append (HangarStatsSeries *self,
                            gint64             timestamp_us,
                            const double      *values)
{
  g_return_if_fail (HANGAR_IS_STATS_SERIES (self));
  g_return_if_fail (values != NULL);

  if (self->times->len > self->start &&
      timestamp_us <= g_array_index (self->times, gint64, self->times->len - 1))
    return;

  g_array_append_val (self->times, timestamp_us);
  g_array_append_vals (self->values, values, self->n_columns);
  forget_old (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * hangar_stats_series_merge_history:
 * @columns: one machine's (or the host's) entry of GetStatisticsHistory's reply, a{sv}:
 *   "timestamp" (ax) and a column (ad) by name
 *
 * Puts the samples of @columns older than the oldest held before them. A column
 * missing from @columns reads as NaN.
 *
 * Returns: how many samples were added
 */
guint
hangar_stats_series_merge_history (HangarStatsSeries *self,
                                   GVariant          *columns)
{
  g_autoptr(GVariant) times_v = NULL;
  g_autoptr(GPtrArray) arrays = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autofree const double **data = NULL;
  g_autofree gsize *lengths = NULL;
  const gint64 *times;
  gsize n_times = 0;
  gsize n_new = 0;
  gint64 first;

  g_return_val_if_fail (HANGAR_IS_STATS_SERIES (self), 0);
  g_return_val_if_fail (g_variant_is_of_type (columns, G_VARIANT_TYPE_VARDICT), 0);

  times_v = g_variant_lookup_value (columns, "timestamp", G_VARIANT_TYPE ("ax"));
  if (times_v == NULL)
    return 0;
  times = g_variant_get_fixed_array (times_v, &n_times, sizeof (gint64));

  data = g_new0 (const double *, self->n_columns);
  lengths = g_new0 (gsize, self->n_columns);
  for (guint c = 0; c < self->n_columns; c++)
    {
      GVariant *column = g_variant_lookup_value (columns, self->columns[c], G_VARIANT_TYPE ("ad"));

      if (column == NULL)
        continue;
      g_ptr_array_add (arrays, column);
      data[c] = g_variant_get_fixed_array (column, &lengths[c], sizeof (double));
    }

  /* Only what is older than what we have, in order. */
  first = self->times->len > self->start ? times_of (self)[0] : G_MAXINT64;
  while (n_new < n_times && times[n_new] < first &&
         (n_new == 0 || times[n_new] > times[n_new - 1]))
    n_new++;
  if (n_new == 0)
    return 0;

  {
    g_autofree double *values = g_new (double, n_new * self->n_columns);

    for (gsize i = 0; i < n_new; i++)
      for (guint c = 0; c < self->n_columns; c++)
        values[i * self->n_columns + c] = data[c] != NULL && i < lengths[c] ? data[c][i] : NAN;

    g_array_insert_vals (self->times, self->start, times, n_new);
    g_array_insert_vals (self->values, self->start * self->n_columns, values,
                         n_new * self->n_columns);
  }
  forget_old (self);
  g_signal_emit (self, signals[CHANGED], 0);
  return n_new;
}

void
hangar_stats_series_clear (HangarStatsSeries *self)
{
  g_return_if_fail (HANGAR_IS_STATS_SERIES (self));

  if (self->times->len == 0)
    return;
  g_array_set_size (self->times, 0);
  g_array_set_size (self->values, 0);
  self->start = 0;
  g_signal_emit (self, signals[CHANGED], 0);
}

guint
hangar_stats_series_get_n_samples (HangarStatsSeries *self)
{
  g_return_val_if_fail (HANGAR_IS_STATS_SERIES (self), 0);

  return self->times->len - self->start;
}

gint64
hangar_stats_series_get_timestamp (HangarStatsSeries *self,
                                   guint              index)
{
  g_return_val_if_fail (HANGAR_IS_STATS_SERIES (self), 0);
  g_return_val_if_fail (index < self->times->len - self->start, 0);

  return times_of (self)[index];
}

/**
 * hangar_stats_series_get_value:
 *
 * Returns: the value of @column in sample @index (0 the oldest), NaN if not measured
 */
double
hangar_stats_series_get_value (HangarStatsSeries *self,
                               guint              index,
                               guint              column)
{
  g_return_val_if_fail (HANGAR_IS_STATS_SERIES (self), NAN);
  g_return_val_if_fail (index < self->times->len - self->start, NAN);
  g_return_val_if_fail (column < self->n_columns, NAN);

  return g_array_index (self->values, double, (self->start + index) * self->n_columns + column);
}

/**
 * hangar_stats_series_get_last:
 *
 * Returns: the newest value of @column, NaN when there is none
 */
double
hangar_stats_series_get_last (HangarStatsSeries *self,
                              guint              column)
{
  guint n;

  g_return_val_if_fail (HANGAR_IS_STATS_SERIES (self), NAN);

  n = hangar_stats_series_get_n_samples (self);
  return n > 0 ? hangar_stats_series_get_value (self, n - 1, column) : NAN;
}

/**
 * hangar_stats_series_get_last_timestamp:
 *
 * Returns: the newest sample's timestamp, 0 when there is none
 */
gint64
hangar_stats_series_get_last_timestamp (HangarStatsSeries *self)
{
  guint n;

  g_return_val_if_fail (HANGAR_IS_STATS_SERIES (self), 0);

  n = hangar_stats_series_get_n_samples (self);
  return n > 0 ? times_of (self)[n - 1] : 0;
}

/**
 * hangar_stats_series_get_interval:
 *
 * Returns: the shortest time between two of the last ten samples: the sampling
 *   interval as it is now, 0 with fewer than two samples
 */
gint64
hangar_stats_series_get_interval (HangarStatsSeries *self)
{
  guint n;
  gint64 interval = 0;

  g_return_val_if_fail (HANGAR_IS_STATS_SERIES (self), 0);

  n = hangar_stats_series_get_n_samples (self);
  for (guint i = n > 10 ? n - 10 : 1; i < n; i++)
    {
      gint64 delta = times_of (self)[i] - times_of (self)[i - 1];

      if (interval == 0 || delta < interval)
        interval = delta;
    }
  return interval;
}

/**
 * hangar_stats_series_find:
 *
 * Returns: the index of the first sample not older than @timestamp_us (a binary
 *   search), the number of samples when all are older
 */
guint
hangar_stats_series_find (HangarStatsSeries *self,
                          gint64             timestamp_us)
{
  const gint64 *times;
  guint low = 0;
  guint high;

  g_return_val_if_fail (HANGAR_IS_STATS_SERIES (self), 0);

  times = times_of (self);
  high = hangar_stats_series_get_n_samples (self);
  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (times[mid] < timestamp_us)
        low = mid + 1;
      else
        high = mid;
    }
  return low;
}
