/* hangar-display.h: the base of the guest display widgets, whatever the protocol
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hangar-console-types.h"

G_BEGIN_DECLS

typedef enum
{
  HANGAR_DISPLAY_CONNECTING,
  HANGAR_DISPLAY_CONNECTED,
  HANGAR_DISPLAY_DISCONNECTED,
} HangarDisplayState;

typedef enum
{
  HANGAR_DISPLAY_SCALE_FIT,         /* the whole screen in the widget, aspect kept */
  HANGAR_DISPLAY_SCALE_ONE_TO_ONE,  /* a guest pixel a device pixel; put it in a GtkScrolledWindow */
} HangarDisplayScale;

#define HANGAR_TYPE_DISPLAY_STATE (hangar_display_state_get_type ())
GType hangar_display_state_get_type (void);
#define HANGAR_TYPE_DISPLAY_SCALE (hangar_display_scale_get_type ())
GType hangar_display_scale_get_type (void);

#define HANGAR_TYPE_DISPLAY (hangar_display_get_type ())
G_DECLARE_DERIVABLE_TYPE (HangarDisplay, hangar_display, HANGAR, DISPLAY, GtkWidget)

/**
 * HangarDisplayClass:
 * @key_event: a key went down or up. @keyval is what GDK made of it here, @keycode
 *   the key's place as a Linux input code (KEY_A is 30), 0 when unknown.
 * @pointer_motion: the pointer is at (@x, @y) in guest pixels.
 * @pointer_button: a button (GDK numbering: 1 left, 2 middle, 3 right, 8 and 9 side)
 *   went down or up at (@x, @y).
 * @scroll: wheel steps at (@x, @y): positive @steps_y down, positive @steps_x right.
 * @close: end the connection; the base then shows the disconnected state.
 *
 * A subclass connects to its guest, calls _hangar_display_set_state() and feeds
 * the screen with _hangar_display_set_framebuffer() and _hangar_display_invalidate()
 * (hangar-display-private.h); the base draws, scales, grabs and turns events into
 * these calls, in guest coordinates, only while the state is connected.
 */
struct _HangarDisplayClass
{
  GtkWidgetClass parent_class;

  void (*key_event)      (HangarDisplay *self,
                          gboolean       pressed,
                          guint          keyval,
                          guint          keycode);
  void (*pointer_motion) (HangarDisplay *self,
                          int            x,
                          int            y);
  void (*pointer_button) (HangarDisplay *self,
                          int            x,
                          int            y,
                          guint          button,
                          gboolean       pressed);
  void (*scroll)         (HangarDisplay *self,
                          int            x,
                          int            y,
                          int            steps_x,
                          int            steps_y);
  void (*close)          (HangarDisplay *self);

  /*< private >*/
  gpointer padding[8];
};

HangarDisplayState  hangar_display_get_state             (HangarDisplay        *self);
const GError       *hangar_display_get_error             (HangarDisplay        *self);
int                 hangar_display_get_guest_width       (HangarDisplay        *self);
int                 hangar_display_get_guest_height      (HangarDisplay        *self);
HangarDisplayScale  hangar_display_get_scale             (HangarDisplay        *self);
void                hangar_display_set_scale             (HangarDisplay        *self,
                                                          HangarDisplayScale    scale);
gboolean            hangar_display_get_grabbed           (HangarDisplay        *self);
void                hangar_display_release_grab          (HangarDisplay        *self);
guint               hangar_display_get_frames_drawn      (HangarDisplay        *self);
gboolean            hangar_display_widget_to_guest       (HangarDisplay        *self,
                                                          double                x,
                                                          double                y,
                                                          int                  *guest_x,
                                                          int                  *guest_y);
void                hangar_display_send_keys             (HangarDisplay        *self,
                                                          const guint          *keyvals,
                                                          gsize                 n_keyvals);
GdkTexture         *hangar_display_get_screenshot        (HangarDisplay        *self);
void                hangar_display_save_screenshot_async (HangarDisplay        *self,
                                                          GFile                *file,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean            hangar_display_save_screenshot_finish (HangarDisplay       *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
void                hangar_display_close                 (HangarDisplay        *self);

G_END_DECLS
