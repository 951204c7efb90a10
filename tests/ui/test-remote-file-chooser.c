/* test-remote-file-chooser.c: choosing a file on the engine's host through the engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The chooser a remote connection's wizard, Add Hardware and disk page use, over a real
 * engine's Host1.ListFolder (the local one here: the same call as over ssh, which
 * ui-window-remote covers for the connection itself).
 */
#include "config.h"

#include <glib/gstdio.h>

#include "hangar-remote-file-chooser.h"
#include "window-fixture.h"

static GtkWidget *
child (HangarRemoteFileChooser *chooser,
       const char              *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (chooser),
                                                    HANGAR_TYPE_REMOTE_FILE_CHOOSER, name));
}

static const char *
shown (HangarRemoteFileChooser *chooser)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (chooser, "stack")));
}

/* The rows' names, one a line. */
static char *
row_names (HangarRemoteFileChooser *chooser)
{
  GString *names = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (child (chooser, "list"));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    g_string_append_printf (names, "%s%s", names->len > 0 ? "\n" : "",
                            (const char *) g_object_get_data (G_OBJECT (row), "name"));
  return g_string_free (names, FALSE);
}

static GtkListBoxRow *
row_named (HangarRemoteFileChooser *chooser,
           const char              *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (child (chooser, "list"));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "name"), name) == 0)
      return GTK_LIST_BOX_ROW (row);
  return NULL;
}

static void
on_chosen (HangarRemoteFileChooser *chooser,
           const char              *path,
           char                   **chosen)
{
  g_free (*chosen);
  *chosen = g_strdup (path);
}

static void
touch (const char *folder,
       const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "hangar", -1, &error);
  g_assert_no_error (error);
}

static void
test_choose (Fixture       *fixture,
             gconstpointer  data)
{
  static const char * const suffixes[] = { "iso", NULL };
  g_autofree char *media = g_build_filename (fixture->engine.data_dir, "media", NULL);
  g_autofree char *sub = g_build_filename (media, "sub", NULL);
  g_autofree char *start = g_build_filename (media, "a.iso", NULL);
  g_autofree char *names = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *texts = NULL;
  g_autofree char *canonical = NULL;
  HangarRemoteFileChooser *chooser;
  GtkListBoxRow *row;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  touch (media, "a.iso");
  touch (media, "B.ISO");
  touch (media, "notes.txt");
  touch (media, ".hidden.iso");
  canonical = g_canonicalize_filename (media, NULL);

  /* Opened on a file: its folder, folders first, only ISO files, no hidden ones; the file
   * selected, so Choose can be pressed. */
  chooser = hangar_remote_file_chooser_new (NULL, fixture->engine.host, "Choose a File",
                                            suffixes);
  g_signal_connect (chooser, "chosen", G_CALLBACK (on_chosen), &chosen);
  hangar_remote_file_chooser_open (chooser, start);
  WAIT_UNTIL (fixture, g_strcmp0 (shown (chooser), "entries") == 0, NULL);
  g_assert_cmpstr (hangar_remote_file_chooser_get_folder (chooser), ==, canonical);
  names = row_names (chooser);
  g_assert_cmpstr (names, ==, "sub\nB.ISO\na.iso");
  g_assert_true (gtk_list_box_get_selected_row (GTK_LIST_BOX (child (chooser, "list"))) ==
                 row_named (chooser, "a.iso"));
  g_assert_true (gtk_widget_get_sensitive (child (chooser, "choose_button")));
  take_widget_screenshot (fixture, GTK_WIDGET (chooser), "remote-file-chooser.png");

  /* Into a folder and back up: the folder left is selected. */
  g_signal_emit_by_name (child (chooser, "list"), "row-activated", row_named (chooser, "sub"));
  WAIT_UNTIL (fixture, g_str_has_suffix (hangar_remote_file_chooser_get_folder (chooser), "/sub") &&
                       g_strcmp0 (shown (chooser), "entries") == 0, NULL);
  g_clear_pointer (&names, g_free);
  names = row_names (chooser);
  g_assert_cmpstr (names, ==, "");
  g_assert_false (gtk_widget_get_sensitive (child (chooser, "choose_button")));
  g_signal_emit_by_name (child (chooser, "up_button"), "clicked");
  WAIT_UNTIL (fixture, g_strcmp0 (hangar_remote_file_chooser_get_folder (chooser), canonical) == 0 &&
                       g_strcmp0 (shown (chooser), "entries") == 0, NULL);
  row = gtk_list_box_get_selected_row (GTK_LIST_BOX (child (chooser, "list")));
  g_assert_true (row == row_named (chooser, "sub"));

  /* A file chosen: its path on the host, and the window closes. */
  g_object_ref (chooser);
  gtk_list_box_select_row (GTK_LIST_BOX (child (chooser, "list")), row_named (chooser, "B.ISO"));
  g_signal_emit_by_name (child (chooser, "choose_button"), "clicked");
  g_assert_nonnull (chosen);
  g_assert_true (g_str_has_suffix (chosen, "/media/B.ISO"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (chooser)));
  g_object_unref (chooser);

  /* A folder that is not there: the engine's words, and the way up. */
  chooser = hangar_remote_file_chooser_new (NULL, fixture->engine.host, "Choose Media", NULL);
  hangar_remote_file_chooser_open (chooser, "/nonexistent-hangar-folder/x.iso");
  WAIT_UNTIL (fixture, g_strcmp0 (shown (chooser), "error") == 0, NULL);
  texts = shown_texts (GTK_WIDGET (chooser));
  g_test_message ("Missing folder: %s", texts);
  g_assert_nonnull (strstr (texts, "The Folder Cannot Be Shown"));
  g_assert_nonnull (strstr (texts, "/nonexistent-hangar-folder"));
  take_widget_screenshot (fixture, GTK_WIDGET (chooser), "remote-file-chooser-error.png");
  gtk_window_destroy (GTK_WINDOW (chooser));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  window_fixture_init (&argc, &argv);
  g_test_add ("/hangar/ui/remote-file-chooser/choose", Fixture, NULL, setup, test_choose,
              teardown);
  status = g_test_run ();
  window_fixture_finish ();
  return status;
}
