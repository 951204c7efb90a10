/* hangar-machine-impl-usb.c: Machine1's USB devices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-machine-impl.h"
#include "hangar-machine-usb.h"

static void
on_attached (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;
  g_autofree char *id = hangar_machine_attach_usb_finish (HANGAR_MACHINE (object), result,
                                                          &error);

  if (id == NULL)
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return;
    }
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(s)", id));
}

static gboolean
handle_attach_usb (HangarDBusMachine1    *iface,
                   GDBusMethodInvocation *invocation,
                   const char            *device,
                   const char            *mode)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);
  HangarEngine *engine = hangar_machine_impl_get_engine (self);

  if (g_strcmp0 (mode, "stream") == 0)
    {
      g_dbus_method_invocation_return_error (invocation, HANGAR_ERROR,
                                             HANGAR_ERROR_INVALID_ARGUMENT,
                                             _("A stream is attached with AttachUsbStream."));
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  hangar_machine_attach_usb_async (hangar_machine_impl_get_machine (self),
                                   hangar_engine_get_usb (engine), device, mode, -1, NULL, NULL,
                                   on_attached, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_attach_usb_stream (HangarDBusMachine1    *iface,
                          GDBusMethodInvocation *invocation,
                          GUnixFDList           *fds,
                          GVariant              *handle,
                          const char            *label)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);
  GError *error = NULL;
  int fd;

  fd = fds != NULL ? g_unix_fd_list_get (fds, g_variant_get_handle (handle), &error) : -1;
  if (fd < 0)
    {
      if (error == NULL)
        error = g_error_new (HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                             _("AttachUsbStream needs a file descriptor."));
      g_dbus_method_invocation_take_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  hangar_machine_attach_usb_async (hangar_machine_impl_get_machine (self), NULL, NULL, "stream",
                                   fd, label, NULL, on_attached, g_object_ref (invocation));
  close (fd);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_detached (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;

  if (!hangar_machine_detach_usb_finish (HANGAR_MACHINE (object), result, &error))
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return;
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
handle_detach_usb (HangarDBusMachine1    *iface,
                   GDBusMethodInvocation *invocation,
                   const char            *device)
{
  HangarMachineImpl *self = HANGAR_MACHINE_IMPL (iface);

  hangar_machine_detach_usb_async (hangar_machine_impl_get_machine (self), device, NULL,
                                   on_detached, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
_hangar_machine_impl_usb_iface_init (HangarDBusMachine1Iface *iface)
{
  iface->handle_attach_usb = handle_attach_usb;
  iface->handle_attach_usb_stream = handle_attach_usb_stream;
  iface->handle_detach_usb = handle_detach_usb;
}
