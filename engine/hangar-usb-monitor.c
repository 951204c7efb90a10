/* hangar-usb-monitor.c: the kernel's word that a USB device came or went
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A NETLINK_KOBJECT_UEVENT socket in the kernel's multicast group, read from the GLib
 * main loop when it has data: no thread, no polling. libudev's monitor would do the same
 * and add a dependency; Hangar needs only "a USB device was added or removed", then
 * reads sysfs again, and the kernel's messages ("ACTION@DEVPATH\0KEY=VALUE\0...") say
 * that. Only messages from the kernel (sender port 0) count, except in tests
 * (HANGAR_USB_SYSFS set), which send their own to a fake sysfs tree.
 *
 * Signals:
 *   changed (const char *action, const char *devpath): a USB device (not an interface)
 *   was added, removed or changed.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-usb-monitor.h"

#define UEVENT_BUFFER_SIZE 8192

struct _HangarUsbMonitor
{
  GObject  parent_instance;

  int      fd;
  guint    source_id;
  gboolean trust_any_sender;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarUsbMonitor, hangar_usb_monitor, G_TYPE_OBJECT)

static void
handle_message (HangarUsbMonitor *self,
                const char       *buffer,
                gsize             length)
{
  const char *action = NULL, *devpath = NULL, *subsystem = NULL, *devtype = NULL;
  const char *p = buffer;
  const char *end = buffer + length;

  /* The header line, "add@/devices/...", then NUL-ended KEY=VALUE pairs. udev's own
   * messages start with "libudev" and are not read here. */
  if (memchr (buffer, '@', MIN (length, 32)) == NULL)
    return;
  p += strnlen (p, end - p) + 1;
  while (p < end)
    {
      gsize n = strnlen (p, end - p);

      if (g_str_has_prefix (p, "ACTION="))
        action = p + 7;
      else if (g_str_has_prefix (p, "DEVPATH="))
        devpath = p + 8;
      else if (g_str_has_prefix (p, "SUBSYSTEM="))
        subsystem = p + 10;
      else if (g_str_has_prefix (p, "DEVTYPE="))
        devtype = p + 8;
      if (p + n >= end)
        break;  /* the last pair lacks its NUL: ignore the message */
      p += n + 1;
    }
  if (p < end || action == NULL || devpath == NULL)
    return;
  if (g_strcmp0 (subsystem, "usb") != 0 || g_strcmp0 (devtype, "usb_device") != 0)
    return;
  g_debug ("uevent: %s %s", action, devpath);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, action, devpath);
}

static gboolean
on_readable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  HangarUsbMonitor *self = user_data;

  for (;;)
    {
      char buffer[UEVENT_BUFFER_SIZE + 1];
      struct sockaddr_nl sender = { 0 };
      struct iovec iov = { buffer, UEVENT_BUFFER_SIZE };
      struct msghdr message = {
        .msg_name = &sender, .msg_namelen = sizeof sender, .msg_iov = &iov, .msg_iovlen = 1,
      };
      ssize_t n = recvmsg (fd, &message, MSG_DONTWAIT);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == ENOBUFS)
            {
              /* Messages were lost: say something changed, the listing reads it all. */
              g_signal_emit (self, signals[SIGNAL_CHANGED], 0, "change", "");
              continue;
            }
          break;
        }
      if (n == 0 || (message.msg_flags & MSG_TRUNC))
        continue;
      if (sender.nl_pid != 0 && !self->trust_any_sender)
        continue;
      buffer[n] = '\0';
      handle_message (self, buffer, n);
    }
  return G_SOURCE_CONTINUE;
}

static void
hangar_usb_monitor_finalize (GObject *object)
{
  HangarUsbMonitor *self = HANGAR_USB_MONITOR (object);

  g_clear_handle_id (&self->source_id, g_source_remove);
  if (self->fd >= 0)
    close (self->fd);
  G_OBJECT_CLASS (hangar_usb_monitor_parent_class)->finalize (object);
}

static void
hangar_usb_monitor_class_init (HangarUsbMonitorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_usb_monitor_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
hangar_usb_monitor_init (HangarUsbMonitor *self)
{
  self->fd = -1;
}

/**
 * hangar_usb_monitor_new:
 *
 * Returns: a monitor, or NULL with @error set when the kernel's uevents cannot be
 * read (no netlink in a sandbox): the engine then lists devices only when asked.
 */
HangarUsbMonitor *
hangar_usb_monitor_new (GError **error)
{
  g_autoptr(HangarUsbMonitor) self = g_object_new (HANGAR_TYPE_USB_MONITOR, NULL);
  struct sockaddr_nl address = { .nl_family = AF_NETLINK, .nl_groups = 1 };

  self->fd = socket (AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
                     NETLINK_KOBJECT_UEVENT);
  if (self->fd < 0 || bind (self->fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      int saved = errno;

      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("Could not follow the kernel’s USB events: %s"), g_strerror (saved));
      return NULL;
    }
  self->trust_any_sender = g_getenv ("HANGAR_USB_SYSFS") != NULL;
  self->source_id = g_unix_fd_add (self->fd, G_IO_IN, on_readable, self);
  return g_steal_pointer (&self);
}
