/* fake-rfb-server.h: a VNC server in a thread, good or bad on purpose, for the tests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Serves one connection over a socketpair: the RFB 3.8 handshake (security type
 * None), then what its script says, and records what the client sent.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  FAKE_RFB_GOOD,            /* a frame of FAKE_RFB_COLOUR, scancodes offered; then listens */
  FAKE_RFB_RESIZE,          /* GOOD, then a mode change (DesktopSize) to half the size */
  FAKE_RFB_CLOSE_MID_FRAME, /* half a frame, then closes */
  FAKE_RFB_HUGE,            /* ServerInit announces 65535×65535 */
  FAKE_RFB_EMPTY,           /* ServerInit announces 0×0 */
  FAKE_RFB_RESIZE_HUGE,     /* GOOD, then a DesktopSize to 65535×65535 */
  FAKE_RFB_RESIZE_EMPTY,    /* GOOD, then a DesktopSize to 0×0 */
  FAKE_RFB_STALL,           /* half a frame, then says nothing more */
  FAKE_RFB_PASSWORD,        /* offers VNC authentication only */
  FAKE_RFB_NOT_RFB,         /* answers with an HTTP error instead */
  FAKE_RFB_EARLY_RESIZE,    /* as QEMU 7.2 when the guest changes mode right after
                             * ServerInit: the screen grows by 64×64 before the client's
                             * SetEncodings, which QEMU answers (while reading it) with
                             * the key-event rectangle at the new size, then DesktopSize */
} FakeRfbScript;

/* The colour of the frames, as the client's pixel format puts it: R 0x33, G 0x66, B 0x99. */
#define FAKE_RFB_COLOUR 0x00336699u
/* Where fake_rfb_server_send_cursor() draws a white 9×16 text cursor. */
#define FAKE_RFB_CURSOR_X 20
#define FAKE_RFB_CURSOR_Y 30

typedef struct
{
  guint32 keysym;
  guint32 qnum;      /* 0 for a plain KeyEvent */
  gboolean down;
} FakeRfbKey;

typedef struct _FakeRfbServer FakeRfbServer;

FakeRfbServer *fake_rfb_server_start         (FakeRfbScript  script,
                                              int            width,
                                              int            height,
                                              int           *client_fd);
void           fake_rfb_server_stop          (FakeRfbServer *server);
gboolean       fake_rfb_server_has_encoding  (FakeRfbServer *server,
                                              gint32         encoding);
GArray        *fake_rfb_server_get_keys      (FakeRfbServer *server);
guint          fake_rfb_server_count_pointer (FakeRfbServer *server);
guint          fake_rfb_server_count_stray_releases (FakeRfbServer *server);
gboolean       fake_rfb_server_send_cursor   (FakeRfbServer *server);
gboolean       fake_rfb_server_wait_keys     (FakeRfbServer *server,
                                              guint          count,
                                              guint          timeout_ms);

G_END_DECLS
