/* hangar-machine-usb.h: USB devices given to a running machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-machine.h"
#include "hangar-usb-manager.h"

G_BEGIN_DECLS

void       hangar_machine_attach_usb_async  (HangarMachine        *self,
                                             HangarUsbManager     *manager,
                                             const char           *selector,
                                             const char           *mode,
                                             int                   stream_fd,
                                             const char           *label,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
char      *hangar_machine_attach_usb_finish (HangarMachine        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void       hangar_machine_detach_usb_async  (HangarMachine        *self,
                                             const char           *device,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean   hangar_machine_detach_usb_finish (HangarMachine        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
GVariant  *hangar_machine_get_usb_devices   (HangarMachine        *self);
gboolean   hangar_machine_has_usb_at        (HangarMachine        *self,
                                             guint                 bus,
                                             guint                 address);

G_END_DECLS
