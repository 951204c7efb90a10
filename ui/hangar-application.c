/* hangar-application.c: the hangar application
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Owns the connection to the local engine (one for the process, shared by its
 * windows), the connections to remote hosts saved in the "connections" setting, and
 * the application-wide actions: app.about, app.preferences and app.quit.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-application.h"
#include "hangar-connection.h"
#include "hangar-preferences-window.h"
#include "hangar-ssh-transport.h"
#include "hangar-window.h"

struct _HangarApplication
{
  AdwApplication    parent_instance;

  HangarConnection *connection;
  GListStore       *remotes;      /* HangarConnection, in the order of the setting */
  GSettings        *settings;
  gboolean          started;      /* activated once: the remote hosts were connected */
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

/* ---- remote hosts ------------------------------------------------------------- */

static HangarConnection *
make_remote (const char *id,
             const char *destination,
             guint16     port,
             const char *identity_file)
{
  g_autoptr(HangarSshTransport) transport = hangar_ssh_transport_new (destination, port,
                                                                      identity_file);

  return hangar_connection_new_ssh (id, transport);
}

static void
load_remotes (HangarApplication *self)
{
  g_autoptr(GVariant) saved = g_settings_get_value (self->settings, "connections");
  GVariantIter iter;
  const char *id, *destination, *identity_file;
  guint16 port;
  gboolean at_start;

  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "(&s&sq&sb)", &id, &destination, &port, &identity_file,
                              &at_start))
    {
      g_autoptr(HangarConnection) connection = NULL;

      /* A hand-edited entry that ssh would misread is left out, not run. */
      if (!hangar_ssh_transport_check (destination, port, NULL, NULL))
        continue;
      connection = make_remote (id, destination, port, identity_file);
      g_object_set_data (G_OBJECT (connection), "hangar-connect-at-start",
                         GINT_TO_POINTER (at_start));
      g_list_store_append (self->remotes, connection);
    }
}

static void
connect_remotes_at_start (HangarApplication *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->remotes));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->remotes),
                                                                      i);

      if (g_object_get_data (G_OBJECT (connection), "hangar-connect-at-start") != NULL)
        hangar_connection_connect (connection);
    }
}

/* The setting keeps entries it cannot read: only the one removed goes. */
static void
save_remote (HangarApplication *self,
             const char        *id,
             GVariant          *entry)
{
  g_autoptr(GVariant) saved = g_settings_get_value (self->settings, "connections");
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a(ssqsb)"));
  GVariantIter iter;
  GVariant *child;

  g_variant_iter_init (&iter, saved);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *child_id;

      g_variant_get_child (child, 0, "&s", &child_id);
      if (!g_str_equal (child_id, id))
        g_variant_builder_add_value (builder, child);
      g_variant_unref (child);
    }
  if (entry != NULL)
    g_variant_builder_add_value (builder, entry);
  g_settings_set_value (self->settings, "connections", g_variant_builder_end (builder));
}

/**
 * hangar_application_get_remotes:
 *
 * Returns: (transfer none): the connections to remote hosts, a #GListModel of
 *   #HangarConnection
 */
GListModel *
hangar_application_get_remotes (HangarApplication *self)
{
  g_return_val_if_fail (HANGAR_IS_APPLICATION (self), NULL);

  return G_LIST_MODEL (self->remotes);
}

/**
 * hangar_application_add_remote:
 * @destination: "user@host" or "host"
 * @port: 0 for ssh's own
 * @identity_file: (nullable): a private key file
 * @connect_at_start: whether it connects when the application starts
 *
 * Saves a remote host in the settings, lists it and connects to it.
 *
 * Returns: (transfer none): the new connection, or %NULL with @error set when the
 *   destination, port or identity file is not usable
 */
HangarConnection *
hangar_application_add_remote (HangarApplication  *self,
                               const char         *destination,
                               guint               port,
                               const char         *identity_file,
                               gboolean            connect_at_start,
                               GError            **error)
{
  g_autoptr(HangarConnection) connection = NULL;
  g_autofree char *id = g_uuid_string_random ();

  g_return_val_if_fail (HANGAR_IS_APPLICATION (self), NULL);

  if (!hangar_ssh_transport_check (destination, port, identity_file, error))
    return NULL;

  connection = make_remote (id, destination, port, identity_file);
  save_remote (self, id, g_variant_new ("(ssqsb)", id, destination, (guint16) port,
                                        identity_file != NULL ? identity_file : "",
                                        connect_at_start));
  g_list_store_append (self->remotes, connection);
  hangar_connection_connect (connection);
  return connection;
}

/**
 * hangar_application_remove_remote:
 *
 * Disconnects a remote host and forgets it. Its machines run on there.
 */
void
hangar_application_remove_remote (HangarApplication *self,
                                  HangarConnection  *connection)
{
  guint position;

  g_return_if_fail (HANGAR_IS_APPLICATION (self));
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  if (!g_list_store_find (self->remotes, connection, &position))
    return;
  hangar_connection_disconnect (connection);
  hangar_ssh_transport_stop_master (hangar_connection_get_transport (connection));
  save_remote (self, hangar_connection_get_id (connection), NULL);
  g_list_store_remove (self->remotes, position);
}

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
  self->settings = g_settings_new (APP_ID);
  load_remotes (self);
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
  /* Once: a host disconnected on purpose stays so when hangar is launched again. */
  if (!self->started)
    connect_remotes_at_start (self);
  self->started = TRUE;
}

static void
hangar_application_dispose (GObject *object)
{
  HangarApplication *self = HANGAR_APPLICATION (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->remotes);
  g_clear_object (&self->settings);

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
  self->remotes = g_list_store_new (HANGAR_TYPE_CONNECTION);
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
