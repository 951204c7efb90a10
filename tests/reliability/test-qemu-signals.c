/* test-qemu-signals.c: QEMU killed from outside Hangar, signal by signal
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8: TERM, KILL, ABRT, HUP and QUIT each end the machine as shut off or crashed,
 * with the reason; STOP does not end it; the sockets and the pid file go, the logs stay.
 * Prints the detection latency and what was left behind, signal by signal.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <signal.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"

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

/* The runtime folder's files other than logs: what a dead QEMU must not leave. */
static char *
leftovers (Fixture            *fixture,
           HangarDBusMachine1 *machine)
{
  g_autofree char *dir = g_build_filename (fixture->runtime_dir, "hangar",
                                           hangar_dbus_machine1_get_uuid (machine), NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GString) left = g_string_new ("");
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (!g_str_has_suffix (name, ".log") && !g_str_equal (name, "crashed"))
      g_string_append_printf (left, "%s%s", left->len ? " " : "", name);
  return g_string_free (g_steal_pointer (&left), FALSE);
}

static void
wait_not_running (HangarDBusMachine1 *machine,
                  guint               timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (g_str_equal (hangar_dbus_machine1_get_state (machine), "running"))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The machine still runs %u s after its QEMU was signalled", timeout_s);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_signals (Fixture       *fixture,
              gconstpointer  data)
{
  static const struct { int number; const char *state; const char *reason; } cases[] = {
    { SIGTERM, "shut-off", "killed" },
    { SIGHUP, "shut-off", "killed" },
    { SIGKILL, "crashed", "crashed" },
    { SIGABRT, "crashed", "crashed" },
    { SIGQUIT, "crashed", "crashed" },
  };
  g_autofree char *xml = hangar_test_guest_xml ("signalled",
                                                "<graphics type='vnc'/><video><model type='vga'/>"
                                                "</video>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autoptr(GString) table = g_string_new ("signal   state      reason     latency  left behind\n");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *left = NULL;
      GPid pid;
      gint64 sent;
      double latency_ms;

      hangar_test_start_and_wait_ready (fixture, machine);
      pid = hangar_dbus_machine1_get_pid (machine);
      sent = g_get_monotonic_time ();
      g_assert_cmpint (kill (pid, cases[i].number), ==, 0);
      wait_not_running (machine, 20);
      latency_ms = (g_get_monotonic_time () - sent) / 1000.0;
      /* Let the last property changes in. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      left = leftovers (fixture, machine);
      g_string_append_printf (table, "%-8s %-10s %-10s %5.0f ms  %s\n",
                              sigabbrev_np (cases[i].number),
                              hangar_dbus_machine1_get_state (machine),
                              hangar_dbus_machine1_get_state_reason (machine), latency_ms,
                              *left ? left : "(nothing)");
      g_assert_cmpstr (hangar_dbus_machine1_get_state (machine), ==, cases[i].state);
      g_assert_cmpstr (hangar_dbus_machine1_get_state_reason (machine), ==, cases[i].reason);
      g_assert_cmpstr (hangar_dbus_machine1_get_last_error (machine), !=, "");
      g_assert_cmpuint (hangar_dbus_machine1_get_pid (machine), ==, 0);
      g_assert_false (hangar_test_pid_alive (pid));
      g_assert_cmpstr (left, ==, "");
    }

  /* STOP freezes QEMU; it is not an end. CONT and it runs on. */
  {
    GPid pid;
    gint64 until;
    g_autoptr(GError) error = NULL;

    hangar_test_start_and_wait_ready (fixture, machine);
    pid = hangar_dbus_machine1_get_pid (machine);
    g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
    until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
    while (g_get_monotonic_time () < until)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    g_assert_cmpstr (hangar_dbus_machine1_get_state (machine), ==, "running");
    g_assert_cmpint (kill (pid, SIGCONT), ==, 0);
    g_assert_true (hangar_test_pid_alive (pid));
    g_string_append_printf (table, "%-8s %-10s (3 s frozen, then CONT)\n", "STOP",
                            hangar_dbus_machine1_get_state (machine));
    hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
    g_assert_no_error (error);
  }
  g_test_message ("\n%s", table->str);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/qemu-signals", Fixture, NULL, setup, test_signals, teardown);
  return g_test_run ();
}
