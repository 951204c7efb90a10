/* hangar-window-actions.c: the vm.* actions of the main window
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every action acts on the selected machine. Whether it can is decided in one place,
 * _hangar_window_update_actions (), which runs when the selection, the selected
 * machine's State or the connection's status changes. Engine calls are asynchronous
 * and cancelled with the window; their errors become toasts with the engine's words.
 *
 * Keys (also in resources/gtk/help-overlay.ui):
 *   Ctrl+O / Enter  Open        Ctrl+R        Run
 *   Ctrl+Shift+P    Pause or Resume
 *   Ctrl+Shift+S    Shut Down   Ctrl+Shift+R  Reboot
 *   Ctrl+Shift+F    Force Off   Delete        Delete
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-format.h"
#include "hangar-connection.h"
#include "hangar-machine-page.h"
#include "hangar-window-private.h"

/* Machine1.Delete's flag: also delete the disk images Hangar made and no other machine uses. */
#define DELETE_DISK_IMAGES 1u

typedef void     (*CallFunc)   (HangarDBusMachine1  *machine,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
typedef gboolean (*FinishFunc) (HangarDBusMachine1  *machine,
                                GAsyncResult        *result,
                                GError             **error);

typedef struct
{
  HangarWindow *window;
  char         *title;          /* what the person calls the machine */
  const char   *error_format;   /* "Could not … “%s”: %s", translated */
  FinishFunc    finish;
} CallData;

static void
call_data_free (CallData *data)
{
  g_clear_object (&data->window);
  g_clear_pointer (&data->title, g_free);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CallData, call_data_free)

static char *
machine_title (HangarDBusMachine1 *machine)
{
  return hangar_format_machine_title (NULL, hangar_dbus_machine1_get_name (machine),
                                      hangar_dbus_machine1_get_title (machine));
}

void
_hangar_window_add_toast (HangarWindow *self,
                          const char   *title)
{
  g_autofree char *markup = g_markup_escape_text (title, -1);
  AdwToast *toast = adw_toast_new (markup);

  adw_toast_set_timeout (toast, 8);
  /* The latest outcome matters most: it replaces one still on screen. */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_error (HangarWindow *self,
            const char   *format,
            const char   *title,
            GError       *error)
{
  g_autofree char *message = NULL;

  g_dbus_error_strip_remote_error (error);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  /* @format is one of this file's translated "Could not … “%s”: %s". */
  message = g_strdup_printf (format, title, error->message);
#pragma GCC diagnostic pop
  _hangar_window_add_toast (self, message);
}

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CallData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (data->finish (HANGAR_DBUS_MACHINE1 (source), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  show_error (data->window, data->error_format, data->title, error);
}

static void
call_machine_full (HangarWindow       *self,
                   HangarDBusMachine1 *machine,
                   CallFunc            call,
                   FinishFunc          finish,
                   const char         *error_format)
{
  CallData *data;

  if (machine == NULL)
    return;

  data = g_new0 (CallData, 1);
  data->window = g_object_ref (self);
  data->title = machine_title (machine);
  data->error_format = error_format;
  data->finish = finish;
  call (machine, self->cancellable, on_call_done, data);
}

/* Calls @call on the selected machine. */
static void
call_machine (HangarWindow *self,
              CallFunc      call,
              FinishFunc    finish,
              const char   *error_format)
{
  call_machine_full (self, _hangar_window_get_selected_machine (self), call, finish,
                     error_format);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  /* Translators: the first %s is a machine, the second what the engine said. */
  call_machine (HANGAR_WINDOW (widget), hangar_dbus_machine1_call_start,
                hangar_dbus_machine1_call_start_finish, _("Could not start “%s”: %s"));
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  call_machine (HANGAR_WINDOW (widget), hangar_dbus_machine1_call_pause,
                hangar_dbus_machine1_call_pause_finish, _("Could not pause “%s”: %s"));
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  call_machine (HANGAR_WINDOW (widget), hangar_dbus_machine1_call_resume,
                hangar_dbus_machine1_call_resume_finish, _("Could not resume “%s”: %s"));
}

/* One key for both: whichever the machine's state allows. */
static void
pause_or_resume_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  HangarDBusMachine1 *machine = _hangar_window_get_selected_machine (HANGAR_WINDOW (widget));

  if (machine == NULL)
    return;
  if (g_strcmp0 (hangar_dbus_machine1_get_state (machine), "paused") == 0)
    gtk_widget_activate_action (widget, "vm.resume", NULL);
  else
    gtk_widget_activate_action (widget, "vm.pause", NULL);
}

static void
shutdown_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  call_machine (HANGAR_WINDOW (widget), hangar_dbus_machine1_call_shutdown,
                hangar_dbus_machine1_call_shutdown_finish, _("Could not shut down “%s”: %s"));
}

static void
reboot_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  call_machine (HANGAR_WINDOW (widget), hangar_dbus_machine1_call_reboot,
                hangar_dbus_machine1_call_reboot_finish, _("Could not reboot “%s”: %s"));
}

static void
force_off (HangarWindow       *self,
           HangarDBusMachine1 *machine)
{
  call_machine_full (self, machine, hangar_dbus_machine1_call_force_off,
                     hangar_dbus_machine1_call_force_off_finish,
                     _("Could not force off “%s”: %s"));
}

static void
on_force_off_response (AdwMessageDialog *dialog,
                       const char       *response,
                       HangarWindow     *self)
{
  HangarDBusMachine1 *machine = g_object_get_data (G_OBJECT (dialog), "machine");

  /* The selection may have moved while the dialog showed: act on the machine asked about. */
  if (g_str_equal (response, "force-off"))
    force_off (self, machine);
}

static void
force_off_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);
  HangarDBusMachine1 *machine = _hangar_window_get_selected_machine (self);
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (machine == NULL)
    return;

  if (!g_settings_get_boolean (self->settings, "confirm-force-off"))
    {
      force_off (self, machine);
      return;
    }

  title = machine_title (machine);
  /* Translators: %s is a machine. */
  heading = g_strdup_printf (_("Force Off “%s”?"), title);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("The machine stops at once, as if unplugged. "
                                     "What the guest has not saved is lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "force-off", _("_Force Off"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "force-off",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "machine", g_object_ref (machine), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_force_off_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- delete ------------------------------------------------------------------- */

static char *
join_basenames (const char * const *paths)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    g_ptr_array_add (names, g_path_get_basename (paths[i]));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

/* Whether a machine other than @deleted lists @image among its disks. */
static gboolean
used_elsewhere (HangarWindow       *window,
                HangarDBusMachine1 *deleted,
                const char         *image)
{
  GListModel *machines = G_LIST_MODEL (hangar_connection_get_machines (
                                         hangar_window_get_connection (window)));
  const char *deleted_path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (deleted));

  for (guint i = 0; i < g_list_model_get_n_items (machines); i++)
    {
      g_autoptr(HangarDBusMachine1) machine = g_list_model_get_item (machines, i);
      const char * const *images = hangar_dbus_machine1_get_disk_images (machine);

      if (g_strcmp0 (g_dbus_proxy_get_object_path (G_DBUS_PROXY (machine)), deleted_path) != 0 &&
          images != NULL && g_strv_contains (images, image))
        return TRUE;
    }
  return FALSE;
}

/* Why the images Delete kept were kept: @shared, another machine uses them; @others,
 * Hangar did not make them for this machine (imported, given), or they are read-only or
 * shareable. Both NULL-free arrays of paths. */
static char *
kept_reasons (GPtrArray *shared,
              GPtrArray *others)
{
  g_autofree char *shared_text = NULL;
  g_autofree char *others_text = NULL;

  if (shared->len > 0)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (shared, NULL);
      names = join_basenames ((const char * const *) shared->pdata);
      /* Translators: %s is a list of disk image file names. */
      shared_text = g_strdup_printf (ngettext ("Kept %s: another machine uses it.",
                                               "Kept %s: other machines use them.",
                                               shared->len - 1), names);
    }
  if (others->len > 0)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (others, NULL);
      names = join_basenames ((const char * const *) others->pdata);
      /* Translators: %s is a list of disk image file names. */
      others_text = g_strdup_printf (ngettext ("Kept %s: Hangar deletes only images it "
                                               "created, never a shared or read-only one.",
                                               "Kept %s: Hangar deletes only images it "
                                               "created, never shared or read-only ones.",
                                               others->len - 1), names);
    }
  if (shared_text == NULL)
    return g_steal_pointer (&others_text);
  if (others_text == NULL)
    return g_steal_pointer (&shared_text);
  /* Translators: two sentences, each naming images kept and why. */
  return g_strdup_printf (_("%s %s"), shared_text, others_text);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CallData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) deleted = NULL;
  g_auto(GStrv) kept = NULL;
  g_autofree char *done = NULL;
  guint n_deleted;
  guint n_kept;

  if (!hangar_dbus_machine1_call_delete_finish (HANGAR_DBUS_MACHINE1 (source), &deleted, &kept,
                                                result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (data->window, data->error_format, data->title, error);
      return;
    }

  n_deleted = deleted != NULL ? g_strv_length (deleted) : 0;
  n_kept = kept != NULL ? g_strv_length (kept) : 0;

  if (n_deleted == 0)
    /* Translators: %s is a machine. */
    done = g_strdup_printf (_("Deleted “%s”."), data->title);
  else
    /* Translators: %s is a machine, %u how many of its disk images were deleted. */
    done = g_strdup_printf (ngettext ("Deleted “%s” and its disk image.",
                                      "Deleted “%s” and %u disk images.", n_deleted),
                            data->title, n_deleted);

  if (n_kept == 0)
    {
      _hangar_window_add_toast (data->window, done);
    }
  else
    {
      g_autoptr(GPtrArray) shared = g_ptr_array_new ();
      g_autoptr(GPtrArray) others = g_ptr_array_new ();
      g_autofree char *why = NULL;
      g_autofree char *message = NULL;

      for (guint i = 0; i < n_kept; i++)
        g_ptr_array_add (used_elsewhere (data->window, HANGAR_DBUS_MACHINE1 (source), kept[i])
                         ? shared : others, kept[i]);
      why = kept_reasons (shared, others);
      /* Translators: two sentences: what was deleted, then which images were kept. */
      message = g_strdup_printf (_("%s %s"), done, why);
      _hangar_window_add_toast (data->window, message);
    }
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    HangarWindow     *self)
{
  HangarDBusMachine1 *machine = g_object_get_data (G_OBJECT (dialog), "machine");
  GtkCheckButton *check = g_object_get_data (G_OBJECT (dialog), "delete-images");
  CallData *data;
  guint flags = 0;

  if (!g_str_equal (response, "delete"))
    return;

  if (check != NULL && gtk_check_button_get_active (check))
    flags |= DELETE_DISK_IMAGES;

  data = g_new0 (CallData, 1);
  data->window = g_object_ref (self);
  data->title = machine_title (machine);
  data->error_format = _("Could not delete “%s”: %s");
  hangar_dbus_machine1_call_delete (machine, flags, self->cancellable, on_deleted, data);
}

static GtkWidget *
disk_images_box (const char * const *images,
                 gboolean            delete_default,
                 GtkCheckButton    **check)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *button;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; images[i] != NULL; i++)
    {
      g_autofree char *name = g_path_get_basename (images[i]);
      g_autofree char *dir = g_path_get_dirname (images[i]);
      g_autofree char *name_markup = g_markup_escape_text (name, -1);
      g_autofree char *dir_markup = g_markup_escape_text (dir, -1);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name_markup);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dir_markup);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("drive-harddisk-symbolic"));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_box_append (GTK_BOX (box), list);

  button = gtk_check_button_new_with_mnemonic (_("Also delete _disk images"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (button), delete_default);
  gtk_widget_set_tooltip_text (button, _("Only images Hangar created, and that no other "
                                         "machine uses, are deleted."));
  gtk_widget_set_margin_top (button, 6);
  gtk_box_append (GTK_BOX (box), button);

  *check = GTK_CHECK_BUTTON (button);
  return box;
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);
  HangarDBusMachine1 *machine = _hangar_window_get_selected_machine (self);
  const char * const *images;
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (machine == NULL)
    return;

  title = machine_title (machine);
  images = hangar_dbus_machine1_get_disk_images (machine);
  /* Translators: %s is a machine. */
  heading = g_strdup_printf (_("Delete “%s”?"), title);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   images != NULL && images[0] != NULL
                                   ? _("Its definition is removed for good. Its disk images "
                                       "are kept unless you choose otherwise.")
                                   : _("Its definition is removed for good."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  if (images != NULL && images[0] != NULL)
    {
      GtkCheckButton *check = NULL;
      GtkWidget *box = disk_images_box (images,
                                        g_settings_get_boolean (self->settings,
                                                                "delete-disks-default"),
                                        &check);

      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
      g_object_set_data (G_OBJECT (dialog), "delete-images", check);
    }

  g_object_set_data_full (G_OBJECT (dialog), "machine", g_object_ref (machine), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- open ----------------------------------------------------------------------- */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);
  HangarDBusMachine1 *machine = _hangar_window_get_selected_machine (self);

  const char *state;

  if (machine == NULL)
    return;

  /* A running machine opens on its screen, a stopped one on what it is. */
  state = hangar_dbus_machine1_get_state (machine);
  _hangar_window_open_machine (self, machine,
                               g_strcmp0 (state, "running") == 0 ||
                               g_strcmp0 (state, "paused") == 0 ? "console" : "details");
}

/* Shows @machine's page, at @tab. */
void
_hangar_window_open_machine (HangarWindow       *self,
                             HangarDBusMachine1 *machine,
                             const char         *tab)
{
  HangarMachinePage *page = _hangar_window_get_details (self);
  GListModel *shown = G_LIST_MODEL (self->selection);
  guint n_items = g_list_model_get_n_items (shown);

  /* The vm.* actions act on the selected machine: select it, if the list shows it. */
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HangarDBusMachine1) item = g_list_model_get_item (shown, i);

      if (g_strcmp0 (g_dbus_proxy_get_object_path (G_DBUS_PROXY (item)),
                     g_dbus_proxy_get_object_path (G_DBUS_PROXY (machine))) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          break;
        }
    }

  hangar_machine_page_set_machine (page, machine);
  hangar_machine_page_set_tab (page, tab);
  gtk_stack_set_visible_child_name (self->main_stack, "details");
  /* Typing on the machine's page is not a search of the list. */
  gtk_search_bar_set_key_capture_widget (self->search_bar, NULL);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->main_stack, "list");
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->machine_view));
}

/* ---- enabling ------------------------------------------------------------------- */

void
_hangar_window_update_actions (HangarWindow *self)
{
  HangarDBusMachine1 *machine = NULL;
  const char *state = NULL;
  gboolean connected = FALSE;
  gboolean off;
  gboolean running;
  gboolean paused;
  gboolean has_qemu;

  if (self->connection != NULL)
    connected = hangar_connection_get_status (self->connection) ==
                HANGAR_CONNECTION_STATUS_CONNECTED;
  if (self->selection != NULL)
    machine = _hangar_window_get_selected_machine (self);
  if (connected && machine != NULL)
    state = hangar_dbus_machine1_get_state (machine);

  off = g_strcmp0 (state, "shut-off") == 0 || g_strcmp0 (state, "crashed") == 0;
  running = g_strcmp0 (state, "running") == 0;
  paused = g_strcmp0 (state, "paused") == 0;
  has_qemu = running || paused ||
             g_strcmp0 (state, "starting") == 0 || g_strcmp0 (state, "shutting-down") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reconnect",
                                 self->connection != NULL && !connected &&
                                 hangar_connection_get_status (self->connection) !=
                                 HANGAR_CONNECTION_STATUS_CONNECTING);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.disconnect",
                                 self->connection != NULL &&
                                 hangar_connection_get_status (self->connection) !=
                                 HANGAR_CONNECTION_STATUS_DISCONNECTED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-machine", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vm.open", connected && machine != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vm.run", off);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vm.pause", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vm.resume", paused);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vm.pause-or-resume", running || paused);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vm.shutdown", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vm.reboot", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vm.force-off", has_qemu);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vm.delete", off);

  /* One place in the header bar for Pause and Resume. */
  if (self->pause_button != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->pause_button), !paused);
      gtk_widget_set_visible (GTK_WIDGET (self->resume_button), paused);
    }
}

void
_hangar_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "vm.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "vm.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "vm.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "vm.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "vm.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "vm.pause-or-resume", NULL,
                                   pause_or_resume_action);
  gtk_widget_class_install_action (widget_class, "vm.shutdown", NULL, shutdown_action);
  gtk_widget_class_install_action (widget_class, "vm.reboot", NULL, reboot_action);
  gtk_widget_class_install_action (widget_class, "vm.force-off", NULL, force_off_action);
  gtk_widget_class_install_action (widget_class, "vm.delete", NULL, delete_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "vm.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "vm.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "vm.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "vm.pause-or-resume", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "vm.shutdown", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "vm.reboot", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "vm.force-off", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "vm.delete", NULL);
}
