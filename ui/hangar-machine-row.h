/* hangar-machine-row.h: one machine in the machine list
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_MACHINE_ROW (hangar_machine_row_get_type ())
G_DECLARE_FINAL_TYPE (HangarMachineRow, hangar_machine_row, HANGAR, MACHINE_ROW, AdwBin)

GtkWidget *hangar_machine_row_new         (void);
GObject   *hangar_machine_row_get_machine (HangarMachineRow *self);
void       hangar_machine_row_set_machine (HangarMachineRow *self,
                                           GObject          *machine);

G_END_DECLS
