/* hangar-remote-file-chooser.c: choose a file on the engine's host, through the engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * GTK's file chooser shows this computer's files; a machine on a remote host takes its
 * install media and disk images from that host. This window lists a folder of the
 * engine's host with Host1.ListFolder, one folder at a time: folders, block devices and
 * the files whose names end in one of the given suffixes, hidden ones left out. A file
 * is chosen with Choose or a double click, and "chosen" says its path on the host.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-remote-file-chooser.h"

struct _HangarRemoteFileChooser
{
  AdwWindow        parent_instance;

  AdwWindowTitle  *window_title;
  GtkWidget       *up_button;
  GtkWidget       *choose_button;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  AdwStatusPage   *error_page;
  GtkListBox      *list;

  HangarDBusHost1 *host;
  GStrv            suffixes;
  char            *folder;      /* canonical, once listed */
  char            *select_name; /* an entry to select once listed */
  GCancellable    *cancellable;
  gboolean         disposed;    /* its rows go, after its buttons: no more updates */
};

G_DEFINE_FINAL_TYPE (HangarRemoteFileChooser, hangar_remote_file_chooser, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void list_folder (HangarRemoteFileChooser *self,
                         const char              *folder);

static gboolean
wanted (HangarRemoteFileChooser *self,
        const char              *name,
        const char              *kind)
{
  g_autofree char *lower = NULL;

  if (name[0] == '.')
    return FALSE;
  if (!g_str_equal (kind, "file") || self->suffixes == NULL)
    return TRUE;
  lower = g_ascii_strdown (name, -1);
  for (guint i = 0; self->suffixes[i] != NULL; i++)
    {
      g_autofree char *dot_suffix = g_strconcat (".", self->suffixes[i], NULL);

      if (g_str_has_suffix (lower, dot_suffix))
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
entry_row (const char *name,
           const char *kind,
           guint64     size)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  const char *icon = g_str_equal (kind, "folder") ? "folder-symbolic"
                     : g_str_equal (kind, "block") ? "drive-optical-symbolic"
                     : "text-x-generic-symbolic";

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  if (!g_str_equal (kind, "folder"))
    {
      g_autofree char *text = g_format_size (size);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "name", g_strdup (name), g_free);
  g_object_set_data_full (G_OBJECT (row), "kind", g_strdup (kind), g_free);
  return row;
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HangarRemoteFileChooser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) entries = NULL;
  g_autofree char *canonical = NULL;
  GtkWidget *child;
  GVariantIter iter;
  const char *name;
  const char *kind;
  guint64 size;

  if (!hangar_dbus_host1_call_list_folder_finish (HANGAR_DBUS_HOST1 (source), &canonical,
                                                  &entries, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_dbus_error_strip_remote_error (error);
      gtk_spinner_set_spinning (self->spinner, FALSE);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      gtk_widget_set_sensitive (self->up_button, self->folder != NULL &&
                                                 !g_str_equal (self->folder, "/"));
      return;
    }

  g_free (self->folder);
  self->folder = g_steal_pointer (&canonical);
  adw_window_title_set_subtitle (self->window_title, self->folder);
  gtk_widget_set_sensitive (self->up_button, !g_str_equal (self->folder, "/"));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  /* Folders first, then the rest; each in the engine's order (by name). */
  for (guint pass = 0; pass < 2; pass++)
    {
      g_variant_iter_init (&iter, entries);
      while (g_variant_iter_next (&iter, "(&s&st)", &name, &kind, &size))
        {
          GtkWidget *row;

          if (g_str_equal (kind, "folder") != (pass == 0) || !wanted (self, name, kind))
            continue;
          row = entry_row (name, kind, size);
          gtk_list_box_append (self->list, row);
          if (g_strcmp0 (name, self->select_name) == 0)
            gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
        }
    }
  g_clear_pointer (&self->select_name, g_free);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "entries");
}

static void
list_folder (HangarRemoteFileChooser *self,
             const char              *folder)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (self->choose_button, FALSE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  hangar_dbus_host1_call_list_folder (self->host, folder, self->cancellable, on_listed,
                                      g_object_ref (self));
}

static char *
row_path (HangarRemoteFileChooser *self,
          GtkListBoxRow           *row)
{
  return g_build_filename (self->folder, g_object_get_data (G_OBJECT (row), "name"), NULL);
}

/* A folder opens; anything else is chosen. */
static void
take_row (HangarRemoteFileChooser *self,
          GtkListBoxRow           *row)
{
  g_autofree char *path = row_path (self, row);

  if (g_str_equal (g_object_get_data (G_OBJECT (row), "kind"), "folder"))
    {
      list_folder (self, path);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, path);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_row_activated (HangarRemoteFileChooser *self,
                  GtkListBoxRow           *row)
{
  take_row (self, row);
}

static void
on_row_selected (HangarRemoteFileChooser *self,
                 GtkListBoxRow           *row)
{
  if (!self->disposed)
    gtk_widget_set_sensitive (self->choose_button, row != NULL);
}

static void
on_choose_clicked (HangarRemoteFileChooser *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);

  if (row != NULL)
    take_row (self, row);
}

static void
on_up_clicked (HangarRemoteFileChooser *self)
{
  g_autofree char *parent = NULL;

  if (self->folder == NULL)
    return;
  parent = g_path_get_dirname (self->folder);
  g_free (self->select_name);
  self->select_name = g_path_get_basename (self->folder);
  list_folder (self, parent);
}

static void
on_cancel_clicked (HangarRemoteFileChooser *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
hangar_remote_file_chooser_dispose (GObject *object)
{
  HangarRemoteFileChooser *self = HANGAR_REMOTE_FILE_CHOOSER (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->host);
  G_OBJECT_CLASS (hangar_remote_file_chooser_parent_class)->dispose (object);
}

static void
hangar_remote_file_chooser_finalize (GObject *object)
{
  HangarRemoteFileChooser *self = HANGAR_REMOTE_FILE_CHOOSER (object);

  g_strfreev (self->suffixes);
  g_free (self->folder);
  g_free (self->select_name);
  G_OBJECT_CLASS (hangar_remote_file_chooser_parent_class)->finalize (object);
}

static void
hangar_remote_file_chooser_class_init (HangarRemoteFileChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_remote_file_chooser_dispose;
  object_class->finalize = hangar_remote_file_chooser_finalize;

  /**
   * HangarRemoteFileChooser::chosen:
   * @path: the file's path on the engine's host
   *
   * A file was chosen; the window closes.
   */
  signals[SIGNAL_CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hangarvm/Hangar/ui/"
                                               "hangar-remote-file-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarRemoteFileChooser, window_title);
  gtk_widget_class_bind_template_child (widget_class, HangarRemoteFileChooser, up_button);
  gtk_widget_class_bind_template_child (widget_class, HangarRemoteFileChooser, choose_button);
  gtk_widget_class_bind_template_child (widget_class, HangarRemoteFileChooser, stack);
  gtk_widget_class_bind_template_child (widget_class, HangarRemoteFileChooser, spinner);
  gtk_widget_class_bind_template_child (widget_class, HangarRemoteFileChooser, error_page);
  gtk_widget_class_bind_template_child (widget_class, HangarRemoteFileChooser, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_up_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hangar_remote_file_chooser_init (HangarRemoteFileChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * hangar_remote_file_chooser_new:
 * @host: the engine whose host's files are listed
 * @suffixes: (nullable): the file name endings shown, without the dot; %NULL for all
 *
 * Returns: (transfer none): the window, shown once a folder is opened
 */
HangarRemoteFileChooser *
hangar_remote_file_chooser_new (GtkWindow          *parent,
                                HangarDBusHost1    *host,
                                const char         *title,
                                const char * const *suffixes)
{
  HangarRemoteFileChooser *self;
  const char *host_name;

  g_return_val_if_fail (HANGAR_DBUS_IS_HOST1 (host), NULL);

  self = g_object_new (HANGAR_TYPE_REMOTE_FILE_CHOOSER, "transient-for", parent, NULL);
  self->host = g_object_ref (host);
  self->suffixes = g_strdupv ((char **) suffixes);
  host_name = hangar_dbus_host1_get_hostname (host);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  if (host_name != NULL && host_name[0] != '\0')
    {
      /* Translators: %s is the remote host's name; the files listed are there. */
      g_autofree char *on = g_strdup_printf (_("On %s"), host_name);

      adw_window_title_set_subtitle (self->window_title, on);
    }
  return self;
}

/**
 * hangar_remote_file_chooser_open:
 * @path: a folder, or a file whose folder is shown with it selected; "" for the home
 *   folder of the engine's user
 *
 * Lists the folder and shows the window.
 */
void
hangar_remote_file_chooser_open (HangarRemoteFileChooser *self,
                                 const char              *path)
{
  g_autofree char *folder = NULL;

  g_return_if_fail (HANGAR_IS_REMOTE_FILE_CHOOSER (self));

  g_clear_pointer (&self->select_name, g_free);
  if (path != NULL && path[0] == '/' && !g_str_has_suffix (path, "/"))
    {
      /* A file's folder, the file selected; a folder given so is shown with it selected
       * in its parent, which is as good a start. */
      folder = g_path_get_dirname (path);
      self->select_name = g_path_get_basename (path);
    }
  else
    folder = g_strdup (path != NULL ? path : "");
  list_folder (self, folder);
  gtk_window_present (GTK_WINDOW (self));
}

/* The folder listed, canonical; NULL before the first answer. */
const char *
hangar_remote_file_chooser_get_folder (HangarRemoteFileChooser *self)
{
  g_return_val_if_fail (HANGAR_IS_REMOTE_FILE_CHOOSER (self), NULL);

  return self->folder;
}
