/* hangar-paths.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-paths.h"

char *
hangar_paths_machines_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "hangar", "machines", NULL);
}

char *
hangar_paths_autostart_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "hangar", "autostart", NULL);
}

char *
hangar_paths_runtime_root (void)
{
  return g_build_filename (g_get_user_runtime_dir (), "hangar", NULL);
}

/* The socket on which the running engine serves peer-to-peer D-Bus to its own user. */
char *
hangar_paths_engine_socket (void)
{
  return g_build_filename (g_get_user_runtime_dir (), "hangar", "engine.sock", NULL);
}

char *
hangar_paths_runtime_dir (const char *uuid)
{
  g_return_val_if_fail (g_uuid_string_is_valid (uuid), NULL);

  return g_build_filename (g_get_user_runtime_dir (), "hangar", uuid, NULL);
}

char *
hangar_paths_images_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "hangar", "images", NULL);
}

char *
hangar_paths_machine_data_dir (const char *uuid)
{
  g_return_val_if_fail (g_uuid_string_is_valid (uuid), NULL);

  return g_build_filename (g_get_user_data_dir (), "hangar", "machines", uuid, NULL);
}

/* The UEFI variable store of a machine whose definition names none. */
char *
hangar_paths_nvram (const char *uuid)
{
  g_autofree char *dir = hangar_paths_machine_data_dir (uuid);

  return g_build_filename (dir, "VARS.fd", NULL);
}

/**
 * hangar_paths_copy_file:
 *
 * Copies @source to a new file @destination (never over an existing one), whole or
 * not at all.
 */
gboolean
hangar_paths_copy_file (const char  *source,
                        const char  *destination,
                        int          mode,
                        GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (source, &contents, &length, error))
    return FALSE;
  if (g_file_test (destination, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("“%s” exists already."), destination);
      return FALSE;
    }
  return g_file_set_contents_full (destination, contents, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, mode, error);
}

/* Removes a folder and everything below it, following no symbolic link. */
void
hangar_paths_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        hangar_paths_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

gboolean
hangar_paths_ensure_dir (const char  *path,
                         int          mode,
                         GError     **error)
{
  if (g_mkdir_with_parents (path, mode) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_paths_write_atomic:
 *
 * Writes a whole file or nothing: a temporary file beside it, fsync, rename,
 * then fsync of the folder so the rename itself is durable.
 */
gboolean
hangar_paths_write_atomic (const char  *path,
                           const char  *contents,
                           gssize       length,
                           GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int dir_fd;

  /* g_file_set_contents_full with FSYNC writes a temp file, fsyncs and renames. */
  if (!g_file_set_contents_full (path, contents, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return FALSE;

  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }
  return TRUE;
}
