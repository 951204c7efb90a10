/* hangar-spice-display.h: a guest's SPICE console as a widget
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-display.h"
#include "hangar-spice-connection.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_SPICE_DISPLAY (hangar_spice_display_get_type ())
G_DECLARE_FINAL_TYPE (HangarSpiceDisplay, hangar_spice_display, HANGAR, SPICE_DISPLAY,
                      HangarDisplay)

GtkWidget             *hangar_spice_display_new            (void);
void                   hangar_spice_display_set_fd_func    (HangarSpiceDisplay *self,
                                                            HangarSpiceFdFunc   func,
                                                            gpointer            user_data,
                                                            GDestroyNotify      destroy);
void                   hangar_spice_display_open_fd        (HangarSpiceDisplay *self,
                                                            int                 fd);
HangarSpiceConnection *hangar_spice_display_get_connection (HangarSpiceDisplay *self);

G_END_DECLS
