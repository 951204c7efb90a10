/* hangar-usb-list.h: the host's USB devices, each with a switch for one machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-dbus.h"
#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_USB_LIST (hangar_usb_list_get_type ())
G_DECLARE_FINAL_TYPE (HangarUsbList, hangar_usb_list, HANGAR, USB_LIST, GtkWidget)

GtkWidget *hangar_usb_list_new         (void);
void       hangar_usb_list_set_host    (HangarUsbList      *self,
                                        HangarDBusHost1    *host);
void       hangar_usb_list_set_machine (HangarUsbList      *self,
                                        HangarDBusMachine1 *machine);
void       hangar_usb_list_refresh     (HangarUsbList      *self);
char      *hangar_usb_list_holder_text (const char         *holder_uuid,
                                        const char         *holder_name,
                                        const char         *machine_uuid);

G_END_DECLS
