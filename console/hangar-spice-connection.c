/* hangar-spice-connection.c: a guest's SPICE console, without a toolkit
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A SpiceSession opened on a connected fd. SPICE speaks over one socket per
 * channel: the main channel takes the fd given to open; the session then makes the
 * display, inputs and cursor channels (and whatever else the server lists), each of
 * which asks for its own socket with "open-fd", answered through the caller's
 * HangarSpiceFdFunc (the UI asks the engine for another OpenConsole ("spice")).
 * The display channel is opened first, the others once its first screen came (the
 * server's mark), or half a second after it opened without one: spice-server makes
 * a new RSA key for every channel's link (10–60 ms each here), one after the other
 * in QEMU's main thread, and the first frame needs only the display's.
 *
 * What the session says becomes signals that name no SPICE type: the primary
 * surface (shown only once the server marked it ready) as "primary-changed" and
 * "damaged", the guest's pointer shape as "cursor-changed", text the guest copied
 * as "clipboard-text", and the end, whatever ends it, as one "closed" with a
 * GError in HANGAR_CONSOLE_ERROR. Audio, USB redirection and smartcards are off:
 * they are not this object's business.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <spice-client.h>
#include <spice/vd_agent.h>

#include "hangar-console-error.h"
#include "hangar-spice-connection.h"

/* The largest screen drawn, as for VNC: 16384 on a side, 64 Mpixels. */
#define MAX_SIDE 16384
#define MAX_PIXELS (64 * 1024 * 1024)

struct _HangarSpiceConnection
{
  GObject               parent_instance;

  SpiceSession         *session;
  GPtrArray            *channels;      /* every channel of the session, referenced */
  SpiceMainChannel     *main;          /* in channels */
  SpiceChannel         *display;       /* in channels: the first display */
  SpiceInputsChannel   *inputs;        /* in channels */
  GPtrArray            *waiting;       /* in channels: to connect after the first frame */
  gboolean              connect_all;   /* no more waiting */
  GSource              *waiting_timer; /* the display is open: connect them after all */
  GCancellable         *cancellable;   /* fd requests; cancelled at the end */
  GTask                *open_task;     /* until the main channel opened */
  gboolean              closed;

  HangarSpiceFdFunc     fd_func;
  gpointer              fd_data;
  GDestroyNotify        fd_destroy;

  /* The primary surface: the display channel's memory. */
  const guint8         *pixels;
  int                   width;
  int                   height;
  gsize                 stride;
  gboolean              marked;        /* the server said it is ready to show */

  HangarSpiceMouseMode  mouse_mode;
  gboolean              agent_connected;
  int                   screen_width;  /* what the guest should show, or 0 */
  int                   screen_height;
};

G_DEFINE_FINAL_TYPE (HangarSpiceConnection, hangar_spice_connection, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (HangarSpiceMouseMode, hangar_spice_mouse_mode,
  G_DEFINE_ENUM_VALUE (HANGAR_SPICE_MOUSE_SERVER, "server"),
  G_DEFINE_ENUM_VALUE (HANGAR_SPICE_MOUSE_CLIENT, "client"))

enum {
  PROP_0,
  PROP_MOUSE_MODE,
  PROP_AGENT_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PRIMARY_CHANGED,
  SIGNAL_DAMAGED,
  SIGNAL_CURSOR_CHANGED,
  SIGNAL_CURSOR_MOVED,
  SIGNAL_CLIPBOARD_TEXT,
  SIGNAL_CLIPBOARD_REQUEST,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the end -------------------------------------------------------------------- */

static gboolean
unref_session_later (gpointer session)
{
  g_object_unref (session);
  return G_SOURCE_REMOVE;
}

static void
clear_waiting_timer (HangarSpiceConnection *self)
{
  if (self->waiting_timer == NULL)
    return;
  g_source_destroy (self->waiting_timer);
  g_clear_pointer (&self->waiting_timer, g_source_unref);
}

/* Lets go of the session and its channels; nothing reaches this object after. */
static void
teardown (HangarSpiceConnection *self)
{
  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < self->channels->len; i++)
    g_signal_handlers_disconnect_by_data (self->channels->pdata[i], self);
  g_ptr_array_set_size (self->waiting, 0);
  clear_waiting_timer (self);
  g_ptr_array_set_size (self->channels, 0);
  self->main = NULL;
  self->display = NULL;
  self->inputs = NULL;
  self->pixels = NULL;
  self->marked = FALSE;

  if (self->session != NULL)
    {
      SpiceSession *session = g_steal_pointer (&self->session);

      g_signal_handlers_disconnect_by_data (session, self);
      spice_session_disconnect (session);
      /* This may run inside one of the session's signals: it goes when that is over. */
      g_idle_add_full (G_PRIORITY_DEFAULT, unref_session_later, session, NULL);
    }
}

/* Ends the connection: with @error it failed (the open too, if still pending). */
static void
finish (HangarSpiceConnection *self,
        const GError          *error)
{
  g_autoptr(HangarSpiceConnection) keep = g_object_ref (self);
  g_autoptr(GTask) open_task = g_steal_pointer (&self->open_task);
  gboolean had_primary = self->pixels != NULL && self->marked;

  if (self->closed)
    return;
  self->closed = TRUE;
  teardown (self);

  if (open_task != NULL)
    {
      if (error != NULL)
        g_task_return_error (open_task, g_error_copy (error));
      else
        g_task_return_new_error (open_task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("The connection was closed."));
    }
  if (had_primary)
    g_signal_emit (self, signals[SIGNAL_PRIMARY_CHANGED], 0);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
}

static void
fail (HangarSpiceConnection *self,
      int                    code,
      const char            *format,
      ...) G_GNUC_PRINTF (3, 4);

static void
fail (HangarSpiceConnection *self,
      int                    code,
      const char            *format,
      ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (HANGAR_CONSOLE_ERROR, code, format, args);
  va_end (args);
  finish (self, error);
}

/* The channels without which there is no console. */
static gboolean
is_essential (HangarSpiceConnection *self,
              SpiceChannel          *channel)
{
  return channel == SPICE_CHANNEL (self->main) || channel == self->display ||
         channel == SPICE_CHANNEL (self->inputs);
}

static const char *
channel_name (SpiceChannel *channel)
{
  int type = 0;

  g_object_get (channel, "channel-type", &type, NULL);
  return spice_channel_type_to_string (type);
}

/* The first screen came: the links of the other channels no longer delay it. */
static void
connect_waiting (HangarSpiceConnection *self)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->connect_all = TRUE;
  self->waiting = g_ptr_array_new ();
  clear_waiting_timer (self);
  for (guint i = 0; i < waiting->len; i++)
    spice_channel_connect (waiting->pdata[i]);
}

/* The display opened with no screen to show yet: keys need not wait for one. */
static gboolean
on_waited (gpointer user_data)
{
  HangarSpiceConnection *self = user_data;

  g_clear_pointer (&self->waiting_timer, g_source_unref);
  connect_waiting (self);
  return G_SOURCE_REMOVE;
}

static void
on_channel_event (SpiceChannel          *channel,
                  SpiceChannelEvent      event,
                  HangarSpiceConnection *self)
{
  const GError *spice_error = spice_channel_get_error (channel);
  const char *detail = spice_error != NULL ? spice_error->message : "";

  g_debug ("SPICE %s channel: event %d %s",
           channel_name (channel), event, detail);

  if (event == SPICE_CHANNEL_OPENED)
    {
      if (channel == SPICE_CHANNEL (self->main) && self->open_task != NULL)
        {
          g_autoptr(GTask) task = g_steal_pointer (&self->open_task);

          g_task_return_boolean (task, TRUE);
        }
      if (channel == self->display && !self->connect_all && self->waiting_timer == NULL)
        {
          /* In the channels' context, as everything here (THREADS.txt). */
          self->waiting_timer = g_timeout_source_new (500);
          g_source_set_callback (self->waiting_timer, on_waited, self, NULL);
          g_source_set_static_name (self->waiting_timer, "[hangar] SPICE channels waiting");
          g_source_attach (self->waiting_timer, g_main_context_get_thread_default ());
        }
      return;
    }
  if (event == SPICE_CHANNEL_NONE || event == SPICE_CHANNEL_SWITCHING)
    return;
  if (!is_essential (self, channel))
    return;

  switch (event)
    {
    case SPICE_CHANNEL_ERROR_AUTH:
      fail (self, HANGAR_CONSOLE_ERROR_NOT_SUPPORTED,
            _("The SPICE server asks for a password, which Hangar does not send."));
      break;

    case SPICE_CHANNEL_ERROR_TLS:
      fail (self, HANGAR_CONSOLE_ERROR_NOT_SUPPORTED,
            _("The SPICE server asks for TLS, which Hangar does not use on a local socket."));
      break;

    case SPICE_CHANNEL_ERROR_LINK:
      /* A socket closed before or during the handshake and a link the server refused
       * read the same here: spice-client-glib says which only in its log. */
      if (spice_error == NULL || spice_error->domain == G_IO_ERROR)
        fail (self, HANGAR_CONSOLE_ERROR_CLOSED,
              _("The SPICE server ended the connection during its handshake."));
      else
        fail (self, HANGAR_CONSOLE_ERROR_PROTOCOL,
              _("The SPICE server’s handshake failed: %s"), detail);
      break;

    case SPICE_CHANNEL_CLOSED:
    case SPICE_CHANNEL_ERROR_IO:
    case SPICE_CHANNEL_ERROR_CONNECT:
    default:
      fail (self, HANGAR_CONSOLE_ERROR_CLOSED,
            _("The guest’s SPICE server closed the connection."));
      break;
    }
}

/* ---- more sockets --------------------------------------------------------------------- */

static void
on_fd_answered (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  HangarSpiceConnection *self = HANGAR_SPICE_CONNECTION (source);
  SpiceChannel *channel = user_data;
  g_autoptr(GError) error = NULL;
  int fd;

  fd = g_task_propagate_int (G_TASK (result), &error);
  if (self->closed || !g_ptr_array_find (self->channels, channel, NULL))
    {
      if (fd >= 0)
        close (fd);
    }
  else if (fd < 0)
    {
      g_debug ("No socket for the SPICE %s channel: %s",
               channel_name (channel),
               error->message);
      if (is_essential (self, channel))
        fail (self, HANGAR_CONSOLE_ERROR_FAILED,
              _("Could not open another connection to the SPICE server: %s"), error->message);
    }
  else if (!spice_channel_open_fd (channel, fd))
    {
      close (fd);
    }
  g_object_unref (channel);
}

static void
on_open_fd (SpiceChannel          *channel,
            int                    with_tls,
            HangarSpiceConnection *self)
{
  GTask *task;

  if (self->fd_func == NULL)
    {
      if (is_essential (self, channel))
        fail (self, HANGAR_CONSOLE_ERROR_NOT_SUPPORTED,
              _("SPICE needs a connection per channel, and there is no way to open more."));
      return;
    }

  task = g_task_new (self, self->cancellable, on_fd_answered, g_object_ref (channel));
  g_task_set_source_tag (task, on_open_fd);
  /* An fd that comes after the end must reach on_fd_answered to be closed. */
  g_task_set_check_cancellable (task, FALSE);
  self->fd_func (self, task, self->fd_data);
}

/* ---- the screen --------------------------------------------------------------------- */

static void
on_primary_create (SpiceChannel          *channel,
                   int                    format,
                   int                    width,
                   int                    height,
                   int                    stride,
                   int                    shmid,
                   gpointer               data,
                   HangarSpiceConnection *self)
{
  if (format != SPICE_SURFACE_FMT_32_xRGB && format != SPICE_SURFACE_FMT_32_ARGB)
    {
      fail (self, HANGAR_CONSOLE_ERROR_NOT_SUPPORTED,
            _("The guest’s screen has a pixel format Hangar cannot draw (SPICE format %d)."),
            format);
      return;
    }
  if (width <= 0 || height <= 0)
    {
      fail (self, HANGAR_CONSOLE_ERROR_SCREEN_EMPTY,
            _("The guest’s screen is %d×%d pixels: there is nothing to show."), width, height);
      return;
    }
  if (width > MAX_SIDE || height > MAX_SIDE || (gint64) width * height > MAX_PIXELS)
    {
      fail (self, HANGAR_CONSOLE_ERROR_SCREEN_TOO_LARGE,
            _("The guest’s screen is %d×%d pixels, larger than Hangar can show."),
            width, height);
      return;
    }
  if (data == NULL || stride < width * 4)
    {
      fail (self, HANGAR_CONSOLE_ERROR_PROTOCOL,
            _("The SPICE server described a screen without its pixels."));
      return;
    }

  self->pixels = data;
  self->width = width;
  self->height = height;
  self->stride = stride;
  if (self->marked)
    g_signal_emit (self, signals[SIGNAL_PRIMARY_CHANGED], 0);
}

static void
on_primary_destroy (SpiceChannel          *channel,
                    HangarSpiceConnection *self)
{
  gboolean shown = self->pixels != NULL && self->marked;

  self->pixels = NULL;
  self->width = self->height = 0;
  self->stride = 0;
  if (shown)
    g_signal_emit (self, signals[SIGNAL_PRIMARY_CHANGED], 0);
}

static void
on_mark (SpiceChannel          *channel,
         gboolean               mark,
         HangarSpiceConnection *self)
{
  if (self->marked == !!mark)
    return;
  self->marked = !!mark;
  if (mark && !self->connect_all)
    connect_waiting (self);
  if (self->pixels != NULL)
    g_signal_emit (self, signals[SIGNAL_PRIMARY_CHANGED], 0);
}

static void
on_invalidate (SpiceChannel          *channel,
               int                    x,
               int                    y,
               int                    width,
               int                    height,
               HangarSpiceConnection *self)
{
  if (self->pixels != NULL && self->marked)
    g_signal_emit (self, signals[SIGNAL_DAMAGED], 0, x, y, width, height);
}

/* ---- the pointer's shape -------------------------------------------------------------- */

static void
on_cursor_set (SpiceCursorChannel    *channel,
               int                    width,
               int                    height,
               int                    hot_x,
               int                    hot_y,
               gpointer               rgba,
               HangarSpiceConnection *self)
{
  g_autoptr(GBytes) pixels = NULL;

  /* A shape the server only names (rgba NULL) is one seen before: keep the current. */
  if (rgba == NULL || width <= 0 || height <= 0 || width > 512 || height > 512)
    return;
  pixels = g_bytes_new (rgba, (gsize) width * height * 4);
  g_signal_emit (self, signals[SIGNAL_CURSOR_CHANGED], 0, pixels, width, height,
                 CLAMP (hot_x, 0, width - 1), CLAMP (hot_y, 0, height - 1));
}

static void
on_cursor_hide (SpiceCursorChannel    *channel,
                HangarSpiceConnection *self)
{
  static const guint8 clear[4] = { 0, 0, 0, 0 };
  g_autoptr(GBytes) pixels = g_bytes_new_static (clear, sizeof clear);

  g_signal_emit (self, signals[SIGNAL_CURSOR_CHANGED], 0, pixels, 1, 1, 0, 0);
}

static void
on_cursor_move (SpiceCursorChannel    *channel,
                int                    x,
                int                    y,
                HangarSpiceConnection *self)
{
  g_signal_emit (self, signals[SIGNAL_CURSOR_MOVED], 0, x, y);
}

static void
on_cursor_reset (SpiceCursorChannel    *channel,
                 HangarSpiceConnection *self)
{
  g_signal_emit (self, signals[SIGNAL_CURSOR_CHANGED], 0, NULL, 0, 0, 0, 0);
}

/* ---- the main channel: mouse mode, agent, clipboard ---------------------------------- */

static void
push_screen_size (HangarSpiceConnection *self)
{
  if (self->main == NULL || !self->agent_connected ||
      self->screen_width <= 0 || self->screen_height <= 0)
    return;
  spice_main_channel_update_display_enabled (self->main, 0, TRUE, FALSE);
  /* TRUE: the session sends it after a short delay, so a drag sends one. */
  spice_main_channel_update_display (self->main, 0, 0, 0, self->screen_width,
                                     self->screen_height, TRUE);
}

static void
on_mouse_mode (SpiceMainChannel      *main,
               GParamSpec            *pspec,
               HangarSpiceConnection *self)
{
  int mode = 0;
  HangarSpiceMouseMode mouse_mode;

  g_object_get (main, "mouse-mode", &mode, NULL);
  mouse_mode = mode == SPICE_MOUSE_MODE_CLIENT ? HANGAR_SPICE_MOUSE_CLIENT
                                               : HANGAR_SPICE_MOUSE_SERVER;
  if (mouse_mode == self->mouse_mode)
    return;
  self->mouse_mode = mouse_mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MOUSE_MODE]);
}

static void
on_agent_connected (SpiceMainChannel      *main,
                    GParamSpec            *pspec,
                    HangarSpiceConnection *self)
{
  gboolean connected = FALSE;

  g_object_get (main, "agent-connected", &connected, NULL);
  if (connected == self->agent_connected)
    return;
  self->agent_connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_CONNECTED]);
  push_screen_size (self);
}

static gboolean
on_clipboard_grab (SpiceMainChannel      *main,
                   guint                  selection,
                   guint32               *types,
                   guint                  n_types,
                   HangarSpiceConnection *self)
{
  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD)
    return FALSE;
  /* The guest copied something: take its text at once, as the desktop's. */
  for (guint i = 0; i < n_types; i++)
    if (types[i] == VD_AGENT_CLIPBOARD_UTF8_TEXT)
      {
        spice_main_channel_clipboard_selection_request (main, selection,
                                                        VD_AGENT_CLIPBOARD_UTF8_TEXT);
        return TRUE;
      }
  return FALSE;
}

static void
on_clipboard_data (SpiceMainChannel      *main,
                   guint                  selection,
                   guint                  type,
                   gpointer               data,
                   guint                  size,
                   HangarSpiceConnection *self)
{
  g_autofree char *text = NULL;

  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD ||
      type != VD_AGENT_CLIPBOARD_UTF8_TEXT || data == NULL)
    return;
  text = g_strndup (data, size);
  if (!g_utf8_validate (text, -1, NULL))
    return;
  g_signal_emit (self, signals[SIGNAL_CLIPBOARD_TEXT], 0, text);
}

static gboolean
on_clipboard_request (SpiceMainChannel      *main,
                      guint                  selection,
                      guint                  type,
                      HangarSpiceConnection *self)
{
  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD ||
      type != VD_AGENT_CLIPBOARD_UTF8_TEXT)
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_CLIPBOARD_REQUEST], 0);
  return TRUE;
}

/* ---- channels come and go -------------------------------------------------------------- */

static void
on_channel_new (SpiceSession          *session,
                SpiceChannel          *channel,
                HangarSpiceConnection *self)
{
  int id = 0;

  g_object_get (channel, "channel-id", &id, NULL);
  g_ptr_array_add (self->channels, g_object_ref (channel));
  g_signal_connect (channel, "channel-event", G_CALLBACK (on_channel_event), self);
  g_signal_connect (channel, "open-fd", G_CALLBACK (on_open_fd), self);

  if (SPICE_IS_MAIN_CHANNEL (channel))
    {
      self->main = SPICE_MAIN_CHANNEL (channel);
      g_signal_connect (channel, "notify::mouse-mode", G_CALLBACK (on_mouse_mode), self);
      g_signal_connect (channel, "notify::agent-connected", G_CALLBACK (on_agent_connected),
                        self);
      g_signal_connect (channel, "main-clipboard-selection-grab",
                        G_CALLBACK (on_clipboard_grab), self);
      g_signal_connect (channel, "main-clipboard-selection", G_CALLBACK (on_clipboard_data),
                        self);
      g_signal_connect (channel, "main-clipboard-selection-request",
                        G_CALLBACK (on_clipboard_request), self);
    }
  else if (SPICE_IS_DISPLAY_CHANNEL (channel) && id == 0)
    {
      self->display = channel;
      g_signal_connect (channel, "display-primary-create", G_CALLBACK (on_primary_create),
                        self);
      g_signal_connect (channel, "display-primary-destroy", G_CALLBACK (on_primary_destroy),
                        self);
      g_signal_connect (channel, "display-mark", G_CALLBACK (on_mark), self);
      g_signal_connect (channel, "display-invalidate", G_CALLBACK (on_invalidate), self);
    }
  else if (SPICE_IS_INPUTS_CHANNEL (channel) && id == 0)
    {
      self->inputs = SPICE_INPUTS_CHANNEL (channel);
    }
  else if (SPICE_IS_CURSOR_CHANNEL (channel) && id == 0)
    {
      g_signal_connect (channel, "cursor-set", G_CALLBACK (on_cursor_set), self);
      g_signal_connect (channel, "cursor-hide", G_CALLBACK (on_cursor_hide), self);
      g_signal_connect (channel, "cursor-move", G_CALLBACK (on_cursor_move), self);
      g_signal_connect (channel, "cursor-reset", G_CALLBACK (on_cursor_reset), self);
    }
  else
    {
      /* Not shown here: no socket is asked for it. */
      return;
    }

  /* The session makes the channels the server lists; opening them is the client's
   * choice (each one then asks for its socket with "open-fd"). The display first;
   * see the top of this file. */
  if (SPICE_IS_MAIN_CHANNEL (channel))
    return;
  if (channel == self->display || self->connect_all)
    spice_channel_connect (channel);
  else
    g_ptr_array_add (self->waiting, channel);
}

static void
on_channel_destroy (SpiceSession          *session,
                    SpiceChannel          *channel,
                    HangarSpiceConnection *self)
{
  gboolean essential = is_essential (self, channel);

  g_signal_handlers_disconnect_by_data (channel, self);
  if (channel == SPICE_CHANNEL (self->main))
    self->main = NULL;
  if (channel == self->display)
    {
      self->display = NULL;
      on_primary_destroy (channel, self);
    }
  if (channel == SPICE_CHANNEL (self->inputs))
    self->inputs = NULL;
  g_ptr_array_remove (self->waiting, channel);
  g_ptr_array_remove (self->channels, channel);
  if (essential)
    fail (self, HANGAR_CONSOLE_ERROR_CLOSED, _("The guest’s SPICE server closed the connection."));
}

/* ---- public ------------------------------------------------------------------------------ */

HangarSpiceConnection *
hangar_spice_connection_new (void)
{
  return g_object_new (HANGAR_TYPE_SPICE_CONNECTION, NULL);
}

/**
 * hangar_spice_connection_set_fd_func:
 * @func: (nullable): how to get another socket to the same server, for each channel
 *   after the first
 *
 * Without one, only servers that need no further channel would work: none do.
 */
void
hangar_spice_connection_set_fd_func (HangarSpiceConnection *self,
                                     HangarSpiceFdFunc      func,
                                     gpointer               user_data,
                                     GDestroyNotify         destroy)
{
  g_return_if_fail (HANGAR_IS_SPICE_CONNECTION (self));

  if (self->fd_destroy != NULL)
    self->fd_destroy (self->fd_data);
  self->fd_func = func;
  self->fd_data = user_data;
  self->fd_destroy = destroy;
}

/**
 * hangar_spice_connection_open_fd_async:
 * @fd: a stream socket connected to the guest's SPICE server; the connection takes it
 *
 * Completes once the main channel is set up; a failure also ends in "closed".
 * Cancelling only drops the answer: hangar_spice_connection_close() ends the connection.
 */
void
hangar_spice_connection_open_fd_async (HangarSpiceConnection *self,
                                       int                    fd,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HANGAR_IS_SPICE_CONNECTION (self));
  g_return_if_fail (fd >= 0);
  g_return_if_fail (self->session == NULL && !self->closed);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_spice_connection_open_fd_async);
  self->open_task = g_steal_pointer (&task);

  self->session = spice_session_new ();
  g_object_set (self->session,
                "enable-audio", FALSE,
                "enable-usbredir", FALSE,
                "enable-smartcard", FALSE,
                NULL);
  g_signal_connect (self->session, "channel-new", G_CALLBACK (on_channel_new), self);
  g_signal_connect (self->session, "channel-destroy", G_CALLBACK (on_channel_destroy), self);
  if (!spice_session_open_fd (self->session, fd))
    {
      close (fd);
      fail (self, HANGAR_CONSOLE_ERROR_FAILED, _("Could not start a SPICE session."));
    }
}

gboolean
hangar_spice_connection_open_fd_finish (HangarSpiceConnection  *self,
                                        GAsyncResult           *result,
                                        GError                **error)
{
  g_return_val_if_fail (HANGAR_IS_SPICE_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        hangar_spice_connection_open_fd_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Ends the connection on purpose: "closed" comes with no error. */
void
hangar_spice_connection_close (HangarSpiceConnection *self)
{
  g_return_if_fail (HANGAR_IS_SPICE_CONNECTION (self));

  if (self->session == NULL && self->open_task == NULL)
    {
      self->closed = TRUE;
      return;
    }
  finish (self, NULL);
}

gboolean
hangar_spice_connection_is_open (HangarSpiceConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_SPICE_CONNECTION (self), FALSE);

  return self->session != NULL && !self->closed;
}

/**
 * hangar_spice_connection_get_pixels:
 * @width: (out) (optional):
 * @height: (out) (optional):
 * @stride: (out) (optional): bytes from a row to the next
 *
 * Returns: (nullable): the guest's screen, 32 bits a pixel, B, G, R and a pad byte of
 *   any value in memory order, valid until the next "primary-changed" or "closed";
 *   NULL while there is none to show
 */
const guint8 *
hangar_spice_connection_get_pixels (HangarSpiceConnection *self,
                                    int                   *width,
                                    int                   *height,
                                    gsize                 *stride)
{
  gboolean shown;

  g_return_val_if_fail (HANGAR_IS_SPICE_CONNECTION (self), NULL);

  shown = self->pixels != NULL && self->marked;
  if (width != NULL)
    *width = shown ? self->width : 0;
  if (height != NULL)
    *height = shown ? self->height : 0;
  if (stride != NULL)
    *stride = shown ? self->stride : 0;
  return shown ? self->pixels : NULL;
}

/* Server: send motion (hangar_spice_connection_send_motion()); client: positions. */
HangarSpiceMouseMode
hangar_spice_connection_get_mouse_mode (HangarSpiceConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_SPICE_CONNECTION (self), HANGAR_SPICE_MOUSE_SERVER);

  return self->mouse_mode;
}

/* Whether the guest runs the SPICE agent: it resizes its screen and shares the clipboard. */
gboolean
hangar_spice_connection_get_agent_connected (HangarSpiceConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_SPICE_CONNECTION (self), FALSE);

  return self->agent_connected;
}

/**
 * hangar_spice_connection_send_key:
 * @qnum: the key's place as QEMU numbers it (an XT scancode, 0x80 added for the
 *   0xe0-prefixed ones): see hangar_keymap_evdev_to_qnum()
 */
void
hangar_spice_connection_send_key (HangarSpiceConnection *self,
                                  guint                  qnum,
                                  gboolean               pressed)
{
  guint scancode;

  g_return_if_fail (HANGAR_IS_SPICE_CONNECTION (self));

  if (self->inputs == NULL || qnum == 0 || qnum > 0xff)
    return;
  /* SPICE wants the prefixed ones as 0x100 | code. */
  scancode = (qnum & 0x80) ? 0x100 | (qnum & 0x7f) : qnum;
  if (pressed)
    spice_inputs_channel_key_press (self->inputs, scancode);
  else
    spice_inputs_channel_key_release (self->inputs, scancode);
}

/* In client mouse mode: the pointer is at (@x, @y) on the guest's screen. */
void
hangar_spice_connection_send_position (HangarSpiceConnection *self,
                                       int                    x,
                                       int                    y,
                                       HangarSpiceButtons     buttons)
{
  g_return_if_fail (HANGAR_IS_SPICE_CONNECTION (self));

  if (self->inputs != NULL)
    spice_inputs_channel_position (self->inputs, x, y, 0, buttons);
}

/* In server mouse mode: the pointer moved by (@dx, @dy). */
void
hangar_spice_connection_send_motion (HangarSpiceConnection *self,
                                     int                    dx,
                                     int                    dy,
                                     HangarSpiceButtons     buttons)
{
  g_return_if_fail (HANGAR_IS_SPICE_CONNECTION (self));

  if (self->inputs != NULL && (dx != 0 || dy != 0))
    spice_inputs_channel_motion (self->inputs, dx, dy, buttons);
}

/**
 * hangar_spice_connection_send_button:
 * @buttons: the buttons held before this one went down or up
 */
void
hangar_spice_connection_send_button (HangarSpiceConnection *self,
                                     HangarSpiceButtonId    button,
                                     gboolean               pressed,
                                     HangarSpiceButtons     buttons)
{
  g_return_if_fail (HANGAR_IS_SPICE_CONNECTION (self));

  if (self->inputs == NULL)
    return;
  if (pressed)
    spice_inputs_channel_button_press (self->inputs, button, buttons);
  else
    spice_inputs_channel_button_release (self->inputs, button, buttons);
}

/**
 * hangar_spice_connection_set_screen_size:
 *
 * The size the guest's screen should have (the widget's, in device pixels); the
 * guest's agent changes the mode to it. Without an agent nothing happens; when one
 * starts, it gets the last size given.
 */
void
hangar_spice_connection_set_screen_size (HangarSpiceConnection *self,
                                         int                    width,
                                         int                    height)
{
  g_return_if_fail (HANGAR_IS_SPICE_CONNECTION (self));

  if (width == self->screen_width && height == self->screen_height)
    return;
  self->screen_width = width;
  self->screen_height = height;
  push_screen_size (self);
}

/* The desktop's clipboard holds new text: tell the guest's agent it may ask for it. */
void
hangar_spice_connection_grab_clipboard (HangarSpiceConnection *self)
{
  guint32 types[] = { VD_AGENT_CLIPBOARD_UTF8_TEXT };

  g_return_if_fail (HANGAR_IS_SPICE_CONNECTION (self));

  if (self->main != NULL && self->agent_connected)
    spice_main_channel_clipboard_selection_grab (self->main,
                                                 VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD,
                                                 types, G_N_ELEMENTS (types));
}

/* The desktop's clipboard holds no text any more. */
void
hangar_spice_connection_release_clipboard (HangarSpiceConnection *self)
{
  g_return_if_fail (HANGAR_IS_SPICE_CONNECTION (self));

  if (self->main != NULL && self->agent_connected)
    spice_main_channel_clipboard_selection_release (self->main,
                                                    VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD);
}

/**
 * hangar_spice_connection_send_clipboard_text:
 * @text: (nullable): the answer to "clipboard-request": the desktop's text, or NULL
 *   when it has none any more
 */
void
hangar_spice_connection_send_clipboard_text (HangarSpiceConnection *self,
                                             const char            *text)
{
  g_return_if_fail (HANGAR_IS_SPICE_CONNECTION (self));

  if (self->main == NULL)
    return;
  spice_main_channel_clipboard_selection_notify (self->main,
                                                 VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD,
                                                 VD_AGENT_CLIPBOARD_UTF8_TEXT,
                                                 (const guchar *) (text != NULL ? text : ""),
                                                 text != NULL ? strlen (text) : 0);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
hangar_spice_connection_dispose (GObject *object)
{
  HangarSpiceConnection *self = HANGAR_SPICE_CONNECTION (object);

  self->closed = TRUE;
  teardown (self);
  hangar_spice_connection_set_fd_func (self, NULL, NULL, NULL);

  G_OBJECT_CLASS (hangar_spice_connection_parent_class)->dispose (object);
}

static void
hangar_spice_connection_finalize (GObject *object)
{
  HangarSpiceConnection *self = HANGAR_SPICE_CONNECTION (object);

  g_assert (self->open_task == NULL);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->channels, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hangar_spice_connection_parent_class)->finalize (object);
}

static void
hangar_spice_connection_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HangarSpiceConnection *self = HANGAR_SPICE_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_MOUSE_MODE:
      g_value_set_enum (value, self->mouse_mode);
      break;

    case PROP_AGENT_CONNECTED:
      g_value_set_boolean (value, self->agent_connected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_spice_connection_class_init (HangarSpiceConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_spice_connection_dispose;
  object_class->finalize = hangar_spice_connection_finalize;
  object_class->get_property = hangar_spice_connection_get_property;

  properties[PROP_MOUSE_MODE] =
    g_param_spec_enum ("mouse-mode", NULL, NULL, HANGAR_TYPE_SPICE_MOUSE_MODE,
                       HANGAR_SPICE_MOUSE_SERVER,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AGENT_CONNECTED] =
    g_param_spec_boolean ("agent-connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The screen to show changed (hangar_spice_connection_get_pixels()). */
  signals[SIGNAL_PRIMARY_CHANGED] =
    g_signal_new ("primary-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* These pixels of it changed. */
  signals[SIGNAL_DAMAGED] =
    g_signal_new ("damaged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_INT, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);
  /* The guest's pointer: pixels (R, G, B, A, not premultiplied) width height hot_x
   * hot_y; pixels NULL for the desktop's own pointer. */
  signals[SIGNAL_CURSOR_CHANGED] =
    g_signal_new ("cursor-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_BYTES, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);
  /* Server mouse mode: the guest's pointer is at x y on its screen. */
  signals[SIGNAL_CURSOR_MOVED] =
    g_signal_new ("cursor-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  /* The guest copied this text. */
  signals[SIGNAL_CLIPBOARD_TEXT] =
    g_signal_new ("clipboard-text", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The guest pastes: answer with hangar_spice_connection_send_clipboard_text(). */
  signals[SIGNAL_CLIPBOARD_REQUEST] =
    g_signal_new ("clipboard-request", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The end: a GError in HANGAR_CONSOLE_ERROR, or NULL when closed on purpose. */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
hangar_spice_connection_init (HangarSpiceConnection *self)
{
  self->channels = g_ptr_array_new_with_free_func (g_object_unref);
  self->waiting = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
}
