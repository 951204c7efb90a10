/* test-vnc-guest.c: the VNC display on the tiny guest, typed into as a person would
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A real engine on a private bus boots the tiny guest with a VGA screen; its console
 * from Machine1.OpenConsole("vnc") goes to a HangarVncDisplay in a window under Xvfb,
 * with openbox as the window manager (focus and the keyboard grab need one). xdotool
 * clicks into the display and types a command on the guest's screen (the guest's init
 * runs a shell on tty1); the command's output arriving in the serial log proves the
 * keys went through the widget's key path to the guest.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <signal.h>

#include <gtk/gtk.h>

#include "guest-console.h"
#include "hangar-test-desktop.h"
#include "hangar-test-engine.h"
#include "hangar-vnc-display.h"

static void
test_keys_reach_guest (void)
{
  HangarTestEngine engine = { 0 };
  g_autofree char *xml = hangar_test_guest_xml ("console-vnc", "<graphics type='vnc'/>"
                                                "<video><model type='vga'/></video>");
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GSubprocess) openbox = NULL;
  g_autofree char *window_png = guest_artifact_path ("vnc-console-window.png");
  g_autofree char *guest_png = guest_artifact_path ("vnc-console-guest.png");
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
  display = HANGAR_DISPLAY (hangar_vnc_display_new ());
  gtk_window_set_child (window, GTK_WIDGET (display));
  gtk_window_present (window);
  WAIT_UNTIL (gtk_window_is_active (window), 10);

  /* The console: OpenConsole's fd, handed over, to the first frame drawn. */
  handed_over = g_get_monotonic_time ();
  hangar_vnc_display_open_fd (HANGAR_VNC_DISPLAY (display), guest_open_console (machine, "vnc"));
  WAIT_UNTIL (hangar_display_get_frames_drawn (display) >= 1, 10);
  g_test_message ("OpenConsole fd handed over → first frame drawn: %.1f ms",
                  (g_get_monotonic_time () - handed_over) / 1000.0);
  g_assert_cmpint (hangar_display_get_state (display), ==, HANGAR_DISPLAY_CONNECTED);
  g_test_message ("guest screen %d×%d", hangar_display_get_guest_width (display),
                  hangar_display_get_guest_height (display));

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

  g_test_add_func ("/hangar/console/vnc-guest/keys-reach-guest", test_keys_reach_guest);

  return g_test_run ();
}
