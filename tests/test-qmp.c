/* test-qmp.c: QMP framing against lines recorded from QEMU 7.2
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The test plays QEMU on one end of a socketpair, with the client on the other.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-qmp.h"

/* As QEMU 7.2.22 sent them to Hangar on this machine. */
#define GREETING "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, " \
                 "\"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}\n"
#define STOP_EVENT "{\"timestamp\": {\"seconds\": 1763780878, \"microseconds\": 627184}, " \
                   "\"event\": \"STOP\"}\n"
#define SHUTDOWN_EVENT "{\"timestamp\": {\"seconds\": 1763780878, \"microseconds\": 627221}, " \
                       "\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": " \
                       "\"guest-shutdown\"}}\n"

typedef struct
{
  int        qemu_fd;
  HangarQmp *qmp;
  GPtrArray *events;   /* "NAME" or "NAME:reason" */
  gboolean   closed;
} Fixture;

static void
on_event (HangarQmp  *qmp,
          const char *name,
          JsonObject *data,
          Fixture    *fixture)
{
  const char *reason = json_object_get_string_member_with_default (data, "reason", NULL);

  g_ptr_array_add (fixture->events, reason ? g_strdup_printf ("%s:%s", name, reason) :
                                             g_strdup (name));
}

static void
on_closed (HangarQmp    *qmp,
           const GError *error,
           Fixture      *fixture)
{
  fixture->closed = TRUE;
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  fixture->qemu_fd = fds[1];
  socket = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  connection = g_socket_connection_factory_create_connection (socket);
  fixture->qmp = hangar_qmp_new (G_IO_STREAM (connection));
  fixture->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->qmp, "event", G_CALLBACK (on_event), fixture);
  g_signal_connect (fixture->qmp, "closed", G_CALLBACK (on_closed), fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_clear_object (&fixture->qmp);
  g_ptr_array_unref (fixture->events);
  if (fixture->qemu_fd >= 0)
    close (fixture->qemu_fd);
  /* Let the closing stream finish its callbacks. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
qemu_send (Fixture    *fixture,
           const char *text)
{
  g_assert_cmpint (write (fixture->qemu_fd, text, strlen (text)), ==, (gssize) strlen (text));
}

/* Reads one line the client sent, running the main loop so the client can write it. */
static JsonObject *
qemu_receive (Fixture *fixture)
{
  GString *line = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  char c;

  for (;;)
    {
      struct pollfd pfd = { .fd = fixture->qemu_fd, .events = POLLIN };

      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (poll (&pfd, 1, 10) == 1)
        {
          g_assert_cmpint (read (fixture->qemu_fd, &c, 1), ==, 1);
          if (c == '\n')
            break;
          g_string_append_c (line, c);
        }
    }
  json_parser_load_from_data (parser, line->str, -1, &error);
  g_assert_no_error (error);
  g_string_free (line, TRUE);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
handshake (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) command = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  hangar_qmp_handshake_async (fixture->qmp, NULL, store_result, &result);
  qemu_send (fixture, GREETING);
  command = qemu_receive (fixture);
  g_assert_cmpstr (json_object_get_string_member (command, "execute"), ==, "qmp_capabilities");
  id = json_object_get_int_member (command, "id");
  {
    g_autofree char *reply = g_strdup_printf ("{\"return\": {}, \"id\": %" G_GINT64_FORMAT "}\n", id);
    qemu_send (fixture, reply);
  }
  g_assert_true (hangar_qmp_handshake_finish (fixture->qmp, wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (hangar_qmp_get_version (fixture->qmp), ==, "7.2.22");
}

static void
test_handshake_and_command (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) command = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  JsonObject *status;

  handshake (fixture);
  hangar_qmp_execute_async (fixture->qmp, "query-status", NULL, NULL, store_result, &result);
  command = qemu_receive (fixture);
  g_assert_cmpstr (json_object_get_string_member (command, "execute"), ==, "query-status");
  g_assert_false (json_object_has_member (command, "arguments"));
  /* An event may come between a command and its reply. */
  qemu_send (fixture, STOP_EVENT);
  answer = g_strdup_printf ("{\"return\": {\"status\": \"paused\", \"singlestep\": false, "
                            "\"running\": false}, \"id\": %" G_GINT64_FORMAT "}\n",
                            json_object_get_int_member (command, "id"));
  qemu_send (fixture, answer);

  reply = hangar_qmp_execute_finish (fixture->qmp, wait_result (&result), &error);
  g_assert_no_error (error);
  status = json_node_get_object (reply);
  g_assert_cmpstr (json_object_get_string_member (status, "status"), ==, "paused");
  g_assert_cmpuint (fixture->events->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->events, 0), ==, "STOP");
}

static void
test_replies_out_of_order (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(JsonObject) c1 = NULL;
  g_autoptr(JsonObject) c2 = NULL;
  g_autoptr(JsonNode) r1 = NULL;
  g_autoptr(JsonNode) r2 = NULL;
  g_autoptr(JsonObject) arguments = json_object_new ();
  g_autofree char *a1 = NULL;
  g_autofree char *a2 = NULL;

  handshake (fixture);
  json_object_set_string_member (arguments, "path", "/machine");
  hangar_qmp_execute_async (fixture->qmp, "qom-list", arguments, NULL, store_result, &first);
  hangar_qmp_execute_async (fixture->qmp, "query-name", NULL, NULL, store_result, &second);
  c1 = qemu_receive (fixture);
  c2 = qemu_receive (fixture);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (c1, "arguments"),
                                                  "path"), ==, "/machine");
  g_assert_cmpint (json_object_get_int_member (c1, "id"), !=, json_object_get_int_member (c2, "id"));

  a2 = g_strdup_printf ("{\"return\": {\"name\": \"a,file=/etc/passwd\"}, \"id\": %" G_GINT64_FORMAT
                        "}\n", json_object_get_int_member (c2, "id"));
  a1 = g_strdup_printf ("{\"return\": [], \"id\": %" G_GINT64_FORMAT "}\n",
                        json_object_get_int_member (c1, "id"));
  qemu_send (fixture, a2);
  qemu_send (fixture, a1);

  r2 = hangar_qmp_execute_finish (fixture->qmp, wait_result (&second), NULL);
  r1 = hangar_qmp_execute_finish (fixture->qmp, wait_result (&first), NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (r2), "name"), ==,
                   "a,file=/etc/passwd");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (r1));
}

static void
test_error_reply (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) command = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  handshake (fixture);
  hangar_qmp_execute_async (fixture->qmp, "device_del", NULL, NULL, store_result, &result);
  command = qemu_receive (fixture);
  answer = g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"error\": {\"class\": "
                            "\"DeviceNotFound\", \"desc\": \"Device 'nic9' not found\"}}\n",
                            json_object_get_int_member (command, "id"));
  qemu_send (fixture, answer);
  reply = hangar_qmp_execute_finish (fixture->qmp, wait_result (&result), &error);
  g_assert_null (reply);
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "device_del"));
  g_assert_nonnull (strstr (error->message, "Device 'nic9' not found"));
}

static void
test_events (Fixture       *fixture,
             gconstpointer  data)
{
  handshake (fixture);
  qemu_send (fixture, SHUTDOWN_EVENT);
  qemu_send (fixture, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"RESUME\"}\r\n");
  while (fixture->events->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (g_ptr_array_index (fixture->events, 0), ==, "SHUTDOWN:guest-shutdown");
  g_assert_cmpstr (g_ptr_array_index (fixture->events, 1), ==, "RESUME");
}

/* QEMU going away fails every command still waiting. */
static void
test_end_of_stream (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) late = NULL;
  g_autoptr(JsonObject) command = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) late_error = NULL;

  handshake (fixture);
  hangar_qmp_execute_async (fixture->qmp, "system_powerdown", NULL, NULL, store_result, &result);
  command = qemu_receive (fixture);
  close (fixture->qemu_fd);
  fixture->qemu_fd = -1;

  g_assert_null (hangar_qmp_execute_finish (fixture->qmp, wait_result (&result), &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED);
  while (!fixture->closed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hangar_qmp_is_closed (fixture->qmp));

  hangar_qmp_execute_async (fixture->qmp, "cont", NULL, NULL, store_result, &late);
  g_assert_null (hangar_qmp_execute_finish (fixture->qmp, wait_result (&late), &late_error));
  g_assert_error (late_error, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED);
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hangar_qmp_handshake_async (fixture->qmp, NULL, store_result, &result);
  qemu_send (fixture, "this is no QMP\n");
  g_assert_false (hangar_qmp_handshake_finish (fixture->qmp, wait_result (&result), &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED);
  g_assert_true (fixture->closed);
}

static void
test_no_greeting (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hangar_qmp_handshake_async (fixture->qmp, NULL, store_result, &result);
  qemu_send (fixture, "{\"return\": {}}\n");
  g_assert_false (hangar_qmp_handshake_finish (fixture->qmp, wait_result (&result), &error));
  g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/hangar/qmp/handshake-and-command", test_handshake_and_command);
  ADD ("/hangar/qmp/replies-out-of-order", test_replies_out_of_order);
  ADD ("/hangar/qmp/error-reply", test_error_reply);
  ADD ("/hangar/qmp/events", test_events);
  ADD ("/hangar/qmp/end-of-stream", test_end_of_stream);
  ADD ("/hangar/qmp/garbage", test_garbage);
  ADD ("/hangar/qmp/no-greeting", test_no_greeting);
#undef ADD

  return g_test_run ();
}
