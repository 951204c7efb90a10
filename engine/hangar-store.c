/* hangar-store.c: definitions on disk
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One file per machine, $XDG_CONFIG_HOME/hangar/machines/UUID.xml, written whole or
 * not at all. A file that does not parse is reported and left alone, never dropped:
 * the user may fix it by hand.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hangar-error.h"
#include "hangar-paths.h"
#include "hangar-store.h"

void
hangar_broken_definition_free (gpointer data)
{
  HangarBrokenDefinition *broken = data;

  g_free (broken->path);
  g_free (broken->message);
  g_free (broken);
}

static char *
definition_path (const char *uuid)
{
  g_autofree char *dir = hangar_paths_machines_dir ();
  g_autofree char *file = g_strconcat (uuid, ".xml", NULL);

  return g_build_filename (dir, file, NULL);
}

static void
add_broken (GPtrArray  *broken,
            const char *path,
            const char *message)
{
  HangarBrokenDefinition *entry = g_new0 (HangarBrokenDefinition, 1);

  entry->path = g_strdup (path);
  entry->message = g_strdup (message);
  g_ptr_array_add (broken, entry);
}

/**
 * hangar_store_load_all:
 * @domains: receives a HangarDomain for each good file
 * @broken: receives a HangarBrokenDefinition for each file that could not be used
 */
gboolean
hangar_store_load_all (GPtrArray  *domains,
                       GPtrArray  *broken,
                       GError    **error)
{
  g_autofree char *dir_path = hangar_paths_machines_dir ();
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *file;

  if (!hangar_paths_ensure_dir (dir_path, 0700, error))
    return FALSE;
  dir = g_dir_open (dir_path, 0, error);
  if (dir == NULL)
    return FALSE;
  while ((file = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (file, ".xml"))
      g_ptr_array_add (files, g_strdup (file));
  /* Same order at every start, so a name clash always keeps the same machine. */
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);

  for (guint i = 0; i < files->len; i++)
    {
      const char *name = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *uuid = g_strndup (name, strlen (name) - 4);
      g_autofree char *contents = NULL;
      g_autoptr(HangarDomain) domain = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!g_file_get_contents (path, &contents, NULL, &local_error) ||
          (domain = hangar_domain_parse (contents, -1, &local_error)) == NULL)
        {
          add_broken (broken, path, local_error->message);
          continue;
        }
      if (!g_str_equal (hangar_domain_get_uuid (domain), uuid))
        {
          g_autofree char *message = g_strdup_printf (_("The file is named after %s but defines "
                                                        "the UUID %s."),
                                                      uuid, hangar_domain_get_uuid (domain));
          add_broken (broken, path, message);
          continue;
        }
      if (g_hash_table_contains (names, hangar_domain_get_name (domain)))
        {
          g_autofree char *message = g_strdup_printf (_("Another machine is named “%s” already."),
                                                      hangar_domain_get_name (domain));
          add_broken (broken, path, message);
          continue;
        }
      g_hash_table_add (names, (gpointer) hangar_domain_get_name (domain));
      g_ptr_array_add (domains, g_steal_pointer (&domain));
    }
  return TRUE;
}

gboolean
hangar_store_save (HangarDomain  *domain,
                   GError       **error)
{
  g_autofree char *dir = hangar_paths_machines_dir ();
  g_autofree char *path = definition_path (hangar_domain_get_uuid (domain));
  g_autofree char *xml = hangar_domain_to_xml (domain);

  return hangar_paths_ensure_dir (dir, 0700, error) &&
         hangar_paths_write_atomic (path, xml, -1, error);
}

static gboolean
remove_file (const char  *path,
             GError     **error)
{
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("Could not remove “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
hangar_store_delete (const char  *uuid,
                     GError     **error)
{
  g_autofree char *path = definition_path (uuid);

  return hangar_store_set_autostart (uuid, FALSE, error) && remove_file (path, error);
}

static char *
autostart_path (const char *uuid)
{
  g_autofree char *dir = hangar_paths_autostart_dir ();

  return g_build_filename (dir, uuid, NULL);
}

gboolean
hangar_store_get_autostart (const char *uuid)
{
  g_autofree char *path = autostart_path (uuid);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

gboolean
hangar_store_set_autostart (const char  *uuid,
                            gboolean     autostart,
                            GError     **error)
{
  g_autofree char *dir = hangar_paths_autostart_dir ();
  g_autofree char *path = autostart_path (uuid);

  if (!autostart)
    return remove_file (path, error);
  return hangar_paths_ensure_dir (dir, 0700, error) &&
         hangar_paths_write_atomic (path, "", 0, error);
}

/* Whether @name is a temporary file g_file_set_contents() makes beside a file it
 * replaces: "NAME.XXXXXX", six random characters after the real name. */
static gboolean
is_temporary (const char *name)
{
  const char *dot = strrchr (name, '.');

  return dot != NULL && dot != name && strlen (dot + 1) == 6 &&
         (dot - name > 4 && (strncmp (dot - 4, ".xml", 4) == 0 ||
                             strncmp (dot - 4, ".pid", 4) == 0));
}

static guint
remove_temporary_in (const char *dir_path,
                     gboolean    recurse)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint removed = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      if (recurse && g_file_test (path, G_FILE_TEST_IS_DIR) &&
          !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        removed += remove_temporary_in (path, FALSE);
      else if (is_temporary (name) && g_unlink (path) == 0)
        removed++;
    }
  return removed;
}

/**
 * hangar_store_remove_stale:
 *
 * Removes the temporary files of writes an engine killed half-way left: beside the
 * definitions, and in the machines' runtime folders (qemu.pid, live.xml). Only the
 * engine that owns the bus name may call it: another one could be writing them.
 */
void
hangar_store_remove_stale (void)
{
  g_autofree char *machines = hangar_paths_machines_dir ();
  g_autofree char *runtime = hangar_paths_runtime_root ();
  guint removed;

  removed = remove_temporary_in (machines, FALSE) + remove_temporary_in (runtime, TRUE);
  if (removed > 0)
    g_debug ("Removed %u half-written files of an engine that was killed", removed);
}
