/* hangar-display.c: the base of the guest display widgets, whatever the protocol
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Draws the guest's screen from memory that the subclass owns, as tiles of 128×128
 * guest pixels, each its own texture: GTK 4.8 cannot update part of a texture, so
 * damage marks tiles, and at most once per frame clock tick (in snapshot) only the
 * marked tiles are copied into new textures. The other tiles keep their textures,
 * so GSK's render node diff sees them unchanged and repaints only the new ones: a
 * blinking cursor costs one tile, not the screen. Tile edges fall on whole device
 * pixels, so a scaled screen shows no seams.
 *
 * Each tile's render node is kept too, and appended again while neither the tile
 * nor the geometry changed: the same node is what makes GSK's diff skip it. GTK 4.8's
 * cairo renderer converts a texture node's pixels through floats every time it draws
 * one (~80 % of a viewer's CPU here); with that renderer a tile is a cairo node
 * instead, whose recording pixman paints as it is, and only inside the damage.
 *
 * Input is taken before GTK sees it: a key controller in the capture phase (so Tab
 * and F10 reach the guest, not focus navigation or the menu), a legacy controller for
 * the buttons (a click gesture would swallow drags and second buttons), motion and
 * scroll controllers for the rest. While the pointer is in the display and it has the
 * focus, the toplevel's system shortcuts are inhibited (the keyboard grab on X11);
 * Ctrl+Alt gives them back until the next click.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hangar-display-private.h"
#include "hangar-keymap.h"

typedef struct
{
  HangarDisplayState  state;
  GError             *error;
  HangarDisplayScale  scale;

  /* The screen, owned by the subclass. */
  const guint8       *pixels;
  int                 width;
  int                 height;
  gsize               stride;
  gboolean            damaged;     /* some tile since the last frame */
  GskRenderNode     **tiles;       /* tiles_x × tiles_y, row by row; NULL: to make */
  int                 tiles_x;
  int                 tiles_y;
  graphene_rect_t     tiles_area;  /* where the tiles' nodes draw the screen */
  gboolean            tiles_cairo; /* they are cairo nodes, for the cairo renderer */
  guint               frames_drawn;
  gboolean            frame_made;  /* in this frame clock tick: notify after paint */
  GdkFrameClock      *frame_clock;
  gulong              after_paint_id;

  /* Input. */
  int                 evdev_offset;    /* hardware keycode - Linux code; -1: unknown */
  GHashTable         *pressed;         /* hardware keycode → keyval sent down */
  gboolean            pointer_inside;
  double              pointer_x, pointer_y;
  double              scroll_dx, scroll_dy;

  /* The keyboard grab. */
  GdkToplevel        *grab_toplevel;   /* while inhibiting its shortcuts */
  gulong              grab_notify_id;
  gboolean            grabbed;
  gboolean            grab_given_back; /* Ctrl+Alt: none again until a click */
} HangarDisplayPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (HangarDisplay, hangar_display, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (HangarDisplayState, hangar_display_state,
  G_DEFINE_ENUM_VALUE (HANGAR_DISPLAY_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (HANGAR_DISPLAY_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (HANGAR_DISPLAY_DISCONNECTED, "disconnected"))

G_DEFINE_ENUM_TYPE (HangarDisplayScale, hangar_display_scale,
  G_DEFINE_ENUM_VALUE (HANGAR_DISPLAY_SCALE_FIT, "fit"),
  G_DEFINE_ENUM_VALUE (HANGAR_DISPLAY_SCALE_ONE_TO_ONE, "one-to-one"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR,
  PROP_GUEST_WIDTH,
  PROP_GUEST_HEIGHT,
  PROP_SCALE,
  PROP_GRABBED,
  PROP_FRAMES_DRAWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define PRIV(self) ((HangarDisplayPrivate *) hangar_display_get_instance_private (self))

#define TILE_SIZE 128

/* ---- geometry ------------------------------------------------------------------- */

static double
snap (double value,
      int    scale_factor)
{
  return round (value * scale_factor) / scale_factor;
}

void
hangar_display_compute_area (HangarDisplayScale  scale,
                             int                 widget_width,
                             int                 widget_height,
                             int                 guest_width,
                             int                 guest_height,
                             int                 scale_factor,
                             graphene_rect_t    *area)
{
  double width, height;

  g_return_if_fail (area != NULL);

  scale_factor = MAX (scale_factor, 1);
  if (guest_width <= 0 || guest_height <= 0 || widget_width <= 0 || widget_height <= 0)
    {
      graphene_rect_init (area, 0, 0, 0, 0);
      return;
    }

  if (scale == HANGAR_DISPLAY_SCALE_ONE_TO_ONE)
    {
      width = (double) guest_width / scale_factor;
      height = (double) guest_height / scale_factor;
    }
  else
    {
      double factor = MIN ((double) widget_width / guest_width,
                           (double) widget_height / guest_height);

      width = MAX (snap (guest_width * factor, scale_factor), 1.0 / scale_factor);
      height = MAX (snap (guest_height * factor, scale_factor), 1.0 / scale_factor);
    }

  graphene_rect_init (area,
                      MAX (0, snap ((widget_width - width) / 2, scale_factor)),
                      MAX (0, snap ((widget_height - height) / 2, scale_factor)),
                      width, height);
}

static void
current_area (HangarDisplay   *self,
              graphene_rect_t *area)
{
  HangarDisplayPrivate *priv = PRIV (self);
  GtkWidget *widget = GTK_WIDGET (self);

  hangar_display_compute_area (priv->scale,
                               gtk_widget_get_width (widget), gtk_widget_get_height (widget),
                               priv->width, priv->height,
                               gtk_widget_get_scale_factor (widget), area);
}

/**
 * hangar_display_widget_to_guest:
 * @x: in the widget's coordinates
 * @guest_x: (out): the guest pixel under it, clamped to the screen
 *
 * Returns: whether (@x, @y) is on the guest's screen.
 */
gboolean
hangar_display_widget_to_guest (HangarDisplay *self,
                                double         x,
                                double         y,
                                int           *guest_x,
                                int           *guest_y)
{
  HangarDisplayPrivate *priv;
  graphene_rect_t area;
  double u, v;

  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), FALSE);
  g_return_val_if_fail (guest_x != NULL && guest_y != NULL, FALSE);

  priv = PRIV (self);
  *guest_x = *guest_y = 0;
  current_area (self, &area);
  if (area.size.width <= 0 || area.size.height <= 0)
    return FALSE;

  u = (x - area.origin.x) / area.size.width * priv->width;
  v = (y - area.origin.y) / area.size.height * priv->height;
  *guest_x = CLAMP ((int) floor (u), 0, priv->width - 1);
  *guest_y = CLAMP ((int) floor (v), 0, priv->height - 1);
  return u >= 0 && u < priv->width && v >= 0 && v < priv->height;
}

/* ---- drawing -------------------------------------------------------------------- */

/* A texture of these guest pixels; a texture must never change, so they are copied. */
static GdkTexture *
make_texture (HangarDisplayPrivate *priv,
              int                   x,
              int                   y,
              int                   width,
              int                   height)
{
  gsize row = (gsize) width * 4;
  guint8 *copy = g_malloc (row * height);
  g_autoptr(GBytes) bytes = NULL;

  g_assert (priv->pixels != NULL);
  g_assert (x >= 0 && y >= 0 && x + width <= priv->width && y + height <= priv->height);
  for (int i = 0; i < height; i++)
    memcpy (copy + row * i, priv->pixels + priv->stride * (y + i) + (gsize) x * 4, row);
  bytes = g_bytes_new_take (copy, row * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, row);
}

static void
clear_tiles (HangarDisplayPrivate *priv)
{
  for (int i = 0; i < priv->tiles_x * priv->tiles_y; i++)
    g_clear_pointer (&priv->tiles[i], gsk_render_node_unref);
}

/* A tile's pixels as a cairo node: recorded once, painted by pixman as they are. */
static GskRenderNode *
make_cairo_tile (HangarDisplayPrivate  *priv,
                 int                    x,
                 int                    y,
                 int                    width,
                 int                    height,
                 const graphene_rect_t *bounds)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  int stride = cairo_image_surface_get_stride (surface);
  guint8 *data = cairo_image_surface_get_data (surface);
  GskRenderNode *node = gsk_cairo_node_new (bounds);
  cairo_t *cr = gsk_cairo_node_get_draw_context (node);

  /* CAIRO_FORMAT_ARGB32 is B, G, R, A in memory on a little-endian host, as the
   * pixels are; elsewhere the texture path is taken. */
  for (int i = 0; i < height; i++)
    memcpy (data + (gsize) stride * i, priv->pixels + priv->stride * (y + i) + (gsize) x * 4,
            (gsize) width * 4);
  cairo_surface_mark_dirty (surface);

  cairo_translate (cr, bounds->origin.x, bounds->origin.y);
  cairo_scale (cr, bounds->size.width / width, bounds->size.height / height);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return node;
}

static void
free_tiles (HangarDisplayPrivate *priv)
{
  if (priv->tiles != NULL)
    clear_tiles (priv);
  g_clear_pointer (&priv->tiles, g_free);
  priv->tiles_x = priv->tiles_y = 0;
}

static void
hangar_display_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  HangarDisplay *self = HANGAR_DISPLAY (widget);
  HangarDisplayPrivate *priv = PRIV (self);
  int scale_factor = gtk_widget_get_scale_factor (widget);
  graphene_rect_t area;
  double scale_x, scale_y;
  gboolean made = FALSE;
  gboolean use_cairo;

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                             &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                  gtk_widget_get_height (widget)));
  if (priv->pixels == NULL)
    return;

  /* Nodes drawn for another place or another renderer are made again. */
  current_area (self, &area);
  use_cairo = G_BYTE_ORDER == G_LITTLE_ENDIAN &&
              GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (gtk_widget_get_native (widget)));
  if (!graphene_rect_equal (&area, &priv->tiles_area) || use_cairo != priv->tiles_cairo)
    {
      clear_tiles (priv);
      priv->tiles_area = area;
      priv->tiles_cairo = use_cairo;
    }

  scale_x = area.size.width / priv->width;
  scale_y = area.size.height / priv->height;
  for (int ty = 0; ty < priv->tiles_y; ty++)
    {
      int y = ty * TILE_SIZE;
      int height = MIN (TILE_SIZE, priv->height - y);
      double top = area.origin.y + snap (y * scale_y, scale_factor);
      double bottom = area.origin.y + snap ((y + height) * scale_y, scale_factor);

      for (int tx = 0; tx < priv->tiles_x; tx++)
        {
          GskRenderNode **tile = &priv->tiles[ty * priv->tiles_x + tx];
          int x = tx * TILE_SIZE;
          int width = MIN (TILE_SIZE, priv->width - x);
          double left = area.origin.x + snap (x * scale_x, scale_factor);
          double right = area.origin.x + snap ((x + width) * scale_x, scale_factor);
          graphene_rect_t bounds = GRAPHENE_RECT_INIT (left, top, right - left, bottom - top);

          if (right <= left || bottom <= top)
            continue;
          if (*tile == NULL)
            {
              if (use_cairo)
                {
                  *tile = make_cairo_tile (priv, x, y, width, height, &bounds);
                }
              else
                {
                  g_autoptr(GdkTexture) texture = make_texture (priv, x, y, width, height);

                  *tile = gsk_texture_node_new (texture, &bounds);
                }
              made = TRUE;
            }
          gtk_snapshot_append_node (snapshot, *tile);
        }
    }

  priv->damaged = FALSE;
  if (made)
    {
      priv->frames_drawn++;
      priv->frame_made = TRUE;
    }
}

static void
on_after_paint (GdkFrameClock *clock,
                HangarDisplay *self)
{
  HangarDisplayPrivate *priv = PRIV (self);

  if (priv->frame_made)
    {
      priv->frame_made = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMES_DRAWN]);
    }
}

static void
hangar_display_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  HangarDisplay *self = HANGAR_DISPLAY (widget);
  HangarDisplayPrivate *priv = PRIV (self);
  int scale_factor = gtk_widget_get_scale_factor (widget);
  int guest = orientation == GTK_ORIENTATION_HORIZONTAL ? priv->width : priv->height;
  int size = (guest + scale_factor - 1) / scale_factor;

  *natural = size;
  *minimum = priv->scale == HANGAR_DISPLAY_SCALE_ONE_TO_ONE ? size : 0;
}

/* ---- the keyboard grab ------------------------------------------------------------- */

static void
update_grabbed (HangarDisplay *self)
{
  HangarDisplayPrivate *priv = PRIV (self);
  gboolean grabbed = FALSE;

  if (priv->grab_toplevel != NULL)
    g_object_get (priv->grab_toplevel, "shortcuts-inhibited", &grabbed, NULL);
  if (grabbed != priv->grabbed)
    {
      priv->grabbed = grabbed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRABBED]);
    }
}

static void
take_grab (HangarDisplay *self,
           GdkEvent      *event)
{
  HangarDisplayPrivate *priv = PRIV (self);
  GtkNative *native;
  GdkSurface *surface;

  if (priv->grab_toplevel != NULL || priv->state != HANGAR_DISPLAY_CONNECTED ||
      !gtk_widget_has_focus (GTK_WIDGET (self)))
    return;
  native = gtk_widget_get_native (GTK_WIDGET (self));
  surface = native != NULL ? gtk_native_get_surface (native) : NULL;
  if (!GDK_IS_TOPLEVEL (surface))
    return;

  priv->grab_toplevel = GDK_TOPLEVEL (g_object_ref (surface));
  priv->grab_notify_id = g_signal_connect_swapped (priv->grab_toplevel,
                                                   "notify::shortcuts-inhibited",
                                                   G_CALLBACK (update_grabbed), self);
  gdk_toplevel_inhibit_system_shortcuts (priv->grab_toplevel, event);
  update_grabbed (self);
}

static void
give_back_grab (HangarDisplay *self)
{
  HangarDisplayPrivate *priv = PRIV (self);

  if (priv->grab_toplevel == NULL)
    return;
  g_clear_signal_handler (&priv->grab_notify_id, priv->grab_toplevel);
  gdk_toplevel_restore_system_shortcuts (priv->grab_toplevel);
  g_clear_object (&priv->grab_toplevel);
  update_grabbed (self);
}

/**
 * hangar_display_release_grab:
 *
 * Gives the keyboard back to the desktop, as Ctrl+Alt does, until the next click.
 */
void
hangar_display_release_grab (HangarDisplay *self)
{
  g_return_if_fail (HANGAR_IS_DISPLAY (self));

  PRIV (self)->grab_given_back = TRUE;
  give_back_grab (self);
}

/* ---- keys ----------------------------------------------------------------------------- */

/* GDK gives X keycodes, which are Linux codes + 8 wherever the keycodes are evdev's
 * (Wayland; X with the evdev or libinput driver, Xvfb). Tell by where Up is. */
static void
find_evdev_offset (HangarDisplay *self)
{
  HangarDisplayPrivate *priv = PRIV (self);
  g_autofree GdkKeymapKey *keys = NULL;
  int n_keys = 0;

  priv->evdev_offset = -1;
  if (!gdk_display_map_keyval (gtk_widget_get_display (GTK_WIDGET (self)), GDK_KEY_Up,
                               &keys, &n_keys))
    return;
  for (int i = 0; i < n_keys; i++)
    if (keys[i].keycode == 103 + 8)
      priv->evdev_offset = 8;
  if (priv->evdev_offset < 0)
    g_debug ("The keyboard does not use evdev codes: keys go to guests as keysyms");
}

static guint
keycode_to_evdev (HangarDisplayPrivate *priv,
                  guint                 keycode)
{
  if (priv->evdev_offset < 0 || keycode <= (guint) priv->evdev_offset)
    return 0;
  return keycode - priv->evdev_offset;
}

static void
send_key (HangarDisplay *self,
          gboolean       pressed,
          guint          keyval,
          guint          keycode)
{
  HangarDisplayClass *klass = HANGAR_DISPLAY_GET_CLASS (self);

  if (klass->key_event != NULL)
    klass->key_event (self, pressed, keyval, keycode);
}

static void
release_pressed_keys (HangarDisplay *self)
{
  HangarDisplayPrivate *priv = PRIV (self);
  GHashTableIter iter;
  gpointer keycode, keyval;

  g_hash_table_iter_init (&iter, priv->pressed);
  while (g_hash_table_iter_next (&iter, &keycode, &keyval))
    {
      g_hash_table_iter_remove (&iter);
      if (priv->state == HANGAR_DISPLAY_CONNECTED)
        send_key (self, FALSE, GPOINTER_TO_UINT (keyval),
                  keycode_to_evdev (priv, GPOINTER_TO_UINT (keycode)));
    }
}

static gboolean
is_control (guint keyval)
{
  return keyval == GDK_KEY_Control_L || keyval == GDK_KEY_Control_R;
}

static gboolean
is_alt (guint keyval)
{
  return keyval == GDK_KEY_Alt_L || keyval == GDK_KEY_Alt_R ||
         keyval == GDK_KEY_Meta_L || keyval == GDK_KEY_Meta_R;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                HangarDisplay         *self)
{
  HangarDisplayPrivate *priv = PRIV (self);

  if (priv->state != HANGAR_DISPLAY_CONNECTED)
    return FALSE;

  /* Ctrl+Alt, pressed in either order, gives the keyboard back to the desktop. */
  if ((is_control (keyval) && (state & GDK_ALT_MASK)) ||
      (is_alt (keyval) && (state & GDK_CONTROL_MASK)))
    hangar_display_release_grab (self);

  g_hash_table_insert (priv->pressed, GUINT_TO_POINTER (keycode), GUINT_TO_POINTER (keyval));
  send_key (self, TRUE, keyval, keycode_to_evdev (priv, keycode));
  return TRUE;
}

static void
on_key_released (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 HangarDisplay         *self)
{
  HangarDisplayPrivate *priv = PRIV (self);
  gpointer pressed_keyval;

  /* The keysym it went down with, even if the modifiers changed since. */
  if (!g_hash_table_steal_extended (priv->pressed, GUINT_TO_POINTER (keycode), NULL,
                                    &pressed_keyval))
    return;
  if (priv->state == HANGAR_DISPLAY_CONNECTED)
    send_key (self, FALSE, GPOINTER_TO_UINT (pressed_keyval), keycode_to_evdev (priv, keycode));
}

/**
 * hangar_display_send_keys:
 * @keyvals: (array length=n_keyvals): keys pressed in this order, then released in
 *   the reverse order: { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_Delete }
 *
 * For the Send key menu: combinations the desktop would take for itself. The keys
 * are sent by their place on a PC keyboard (modifiers, function, editing and cursor
 * keys: see hangar_keymap_keyval_to_evdev()), else as keysyms.
 */
void
hangar_display_send_keys (HangarDisplay *self,
                          const guint   *keyvals,
                          gsize          n_keyvals)
{
  g_return_if_fail (HANGAR_IS_DISPLAY (self));
  g_return_if_fail (keyvals != NULL || n_keyvals == 0);

  if (PRIV (self)->state != HANGAR_DISPLAY_CONNECTED)
    return;
  for (gsize i = 0; i < n_keyvals; i++)
    send_key (self, TRUE, keyvals[i], hangar_keymap_keyval_to_evdev (keyvals[i]));
  for (gsize i = n_keyvals; i > 0; i--)
    send_key (self, FALSE, keyvals[i - 1], hangar_keymap_keyval_to_evdev (keyvals[i - 1]));
}

/* ---- pointer ---------------------------------------------------------------------------- */

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           HangarDisplay            *self)
{
  HangarDisplayPrivate *priv = PRIV (self);
  HangarDisplayClass *klass = HANGAR_DISPLAY_GET_CLASS (self);
  int guest_x, guest_y;

  priv->pointer_x = x;
  priv->pointer_y = y;
  if (priv->state != HANGAR_DISPLAY_CONNECTED || klass->pointer_motion == NULL)
    return;
  hangar_display_widget_to_guest (self, x, y, &guest_x, &guest_y);
  klass->pointer_motion (self, guest_x, guest_y);
}

static void
on_enter (GtkEventControllerMotion *controller,
          double                    x,
          double                    y,
          HangarDisplay            *self)
{
  HangarDisplayPrivate *priv = PRIV (self);

  priv->pointer_inside = TRUE;
  if (!priv->grab_given_back)
    take_grab (self, NULL);
  on_motion (controller, x, y, self);
}

static void
on_leave (GtkEventControllerMotion *controller,
          HangarDisplay            *self)
{
  HangarDisplayPrivate *priv = PRIV (self);

  priv->pointer_inside = FALSE;
  priv->grab_given_back = FALSE;
  give_back_grab (self);
}

static gboolean
on_legacy_event (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 HangarDisplay            *self)
{
  HangarDisplayPrivate *priv = PRIV (self);
  HangarDisplayClass *klass = HANGAR_DISPLAY_GET_CLASS (self);
  GdkEventType type = gdk_event_get_event_type (event);
  GtkWidget *widget = GTK_WIDGET (self);
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t point;
  double x, y, native_x, native_y;
  int guest_x, guest_y;

  if (type != GDK_BUTTON_PRESS && type != GDK_BUTTON_RELEASE)
    return FALSE;
  if (priv->state != HANGAR_DISPLAY_CONNECTED)
    return FALSE;

  if (type == GDK_BUTTON_PRESS)
    {
      gtk_widget_grab_focus (widget);
      priv->grab_given_back = FALSE;
      take_grab (self, event);
    }

  /* Where the button went: the event's surface position, into the widget's. */
  if (native != NULL && gdk_event_get_position (event, &x, &y))
    {
      gtk_native_get_surface_transform (native, &native_x, &native_y);
      if (gtk_widget_compute_point (GTK_WIDGET (native), widget,
                                    &GRAPHENE_POINT_INIT (x - native_x, y - native_y), &point))
        {
          priv->pointer_x = point.x;
          priv->pointer_y = point.y;
        }
    }
  hangar_display_widget_to_guest (self, priv->pointer_x, priv->pointer_y, &guest_x, &guest_y);
  if (klass->pointer_button != NULL)
    klass->pointer_button (self, guest_x, guest_y, gdk_button_event_get_button (event),
                           type == GDK_BUTTON_PRESS);
  return TRUE;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           HangarDisplay            *self)
{
  HangarDisplayPrivate *priv = PRIV (self);
  HangarDisplayClass *klass = HANGAR_DISPLAY_GET_CLASS (self);
  int steps_x, steps_y, guest_x, guest_y;

  if (priv->state != HANGAR_DISPLAY_CONNECTED)
    return FALSE;

  /* A wheel gives whole steps; a touchpad fractions of them, added up here. */
  priv->scroll_dx += dx;
  priv->scroll_dy += dy;
  steps_x = (int) priv->scroll_dx;
  steps_y = (int) priv->scroll_dy;
  priv->scroll_dx -= steps_x;
  priv->scroll_dy -= steps_y;
  if ((steps_x != 0 || steps_y != 0) && klass->scroll != NULL)
    {
      hangar_display_widget_to_guest (self, priv->pointer_x, priv->pointer_y,
                                      &guest_x, &guest_y);
      klass->scroll (self, guest_x, guest_y, steps_x, steps_y);
    }
  return TRUE;
}

static void
on_focus_enter (GtkEventControllerFocus *controller,
                HangarDisplay           *self)
{
  HangarDisplayPrivate *priv = PRIV (self);

  if (priv->pointer_inside && !priv->grab_given_back)
    take_grab (self, NULL);
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                HangarDisplay           *self)
{
  /* Keys held when the focus went would stay down in the guest. */
  release_pressed_keys (self);
  give_back_grab (self);
}

/* ---- for subclasses ---------------------------------------------------------------- */

/**
 * _hangar_display_set_state:
 * @error: (nullable): why the display became disconnected, if it ended badly
 */
void
_hangar_display_set_state (HangarDisplay      *self,
                           HangarDisplayState  state,
                           const GError       *error)
{
  HangarDisplayPrivate *priv;
  GObject *object = G_OBJECT (self);

  g_return_if_fail (HANGAR_IS_DISPLAY (self));

  priv = PRIV (self);
  g_object_freeze_notify (object);
  if (state != HANGAR_DISPLAY_DISCONNECTED)
    error = NULL;
  if (error != NULL || priv->error != NULL)
    {
      g_clear_error (&priv->error);
      priv->error = error != NULL ? g_error_copy (error) : NULL;
      g_object_notify_by_pspec (object, properties[PROP_ERROR]);
    }

  if (state != priv->state)
    {
      priv->state = state;
      g_object_notify_by_pspec (object, properties[PROP_STATE]);
      if (state != HANGAR_DISPLAY_CONNECTED)
        {
          release_pressed_keys (self);
          give_back_grab (self);
          gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
        }
      else
        {
          take_grab (self, NULL);
        }
    }
  g_object_thaw_notify (object);
}

/**
 * _hangar_display_set_framebuffer:
 * @pixels: (nullable): the guest's screen in memory order B, G, R, A, opaque (A = 0xff);
 *   it must stay valid until the next call, which may be with NULL
 * @stride: bytes from one row to the next
 *
 * The whole screen counts as damaged.
 */
void
_hangar_display_set_framebuffer (HangarDisplay *self,
                                 const guint8  *pixels,
                                 int            width,
                                 int            height,
                                 gsize          stride)
{
  HangarDisplayPrivate *priv;
  GObject *object = G_OBJECT (self);
  gboolean resized;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));
  g_return_if_fail (pixels == NULL || (width > 0 && height > 0 && stride >= (gsize) width * 4));

  priv = PRIV (self);
  if (pixels == NULL)
    width = height = stride = 0;

  resized = width != priv->width || height != priv->height;
  priv->pixels = pixels;
  priv->stride = stride;
  priv->damaged = TRUE;
  free_tiles (priv);
  if (pixels != NULL)
    {
      priv->tiles_x = (width + TILE_SIZE - 1) / TILE_SIZE;
      priv->tiles_y = (height + TILE_SIZE - 1) / TILE_SIZE;
      priv->tiles = g_new0 (GskRenderNode *, priv->tiles_x * priv->tiles_y);
    }

  g_object_freeze_notify (object);
  if (width != priv->width)
    {
      priv->width = width;
      g_object_notify_by_pspec (object, properties[PROP_GUEST_WIDTH]);
    }
  if (height != priv->height)
    {
      priv->height = height;
      g_object_notify_by_pspec (object, properties[PROP_GUEST_HEIGHT]);
    }
  g_object_thaw_notify (object);

  if (resized)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* These guest pixels changed; their tiles are made again at the next frame. */
void
_hangar_display_invalidate (HangarDisplay *self,
                            int            x,
                            int            y,
                            int            width,
                            int            height)
{
  HangarDisplayPrivate *priv;
  int x1, y1, x2, y2;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));

  priv = PRIV (self);
  x1 = MAX (x, 0);
  y1 = MAX (y, 0);
  x2 = MIN (x + width, priv->width);
  y2 = MIN (y + height, priv->height);
  if (priv->pixels == NULL || x2 <= x1 || y2 <= y1)
    return;

  for (int ty = y1 / TILE_SIZE; ty <= (y2 - 1) / TILE_SIZE; ty++)
    for (int tx = x1 / TILE_SIZE; tx <= (x2 - 1) / TILE_SIZE; tx++)
      g_clear_pointer (&priv->tiles[ty * priv->tiles_x + tx], gsk_render_node_unref);
  if (!priv->damaged)
    {
      priv->damaged = TRUE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

/**
 * _hangar_display_set_cursor:
 * @texture: (nullable): the guest's pointer shape, or NULL for the desktop's pointer
 */
void
_hangar_display_set_cursor (HangarDisplay *self,
                            GdkTexture    *texture,
                            int            hot_x,
                            int            hot_y)
{
  g_autoptr(GdkCursor) cursor = NULL;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (texture != NULL)
    cursor = gdk_cursor_new_from_texture (texture, hot_x, hot_y, NULL);
  gtk_widget_set_cursor (GTK_WIDGET (self), cursor);
}

/* ---- public ------------------------------------------------------------------------------ */

HangarDisplayState
hangar_display_get_state (HangarDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), HANGAR_DISPLAY_DISCONNECTED);

  return PRIV (self)->state;
}

/* Why the display is disconnected, or NULL when it is not or was closed on purpose. */
const GError *
hangar_display_get_error (HangarDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), NULL);

  return PRIV (self)->error;
}

int
hangar_display_get_guest_width (HangarDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), 0);

  return PRIV (self)->width;
}

int
hangar_display_get_guest_height (HangarDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), 0);

  return PRIV (self)->height;
}

HangarDisplayScale
hangar_display_get_scale (HangarDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), HANGAR_DISPLAY_SCALE_FIT);

  return PRIV (self)->scale;
}

void
hangar_display_set_scale (HangarDisplay      *self,
                          HangarDisplayScale  scale)
{
  HangarDisplayPrivate *priv;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));

  priv = PRIV (self);
  if (priv->scale == scale)
    return;
  priv->scale = scale;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
}

/* Whether the desktop's shortcuts go to the guest now: show it in an overlay. */
gboolean
hangar_display_get_grabbed (HangarDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), FALSE);

  return PRIV (self)->grabbed;
}

/* How many frames showed a new guest screen: the first one is the first frame. */
guint
hangar_display_get_frames_drawn (HangarDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), 0);

  return PRIV (self)->frames_drawn;
}

/**
 * hangar_display_get_screenshot:
 *
 * Returns: (transfer full) (nullable): the guest's screen now, at its own size, or
 *   NULL when there is none
 */
GdkTexture *
hangar_display_get_screenshot (HangarDisplay *self)
{
  HangarDisplayPrivate *priv;

  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), NULL);

  priv = PRIV (self);
  if (priv->pixels == NULL)
    return NULL;
  return make_texture (priv, 0, 0, priv->width, priv->height);
}

static void
save_screenshot_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GdkTexture *texture = task_data;
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * hangar_display_save_screenshot_async:
 * @file: where to write the PNG; replaced if it exists
 *
 * Saves the guest's screen as it is now, at its own size, as a PNG.
 */
void
hangar_display_save_screenshot_async (HangarDisplay       *self,
                                      GFile               *file,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GdkTexture *texture;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_display_save_screenshot_async);

  texture = hangar_display_get_screenshot (self);
  if (texture == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("There is no guest screen to save yet."));
      return;
    }
  g_task_set_task_data (task, texture, g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, save_screenshot_thread);
}

gboolean
hangar_display_save_screenshot_finish (HangarDisplay  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        hangar_display_save_screenshot_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * hangar_display_close:
 *
 * Ends the connection; the display shows the disconnected state, with no error.
 */
void
hangar_display_close (HangarDisplay *self)
{
  HangarDisplayClass *klass;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));

  klass = HANGAR_DISPLAY_GET_CLASS (self);
  if (PRIV (self)->state == HANGAR_DISPLAY_DISCONNECTED)
    return;
  if (klass->close != NULL)
    klass->close (self);
  _hangar_display_set_state (self, HANGAR_DISPLAY_DISCONNECTED, NULL);
}

/* ---- GtkWidget, GObject ------------------------------------------------------------------- */

static void
hangar_display_realize (GtkWidget *widget)
{
  HangarDisplay *self = HANGAR_DISPLAY (widget);
  HangarDisplayPrivate *priv = PRIV (self);

  GTK_WIDGET_CLASS (hangar_display_parent_class)->realize (widget);

  find_evdev_offset (self);
  priv->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  priv->after_paint_id = g_signal_connect (priv->frame_clock, "after-paint",
                                           G_CALLBACK (on_after_paint), self);
}

static void
hangar_display_unrealize (GtkWidget *widget)
{
  HangarDisplay *self = HANGAR_DISPLAY (widget);
  HangarDisplayPrivate *priv = PRIV (self);

  release_pressed_keys (self);
  give_back_grab (self);
  g_clear_signal_handler (&priv->after_paint_id, priv->frame_clock);
  g_clear_object (&priv->frame_clock);

  GTK_WIDGET_CLASS (hangar_display_parent_class)->unrealize (widget);
}

static void
hangar_display_dispose (GObject *object)
{
  HangarDisplay *self = HANGAR_DISPLAY (object);
  HangarDisplayPrivate *priv = PRIV (self);

  give_back_grab (self);
  free_tiles (priv);
  priv->pixels = NULL;

  G_OBJECT_CLASS (hangar_display_parent_class)->dispose (object);
}

static void
hangar_display_finalize (GObject *object)
{
  HangarDisplayPrivate *priv = PRIV (HANGAR_DISPLAY (object));

  g_clear_error (&priv->error);
  g_clear_pointer (&priv->pressed, g_hash_table_unref);

  G_OBJECT_CLASS (hangar_display_parent_class)->finalize (object);
}

static void
hangar_display_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HangarDisplay *self = HANGAR_DISPLAY (object);
  HangarDisplayPrivate *priv = PRIV (self);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, priv->error);
      break;

    case PROP_GUEST_WIDTH:
      g_value_set_int (value, priv->width);
      break;

    case PROP_GUEST_HEIGHT:
      g_value_set_int (value, priv->height);
      break;

    case PROP_SCALE:
      g_value_set_enum (value, priv->scale);
      break;

    case PROP_GRABBED:
      g_value_set_boolean (value, priv->grabbed);
      break;

    case PROP_FRAMES_DRAWN:
      g_value_set_uint (value, priv->frames_drawn);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_display_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HangarDisplay *self = HANGAR_DISPLAY (object);

  switch (prop_id)
    {
    case PROP_SCALE:
      hangar_display_set_scale (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_display_class_init (HangarDisplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_display_dispose;
  object_class->finalize = hangar_display_finalize;
  object_class->get_property = hangar_display_get_property;
  object_class->set_property = hangar_display_set_property;

  widget_class->snapshot = hangar_display_snapshot;
  widget_class->measure = hangar_display_measure;
  widget_class->realize = hangar_display_realize;
  widget_class->unrealize = hangar_display_unrealize;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HANGAR_TYPE_DISPLAY_STATE,
                       HANGAR_DISPLAY_CONNECTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GUEST_WIDTH] =
    g_param_spec_int ("guest-width", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GUEST_HEIGHT] =
    g_param_spec_int ("guest-height", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE] =
    g_param_spec_enum ("scale", NULL, NULL, HANGAR_TYPE_DISPLAY_SCALE,
                       HANGAR_DISPLAY_SCALE_FIT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GRABBED] =
    g_param_spec_boolean ("grabbed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRAMES_DRAWN] =
    g_param_spec_uint ("frames-drawn", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "hangar-display");
}

static void
hangar_display_init (HangarDisplay *self)
{
  HangarDisplayPrivate *priv = PRIV (self);
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;

  priv->state = HANGAR_DISPLAY_CONNECTING;
  priv->evdev_offset = -1;
  priv->pressed = g_hash_table_new (NULL, NULL);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  g_signal_connect (controller, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_legacy_new ();
  g_signal_connect (controller, "event", G_CALLBACK (on_legacy_event), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_enter), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_focus_enter), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (widget, controller);
}
