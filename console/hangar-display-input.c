/* hangar-display-input.c: how HangarDisplay takes keys and the pointer for the guest
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
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

#include "hangar-display-internal.h"
#include "hangar-keymap.h"

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
      g_object_notify_by_pspec (G_OBJECT (self), _hangar_display_properties[PROP_GRABBED]);
    }
}

void
_hangar_display_take_grab (HangarDisplay *self,
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

void
_hangar_display_give_back_grab (HangarDisplay *self)
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
  _hangar_display_give_back_grab (self);
}

/* ---- keys ----------------------------------------------------------------------------- */

/* GDK gives X keycodes, which are Linux codes + 8 wherever the keycodes are evdev's
 * (Wayland; X with the evdev or libinput driver, Xvfb). Tell by where Up is. */
void
_hangar_display_find_evdev_offset (HangarDisplay *self)
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

void
_hangar_display_release_pressed_keys (HangarDisplay *self)
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
    _hangar_display_take_grab (self, NULL);
  on_motion (controller, x, y, self);
}

static void
on_leave (GtkEventControllerMotion *controller,
          HangarDisplay            *self)
{
  HangarDisplayPrivate *priv = PRIV (self);

  priv->pointer_inside = FALSE;
  priv->grab_given_back = FALSE;
  _hangar_display_give_back_grab (self);
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
      _hangar_display_take_grab (self, event);
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
    _hangar_display_take_grab (self, NULL);
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                HangarDisplay           *self)
{
  /* Keys held when the focus went would stay down in the guest. */
  _hangar_display_release_pressed_keys (self);
  _hangar_display_give_back_grab (self);
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

/* ---- set up -------------------------------------------------------------------------- */

/* The controllers that take the display's input, at init. */
void
_hangar_display_init_input (HangarDisplay *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;

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