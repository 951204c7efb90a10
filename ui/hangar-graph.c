/* hangar-graph.c: a time series graph with axes
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Draws one or two columns of a HangarStatsSeries over the last @span seconds
 * (newest sample at the right edge), each as a line over a faint fill, with a
 * labelled value axis (unit from #HangarGraph:unit, a "nice" top that grows with the
 * data) and a time axis ("−30 s" … "now"). Colours: the accent colour and
 * libadwaita's orange, in their light or dark shades as AdwStyleManager says; axis
 * text and grid in the widget's own colour.
 *
 * Cheap by construction: the whole drawing is one GskRenderNode built from colour
 * nodes and text layouts, kept and appended as is on every snapshot; it is rebuilt
 * only when the series changes, the size, scale, span or style does
 * (#HangarGraph:n-rebuilds counts them). No Cairo. Data are bucketed per device
 * pixel column (the largest value of a bucket, so peaks show in the hour view),
 * gaps up to three sampling intervals are bridged, and runs of columns that would
 * draw the same rectangle are merged: a flat line is one node.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "hangar-graph.h"
#include "hangar-stats-series.h"

#define N_LINES 2

struct _HangarGraph
{
  GtkWidget          parent_instance;

  HangarStatsSeries *series;
  gulong             changed_id;
  guint              span;             /* seconds */
  HangarGraphUnit    unit;
  double             minimum_top;
  int                columns[N_LINES]; /* -1: none */
  double             scales[N_LINES];

  GskRenderNode     *node;             /* NULL: rebuild at the next snapshot */
  int                node_width;
  int                node_height;
  int                node_scale;
  double             top;
  guint              n_rebuilds;
  GdkRGBA            colors[N_LINES];
};

G_DEFINE_FINAL_TYPE (HangarGraph, hangar_graph, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (HangarGraphUnit, hangar_graph_unit,
  G_DEFINE_ENUM_VALUE (HANGAR_GRAPH_UNIT_PERCENT, "percent"),
  G_DEFINE_ENUM_VALUE (HANGAR_GRAPH_UNIT_BYTES, "bytes"),
  G_DEFINE_ENUM_VALUE (HANGAR_GRAPH_UNIT_BYTES_PER_SECOND, "bytes-per-second"))

enum {
  PROP_0,
  PROP_SERIES,
  PROP_SPAN,
  PROP_UNIT,
  PROP_MINIMUM_TOP,
  PROP_PRIMARY_COLUMN,
  PROP_SECONDARY_COLUMN,
  PROP_SECONDARY_SCALE,
  PROP_N_REBUILDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- pure helpers ----------------------------------------------------------------- */

/* The smallest of 1, 2, 5 × 10^n not below @x. */
static double
nice_step (double x)
{
  double magnitude = pow (10, floor (log10 (x)));

  if (x <= magnitude)
    return magnitude;
  if (x <= 2 * magnitude)
    return 2 * magnitude;
  if (x <= 5 * magnitude)
    return 5 * magnitude;
  return 10 * magnitude;
}

static double
binary_unit (double value)
{
  double unit = 1;

  for (int i = 0; i < 4 && value >= unit * 1024; i++)
    unit *= 1024;
  return unit;
}

/**
 * hangar_graph_nice_top:
 * @max: the largest value to show
 * @step: (out): the distance between two labelled ticks
 *
 * Returns: the top of the value axis: a few ticks of a round step, in the unit
 *   labels will use (percent: at least 100; bytes: at least 1 KiB)
 */
double
hangar_graph_nice_top (double           max,
                       HangarGraphUnit  unit,
                       double          *step)
{
  double base;

  if (unit == HANGAR_GRAPH_UNIT_PERCENT)
    {
      max = MAX (max, 100);
      *step = nice_step (max / 4);
      return ceil (max / *step - 1e-9) * *step;
    }

  max = MAX (max, 1024);
  for (;;)
    {
      double top;

      base = binary_unit (max);
      *step = nice_step (max / base / 4);
      top = ceil (max / base / *step - 1e-9) * *step * base;
      /* Labels take the top's unit: a top that crossed into the next unit is redone. */
      if (binary_unit (top) == base)
        {
          *step *= base;
          return top;
        }
      max = top;
    }
}

/**
 * hangar_graph_format_tick:
 * @top: the axis' top: every tick takes its unit
 *
 * Returns: a tick's label: "0", "50 %", "512 MiB", "1.5 KiB/s"
 */
char *
hangar_graph_format_tick (double           value,
                          HangarGraphUnit  unit,
                          double           top)
{
  char n[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean rate = unit == HANGAR_GRAPH_UNIT_BYTES_PER_SECOND;
  double base;

  if (value == 0)
    return g_strdup ("0");
  if (unit == HANGAR_GRAPH_UNIT_PERCENT)
    /* Translators: a tick of a graph's axis in percent. */
    return g_strdup_printf (_("%g %%"), value);

  base = binary_unit (top);
  g_snprintf (n, sizeof n, "%g", value / base);
  /* Translators: ticks of a graph's axis: sizes, and sizes per second. */
  if (base < 1024)
    return g_strdup_printf (rate ? _("%s B/s") : _("%s B"), n);
  if (base < 1024 * 1024)
    return g_strdup_printf (rate ? _("%s KiB/s") : _("%s KiB"), n);
  if (base < 1024 * 1024 * 1024)
    return g_strdup_printf (rate ? _("%s MiB/s") : _("%s MiB"), n);
  if (base < 1024.0 * 1024 * 1024 * 1024)
    return g_strdup_printf (rate ? _("%s GiB/s") : _("%s GiB"), n);
  return g_strdup_printf (rate ? _("%s TiB/s") : _("%s TiB"), n);
}

/* ---- drawing ---------------------------------------------------------------------- */

static void
invalidate (HangarGraph *self)
{
  g_clear_pointer (&self->node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_colors (HangarGraph *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (context, "accent_color", &self->colors[0]))
    gdk_rgba_parse (&self->colors[0], dark ? "#78aeed" : "#1c71d8");
  /* libadwaita's palette: orange 2 reads on dark, orange 4 on light. */
  if (!gtk_style_context_lookup_color (context, dark ? "orange_2" : "orange_4", &self->colors[1]))
    gdk_rgba_parse (&self->colors[1], dark ? "#ffa348" : "#e66100");
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static PangoLayout *
make_layout (HangarGraph *self,
             const char  *text,
             int         *width,
             int         *height)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  pango_layout_get_pixel_size (layout, width, height);
  return layout;
}

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             double         x,
             double         y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* The largest value of each column's time bucket, NaN for none; short gaps bridged. */
static double *
bucket (HangarGraph *self,
        int          column,
        double       scale,
        int          n_columns,
        gint64       right)
{
  double *values = g_new (double, n_columns);
  gint64 span_us = (gint64) self->span * G_USEC_PER_SEC;
  gint64 left = right - span_us;
  gint64 interval = hangar_stats_series_get_interval (self->series);
  guint n = hangar_stats_series_get_n_samples (self->series);
  int last_filled = -1;
  guint first;

  for (int i = 0; i < n_columns; i++)
    values[i] = NAN;

  /* From one sample before the left edge (it lands in column 0), so that the line
   * enters from the edge instead of starting inside. */
  first = hangar_stats_series_find (self->series, left);
  for (guint k = first > 0 ? first - 1 : 0; k < n; k++)
    {
      gint64 t = hangar_stats_series_get_timestamp (self->series, k);
      double v = hangar_stats_series_get_value (self->series, k, column) * scale;
      int c = (int) floor ((double) (t - left) / span_us * n_columns);

      if (isnan (v))
        continue;
      c = CLAMP (c, 0, n_columns - 1);
      if (isnan (values[c]) || v > values[c])
        values[c] = v;
    }

  /* Columns between two samples no more than three intervals apart: the line goes on. */
  for (int c = 0; c < n_columns; c++)
    {
      if (isnan (values[c]))
        continue;
      if (last_filled >= 0 && c - last_filled > 1 && interval > 0 &&
          (double) (c - last_filled) * span_us / n_columns <= 3.0 * interval)
        for (int k = last_filled + 1; k < c; k++)
          values[k] = values[last_filled] +
                      (values[c] - values[last_filled]) * (k - last_filled) / (c - last_filled);
      last_filled = c;
    }
  return values;
}

/* Appends a colour rectangle, or widens the previous one when it is the same row. */
typedef struct
{
  GtkSnapshot *snapshot;
  GdkRGBA      color;
  gboolean     open;
  float        x, y, width, height;
} RectRun;

static void
run_flush (RectRun *run)
{
  if (run->open)
    gtk_snapshot_append_color (run->snapshot, &run->color,
                               &GRAPHENE_RECT_INIT (run->x, run->y, run->width, run->height));
  run->open = FALSE;
}

static void
run_add (RectRun *run,
         float    x,
         float    y,
         float    width,
         float    height)
{
  if (run->open && fabsf (run->y - y) < 0.01f && fabsf (run->height - height) < 0.01f &&
      fabsf (run->x + run->width - x) < 0.01f)
    {
      run->width += width;
      return;
    }
  run_flush (run);
  *run = (RectRun) { run->snapshot, run->color, TRUE, x, y, width, height };
}

/**
 * hangar_graph_append_line:
 * @values: (array length=n_columns): one value a column, NaN for a gap
 * @plot: where column 0 starts and the last ends; the bottom is 0, the top @top
 * @fill_alpha: how much of @color the area under the line takes
 *
 * Appends a line of colour rectangles (one a column, joined half way to each
 * neighbour, runs of the same rectangle merged) over a faint fill, clipped at @top.
 * Also used by the list's sparklines.
 */
void
hangar_graph_append_line (GtkSnapshot           *snapshot,
                          const double          *values,
                          int                    n_columns,
                          const graphene_rect_t *plot,
                          double                 top,
                          const GdkRGBA         *color,
                          float                  line,
                          float                  fill_alpha)
{
  float column_width = plot->size.width / n_columns;
  RectRun fill = { snapshot, *color, FALSE, 0, 0, 0, 0 };
  RectRun stroke = { snapshot, *color, FALSE, 0, 0, 0, 0 };
  float bottom = plot->origin.y + plot->size.height;

  fill.color.alpha *= fill_alpha;
#define Y(v) (bottom - (float) (MIN ((v), top) / top) * plot->size.height)
  for (int c = 0; c < n_columns; c++)
    {
      float x = plot->origin.x + c * column_width;
      float y, from, to;

      if (isnan (values[c]))
        {
          run_flush (&fill);
          run_flush (&stroke);
          continue;
        }
      y = Y (values[c]);
      run_add (&fill, x, y, column_width, bottom - y);
      from = to = y;
      if (c > 0 && !isnan (values[c - 1]))
        {
          float previous = Y (values[c - 1]);

          /* Half way to the neighbour on each side: steps join without gaps. */
          from = MIN (y, (y + previous) / 2);
          to = MAX (y, (y + previous) / 2);
        }
      if (c + 1 < n_columns && !isnan (values[c + 1]))
        {
          float next = Y (values[c + 1]);

          from = MIN (from, (y + next) / 2);
          to = MAX (to, (y + next) / 2);
        }
      from = MAX (from - line / 2, plot->origin.y - line / 2);
      run_add (&stroke, x, from, column_width, to + line / 2 - from);
    }
#undef Y
  run_flush (&fill);
  run_flush (&stroke);
}

/* Ticks on the time axis: every 15 s of a minute, 2 min of ten, 15 min of an hour. */
static guint
time_step (guint span)
{
  if (span <= 60)
    return 15;
  if (span <= 600)
    return 120;
  return 900;
}

static char *
format_age (guint seconds)
{
  if (seconds == 0)
    /* Translators: the right end of a graph's time axis. */
    return g_strdup (_("now"));
  if (seconds < 60)
    /* Translators: a tick of a graph's time axis, seconds ago. */
    return g_strdup_printf (_("−%u s"), seconds);
  /* Translators: a tick of a graph's time axis, minutes ago. */
  return g_strdup_printf (_("−%u min"), seconds / 60);
}

static GskRenderNode *
build_node (HangarGraph *self,
            int          width,
            int          height,
            int          scale)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  GdkRGBA fg, text, grid;
  double max = 0, step;
  int label_width = 0, label_height = 0, w, h;
  graphene_rect_t plot;
  gint64 right = 0;
  int n_columns;
  guint tstep;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  text = fg;
  text.alpha *= 0.7f;
  grid = fg;
  grid.alpha *= 0.1f;

  /* The top follows the largest value in view. */
  if (self->series != NULL && hangar_stats_series_get_n_samples (self->series) > 0)
    {
      guint n = hangar_stats_series_get_n_samples (self->series);

      right = hangar_stats_series_get_last_timestamp (self->series);
      for (guint k = hangar_stats_series_find (self->series,
                                               right - (gint64) self->span * G_USEC_PER_SEC);
           k < n; k++)
        for (int l = 0; l < N_LINES; l++)
          if (self->columns[l] >= 0)
            {
              double v = hangar_stats_series_get_value (self->series, k, self->columns[l]) *
                         self->scales[l];

              if (!isnan (v))
                max = MAX (max, v);
            }
    }
  self->top = hangar_graph_nice_top (MAX (max, self->minimum_top), self->unit, &step);

  /* The value axis' labels, widest first, to size the left margin. */
  {
    g_autoptr(GPtrArray) layouts = g_ptr_array_new_with_free_func (g_object_unref);
    guint n_ticks = (guint) round (self->top / step);

    for (guint i = 0; i <= n_ticks; i++)
      {
        g_autofree char *label = hangar_graph_format_tick (i * step, self->unit, self->top);

        g_ptr_array_add (layouts, make_layout (self, label, &w, &h));
        label_width = MAX (label_width, w);
        label_height = MAX (label_height, h);
      }

    /* Room on the right for half of "now", so that it stays inside the card. */
    plot = GRAPHENE_RECT_INIT (label_width + 8, ceil (label_height / 2.0),
                               width - label_width - 8 - 8, 0);
    plot.size.height = height - plot.origin.y - label_height - 4;
    if (plot.size.width < 8 || plot.size.height < 8)
      return NULL;

    for (guint i = 0; i <= n_ticks; i++)
      {
        float y = plot.origin.y + plot.size.height - i * step / self->top * plot.size.height;

        y = roundf (y);
        gtk_snapshot_append_color (snapshot, &grid,
                                   &GRAPHENE_RECT_INIT (plot.origin.x, y, plot.size.width, 1));
        pango_layout_get_pixel_size (g_ptr_array_index (layouts, i), &w, &h);
        append_text (snapshot, g_ptr_array_index (layouts, i), plot.origin.x - 6 - w,
                     y - h / 2.0, &text);
      }
  }

  /* The time axis: ticks back from the right edge. */
  tstep = time_step (self->span);
  for (guint age = 0; age <= self->span; age += tstep)
    {
      float x = roundf (plot.origin.x + plot.size.width * (1 - (float) age / self->span));
      g_autofree char *label = format_age (age);
      g_autoptr(PangoLayout) layout = make_layout (self, label, &w, &h);
      double tx = CLAMP (x - w / 2.0, plot.origin.x, width - w - 4);

      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (MIN (x, plot.origin.x + plot.size.width - 1),
                                                      plot.origin.y, 1, plot.size.height));
      append_text (snapshot, layout, tx, plot.origin.y + plot.size.height + 3, &text);
    }

  /* The data: the second line under the first. */
  n_columns = (int) plot.size.width * scale;
  if (right != 0 && n_columns > 0)
    for (int l = N_LINES - 1; l >= 0; l--)
      if (self->columns[l] >= 0)
        {
          g_autofree double *values = bucket (self, self->columns[l], self->scales[l], n_columns,
                                              right);

          hangar_graph_append_line (snapshot, values, n_columns, &plot, self->top,
                                    &self->colors[l], 2.0f, 0.18f);
        }

  self->n_rebuilds++;
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
hangar_graph_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  HangarGraph *self = HANGAR_GRAPH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);

  if (width <= 0 || height <= 0)
    return;
  if (self->node != NULL &&
      (self->node_width != width || self->node_height != height || self->node_scale != scale))
    g_clear_pointer (&self->node, gsk_render_node_unref);
  if (self->node == NULL)
    {
      self->node = build_node (self, width, height, scale);
      self->node_width = width;
      self->node_height = height;
      self->node_scale = scale;
    }
  if (self->node != NULL)
    gtk_snapshot_append_node (snapshot, self->node);
}

static void
hangar_graph_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 100;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 300 : 140;
}

static void
hangar_graph_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  HangarGraph *self = HANGAR_GRAPH (widget);

  GTK_WIDGET_CLASS (hangar_graph_parent_class)->css_changed (widget, change);
  update_colors (self);
  invalidate (self);
}

static void
on_dark_changed (HangarGraph *self)
{
  update_colors (self);
  invalidate (self);
}

/* ---- the object ------------------------------------------------------------------- */

static void
hangar_graph_dispose (GObject *object)
{
  HangarGraph *self = HANGAR_GRAPH (object);

  hangar_graph_set_series (self, NULL);
  g_clear_pointer (&self->node, gsk_render_node_unref);

  G_OBJECT_CLASS (hangar_graph_parent_class)->dispose (object);
}

static void
hangar_graph_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HangarGraph *self = HANGAR_GRAPH (object);

  switch (prop_id)
    {
    case PROP_SERIES:
      g_value_set_object (value, self->series);
      break;

    case PROP_SPAN:
      g_value_set_uint (value, self->span);
      break;

    case PROP_UNIT:
      g_value_set_enum (value, self->unit);
      break;

    case PROP_MINIMUM_TOP:
      g_value_set_double (value, self->minimum_top);
      break;

    case PROP_PRIMARY_COLUMN:
      g_value_set_int (value, self->columns[0]);
      break;

    case PROP_SECONDARY_COLUMN:
      g_value_set_int (value, self->columns[1]);
      break;

    case PROP_SECONDARY_SCALE:
      g_value_set_double (value, self->scales[1]);
      break;

    case PROP_N_REBUILDS:
      g_value_set_uint (value, self->n_rebuilds);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_graph_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  HangarGraph *self = HANGAR_GRAPH (object);

  switch (prop_id)
    {
    case PROP_SERIES:
      hangar_graph_set_series (self, g_value_get_object (value));
      return;

    case PROP_SPAN:
      hangar_graph_set_span (self, g_value_get_uint (value));
      return;

    case PROP_UNIT:
      self->unit = g_value_get_enum (value);
      break;

    case PROP_MINIMUM_TOP:
      self->minimum_top = g_value_get_double (value);
      break;

    case PROP_PRIMARY_COLUMN:
      self->columns[0] = g_value_get_int (value);
      break;

    case PROP_SECONDARY_COLUMN:
      self->columns[1] = g_value_get_int (value);
      break;

    case PROP_SECONDARY_SCALE:
      self->scales[1] = g_value_get_double (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  invalidate (self);
  g_object_notify_by_pspec (object, pspec);
}

static void
hangar_graph_class_init (HangarGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_graph_dispose;
  object_class->get_property = hangar_graph_get_property;
  object_class->set_property = hangar_graph_set_property;
  widget_class->snapshot = hangar_graph_snapshot;
  widget_class->measure = hangar_graph_measure;
  widget_class->css_changed = hangar_graph_css_changed;

  properties[PROP_SERIES] =
    g_param_spec_object ("series", NULL, NULL,
                         HANGAR_TYPE_STATS_SERIES,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarGraph:span:
   *
   * Seconds shown, back from the newest sample.
   */
  properties[PROP_SPAN] =
    g_param_spec_uint ("span", NULL, NULL,
                       10, 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_UNIT] =
    g_param_spec_enum ("unit", NULL, NULL,
                       HANGAR_TYPE_GRAPH_UNIT, HANGAR_GRAPH_UNIT_PERCENT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarGraph:minimum-top:
   *
   * The value axis reaches at least this far (a machine's memory size, say).
   */
  properties[PROP_MINIMUM_TOP] =
    g_param_spec_double ("minimum-top", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarGraph:primary-column:
   *
   * The series' column drawn in the accent colour, on top; -1 for none.
   */
  properties[PROP_PRIMARY_COLUMN] =
    g_param_spec_int ("primary-column", NULL, NULL,
                      -1, 63, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarGraph:secondary-column:
   *
   * The column drawn in orange, beneath; -1 for none.
   */
  properties[PROP_SECONDARY_COLUMN] =
    g_param_spec_int ("secondary-column", NULL, NULL,
                      -1, 63, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarGraph:secondary-scale:
   *
   * What the secondary column is multiplied by before it is drawn (to put percent
   * of one CPU on a scale of all CPUs).
   */
  properties[PROP_SECONDARY_SCALE] =
    g_param_spec_double ("secondary-scale", NULL, NULL,
                         0, G_MAXDOUBLE, 1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarGraph:n-rebuilds:
   *
   * How many times the drawing was made anew (for tests and benchmarks).
   */
  properties[PROP_N_REBUILDS] =
    g_param_spec_uint ("n-rebuilds", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "graph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hangar_graph_init (HangarGraph *self)
{
  self->span = 60;
  self->columns[0] = self->columns[1] = -1;
  self->scales[0] = self->scales[1] = 1;
  self->top = 100;
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (invalidate), NULL);
}

GtkWidget *
hangar_graph_new (void)
{
  return g_object_new (HANGAR_TYPE_GRAPH, NULL);
}

/**
 * hangar_graph_get_series:
 *
 * Returns: (transfer none) (nullable): the series drawn
 */
HangarStatsSeries *
hangar_graph_get_series (HangarGraph *self)
{
  g_return_val_if_fail (HANGAR_IS_GRAPH (self), NULL);

  return self->series;
}

void
hangar_graph_set_series (HangarGraph       *self,
                         HangarStatsSeries *series)
{
  g_return_if_fail (HANGAR_IS_GRAPH (self));
  g_return_if_fail (series == NULL || HANGAR_IS_STATS_SERIES (series));

  if (self->series == series)
    return;
  if (self->series != NULL)
    g_clear_signal_handler (&self->changed_id, self->series);
  g_set_object (&self->series, series);
  if (series != NULL)
    self->changed_id = g_signal_connect_swapped (series, "changed", G_CALLBACK (invalidate), self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERIES]);
}

void
hangar_graph_set_span (HangarGraph *self,
                       guint        seconds)
{
  g_return_if_fail (HANGAR_IS_GRAPH (self));

  if (self->span == seconds)
    return;
  self->span = CLAMP (seconds, 10, 3600);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPAN]);
}

guint
hangar_graph_get_span (HangarGraph *self)
{
  g_return_val_if_fail (HANGAR_IS_GRAPH (self), 0);

  return self->span;
}

/**
 * hangar_graph_get_top:
 *
 * Returns: the value at the top of the value axis when last drawn
 */
double
hangar_graph_get_top (HangarGraph *self)
{
  g_return_val_if_fail (HANGAR_IS_GRAPH (self), 0);

  return self->top;
}

guint
hangar_graph_get_n_rebuilds (HangarGraph *self)
{
  g_return_val_if_fail (HANGAR_IS_GRAPH (self), 0);

  return self->n_rebuilds;
}
