/* hangar-vnc-connection.h: one VNC connection over a connected socket, without a toolkit
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Speaks RFB through libvncclient on an fd the caller already connected (from
 * Machine1.OpenConsole). The handshake runs in a worker thread; from then on
 * the socket is a source in the thread-default main context of the caller of
 * open_fd_async, and every signal is emitted there. See THREADS.txt.
 *
 * The screen is kept as 32-bit pixels in memory order B, G, R, A with A = 0xff
 * (GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, CAIRO_FORMAT_ARGB32 on a little-endian host).
 */
#pragma once

#include <gio/gio.h>

#include "hangar-console-types.h"

G_BEGIN_DECLS

/* The largest screen accepted from a server: a side, and all pixels (256 MiB). */
#define HANGAR_VNC_MAX_SIDE   16384
#define HANGAR_VNC_MAX_PIXELS (8192 * 8192)

/* How long a server may stop in the middle of a message before the connection ends. */
#define HANGAR_VNC_READ_TIMEOUT_S 5

/* Pointer buttons as RFB numbers them (bit 0 the left button). */
typedef enum
{
  HANGAR_VNC_BUTTON_LEFT        = 1 << 0,
  HANGAR_VNC_BUTTON_MIDDLE      = 1 << 1,
  HANGAR_VNC_BUTTON_RIGHT       = 1 << 2,
  HANGAR_VNC_BUTTON_WHEEL_UP    = 1 << 3,
  HANGAR_VNC_BUTTON_WHEEL_DOWN  = 1 << 4,
  HANGAR_VNC_BUTTON_WHEEL_LEFT  = 1 << 5,
  HANGAR_VNC_BUTTON_WHEEL_RIGHT = 1 << 6,
} HangarVncButtons;

#define HANGAR_TYPE_VNC_CONNECTION (hangar_vnc_connection_get_type ())
G_DECLARE_FINAL_TYPE (HangarVncConnection, hangar_vnc_connection, HANGAR, VNC_CONNECTION, GObject)

HangarVncConnection *hangar_vnc_connection_new             (void);
void                 hangar_vnc_connection_open_fd_async   (HangarVncConnection  *self,
                                                            int                   fd,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean             hangar_vnc_connection_open_fd_finish  (HangarVncConnection  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void                 hangar_vnc_connection_close           (HangarVncConnection  *self);

gboolean             hangar_vnc_connection_is_open         (HangarVncConnection  *self);
const GError        *hangar_vnc_connection_get_error       (HangarVncConnection  *self);
const char          *hangar_vnc_connection_get_name        (HangarVncConnection  *self);
int                  hangar_vnc_connection_get_width       (HangarVncConnection  *self);
int                  hangar_vnc_connection_get_height      (HangarVncConnection  *self);
const guint8        *hangar_vnc_connection_get_pixels      (HangarVncConnection  *self,
                                                            gsize                *stride);
gboolean             hangar_vnc_connection_has_scancodes   (HangarVncConnection  *self);

gboolean             hangar_vnc_connection_send_key        (HangarVncConnection  *self,
                                                            guint32               keysym,
                                                            guint                 qnum,
                                                            gboolean              down);
gboolean             hangar_vnc_connection_send_pointer    (HangarVncConnection  *self,
                                                            int                   x,
                                                            int                   y,
                                                            HangarVncButtons      buttons);

G_END_DECLS
