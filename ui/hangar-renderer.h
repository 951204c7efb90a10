/* hangar-renderer.h: how the window is drawn where there is no GPU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean hangar_renderer_has_gpu               (const char *dev_root);
gboolean hangar_renderer_prefer_software       (void);

G_END_DECLS
