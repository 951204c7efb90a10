/* hangar-console-view.h: a machine's screen in the Console tab
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-dbus.h"

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_CONSOLE_VIEW (hangar_console_view_get_type ())
G_DECLARE_FINAL_TYPE (HangarConsoleView, hangar_console_view, HANGAR, CONSOLE_VIEW, GtkWidget)

HangarDBusMachine1 *hangar_console_view_get_machine (HangarConsoleView  *self);
void                hangar_console_view_set_machine (HangarConsoleView  *self,
                                                     HangarDBusMachine1 *machine);
GtkWidget          *hangar_console_view_get_display (HangarConsoleView  *self);
void                hangar_console_view_set_usb_host (HangarConsoleView *self,
                                                      HangarDBusHost1   *host);

G_END_DECLS
