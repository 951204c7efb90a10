/* hangar-details-view.h: a machine's hardware, seen and edited
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-dbus.h"
#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_DETAILS_VIEW (hangar_details_view_get_type ())
G_DECLARE_FINAL_TYPE (HangarDetailsView, hangar_details_view, HANGAR, DETAILS_VIEW, GtkWidget)

GtkWidget          *hangar_details_view_new            (void);
HangarDBusMachine1 *hangar_details_view_get_machine    (HangarDetailsView  *self);
void                hangar_details_view_set_machine    (HangarDetailsView  *self,
                                                        HangarDBusMachine1 *machine);
void                hangar_details_view_set_connection (HangarDetailsView  *self,
                                                        HangarConnection   *connection);
gboolean            hangar_details_view_select         (HangarDetailsView  *self,
                                                        const char         *key);
GtkWidget          *hangar_details_view_get_page       (HangarDetailsView  *self,
                                                        const char         *key);
gboolean            hangar_details_view_is_loaded      (HangarDetailsView  *self);

G_END_DECLS
