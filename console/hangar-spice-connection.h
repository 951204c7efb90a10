/* hangar-spice-connection.h: a guest's SPICE console, without a toolkit
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-console-types.h"

G_BEGIN_DECLS

typedef enum
{
  HANGAR_SPICE_MOUSE_SERVER,   /* relative motion: the guest moves its own pointer */
  HANGAR_SPICE_MOUSE_CLIENT,   /* absolute positions: the guest has a tablet or the agent */
} HangarSpiceMouseMode;

#define HANGAR_TYPE_SPICE_MOUSE_MODE (hangar_spice_mouse_mode_get_type ())
GType hangar_spice_mouse_mode_get_type (void);

/* Buttons held, for pointer events. */
typedef enum
{
  HANGAR_SPICE_BUTTON_LEFT   = 1 << 0,
  HANGAR_SPICE_BUTTON_MIDDLE = 1 << 1,
  HANGAR_SPICE_BUTTON_RIGHT  = 1 << 2,
} HangarSpiceButtons;

/* The wheel and the buttons a press or release names. */
typedef enum
{
  HANGAR_SPICE_BUTTON_ID_LEFT = 1,
  HANGAR_SPICE_BUTTON_ID_MIDDLE,
  HANGAR_SPICE_BUTTON_ID_RIGHT,
  HANGAR_SPICE_BUTTON_ID_WHEEL_UP,
  HANGAR_SPICE_BUTTON_ID_WHEEL_DOWN,
  HANGAR_SPICE_BUTTON_ID_SIDE,
  HANGAR_SPICE_BUTTON_ID_EXTRA,
} HangarSpiceButtonId;

/**
 * HangarSpiceFdFunc:
 * @connection: the connection that needs another socket
 * @task: answer with g_task_return_int() and a new fd connected to the same SPICE
 *   server (Machine1.OpenConsole ("spice") again), which the connection takes, or
 *   with g_task_return_error(); its cancellable is cancelled when the connection ends
 * @user_data: as given to hangar_spice_connection_set_fd_func()
 *
 * SPICE opens one socket per channel (display, keyboard and pointer, cursor, …):
 * the first is the fd given to open, each further one is asked for with this.
 * It may be answered at once or later, from the connection's main context.
 */
typedef void (*HangarSpiceFdFunc) (HangarSpiceConnection *connection,
                                   GTask                 *task,
                                   gpointer               user_data);

#define HANGAR_TYPE_SPICE_CONNECTION (hangar_spice_connection_get_type ())
G_DECLARE_FINAL_TYPE (HangarSpiceConnection, hangar_spice_connection, HANGAR, SPICE_CONNECTION,
                      GObject)

HangarSpiceConnection *hangar_spice_connection_new                (void);
void                   hangar_spice_connection_set_fd_func        (HangarSpiceConnection  *self,
                                                                   HangarSpiceFdFunc       func,
                                                                   gpointer                user_data,
                                                                   GDestroyNotify          destroy);
void                   hangar_spice_connection_open_fd_async      (HangarSpiceConnection  *self,
                                                                   int                     fd,
                                                                   GCancellable           *cancellable,
                                                                   GAsyncReadyCallback     callback,
                                                                   gpointer                user_data);
gboolean               hangar_spice_connection_open_fd_finish     (HangarSpiceConnection  *self,
                                                                   GAsyncResult           *result,
                                                                   GError                **error);
void                   hangar_spice_connection_close              (HangarSpiceConnection  *self);
gboolean               hangar_spice_connection_is_open            (HangarSpiceConnection  *self);

const guint8          *hangar_spice_connection_get_pixels         (HangarSpiceConnection  *self,
                                                                   int                    *width,
                                                                   int                    *height,
                                                                   gsize                  *stride);
HangarSpiceMouseMode   hangar_spice_connection_get_mouse_mode     (HangarSpiceConnection  *self);
gboolean               hangar_spice_connection_get_agent_connected (HangarSpiceConnection *self);

void                   hangar_spice_connection_send_key           (HangarSpiceConnection  *self,
                                                                   guint                   qnum,
                                                                   gboolean                pressed);
void                   hangar_spice_connection_send_position      (HangarSpiceConnection  *self,
                                                                   int                     x,
                                                                   int                     y,
                                                                   HangarSpiceButtons      buttons);
void                   hangar_spice_connection_send_motion        (HangarSpiceConnection  *self,
                                                                   int                     dx,
                                                                   int                     dy,
                                                                   HangarSpiceButtons      buttons);
void                   hangar_spice_connection_send_button        (HangarSpiceConnection  *self,
                                                                   HangarSpiceButtonId     button,
                                                                   gboolean                pressed,
                                                                   HangarSpiceButtons      buttons);
void                   hangar_spice_connection_set_screen_size    (HangarSpiceConnection  *self,
                                                                   int                     width,
                                                                   int                     height);
void                   hangar_spice_connection_grab_clipboard     (HangarSpiceConnection  *self);
void                   hangar_spice_connection_release_clipboard  (HangarSpiceConnection  *self);
void                   hangar_spice_connection_send_clipboard_text (HangarSpiceConnection *self,
                                                                    const char            *text);

G_END_DECLS
