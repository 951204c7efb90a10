/* test-reused-pid.c: QEMU died while the engine was down and its pid went to another
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Crash and restart": the engine is killed, then its QEMU; a stranger takes
 * QEMU's pid (written to /proc/sys/kernel/ns_last_pid: the test runs as root, as CI
 * does). The stranger is as like QEMU as it gets: the same QEMU binary, the machine's
 * -uuid on its command line, the machine's runtime folder as its working folder, a
 * session of its own so a kill of QEMU's process group would reach it. Only its start
 * time differs. Started again, the engine shows the machine crashed, ForceOff finds
 * nothing to end, a new start gets a new QEMU, and the stranger is never signalled.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"
#include "reliability-common.h"

#define ATTEMPTS 50

typedef HangarTestEngine Fixture;

/* Ended in tear-down too, so a failed test leaves no stranger behind. */
static GSubprocess *stranger;

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
  if (stranger != NULL)
    g_subprocess_force_exit (stranger);
  g_clear_object (&stranger);
  hangar_test_engine_teardown (fixture);
}

static void
stranger_setup (gpointer user_data)
{
  setsid ();
}

/* A QEMU that is not the machine's, with pid @pid; NULL if another process took the
 * pid first @ATTEMPTS times. */
static GSubprocess *
spawn_stranger (GPid        pid,
                const char *uuid,
                const char *cwd)
{
  for (guint i = 0; i < ATTEMPTS; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_autoptr(GSubprocess) candidate = NULL;
      g_autofree char *last = g_strdup_printf ("%d", pid - 1);
      g_autoptr(GError) error = NULL;
      int fd;

      g_subprocess_launcher_set_cwd (launcher, cwd);
      g_subprocess_launcher_set_child_setup (launcher, stranger_setup, NULL, NULL);
      fd = open ("/proc/sys/kernel/ns_last_pid", O_WRONLY);
      if (fd < 0 || write (fd, last, strlen (last)) != (gssize) strlen (last))
        g_error ("Cannot choose the next pid (the test must run as root): %s",
                 g_strerror (errno));
      close (fd);
      candidate = g_subprocess_launcher_spawn (launcher, &error, "qemu-system-x86_64",
                                              "-uuid", uuid, "-machine", "none", "-S",
                                              "-display", "none", "-nodefaults", NULL);
      g_assert_no_error (error);
      if (atoi (g_subprocess_get_identifier (candidate)) == pid)
        return g_steal_pointer (&candidate);
      g_subprocess_force_exit (candidate);
      g_subprocess_wait (candidate, NULL, NULL);
    }
  return NULL;
}

static gboolean
signals_pending (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if ((g_str_has_prefix (lines[i], "SigPnd:") || g_str_has_prefix (lines[i], "ShdPnd:")) &&
        g_ascii_strtoull (strchr (lines[i], ':') + 1, NULL, 16) != 0)
      return TRUE;
  return FALSE;
}

static void
test_reused_pid (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("pid-reused", NULL);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *seen = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  GPid qemu, second;
  char state;

  machine = hangar_test_define (fixture, xml);
  uuid = hangar_dbus_machine1_dup_uuid (machine);
  runtime = g_build_filename (fixture->runtime_dir, "hangar", uuid, NULL);
  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 20);
  qemu = hangar_dbus_machine1_get_pid (machine);
  g_clear_object (&machine);

  /* The engine goes, then QEMU; its pid is free once PID 1 has reaped it. */
  hangar_test_engine_stop (fixture, SIGKILL);
  g_assert_cmpint (kill (qemu, SIGKILL), ==, 0);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (kill (qemu, 0) == 0 || errno != ESRCH)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }

  stranger = spawn_stranger (qemu, uuid, runtime);
  if (stranger == NULL)
    g_error ("Another process took pid %d before the stranger, %u times", qemu, ATTEMPTS);

  hangar_test_engine_start (fixture);
  machine = hangar_test_lookup (fixture, uuid);
  hangar_test_wait_state_reason (machine, "crashed", "crashed", 10);
  g_assert_cmpuint (hangar_dbus_machine1_get_pid (machine), ==, 0);
  seen = g_strdup_printf ("%s (%s)", hangar_dbus_machine1_get_state (machine),
                          hangar_dbus_machine1_get_state_reason (machine));

  /* Nothing of the machine's runs: nothing to end, and a start gets a QEMU of its own. */
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE);
  g_clear_error (&error);
  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 20);
  second = hangar_dbus_machine1_get_pid (machine);
  g_assert_cmpint (second, !=, qemu);
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "shut-off", 20);

  state = reliability_process_state (qemu);
  g_test_message ("QEMU %d died while the engine was down; a QEMU stranger took its pid: "
                  "the machine showed %s after the restart; the stranger is %s (state %c), signals "
                  "pending: %s; the next start got QEMU %d",
                  qemu, seen,
                  hangar_test_pid_alive (qemu) ? "alive" : "gone", state ? state : '-',
                  state && signals_pending (qemu) ? "yes" : "no", second);
  g_assert_true (hangar_test_pid_alive (qemu));
  g_assert_cmpint (state, !=, 'T');
  g_assert_false (signals_pending (qemu));

  g_subprocess_force_exit (stranger);
  g_subprocess_wait (stranger, NULL, NULL);
  g_clear_object (&stranger);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/reused-pid", Fixture, NULL, setup, test_reused_pid, teardown);
  return g_test_run ();
}
