/* hangar-guest-agent.c: asking a guest's QEMU guest agent what the guest is
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The agent speaks QMP-style JSON, one message per line, on the machine's guest-agent
 * channel: a unix socket QEMU listens on in the runtime folder, one client at a time.
 * Each query connects, synchronises (guest-sync-delimited with a fresh id, after a 0xFF
 * byte that resets the agent's parser: the channel may hold a stale half request or
 * answer from an earlier client), asks its questions one by one and
 * disconnects. An agent that does not answer within AGENT_TIMEOUT_S fails the query;
 * a question the agent cannot answer is left out.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "hangar-error.h"
#include "hangar-guest-agent.h"

#define AGENT_TIMEOUT_S 5

static const char * const all_questions[] = {
  "guest-get-host-name",
  "guest-get-osinfo",
  "guest-network-get-interfaces",
  NULL
};

static const char * const network_questions[] = {
  "guest-network-get-interfaces",
  NULL
};

typedef struct
{
  GSocketConnection *connection;
  GDataInputStream  *input;
  GCancellable      *cancellable;   /* cancelled by the timeout */
  guint              timeout_id;
  gint64             sync_id;
  gboolean           synced;
  const char * const *questions;
  guint              next;          /* the question asked last */
  GVariantDict       info;
} Query;

static void
query_free (gpointer data)
{
  Query *q = data;

  g_clear_handle_id (&q->timeout_id, g_source_remove);
  g_clear_object (&q->input);
  if (q->connection != NULL)
    g_io_stream_close (G_IO_STREAM (q->connection), NULL, NULL);
  g_clear_object (&q->connection);
  g_clear_object (&q->cancellable);
  g_variant_dict_clear (&q->info);
  g_free (q);
}

static gboolean
on_timeout (gpointer user_data)
{
  Query *q = user_data;

  q->timeout_id = 0;
  g_cancellable_cancel (q->cancellable);
  return G_SOURCE_REMOVE;
}

static void
fail (GTask        *task,
      const GError *error)
{
  Query *q = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && q->timeout_id == 0 &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                             _("The guest agent did not answer within %d s: is "
                               "qemu-guest-agent installed and running in the guest?"),
                             AGENT_TIMEOUT_S);
  else
    g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                             _("The guest agent cannot be reached: %s"), error->message);
}

static void read_reply (GTask *task);

static void
send_line (GTask      *task,
           const char *line)
{
  Query *q = g_task_get_task_data (task);
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (q->connection));
  g_autoptr(GError) error = NULL;

  /* A few dozen bytes into a socket: never blocks in practice. */
  if (!g_output_stream_write_all (output, line, strlen (line), NULL, q->cancellable, &error))
    {
      fail (task, error);
      return;
    }
  read_reply (task);
}

static void
ask_next (GTask *task)
{
  Query *q = g_task_get_task_data (task);
  g_autofree char *line = NULL;

  if (q->questions[q->next] == NULL)
    {
      g_task_return_pointer (task, g_variant_ref_sink (g_variant_dict_end (&q->info)),
                             (GDestroyNotify) g_variant_unref);
      return;
    }
  line = g_strdup_printf ("{\"execute\": \"%s\"}\n", q->questions[q->next]);
  send_line (task, line);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  return object ? json_object_get_string_member_with_default (object, name, NULL) : NULL;
}

static void
take_interfaces (Query     *q,
                 JsonArray *interfaces)
{
  GVariantBuilder builder, statistics;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sas)"));
  g_variant_builder_init (&statistics, G_VARIANT_TYPE ("a(stt)"));
  for (guint i = 0; i < json_array_get_length (interfaces); i++)
    {
      JsonObject *interface = json_array_get_object_element (interfaces, i);
      JsonArray *addresses = interface && json_object_has_member (interface, "ip-addresses") ?
                             json_object_get_array_member (interface, "ip-addresses") : NULL;
      g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
      const char *name = member_string (interface, "name");

      if (name == NULL)
        continue;
      if (member_string (interface, "hardware-address") != NULL &&
          json_object_has_member (interface, "statistics"))
        {
          JsonObject *counters = json_object_get_object_member (interface, "statistics");
          g_autofree char *mac = g_ascii_strdown (member_string (interface, "hardware-address"),
                                                  -1);

          g_variant_builder_add (&statistics, "(stt)", mac,
                                 (guint64) json_object_get_int_member_with_default (
                                   counters, "rx-bytes", 0),
                                 (guint64) json_object_get_int_member_with_default (
                                   counters, "tx-bytes", 0));
        }
      for (guint j = 0; addresses != NULL && j < json_array_get_length (addresses); j++)
        {
          JsonObject *address = json_array_get_object_element (addresses, j);
          const char *ip = member_string (address, "ip-address");

          if (ip != NULL)
            g_ptr_array_add (texts, g_strdup_printf (
                               "%s/%" G_GINT64_FORMAT, ip,
                               json_object_get_int_member_with_default (address, "prefix", 0)));
        }
      g_ptr_array_add (texts, NULL);
      g_variant_builder_add (&builder, "(s^as)", name, (char **) texts->pdata);
    }
  g_variant_dict_insert_value (&q->info, "interfaces", g_variant_builder_end (&builder));
  g_variant_dict_insert_value (&q->info, "nic-statistics", g_variant_builder_end (&statistics));
}

/* One answer to questions[q->next]: into the dictionary, under names people read. */
static void
take_answer (Query    *q,
             JsonNode *value)
{
  const char *question = q->questions[q->next];
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value) : NULL;

  if (g_str_equal (question, "guest-get-host-name") && member_string (object, "host-name"))
    g_variant_dict_insert (&q->info, "hostname", "s", member_string (object, "host-name"));
  else if (g_str_equal (question, "guest-get-osinfo") && object != NULL)
    {
      static const char * const keys[][2] = {
        { "pretty-name", "os-name" }, { "id", "os-id" }, { "version-id", "os-version" },
        { "kernel-release", "kernel-release" },
      };

      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        if (member_string (object, keys[i][0]) != NULL)
          g_variant_dict_insert (&q->info, keys[i][1], "s", member_string (object, keys[i][0]));
    }
  else if (g_str_equal (question, "guest-network-get-interfaces") &&
           JSON_NODE_HOLDS_ARRAY (value))
    take_interfaces (q, json_node_get_array (value));
}

static void
on_line (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Query *q = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = g_data_input_stream_read_line_finish (q->input, result, NULL, &error);
  g_autoptr(JsonNode) node = NULL;
  const char *line;
  JsonObject *message;
  JsonNode *value;

  if (raw == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                     _("the channel closed"));
      fail (task, error);
      return;
    }
  /* guest-sync-delimited's answer starts with a 0xFF byte (never valid JSON or UTF-8). */
  line = raw + strspn (raw, "\xff");
  if (!g_utf8_validate (line, -1, NULL))
    {
      read_reply (task);
      return;
    }

  node = json_from_string (line, NULL);
  message = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (message == NULL)
    {
      read_reply (task); /* not a message: noise before the sync */
      return;
    }

  if (!q->synced)
    {
      value = json_object_get_member (message, "return");
      if (value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
          json_node_get_int (value) == q->sync_id)
        {
          q->synced = TRUE;
          q->next = 0;
          ask_next (task);
        }
      else
        read_reply (task); /* an answer to someone before us */
      return;
    }

  value = json_object_get_member (message, "return");
  if (value != NULL)
    take_answer (q, value);
  else
    g_debug ("guest agent: %s: %s", q->questions[q->next], line);
  q->next++;
  ask_next (task);
}

static void
read_reply (GTask *task)
{
  Query *q = g_task_get_task_data (task);

  g_data_input_stream_read_line_async (q->input, G_PRIORITY_DEFAULT, q->cancellable, on_line,
                                       g_object_ref (task));
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Query *q = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *sync = NULL;

  q->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (q->connection == NULL)
    {
      fail (task, error);
      return;
    }
  q->input = g_data_input_stream_new (
               g_io_stream_get_input_stream (G_IO_STREAM (q->connection)));
  g_data_input_stream_set_newline_type (q->input, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  q->sync_id = g_random_int_range (1, G_MAXINT32);
  /* A 0xFF byte first resets the agent's JSON parser, whatever half message an earlier
   * client left in the channel (an agent that was not running yet keeps the bytes);
   * guest-sync-delimited answers with a 0xFF too, so stale answers before it show. */
  sync = g_strdup_printf ("\xff{\"execute\": \"guest-sync-delimited\", "
                          "\"arguments\": {\"id\": %" G_GINT64_FORMAT "}}\n", q->sync_id);
  send_line (task, sync);
}

/**
 * hangar_guest_agent_query_async:
 * @socket_path: the guest-agent channel's unix socket
 * @network_only: ask only for the network interfaces (statistics)
 *
 * Asks the guest agent for the guest's host name, OS and network interfaces.
 */
void
hangar_guest_agent_query_async (const char          *socket_path,
                                gboolean             network_only,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (socket_path);
  Query *q = g_new0 (Query, 1);

  g_task_set_source_tag (task, hangar_guest_agent_query_async);
  g_variant_dict_init (&q->info, NULL);
  q->questions = network_only ? network_questions : all_questions;
  /* Its own, for the timeout; the caller's @cancellable ends the task at its next step. */
  q->cancellable = g_cancellable_new ();
  q->timeout_id = g_timeout_add_seconds (AGENT_TIMEOUT_S, on_timeout, q);
  g_task_set_task_data (task, q, query_free);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), q->cancellable,
                                 on_connected, g_steal_pointer (&task));
}

/**
 * hangar_guest_agent_query_finish:
 *
 * Returns: (transfer full): a{sv} with "hostname", "os-name", "os-id", "os-version",
 *   "kernel-release" (s), "interfaces" (a(sas): name, "address/prefix"...) and
 *   "nic-statistics" (a(stt): MAC address, bytes received, bytes sent), each when the
 *   agent told it.
 */
GVariant *
hangar_guest_agent_query_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
