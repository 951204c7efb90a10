/* hangar-machine-row.c: one machine in the machine list
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Shows a HangarDBusMachine1: its title or name, its state in words and colour, and
 * what it is given. Every label is bound in the template to the proxy's properties
 * through the closures of hangar-format.h, so a row follows the engine live.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include "hangar-dbus.h"

#include "hangar-format.h"
#include "hangar-machine-history.h"
#include "hangar-machine-row.h"
#include "hangar-sparkline.h"

struct _HangarMachineRow
{
  AdwBin              parent_instance;

  HangarDBusMachine1   *machine;
  HangarMachineHistory *history;

  HangarSparkline      *sparkline;
};

G_DEFINE_FINAL_TYPE (HangarMachineRow, hangar_machine_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MACHINE,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hangar_machine_row_dispose (GObject *object)
{
  HangarMachineRow *self = HANGAR_MACHINE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_MACHINE_ROW);
  g_clear_object (&self->machine);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (hangar_machine_row_parent_class)->dispose (object);
}

static void
hangar_machine_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HangarMachineRow *self = HANGAR_MACHINE_ROW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;

    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_machine_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  HangarMachineRow *self = HANGAR_MACHINE_ROW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      hangar_machine_row_set_machine (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_machine_row_class_init (HangarMachineRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_machine_row_dispose;
  object_class->get_property = hangar_machine_row_get_property;
  object_class->set_property = hangar_machine_row_set_property;

  /**
   * HangarMachineRow:machine:
   *
   * The #HangarDBusMachine1 shown. Typed #GObject so that a list item's item
   * binds to it; anything else is refused.
   */
  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL,
                         G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarMachineRow:history:
   *
   * The machine's #HangarMachineHistory, which the CPU figure and graph show.
   */
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         HANGAR_TYPE_MACHINE_HISTORY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The template looks the machine's properties up by these types' names. */
  g_type_ensure (HANGAR_DBUS_TYPE_MACHINE1);
  g_type_ensure (HANGAR_TYPE_MACHINE_HISTORY);
  g_type_ensure (HANGAR_TYPE_SPARKLINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               HANGAR_RESOURCE_PATH "/ui/hangar-machine-row.ui");
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_machine_title",
                                                G_CALLBACK (hangar_format_machine_title));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_machine_subtitle",
                                                G_CALLBACK (hangar_format_machine_subtitle));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_has_text",
                                                G_CALLBACK (hangar_format_has_text));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_machine_state",
                                                G_CALLBACK (hangar_format_machine_state));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_state_classes",
                                                G_CALLBACK (hangar_format_state_classes));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_resources",
                                                G_CALLBACK (hangar_format_resources));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_state_reason",
                                                G_CALLBACK (hangar_format_state_reason));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_state_problem",
                                                G_CALLBACK (hangar_format_state_problem));
  gtk_widget_class_bind_template_callback_full (widget_class, "hangar_format_pending_changes",
                                                G_CALLBACK (hangar_format_pending_changes));
  gtk_widget_class_bind_template_child (widget_class, HangarMachineRow, sparkline);
}

static void
hangar_machine_row_init (HangarMachineRow *self)
{
  /* One settings object for every row: the graph shows what the preferences say. */
  static GSettings *settings;

  gtk_widget_init_template (GTK_WIDGET (self));

  if (settings == NULL)
    settings = g_settings_new (APP_ID);
  g_settings_bind (settings, "sparkline-metric", self->sparkline, "metric", G_SETTINGS_BIND_GET);
}

GtkWidget *
hangar_machine_row_new (void)
{
  return g_object_new (HANGAR_TYPE_MACHINE_ROW, NULL);
}

/**
 * hangar_machine_row_get_machine:
 *
 * Returns: (transfer none) (nullable): the #HangarDBusMachine1 shown
 */
GObject *
hangar_machine_row_get_machine (HangarMachineRow *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_ROW (self), NULL);

  return (GObject *) self->machine;
}

/**
 * hangar_machine_row_set_machine:
 * @machine: (nullable): a #HangarDBusMachine1
 */
void
hangar_machine_row_set_machine (HangarMachineRow *self,
                                GObject          *machine)
{
  g_return_if_fail (HANGAR_IS_MACHINE_ROW (self));
  g_return_if_fail (machine == NULL || HANGAR_DBUS_IS_MACHINE1 (machine));

  if (!g_set_object (&self->machine, (HangarDBusMachine1 *) machine))
    return;

  g_set_object (&self->history,
                (machine != NULL ? hangar_machine_history_get_for (self->machine) : NULL));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MACHINE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}
