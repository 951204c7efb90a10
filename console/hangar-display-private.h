/* hangar-display-private.h: what a display subclass, and the tests, call on the base
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-display.h"

G_BEGIN_DECLS

void _hangar_display_set_state       (HangarDisplay      *self,
                                      HangarDisplayState  state,
                                      const GError       *error);
void _hangar_display_set_framebuffer (HangarDisplay      *self,
                                      const guint8       *pixels,
                                      int                 width,
                                      int                 height,
                                      gsize               stride);
void _hangar_display_invalidate      (HangarDisplay      *self,
                                      int                 x,
                                      int                 y,
                                      int                 width,
                                      int                 height);
void _hangar_display_set_pad_unset  (HangarDisplay      *self,
                                      gboolean            pad_unset);
void _hangar_display_set_cursor      (HangarDisplay      *self,
                                      GdkTexture         *texture,
                                      int                 hot_x,
                                      int                 hot_y);
void _hangar_display_set_guest_pointer (HangarDisplay    *self,
                                        GdkTexture       *texture,
                                        int               hot_x,
                                        int               hot_y,
                                        int               x,
                                        int               y);

/* Where a guest screen of @guest_width × @guest_height pixels is drawn in a widget of
 * @widget_width × @widget_height, in the widget's (logical) pixels; whole device
 * pixels for @scale_factor. Empty when there is no screen. */
void hangar_display_compute_area     (HangarDisplayScale  scale,
                                      int                 widget_width,
                                      int                 widget_height,
                                      int                 guest_width,
                                      int                 guest_height,
                                      int                 scale_factor,
                                      graphene_rect_t    *area);

G_END_DECLS
