/* hangar-idle.h: whether the engine has anything to do
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-engine.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_IDLE (hangar_idle_get_type ())
G_DECLARE_FINAL_TYPE (HangarIdle, hangar_idle, HANGAR, IDLE, GObject)

HangarIdle *hangar_idle_new         (HangarEngine    *engine,
                                     GDBusConnection *connection);
gboolean    hangar_idle_is_idle     (HangarIdle      *self);
guint       hangar_idle_get_clients (HangarIdle      *self);

G_END_DECLS
