/* hangar-sparkline.c: a small graph of a machine's recent CPU, memory, disk or network use
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Draws one metric of a HangarMachineHistory (#HangarSparkline:metric, which the row
 * binds to the GSettings key sparkline-metric) as a line over a faint fill, newest
 * at the right edge, in the widget's CSS colour (style.css: sparkline). CPU is on a
 * 0–100 % scale that grows when a machine with several vCPUs uses more than one host
 * CPU; bytes and rates on a round top above the largest sample (at least 1 KiB, so
 * an idle disk stays flat). #HangarSparkline:figure is the newest sample in words,
 * for the label beside it. It holds no figures of its own and redraws when the
 * history changes.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-format.h"
#include "hangar-graph.h"
#include "hangar-machine-history.h"
#include "hangar-sparkline.h"

struct _HangarSparkline
{
  GtkWidget             parent_instance;

  HangarMachineHistory *history;
  GSignalGroup         *history_signals;
  HangarSparklineMetric metric;
  char                 *figure;
};

G_DEFINE_FINAL_TYPE (HangarSparkline, hangar_sparkline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_METRIC,
  PROP_FIGURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hangar_sparkline_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  HangarSparkline *self = HANGAR_SPARKLINE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int n_columns = width * gtk_widget_get_scale_factor (widget);
  g_autofree double *values = NULL;
  const double *samples;
  guint n_samples = 0;
  double top = 0;
  double step;
  GdkRGBA color, track;

  if (self->history == NULL || width <= 0 || height <= 0)
    return;
  samples = hangar_machine_history_get_samples (self->history, self->metric, &n_samples);
  if (n_samples == 0)
    return;

  for (guint i = 0; i < n_samples; i++)
    top = MAX (top, samples[i]);
  top = hangar_graph_nice_top (top, self->metric == HANGAR_SPARKLINE_METRIC_CPU
                                    ? HANGAR_GRAPH_UNIT_PERCENT : HANGAR_GRAPH_UNIT_BYTES, &step);

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);

  /* A faint track over the whole width: the graph fills it from the right as the
   * samples come, so a young history reads as such. */
  track = color;
  track.alpha *= 0.08f;
  gtk_snapshot_append_color (snapshot, &track, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* The last HANGAR_MACHINE_HISTORY_LENGTH samples span the width, newest at the right
   * edge; each device pixel column takes the line between its two samples. */
  values = g_new (double, n_columns);
  for (int c = 0; c < n_columns; c++)
    {
      double position = (double) c / MAX (n_columns - 1, 1) * (HANGAR_MACHINE_HISTORY_LENGTH - 1);
      double index = position - (HANGAR_MACHINE_HISTORY_LENGTH - n_samples);
      guint i;

      if (index < 0 && n_samples > 1)
        {
          values[c] = NAN;
          continue;
        }
      index = MAX (index, 0);
      i = MIN ((guint) index, n_samples - 1);
      values[c] = i + 1 < n_samples ? samples[i] + (samples[i + 1] - samples[i]) * (index - i)
                                    : samples[i];
    }
  hangar_graph_append_line (snapshot, values, n_columns,
                            &GRAPHENE_RECT_INIT (0, 1, width, height - 1), top, &color,
                            1.5f, 0.2f);
}

/* The newest sample in words, "" when there is none. */
static void
update_figure (HangarSparkline *self)
{
  static const HangarGraphUnit units[] = {
    HANGAR_GRAPH_UNIT_PERCENT, HANGAR_GRAPH_UNIT_BYTES,
    HANGAR_GRAPH_UNIT_BYTES_PER_SECOND, HANGAR_GRAPH_UNIT_BYTES_PER_SECOND,
  };
  g_autofree char *figure = NULL;
  const double *samples = NULL;
  guint n = 0;

  if (self->history != NULL)
    samples = hangar_machine_history_get_samples (self->history, self->metric, &n);
  figure = n > 0 ? hangar_format_statistic (NULL, samples[n - 1], units[self->metric])
                 : g_strdup ("");
  if (g_strcmp0 (figure, self->figure) != 0)
    {
      g_free (self->figure);
      self->figure = g_steal_pointer (&figure);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIGURE]);
    }
}

static void
on_history_changed (HangarSparkline *self)
{
  update_figure (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
hangar_sparkline_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 60 : 24;
}

static void
hangar_sparkline_dispose (GObject *object)
{
  HangarSparkline *self = HANGAR_SPARKLINE (object);

  if (self->history_signals != NULL)
    g_signal_group_set_target (self->history_signals, NULL);
  g_clear_object (&self->history_signals);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (hangar_sparkline_parent_class)->dispose (object);
}

static void
hangar_sparkline_finalize (GObject *object)
{
  HangarSparkline *self = HANGAR_SPARKLINE (object);

  g_clear_pointer (&self->figure, g_free);

  G_OBJECT_CLASS (hangar_sparkline_parent_class)->finalize (object);
}

static void
hangar_sparkline_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HangarSparkline *self = HANGAR_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    case PROP_METRIC:
      g_value_set_enum (value, self->metric);
      break;

    case PROP_FIGURE:
      g_value_set_string (value, self->figure != NULL ? self->figure : "");
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_sparkline_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HangarSparkline *self = HANGAR_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      hangar_sparkline_set_history (self, g_value_get_object (value));
      break;

    case PROP_METRIC:
      hangar_sparkline_set_metric (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_sparkline_class_init (HangarSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_sparkline_dispose;
  object_class->finalize = hangar_sparkline_finalize;
  object_class->get_property = hangar_sparkline_get_property;
  object_class->set_property = hangar_sparkline_set_property;
  widget_class->snapshot = hangar_sparkline_snapshot;
  widget_class->measure = hangar_sparkline_measure;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         HANGAR_TYPE_MACHINE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarSparkline:metric:
   *
   * What is drawn: CPU, memory, disk or network use.
   */
  properties[PROP_METRIC] =
    g_param_spec_enum ("metric", NULL, NULL,
                       HANGAR_TYPE_SPARKLINE_METRIC, HANGAR_SPARKLINE_METRIC_CPU,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarSparkline:figure:
   *
   * The newest sample of the metric in words ("12 %", "210 MiB", "3 KiB/s"), "" when
   * there is none.
   */
  properties[PROP_FIGURE] =
    g_param_spec_string ("figure", NULL, NULL,
                         "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hangar_sparkline_init (HangarSparkline *self)
{
  self->history_signals = g_signal_group_new (HANGAR_TYPE_MACHINE_HISTORY);
  g_signal_group_connect_swapped (self->history_signals, "changed",
                                  G_CALLBACK (on_history_changed), self);
  hangar_sparkline_set_metric (self, HANGAR_SPARKLINE_METRIC_CPU);
}

GtkWidget *
hangar_sparkline_new (void)
{
  return g_object_new (HANGAR_TYPE_SPARKLINE, NULL);
}

HangarMachineHistory *
hangar_sparkline_get_history (HangarSparkline *self)
{
  g_return_val_if_fail (HANGAR_IS_SPARKLINE (self), NULL);

  return self->history;
}

void
hangar_sparkline_set_history (HangarSparkline      *self,
                              HangarMachineHistory *history)
{
  g_return_if_fail (HANGAR_IS_SPARKLINE (self));
  g_return_if_fail (history == NULL || HANGAR_IS_MACHINE_HISTORY (history));

  if (!g_set_object (&self->history, history))
    return;
  g_signal_group_set_target (self->history_signals, history);
  on_history_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

void
hangar_sparkline_set_metric (HangarSparkline       *self,
                             HangarSparklineMetric  metric)
{
  static const char * const tooltips[] = {
    N_("Processor use over the last half minute"),
    N_("Memory of QEMU over the last half minute"),
    N_("Disk reads and writes over the last half minute"),
    N_("Network traffic over the last half minute"),
  };

  g_return_if_fail (HANGAR_IS_SPARKLINE (self));
  g_return_if_fail (metric < HANGAR_SPARKLINE_METRIC_N);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _(tooltips[metric]));
  if (self->metric == metric)
    return;
  self->metric = metric;
  on_history_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METRIC]);
}

const char *
hangar_sparkline_get_figure (HangarSparkline *self)
{
  g_return_val_if_fail (HANGAR_IS_SPARKLINE (self), NULL);

  return self->figure != NULL ? self->figure : "";
}
