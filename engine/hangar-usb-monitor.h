/* hangar-usb-monitor.h: the kernel's word that a USB device came or went
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_USB_MONITOR (hangar_usb_monitor_get_type ())
G_DECLARE_FINAL_TYPE (HangarUsbMonitor, hangar_usb_monitor, HANGAR, USB_MONITOR, GObject)

HangarUsbMonitor *hangar_usb_monitor_new (GError **error);

G_END_DECLS
