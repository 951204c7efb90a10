/* hangar-stats-history.c: the last hour of samples, as columns in a ring
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One ring per machine (and one for the host): a timestamp and a few values per
 * sample, the values in single precision (a percentage or a byte rate needs no more
 * than 7 digits on a graph). At the shortest interval, 0.5 s, an hour is 7,200 samples.
 * Memory: capacity × (8 + 4 × columns) bytes, allocated once, resized only when the
 * interval changes (the newest samples are kept). Pure: no clock, no I/O.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hangar-stats-history.h"

struct _HangarStatsHistory
{
  GStrv    columns;
  guint    n_columns;
  guint    capacity;
  guint    length;     /* samples held, ≤ capacity */
  guint    head;       /* where the next sample goes */
  gint64  *timestamps; /* capacity */
  float   *values;     /* capacity × n_columns, sample after sample */
};

/**
 * hangar_stats_history_new:
 * @columns: the values' names, in the order hangar_stats_history_append() takes them
 * @capacity: samples to keep (at least 1)
 */
HangarStatsHistory *
hangar_stats_history_new (const char * const *columns,
                          guint               capacity)
{
  HangarStatsHistory *self = g_new0 (HangarStatsHistory, 1);

  self->columns = g_strdupv ((char **) columns);
  self->n_columns = g_strv_length (self->columns);
  self->capacity = MAX (capacity, 1);
  self->timestamps = g_new0 (gint64, self->capacity);
  self->values = g_new0 (float, (gsize) self->capacity * self->n_columns);
  return self;
}

void
hangar_stats_history_free (HangarStatsHistory *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->columns);
  g_free (self->timestamps);
  g_free (self->values);
  g_free (self);
}

/* The index in the ring of the @i-th oldest sample held. */
static guint
slot (HangarStatsHistory *self,
      guint               i)
{
  return (self->head + self->capacity - self->length + i) % self->capacity;
}

/**
 * hangar_stats_history_set_capacity:
 *
 * Keeps the newest samples that fit.
 */
void
hangar_stats_history_set_capacity (HangarStatsHistory *self,
                                   guint               capacity)
{
  guint keep;
  gint64 *timestamps;
  float *values;

  capacity = MAX (capacity, 1);
  if (capacity == self->capacity)
    return;
  keep = MIN (self->length, capacity);
  timestamps = g_new0 (gint64, capacity);
  values = g_new0 (float, (gsize) capacity * self->n_columns);
  for (guint i = 0; i < keep; i++)
    {
      guint from = slot (self, self->length - keep + i);

      timestamps[i] = self->timestamps[from];
      memcpy (values + (gsize) i * self->n_columns, self->values + (gsize) from * self->n_columns,
              self->n_columns * sizeof (float));
    }
  g_free (self->timestamps);
  g_free (self->values);
  self->timestamps = timestamps;
  self->values = values;
  self->capacity = capacity;
  self->length = keep;
  self->head = keep % capacity;
}

guint
hangar_stats_history_get_length (HangarStatsHistory *self)
{
  return self->length;
}

/* What the ring takes in memory, for the documentation's figure and its test. */
gsize
hangar_stats_history_get_bytes (HangarStatsHistory *self)
{
  return (gsize) self->capacity * (sizeof (gint64) + self->n_columns * sizeof (float));
}

/**
 * hangar_stats_history_append:
 * @values: one per column; NaN where nothing was measured
 */
void
hangar_stats_history_append (HangarStatsHistory *self,
                             gint64              timestamp_us,
                             const double       *values)
{
  float *row = self->values + (gsize) self->head * self->n_columns;

  self->timestamps[self->head] = timestamp_us;
  for (guint c = 0; c < self->n_columns; c++)
    row[c] = (float) values[c];
  self->head = (self->head + 1) % self->capacity;
  self->length = MIN (self->length + 1, self->capacity);
}

/**
 * hangar_stats_history_to_variant:
 * @max_samples: the newest this many, or 0 for all
 *
 * Returns: (transfer floating): a{sv}: "timestamp" ax, and each column as ad, oldest first.
 */
GVariant *
hangar_stats_history_to_variant (HangarStatsHistory *self,
                                 guint               max_samples)
{
  guint n = max_samples > 0 ? MIN (max_samples, self->length) : self->length;
  guint first = self->length - n;
  g_autofree gint64 *timestamps = g_new (gint64, MAX (n, 1));
  g_autofree double *column = g_new (double, MAX (n, 1));
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  for (guint i = 0; i < n; i++)
    timestamps[i] = self->timestamps[slot (self, first + i)];
  g_variant_dict_insert_value (&dict, "timestamp",
                               g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, timestamps, n,
                                                          sizeof (gint64)));
  for (guint c = 0; c < self->n_columns; c++)
    {
      for (guint i = 0; i < n; i++)
        column[i] = self->values[(gsize) slot (self, first + i) * self->n_columns + c];
      g_variant_dict_insert_value (&dict, self->columns[c],
                                   g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, column, n,
                                                              sizeof (double)));
    }
  return g_variant_dict_end (&dict);
}
