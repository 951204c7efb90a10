/* hangar-guest-agent.h: asking a guest's QEMU guest agent what the guest is
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      hangar_guest_agent_query_async  (const char          *socket_path,
                                           gboolean             network_only,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GVariant *hangar_guest_agent_query_finish (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
