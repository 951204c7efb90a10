/* hangar-notifier.c: desktop notifications while no Hangar window is open
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The window tells its user itself (toasts). When it is not running, which the
 * engine sees as its application id having no owner on the session bus, a crash
 * reaches the user as a desktop notification through libnotify instead.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "hangar-notifier.h"

struct _HangarNotifier
{
  GObject       parent_instance;

  HangarEngine *engine;
  guint         watch_id;
  gboolean      window_open;
};

G_DEFINE_FINAL_TYPE (HangarNotifier, hangar_notifier, G_TYPE_OBJECT)

static void
on_window_appeared (GDBusConnection *connection,
                    const char      *name,
                    const char      *owner,
                    gpointer         user_data)
{
  HANGAR_NOTIFIER (user_data)->window_open = TRUE;
}

static void
on_window_vanished (GDBusConnection *connection,
                    const char      *name,
                    gpointer         user_data)
{
  HANGAR_NOTIFIER (user_data)->window_open = FALSE;
}

static void
on_machine_crashed (HangarEngine   *engine,
                    HangarMachine  *machine,
                    HangarNotifier *self)
{
  NotifyNotification *notification;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  const char *last_error = hangar_machine_get_last_error (machine);
  const char *line_end = strchr (last_error, '\n');

  if (self->window_open)
    return;
  if (!notify_is_initted () && !notify_init (_("Hangar")))
    return;

  summary = g_strdup_printf (_("“%s” crashed"), hangar_machine_get_name (machine));
  /* The first line says why; the rest (QEMU's log) is for the window. */
  body = line_end ? g_strndup (last_error, line_end - last_error) : g_strdup (last_error);
  notification = notify_notification_new (summary, body, APP_ID);
  notify_notification_set_hint_string (notification, "desktop-entry", APP_ID);
  notify_notification_set_category (notification, "device.error");
  notify_notification_set_urgency (notification, NOTIFY_URGENCY_CRITICAL);
  if (!notify_notification_show (notification, &error))
    g_message ("Could not show a notification that “%s” crashed: %s",
               hangar_machine_get_name (machine), error->message);
  /* libnotify 0.8 defines no autoptr cleanup. */
  g_object_unref (notification);
}

/* A job the user may have left the window for: one that ran longer than this. */
#define LONG_JOB_USEC (10 * G_USEC_PER_SEC)

static void
on_job_finished (HangarEngine   *engine,
                 HangarJob      *job,
                 HangarNotifier *self)
{
  NotifyNotification *notification;
  g_autoptr(GError) error = NULL;
  const char *summary;
  const char *body;
  HangarJobState state = hangar_job_get_state (job);

  if (self->window_open || hangar_job_get_duration (job) < LONG_JOB_USEC ||
      state == HANGAR_JOB_CANCELLED)
    return;
  if (!notify_is_initted () && !notify_init (_("Hangar")))
    return;

  summary = hangar_job_get_description (job);
  body = state == HANGAR_JOB_COMPLETED ? _("Done.") : hangar_job_get_error (job);
  notification = notify_notification_new (summary, body, APP_ID);
  notify_notification_set_hint_string (notification, "desktop-entry", APP_ID);
  notify_notification_set_category (notification, state == HANGAR_JOB_COMPLETED ?
                                                  "transfer.complete" : "transfer.error");
  if (!notify_notification_show (notification, &error))
    g_message ("Could not show a notification that “%s” ended: %s", summary, error->message);
  g_object_unref (notification);
}

static void
hangar_notifier_dispose (GObject *object)
{
  HangarNotifier *self = HANGAR_NOTIFIER (object);

  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (hangar_notifier_parent_class)->dispose (object);
}

static void
hangar_notifier_class_init (HangarNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hangar_notifier_dispose;
}

static void
hangar_notifier_init (HangarNotifier *self)
{
}

/**
 * hangar_notifier_new:
 * @bus: the session bus, where the window's application id is watched
 */
HangarNotifier *
hangar_notifier_new (HangarEngine    *engine,
                     GDBusConnection *bus)
{
  HangarNotifier *self = g_object_new (HANGAR_TYPE_NOTIFIER, NULL);

  self->engine = g_object_ref (engine);
  self->watch_id = g_bus_watch_name_on_connection (bus, APP_ID, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_window_appeared, on_window_vanished,
                                                   self, NULL);
  g_signal_connect (engine, "machine-crashed", G_CALLBACK (on_machine_crashed), self);
  g_signal_connect (engine, "job-finished", G_CALLBACK (on_job_finished), self);
  return self;
}
