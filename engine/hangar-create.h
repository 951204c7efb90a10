/* hangar-create.h: a new machine from an OS's defaults and a few choices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-engine.h"

G_BEGIN_DECLS

void           hangar_create_machine_async  (HangarEngine         *engine,
                                             GVariant             *options,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
HangarMachine *hangar_create_machine_finish (HangarEngine         *engine,
                                             GAsyncResult         *result,
                                             GError              **error);
void           hangar_create_os_defaults_async  (HangarEngine         *engine,
                                                 const char           *os_id,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GVariant      *hangar_create_os_defaults_finish (HangarEngine         *engine,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
