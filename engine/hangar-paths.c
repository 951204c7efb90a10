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
