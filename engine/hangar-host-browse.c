/* hangar-host-browse.c: the host's folders, for choosing media on a remote host
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The engine runs as the user, so it lists only what the user may read anyway.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-host-browse.h"

typedef struct
{
  char       *name;
  const char *kind;
  guint64     size;
} Entry;

static void
entry_clear (gpointer data)
{
  g_free (((Entry *) data)->name);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (((const Entry *) a)->name, ((const Entry *) b)->name);
}

static guint64
block_device_size (const char *path)
{
  guint64 size = 0;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

  if (fd < 0)
    return 0;
  if (ioctl (fd, BLKGETSIZE64, &size) != 0)
    size = 0;
  close (fd);
  return size;
}

static HangarError
error_code (int errsv)
{
  return errsv == ENOENT ? HANGAR_ERROR_NOT_FOUND :
         errsv == EACCES || errsv == EPERM ? HANGAR_ERROR_PERMISSION_DENIED :
         errsv == ENOTDIR ? HANGAR_ERROR_INVALID_ARGUMENT : HANGAR_ERROR_FAILED;
}

/**
 * hangar_host_list_folder:
 * @folder: an absolute folder, or "" for the home folder
 * @canonical: (out): the folder, canonical
 *
 * Returns: (transfer floating): a(sst): name, kind ("folder", "file" or "block") and
 * size of each entry the user can read, sorted by name. Symbolic links are followed;
 * other kinds of entries (sockets, pipes, character devices) are left out.
 */
GVariant *
hangar_host_list_folder (const char  *folder,
                         char       **canonical,
                         GError     **error)
{
  g_autofree char *real = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  GVariantBuilder builder;
  struct stat st;
  const char *name;
  GDir *dir;

  if (folder == NULL || *folder == '\0')
    folder = g_get_home_dir ();
  if (!g_path_is_absolute (folder))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an absolute path."), folder);
      return NULL;
    }
  real = realpath (folder, NULL);
  if (real == NULL || stat (real, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, HANGAR_ERROR, error_code (saved), _("Cannot open the folder “%s”: %s."),
                   folder, g_strerror (saved));
      return NULL;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a folder."), folder);
      return NULL;
    }
  dir = g_dir_open (real, 0, NULL);
  if (dir == NULL)
    {
      int saved = errno;
      g_set_error (error, HANGAR_ERROR, error_code (saved), _("Cannot open the folder “%s”: %s."),
                   folder, g_strerror (saved));
      return NULL;
    }

  g_array_set_clear_func (entries, entry_clear);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (real, name, NULL);
      Entry entry = { 0 };

      if (stat (path, &st) != 0 || access (path, R_OK) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        entry.kind = "folder";
      else if (S_ISREG (st.st_mode))
        entry.kind = "file", entry.size = st.st_size;
      else if (S_ISBLK (st.st_mode))
        entry.kind = "block", entry.size = block_device_size (path);
      else
        continue;
      entry.name = g_strdup (name);
      g_array_append_val (entries, entry);
    }
  g_dir_close (dir);
  g_array_sort (entries, compare_entries);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sst)"));
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);
      g_variant_builder_add (&builder, "(sst)", entry->name, entry->kind, entry->size);
    }
  *canonical = g_steal_pointer (&real);
  return g_variant_builder_end (&builder);
}
