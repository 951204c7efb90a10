/* hangar-owned-images.h: the disk images Hangar made, so Delete removes only those
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean hangar_owned_images_add      (const char  *path,
                                       GError     **error);
gboolean hangar_owned_images_contains (const char  *path);
gboolean hangar_owned_images_remove   (const char  *path,
                                       GError     **error);

G_END_DECLS
