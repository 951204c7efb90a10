/* hangar-qmp.c: the QEMU Machine Protocol over one stream
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QMP is one JSON object per line. After the greeting ({"QMP": ...}) the client
 * sends qmp_capabilities; from then on every command carries an "id", and its reply
 * ({"return": ...} or {"error": ...}) carries it back. Events ({"event": ...}) may
 * come between replies at any time.
 *
 * Signals:
 *   event  (const char *name, JsonObject *data): a QMP event; @data may be empty.
 *   closed (const GError *error): the stream ended; @error is NULL at a clean end.
 *          Every pending command fails with HANGAR_ERROR_QEMU_FAILED.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixfdmessage.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-qmp.h"

/* A line longer than this is no reply QEMU sends for Hangar's commands. */
#define MAX_LINE_LENGTH (16 * 1024 * 1024)

struct _HangarQmp
{
  GObject           parent_instance;

  GIOStream        *stream;
  GDataInputStream *input;
  GCancellable     *cancellable;
  GQueue            outgoing;      /* GBytes waiting to be written */
  gboolean          writing;
  GHashTable       *pending;       /* id (guint64) → GTask */
  GHashTable       *fds;           /* GBytes in outgoing → the fd to send with it (owned) */
  guint64           next_id;
  GTask            *handshake;
  char             *version;
  gboolean          greeted;
  gboolean          closed;
};

enum {
  SIGNAL_EVENT,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarQmp, hangar_qmp, G_TYPE_OBJECT)

static void read_next_line (HangarQmp *self);
static void send_command (HangarQmp  *self,
                          const char *command,
                          JsonObject *arguments,
                          guint64     id);
static void send_command_with_fd (HangarQmp  *self,
                                  const char *command,
                                  JsonObject *arguments,
                                  guint64     id,
                                  int         fd);

static void
fail_everything (HangarQmp    *self,
                 const GError *error)
{
  GHashTableIter iter;
  gpointer task;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &task))
    g_ptr_array_add (tasks, g_object_ref (task));
  g_hash_table_remove_all (self->pending);
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_error (g_ptr_array_index (tasks, i), g_error_copy (error));

  if (self->handshake != NULL)
    {
      GTask *handshake = g_steal_pointer (&self->handshake);
      g_task_return_error (handshake, g_error_copy (error));
      g_object_unref (handshake);
    }
}

static void
close_with_error (HangarQmp    *self,
                  const GError *reason)
{
  g_autoptr(GError) error = NULL;

  if (self->closed)
    return;
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);

  error = g_error_new (HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                       _("The connection to QEMU ended: %s"),
                       reason ? reason->message : _("QEMU closed it"));
  g_object_ref (self);
  fail_everything (self, error);
  g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, reason);
  g_object_unref (self);
}

static void
handle_reply (HangarQmp  *self,
              JsonObject *message)
{
  g_autoptr(GTask) task = NULL;
  g_autofree gpointer key = NULL;
  JsonNode *id_node = json_object_get_member (message, "id");
  guint64 id;

  if (id_node == NULL || json_node_get_value_type (id_node) != G_TYPE_INT64)
    {
      g_debug ("QMP reply without a known id, ignored");
      return;
    }
  id = json_node_get_int (id_node);
  if (!g_hash_table_steal_extended (self->pending, &id, &key, (gpointer *) &task))
    {
      g_debug ("QMP reply to an unknown id %" G_GUINT64_FORMAT, id);
      return;
    }

  if (json_object_has_member (message, "error"))
    {
      JsonObject *error = json_object_get_object_member (message, "error");
      const char *class = error ? json_object_get_string_member_with_default (error, "class", "") : "";
      const char *desc = error ? json_object_get_string_member_with_default (error, "desc", "") : "";
      HangarError code = g_str_equal (class, "DeviceNotFound") ? HANGAR_ERROR_NOT_FOUND :
                         HANGAR_ERROR_QEMU_FAILED;

      g_task_return_new_error (task, HANGAR_ERROR, code, _("QEMU refused “%s”: %s"),
                               (const char *) g_task_get_task_data (task), desc);
      return;
    }

  g_task_return_pointer (task, json_node_copy (json_object_get_member (message, "return")),
                         (GDestroyNotify) json_node_unref);
}

static void
on_capabilities (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HangarQmp *self = HANGAR_QMP (object);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  GTask *handshake;

  reply = hangar_qmp_execute_finish (self, result, &error);
  handshake = g_steal_pointer (&self->handshake);
  if (handshake == NULL)
    return; /* already failed by close */
  if (reply == NULL)
    g_task_return_error (handshake, g_steal_pointer (&error));
  else
    g_task_return_boolean (handshake, TRUE);
  g_object_unref (handshake);
}

static void
handle_greeting (HangarQmp  *self,
                 JsonObject *message)
{
  JsonObject *qmp = json_object_get_object_member (message, "QMP");
  JsonObject *version = qmp ? json_object_get_object_member (qmp, "version") : NULL;
  JsonObject *qemu = version ? json_object_get_object_member (version, "qemu") : NULL;
  g_autoptr(GTask) task = NULL;

  self->greeted = TRUE;
  if (qemu != NULL)
    self->version = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                                     json_object_get_int_member_with_default (qemu, "major", 0),
                                     json_object_get_int_member_with_default (qemu, "minor", 0),
                                     json_object_get_int_member_with_default (qemu, "micro", 0));

  task = g_task_new (self, self->cancellable, on_capabilities, NULL);
  g_task_set_task_data (task, g_strdup ("qmp_capabilities"), g_free);
  g_hash_table_insert (self->pending, g_memdup2 (&self->next_id, sizeof self->next_id),
                       g_steal_pointer (&task));
  send_command (self, "qmp_capabilities", NULL, self->next_id++);
}

static void
handle_line (HangarQmp  *self,
             const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *message;

  if (!json_parser_load_from_data (parser, line, -1, &error) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autoptr(GError) bad = g_error_new (HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                                           _("QEMU sent a line that is not a JSON object"));
      close_with_error (self, bad);
      return;
    }
  message = json_node_get_object (root);

  if (!self->greeted)
    {
      if (json_object_has_member (message, "QMP"))
        handle_greeting (self, message);
      else
        {
          g_autoptr(GError) bad = g_error_new (HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                                               _("QEMU did not greet with QMP"));
          close_with_error (self, bad);
        }
      return;
    }

  if (json_object_has_member (message, "event"))
    {
      const char *name = json_object_get_string_member_with_default (message, "event", "");
      JsonObject *data = json_object_has_member (message, "data") ?
                         json_object_get_object_member (message, "data") : NULL;
      g_autoptr(JsonObject) empty = data ? NULL : json_object_new ();

      g_signal_emit (self, signals[SIGNAL_EVENT], g_quark_try_string (name), name,
                     data ? data : empty);
      return;
    }

  handle_reply (self, message);
}

static void
on_line_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HangarQmp) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize length = 0;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                    &length, &error);
  if (self->closed)
    return;
  if (line == NULL)
    {
      close_with_error (self, error);
      return;
    }
  if (length > MAX_LINE_LENGTH)
    {
      g_autoptr(GError) bad = g_error_new (HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                                           _("QEMU sent an overlong line"));
      close_with_error (self, bad);
      return;
    }
  if (length > 0)
    handle_line (self, line);
  if (!self->closed)
    read_next_line (self);
}

static void
read_next_line (HangarQmp *self)
{
  g_data_input_stream_read_line_async (self->input, G_PRIORITY_DEFAULT, self->cancellable,
                                       on_line_read, g_object_ref (self));
}

static void write_next (HangarQmp *self);

static void
on_written (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HangarQmp) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      close_with_error (self, error);
      return;
    }
  g_bytes_unref (g_queue_pop_head (&self->outgoing));
  write_next (self);
}

/* A command that carries a file descriptor (getfd) goes as one message with the fd
 * in SCM_RIGHTS, which only a socket's send can do; it is a line of some 60 bytes. */
static gboolean
send_with_fd (HangarQmp  *self,
              GBytes     *bytes,
              int         fd,
              GError    **error)
{
  g_autoptr(GSocketControlMessage) message = g_unix_fd_message_new ();
  GSocketControlMessage *messages[1] = { message };
  GOutputVector vector;
  GSocket *socket;
  gssize sent;

  if (!G_IS_SOCKET_CONNECTION (self->stream))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("QEMU’s monitor is not a socket that can pass file descriptors"));
      return FALSE;
    }
  socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (self->stream));
  if (!g_unix_fd_message_append_fd (G_UNIX_FD_MESSAGE (message), fd, error))
    return FALSE;
  vector.buffer = g_bytes_get_data (bytes, &vector.size);
  sent = g_socket_send_message (socket, NULL, &vector, 1, messages, 1, G_SOCKET_MSG_NONE,
                                self->cancellable, error);
  if (sent < 0)
    return FALSE;
  if ((gsize) sent < vector.size &&
      !g_output_stream_write_all (g_io_stream_get_output_stream (self->stream),
                                  (const char *) vector.buffer + sent, vector.size - sent,
                                  NULL, self->cancellable, error))
    return FALSE;
  return TRUE;
}

static void
write_next (HangarQmp *self)
{
  GBytes *bytes;
  gsize size;
  gconstpointer data;

  if (self->writing || self->closed || (bytes = g_queue_peek_head (&self->outgoing)) == NULL)
    return;
  if (g_hash_table_contains (self->fds, bytes))
    {
      g_autoptr(GError) error = NULL;
      int fd = GPOINTER_TO_INT (g_hash_table_lookup (self->fds, bytes));

      if (!send_with_fd (self, bytes, fd, &error))
        {
          close_with_error (self, error);
          return;
        }
      g_hash_table_remove (self->fds, bytes);
      g_bytes_unref (g_queue_pop_head (&self->outgoing));
      write_next (self);
      return;
    }
  self->writing = TRUE;
  data = g_bytes_get_data (bytes, &size);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream), data, size,
                                   G_PRIORITY_DEFAULT, self->cancellable, on_written,
                                   g_object_ref (self));
}

static void
send_command (HangarQmp  *self,
              const char *command,
              JsonObject *arguments,
              guint64     id)
{
  send_command_with_fd (self, command, arguments, id, -1);
}

/* @fd: (transfer full): sent along with the command, or -1 */
static void
send_command_with_fd (HangarQmp  *self,
                      const char *command,
                      JsonObject *arguments,
                      guint64     id,
                      int         fd)
{
  GBytes *bytes;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "execute");
  json_builder_add_string_value (builder, command);
  if (arguments != NULL)
    {
      json_builder_set_member_name (builder, "arguments");
      json_builder_add_value (builder, json_node_init_object (json_node_alloc (), arguments));
    }
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (g_strconcat (text, "\n", NULL), length + 1);
  if (fd >= 0)
    g_hash_table_insert (self->fds, bytes, GINT_TO_POINTER (fd));
  g_queue_push_tail (&self->outgoing, bytes);
  write_next (self);
}

static void
close_fd (gpointer data)
{
  close (GPOINTER_TO_INT (data));
}

static void
hangar_qmp_dispose (GObject *object)
{
  HangarQmp *self = HANGAR_QMP (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (hangar_qmp_parent_class)->dispose (object);
}

static void
hangar_qmp_finalize (GObject *object)
{
  HangarQmp *self = HANGAR_QMP (object);

  g_assert (self->handshake == NULL);
  g_clear_object (&self->input);
  g_clear_object (&self->stream);
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->outgoing, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->fds, g_hash_table_unref);
  g_free (self->version);
  G_OBJECT_CLASS (hangar_qmp_parent_class)->finalize (object);
}

static void
hangar_qmp_class_init (HangarQmpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_qmp_dispose;
  object_class->finalize = hangar_qmp_finalize;

  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
hangar_qmp_init (HangarQmp *self)
{
  self->cancellable = g_cancellable_new ();
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->next_id = 1;
  self->fds = g_hash_table_new_full (NULL, NULL, NULL, close_fd);
}

HangarQmp *
hangar_qmp_new (GIOStream *stream)
{
  HangarQmp *self;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);

  self = g_object_new (HANGAR_TYPE_QMP, NULL);
  self->stream = g_object_ref (stream);
  self->input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  g_data_input_stream_set_newline_type (self->input, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  return self;
}

/**
 * hangar_qmp_handshake_async:
 *
 * Waits for QEMU's greeting and enters command mode. Events are emitted from then on.
 */
void
hangar_qmp_handshake_async (HangarQmp           *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (HANGAR_IS_QMP (self));
  g_return_if_fail (self->handshake == NULL && !self->greeted);

  self->handshake = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->handshake, hangar_qmp_handshake_async);
  read_next_line (self);
}

gboolean
hangar_qmp_handshake_finish (HangarQmp     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
hangar_qmp_get_version (HangarQmp *self)
{
  g_return_val_if_fail (HANGAR_IS_QMP (self), NULL);

  return self->version;
}

/**
 * hangar_qmp_execute_async:
 * @arguments: (nullable): the command's arguments
 *
 * Sends a command. The result is the reply's "return" value.
 */
void
hangar_qmp_execute_async (HangarQmp           *self,
                          const char          *command,
                          JsonObject          *arguments,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HANGAR_IS_QMP (self));
  g_return_if_fail (command != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_qmp_execute_async);
  g_task_set_task_data (task, g_strdup (command), g_free);

  if (self->closed || !self->greeted)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                               _("QEMU’s monitor is not connected"));
      return;
    }

  g_hash_table_insert (self->pending, g_memdup2 (&self->next_id, sizeof self->next_id),
                       g_steal_pointer (&task));
  send_command (self, command, arguments, self->next_id++);
}

/**
 * hangar_qmp_execute_with_fd_async:
 * @fd: a file descriptor QEMU receives with the command (getfd, add-fd); not taken:
 *      the connection sends a duplicate
 *
 * As hangar_qmp_execute_async(), with @fd passed in SCM_RIGHTS.
 */
void
hangar_qmp_execute_with_fd_async (HangarQmp           *self,
                                  const char          *command,
                                  JsonObject          *arguments,
                                  int                  fd,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  int copy;

  g_return_if_fail (HANGAR_IS_QMP (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (fd >= 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_qmp_execute_async);
  g_task_set_task_data (task, g_strdup (command), g_free);

  if (self->closed || !self->greeted)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                               _("QEMU’s monitor is not connected"));
      return;
    }
  copy = fcntl (fd, F_DUPFD_CLOEXEC, 3);
  if (copy < 0)
    {
      int saved = errno;

      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                               _("Could not pass a file to QEMU: %s"), g_strerror (saved));
      return;
    }
  g_hash_table_insert (self->pending, g_memdup2 (&self->next_id, sizeof self->next_id),
                       g_steal_pointer (&task));
  send_command_with_fd (self, command, arguments, self->next_id++, copy);
}

JsonNode *
hangar_qmp_execute_finish (HangarQmp     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hangar_qmp_close (HangarQmp *self)
{
  g_return_if_fail (HANGAR_IS_QMP (self));

  close_with_error (self, NULL);
}

gboolean
hangar_qmp_is_closed (HangarQmp *self)
{
  g_return_val_if_fail (HANGAR_IS_QMP (self), TRUE);

  return self->closed;
}
