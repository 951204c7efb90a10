/* hangar-host-impl-create.c: Host1's calls for creating machines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The catalogue, media, folders, volumes and CreateMachine: each handler hands the
 * work to the engine object that does it and completes the call when it is done.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-create.h"
#include "hangar-error.h"
#include "hangar-host-browse.h"
#include "hangar-host-impl.h"
#include "hangar-media.h"
#include "hangar-volume.h"

#define MAX_SEARCH_RESULTS 1000

static HangarEngine *
engine_of (HangarDBusHost1 *host)
{
  return hangar_host_impl_get_engine (HANGAR_HOST_IMPL (host));
}

static void
on_media_identified (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;
  g_autoptr(GVariant) media = hangar_media_identify_finish (HANGAR_OSINFO (object), result,
                                                            &error);

  if (media == NULL)
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a{sv})", media));
}

static gboolean
handle_identify_media (HangarDBusHost1       *host,
                       GDBusMethodInvocation *invocation,
                       const char            *path)
{
  hangar_media_identify_async (hangar_engine_get_osinfo (engine_of (host)), path,
                               on_media_identified, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_optical_drives (HangarDBusHost1       *host,
                            GDBusMethodInvocation *invocation)
{
  g_auto(GStrv) drives = hangar_media_list_optical_drives ();

  hangar_dbus_host1_complete_list_optical_drives (host, invocation,
                                                  (const char * const *) drives);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_tree_identified (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;
  g_autoptr(GVariant) tree = hangar_media_identify_tree_finish (HANGAR_OSINFO (object), result,
                                                                &error);

  if (tree == NULL)
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a{sv})", tree));
}

static gboolean
handle_identify_tree (HangarDBusHost1       *host,
                      GDBusMethodInvocation *invocation,
                      const char            *url)
{
  hangar_media_identify_tree_async (hangar_engine_get_osinfo (engine_of (host)), url,
                                    on_tree_identified, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_db_for_search (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GVariant *parameters = g_dbus_method_invocation_get_parameters (invocation);
  g_autoptr(OsinfoDb) db = NULL;
  const char *query;
  guint limit;
  GError *error = NULL;

  db = hangar_osinfo_load_finish (HANGAR_OSINFO (object), result, &error);
  if (db == NULL)
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return;
    }
  g_variant_get (parameters, "(&su)", &query, &limit);
  g_dbus_method_invocation_return_value (
    invocation, g_variant_new ("(@a(sss))",
                               hangar_osinfo_search (HANGAR_OSINFO (object), query,
                                                     MIN (limit, MAX_SEARCH_RESULTS))));
}

static gboolean
handle_search_operating_systems (HangarDBusHost1       *host,
                                 GDBusMethodInvocation *invocation,
                                 const char            *query,
                                 guint                  limit)
{
  hangar_osinfo_load_async (hangar_engine_get_osinfo (engine_of (host)), on_db_for_search,
                            g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_os_defaults (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;
  g_autoptr(GVariant) defaults = hangar_create_os_defaults_finish (HANGAR_ENGINE (object), result,
                                                                   &error);

  if (defaults == NULL)
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a{sv})", defaults));
}

static gboolean
handle_get_os_defaults (HangarDBusHost1       *host,
                        GDBusMethodInvocation *invocation,
                        const char            *os_id)
{
  hangar_create_os_defaults_async (engine_of (host), os_id, on_os_defaults,
                                   g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_check_machine_name (HangarDBusHost1       *host,
                           GDBusMethodInvocation *invocation,
                           const char            *name)
{
  GError *error = NULL;

  if (!hangar_engine_check_new_name (engine_of (host), name, &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    hangar_dbus_host1_complete_check_machine_name (host, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_folder (HangarDBusHost1       *host,
                    GDBusMethodInvocation *invocation,
                    const char            *folder)
{
  g_autofree char *canonical = NULL;
  GError *error = NULL;
  GVariant *entries = hangar_host_list_folder (folder, &canonical, &error);

  if (entries == NULL)
    g_dbus_method_invocation_take_error (invocation, error);
  else
    hangar_dbus_host1_complete_list_folder (host, invocation, canonical, entries);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_create_volume (HangarDBusHost1       *host,
                      GDBusMethodInvocation *invocation,
                      GVariant              *options)
{
  g_autoptr(HangarJob) job = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  job = hangar_volume_create (options, &error);
  if (job == NULL)
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  path = hangar_engine_add_job (engine_of (host), job);
  hangar_dbus_host1_complete_create_volume (host, invocation, path);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_machine_created (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  HangarEngine *engine = HANGAR_ENGINE (object);
  g_autoptr(HangarMachine) machine = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  machine = hangar_create_machine_finish (engine, result, &error);
  if (machine == NULL)
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return;
    }
  path = hangar_engine_object_path (engine, machine);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", path));
}

static gboolean
handle_create_machine (HangarDBusHost1       *host,
                       GDBusMethodInvocation *invocation,
                       GVariant              *options)
{
  hangar_create_machine_async (engine_of (host), options, on_machine_created,
                               g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
_hangar_host_impl_create_iface_init (HangarDBusHost1Iface *iface)
{
  iface->handle_identify_media = handle_identify_media;
  iface->handle_list_optical_drives = handle_list_optical_drives;
  iface->handle_identify_tree = handle_identify_tree;
  iface->handle_search_operating_systems = handle_search_operating_systems;
  iface->handle_get_os_defaults = handle_get_os_defaults;
  iface->handle_check_machine_name = handle_check_machine_name;
  iface->handle_list_folder = handle_list_folder;
  iface->handle_create_volume = handle_create_volume;
  iface->handle_create_machine = handle_create_machine;
}
