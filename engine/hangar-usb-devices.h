/* hangar-usb-devices.h: the host's USB devices, read from sysfs and named by usb.ids
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure reading, no state: the engine lists again whenever the kernel says a USB device
 * came or went (hangar-usb-monitor.h). HANGAR_USB_SYSFS replaces /sys/bus/usb/devices,
 * HANGAR_USB_DEVFS replaces /dev/bus/usb and HANGAR_USB_IDS replaces
 * /usr/share/misc/usb.ids: the tests list a fake tree.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint    bus;
  guint    address;        /* devnum */
  guint16  vendor_id;
  guint16  product_id;
  guint8   device_class;
  char    *port;           /* the sysfs name: "1-1.2" */
  char    *manufacturer;   /* the device's own string, else usb.ids's vendor, else "" */
  char    *product;        /* the device's own string, else usb.ids's product, else "" */
  char    *serial;         /* "" when the device has none */
  char    *speed;          /* Mbit/s as sysfs says it: "480", "5000", or "" */
  char    *node;           /* /dev/bus/usb/BBB/DDD */
} HangarUsbDevice;

void             hangar_usb_device_free      (HangarUsbDevice  *device);
HangarUsbDevice *hangar_usb_device_copy      (const HangarUsbDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarUsbDevice, hangar_usb_device_free)

const char      *hangar_usb_sysfs_root       (void);
const char      *hangar_usb_devfs_root       (void);
GPtrArray       *hangar_usb_list_devices     (const char       *sysfs_root,
                                              const char       *ids_path,
                                              GError          **error);
gboolean         hangar_usb_ids_lookup       (const char       *ids_path,
                                              guint16           vendor_id,
                                              guint16           product_id,
                                              char            **vendor_name,
                                              char            **product_name);
char            *hangar_usb_device_label     (const HangarUsbDevice *device);
gboolean         hangar_usb_parse_selector   (const char       *selector,
                                              guint16          *vendor_id,
                                              guint16          *product_id,
                                              guint            *bus,
                                              guint            *address,
                                              GError          **error);
HangarUsbDevice *hangar_usb_find_device      (GPtrArray        *devices,
                                              const char       *selector,
                                              GError          **error);
char            *hangar_usb_access_message   (const HangarUsbDevice *device,
                                              int               saved_errno,
                                              const char       *group_name);

G_END_DECLS
