/* hangar-engine-application.c: hangar-engine as a D-Bus service
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A service-mode GApplication that owns io.github.hangarvm.Hangar.Engine on the
 * session bus. The objects are exported in dbus_register, before the name is owned,
 * so a client activated by its first call always finds them.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>

#include "hangar-engine.h"
#include "hangar-engine-application.h"
#include "hangar-engine-server.h"
#include "hangar-notifier.h"

struct _HangarEngineApplication
{
  GApplication    parent_instance;

  HangarEngine       *engine;
  HangarEngineServer *server;
  HangarNotifier     *notifier;
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
  /* The same objects for `hangar-engine --stdio` of this user (an SSH session). */
  {
    g_autoptr(GError) local_error = NULL;

    self->server = hangar_engine_server_new (self->engine, &local_error);
    if (self->server == NULL)
      g_message ("Not serving engine.sock: %s", local_error->message);
  }
  return TRUE;
}

static void
hangar_engine_application_dbus_unregister (GApplication    *application,
                                           GDBusConnection *connection,
                                           const char      *object_path)
{
  HangarEngineApplication *self = HANGAR_ENGINE_APPLICATION (application);

  if (self->engine != NULL)
    hangar_engine_unexport (self->engine);
}

static void
hangar_engine_application_startup (GApplication *application)
{
  HangarEngineApplication *self = HANGAR_ENGINE_APPLICATION (application);

  G_APPLICATION_CLASS (hangar_engine_application_parent_class)->startup (application);

  g_application_hold (application);
  g_unix_signal_add (SIGTERM, on_quit_signal, application);
  g_unix_signal_add (SIGINT, on_quit_signal, application);
  if (self->engine != NULL)
    hangar_engine_run_autostart (self->engine);
}

static void
hangar_engine_application_dispose (GObject *object)
{
  HangarEngineApplication *self = HANGAR_ENGINE_APPLICATION (object);

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
