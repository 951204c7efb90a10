/* hangar-spice-display.c: a guest's SPICE console as a widget
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A HangarSpiceConnection drawn and driven through the HangarDisplay base: the
 * display channel's primary surface is the base's framebuffer (xRGB, its pad byte
 * made opaque where the base copies it), its damage the base's, keys go as
 * scancodes, the pointer as positions in client mouse mode and as motion in server
 * mode. With the guest's agent, the guest's screen follows the widget's size (when
 * the whole screen is fitted in), and text copied on either side can be pasted on
 * the other through the desktop's clipboard.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include "hangar-display-private.h"
#include "hangar-keymap.h"
#include "hangar-spice-connection.h"
#include "hangar-spice-display.h"

struct _HangarSpiceDisplay
{
  HangarDisplay          parent_instance;

  HangarSpiceConnection *connection;
  GCancellable          *cancellable;   /* the open, clipboard reads; per connection */
  HangarSpiceButtons     buttons;
  gboolean               have_last;     /* server mouse mode: last position sent */
  int                    last_x;
  int                    last_y;
  GdkTexture            *cursor;        /* the guest's pointer shape; NULL: the desktop's */
  int                    cursor_hot_x;
  int                    cursor_hot_y;
  int                    cursor_x;      /* server mouse mode: where the guest has it */
  int                    cursor_y;

  HangarSpiceFdFunc      fd_func;
  gpointer               fd_data;
  GDestroyNotify         fd_destroy;

  GdkClipboard          *clipboard;     /* followed while realized */
  GdkContentProvider    *guest_content; /* what the guest copied, set by us */
};

G_DEFINE_FINAL_TYPE (HangarSpiceDisplay, hangar_spice_display, HANGAR_TYPE_DISPLAY)

/* The smallest screen asked of a guest's agent: below it the widget is just squeezed. */
#define MIN_SCREEN_WIDTH 640
#define MIN_SCREEN_HEIGHT 400

/* ---- from the connection ------------------------------------------------------- */

static void
on_primary_changed (HangarSpiceConnection *connection,
                    HangarSpiceDisplay    *self)
{
  const guint8 *pixels;
  int width, height;
  gsize stride;

  pixels = hangar_spice_connection_get_pixels (connection, &width, &height, &stride);
  _hangar_display_set_framebuffer (HANGAR_DISPLAY (self), pixels, width, height, stride);
}

static void
on_damaged (HangarSpiceConnection *connection,
            int                    x,
            int                    y,
            int                    width,
            int                    height,
            HangarSpiceDisplay    *self)
{
  _hangar_display_invalidate (HANGAR_DISPLAY (self), x, y, width, height);
}

/* Client mouse mode: the desktop's pointer takes the guest's shape. Server mode: the
 * guest moves its own pointer, so its shape is drawn where the guest says and the
 * desktop's is hidden over the display. */
static void
show_cursor (HangarSpiceDisplay *self)
{
  HangarDisplay *display = HANGAR_DISPLAY (self);

  if (self->cursor != NULL && self->connection != NULL &&
      hangar_spice_connection_get_mouse_mode (self->connection) == HANGAR_SPICE_MOUSE_SERVER)
    {
      _hangar_display_set_guest_pointer (display, self->cursor, self->cursor_hot_x,
                                         self->cursor_hot_y, self->cursor_x, self->cursor_y);
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");
      return;
    }
  _hangar_display_set_guest_pointer (display, NULL, 0, 0, 0, 0);
  _hangar_display_set_cursor (display, self->cursor, self->cursor_hot_x, self->cursor_hot_y);
}

static void
on_cursor_changed (HangarSpiceConnection *connection,
                   GBytes                *pixels,
                   int                    width,
                   int                    height,
                   int                    hot_x,
                   int                    hot_y,
                   HangarSpiceDisplay    *self)
{
  g_clear_object (&self->cursor);
  if (pixels != NULL)
    self->cursor = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, pixels,
                                           (gsize) width * 4);
  self->cursor_hot_x = hot_x;
  self->cursor_hot_y = hot_y;
  show_cursor (self);
}

static void
on_cursor_moved (HangarSpiceConnection *connection,
                 int                    x,
                 int                    y,
                 HangarSpiceDisplay    *self)
{
  self->cursor_x = x;
  self->cursor_y = y;
  show_cursor (self);
}

static void
on_mouse_mode (HangarSpiceDisplay *self)
{
  self->have_last = FALSE;
  show_cursor (self);
}

static void
on_closed (HangarSpiceConnection *connection,
           const GError          *error,
           HangarSpiceDisplay    *self)
{
  self->buttons = 0;
  self->have_last = FALSE;
  g_clear_object (&self->cursor);
  _hangar_display_set_guest_pointer (HANGAR_DISPLAY (self), NULL, 0, 0, 0, 0);
  _hangar_display_set_framebuffer (HANGAR_DISPLAY (self), NULL, 0, 0, 0);
  _hangar_display_set_state (HANGAR_DISPLAY (self), HANGAR_DISPLAY_DISCONNECTED, error);
}

static void
on_opened (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  HangarSpiceConnection *connection = HANGAR_SPICE_CONNECTION (object);
  GWeakRef *weak = user_data;
  g_autoptr(HangarSpiceDisplay) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;
  gboolean opened;

  opened = hangar_spice_connection_open_fd_finish (connection, result, &error);
  g_weak_ref_clear (weak);
  g_free (weak);
  /* A failure reached on_closed already. */
  if (!opened || self == NULL || connection != self->connection)
    return;

  _hangar_display_set_state (HANGAR_DISPLAY (self), HANGAR_DISPLAY_CONNECTED, NULL);
}

/* ---- the clipboard ------------------------------------------------------------------ */

static void
on_guest_copied (HangarSpiceConnection *connection,
                 const char            *text,
                 HangarSpiceDisplay    *self)
{
  GValue value = G_VALUE_INIT;

  if (self->clipboard == NULL)
    return;
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  g_clear_object (&self->guest_content);
  self->guest_content = gdk_content_provider_new_for_value (&value);
  g_value_unset (&value);
  gdk_clipboard_set_content (self->clipboard, self->guest_content);
}

static void
on_desktop_text_read (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(HangarSpiceDisplay) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->connection == NULL)
    return;
  if (error != NULL)
    g_debug ("The desktop's clipboard could not be read: %s", error->message);
  hangar_spice_connection_send_clipboard_text (self->connection, text);
}

static void
on_guest_pastes (HangarSpiceConnection *connection,
                 HangarSpiceDisplay    *self)
{
  if (self->clipboard == NULL)
    {
      hangar_spice_connection_send_clipboard_text (connection, NULL);
      return;
    }
  gdk_clipboard_read_text_async (self->clipboard, self->cancellable, on_desktop_text_read,
                                 g_object_ref (self));
}

/* The desktop's clipboard changed: offer its text to the guest, unless it came from there. */
static void
on_clipboard_changed (GdkClipboard       *clipboard,
                      HangarSpiceDisplay *self)
{
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (self->connection == NULL ||
      (self->guest_content != NULL &&
       gdk_clipboard_get_content (clipboard) == self->guest_content))
    return;
  if (gdk_content_formats_contain_gtype (formats, G_TYPE_STRING) ||
      gdk_content_formats_contain_mime_type (formats, "text/plain;charset=utf-8"))
    hangar_spice_connection_grab_clipboard (self->connection);
  else
    hangar_spice_connection_release_clipboard (self->connection);
}

static void
on_agent_connected (HangarSpiceDisplay *self)
{
  /* What the desktop holds now is new to an agent that just started. */
  if (self->clipboard != NULL && hangar_spice_connection_get_agent_connected (self->connection))
    on_clipboard_changed (self->clipboard, self);
}

/* ---- to the connection -------------------------------------------------------------- */

static void
hangar_spice_display_key_event (HangarDisplay *display,
                                gboolean       pressed,
                                guint          keyval,
                                guint          keycode)
{
  HangarSpiceDisplay *self = HANGAR_SPICE_DISPLAY (display);

  /* SPICE takes keys only by place; one the keyboard does not place may still be on a
   * PC keyboard (the Send key keys). */
  if (keycode == 0)
    keycode = hangar_keymap_keyval_to_evdev (keyval);
  if (keycode == 0)
    {
      g_debug ("No scancode for keyval 0x%x: not sent", keyval);
      return;
    }
  hangar_spice_connection_send_key (self->connection, hangar_keymap_evdev_to_qnum (keycode),
                                    pressed);
}

static void
move_to (HangarSpiceDisplay *self,
         int                 x,
         int                 y)
{
  if (hangar_spice_connection_get_mouse_mode (self->connection) == HANGAR_SPICE_MOUSE_CLIENT)
    {
      hangar_spice_connection_send_position (self->connection, x, y, self->buttons);
      return;
    }

  /* Server mode: the guest moves its own pointer by what ours moved. */
  if (self->have_last)
    hangar_spice_connection_send_motion (self->connection, x - self->last_x, y - self->last_y,
                                         self->buttons);
  self->have_last = TRUE;
  self->last_x = x;
  self->last_y = y;
}

static void
hangar_spice_display_pointer_motion (HangarDisplay *display,
                                     int            x,
                                     int            y)
{
  move_to (HANGAR_SPICE_DISPLAY (display), x, y);
}

static void
hangar_spice_display_pointer_button (HangarDisplay *display,
                                     int            x,
                                     int            y,
                                     guint          button,
                                     gboolean       pressed)
{
  HangarSpiceDisplay *self = HANGAR_SPICE_DISPLAY (display);
  HangarSpiceButtonId id;
  HangarSpiceButtons mask = 0;

  switch (button)
    {
    case GDK_BUTTON_PRIMARY:
      id = HANGAR_SPICE_BUTTON_ID_LEFT;
      mask = HANGAR_SPICE_BUTTON_LEFT;
      break;

    case GDK_BUTTON_MIDDLE:
      id = HANGAR_SPICE_BUTTON_ID_MIDDLE;
      mask = HANGAR_SPICE_BUTTON_MIDDLE;
      break;

    case GDK_BUTTON_SECONDARY:
      id = HANGAR_SPICE_BUTTON_ID_RIGHT;
      mask = HANGAR_SPICE_BUTTON_RIGHT;
      break;

    case 8:
      id = HANGAR_SPICE_BUTTON_ID_SIDE;
      break;

    case 9:
      id = HANGAR_SPICE_BUTTON_ID_EXTRA;
      break;

    default:
      return;
    }

  move_to (self, x, y);
  hangar_spice_connection_send_button (self->connection, id, pressed, self->buttons);
  if (pressed)
    self->buttons |= mask;
  else
    self->buttons &= ~mask;
}

static void
hangar_spice_display_scroll (HangarDisplay *display,
                             int            x,
                             int            y,
                             int            steps_x,
                             int            steps_y)
{
  HangarSpiceDisplay *self = HANGAR_SPICE_DISPLAY (display);
  HangarSpiceButtonId wheel = steps_y < 0 ? HANGAR_SPICE_BUTTON_ID_WHEEL_UP
                                          : HANGAR_SPICE_BUTTON_ID_WHEEL_DOWN;

  /* SPICE's wheel is vertical only, a click a step. */
  move_to (self, x, y);
  for (int i = 0; i < ABS (steps_y); i++)
    {
      hangar_spice_connection_send_button (self->connection, wheel, TRUE, self->buttons);
      hangar_spice_connection_send_button (self->connection, wheel, FALSE, self->buttons);
    }
}

static void
hangar_spice_display_close (HangarDisplay *display)
{
  HangarSpiceDisplay *self = HANGAR_SPICE_DISPLAY (display);

  if (self->connection != NULL)
    hangar_spice_connection_close (self->connection);
}

/* The guest's screen follows the widget, in device pixels, while it is fitted in. */
static void
hangar_spice_display_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  HangarSpiceDisplay *self = HANGAR_SPICE_DISPLAY (widget);
  int scale_factor = gtk_widget_get_scale_factor (widget);

  if (GTK_WIDGET_CLASS (hangar_spice_display_parent_class)->size_allocate != NULL)
    GTK_WIDGET_CLASS (hangar_spice_display_parent_class)->size_allocate (widget, width, height,
                                                                         baseline);
  if (self->connection == NULL ||
      hangar_display_get_scale (HANGAR_DISPLAY (self)) != HANGAR_DISPLAY_SCALE_FIT)
    return;
  hangar_spice_connection_set_screen_size (self->connection,
                                           MAX (width * scale_factor, MIN_SCREEN_WIDTH),
                                           MAX (height * scale_factor, MIN_SCREEN_HEIGHT));
}

/* ---- public ------------------------------------------------------------------------------ */

GtkWidget *
hangar_spice_display_new (void)
{
  return g_object_new (HANGAR_TYPE_SPICE_DISPLAY, NULL);
}

/**
 * hangar_spice_display_set_fd_func:
 * @func: (nullable): how to get another socket to the guest's SPICE server
 *   (Machine1.OpenConsole ("spice") again): see #HangarSpiceFdFunc
 *
 * SPICE opens a socket per channel; set this before hangar_spice_display_open_fd().
 */
void
hangar_spice_display_set_fd_func (HangarSpiceDisplay *self,
                                  HangarSpiceFdFunc   func,
                                  gpointer            user_data,
                                  GDestroyNotify      destroy)
{
  g_return_if_fail (HANGAR_IS_SPICE_DISPLAY (self));

  if (self->fd_destroy != NULL)
    self->fd_destroy (self->fd_data);
  self->fd_func = func;
  self->fd_data = user_data;
  self->fd_destroy = destroy;
  if (self->connection != NULL)
    hangar_spice_connection_set_fd_func (self->connection, func, user_data, NULL);
}

static void
drop_connection (HangarSpiceDisplay *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      hangar_spice_connection_close (self->connection);
      hangar_spice_connection_set_fd_func (self->connection, NULL, NULL, NULL);
      g_clear_object (&self->connection);
    }
}

/**
 * hangar_spice_display_open_fd:
 * @fd: a stream socket connected to the guest's SPICE server (Machine1.OpenConsole
 *   ("spice")); the display takes it
 *
 * Connects, ending any connection the display had. The display's state tells how it goes.
 */
void
hangar_spice_display_open_fd (HangarSpiceDisplay *self,
                              int                 fd)
{
  GWeakRef *weak;

  g_return_if_fail (HANGAR_IS_SPICE_DISPLAY (self));
  g_return_if_fail (fd >= 0);

  drop_connection (self);
  self->buttons = 0;
  self->have_last = FALSE;
  g_clear_object (&self->cursor);
  _hangar_display_set_guest_pointer (HANGAR_DISPLAY (self), NULL, 0, 0, 0, 0);
  _hangar_display_set_framebuffer (HANGAR_DISPLAY (self), NULL, 0, 0, 0);
  _hangar_display_set_state (HANGAR_DISPLAY (self), HANGAR_DISPLAY_CONNECTING, NULL);

  self->connection = hangar_spice_connection_new ();
  self->cancellable = g_cancellable_new ();
  hangar_spice_connection_set_fd_func (self->connection, self->fd_func, self->fd_data, NULL);
  g_signal_connect (self->connection, "primary-changed", G_CALLBACK (on_primary_changed), self);
  g_signal_connect (self->connection, "damaged", G_CALLBACK (on_damaged), self);
  g_signal_connect (self->connection, "cursor-changed", G_CALLBACK (on_cursor_changed), self);
  g_signal_connect (self->connection, "cursor-moved", G_CALLBACK (on_cursor_moved), self);
  g_signal_connect_swapped (self->connection, "notify::mouse-mode", G_CALLBACK (on_mouse_mode),
                            self);
  g_signal_connect_swapped (self->connection, "notify::agent-connected",
                            G_CALLBACK (on_agent_connected), self);
  g_signal_connect (self->connection, "clipboard-text", G_CALLBACK (on_guest_copied), self);
  g_signal_connect (self->connection, "clipboard-request", G_CALLBACK (on_guest_pastes), self);
  g_signal_connect (self->connection, "closed", G_CALLBACK (on_closed), self);
  /* A weak reference: a silent server must not keep a display the window dropped, whose
   * dispose closes the connection. */
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  hangar_spice_connection_open_fd_async (self->connection, fd, self->cancellable, on_opened,
                                         weak);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* The connection, for what the widget does not show (the mouse mode, the agent). */
HangarSpiceConnection *
hangar_spice_display_get_connection (HangarSpiceDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_SPICE_DISPLAY (self), NULL);

  return self->connection;
}

/* ---- GtkWidget, GObject ---------------------------------------------------------------- */

static void
hangar_spice_display_realize (GtkWidget *widget)
{
  HangarSpiceDisplay *self = HANGAR_SPICE_DISPLAY (widget);

  GTK_WIDGET_CLASS (hangar_spice_display_parent_class)->realize (widget);

  self->clipboard = g_object_ref (gtk_widget_get_clipboard (widget));
  g_signal_connect (self->clipboard, "changed", G_CALLBACK (on_clipboard_changed), self);
}

static void
hangar_spice_display_unrealize (GtkWidget *widget)
{
  HangarSpiceDisplay *self = HANGAR_SPICE_DISPLAY (widget);

  if (self->clipboard != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->clipboard, self);
      g_clear_object (&self->clipboard);
    }

  GTK_WIDGET_CLASS (hangar_spice_display_parent_class)->unrealize (widget);
}

static void
hangar_spice_display_dispose (GObject *object)
{
  HangarSpiceDisplay *self = HANGAR_SPICE_DISPLAY (object);

  drop_connection (self);
  hangar_spice_display_set_fd_func (self, NULL, NULL, NULL);
  g_clear_object (&self->guest_content);
  g_clear_object (&self->cursor);

  G_OBJECT_CLASS (hangar_spice_display_parent_class)->dispose (object);
}

static void
hangar_spice_display_class_init (HangarSpiceDisplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  HangarDisplayClass *display_class = HANGAR_DISPLAY_CLASS (klass);

  object_class->dispose = hangar_spice_display_dispose;

  widget_class->realize = hangar_spice_display_realize;
  widget_class->unrealize = hangar_spice_display_unrealize;
  widget_class->size_allocate = hangar_spice_display_size_allocate;

  display_class->key_event = hangar_spice_display_key_event;
  display_class->pointer_motion = hangar_spice_display_pointer_motion;
  display_class->pointer_button = hangar_spice_display_pointer_button;
  display_class->scroll = hangar_spice_display_scroll;
  display_class->close = hangar_spice_display_close;
}

static void
hangar_spice_display_init (HangarSpiceDisplay *self)
{
  _hangar_display_set_pad_unset (HANGAR_DISPLAY (self), TRUE);
}
