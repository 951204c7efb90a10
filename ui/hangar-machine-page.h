/* hangar-machine-page.h: one machine's page: console, details, performance
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-dbus.h"

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_MACHINE_PAGE (hangar_machine_page_get_type ())
G_DECLARE_FINAL_TYPE (HangarMachinePage, hangar_machine_page, HANGAR, MACHINE_PAGE, AdwBin)

GtkWidget          *hangar_machine_page_new            (void);
HangarDBusMachine1 *hangar_machine_page_get_machine    (HangarMachinePage  *self);
void                hangar_machine_page_set_machine    (HangarMachinePage  *self,
                                                        HangarDBusMachine1 *machine);
void                hangar_machine_page_set_connection (HangarMachinePage  *self,
                                                        HangarConnection   *connection);
void                hangar_machine_page_set_tab        (HangarMachinePage  *self,
                                                        const char         *tab);

G_END_DECLS
