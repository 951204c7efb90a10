/* hangar-display.c: the base of the guest display widgets, whatever the protocol
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The type, its state, properties and public calls. The rest is in siblings sharing
 * hangar-display-internal.h: drawing and geometry in hangar-display-render.c, keys,
 * pointer and the keyboard grab in hangar-display-input.c.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-display-internal.h"

G_DEFINE_TYPE_WITH_PRIVATE (HangarDisplay, hangar_display, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (HangarDisplayState, hangar_display_state,
  G_DEFINE_ENUM_VALUE (HANGAR_DISPLAY_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (HANGAR_DISPLAY_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (HANGAR_DISPLAY_DISCONNECTED, "disconnected"))

G_DEFINE_ENUM_TYPE (HangarDisplayScale, hangar_display_scale,
  G_DEFINE_ENUM_VALUE (HANGAR_DISPLAY_SCALE_FIT, "fit"),
  G_DEFINE_ENUM_VALUE (HANGAR_DISPLAY_SCALE_ONE_TO_ONE, "one-to-one"))

GParamSpec *_hangar_display_properties[N_PROPS];

HangarDisplayPrivate *
_hangar_display_get_priv (HangarDisplay *self)
{
  return hangar_display_get_instance_private (self);
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
      g_object_notify_by_pspec (object, _hangar_display_properties[PROP_ERROR]);
    }

  if (state != priv->state)
    {
      priv->state = state;
      g_object_notify_by_pspec (object, _hangar_display_properties[PROP_STATE]);
      if (state != HANGAR_DISPLAY_CONNECTED)
        {
          _hangar_display_release_pressed_keys (self);
          _hangar_display_give_back_grab (self);
          gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
        }
      else
        {
          _hangar_display_take_grab (self, NULL);
        }
    }
  g_object_thaw_notify (object);
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
  g_object_notify_by_pspec (G_OBJECT (self), _hangar_display_properties[PROP_SCALE]);
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
  return _hangar_display_make_texture (priv, 0, 0, priv->width, priv->height);
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

  _hangar_display_find_evdev_offset (self);
  priv->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  priv->after_paint_id = g_signal_connect (priv->frame_clock, "after-paint",
                                           G_CALLBACK (_hangar_display_after_paint), self);
}

static void
hangar_display_unrealize (GtkWidget *widget)
{
  HangarDisplay *self = HANGAR_DISPLAY (widget);
  HangarDisplayPrivate *priv = PRIV (self);

  _hangar_display_release_pressed_keys (self);
  _hangar_display_give_back_grab (self);
  g_clear_signal_handler (&priv->after_paint_id, priv->frame_clock);
  g_clear_object (&priv->frame_clock);

  GTK_WIDGET_CLASS (hangar_display_parent_class)->unrealize (widget);
}

static void
hangar_display_dispose (GObject *object)
{
  HangarDisplay *self = HANGAR_DISPLAY (object);
  HangarDisplayPrivate *priv = PRIV (self);

  _hangar_display_give_back_grab (self);
  _hangar_display_free_tiles (priv);
  priv->pixels = NULL;
  g_clear_object (&priv->pointer);
  g_clear_pointer (&priv->pointer_node, gsk_render_node_unref);

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

  widget_class->snapshot = _hangar_display_snapshot;
  widget_class->measure = _hangar_display_measure;
  widget_class->realize = hangar_display_realize;
  widget_class->unrealize = hangar_display_unrealize;

  _hangar_display_properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HANGAR_TYPE_DISPLAY_STATE,
                       HANGAR_DISPLAY_CONNECTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _hangar_display_properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _hangar_display_properties[PROP_GUEST_WIDTH] =
    g_param_spec_int ("guest-width", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _hangar_display_properties[PROP_GUEST_HEIGHT] =
    g_param_spec_int ("guest-height", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _hangar_display_properties[PROP_SCALE] =
    g_param_spec_enum ("scale", NULL, NULL, HANGAR_TYPE_DISPLAY_SCALE,
                       HANGAR_DISPLAY_SCALE_FIT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _hangar_display_properties[PROP_GRABBED] =
    g_param_spec_boolean ("grabbed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _hangar_display_properties[PROP_FRAMES_DRAWN] =
    g_param_spec_uint ("frames-drawn", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, _hangar_display_properties);

  gtk_widget_class_set_css_name (widget_class, "hangar-display");
}

static void
hangar_display_init (HangarDisplay *self)
{
  HangarDisplayPrivate *priv = PRIV (self);
  GtkWidget *widget = GTK_WIDGET (self);

  priv->state = HANGAR_DISPLAY_CONNECTING;
  priv->evdev_offset = -1;
  priv->pressed = g_hash_table_new (NULL, NULL);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);

  _hangar_display_init_input (self);
}
