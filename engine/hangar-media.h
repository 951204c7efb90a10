/* hangar-media.h: what an install medium, disk image or install tree is
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-osinfo.h"

G_BEGIN_DECLS

void      hangar_media_identify_async       (HangarOsinfo         *osinfo,
                                             const char           *path,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GVariant *hangar_media_identify_finish      (HangarOsinfo         *osinfo,
                                             GAsyncResult         *result,
                                             GError              **error);
void      hangar_media_identify_tree_async  (HangarOsinfo         *osinfo,
                                             const char           *url,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GVariant *hangar_media_identify_tree_finish (HangarOsinfo         *osinfo,
                                             GAsyncResult         *result,
                                             GError              **error);
gboolean  hangar_media_check_readable       (const char           *path,
                                             gboolean              allow_block,
                                             GError              **error);
gboolean  hangar_media_check_disc           (const char           *path,
                                             GError              **error);
GStrv     hangar_media_list_optical_drives  (void);

G_END_DECLS
