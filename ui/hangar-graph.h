/* hangar-graph.h: a time series graph with axes
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

/**
 * HangarGraphUnit:
 * @HANGAR_GRAPH_UNIT_PERCENT: "%", from 0 to at least 100
 * @HANGAR_GRAPH_UNIT_BYTES: binary sizes, "512 MiB"
 * @HANGAR_GRAPH_UNIT_BYTES_PER_SECOND: "2 MiB/s"
 */
typedef enum
{
  HANGAR_GRAPH_UNIT_PERCENT,
  HANGAR_GRAPH_UNIT_BYTES,
  HANGAR_GRAPH_UNIT_BYTES_PER_SECOND,
} HangarGraphUnit;

#define HANGAR_TYPE_GRAPH_UNIT (hangar_graph_unit_get_type ())
GType hangar_graph_unit_get_type (void);

#define HANGAR_TYPE_GRAPH (hangar_graph_get_type ())
G_DECLARE_FINAL_TYPE (HangarGraph, hangar_graph, HANGAR, GRAPH, GtkWidget)

GtkWidget         *hangar_graph_new        (void);
HangarStatsSeries *hangar_graph_get_series (HangarGraph       *self);
void               hangar_graph_set_series (HangarGraph       *self,
                                            HangarStatsSeries *series);
void               hangar_graph_set_span   (HangarGraph       *self,
                                            guint              seconds);
guint              hangar_graph_get_span   (HangarGraph       *self);
double             hangar_graph_get_top    (HangarGraph       *self);
guint              hangar_graph_get_n_rebuilds (HangarGraph   *self);

/* Pure helpers, unit-tested. */
double             hangar_graph_nice_top   (double            max,
                                            HangarGraphUnit   unit,
                                            double           *step);
char              *hangar_graph_format_tick (double           value,
                                             HangarGraphUnit  unit,
                                             double           top);

void               hangar_graph_append_line (GtkSnapshot           *snapshot,
                                             const double          *values,
                                             int                    n_columns,
                                             const graphene_rect_t *plot,
                                             double                 top,
                                             const GdkRGBA         *color,
                                             float                  line,
                                             float                  fill_alpha);

G_END_DECLS
