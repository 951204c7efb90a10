/* hangar-vnc-display.c: a guest's VNC console as a widget
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A HangarVncConnection drawn and driven through the HangarDisplay base: the
 * connection's screen is the base's framebuffer (no copy until a frame is drawn),
 * its damage the base's, and the base's input becomes RFB events.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include "hangar-display-private.h"
#include "hangar-keymap.h"
#include "hangar-vnc-connection.h"
#include "hangar-vnc-display.h"

struct _HangarVncDisplay
{
  HangarDisplay        parent_instance;

  HangarVncConnection *connection;
  GCancellable        *cancellable;
  HangarVncButtons     buttons;
  gboolean             shown;   /* the screen went to the base: an update came */
};

G_DEFINE_FINAL_TYPE (HangarVncDisplay, hangar_vnc_display, HANGAR_TYPE_DISPLAY)

/* ---- from the connection ------------------------------------------------------- */

static void
show_screen (HangarVncDisplay *self)
{
  const guint8 *pixels;
  gsize stride;

  pixels = hangar_vnc_connection_get_pixels (self->connection, &stride);
  _hangar_display_set_framebuffer (HANGAR_DISPLAY (self), pixels,
                                   hangar_vnc_connection_get_width (self->connection),
                                   hangar_vnc_connection_get_height (self->connection),
                                   stride);
}

static void
on_resized (HangarVncConnection *connection,
            int                  width,
            int                  height,
            HangarVncDisplay    *self)
{
  if (self->shown)
    show_screen (self);
}

static void
on_damaged (HangarVncConnection *connection,
            int                  x,
            int                  y,
            int                  width,
            int                  height,
            HangarVncDisplay    *self)
{
  /* Until the first update the screen is the black the connection allocated: it is
   * not shown, so that the first frame drawn is the guest's. */
  if (!self->shown)
    {
      self->shown = TRUE;
      show_screen (self);
    }
  else
    {
      _hangar_display_invalidate (HANGAR_DISPLAY (self), x, y, width, height);
    }
}

static void
on_cursor_changed (HangarVncConnection *connection,
                   GBytes              *pixels,
                   int                  width,
                   int                  height,
                   int                  hot_x,
                   int                  hot_y,
                   HangarVncDisplay    *self)
{
  g_autoptr(GdkTexture) texture = gdk_memory_texture_new (width, height,
                                                          GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
                                                          pixels, (gsize) width * 4);

  _hangar_display_set_cursor (HANGAR_DISPLAY (self), texture, hot_x, hot_y);
}

static void
on_closed (HangarVncConnection *connection,
           const GError        *error,
           HangarVncDisplay    *self)
{
  self->buttons = 0;
  self->shown = FALSE;
  _hangar_display_set_framebuffer (HANGAR_DISPLAY (self), NULL, 0, 0, 0);
  _hangar_display_set_state (HANGAR_DISPLAY (self), HANGAR_DISPLAY_DISCONNECTED, error);
}

static void
on_opened (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  HangarVncConnection *connection = HANGAR_VNC_CONNECTION (object);
  g_autoptr(HangarVncDisplay) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A failure reached on_closed already. */
  if (!hangar_vnc_connection_open_fd_finish (connection, result, &error) ||
      connection != self->connection)
    return;

  _hangar_display_set_state (HANGAR_DISPLAY (self), HANGAR_DISPLAY_CONNECTED, NULL);
}

/* ---- to the connection -------------------------------------------------------------- */

static void
hangar_vnc_display_key_event (HangarDisplay *display,
                              gboolean       pressed,
                              guint          keyval,
                              guint          keycode)
{
  HangarVncDisplay *self = HANGAR_VNC_DISPLAY (display);

  /* GDK keyvals are X keysyms, as RFB wants them. */
  hangar_vnc_connection_send_key (self->connection, keyval,
                                  hangar_keymap_evdev_to_qnum (keycode), pressed);
}

static void
hangar_vnc_display_pointer_motion (HangarDisplay *display,
                                   int            x,
                                   int            y)
{
  HangarVncDisplay *self = HANGAR_VNC_DISPLAY (display);

  hangar_vnc_connection_send_pointer (self->connection, x, y, self->buttons);
}

static void
hangar_vnc_display_pointer_button (HangarDisplay *display,
                                   int            x,
                                   int            y,
                                   guint          button,
                                   gboolean       pressed)
{
  HangarVncDisplay *self = HANGAR_VNC_DISPLAY (display);
  HangarVncButtons mask;

  switch (button)
    {
    case GDK_BUTTON_PRIMARY:
      mask = HANGAR_VNC_BUTTON_LEFT;
      break;

    case GDK_BUTTON_MIDDLE:
      mask = HANGAR_VNC_BUTTON_MIDDLE;
      break;

    case GDK_BUTTON_SECONDARY:
      mask = HANGAR_VNC_BUTTON_RIGHT;
      break;

    default:
      return;   /* RFB has no side buttons */
    }

  if (pressed)
    self->buttons |= mask;
  else
    self->buttons &= ~mask;
  hangar_vnc_connection_send_pointer (self->connection, x, y, self->buttons);
}

static void
click_wheel (HangarVncDisplay *self,
             int               x,
             int               y,
             HangarVncButtons  wheel,
             int               steps)
{
  for (int i = 0; i < steps; i++)
    {
      hangar_vnc_connection_send_pointer (self->connection, x, y, self->buttons | wheel);
      hangar_vnc_connection_send_pointer (self->connection, x, y, self->buttons);
    }
}

static void
hangar_vnc_display_scroll (HangarDisplay *display,
                           int            x,
                           int            y,
                           int            steps_x,
                           int            steps_y)
{
  HangarVncDisplay *self = HANGAR_VNC_DISPLAY (display);

  /* RFB's wheel is buttons 4 to 7, each step a click. */
  click_wheel (self, x, y, steps_y < 0 ? HANGAR_VNC_BUTTON_WHEEL_UP : HANGAR_VNC_BUTTON_WHEEL_DOWN,
               ABS (steps_y));
  click_wheel (self, x, y,
               steps_x < 0 ? HANGAR_VNC_BUTTON_WHEEL_LEFT : HANGAR_VNC_BUTTON_WHEEL_RIGHT,
               ABS (steps_x));
}

static void
hangar_vnc_display_close (HangarDisplay *display)
{
  HangarVncDisplay *self = HANGAR_VNC_DISPLAY (display);

  if (self->connection != NULL)
    hangar_vnc_connection_close (self->connection);
}

/* ---- public ------------------------------------------------------------------------------ */

GtkWidget *
hangar_vnc_display_new (void)
{
  return g_object_new (HANGAR_TYPE_VNC_DISPLAY, NULL);
}

static void
drop_connection (HangarVncDisplay *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      hangar_vnc_connection_close (self->connection);
      g_clear_object (&self->connection);
    }
}

/**
 * hangar_vnc_display_open_fd:
 * @fd: a stream socket connected to the guest's VNC server (Machine1.OpenConsole
 *   ("vnc")); the display takes it
 *
 * Connects, ending any connection the display had. The display's state tells how it goes.
 */
void
hangar_vnc_display_open_fd (HangarVncDisplay *self,
                            int               fd)
{
  g_return_if_fail (HANGAR_IS_VNC_DISPLAY (self));
  g_return_if_fail (fd >= 0);

  drop_connection (self);
  self->buttons = 0;
  self->shown = FALSE;
  _hangar_display_set_framebuffer (HANGAR_DISPLAY (self), NULL, 0, 0, 0);
  _hangar_display_set_state (HANGAR_DISPLAY (self), HANGAR_DISPLAY_CONNECTING, NULL);

  self->connection = hangar_vnc_connection_new ();
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self->connection, "resized", G_CALLBACK (on_resized), self);
  g_signal_connect (self->connection, "damaged", G_CALLBACK (on_damaged), self);
  g_signal_connect (self->connection, "cursor-changed", G_CALLBACK (on_cursor_changed), self);
  g_signal_connect (self->connection, "closed", G_CALLBACK (on_closed), self);
  hangar_vnc_connection_open_fd_async (self->connection, fd, self->cancellable, on_opened,
                                       g_object_ref (self));
}

/* The connection, for what the widget does not show (its name, the bell). */
HangarVncConnection *
hangar_vnc_display_get_connection (HangarVncDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_VNC_DISPLAY (self), NULL);

  return self->connection;
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
hangar_vnc_display_dispose (GObject *object)
{
  HangarVncDisplay *self = HANGAR_VNC_DISPLAY (object);

  drop_connection (self);

  G_OBJECT_CLASS (hangar_vnc_display_parent_class)->dispose (object);
}

static void
hangar_vnc_display_class_init (HangarVncDisplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HangarDisplayClass *display_class = HANGAR_DISPLAY_CLASS (klass);

  object_class->dispose = hangar_vnc_display_dispose;

  display_class->key_event = hangar_vnc_display_key_event;
  display_class->pointer_motion = hangar_vnc_display_pointer_motion;
  display_class->pointer_button = hangar_vnc_display_pointer_button;
  display_class->scroll = hangar_vnc_display_scroll;
  display_class->close = hangar_vnc_display_close;
}

static void
hangar_vnc_display_init (HangarVncDisplay *self)
{
}
