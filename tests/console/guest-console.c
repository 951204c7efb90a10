/* guest-console.c: what the console tests on the tiny guest share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * test-vnc-guest.c and test-spice-guest.c drive a display widget on a real engine's
 * tiny guest under Xvfb; this is their common ground: killing QEMU when a test is
 * aborted, running xdotool with the main loop running, console fds, the serial log,
 * and screenshots as artifacts.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>

#include "guest-console.h"
#include "hangar-console-error.h"

#define KEYS_OK "HANGAR-KEYS-OK"

volatile sig_atomic_t guest_qemu_pid;

static void
on_fatal_signal (int signal_number)
{
  /* QEMU leads a session of its own: an aborted test must not leave it running. */
  if (guest_qemu_pid > 0)
    kill (-guest_qemu_pid, SIGKILL);
  raise (signal_number);
}

gboolean
guest_on_timeout (gpointer user_data)
{
  g_error ("Timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

/* GTK's test set-up, with QEMU killed on an abort, meson's SIGTERM at a timeout and
 * an interrupted run's SIGINT. */
void
guest_console_init (int    *argc,
                    char ***argv)
{
  struct sigaction action = { .sa_handler = on_fatal_signal, .sa_flags = SA_RESETHAND };

  sigemptyset (&action.sa_mask);
  sigaction (SIGABRT, &action, NULL);
  sigaction (SIGTRAP, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  sigaction (SIGINT, &action, NULL);

  gtk_test_init (argc, argv, NULL);
}

/* Notes the machine's QEMU (from its pid file) for on_fatal_signal (). */
void
guest_remember_qemu (HangarTestEngine   *engine,
                     HangarDBusMachine1 *machine)
{
  g_autofree char *pid_path = g_build_filename (engine->runtime_dir, "hangar",
                                                hangar_dbus_machine1_get_uuid (machine),
                                                "qemu.pid", NULL);
  g_autofree char *pid_text = NULL;

  if (g_file_get_contents (pid_path, &pid_text, NULL, NULL))
    guest_qemu_pid = atoi (pid_text);
}

static void
on_subprocess_done (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Runs a program to its end while the main loop runs: the window must take the events. */
void
guest_run (const char *first_arg,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  va_list args;

  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, on_subprocess_done, &done);
  WAIT_UNTIL (done, 60);
}

/* A connected fd to the machine's @kind console (Machine1.OpenConsole). */
int
guest_open_console (HangarDBusMachine1 *machine,
                    const char         *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GVariant) handle = NULL;
  int fd;

  hangar_dbus_machine1_call_open_console_sync (machine, kind, NULL, &handle, &fds, NULL,
                                               &error);
  g_assert_no_error (error);
  fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error);
  g_assert_no_error (error);
  return fd;
}

static guint
serial_count (HangarTestEngine   *engine,
              HangarDBusMachine1 *machine,
              const char         *text)
{
  g_autofree char *path = hangar_test_serial_log_path (engine, machine);
  g_autofree char *contents = NULL;
  guint count = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  for (const char *p = contents; (p = strstr (p, text)) != NULL; p += strlen (text))
    count++;
  return count;
}

/* Like hangar_test_wait_serial, with the main loop running. */
gboolean
guest_wait_serial (HangarTestEngine   *engine,
                   HangarDBusMachine1 *machine,
                   const char         *text,
                   guint               count,
                   guint               timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (serial_count (engine, machine, text) < count)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  return TRUE;
}

char *
guest_artifact_path (const char *name)
{
  const char *dir = g_getenv ("HANGAR_SCREENSHOT_DIR");

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return g_build_filename (dir, name, NULL);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  hangar_display_save_screenshot_finish (HANGAR_DISPLAY (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The display's own screenshot (the guest's screen, unscaled) as a PNG at @path. */
void
guest_save_screenshot (HangarDisplay *display,
                       const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean saved = FALSE;

  hangar_display_save_screenshot_async (display, file, NULL, on_saved, &saved);
  WAIT_UNTIL (saved, 10);
}

/* Draws a few more frames, so that what the guest shows now is on screen. */
void
guest_settle (void)
{
  gint64 until = g_get_monotonic_time () + 500 * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * 1000);
    }
}

/* What a person does with a guest's screen, checked step by step: a click grabs the
 * keyboard; a command typed with xdotool reaches the guest (its output on the serial
 * log); screenshots of the window (@window_png) and of the guest (@guest_png);
 * Ctrl+Alt gives the keyboard back; a guest reboot keeps the display connected and
 * drawing; QEMU's end closes it with HANGAR_CONSOLE_ERROR_CLOSED. */
void
guest_drive_display (HangarTestEngine   *engine,
                     HangarDBusMachine1 *machine,
                     HangarDisplay      *display,
                     const char         *window_png,
                     const char         *guest_png)
{
  g_autoptr(GError) error = NULL;
  gboolean typed = FALSE;
  guint frames;

  /* A click in the display gives it the keyboard, grabbed from the desktop. */
  guest_run ("xdotool", "getactivewindow", "mousemove", "--window", "%1", "450", "280",
       "click", "1", NULL);
  WAIT_UNTIL (hangar_display_get_grabbed (display), 10);

  /* Type as a person would; the shell on tty1 may still be starting, so type again
   * after a while if the output has not come. */
  for (guint attempt = 0; attempt < 3 && !typed; attempt++)
    {
      guest_run ("xdotool", "type", "--delay", "30", "echo " KEYS_OK " > /dev/ttyS0", NULL);
      guest_run ("xdotool", "key", "Return", NULL);
      typed = guest_wait_serial (engine, machine, KEYS_OK, 1, 15);
    }
  g_assert_true (typed);

  /* Artifacts: the whole screen (the window as a person sees it) and the guest's. */
  guest_settle ();
  guest_run ("import", "-window", "root", window_png, NULL);
  guest_save_screenshot (display, guest_png);
  g_test_message ("screenshots: %s %s", window_png, guest_png);

  /* Ctrl+Alt gives the keyboard back. */
  guest_run ("xdotool", "key", "ctrl+alt", NULL);
  WAIT_UNTIL (!hangar_display_get_grabbed (display), 10);

  /* The guest reboots: QEMU and its display server stay, the display stays connected and
   * keeps drawing through the mode changes. */
  frames = hangar_display_get_frames_drawn (display);
  hangar_dbus_machine1_call_reboot_sync (machine, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (guest_wait_serial (engine, machine, HANGAR_TEST_READY, 2,
                              HANGAR_TEST_BOOT_TIMEOUT));
  g_assert_cmpint (hangar_display_get_state (display), ==, HANGAR_DISPLAY_CONNECTED);
  g_assert_cmpuint (hangar_display_get_frames_drawn (display), >, frames);

  /* QEMU ends: the socket closes under the display, which says so. */
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (hangar_display_get_state (display) == HANGAR_DISPLAY_DISCONNECTED, 10);
  g_assert_error ((GError *) hangar_display_get_error (display), HANGAR_CONSOLE_ERROR,
                  HANGAR_CONSOLE_ERROR_CLOSED);
  g_test_message ("after force-off: %s", hangar_display_get_error (display)->message);
  guest_qemu_pid = 0;
}
