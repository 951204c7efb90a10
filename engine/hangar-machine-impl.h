/* hangar-machine-impl.h: io.github.hangarvm.Hangar.Machine1 for one HangarMachine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-dbus.h"
#include "hangar-engine.h"
#include "hangar-machine.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_MACHINE_IMPL (hangar_machine_impl_get_type ())
G_DECLARE_FINAL_TYPE (HangarMachineImpl, hangar_machine_impl, HANGAR, MACHINE_IMPL,
                      HangarDBusMachine1Skeleton)

HangarMachineImpl *hangar_machine_impl_new (HangarEngine  *engine,
                                            HangarMachine *machine);
HangarEngine      *hangar_machine_impl_get_engine  (HangarMachineImpl *self);
HangarMachine     *hangar_machine_impl_get_machine (HangarMachineImpl *self);

/* hangar-machine-impl-usb.c */
void               _hangar_machine_impl_usb_iface_init (HangarDBusMachine1Iface *iface);

G_END_DECLS
