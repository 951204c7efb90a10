/* hangar-volume.c: new disk images, made by qemu-img as jobs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Everything that can be checked is checked before anything is written. The file is
 * then made with O_EXCL, so a name that appeared meanwhile is never overwritten
 * (qemu-img itself would truncate it), and qemu-img writes into it. While it runs,
 * progress is the image's allocated size against its capacity (`create`), or what
 * `convert -p` prints. A failure or Cancel removes the file: no half image stays.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-media.h"
#include "hangar-owned-images.h"
#include "hangar-paths.h"
#include "hangar-volume.h"

typedef struct
{
  HangarJob   *job;
  GSubprocess *process;
  char        *path;
  guint64      size;     /* capacity, for progress from the allocated size */
  guint        poll_id;
  gulong       cancel_id;
  guint        pending;  /* the end of output and the exit: the job ends after both */
  GString     *output;   /* what qemu-img printed, for a failure's message */
} Run;

static void
run_free (Run *run)
{
  g_clear_handle_id (&run->poll_id, g_source_remove);
  g_clear_object (&run->job);
  g_clear_object (&run->process);
  g_free (run->path);
  g_string_free (run->output, TRUE);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static gboolean
on_poll (gpointer user_data)
{
  Run *run = user_data;
  struct stat st;

  if (stat (run->path, &st) == 0 && run->size > 0)
    hangar_job_set_progress (run->job, (double) st.st_blocks * 512 / run->size);
  return G_SOURCE_CONTINUE;
}

static void
on_cancelled (GCancellable *cancellable,
              Run          *run)
{
  g_subprocess_send_signal (run->process, SIGKILL);
}

/* `qemu-img convert -p` prints "    (12.34/100%)\r": take the last figure. */
static void
parse_convert_progress (Run *run)
{
  const char *open_paren = strrchr (run->output->str, '(');
  double percent;

  if (open_paren == NULL)
    return;
  percent = g_ascii_strtod (open_paren + 1, NULL);
  if (percent > 0)
    hangar_job_set_progress (run->job, percent / 100.0);
}

static void
finish (Run *run)
{
  GSubprocess *process = run->process;
  gboolean cancelled = g_cancellable_is_cancelled (hangar_job_get_cancellable (run->job));

  g_cancellable_disconnect (hangar_job_get_cancellable (run->job), run->cancel_id);
  if (!cancelled && g_subprocess_get_if_exited (process) &&
      g_subprocess_get_exit_status (process) == 0)
    {
      g_autoptr(GError) error = NULL;

      /* Ours to delete with the machine; unrecorded, it is only ever kept. */
      if (!hangar_owned_images_add (run->path, &error))
        g_message ("Could not record “%s” as Hangar’s image: %s", run->path, error->message);
      hangar_job_complete (run->job, run->path);
    }
  else
    {
      g_unlink (run->path);
      if (cancelled)
        hangar_job_mark_cancelled (run->job);
      else
        {
          g_autofree char *message = g_strdup_printf (_("qemu-img could not make “%s”: %s"),
                                                      run->path, g_strstrip (run->output->str));
          hangar_job_fail (run->job, message);
        }
    }
  run_free (run);
}

static void
step_done (Run *run)
{
  if (--run->pending == 0)
    finish (run);
}

static void
on_output (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object),
                                                              result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      step_done (run);
      return;
    }
  g_string_append_len (run->output, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (g_str_equal (hangar_job_get_kind (run->job), "convert-volume"))
    parse_convert_progress (run);
  g_input_stream_read_bytes_async (G_INPUT_STREAM (object), 4096, G_PRIORITY_DEFAULT, NULL,
                                   on_output, run);
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  g_clear_handle_id (&run->poll_id, g_source_remove);
  step_done (run);
}

/* ---- checks ------------------------------------------------------------------------ */

static const char *
lookup_string (GVariantDict *dict,
               const char   *key,
               const char   *fallback)
{
  const char *value = fallback;

  g_variant_dict_lookup (dict, key, "&s", &value);
  return value;
}

/* The file name of a machine's new image: the machine's name made safe for a file
 * name (no "/", no control characters, no leading "."), then ".qcow2" or ".img". */
static char *
image_name_for_machine (const char *machine,
                        const char *format)
{
  GString *name = g_string_new (NULL);

  for (const char *p = machine; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || g_unichar_iscntrl (c) || (name->len == 0 && c == '.'))
        g_string_append_c (name, '_');
      else
        g_string_append_unichar (name, c);
    }
  if (name->len == 0)
    g_string_append (name, "disk");
  g_string_append (name, g_strcmp0 (format, "raw") == 0 ? ".img" : ".qcow2");
  return g_string_free (name, FALSE);
}

static char *
target_path (GVariantDict  *dict,
             GError       **error)
{
  const char *path = lookup_string (dict, "path", NULL);
  const char *name = lookup_string (dict, "name", NULL);
  const char *machine = lookup_string (dict, "for-machine", NULL);
  g_autofree char *machine_name = NULL;
  g_autofree char *folder = NULL;

  if ((path != NULL) + (name != NULL) + (machine != NULL) != 1)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("Give the new image one of “path”, “name” or “for-machine”."));
      return NULL;
    }
  if (path != NULL)
    {
      if (!g_path_is_absolute (path) || g_str_has_suffix (path, "/"))
        {
          g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not an absolute file path."), path);
          return NULL;
        }
      return g_canonicalize_filename (path, NULL);
    }
  if (machine != NULL)
    name = machine_name = image_name_for_machine (machine, lookup_string (dict, "format", NULL));
  if (*name == '\0' || strchr (name, '/') != NULL || g_str_equal (name, ".") ||
      g_str_equal (name, ".."))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a file name (no “/”, not empty)."), name);
      return NULL;
    }
  folder = hangar_paths_images_dir ();
  if (!hangar_paths_ensure_dir (folder, 0700, error))
    return NULL;
  return g_build_filename (folder, name, NULL);
}

static gboolean
check_folder (const char  *path,
              GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                   _("The folder “%s” does not exist."), folder);
      return FALSE;
    }
  if (access (folder, W_OK | X_OK) != 0)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_PERMISSION_DENIED,
                   _("You cannot write in the folder “%s”."), folder);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_ALREADY_EXISTS,
                   _("“%s” exists already; choose another name."), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_size (const char  *path,
            guint64      size,
            const char  *preallocation,
            GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *wanted = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
  struct statvfs fs;

  if (size == 0)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("The image needs a size larger than 0."));
      return FALSE;
    }
  if (size > HANGAR_VOLUME_MAX_BYTES)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("%s is larger than the largest image Hangar makes (64 TiB)."), wanted);
      return FALSE;
    }
  /* Written out in full at once: it must fit now. */
  if ((g_str_equal (preallocation, "full") || g_str_equal (preallocation, "falloc")) &&
      statvfs (folder, &fs) == 0 && size > (guint64) fs.f_bavail * fs.f_frsize)
    {
      g_autofree char *free_text = g_format_size_full ((guint64) fs.f_bavail * fs.f_frsize,
                                                       G_FORMAT_SIZE_IEC_UNITS);
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("A preallocated image of %s does not fit in “%s”, which has %s free; "
                     "choose a smaller size or no preallocation."), wanted, folder, free_text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_options (GVariantDict  *dict,
               const char    *format,
               const char    *preallocation,
               const char    *source,
               GError       **error)
{
  static const char * const preallocations[] = { "off", "metadata", "falloc", "full", NULL };

  if (!g_str_equal (format, "qcow2") && !g_str_equal (format, "raw"))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("The image format “%s” is not supported; use qcow2 or raw."), format);
      return FALSE;
    }
  if (!g_strv_contains (preallocations, preallocation) ||
      (g_str_equal (preallocation, "metadata") && !g_str_equal (format, "qcow2")))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("The preallocation “%s” is not known for %s; use off, %sfalloc or full."),
                   preallocation, format, g_str_equal (format, "qcow2") ? "metadata, " : "");
      return FALSE;
    }
  if (source != NULL && g_variant_dict_contains (dict, "size"))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("A converted image has the size of its source: give “size” or "
                     "“source”, not both."));
      return FALSE;
    }
  if (source == NULL && !g_variant_dict_contains (dict, "size"))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("Give the new image a “size” in bytes."));
      return FALSE;
    }
  return TRUE;
}

/* Takes the name for us: O_EXCL fails if anything appeared there meanwhile. */
static gboolean
reserve (const char  *path,
         GError     **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, HANGAR_ERROR,
                   saved == EEXIST ? HANGAR_ERROR_ALREADY_EXISTS : HANGAR_ERROR_FAILED,
                   _("Could not create “%s”: %s."), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/**
 * hangar_volume_create:
 * @options: CreateVolume's a{sv}
 *
 * Returns: (transfer full): a running job whose result is the image's path, or
 * NULL with @error set, and nothing written.
 */
HangarJob *
hangar_volume_create (GVariant  *options,
                      GError   **error)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (options);
  g_autoptr(Run) run = g_new0 (Run, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base = NULL;
  g_autofree char *description = NULL;
  const char *format = lookup_string (&dict, "format", "qcow2");
  const char *preallocation = lookup_string (&dict, "preallocation", "off");
  const char *source = lookup_string (&dict, "source", NULL);
  GInputStream *out;

  run->output = g_string_new (NULL);
  if (!check_options (&dict, format, preallocation, source, error))
    return NULL;
  run->path = target_path (&dict, error);
  if (run->path == NULL || !check_folder (run->path, error))
    return NULL;
  if (source != NULL && !hangar_media_check_readable (source, TRUE, error))
    return NULL;
  if (source == NULL)
    {
      g_variant_dict_lookup (&dict, "size", "t", &run->size);
      if (!check_size (run->path, run->size, preallocation, error))
        return NULL;
    }

  base = g_path_get_basename (run->path);
  g_ptr_array_add (argv, g_strdup ("qemu-img"));
  if (source == NULL)
    {
      description = g_strdup_printf (_("Creating %s"), base);
      g_ptr_array_add (argv, g_strdup ("create"));
      g_ptr_array_add (argv, g_strdup ("-q"));
      g_ptr_array_add (argv, g_strdup ("-f"));
      g_ptr_array_add (argv, g_strdup (format));
      g_ptr_array_add (argv, g_strdup_printf ("preallocation=%s", preallocation));
      g_ptr_array_insert (argv, argv->len - 1, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup (run->path));
      g_ptr_array_add (argv, g_strdup_printf ("%" G_GUINT64_FORMAT, run->size));
    }
  else
    {
      g_autofree char *source_base = g_path_get_basename (source);

      description = g_strdup_printf (_("Converting %s to %s"), source_base, base);
      g_ptr_array_add (argv, g_strdup ("convert"));
      g_ptr_array_add (argv, g_strdup ("-p"));
      g_ptr_array_add (argv, g_strdup ("-O"));
      g_ptr_array_add (argv, g_strdup (format));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup_printf ("preallocation=%s", preallocation));
      g_ptr_array_add (argv, g_strdup (source));
      g_ptr_array_add (argv, g_strdup (run->path));
    }
  g_ptr_array_add (argv, NULL);

  if (!reserve (run->path, error))
    return NULL;
  run->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                    G_SUBPROCESS_FLAGS_STDERR_MERGE, error);
  if (run->process == NULL)
    {
      g_unlink (run->path);
      return NULL;
    }

  run->job = hangar_job_new (source ? "convert-volume" : "create-volume", description);
  run->cancel_id = g_cancellable_connect (hangar_job_get_cancellable (run->job),
                                          G_CALLBACK (on_cancelled), run, NULL);
  run->pending = 2;
  if (source == NULL)
    run->poll_id = g_timeout_add (HANGAR_JOB_PROGRESS_INTERVAL_MS, on_poll, run);
  out = g_subprocess_get_stdout_pipe (run->process);
  g_input_stream_read_bytes_async (out, 4096, G_PRIORITY_DEFAULT, NULL, on_output, run);
  g_subprocess_wait_async (run->process, NULL, on_exited, run);
  return g_object_ref (g_steal_pointer (&run)->job);
}
