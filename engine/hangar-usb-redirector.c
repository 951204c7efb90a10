/* hangar-usb-redirector.c: one host USB device fed to QEMU's usb-redir through usbredir
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The engine opens the device node itself (so that a refusal names the node) and hands
 * the fd to libusb (libusb_wrap_sys_device, with device discovery off: the engine needs
 * no bus scan). libusbredirhost speaks usbredir to QEMU over one end of a socket pair.
 * Everything runs in the engine's main context: the socket and libusb's own fds (its
 * usbfs fd and its timerfd) are GLib fd sources, so nothing busy-waits and no thread
 * runs: libusbredirhost is used without locks.
 *
 * Signals:
 *   closed (const char *reason): the device went away or QEMU closed its end;
 *   the redirector has closed the device.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <libusb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <usbredirhost.h>

#include "hangar-error.h"
#include "hangar-usb-redirector.h"

struct _HangarUsbRedirector
{
  GObject              parent_instance;

  libusb_context      *context;
  struct usbredirhost *host;
  int                  socket_fd;
  int                  device_fd;     /* libusb does not close a wrapped fd */
  guint                socket_source;
  guint                write_source;
  GHashTable          *usb_sources;   /* libusb fd → source id */
  gboolean             closed;
};

enum {
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarUsbRedirector, hangar_usb_redirector, G_TYPE_OBJECT)

static void update_write_source (HangarUsbRedirector *self);

static void
close_with_reason (HangarUsbRedirector *self,
                   const char          *reason)
{
  if (self->closed)
    return;
  g_object_ref (self);
  hangar_usb_redirector_close (self);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, reason);
  g_object_unref (self);
}

static void
on_log (void       *priv,
        int         level,
        const char *message)
{
  g_debug ("usbredirhost: %s", message);
}

static int
on_read (void    *priv,
         uint8_t *data,
         int      count)
{
  HangarUsbRedirector *self = priv;
  ssize_t n = read (self->socket_fd, data, count);

  if (n < 0)
    return errno == EAGAIN || errno == EINTR ? 0 : -1;
  if (n == 0)
    return -1;  /* QEMU closed its end */
  return n;
}

static int
on_write (void    *priv,
          uint8_t *data,
          int      count)
{
  HangarUsbRedirector *self = priv;
  ssize_t n = send (self->socket_fd, data, count, MSG_NOSIGNAL | MSG_DONTWAIT);

  if (n < 0)
    return errno == EAGAIN || errno == EINTR ? 0 : -1;
  return n;
}

static void
on_flush (void *priv)
{
  update_write_source (priv);
}

static gboolean
on_socket_writable (int          fd,
                    GIOCondition condition,
                    gpointer     user_data)
{
  HangarUsbRedirector *self = user_data;

  self->write_source = 0;
  if (usbredirhost_write_guest_data (self->host) < 0)
    {
      close_with_reason (self, _("QEMU’s end of the USB redirection closed"));
      return G_SOURCE_REMOVE;
    }
  update_write_source (self);
  return G_SOURCE_REMOVE;
}

static void
update_write_source (HangarUsbRedirector *self)
{
  if (self->closed || self->write_source != 0 || usbredirhost_has_data_to_write (self->host) <= 0)
    return;
  self->write_source = g_unix_fd_add (self->socket_fd, G_IO_OUT, on_socket_writable, self);
}

static gboolean
on_socket_readable (int          fd,
                    GIOCondition condition,
                    gpointer     user_data)
{
  HangarUsbRedirector *self = user_data;
  int result = usbredirhost_read_guest_data (self->host);

  if (result < 0 && result != usbredirhost_read_parse_error)
    {
      self->socket_source = 0;
      close_with_reason (self, result == usbredirhost_read_device_lost ?
                               _("The USB device was unplugged") :
                               _("QEMU’s end of the USB redirection closed"));
      return G_SOURCE_REMOVE;
    }
  update_write_source (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_usb_event (int          fd,
              GIOCondition condition,
              gpointer     user_data)
{
  HangarUsbRedirector *self = user_data;
  struct timeval zero = { 0, 0 };

  libusb_handle_events_timeout_completed (self->context, &zero, NULL);
  update_write_source (self);
  return G_SOURCE_CONTINUE;
}

static void
on_pollfd_added (int    fd,
                 short  events,
                 void  *user_data)
{
  HangarUsbRedirector *self = user_data;
  GIOCondition condition = ((events & POLLIN) ? G_IO_IN : 0) | ((events & POLLOUT) ? G_IO_OUT : 0);
  guint id = g_unix_fd_add (fd, condition | G_IO_ERR | G_IO_HUP, on_usb_event, self);
  guint old = GPOINTER_TO_UINT (g_hash_table_lookup (self->usb_sources, GINT_TO_POINTER (fd)));

  if (old != 0)
    g_source_remove (old);
  g_hash_table_insert (self->usb_sources, GINT_TO_POINTER (fd), GUINT_TO_POINTER (id));
}

static void
on_pollfd_removed (int   fd,
                   void *user_data)
{
  HangarUsbRedirector *self = user_data;
  guint id = GPOINTER_TO_UINT (g_hash_table_lookup (self->usb_sources, GINT_TO_POINTER (fd)));

  if (id != 0)
    g_source_remove (id);
  g_hash_table_remove (self->usb_sources, GINT_TO_POINTER (fd));
}

/**
 * hangar_usb_redirector_close:
 *
 * Lets go of the device and of the socket. Safe to call twice.
 */
void
hangar_usb_redirector_close (HangarUsbRedirector *self)
{
  GHashTableIter iter;
  gpointer id;

  g_return_if_fail (HANGAR_IS_USB_REDIRECTOR (self));

  if (self->closed)
    return;
  self->closed = TRUE;
  g_clear_handle_id (&self->socket_source, g_source_remove);
  g_clear_handle_id (&self->write_source, g_source_remove);
  g_clear_pointer (&self->host, usbredirhost_close);
  if (self->context != NULL)
    libusb_set_pollfd_notifiers (self->context, NULL, NULL, NULL);
  g_hash_table_iter_init (&iter, self->usb_sources);
  while (g_hash_table_iter_next (&iter, NULL, &id))
    g_source_remove (GPOINTER_TO_UINT (id));
  g_hash_table_remove_all (self->usb_sources);
  g_clear_pointer (&self->context, libusb_exit);
  if (self->socket_fd >= 0)
    close (self->socket_fd);
  self->socket_fd = -1;
  if (self->device_fd >= 0)
    close (self->device_fd);
  self->device_fd = -1;
}

static void
hangar_usb_redirector_finalize (GObject *object)
{
  HangarUsbRedirector *self = HANGAR_USB_REDIRECTOR (object);

  hangar_usb_redirector_close (self);
  g_clear_pointer (&self->usb_sources, g_hash_table_unref);
  G_OBJECT_CLASS (hangar_usb_redirector_parent_class)->finalize (object);
}

static void
hangar_usb_redirector_class_init (HangarUsbRedirectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_usb_redirector_finalize;

  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hangar_usb_redirector_init (HangarUsbRedirector *self)
{
  self->socket_fd = -1;
  self->device_fd = -1;
  self->usb_sources = g_hash_table_new (NULL, NULL);
}

/**
 * hangar_usb_redirector_new:
 * @device_fd: (transfer full): an open /dev/bus/usb/BBB/DDD
 * @socket_fd: (transfer full): the engine's end of the stream QEMU's usb-redir reads
 *
 * Returns: a redirector that serves the device until closed, or NULL with @error set
 * (HANGAR_ERROR_NOT_FOUND when @device_fd is no USB device the kernel serves). Both
 * fds are closed when it fails.
 */
HangarUsbRedirector *
hangar_usb_redirector_new (int      device_fd,
                           int      socket_fd,
                           GError **error)
{
  g_autoptr(HangarUsbRedirector) self = g_object_new (HANGAR_TYPE_USB_REDIRECTOR, NULL);
  libusb_device_handle *handle = NULL;
  const struct libusb_pollfd **pollfds;
  int result;

  self->socket_fd = socket_fd;
  g_unix_set_fd_nonblocking (socket_fd, TRUE, NULL);

  libusb_set_option (NULL, LIBUSB_OPTION_NO_DEVICE_DISCOVERY);
  result = libusb_init (&self->context);
  if (result == 0)
    result = libusb_wrap_sys_device (self->context, (intptr_t) device_fd, &handle);
  if (result != 0)
    {
      close (device_fd);
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                   _("libusb could not open it as a USB device: %s"), libusb_strerror (result));
      return NULL;
    }
  self->device_fd = device_fd;
  libusb_set_pollfd_notifiers (self->context, on_pollfd_added, on_pollfd_removed, self);
  pollfds = libusb_get_pollfds (self->context);
  for (guint i = 0; pollfds != NULL && pollfds[i] != NULL; i++)
    on_pollfd_added (pollfds[i]->fd, pollfds[i]->events, self);
  libusb_free_pollfds (pollfds);

  self->host = usbredirhost_open_full (self->context, handle, on_log, on_read, on_write, on_flush,
                                       NULL, NULL, NULL, NULL, self, "hangar-engine " PACKAGE_VERSION,
                                       0, 0);
  if (self->host == NULL)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("usbredir could not take the USB device"));
      return NULL;
    }
  self->socket_source = g_unix_fd_add (socket_fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                       on_socket_readable, self);
  update_write_source (self);
  return g_steal_pointer (&self);
}
