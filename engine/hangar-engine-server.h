/* hangar-engine-server.h: the engine's objects on engine.sock, for the same user only
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-engine.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_ENGINE_SERVER (hangar_engine_server_get_type ())
G_DECLARE_FINAL_TYPE (HangarEngineServer, hangar_engine_server, HANGAR, ENGINE_SERVER, GObject)

HangarEngineServer *hangar_engine_server_new         (HangarEngine       *engine,
                                                      GError            **error);
guint               hangar_engine_server_get_n_peers (HangarEngineServer *self);

G_END_DECLS
