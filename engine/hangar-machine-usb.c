/* hangar-machine-usb.c: USB devices given to a running machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Three ways in, all hot-plugged on QEMU's USB bus "usb.0":
 *   redir:  the engine opens /dev/bus/usb/BBB/DDD and feeds it through usbredir
 *           (HangarUsbRedirector) to a usb-redir device on a socket chardev;
 *   stream: as redir, with a stream a client gives (its own usbredir device side);
 *   host:   QEMU's usb-host opens the node itself.
 * The chardev's socket reaches QEMU as a passed fd: getfd, then chardev-add with an
 * "fd" address, then device_add. A machine without a USB controller gets a qemu-xhci
 * first (id "usb", as a definition's controller has). A step QEMU refuses takes back
 * the steps before it: nothing stays half-attached. Detaching is device_del, QEMU's
 * DEVICE_DELETED, chardev-remove, then the device is closed and let go.
 *
 * Ownership: the machine's usb array owns each HangarUsbAttachment; an attachment
 * owns its redirector and its claim on the device in the engine's HangarUsbManager.
 * When QEMU ends the array is emptied without a word to QEMU.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-machine-private.h"
#include "hangar-machine-usb.h"
#include "hangar-qemu-argv.h"
#include "hangar-usb-redirector.h"

#define UNPLUG_TIMEOUT_S 10

typedef struct
{
  HangarMachine       *machine;     /* owns us */
  char                *id;          /* QEMU's device id, also the getfd name */
  char                *chardev;     /* NULL for usb-host */
  char                *mode;        /* "redir", "host", "stream" */
  char                *label;
  guint                bus;
  guint                address;     /* 0: not a host device */
  guint16              vendor_id;
  guint16              product_id;
  HangarUsbManager    *manager;     /* holds the claim; NULL for a stream */
  HangarUsbRedirector *redirector;
  gboolean             in_qemu;     /* device_add succeeded */
  gboolean             gone;        /* the device went away before the attach ended */
} HangarUsbAttachment;

static void
attachment_free (HangarUsbAttachment *a)
{
  if (a->redirector != NULL)
    {
      g_signal_handlers_disconnect_by_data (a->redirector, a);
      hangar_usb_redirector_close (a->redirector);
      g_object_unref (a->redirector);
    }
  if (a->manager != NULL)
    {
      hangar_usb_manager_release (a->manager, a->bus, a->address,
                                  hangar_machine_get_uuid (a->machine));
      g_object_unref (a->manager);
    }
  g_free (a->id);
  g_free (a->chardev);
  g_free (a->mode);
  g_free (a->label);
  g_free (a);
}

static GPtrArray *
attachments (HangarMachine *self)
{
  if (self->usb == NULL)
    self->usb = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);
  return self->usb;
}

/* QEMU has ended (or the machine goes away): every device is let go of. */
void
_hangar_machine_usb_forget (HangarMachine *self)
{
  g_clear_pointer (&self->usb, g_ptr_array_unref);
  self->usb_controller = FALSE;
}

GVariant *
hangar_machine_get_usb_devices (HangarMachine *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ssss)"));
  for (guint i = 0; self->usb != NULL && i < self->usb->len; i++)
    {
      HangarUsbAttachment *a = g_ptr_array_index (self->usb, i);
      g_autofree char *place = a->address ? g_strdup_printf ("%u.%u", a->bus, a->address)
                                          : g_strdup ("");

      if (a->in_qemu)
        g_variant_builder_add (&builder, "(ssss)", a->id, a->mode, place, a->label);
    }
  return g_variant_builder_end (&builder);
}

gboolean
hangar_machine_has_usb_at (HangarMachine *self,
                           guint          bus,
                           guint          address)
{
  for (guint i = 0; self->usb != NULL && i < self->usb->len; i++)
    {
      HangarUsbAttachment *a = g_ptr_array_index (self->usb, i);

      if (a->bus == bus && a->address == address && address != 0)
        return TRUE;
    }
  return FALSE;
}

static void
remove_attachment (HangarMachine       *self,
                   HangarUsbAttachment *a)
{
  if (self->usb != NULL)
    g_ptr_array_remove (self->usb, a);
  _hangar_machine_emit_changed (self);
}

/* ---- attach ------------------------------------------------------------------- */

typedef enum
{
  STEP_CONTROLLER,
  STEP_GETFD,
  STEP_CHARDEV,
  STEP_DEVICE,
  STEP_DONE,
} AttachStep;

typedef struct
{
  HangarUsbAttachment *attachment;   /* in the machine's array from the start */
  AttachStep           step;
  int                  qemu_fd;      /* the end QEMU gets, or -1 */
} Attach;

static void
attach_free (gpointer data)
{
  Attach *at = data;

  if (at->qemu_fd >= 0)
    close (at->qemu_fd);
  g_free (at);
}

static void attach_next (GTask *task);

static gboolean
machine_runs (HangarMachine  *self,
              GError        **error)
{
  if ((self->state != HANGAR_MACHINE_RUNNING && self->state != HANGAR_MACHINE_PAUSED) ||
      self->qmp == NULL || self->live_domain == NULL)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                   _("“%s” is not running, so it cannot take or give back a USB device."),
                   hangar_machine_get_name (self));
      return FALSE;
    }
  return TRUE;
}

static void
attach_failed (GTask  *task,
               GError *error)
{
  HangarMachine *self = g_task_get_source_object (task);
  Attach *at = g_task_get_task_data (task);
  HangarUsbAttachment *a = at->attachment;

  /* Take back what QEMU has: the chardev (which holds the passed fd), or the passed fd. */
  if (self->qmp != NULL && at->step == STEP_DEVICE && a->chardev != NULL)
    _hangar_machine_qmp_send_quietly (self, "chardev-remove", "id", a->chardev);
  else if (self->qmp != NULL && at->step == STEP_CHARDEV)
    _hangar_machine_qmp_send_quietly (self, "closefd", "fdname", a->id);
  else if (at->step == STEP_CONTROLLER)
    self->usb_controller = FALSE;
  at->attachment = NULL;
  remove_attachment (self, a);
  g_task_return_error (task, error);
}

static void
on_attach_reply (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Attach *at = g_task_get_task_data (task);
  g_autoptr(JsonNode) reply = NULL;
  GError *error = NULL;

  reply = hangar_qmp_execute_finish (HANGAR_QMP (object), result, &error);
  if (reply == NULL)
    {
      GError *named = g_error_new (HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                                   _("QEMU did not take the USB device: %s"), error->message);

      g_error_free (error);
      attach_failed (task, named);
      return;
    }
  if (at->step == STEP_GETFD)
    {
      close (at->qemu_fd);
      at->qemu_fd = -1;
    }
  at->step++;
  attach_next (g_steal_pointer (&task));
}

static char *
free_hotplug_port (HangarMachine *self)
{
  const HangarDomainDef *def = hangar_domain_get_def (self->live_domain);
  gboolean q35 = g_str_equal (def->machine, "q35") || g_str_has_prefix (def->machine, "pc-q35-");

  if (!q35)
    return NULL;
  /* Disks and NICs plugged live take the ports from the first ("hot<N>" on port N): the
   * controller takes the last. */
  return g_strdup_printf ("hangar-port%u", HANGAR_QEMU_HOTPLUG_PORTS - 1);
}

static void
attach_next (GTask *task)
{
  HangarMachine *self = g_task_get_source_object (task);
  Attach *at = g_task_get_task_data (task);
  HangarUsbAttachment *a = at->attachment;
  g_autoptr(JsonObject) arguments = json_object_new ();
  GError *error = NULL;

  if (!machine_runs (self, &error))
    {
      attach_failed (task, error);
      g_object_unref (task);
      return;
    }
  if (a->gone)
    {
      /* Unplugged while QEMU was being told: take back the device too, if it is in. */
      if (at->step == STEP_DONE && self->qmp != NULL)
        {
          _hangar_machine_qmp_send_quietly (self, "device_del", "id", a->id);
          at->step = STEP_DEVICE;
        }
      attach_failed (task, g_error_new (HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                                        _("%s was unplugged while it was being attached."),
                                        a->label));
      g_object_unref (task);
      return;
    }

  switch (at->step)
    {
    case STEP_CONTROLLER:
      if (hangar_domain_get_def (self->live_domain)->usb_model != NULL || self->usb_controller)
        {
          at->step++;
          attach_next (task);
          return;
        }
      {
        g_autofree char *port = free_hotplug_port (self);

        json_object_set_string_member (arguments, "driver", "qemu-xhci");
        json_object_set_string_member (arguments, "id", "usb");
        if (port != NULL)
          json_object_set_string_member (arguments, "bus", port);
        /* Taken as added at once: a refused controller fails this attach, and the next
         * attach then asks again. */
        self->usb_controller = TRUE;
        hangar_qmp_execute_async (self->qmp, "device_add", arguments, self->cancellable,
                                  on_attach_reply, task);
      }
      return;

    case STEP_GETFD:
      if (at->qemu_fd < 0)
        {
          at->step = STEP_DEVICE;
          attach_next (task);
          return;
        }
      json_object_set_string_member (arguments, "fdname", a->id);
      hangar_qmp_execute_with_fd_async (self->qmp, "getfd", arguments, at->qemu_fd,
                                        self->cancellable, on_attach_reply, task);
      return;

    case STEP_CHARDEV:
      {
        JsonObject *backend = json_object_new ();
        JsonObject *data = json_object_new ();
        JsonObject *addr = json_object_new ();
        JsonObject *addr_data = json_object_new ();

        json_object_set_string_member (addr_data, "str", a->id);
        json_object_set_string_member (addr, "type", "fd");
        json_object_set_object_member (addr, "data", addr_data);
        json_object_set_object_member (data, "addr", addr);
        json_object_set_boolean_member (data, "server", FALSE);
        json_object_set_string_member (backend, "type", "socket");
        json_object_set_object_member (backend, "data", data);
        json_object_set_string_member (arguments, "id", a->chardev);
        json_object_set_object_member (arguments, "backend", backend);
        hangar_qmp_execute_async (self->qmp, "chardev-add", arguments, self->cancellable,
                                  on_attach_reply, task);
      }
      return;

    case STEP_DEVICE:
      json_object_set_string_member (arguments, "id", a->id);
      json_object_set_string_member (arguments, "bus", "usb.0");
      if (a->chardev != NULL)
        {
          json_object_set_string_member (arguments, "driver", "usb-redir");
          json_object_set_string_member (arguments, "chardev", a->chardev);
        }
      else
        {
          json_object_set_string_member (arguments, "driver", "usb-host");
          json_object_set_int_member (arguments, "hostbus", a->bus);
          json_object_set_int_member (arguments, "hostaddr", a->address);
        }
      hangar_qmp_execute_async (self->qmp, "device_add", arguments, self->cancellable,
                                on_attach_reply, task);
      return;

    case STEP_DONE:
      a->in_qemu = TRUE;
      at->attachment = NULL;
      _hangar_machine_emit_changed (self);
      g_task_return_pointer (task, g_strdup (a->id), g_free);
      g_object_unref (task);
      return;
    }
  g_assert_not_reached ();
}

static void detach_gone (HangarMachine *self, HangarUsbAttachment *a);

static void
on_redirector_closed (HangarUsbRedirector *redirector,
                      const char          *reason,
                      HangarUsbAttachment *a)
{
  g_debug ("%s: USB %s: %s", hangar_machine_get_name (a->machine), a->id, reason);
  if (a->in_qemu)
    detach_gone (a->machine, a);
  else
    a->gone = TRUE;   /* the attach under way fails at its next step */
}

/* Opens the node as the engine's user may: the errors a person can act on are here. */
static int
open_node (const HangarUsbDevice  *device,
           GError                **error)
{
  g_autofree char *label = hangar_usb_device_label (device);
  int fd = open (device->node, O_RDWR | O_CLOEXEC);
  int saved = errno;

  if (fd >= 0)
    return fd;
  if (saved == EACCES || saved == EPERM)
    {
      struct stat info;
      struct group *group = NULL;
      g_autofree char *message = NULL;

      if (stat (device->node, &info) == 0)
        group = getgrgid (info.st_gid);
      message = hangar_usb_access_message (device, saved, group ? group->gr_name : NULL);
      g_set_error_literal (error, HANGAR_ERROR, HANGAR_ERROR_PERMISSION_DENIED, message);
    }
  else if (saved == ENOENT || saved == ENODEV || saved == ENXIO)
    g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                 _("%s was unplugged: %s is gone."), label, device->node);
  else
    g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                 _("Could not open %s (%s): %s"), device->node, label, g_strerror (saved));
  return -1;
}

/**
 * hangar_machine_attach_usb_async:
 * @manager: (nullable): the engine's devices; NULL with @stream_fd
 * @selector: (nullable): "VENDOR:PRODUCT" or "BUS.ADDRESS"; NULL with @stream_fd
 * @mode: "redir", "host", or "stream" with @stream_fd
 * @stream_fd: a usbredir stream (not taken: duplicated), or -1
 * @label: (nullable): what UsbDevices says for a stream
 */
void
hangar_machine_attach_usb_async (HangarMachine       *self,
                                 HangarUsbManager    *manager,
                                 const char          *selector,
                                 const char          *mode,
                                 int                  stream_fd,
                                 const char          *label,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HangarUsbAttachment *a;
  HangarUsbDevice *device = NULL;
  Attach *at;
  GError *error = NULL;
  int fds[2] = { -1, -1 };

  g_return_if_fail (HANGAR_IS_MACHINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_machine_attach_usb_async);
  at = g_new0 (Attach, 1);
  at->qemu_fd = -1;
  g_task_set_task_data (task, at, attach_free);

  if (mode == NULL || *mode == '\0')
    mode = stream_fd >= 0 ? "stream" : "redir";
  if (!g_str_equal (mode, "redir") && !g_str_equal (mode, "host") &&
      !(g_str_equal (mode, "stream") && stream_fd >= 0))
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                               _("“%s” is no way to attach a USB device: use redir or host."),
                               mode);
      return;
    }
  if (!machine_runs (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  a = g_new0 (HangarUsbAttachment, 1);
  a->machine = self;
  a->mode = g_strdup (mode);
  a->id = g_strdup_printf ("usb%s%u", g_str_equal (mode, "host") ? "host" : "redir",
                           self->usb_next++);
  if (!g_str_equal (mode, "host"))
    a->chardev = g_strdup_printf ("chr-%s", a->id);

  if (stream_fd < 0)
    {
      device = hangar_usb_manager_find (manager, selector, &error);
      if (device == NULL ||
          !hangar_usb_manager_claim (manager, device, hangar_machine_get_uuid (self),
                                     hangar_machine_get_name (self), &error))
        {
          attachment_free (a);
          g_task_return_error (task, error);
          return;
        }
      a->manager = g_object_ref (manager);
      a->bus = device->bus;
      a->address = device->address;
      a->vendor_id = device->vendor_id;
      a->product_id = device->product_id;
      a->label = hangar_usb_device_label (device);
    }
  else
    a->label = g_strdup (label != NULL && *label != '\0' ? label : _("Redirected USB device"));
  g_ptr_array_add (attachments (self), a);
  at->attachment = a;

  if (g_str_equal (mode, "stream"))
    {
      at->qemu_fd = fcntl (stream_fd, F_DUPFD_CLOEXEC, 3);
      if (at->qemu_fd < 0)
        {
          int saved = errno;

          attach_failed (task, g_error_new (HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                                            _("The USB stream cannot be used: %s"),
                                            g_strerror (saved)));
          return;
        }
    }
  else
    {
      /* Both modes open the node: QEMU runs as the engine's user, so what the engine
       * may not open, QEMU may not either, and the engine can say why. */
      int device_fd = open_node (device, &error);

      if (device_fd < 0)
        {
          attach_failed (task, error);
          return;
        }
      if (g_str_equal (mode, "host"))
        close (device_fd);
      else
        {
          if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
            {
              int saved = errno;

              close (device_fd);
              attach_failed (task, g_error_new (HANGAR_ERROR, HANGAR_ERROR_FAILED,
                                                _("Could not make a socket: %s"),
                                                g_strerror (saved)));
              return;
            }
          at->qemu_fd = fds[1];
          a->redirector = hangar_usb_redirector_new (device_fd, fds[0], &error);
          if (a->redirector == NULL)
            {
              GError *named = g_error_new (error->domain, error->code, _("%s (%s): %s"),
                                           a->label, device->node, error->message);

              g_error_free (error);
              attach_failed (task, named);
              return;
            }
          g_signal_connect (a->redirector, "closed", G_CALLBACK (on_redirector_closed), a);
        }
    }
  attach_next (g_steal_pointer (&task));
}

char *
hangar_machine_attach_usb_finish (HangarMachine  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- detach ------------------------------------------------------------------- */

/* The device itself went away: QEMU lets go of it, without waiting for an answer. */
static void
detach_gone (HangarMachine       *self,
             HangarUsbAttachment *a)
{
  if (self->qmp != NULL)
    {
      _hangar_machine_qmp_send_quietly (self, "device_del", "id", a->id);
      if (a->chardev != NULL)
        _hangar_machine_qmp_send_quietly (self, "chardev-remove", "id", a->chardev);
    }
  remove_attachment (self, a);
}

typedef struct
{
  HangarUsbAttachment *attachment;
  gulong               event_id;
  guint                timeout_id;
  gboolean             deleted;
} Detach;

static void
detach_free (gpointer data)
{
  Detach *d = data;

  g_assert (d->event_id == 0 && d->timeout_id == 0);
  g_free (d);
}

static HangarUsbAttachment *
find_attachment (HangarMachine *self,
                 const char    *device)
{
  guint16 vendor, product;
  guint bus, address;

  for (guint i = 0; self->usb != NULL && i < self->usb->len; i++)
    {
      HangarUsbAttachment *a = g_ptr_array_index (self->usb, i);

      if (a->in_qemu && g_strcmp0 (a->id, device) == 0)
        return a;
    }
  if (!hangar_usb_parse_selector (device, &vendor, &product, &bus, &address, NULL))
    return NULL;
  for (guint i = 0; self->usb != NULL && i < self->usb->len; i++)
    {
      HangarUsbAttachment *a = g_ptr_array_index (self->usb, i);

      if (!a->in_qemu || a->address == 0)
        continue;
      if (bus != 0 ? a->bus == bus && a->address == address
                   : a->vendor_id == vendor && a->product_id == product)
        return a;
    }
  return NULL;
}

static void
stop_waiting (GTask *task)
{
  HangarMachine *self = g_task_get_source_object (task);
  Detach *d = g_task_get_task_data (task);

  if (d->event_id != 0 && self->qmp != NULL)
    g_signal_handler_disconnect (self->qmp, d->event_id);
  d->event_id = 0;
  g_clear_handle_id (&d->timeout_id, g_source_remove);
}

static void
on_chardev_removed (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HangarMachine *self = g_task_get_source_object (task);
  Detach *d = g_task_get_task_data (task);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* QEMU 7.2's usb-redir deletes its chardev as it goes: "not found" is the usual answer. */
  reply = hangar_qmp_execute_finish (HANGAR_QMP (object), result, &error);
  if (reply == NULL)
    g_debug ("chardev-remove: %s", error->message);
  if (d->attachment != NULL)
    remove_attachment (self, g_steal_pointer (&d->attachment));
  g_task_return_boolean (task, TRUE);
}

static void
detach_deleted (GTask *task)
{
  HangarMachine *self = g_task_get_source_object (task);
  Detach *d = g_task_get_task_data (task);
  HangarUsbAttachment *a = d->attachment;

  stop_waiting (task);
  /* The guest has let go: close the device first, so nothing more reaches QEMU. */
  if (a->redirector != NULL)
    hangar_usb_redirector_close (a->redirector);
  a->in_qemu = FALSE;
  if (a->chardev != NULL && self->qmp != NULL)
    {
      g_autoptr(JsonObject) arguments = json_object_new ();

      json_object_set_string_member (arguments, "id", a->chardev);
      hangar_qmp_execute_async (self->qmp, "chardev-remove", arguments, self->cancellable,
                                on_chardev_removed, task);
      return;
    }
  remove_attachment (self, g_steal_pointer (&d->attachment));
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_detach_event (HangarQmp  *qmp,
                 const char *name,
                 JsonObject *data,
                 GTask      *task)
{
  Detach *d = g_task_get_task_data (task);

  if (!g_str_equal (name, "DEVICE_DELETED") ||
      g_strcmp0 (json_object_get_string_member_with_default (data, "device", ""),
                 d->attachment->id) != 0)
    return;
  detach_deleted (task);
}

static gboolean
on_detach_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Detach *d = g_task_get_task_data (task);

  d->timeout_id = 0;
  stop_waiting (task);
  g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                           _("QEMU did not let go of %s within %d s."), d->attachment->label,
                           UNPLUG_TIMEOUT_S);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
on_device_del (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Detach *d = g_task_get_task_data (task);
  g_autoptr(JsonNode) reply = NULL;
  GError *error = NULL;

  reply = hangar_qmp_execute_finish (HANGAR_QMP (object), result, &error);
  if (reply != NULL || d->event_id == 0)
    {
      /* DEVICE_DELETED may have come before the reply: the wait then ended already. */
      g_clear_error (&error);
      return;
    }
  stop_waiting (task);
  g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_QEMU_FAILED,
                           _("QEMU did not unplug %s: %s"), d->attachment->label,
                           error->message);
  g_error_free (error);
  g_object_unref (task);
}

void
hangar_machine_detach_usb_async (HangarMachine       *self,
                                 const char          *device,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) arguments = json_object_new ();
  Detach *d;
  GError *error = NULL;

  g_return_if_fail (HANGAR_IS_MACHINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_machine_detach_usb_async);
  d = g_new0 (Detach, 1);
  g_task_set_task_data (task, d, detach_free);

  if (!machine_runs (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  d->attachment = find_attachment (self, device);
  if (d->attachment == NULL)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                               _("“%s” has no USB device “%s”."), hangar_machine_get_name (self),
                               device);
      return;
    }
  /* One wait, two ways out: DEVICE_DELETED or the timeout. The reference goes with it. */
  d->event_id = g_signal_connect (self->qmp, "event", G_CALLBACK (on_detach_event), task);
  d->timeout_id = g_timeout_add_seconds (UNPLUG_TIMEOUT_S, on_detach_timeout, task);
  json_object_set_string_member (arguments, "id", d->attachment->id);
  hangar_qmp_execute_async (self->qmp, "device_del", arguments, self->cancellable, on_device_del,
                            g_steal_pointer (&task));
}

gboolean
hangar_machine_detach_usb_finish (HangarMachine  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
