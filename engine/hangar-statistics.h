/* hangar-statistics.h: sampling every running machine at one interval
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HANGAR_STATISTICS_MIN_INTERVAL 500
#define HANGAR_STATISTICS_MAX_INTERVAL 60000

#define HANGAR_TYPE_STATISTICS (hangar_statistics_get_type ())
G_DECLARE_FINAL_TYPE (HangarStatistics, hangar_statistics, HANGAR, STATISTICS, GObject)

HangarStatistics *hangar_statistics_new          (GPtrArray        *machines);
guint             hangar_statistics_get_interval (HangarStatistics *self);
gboolean          hangar_statistics_set_interval (HangarStatistics *self,
                                                  guint             interval_ms,
                                                  GError          **error);
void              hangar_statistics_machines_changed (HangarStatistics *self);
void              hangar_statistics_subscribe    (HangarStatistics *self,
                                                  const char       *name);
gboolean          hangar_statistics_unsubscribe  (HangarStatistics *self,
                                                  const char       *name,
                                                  gboolean          all);
guint             hangar_statistics_get_subscribers (HangarStatistics *self);
GVariant         *hangar_statistics_get_history  (HangarStatistics   *self,
                                                  const char * const *uuids,
                                                  guint               max_samples);

G_END_DECLS
