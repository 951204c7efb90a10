/* hangar-engine-application.c: hangar-engine as a D-Bus service
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A service-mode GApplication that owns io.github.hangarvm.Hangar.Engine on the
 * session bus. It ends on SIGTERM, and by itself once idle (hangar-idle.c) for
 * HANGAR_ENGINE_IDLE_TIMEOUT seconds (default 300; 0: never); QEMUs run on, and the
 * next call activates it again. The objects are exported in dbus_register, before the
 * name is owned, so a client activated by its first call always finds them.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>

#include "hangar-engine.h"
#include "hangar-engine-application.h"
#include "hangar-engine-server.h"
#include "hangar-idle.h"
#include "hangar-notifier.h"
#include "hangar-store.h"

/* Without HANGAR_ENGINE_IDLE_TIMEOUT: how long the engine stays once idle. */
#define DEFAULT_IDLE_TIMEOUT_S 300

struct _HangarEngineApplication
{
  GApplication    parent_instance;

  HangarEngine       *engine;
  HangarEngineServer *server;
  HangarNotifier     *notifier;
  HangarIdle         *idle;
  gboolean            held;
};

G_DEFINE_FINAL_TYPE (HangarEngineApplication, hangar_engine_application, G_TYPE_APPLICATION)

static gboolean
on_quit_signal (gpointer user_data)
{
  /* QEMU processes run on: the next engine finds them again. */
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static gboolean
hangar_engine_application_dbus_register (GApplication     *application,
                                         GDBusConnection  *connection,
                                         const char       *object_path,
                                         GError          **error)
{
  HangarEngineApplication *self = HANGAR_ENGINE_APPLICATION (application);

  self->engine = hangar_engine_new (error);
  if (self->engine == NULL)
    return FALSE;
  hangar_engine_export (self->engine, connection);
  self->notifier = hangar_notifier_new (self->engine, connection);
  self->idle = hangar_idle_new (self->engine, connection);
  /* The same objects for `hangar-engine --stdio` of this user (an SSH session). */
  {
    g_autoptr(GError) local_error = NULL;

    self->server = hangar_engine_server_new (self->engine, &local_error);
    if (self->server == NULL)
      g_message ("Not serving engine.sock: %s", local_error->message);
  }
  return TRUE;
}

/* Held while busy: released, GApplication ends the engine after its inactivity timeout. */
static void
on_idle_changed (HangarIdle              *idle,
                 GParamSpec              *pspec,
                 HangarEngineApplication *self)
{
  gboolean is_idle = hangar_idle_is_idle (idle);

  if (is_idle && self->held)
    g_application_release (G_APPLICATION (self));
  else if (!is_idle && !self->held)
    g_application_hold (G_APPLICATION (self));
  self->held = !is_idle;
}

static guint
idle_timeout_s (void)
{
  const char *text = g_getenv ("HANGAR_ENGINE_IDLE_TIMEOUT");
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT / 1000, &value, NULL))
    return DEFAULT_IDLE_TIMEOUT_S;
  return (guint) value;
}

static void
hangar_engine_application_dbus_unregister (GApplication    *application,
                                           GDBusConnection *connection,
                                           const char      *object_path)
{
  HangarEngineApplication *self = HANGAR_ENGINE_APPLICATION (application);

  g_clear_object (&self->idle);
  if (self->engine != NULL)
    hangar_engine_unexport (self->engine);
}

static void
hangar_engine_application_startup (GApplication *application)
{
  HangarEngineApplication *self = HANGAR_ENGINE_APPLICATION (application);

  G_APPLICATION_CLASS (hangar_engine_application_parent_class)->startup (application);

  /* The bus name is ours: no other engine writes these files now. */
  hangar_store_remove_stale ();
  g_application_hold (application);
  self->held = TRUE;
  /* 0: never exit for being idle. */
  if (self->idle != NULL && idle_timeout_s () > 0)
    {
      g_application_set_inactivity_timeout (application, idle_timeout_s () * 1000);
      g_signal_connect_object (self->idle, "notify::idle", G_CALLBACK (on_idle_changed), self,
                               0);
      on_idle_changed (self->idle, NULL, self);
    }
  g_unix_signal_add (SIGTERM, on_quit_signal, application);
  g_unix_signal_add (SIGINT, on_quit_signal, application);
  if (self->engine != NULL)
    hangar_engine_run_autostart (self->engine);
}

static void
hangar_engine_application_dispose (GObject *object)
{
  HangarEngineApplication *self = HANGAR_ENGINE_APPLICATION (object);

  g_clear_object (&self->idle);
  g_clear_object (&self->notifier);
  g_clear_object (&self->server);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (hangar_engine_application_parent_class)->dispose (object);
}

static void
hangar_engine_application_class_init (HangarEngineApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = hangar_engine_application_dispose;
  app_class->dbus_register = hangar_engine_application_dbus_register;
  app_class->dbus_unregister = hangar_engine_application_dbus_unregister;
  app_class->startup = hangar_engine_application_startup;
}

static void
hangar_engine_application_init (HangarEngineApplication *self)
{
}

HangarEngineApplication *
hangar_engine_application_new (void)
{
  return g_object_new (HANGAR_TYPE_ENGINE_APPLICATION,
                       "application-id", ENGINE_BUS_NAME,
                       "flags", G_APPLICATION_IS_SERVICE,
                       NULL);
}
