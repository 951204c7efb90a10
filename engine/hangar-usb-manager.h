/* hangar-usb-manager.h: the host's USB devices as the engine knows them, and who holds each
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-usb-devices.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_USB_MANAGER (hangar_usb_manager_get_type ())
G_DECLARE_FINAL_TYPE (HangarUsbManager, hangar_usb_manager, HANGAR, USB_MANAGER, GObject)

HangarUsbManager *hangar_usb_manager_new         (void);
GPtrArray        *hangar_usb_manager_get_devices (HangarUsbManager  *self);
void              hangar_usb_manager_refresh     (HangarUsbManager  *self);
HangarUsbDevice  *hangar_usb_manager_find        (HangarUsbManager  *self,
                                                  const char        *selector,
                                                  GError           **error);
gboolean          hangar_usb_manager_claim       (HangarUsbManager  *self,
                                                  const HangarUsbDevice *device,
                                                  const char        *machine_uuid,
                                                  const char        *machine_name,
                                                  GError           **error);
void              hangar_usb_manager_release     (HangarUsbManager  *self,
                                                  guint              bus,
                                                  guint              address,
                                                  const char        *machine_uuid);
const char       *hangar_usb_manager_holder      (HangarUsbManager  *self,
                                                  guint              bus,
                                                  guint              address,
                                                  const char       **name);

G_END_DECLS
