/* hangar-media.c: what an install medium, disk image or install tree is
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * An ISO image or a disc in a host drive is read by libosinfo in a worker thread
 * (its volume id and friends), then matched against the catalogue. Anything that is
 * not ISO 9660 is asked of `qemu-img info`. An install tree is read over the network
 * by libosinfo (its .treeinfo), also in a worker thread.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-media.h"

/**
 * hangar_media_check_readable:
 * @allow_block: whether a block device (a CD/DVD drive) will do
 *
 * Checks that @path is absolute, exists, is a regular file (or a block device) and
 * that the user can read it, with an error naming what is wrong.
 */
gboolean
hangar_media_check_readable (const char  *path,
                             gboolean     allow_block,
                             GError     **error)
{
  struct stat st;

  if (path == NULL || !g_path_is_absolute (path))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an absolute path."), path ? path : "");
      return FALSE;
    }
  if (stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, HANGAR_ERROR,
                   saved == EACCES ? HANGAR_ERROR_PERMISSION_DENIED : HANGAR_ERROR_NOT_FOUND,
                   saved == ENOENT ? _("“%s” does not exist.") : _("Cannot look at “%s”: %s."),
                   path, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) && !(allow_block && S_ISBLK (st.st_mode)))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   S_ISDIR (st.st_mode) ? _("“%s” is a folder, not an image file.") :
                   _("“%s” is neither an image file nor a disc drive."), path);
      return FALSE;
    }
  if (access (path, R_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_PERMISSION_DENIED,
                   _("“%s” cannot be read: %s."), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_media_check_disc:
 * @path: a block device, checked by hangar_media_check_readable()
 *
 * Checks that the drive holds a disc: an empty optical drive opens (without waiting
 * for a disc) and has no size.
 */
gboolean
hangar_media_check_disc (const char  *path,
                         GError     **error)
{
  guint64 size = 0;
  int fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  int saved = errno;

  if (fd >= 0 && ioctl (fd, BLKGETSIZE64, &size) != 0)
    size = 0;
  if (fd >= 0)
    close (fd);
  if (fd < 0 && saved != ENOMEDIUM)
    {
      g_set_error (error, HANGAR_ERROR,
                   saved == EACCES ? HANGAR_ERROR_PERMISSION_DENIED : HANGAR_ERROR_FAILED,
                   _("The drive “%s” cannot be opened: %s."), path, g_strerror (saved));
      return FALSE;
    }
  if (size == 0)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                   _("There is no disc in “%s”: put the install disc in, or choose an ISO "
                     "image."), path);
      return FALSE;
    }
  return TRUE;
}

/* "/dev/sr2" before "/dev/sr10". */
static int
compare_paths (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;

  if (strlen (x) != strlen (y))
    return strlen (x) < strlen (y) ? -1 : 1;
  return strcmp (x, y);
}

/**
 * hangar_media_list_optical_drives:
 *
 * Returns: (transfer full): the host's CD/DVD drives (/dev/sr0, /dev/sr1, ...) that are
 *   block devices, sorted; with or without a disc in them
 */
GStrv
hangar_media_list_optical_drives (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev", 0, NULL);
  g_autoptr(GPtrArray) drives = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      struct stat st;

      if (!g_str_has_prefix (name, "sr") || !g_ascii_isdigit (name[2]))
        continue;
      path = g_build_filename ("/dev", name, NULL);
      if (stat (path, &st) == 0 && S_ISBLK (st.st_mode))
        g_ptr_array_add (drives, g_steal_pointer (&path));
    }
  g_ptr_array_add (drives, NULL);
  g_qsort_with_data (drives->pdata, drives->len - 1, sizeof (char *), compare_paths, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&drives), FALSE);
}

/* ---- ISO images and discs ----------------------------------------------------- */

/* Raw images: a disk if it has an MBR or GPT partition table. */
static gboolean
raw_has_partition_table (const char *path)
{
  guint8 sector[1024] = { 0 };
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  gssize got;

  if (fd < 0)
    return FALSE;
  got = pread (fd, sector, sizeof sector, 0);
  close (fd);
  return got >= 512 && ((sector[510] == 0x55 && sector[511] == 0xaa) ||
                        (got == 1024 && memcmp (sector + 512, "EFI PART", 8) == 0));
}

typedef struct
{
  char        *path;
  OsinfoMedia *media;   /* what libosinfo read, before matching */
  GVariantDict dict;
} MediaData;

static void
media_data_free (gpointer data)
{
  MediaData *md = data;

  g_free (md->path);
  g_clear_object (&md->media);
  g_variant_dict_clear (&md->dict);
  g_free (md);
}

/* ISO 9660's first volume descriptor sits at 32 KiB: a type byte, then "CD001". */
static gboolean
file_is_iso9660 (const char *path)
{
  char magic[5] = { 0 };
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  gssize got;

  if (fd < 0)
    return FALSE;
  got = pread (fd, magic, sizeof magic, 32768 + 1);
  close (fd);
  return got == sizeof magic && memcmp (magic, "CD001", sizeof magic) == 0;
}

static void
read_media_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  MediaData *md = task_data;
  GError *error = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();

  /* libosinfo's sync calls run a main loop on the thread-default context: give this
   * thread its own, or it would iterate the engine's. */
  g_main_context_push_thread_default (context);
  HANGAR_OSINFO_LEAKS_BEGIN ();
  md->media = osinfo_media_create_from_location_with_flags (md->path, cancellable, 0, &error);
  HANGAR_OSINFO_LEAKS_END ();
  g_main_context_pop_thread_default (context);
  if (md->media == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
return_dict (GTask *task)
{
  MediaData *md = g_task_get_task_data (task);

  g_task_return_pointer (task, g_variant_ref_sink (g_variant_dict_end (&md->dict)),
                         (GDestroyNotify) g_variant_unref);
}

static void
on_db_for_media (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MediaData *md = g_task_get_task_data (task);
  GError *error = NULL;
  OsinfoDb *db = hangar_osinfo_load_finish (HANGAR_OSINFO (object), result, &error);
  OsinfoMedia *media = md->media;
  const char *volume_id = osinfo_media_get_volume_id (media);
  const char *kind = "installer";
  struct stat st;

  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_variant_dict_insert (&md->dict, "volume-id", "s", volume_id ? volume_id : "");
  if (osinfo_db_identify_media (db, media))
    {
      OsinfoOs *os = osinfo_media_get_os (media);

      g_variant_dict_insert (&md->dict, "os-id", "s", osinfo_entity_get_id (OSINFO_ENTITY (os)));
      g_variant_dict_insert (&md->dict, "os-name", "s",
                             osinfo_product_get_name (OSINFO_PRODUCT (os)));
      kind = osinfo_media_get_live (media) && !osinfo_media_get_installer (media) ? "live" :
                                                                                     "installer";
      g_object_unref (os);
    }
  else
    {
      /* An ISO image the catalogue does not know: booted as a CD all the same. */
      g_variant_dict_insert (&md->dict, "os-id", "s", HANGAR_OSINFO_GENERIC);
      g_variant_dict_insert (&md->dict, "os-name", "s", "");
    }
  if (osinfo_media_get_architecture (media) != NULL)
    g_variant_dict_insert (&md->dict, "architecture", "s", osinfo_media_get_architecture (media));
  g_variant_dict_insert (&md->dict, "kind", "s", kind);
  /* A hybrid ISO (isohybrid) has an MBR as well: a raw disk image too, for an import. */
  if (stat (md->path, &st) == 0 && S_ISREG (st.st_mode) && raw_has_partition_table (md->path))
    {
      g_variant_dict_insert (&md->dict, "format", "s", "raw");
      g_variant_dict_insert (&md->dict, "virtual-size", "t", (guint64) st.st_size);
    }
  g_object_unref (db);
  return_dict (task);
}

/* ---- disk images -------------------------------------------------------------- */

static void
on_image_info (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MediaData *md = g_task_get_task_data (task);
  GSubprocess *process = G_SUBPROCESS (object);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  JsonObject *info;
  const char *format;

  if (!g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0 ||
      (root = json_from_string (out, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                               _("qemu-img cannot read “%s”: %s"), md->path,
                               err && *err ? g_strstrip (err) : _("no reason given"));
      return;
    }
  info = json_node_get_object (root);
  format = json_object_get_string_member_with_default (info, "format", "");
  g_variant_dict_insert (&md->dict, "format", "s", format);
  g_variant_dict_insert (&md->dict, "virtual-size", "t",
                         (guint64) json_object_get_int_member_with_default (info, "virtual-size", 0));
  g_variant_dict_insert (&md->dict, "os-id", "s", HANGAR_OSINFO_GENERIC);
  g_variant_dict_insert (&md->dict, "os-name", "s", "");
  g_variant_dict_insert (&md->dict, "kind", "s",
                         !g_str_equal (format, "raw") || raw_has_partition_table (md->path) ?
                         "disk-image" : "unknown");
  return_dict (task);
}

static void
ask_qemu_img (GTask *task)
{
  MediaData *md = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GSubprocess) process = NULL;

  /* -U: an image a running machine holds can still be looked at. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, "qemu-img", "info", "--output=json", "-U", md->path, NULL);
  if (process == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_subprocess_communicate_utf8_async (process, NULL, g_task_get_cancellable (task),
                                       on_image_info, g_object_ref (task));
}

static void
on_media_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MediaData *md = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      hangar_osinfo_load_async (HANGAR_OSINFO (g_task_get_source_object (task)),
                                on_db_for_media, g_object_ref (task));
      return;
    }
  if (error->domain == OSINFO_MEDIA_ERROR)
    {
      /* Not ISO 9660: a disk image, or nothing Hangar knows. */
      ask_qemu_img (task);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_PERMISSION_DENIED,
                             _("“%s” cannot be read: %s"), md->path, error->message);
  else
    g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                             _("Cannot read a medium in “%s” (is there a disc in the drive?): %s"),
                             md->path, error->message);
}

/**
 * hangar_media_identify_async:
 * @path: an absolute path: an ISO image, a disc drive or a disk image
 *
 * Completes with IdentifyMedia's a{sv}.
 */
void
hangar_media_identify_async (HangarOsinfo        *osinfo,
                             const char          *path,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (osinfo, NULL, callback, user_data);
  g_autoptr(GTask) read = NULL;
  GError *error = NULL;
  MediaData *md;

  g_task_set_source_tag (task, hangar_media_identify_async);
  if (!hangar_media_check_readable (path, TRUE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  md = g_new0 (MediaData, 1);
  md->path = g_strdup (path);
  g_variant_dict_init (&md->dict, NULL);
  g_task_set_task_data (task, md, media_data_free);

  /* A file that is not ISO 9660 goes straight to qemu-img: libosinfo would only fail on
   * it, in a thread. A drive is always asked of libosinfo (is there a disc?). */
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && !file_is_iso9660 (path))
    {
      ask_qemu_img (task);
      return;
    }
  read = g_task_new (osinfo, NULL, on_media_read, g_object_ref (task));
  g_task_set_task_data (read, md, NULL);
  g_task_run_in_thread (read, read_media_in_thread);
}

GVariant *
hangar_media_identify_finish (HangarOsinfo  *osinfo,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, osinfo), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- install trees -------------------------------------------------------------- */

typedef struct
{
  char       *url;
  OsinfoTree *tree;
} TreeData;

static void
tree_data_free (gpointer data)
{
  TreeData *td = data;

  g_free (td->url);
  g_clear_object (&td->tree);
  g_free (td);
}

static void
read_tree_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  TreeData *td = task_data;
  GError *error = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  HANGAR_OSINFO_LEAKS_BEGIN ();
  td->tree = osinfo_tree_create_from_location (td->url, cancellable, &error);
  HANGAR_OSINFO_LEAKS_END ();
  g_main_context_pop_thread_default (context);
  if (td->tree == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* @path relative to the tree, as a URL. */
static char *
tree_url (const char *base,
          const char *path)
{
  if (path == NULL)
    return g_strdup ("");
  return g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/",
                      path[0] == '/' ? path + 1 : path, NULL);
}

static void
on_db_for_tree (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TreeData *td = g_task_get_task_data (task);
  GError *error = NULL;
  OsinfoDb *db = hangar_osinfo_load_finish (HANGAR_OSINFO (object), result, &error);
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  const char *arch;
  GVariantDict dict;

  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_variant_dict_init (&dict, NULL);
  if (osinfo_db_identify_tree (db, td->tree))
    {
      OsinfoOs *os = osinfo_tree_get_os (td->tree);

      g_variant_dict_insert (&dict, "os-id", "s", osinfo_entity_get_id (OSINFO_ENTITY (os)));
      g_variant_dict_insert (&dict, "os-name", "s", osinfo_product_get_name (OSINFO_PRODUCT (os)));
      g_object_unref (os);
    }
  else
    {
      g_variant_dict_insert (&dict, "os-id", "s", HANGAR_OSINFO_GENERIC);
      g_variant_dict_insert (&dict, "os-name", "s", "");
    }
  arch = osinfo_tree_get_architecture (td->tree);
  if (arch == NULL)
    arch = osinfo_tree_get_treeinfo_arch (td->tree);
  g_variant_dict_insert (&dict, "architecture", "s", arch ? arch : "");
  kernel = tree_url (td->url, osinfo_tree_get_kernel_path (td->tree));
  initrd = tree_url (td->url, osinfo_tree_get_initrd_path (td->tree));
  g_variant_dict_insert (&dict, "kernel", "s", kernel);
  g_variant_dict_insert (&dict, "initrd", "s", initrd);
  g_object_unref (db);
  g_task_return_pointer (task, g_variant_ref_sink (g_variant_dict_end (&dict)),
                         (GDestroyNotify) g_variant_unref);
}

static void
on_tree_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TreeData *td = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The server answered without a tree, or could not be reached at all. */
      gboolean answered = error->domain == OSINFO_TREE_ERROR ||
                          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

      g_task_return_new_error (task, HANGAR_ERROR,
                               answered ? HANGAR_ERROR_NOT_FOUND : HANGAR_ERROR_FAILED,
                               answered ? _("No install tree at “%s”: %s") :
                                          _("Cannot read the install tree at “%s”: %s"),
                               td->url, error->message);
      return;
    }
  if (osinfo_tree_get_kernel_path (td->tree) == NULL ||
      osinfo_tree_get_initrd_path (td->tree) == NULL)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                               _("The install tree at “%s” names no installer kernel and "
                                 "initrd for x86_64."), td->url);
      return;
    }
  hangar_osinfo_load_async (HANGAR_OSINFO (g_task_get_source_object (task)), on_db_for_tree,
                            g_object_ref (task));
}

/**
 * hangar_media_identify_tree_async:
 * @url: an http://, https:// or ftp:// install tree
 *
 * Completes with IdentifyTree's a{sv}.
 */
void
hangar_media_identify_tree_async (HangarOsinfo        *osinfo,
                                  const char          *url,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (osinfo, NULL, callback, user_data);
  g_autoptr(GTask) read = NULL;
  const char *scheme = g_uri_peek_scheme (url);
  TreeData *td;

  g_task_set_source_tag (task, hangar_media_identify_tree_async);
  if (scheme == NULL ||
      !(g_str_equal (scheme, "http") || g_str_equal (scheme, "https") ||
        g_str_equal (scheme, "ftp")) ||
      !g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL))
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not an http://, https:// or ftp:// URL."), url);
      return;
    }
  td = g_new0 (TreeData, 1);
  td->url = g_strdup (url);
  g_task_set_task_data (task, td, tree_data_free);
  read = g_task_new (osinfo, NULL, on_tree_read, g_object_ref (task));
  g_task_set_task_data (read, td, NULL);
  g_task_run_in_thread (read, read_tree_in_thread);
}

GVariant *
hangar_media_identify_tree_finish (HangarOsinfo  *osinfo,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, osinfo), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
