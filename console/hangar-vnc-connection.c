/* hangar-vnc-connection.c: one VNC connection over a connected socket, without a toolkit
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libvncclient (LibVNCServer 0.9.14) does the protocol; this file decides when it
 * runs and what it may do:
 *
 * - rfbInitClient() is not used. It would announce ExtendedDesktopSize, which 0.9.14
 *   mishandles (it ignores QEMU's screen id 0, keeps the old size and then ends the
 *   connection on the next rectangle, "Rect too large", at the first guest mode
 *   change). The handshake is InitialiseRFBConnection(); the pixel format and the
 *   encodings are then written here, with DesktopSize for resizes instead.
 * - QEMU's extended key events are asked for only once the first update came. QEMU
 *   answers that encoding with a rectangle of its screen's current size while it
 *   reads SetEncodings, before it sends DesktopSize; after a guest mode change
 *   between ServerInit and SetEncodings that rectangle is larger than the screen
 *   libvncclient knows, and it ends the connection ("Rect too large"). Once an
 *   update came, QEMU knows the client follows resizes and sizes agree.
 * - The first update is asked for with a nudge: QEMU sends updates only from its
 *   refresh timer, which runs at once when a client connects (the engine's add_client,
 *   before this process has the fd), finds no request yet, and then backs off from
 *   30 to 80 ms; a client message of type 4 or more (not the handshake's pixel
 *   format, encodings or update request) sets it back to 30 ms from the last run.
 *   The nudge is a KeyEvent releasing Shift_L, which no server acts on when the key
 *   is not down (QEMU drops a release of a key it did not see pressed). Without it
 *   the first frame came 80–90 ms after the fd, or 20–30 ms when the timer happened
 *   to run after the request: the spread that was measured.
 * - The handshake blocks, so it runs in a worker thread; afterwards one message is
 *   handled at a time in the main context, only when the socket is readable or
 *   libvncclient still holds bytes of its own. See THREADS.txt.
 * - The screen's size is checked before any allocation: a 65535x65535 or a 0x0
 *   screen ends the connection with a named error instead of a 16 GiB malloc.
 * - Signals are never emitted from inside libvncclient: its callbacks only record,
 *   and what they recorded is emitted once the message has been handled, so a
 *   handler may close the connection.
 *
 * libvncclient's side (the rfbClient, its callbacks, its log, the handshake) is in
 * hangar-vnc-client.c; this file runs the connection: opening, messages, input.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <rfb/rfbclient.h>

#include "hangar-console-error.h"
#include "hangar-vnc-connection-private.h"

/* One dispatch handles messages for at most this long before the main loop runs. */
#define DISPATCH_BUDGET_US (8 * 1000)

G_DEFINE_FINAL_TYPE (HangarVncConnection, hangar_vnc_connection, G_TYPE_OBJECT)

enum {
  SIGNAL_RESIZED,
  SIGNAL_DAMAGED,
  SIGNAL_CURSOR_CHANGED,
  SIGNAL_BELL,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void     connection_end       (HangarVncConnection *self,
                                      GError              *error);
static void     end_on_write_error   (HangarVncConnection *self);
static gboolean on_socket_readable   (int                  fd,
                                      GIOCondition         condition,
                                      gpointer             user_data);

/* ---- opening ------------------------------------------------------------------- */

static void
free_client (rfbClient *client)
{
  g_clear_pointer (&client->frameBuffer, g_free);
  /* libvncclient's cleanup forgets the cursor it allocated. */
  g_clear_pointer (&client->rcSource, free);
  g_clear_pointer (&client->rcMask, free);
  rfbClientCleanup (client);   /* closes the socket and frees the client */
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  HangarVncConnection *self = user_data;

  /* Wakes the worker thread's read; it then ends the task. */
  shutdown (self->fd, SHUT_RDWR);
}

typedef struct
{
  GTask  *task;          /* the caller's */
  gulong  cancelled_id;
} OpenData;

static void
on_handshake_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  HangarVncConnection *self = HANGAR_VNC_CONNECTION (object);
  OpenData *data = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&data->task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  g_cancellable_disconnect (cancellable, data->cancelled_id);
  g_free (data);
  self->in_thread = FALSE;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (self->state != STATE_OPENING || g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (&error);
      if (!g_cancellable_set_error_if_cancelled (cancellable, &error))
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The console was closed while connecting."));
    }

  if (error != NULL)
    {
      if (self->state == STATE_OPENING)
        connection_end (self, g_error_copy (error));
      else
        g_clear_pointer (&self->client, free_client);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->state = STATE_OPEN;
  self->resized = FALSE;   /* the size the caller reads after open; no signal for it */
  self->watch = g_unix_fd_source_new (self->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (self->watch, G_SOURCE_FUNC (on_socket_readable), self, NULL);
  g_source_set_static_name (self->watch, "[hangar] VNC socket");
  g_source_attach (self->watch, g_task_get_context (task));
  g_task_return_boolean (task, TRUE);
}

/**
 * hangar_vnc_connection_open_fd_async:
 * @fd: a stream socket connected to a VNC server; the connection takes it, even on failure
 *
 * Runs the RFB handshake. On success the connection is open, its size known, and
 * the first screen update asked for; it then ends only with #HangarVncConnection::closed.
 */
void
hangar_vnc_connection_open_fd_async (HangarVncConnection *self,
                                     int                  fd,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GError) error = NULL;
  OpenData *data;
  rfbClient *client;

  g_return_if_fail (HANGAR_IS_VNC_CONNECTION (self));
  g_return_if_fail (fd >= 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_vnc_connection_open_fd_async);

  if (self->state != STATE_NEW)
    {
      close (fd);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("A VNC connection can be opened only once."));
      return;
    }
  if (!g_unix_set_fd_nonblocking (fd, TRUE, &error))
    {
      close (fd);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  client = _hangar_vnc_client_new (self, fd);
  if (client == NULL)
    {
      close (fd);
      g_task_return_new_error (task, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_FAILED,
                               _("Could not start a VNC client."));
      return;
    }

  self->client = client;
  self->fd = fd;
  self->state = STATE_OPENING;
  self->in_thread = TRUE;

  data = g_new0 (OpenData, 1);
  data->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                self, NULL);
  worker = g_task_new (self, NULL, on_handshake_done, data);
  g_task_set_source_tag (worker, _hangar_vnc_handshake_thread);
  g_task_run_in_thread (worker, _hangar_vnc_handshake_thread);
}

gboolean
hangar_vnc_connection_open_fd_finish (HangarVncConnection  *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  g_return_val_if_fail (HANGAR_IS_VNC_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        hangar_vnc_connection_open_fd_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- messages ------------------------------------------------------------------- */

static void
clear_sources (HangarVncConnection *self)
{
  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  if (self->resume != NULL)
    {
      g_source_destroy (self->resume);
      g_clear_pointer (&self->resume, g_source_unref);
    }
}

/* Ends the connection; @error (taken) says why, NULL when it was asked to. */
static void
connection_end (HangarVncConnection *self,
                GError              *error)
{
  g_assert (self->state == STATE_OPENING || self->state == STATE_OPEN);

  if (self->in_thread)
    {
      /* The worker thread has the client: wake it; on_handshake_done frees it. */
      shutdown (self->fd, SHUT_RDWR);
    }
  else
    {
      clear_sources (self);
      g_clear_pointer (&self->client, free_client);
    }
  self->fd = -1;
  self->state = STATE_CLOSED;
  g_clear_pointer (&self->cursor, g_bytes_unref);
  g_clear_error (&self->error);
  self->error = error;
  if (error != NULL)
    g_debug ("VNC connection ended: %s", error->message);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
}

/* Emits what libvncclient's callbacks recorded while it handled a message. */
static void
emit_recorded (HangarVncConnection *self)
{
  g_autoptr(GBytes) cursor = g_steal_pointer (&self->cursor);
  guint bells = self->bells;

  self->bells = 0;
  self->scancodes = SupportsClient2Server (self->client, rfbQemuEvent);

  if (self->resized)
    {
      self->resized = FALSE;
      self->damaged = FALSE;
      g_signal_emit (self, signals[SIGNAL_RESIZED], 0,
                     self->client->width, self->client->height);
    }
  if (self->damaged && self->state == STATE_OPEN)
    {
      self->damaged = FALSE;
      g_signal_emit (self, signals[SIGNAL_DAMAGED], 0,
                     self->damage_x1, self->damage_y1,
                     self->damage_x2 - self->damage_x1, self->damage_y2 - self->damage_y1);
    }
  if (cursor != NULL && self->state == STATE_OPEN)
    g_signal_emit (self, signals[SIGNAL_CURSOR_CHANGED], 0, cursor,
                   self->cursor_width, self->cursor_height,
                   self->cursor_hot_x, self->cursor_hot_y);
  for (guint i = 0; i < bells && self->state == STATE_OPEN; i++)
    g_signal_emit (self, signals[SIGNAL_BELL], 0);
}

typedef enum
{
  HANDLED,   /* one message handled; there may be more */
  WAITING,   /* nothing to read yet */
  ENDED,     /* the connection has ended */
} Handled;

static Handled
handle_one_message (HangarVncConnection *self)
{
  rfbClient *client = self->client;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* Between messages, tell a clean close from one in the middle of a message. */
  if (client->buffered == 0)
    {
      char byte;
      ssize_t n = recv (self->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return WAITING;
      if (n == 0)
        {
          connection_end (self, g_error_new_literal (HANGAR_CONSOLE_ERROR,
                                                     HANGAR_CONSOLE_ERROR_CLOSED,
                                                     _("The console closed the connection.")));
          return ENDED;
        }
    }

  g_clear_pointer (&self->last_log, g_free);
  _hangar_vnc_client_enter (self);
  ok = HandleRFBServerMessage (client);
  _hangar_vnc_client_enter (NULL);

  if (!ok)
    {
      if (self->error != NULL)
        error = g_steal_pointer (&self->error);
      else if (g_strcmp0 (self->last_log, "VNC server closed connection") == 0)
        error = g_error_new_literal (HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_CLOSED,
                                     _("The console closed the connection in the middle of "
                                       "a message."));
      else if (g_strcmp0 (self->last_log, "Connection timed out") == 0)
        error = g_error_new (HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_TIMED_OUT,
                             _("The console stopped sending in the middle of a message for "
                               "%d seconds."), HANGAR_VNC_READ_TIMEOUT_S);
      else
        set_error_from_log (self, &error, HANGAR_CONSOLE_ERROR_PROTOCOL,
                            _("The console sent a message Hangar cannot read."),
                            _("The console sent a message Hangar cannot read: %s."));
      connection_end (self, g_steal_pointer (&error));
      return ENDED;
    }

  /* An update came: QEMU has read our encodings and follows our size. */
  if (!self->asked_scancodes && (self->resized || self->damaged))
    {
      self->asked_scancodes = TRUE;
      if (!_hangar_vnc_send_format_and_encodings (client, TRUE))
        {
          end_on_write_error (self);
          return ENDED;
        }
    }

  emit_recorded (self);
  return self->state == STATE_OPEN ? HANDLED : ENDED;
}

static gboolean on_resume (gpointer user_data);

/* Handles what is there, for a bounded time; leaves a resume source behind when
 * libvncclient still holds bytes the socket will not announce again. */
static void
dispatch (HangarVncConnection *self)
{
  g_autoptr(HangarVncConnection) hold = g_object_ref (self);
  gint64 deadline = g_get_monotonic_time () + DISPATCH_BUDGET_US;
  Handled handled;

  do
    handled = handle_one_message (self);
  while (handled == HANDLED && self->client->buffered > 0 &&
         g_get_monotonic_time () < deadline);

  if (handled == HANDLED && self->client->buffered > 0 && self->resume == NULL)
    {
      self->resume = g_idle_source_new ();
      g_source_set_priority (self->resume, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->resume, on_resume, self, NULL);
      g_source_set_static_name (self->resume, "[hangar] VNC buffered");
      g_source_attach (self->resume, g_source_get_context (self->watch));
    }
}

static gboolean
on_resume (gpointer user_data)
{
  HangarVncConnection *self = user_data;

  g_clear_pointer (&self->resume, g_source_unref);
  dispatch (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_socket_readable (int          fd,
                    GIOCondition condition,
                    gpointer     user_data)
{
  HangarVncConnection *self = user_data;

  dispatch (self);
  /* connection_end() destroyed the source if it ended. */
  return G_SOURCE_CONTINUE;
}

/* A send failed: the socket is gone. */
static void
end_on_write_error (HangarVncConnection *self)
{
  if (self->state != STATE_OPEN)
    return;
  set_error_from_log (self, &self->error, HANGAR_CONSOLE_ERROR_CLOSED,
                      _("The console closed the connection."),
                      _("The console closed the connection: %s."));
  connection_end (self, g_steal_pointer (&self->error));
}

/* ---- public ------------------------------------------------------------------------ */

/**
 * hangar_vnc_connection_close:
 *
 * Ends the connection and closes its socket. #HangarVncConnection::closed is emitted
 * with no error. Does nothing on a connection that has ended.
 */
void
hangar_vnc_connection_close (HangarVncConnection *self)
{
  g_return_if_fail (HANGAR_IS_VNC_CONNECTION (self));

  if (self->state == STATE_OPENING || self->state == STATE_OPEN)
    connection_end (self, NULL);
  else
    self->state = STATE_CLOSED;
}

gboolean
hangar_vnc_connection_is_open (HangarVncConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_VNC_CONNECTION (self), FALSE);

  return self->state == STATE_OPEN;
}

/* Why the connection ended; NULL while it is open or when it was closed on purpose. */
const GError *
hangar_vnc_connection_get_error (HangarVncConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_VNC_CONNECTION (self), NULL);

  return self->state == STATE_CLOSED ? self->error : NULL;
}

const char *
hangar_vnc_connection_get_name (HangarVncConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_VNC_CONNECTION (self), NULL);

  return self->name;
}

int
hangar_vnc_connection_get_width (HangarVncConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_VNC_CONNECTION (self), 0);

  return self->state == STATE_OPEN ? self->client->width : 0;
}

int
hangar_vnc_connection_get_height (HangarVncConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_VNC_CONNECTION (self), 0);

  return self->state == STATE_OPEN ? self->client->height : 0;
}

/**
 * hangar_vnc_connection_get_pixels:
 * @stride: (out): bytes from one row to the next
 *
 * Returns: (nullable): the screen, B8G8R8A8 and opaque, width × height pixels; valid
 *   until the next #HangarVncConnection::resized or the end of the connection, and
 *   changed by every message.
 */
const guint8 *
hangar_vnc_connection_get_pixels (HangarVncConnection *self,
                                  gsize               *stride)
{
  g_return_val_if_fail (HANGAR_IS_VNC_CONNECTION (self), NULL);
  g_return_val_if_fail (stride != NULL, NULL);

  if (self->state != STATE_OPEN)
    {
      *stride = 0;
      return NULL;
    }
  *stride = (gsize) self->client->width * 4;
  return self->client->frameBuffer;
}

/* Whether the server takes scancodes (QEMU's extended key event), known after the
 * first screen update. */
gboolean
hangar_vnc_connection_has_scancodes (HangarVncConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_VNC_CONNECTION (self), FALSE);

  return self->state == STATE_OPEN && self->scancodes;
}

/**
 * hangar_vnc_connection_send_key:
 * @keysym: the X keysym the key gives here
 * @qnum: the key's place as QEMU numbers it (hangar_keymap_evdev_to_qnum()), or 0
 *
 * Sends the key as a scancode when the server takes them and @qnum is known, so
 * that the guest's layout applies; else as the keysym.
 *
 * Returns: FALSE when the connection is not open or ended on this write.
 */
gboolean
hangar_vnc_connection_send_key (HangarVncConnection *self,
                                guint32              keysym,
                                guint                qnum,
                                gboolean             down)
{
  gboolean ok;

  g_return_val_if_fail (HANGAR_IS_VNC_CONNECTION (self), FALSE);

  if (self->state != STATE_OPEN)
    return FALSE;
  if (qnum != 0 && self->scancodes)
    ok = SendExtendedKeyEvent (self->client, keysym, qnum, down);
  else
    ok = SendKeyEvent (self->client, keysym, down);
  if (!ok)
    end_on_write_error (self);
  return ok;
}

/**
 * hangar_vnc_connection_send_pointer:
 * @x: from 0 to the width - 1
 * @y: from 0 to the height - 1
 * @buttons: the buttons held down
 *
 * Returns: FALSE when the connection is not open or ended on this write.
 */
gboolean
hangar_vnc_connection_send_pointer (HangarVncConnection *self,
                                    int                  x,
                                    int                  y,
                                    HangarVncButtons     buttons)
{
  gboolean ok;

  g_return_val_if_fail (HANGAR_IS_VNC_CONNECTION (self), FALSE);

  if (self->state != STATE_OPEN)
    return FALSE;
  x = CLAMP (x, 0, self->client->width - 1);
  y = CLAMP (y, 0, self->client->height - 1);
  ok = SendPointerEvent (self->client, x, y, buttons & 0x7f);
  if (!ok)
    end_on_write_error (self);
  return ok;
}

/* ---- GObject ------------------------------------------------------------------------ */

HangarVncConnection *
hangar_vnc_connection_new (void)
{
  return g_object_new (HANGAR_TYPE_VNC_CONNECTION, NULL);
}

static void
hangar_vnc_connection_dispose (GObject *object)
{
  HangarVncConnection *self = HANGAR_VNC_CONNECTION (object);

  /* While OPENING the worker's task holds a reference: dispose cannot run then. */
  g_assert (self->state != STATE_OPENING);
  if (self->state == STATE_OPEN)
    {
      clear_sources (self);
      g_clear_pointer (&self->client, free_client);
      self->state = STATE_CLOSED;
    }

  G_OBJECT_CLASS (hangar_vnc_connection_parent_class)->dispose (object);
}

static void
hangar_vnc_connection_finalize (GObject *object)
{
  HangarVncConnection *self = HANGAR_VNC_CONNECTION (object);

  g_clear_error (&self->error);
  g_clear_pointer (&self->last_log, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->cursor, g_bytes_unref);

  G_OBJECT_CLASS (hangar_vnc_connection_parent_class)->finalize (object);
}

static void
hangar_vnc_connection_class_init (HangarVncConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  struct sigaction pipe_action;

  object_class->dispose = hangar_vnc_connection_dispose;
  object_class->finalize = hangar_vnc_connection_finalize;

  /**
   * HangarVncConnection::resized:
   *
   * The screen has a new size; the pixels moved (get_pixels() again), all black
   * until the server draws.
   */
  signals[SIGNAL_RESIZED] =
    g_signal_new ("resized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  /**
   * HangarVncConnection::damaged:
   *
   * The pixels in this rectangle changed: the bounds of one server message.
   */
  signals[SIGNAL_DAMAGED] =
    g_signal_new ("damaged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);

  /**
   * HangarVncConnection::cursor-changed:
   * @pixels: width × height B8G8R8A8 premultiplied pixels
   *
   * The guest's pointer has this shape: draw it locally.
   */
  signals[SIGNAL_CURSOR_CHANGED] =
    g_signal_new ("cursor-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 5, G_TYPE_BYTES, G_TYPE_INT, G_TYPE_INT,
                  G_TYPE_INT, G_TYPE_INT);

  signals[SIGNAL_BELL] =
    g_signal_new ("bell", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /**
   * HangarVncConnection::closed:
   * @error: (nullable): why, or NULL when hangar_vnc_connection_close() was called
   *
   * The connection ended after it opened, or while it opened.
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  _hangar_vnc_client_install_log ();

  /* libvncclient writes with write(), not send (MSG_NOSIGNAL): a server gone away would
   * kill the process with SIGPIPE. Ignore it unless the program chose otherwise. */
  if (sigaction (SIGPIPE, NULL, &pipe_action) == 0 && pipe_action.sa_handler == SIG_DFL)
    {
      pipe_action.sa_handler = SIG_IGN;
      sigaction (SIGPIPE, &pipe_action, NULL);
    }
}

static void
hangar_vnc_connection_init (HangarVncConnection *self)
{
  self->fd = -1;
}
