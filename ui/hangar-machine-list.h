/* hangar-machine-list.h: an engine's machines as a list model
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_MACHINE_LIST (hangar_machine_list_get_type ())
G_DECLARE_FINAL_TYPE (HangarMachineList, hangar_machine_list, HANGAR, MACHINE_LIST, GObject)

HangarMachineList  *hangar_machine_list_new         (void);
void                hangar_machine_list_set_manager (HangarMachineList  *self,
                                                     GDBusObjectManager *manager);
GDBusObjectManager *hangar_machine_list_get_manager (HangarMachineList  *self);

G_END_DECLS
