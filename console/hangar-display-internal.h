/* hangar-display-internal.h: what the files of HangarDisplay share, and nothing else
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Subclasses include hangar-display-private.h, never this.
 */
#pragma once

#include "hangar-display-private.h"

G_BEGIN_DECLS

/* A square of the screen, drawn by its own render nodes (hangar-display-render.c). */
typedef struct
{
  GskRenderNode         *node;   /* the whole tile; NULL: to make */
  GskRenderNode         *patch;  /* over it: part of it made again since; or NULL */
  cairo_rectangle_int_t  patch_rect;
  cairo_rectangle_int_t  damage; /* guest pixels changed since the last frame; 0 wide: none */
} HangarDisplayTile;

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
  gboolean            pad_unset;   /* the fourth byte is padding of any value */
  gboolean            damaged;     /* some tile since the last frame */
  HangarDisplayTile  *tiles;       /* tiles_x × tiles_y, row by row */
  int                 tiles_x;
  int                 tiles_y;
  graphene_rect_t     tiles_area;  /* where the tiles' nodes draw the screen */
  gboolean            tiles_cairo; /* they are cairo nodes, for the cairo renderer */
  guint               frames_drawn;
  gboolean            frame_made;  /* in this frame clock tick: notify after paint */
  /* The guest's pointer, drawn over the screen (SPICE's server mouse mode). */
  GdkTexture         *pointer;
  int                 pointer_hot_x, pointer_hot_y;
  int                 guest_pointer_x, guest_pointer_y;
  GskRenderNode      *pointer_node;  /* kept while nothing of it changes */
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

extern GParamSpec *_hangar_display_properties[N_PROPS];

HangarDisplayPrivate *_hangar_display_get_priv (HangarDisplay *self);
#define PRIV(self) (_hangar_display_get_priv (self))

/* hangar-display-render.c */
GdkTexture *_hangar_display_make_texture        (HangarDisplayPrivate *priv,
                                                 int                   x,
                                                 int                   y,
                                                 int                   width,
                                                 int                   height);
void        _hangar_display_free_tiles          (HangarDisplayPrivate *priv);
void        _hangar_display_snapshot            (GtkWidget            *widget,
                                                 GtkSnapshot          *snapshot);
void        _hangar_display_measure             (GtkWidget            *widget,
                                                 GtkOrientation        orientation,
                                                 int                   for_size,
                                                 int                  *minimum,
                                                 int                  *natural,
                                                 int                  *minimum_baseline,
                                                 int                  *natural_baseline);
void        _hangar_display_after_paint         (GdkFrameClock        *clock,
                                                 HangarDisplay        *self);

/* hangar-display-input.c */
void        _hangar_display_init_input          (HangarDisplay        *self);
void        _hangar_display_find_evdev_offset   (HangarDisplay        *self);
void        _hangar_display_release_pressed_keys (HangarDisplay       *self);
void        _hangar_display_take_grab           (HangarDisplay        *self,
                                                 GdkEvent             *event);
void        _hangar_display_give_back_grab      (HangarDisplay        *self);

G_END_DECLS
