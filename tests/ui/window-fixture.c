/* window-fixture.c: the real window against a real engine, for the ui tests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
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
#include "window-fixture.h"

/* One application for the process, registered so that its windows may be added. */
HangarApplication *application;

/* QEMU leads a session of its own and outlives a test that aborts before its tear-down
 * can stop it: an aborting test kills the one it started. */
volatile sig_atomic_t started_qemu_pid;

static void
on_fatal_signal (int signal_number)
{
  if (started_qemu_pid > 0)
    kill (-started_qemu_pid, SIGKILL);
  /* The handler was reset on entry: the signal, raised again, ends the process. */
  raise (signal_number);
}

void
kill_qemu_on_abort (void)
{
  struct sigaction action = { .sa_handler = on_fatal_signal, .sa_flags = SA_RESETHAND };

  sigemptyset (&action.sa_mask);
  sigaction (SIGABRT, &action, NULL);
  sigaction (SIGTRAP, &action, NULL);
}

/* ---- what the window shows ------------------------------------------------- */

GtkStack *
window_stack (Fixture *fixture)
{
  return GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                  HANGAR_TYPE_WINDOW, "stack"));
}

GtkStack *
main_stack (Fixture *fixture)
{
  return GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                  HANGAR_TYPE_WINDOW, "main_stack"));
}

/* The name of the page a person sees, NULL while the stack cross-fades. */
const char *
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
char *
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
GPtrArray *
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
char *
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
GtkWidget *
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

GtkWidget *
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

GtkWidget *
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

gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

G_GNUC_NORETURN void
fail_waiting (Fixture    *fixture,
              guint       seconds,
              const char *condition,
              const char *expected)
{
  g_autofree char *texts = fixture->window ? shown_texts (GTK_WIDGET (fixture->window)) : NULL;
  g_autofree char *rows = fixture->window ? shown_rows_text (fixture) : NULL;

  g_error ("Waited %u s in vain for %s%s%s.\n"
           "The window shows page “%s”, connection status %d (%s), labels:\n  %s\nrows:\n%s",
           seconds, condition, expected ? ", expected:\n" : "", expected ? expected : "",
           fixture->window ? gtk_stack_get_visible_child_name (window_stack (fixture)) : "none",
           fixture->connection ? (int) hangar_connection_get_status (fixture->connection) : -1,
           fixture->connection ? hangar_connection_get_error_message (fixture->connection) : "",
           texts ? texts : "", rows ? rows : "");
}

/* Iterates the main context until @condition holds; fails the test after WAIT_TIMEOUT_S.
 * Every change the condition looks at arrives as an event on this context. */
gboolean
page_is (Fixture    *fixture,
         const char *name)
{
  return g_strcmp0 (shown_page (fixture), name) == 0;
}

gboolean
rows_are (Fixture    *fixture,
          const char *expected)
{
  g_autofree char *text = shown_rows_text (fixture);

  return g_strcmp0 (text, expected) == 0;
}

void
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
void
settle_widget (Fixture   *fixture,
               GtkWidget *widget)
{
  GdkFrameClock *clock;
  guint frames;
  gulong handler;

  WAIT_UNTIL (fixture, gtk_widget_get_mapped (widget), NULL);
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  /* A dialog may be tested without the main window. */
  if (fixture->window != NULL)
    {
      WAIT_UNTIL (fixture, !gtk_stack_get_transition_running (window_stack (fixture)), NULL);
      WAIT_UNTIL (fixture, !gtk_stack_get_transition_running (main_stack (fixture)), NULL);
    }

  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), fixture);
  frames = fixture->frames;
  gtk_widget_queue_draw (widget);
  WAIT_UNTIL (fixture, fixture->frames > frames, NULL);
  g_signal_handler_disconnect (clock, handler);
}


/* ---- screenshots ------------------------------------------------------------ */

/* Saves @widget (a window, dialog or popover) as it was last painted into
 * $HANGAR_SCREENSHOT_DIR/@name. */
void
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
void
take_screenshot (Fixture    *fixture,
                 const char *name)
{
  take_widget_screenshot (fixture, GTK_WIDGET (fixture->window), name);
}

/* ---- fixture ------------------------------------------------------------------ */

void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  hangar_test_engine_setup (&fixture->engine);
}

/* Opens the window as HangarApplication's activate does: present, then connect.
 * @reconnect_delay: the connection's (ms), 0 to try again only when asked */
void
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

void
open_window (Fixture *fixture)
{
  open_window_full (fixture, 1000);
}

/* Closes the window and checks that it and its connection go away: nothing leaks a
 * reference to them, and no callback is left pending. */
void
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

void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  close_window (fixture);
  hangar_test_engine_teardown (&fixture->engine);
}

/* A machine that is defined but never started: no kernel, no disk. */
char *
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

void
define_idle_machines (Fixture *fixture)
{
  g_autofree char *archive = idle_machine_xml ("archive", NULL, 2, 1536);
  g_autofree char *build_box = idle_machine_xml ("build-box", "Build & Test", 4, 8192);
  g_autoptr(HangarDBusMachine1) archive_machine = hangar_test_define (&fixture->engine, archive);
  g_autoptr(HangarDBusMachine1) build_box_machine = hangar_test_define (&fixture->engine,
                                                                        build_box);
}

/* Sorted by what a person reads, case aside; the subtitle only under a title. */

/* ---- actions on the selected machine ----------------------------------------------- */

/* Selects the machine named @name in the window's list; fails when it is not shown. */
void
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

GtkWidget *
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
gboolean
header_action_enabled (Fixture    *fixture,
                       const char *action_name)
{
  GtkWidget *button = find_action_button (GTK_WIDGET (fixture->window), action_name);

  return button != NULL && gtk_widget_is_sensitive (button);
}

gboolean
row_state_is (Fixture    *fixture,
              const char *title,
              const char *words)
{
  GtkWidget *row = find_row (fixture, title);
  GtkWidget *label = row != NULL ? find_label_with_class (row, "machine-state") : NULL;

  return label != NULL && g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), words) == 0;
}

/* The message dialog on screen, NULL when none is. */
AdwMessageDialog *
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

GtkWidget *
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
gboolean
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

void
activate (Fixture    *fixture,
          const char *action_name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), action_name, NULL));
}

/* Two tiny guests: one run, paused, resumed and forced off from the window. */

/* Runs once per test process: GTest, the abort guard and the registered application. */
void
window_fixture_init (int    *argc,
                     char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);
  kill_qemu_on_abort ();

  /* Registering runs startup: GTK and libadwaita initialise, the style sheet loads. */
  application = hangar_application_new ();
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);
  /* Toasts, popovers and pages appear at once: a screenshot shows them whole. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

void
window_fixture_finish (void)
{
  g_clear_object (&application);
}


/* LeakSanitizer, for every window test: spice-client-glib's types and signals, and the
 * window's many widgets, take GLib past 2048 quarks, and GLib then drops its first quark
 * table (allocated by its library constructor, under _dl_init) on purpose: readers take
 * no lock. That block is reached only through GLib, which has no frame pointers, so the
 * slow unwinder is needed to name it. tests/console/lsan.supp says the same. */
const char *__lsan_default_suppressions (void);
const char *__lsan_default_options (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:_dl_init\n";
}

const char *
__lsan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}
