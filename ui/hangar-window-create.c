/* hangar-window-create.c: the window's way to the create-VM wizard and back
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * win.new-machine (Ctrl+N, the header bar's +, the empty list's button) opens the
 * wizard for the window's connection. When it has made a machine, the window
 * opens that machine's page: its console when it started, its details when the
 * person asked to customize it first or it did not start (with why, in a toast).
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-create-wizard.h"
#include "hangar-machine-list.h"
#include "hangar-window-private.h"

static void
on_machine_created (HangarWindow *self,
                    const char   *path,
                    gboolean      started,
                    const char   *error_message,
                    gpointer      wizard)
{
  HangarMachineList *machines = hangar_connection_get_machines (self->connection);
  GDBusObjectManager *manager = hangar_machine_list_get_manager (machines);
  g_autoptr(GDBusInterface) machine = NULL;

  if (manager != NULL)
    machine = g_dbus_object_manager_get_interface (manager, path,
                                                   "io.github.hangarvm.Hangar.Machine1");
  if (error_message != NULL)
    _hangar_window_add_toast (self, error_message);
  if (machine == NULL)
    return;

  _hangar_window_open_machine (self, HANGAR_DBUS_MACHINE1 (machine),
                               started ? "console" : "details");
}

static void
new_machine_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);
  HangarCreateWizard *wizard;

  if (self->connection == NULL || hangar_connection_get_host (self->connection) == NULL)
    return;

  wizard = hangar_create_wizard_new (GTK_WINDOW (self), self->connection);
  g_signal_connect_object (wizard, "machine-created", G_CALLBACK (on_machine_created), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (wizard));
}

void
_hangar_window_class_create_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-machine", NULL, new_machine_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-machine", NULL);
}
