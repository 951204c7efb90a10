/* hangar-owned-images.c: the disk images Hangar made, so Delete removes only those
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * $XDG_DATA_HOME/hangar/owned-images lists every image the engine made (CreateVolume),
 * one a line: "DEVICE INODE:BIRTH PATH". An image counts as Hangar's only while the file
 * at PATH is still that file (same inode, same birth time): a user's file put later in
 * its place is the user's. An ISO, an imported disk, any file the user named is never
 * on the list, so Delete with its images flag leaves them alone.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "hangar-owned-images.h"
#include "hangar-paths.h"

static char *
list_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "hangar", "owned-images", NULL);
}

/* The list's lines; an absent list is an empty one. */
static GPtrArray *
read_lines (void)
{
  g_autofree char *path = list_path ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *result = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return result;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (result, g_strdup (lines[i]));
  return result;
}

static gboolean
write_lines (GPtrArray  *lines,
             GError    **error)
{
  g_autofree char *path = list_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (lines, i));
  return hangar_paths_ensure_dir (dir, 0700, error) &&
         hangar_paths_write_atomic (path, text->str, text->len, error);
}

/* "DEVICE INODE:BIRTH PATH" for the file at @path now, or NULL when there is none. A file
 * system hands a freed inode number to the next new file at once: the birth time tells
 * the user's file made in the place of Hangar's image from that image. */
static char *
line_for (const char *path)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  struct statx st;

  if (statx (AT_FDCWD, canonical, 0, STATX_INO | STATX_BTIME, &st) != 0)
    return NULL;
  if (!(st.stx_mask & STATX_BTIME))
    st.stx_btime.tv_sec = 0, st.stx_btime.tv_nsec = 0;
  return g_strdup_printf ("%u.%u %" G_GUINT64_FORMAT ":%" G_GINT64_FORMAT ".%09u %s",
                          st.stx_dev_major, st.stx_dev_minor, (guint64) st.stx_ino,
                          (gint64) st.stx_btime.tv_sec, st.stx_btime.tv_nsec, canonical);
}

/* Whether @line names @canonical, whatever inode it had. */
static gboolean
line_names (const char *line,
            const char *canonical)
{
  const char *space = strchr (line, ' ');

  space = space ? strchr (space + 1, ' ') : NULL;
  return space != NULL && g_str_equal (space + 1, canonical);
}

/**
 * hangar_owned_images_add:
 *
 * Records that Hangar made the image at @path (which must exist).
 */
gboolean
hangar_owned_images_add (const char  *path,
                         GError     **error)
{
  g_autoptr(GPtrArray) lines = read_lines ();
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  char *line = line_for (path);

  if (strchr (canonical, '\n') != NULL)
    {
      /* The list is one path a line: such an image is simply never Hangar's to delete. */
      g_free (line);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   "%s: a newline in the path", path);
      return FALSE;
    }
  if (line == NULL)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  for (guint i = lines->len; i-- > 0;)
    if (line_names (g_ptr_array_index (lines, i), canonical))
      g_ptr_array_remove_index (lines, i);
  g_ptr_array_add (lines, line);
  return write_lines (lines, error);
}

/* Whether the file at @path now is one Hangar made. */
gboolean
hangar_owned_images_contains (const char *path)
{
  g_autoptr(GPtrArray) lines = read_lines ();
  g_autofree char *line = line_for (path);

  return line != NULL && g_ptr_array_find_with_equal_func (lines, line, g_str_equal, NULL);
}

/* Forgets the image at @path, whether or not it still exists. */
gboolean
hangar_owned_images_remove (const char  *path,
                            GError     **error)
{
  g_autoptr(GPtrArray) lines = read_lines ();
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  guint before = lines->len;

  for (guint i = lines->len; i-- > 0;)
    if (line_names (g_ptr_array_index (lines, i), canonical))
      g_ptr_array_remove_index (lines, i);
  return lines->len == before || write_lines (lines, error);
}
