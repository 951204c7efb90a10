/* test-stats-history.c: the statistics ring
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <math.h>

#include "hangar-stats-history.h"

static const char * const columns[] = { "a", "b", NULL };

static void
assert_column (GVariant     *history,
               const char   *name,
               const double *expected,
               gsize         n)
{
  g_autoptr(GVariant) column = g_variant_lookup_value (history, name, G_VARIANT_TYPE ("ad"));
  gsize length = 0;
  const double *values;

  g_assert_nonnull (column);
  values = g_variant_get_fixed_array (column, &length, sizeof (double));
  g_assert_cmpuint (length, ==, n);
  for (gsize i = 0; i < n; i++)
    {
      if (isnan (expected[i]))
        g_assert_true (isnan (values[i]));
      else
        g_assert_cmpfloat_with_epsilon (values[i], expected[i], 1e-3);
    }
}

static void
test_ring (void)
{
  g_autoptr(HangarStatsHistory) history = hangar_stats_history_new (columns, 3);
  g_autoptr(GVariant) all = NULL, newest = NULL;
  g_autoptr(GVariant) times = NULL;
  const gint64 *t;
  gsize n = 0;

  g_assert_cmpuint (hangar_stats_history_get_length (history), ==, 0);
  for (int i = 1; i <= 5; i++)
    {
      double row[] = { i, i == 4 ? NAN : 10.0 * i };
      hangar_stats_history_append (history, i * 1000, row);
    }
  /* Three kept, oldest first. */
  g_assert_cmpuint (hangar_stats_history_get_length (history), ==, 3);
  all = g_variant_ref_sink (hangar_stats_history_to_variant (history, 0));
  times = g_variant_lookup_value (all, "timestamp", G_VARIANT_TYPE ("ax"));
  t = g_variant_get_fixed_array (times, &n, sizeof (gint64));
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (t[0], ==, 3000);
  g_assert_cmpint (t[2], ==, 5000);
  assert_column (all, "a", (double[]) { 3, 4, 5 }, 3);
  assert_column (all, "b", (double[]) { 30, NAN, 50 }, 3);

  newest = g_variant_ref_sink (hangar_stats_history_to_variant (history, 2));
  assert_column (newest, "a", (double[]) { 4, 5 }, 2);
}

static void
test_capacity (void)
{
  g_autoptr(HangarStatsHistory) history = hangar_stats_history_new (columns, 4);
  g_autoptr(GVariant) shrunk = NULL, grown = NULL;

  for (int i = 1; i <= 6; i++)
    hangar_stats_history_append (history, i, (double[]) { i, -i });
  /* Shorter: the newest stay. */
  hangar_stats_history_set_capacity (history, 2);
  shrunk = g_variant_ref_sink (hangar_stats_history_to_variant (history, 0));
  assert_column (shrunk, "a", (double[]) { 5, 6 }, 2);
  /* Longer: all kept, and new ones after them. */
  hangar_stats_history_set_capacity (history, 5);
  hangar_stats_history_append (history, 7, (double[]) { 7, -7 });
  grown = g_variant_ref_sink (hangar_stats_history_to_variant (history, 0));
  assert_column (grown, "a", (double[]) { 5, 6, 7 }, 3);
  assert_column (grown, "b", (double[]) { -5, -6, -7 }, 3);
}

/* The bound the API documentation states: an hour at 0.5 s, 8 values. */
static void
test_memory_bound (void)
{
  static const char * const eight[] = { "1", "2", "3", "4", "5", "6", "7", "8", NULL };
  g_autoptr(HangarStatsHistory) history = hangar_stats_history_new (eight, 7200);

  g_assert_cmpuint (hangar_stats_history_get_bytes (history), ==, 7200 * (8 + 8 * 4));
  g_test_message ("an hour at 0.5 s: %" G_GSIZE_FORMAT " bytes per machine",
                  hangar_stats_history_get_bytes (history));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stats-history/ring", test_ring);
  g_test_add_func ("/stats-history/capacity", test_capacity);
  g_test_add_func ("/stats-history/memory-bound", test_memory_bound);
  return g_test_run ();
}
