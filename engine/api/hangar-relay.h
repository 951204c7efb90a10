/* hangar-relay.h: two byte streams joined, for consoles and engines over SSH
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean hangar_relay (int       in_fd,
                       int       out_fd,
                       int       peer_fd,
                       GError  **error);

G_END_DECLS
