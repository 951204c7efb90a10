/* hangar-performance-view.c: a machine's Performance tab
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Four graphs of one machine: CPU (the guest's vCPUs and QEMU's own threads),
 * memory (the guest's as its balloon reports it, QEMU's resident set), disk and
 * network I/O (bytes per second), with the newest figure of each line beside its
 * key, and the time shown chosen from 1 min, 10 min and 1 h.
 *
 * Data: an hour-long HangarStatsSeries of the machine, made when the machine is set.
 * The first time the view is mapped for that machine it asks the engine once for
 * the machine's history (GetStatisticsHistory), so the past hour draws at once;
 * meanwhile and afterwards each new sample of the machine's HangarMachineHistory
 * (which HangarConnection fills from the batched Statistics signal) is appended.
 * The series' ::changed redraws the graphs; nothing is polled.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-format.h"
#include "hangar-graph.h"
#include "hangar-machine-history.h"
#include "hangar-performance-view.h"
#include "hangar-stats-series.h"

struct _HangarPerformanceView
{
  GtkWidget             parent_instance;

  HangarDBusMachine1   *machine;
  HangarConnection     *connection;
  HangarMachineHistory *history;
  HangarStatsSeries    *series;
  GCancellable         *cancellable;   /* the history call of this machine */
  gboolean              fetched;
  guint                 span;

  /* Template widgets */
  GtkWidget            *scrolled_window;   /* the direct child, unparented in dispose */
  GtkToggleButton      *minute_button;
  GtkToggleButton      *ten_minutes_button;
  GtkToggleButton      *hour_button;
  HangarGraph          *cpu_graph;
  HangarGraph          *memory_graph;
  HangarGraph          *disk_graph;
  HangarGraph          *network_graph;
  GtkStack             *network_stack;
  GtkLabel             *network_unavailable_label;
  GtkLabel             *labels[HANGAR_MACHINE_STAT_N];
};

G_DEFINE_FINAL_TYPE (HangarPerformanceView, hangar_performance_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MACHINE,
  PROP_SPAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The unit of each HangarMachineStat, as hangar_format_statistic() takes it. */
static const HangarGraphUnit stat_units[HANGAR_MACHINE_STAT_N] = {
  HANGAR_GRAPH_UNIT_PERCENT, HANGAR_GRAPH_UNIT_PERCENT,
  HANGAR_GRAPH_UNIT_BYTES, HANGAR_GRAPH_UNIT_BYTES,
  HANGAR_GRAPH_UNIT_BYTES_PER_SECOND, HANGAR_GRAPH_UNIT_BYTES_PER_SECOND,
  HANGAR_GRAPH_UNIT_BYTES_PER_SECOND, HANGAR_GRAPH_UNIT_BYTES_PER_SECOND,
};

static void
update_figures (HangarPerformanceView *self)
{
  const char *unavailable = NULL;
  gboolean has_network = FALSE;

  for (guint i = 0; i < HANGAR_MACHINE_STAT_N; i++)
    {
      double value = self->series != NULL ? hangar_stats_series_get_last (self->series, i) : NAN;
      g_autofree char *text = hangar_format_statistic (NULL, value, stat_units[i]);

      gtk_label_set_label (self->labels[i], text);
    }

  /* Network figures come from the guest agent: without it, say so instead of a flat line. */
  if (self->series != NULL)
    for (guint i = 0; i < hangar_stats_series_get_n_samples (self->series) && !has_network; i++)
      has_network = !isnan (hangar_stats_series_get_value (self->series, i,
                                                           HANGAR_MACHINE_STAT_NET_RX));
  if (self->history != NULL)
    unavailable = hangar_machine_history_get_nics_unavailable (self->history);
  if (!has_network && unavailable != NULL)
    {
      g_autofree char *text = hangar_format_network_unavailable (NULL, unavailable);

      gtk_label_set_label (self->network_unavailable_label, text);
      gtk_stack_set_visible_child_name (self->network_stack, "unavailable");
    }
  else
    gtk_stack_set_visible_child_name (self->network_stack, "graph");
}

static void
on_sample_added (HangarPerformanceView *self,
                 gint64                 timestamp,
                 HangarMachineHistory  *history)
{
  const double *values = hangar_machine_history_get_last_values (history, NULL);

  hangar_stats_series_append (self->series, timestamp, values);
  update_figures (self);
}

static void
on_history (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HangarPerformanceView) self = user_data;
  g_autoptr(GVariant) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) columns = NULL;

  if (!hangar_dbus_host1_call_get_statistics_history_finish (HANGAR_DBUS_HOST1 (source), &history,
                                                             result, &error))
    {
      /* The graphs start from now instead: nothing for the person to do. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the machine's statistics history: %s", error->message);
      return;
    }
  if (self->series == NULL || g_variant_n_children (history) == 0)
    return;
  g_variant_get_child (history, 0, "(&s@a{sv})", NULL, &columns);
  hangar_stats_series_merge_history (self->series, columns);
  update_figures (self);
}

/* One call for the machine's past hour, the first time the tab shows it. */
static void
fetch_history (HangarPerformanceView *self)
{
  HangarDBusHost1 *host;
  const char *uuids[2] = { NULL, NULL };

  if (self->fetched || self->machine == NULL || self->connection == NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  host = hangar_connection_get_host (self->connection);
  if (host == NULL)
    return;

  self->fetched = TRUE;
  uuids[0] = hangar_dbus_machine1_get_uuid (self->machine);
  hangar_dbus_host1_call_get_statistics_history (host, uuids, 0, self->cancellable, on_history,
                                                 g_object_ref (self));
}

static void
on_span_toggled (HangarPerformanceView *self,
                 GtkToggleButton       *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->hour_button)
    hangar_performance_view_set_span (self, 3600);
  else if (button == self->ten_minutes_button)
    hangar_performance_view_set_span (self, 600);
  else
    hangar_performance_view_set_span (self, 60);
}

static void
hangar_performance_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hangar_performance_view_parent_class)->map (widget);

  fetch_history (HANGAR_PERFORMANCE_VIEW (widget));
}

static void
hangar_performance_view_dispose (GObject *object)
{
  HangarPerformanceView *self = HANGAR_PERFORMANCE_VIEW (object);

  hangar_performance_view_set_machine (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_PERFORMANCE_VIEW);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (hangar_performance_view_parent_class)->dispose (object);
}

static void
hangar_performance_view_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HangarPerformanceView *self = HANGAR_PERFORMANCE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;

    case PROP_SPAN:
      g_value_set_uint (value, self->span);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_performance_view_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  HangarPerformanceView *self = HANGAR_PERFORMANCE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      hangar_performance_view_set_machine (self, g_value_get_object (value));
      break;

    case PROP_SPAN:
      hangar_performance_view_set_span (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_performance_view_class_init (HangarPerformanceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const label_names[HANGAR_MACHINE_STAT_N] = {
    "cpu_guest_label", "cpu_overhead_label", "memory_rss_label", "memory_guest_label",
    "disk_read_label", "disk_write_label", "net_rx_label", "net_tx_label",
  };

  object_class->dispose = hangar_performance_view_dispose;
  object_class->get_property = hangar_performance_view_get_property;
  object_class->set_property = hangar_performance_view_set_property;
  widget_class->map = hangar_performance_view_map;

  /**
   * HangarPerformanceView:machine:
   *
   * The #HangarDBusMachine1 shown. Typed #GObject so that a lookup binds to it.
   */
  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL,
                         G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarPerformanceView:span:
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
                                               "/ui/hangar-performance-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarPerformanceView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, HangarPerformanceView, minute_button);
  gtk_widget_class_bind_template_child (widget_class, HangarPerformanceView, ten_minutes_button);
  gtk_widget_class_bind_template_child (widget_class, HangarPerformanceView, hour_button);
  gtk_widget_class_bind_template_child (widget_class, HangarPerformanceView, cpu_graph);
  gtk_widget_class_bind_template_child (widget_class, HangarPerformanceView, memory_graph);
  gtk_widget_class_bind_template_child (widget_class, HangarPerformanceView, disk_graph);
  gtk_widget_class_bind_template_child (widget_class, HangarPerformanceView, network_graph);
  gtk_widget_class_bind_template_child (widget_class, HangarPerformanceView, network_stack);
  gtk_widget_class_bind_template_child (widget_class, HangarPerformanceView,
                                        network_unavailable_label);
  for (guint i = 0; i < HANGAR_MACHINE_STAT_N; i++)
    gtk_widget_class_bind_template_child_full (widget_class, label_names[i], FALSE,
                                               G_STRUCT_OFFSET (HangarPerformanceView, labels) +
                                               i * sizeof (GtkLabel *));
  gtk_widget_class_bind_template_callback (widget_class, on_span_toggled);

  gtk_widget_class_set_css_name (widget_class, "performance-view");
}

static void
hangar_performance_view_init (HangarPerformanceView *self)
{
  self->span = 60;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_toggle_button_set_active (self->minute_button, TRUE);
}

GtkWidget *
hangar_performance_view_new (void)
{
  return g_object_new (HANGAR_TYPE_PERFORMANCE_VIEW, NULL);
}

/**
 * hangar_performance_view_get_machine:
 *
 * Returns: (transfer none) (nullable): the machine shown
 */
HangarDBusMachine1 *
hangar_performance_view_get_machine (HangarPerformanceView *self)
{
  g_return_val_if_fail (HANGAR_IS_PERFORMANCE_VIEW (self), NULL);

  return self->machine;
}

/**
 * hangar_performance_view_set_machine:
 * @machine: (nullable): the machine to show
 *
 * Starts a new series for @machine: its history is asked for when the view shows.
 */
void
hangar_performance_view_set_machine (HangarPerformanceView *self,
                                     HangarDBusMachine1    *machine)
{
  HangarGraph *graphs[] = { self->cpu_graph, self->memory_graph, self->disk_graph,
                            self->network_graph };

  g_return_if_fail (HANGAR_IS_PERFORMANCE_VIEW (self));
  g_return_if_fail (machine == NULL || HANGAR_DBUS_IS_MACHINE1 (machine));

  if (self->machine == machine)
    return;

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, on_sample_added, self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->history);
  g_clear_object (&self->series);
  g_set_object (&self->machine, machine);
  self->fetched = FALSE;

  if (machine != NULL)
    {
      self->cancellable = g_cancellable_new ();
      self->series = hangar_stats_series_new (hangar_machine_stat_names);
      self->history = g_object_ref (hangar_machine_history_get_for (machine));
      g_signal_connect_object (self->history, "sample-added", G_CALLBACK (on_sample_added), self,
                               G_CONNECT_SWAPPED);
      /* Memory reads against what the machine is given. */
      g_object_set (self->memory_graph, "minimum-top",
                    (double) hangar_dbus_machine1_get_memory_kib (machine) * 1024, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (graphs); i++)
    if (graphs[i] != NULL)
      hangar_graph_set_series (graphs[i], self->series);
  if (self->labels[0] != NULL)
    update_figures (self);
  fetch_history (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MACHINE]);
}

/**
 * hangar_performance_view_set_connection:
 *
 * The engine @machine belongs to, asked for its history.
 */
void
hangar_performance_view_set_connection (HangarPerformanceView *self,
                                        HangarConnection      *connection)
{
  g_return_if_fail (HANGAR_IS_PERFORMANCE_VIEW (self));

  g_set_object (&self->connection, connection);
  fetch_history (self);
}

/**
 * hangar_performance_view_get_series:
 *
 * Returns: (transfer none) (nullable): the samples the graphs draw
 */
HangarStatsSeries *
hangar_performance_view_get_series (HangarPerformanceView *self)
{
  g_return_val_if_fail (HANGAR_IS_PERFORMANCE_VIEW (self), NULL);

  return self->series;
}

guint
hangar_performance_view_get_span (HangarPerformanceView *self)
{
  g_return_val_if_fail (HANGAR_IS_PERFORMANCE_VIEW (self), 0);

  return self->span;
}

/**
 * hangar_performance_view_set_span:
 * @seconds: 60, 600 or 3600
 */
void
hangar_performance_view_set_span (HangarPerformanceView *self,
                                  guint                  seconds)
{
  g_return_if_fail (HANGAR_IS_PERFORMANCE_VIEW (self));

  if (self->span == seconds)
    return;
  self->span = seconds;
  gtk_toggle_button_set_active (seconds >= 3600 ? self->hour_button
                                : seconds >= 600 ? self->ten_minutes_button
                                : self->minute_button, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPAN]);
}
