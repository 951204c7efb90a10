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

#include <gio/gunixfdlist.h>
#include <gtk/gtk.h>

#include "guest-console.h"
#include "hangar-test-desktop.h"
#include "hangar-test-engine.h"
#include "hangar-spice-display.h"

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

static void
test_keys_reach_guest (void)
{
  HangarTestEngine engine = { 0 };
  g_autofree char *xml = hangar_test_guest_xml ("console-spice", "<graphics type='spice'/>"
                                                "<video><model type='vga'/></video>");
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GSubprocess) openbox = NULL;
  g_autofree char *window_png = guest_artifact_path ("spice-console-window.png");
  g_autofree char *guest_png = guest_artifact_path ("spice-console-guest.png");
  GtkWindow *window;
  HangarDisplay *display;
  gint64 handed_over;

  hangar_test_engine_setup (&engine);
  machine = hangar_test_define (&engine, xml);
  hangar_test_start_and_wait_ready (&engine, machine);
  guest_remember_qemu (&engine, machine);

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
  hangar_spice_display_open_fd (HANGAR_SPICE_DISPLAY (display), guest_open_console (machine, "spice"));
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
  /* The display's socket came first; the inputs and cursor channels are linked after
   * the first frame (see hangar-spice-connection.c), and keys need the inputs. */
  g_assert_cmpuint (channels_opened, >=, 1);
  WAIT_UNTIL (channels_opened >= 3, 10);

  guest_drive_display (&engine, machine, display, window_png, guest_png);

  gtk_window_destroy (window);
  g_subprocess_send_signal (openbox, SIGTERM);
  g_subprocess_wait (openbox, NULL, NULL);
  hangar_test_engine_teardown (&engine);
}

int
main (int    argc,
      char **argv)
{
  guest_console_init (&argc, &argv);

  g_test_add_func ("/hangar/console/spice-guest/keys-reach-guest", test_keys_reach_guest);

  return g_test_run ();
}
