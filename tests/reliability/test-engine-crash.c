/* test-engine-crash.c: the engine killed with five guests running, one of them frozen
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Crash and restart": kill -9 the engine while five guests run and one of
 * them runs a command; one QEMU is frozen with SIGSTOP. Started again, the engine lists
 * the same five QEMU pids, talks QMP to them and opens their consoles, the command
 * completes, every definition file is byte for byte what it was, and the frozen QEMU
 * delays nothing. Prints the survivors and the time until all were listed.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <gio/gunixfdlist.h>
#include <signal.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"

#define GUESTS 5

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
  hangar_test_engine_teardown (fixture);
}

static char *
definition_file (Fixture            *fixture,
                 HangarDBusMachine1 *machine)
{
  g_autofree char *name = g_strdup_printf ("%s.xml", hangar_dbus_machine1_get_uuid (machine));
  g_autofree char *path = g_build_filename (fixture->config_dir, "hangar", "machines", name,
                                            NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static void
test_kill_engine (Fixture       *fixture,
                  gconstpointer  data)
{
  HangarDBusMachine1 *machines[GUESTS];
  char *uuids[GUESTS], *files[GUESTS];
  GPid pids[GUESTS];
  guint frozen = GUESTS - 1, busy = 0;
  g_autoptr(GError) error = NULL;
  gint64 restarted;
  double listed_s = 0;
  int console;

  for (guint i = 0; i < GUESTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("survivor-%u", i);
      g_autofree char *xml = hangar_test_guest_xml (name, NULL);

      machines[i] = hangar_test_define (fixture, xml);
      hangar_test_start_and_wait_ready (fixture, machines[i]);
      uuids[i] = hangar_dbus_machine1_dup_uuid (machines[i]);
      pids[i] = hangar_dbus_machine1_get_pid (machines[i]);
      files[i] = definition_file (fixture, machines[i]);
    }

  /* A command in flight: it ends while no engine runs. */
  console = hangar_test_open_console (machines[busy], "serial");
  {
    const char *line = "\nsleep 3; echo \"CMD-\"\"DONE\"\n";
    g_assert_cmpint (write (console, line, strlen (line)), ==, (gssize) strlen (line));
  }
  /* The whole line must reach the guest first: QEMU drops what it has not read of a
   * console whose other end has closed, and a loaded host reads slowly. The guest's echo
   * of the quoted word says it is in; the 3 s sleep then still runs when the engine dies. */
  hangar_test_wait_serial (fixture, machines[busy], "\"DONE\"", 1, 30);
  g_assert_cmpint (kill (pids[frozen], SIGSTOP), ==, 0);

  hangar_test_engine_stop (fixture, SIGKILL);
  close (console);
  for (guint i = 0; i < GUESTS; i++)
    g_clear_object (&machines[i]);

  restarted = g_get_monotonic_time ();
  hangar_test_engine_start (fixture);
  for (guint i = 0; i < GUESTS; i++)
    {
      machines[i] = hangar_test_lookup (fixture, uuids[i]);
      while (hangar_dbus_machine1_get_pid (machines[i]) != (guint) pids[i])
        {
          if (g_get_monotonic_time () - restarted > 20 * G_USEC_PER_SEC)
            g_error ("survivor-%u is not listed with its QEMU %d", i, pids[i]);
          g_main_context_iteration (NULL, TRUE);
        }
    }
  listed_s = (g_get_monotonic_time () - restarted) / (double) G_USEC_PER_SEC;

  /* The command finished, all by itself. */
  hangar_test_wait_serial (fixture, machines[busy], "CMD-DONE", 1, 30);

  /* Every definition as it was. */
  for (guint i = 0; i < GUESTS; i++)
    {
      g_autofree char *now = definition_file (fixture, machines[i]);
      g_assert_cmpstr (now, ==, files[i]);
    }

  /* QMP and consoles work on the live ones, while the frozen one answers nothing. */
  for (guint i = 0; i < GUESTS; i++)
    {
      int fd;

      if (i == frozen)
        continue;
      hangar_test_wait_state (machines[i], "running", 10);
      hangar_dbus_machine1_call_pause_sync (machines[i], NULL, &error);
      g_assert_no_error (error);
      hangar_test_wait_state (machines[i], "paused", 10);
      hangar_dbus_machine1_call_resume_sync (machines[i], NULL, &error);
      g_assert_no_error (error);
      fd = hangar_test_open_console (machines[i], "serial");
      g_assert_cmpint (fd, >=, 0);
      close (fd);
    }
  g_assert_cmpuint (hangar_dbus_machine1_get_pid (machines[frozen]), ==, pids[frozen]);
  g_assert_cmpint (kill (pids[frozen], SIGCONT), ==, 0);

  g_test_message ("survivors: %u of %u (one frozen with SIGSTOP through the restart); "
                  "all listed with their QEMU %.2f s after the engine started again",
                  GUESTS, GUESTS, listed_s);

  for (guint i = 0; i < GUESTS; i++)
    {
      hangar_dbus_machine1_call_force_off_sync (machines[i], NULL, &error);
      g_assert_no_error (error);
      g_clear_object (&machines[i]);
      g_free (uuids[i]);
      g_free (files[i]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/engine-crash", Fixture, NULL, setup, test_kill_engine, teardown);
  return g_test_run ();
}
