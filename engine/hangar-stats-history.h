/* hangar-stats-history.h: the last hour of samples, as columns in a ring
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How long the engine remembers. */
#define HANGAR_STATS_HISTORY_SECONDS 3600

typedef struct _HangarStatsHistory HangarStatsHistory;

HangarStatsHistory *hangar_stats_history_new          (const char * const *columns,
                                                        guint               capacity);
void                hangar_stats_history_free         (HangarStatsHistory *self);
void                hangar_stats_history_set_capacity (HangarStatsHistory *self,
                                                        guint               capacity);
guint               hangar_stats_history_get_length   (HangarStatsHistory *self);
gsize               hangar_stats_history_get_bytes    (HangarStatsHistory *self);
void                hangar_stats_history_append       (HangarStatsHistory *self,
                                                        gint64              timestamp_us,
                                                        const double       *values);
GVariant           *hangar_stats_history_to_variant   (HangarStatsHistory *self,
                                                        guint               max_samples);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarStatsHistory, hangar_stats_history_free)

G_END_DECLS
