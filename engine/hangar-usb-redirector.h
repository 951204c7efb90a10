/* hangar-usb-redirector.h: one host USB device fed to QEMU's usb-redir through usbredir
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_USB_REDIRECTOR (hangar_usb_redirector_get_type ())
G_DECLARE_FINAL_TYPE (HangarUsbRedirector, hangar_usb_redirector, HANGAR, USB_REDIRECTOR, GObject)

HangarUsbRedirector *hangar_usb_redirector_new   (int      device_fd,
                                                  int      socket_fd,
                                                  GError **error);
void                 hangar_usb_redirector_close (HangarUsbRedirector *self);

G_END_DECLS
