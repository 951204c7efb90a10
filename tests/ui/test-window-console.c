/* test-window-console.c: the Console tab: a running machine's screen in the window
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A real engine, the tiny guest with a VGA card and a VNC display: opening the running
 * machine shows its screen (frames drawn from QEMU's VNC server over the fd the engine
 * hands out); forcing it off shows the machine off with Run; running it again
 * connects to the new QEMU. The same machine with a SPICE display shows it too.
 * The console widgets come from the console module, as in the installed app: the
 * window maps its libraries only when it first shows a console.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "hangar-connection.h"
#include "hangar-console-view.h"
#include "hangar-consoles.h"
#include "hangar-display.h"
#include <vte/vte.h>
#include "hangar-machine-page.h"
#include "hangar-test-desktop.h"
#include "window-fixture.h"

/* Whether a library whose file name starts with @prefix is mapped in this process. */
static gboolean
library_mapped (const char *prefix)
{
  g_autofree char *maps = NULL;
  g_autofree char *needle = g_strconcat ("/", prefix, NULL);

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, needle) != NULL;
}

static HangarConsoleView *
console_view (Fixture *fixture)
{
  GtkWidget *page = gtk_stack_get_child_by_name (main_stack (fixture), "details");

  g_assert_nonnull (page);
  return HANGAR_CONSOLE_VIEW (gtk_widget_get_template_child (page, HANGAR_TYPE_MACHINE_PAGE,
                                                              "console_view"));
}

static const char *
console_page (Fixture *fixture)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (console_view (fixture)),
                                                              HANGAR_TYPE_CONSOLE_VIEW, "stack"));

  return gtk_stack_get_visible_child_name (stack);
}

static gboolean
screen_drawn (Fixture *fixture)
{
  GtkWidget *display = hangar_console_view_get_display (console_view (fixture));

  return display != NULL && gtk_widget_get_mapped (display) &&
         hangar_display_get_frames_drawn (HANGAR_DISPLAY (display)) > 0 &&
         hangar_display_get_guest_width (HANGAR_DISPLAY (display)) > 0;
}

static void
test_console (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("screen", "<graphics type='vnc'/>"
                                                "<video><model type='vga'/></video>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (&fixture->engine, xml);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) window_manager = hangar_test_start_window_manager ();
  GtkWidget *display;
  guint first_pid;

  /* The window alone maps none of the console libraries. */
  open_window_full (fixture, 200);   /* reconnects by itself, for the engine restart */
  wait_for_rows (fixture, "screen | Shut Off | 1 CPU " DOT " 128 MiB");
  g_assert_false (library_mapped ("hangar-console.so"));
  g_assert_false (library_mapped ("libspice-client-glib"));
  g_assert_false (library_mapped ("libvncclient"));
  select_machine (fixture, "screen");
  activate (fixture, "vm.run");
  WAIT_UNTIL (fixture, row_state_is (fixture, "screen", "Running"), "screen Running");
  first_pid = hangar_dbus_machine1_get_pid (machine);
  started_qemu_pid = first_pid;

  /* A running machine opens on its screen. */
  activate (fixture, "vm.open");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "details") == 0, NULL);
  WAIT_UNTIL (fixture, screen_drawn (fixture), "the guest's screen drawn");
  g_assert_cmpstr (console_page (fixture), ==, "display");
  display = hangar_console_view_get_display (console_view (fixture));
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (display), ==, "HangarVncDisplay");
  g_assert_true (library_mapped ("hangar-console.so"));
  g_assert_true (library_mapped ("libvncclient"));
  g_test_message ("Guest screen %d×%d, %u frames",
                  hangar_display_get_guest_width (HANGAR_DISPLAY (display)),
                  hangar_display_get_guest_height (HANGAR_DISPLAY (display)),
                  hangar_display_get_frames_drawn (HANGAR_DISPLAY (display)));
  /* Let the guest's boot text reach the screen before the picture is taken. */
  hangar_test_wait_serial (&fixture->engine, machine, "HANGAR-GUEST-READY", 1,
                           HANGAR_TEST_BOOT_TIMEOUT);
  take_screenshot (fixture, "console-vnc.png");

  /* Fullscreen: the page's bars go, the toolbar floats over the screen and hides. */
  {
    GtkWidget *page = gtk_stack_get_child_by_name (main_stack (fixture), "details");
    GtkWidget *header = GTK_WIDGET (gtk_widget_get_template_child (page, HANGAR_TYPE_MACHINE_PAGE,
                                                                   "header_bar"));
    GtkRevealer *toolbar = GTK_REVEALER (gtk_widget_get_template_child (
                                           GTK_WIDGET (console_view (fixture)),
                                           HANGAR_TYPE_CONSOLE_VIEW, "toolbar_revealer"));

    gtk_widget_activate_action (GTK_WIDGET (console_view (fixture)), "console.fullscreen", NULL);
    WAIT_UNTIL (fixture, gtk_window_is_fullscreen (GTK_WINDOW (fixture->window)), "fullscreen");
    WAIT_UNTIL (fixture, !gtk_widget_get_visible (header), "the header bar hidden");
    g_assert_true (GTK_IS_OVERLAY (gtk_widget_get_parent (GTK_WIDGET (toolbar))));
    WAIT_UNTIL (fixture, gtk_revealer_get_child_revealed (toolbar), "the toolbar shown");
    take_screenshot (fixture, "console-fullscreen-toolbar.png");
    WAIT_UNTIL (fixture, !gtk_revealer_get_child_revealed (toolbar), "the toolbar hidden");
    take_screenshot (fixture, "console-fullscreen.png");
    gtk_widget_activate_action (GTK_WIDGET (console_view (fixture)), "console.fullscreen", NULL);
    WAIT_UNTIL (fixture, !gtk_window_is_fullscreen (GTK_WINDOW (fixture->window)), "windowed");
    WAIT_UNTIL (fixture, gtk_widget_get_visible (header), "the header bar back");
    g_assert_true (GTK_IS_BOX (gtk_widget_get_parent (GTK_WIDGET (toolbar))));
    g_assert_true (gtk_revealer_get_reveal_child (toolbar));
  }

  /* The engine is killed and started again: QEMU runs on, and so does its screen on
   * the page, which takes the new engine's object for the machine. */
  {
    GtkWidget *page = gtk_stack_get_child_by_name (main_stack (fixture), "details");
    HangarDBusMachine1 *before = hangar_machine_page_get_machine (HANGAR_MACHINE_PAGE (page));
    guint frames;

    display = hangar_console_view_get_display (console_view (fixture));
    hangar_test_engine_stop (&fixture->engine, SIGKILL);
    WAIT_UNTIL (fixture, hangar_connection_get_status (fixture->connection) !=
                         HANGAR_CONNECTION_STATUS_CONNECTED, "the engine gone");
    g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack (fixture)), ==, "details");
    hangar_test_engine_start (&fixture->engine);
    WAIT_UNTIL (fixture, hangar_connection_get_status (fixture->connection) ==
                         HANGAR_CONNECTION_STATUS_CONNECTED, "the engine back");
    WAIT_UNTIL (fixture, hangar_machine_page_get_machine (HANGAR_MACHINE_PAGE (page)) != before &&
                         hangar_machine_page_get_machine (HANGAR_MACHINE_PAGE (page)) != NULL,
                "the page on the new engine's machine");
    g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack (fixture)), ==, "details");
    g_assert_true (hangar_console_view_get_display (console_view (fixture)) == display);
    g_assert_cmpint (hangar_display_get_state (HANGAR_DISPLAY (display)), ==,
                     HANGAR_DISPLAY_CONNECTED);
    /* Still live: what the guest shows next is drawn. */
    frames = hangar_display_get_frames_drawn (HANGAR_DISPLAY (display));
    g_clear_object (&machine);
    machine = hangar_test_lookup (&fixture->engine, "screen");
    g_assert_cmpuint (hangar_dbus_machine1_get_pid (machine), ==, first_pid);
    hangar_dbus_machine1_call_reset_sync (machine, NULL, &error);
    g_assert_no_error (error);
    WAIT_UNTIL (fixture, hangar_display_get_frames_drawn (HANGAR_DISPLAY (display)) > frames,
                "frames after the reset");
  }

  /* Forced off: the tab says so and offers Run. */
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (fixture, g_strcmp0 (console_page (fixture), "off") == 0, "off");
  g_assert_null (hangar_console_view_get_display (console_view (fixture)));
  take_screenshot (fixture, "console-off.png");

  /* Run from the page: a new QEMU, a new connection. */
  activate (fixture, "vm.run");
  WAIT_UNTIL (fixture, hangar_dbus_machine1_get_pid (machine) != 0 &&
                       hangar_dbus_machine1_get_pid (machine) != first_pid, NULL);
  started_qemu_pid = hangar_dbus_machine1_get_pid (machine);
  WAIT_UNTIL (fixture, screen_drawn (fixture), "the new QEMU's screen drawn");
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  started_qemu_pid = 0;
  g_subprocess_force_exit (window_manager);
}

/* spice-client-glib warns "incomplete link header" when a channel's socket closes while
 * it links: here, when the test forces QEMU off soon after the first frame, as the
 * inputs and cursor channels link after the display's. That warning, and only it, is not
 * fatal; it is counted. The cut may come after the SPICE case ended, and GLib resets this
 * handler at the start of each test case: every case here installs it (console_setup). */
static guint cut_links;

static gboolean
is_cut_link (const char     *log_domain,
             GLogLevelFlags  log_level,
             const char     *message)
{
  return g_strcmp0 (log_domain, "GSpice") == 0 && (log_level & G_LOG_LEVEL_WARNING) &&
         g_str_has_prefix (message, "incomplete link header");
}

/* Written as a line of the test's log instead of the "Bail out!" a fatal warning gets. */
static void
on_spice_warning (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message,
                  gpointer        user_data)
{
  if (is_cut_link (log_domain, log_level, message))
    g_test_message ("spice-client-glib: %s", message);
  else
    g_log_default_handler (log_domain, log_level, message, user_data);
}

static gboolean
on_fatal_log (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  if (is_cut_link (log_domain, log_level, message))
    {
      cut_links++;
      return FALSE;
    }
  return TRUE;
}

/* A machine with a SPICE display: the tab shows it through the SPICE widget, which
 * opened its further channels over more OpenConsole calls. */
static void
test_spice (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("spice-screen", "<graphics type='spice'/>"
                                                "<video><model type='vga'/></video>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (&fixture->engine, xml);
  g_autoptr(GError) error = NULL;
  GtkWidget *display;

  open_window_full (fixture, 0);
  wait_for_rows (fixture, "spice-screen | Shut Off | 1 CPU " DOT " 128 MiB");
  select_machine (fixture, "spice-screen");
  activate (fixture, "vm.run");
  WAIT_UNTIL (fixture, row_state_is (fixture, "spice-screen", "Running"), "spice-screen Running");
  started_qemu_pid = hangar_dbus_machine1_get_pid (machine);

  activate (fixture, "vm.open");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "details") == 0, NULL);
  WAIT_UNTIL (fixture, screen_drawn (fixture), "the guest's SPICE screen drawn");
  g_assert_cmpstr (console_page (fixture), ==, "display");
  display = hangar_console_view_get_display (console_view (fixture));
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (display), ==, "HangarSpiceDisplay");
  g_assert_cmpint (hangar_display_get_state (HANGAR_DISPLAY (display)), ==,
                   HANGAR_DISPLAY_CONNECTED);
  g_test_message ("SPICE guest screen %d×%d, %u frames",
                  hangar_display_get_guest_width (HANGAR_DISPLAY (display)),
                  hangar_display_get_guest_height (HANGAR_DISPLAY (display)),
                  hangar_display_get_frames_drawn (HANGAR_DISPLAY (display)));
  hangar_test_wait_serial (&fixture->engine, machine, "HANGAR-GUEST-READY", 1,
                           HANGAR_TEST_BOOT_TIMEOUT);
  take_screenshot (fixture, "console-spice.png");

  /* Forced off: the SPICE connection ends with QEMU, and the tab says the machine is off. */
  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  started_qemu_pid = 0;
  WAIT_UNTIL (fixture, g_strcmp0 (console_page (fixture), "off") == 0, "off");
  g_assert_null (hangar_console_view_get_display (console_view (fixture)));
}

static char *
terminal_text (Fixture *fixture)
{
  GtkWidget *serial = hangar_console_view_get_display (console_view (fixture));

  if (serial == NULL || !hangar_consoles_is_serial (serial))
    return g_strdup ("");
  return vte_terminal_get_text (VTE_TERMINAL (hangar_consoles_serial_get_terminal (serial)),
                                NULL, NULL, NULL);
}

/* A machine with only a serial port: its console is a terminal, typed into. */
static void
test_serial (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("text-only", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (&fixture->engine, xml);
  g_autoptr(GError) error = NULL;
  g_autofree char *texts = NULL;
  g_autofree char *shown = NULL;
  GtkWidget *serial;
  static const char command[] = "echo HANGAR-SERIAL-$((6*7))\r";

  open_window_full (fixture, 0);
  wait_for_rows (fixture, "text-only | Shut Off | 1 CPU " DOT " 128 MiB");
  select_machine (fixture, "text-only");
  activate (fixture, "vm.run");
  WAIT_UNTIL (fixture, row_state_is (fixture, "text-only", "Running"), "text-only Running");
  started_qemu_pid = hangar_dbus_machine1_get_pid (machine);
  hangar_test_wait_serial (&fixture->engine, machine, "HANGAR-GUEST-READY", 1,
                           HANGAR_TEST_BOOT_TIMEOUT);
  activate (fixture, "vm.open");
  WAIT_UNTIL (fixture, g_strcmp0 (console_page (fixture), "display") == 0, "display");
  serial = hangar_console_view_get_display (console_view (fixture));
  g_assert_true (hangar_consoles_is_serial (serial));

  /* Typed into the terminal (its commit signal, as a key press ends in): the guest's
   * shell runs it, and its answer shows in the terminal. */
  vte_terminal_feed_child (VTE_TERMINAL (hangar_consoles_serial_get_terminal (serial)),
                           command, strlen (command));
  WAIT_UNTIL (fixture, (g_free (shown), shown = terminal_text (fixture),
                        strstr (shown, "HANGAR-SERIAL-42") != NULL), shown);
  hangar_test_wait_serial (&fixture->engine, machine, "HANGAR-SERIAL-42", 1, 10);
  take_screenshot (fixture, "console-serial.png");

  /* The screen's tools are not offered for a terminal. */
  texts = shown_texts (GTK_WIDGET (console_view (fixture)));
  g_assert_false (gtk_widget_get_visible (
                    GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (console_view (fixture)),
                                                               HANGAR_TYPE_CONSOLE_VIEW,
                                                               "one_to_one_button"))));

  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  started_qemu_pid = 0;
  WAIT_UNTIL (fixture, g_strcmp0 (console_page (fixture), "off") == 0, "off");
}

static void
console_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_test_log_set_fatal_handler (on_fatal_log, NULL);
  setup (fixture, data);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  window_fixture_init (&argc, &argv);
  g_log_set_handler ("GSpice", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, on_spice_warning, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, console_setup, func, teardown)
  ADD ("/hangar/ui/console/vnc", test_console);
  ADD ("/hangar/ui/console/spice", test_spice);
  ADD ("/hangar/ui/console/serial", test_serial);
#undef ADD

  status = g_test_run ();
  window_fixture_finish ();
  if (cut_links > 0)
    g_print ("# SPICE links cut by QEMU's end: %u\n", cut_links);
  return status;
}
