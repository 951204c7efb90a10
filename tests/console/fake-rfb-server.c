/* fake-rfb-server.c: a VNC server in a thread, good or bad on purpose, for the tests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Written from RFC 6143 (RFB 3.8) and QEMU's extensions as documented in the RFB
 * community specification (rfbproto): DesktopSize is encoding -223, QEMU's extended
 * key event -258 (message 255, subtype 0).
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake-rfb-server.h"

#define ENCODING_RAW            0
#define ENCODING_DESKTOP_SIZE   (-223)
#define ENCODING_QEMU_KEYS      (-258)

struct _FakeRfbServer
{
  FakeRfbScript script;
  int           width;
  int           height;
  int           fd;
  GThread      *thread;

  /* FAKE_RFB_EARLY_RESIZE: the size the client was told, and the screen's. */
  int           client_width, client_height;
  int           screen_width, screen_height;

  /* The client's pixel format (SetPixelFormat). */
  int           red_shift, green_shift, blue_shift;
  gboolean      big_endian;

  GMutex        lock;
  GCond         changed;
  GArray       *encodings;  /* gint32 */
  GArray       *keys;       /* FakeRfbKey */
  GHashTable   *down;       /* keysyms pressed and not released */
  guint         stray_releases;
  guint         pointer_events;
};

/* ---- I/O ---------------------------------------------------------------------- */

static gboolean
write_all (int         fd,
           const void *data,
           gsize       length)
{
  const guint8 *bytes = data;

  while (length > 0)
    {
      ssize_t n = write (fd, bytes, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      bytes += n;
      length -= n;
    }
  return TRUE;
}

static gboolean
read_all (int   fd,
          void *data,
          gsize length)
{
  guint8 *bytes = data;

  while (length > 0)
    {
      ssize_t n = read (fd, bytes, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      bytes += n;
      length -= n;
    }
  return TRUE;
}

static void
put16 (GByteArray *out,
       guint16     value)
{
  guint16 be = GUINT16_TO_BE (value);

  g_byte_array_append (out, (guint8 *) &be, 2);
}

static void
put32 (GByteArray *out,
       guint32     value)
{
  guint32 be = GUINT32_TO_BE (value);

  g_byte_array_append (out, (guint8 *) &be, 4);
}

static void
put8 (GByteArray *out,
      guint8      value)
{
  g_byte_array_append (out, &value, 1);
}

static gboolean
send_bytes (FakeRfbServer *self,
            GByteArray    *out)
{
  return write_all (self->fd, out->data, out->len);
}

/* ---- the protocol ---------------------------------------------------------------- */

static gboolean
handshake (FakeRfbServer *self,
           int            width,
           int            height)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  char version[12];
  guint8 chosen, shared;
  static const char name[] = "fake-rfb";

  if (!write_all (self->fd, "RFB 003.008\n", 12) || !read_all (self->fd, version, 12))
    return FALSE;

  if (self->script == FAKE_RFB_PASSWORD)
    {
      guint8 challenge[16] = { 0 };

      /* Security types: VNC authentication only. */
      if (!write_all (self->fd, "\1\2", 2) || !read_all (self->fd, &chosen, 1))
        return FALSE;
      write_all (self->fd, challenge, sizeof challenge);
      /* The client has no password to answer with. */
      return FALSE;
    }

  if (!write_all (self->fd, "\1\1", 2) || !read_all (self->fd, &chosen, 1) || chosen != 1)
    return FALSE;
  put32 (out, 0);   /* SecurityResult: OK */
  if (!send_bytes (self, out) || !read_all (self->fd, &shared, 1))
    return FALSE;

  /* ServerInit: the size, a 32-bit true-colour format, the name. */
  g_byte_array_set_size (out, 0);
  put16 (out, width);
  put16 (out, height);
  put8 (out, 32);   /* bits per pixel */
  put8 (out, 24);   /* depth */
  put8 (out, 0);    /* big endian */
  put8 (out, 1);    /* true colour */
  put16 (out, 255);
  put16 (out, 255);
  put16 (out, 255);
  put8 (out, 16);
  put8 (out, 8);
  put8 (out, 0);
  put8 (out, 0);
  put8 (out, 0);
  put8 (out, 0);
  put32 (out, strlen (name));
  g_byte_array_append (out, (const guint8 *) name, strlen (name));
  return send_bytes (self, out);
}

static void put_rect_header (GByteArray *out,
                             int         x,
                             int         y,
                             int         width,
                             int         height,
                             gint32      encoding);

/* What QEMU 7.2's set_encodings() sends, in its order: the key-event rectangle at the
 * screen's size while it reads the list, then DesktopSize if the client's size is old. */
static void
answer_encodings_as_qemu (FakeRfbServer *self,
                          gboolean       keys,
                          gboolean       resize)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (keys)
    {
      put8 (out, 0);
      put8 (out, 0);
      put16 (out, 1);
      put_rect_header (out, 0, 0, self->screen_width, self->screen_height, ENCODING_QEMU_KEYS);
    }
  if (resize && (self->client_width != self->screen_width ||
                 self->client_height != self->screen_height))
    {
      self->client_width = self->screen_width;
      self->client_height = self->screen_height;
      put8 (out, 0);
      put8 (out, 0);
      put16 (out, 1);
      put_rect_header (out, 0, 0, self->client_width, self->client_height,
                       ENCODING_DESKTOP_SIZE);
    }
  send_bytes (self, out);
}

typedef enum
{
  MESSAGE_OTHER,
  MESSAGE_UPDATE_REQUEST,
  MESSAGE_END,
} Message;

/* Reads one client message and records it. */

/* Keeps a key event, as QEMU does: a release of a key that is not down is dropped
 * (and counted: the client's nudge to QEMU's refresh timer is one). */
static void
take_key (FakeRfbServer    *self,
          const FakeRfbKey *key)
{
  gpointer keysym = GUINT_TO_POINTER (key->keysym);

  g_mutex_lock (&self->lock);
  if (key->down)
    g_hash_table_add (self->down, keysym);
  if (key->down || g_hash_table_remove (self->down, keysym))
    g_array_append_val (self->keys, *key);
  else
    self->stray_releases++;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
}

static Message
read_message (FakeRfbServer *self)
{
  guint8 type;
  guint8 body[20];

  if (!read_all (self->fd, &type, 1))
    return MESSAGE_END;

  switch (type)
    {
    case 0:   /* SetPixelFormat */
      if (!read_all (self->fd, body, 19))
        return MESSAGE_END;
      self->big_endian = body[3 + 2] != 0;
      self->red_shift = body[3 + 10];
      self->green_shift = body[3 + 11];
      self->blue_shift = body[3 + 12];
      return MESSAGE_OTHER;

    case 2:   /* SetEncodings */
      {
        guint16 count;
        gboolean keys = FALSE, resize = FALSE;

        if (!read_all (self->fd, body, 3))
          return MESSAGE_END;
        count = body[1] << 8 | body[2];
        g_mutex_lock (&self->lock);
        g_array_set_size (self->encodings, 0);
        for (guint i = 0; i < count; i++)
          {
            guint32 value;
            gint32 encoding;

            if (!read_all (self->fd, &value, 4))
              {
                g_mutex_unlock (&self->lock);
                return MESSAGE_END;
              }
            encoding = (gint32) GUINT32_FROM_BE (value);
            g_array_append_val (self->encodings, encoding);
            keys |= encoding == ENCODING_QEMU_KEYS;
            resize |= encoding == ENCODING_DESKTOP_SIZE;
          }
        g_mutex_unlock (&self->lock);
        if (self->script == FAKE_RFB_EARLY_RESIZE)
          answer_encodings_as_qemu (self, keys, resize);
        return MESSAGE_OTHER;
      }

    case 3:   /* FramebufferUpdateRequest */
      return read_all (self->fd, body, 9) ? MESSAGE_UPDATE_REQUEST : MESSAGE_END;

    case 4:   /* KeyEvent */
      {
        FakeRfbKey key = { 0 };
        guint32 keysym;

        if (!read_all (self->fd, body, 3) || !read_all (self->fd, &keysym, 4))
          return MESSAGE_END;
        key.down = body[0] != 0;
        key.keysym = GUINT32_FROM_BE (keysym);
        take_key (self, &key);
        return MESSAGE_OTHER;
      }

    case 5:   /* PointerEvent */
      if (!read_all (self->fd, body, 5))
        return MESSAGE_END;
      g_mutex_lock (&self->lock);
      self->pointer_events++;
      g_mutex_unlock (&self->lock);
      return MESSAGE_OTHER;

    case 255: /* QEMU: subtype 0 is the extended key event */
      {
        FakeRfbKey key = { 0 };
        guint8 rest[11];
        guint32 value;

        if (!read_all (self->fd, rest, 11) || rest[0] != 0)
          return MESSAGE_END;
        key.down = rest[2] != 0;
        memcpy (&value, rest + 3, 4);
        key.keysym = GUINT32_FROM_BE (value);
        memcpy (&value, rest + 7, 4);
        key.qnum = GUINT32_FROM_BE (value);
        take_key (self, &key);
        return MESSAGE_OTHER;
      }

    default:
      g_error ("The fake server does not know client message %u", type);
    }
}

static Message
wait_update_request (FakeRfbServer *self)
{
  Message message;

  while ((message = read_message (self)) == MESSAGE_OTHER)
    ;
  return message;
}

static void
put_rect_header (GByteArray *out,
                 int         x,
                 int         y,
                 int         width,
                 int         height,
                 gint32      encoding)
{
  put16 (out, x);
  put16 (out, y);
  put16 (out, width);
  put16 (out, height);
  put32 (out, (guint32) encoding);
}

/* Raw pixels of one colour in the client's format; the pad byte 0, as QEMU sends it. */
static void
put_raw_pixels (FakeRfbServer *self,
                GByteArray    *out,
                gsize          count)
{
  guint32 pixel = (0x33u << self->red_shift) | (0x66u << self->green_shift) |
                  (0x99u << self->blue_shift);
  guint32 ordered = self->big_endian ? GUINT32_TO_BE (pixel) : GUINT32_TO_LE (pixel);

  for (gsize i = 0; i < count; i++)
    g_byte_array_append (out, (guint8 *) &ordered, 4);
}

static gboolean
send_frame (FakeRfbServer *self,
            int            width,
            int            height,
            gboolean       offer_keys,
            gsize          cut_at)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  put8 (out, 0);   /* FramebufferUpdate */
  put8 (out, 0);
  put16 (out, offer_keys ? 2 : 1);
  if (offer_keys)
    put_rect_header (out, 0, 0, width, height, ENCODING_QEMU_KEYS);
  put_rect_header (out, 0, 0, width, height, ENCODING_RAW);
  put_raw_pixels (self, out, (gsize) width * height);
  if (cut_at > 0)
    g_byte_array_set_size (out, MIN (cut_at, out->len));
  return send_bytes (self, out);
}

/* A white 9×16 rectangle, as a blinking VGA text cursor: sent from the caller's
 * thread while the server's only reads (after GOOD's frame). */
gboolean
fake_rfb_server_send_cursor (FakeRfbServer *self)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  put8 (out, 0);
  put8 (out, 0);
  put16 (out, 1);
  put_rect_header (out, FAKE_RFB_CURSOR_X, FAKE_RFB_CURSOR_Y, 9, 16, ENCODING_RAW);
  for (int i = 0; i < 9 * 16; i++)
    put32 (out, 0xffffffff);   /* white in any byte order */
  return send_bytes (self, out);
}

static gboolean
send_resize (FakeRfbServer *self,
             int            width,
             int            height,
             gboolean       with_frame)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  put8 (out, 0);
  put8 (out, 0);
  put16 (out, with_frame ? 2 : 1);
  put_rect_header (out, 0, 0, width, height, ENCODING_DESKTOP_SIZE);
  if (with_frame)
    {
      put_rect_header (out, 0, 0, width, height, ENCODING_RAW);
      put_raw_pixels (self, out, (gsize) width * height);
    }
  return send_bytes (self, out);
}

static gpointer
serve (gpointer data)
{
  FakeRfbServer *self = data;
  int width = self->width, height = self->height;

  switch (self->script)
    {
    case FAKE_RFB_NOT_RFB:
      write_all (self->fd, "HTTP/1.1 400 Bad Request\r\n\r\n", 28);
      shutdown (self->fd, SHUT_RDWR);
      return NULL;

    case FAKE_RFB_HUGE:
      width = height = 65535;
      break;

    case FAKE_RFB_EMPTY:
      width = height = 0;
      break;

    default:
      break;
    }

  self->client_width = self->screen_width = width;
  self->client_height = self->screen_height = height;
  if (!handshake (self, width, height))
    {
      shutdown (self->fd, SHUT_RDWR);
      return NULL;
    }
  if (self->script == FAKE_RFB_EARLY_RESIZE)
    {
      /* The guest's mode change, before the client's first message is read. */
      self->screen_width = width += 64;
      self->screen_height = height += 64;
    }
  if (wait_update_request (self) == MESSAGE_END)
    return NULL;

  switch (self->script)
    {
    case FAKE_RFB_CLOSE_MID_FRAME:
      send_frame (self, width, height, TRUE, 16 + 12 + (gsize) width * height * 2);
      shutdown (self->fd, SHUT_RDWR);
      return NULL;

    case FAKE_RFB_STALL:
      send_frame (self, width, height, TRUE, 16 + 12 + (gsize) width * height * 2);
      break;

    case FAKE_RFB_RESIZE:
    case FAKE_RFB_RESIZE_HUGE:
    case FAKE_RFB_RESIZE_EMPTY:
      if (!send_frame (self, width, height, TRUE, 0) ||
          wait_update_request (self) == MESSAGE_END)
        return NULL;
      if (self->script == FAKE_RFB_RESIZE)
        send_resize (self, width / 2, height / 2, TRUE);
      else if (self->script == FAKE_RFB_RESIZE_HUGE)
        send_resize (self, 65535, 65535, FALSE);
      else
        send_resize (self, 0, 0, FALSE);
      break;

    case FAKE_RFB_EARLY_RESIZE:
      /* QEMU offers scancodes in answer to SetEncodings, not in the frame. */
      send_frame (self, width, height, FALSE, 0);
      break;

    default:
      send_frame (self, width, height, TRUE, 0);
      break;
    }

  /* Listen until the client goes. */
  while (read_message (self) != MESSAGE_END)
    ;
  return NULL;
}

/* ---- public --------------------------------------------------------------------------- */

/**
 * fake_rfb_server_start:
 * @client_fd: (out): the client's end of the connection, for the code under test
 */
FakeRfbServer *
fake_rfb_server_start (FakeRfbScript  script,
                       int            width,
                       int            height,
                       int           *client_fd)
{
  FakeRfbServer *self = g_new0 (FakeRfbServer, 1);
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  self->script = script;
  self->width = width;
  self->height = height;
  self->fd = fds[0];
  self->red_shift = 16;
  self->green_shift = 8;
  self->blue_shift = 0;
  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  self->encodings = g_array_new (FALSE, FALSE, sizeof (gint32));
  self->keys = g_array_new (FALSE, FALSE, sizeof (FakeRfbKey));
  self->down = g_hash_table_new (NULL, NULL);
  self->thread = g_thread_new ("fake-rfb-server", serve, self);
  *client_fd = fds[1];
  return self;
}

/* Ends the server's side and waits for its thread. */
void
fake_rfb_server_stop (FakeRfbServer *self)
{
  shutdown (self->fd, SHUT_RDWR);
  g_thread_join (self->thread);
  close (self->fd);
  g_array_unref (self->encodings);
  g_array_unref (self->keys);
  g_hash_table_unref (self->down);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->changed);
  g_free (self);
}

gboolean
fake_rfb_server_has_encoding (FakeRfbServer *self,
                              gint32         encoding)
{
  gboolean found = FALSE;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->encodings->len; i++)
    found |= g_array_index (self->encodings, gint32, i) == encoding;
  g_mutex_unlock (&self->lock);
  return found;
}

/* Returns: (transfer full): the keys received so far */
GArray *
fake_rfb_server_get_keys (FakeRfbServer *self)
{
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (FakeRfbKey));

  g_mutex_lock (&self->lock);
  g_array_append_vals (keys, self->keys->data, self->keys->len);
  g_mutex_unlock (&self->lock);
  return keys;
}

/* Key releases dropped because the key was not down. */
guint
fake_rfb_server_count_stray_releases (FakeRfbServer *self)
{
  guint count;

  g_mutex_lock (&self->lock);
  count = self->stray_releases;
  g_mutex_unlock (&self->lock);
  return count;
}

guint
fake_rfb_server_count_pointer (FakeRfbServer *self)
{
  guint count;

  g_mutex_lock (&self->lock);
  count = self->pointer_events;
  g_mutex_unlock (&self->lock);
  return count;
}

/* Waits until @count key events have arrived. */
gboolean
fake_rfb_server_wait_keys (FakeRfbServer *self,
                           guint          count,
                           guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean enough;

  g_mutex_lock (&self->lock);
  while (self->keys->len < count)
    if (!g_cond_wait_until (&self->changed, &self->lock, deadline))
      break;
  enough = self->keys->len >= count;
  g_mutex_unlock (&self->lock);
  return enough;
}
