/* test-window.c: the real window against a real engine, under a headless X server
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each test starts an engine of its own (tests/hangar-test-engine.h) on the test's
 * private bus, where nothing else can be activated (session.conf), opens the
 * template-built HangarWindow in this process as the application's activate does,
 * and checks what a person would see: the visible page and the texts of the
 * mapped labels, rows in screen order. It waits for events with a deadline, never
 * for a fixed time. After the window has settled it saves a PNG of it into
 * $HANGAR_SCREENSHOT_DIR.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hangar-application.h"
#include "hangar-connection.h"
#include "hangar-machine-history.h"
#include "hangar-machine-page.h"
#include "hangar-machine-row.h"
#include "hangar-preferences-window.h"
#include "hangar-test-engine.h"
#include "hangar-window.h"

/* How long the UI may take to show what the engine did. */
#define WAIT_TIMEOUT_S 30

#define DOT "\xc2\xb7"

/* What the error page says when the engine went away, and when none can be started. */
#define ENGINE_STOPPED "The engine has stopped. Machines that were running go on running."
#define ENGINE_NOT_INSTALLED \
  "The engine is not running, and it cannot be started because its D-Bus service is not " \
  "installed."

typedef struct
{
  HangarTestEngine  engine;
  HangarConnection *connection;
  HangarWindow     *window;  /* owned by GTK's list of toplevels */
  guint             frames;  /* frames painted, counted for settle () */
} Fixture;

/* One application for the process, registered so that its windows may be added. */
static HangarApplication *application;

/* QEMU leads a session of its own and outlives a test that aborts before its tear-down
 * can stop it: an aborting test kills the one it started. */
static volatile sig_atomic_t started_qemu_pid;

static void
on_fatal_signal (int signal_number)
{
  if (started_qemu_pid > 0)
    kill (-started_qemu_pid, SIGKILL);
  /* The handler was reset on entry: the signal, raised again, ends the process. */
  raise (signal_number);
}

static void
kill_qemu_on_abort (void)
{
  struct sigaction action = { .sa_handler = on_fatal_signal, .sa_flags = SA_RESETHAND };

  sigemptyset (&action.sa_mask);
  sigaction (SIGABRT, &action, NULL);
  sigaction (SIGTRAP, &action, NULL);
}

/* ---- what the window shows ------------------------------------------------- */

static GtkStack *
window_stack (Fixture *fixture)
{
  return GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                  HANGAR_TYPE_WINDOW, "stack"));
}

static GtkStack *
main_stack (Fixture *fixture)
{
  return GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                  HANGAR_TYPE_WINDOW, "main_stack"));
}

/* The name of the page a person sees, NULL while the stack cross-fades. */
static const char *
shown_page (Fixture *fixture)
{
  GtkStack *stack = window_stack (fixture);

  if (gtk_stack_get_transition_running (stack))
    return NULL;
  return gtk_stack_get_visible_child_name (stack);
}

static void
collect_label_texts (GtkWidget *widget,
                     GPtrArray *texts)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  /* Live figures (CPU use) differ from run to run: the tests check them apart. */
  if (gtk_widget_has_css_class (widget, "statistics"))
    return;

  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (text[0] != '\0')
        g_ptr_array_add (texts, (gpointer) text);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_label_texts (child, texts);
}

/* The texts of the labels a person sees in @widget, in widget order, joined by " | ". */
static char *
shown_texts (GtkWidget *widget)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  collect_label_texts (widget, texts);
  g_ptr_array_add (texts, NULL);
  return g_strjoinv (" | ", (char **) texts->pdata);
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (HANGAR_IS_MACHINE_ROW (widget))
    {
      g_ptr_array_add (rows, widget);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static float
row_y (GtkWidget *row,
       GtkWidget *view)
{
  graphene_point_t point;

  if (!gtk_widget_compute_point (row, view, &GRAPHENE_POINT_INIT (0, 0), &point))
    return G_MAXFLOAT;
  return point.y;
}

static int
compare_rows_by_y (gconstpointer a,
                   gconstpointer b,
                   gpointer      view)
{
  float y_a = row_y (*(GtkWidget **) a, view);
  float y_b = row_y (*(GtkWidget **) b, view);

  return (y_a > y_b) - (y_a < y_b);
}

/* The machine rows a person sees, top to bottom. */
static GPtrArray *
shown_rows (Fixture *fixture)
{
  GtkWidget *view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                               HANGAR_TYPE_WINDOW,
                                                               "machine_view"));
  GPtrArray *rows = g_ptr_array_new ();

  collect_rows (view, rows);
  g_ptr_array_sort_with_data (rows, compare_rows_by_y, view);
  return rows;
}

/* The rows' texts, one row a line. */
static char *
shown_rows_text (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = shown_rows (fixture);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *row_text = shown_texts (g_ptr_array_index (rows, i));

      g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "", row_text);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The row showing @title, NULL when none does. */
static GtkWidget *
find_row (Fixture    *fixture,
          const char *title)
{
  g_autoptr(GPtrArray) rows = shown_rows (fixture);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *text = shown_texts (g_ptr_array_index (rows, i));
      g_autofree char *prefix = g_strconcat (title, " | ", NULL);

      if (g_str_has_prefix (text, prefix))
        return g_ptr_array_index (rows, i);
    }
  return NULL;
}

static GtkWidget *
find_label_with_class (GtkWidget  *widget,
                       const char *css_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ---- waiting ---------------------------------------------------------------- */

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static G_GNUC_NORETURN void
fail_waiting (Fixture    *fixture,
              const char *condition,
              const char *expected)
{
  g_autofree char *texts = fixture->window ? shown_texts (GTK_WIDGET (fixture->window)) : NULL;
  g_autofree char *rows = fixture->window ? shown_rows_text (fixture) : NULL;

  g_error ("Waited %u s in vain for %s%s%s.\n"
           "The window shows page “%s”, connection status %d (%s), labels:\n  %s\nrows:\n%s",
           WAIT_TIMEOUT_S, condition, expected ? ", expected:\n" : "", expected ? expected : "",
           fixture->window ? gtk_stack_get_visible_child_name (window_stack (fixture)) : "none",
           fixture->connection ? (int) hangar_connection_get_status (fixture->connection) : -1,
           fixture->connection ? hangar_connection_get_error_message (fixture->connection) : "",
           texts ? texts : "", rows ? rows : "");
}

/* Iterates the main context until @condition holds; fails the test after WAIT_TIMEOUT_S.
 * Every change the condition looks at arrives as an event on this context. */
#define WAIT_UNTIL(fixture, condition, expected) \
  G_STMT_START { \
    gboolean timed_out_ = FALSE; \
    guint deadline_ = g_timeout_add_seconds (WAIT_TIMEOUT_S, on_deadline, &timed_out_); \
    while (!(condition) && !timed_out_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!timed_out_) \
      g_source_remove (deadline_); \
    if (!(condition)) \
      fail_waiting ((fixture), #condition, (expected)); \
  } G_STMT_END

static gboolean
page_is (Fixture    *fixture,
         const char *name)
{
  return g_strcmp0 (shown_page (fixture), name) == 0;
}

static gboolean
rows_are (Fixture    *fixture,
          const char *expected)
{
  g_autofree char *text = shown_rows_text (fixture);

  return g_strcmp0 (text, expected) == 0;
}

static void
wait_for_rows (Fixture    *fixture,
               const char *expected)
{
  WAIT_UNTIL (fixture, page_is (fixture, "machines") && rows_are (fixture, expected), expected);
}

static void
on_after_paint (GdkFrameClock *clock,
                Fixture       *fixture)
{
  fixture->frames++;
}

/* Waits until the stacks are still and @widget painted a frame after everything asked
 * so far. */
static void
settle_widget (Fixture   *fixture,
               GtkWidget *widget)
{
  GdkFrameClock *clock;
  guint frames;
  gulong handler;

  WAIT_UNTIL (fixture, gtk_widget_get_mapped (widget), NULL);
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  WAIT_UNTIL (fixture, !gtk_stack_get_transition_running (window_stack (fixture)), NULL);
  WAIT_UNTIL (fixture, !gtk_stack_get_transition_running (main_stack (fixture)), NULL);

  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), fixture);
  frames = fixture->frames;
  gtk_widget_queue_draw (widget);
  WAIT_UNTIL (fixture, fixture->frames > frames, NULL);
  g_signal_handler_disconnect (clock, handler);
}


/* ---- screenshots ------------------------------------------------------------ */

/* Saves @widget (a window, dialog or popover) as it was last painted into
 * $HANGAR_SCREENSHOT_DIR/@name. */
static void
take_widget_screenshot (Fixture    *fixture,
                        GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("HANGAR_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width;
  int height;

  settle_widget (fixture, widget);
  if (dir == NULL || dir[0] == '\0')
    {
      g_test_message ("HANGAR_SCREENSHOT_DIR is not set: no %s", name);
      return;
    }

  paintable = gtk_widget_paintable_new (widget);
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  /* A window that has just appeared may not have drawn yet: give it some frames. */
  for (guint attempt = 0; node == NULL && attempt < 10; attempt++)
    {
      if (attempt > 0)
        settle_widget (fixture, widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

/* Saves the window as it was last painted into $HANGAR_SCREENSHOT_DIR/@name. */
static void
take_screenshot (Fixture    *fixture,
                 const char *name)
{
  take_widget_screenshot (fixture, GTK_WIDGET (fixture->window), name);
}

/* ---- fixture ------------------------------------------------------------------ */

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  hangar_test_engine_setup (&fixture->engine);
}

/* Opens the window as HangarApplication's activate does: present, then connect.
 * @reconnect_delay: the connection's (ms), 0 to try again only when asked */
static void
open_window_full (Fixture *fixture,
                  guint    reconnect_delay)
{
  g_assert_null (fixture->window);

  fixture->connection = hangar_connection_new_session ();
  g_object_set (fixture->connection, "reconnect-delay", reconnect_delay, NULL);
  fixture->window = hangar_window_new (application, fixture->connection);
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  g_assert_true (hangar_window_get_connection (fixture->window) == fixture->connection);
  gtk_window_present (GTK_WINDOW (fixture->window));
  hangar_connection_connect (fixture->connection);

  WAIT_UNTIL (fixture, gtk_widget_get_mapped (GTK_WIDGET (fixture->window)), NULL);
}

static void
open_window (Fixture *fixture)
{
  open_window_full (fixture, 1000);
}

/* Closes the window and checks that it and its connection go away: nothing leaks a
 * reference to them, and no callback is left pending. */
static void
close_window (Fixture *fixture)
{
  HangarConnection *connection = g_steal_pointer (&fixture->connection);

  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  if (connection != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (connection), (gpointer *) &connection);
      g_object_unref (connection);
    }
  WAIT_UNTIL (fixture, fixture->window == NULL, NULL);
  WAIT_UNTIL (fixture, connection == NULL, NULL);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  close_window (fixture);
  hangar_test_engine_teardown (&fixture->engine);
}

/* A machine that is defined but never started: no kernel, no disk. */
static char *
idle_machine_xml (const char *name,
                  const char *title,
                  guint       vcpus,
                  guint       memory_mib)
{
  g_autofree char *title_element = NULL;

  if (title != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (title, -1);

      title_element = g_strdup_printf ("  <title>%s</title>\n", escaped);
    }

  return g_strdup_printf ("<domain type='kvm'>\n"
                          "  <name>%s</name>\n"
                          "%s"
                          "  <memory unit='MiB'>%u</memory>\n"
                          "  <vcpu>%u</vcpu>\n"
                          "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
                          "  <features><acpi/></features>\n"
                          "</domain>\n",
                          name, title_element ? title_element : "", memory_mib, vcpus);
}

static void
define_idle_machines (Fixture *fixture)
{
  g_autofree char *archive = idle_machine_xml ("archive", NULL, 2, 1536);
  g_autofree char *build_box = idle_machine_xml ("build-box", "Build & Test", 4, 8192);
  g_autoptr(HangarDBusMachine1) archive_machine = hangar_test_define (&fixture->engine, archive);
  g_autoptr(HangarDBusMachine1) build_box_machine = hangar_test_define (&fixture->engine,
                                                                        build_box);
}

/* Sorted by what a person reads, case aside; the subtitle only under a title. */
#define ROW_ARCHIVE "archive | Shut Off | 2 CPUs " DOT " 1.5 GiB"
#define ROW_BUILD_BOX "Build & Test | build-box | Shut Off | 4 CPUs " DOT " 8 GiB"
#define ROW_WEB(state) "web-01 | " state " | 1 CPU " DOT " 128 MiB"

/* ---- tests ---------------------------------------------------------------------- */

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

/* No machines: the empty state says how to define one. */
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
                   "Define one from a libvirt domain XML file with this command | "
                   "hangarctl define FILE");
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

/* ---- actions on the selected machine ----------------------------------------------- */

/* Selects the machine named @name in the window's list; fails when it is not shown. */
static void
select_machine (Fixture    *fixture,
                const char *name)
{
  GtkSingleSelection *selection = hangar_window_get_selection (fixture->window);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (selection));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HangarDBusMachine1) machine = g_list_model_get_item (G_LIST_MODEL (selection), i);

      if (g_strcmp0 (hangar_dbus_machine1_get_name (machine), name) == 0)
        {
          gtk_single_selection_set_selected (selection, i);
          return;
        }
    }
  g_error ("No machine “%s” in the list", name);
}

static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action_name)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0 &&
      gtk_widget_get_mapped (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the header bar shows a button for @action_name that can be pressed. */
static gboolean
header_action_enabled (Fixture    *fixture,
                       const char *action_name)
{
  GtkWidget *button = find_action_button (GTK_WIDGET (fixture->window), action_name);

  return button != NULL && gtk_widget_is_sensitive (button);
}

static gboolean
row_state_is (Fixture    *fixture,
              const char *title,
              const char *words)
{
  GtkWidget *row = find_row (fixture, title);
  GtkWidget *label = row != NULL ? find_label_with_class (row, "machine-state") : NULL;

  return label != NULL && g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), words) == 0;
}

/* The message dialog on screen, NULL when none is. */
static AdwMessageDialog *
shown_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_items = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static GtkWidget *
find_widget_of_type (GtkWidget *widget,
                     GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether a toast on screen says @text (or begins with it, when @prefix). */
static gboolean
toast_shows (Fixture    *fixture,
             const char *text,
             gboolean    prefix)
{
  GtkWidget *overlay = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                  HANGAR_TYPE_WINDOW,
                                                                  "toast_overlay"));
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  collect_label_texts (overlay, texts);
  for (guint i = 0; i < texts->len; i++)
    {
      const char *shown = g_ptr_array_index (texts, i);

      if (prefix ? g_str_has_prefix (shown, text) && strlen (shown) > strlen (text)
                 : g_str_equal (shown, text))
        return TRUE;
    }
  return FALSE;
}

static void
activate (Fixture    *fixture,
          const char *action_name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), action_name, NULL));
}

/* Two tiny guests: one run, paused, resumed and forced off from the window. */
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
  g_settings_set_uint (settings, "statistics-interval", 250);
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
    WAIT_UNTIL (fixture, hangar_dbus_host1_get_statistics_interval (fixture->engine.host) == 250,
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
    g_assert_true (g_str_has_prefix (texts, "Processor | "));
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
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (truncate (path, 1024 * 1024), ==, 0);
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

/* A thousand machines: the list fills item by item, and search and sort stay quick
 * because they work on models, never on a rebuilt list. */
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
  WAIT_UNTIL (fixture, definitions.done == n_machines, NULL);
  WAIT_UNTIL (fixture, g_list_model_get_n_items (G_LIST_MODEL (selection)) == n_machines, NULL);
  ms = time_until_drawn (fixture, start);
  g_test_message ("%u machines defined and listed in %.0f ms", n_machines, ms);
  take_screenshot (fixture, "many.png");

  activate (fixture, "win.search");
  entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                       HANGAR_TYPE_WINDOW, "search_entry"));
  start = g_get_monotonic_time ();
  gtk_editable_set_text (entry, "machine-099");
  WAIT_UNTIL (fixture, g_list_model_get_n_items (G_LIST_MODEL (selection)) == 10, NULL);
  ms = time_until_drawn (fixture, start);
  g_test_message ("Search among %u machines: %.1f ms", n_machines, ms);
  g_assert_cmpfloat (ms, <, 1000);

  start = g_get_monotonic_time ();
  gtk_editable_set_text (entry, "");
  WAIT_UNTIL (fixture, g_list_model_get_n_items (G_LIST_MODEL (selection)) == n_machines, NULL);
  ms = time_until_drawn (fixture, start);
  g_test_message ("Search cleared: %.1f ms", ms);
  g_assert_cmpfloat (ms, <, 1000);

  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sort-column",
                                             "s", "state"));
  ms = time_until_drawn (fixture, start);
  g_test_message ("Sorted %u machines by state: %.1f ms", n_machines, ms);
  g_assert_cmpfloat (ms, <, 1000);
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

/* Opening a machine shows its page; Back returns to the list. */
static void
test_details (Fixture       *fixture,
              gconstpointer  data)
{
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
  take_screenshot (fixture, "details.png");

  texts = shown_texts (page);
  g_test_message ("Details: %s", texts);
  g_assert_nonnull (strstr (texts, "Name | build-box"));
  g_assert_nonnull (strstr (texts, "Title | Build & Test"));
  g_assert_nonnull (strstr (texts, "State | Shut Off"));
  g_assert_nonnull (strstr (texts, "Virtual CPUs | 4"));
  g_assert_nonnull (strstr (texts, "Memory | 8 GiB"));

  /* The autostart switch calls SetAutostart and follows the engine. */
  {
    g_autoptr(HangarDBusMachine1) build_box = hangar_test_lookup (&fixture->engine, "build-box");
    GtkSwitch *autostart = GTK_SWITCH (gtk_widget_get_template_child (page,
                                                                      HANGAR_TYPE_MACHINE_PAGE,
                                                                      "autostart_switch"));

    g_assert_false (gtk_switch_get_active (autostart));
    gtk_switch_set_active (autostart, TRUE);
    WAIT_UNTIL (fixture, hangar_dbus_machine1_get_autostart (build_box), NULL);
    WAIT_UNTIL (fixture, gtk_switch_get_state (autostart), NULL);
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
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  kill_qemu_on_abort ();

  /* Registering runs startup: GTK and libadwaita initialise, the style sheet loads. */
  application = hangar_application_new ();
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);
  /* Toasts, popovers and pages appear at once: a screenshot shows them whole. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/hangar/ui/window/machines", test_machines);
  ADD ("/hangar/ui/window/empty", test_empty);
  ADD ("/hangar/ui/window/engine-gone", test_engine_gone);
  ADD ("/hangar/ui/window/try-again", test_try_again);
  ADD ("/hangar/ui/window/reconnect", test_reconnect);
  ADD ("/hangar/ui/window/disconnect", test_disconnect);
  ADD ("/hangar/ui/window/many", test_many);
  ADD ("/hangar/ui/window/size", test_size);
  ADD ("/hangar/ui/window/actions", test_actions);
  ADD ("/hangar/ui/window/delete-and-errors", test_delete_and_errors);
  ADD ("/hangar/ui/window/search", test_search);
  ADD ("/hangar/ui/window/details", test_details);
  ADD ("/hangar/ui/window/preferences", test_preferences);
#undef ADD

  status = g_test_run ();
  g_clear_object (&application);
  return status;
}
