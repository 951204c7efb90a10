/* hangar-vnc-connection-private.h: shared by hangar-vnc-connection.c and hangar-vnc-client.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <rfb/rfbclient.h>

#include "hangar-vnc-connection.h"

G_BEGIN_DECLS

typedef enum
{
  STATE_NEW,
  STATE_OPENING,
  STATE_OPEN,
  STATE_CLOSED,
} ConnectionState;

struct _HangarVncConnection
{
  GObject          parent_instance;

  ConnectionState  state;
  gboolean         in_thread;  /* the handshake runs: the worker thread has the client */
  rfbClient       *client;     /* owned */
  int              fd;         /* owned by client once it exists */
  GSource         *watch;      /* the socket, while OPEN */
  GSource         *resume;     /* bytes libvncclient buffered, while OPEN */
  GError          *error;      /* why it ended; also set by callbacks while they run */
  char            *last_log;   /* libvncclient's last message about this connection */
  char            *name;
  gboolean         scancodes;
  gboolean         asked_scancodes;

  /* Recorded by libvncclient's callbacks, emitted after each message. */
  gboolean         resized;
  gboolean         damaged;
  int              damage_x1, damage_y1, damage_x2, damage_y2;
  GBytes          *cursor;
  int              cursor_width, cursor_height, cursor_hot_x, cursor_hot_y;
  guint            bells;
};

/* An error with libvncclient's last words about this connection as its detail. */
#define set_error_from_log(self, error, code, without_detail, with_detail)              \
  G_STMT_START {                                                                        \
    if ((self)->last_log != NULL)                                                       \
      g_set_error ((error), HANGAR_CONSOLE_ERROR, (code), (with_detail), (self)->last_log); \
    else                                                                                \
      g_set_error_literal ((error), HANGAR_CONSOLE_ERROR, (code), (without_detail));   \
  } G_STMT_END

rfbClient *_hangar_vnc_client_new                 (HangarVncConnection *self,
                                                   int                  fd);
void       _hangar_vnc_client_enter               (HangarVncConnection *self);
void       _hangar_vnc_client_install_log         (void);
gboolean   _hangar_vnc_send_format_and_encodings  (rfbClient           *client,
                                                   gboolean             scancodes);
void       _hangar_vnc_handshake_thread           (GTask               *task,
                                                   gpointer             source_object,
                                                   gpointer             task_data,
                                                   GCancellable        *cancellable);

G_END_DECLS
