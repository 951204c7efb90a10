/* hangar-host-impl.h: io.github.hangarvm.Hangar.Host1
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-dbus.h"
#include "hangar-engine.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_HOST_IMPL (hangar_host_impl_get_type ())
G_DECLARE_FINAL_TYPE (HangarHostImpl, hangar_host_impl, HANGAR, HOST_IMPL,
                      HangarDBusHost1Skeleton)

HangarHostImpl *hangar_host_impl_new          (HangarEngine   *engine);
void            hangar_host_impl_sync_broken  (HangarHostImpl *self);
HangarEngine   *hangar_host_impl_get_engine   (HangarHostImpl *self);

/* hangar-host-impl-create.c */
void            _hangar_host_impl_create_iface_init (HangarDBusHost1Iface *iface);
void            _hangar_host_impl_stats_iface_init  (HangarDBusHost1Iface *iface);
void            _hangar_host_impl_stats_init        (HangarHostImpl       *self);
void            hangar_host_impl_forget_peer        (HangarHostImpl       *self);

G_END_DECLS
