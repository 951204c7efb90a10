/* hangar-host-page.c: the host's performance: CPU and memory, all and the machines'
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Reached from the connection's header in the machine list (win.show-host), as a
 * page of the main window with a back button, like a machine's page. Two graphs
 * of the connection's host series (hangar_connection_get_host_series(), an hour,
 * filled from the engine's history and the Statistics signal): the host's CPU in
 * percent of all its CPUs with what all machines' QEMUs use on the same scale,
 * and its used memory with the machines' resident memory, against its total; the
 * load average under them; 1 min, 10 min or 1 h.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-format.h"
#include "hangar-graph.h"
#include "hangar-host-page.h"
#include "hangar-stats-series.h"

struct _HangarHostPage
{
  GtkWidget          parent_instance;

  HangarConnection  *connection;
  HangarStatsSeries *series;
  guint              span;

  /* Template widgets */
  GtkWidget         *box;
  AdwWindowTitle    *window_title;
  GtkToggleButton   *minute_button;
  GtkToggleButton   *ten_minutes_button;
  GtkToggleButton   *hour_button;
  HangarGraph       *cpu_graph;
  HangarGraph       *memory_graph;
  GtkLabel          *cpu_label;
  GtkLabel          *machines_cpu_label;
  GtkLabel          *memory_label;
  GtkLabel          *machines_memory_label;
  GtkLabel          *load_label;
};

G_DEFINE_FINAL_TYPE (HangarHostPage, hangar_host_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The machines' CPU comes in percent of one host CPU; the graph is of all of them. */
static double
host_cpus (HangarHostPage *self)
{
  HangarDBusHost1 *host = self->connection ? hangar_connection_get_host (self->connection) : NULL;
  guint cpus = host != NULL ? hangar_dbus_host1_get_host_cpus (host) : 0;

  return MAX (cpus, 1);
}

static void
set_figure (GtkLabel *label,
            double    value,
            guint     unit)
{
  g_autofree char *text = hangar_format_statistic (NULL, value, unit);

  gtk_label_set_label (label, text);
}

static void
update_figures (HangarHostPage *self)
{
  HangarStatsSeries *series = self->series;
  double load = series ? hangar_stats_series_get_last (series, HANGAR_HOST_STAT_LOAD) : NAN;
  g_autofree char *load_text = NULL;

  if (series == NULL)
    return;
  set_figure (self->cpu_label, hangar_stats_series_get_last (series, HANGAR_HOST_STAT_CPU), 0);
  set_figure (self->machines_cpu_label,
              hangar_stats_series_get_last (series, HANGAR_HOST_STAT_MACHINES_CPU) /
              host_cpus (self), 0);
  set_figure (self->memory_label,
              hangar_stats_series_get_last (series, HANGAR_HOST_STAT_MEMORY_USED), 1);
  set_figure (self->machines_memory_label,
              hangar_stats_series_get_last (series, HANGAR_HOST_STAT_MACHINES_MEMORY), 1);
  /* Translators: the host's 1-minute load average, e.g. "Load average: 1.25". */
  load_text = isnan (load) ? g_strdup ("") : g_strdup_printf (_("Load average: %.2f"), load);
  gtk_label_set_label (self->load_label, load_text);
}

static void
update_host (HangarHostPage *self)
{
  HangarDBusHost1 *host = self->connection ? hangar_connection_get_host (self->connection) : NULL;
  guint64 total = self->connection ? hangar_connection_get_host_memory_total (self->connection)
                                   : 0;

  adw_window_title_set_title (self->window_title,
                              host != NULL ? hangar_dbus_host1_get_hostname (host) : "");
  if (total == 0 && host != NULL)
    total = hangar_dbus_host1_get_host_memory_kib (host) * 1024;
  g_object_set (self->cpu_graph, "secondary-scale", 1 / host_cpus (self), NULL);
  g_object_set (self->memory_graph, "minimum-top", (double) total, NULL);
}

static void
on_span_toggled (HangarHostPage  *self,
                 GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  hangar_host_page_set_span (self, button == self->hour_button ? 3600
                                   : button == self->ten_minutes_button ? 600 : 60);
}

static void
hangar_host_page_dispose (GObject *object)
{
  HangarHostPage *self = HANGAR_HOST_PAGE (object);

  hangar_host_page_set_connection (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_HOST_PAGE);

  G_OBJECT_CLASS (hangar_host_page_parent_class)->dispose (object);
}

static void
hangar_host_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SPAN:
      g_value_set_uint (value, HANGAR_HOST_PAGE (object)->span);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_host_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_SPAN:
      hangar_host_page_set_span (HANGAR_HOST_PAGE (object), g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_host_page_class_init (HangarHostPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_host_page_dispose;
  object_class->get_property = hangar_host_page_get_property;
  object_class->set_property = hangar_host_page_set_property;

  /**
   * HangarHostPage:span:
   *
   * Seconds the graphs show: 60, 600 or 3600.
   */
  properties[PROP_SPAN] =
    g_param_spec_uint ("span", NULL, NULL,
                       60, 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HANGAR_TYPE_GRAPH);

  gtk_widget_class_set_template_from_resource (widget_class, HANGAR_RESOURCE_PATH
                                               "/ui/hangar-host-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, box);
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, minute_button);
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, ten_minutes_button);
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, hour_button);
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, cpu_graph);
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, memory_graph);
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, cpu_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, machines_cpu_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, memory_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, machines_memory_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostPage, load_label);
  gtk_widget_class_bind_template_callback (widget_class, on_span_toggled);
}

static void
hangar_host_page_init (HangarHostPage *self)
{
  self->span = 60;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_toggle_button_set_active (self->minute_button, TRUE);
}

GtkWidget *
hangar_host_page_new (void)
{
  return g_object_new (HANGAR_TYPE_HOST_PAGE, NULL);
}

/**
 * hangar_host_page_set_connection:
 * @connection: (nullable): whose host to show
 */
void
hangar_host_page_set_connection (HangarHostPage   *self,
                                 HangarConnection *connection)
{
  g_return_if_fail (HANGAR_IS_HOST_PAGE (self));

  if (self->connection == connection)
    return;
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  if (self->series != NULL)
    g_signal_handlers_disconnect_by_data (self->series, self);
  g_set_object (&self->connection, connection);
  g_clear_object (&self->series);
  if (connection != NULL)
    self->series = g_object_ref (hangar_connection_get_host_series (connection));
  if (connection != NULL)
    {
      g_signal_connect_object (connection, "notify::host", G_CALLBACK (update_host), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (connection, "notify::host-memory-total", G_CALLBACK (update_host),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->series, "changed", G_CALLBACK (update_figures), self,
                               G_CONNECT_SWAPPED);
    }
  if (self->cpu_graph != NULL)
    {
      hangar_graph_set_series (self->cpu_graph, self->series);
      hangar_graph_set_series (self->memory_graph, self->series);
      update_host (self);
      update_figures (self);
    }
}

guint
hangar_host_page_get_span (HangarHostPage *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_PAGE (self), 0);

  return self->span;
}

void
hangar_host_page_set_span (HangarHostPage *self,
                           guint           seconds)
{
  g_return_if_fail (HANGAR_IS_HOST_PAGE (self));

  if (self->span == seconds)
    return;
  self->span = seconds;
  gtk_toggle_button_set_active (seconds >= 3600 ? self->hour_button
                                : seconds >= 600 ? self->ten_minutes_button
                                : self->minute_button, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPAN]);
}
