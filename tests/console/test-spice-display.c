/* test-spice-display.c: the SPICE display widget when things go wrong, under Xvfb
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A guest's SPICE screen is the real guest's (test-spice-guest.c); here the widget
 * shows a socket closed under it as a clear disconnected state, survives being
 * destroyed while it connects, and draws SPICE's xRGB pixels (pad byte 0) opaque.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtk/gtk.h>

#include "hangar-console-error.h"
#include "hangar-display-private.h"
#include "hangar-spice-display.h"

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

static GtkWindow *
show_in_window (GtkWidget *display)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 400, 300);
  gtk_window_set_child (window, display);
  gtk_window_present (window);
  return window;
}

/* What spice-client-glib logs itself on the way: an info at every session (Debian's
 * 0.42 sets a property it deprecated), then its warning about the link. */
static void
expect_spice_messages (void)
{
  g_test_expect_message ("Spice", G_LOG_LEVEL_INFO, "*color-depth has been deprecated*");
  g_test_expect_message ("GSpice", G_LOG_LEVEL_WARNING, "incomplete link header (0/16)");
}

static void
ask_fd (HangarSpiceConnection *connection,
        GTask                 *task,
        gpointer               user_data)
{
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no more in this test");
  g_object_unref (task);
}

/* SPICE's surfaces are xRGB: a pad byte of 0 must not make the screen transparent. */
static void
test_pad_byte (void)
{
  /* B, G, R, pad: blue, green, red, white; pad 0 as a new SPICE surface has it. */
  static const guint8 pixels[] = {
    0xff, 0, 0, 0,   0, 0xff, 0, 0,
    0, 0, 0xff, 0,   0xff, 0xff, 0xff, 0,
  };
  GtkWidget *display = g_object_ref_sink (hangar_spice_display_new ());
  g_autoptr(GdkTexture) texture = NULL;
  guint8 out[2 * 2 * 4];

  _hangar_display_set_framebuffer (HANGAR_DISPLAY (display), pixels, 2, 2, 8);
  texture = hangar_display_get_screenshot (HANGAR_DISPLAY (display));
  g_assert_nonnull (texture);
  gdk_texture_download (texture, out, 8);
  for (gsize i = 0; i < sizeof out; i += 4)
    {
      /* gdk_texture_download gives premultiplied B, G, R, A on little endian hosts. */
      g_assert_cmpmem (out + i, 3, pixels + i, 3);
      g_assert_cmphex (out[i + 3], ==, 0xff);
    }
  _hangar_display_set_framebuffer (HANGAR_DISPLAY (display), NULL, 0, 0, 0);
  g_object_unref (display);
}

static void
test_closed_at_once (void)
{
  GtkWidget *display = hangar_spice_display_new ();
  GtkWindow *window = show_in_window (display);
  const GError *error;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  close (fds[1]);
  hangar_spice_display_set_fd_func (HANGAR_SPICE_DISPLAY (display), ask_fd, NULL, NULL);
  expect_spice_messages ();
  hangar_spice_display_open_fd (HANGAR_SPICE_DISPLAY (display), fds[0]);
  g_assert_cmpint (hangar_display_get_state (HANGAR_DISPLAY (display)), ==,
                   HANGAR_DISPLAY_CONNECTING);
  WAIT_UNTIL (hangar_display_get_state (HANGAR_DISPLAY (display)) ==
              HANGAR_DISPLAY_DISCONNECTED, 10);
  error = hangar_display_get_error (HANGAR_DISPLAY (display));
  g_assert_error ((GError *) error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_CLOSED);
  g_test_message ("%s", error->message);
  g_test_assert_expected_messages ();
  g_assert_cmpint (hangar_display_get_guest_width (HANGAR_DISPLAY (display)), ==, 0);
  g_assert_cmpuint (hangar_display_get_frames_drawn (HANGAR_DISPLAY (display)), ==, 0);

  /* Input and tools on a disconnected display do nothing, and nothing breaks. */
  hangar_display_send_keys (HANGAR_DISPLAY (display),
                            (guint[]) { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_Delete }, 3);
  g_assert_null (hangar_display_get_screenshot (HANGAR_DISPLAY (display)));
  hangar_display_close (HANGAR_DISPLAY (display));
  gtk_window_destroy (window);
}

/* The window goes while the server has not answered: the socket is closed, no crash. */
static void
test_destroy_while_connecting (void)
{
  GtkWidget *display = hangar_spice_display_new ();
  GtkWindow *window = show_in_window (display);
  int fds[2];
  char buffer[256];
  ssize_t n;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  expect_spice_messages ();
  hangar_spice_display_open_fd (HANGAR_SPICE_DISPLAY (display), fds[0]);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  gtk_window_destroy (window);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  /* The client's link message, then the end of the stream: the fd was closed (the
   * session lets it go in the main loop). */
  while ((n = recv (fds[1], buffer, sizeof buffer, MSG_DONTWAIT)) != 0)
    {
      g_assert_true (n > 0 || errno == EAGAIN);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * 1000);
    }
  close (fds[1]);
  g_test_assert_expected_messages ();
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/console/spice-display/pad-byte", test_pad_byte);
  g_test_add_func ("/hangar/console/spice-display/closed-at-once", test_closed_at_once);
  g_test_add_func ("/hangar/console/spice-display/destroy-while-connecting",
                   test_destroy_while_connecting);

  return g_test_run ();
}
