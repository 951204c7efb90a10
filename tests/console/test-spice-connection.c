/* test-spice-connection.c: the SPICE connection against servers that go wrong
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The other end of a socketpair plays a SPICE server that closes at once, in the
 * middle of the handshake, refuses the link (spice-client-glib tells these apart only
 * in its log, so all are CLOSED), or says nothing until the connection is closed: each must end in one "closed" with a named error (or none when closed
 * on purpose), a failed open, and no socket left behind. A good server is the real
 * guest's (test-spice-guest.c).
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hangar-console-error.h"
#include "hangar-spice-connection.h"

/* SPICE's link header: "REDQ", protocol 2.2, then the size of what follows. */
#define SPICE_MAGIC_BYTES "REDQ"
#define LINK_HEADER_SIZE 16
/* A link reply: error, a 162-byte public key, three counts/offsets. */
#define LINK_REPLY_SIZE (4 + 162 + 4 + 4 + 4)
#define LINK_ERR_PERMISSION_DENIED 7

typedef enum
{
  SERVER_CLOSE_AT_ONCE,
  SERVER_CLOSE_MID_HANDSHAKE,
  SERVER_REFUSE_LINK,
  SERVER_SILENT,
} ServerScript;

typedef struct
{
  ServerScript  script;
  int           fd;
  GThread      *thread;
  int           done;       /* atomic: the thread closed its end */
} FakeServer;

typedef struct
{
  HangarSpiceConnection *connection;
  GAsyncResult          *open_result;
  gboolean               closed;
  GError                *closed_error;
  guint                  fds_asked;
} Fixture;

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("Timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(condition, seconds)                                                \
  G_STMT_START {                                                                      \
    guint timeout_ = g_timeout_add_seconds ((seconds), on_timeout, (gpointer) #condition); \
    while (!(condition))                                                              \
      g_main_context_iteration (NULL, TRUE);                                          \
    g_source_remove (timeout_);                                                       \
  } G_STMT_END

static gboolean
read_all (int    fd,
          void  *buffer,
          gsize  size)
{
  guint8 *p = buffer;

  while (size > 0)
    {
      ssize_t n = read (fd, p, size);

      if (n <= 0)
        return FALSE;
      p += n;
      size -= n;
    }
  return TRUE;
}

static void
write_all (int         fd,
           const void *buffer,
           gsize       size)
{
  g_assert_cmpint (send (fd, buffer, size, MSG_NOSIGNAL), ==, (ssize_t) size);
}

/* Reads the client's link message: its header, then as many bytes as it says. */
static gboolean
read_link (int fd)
{
  guint8 header[LINK_HEADER_SIZE];
  guint32 size;
  g_autofree guint8 *body = NULL;

  if (!read_all (fd, header, sizeof header))
    return FALSE;
  g_assert_cmpmem (header, 4, SPICE_MAGIC_BYTES, 4);
  memcpy (&size, header + 12, 4);
  size = GUINT32_FROM_LE (size);
  g_assert_cmpuint (size, <, 4096);
  body = g_malloc (size);
  return read_all (fd, body, size);
}

static gpointer
server_thread (gpointer user_data)
{
  FakeServer *server = user_data;
  guint8 reply[LINK_HEADER_SIZE + LINK_REPLY_SIZE] = { 0 };
  guint32 value;
  char byte;

  switch (server->script)
    {
    case SERVER_CLOSE_AT_ONCE:
      break;

    case SERVER_CLOSE_MID_HANDSHAKE:
      /* Half a reply header, then nothing. */
      if (read_link (server->fd))
        {
          write_all (server->fd, SPICE_MAGIC_BYTES "\2\0\0\0", 8);
          /* The end of the stream after them; then until the client goes (a close
           * with unread bytes would reset the connection, losing the 8). */
          shutdown (server->fd, SHUT_WR);
          while (read (server->fd, &byte, 1) > 0)
            ;
        }
      break;

    case SERVER_REFUSE_LINK:
      if (read_link (server->fd))
        {
          memcpy (reply, SPICE_MAGIC_BYTES, 4);
          value = GUINT32_TO_LE (2);
          memcpy (reply + 4, &value, 4);
          value = GUINT32_TO_LE (2);
          memcpy (reply + 8, &value, 4);
          value = GUINT32_TO_LE (LINK_REPLY_SIZE);
          memcpy (reply + 12, &value, 4);
          value = GUINT32_TO_LE (LINK_ERR_PERMISSION_DENIED);
          memcpy (reply + 16, &value, 4);
          value = GUINT32_TO_LE (LINK_REPLY_SIZE);   /* caps offset: no caps */
          memcpy (reply + 16 + 4 + 162 + 8, &value, 4);
          write_all (server->fd, reply, sizeof reply);
          /* Until the client goes. */
          while (read (server->fd, &byte, 1) > 0)
            ;
        }
      break;

    case SERVER_SILENT:
      /* Reads whatever comes until the client closes. */
      while (read (server->fd, &byte, 1) > 0)
        ;
      break;
    }
  close (server->fd);
  g_atomic_int_set (&server->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* Starts a server on one end of a socketpair; returns the client's end. */
static int
fake_server_start (FakeServer   *server,
                   ServerScript  script)
{
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  server->script = script;
  server->fd = fds[1];
  if (script == SERVER_CLOSE_AT_ONCE)
    {
      close (fds[1]);
      server->thread = NULL;
    }
  else
    {
      server->thread = g_thread_new ("fake-spice-server", server_thread, server);
    }
  return fds[0];
}

/* Waits, the main loop running (the client's socket closes in it), for the server's end. */
static void
fake_server_stop (FakeServer *server)
{
  if (server->thread == NULL)
    return;
  WAIT_UNTIL (g_atomic_int_get (&server->done), 10);
  g_thread_join (g_steal_pointer (&server->thread));
}

/* The sockets this process holds (GLib's own eventfds come and stay). */
static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:"))
        count++;
    }
  return count;
}

static void
on_opened (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->open_result = g_object_ref (result);
}

static void
on_closed (HangarSpiceConnection *connection,
           const GError          *error,
           Fixture               *fixture)
{
  g_assert_false (fixture->closed);
  fixture->closed = TRUE;
  fixture->closed_error = error != NULL ? g_error_copy (error) : NULL;
  g_assert_false (hangar_spice_connection_is_open (connection));
  g_assert_null (hangar_spice_connection_get_pixels (connection, NULL, NULL, NULL));
}

static void
ask_fd (HangarSpiceConnection *connection,
        GTask                 *task,
        gpointer               user_data)
{
  Fixture *fixture = user_data;

  fixture->fds_asked++;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no more in this test");
  g_object_unref (task);
}

static void
fixture_open (Fixture *fixture,
              int      fd)
{
  fixture->connection = hangar_spice_connection_new ();
  hangar_spice_connection_set_fd_func (fixture->connection, ask_fd, fixture, NULL);
  g_signal_connect (fixture->connection, "closed", G_CALLBACK (on_closed), fixture);
  hangar_spice_connection_open_fd_async (fixture->connection, fd, NULL, on_opened, fixture);
}

/* Lets the session go (it leaves in an idle), then checks that no fd stayed. */
static void
fixture_clear (Fixture *fixture,
               guint    fds_before)
{
  gint64 until;

  g_clear_object (&fixture->connection);
  g_clear_object (&fixture->open_result);
  g_clear_error (&fixture->closed_error);
  until = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (count_fds () > fds_before && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_fds (), ==, fds_before);
}

/* What spice-client-glib logs itself on the way: an info at every session (Debian's
 * 0.42 sets a property it deprecated), then its warning about the link. */
static void
expect_spice_messages (const char *warning)
{
  g_test_expect_message ("Spice", G_LOG_LEVEL_INFO, "*color-depth has been deprecated*");
  if (warning != NULL)
    g_test_expect_message ("GSpice", G_LOG_LEVEL_WARNING, warning);
}

static void
assert_failed (Fixture *fixture,
               int      code)
{
  g_autoptr(GError) error = NULL;

  WAIT_UNTIL (fixture->closed && fixture->open_result != NULL, 10);
  g_assert_false (hangar_spice_connection_open_fd_finish (fixture->connection,
                                                          fixture->open_result, &error));
  g_assert_error (fixture->closed_error, HANGAR_CONSOLE_ERROR, code);
  g_assert_error (error, HANGAR_CONSOLE_ERROR, code);
  g_test_message ("%s", fixture->closed_error->message);
  g_assert_cmpuint (fixture->fds_asked, ==, 0);
}

static void
test_close_at_once (void)
{
  Fixture fixture = { 0 };
  FakeServer server = { 0 };
  guint fds_before = count_fds ();

  expect_spice_messages ("incomplete link header (0/16)");
  fixture_open (&fixture, fake_server_start (&server, SERVER_CLOSE_AT_ONCE));
  assert_failed (&fixture, HANGAR_CONSOLE_ERROR_CLOSED);
  g_test_assert_expected_messages ();
  fake_server_stop (&server);
  fixture_clear (&fixture, fds_before);
}

static void
test_close_mid_handshake (void)
{
  Fixture fixture = { 0 };
  FakeServer server = { 0 };
  guint fds_before = count_fds ();

  /* spice-client-glib counts none of a header it could not read whole. */
  expect_spice_messages ("incomplete link header (0/16)");
  fixture_open (&fixture, fake_server_start (&server, SERVER_CLOSE_MID_HANDSHAKE));
  assert_failed (&fixture, HANGAR_CONSOLE_ERROR_CLOSED);
  g_test_assert_expected_messages ();
  fake_server_stop (&server);
  fixture_clear (&fixture, fds_before);
}

static void
test_refused (void)
{
  Fixture fixture = { 0 };
  FakeServer server = { 0 };
  guint fds_before = count_fds ();

  expect_spice_messages ("*spice_channel_recv_link_msg: unhandled error 7");
  fixture_open (&fixture, fake_server_start (&server, SERVER_REFUSE_LINK));
  assert_failed (&fixture, HANGAR_CONSOLE_ERROR_CLOSED);
  g_test_assert_expected_messages ();
  g_clear_object (&fixture.connection);   /* closes the client's end: the server ends */
  fake_server_stop (&server);
  fixture_clear (&fixture, fds_before);
}

static void
test_close_while_opening (void)
{
  Fixture fixture = { 0 };
  FakeServer server = { 0 };
  guint fds_before = count_fds ();
  g_autoptr(GError) error = NULL;

  /* The read spice-client-glib had begun ends with its warning. */
  expect_spice_messages ("incomplete link header (0/16)");
  fixture_open (&fixture, fake_server_start (&server, SERVER_SILENT));
  /* Let the client send its link message into the silence. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  hangar_spice_connection_close (fixture.connection);
  WAIT_UNTIL (fixture.closed && fixture.open_result != NULL, 10);
  g_assert_null (fixture.closed_error);
  g_assert_false (hangar_spice_connection_open_fd_finish (fixture.connection,
                                                          fixture.open_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Closing again, or dropping it, says nothing more. */
  hangar_spice_connection_close (fixture.connection);
  g_clear_object (&fixture.connection);
  fake_server_stop (&server);
  fixture_clear (&fixture, fds_before);
  g_test_assert_expected_messages ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/console/spice/close-at-once", test_close_at_once);
  g_test_add_func ("/hangar/console/spice/close-mid-handshake", test_close_mid_handshake);
  g_test_add_func ("/hangar/console/spice/refused", test_refused);
  g_test_add_func ("/hangar/console/spice/close-while-opening", test_close_while_opening);

  return g_test_run ();
}
