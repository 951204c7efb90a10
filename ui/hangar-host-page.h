/* hangar-host-page.h: the host's performance: CPU and memory, all and the machines'
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_HOST_PAGE (hangar_host_page_get_type ())
G_DECLARE_FINAL_TYPE (HangarHostPage, hangar_host_page, HANGAR, HOST_PAGE, GtkWidget)

GtkWidget *hangar_host_page_new            (void);
void       hangar_host_page_set_connection (HangarHostPage   *self,
                                            HangarConnection *connection);
guint      hangar_host_page_get_span       (HangarHostPage   *self);
void       hangar_host_page_set_span       (HangarHostPage   *self,
                                            guint             seconds);

G_END_DECLS
