/* hangar-window.h: the main window, listing an engine's machines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_WINDOW (hangar_window_get_type ())
G_DECLARE_FINAL_TYPE (HangarWindow, hangar_window, HANGAR, WINDOW, AdwApplicationWindow)

HangarWindow       *hangar_window_new            (HangarApplication *application,
                                                  HangarConnection  *connection);
HangarConnection   *hangar_window_get_connection (HangarWindow      *self);
void                hangar_window_show_connection (HangarWindow     *self,
                                                   HangarConnection *connection);
GtkSingleSelection *hangar_window_get_selection  (HangarWindow      *self);

G_END_DECLS
