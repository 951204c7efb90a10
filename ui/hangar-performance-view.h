/* hangar-performance-view.h: a machine's Performance tab
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-dbus.h"

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_PERFORMANCE_VIEW (hangar_performance_view_get_type ())
G_DECLARE_FINAL_TYPE (HangarPerformanceView, hangar_performance_view, HANGAR, PERFORMANCE_VIEW,
                      GtkWidget)

GtkWidget          *hangar_performance_view_new            (void);
HangarDBusMachine1 *hangar_performance_view_get_machine    (HangarPerformanceView *self);
void                hangar_performance_view_set_machine    (HangarPerformanceView *self,
                                                            HangarDBusMachine1    *machine);
void                hangar_performance_view_set_connection (HangarPerformanceView *self,
                                                            HangarConnection      *connection);
HangarStatsSeries  *hangar_performance_view_get_series     (HangarPerformanceView *self);
guint               hangar_performance_view_get_span       (HangarPerformanceView *self);
void                hangar_performance_view_set_span       (HangarPerformanceView *self,
                                                            guint                  seconds);

G_END_DECLS
