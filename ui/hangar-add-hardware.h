/* hangar-add-hardware.h: the Add Hardware dialog of the details pane
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_ADD_HARDWARE (hangar_add_hardware_get_type ())
G_DECLARE_FINAL_TYPE (HangarAddHardware, hangar_add_hardware, HANGAR, ADD_HARDWARE, AdwWindow)

G_END_DECLS
