/* hangar-vnc-client.c: libvncclient's side of a VNC connection
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The rfbClient made and configured for a connection, its callbacks (which only
 * record into the connection, see hangar-vnc-connection.c), its log (the last words
 * about a connection become its errors' details) and the handshake, which runs in a
 * worker thread (THREADS.txt).
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hangar-console-error.h"
#include "hangar-vnc-connection-private.h"

/* The key under which each rfbClient keeps its connection (rfbClientSetClientData). */
static char client_tag;

/* The connection libvncclient works for in this thread, for its log messages, which
 * carry no client. */
static GPrivate current_connection = G_PRIVATE_INIT (NULL);

/* ---- libvncclient's log ------------------------------------------------------ */

static void G_GNUC_PRINTF (1, 2)
on_rfb_log (const char *format,
            ...)
{
  HangarVncConnection *self = g_private_get (&current_connection);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_strstrip (message);

  g_debug ("libvncclient: %s", message);
  if (self != NULL)
    {
      g_free (self->last_log);
      self->last_log = g_steal_pointer (&message);
    }
}

/* ---- libvncclient's callbacks ------------------------------------------------- */

static HangarVncConnection *
connection_of (rfbClient *client)
{
  return rfbClientGetClientData (client, &client_tag);
}

static gboolean
check_screen_size (int      width,
                   int      height,
                   GError **error)
{
  if (width <= 0 || height <= 0)
    {
      g_set_error (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_SCREEN_EMPTY,
                   _("The console announced an empty screen (%d×%d pixels)."), width, height);
      return FALSE;
    }
  if (width > HANGAR_VNC_MAX_SIDE || height > HANGAR_VNC_MAX_SIDE ||
      (guint64) width * height > HANGAR_VNC_MAX_PIXELS)
    {
      g_set_error (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_SCREEN_TOO_LARGE,
                   _("The console announced a screen of %d×%d pixels, larger than Hangar "
                     "can show."), width, height);
      return FALSE;
    }
  return TRUE;
}

/* Called by libvncclient for every new size (DesktopSize), and once by the handshake. */
static rfbBool
on_malloc_framebuffer (rfbClient *client)
{
  HangarVncConnection *self = connection_of (client);
  g_autoptr(GError) error = NULL;
  guint32 *pixels;
  gsize count;

  g_clear_pointer (&client->frameBuffer, g_free);
  if (!check_screen_size (client->width, client->height, &error))
    {
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      return FALSE;
    }

  count = (gsize) client->width * client->height;
  pixels = g_try_new (guint32, count);
  if (pixels == NULL)
    {
      g_clear_error (&self->error);
      g_set_error (&self->error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_SCREEN_TOO_LARGE,
                   _("There is not enough memory for a screen of %d×%d pixels."),
                   client->width, client->height);
      return FALSE;
    }
  /* Opaque black until the server draws. */
  for (gsize i = 0; i < count; i++)
    pixels[i] = GUINT32_FROM_LE (0xff000000);
  client->frameBuffer = (uint8_t *) pixels;
  self->resized = TRUE;
  return TRUE;
}

/* After a rectangle is decoded: the server sends the pad byte as it likes (QEMU: 0),
 * and the pixels must be opaque to be drawn as B8G8R8A8. */
static void
on_framebuffer_update (rfbClient *client,
                       int        x,
                       int        y,
                       int        width,
                       int        height)
{
  HangarVncConnection *self = connection_of (client);

  /* libvncclient checks x + width <= client->width (and so for y) before decoding,
   * but not for UltraZip, which it decodes even unannounced: keep to the screen. */
  x = CLAMP (x, 0, client->width);
  y = CLAMP (y, 0, client->height);
  width = CLAMP (width, 0, client->width - x);
  height = CLAMP (height, 0, client->height - y);
  if (width == 0 || height == 0 || client->frameBuffer == NULL)
    return;

  for (int row = y; row < y + height; row++)
    {
      guint8 *pixel = client->frameBuffer + ((gsize) row * client->width + x) * 4;

      for (int i = 0; i < width; i++)
        pixel[i * 4 + 3] = 0xff;
    }

  if (!self->damaged)
    {
      self->damaged = TRUE;
      self->damage_x1 = x;
      self->damage_y1 = y;
      self->damage_x2 = x + width;
      self->damage_y2 = y + height;
    }
  else
    {
      self->damage_x1 = MIN (self->damage_x1, x);
      self->damage_y1 = MIN (self->damage_y1, y);
      self->damage_x2 = MAX (self->damage_x2, x + width);
      self->damage_y2 = MAX (self->damage_y2, y + height);
    }
}

/* A cursor shape (RichCursor): rcSource holds its pixels in our format, rcMask one
 * byte per pixel, 1 where the cursor is opaque. */
static void
on_cursor_shape (rfbClient *client,
                 int        hot_x,
                 int        hot_y,
                 int        width,
                 int        height,
                 int        bytes_per_pixel)
{
  HangarVncConnection *self = connection_of (client);
  gsize count = (gsize) width * height;
  guint8 *pixels;

  if (bytes_per_pixel != 4 || client->rcSource == NULL || client->rcMask == NULL || count == 0)
    return;

  pixels = g_malloc (count * 4);
  for (gsize i = 0; i < count; i++)
    {
      if (client->rcMask[i])
        {
          memcpy (pixels + i * 4, client->rcSource + i * 4, 3);
          pixels[i * 4 + 3] = 0xff;
        }
      else
        memset (pixels + i * 4, 0, 4);
    }

  g_clear_pointer (&self->cursor, g_bytes_unref);
  self->cursor = g_bytes_new_take (pixels, count * 4);
  self->cursor_width = width;
  self->cursor_height = height;
  self->cursor_hot_x = CLAMP (hot_x, 0, width - 1);
  self->cursor_hot_y = CLAMP (hot_y, 0, height - 1);
}

static void
on_bell (rfbClient *client)
{
  connection_of (client)->bells++;
}

/* libvncclient asks for a password on the terminal by default. Hangar's consoles
 * need none; a server that asks is refused. */
static char *
on_get_password (rfbClient *client)
{
  return NULL;
}

/* ---- the handshake, in a worker thread -------------------------------------------- */

static gboolean
write_message (rfbClient  *client,
               const void *data,
               gsize       length)
{
  return WriteToRFBServer (client, data, length);
}

G_STATIC_ASSERT (sizeof (rfbSetPixelFormatMsg) == sz_rfbSetPixelFormatMsg);
G_STATIC_ASSERT (sizeof (rfbSetEncodingsMsg) == sz_rfbSetEncodingsMsg);

/* What rfbInitClient() does after the handshake, less ExtendedDesktopSize; QEMU's
 * extended key events only with @scancodes (see the top of this file). */
gboolean
_hangar_vnc_send_format_and_encodings (rfbClient *client,
                                       gboolean   scancodes)
{
  static const gint32 encodings[] = {
    rfbEncodingRaw,                   /* first: the server is on this machine */
    rfbEncodingCopyRect,
    rfbEncodingZRLE,
    rfbEncodingHextile,
    rfbEncodingNewFBSize,             /* DesktopSize: mode changes */
    rfbEncodingRichCursor,            /* the guest's cursor drawn locally */
    rfbEncodingQemuExtendedKeyEvent,  /* scancodes: last, so it can be left out */
  };
  guint n_encodings = G_N_ELEMENTS (encodings) - (scancodes ? 0 : 1);
  rfbSetPixelFormatMsg format = { .type = rfbSetPixelFormat };
  struct
  {
    rfbSetEncodingsMsg header;
    guint32 encodings[G_N_ELEMENTS (encodings)];
  } set_encodings = { .header = { .type = rfbSetEncodings } };

  format.format = client->format;
  format.format.redMax = GUINT16_TO_BE (client->format.redMax);
  format.format.greenMax = GUINT16_TO_BE (client->format.greenMax);
  format.format.blueMax = GUINT16_TO_BE (client->format.blueMax);

  set_encodings.header.nEncodings = GUINT16_TO_BE (n_encodings);
  for (gsize i = 0; i < n_encodings; i++)
    set_encodings.encodings[i] = GUINT32_TO_BE ((guint32) encodings[i]);

  return (scancodes || write_message (client, &format, sizeof format)) &&
         write_message (client, &set_encodings,
                        sz_rfbSetEncodingsMsg + n_encodings * sizeof (guint32));
}


static gboolean
handshake (HangarVncConnection  *self,
           GError              **error)
{
  rfbClient *client = self->client;

  if (!InitialiseRFBConnection (client))
    {
      if (client->authScheme != 0 && client->authScheme != rfbNoAuth)
        g_set_error (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_NOT_SUPPORTED,
                     _("The console asks for a password or encryption (security type %u), "
                       "which Hangar does not support."), client->authScheme);
      else
        set_error_from_log (self, error, HANGAR_CONSOLE_ERROR_PROTOCOL,
                            _("The console did not answer as a VNC server."),
                            _("The console did not answer as a VNC server: %s."));
      return FALSE;
    }

  client->width = client->si.framebufferWidth;
  client->height = client->si.framebufferHeight;
  client->updateRect.x = client->updateRect.y = 0;
  client->updateRect.w = client->width;
  client->updateRect.h = client->height;
  if (!on_malloc_framebuffer (client))
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      return FALSE;
    }

  if (!_hangar_vnc_send_format_and_encodings (client, FALSE) ||
      !SendFramebufferUpdateRequest (client, 0, 0, client->width, client->height, FALSE))
    {
      set_error_from_log (self, error, HANGAR_CONSOLE_ERROR_CLOSED,
                          _("The console closed the connection."),
                          _("The console closed the connection: %s."));
      return FALSE;
    }

  /* The nudge (see the top of this file), for speed only: a server that closed the
   * connection meanwhile is seen at the first read, as a server that closes then. */
  if (!SendKeyEvent (client, XK_Shift_L, FALSE))
    g_debug ("The nudge after the VNC handshake was not sent");

  self->name = g_utf8_make_valid (client->desktopName ? client->desktopName : "", -1);
  return TRUE;
}

void
_hangar_vnc_handshake_thread (GTask        *task,
                              gpointer      source_object,
                              gpointer      task_data,
                              GCancellable *cancellable)
{
  HangarVncConnection *self = source_object;
  GError *error = NULL;

  g_private_set (&current_connection, self);
  if (handshake (self, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_private_set (&current_connection, NULL);
}

/* ---- the client ------------------------------------------------------------------- */

/* A client for @fd (which it takes), its callbacks recording into @self; NULL if
 * libvncclient could not make one (the fd is then still the caller's). */
rfbClient *
_hangar_vnc_client_new (HangarVncConnection *self,
                        int                  fd)
{
  rfbClient *client;

  /* 8 bits a colour, 3 colours, 4 bytes a pixel: then the order in memory below. */
  client = rfbGetClient (8, 3, 4);
  if (client == NULL)
    return NULL;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  client->format.bigEndian = FALSE;
  client->format.redShift = 16;
  client->format.greenShift = 8;
  client->format.blueShift = 0;
#else
  client->format.bigEndian = TRUE;
  client->format.redShift = 8;
  client->format.greenShift = 16;
  client->format.blueShift = 24;
#endif
  client->sock = fd;
  client->readTimeout = HANGAR_VNC_READ_TIMEOUT_S;
  client->canHandleNewFBSize = TRUE;
  client->appData.useRemoteCursor = TRUE;
  client->MallocFrameBuffer = on_malloc_framebuffer;
  client->GotFrameBufferUpdate = on_framebuffer_update;
  client->GotCursorShape = on_cursor_shape;
  client->Bell = on_bell;
  client->GetPassword = on_get_password;
  client->GetCredential = NULL;
  rfbClientSetClientData (client, &client_tag, self);
  return client;
}

/* libvncclient's log carries no client: the connection it works for in this thread
 * is set around each call into it, NULL after. */
void
_hangar_vnc_client_enter (HangarVncConnection *self)
{
  g_private_set (&current_connection, self);
}

/* libvncclient logs to stderr; its words become the errors' details here. */
void
_hangar_vnc_client_install_log (void)
{
  rfbClientLog = on_rfb_log;
  rfbClientErr = on_rfb_log;
}
