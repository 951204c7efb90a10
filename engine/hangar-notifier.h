/* hangar-notifier.h: desktop notifications while no Hangar window is open
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-engine.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_NOTIFIER (hangar_notifier_get_type ())
G_DECLARE_FINAL_TYPE (HangarNotifier, hangar_notifier, HANGAR, NOTIFIER, GObject)

HangarNotifier *hangar_notifier_new (HangarEngine    *engine,
                                     GDBusConnection *bus);

G_END_DECLS
