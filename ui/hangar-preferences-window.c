/* hangar-preferences-window.c: the application's preferences
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each row is bound to its GSettings key (io.github.hangarvm.Hangar); a change
 * applies at once, as GNOME preferences do.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include "hangar-machine-history.h"
#include "hangar-preferences-window.h"

struct _HangarPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  GtkSpinButton        *interval_spin;
  GtkSwitch            *confirm_force_off_switch;
  GtkSwitch            *delete_disks_switch;
  AdwComboRow          *sparkline_row;
};

G_DEFINE_FINAL_TYPE (HangarPreferencesWindow, hangar_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

/* statistics-interval is in milliseconds; a person sets seconds. */
static gboolean
interval_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 1000.0);
  return TRUE;
}

static GVariant *
interval_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) * 1000 + 0.5));
}

/* sparkline-metric is an enum; the combo row's items are in its order. */
static gboolean
metric_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_autoptr(GEnumClass) metrics = g_type_class_ref (HANGAR_TYPE_SPARKLINE_METRIC);
  GEnumValue *metric = g_enum_get_value_by_nick (metrics, g_variant_get_string (variant, NULL));

  g_value_set_uint (value, metric != NULL ? (guint) metric->value : 0);
  return TRUE;
}

static GVariant *
metric_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  g_autoptr(GEnumClass) metrics = g_type_class_ref (HANGAR_TYPE_SPARKLINE_METRIC);
  GEnumValue *metric = g_enum_get_value (metrics, (int) g_value_get_uint (value));

  return metric != NULL ? g_variant_new_string (metric->value_nick) : NULL;
}

static void
hangar_preferences_window_dispose (GObject *object)
{
  HangarPreferencesWindow *self = HANGAR_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hangar_preferences_window_parent_class)->dispose (object);
}

static void
hangar_preferences_window_class_init (HangarPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               HANGAR_RESOURCE_PATH
                                               "/ui/hangar-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, HangarPreferencesWindow,
                                        confirm_force_off_switch);
  gtk_widget_class_bind_template_child (widget_class, HangarPreferencesWindow,
                                        delete_disks_switch);
  gtk_widget_class_bind_template_child (widget_class, HangarPreferencesWindow, sparkline_row);
}

static void
hangar_preferences_window_init (HangarPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind_with_mapping (self->settings, "statistics-interval",
                                self->interval_spin, "value", G_SETTINGS_BIND_DEFAULT,
                                interval_get_mapping, interval_set_mapping, NULL, NULL);
  g_settings_bind (self->settings, "confirm-force-off",
                   self->confirm_force_off_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "delete-disks-default",
                   self->delete_disks_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "sparkline-metric",
                                self->sparkline_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                metric_get_mapping, metric_set_mapping, NULL, NULL);
}

/**
 * hangar_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 */
GtkWidget *
hangar_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (HANGAR_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}
