/* hangar-host-browse.h: the host's folders, for choosing media on a remote host
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GVariant *hangar_host_list_folder (const char  *folder,
                                   char       **canonical,
                                   GError     **error);

G_END_DECLS
