/* hangar-connection-dialog.c: the Add Connection dialog
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Asks for a remote host: "user@host", the SSH port, an optional identity file and
 * whether to connect at start. Add checks them (hangar_ssh_transport_check ()),
 * says inline what is wrong and keeps what was typed; when they are usable the
 * application saves the host and connects, and the window shows it.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-application.h"
#include "hangar-connection-dialog.h"
#include "hangar-window.h"

struct _HangarConnectionDialog
{
  AdwWindow             parent_instance;

  HangarWindow         *window;         /* weak */
  char                 *identity_file;  /* NULL: ssh's own keys */
  GtkNativeDialog      *chooser;

  /* Template widgets */
  AdwEntryRow          *destination_row;
  GtkSpinButton        *port_button;
  AdwActionRow         *identity_row;
  GtkWidget            *clear_identity_button;
  GtkSwitch            *at_start_switch;
  GtkLabel             *error_label;
};

G_DEFINE_FINAL_TYPE (HangarConnectionDialog, hangar_connection_dialog, ADW_TYPE_WINDOW)

static void
show_identity (HangarConnectionDialog *self)
{
  g_autofree char *name = self->identity_file != NULL ?
                          g_filename_display_name (self->identity_file) : NULL;

  adw_action_row_set_subtitle (self->identity_row,
                               name != NULL ? name : _("SSH’s own keys and agent"));
  gtk_widget_set_visible (self->clear_identity_button, self->identity_file != NULL);
}

static void
on_chooser_response (HangarConnectionDialog *self,
                     int                     response,
                     GtkNativeDialog        *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && g_file_peek_path (file) != NULL)
    {
      g_free (self->identity_file);
      self->identity_file = g_file_get_path (file);
      show_identity (self);
    }
  g_clear_object (&self->chooser);
}

static void
choose_identity_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  HangarConnectionDialog *self = HANGAR_CONNECTION_DIALOG (widget);
  g_autofree char *ssh_dir = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (ssh_dir);

  if (self->chooser != NULL)
    return;
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Choose an Identity File"),
                                                                  GTK_WINDOW (self),
                                                                  GTK_FILE_CHOOSER_ACTION_OPEN,
                                                                  _("_Choose"), _("_Cancel")));
  if (g_file_test (ssh_dir, G_FILE_TEST_IS_DIR))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
clear_identity_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  HangarConnectionDialog *self = HANGAR_CONNECTION_DIALOG (widget);

  g_clear_pointer (&self->identity_file, g_free);
  show_identity (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  HangarConnectionDialog *self = HANGAR_CONNECTION_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *destination = NULL;
  GtkApplication *application;
  HangarConnection *connection;

  if (self->window == NULL)
    return;
  application = gtk_window_get_application (GTK_WINDOW (self->window));
  g_return_if_fail (HANGAR_IS_APPLICATION (application));

  destination = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->destination_row))));
  connection = hangar_application_add_remote (HANGAR_APPLICATION (application), destination,
                                              gtk_spin_button_get_value_as_int (self->port_button),
                                              self->identity_file,
                                              gtk_switch_get_active (self->at_start_switch),
                                              &error);
  if (connection == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->destination_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->destination_row));
      return;
    }

  hangar_window_show_connection (self->window, connection);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_destination_changed (HangarConnectionDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->destination_row));

  gtk_widget_remove_css_class (GTK_WIDGET (self->destination_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.add", text[0] != '\0');
}

static void
on_destination_activated (HangarConnectionDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "dialog.add", NULL);
}

static void
hangar_connection_dialog_dispose (GObject *object)
{
  HangarConnectionDialog *self = HANGAR_CONNECTION_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_weak_pointer (&self->window);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_CONNECTION_DIALOG);

  G_OBJECT_CLASS (hangar_connection_dialog_parent_class)->dispose (object);
}

static void
hangar_connection_dialog_finalize (GObject *object)
{
  HangarConnectionDialog *self = HANGAR_CONNECTION_DIALOG (object);

  g_clear_pointer (&self->identity_file, g_free);

  G_OBJECT_CLASS (hangar_connection_dialog_parent_class)->finalize (object);
}

static void
hangar_connection_dialog_class_init (HangarConnectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_connection_dialog_dispose;
  object_class->finalize = hangar_connection_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hangarvm/Hangar/ui/hangar-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, destination_row);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, port_button);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, identity_row);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog,
                                        clear_identity_button);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, at_start_switch);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_destination_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_destination_activated);

  gtk_widget_class_install_action (widget_class, "dialog.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "dialog.choose-identity", NULL,
                                   choose_identity_action);
  gtk_widget_class_install_action (widget_class, "dialog.clear-identity", NULL,
                                   clear_identity_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hangar_connection_dialog_init (HangarConnectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  show_identity (self);
  on_destination_changed (self);
}

/**
 * hangar_connection_dialog_new:
 * @window: the window that shows the new connection
 */
GtkWidget *
hangar_connection_dialog_new (HangarWindow *window)
{
  HangarConnectionDialog *self;

  g_return_val_if_fail (HANGAR_IS_WINDOW (window), NULL);

  self = g_object_new (HANGAR_TYPE_CONNECTION_DIALOG,
                       "transient-for", window,
                       NULL);
  g_set_weak_pointer (&self->window, window);
  return GTK_WIDGET (self);
}
