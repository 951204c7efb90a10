/* hangar-window-connections.c: the window's list of connections
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The window's own (local) connection first, then the application's remote hosts,
 * one GtkFlattenListModel bound to the sidebar's list box; the sidebar shows once
 * there is more than one. Selecting a row shows that connection's machines (and
 * connects it, if it has never been). win.add-connection opens the Add Connection
 * dialog; win.remove-connection forgets the remote host shown.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-application.h"
#include "hangar-connection.h"
#include "hangar-connection-dialog.h"
#include "hangar-connection-row.h"
#include "hangar-window-private.h"

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return hangar_connection_row_new (HANGAR_CONNECTION (item));
}

static gboolean
find_connection (HangarWindow     *self,
                 HangarConnection *connection,
                 guint            *position)
{
  guint n;

  if (self->connections == NULL)
    return FALSE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarConnection) item = g_list_model_get_item (G_LIST_MODEL (self->connections),
                                                                i);

      if (item == connection)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
update_actions (HangarWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-connection",
                                 self->connection != NULL &&
                                 hangar_connection_get_transport (self->connection) != NULL);
}

/* The row of the connection shown is the selected one. */
void
_hangar_window_connections_select (HangarWindow *self)
{
  guint position;

  update_actions (self);
  if (self->connection_list == NULL || !find_connection (self, self->connection, &position))
    return;
  gtk_list_box_select_row (self->connection_list,
                           gtk_list_box_get_row_at_index (self->connection_list, position));
}

static void
on_connections_changed (HangarWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));
  guint position;

  gtk_widget_set_visible (self->connection_sidebar, n > 1);

  /* The one shown was removed: show the local engine again. */
  if (!find_connection (self, self->connection, &position) && n > 0)
    {
      g_autoptr(HangarConnection) first = g_list_model_get_item (G_LIST_MODEL (self->connections),
                                                                 0);

      hangar_window_show_connection (self, first);
      return;
    }
  _hangar_window_connections_select (self);
}

static void
on_connection_row_selected (HangarWindow  *self,
                            GtkListBoxRow *row)
{
  HangarConnection *connection;

  if (row == NULL)
    return;
  connection = hangar_connection_row_get_connection (HANGAR_CONNECTION_ROW (row));
  /* Looking at a host that was not connected at start is asking for it. */
  if (hangar_connection_get_status (connection) == HANGAR_CONNECTION_STATUS_IDLE)
    hangar_connection_connect (connection);
  hangar_window_show_connection (self, connection);
}

void
_hangar_window_connections_init (HangarWindow      *self,
                                 HangarApplication *application)
{
  g_autoptr(GListStore) own = g_list_store_new (HANGAR_TYPE_CONNECTION);

  g_assert (self->connections == NULL);

  g_list_store_append (own, self->connection);
  self->connection_sources = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (self->connection_sources, own);
  g_list_store_append (self->connection_sources, hangar_application_get_remotes (application));
  self->connections =
    gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->connection_sources)));
  gtk_list_box_bind_model (self->connection_list, G_LIST_MODEL (self->connections),
                           create_row, NULL, NULL);
  g_signal_connect_object (self->connections, "items-changed",
                           G_CALLBACK (on_connections_changed), self, G_CONNECT_SWAPPED);
  on_connections_changed (self);
}

void
_hangar_window_connections_dispose (HangarWindow *self)
{
  if (self->connection_list != NULL)
    gtk_list_box_bind_model (self->connection_list, NULL, NULL, NULL, NULL);
  if (self->connections != NULL)
    g_signal_handlers_disconnect_by_data (self->connections, self);
  g_clear_object (&self->connections);
  g_clear_object (&self->connection_sources);
}

static void
add_connection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  gtk_window_present (GTK_WINDOW (hangar_connection_dialog_new (HANGAR_WINDOW (widget))));
}

static void
remove_connection_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);
  g_autoptr(HangarConnection) connection = NULL;
  g_autofree char *message = NULL;
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (self->connection == NULL || hangar_connection_get_transport (self->connection) == NULL ||
      !HANGAR_IS_APPLICATION (application))
    return;

  connection = g_object_ref (self->connection);
  /* Translators: %s is the host, as "user@host". */
  message = g_strdup_printf (_("Removed %s. Its machines go on running there."),
                             hangar_connection_get_title (connection));
  hangar_application_remove_remote (HANGAR_APPLICATION (application), connection);
  _hangar_window_add_toast (self, message);
}

void
_hangar_window_class_connections_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (HANGAR_TYPE_CONNECTION_ROW);

  gtk_widget_class_bind_template_callback (widget_class, on_connection_row_selected);
  gtk_widget_class_install_action (widget_class, "win.add-connection", NULL,
                                   add_connection_action);
  gtk_widget_class_install_action (widget_class, "win.remove-connection", NULL,
                                   remove_connection_action);
}
