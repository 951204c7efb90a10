/* hangar-download.c: one file over HTTP(S), into a new local file
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libsoup reads, GIO writes; a download that fails leaves no file.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "hangar-download.h"
#include "hangar-error.h"

typedef struct
{
  char        *url;
  char        *path;
  SoupMessage *message;
} Download;

static void
download_free (gpointer data)
{
  Download *download = data;

  g_free (download->url);
  g_free (download->path);
  g_clear_object (&download->message);
  g_free (download);
}

static void
fail (GTask  *task,
      GError *error)
{
  Download *download = g_task_get_task_data (task);

  g_unlink (download->path);
  g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                           _("Could not download “%s”: %s"), download->url, error->message);
  g_error_free (error);
}

static void
on_spliced (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, &error) < 0)
    fail (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;
  guint status;

  in = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (in == NULL)
    {
      fail (task, error);
      return;
    }
  status = soup_message_get_status (download->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_new_error (task, HANGAR_ERROR,
                               status == SOUP_STATUS_NOT_FOUND ? HANGAR_ERROR_NOT_FOUND :
                                                                 HANGAR_ERROR_FAILED,
                               _("Could not download “%s”: the server answered %u %s."),
                               download->url, status,
                               soup_message_get_reason_phrase (download->message));
      return;
    }
  file = g_file_new_for_path (download->path);
  out = g_file_create (file, G_FILE_CREATE_PRIVATE, g_task_get_cancellable (task), &error);
  if (out == NULL)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                               _("Could not create “%s”: %s"), download->path, error->message);
      g_error_free (error);
      return;
    }
  g_output_stream_splice_async (G_OUTPUT_STREAM (out), in,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                on_spliced, g_object_ref (task));
}

/**
 * hangar_download_async:
 * @path: a file that does not exist yet
 */
void
hangar_download_async (const char          *url,
                       const char          *path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(SoupSession) session = soup_session_new ();
  Download *download = g_new0 (Download, 1);

  g_task_set_source_tag (task, hangar_download_async);
  g_task_set_task_data (task, download, download_free);
  download->url = g_strdup (url);
  download->path = g_strdup (path);
  download->message = soup_message_new (SOUP_METHOD_GET, url);
  if (download->message == NULL)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a URL that can be downloaded."), url);
      return;
    }
  soup_session_send_async (session, download->message, G_PRIORITY_DEFAULT, cancellable,
                           on_sent, g_object_ref (task));
}

gboolean
hangar_download_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
