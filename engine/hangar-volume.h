/* hangar-volume.h: new disk images, made by qemu-img as jobs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-job.h"

G_BEGIN_DECLS

/* No image larger than this: beyond it a typo is likelier than a wish. */
#define HANGAR_VOLUME_MAX_BYTES (G_GUINT64_CONSTANT (64) << 40)

HangarJob *hangar_volume_create (GVariant  *options,
                                 GError   **error);

G_END_DECLS
