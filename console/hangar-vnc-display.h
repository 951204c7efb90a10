/* hangar-vnc-display.h: a guest's VNC console as a widget
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-display.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_VNC_DISPLAY (hangar_vnc_display_get_type ())
G_DECLARE_FINAL_TYPE (HangarVncDisplay, hangar_vnc_display, HANGAR, VNC_DISPLAY, HangarDisplay)

GtkWidget           *hangar_vnc_display_new            (void);
void                 hangar_vnc_display_open_fd        (HangarVncDisplay *self,
                                                        int               fd);
HangarVncConnection *hangar_vnc_display_get_connection (HangarVncDisplay *self);

G_END_DECLS
