/* test-vnc-display.c: the VNC display widget against a fake server, under Xvfb
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "fake-rfb-server.h"
#include "hangar-console-error.h"
#include "hangar-display-private.h"
#include "hangar-vnc-display.h"

#define WIDTH  320
#define HEIGHT 200

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

/* ---- geometry, no display needed ------------------------------------------------ */

static void
assert_area (HangarDisplayScale scale,
             int                widget_width,
             int                widget_height,
             int                guest_width,
             int                guest_height,
             int                scale_factor,
             double             x,
             double             y,
             double             width,
             double             height)
{
  graphene_rect_t area;

  hangar_display_compute_area (scale, widget_width, widget_height, guest_width, guest_height,
                               scale_factor, &area);
  g_assert_cmpfloat_with_epsilon (area.origin.x, x, 1e-9);
  g_assert_cmpfloat_with_epsilon (area.origin.y, y, 1e-9);
  g_assert_cmpfloat_with_epsilon (area.size.width, width, 1e-9);
  g_assert_cmpfloat_with_epsilon (area.size.height, height, 1e-9);
}

static void
test_geometry (void)
{
  /* Fit: as large as the widget allows, the aspect kept, centred. */
  assert_area (HANGAR_DISPLAY_SCALE_FIT, 1000, 500, 720, 400, 1, 50, 0, 900, 500);
  assert_area (HANGAR_DISPLAY_SCALE_FIT, 720, 800, 720, 400, 1, 0, 200, 720, 400);
  assert_area (HANGAR_DISPLAY_SCALE_FIT, 360, 1000, 720, 400, 1, 0, 400, 360, 200);
  /* Up as well as down. */
  assert_area (HANGAR_DISPLAY_SCALE_FIT, 1440, 800, 720, 400, 1, 0, 0, 1440, 800);
  /* Whole device pixels: 1024x768 in 333 wide gives 249.75 high, drawn 250. */
  assert_area (HANGAR_DISPLAY_SCALE_FIT, 333, 1000, 1024, 768, 1, 0, 375, 333, 250);
  /* On a scale-2 screen, half-pixel steps are device pixels. */
  assert_area (HANGAR_DISPLAY_SCALE_FIT, 333, 1000, 1024, 768, 2, 0, 375, 333, 250);

  /* 1:1: one guest pixel a device pixel, so half as many logical pixels at scale 2. */
  assert_area (HANGAR_DISPLAY_SCALE_ONE_TO_ONE, 720, 400, 720, 400, 1, 0, 0, 720, 400);
  assert_area (HANGAR_DISPLAY_SCALE_ONE_TO_ONE, 1000, 500, 720, 400, 1, 140, 50, 720, 400);
  assert_area (HANGAR_DISPLAY_SCALE_ONE_TO_ONE, 360, 200, 720, 400, 2, 0, 0, 360, 200);
  assert_area (HANGAR_DISPLAY_SCALE_ONE_TO_ONE, 1001, 200, 720, 401, 2, 320.5, 0, 360, 200.5);

  /* No screen, or no room: nothing drawn. */
  assert_area (HANGAR_DISPLAY_SCALE_FIT, 1000, 500, 0, 0, 1, 0, 0, 0, 0);
  assert_area (HANGAR_DISPLAY_SCALE_FIT, 0, 0, 720, 400, 1, 0, 0, 0, 0);
}

/* ---- the widget ------------------------------------------------------------------- */

typedef struct
{
  FakeRfbServer    *server;
  GtkWindow        *window;
  HangarVncDisplay *display;
} Fixture;

static void
fixture_open (Fixture       *fixture,
              FakeRfbScript  script)
{
  int fd;

  fixture->server = fake_rfb_server_start (script, WIDTH, HEIGHT, &fd);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->display = HANGAR_VNC_DISPLAY (hangar_vnc_display_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->display));
  gtk_window_set_default_size (fixture->window, 500, 500);
  gtk_window_present (fixture->window);
  hangar_vnc_display_open_fd (fixture->display, fd);
  g_assert_cmpint (hangar_display_get_state (HANGAR_DISPLAY (fixture->display)), ==,
                   HANGAR_DISPLAY_CONNECTING);
}

static void
fixture_teardown (Fixture *fixture)
{
  g_object_add_weak_pointer (G_OBJECT (fixture->display), (gpointer *) &fixture->display);
  gtk_window_destroy (fixture->window);
  /* Gone only once a handshake still running has finished. */
  WAIT_UNTIL (fixture->display == NULL, 10);
  fake_rfb_server_stop (fixture->server);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hangar_display_save_screenshot_finish (HANGAR_DISPLAY (object), result,
                                                        &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
test_good (void)
{
  Fixture fixture = { 0 };
  HangarDisplay *display;
  g_autoptr(GdkTexture) screenshot = NULL;
  g_autoptr(GArray) keys = NULL;
  g_autofree guchar *pixels = g_malloc (WIDTH * HEIGHT * 4);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "hangar-console-XXXXXX", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) saved = NULL;
  g_autoptr(GError) error = NULL;
  static const guint ctrl_alt_del[] = { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_Delete };
  static const guint32 expected_qnums[] = { 0x1d, 0x38, 0xd3, 0xd3, 0x38, 0x1d };
  gboolean done = FALSE;
  graphene_rect_t area;
  int min, nat, x, y, scale_factor;

  fixture_open (&fixture, FAKE_RFB_GOOD);
  display = HANGAR_DISPLAY (fixture.display);
  WAIT_UNTIL (hangar_display_get_frames_drawn (display) >= 1, 10);
  g_assert_cmpint (hangar_display_get_state (display), ==, HANGAR_DISPLAY_CONNECTED);
  g_assert_null (hangar_display_get_error (display));
  g_assert_cmpint (hangar_display_get_guest_width (display), ==, WIDTH);
  g_assert_cmpint (hangar_display_get_guest_height (display), ==, HEIGHT);

  /* What is drawn is what the server sent, opaque. */
  screenshot = hangar_display_get_screenshot (display);
  g_assert_cmpint (gdk_texture_get_width (screenshot), ==, WIDTH);
  gdk_texture_download (screenshot, pixels, WIDTH * 4);
  /* gdk_texture_download gives CAIRO_FORMAT_ARGB32: B, G, R, A on this host. */
  g_assert_cmphex (pixels[0], ==, 0x99);
  g_assert_cmphex (pixels[1], ==, 0x66);
  g_assert_cmphex (pixels[2], ==, 0x33);
  g_assert_cmphex (pixels[3], ==, 0xff);

  /* Fit (the default): the window's 500x500, the aspect kept. */
  g_assert_cmpint (hangar_display_get_scale (display), ==, HANGAR_DISPLAY_SCALE_FIT);
  hangar_display_compute_area (HANGAR_DISPLAY_SCALE_FIT,
                               gtk_widget_get_width (GTK_WIDGET (display)),
                               gtk_widget_get_height (GTK_WIDGET (display)), WIDTH, HEIGHT,
                               gtk_widget_get_scale_factor (GTK_WIDGET (display)), &area);
  g_assert_cmpfloat_with_epsilon (area.size.width / area.size.height,
                                  (double) WIDTH / HEIGHT, 0.01);
  g_assert_cmpfloat (area.size.width, ==, gtk_widget_get_width (GTK_WIDGET (display)));
  /* The corners of the picture are the guest's corners; the black band is not in it. */
  g_assert_true (hangar_display_widget_to_guest (display, area.origin.x, area.origin.y + 0.1,
                                                 &x, &y));
  g_assert_cmpint (x, ==, 0);
  g_assert_cmpint (y, ==, 0);
  g_assert_true (hangar_display_widget_to_guest (display,
                                                 area.origin.x + area.size.width - 0.1,
                                                 area.origin.y + area.size.height - 0.1,
                                                 &x, &y));
  g_assert_cmpint (x, ==, WIDTH - 1);
  g_assert_cmpint (y, ==, HEIGHT - 1);
  g_assert_false (hangar_display_widget_to_guest (display, 1, 1, &x, &y));
  scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (display));
  g_test_message ("scale factor %d", scale_factor);
  gtk_widget_measure (GTK_WIDGET (display), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat,
                      NULL, NULL);
  g_assert_cmpint (min, ==, 0);
  g_assert_cmpint (nat, ==, WIDTH / scale_factor);

  /* 1:1: the natural and the minimum size are the screen's, for a scrolled window:
   * a guest pixel a device pixel, so half as many logical pixels at scale 2. */
  hangar_display_set_scale (display, HANGAR_DISPLAY_SCALE_ONE_TO_ONE);
  gtk_widget_measure (GTK_WIDGET (display), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat,
                      NULL, NULL);
  g_assert_cmpint (min, ==, WIDTH / scale_factor);
  g_assert_cmpint (nat, ==, WIDTH / scale_factor);
  gtk_widget_measure (GTK_WIDGET (display), GTK_ORIENTATION_VERTICAL, -1, &min, &nat,
                      NULL, NULL);
  g_assert_cmpint (min, ==, HEIGHT / scale_factor);
  g_assert_cmpint (nat, ==, HEIGHT / scale_factor);
  /* Drawn so, centred in the larger window: WIDTH × HEIGHT device pixels, the last
   * guest pixel under the picture's last device pixel. */
  hangar_display_compute_area (HANGAR_DISPLAY_SCALE_ONE_TO_ONE,
                               gtk_widget_get_width (GTK_WIDGET (display)),
                               gtk_widget_get_height (GTK_WIDGET (display)), WIDTH, HEIGHT,
                               scale_factor, &area);
  g_assert_cmpfloat (area.size.width * scale_factor, ==, WIDTH);
  g_assert_cmpfloat (area.size.height * scale_factor, ==, HEIGHT);
  g_assert_true (hangar_display_widget_to_guest (
    display, area.origin.x + area.size.width - 0.5 / scale_factor,
    area.origin.y + area.size.height - 0.5 / scale_factor, &x, &y));
  g_assert_cmpint (x, ==, WIDTH - 1);
  g_assert_cmpint (y, ==, HEIGHT - 1);

  /* Send key: by place, pressed in order and released in reverse. */
  hangar_display_send_keys (display, ctrl_alt_del, G_N_ELEMENTS (ctrl_alt_del));
  g_assert_true (fake_rfb_server_wait_keys (fixture.server, 6, 5000));
  keys = fake_rfb_server_get_keys (fixture.server);
  for (guint i = 0; i < 6; i++)
    {
      FakeRfbKey *key = &g_array_index (keys, FakeRfbKey, i);

      g_assert_cmphex (key->qnum, ==, expected_qnums[i]);
      g_assert_cmpint (key->down, ==, i < 3);
    }

  /* The screenshot as a PNG. */
  g_assert_nonnull (g_mkdtemp (path));
  file = g_file_new_build_filename (path, "screen.png", NULL);
  hangar_display_save_screenshot_async (display, file, NULL, on_saved, &done);
  WAIT_UNTIL (done, 10);
  saved = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (saved), ==, WIDTH);
  g_assert_cmpint (gdk_texture_get_height (saved), ==, HEIGHT);
  g_file_delete (file, NULL, NULL);
  g_rmdir (path);

  /* Closing on purpose: disconnected, no error, nothing left to draw. */
  hangar_display_close (display);
  g_assert_cmpint (hangar_display_get_state (display), ==, HANGAR_DISPLAY_DISCONNECTED);
  g_assert_null (hangar_display_get_error (display));
  g_assert_null (hangar_display_get_screenshot (display));
  fixture_teardown (&fixture);
}

/* A mode change: the widget follows the new size. */
/* The window's pixel at guest pixel (@x, @y), from the display's own drawing. */
static guint32
drawn_pixel (HangarDisplay *display,
             int            x,
             int            y)
{
  GtkWidget *widget = GTK_WIDGET (display);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  int scale_factor = gtk_widget_get_scale_factor (widget);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);
  graphene_rect_t area;
  int u, v;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  hangar_display_compute_area (hangar_display_get_scale (display), width, height, WIDTH, HEIGHT,
                               scale_factor, &area);
  u = (int) (area.origin.x + (x + 0.5) * area.size.width / WIDTH);
  v = (int) (area.origin.y + (y + 0.5) * area.size.height / HEIGHT);
  return pixels[v * width + u] & 0xffffff;
}

/* A small change on an unscaled screen (a blinking text cursor) is drawn as a patch
 * over its tile: what shows is the new pixels there and the old ones around. */
static void
test_cursor_patch (void)
{
  Fixture fixture = { 0 };
  HangarDisplay *display;
  int x = FAKE_RFB_CURSOR_X, y = FAKE_RFB_CURSOR_Y;

  fixture_open (&fixture, FAKE_RFB_GOOD);
  display = HANGAR_DISPLAY (fixture.display);
  hangar_display_set_scale (display, HANGAR_DISPLAY_SCALE_ONE_TO_ONE);
  WAIT_UNTIL (hangar_display_get_frames_drawn (display) >= 1, 10);
  g_assert_true (fake_rfb_server_send_cursor (fixture.server));
  WAIT_UNTIL (hangar_display_get_frames_drawn (display) >= 2, 10);

  g_assert_cmphex (drawn_pixel (display, x + 4, y + 8), ==, 0xffffff);
  g_assert_cmphex (drawn_pixel (display, x - 4, y + 8), ==, FAKE_RFB_COLOUR);
  g_assert_cmphex (drawn_pixel (display, x + 13, y + 8), ==, FAKE_RFB_COLOUR);
  g_assert_cmphex (drawn_pixel (display, x + 4, y + 20), ==, FAKE_RFB_COLOUR);
  g_assert_cmphex (drawn_pixel (display, WIDTH - 4, HEIGHT - 4), ==, FAKE_RFB_COLOUR);

  /* Scaled, whole tiles are made: the same pixels. */
  hangar_display_set_scale (display, HANGAR_DISPLAY_SCALE_FIT);
  WAIT_UNTIL (hangar_display_get_frames_drawn (display) >= 3, 10);
  g_assert_cmphex (drawn_pixel (display, x + 4, y + 8), ==, 0xffffff);
  g_assert_cmphex (drawn_pixel (display, x - 4, y + 8), ==, FAKE_RFB_COLOUR);

  fixture_teardown (&fixture);
}

/* The guest's own pointer (SPICE's server mouse mode), drawn over the screen with its
 * hot spot where the guest says, and moved. */
static void
test_guest_pointer (void)
{
  Fixture fixture = { 0 };
  HangarDisplay *display;
  static const guint32 red[4 * 4] = {
    0xffff0000, 0xffff0000, 0xffff0000, 0xffff0000, 0xffff0000, 0xffff0000, 0xffff0000,
    0xffff0000, 0xffff0000, 0xffff0000, 0xffff0000, 0xffff0000, 0xffff0000, 0xffff0000,
    0xffff0000, 0xffff0000,
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (red, sizeof red);
  g_autoptr(GdkTexture) pointer = gdk_memory_texture_new (4, 4, GDK_MEMORY_DEFAULT, bytes, 16);

  fixture_open (&fixture, FAKE_RFB_GOOD);
  display = HANGAR_DISPLAY (fixture.display);
  hangar_display_set_scale (display, HANGAR_DISPLAY_SCALE_ONE_TO_ONE);
  WAIT_UNTIL (hangar_display_get_frames_drawn (display) >= 1, 10);

  /* Hot spot (1, 1) at guest pixel (50, 60): the shape covers 49…52 × 59…62. (Read
   * away from its edges: at scale 2 a pixel drawn here is two guest pixels.) */
  _hangar_display_set_guest_pointer (display, pointer, 1, 1, 50, 60);
  g_assert_cmphex (drawn_pixel (display, 50, 60), ==, 0xff0000);
  g_assert_cmphex (drawn_pixel (display, 51, 61), ==, 0xff0000);
  g_assert_cmphex (drawn_pixel (display, 54, 61), ==, FAKE_RFB_COLOUR);
  g_assert_cmphex (drawn_pixel (display, 47, 60), ==, FAKE_RFB_COLOUR);
  g_assert_cmphex (drawn_pixel (display, 50, 64), ==, FAKE_RFB_COLOUR);

  _hangar_display_set_guest_pointer (display, pointer, 1, 1, 100, 100);
  g_assert_cmphex (drawn_pixel (display, 50, 60), ==, FAKE_RFB_COLOUR);
  g_assert_cmphex (drawn_pixel (display, 100, 100), ==, 0xff0000);

  _hangar_display_set_guest_pointer (display, NULL, 0, 0, 0, 0);
  g_assert_cmphex (drawn_pixel (display, 100, 100), ==, FAKE_RFB_COLOUR);

  fixture_teardown (&fixture);
}

static void
test_resize (void)
{
  Fixture fixture = { 0 };
  HangarDisplay *display;

  fixture_open (&fixture, FAKE_RFB_RESIZE);
  display = HANGAR_DISPLAY (fixture.display);
  WAIT_UNTIL (hangar_display_get_guest_width (display) == WIDTH / 2, 10);
  g_assert_cmpint (hangar_display_get_guest_height (display), ==, HEIGHT / 2);
  g_assert_cmpint (hangar_display_get_state (display), ==, HANGAR_DISPLAY_CONNECTED);
  fixture_teardown (&fixture);
}

/* Bad servers: the widget ends disconnected with the reason named; the window lives. */
static void
assert_disconnects (FakeRfbScript script,
                    gint          code)
{
  Fixture fixture = { 0 };
  HangarDisplay *display;
  const GError *error;

  fixture_open (&fixture, script);
  display = HANGAR_DISPLAY (fixture.display);
  WAIT_UNTIL (hangar_display_get_state (display) == HANGAR_DISPLAY_DISCONNECTED, 15);
  error = hangar_display_get_error (display);
  g_assert_error ((GError *) error, HANGAR_CONSOLE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_cmpint (hangar_display_get_guest_width (display), ==, 0);
  g_assert_null (hangar_display_get_screenshot (display));

  /* Still a widget that draws (black) and takes events without a connection. */
  gtk_widget_queue_draw (GTK_WIDGET (display));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  hangar_display_send_keys (display, (guint[]) { GDK_KEY_Print }, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture.window)));
  fixture_teardown (&fixture);
}

static void
test_close_mid_frame (void)
{
  assert_disconnects (FAKE_RFB_CLOSE_MID_FRAME, HANGAR_CONSOLE_ERROR_CLOSED);
}

static void
test_huge (void)
{
  assert_disconnects (FAKE_RFB_HUGE, HANGAR_CONSOLE_ERROR_SCREEN_TOO_LARGE);
}

static void
test_empty (void)
{
  assert_disconnects (FAKE_RFB_EMPTY, HANGAR_CONSOLE_ERROR_SCREEN_EMPTY);
}

static void
test_resize_huge (void)
{
  assert_disconnects (FAKE_RFB_RESIZE_HUGE, HANGAR_CONSOLE_ERROR_SCREEN_TOO_LARGE);
}

/* A display dropped while it connects: no callback on a dead widget. */
static void
test_destroy_while_connecting (void)
{
  Fixture fixture = { 0 };

  fixture_open (&fixture, FAKE_RFB_STALL);
  fixture_teardown (&fixture);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/console/display/geometry", test_geometry);
  g_test_add_func ("/hangar/console/display/good", test_good);
  g_test_add_func ("/hangar/console/display/cursor-patch", test_cursor_patch);
  g_test_add_func ("/hangar/console/display/guest-pointer", test_guest_pointer);
  g_test_add_func ("/hangar/console/display/resize", test_resize);
  g_test_add_func ("/hangar/console/display/close-mid-frame", test_close_mid_frame);
  g_test_add_func ("/hangar/console/display/huge", test_huge);
  g_test_add_func ("/hangar/console/display/empty", test_empty);
  g_test_add_func ("/hangar/console/display/resize-huge", test_resize_huge);
  g_test_add_func ("/hangar/console/display/destroy-while-connecting",
                   test_destroy_while_connecting);

  return g_test_run ();
}
