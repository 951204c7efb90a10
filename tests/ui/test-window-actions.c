/* test-window-actions.c: acting on machines: actions, dialogs, toasts, search, details, preferences
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * See window-fixture.h for how these tests run the window.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hangar-details-view.h"
#include "hangar-machine-history.h"
#include "hangar-machine-page.h"
#include "hangar-machine-row.h"
#include "hangar-preferences-window.h"
#include "window-fixture.h"

static void
test_actions (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *alpha_xml = hangar_test_guest_xml ("alpha", NULL);
  g_autofree char *beta_xml = hangar_test_guest_xml ("beta", NULL);
  g_autoptr(HangarDBusMachine1) alpha = hangar_test_define (&fixture->engine, alpha_xml);
  g_autoptr(HangarDBusMachine1) beta = hangar_test_define (&fixture->engine, beta_xml);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AdwMessageDialog *dialog;
  GtkWidget *menu;

  g_settings_set_boolean (settings, "confirm-force-off", TRUE);
  g_settings_set_uint (settings, "statistics-interval", 500);
  open_window_full (fixture, 0);
  wait_for_rows (fixture, "alpha | Shut Off | 1 CPU " DOT " 128 MiB\n"
                          "beta | Shut Off | 1 CPU " DOT " 128 MiB");

  select_machine (fixture, "alpha");
  WAIT_UNTIL (fixture, header_action_enabled (fixture, "vm.run"), NULL);
  g_assert_false (header_action_enabled (fixture, "vm.pause"));
  g_assert_false (header_action_enabled (fixture, "vm.shutdown"));

  /* Run, from the action the header bar's button and Ctrl+R activate. */
  activate (fixture, "vm.run");
  WAIT_UNTIL (fixture, row_state_is (fixture, "alpha", "Running"), "alpha Running");
  started_qemu_pid = hangar_dbus_machine1_get_pid (alpha);
  WAIT_UNTIL (fixture, header_action_enabled (fixture, "vm.pause"), NULL);
  g_assert_false (header_action_enabled (fixture, "vm.run"));
  g_assert_true (header_action_enabled (fixture, "vm.shutdown"));
  g_assert_true (row_state_is (fixture, "beta", "Shut Off"));

  /* The engine's Host1.Statistics, every 250 ms as the settings ask: the row shows
   * the latest CPU use and draws the last ones. */
  {
    GtkWidget *row = find_row (fixture, "alpha");
    GtkWidget *cpu_label = find_label_with_class (row, "statistics");
    g_autoptr(HangarMachineHistory) history = NULL;
    guint n_samples = 0;

    /* The window's own proxy of the machine (not the test's) holds the history. */
    g_object_get (row, "history", &history, NULL);
    g_assert_nonnull (history);
    g_assert_nonnull (cpu_label);
    WAIT_UNTIL (fixture, hangar_dbus_host1_get_statistics_interval (fixture->engine.host) == 500,
                NULL);
    WAIT_UNTIL (fixture, (hangar_machine_history_get_cpu_samples (history, &n_samples),
                          n_samples >= 6), NULL);
    WAIT_UNTIL (fixture, gtk_widget_get_mapped (cpu_label), NULL);
    g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (cpu_label)), " %"));
    g_assert_false (gtk_widget_get_visible (find_label_with_class (find_row (fixture, "beta"),
                                                                   "statistics")));
  }
  take_screenshot (fixture, "actions-running.png");

  /* The machine's page: its Performance tab draws the same history. */
  activate (fixture, "vm.open");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "details") == 0, NULL);
  {
    GtkWidget *page = gtk_stack_get_visible_child (main_stack (fixture));
    AdwViewStack *views = ADW_VIEW_STACK (gtk_widget_get_template_child (page,
                                                                         HANGAR_TYPE_MACHINE_PAGE,
                                                                         "view_stack"));
    g_autofree char *texts = NULL;

    adw_view_stack_set_visible_child_name (views, "performance");
    take_screenshot (fixture, "performance.png");
    texts = shown_texts (adw_view_stack_get_visible_child (views));
    g_assert_true (g_str_has_prefix (texts, "1 Minute | 10 Minutes | 1 Hour | Processor | "));
  }
  activate (fixture, "vm.back");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "list") == 0, NULL);

  /* The context menu of the selected row (Menu key). */
  activate (fixture, "win.context-menu");
  menu = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                    HANGAR_TYPE_WINDOW, "context_menu"));
  WAIT_UNTIL (fixture, gtk_widget_get_mapped (menu), NULL);
  take_widget_screenshot (fixture, menu, "context-menu.png");
  gtk_popover_popdown (GTK_POPOVER (menu));

  activate (fixture, "vm.pause");
  WAIT_UNTIL (fixture, row_state_is (fixture, "alpha", "Paused"), "alpha Paused");
  WAIT_UNTIL (fixture, header_action_enabled (fixture, "vm.resume"), NULL);
  g_assert_null (find_action_button (GTK_WIDGET (fixture->window), "vm.pause"));

  activate (fixture, "vm.resume");
  WAIT_UNTIL (fixture, row_state_is (fixture, "alpha", "Running"), "alpha Running");

  /* Force Off asks first; Cancel leaves the machine running. */
  activate (fixture, "vm.force-off");
  WAIT_UNTIL (fixture, (dialog = shown_dialog ()) != NULL, NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Force Off “alpha”?");
  take_widget_screenshot (fixture, GTK_WIDGET (dialog), "force-off-dialog.png");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_UNTIL (fixture, shown_dialog () == NULL, NULL);
  g_assert_true (row_state_is (fixture, "alpha", "Running"));

  activate (fixture, "vm.force-off");
  WAIT_UNTIL (fixture, (dialog = shown_dialog ()) != NULL, NULL);
  adw_message_dialog_response (dialog, "force-off");
  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_UNTIL (fixture, row_state_is (fixture, "alpha", "Shut Off"), "alpha Shut Off");
  started_qemu_pid = 0;
  WAIT_UNTIL (fixture, header_action_enabled (fixture, "vm.run"), NULL);
  /* Why it is off, where a person hovers. */
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_widget_get_tooltip_text (
                         find_label_with_class (find_row (fixture, "alpha"), "machine-state")),
                                  "Forced off") == 0, NULL);

  /* Without confirmation, Force Off acts at once. */
  g_settings_set_boolean (settings, "confirm-force-off", FALSE);
  select_machine (fixture, "beta");
  activate (fixture, "vm.run");
  WAIT_UNTIL (fixture, row_state_is (fixture, "beta", "Running"), "beta Running");
  started_qemu_pid = hangar_dbus_machine1_get_pid (beta);

  /* Sorted by state, the running machine comes first; the choice is remembered. */
  g_settings_set_string (settings, "sort-column", "state");
  wait_for_rows (fixture, "beta | Running | 1 CPU " DOT " 128 MiB\n"
                          "alpha | Shut Off | 1 CPU " DOT " 128 MiB");
  take_screenshot (fixture, "sorted-by-state.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sort-column",
                                             "s", "name"));
  wait_for_rows (fixture, "alpha | Shut Off | 1 CPU " DOT " 128 MiB\n"
                          "beta | Running | 1 CPU " DOT " 128 MiB");
  {
    g_autofree char *column = g_settings_get_string (settings, "sort-column");

    g_assert_cmpstr (column, ==, "name");
  }
  g_settings_set_string (settings, "sort-column", "state");
  wait_for_rows (fixture, "beta | Running | 1 CPU " DOT " 128 MiB\n"
                          "alpha | Shut Off | 1 CPU " DOT " 128 MiB");

  activate (fixture, "vm.force-off");
  WAIT_UNTIL (fixture, row_state_is (fixture, "beta", "Shut Off"), "beta Shut Off");
  /* A state change moves the row: both are off now, so by name. */
  wait_for_rows (fixture, "alpha | Shut Off | 1 CPU " DOT " 128 MiB\n"
                          "beta | Shut Off | 1 CPU " DOT " 128 MiB");
  g_settings_reset (settings, "sort-column");
  g_assert_null (shown_dialog ());
  started_qemu_pid = 0;
  g_settings_reset (settings, "confirm-force-off");
  g_settings_reset (settings, "statistics-interval");

  /* A QEMU killed behind the engine's back: Crashed, and why under the name. */
  select_machine (fixture, "alpha");
  activate (fixture, "vm.run");
  WAIT_UNTIL (fixture, row_state_is (fixture, "alpha", "Running"), "alpha Running");
  started_qemu_pid = hangar_dbus_machine1_get_pid (alpha);
  g_assert_cmpint (started_qemu_pid, >, 0);
  kill (started_qemu_pid, SIGKILL);
  WAIT_UNTIL (fixture, row_state_is (fixture, "alpha", "Crashed"), "alpha Crashed");
  started_qemu_pid = 0;
  {
    GtkWidget *problem = find_label_with_class (find_row (fixture, "alpha"), "error");

    g_assert_nonnull (problem);
    WAIT_UNTIL (fixture, gtk_widget_get_visible (problem), NULL);
    g_test_message ("Crashed row says: %s", gtk_label_get_text (GTK_LABEL (problem)));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (problem)), !=, "");
  }
  WAIT_UNTIL (fixture, header_action_enabled (fixture, "vm.run"), NULL);
  take_screenshot (fixture, "crashed.png");
}

/* A machine with a raw disk image in @path (made if @create). */
static HangarDBusMachine1 *
define_with_disk (Fixture    *fixture,
                  const char *name,
                  const char *path)
{
  g_autofree char *disk = g_strdup_printf ("<disk type='file' device='disk'>"
                                           "<driver name='qemu' type='raw'/>"
                                           "<source file='%s'/>"
                                           "<target dev='vda' bus='virtio'/></disk>", path);
  g_autofree char *xml = hangar_test_guest_xml (name, disk);

  /* Made by the engine, as the wizard makes a new machine's disk: Delete may remove it. */
  hangar_test_make_volume (&fixture->engine, path, 1024 * 1024);
  return hangar_test_define (&fixture->engine, xml);
}

/* Delete, through the dialog, with the disk image; then an engine error as a toast. */
static void
test_delete_and_errors (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *disk_path = g_build_filename (fixture->engine.data_dir, "disky.img", NULL);
  g_autofree char *lost_path = g_build_filename (fixture->engine.data_dir, "lost.img", NULL);
  g_autoptr(HangarDBusMachine1) disky = define_with_disk (fixture, "disky", disk_path);
  g_autoptr(HangarDBusMachine1) lost = define_with_disk (fixture, "lost", lost_path);
  g_autofree char *lost_row = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *check;

  open_window_full (fixture, 0);
  wait_for_rows (fixture, "disky | Shut Off | 1 CPU " DOT " 128 MiB\n"
                          "lost | Shut Off | 1 CPU " DOT " 128 MiB");

  /* The engine's own words when it cannot start a machine. */
  g_assert_cmpint (g_unlink (lost_path), ==, 0);
  select_machine (fixture, "lost");
  activate (fixture, "vm.run");
  WAIT_UNTIL (fixture, toast_shows (fixture, "Could not start “lost”: ", TRUE), NULL);
  take_screenshot (fixture, "error-toast.png");
  /* The reason stays on the row after the toast has gone. */
  lost_row = g_strdup_printf ("lost | The disk image “%s” does not exist. | Shut Off | 1 CPU "
                              DOT " 128 MiB", lost_path);

  select_machine (fixture, "disky");
  activate (fixture, "vm.delete");
  WAIT_UNTIL (fixture, (dialog = shown_dialog ()) != NULL, NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “disky”?");
  check = find_widget_of_type (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (check);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  take_widget_screenshot (fixture, GTK_WIDGET (dialog), "delete-dialog.png");
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));

  WAIT_UNTIL (fixture, toast_shows (fixture, "Deleted “disky” and its disk image.", FALSE), NULL);
  wait_for_rows (fixture, lost_row);
  g_assert_false (g_file_test (disk_path, G_FILE_TEST_EXISTS));

  /* An image another machine uses is kept, and the toast says which. */
  {
    g_autofree char *shared_path = g_build_filename (fixture->engine.data_dir, "shared.img",
                                                     NULL);
    g_autoptr(HangarDBusMachine1) first = define_with_disk (fixture, "first", shared_path);
    g_autofree char *disk = g_strdup_printf ("<disk type='file' device='disk'>"
                                             "<driver name='qemu' type='raw'/>"
                                             "<source file='%s'/>"
                                             "<target dev='vda' bus='virtio'/></disk>",
                                             shared_path);
    g_autofree char *second_xml = hangar_test_guest_xml ("second", disk);
    g_autoptr(HangarDBusMachine1) second = hangar_test_define (&fixture->engine, second_xml);

    g_autofree char *rows = g_strdup_printf ("first | Shut Off | 1 CPU " DOT " 128 MiB\n%s\n"
                                             "second | Shut Off | 1 CPU " DOT " 128 MiB",
                                             lost_row);

    wait_for_rows (fixture, rows);
    select_machine (fixture, "first");
    activate (fixture, "vm.delete");
    WAIT_UNTIL (fixture, (dialog = shown_dialog ()) != NULL, NULL);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (find_widget_of_type (GTK_WIDGET (dialog),
                                                                        GTK_TYPE_CHECK_BUTTON)),
                                 TRUE);
    adw_message_dialog_response (dialog, "delete");
    gtk_window_destroy (GTK_WINDOW (dialog));
    WAIT_UNTIL (fixture, toast_shows (fixture, "Deleted “first”. Kept shared.img: another "
                                               "machine uses it.", FALSE), NULL);
    take_screenshot (fixture, "delete-kept-toast.png");
    g_assert_true (g_file_test (shared_path, G_FILE_TEST_EXISTS));
  }

  /* An image the person brought (imported, not made by Hangar) is kept, and said so. */
  {
    g_autofree char *imported_path = g_build_filename (fixture->engine.data_dir,
                                                       "imported.img", NULL);
    g_autofree char *disk = g_strdup_printf ("<disk type='file' device='disk'>"
                                             "<driver name='qemu' type='raw'/>"
                                             "<source file='%s'/>"
                                             "<target dev='vda' bus='virtio'/></disk>",
                                             imported_path);
    g_autofree char *xml = hangar_test_guest_xml ("imported", disk);
    g_autoptr(HangarDBusMachine1) imported = NULL;
    g_autoptr(GError) error = NULL;

    g_file_set_contents (imported_path, "", 0, &error);
    g_assert_no_error (error);
    g_assert_cmpint (truncate (imported_path, 1024 * 1024), ==, 0);
    imported = hangar_test_define (&fixture->engine, xml);
    WAIT_UNTIL (fixture, row_state_is (fixture, "imported", "Shut Off"), "imported listed");
    select_machine (fixture, "imported");
    activate (fixture, "vm.delete");
    WAIT_UNTIL (fixture, (dialog = shown_dialog ()) != NULL, NULL);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (find_widget_of_type (GTK_WIDGET (dialog),
                                                                        GTK_TYPE_CHECK_BUTTON)),
                                 TRUE);
    adw_message_dialog_response (dialog, "delete");
    gtk_window_destroy (GTK_WINDOW (dialog));
    WAIT_UNTIL (fixture, toast_shows (fixture, "Deleted “imported”. Kept imported.img: Hangar "
                                               "deletes only images it created, never a "
                                               "shared or read-only one.", FALSE), NULL);
    g_assert_true (g_file_test (imported_path, G_FILE_TEST_EXISTS));
  }
}

/* Search as you type filters on name and title. */
static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  GtkEditable *entry;

  define_idle_machines (fixture);
  open_window_full (fixture, 0);
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX);

  activate (fixture, "win.search");
  entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                       HANGAR_TYPE_WINDOW, "search_entry"));
  WAIT_UNTIL (fixture, gtk_widget_get_mapped (GTK_WIDGET (entry)), NULL);

  gtk_editable_set_text (entry, "TEST");   /* the title, case aside */
  wait_for_rows (fixture, ROW_BUILD_BOX);
  take_screenshot (fixture, "search.png");

  gtk_editable_set_text (entry, "arch");   /* the name */
  wait_for_rows (fixture, ROW_ARCHIVE);

  gtk_editable_set_text (entry, "nothing like it");
  WAIT_UNTIL (fixture, rows_are (fixture, ""), NULL);
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (
                         GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                   HANGAR_TYPE_WINDOW,
                                                                   "list_stack"))),
                                  "no-results") == 0, NULL);

  gtk_editable_set_text (entry, "");
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX);
}

/* Opening a machine shows its page; Back returns to the list. */
static void
test_details (Fixture       *fixture,
              gconstpointer  data)
{
  HangarDetailsView *view;
  GtkWidget *page;
  g_autofree char *texts = NULL;

  define_idle_machines (fixture);
  open_window_full (fixture, 0);
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX);

  select_machine (fixture, "build-box");
  activate (fixture, "vm.open");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "details") == 0, NULL);
  page = gtk_stack_get_visible_child (main_stack (fixture));
  view = HANGAR_DETAILS_VIEW (find_widget_of_type (page, HANGAR_TYPE_DETAILS_VIEW));
  WAIT_UNTIL (fixture, hangar_details_view_is_loaded (view), NULL);
  take_screenshot (fixture, "details.png");

  texts = shown_texts (page);
  g_test_message ("Details: %s", texts);
  g_assert_nonnull (strstr (texts, "State | Shut Off"));
  g_assert_nonnull (strstr (texts, "Overview | CPUs | Memory | Boot Options"));

  /* Autostart, on Boot Options, calls SetAutostart on Apply and follows the engine. */
  {
    g_autoptr(HangarDBusMachine1) build_box = hangar_test_lookup (&fixture->engine, "build-box");
    GtkWidget *boot;
    GtkSwitch *autostart;

    g_assert_true (hangar_details_view_select (view, "boot"));
    boot = hangar_details_view_get_page (view, "boot");
    autostart = GTK_SWITCH (find_widget_of_type (boot, GTK_TYPE_SWITCH));
    g_assert_false (gtk_switch_get_active (autostart));
    gtk_switch_set_active (autostart, TRUE);
    g_signal_emit_by_name (find_button (boot, "_Apply"), "clicked");
    WAIT_UNTIL (fixture, hangar_dbus_machine1_get_autostart (build_box), NULL);
    WAIT_UNTIL (fixture, gtk_switch_get_active (autostart), NULL);
  }

  activate (fixture, "vm.back");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "list") == 0, NULL);

  /* A machine deleted elsewhere (hangarctl) while its page shows: back to the list. */
  select_machine (fixture, "archive");
  activate (fixture, "vm.open");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "details") == 0, NULL);
  {
    g_autoptr(HangarDBusMachine1) archive = hangar_test_lookup (&fixture->engine, "archive");
    g_auto(GStrv) deleted = NULL;
    g_auto(GStrv) kept = NULL;
    g_autoptr(GError) error = NULL;

    hangar_dbus_machine1_call_delete_sync (archive, 0, &deleted, &kept, NULL, &error);
    g_assert_no_error (error);
  }
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "list") == 0, NULL);
  wait_for_rows (fixture, ROW_BUILD_BOX);
}

/* The preferences, bound to GSettings. */
static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *preferences;
  GtkWidget *toggle;

  open_window_full (fixture, 0);
  WAIT_UNTIL (fixture, page_is (fixture, "empty"), NULL);

  preferences = hangar_preferences_window_new (GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (preferences));
  take_widget_screenshot (fixture, preferences, "preferences.png");

  toggle = GTK_WIDGET (gtk_widget_get_template_child (preferences, HANGAR_TYPE_PREFERENCES_WINDOW,
                                                      "delete_disks_switch"));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "delete-disks-default"));
  g_settings_reset (settings, "delete-disks-default");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));

  /* The list's graph: the combo row's items are the setting's values, in order. */
  {
    AdwComboRow *row = ADW_COMBO_ROW (gtk_widget_get_template_child (
                                        preferences, HANGAR_TYPE_PREFERENCES_WINDOW,
                                        "sparkline_row"));
    g_autofree char *metric = NULL;

    g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
    adw_combo_row_set_selected (row, 3);
    g_assert_cmpint (g_settings_get_enum (settings, "sparkline-metric"), ==, 3);
    metric = g_settings_get_string (settings, "sparkline-metric");
    g_assert_cmpstr (metric, ==, "network");
    g_settings_set_string (settings, "sparkline-metric", "memory");
    g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 1);
    g_settings_reset (settings, "sparkline-metric");
  }

  gtk_window_destroy (GTK_WINDOW (preferences));

  /* The shortcuts window lists the window's keys; a bad accelerator would warn. */
  {
    GtkWindow *overlay;

    activate (fixture, "win.show-help-overlay");
    overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (
                            GTK_APPLICATION_WINDOW (fixture->window)));
    g_assert_nonnull (overlay);
    take_widget_screenshot (fixture, GTK_WIDGET (overlay), "shortcuts.png");
    gtk_window_close (overlay);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  window_fixture_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/hangar/ui/window/actions", test_actions);
  ADD ("/hangar/ui/window/delete-and-errors", test_delete_and_errors);
  ADD ("/hangar/ui/window/search", test_search);
  ADD ("/hangar/ui/window/details", test_details);
  ADD ("/hangar/ui/window/preferences", test_preferences);
#undef ADD

  status = g_test_run ();
  window_fixture_finish ();
  return status;
}
