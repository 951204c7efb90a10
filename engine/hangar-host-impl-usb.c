/* hangar-host-impl-usb.c: Host1's USB devices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-host-impl.h"
#include "hangar-usb-manager.h"

static GVariant *
list_devices (HangarUsbManager *usb)
{
  GPtrArray *devices = hangar_usb_manager_get_devices (usb);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < devices->len; i++)
    {
      HangarUsbDevice *device = g_ptr_array_index (devices, i);
      g_autofree char *label = hangar_usb_device_label (device);
      const char *name = NULL;
      const char *holder = hangar_usb_manager_holder (usb, device->bus, device->address, &name);
      GVariantDict dict;

      g_variant_dict_init (&dict, NULL);
      g_variant_dict_insert (&dict, "bus", "u", device->bus);
      g_variant_dict_insert (&dict, "address", "u", device->address);
      g_variant_dict_insert (&dict, "vendor-id", "q", device->vendor_id);
      g_variant_dict_insert (&dict, "product-id", "q", device->product_id);
      g_variant_dict_insert (&dict, "class", "y", device->device_class);
      g_variant_dict_insert (&dict, "manufacturer", "s", device->manufacturer);
      g_variant_dict_insert (&dict, "product", "s", device->product);
      g_variant_dict_insert (&dict, "serial", "s", device->serial);
      g_variant_dict_insert (&dict, "speed", "s", device->speed);
      g_variant_dict_insert (&dict, "node", "s", device->node);
      g_variant_dict_insert (&dict, "label", "s", label);
      g_variant_dict_insert (&dict, "machine", "s", holder ? holder : "");
      g_variant_dict_insert (&dict, "machine-name", "s", name ? name : "");
      g_variant_builder_add_value (&builder, g_variant_dict_end (&dict));
    }
  return g_variant_builder_end (&builder);
}

static gboolean
handle_list_usb_devices (HangarDBusHost1       *host,
                         GDBusMethodInvocation *invocation)
{
  HangarEngine *engine = hangar_host_impl_get_engine (HANGAR_HOST_IMPL (host));
  HangarUsbManager *usb = hangar_engine_get_usb (engine);

  hangar_usb_manager_refresh (usb);
  hangar_dbus_host1_complete_list_usb_devices (host, invocation, list_devices (usb));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_usb_changed (HangarUsbManager *usb,
                HangarHostImpl   *self)
{
  hangar_dbus_host1_emit_usb_devices_changed (HANGAR_DBUS_HOST1 (self), list_devices (usb));
}

void
_hangar_host_impl_usb_iface_init (HangarDBusHost1Iface *iface)
{
  iface->handle_list_usb_devices = handle_list_usb_devices;
}

void
_hangar_host_impl_usb_init (HangarHostImpl *self)
{
  HangarUsbManager *usb = hangar_engine_get_usb (hangar_host_impl_get_engine (self));

  g_signal_connect_object (usb, "changed", G_CALLBACK (on_usb_changed), self, 0);
}
