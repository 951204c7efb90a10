/* test-window-usb.c: the USB menu of the console toolbar and of the context menu
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A real engine whose host USB devices are a fake sysfs tree (HANGAR_USB_SYSFS, as in
 * tests/test-usb.c: no USB device exists here), the tiny guest running with a VNC
 * screen. The console toolbar's USB menu lists the host's devices with a switch each;
 * turning one on asks the engine, which cannot open a device that is not there: the
 * engine's words show as a toast and the switch goes back off. The machine's context
 * menu has the same list. Screenshots of the window and of each list.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "hangar-console-view.h"
#include "hangar-display.h"
#include "hangar-machine-page.h"
#include "hangar-test-desktop.h"
#include "hangar-usb-list.h"
#include "hangar-window-private.h"
#include "window-fixture.h"

static char *usb_root;

static void
add_sysfs_device (const char *name,
                  const char *values)
{
  g_autofree char *dir = g_build_filename (usb_root, "devices", name, NULL);
  g_auto(GStrv) pairs = g_strsplit (values, ";", -1);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (pairs[i], "=", 2);
      g_autofree char *path = g_build_filename (dir, pair[0], NULL);
      g_autofree char *line = g_strconcat (pair[1], "\n", NULL);

      g_assert_true (g_file_set_contents (path, line, -1, NULL));
    }
}

static void
usb_setup (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sysfs = NULL, *devfs = NULL;

  usb_root = g_dir_make_tmp ("hangar-ui-usb-XXXXXX", &error);
  g_assert_no_error (error);
  sysfs = g_build_filename (usb_root, "devices", NULL);
  devfs = g_build_filename (usb_root, "dev", NULL);
  add_sysfs_device ("1-1", "busnum=1;devnum=4;idVendor=046d;idProduct=c52b");
  add_sysfs_device ("1-2", "busnum=1;devnum=5;idVendor=1050;idProduct=0407;"
                           "manufacturer=Yubico;product=YubiKey OTP+FIDO+CCID");
  add_sysfs_device ("2-1", "busnum=2;devnum=3;idVendor=0781;idProduct=5583;"
                           "manufacturer=SanDisk;product=Ultra Fit");
  g_assert_cmpint (g_mkdir_with_parents (devfs, 0755), ==, 0);
  g_setenv ("HANGAR_USB_SYSFS", sysfs, TRUE);
  g_setenv ("HANGAR_USB_DEVFS", devfs, TRUE);
  setup (fixture, data);
}

static void
usb_teardown (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", usb_root);

  teardown (fixture, data);
  g_unsetenv ("HANGAR_USB_SYSFS");
  g_unsetenv ("HANGAR_USB_DEVFS");
  g_assert_cmpint (system (command), ==, 0);
  g_clear_pointer (&usb_root, g_free);
}

static HangarConsoleView *
console_view (Fixture *fixture)
{
  GtkWidget *page = gtk_stack_get_child_by_name (main_stack (fixture), "details");

  g_assert_nonnull (page);
  return HANGAR_CONSOLE_VIEW (gtk_widget_get_template_child (page, HANGAR_TYPE_MACHINE_PAGE,
                                                              "console_view"));
}

static gboolean
screen_drawn (Fixture *fixture)
{
  GtkWidget *display = hangar_console_view_get_display (console_view (fixture));

  return display != NULL && gtk_widget_get_mapped (display) &&
         hangar_display_get_frames_drawn (HANGAR_DISPLAY (display)) > 0;
}

static GtkListBox *
list_box_of (GtkWidget *usb_list)
{
  return GTK_LIST_BOX (gtk_widget_get_template_child (usb_list, HANGAR_TYPE_USB_LIST,
                                                      "list_box"));
}

static guint
count_rows (GtkWidget *usb_list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list_box_of (usb_list)));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

static GtkWidget *
row_titled (GtkWidget  *usb_list,
            const char *title)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list_box_of (usb_list)));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return row;
  return NULL;
}

static void
test_usb_menu (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *xml = hangar_test_guest_xml ("usb-screen", "<graphics type='vnc'/>"
                                                "<video><model type='vga'/></video>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (&fixture->engine, xml);
  g_autoptr(GSubprocess) window_manager = hangar_test_start_window_manager ();
  GtkWidget *usb_button, *popover, *usb_list, *row, *toggle;

  open_window (fixture);
  wait_for_rows (fixture, "usb-screen | Shut Off | 1 CPU " DOT " 128 MiB");
  select_machine (fixture, "usb-screen");

  /* The context menu's list says the machine must run first. */
  {
    HangarWindow *window = fixture->window;
    AdwStatusPage *message = ADW_STATUS_PAGE (gtk_widget_get_template_child (
                                                window->context_usb, HANGAR_TYPE_USB_LIST,
                                                "message_page"));

    _hangar_window_show_context_menu (window, 40, 60);
    WAIT_UNTIL (fixture, gtk_widget_get_mapped (GTK_WIDGET (window->context_menu)), NULL);
    take_widget_screenshot (fixture, GTK_WIDGET (window->context_menu), "usb-context-menu.png");
    gtk_popover_popdown (GTK_POPOVER (window->context_menu));
    activate (fixture, "win.usb-devices");
    WAIT_UNTIL (fixture, gtk_widget_get_mapped (window->usb_popover), "the USB popover");
    g_assert_cmpstr (adw_status_page_get_title (message), ==, "The Machine Is Off");
    take_widget_screenshot (fixture, window->usb_popover, "usb-context-off.png");
    gtk_popover_popdown (GTK_POPOVER (window->usb_popover));
  }

  activate (fixture, "vm.run");
  WAIT_UNTIL (fixture, row_state_is (fixture, "usb-screen", "Running"), "usb-screen Running");
  started_qemu_pid = hangar_dbus_machine1_get_pid (machine);
  activate (fixture, "vm.open");
  WAIT_UNTIL (fixture, screen_drawn (fixture), "the guest's screen drawn");
  hangar_test_wait_serial (&fixture->engine, machine, "HANGAR-GUEST-READY", 1,
                           HANGAR_TEST_BOOT_TIMEOUT);

  /* The toolbar's USB menu: the host's three devices, all free. */
  usb_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (console_view (fixture)),
                                                         HANGAR_TYPE_CONSOLE_VIEW, "usb_button"));
  usb_list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (console_view (fixture)),
                                                       HANGAR_TYPE_CONSOLE_VIEW, "usb_list"));
  gtk_menu_button_popup (GTK_MENU_BUTTON (usb_button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (usb_button)));
  WAIT_UNTIL (fixture, gtk_widget_get_mapped (popover) && count_rows (usb_list) == 3,
              "three USB devices in the menu");
  /* usb.ids names what gives no strings of its own. */
  row = row_titled (usb_list, "Unifying Receiver");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "046d:c52b on bus 1, device 4 " DOT " Free");
  g_assert_nonnull (row_titled (usb_list, "YubiKey OTP+FIDO+CCID"));
  take_screenshot (fixture, "usb-console.png");
  take_widget_screenshot (fixture, popover, "usb-console-menu.png");

  /* Turned on: the engine cannot open a node that is not there; it says so. */
  row = row_titled (usb_list, "Ultra Fit");
  toggle = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  WAIT_UNTIL (fixture, toast_shows (fixture, "SanDisk Ultra Fit (0781:5583) was unplugged", TRUE),
              "the engine's error as a toast");
  /* The list follows the engine's UsbDevicesChanged: rows are new, the switch off. */
  WAIT_UNTIL (fixture, (row = row_titled (usb_list, "Ultra Fit")) != NULL &&
                       (toggle = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))) &&
                       !gtk_switch_get_active (GTK_SWITCH (toggle)) &&
                       !gtk_switch_get_state (GTK_SWITCH (toggle)) &&
                       gtk_widget_get_sensitive (toggle), "the switch back off");
  take_screenshot (fixture, "usb-console-error.png");
  take_widget_screenshot (fixture, popover, "usb-console-menu-error.png");
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* A device plugged in while the menu is closed is there when it opens. */
  add_sysfs_device ("2-2", "busnum=2;devnum=6;idVendor=1209;idProduct=0001;"
                           "manufacturer=Hangar;product=Test Keyboard");
  gtk_menu_button_popup (GTK_MENU_BUTTON (usb_button));
  WAIT_UNTIL (fixture, count_rows (usb_list) == 4, "the new device listed");
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* The machine's context menu in the list has the same switches while it runs. */
  activate (fixture, "vm.back");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "list") == 0, "the machine list");
  _hangar_window_show_context_menu (fixture->window, 40, 60);
  WAIT_UNTIL (fixture, gtk_widget_get_mapped (GTK_WIDGET (fixture->window->context_menu)), NULL);
  gtk_popover_popdown (GTK_POPOVER (fixture->window->context_menu));
  activate (fixture, "win.usb-devices");
  WAIT_UNTIL (fixture, gtk_widget_get_mapped (fixture->window->context_usb) &&
                       count_rows (fixture->window->context_usb) == 4,
              "the USB devices from the context menu");
  take_widget_screenshot (fixture, fixture->window->usb_popover, "usb-context-list.png");
  gtk_popover_popdown (GTK_POPOVER (fixture->window->usb_popover));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  window_fixture_init (&argc, &argv);
  g_test_add ("/hangar/ui/usb/menu", Fixture, NULL, usb_setup, test_usb_menu, usb_teardown);
  status = g_test_run ();
  window_fixture_finish ();
  return status;
}
