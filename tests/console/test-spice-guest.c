/* test-spice-guest.c: the SPICE display on the tiny guest, typed into as a person would
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A real engine on a private bus boots the tiny guest with a VGA screen shown over
 * SPICE; its console from Machine1.OpenConsole("spice") goes to a HangarSpiceDisplay
 * (each further SPICE channel gets its own OpenConsole, asked asynchronously, as the
 * UI does) in a window under Xvfb,
 * with openbox as the window manager (focus and the keyboard grab need one). xdotool
 * clicks into the display and types a command on the guest's screen (the guest's init
 * runs a shell on tty1); the command's output arriving in the serial log proves the
 * keys went through the widget's key path to the guest.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <signal.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>
#include <gtk/gtk.h>

#include "hangar-console-error.h"
#include "hangar-test-desktop.h"
#include "hangar-test-engine.h"
#include "hangar-spice-display.h"

#define KEYS_OK "HANGAR-KEYS-OK"

static volatile sig_atomic_t qemu_pid;

static void
on_fatal_signal (int signal_number)
{
  /* QEMU leads a session of its own: an aborted test must not leave it running. */
  if (qemu_pid > 0)
    kill (-qemu_pid, SIGKILL);
  raise (signal_number);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("Timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(condition, seconds)                                                \
  G_STMT_START {                                                                      \
    guint timeout_ = g_timeout_add_seconds ((seconds), on_timeout, (gpointer) #condition); \
    while (!(condition))                                                              \
      g_main_context_iteration (NULL, TRUE);                                          \
    g_source_remove (timeout_);                                                       \
  } G_STMT_END

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
static void
run (const char *first_arg,
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

static int
open_console (HangarDBusMachine1 *machine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GVariant) handle = NULL;
  int fd;

  hangar_dbus_machine1_call_open_console_sync (machine, "spice", NULL, &handle, &fds, NULL,
                                               &error);
  g_assert_no_error (error);
  fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error);
  g_assert_no_error (error);
  return fd;
}

static guint channels_opened;

static void
on_channel_fd (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) handle = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  if (!hangar_dbus_machine1_call_open_console_finish (HANGAR_DBUS_MACHINE1 (source), &handle,
                                                      &fds, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fd = g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error);
  if (fd < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  channels_opened++;
  g_task_return_int (task, fd);
}

/* Each further SPICE channel: another OpenConsole, as the Console tab does. */
static void
open_channel_fd (HangarSpiceConnection *connection,
                 GTask                 *task,
                 gpointer               user_data)
{
  hangar_dbus_machine1_call_open_console (HANGAR_DBUS_MACHINE1 (user_data), "spice", NULL,
                                          g_task_get_cancellable (task), on_channel_fd, task);
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
static gboolean
wait_serial (HangarTestEngine   *engine,
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

static char *
artifact_path (const char *name)
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

/* Draws a few more frames, so that what the guest shows now is on screen. */
static void
settle (HangarDisplay *display)
{
  gint64 until = g_get_monotonic_time () + 500 * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * 1000);
    }
}

static void
test_keys_reach_guest (void)
{
  HangarTestEngine engine = { 0 };
  g_autofree char *xml = hangar_test_guest_xml ("console-spice", "<graphics type='spice'/>"
                                                "<video><model type='vga'/></video>");
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GSubprocess) openbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid_path = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *window_png = artifact_path ("spice-console-window.png");
  g_autofree char *guest_png = artifact_path ("spice-console-guest.png");
  g_autoptr(GFile) guest_file = g_file_new_for_path (guest_png);
  GtkWindow *window;
  HangarDisplay *display;
  gint64 handed_over;
  gboolean saved = FALSE, typed = FALSE;
  guint frames;

  hangar_test_engine_setup (&engine);
  machine = hangar_test_define (&engine, xml);
  hangar_test_start_and_wait_ready (&engine, machine);
  pid_path = g_build_filename (engine.runtime_dir, "hangar",
                               hangar_dbus_machine1_get_uuid (machine), "qemu.pid", NULL);
  if (g_file_get_contents (pid_path, &pid_text, NULL, NULL))
    qemu_pid = atoi (pid_text);

  openbox = hangar_test_start_window_manager ();
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (window, "Hangar console test");
  gtk_window_set_default_size (window, 900, 560);
  display = HANGAR_DISPLAY (hangar_spice_display_new ());
  hangar_spice_display_set_fd_func (HANGAR_SPICE_DISPLAY (display), open_channel_fd,
                                    g_object_ref (machine), g_object_unref);
  gtk_window_set_child (window, GTK_WIDGET (display));
  gtk_window_present (window);
  WAIT_UNTIL (gtk_window_is_active (window), 10);

  /* The console: OpenConsole's fd, handed over, to the first frame drawn. */
  handed_over = g_get_monotonic_time ();
  hangar_spice_display_open_fd (HANGAR_SPICE_DISPLAY (display), open_console (machine));
  WAIT_UNTIL (hangar_display_get_frames_drawn (display) >= 1, 10);
  g_test_message ("OpenConsole fd handed over → first frame drawn: %.1f ms",
                  (g_get_monotonic_time () - handed_over) / 1000.0);
  g_assert_cmpint (hangar_display_get_state (display), ==, HANGAR_DISPLAY_CONNECTED);
  g_test_message ("guest screen %d×%d, %u more channels opened, mouse mode %s",
                  hangar_display_get_guest_width (display),
                  hangar_display_get_guest_height (display), channels_opened,
                  hangar_spice_connection_get_mouse_mode (
                    hangar_spice_display_get_connection (HANGAR_SPICE_DISPLAY (display))) ==
                  HANGAR_SPICE_MOUSE_CLIENT ? "client" : "server");
  g_assert_cmpuint (channels_opened, >=, 2);   /* the display and the inputs at least */

  /* A click in the display gives it the keyboard, grabbed from the desktop. */
  run ("xdotool", "getactivewindow", "mousemove", "--window", "%1", "450", "280",
       "click", "1", NULL);
  WAIT_UNTIL (hangar_display_get_grabbed (display), 10);

  /* Type as a person would; the shell on tty1 may still be starting, so type again
   * after a while if the output has not come. */
  for (guint attempt = 0; attempt < 3 && !typed; attempt++)
    {
      run ("xdotool", "type", "--delay", "30", "echo " KEYS_OK " > /dev/ttyS0", NULL);
      run ("xdotool", "key", "Return", NULL);
      typed = wait_serial (&engine, machine, KEYS_OK, 1, 15);
    }
  g_assert_true (typed);

  /* Artifacts: the whole screen (the window as a person sees it) and the guest's. */
  settle (display);
  run ("import", "-window", "root", window_png, NULL);
  hangar_display_save_screenshot_async (display, guest_file, NULL, on_saved, &saved);
  WAIT_UNTIL (saved, 10);
  g_test_message ("screenshots: %s %s", window_png, guest_png);

  /* Ctrl+Alt gives the keyboard back. */
  run ("xdotool", "key", "ctrl+alt", NULL);
  WAIT_UNTIL (!hangar_display_get_grabbed (display), 10);

  /* The guest reboots: QEMU and its SPICE server stay, the display stays connected and
   * keeps drawing through the mode changes. */
  frames = hangar_display_get_frames_drawn (display);
  hangar_dbus_machine1_call_reboot_sync (machine, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wait_serial (&engine, machine, HANGAR_TEST_READY, 2,
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
  qemu_pid = 0;

  gtk_window_destroy (window);
  g_subprocess_send_signal (openbox, SIGTERM);
  g_subprocess_wait (openbox, NULL, NULL);
  hangar_test_engine_teardown (&engine);
}

int
main (int    argc,
      char **argv)
{
  struct sigaction action = { .sa_handler = on_fatal_signal, .sa_flags = SA_RESETHAND };

  sigemptyset (&action.sa_mask);
  /* Also meson's SIGTERM at a timeout and an interrupted run's SIGINT. */
  sigaction (SIGABRT, &action, NULL);
  sigaction (SIGTRAP, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  sigaction (SIGINT, &action, NULL);

  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/console/spice-guest/keys-reach-guest", test_keys_reach_guest);

  return g_test_run ();
}
