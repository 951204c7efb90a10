/* hangar-sparkline.h: a small graph of a machine's recent CPU use
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hangar-machine-history.h"
#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_SPARKLINE (hangar_sparkline_get_type ())
G_DECLARE_FINAL_TYPE (HangarSparkline, hangar_sparkline, HANGAR, SPARKLINE, GtkWidget)

GtkWidget            *hangar_sparkline_new         (void);
HangarMachineHistory *hangar_sparkline_get_history (HangarSparkline      *self);
void                  hangar_sparkline_set_history (HangarSparkline      *self,
                                                    HangarMachineHistory *history);
void                  hangar_sparkline_set_metric  (HangarSparkline      *self,
                                                    HangarSparklineMetric metric);
const char           *hangar_sparkline_get_figure  (HangarSparkline      *self);

G_END_DECLS
