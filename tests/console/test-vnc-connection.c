/* test-vnc-connection.c: the VNC connection against a fake server, good and bad
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include "fake-rfb-server.h"
#include "hangar-console-error.h"
#include "hangar-keymap.h"
#include "hangar-vnc-connection.h"

#define WIDTH  320
#define HEIGHT 200

typedef struct
{
  FakeRfbServer       *server;
  HangarVncConnection *connection;
  GAsyncResult        *open_result;
  guint                damaged;
  int                  resized_width, resized_height;
  gboolean             closed;
  GError              *closed_error;
} Fixture;

static void
on_opened (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->open_result = g_object_ref (result);
}

static void
on_damaged (HangarVncConnection *connection,
            int                  x,
            int                  y,
            int                  width,
            int                  height,
            Fixture             *fixture)
{
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x + width, <=, hangar_vnc_connection_get_width (connection));
  g_assert_cmpint (y + height, <=, hangar_vnc_connection_get_height (connection));
  fixture->damaged++;
}

static void
on_resized (HangarVncConnection *connection,
            int                  width,
            int                  height,
            Fixture             *fixture)
{
  fixture->resized_width = width;
  fixture->resized_height = height;
}

static void
on_closed (HangarVncConnection *connection,
           const GError        *error,
           Fixture             *fixture)
{
  g_assert_false (fixture->closed);
  fixture->closed = TRUE;
  fixture->closed_error = error ? g_error_copy (error) : NULL;
}

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

static void
fixture_open (Fixture       *fixture,
              FakeRfbScript  script)
{
  int fd;

  fixture->server = fake_rfb_server_start (script, WIDTH, HEIGHT, &fd);
  fixture->connection = hangar_vnc_connection_new ();
  g_signal_connect (fixture->connection, "damaged", G_CALLBACK (on_damaged), fixture);
  g_signal_connect (fixture->connection, "resized", G_CALLBACK (on_resized), fixture);
  g_signal_connect (fixture->connection, "closed", G_CALLBACK (on_closed), fixture);
  hangar_vnc_connection_open_fd_async (fixture->connection, fd, NULL, on_opened, fixture);
  WAIT_UNTIL (fixture->open_result != NULL, 10);
}

static void
fixture_teardown (Fixture *fixture)
{
  g_clear_object (&fixture->connection);
  g_clear_object (&fixture->open_result);
  g_clear_error (&fixture->closed_error);
  if (fixture->server != NULL)
    fake_rfb_server_stop (fixture->server);
}

static void
assert_opened (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hangar_vnc_connection_open_fd_finish (fixture->connection,
                                                      fixture->open_result, &error));
  g_assert_no_error (error);
  g_assert_true (hangar_vnc_connection_is_open (fixture->connection));
}

/* A good server: size, pixels made opaque, scancodes, and what was announced. */
static void
test_good (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GArray) keys = NULL;
  const guint8 *pixels;
  gsize stride;
  FakeRfbKey *key;

  fixture_open (&fixture, FAKE_RFB_GOOD);
  assert_opened (&fixture);
  g_assert_cmpint (hangar_vnc_connection_get_width (fixture.connection), ==, WIDTH);
  g_assert_cmpint (hangar_vnc_connection_get_height (fixture.connection), ==, HEIGHT);
  g_assert_cmpstr (hangar_vnc_connection_get_name (fixture.connection), ==, "fake-rfb");

  WAIT_UNTIL (fixture.damaged > 0, 10);
  pixels = hangar_vnc_connection_get_pixels (fixture.connection, &stride);
  g_assert_cmpuint (stride, ==, WIDTH * 4);
  for (gsize i = 0; i < (gsize) WIDTH * HEIGHT; i += 997)
    {
      /* B, G, R, A in memory, whatever the server put in the pad byte. */
      g_assert_cmphex (pixels[i * 4 + 0], ==, 0x99);
      g_assert_cmphex (pixels[i * 4 + 1], ==, 0x66);
      g_assert_cmphex (pixels[i * 4 + 2], ==, 0x33);
      g_assert_cmphex (pixels[i * 4 + 3], ==, 0xff);
    }

  /* DesktopSize, rich cursor and QEMU's keys; never ExtendedDesktopSize (-308), which
   * libvncclient 0.9.14 mishandles. */
  g_assert_true (fake_rfb_server_has_encoding (fixture.server, -223));
  g_assert_true (fake_rfb_server_has_encoding (fixture.server, -239));
  /* Scancodes are asked for after the first update, in a second SetEncodings. */
  for (guint i = 0; i < 500 && !fake_rfb_server_has_encoding (fixture.server, -258); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  g_assert_true (fake_rfb_server_has_encoding (fixture.server, -258));
  g_assert_false (fake_rfb_server_has_encoding (fixture.server, -308));

  /* The server offered scancodes: a key with a place goes as one, one without as a keysym. */
  g_assert_true (hangar_vnc_connection_has_scancodes (fixture.connection));
  g_assert_true (hangar_vnc_connection_send_key (fixture.connection, 'q',
                                                 hangar_keymap_evdev_to_qnum (16), TRUE));
  g_assert_true (hangar_vnc_connection_send_key (fixture.connection, 'q', 0, FALSE));
  g_assert_true (hangar_vnc_connection_send_pointer (fixture.connection, 5000, -3,
                                                     HANGAR_VNC_BUTTON_LEFT));
  g_assert_true (fake_rfb_server_wait_keys (fixture.server, 2, 5000));
  /* The handshake's nudge to QEMU's refresh timer: a release of a key not down. */
  g_assert_cmpuint (fake_rfb_server_count_stray_releases (fixture.server), ==, 1);
  keys = fake_rfb_server_get_keys (fixture.server);
  key = &g_array_index (keys, FakeRfbKey, 0);
  g_assert_cmphex (key->keysym, ==, 'q');
  g_assert_cmphex (key->qnum, ==, 0x10);
  g_assert_true (key->down);
  key = &g_array_index (keys, FakeRfbKey, 1);
  g_assert_cmphex (key->qnum, ==, 0);
  g_assert_false (key->down);

  hangar_vnc_connection_close (fixture.connection);
  g_assert_true (fixture.closed);
  g_assert_null (fixture.closed_error);
  g_assert_false (hangar_vnc_connection_is_open (fixture.connection));
  g_assert_false (hangar_vnc_connection_send_key (fixture.connection, 'q', 0, TRUE));
  fixture_teardown (&fixture);
}

/* A guest mode change, as QEMU sends it: the connection follows and stays. */
static void
test_resize (void)
{
  Fixture fixture = { 0 };

  fixture_open (&fixture, FAKE_RFB_RESIZE);
  assert_opened (&fixture);
  WAIT_UNTIL (fixture.resized_width != 0, 10);
  g_assert_cmpint (fixture.resized_width, ==, WIDTH / 2);
  g_assert_cmpint (fixture.resized_height, ==, HEIGHT / 2);
  g_assert_cmpint (hangar_vnc_connection_get_width (fixture.connection), ==, WIDTH / 2);
  g_assert_true (hangar_vnc_connection_is_open (fixture.connection));
  g_assert_false (fixture.closed);
  fixture_teardown (&fixture);
}

/* A guest mode change between ServerInit and the client's SetEncodings, as QEMU 7.2
 * answers it: the key-event rectangle comes at the new size before DesktopSize. Had
 * the first SetEncodings asked for scancodes, libvncclient would end the connection
 * ("Rect too large"): they are asked for once the first update came. */
static void
test_early_resize (void)
{
  Fixture fixture = { 0 };

  fixture_open (&fixture, FAKE_RFB_EARLY_RESIZE);
  assert_opened (&fixture);
  WAIT_UNTIL (fixture.resized_width != 0 && fixture.damaged > 0, 10);
  g_assert_cmpint (fixture.resized_width, ==, WIDTH + 64);
  g_assert_cmpint (fixture.resized_height, ==, HEIGHT + 64);
  WAIT_UNTIL (hangar_vnc_connection_has_scancodes (fixture.connection) || fixture.closed, 10);
  g_assert_false (fixture.closed);
  g_assert_true (hangar_vnc_connection_is_open (fixture.connection));
  fixture_teardown (&fixture);
}

/* A server that goes away: closed, with the reason named. */
static void
assert_ends_while_open (FakeRfbScript script,
                        gint          code,
                        guint         timeout_s)
{
  Fixture fixture = { 0 };

  fixture_open (&fixture, script);
  assert_opened (&fixture);
  WAIT_UNTIL (fixture.closed, timeout_s);
  g_assert_error (fixture.closed_error, HANGAR_CONSOLE_ERROR, code);
  g_test_message ("%s", fixture.closed_error->message);
  g_assert_error (hangar_vnc_connection_get_error (fixture.connection),
                  HANGAR_CONSOLE_ERROR, code);
  g_assert_false (hangar_vnc_connection_is_open (fixture.connection));
  g_assert_null (hangar_vnc_connection_get_pixels (fixture.connection, &(gsize) { 0 }));
  fixture_teardown (&fixture);
}

static void
assert_fails_to_open (FakeRfbScript script,
                      gint          code)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_open (&fixture, script);
  g_assert_false (hangar_vnc_connection_open_fd_finish (fixture.connection,
                                                       fixture.open_result, &error));
  g_assert_error (error, HANGAR_CONSOLE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_true (fixture.closed);
  g_assert_false (hangar_vnc_connection_is_open (fixture.connection));
  fixture_teardown (&fixture);
}

static void
test_close_mid_frame (void)
{
  assert_ends_while_open (FAKE_RFB_CLOSE_MID_FRAME, HANGAR_CONSOLE_ERROR_CLOSED, 10);
}

static void
test_resize_huge (void)
{
  assert_ends_while_open (FAKE_RFB_RESIZE_HUGE, HANGAR_CONSOLE_ERROR_SCREEN_TOO_LARGE, 10);
}

static void
test_resize_empty (void)
{
  assert_ends_while_open (FAKE_RFB_RESIZE_EMPTY, HANGAR_CONSOLE_ERROR_SCREEN_EMPTY, 10);
}

static void
test_stall (void)
{
  assert_ends_while_open (FAKE_RFB_STALL, HANGAR_CONSOLE_ERROR_TIMED_OUT,
                          HANGAR_VNC_READ_TIMEOUT_S + 10);
}

static void
test_huge (void)
{
  assert_fails_to_open (FAKE_RFB_HUGE, HANGAR_CONSOLE_ERROR_SCREEN_TOO_LARGE);
}

static void
test_empty (void)
{
  assert_fails_to_open (FAKE_RFB_EMPTY, HANGAR_CONSOLE_ERROR_SCREEN_EMPTY);
}

static void
test_password (void)
{
  assert_fails_to_open (FAKE_RFB_PASSWORD, HANGAR_CONSOLE_ERROR_NOT_SUPPORTED);
}

static void
test_not_rfb (void)
{
  assert_fails_to_open (FAKE_RFB_NOT_RFB, HANGAR_CONSOLE_ERROR_PROTOCOL);
}

/* Closed or cancelled during the handshake: the open call says so, nothing leaks. */
static void
test_close_while_opening (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  int fd;

  /* A server that never speaks: the handshake waits in its thread. */
  fixture.server = fake_rfb_server_start (FAKE_RFB_STALL, WIDTH, HEIGHT, &fd);
  fixture.connection = hangar_vnc_connection_new ();
  g_signal_connect (fixture.connection, "closed", G_CALLBACK (on_closed), &fixture);
  hangar_vnc_connection_open_fd_async (fixture.connection, fd, NULL, on_opened, &fixture);
  hangar_vnc_connection_close (fixture.connection);
  g_assert_true (fixture.closed);
  WAIT_UNTIL (fixture.open_result != NULL, 10);
  g_assert_false (hangar_vnc_connection_open_fd_finish (fixture.connection,
                                                       fixture.open_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  fixture_teardown (&fixture);

  memset (&fixture, 0, sizeof fixture);
  g_clear_error (&error);
  fixture.server = fake_rfb_server_start (FAKE_RFB_STALL, WIDTH, HEIGHT, &fd);
  fixture.connection = hangar_vnc_connection_new ();
  hangar_vnc_connection_open_fd_async (fixture.connection, fd, cancellable, on_opened,
                                       &fixture);
  g_cancellable_cancel (cancellable);
  WAIT_UNTIL (fixture.open_result != NULL, 10);
  g_assert_false (hangar_vnc_connection_open_fd_finish (fixture.connection,
                                                       fixture.open_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  fixture_teardown (&fixture);
}

static void
test_keymap (void)
{
  g_assert_cmpuint (hangar_keymap_evdev_to_qnum (1), ==, 0x01);    /* Escape */
  g_assert_cmpuint (hangar_keymap_evdev_to_qnum (30), ==, 0x1e);   /* A */
  g_assert_cmpuint (hangar_keymap_evdev_to_qnum (88), ==, 0x58);   /* F12 */
  g_assert_cmpuint (hangar_keymap_evdev_to_qnum (86), ==, 0x56);   /* the key left of Z */
  g_assert_cmpuint (hangar_keymap_evdev_to_qnum (97), ==, 0x9d);   /* Right Ctrl */
  g_assert_cmpuint (hangar_keymap_evdev_to_qnum (103), ==, 0xc8);  /* Up */
  g_assert_cmpuint (hangar_keymap_evdev_to_qnum (111), ==, 0xd3);  /* Delete */
  g_assert_cmpuint (hangar_keymap_evdev_to_qnum (125), ==, 0xdb);  /* Super */
  g_assert_cmpuint (hangar_keymap_evdev_to_qnum (0), ==, 0);
  g_assert_cmpuint (hangar_keymap_evdev_to_qnum (84), ==, 0);
  g_assert_cmpuint (hangar_keymap_evdev_to_qnum (600), ==, 0);

  g_assert_cmpuint (hangar_keymap_keyval_to_evdev (0xffe3), ==, 29);   /* Control_L */
  g_assert_cmpuint (hangar_keymap_keyval_to_evdev (0xffe9), ==, 56);   /* Alt_L */
  g_assert_cmpuint (hangar_keymap_keyval_to_evdev (0xffff), ==, 111);  /* Delete */
  g_assert_cmpuint (hangar_keymap_keyval_to_evdev (0xffc9), ==, 88);   /* F12 */
  g_assert_cmpuint (hangar_keymap_keyval_to_evdev (0xff61), ==, 99);   /* Print */
  g_assert_cmpuint (hangar_keymap_keyval_to_evdev ('a'), ==, 0);       /* depends on the layout */
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/console/keymap", test_keymap);
  g_test_add_func ("/hangar/console/vnc/good", test_good);
  g_test_add_func ("/hangar/console/vnc/resize", test_resize);
  g_test_add_func ("/hangar/console/vnc/early-resize", test_early_resize);
  g_test_add_func ("/hangar/console/vnc/close-mid-frame", test_close_mid_frame);
  g_test_add_func ("/hangar/console/vnc/huge", test_huge);
  g_test_add_func ("/hangar/console/vnc/empty", test_empty);
  g_test_add_func ("/hangar/console/vnc/resize-huge", test_resize_huge);
  g_test_add_func ("/hangar/console/vnc/resize-empty", test_resize_empty);
  g_test_add_func ("/hangar/console/vnc/stall", test_stall);
  g_test_add_func ("/hangar/console/vnc/password", test_password);
  g_test_add_func ("/hangar/console/vnc/not-rfb", test_not_rfb);
  g_test_add_func ("/hangar/console/vnc/close-while-opening", test_close_while_opening);

  return g_test_run ();
}
