/* hangar-download.h: one file over HTTP(S), into a new local file
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     hangar_download_async  (const char           *url,
                                 const char           *path,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
gboolean hangar_download_finish (GAsyncResult         *result,
                                 GError              **error);

G_END_DECLS
