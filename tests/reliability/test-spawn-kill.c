/* test-spawn-kill.c: the engine killed between spawning QEMU and QEMU answering
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Crash and restart": kill -9 the engine after it spawned QEMU but before the
 * start completed. QEMU runs the guest at once (no -S), so the window is from the
 * spawn to the monitor's answer. The hook: HANGAR_TEST_STOP_AT makes the engine stop
 * itself with SIGSTOP at a named point (see test_stop_at() in
 * engine/hangar-machine-process.c); the test then kills it with SIGKILL, deterministic.
 *   "spawned":     QEMU runs, qemu.pid and live.xml are not written yet;
 *   "pid-written": both written, the monitor not yet answered.
 * Started again, the engine lists that QEMU as the machine's, refuses a second start,
 * and no half-written file is anywhere. Prints the orphans (QEMUs no engine knows).
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <signal.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"
#include "reliability-common.h"

typedef HangarTestEngine Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  hangar_test_engine_setup (fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_unsetenv ("HANGAR_TEST_STOP_AT");
  hangar_test_engine_teardown (fixture);
}

static void
on_start_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The engine was killed under this call: it fails, as it must. */
  hangar_dbus_machine1_call_start_finish (HANGAR_DBUS_MACHINE1 (object), result, &error);
  *(gboolean *) user_data = TRUE;
}

static void
test_kill_at (Fixture       *fixture,
              gconstpointer  data)
{
  const char *point = data;
  g_autofree char *xml = hangar_test_guest_xml ("half-started", NULL);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *definition_path = NULL;
  g_autofree char *definition = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GArray) before_restart = NULL;
  g_autoptr(GArray) after_restart = NULL;
  g_autoptr(GArray) after_off = NULL;
  g_autoptr(GError) error = NULL;
  gboolean start_done = FALSE;
  GPid engine, qemu;
  gint64 deadline;
  guint orphans, half_written;

  /* The first engine runs without the hook; one with it takes over. */
  hangar_test_engine_stop (fixture, SIGTERM);
  g_setenv ("HANGAR_TEST_STOP_AT", point, TRUE);
  hangar_test_engine_start (fixture);
  g_unsetenv ("HANGAR_TEST_STOP_AT");

  machine = hangar_test_define (fixture, xml);
  uuid = hangar_dbus_machine1_dup_uuid (machine);
  {
    g_autofree char *name = g_strconcat (uuid, ".xml", NULL);
    definition_path = g_build_filename (fixture->config_dir, "hangar", "machines", name, NULL);
  }
  g_assert_true (g_file_get_contents (definition_path, &definition, NULL, NULL));

  engine = reliability_engine_pid (fixture);
  hangar_dbus_machine1_call_start (machine, NULL, on_start_done, &start_done);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (reliability_process_state (engine) != 'T')
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  before_restart = reliability_qemu_pids (uuid);
  g_assert_cmpuint (before_restart->len, ==, 1);
  qemu = g_array_index (before_restart, GPid, 0);
  g_clear_object (&machine);
  hangar_test_engine_stop (fixture, SIGKILL);
  while (!start_done)
    g_main_context_iteration (NULL, TRUE);

  /* Started again: that QEMU is the machine's, and no second one starts. */
  hangar_test_engine_start (fixture);
  machine = hangar_test_lookup (fixture, uuid);
  hangar_test_wait_state (machine, "running", 20);
  g_assert_cmpuint (hangar_dbus_machine1_get_pid (machine), ==, (guint) qemu);
  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  after_restart = reliability_qemu_pids (uuid);
  orphans = after_restart->len - (hangar_dbus_machine1_get_pid (machine) > 0 ? 1 : 0);
  g_assert_cmpuint (after_restart->len, ==, 1);

  half_written = reliability_count_temp_files (fixture->config_dir) +
                 reliability_count_temp_files (fixture->runtime_dir);
  g_assert_true (g_file_get_contents (definition_path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, definition);

  /* It is the engine's to end, like any other. */
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "shut-off", 20);
  after_off = reliability_qemu_pids (uuid);

  g_test_message ("killed at “%s”: QEMU %d listed as the machine's after the restart; "
                  "orphans: %u; QEMUs of the machine after a second Start: %u; "
                  "half-written files: %u; left after ForceOff: %u", point, qemu,
                  orphans, after_restart->len, half_written, after_off->len);
  g_assert_cmpuint (half_written, ==, 0);
  g_assert_cmpuint (after_off->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/spawn-kill/spawned", Fixture, "spawned", setup, test_kill_at,
              teardown);
  g_test_add ("/reliability/spawn-kill/pid-written", Fixture, "pid-written", setup,
              test_kill_at, teardown);
  return g_test_run ();
}
