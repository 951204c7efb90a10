/* hangar-application.c: the hangar application
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Owns the connection to the local engine (one for the process, shared by its
 * windows) and the application-wide actions: app.about, app.preferences and app.quit.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-application.h"
#include "hangar-connection.h"
#include "hangar-preferences-window.h"
#include "hangar-window.h"

struct _HangarApplication
{
  AdwApplication    parent_instance;

  HangarConnection *connection;
};

G_DEFINE_FINAL_TYPE (HangarApplication, hangar_application, ADW_TYPE_APPLICATION)

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  HangarApplication *self = HANGAR_APPLICATION (user_data);
  const char *developers[] = { _("The Hangar developers"), NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Hangar"),
                        "developer-name", _("The Hangar developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Create, run and watch virtual machines"),
                        "website", "https://github.com/hangarvm/hangar",
                        "issue-url", "https://github.com/hangarvm/hangar/issues",
                        "license-type", GTK_LICENSE_GPL_2_0,
                        "developers", developers,
                        /* Translators: your name and email, one translator a line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  HangarApplication *self = HANGAR_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (hangar_preferences_window_new (window)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Closed, not destroyed: each window saves its size as when its close button is
   * pressed; the application quits when the last one has gone. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action },
  { .name = "preferences", .activate = preferences_action },
  { .name = "quit", .activate = quit_action },
};

static void
hangar_application_startup (GApplication *application)
{
  HangarApplication *self = HANGAR_APPLICATION (application);

  G_APPLICATION_CLASS (hangar_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });

  self->connection = hangar_connection_new_session ();
}

static void
hangar_application_activate (GApplication *application)
{
  HangarApplication *self = HANGAR_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (hangar_window_new (self, self->connection));
  gtk_window_present (window);

  /* Once a window shows how it goes; no-op when connecting or connected. */
  hangar_connection_connect (self->connection);
}

static void
hangar_application_dispose (GObject *object)
{
  HangarApplication *self = HANGAR_APPLICATION (object);

  g_clear_object (&self->connection);

  G_OBJECT_CLASS (hangar_application_parent_class)->dispose (object);
}

static void
hangar_application_class_init (HangarApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = hangar_application_dispose;
  app_class->startup = hangar_application_startup;
  app_class->activate = hangar_application_activate;
}

static void
hangar_application_init (HangarApplication *self)
{
}

HangarApplication *
hangar_application_new (void)
{
  return g_object_new (HANGAR_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", HANGAR_RESOURCE_PATH,
                       NULL);
}

/**
 * hangar_application_get_connection:
 *
 * Returns: (transfer none) (nullable): the connection to the local engine, once
 *   the application has started up
 */
HangarConnection *
hangar_application_get_connection (HangarApplication *self)
{
  g_return_val_if_fail (HANGAR_IS_APPLICATION (self), NULL);

  return self->connection;
}
