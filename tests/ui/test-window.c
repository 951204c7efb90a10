/* test-window.c: the list: rows, live states, empty and error pages, connections, 1,000 machines
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

#include "hangar-machine-history.h"
#include "hangar-machine-page.h"
#include "hangar-machine-row.h"
#include "hangar-preferences-window.h"
#include "window-fixture.h"

static void
assert_state_label (GtkWidget  *row,
                    const char *words,
                    const char *colour)
{
  GtkWidget *label = find_label_with_class (row, "machine-state");

  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, words);
  g_assert_true (gtk_widget_has_css_class (label, colour));
}

/* Three machines, one running: then paused and forced off, followed live. */
static void
test_machines (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *web_xml = hangar_test_guest_xml ("web-01", NULL);
  g_autoptr(HangarDBusMachine1) web = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;

  define_idle_machines (fixture);
  web = hangar_test_define (&fixture->engine, web_xml);
  hangar_dbus_machine1_call_start_sync (web, NULL, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (fixture, hangar_dbus_machine1_get_pid (web) != 0, NULL);
  started_qemu_pid = hangar_dbus_machine1_get_pid (web);

  open_window (fixture);
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX "\n" ROW_WEB ("Running"));
  row = find_row (fixture, "web-01");
  g_assert_nonnull (row);
  assert_state_label (row, "Running", "success");
  assert_state_label (find_row (fixture, "archive"), "Shut Off", "dim-label");
  take_screenshot (fixture, "machines.png");

  /* The same row follows the machine: nothing is rebuilt or reopened. */
  hangar_dbus_machine1_call_pause_sync (web, NULL, &error);
  g_assert_no_error (error);
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX "\n" ROW_WEB ("Paused"));
  g_assert_true (find_row (fixture, "web-01") == row);
  assert_state_label (row, "Paused", "warning");
  g_assert_false (gtk_widget_has_css_class (find_label_with_class (row, "machine-state"),
                                            "success"));
  take_screenshot (fixture, "machines-paused.png");

  hangar_dbus_machine1_call_force_off_sync (web, NULL, &error);
  g_assert_no_error (error);
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX "\n" ROW_WEB ("Shut Off"));
  g_assert_true (find_row (fixture, "web-01") == row);
  assert_state_label (row, "Shut Off", "dim-label");
  started_qemu_pid = 0;
}

/* No machines: the empty state offers to create the first. */
static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *texts = NULL;

  open_window (fixture);
  WAIT_UNTIL (fixture, page_is (fixture, "empty"), NULL);
  g_assert_true (ADW_IS_STATUS_PAGE (gtk_stack_get_visible_child (window_stack (fixture))));

  texts = shown_texts (gtk_stack_get_visible_child (window_stack (fixture)));
  g_assert_cmpstr (texts, ==,
                   "No Virtual Machines | "
                   "Install an operating system from an ISO image or the network, or import a "
                   "disk image | Create a Virtual Machine…");
  take_screenshot (fixture, "empty.png");
}

static void
assert_error_page (Fixture    *fixture,
                   const char *message)
{
  GtkWidget *page = gtk_stack_get_visible_child (window_stack (fixture));
  g_autofree char *texts = shown_texts (page);
  g_autofree char *expected = g_strdup_printf ("Cannot Reach the Engine | %s | Try Again",
                                               message);
  GtkWidget *button = find_button (page, "_Try Again");

  g_assert_cmpstr (texts, ==, expected);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
}

/* Whether the Try Again button, shown or not, can be pressed. */
static gboolean
try_again_enabled (Fixture *fixture)
{
  GtkWidget *page = gtk_stack_get_child_by_name (window_stack (fixture), "error");
  GtkWidget *button = find_button (page, "_Try Again");

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

static gboolean
failed_with (Fixture    *fixture,
             const char *message)
{
  return hangar_connection_get_status (fixture->connection) == HANGAR_CONNECTION_STATUS_FAILED &&
         g_strcmp0 (hangar_connection_get_error_message (fixture->connection), message) == 0;
}

/* The engine crashes under an open window, then comes back. */
static void
test_engine_gone (Fixture       *fixture,
                  gconstpointer  data)
{
  define_idle_machines (fixture);
  open_window_full (fixture, 0);
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX);

  hangar_test_engine_stop (&fixture->engine, SIGKILL);
  WAIT_UNTIL (fixture, page_is (fixture, "error"), NULL);
  assert_error_page (fixture, ENGINE_STOPPED);
  take_screenshot (fixture, "engine-gone.png");

  /* Try Again with no engine to reach and none to activate: the error page again,
   * now saying why this attempt failed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.reconnect", NULL));
  WAIT_UNTIL (fixture, failed_with (fixture, ENGINE_NOT_INSTALLED), ENGINE_NOT_INSTALLED);
  WAIT_UNTIL (fixture, page_is (fixture, "error"), NULL);
  assert_error_page (fixture, ENGINE_NOT_INSTALLED);
  take_screenshot (fixture, "engine-gone-retry.png");

  /* A new engine takes the name: the window follows it by itself. */
  hangar_test_engine_start (&fixture->engine);
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX);
  g_assert_cmpint (hangar_connection_get_status (fixture->connection), ==,
                   HANGAR_CONNECTION_STATUS_CONNECTED);
  g_assert_false (try_again_enabled (fixture));
}

/* No engine when the window opens; one starts; Try Again finds it. */
static void
test_try_again (Fixture       *fixture,
                gconstpointer  data)
{
  define_idle_machines (fixture);
  hangar_test_engine_stop (&fixture->engine, SIGTERM);

  open_window_full (fixture, 0);
  WAIT_UNTIL (fixture, page_is (fixture, "error"), NULL);
  assert_error_page (fixture, ENGINE_NOT_INSTALLED);
  take_screenshot (fixture, "engine-absent.png");

  /* The window never reached an engine, so it watches for none: a person retries. */
  hangar_test_engine_start (&fixture->engine);
  g_assert_cmpint (hangar_connection_get_status (fixture->connection), ==,
                   HANGAR_CONNECTION_STATUS_FAILED);
  g_assert_true (page_is (fixture, "error"));
  g_assert_true (try_again_enabled (fixture));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.reconnect", NULL));
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX);
  take_screenshot (fixture, "engine-found.png");
}

/* No engine when the window opens; one starts: the window finds it by itself, as it
 * tries again with backoff. */
static void
test_reconnect (Fixture       *fixture,
                gconstpointer  data)
{
  define_idle_machines (fixture);
  hangar_test_engine_stop (&fixture->engine, SIGTERM);

  open_window_full (fixture, 50);
  WAIT_UNTIL (fixture, page_is (fixture, "error"), NULL);
  assert_error_page (fixture, ENGINE_NOT_INSTALLED);

  hangar_test_engine_start (&fixture->engine);
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX);
  g_assert_cmpint (hangar_connection_get_status (fixture->connection), ==,
                   HANGAR_CONNECTION_STATUS_CONNECTED);

  /* And again when the engine goes away under the open window. */
  hangar_test_engine_stop (&fixture->engine, SIGKILL);
  WAIT_UNTIL (fixture, page_is (fixture, "error"), NULL);
  hangar_test_engine_start (&fixture->engine);
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX);
}

typedef struct
{
  HangarDBusHost1 *host;
  guint            next;      /* the next machine to define */
  guint            total;
  guint            done;
} Definitions;

static void define_next (Definitions *definitions);

static void
on_defined (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Definitions *definitions = user_data;
  g_autoptr(GError) error = NULL;

  hangar_dbus_host1_call_define_machine_finish (HANGAR_DBUS_HOST1 (source), NULL, result, &error);
  g_assert_no_error (error);
  definitions->done++;
  define_next (definitions);
}

/* Defines machine-NNNN, keeping well below the bus's 128 pending calls. */
static void
define_next (Definitions *definitions)
{
  g_autofree char *name = NULL;
  g_autofree char *xml = NULL;

  if (definitions->next == definitions->total)
    return;
  name = g_strdup_printf ("machine-%04u", definitions->next);
  xml = idle_machine_xml (name, NULL, 1 + definitions->next % 4, 256);
  definitions->next++;
  hangar_dbus_host1_call_define_machine (definitions->host, xml, NULL, on_defined, definitions);
}

/* Runs the main loop until the window has drawn what was asked; returns the ms it took. */
static double
time_until_drawn (Fixture *fixture,
                  gint64   start)
{
  settle_widget (fixture, GTK_WIDGET (fixture->window));
  return (g_get_monotonic_time () - start) / 1000.0;
}

static guint
count_rows (GtkWidget *widget)
{
  guint n = HANGAR_IS_MACHINE_ROW (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child);
  return n;
}

/* The list view builds rows for what shows and a fixed number around it (GTK 4.8
 * keeps about 200), never one per machine. */
static void
assert_rows_virtualised (Fixture *fixture,
                         guint    n_machines)
{
  guint rows = count_rows (GTK_WIDGET (fixture->window));

  g_test_message ("Row widgets built: %u for %u machines", rows, n_machines);
  g_assert_cmpuint (rows, <=, 250);
  g_assert_cmpuint (rows, <, n_machines / 2);
}

/* A thousand machines: the list fills item by item, and search and sort work on
 * models, never on a rebuilt list, with rows built only for what shows. The times
 * are printed, not asserted (a loaded machine would fail them); the benchmark
 * tests/bench/window measures them properly. */
static void
test_many (Fixture       *fixture,
           gconstpointer  data)
{
  const guint n_machines = 1000;
  GtkSingleSelection *selection;
  GtkEditable *entry;
  Definitions definitions = { fixture->engine.host, 0, n_machines, 0 };
  gint64 start;
  double ms;

  open_window (fixture);
  WAIT_UNTIL (fixture, page_is (fixture, "empty"), NULL);
  selection = hangar_window_get_selection (fixture->window);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 32; i++)
    define_next (&definitions);
  WAIT_UNTIL_S (fixture, 180, definitions.done == n_machines, NULL);
  WAIT_UNTIL (fixture, g_list_model_get_n_items (G_LIST_MODEL (selection)) == n_machines, NULL);
  ms = time_until_drawn (fixture, start);
  g_test_message ("%u machines defined and listed in %.0f ms", n_machines, ms);
  take_screenshot (fixture, "many.png");
  assert_rows_virtualised (fixture, n_machines);

  activate (fixture, "win.search");
  entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                       HANGAR_TYPE_WINDOW, "search_entry"));
  start = g_get_monotonic_time ();
  gtk_editable_set_text (entry, "machine-099");
  WAIT_UNTIL (fixture, g_list_model_get_n_items (G_LIST_MODEL (selection)) == 10, NULL);
  ms = time_until_drawn (fixture, start);
  g_test_message ("Search among %u machines: %.1f ms", n_machines, ms);

  start = g_get_monotonic_time ();
  gtk_editable_set_text (entry, "");
  WAIT_UNTIL (fixture, g_list_model_get_n_items (G_LIST_MODEL (selection)) == n_machines, NULL);
  ms = time_until_drawn (fixture, start);
  g_test_message ("Search cleared: %.1f ms", ms);
  assert_rows_virtualised (fixture, n_machines);

  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sort-column",
                                             "s", "state"));
  ms = time_until_drawn (fixture, start);
  g_test_message ("Sorted %u machines by state: %.1f ms", n_machines, ms);
  assert_rows_virtualised (fixture, n_machines);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sort-column",
                                             "s", "name"));
}

/* Disconnect from the main menu, then Connect again. */
static void
test_disconnect (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *texts = NULL;

  define_idle_machines (fixture);
  open_window (fixture);
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX);

  activate (fixture, "win.disconnect");
  WAIT_UNTIL (fixture, page_is (fixture, "disconnected"), NULL);
  texts = shown_texts (gtk_stack_get_visible_child (window_stack (fixture)));
  g_assert_cmpstr (texts, ==, "Disconnected | Machines that were running go on running | Connect");
  take_screenshot (fixture, "disconnected.png");

  activate (fixture, "win.reconnect");
  wait_for_rows (fixture, ROW_ARCHIVE "\n" ROW_BUILD_BOX);
}

/* The window opens at the size it was closed at. */
static void
test_size (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  int width;
  int height;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 600);
  open_window (fixture);
  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 600);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 480);
  gtk_window_close (GTK_WINDOW (fixture->window));
  WAIT_UNTIL (fixture, fixture->window == NULL, NULL);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 640);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 480);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  window_fixture_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/hangar/ui/window/machines", test_machines);
  ADD ("/hangar/ui/window/empty", test_empty);
  ADD ("/hangar/ui/window/engine-gone", test_engine_gone);
  ADD ("/hangar/ui/window/try-again", test_try_again);
  ADD ("/hangar/ui/window/reconnect", test_reconnect);
  ADD ("/hangar/ui/window/disconnect", test_disconnect);
  ADD ("/hangar/ui/window/many", test_many);
  ADD ("/hangar/ui/window/size", test_size);
#undef ADD

  status = g_test_run ();
  window_fixture_finish ();
  return status;
}
