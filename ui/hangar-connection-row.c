/* hangar-connection-row.c: one connection in the window's list of connections
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The computer or remote host a HangarConnection reaches, and how the connection
 * stands, bound in the template through hangar-format.h's closures; the error
 * message is the tooltip (the window's page shows it in full when the row is
 * selected).
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include "hangar-connection.h"
#include "hangar-connection-row.h"
#include "hangar-format.h"

struct _HangarConnectionRow
{
  GtkListBoxRow     parent_instance;

  HangarConnection *connection;
};

G_DEFINE_FINAL_TYPE (HangarConnectionRow, hangar_connection_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hangar_connection_row_dispose (GObject *object)
{
  HangarConnectionRow *self = HANGAR_CONNECTION_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_CONNECTION_ROW);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (hangar_connection_row_parent_class)->dispose (object);
}

static void
hangar_connection_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HangarConnectionRow *self = HANGAR_CONNECTION_ROW (object);

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
hangar_connection_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HangarConnectionRow *self = HANGAR_CONNECTION_ROW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_connection_row_class_init (HangarConnectionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_connection_row_dispose;
  object_class->get_property = hangar_connection_row_get_property;
  object_class->set_property = hangar_connection_row_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         HANGAR_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hangarvm/Hangar/ui/hangar-connection-row.ui");
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_connection_title",
                                                G_CALLBACK (hangar_format_connection_title));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_connection_status",
                                                G_CALLBACK (hangar_format_connection_status));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_connection_icon",
                                                G_CALLBACK (hangar_format_connection_icon));
}

static void
hangar_connection_row_init (HangarConnectionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hangar_connection_row_new (HangarConnection *connection)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (connection), NULL);

  return g_object_new (HANGAR_TYPE_CONNECTION_ROW, "connection", connection, NULL);
}

/**
 * hangar_connection_row_get_connection:
 *
 * Returns: (transfer none): the connection shown
 */
HangarConnection *
hangar_connection_row_get_connection (HangarConnectionRow *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION_ROW (self), NULL);

  return self->connection;
}
