/* hangar-window.c: the main window, listing an engine's machines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The window shows one HangarConnection: its machines, or why there are none. Which
 * page shows and what every label says is bound in the template; this file holds the
 * window's actions.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include "hangar-application.h"
#include "hangar-connection.h"
#include "hangar-format.h"
#include "hangar-machine-list.h"
#include "hangar-machine-row.h"
#include "hangar-window.h"

struct _HangarWindow
{
  AdwApplicationWindow  parent_instance;

  HangarConnection     *connection;

  /* Template widgets */
  GtkStack             *stack;
  GtkListView          *machine_view;
};

G_DEFINE_FINAL_TYPE (HangarWindow, hangar_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hangar_window_update_actions (HangarWindow *self)
{
  HangarConnectionStatus status = HANGAR_CONNECTION_STATUS_IDLE;

  if (self->connection != NULL)
    status = hangar_connection_get_status (self->connection);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reconnect",
                                 status == HANGAR_CONNECTION_STATUS_FAILED ||
                                 status == HANGAR_CONNECTION_STATUS_IDLE);
}

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  if (self->connection != NULL)
    hangar_connection_connect (self->connection);
}

static void
hangar_window_set_connection (HangarWindow     *self,
                              HangarConnection *connection)
{
  g_assert (self->connection == NULL);

  if (connection == NULL)
    return;

  self->connection = g_object_ref (connection);
  g_signal_connect_object (connection, "notify::status",
                           G_CALLBACK (hangar_window_update_actions), self, G_CONNECT_SWAPPED);
  hangar_window_update_actions (self);
}

static void
hangar_window_dispose (GObject *object)
{
  HangarWindow *self = HANGAR_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_WINDOW);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (hangar_window_parent_class)->dispose (object);
}

static void
hangar_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HangarWindow *self = HANGAR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HangarWindow *self = HANGAR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      hangar_window_set_connection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_window_class_init (HangarWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_window_dispose;
  object_class->get_property = hangar_window_get_property;
  object_class->set_property = hangar_window_set_property;

  /**
   * HangarWindow:connection:
   *
   * The engine whose machines the window shows.
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         HANGAR_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The template and its list item factory name these types. */
  g_type_ensure (HANGAR_TYPE_CONNECTION);
  g_type_ensure (HANGAR_TYPE_MACHINE_LIST);
  g_type_ensure (HANGAR_TYPE_MACHINE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               HANGAR_RESOURCE_PATH "/ui/hangar-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, machine_view);
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_window_page",
                                                G_CALLBACK (hangar_format_window_page));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_escape_markup",
                                                G_CALLBACK (hangar_format_escape_markup));

  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
hangar_window_init (HangarWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hangar_window_update_actions (self);
}

/**
 * hangar_window_new:
 * @connection: the engine to show
 */
HangarWindow *
hangar_window_new (HangarApplication *application,
                   HangarConnection  *connection)
{
  g_return_val_if_fail (HANGAR_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (HANGAR_IS_CONNECTION (connection), NULL);

  return g_object_new (HANGAR_TYPE_WINDOW,
                       "application", application,
                       "connection", connection,
                       NULL);
}

/**
 * hangar_window_get_connection:
 *
 * Returns: (transfer none): the connection shown
 */
HangarConnection *
hangar_window_get_connection (HangarWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_WINDOW (self), NULL);

  return self->connection;
}
