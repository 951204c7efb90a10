/* test-history.c: a machine's recent figures, as the sparkline draws them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * HangarMachineHistory without a display or an engine.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include "hangar-machine-history.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/ui/history/ring", test_ring);

  return g_test_run ();
}
