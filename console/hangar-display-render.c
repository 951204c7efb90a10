/* hangar-display-render.c: how HangarDisplay draws the guest's screen, and where
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
 * nor the geometry changed: the same node is what makes GSK's diff skip it. While
 * a guest pixel is a device pixel, a small change (a quarter of a tile at most, such
 * as a blinking text cursor) is drawn as a patch over the tile instead: a node of
 * just the changed pixels, made again with the next change there until it grows
 * past a quarter, when the tile is made again. An idle console then copies and
 * repaints a cursor cell a blink, not 128×128 pixels; scaled, a patch's edges would
 * not filter as the tile's do, so whole tiles are made. GTK 4.8's
 * cairo renderer converts a texture node's pixels through floats every time it draws
 * one (~80 % of a viewer's CPU here); with that renderer a tile is a cairo node
 * instead, whose recording pixman paints as it is, and only inside the damage.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hangar-display-internal.h"

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
GdkTexture *
_hangar_display_make_texture (HangarDisplayPrivate *priv,
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
  /* GTK 4.8 has no opaque 4-byte format: the pad byte becomes alpha, opaque. */
  if (priv->pad_unset)
    for (gsize i = 3; i < row * height; i += 4)
      copy[i] = 0xff;
  bytes = g_bytes_new_take (copy, row * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, row);
}

static void
clear_tile (HangarDisplayTile *tile)
{
  g_clear_pointer (&tile->node, gsk_render_node_unref);
  g_clear_pointer (&tile->patch, gsk_render_node_unref);
  tile->damage.width = tile->damage.height = 0;
}

static void
clear_tiles (HangarDisplayPrivate *priv)
{
  for (int i = 0; i < priv->tiles_x * priv->tiles_y; i++)
    clear_tile (&priv->tiles[i]);
}

static void
union_rect (cairo_rectangle_int_t       *rect,
            const cairo_rectangle_int_t *other)
{
  int x2, y2;

  if (rect->width <= 0 || rect->height <= 0)
    {
      *rect = *other;
      return;
    }
  x2 = MAX (rect->x + rect->width, other->x + other->width);
  y2 = MAX (rect->y + rect->height, other->y + other->height);
  rect->x = MIN (rect->x, other->x);
  rect->y = MIN (rect->y, other->y);
  rect->width = x2 - rect->x;
  rect->height = y2 - rect->y;
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
  static cairo_user_data_key_t data_key;
  /* RGB24 ignores the fourth byte: no need to make it opaque. */
  cairo_format_t format = priv->pad_unset ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32;
  int stride = cairo_format_stride_for_width (format, width);
  /* Not cairo_image_surface_create(), which clears what is overwritten at once: a
   * screen's worth of memset a frame while the guest scrolls. */
  guint8 *data = g_malloc ((gsize) stride * height);
  cairo_surface_t *surface = cairo_image_surface_create_for_data (data, format, width, height,
                                                                  stride);
  GskRenderNode *node = gsk_cairo_node_new (bounds);
  cairo_t *cr = gsk_cairo_node_get_draw_context (node);

  /* CAIRO_FORMAT_ARGB32 is B, G, R, A in memory on a little-endian host, as the
   * pixels are; elsewhere the texture path is taken. */
  for (int i = 0; i < height; i++)
    memcpy (data + (gsize) stride * i, priv->pixels + priv->stride * (y + i) + (gsize) x * 4,
            (gsize) width * 4);
  cairo_surface_set_user_data (surface, &data_key, data, g_free);
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

/* These guest pixels as a node drawn in @bounds. */
static GskRenderNode *
make_node (HangarDisplayPrivate  *priv,
           gboolean               use_cairo,
           int                    x,
           int                    y,
           int                    width,
           int                    height,
           const graphene_rect_t *bounds)
{
  g_autoptr(GdkTexture) texture = NULL;

  if (use_cairo)
    return make_cairo_tile (priv, x, y, width, height, bounds);
  texture = _hangar_display_make_texture (priv, x, y, width, height);
  return gsk_texture_node_new (texture, bounds);
}

/* Makes what changed in @tile since the last frame: a patch if it is small and the
 * screen is not scaled, else the whole tile. Returns whether anything was made. */
static gboolean
update_tile (HangarDisplayPrivate  *priv,
             HangarDisplayTile     *tile,
             gboolean               use_cairo,
             gboolean               unscaled,
             int                    scale_factor,
             const graphene_rect_t *area,
             int                    x,
             int                    y,
             int                    width,
             int                    height,
             const graphene_rect_t *bounds)
{
  cairo_rectangle_int_t patch;

  if (tile->node != NULL && tile->damage.width > 0)
    {
      patch = tile->damage;
      if (tile->patch != NULL)
        union_rect (&patch, &tile->patch_rect);
      tile->damage.width = tile->damage.height = 0;
      if (unscaled && patch.width * patch.height * 4 <= width * height)
        {
          graphene_rect_t patch_bounds =
            GRAPHENE_RECT_INIT (area->origin.x + (double) patch.x / scale_factor,
                                area->origin.y + (double) patch.y / scale_factor,
                                (double) patch.width / scale_factor,
                                (double) patch.height / scale_factor);

          g_clear_pointer (&tile->patch, gsk_render_node_unref);
          tile->patch = make_node (priv, use_cairo, patch.x, patch.y, patch.width,
                                   patch.height, &patch_bounds);
          tile->patch_rect = patch;
          return TRUE;
        }
      clear_tile (tile);
    }
  if (tile->node != NULL)
    return FALSE;
  clear_tile (tile);
  tile->node = make_node (priv, use_cairo, x, y, width, height, bounds);
  return TRUE;
}

void
_hangar_display_free_tiles (HangarDisplayPrivate *priv)
{
  if (priv->tiles != NULL)
    clear_tiles (priv);
  g_clear_pointer (&priv->tiles, g_free);
  priv->tiles_x = priv->tiles_y = 0;
}

void
_hangar_display_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  HangarDisplay *self = HANGAR_DISPLAY (widget);
  HangarDisplayPrivate *priv = PRIV (self);
  int scale_factor = gtk_widget_get_scale_factor (widget);
  graphene_rect_t area;
  double scale_x, scale_y;
  gboolean made = FALSE;
  gboolean use_cairo, unscaled;

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
  unscaled = area.size.width * scale_factor == priv->width &&
             area.size.height * scale_factor == priv->height;
  for (int ty = 0; ty < priv->tiles_y; ty++)
    {
      int y = ty * TILE_SIZE;
      int height = MIN (TILE_SIZE, priv->height - y);
      double top = area.origin.y + snap (y * scale_y, scale_factor);
      double bottom = area.origin.y + snap ((y + height) * scale_y, scale_factor);

      for (int tx = 0; tx < priv->tiles_x; tx++)
        {
          HangarDisplayTile *tile = &priv->tiles[ty * priv->tiles_x + tx];
          int x = tx * TILE_SIZE;
          int width = MIN (TILE_SIZE, priv->width - x);
          double left = area.origin.x + snap (x * scale_x, scale_factor);
          double right = area.origin.x + snap ((x + width) * scale_x, scale_factor);
          graphene_rect_t bounds = GRAPHENE_RECT_INIT (left, top, right - left, bottom - top);

          if (right <= left || bottom <= top)
            continue;
          made |= update_tile (priv, tile, use_cairo, unscaled, scale_factor, &area,
                               x, y, width, height, &bounds);
          gtk_snapshot_append_node (snapshot, tile->node);
          if (tile->patch != NULL)
            gtk_snapshot_append_node (snapshot, tile->patch);
        }
    }

  if (priv->pointer != NULL)
    {
      if (priv->pointer_node == NULL || made)
        {
          int left = priv->guest_pointer_x - priv->pointer_hot_x;
          int top = priv->guest_pointer_y - priv->pointer_hot_y;
          graphene_rect_t bounds =
            GRAPHENE_RECT_INIT (area.origin.x + left * scale_x, area.origin.y + top * scale_y,
                                gdk_texture_get_width (priv->pointer) * scale_x,
                                gdk_texture_get_height (priv->pointer) * scale_y);
          GskRenderNode *texture = gsk_texture_node_new (priv->pointer, &bounds);

          g_clear_pointer (&priv->pointer_node, gsk_render_node_unref);
          /* Not past the screen's edges. */
          priv->pointer_node = gsk_clip_node_new (texture, &area);
          gsk_render_node_unref (texture);
        }
      gtk_snapshot_append_node (snapshot, priv->pointer_node);
    }

  priv->damaged = FALSE;
  if (made)
    {
      priv->frames_drawn++;
      priv->frame_made = TRUE;
    }
}

void
_hangar_display_after_paint (GdkFrameClock *clock,
                HangarDisplay *self)
{
  HangarDisplayPrivate *priv = PRIV (self);

  if (priv->frame_made)
    {
      priv->frame_made = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), _hangar_display_properties[PROP_FRAMES_DRAWN]);
    }
}

void
_hangar_display_measure (GtkWidget      *widget,
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
  _hangar_display_free_tiles (priv);
  if (pixels != NULL)
    {
      priv->tiles_x = (width + TILE_SIZE - 1) / TILE_SIZE;
      priv->tiles_y = (height + TILE_SIZE - 1) / TILE_SIZE;
      priv->tiles = g_new0 (HangarDisplayTile, priv->tiles_x * priv->tiles_y);
    }

  g_object_freeze_notify (object);
  if (width != priv->width)
    {
      priv->width = width;
      g_object_notify_by_pspec (object, _hangar_display_properties[PROP_GUEST_WIDTH]);
    }
  if (height != priv->height)
    {
      priv->height = height;
      g_object_notify_by_pspec (object, _hangar_display_properties[PROP_GUEST_HEIGHT]);
    }
  g_object_thaw_notify (object);

  if (resized)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * _hangar_display_set_guest_pointer:
 * @texture: (nullable): the guest's pointer shape, drawn over the screen with its hot
 *   spot at guest pixel (@x, @y); NULL for none
 *
 * For a guest that moves its own pointer (SPICE's server mouse mode): the pointer is
 * where the guest says, not under the desktop's.
 */
void
_hangar_display_set_guest_pointer (HangarDisplay *self,
                                   GdkTexture    *texture,
                                   int            hot_x,
                                   int            hot_y,
                                   int            x,
                                   int            y)
{
  HangarDisplayPrivate *priv;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  priv = PRIV (self);
  if (texture == priv->pointer && hot_x == priv->pointer_hot_x &&
      hot_y == priv->pointer_hot_y && x == priv->guest_pointer_x &&
      y == priv->guest_pointer_y)
    return;
  g_set_object (&priv->pointer, texture);
  priv->pointer_hot_x = hot_x;
  priv->pointer_hot_y = hot_y;
  priv->guest_pointer_x = x;
  priv->guest_pointer_y = y;
  g_clear_pointer (&priv->pointer_node, gsk_render_node_unref);
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
      {
        cairo_rectangle_int_t in_tile;

        in_tile.x = MAX (x1, tx * TILE_SIZE);
        in_tile.y = MAX (y1, ty * TILE_SIZE);
        in_tile.width = MIN (x2, (tx + 1) * TILE_SIZE) - in_tile.x;
        in_tile.height = MIN (y2, (ty + 1) * TILE_SIZE) - in_tile.y;
        union_rect (&priv->tiles[ty * priv->tiles_x + tx].damage, &in_tile);
      }
  if (!priv->damaged)
    {
      priv->damaged = TRUE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

/**
 * _hangar_display_set_pad_unset:
 * @pad_unset: whether the framebuffer's fourth byte is padding of any value (a
 *   server's xRGB), rather than 0xff: the base then makes it opaque where it copies
 */
void
_hangar_display_set_pad_unset (HangarDisplay *self,
                               gboolean       pad_unset)
{
  HangarDisplayPrivate *priv;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));

  priv = PRIV (self);
  if (priv->pad_unset == !!pad_unset)
    return;
  priv->pad_unset = !!pad_unset;
  if (priv->tiles != NULL)
    clear_tiles (priv);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
